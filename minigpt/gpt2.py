"""Real GPT-2 inside minigpt: convert Hugging Face's `GPT2LMHeadModel` weights into our `GPT`.

GPT-2 is exactly the architecture of the book's default configuration (learned positions, LayerNorm
with biases, GELU with the tanh approximation, tied embeddings), so importing it is only a matter of
renaming and reshaping tensors:

    Hugging Face (GPT2LMHeadModel)          minigpt (GPT)
    transformer.wte                         embed
    transformer.wpe                         pos_embed
    transformer.h.{i}.ln_1                  blocks.{i}.norm_attn
    transformer.h.{i}.attn.c_attn           blocks.{i}.attn.W_Q, W_K, W_V   (one packed matrix, split in three)
    transformer.h.{i}.attn.c_proj           blocks.{i}.attn.W_O
    transformer.h.{i}.ln_2                  blocks.{i}.norm_ffn
    transformer.h.{i}.mlp.c_fc              blocks.{i}.ffn.up
    transformer.h.{i}.mlp.c_proj            blocks.{i}.ffn.down
    transformer.ln_f                        norm_final
    lm_head                                 unembed (the same matrix as wte: tied)

OpenAI wrote GPT-2 with a "Conv1D" layer that stores its weight as [in, out]; nn.Linear stores
[out, in], so every matrix is transposed on the way in. The block matrices keep GPT-2's order in memory,
though: each parameter is [out, in] as nn.Linear expects, but its numbers lie column after column (a
transposed view of an [in, out] matrix). The values are the same either way; what differs is speed when
generating on a CPU, where every new token multiplies one vector by every matrix and the time goes to
reading the matrices from memory: the BLAS that PyTorch uses streams a vector through an [in, out] matrix
faster than through an [out, in] one (on a 2-core AMD EPYC, about 415 against 610 microseconds for a
768 x 3072 matrix), and GPT-2 small generated about 13% faster (benchmarks/README.md).

`transformers` is an optional dependency: it is imported inside the functions that need it.
"""

import os
import socket
from urllib.parse import urlparse

import torch

from .config import GPTConfig
from .model import GPT

# Both names mean GELU with the tanh approximation, the only GELU minigpt has (F.gelu(approximate="tanh")).
_TANH_GELU = ("gelu_new", "gelu_pytorch_tanh", "gelu_fast")


class WeightsUnavailableError(OSError):
    """The published GPT-2 weights could not be downloaded and are not in the local cache."""


def config_from_hf(hf_config, dropout: float = 0.0) -> GPTConfig:
    """The GPTConfig with the same shape as a transformers `GPT2Config`."""
    activation = getattr(hf_config, "activation_function", "gelu_new")
    if activation not in _TANH_GELU:
        raise ValueError(
            f"activation_function={activation!r}: minigpt's FFN uses GELU with the tanh approximation "
            f"(GPT-2's 'gelu_new'), so only {_TANH_GELU} can be imported exactly"
        )
    if not getattr(hf_config, "scale_attn_weights", True) or getattr(hf_config, "scale_attn_by_inverse_layer_idx", False):
        raise ValueError("only GPT-2's standard attention scaling (scores / sqrt(head_dim)) can be imported")
    if getattr(hf_config, "add_cross_attention", False):
        raise ValueError("a GPT-2 with cross-attention (an encoder-decoder) is not a decoder-only GPT")
    d = hf_config.n_embd
    return GPTConfig(
        vocab_size=hf_config.vocab_size,
        context_length=hf_config.n_positions,
        n_layer=hf_config.n_layer,
        n_head=hf_config.n_head,
        d_model=d,
        d_ff=getattr(hf_config, "n_inner", None) or 4 * d,
        ffn="gelu",
        norm="layernorm",
        positions="learned",
        tie_embeddings=getattr(hf_config, "tie_word_embeddings", True),
        bias=True,
        dropout=dropout,
        norm_eps=hf_config.layer_norm_epsilon,
    )


def convert_state_dict(state_dict, cfg: GPTConfig) -> dict:
    """Rename and reshape a GPT-2 state dict (with or without the 'transformer.' prefix) into minigpt's names."""
    sd = {k.removeprefix("transformer."): v for k, v in state_dict.items()}
    d = cfg.d_model
    out = {
        "embed.weight": sd["wte.weight"],
        "pos_embed.weight": sd["wpe.weight"],
        "norm_final.weight": sd["ln_f.weight"],
        "norm_final.bias": sd["ln_f.bias"],
    }
    for i in range(cfg.n_layer):
        h, b = f"h.{i}.", f"blocks.{i}."
        # c_attn computes [q | k | v] = x @ W + bias with W of shape [d, 3d]: columns 0..d-1 are the queries.
        w_qkv, b_qkv = sd[h + "attn.c_attn.weight"], sd[h + "attn.c_attn.bias"]
        for j, name in enumerate(("W_Q", "W_K", "W_V")):
            out[f"{b}attn.{name}.weight"] = w_qkv[:, j * d:(j + 1) * d].t()
            out[f"{b}attn.{name}.bias"] = b_qkv[j * d:(j + 1) * d]
        pairs = {
            "ln_1": "norm_attn", "ln_2": "norm_ffn",
            "attn.c_proj": "attn.W_O", "mlp.c_fc": "ffn.up", "mlp.c_proj": "ffn.down",
        }
        for hf_name, our_name in pairs.items():
            weight = sd[f"{h}{hf_name}.weight"]
            # Norm gains are vectors; the Conv1D matrices are [in, out] and need a transpose.
            out[f"{b}{our_name}.weight"] = weight.t() if weight.dim() == 2 else weight
            out[f"{b}{our_name}.bias"] = sd[f"{h}{hf_name}.bias"]
    # Tied: unembed.weight is the same tensor as embed.weight, and loading it twice is harmless.
    out["unembed.weight"] = sd["wte.weight"] if cfg.tie_embeddings else sd["lm_head.weight"]
    return out


def from_hf_state_dict(state_dict, hf_config, dropout: float = 0.0) -> GPT:
    """A minigpt GPT with the weights of a GPT-2 state dict (as returned by GPT2LMHeadModel.state_dict())."""
    cfg = config_from_hf(hf_config, dropout)
    model = GPT(cfg)
    for module in model.blocks.modules():
        if isinstance(module, torch.nn.Linear):
            _store_as_in_out(module.weight)
    weights = convert_state_dict(state_dict, cfg)
    dtype = weights["embed.weight"].dtype
    # strict=True: a missing or extra tensor is a conversion bug, not something to ignore silently.
    # Loading copies the values into the parameters, which keep their order in memory.
    model.load_state_dict({k: v.detach().to(torch.float32) for k, v in weights.items()}, strict=True)
    return model.to(dtype).eval()  # .to keeps each tensor's order in memory


def _store_as_in_out(weight: torch.nn.Parameter):
    """Give an [out, in] parameter GPT-2's memory order: the transpose of a row-major [in, out] matrix."""
    out_features, in_features = weight.shape
    weight.data = torch.empty(in_features, out_features, dtype=weight.dtype, device=weight.device).t()


def import_gpt2(hf_model, dropout: float = 0.0) -> GPT:
    """Convert a transformers GPT2LMHeadModel (already loaded) into a minigpt GPT with the same weights."""
    return from_hf_state_dict(hf_model.state_dict(), hf_model.config, dropout)


def random_gpt2(seed: int = 0, **config):
    """A tiny randomly initialised transformers GPT2LMHeadModel, built offline (no download).

    Defaults: 2 layers, 2 heads, width 32, 100 tokens, 64 positions; keyword arguments override GPT2Config.
    """
    from transformers import GPT2Config, GPT2LMHeadModel

    # The published GPT-2's special token 50256 does not exist in a 100-token vocabulary.
    kwargs = dict(n_layer=2, n_head=2, n_embd=32, vocab_size=100, n_positions=64,
                  bos_token_id=None, eos_token_id=None, pad_token_id=None)
    kwargs.update(config)
    torch.manual_seed(seed)
    return GPT2LMHeadModel(GPT2Config(**kwargs)).eval()


# GPT-2's byte-level BPE writes each byte as a printable character (so that its vocabulary file is
# text): printable Latin-1 bytes stand for themselves, the other 68 bytes are moved to U+0100 and up.
def _byte_alphabet() -> dict[str, int]:
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars, shifted = {}, 0
    for b in range(256):
        if b in printable:
            chars[chr(b)] = b
        else:
            chars[chr(256 + shifted)] = b
            shifted += 1
    return chars


class GPT2TokenizerAdapter:
    """GPT-2's tokenizer with the interface of minigpt's tokenizers: encode, decode, token_str, vocab_size."""

    kind = "gpt2"

    def __init__(self, hf_tokenizer):
        self.hf = hf_tokenizer
        self._bytes_of = _byte_alphabet()

    @property
    def vocab_size(self) -> int:
        return len(self.hf)

    @property
    def eos_id(self) -> int:
        return self.hf.eos_token_id

    def encode(self, text: str) -> list[int]:
        return list(self.hf.encode(text, add_special_tokens=False))

    def decode(self, ids) -> str:
        return self.hf.decode(list(ids), clean_up_tokenization_spaces=False)

    def token_str(self, i: int) -> str:
        """A token as text; a token that is only part of a multi-byte character shows its bytes (like BPETokenizer)."""
        token = self.hf.convert_ids_to_tokens(int(i))
        if token in self.hf.all_special_tokens:
            return token
        raw = bytes(self._bytes_of[c] for c in token)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<{b:02X}>" for b in raw)


def _hub_reachable(timeout: float) -> bool:
    """One TCP connection attempt to the Hugging Face Hub, so that an offline machine fails in seconds."""
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def load_gpt2(name: str = "gpt2", timeout: float = 5.0):
    """The published GPT-2 (`name`: gpt2, gpt2-medium, gpt2-large, gpt2-xl) as (minigpt GPT, tokenizer).

    Needs `pip install transformers` and either internet access or a copy in the Hugging Face cache.
    Raises WeightsUnavailableError (an OSError) when neither is there, after at most `timeout` seconds
    of waiting for the network; HF_HUB_OFFLINE=1 skips the network entirely.
    """
    try:
        from transformers import GPT2LMHeadModel, GPT2TokenizerFast
    except ImportError as e:
        raise ImportError("loading the published GPT-2 needs the transformers package: pip install transformers") from e

    offline = os.environ.get("HF_HUB_OFFLINE", "0").lower() in ("1", "true", "yes", "on")
    # Without a network, transformers retries for about half a minute; checking first keeps it quick,
    # and local_files_only still finds a copy downloaded earlier.
    local_only = offline or not _hub_reachable(timeout)
    try:
        hf_model = GPT2LMHeadModel.from_pretrained(name, local_files_only=local_only)
        hf_tokenizer = GPT2TokenizerFast.from_pretrained(name, local_files_only=local_only)
    except (OSError, ConnectionError, TimeoutError, ValueError) as e:
        where = "HF_HUB_OFFLINE is set" if offline else (
            "the Hugging Face Hub is not reachable from this machine" if local_only else "the download failed")
        raise WeightsUnavailableError(
            f"the GPT-2 weights {name!r} are not available: {where} and they are not in the local "
            f"Hugging Face cache. Connect to the internet once to download them (about 0.5 GB for 'gpt2'), "
            f"or use a tiny offline model: minigpt.gpt2.import_gpt2(minigpt.gpt2.random_gpt2())"
        ) from e
    return import_gpt2(hf_model), GPT2TokenizerAdapter(hf_tokenizer)
