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


def check_device(name: str):
    """Stop with minigpt's explanation (not a traceback from torch.cuda) when the device is not there."""
    from minigpt.device import get_device

    try:
        get_device(name)
    except (RuntimeError, ValueError) as e:
        sys.exit(f"error: {e}")


def run_worker(script: str, spec: dict, timeout: float = 1800) -> dict:
    """Run `script --worker '<spec>'` in a fresh interpreter and return the dict it reports."""
    cmd = [sys.executable, script, "--worker", json.dumps(spec)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    raise RuntimeError(f"benchmark worker failed ({spec}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def set_memory_policy(spec: dict):
    """Called first inside a worker: with spec["keep_memory"], glibc keeps freed memory in the process.

    That is minigpt.device.keep_freed_memory(), which minigpt.train applies on the CPU: big temporaries
    (the logits) are then reused instead of page-faulted in again every step. It is process-wide, so
    every model measured in the worker gets it alike.
    """
    if spec.get("keep_memory"):
        from minigpt.device import keep_freed_memory

        if not keep_freed_memory():
            print("note: this C library cannot be asked to keep freed memory; measuring with its default")


def memory_policy_line(keep_memory: bool) -> str:
    if keep_memory:
        return "glibc keeps freed memory in the process (minigpt.device.keep_freed_memory, as minigpt.train does)"
    return "glibc's default memory policy (freed blocks above 32 MB go back to the system)"


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
