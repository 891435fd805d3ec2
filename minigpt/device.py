"""Where the model runs: CUDA if there is a GPU, then Apple's MPS, then the CPU."""

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
