"""minigpt: a small, readable GPT for the course "GPT from scratch" (Russian and Chinese).

The public API the chapters use:

    from minigpt import GPTConfig, GPT, CharTokenizer, BPETokenizer, generate, train, TrainConfig
    from minigpt import save, load, load_pretrained, get_device
"""

from .checkpoint import CheckpointError, load, load_pretrained, save
from .config import GPTConfig
from .device import get_device
from .generate import generate, generate_ids, next_token_probs
from .model import GPT, Hooks, KVCache, activation_names
from .tokenizer import BPETokenizer, CharTokenizer, UnknownCharacterError, load_tokenizer
from .train import TrainConfig, train

__version__ = "0.1.0"

__all__ = [
    "GPTConfig", "GPT", "Hooks", "KVCache", "activation_names",
    "CharTokenizer", "BPETokenizer", "UnknownCharacterError", "load_tokenizer",
    "generate", "generate_ids", "next_token_probs",
    "TrainConfig", "train", "get_device",
    "save", "load", "load_pretrained", "CheckpointError",
]
