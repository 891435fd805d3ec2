"""Shared by the benchmark scripts: the machine, one configuration per subprocess, medians, tables.

Each measured configuration runs in its own Python process, so that its peak memory (ru_maxrss, the
largest resident set the process ever had) belongs to that configuration alone: PyTorch allocates
outside Python's allocator, where tracemalloc cannot see it.
"""

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

RESULT_MARK = "@@result "


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line(device: str) -> str:
    from importlib.metadata import version

    if device.startswith("cuda"):
        import torch

        return f"{torch.cuda.get_device_name()} (CUDA {torch.version.cuda}), torch {torch.__version__}"
    # torch uses one thread per core unless OMP_NUM_THREADS / torch.set_num_threads say otherwise.
    threads = os.environ.get("OMP_NUM_THREADS", os.cpu_count())
    return f"{cpu_name()}, {os.cpu_count()} cores, {threads} torch threads, torch {version('torch')}"


def transformers_version() -> str | None:
    """The installed version, without importing it (that takes seconds)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("transformers")
    except PackageNotFoundError:
        return None


def load_average() -> str:
    """How busy the machine was: a benchmark on a shared machine is only as good as this."""
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"
    except OSError:
        return "load average unknown"


def import_library(name: str):
    """Import minigpt (and its training code), or transformers' GPT-2, before measuring memory.

    Also torch._dynamo (70 MB of modules): torch imports it lazily on first use (building an
    optimizer is enough), and transformers imports it up front; either way it is not the model.
    """
    import torch._dynamo  # noqa: F401

    import minigpt.train  # noqa: F401

    if name == "transformers":
        from transformers import GPT2LMHeadModel  # noqa: F401


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# glibc gives every freed block above 32 MB back to the OS, and the next one of that size is
# page-faulted in again, page by page (here about 0.7 ms per MB: a 200 MB logits tensor costs 0.15 s
# before any arithmetic). These settings keep freed memory in the process instead; --keep-memory
# applies them to every measured process, both models alike.
KEEP_MEMORY_ENV = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(2**40), "MALLOC_TOP_PAD_": str(2**30)}


def run_worker(script: str, spec: dict, timeout: float = 1800, keep_memory: bool = False) -> dict:
    """Run `script --worker '<spec>'` in a fresh interpreter and return the dict it reports."""
    cmd = [sys.executable, script, "--worker", json.dumps(spec)]
    env = {**os.environ, **(KEEP_MEMORY_ENV if keep_memory else {})}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    raise RuntimeError(f"benchmark worker failed ({spec}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def report(result: dict):
    """Called inside a worker: hand the result to the parent process."""
    print(RESULT_MARK + json.dumps(result), flush=True)


def timed_reps(fn, warmup: int, reps: int, sync=lambda: None) -> list[float]:
    """Seconds per call of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return times


def median(xs):
    return statistics.median(xs)


def table(headers, rows) -> str:
    """A Markdown table, so the output can be pasted into benchmarks/README.md as it is."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])
