"""Where a GPT's parameters live: counts by the kind of matrix they belong to.

Two counts that must agree:

    count_by_kind(model)     from the model's own named parameters (what is really there)
    count_from_config(cfg)   from the shape alone: a formula, so it also works for models far too big
                             to build on a laptop, such as GPT-3 (GPT3_175B below)

    matrix_counts(cfg, per_head=("W_Q", "W_K", "W_V"))   how many matrices of each kind, and their shape
    weight_bytes(n, "bf16")                              memory for n weights stored in a given format

The kinds (KINDS) follow the names in model.py: embed -> "embedding", pos_embed -> "positions",
attn.W_Q/W_K/W_V/W_O, ffn.up/gate/down -> "ffn_up"/"ffn_gate"/"ffn_down", unembed -> "unembedding";
the gains and shifts of every normalisation go to "norms", the biases of linear layers to "biases".
A tied unembedding is the embedding matrix itself, so it adds no parameters of its own.
"""

from .config import GPTConfig

KINDS = ("embedding", "positions", "W_Q", "W_K", "W_V", "W_O", "ffn_up", "ffn_gate", "ffn_down",
         "unembedding", "norms", "biases")

# The kinds that are weight matrices (the rest are vectors).
MATRIX_KINDS = ("embedding", "positions", "W_Q", "W_K", "W_V", "W_O", "ffn_up", "ffn_gate", "ffn_down",
                "unembedding")

# GPT-3 175B as published: Brown et al. 2020, "Language Models are Few-Shot Learners", Table 2.1
# (96 layers, d_model 12,288, 96 heads of 128, context 2,048) and section 2.1 (the GPT-2 architecture and
# its tokenizer: 50,257 tokens, learned positions, LayerNorm with biases, FFN width 4 * d_model, GELU).
# The paper says 175.0B parameters; it does not list them by kind.
GPT3_175B = GPTConfig(vocab_size=50257, context_length=2048, n_layer=96, n_head=96, d_model=12288)

BYTES_PER_PARAMETER = {"fp32": 4, "bf16": 2, "fp16": 2, "int8": 1}

_SUFFIX_KIND = {"attn.W_Q": "W_Q", "attn.W_K": "W_K", "attn.W_V": "W_V", "attn.W_O": "W_O",
                "ffn.up": "ffn_up", "ffn.gate": "ffn_gate", "ffn.down": "ffn_down"}


def kind_of(name: str) -> str:
    """The kind of a parameter from its name in model.named_parameters(), e.g. 'blocks.0.attn.W_Q.weight'."""
    module, _, leaf = name.rpartition(".")
    if module == "embed":
        return "embedding"
    if module == "pos_embed":
        return "positions"
    if module == "unembed":
        return "unembedding"
    if "norm" in module.rpartition(".")[2]:
        return "norms"
    for suffix, kind in _SUFFIX_KIND.items():
        if module.endswith(suffix):
            return "biases" if leaf == "bias" else kind
    raise ValueError(f"parameter {name!r} does not belong to any known kind {KINDS}")


def count_by_kind(model) -> dict:
    """{kind: number of parameters} over model.named_parameters(), in KINDS order (zeros included).

    named_parameters() lists a shared tensor once, so a tied unembedding counts as 0 here.
    """
    counts = dict.fromkeys(KINDS, 0)
    for name, p in model.named_parameters():
        counts[kind_of(name)] += p.numel()
    return counts


def count_from_config(cfg: GPTConfig) -> dict:
    """The same numbers as count_by_kind(GPT(cfg)), from the shape alone."""
    d, L, dh = cfg.d_model, cfg.n_layer, cfg.head_dim
    q, kv = cfg.n_head * dh, cfg.n_kv_head * dh  # widths of all query heads, of all key (or value) heads
    gated = cfg.ffn == "swiglu"
    norm_size = d * (2 if cfg.norm == "layernorm" and cfg.bias else 1)  # gain (+ shift); RMSNorm has a gain only
    counts = dict.fromkeys(KINDS, 0)
    counts.update(
        embedding=cfg.vocab_size * d,
        positions=cfg.context_length * d if cfg.positions == "learned" else 0,
        W_Q=L * d * q, W_K=L * d * kv, W_V=L * d * kv, W_O=L * q * d,
        ffn_up=L * d * cfg.d_ff, ffn_gate=L * d * cfg.d_ff if gated else 0, ffn_down=L * cfg.d_ff * d,
        unembedding=0 if cfg.tie_embeddings else cfg.vocab_size * d,
        norms=(2 * L + 1) * norm_size,  # two per block and the final one
        # one bias per output of W_Q, W_K, W_V, W_O, up, gate, down (the unembedding has none)
        biases=L * (q + 2 * kv + d + cfg.d_ff * (2 if gated else 1) + d) if cfg.bias else 0,
    )
    return counts


def matrix_counts(cfg: GPTConfig, per_head=()) -> dict:
    """{kind: (number of matrices, shape of one)} for the weight matrices of a model with config `cfg`.

    Shapes are (outputs, inputs), as nn.Linear stores them. By default each attention matrix is one per
    layer, as the model computes them. Kinds listed in `per_head` ("W_Q", "W_K", "W_V", "W_O") are counted
    as one small matrix per head instead: the same weights, cut along the heads.
    A tied unembedding is the embedding matrix again and is counted as 0 new matrices.
    """
    unknown = set(per_head) - {"W_Q", "W_K", "W_V", "W_O"}
    if unknown:
        raise ValueError(f"only attention matrices split into heads, not {sorted(unknown)}")
    d, L, dh, ff = cfg.d_model, cfg.n_layer, cfg.head_dim, cfg.d_ff
    heads = {"W_Q": cfg.n_head, "W_K": cfg.n_kv_head, "W_V": cfg.n_kv_head, "W_O": cfg.n_head}
    rows = {"embedding": (1, (cfg.vocab_size, d))}
    if cfg.positions == "learned":
        rows["positions"] = (1, (cfg.context_length, d))
    for kind, n in heads.items():
        width = n * dh
        if kind in per_head:
            rows[kind] = (L * n, (d, dh) if kind == "W_O" else (dh, d))
        else:
            rows[kind] = (L, (d, width) if kind == "W_O" else (width, d))
    rows["ffn_up"] = (L, (ff, d))
    if cfg.ffn == "swiglu":
        rows["ffn_gate"] = (L, (ff, d))
    rows["ffn_down"] = (L, (d, ff))
    rows["unembedding"] = (0 if cfg.tie_embeddings else 1, (cfg.vocab_size, d))
    return rows


def weight_bytes(n_parameters: int, dtype: str = "fp32") -> int:
    """Bytes to store n_parameters weights in the format `dtype` (the weights only: no activations, no
    optimizer state, no KV cache)."""
    if dtype not in BYTES_PER_PARAMETER:
        raise ValueError(f"unknown format {dtype!r}; known: {sorted(BYTES_PER_PARAMETER)}")
    return n_parameters * BYTES_PER_PARAMETER[dtype]


def format_bytes(n: float) -> str:
    """Decimal units, three significant digits: 4.29 MB, 350 GB, 2.47 TB."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            value = n / size
            return f"{value:.3g} {unit}" if value < 1000 else f"{value:,.0f} {unit}"
    return f"{n:.0f} B"


_COUNT_UNITS = {"ru": (("трлн", 1e12), ("млрд", 1e9), ("млн", 1e6), ("тыс.", 1e3)),
                "zh": (("万亿", 1e12), ("亿", 1e8), ("万", 1e4))}


def format_count(n: float, lang: str, digits: int = 3) -> str:
    """A large count in words of the reader's language, to `digits` significant digits:
    '175 млрд', '1746 亿', '1.07 млн', '107 万' (digits=4: '174.6 млрд')."""
    for unit, size in _COUNT_UNITS[lang]:
        if n >= size:
            value = n / size
            return f"{value:.{digits}g} {unit}" if value < 10 ** digits else f"{value:.0f} {unit}"
    return f"{n:,.0f}"
