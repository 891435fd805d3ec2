"""Execute notebooks in fresh kernels and print seconds per notebook and the total.

    python scripts/run_notebooks.py                 # every notebook under notebooks/, outputs not saved
    python scripts/run_notebooks.py --write FILE…   # execute and store the outputs in the files (authors)

Chapter authors use it to see the cost of their cells: each notebook must run in about a minute on a
2-core CPU, because CI runs them all.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent


def kernel_config(socket_dir: str) -> Config:
    """Talk to the kernel over local sockets where the system has them (POSIX), not TCP.

    Over TCP each kernel warns on stderr that its traffic is unencrypted, a line per notebook between
    the rows of the table. The sockets need an absolute path: the kernel runs in the notebook's folder.
    """
    if os.name != "posix":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(socket_dir, "kernel")}})


def execute(path: Path, timeout: int):
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as socket_dir:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                config=kernel_config(socket_dir), resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        try:
            client.execute()
            error = None
        except Exception as e:  # report every notebook, not just the first failure
            error = f"{type(e).__name__}: {str(e).strip().splitlines()[-1] if str(e).strip() else ''}"
        return time.perf_counter() - start, error, nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true", help="store the new outputs in the notebooks")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*/*.ipynb"))
    rows, total, failed = [], 0.0, 0
    for path in paths:
        seconds, error, nb = execute(path.resolve(), args.timeout)
        total += seconds
        if error is None and args.write:
            nbformat.write(nb, path)
        failed += error is not None
        rows.append((str(path.resolve().relative_to(ROOT)), seconds, error or "ok"))
        print(f"{rows[-1][0]:60s} {seconds:7.1f} s  {rows[-1][2]}", flush=True)
    print(f"{'total':60s} {total:7.1f} s  ({len(rows)} notebooks, {failed} failed)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
