import pytest
import torch

from minigpt import load_pretrained
from minigpt.tracing import (POSITION_GROUPS, add_noise_hook, answer_prob, grouped, noise_scale, position_groups,
                             restore_hook, subject_positions, token_span, trace, trace_prompts)
from minigpt.world import build_corpus


@pytest.fixture(scope="module")
def world_ru():
    model, tokenizer = load_pretrained("world-ru")
    return model, tokenizer, build_corpus("ru", n_documents=50)


def _corrupted(model, ids, subject, seed=0):
    noise = torch.randn(len(subject), model.config.d_model, generator=torch.Generator().manual_seed(seed))
    return {"embed": add_noise_hook(subject, noise * noise_scale(model))}


def test_restoring_the_clean_state_restores_the_clean_output_exactly(tiny_model):
    ids = torch.tensor([[3, 1, 4, 1, 5, 9]])
    subject = [1, 2]
    names = ["blocks.0.resid_pre", "blocks.1.resid_post", "blocks.1.resid_mid"]
    # cache only these: caching attn.pattern would switch attention to its explicit (not fused) kernel
    clean_logits, clean = tiny_model.run_with_cache(ids, names=names)
    assert torch.equal(clean_logits, tiny_model(ids)[0])
    corrupt = _corrupted(tiny_model, ids, subject)
    bad_logits, _ = tiny_model(ids, hooks=corrupt)
    assert not torch.allclose(bad_logits, clean_logits)
    T = ids.shape[1]
    for name in names:
        hooks = {**corrupt, name: restore_hook([0] * T, list(range(T)), clean[name])}
        logits, _ = tiny_model(ids, hooks=hooks)
        assert torch.equal(logits, clean_logits), name
    # restoring only the subject's positions right after the embedding is also enough
    hooks = {**corrupt, "blocks.0.resid_pre": restore_hook([0, 0], subject, clean["blocks.0.resid_pre"])}
    assert torch.equal(tiny_model(ids, hooks=hooks)[0], clean_logits)


def test_trace_edges(tiny_model):
    ids = [3, 1, 4, 1, 5, 9]
    subject = [2, 3]
    t = trace(tiny_model, ids, subject, answer_id=7, samples=3)
    assert t.restored.shape == (2, 6)
    # the last layer's output at the last position is all the answer depends on
    assert t.restored[-1, -1].item() == pytest.approx(t.p_clean, abs=1e-6)
    # positions before the subject never see the noise (causal attention): restoring them does nothing
    assert torch.allclose(t.restored[:, :2], torch.full((2, 2), t.p_corrupt), atol=1e-6)
    # the same seed gives the same trace
    assert torch.equal(trace(tiny_model, ids, subject, 7, samples=3).restored, t.restored)
    ffn = trace(tiny_model, ids, subject, 7, point="ffn_out", samples=3)
    assert ffn.restored.shape == (2, 6) and ffn.point == "ffn_out"


def test_trace_matches_a_single_restored_run(tiny_model):
    ids, subject, answer = [3, 1, 4, 1, 5, 9], [1], 7
    t = trace(tiny_model, ids, subject, answer, samples=1, seed=5)
    g = torch.Generator().manual_seed(5)
    noise = torch.randn(1, 1, tiny_model.config.d_model, generator=g) * noise_scale(tiny_model)
    x = torch.tensor([ids])
    _, clean = tiny_model.run_with_cache(x)
    name = "blocks.0.resid_post"
    hooks = {"embed": add_noise_hook(subject, noise), name: restore_hook([0], [4], clean[name])}
    p = answer_prob(tiny_model(x, hooks=hooks)[0], answer).item()
    assert t.restored[0, 4].item() == pytest.approx(p, abs=1e-6)


def test_position_groups_and_grouping():
    g = position_groups([2, 3], 7)
    assert g == {"before": [0, 1], "subject_first": [2], "subject_last": [3], "after": [4, 5], "last": [6]}
    assert position_groups([5], 6)["after"] == []
    values = torch.arange(14, dtype=torch.float).view(2, 7)
    out = grouped(values, [2, 3])
    assert out.shape == (2, len(POSITION_GROUPS))
    assert out[0].tolist() == [0.5, 2.0, 3.0, 4.5, 6.0]
    assert torch.isnan(grouped(values, [5])[0, POSITION_GROUPS.index("after")])


def test_subject_positions_find_inflected_forms(world_ru):
    model, tokenizer, corpus = world_ru
    text = "Если поехать во Францию, можно увидеть её столицу,"
    pos = subject_positions(tokenizer, text, corpus.lexicon, "Франция")
    assert tokenizer.decode([tokenizer.encode(text)[i] for i in pos]).strip() == "Францию"
    assert token_span(tokenizer, "Столица Франции —", "Франции") == [1]
    with pytest.raises(ValueError):
        subject_positions(tokenizer, "Столица Германии —", corpus.lexicon, "Франция")


def test_trace_on_the_shipped_model(world_ru):
    model, tokenizer, corpus = world_ru
    prompts = [p for p in corpus.prompts("train") if p.relation == "capital"][:3]
    s = trace_prompts(model, tokenizer, prompts, corpus.lexicon, samples=2)
    assert s.n_prompts == 3 and s.restored.shape == (model.config.n_layer, len(POSITION_GROUPS))
    assert s.p_clean > 0.9 > s.p_corrupt  # it knows the facts, and noise on the subject breaks them
    last = POSITION_GROUPS.index("last")
    assert s.restored[-1, last].item() == pytest.approx(s.p_clean, abs=1e-5)
    assert s.recovered[-1, last].item() == pytest.approx(1.0, abs=1e-5)  # the output itself: all of it back
    assert s.recovered[:, POSITION_GROUPS.index("before")].abs().max().item() < 1e-5  # never saw the noise
