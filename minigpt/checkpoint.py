"""Checkpoints: a folder with model.safetensors (weights), config.json (shape + notes) and tokenizer.json.

No pickles: loading a checkpoint never runs code from the file.
"""

import json
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from .config import GPTConfig
from .device import get_device
from .model import GPT
from .tokenizer import load_tokenizer, save_tokenizer

WEIGHTS, CONFIG, TOKENIZER = "model.safetensors", "config.json", "tokenizer.json"
FORMAT = "minigpt-checkpoint-1"
PRETRAINED_DIR = Path(__file__).parent / "data" / "checkpoints"


class CheckpointError(RuntimeError):
    """A checkpoint folder is missing a file, or a file is corrupted or does not match the others."""


def save(model: GPT, tokenizer, directory, info: dict | None = None) -> Path:
    """Write the three files into `directory` (created if needed). `info` is stored in config.json."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    if model.config.tie_embeddings:
        state.pop("unembed.weight")  # the same tensor as embed.weight; rebuilt by tying on load
    save_file(state, str(directory / WEIGHTS), metadata={"format": FORMAT})
    meta = {"format": FORMAT, "config": model.config.to_dict(), "info": info or {}}
    (directory / CONFIG).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    save_tokenizer(tokenizer, directory / TOKENIZER)
    return directory


def load(directory, device: str = "cpu"):
    """Load (model, tokenizer) from a folder written by save(). The model is in eval mode."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CheckpointError(f"checkpoint folder {directory} does not exist")
    meta = _read_config(directory / CONFIG)
    tokenizer = _read_tokenizer(directory / TOKENIZER)
    model = GPT(meta["config"])
    state = _read_weights(directory / WEIGHTS)
    _load_state(model, state, directory / WEIGHTS)
    if tokenizer.vocab_size > model.config.vocab_size:
        raise CheckpointError(
            f"{directory / TOKENIZER} has {tokenizer.vocab_size} tokens but the model in {directory / CONFIG} "
            f"only {model.config.vocab_size}: the files come from different checkpoints"
        )
    model.info = meta.get("info", {})
    return model.to(get_device(device)).eval(), tokenizer


def load_pretrained(name: str, device: str = "cpu"):
    """One of the checkpoints shipped inside the package, e.g. load_pretrained("world-ru")."""
    available = sorted(p.name for p in PRETRAINED_DIR.iterdir() if p.is_dir()) if PRETRAINED_DIR.is_dir() else []
    if name not in available:
        raise CheckpointError(f"no shipped checkpoint named {name!r}; available: {available}")
    return load(PRETRAINED_DIR / name, device)


def pretrained_config(name: str) -> GPTConfig:
    """The configuration of a shipped checkpoint, read from its config.json without loading the weights."""
    return _read_config(PRETRAINED_DIR / name / CONFIG)["config"]


def _read_config(path):
    if not path.is_file():
        raise CheckpointError(f"{path} is missing: a checkpoint needs {CONFIG}, {WEIGHTS} and {TOKENIZER}")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise CheckpointError(f"{path} is not a minigpt checkpoint config (format {meta.get('format')!r})")
        meta["config"] = GPTConfig.from_dict(meta["config"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise CheckpointError(f"{path} is corrupted: {e}") from None
    return meta


def _read_tokenizer(path):
    try:
        return load_tokenizer(path)
    except FileNotFoundError:
        raise CheckpointError(f"{path} is missing: a checkpoint needs {CONFIG}, {WEIGHTS} and {TOKENIZER}") from None
    except ValueError as e:
        raise CheckpointError(str(e)) from None


def _read_weights(path):
    if not path.is_file():
        raise CheckpointError(f"{path} is missing: a checkpoint needs {CONFIG}, {WEIGHTS} and {TOKENIZER}")
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as e:
        raise CheckpointError(f"{path} is truncated or corrupted ({e}); save or download the checkpoint again") from None


def _load_state(model, state, path):
    expected = model.state_dict()
    if model.config.tie_embeddings:
        expected.pop("unembed.weight")
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        raise CheckpointError(f"{path} does not match its config: missing {missing[:5]}, unexpected {unexpected[:5]}")
    for k, v in state.items():
        if v.shape != expected[k].shape:
            raise CheckpointError(
                f"{path}: tensor {k!r} has shape {tuple(v.shape)}, the config expects {tuple(expected[k].shape)}"
            )
    model.load_state_dict(state, strict=False)
    if model.config.tie_embeddings:
        model.unembed.weight = model.embed.weight
