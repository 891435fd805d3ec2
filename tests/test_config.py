import pytest

from minigpt import GPTConfig


def test_defaults_fill_derived_fields():
    cfg = GPTConfig(d_model=64, n_head=4)
    assert cfg.n_kv_head == 4 and cfg.d_ff == 256 and cfg.head_dim == 16
    swiglu = GPTConfig(d_model=96, n_head=4, ffn="swiglu")
    assert swiglu.d_ff % 8 == 0 and 3 * swiglu.d_ff * 96 == pytest.approx(2 * 4 * 96 * 96, rel=0.05)


@pytest.mark.parametrize("kwargs, message", [
    (dict(d_model=100, n_head=3), "not divisible by n_head"),
    (dict(n_head=4, n_kv_head=3), "must divide n_head"),
    (dict(n_head=4, n_kv_head=8), "must divide n_head"),
    (dict(ffn="relu"), "ffn="),
    (dict(norm="batchnorm"), "norm="),
    (dict(positions="alibi"), "positions="),
    (dict(n_layer=0), "n_layer=0"),
    (dict(vocab_size=-5), "vocab_size=-5"),
    (dict(dropout=1.5), "dropout"),
    (dict(d_model=12, n_head=4, positions="rope"), "even"),
])
def test_impossible_configs_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GPTConfig(**kwargs)


def test_round_trip_dict():
    cfg = GPTConfig(ffn="swiglu", norm="rmsnorm", positions="rope", n_kv_head=1)
    assert GPTConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="unknown GPTConfig fields"):
        GPTConfig.from_dict({**cfg.to_dict(), "n_experts": 4})
