import pytest
import torch

from minigpt import load_pretrained
from minigpt.lens import (answer_probs_by_layer, contribution_norms, decode, first_layer_on_top, fit_translators,
                          layer_names, lens_table, logit_lens, residual_states, states_at, top_tokens, translate)
from minigpt.widgets import lens_view
from minigpt.world import Prompt


@pytest.fixture(scope="module")
def world_ru():
    return load_pretrained("world-ru")


def test_residual_states_match_cache_and_lens_ends_at_the_output(tiny_model):
    ids = [1, 5, 7, 2, 9]
    states = residual_states(tiny_model, ids)
    assert states.shape == (3, 5, 32)  # embedding + 2 blocks
    logits, cache = tiny_model.run_with_cache(torch.tensor([ids]))
    torch.testing.assert_close(states[0], cache["embed"][0])
    torch.testing.assert_close(states[-1], cache["blocks.1.resid_post"][0])
    # decoding the last layer is exactly what the model outputs
    torch.testing.assert_close(logit_lens(tiny_model, ids)[-1], logits[0], atol=1e-5, rtol=1e-5)
    assert layer_names(tiny_model) == ["embed", "blocks.0.resid_post", "blocks.1.resid_post"]


def test_states_at_batches_with_right_padding(tiny_model):
    seqs = [[1, 2, 3], [4, 5, 6, 7, 8, 9], [10]]
    X = states_at(tiny_model, seqs, batch_size=2)
    assert X.shape == (3, 3, 32)
    for n, s in enumerate(seqs):
        torch.testing.assert_close(X[n], residual_states(tiny_model, s)[:, -1], atol=1e-5, rtol=1e-5)
    Y = states_at(tiny_model, seqs, positions=[0, 2, 0])
    torch.testing.assert_close(Y[1], residual_states(tiny_model, seqs[1])[:, 2], atol=1e-5, rtol=1e-5)


def test_contribution_norms_ignore_padding(tiny_model):
    seqs = [[1, 2, 3], [4, 5, 6, 7, 8]]
    norms = contribution_norms(tiny_model, seqs)
    assert len(norms["attn"]) == len(norms["ffn"]) == 2 and len(norms["resid"]) == 3
    names = ["embed", "blocks.0.attn_out", "blocks.1.resid_post"]
    by_hand = {n: 0.0 for n in names}
    for s in seqs:
        _, cache = tiny_model.run_with_cache(torch.tensor([s]), names=names)
        for n in names:
            by_hand[n] += cache[n][0].norm(dim=-1).sum().item()
    total = sum(len(s) for s in seqs)
    assert norms["embed"] == pytest.approx(by_hand["embed"] / total, rel=1e-4)
    assert norms["attn"][0] == pytest.approx(by_hand["blocks.0.attn_out"] / total, rel=1e-4)
    assert norms["resid"][2] == pytest.approx(by_hand["blocks.1.resid_post"] / total, rel=1e-4)


def test_answer_probs_by_layer(char_model, char_tok):
    prompts = [Prompt("the cat sl", "e", "r", "cat", "t1"), Prompt("the st", "o", "r", "stone", "t2")]
    probs = answer_probs_by_layer(char_model, char_tok, prompts)
    assert probs.shape == (2, 3)
    with torch.no_grad():
        logits, _ = char_model(torch.tensor([char_tok.encode("the cat sl")]))
    want = torch.softmax(logits[0, -1], -1)[char_tok.encode("e")[0]]
    assert probs[0, -1].item() == pytest.approx(want.item(), rel=1e-4)


def test_first_layer_on_top():
    def rows(tops, V=6):
        return torch.nn.functional.one_hot(torch.tensor(tops), V).float()
    assert first_layer_on_top(rows([5, 3, 3, 3]), 3) == 1
    assert first_layer_on_top(rows([3, 5, 3, 3]), 3) == 2  # on top early, lost, then back: counts from the return
    assert first_layer_on_top(rows([3, 3, 3]), 3) == 0
    assert first_layer_on_top(rows([3, 3, 5]), 3) is None  # not on top at the output
    assert first_layer_on_top(rows([5, 5]), 3) is None


def test_translators_are_identity_at_the_last_layer(tiny_model):
    torch.manual_seed(0)
    windows = torch.randint(0, 32, (40, 16)).tolist()
    maps = fit_translators(tiny_model, windows)
    assert len(maps) == 3 and maps[0].shape == (33, 32)
    S = states_at(tiny_model, windows[:5])
    out = translate(S, maps)
    assert out.shape == S.shape
    torch.testing.assert_close(out[:, -1], S[:, -1], atol=1e-3, rtol=1e-3)
    # a fitted map brings a middle layer closer to the last one than the layer itself is
    assert (out[:, 1] - S[:, -1]).norm() < (S[:, 1] - S[:, -1]).norm()


def test_lens_table_and_widget_text(char_model, char_tok):
    table = lens_table(char_model, char_tok, "the cat")
    lines = table.splitlines()
    assert len(lines) == 2 + 3  # header, rule, one row per layer
    assert "␣" in lines[0]  # the space of "the cat" is shown
    tokens, top, probs = top_tokens(char_model, char_tok, "the cat")
    assert len(tokens) == 7 and len(top) == 3 and probs.shape == (3, 7)
    assert lens_view(char_model, char_tok, "", "ru").startswith("Введите")
    text = lens_view(char_model, char_tok, "the cat", "zh")
    assert "2 是模型的输出" in text and table in text


def test_lens_explorer_redraws(char_model, char_tok, widget_repr):
    import html

    widgets = pytest.importorskip("ipywidgets")
    from minigpt.widgets import lens_explorer

    box = lens_explorer(char_model, char_tok, ["the cat", "a dog"], lang="zh")
    text, out = box.children
    assert isinstance(out, widgets.HTML) and html.escape(lens_view(char_model, char_tok, "the cat", "zh")) in out.value
    text.value = "a dog"
    assert html.escape(lens_view(char_model, char_tok, "a dog", "zh")) in out.value
    text.value = ""
    assert "请输入文本" in out.value
    widget_repr(box)


def test_logit_lens_on_the_shipped_model(world_ru):
    model, tok = world_ru
    ids = tok.encode("Столица Франции —")
    probs = torch.softmax(logit_lens(model, ids)[:, -1], -1)
    assert tok.token_str(int(probs[-1].argmax())) == " Париж"
    # tied embeddings: layer 0 decodes to the input token itself
    assert int(probs[0].argmax()) == ids[-1]
    assert first_layer_on_top(probs, tok.encode(" Париж")[0]) is not None
    assert decode(model, residual_states(model, ids)).shape == (5, len(ids), tok.vocab_size)
