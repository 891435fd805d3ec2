"""The model's shape in one dataclass.

Every architectural choice the book discusses is a field here, so that chapter 09 can switch
LayerNorm for RMSNorm or multi-head for grouped-query attention without touching the model code.
"""

from dataclasses import asdict, dataclass, fields

FFN_KINDS = ("gelu", "swiglu")
NORM_KINDS = ("layernorm", "rmsnorm")
POSITION_KINDS = ("learned", "rope")


@dataclass
class GPTConfig:
    vocab_size: int = 256  # rows of the embedding matrix
    context_length: int = 128  # the context window, in tokens
    n_layer: int = 4  # transformer blocks
    n_head: int = 4  # query heads per attention layer
    n_kv_head: int | None = None  # key/value heads: None = n_head (multi-head), 1 = multi-query, else grouped-query
    d_model: int = 128  # width of the residual stream
    d_ff: int | None = None  # FFN hidden width: None = 4 * d_model (gelu) or a SwiGLU size with the same parameter count
    ffn: str = "gelu"  # "gelu": up -> GELU -> down; "swiglu": (SiLU(gate) * up) -> down
    norm: str = "layernorm"  # "layernorm" or "rmsnorm"
    positions: str = "learned"  # "learned" absolute position embeddings, or "rope" rotary positions
    tie_embeddings: bool = True  # the unembedding reuses the embedding matrix (transposed)
    bias: bool = True  # biases in linear layers and norms (GPT-2 has them; modern models drop them)
    dropout: float = 0.0
    rope_base: float = 10000.0
    norm_eps: float = 1e-5

    def __post_init__(self):
        if self.n_kv_head is None:
            self.n_kv_head = self.n_head
        if self.d_ff is None:
            # SwiGLU has three matrices instead of two: 2/3 of the width keeps the parameter count equal.
            self.d_ff = 4 * self.d_model if self.ffn == "gelu" else _round_up(8 * self.d_model // 3, 8)
        self.validate()

    def validate(self):
        _require_positive(self, "vocab_size", "context_length", "n_layer", "n_head", "n_kv_head", "d_model", "d_ff")
        _require_choice("ffn", self.ffn, FFN_KINDS)
        _require_choice("norm", self.norm, NORM_KINDS)
        _require_choice("positions", self.positions, POSITION_KINDS)
        if self.d_model % self.n_head:
            raise ValueError(
                f"d_model={self.d_model} is not divisible by n_head={self.n_head}: each head gets "
                f"d_model / n_head dimensions, so pick a width that is a multiple of the number of heads"
            )
        if self.n_kv_head > self.n_head or self.n_head % self.n_kv_head:
            raise ValueError(
                f"n_kv_head={self.n_kv_head} must divide n_head={self.n_head}: in grouped-query attention "
                f"each key/value head serves an equal group of query heads (1 = multi-query, n_head = multi-head)"
            )
        if self.positions == "rope" and self.head_dim % 2:
            raise ValueError(f"RoPE rotates pairs of dimensions, so the head size {self.head_dim} must be even")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout={self.dropout} must be in [0, 1)")

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_head

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "GPTConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown GPTConfig fields: {sorted(unknown)}")
        return cls(**d)


def _round_up(x: int, multiple: int) -> int:
    return (x + multiple - 1) // multiple * multiple


def _require_positive(cfg, *names):
    for name in names:
        value = getattr(cfg, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name}={value!r} must be a positive integer")


def _require_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {choices}")
