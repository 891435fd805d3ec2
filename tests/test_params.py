import pytest
import torch

from minigpt import GPT, GPTConfig
from minigpt.params import (GPT3_175B, KINDS, count_by_kind, count_from_config, format_bytes, kind_of,
                            matrix_counts, weight_bytes)

CONFIGS = {
    "gpt2-like": dict(),
    "swiglu-rmsnorm-rope": dict(ffn="swiglu", norm="rmsnorm", positions="rope", bias=False),
    "gqa": dict(n_head=8, n_kv_head=2),
    "mqa-untied": dict(n_head=4, n_kv_head=1, tie_embeddings=False),
    "swiglu-bias-untied": dict(ffn="swiglu", tie_embeddings=False, d_ff=72),
    "layernorm-no-bias": dict(bias=False, n_layer=3),
}


def _cfg(**kw):
    return GPTConfig(**{**dict(vocab_size=50, context_length=12, n_layer=2, n_head=4, d_model=32), **kw})


@pytest.mark.parametrize("name", CONFIGS)
def test_counts_add_up_and_formula_matches_model(name):
    cfg = _cfg(**CONFIGS[name])
    model = GPT(cfg)
    counts = count_by_kind(model)
    assert list(counts) == list(KINDS)
    assert sum(counts.values()) == sum(p.numel() for p in model.parameters()) == model.num_parameters()
    assert count_from_config(cfg) == counts


@pytest.mark.parametrize("name", CONFIGS)
def test_matrix_counts_cover_the_matrices(name):
    cfg = _cfg(**CONFIGS[name])
    model = GPT(cfg)
    counts = count_by_kind(model)
    for per_head in [(), ("W_Q", "W_K", "W_V"), ("W_Q", "W_K", "W_V", "W_O")]:
        rows = matrix_counts(cfg, per_head)
        for kind, (n, (rows_, cols)) in rows.items():
            assert n * rows_ * cols == counts[kind], (kind, per_head)
    # every 2-D parameter of the real model appears with its own shape when nothing is split into heads
    rows = matrix_counts(cfg)
    for pname, p in model.named_parameters():
        if p.dim() == 2:
            assert tuple(p.shape) == rows[kind_of(pname)][1]


def test_tied_unembedding_adds_nothing():
    tied, untied = count_from_config(_cfg()), count_from_config(_cfg(tie_embeddings=False))
    assert tied["unembedding"] == 0 and untied["unembedding"] == untied["embedding"] == 50 * 32
    assert matrix_counts(_cfg())["unembedding"][0] == 0


def test_kind_of_rejects_unknown_names():
    assert kind_of("blocks.3.ffn.gate.bias") == "biases"
    assert kind_of("norm_final.weight") == "norms"
    with pytest.raises(ValueError):
        kind_of("blocks.0.mystery.weight")
    with pytest.raises(ValueError):
        matrix_counts(_cfg(), per_head=("ffn_up",))


def test_gpt3_figures():
    counts = count_from_config(GPT3_175B)
    total = sum(counts.values())
    assert 174e9 < total < 176e9  # the paper: 175.0B
    d = 12288
    assert counts["embedding"] == 50257 * d == 617_558_016
    assert counts["W_Q"] == 96 * d * d
    assert counts["ffn_up"] == counts["ffn_down"] == 96 * 4 * d * d
    # "8 kinds" (embedding, Q, K, V, O, up, down, unembedding) with a separate unembedding
    untied = count_from_config(GPTConfig(**{**GPT3_175B.to_dict(), "tie_embeddings": False}))
    eight = ("embedding", "W_Q", "W_K", "W_V", "W_O", "ffn_up", "ffn_down", "unembedding")
    assert sum(untied[k] for k in eight) == 175_181_291_520
    per_head_qkv = matrix_counts(GPT3_175B, per_head=("W_Q", "W_K", "W_V"))
    assert sum(n for k, (n, _) in per_head_qkv.items() if k != "positions") + 1 == 27_938  # + the unembedding


def test_heads_do_not_change_the_count_but_kv_heads_do():
    base = sum(count_from_config(_cfg(n_head=4)).values())
    assert sum(count_from_config(_cfg(n_head=8)).values()) == base
    assert sum(count_from_config(_cfg(n_head=8, n_kv_head=2)).values()) < base


def test_weight_bytes_and_format():
    assert weight_bytes(10, "fp32") == 40 and weight_bytes(10, "bf16") == 20
    with pytest.raises(ValueError):
        weight_bytes(10, "fp64")
    assert format_bytes(4_287_488) == "4.29 MB"
    assert format_bytes(349_182_351_360) == "349 GB"
    assert format_bytes(2.5e15) == "2,500 TB"
    assert format_bytes(512) == "512 B"


def test_count_by_kind_on_loaded_weights(tiny_model):
    # tiny_model from conftest: the count does not depend on values, only on shapes
    with torch.no_grad():
        for p in tiny_model.parameters():
            p.zero_()
    assert sum(count_by_kind(tiny_model).values()) == tiny_model.num_parameters()


def test_format_count():
    from minigpt.params import format_count
    assert format_count(174_604_259_328, "ru") == "175 млрд"
    assert format_count(174_604_259_328, "zh") == "1746 亿"
    assert format_count(1_071_872, "ru") == "1.07 млн" and format_count(1_071_872, "zh") == "107 万"
    assert format_count(1.2387e12, "zh") == "1.24 万亿" and format_count(512, "ru") == "512"
    assert format_count(174_604_259_328, "ru", digits=4) == "174.6 млрд"
    assert format_count(175_181_291_520, "zh", digits=4) == "1752 亿"


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_parameter_report(lang):
    from minigpt.params import format_bytes, weight_bytes
    from minigpt import load_pretrained
    from minigpt.widgets import parameter_report, params_preset

    report = parameter_report(**params_preset("gpt3"), lang=lang)
    assert "174,604,259,328" in report
    assert format_bytes(weight_bytes(174_604_259_328, "bf16")) == "349 GB" and "349 GB" in report
    world = parameter_report(**params_preset("world", lang), lang=lang)
    model, _ = load_pretrained(f"world-{lang}")
    assert f"{model.num_parameters():,}" in world  # the shipped reference model
    assert "12 · d_model²" in world
    bad = parameter_report(n_layer=2, d_model=100, n_head=3, vocab_size=10, context_length=8, lang=lang)
    assert "100" in bad and "3" in bad and "fp32" not in bad


def test_parameter_counter_widget_recounts():
    pytest.importorskip("ipywidgets")
    from minigpt import load_pretrained
    from minigpt.widgets import parameter_counter

    box = parameter_counter("ru", preset="world")
    menu, n_layer, *_, out = box.children
    assert f"{load_pretrained('world-ru')[0].num_parameters():,}" in out.value
    n_layer.value = 8
    assert "1,071,872" not in out.value
    menu.value = "gpt3"
    assert "174,604,259,328" in out.value and n_layer.value == 96
