import pytest
import torch

from minigpt import load_pretrained
from minigpt.editing import (FactEdit, NextTokens, answer_token, edit_direction, edit_fact, edit_scores,
                             edit_world_fact, fact_answer_ids, ffn_keys, key_covariance, next_tokens, run_from)
from minigpt.world import build_corpus


@pytest.fixture(scope="module")
def world_ru():
    model, tokenizer = load_pretrained("world-ru")
    return model, tokenizer, build_corpus("ru", n_documents=1500)


def _state(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_edit_changes_one_matrix_and_undo_restores_it_exactly(tiny_model):
    torch.manual_seed(0)
    ids = torch.randint(0, 32, (8, 16))
    C = key_covariance(tiny_model, ids, layer=1)
    assert C.shape == (128, 128)
    prompts = [[1, 2, 3, 4], [5, 2, 3, 4, 6]]
    old = _state(tiny_model)
    edit = edit_fact(tiny_model, prompts, new_answer_id=7, layer=1, C=C, steps=20)
    new = _state(tiny_model)
    changed = [k for k in old if not torch.equal(old[k], new[k])]
    assert changed == ["blocks.1.ffn.down.weight"]  # every other weight, every other layer: untouched
    assert torch.linalg.matrix_rank(new[changed[0]] - old[changed[0]]).item() == 1
    assert all(not p.requires_grad or p.grad is None for p in tiny_model.parameters())
    edit.undo(tiny_model)
    assert all(torch.equal(old[k], v) for k, v in tiny_model.state_dict().items())
    with pytest.raises(RuntimeError):
        edit.undo(tiny_model)


def test_the_key_gets_the_whole_delta(tiny_model):
    torch.manual_seed(1)
    C = key_covariance(tiny_model, torch.randint(0, 32, (4, 16)), layer=0)
    key = ffn_keys(tiny_model, [[1, 2, 3]], layer=0)[0]
    u = edit_direction(key, C)
    assert (u @ key).item() == pytest.approx(1.0, abs=1e-4)
    delta = torch.randn(32)
    edit = FactEdit(0, delta, u).apply(tiny_model)
    after = ffn_keys(tiny_model, [[1, 2, 3]], layer=0)  # hidden vectors do not change: only `down` did
    torch.testing.assert_close(after[0], key)
    _, cache = tiny_model.run_with_cache(torch.tensor([[1, 2, 3]]), names=["blocks.0.ffn_out"])
    edit.undo(tiny_model)
    _, cache0 = tiny_model.run_with_cache(torch.tensor([[1, 2, 3]]), names=["blocks.0.ffn_out"])
    torch.testing.assert_close(cache["blocks.0.ffn_out"][0, -1] - cache0["blocks.0.ffn_out"][0, -1], delta,
                               atol=1e-4, rtol=1e-4)


def test_edit_makes_the_model_say_the_new_answer(tiny_model):
    prompts = [[1, 2, 3, 4], [5, 2, 3, 4], [6, 2, 3, 4]]
    C = key_covariance(tiny_model, torch.randint(0, 32, (4, 16), generator=torch.Generator().manual_seed(0)), 1)
    edit = edit_fact(tiny_model, prompts, new_answer_id=7, layer=1, C=C, weight_decay=0.0)
    assert next_tokens(tiny_model, prompts).tolist() == [7, 7, 7]
    edit.undo(tiny_model)


def test_run_from_and_next_tokens_match_the_full_model(tiny_model):
    prompts = [[1, 2, 3], [4, 5, 6, 7], [8, 9, 10], [3]]
    full = torch.stack([tiny_model(torch.tensor([p]))[0][0, -1].argmax() for p in prompts])
    for layer in (0, 1):
        assert torch.equal(NextTokens(tiny_model, prompts, layer)(tiny_model), full)
    x = torch.tensor([prompts[1]])
    _, cache = tiny_model.run_with_cache(x, names=["blocks.1.resid_pre", "final_norm"])
    torch.testing.assert_close(run_from(tiny_model, 1, cache["blocks.1.resid_pre"]), cache["final_norm"])
    # after an edit of layer 1, the cached evaluator still agrees with a whole forward pass
    ev = NextTokens(tiny_model, prompts, 1)
    edit = FactEdit(1, torch.randn(32) * 5, torch.randn(128) / 10).apply(tiny_model)
    assert torch.equal(ev(tiny_model), next_tokens(tiny_model, prompts))
    edit.undo(tiny_model)


def test_edit_scores():
    from minigpt.world import Prompt

    P = lambda s, r: Prompt("t", " a", r, s, "id")
    prompts = [P("A", "capital"), P("A", "capital"), P("A", "food"), P("B", "capital"), P("B", "food")]
    before = [1, 1, 2, 3, 4]
    after = [9, 1, 2, 3, 5]
    s = edit_scores(prompts, before, after, "A", "capital", 9, known=[True, True, True, True, True])
    assert s["success"] == 0.5 and s["own"] == 1.0 and s["others"] == 0.5
    s = edit_scores(prompts, before, after, "A", "capital", 9, known=[True, False, True, True, True])
    assert s["success"] == 1.0 and s["n_fact"] == 1
    # one target per prompt (the new answer in each phrasing's case): the second phrasing now needs 1
    s = edit_scores(prompts, before, after, "A", "capital", [9, 1, -1, -1, -1], known=[True] * 5)
    assert s["success"] == 1.0


def test_world_edit_on_the_shipped_model(world_ru):
    model, tokenizer, corpus = world_ru
    C = key_covariance(model, torch.tensor(tokenizer.encode(corpus.text)[:8 * 128]).view(8, 128), 3)
    prompts = [p for p in corpus.prompts("train") if p.subject == "Франция" and p.relation == "capital"]
    ids = [tokenizer.encode(p.text) for p in prompts]
    rome = answer_token(tokenizer, "ru", "Рим")
    assert tokenizer.token_str(rome) == " Рим"
    targets = torch.tensor(fact_answer_ids(tokenizer, corpus, prompts, "Франция", "capital", "Рим"))
    assert {tokenizer.token_str(int(t)) for t in targets} == {" Рим", " Риме"}  # «находится в» needs " Риме"
    old = _state(model)
    edit = edit_world_fact(model, tokenizer, corpus, "Франция", "Рим", 3, C)
    hits = (next_tokens(model, ids) == targets).float().mean().item()
    edit.undo(model)
    assert hits >= 0.8
    assert all(torch.equal(old[k], v) for k, v in model.state_dict().items())
    with pytest.raises(ValueError):
        edit_world_fact(model, tokenizer, corpus, "Франция", "Рим", 3, C, where="middle")


def test_fact_edit_widget_logic(world_ru, widget_repr):
    from minigpt.widgets import FACT_EDIT_TEXT, fact_edit_explorer, fact_edit_view

    model, tokenizer, corpus = world_ru
    C = key_covariance(model, torch.tensor(tokenizer.encode(corpus.text)[:8 * 128]).view(8, 128), 3)
    old = _state(model)
    text = fact_edit_view(model, tokenizer, corpus, "Франция", "Рим", C, 3, lang="zh", n_others=2)
    assert all(torch.equal(old[k], v) for k, v in model.state_dict().items())  # the edit was undone
    lines = text.splitlines()
    assert "Франция" in lines[0] and "Рим" in lines[0]
    assert "Франции" in lines[3] and "' Рим.'" in text and text.count("столица —") + text.count("Столица") >= 3
    assert FACT_EDIT_TEXT["zh"]["others"] in text and "Столица Италии —" not in text  # n_others=2
    assert set(FACT_EDIT_TEXT["zh"]) == set(FACT_EDIT_TEXT["ru"])
    widgets = pytest.importorskip("ipywidgets")
    box = fact_edit_explorer(model, tokenizer, corpus, C, 3, lang="zh")
    (country, capital, button), out = box.children[0].children, box.children[1]
    assert isinstance(out, widgets.HTML)  # the edit for the menus' initial values, shown at once
    assert out.value.startswith("<pre") and f"「{country.value}」的首都 → 「{capital.value}」" in out.value
    first = out.value
    capital.value = "Рим"
    assert out.value == first  # the menus only choose; the button edits
    button.click()
    assert out.value != first and "「Франция」的首都 → 「Рим」" in out.value
    assert "&#x27; Рим.&#x27;" in out.value  # the model's answers, HTML-escaped
    assert all(torch.equal(old[k], v) for k, v in model.state_dict().items())  # every edit was undone
    widget_repr(box)
