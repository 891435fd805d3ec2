"""Where the model runs: CUDA if there is a GPU, then Apple's MPS, then the CPU."""

import ctypes
import sys

import torch

DEVICES = ("auto", "cuda", "mps", "cpu")


def get_device(preference: str = "auto") -> torch.device:
    """Pick a device. 'auto' takes the fastest available; asking for one that is absent is an error."""
    name = str(preference).split(":")[0]
    if name not in DEVICES:
        raise ValueError(f"device {preference!r} is not one of {DEVICES}")
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "device 'cuda' was requested but PyTorch sees no CUDA GPU on this machine: "
            "use device='auto' or 'cpu' (in Colab: Runtime -> Change runtime type -> GPU)"
        )
    if name == "mps" and not torch.backends.mps.is_available():
        raise RuntimeError("device 'mps' was requested but Apple's MPS backend is not available: use 'auto' or 'cpu'")
    return torch.device(preference)


def autocast(device: torch.device):
    """bf16 autocast on CUDA (faster matmuls, no loss scaling needed); full precision elsewhere."""
    enabled = device.type == "cuda"
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=enabled)


# glibc's mallopt() parameter numbers (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
_kept = False


def keep_freed_memory() -> bool:
    """Let the process keep the memory it frees, so that the next tensor of that size costs no page faults.

    glibc returns every freed block above 32 MB to the system, and the next one of that size is faulted
    in again page by page (about 0.5-0.7 ms per MB on a cloud CPU): for GPT-2-sized training on a CPU the
    100 MB logits and their gradients then cost more to allocate than to compute, a tenth of each step.
    These two settings (never mmap, never trim) make glibc reuse the memory instead, as jemalloc or
    tcmalloc would (PyTorch's CPU tuning guide suggests those for the same reason). The process then
    keeps its peak memory until it exits. `train()` calls this on the CPU. Linux with glibc only:
    elsewhere it does nothing and returns False.
    """
    global _kept
    if _kept:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False  # not glibc (musl has no such knobs)
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    _kept = bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, 2**31 - 1))
    return _kept
