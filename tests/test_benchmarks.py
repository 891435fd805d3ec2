"""Smoke tests of the benchmark scripts: their --quick mode runs and prints a table (no timing asserts)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("transformers")

ROOT = Path(__file__).resolve().parent.parent


def _run(script):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--quick"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_train_speed_quick():
    out = _run("train_speed.py")
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in out.splitlines() if line.startswith("|")]
    assert [r[:2] for r in rows[2:]] == [["tiny", "minigpt"], ["tiny", "transformers"]]
    assert "minigpt / transformers at tiny:" in out and "GFLOP/s" in out


def test_generate_speed_quick():
    out = _run("generate_speed.py")
    for way in ("minigpt + KV cache", "minigpt, no cache", "transformers generate"):
        assert way in out
    assert "same tokens" in out and "tiny: KV cache" in out


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has CUDA")
@pytest.mark.parametrize("script", ["train_speed.py", "generate_speed.py"])
def test_cuda_without_a_gpu_is_a_clear_error(script):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--device", "cuda"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode != 0
    assert "no CUDA GPU" in proc.stderr and "Traceback" not in proc.stderr
