"""Importing GPT-2 from transformers, checked offline on tiny randomly initialised models (no download)."""

import json
import time

import pytest
import torch

transformers = pytest.importorskip("transformers")

from minigpt import generate, generate_ids  # noqa: E402
from minigpt import gpt2  # noqa: E402


def _randomise(hf_model, seed=0):
    """GPT-2's own init has unit norm gains and zero biases: random ones catch a mixed-up tensor."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in hf_model.parameters():
            p.add_(torch.randn(p.shape, generator=gen) * 0.3)
    return hf_model


@pytest.fixture(scope="module")
def pair():
    hf = _randomise(gpt2.random_gpt2(seed=0))
    return hf, gpt2.import_gpt2(hf)


def _hf_logits(hf, ids):
    with torch.no_grad():
        return hf(ids).logits


def test_config_matches(pair):
    hf, ours = pair
    cfg = ours.config
    assert (cfg.n_layer, cfg.n_head, cfg.d_model, cfg.vocab_size, cfg.context_length, cfg.d_ff) == (2, 2, 32, 100, 64, 128)
    assert cfg.tie_embeddings and cfg.bias and cfg.norm == "layernorm" and cfg.positions == "learned"
    assert ours.num_parameters() == sum(p.numel() for p in hf.parameters())


@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (2, 33), (3, 64)])
def test_logits_match(pair, shape):
    hf, ours = pair
    ids = torch.randint(0, 100, shape, generator=torch.Generator().manual_seed(shape[1]))
    with torch.no_grad():
        mine, _ = ours(ids)
    theirs = _hf_logits(hf, ids)
    assert mine.shape == theirs.shape
    assert torch.allclose(mine, theirs, atol=1e-4, rtol=0), (mine - theirs).abs().max()


@pytest.mark.parametrize("prompt", [[5], [1, 2, 3, 4, 5, 6, 7, 8], list(range(40, 70))])
def test_greedy_generation_matches(pair, prompt):
    hf, ours = pair
    theirs = hf.generate(torch.tensor([prompt]), max_new_tokens=20, do_sample=False, min_new_tokens=20)
    theirs = theirs[0, len(prompt):].tolist()
    assert generate_ids(ours, prompt, 20, temperature=0) == theirs
    assert generate_ids(ours, prompt, 20, temperature=0, use_cache=False) == theirs


def test_hooks_work_on_imported_model(pair):
    """The imported model is an ordinary minigpt GPT: its attention pattern is GPT-2's."""
    hf, ours = pair
    ids = torch.arange(10)[None]
    _, cache = ours.run_with_cache(ids, names=["blocks.1.attn.pattern"])
    hf.config._attn_implementation = "eager"  # the only implementation that returns attention weights
    try:
        with torch.no_grad():
            attentions = hf(ids, output_attentions=True).attentions
    finally:
        hf.config._attn_implementation = "sdpa"
    assert torch.allclose(cache["blocks.1.attn.pattern"], attentions[1], atol=1e-5)


def test_untied_and_custom_width():
    hf = _randomise(gpt2.random_gpt2(seed=1, tie_word_embeddings=False, n_inner=48, n_layer=3, n_head=4,
                                     layer_norm_epsilon=1e-6), seed=1)
    ours = gpt2.import_gpt2(hf)
    assert not ours.config.tie_embeddings and ours.config.d_ff == 48 and ours.config.norm_eps == 1e-6
    ids = torch.randint(0, 100, (2, 20), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.allclose(ours(ids)[0], _hf_logits(hf, ids), atol=1e-4, rtol=0)


def test_state_dict_without_prefix(pair):
    """The files on the Hub name tensors 'h.0.attn...' without 'transformer.'; both spellings import."""
    hf, ours = pair
    sd = {k.removeprefix("transformer."): v for k, v in hf.state_dict().items()}
    again = gpt2.from_hf_state_dict(sd, hf.config)
    for (name, a), b in zip(ours.state_dict().items(), again.state_dict().values()):
        assert torch.equal(a, b), name


def test_unsupported_configs_are_refused():
    with pytest.raises(ValueError, match="tanh"):
        gpt2.import_gpt2(gpt2.random_gpt2(activation_function="gelu"))
    with pytest.raises(ValueError, match="scaling"):
        gpt2.import_gpt2(gpt2.random_gpt2(scale_attn_by_inverse_layer_idx=True))


def _tiny_hf_tokenizer(tmp_path):
    """A byte-level BPE in GPT-2's file format: the 256 bytes plus two merges and <|endoftext|>."""
    alphabet = gpt2._byte_alphabet()
    vocab = {ch: b for ch, b in alphabet.items()}
    space = next(ch for ch, b in alphabet.items() if b == ord(" "))
    vocab[space + "t"] = 256
    vocab[space + "th"] = 257
    vocab["<|endoftext|>"] = 258
    (tmp_path / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (tmp_path / "merges.txt").write_text(f"#version: 0.2\n{space} t\n{space}t h\n", encoding="utf-8")
    return transformers.GPT2TokenizerFast.from_pretrained(str(tmp_path))


def test_tokenizer_adapter(tmp_path):
    tok = gpt2.GPT2TokenizerAdapter(_tiny_hf_tokenizer(tmp_path))
    assert tok.vocab_size == 259 and tok.eos_id == 258
    text = "the thin cat: мир 世界"
    ids = tok.encode(text)
    assert all(isinstance(i, int) for i in ids) and 257 in ids
    assert tok.decode(ids) == text
    assert tok.token_str(257) == " th" and tok.token_str(ord("a")) == "a"
    assert tok.token_str(0xD0) == "<D0>"  # the first byte of a Cyrillic letter alone is not text
    assert tok.token_str(258) == "<|endoftext|>"
    # The adapter plugs into minigpt.generate like the course's own tokenizers.
    model = gpt2.import_gpt2(gpt2.random_gpt2(vocab_size=259))
    out = generate(model, tok, "the", max_new_tokens=5, temperature=0)
    assert isinstance(out, str)


def test_load_gpt2_offline_fails_fast(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t0 = time.perf_counter()
    with pytest.raises(gpt2.WeightsUnavailableError, match="not available"):
        gpt2.load_gpt2("minigpt-test/no-such-model")
    assert time.perf_counter() - t0 < 30


def test_load_gpt2_unreachable_hub(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(gpt2, "_hub_reachable", lambda timeout: False)
    with pytest.raises(gpt2.WeightsUnavailableError, match="not reachable"):
        gpt2.load_gpt2("minigpt-test/no-such-model")


def test_load_gpt2_from_a_local_folder(tmp_path, monkeypatch):
    """load_gpt2 takes what from_pretrained takes: here a folder saved offline, instead of the Hub's 'gpt2'."""
    monkeypatch.setattr(gpt2, "_hub_reachable", lambda timeout: False)
    hf = _randomise(gpt2.random_gpt2(seed=2, vocab_size=259), seed=2)
    hf.save_pretrained(tmp_path)
    _tiny_hf_tokenizer(tmp_path)  # writes vocab.json and merges.txt next to the weights
    model, tok = gpt2.load_gpt2(str(tmp_path))
    ids = torch.tensor([tok.encode("the thin cat")])
    with torch.no_grad():
        assert torch.allclose(model(ids)[0], _hf_logits(hf, ids), atol=1e-4, rtol=0)


def test_block_matrices_keep_gpt2_memory_order(pair):
    """[out, in] parameters whose numbers lie as GPT-2's [in, out] Conv1D matrices (faster CPU decoding)."""
    hf, ours = pair
    c_fc = hf.transformer.h[0].mlp.c_fc.weight  # [in, out]
    up = ours.blocks[0].ffn.up.weight
    assert up.shape == c_fc.shape[::-1] and up.stride() == (1, c_fc.shape[1])
    assert torch.equal(up, c_fc.t())
    for block in ours.blocks:
        for w in (block.attn.W_Q.weight, block.attn.W_V.weight, block.attn.W_O.weight, block.ffn.down.weight):
            assert w.t().is_contiguous()
    assert ours.embed.weight.is_contiguous() and ours.unembed.weight is ours.embed.weight
