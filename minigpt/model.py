"""The GPT: a decoder-only transformer, with its parts named as the book names them.

    tokens -> embed (W_E) [+ learned positions]
           -> n_layer x Block:  x = x + W_O(attention(norm(x)))     (W_Q, W_K, W_V, W_O)
                                x = x + FFN(norm(x))                (up, gate, down)
           -> final norm -> unembed (W_U) -> logits

Every intermediate value passes through a named *hook point*, so that the inspection chapters can
read it (`run_with_cache`) or replace it (`hooks={name: fn}`) without changing this file.
The names, with shapes (B = batch, T = tokens, H = heads, S = key positions, d = d_model):

    embed                       [B, T, d]   token embedding (+ learned position embedding)
    blocks.{i}.resid_pre        [B, T, d]   residual stream entering block i
    blocks.{i}.attn_in          [B, T, d]   normalised input of attention
    blocks.{i}.attn.q           [B, H, T, dh]       queries (after RoPE if used)
    blocks.{i}.attn.k           [B, H_kv, T, dh]    keys of the new positions
    blocks.{i}.attn.v           [B, H_kv, T, dh]    values of the new positions
    blocks.{i}.attn.pattern     [B, H, T, S]        attention weights (softmax of the scores)
    blocks.{i}.attn_out         [B, T, d]   what attention adds to the residual stream (after W_O)
    blocks.{i}.resid_mid        [B, T, d]   residual stream between attention and FFN
    blocks.{i}.ffn_in           [B, T, d]   normalised input of the FFN
    blocks.{i}.ffn.hidden       [B, T, d_ff] FFN neurons after the nonlinearity (and gate)
    blocks.{i}.ffn_out          [B, T, d]   what the FFN adds to the residual stream (after down)
    blocks.{i}.resid_post       [B, T, d]   residual stream leaving block i
    final_norm                  [B, T, d]   the last vectors after the final norm
    logits                      [B, T, V]   one score per vocabulary token

A hook is `fn(tensor, name) -> tensor | None`; returning a tensor replaces the activation.
"""

import math
import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import GPTConfig

BLOCK_POINTS = (
    "resid_pre", "attn_in", "attn.q", "attn.k", "attn.v", "attn.pattern", "attn_out",
    "resid_mid", "ffn_in", "ffn.hidden", "ffn_out", "resid_post",
)


def activation_names(n_layer: int) -> list[str]:
    """All hook point names of a model with `n_layer` blocks, in the order they are computed."""
    names = ["embed"]
    for i in range(n_layer):
        names += [f"blocks.{i}.{p}" for p in BLOCK_POINTS]
    return names + ["final_norm", "logits"]


class Hooks:
    """Reads (cache) and rewrites (hook functions) named activations during one forward pass."""

    def __init__(self, fns=None, cache=None, cache_names=None):
        self.fns = {name: fn if isinstance(fn, (list, tuple)) else [fn] for name, fn in (fns or {}).items()}
        self.cache = cache
        self.cache_names = None if cache_names is None else set(cache_names)

    def _caches(self, name):
        return self.cache is not None and (self.cache_names is None or name in self.cache_names)

    def wants(self, name) -> bool:
        return name in self.fns or self._caches(name)

    def __call__(self, name, x):
        for fn in self.fns.get(name, ()):
            out = fn(x, name)
            if out is not None:
                if out.shape != x.shape:
                    raise ValueError(f"hook on {name!r} returned shape {tuple(out.shape)}, expected {tuple(x.shape)}")
                x = out
        if self._caches(name):
            self.cache[name] = x.detach()
        return x


class _NoHooks:
    """The fast path: hook points cost one function call and nothing else."""

    def wants(self, name):
        return False

    def __call__(self, name, x):
        return x


NO_HOOKS = _NoHooks()


def make_norm(cfg: GPTConfig) -> nn.Module:
    if cfg.norm == "rmsnorm":
        return nn.RMSNorm(cfg.d_model, eps=cfg.norm_eps)
    return nn.LayerNorm(cfg.d_model, eps=cfg.norm_eps, bias=cfg.bias)


class Rotary(nn.Module):
    """Rotary position embedding: rotates pairs of query/key dimensions by an angle that grows with position."""

    def __init__(self, head_dim: int, context_length: int, base: float):
        super().__init__()
        inv_freq = 1.0 / base ** (torch.arange(0, head_dim, 2).float() / head_dim)
        angles = torch.outer(torch.arange(context_length).float(), inv_freq)  # [T, dh/2]
        self.register_buffer("cos", angles.cos(), persistent=False)
        self.register_buffer("sin", angles.sin(), persistent=False)

    def forward(self, x, start: int):
        T = x.shape[-2]
        cos, sin = self.cos[start:start + T].to(x.dtype), self.sin[start:start + T].to(x.dtype)
        x1, x2 = x[..., 0::2], x[..., 1::2]
        rotated = torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)
        return rotated.flatten(-2)


class Attention(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.n_head, self.n_kv_head, self.head_dim = cfg.n_head, cfg.n_kv_head, cfg.head_dim
        self.W_Q = nn.Linear(cfg.d_model, cfg.n_head * cfg.head_dim, bias=cfg.bias)
        self.W_K = nn.Linear(cfg.d_model, cfg.n_kv_head * cfg.head_dim, bias=cfg.bias)
        self.W_V = nn.Linear(cfg.d_model, cfg.n_kv_head * cfg.head_dim, bias=cfg.bias)
        self.W_O = nn.Linear(cfg.n_head * cfg.head_dim, cfg.d_model, bias=cfg.bias)
        self.dropout = cfg.dropout

    def _split_heads(self, x, n):
        B, T, _ = x.shape
        return x.view(B, T, n, self.head_dim).transpose(1, 2)  # [B, n, T, dh]

    def forward(self, x, hooks, prefix, rotary=None, kv_cache=None, layer=0, start=0):
        B, T, _ = x.shape
        q = self._split_heads(self.W_Q(x), self.n_head)
        k = self._split_heads(self.W_K(x), self.n_kv_head)
        v = self._split_heads(self.W_V(x), self.n_kv_head)
        if rotary is not None:
            q, k = rotary(q, start), rotary(k, start)
        q, k, v = hooks(prefix + "q", q), hooks(prefix + "k", k), hooks(prefix + "v", v)
        if kv_cache is not None:
            k, v = kv_cache.update(layer, k, v, start)
        mask = causal_mask(T, start, x.device) if (T > 1 and start > 0) else None
        dropout = self.dropout if self.training else 0.0
        if hooks.wants(prefix + "pattern"):
            y = self._explicit_attention(q, k, v, start, hooks, prefix + "pattern", dropout)
        elif T == 1 and dropout == 0.0 and self.n_kv_head == self.n_head:
            # One new token against the cache (generation): nothing to mask, and on a CPU two small products
            # and a softmax cost less than setting up the fused kernel, which is built for many queries.
            y = torch.softmax((q @ k.transpose(-2, -1)).mul_(self.head_dim ** -0.5), dim=-1) @ v
        else:
            # Fused kernel; grouped-query heads are expanded inside it.
            y = F.scaled_dot_product_attention(
                q, k, v, attn_mask=mask, dropout_p=dropout, is_causal=(mask is None and T > 1),
                enable_gqa=self.n_kv_head != self.n_head,
            )
        y = y.transpose(1, 2).reshape(B, T, self.n_head * self.head_dim)
        return self.W_O(y)

    def _explicit_attention(self, q, k, v, start, hooks, name, dropout):
        """The same computation written out, so the pattern can be read and changed."""
        group = self.n_head // self.n_kv_head
        k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim)  # [B, H, T, S]
        visible = causal_mask(q.shape[-2], start, q.device, total=k.shape[-2])
        pattern = torch.softmax(scores.masked_fill(~visible, float("-inf")), dim=-1)
        pattern = hooks(name, pattern)
        return F.dropout(pattern, dropout) @ v


def causal_mask(T: int, start: int, device, total: int | None = None):
    """True where query i (at absolute position start + i) may look at key j: j <= start + i."""
    total = start + T if total is None else total
    rows = torch.arange(start, start + T, device=device)[:, None]
    cols = torch.arange(total, device=device)[None, :]
    return cols <= rows


class FFN(nn.Module):
    """The feed-forward network: the same function applied to every position independently."""

    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.kind = cfg.ffn
        self.up = nn.Linear(cfg.d_model, cfg.d_ff, bias=cfg.bias)
        self.gate = nn.Linear(cfg.d_model, cfg.d_ff, bias=cfg.bias) if cfg.ffn == "swiglu" else None
        self.down = nn.Linear(cfg.d_ff, cfg.d_model, bias=cfg.bias)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, hooks, prefix):
        if self.gate is None:
            hidden = F.gelu(self.up(x), approximate="tanh")  # GPT-2's GELU
        else:
            hidden = F.silu(self.gate(x)) * self.up(x)
        hidden = hooks(prefix + "hidden", hidden)
        return self.drop(self.down(hidden))


class Block(nn.Module):
    """A pre-norm residual block: each sublayer reads a normalised copy and adds its output back."""

    def __init__(self, cfg: GPTConfig, index: int):
        super().__init__()
        self.index = index
        self.norm_attn = make_norm(cfg)
        self.attn = Attention(cfg)
        self.norm_ffn = make_norm(cfg)
        self.ffn = FFN(cfg)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, hooks, rotary=None, kv_cache=None, start=0):
        p = f"blocks.{self.index}."
        x = hooks(p + "resid_pre", x)
        a_in = hooks(p + "attn_in", self.norm_attn(x))
        a = hooks(p + "attn_out", self.attn(a_in, hooks, p + "attn.", rotary, kv_cache, self.index, start))
        x = hooks(p + "resid_mid", x + self.drop(a))
        f_in = hooks(p + "ffn_in", self.norm_ffn(x))
        f = hooks(p + "ffn_out", self.ffn(f_in, hooks, p + "ffn."))
        return hooks(p + "resid_post", x + f)


class KVCache:
    """Keys and values of the positions already processed, so each new token costs one position of work."""

    def __init__(self, cfg: GPTConfig, batch_size: int, device, dtype=torch.float32):
        shape = (cfg.n_layer, batch_size, cfg.n_kv_head, cfg.context_length, cfg.head_dim)
        self.k = torch.zeros(shape, device=device, dtype=dtype)
        self.v = torch.zeros(shape, device=device, dtype=dtype)
        # One view per layer, made once: each generated token then costs two narrow + copy per layer,
        # not a chain of indexing ops (at the course's widths such fixed costs are most of a step).
        self._layers = [(self.k[i], self.v[i]) for i in range(cfg.n_layer)]

    def update(self, layer, k, v, start):
        """Write the new positions' keys and values; return all keys and values up to them."""
        keys, values = self._layers[layer]
        n, end = k.shape[-2], start + k.shape[-2]
        keys.narrow(2, start, n).copy_(k)
        values.narrow(2, start, n).copy_(v)
        return keys.narrow(2, 0, end), values.narrow(2, 0, end)


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.config = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)  # W_E: one row per token
        self.pos_embed = nn.Embedding(cfg.context_length, cfg.d_model) if cfg.positions == "learned" else None
        self.rotary = Rotary(cfg.head_dim, cfg.context_length, cfg.rope_base) if cfg.positions == "rope" else None
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg, i) for i in range(cfg.n_layer))
        self.norm_final = make_norm(cfg)
        self.unembed = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)  # W_U: one logit per token
        if cfg.tie_embeddings:
            self.unembed.weight = self.embed.weight
        self.apply(self._init_weights)
        # GPT-2: scale the layers that write into the residual stream, so its size does not grow with depth.
        for block in self.blocks:
            for w in (block.attn.W_O.weight, block.ffn.down.weight):
                nn.init.normal_(w, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layer))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def num_parameters(self, include_embeddings: bool = True) -> int:
        """Weights counted once (a tied unembedding shares the embedding's)."""
        n = sum(p.numel() for p in self.parameters())
        if not include_embeddings:
            n -= self.embed.weight.numel() + (self.pos_embed.weight.numel() if self.pos_embed is not None else 0)
        return n

    @property
    def device(self):
        return self.embed.weight.device

    def activation_names(self) -> list[str]:
        return activation_names(self.config.n_layer)

    def forward(self, idx, targets=None, *, hooks=None, kv_cache=None, start_pos=0, last_only=False):
        """Logits for every position (or only the last, for generation) and, given targets, the loss.

        hooks: a dict {activation name: fn(tensor, name) -> tensor | None}, or a Hooks object.
        """
        idx = self._check_tokens(idx, start_pos)
        hooks = self._make_hooks(hooks)
        T = idx.shape[1]
        x = self._embed_tokens(idx)
        if self.pos_embed is not None:
            x = x + self.pos_embed(torch.arange(start_pos, start_pos + T, device=idx.device))
        x = self.drop(hooks("embed", x))
        for block in self.blocks:
            x = block(x, hooks, self.rotary, kv_cache, start_pos)
        x = hooks("final_norm", self.norm_final(x))
        if last_only and targets is None:
            x = x[:, -1:]
        logits = hooks("logits", self.unembed(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1).float(), targets.flatten(), ignore_index=-1)
        return logits, loss

    def _embed_tokens(self, idx):
        """The rows of W_E for the tokens (an nn.Embedding lookup), with a cheaper gradient when tied.

        With tied weights the matrix gets two gradients in training: the unembedding's (every row) and the
        embedding's (only the rows of tokens in the batch). Sent as sparse rows, the second is added into
        the first in place; sent dense, it is a fresh vocabulary-sized matrix, zero-filled and then added:
        for GPT-2's 50,257 x 768 that was a fifth of a CPU training step (benchmarks/README.md).
        The sum that reaches .grad is dense either way, as long as the loss goes through the logits."""
        sparse = (self.config.tie_embeddings and self.training and torch.is_grad_enabled()
                  and idx.device.type in ("cpu", "cuda") and not torch.compiler.is_compiling())
        return F.embedding(idx, self.embed.weight, sparse=sparse)

    def run_with_cache(self, idx, names=None, hooks=None):
        """Run the model and return (logits, cache): every named activation (or just `names`), detached."""
        if names is not None:
            self._check_names(names)
        cache = {}
        h = Hooks(fns=self._check_names(hooks or {}), cache=cache, cache_names=names)
        logits, _ = self(idx, hooks=h)
        return logits, cache

    def _make_hooks(self, hooks):
        if hooks is None:
            return NO_HOOKS
        if isinstance(hooks, (Hooks, _NoHooks)):
            return hooks
        return Hooks(fns=self._check_names(hooks))

    def _check_names(self, names):
        valid = set(self.activation_names())
        unknown = [n for n in names if n not in valid]
        if unknown:
            raise ValueError(
                f"unknown activation name(s) {unknown}; valid names look like 'embed', "
                f"'blocks.0.resid_post', 'blocks.0.attn.pattern', 'logits' (see model.activation_names())"
            )
        return names

    def _check_tokens(self, idx, start_pos):
        if not torch.is_tensor(idx):
            idx = torch.as_tensor(idx, dtype=torch.long, device=self.device)
        if idx.dim() == 1:
            idx = idx[None]
        T = idx.shape[1]
        if T == 0:
            raise ValueError("no tokens to process: give the model at least one token")
        if start_pos + T > self.config.context_length:
            raise ValueError(
                f"{start_pos + T} tokens do not fit the context window of {self.config.context_length} tokens: "
                f"crop the input to its last {self.config.context_length} tokens (generate() does this for you)"
            )
        if torch.compiler.is_compiling():
            return idx  # reading the values back would split the compiled graph; the eager model checks them
        lo, hi = (int(v) for v in torch.aminmax(idx))  # one pass; this check runs once per generated token
        if lo < 0 or hi >= self.config.vocab_size:
            raise ValueError(f"token ids must be in [0, {self.config.vocab_size}); got {lo}..{hi}")
        return idx
