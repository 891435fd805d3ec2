import math

import pytest
import torch

from minigpt.generate import next_token_probs
from minigpt.sampling import entropy, last_logits, sampling_distribution, top_tokens

LOGITS = torch.tensor([3.0, 2.0, 1.0, 0.0, -1.0, -2.0])


def test_entropy_extremes():
    assert entropy(torch.tensor([1.0, 0.0, 0.0])) == 0.0  # one certain token: no uncertainty (and not -0.0)
    assert str(entropy(torch.tensor([1.0, 0.0]))) == "0.0"
    assert entropy(torch.full((8,), 1 / 8)) == pytest.approx(math.log(8))  # uniform: ln V
    assert entropy([0.5, 0.5]) == pytest.approx(math.log(2))


def test_view_reuses_next_token_probs():
    for t, k, p in [(1.0, None, None), (0.5, 3, None), (1.5, None, 0.8), (0, None, None), (2.0, 2, 0.5)]:
        view = sampling_distribution(LOGITS, t, k, p)
        assert torch.equal(view.probs, next_token_probs(LOGITS, t, k, p))
        assert view.kept == int((view.probs > 0).sum())
        assert view.entropy == pytest.approx(entropy(view.probs))
        assert view.choices == pytest.approx(math.exp(view.entropy))


def test_temperature_flattens_and_sharpens():
    h = [sampling_distribution(LOGITS, t).entropy for t in (0, 0.5, 1, 1.5, 2)]
    assert h[0] == 0.0 and all(a < b for a, b in zip(h, h[1:]))
    assert sampling_distribution(LOGITS, 0).kept == 1


def test_cuts_report_what_they_remove():
    full = torch.softmax(LOGITS, -1)
    view = sampling_distribution(LOGITS, 1.0, top_k=2)
    assert view.kept == 2 and view.cut_mass == pytest.approx(float(full[2:].sum()))
    view = sampling_distribution(LOGITS, 1.0, top_p=0.9)  # 0.63 + 0.23 < 0.9, so the third token is kept too
    assert view.kept == 3 and view.cut_mass == pytest.approx(float(full[3:].sum()))
    assert view.cut_mass < 0.1
    assert sampling_distribution(LOGITS, 1.0).cut_mass == 0.0
    # the mass is measured after temperature: a hotter softmax leaves more in the tail
    assert sampling_distribution(LOGITS, 2.0, top_k=2).cut_mass > sampling_distribution(LOGITS, 1.0, top_k=2).cut_mass


def test_errors():
    with pytest.raises(ValueError, match="negative"):
        sampling_distribution(LOGITS, -1.0)
    with pytest.raises(ValueError, match="top_k"):
        sampling_distribution(LOGITS, 1.0, top_k=0)
    with pytest.raises(ValueError, match="top_p"):
        sampling_distribution(LOGITS, 1.0, top_p=1.5)
    with pytest.raises(ValueError, match="one row"):
        sampling_distribution(LOGITS[None], 1.0)


def test_last_logits_and_top_tokens(char_model, char_tok):
    logits = last_logits(char_model, char_tok, "the ca")
    with torch.no_grad():
        full, _ = char_model(torch.tensor([char_tok.encode("the ca")]))
    assert torch.allclose(logits, full[0, -1], atol=1e-5)
    top = top_tokens(torch.softmax(logits, -1), char_tok, n=3)
    assert len(top) == 3 and top[0][1] >= top[1][1] >= top[2][1]
    assert top[0][0] == char_tok.token_str(int(logits.argmax()))


def test_sampling_widget_state(char_model, char_tok):
    from minigpt.widgets import sampling_state

    s = sampling_state(char_model, char_tok, "the ca", temperature=1.0, top_k=0, top_p=1.0, n_show=5,
                       max_new_tokens=3)
    assert len(s["tokens"]) == 5 and s["kept"] == char_tok.vocab_size and s["cut_mass"] == 0.0
    assert s["probs"] == sorted(s["probs"], reverse=True)
    cut = sampling_state(char_model, char_tok, "the ca", temperature=1.0, top_k=2, n_show=5, max_new_tokens=3)
    assert cut["kept"] == 2 and cut["tokens"] == s["tokens"]  # same bars, the cut ones are empty
    assert cut["probs"][2:] == [0.0, 0.0, 0.0] and sum(cut["probs"]) == pytest.approx(1.0)
    greedy = sampling_state(char_model, char_tok, "the ca", temperature=0, n_show=5, max_new_tokens=3)
    assert greedy["kept"] == 1 and greedy["entropy"] == 0.0 and greedy["probs"][0] == 1.0
    again = sampling_state(char_model, char_tok, "the ca", temperature=0, seed=7, n_show=5, max_new_tokens=3)
    assert again["text"] == greedy["text"]  # greedy decoding ignores the seed
    a = sampling_state(char_model, char_tok, "the ca", temperature=1.5, seed=3, max_new_tokens=3)
    b = sampling_state(char_model, char_tok, "the ca", temperature=1.5, seed=3, max_new_tokens=3)
    assert a["text"] == b["text"]


def test_sampling_widget_redraws(char_model, char_tok, widget_repr):
    widgets = pytest.importorskip("ipywidgets")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from minigpt.widgets import sampling_explorer

    box = sampling_explorer(char_model, char_tok, "the ca", lang="zh", max_new_tokens=4)
    t, k, p, seed, figure, continuation = box.children
    assert isinstance(figure, widgets.Image) and bytes(figure.value).startswith(b"\x89PNG")  # drawn at once
    assert isinstance(continuation, widgets.HTML)
    assert "续写：" in continuation.value and "the ca" in continuation.value
    assert plt.get_fignums() == []  # the figure went into the Image, and was closed
    shown = [(figure.value, continuation.value)]
    t.value = 1.5  # each control redraws both
    seed.value = 5
    k.value = 3
    t.value = 0.0  # and must not fail at T = 0
    p.value = 0.5
    shown += [(figure.value, continuation.value)]
    assert shown[0][0] != shown[1][0] and shown[0][1] != shown[1][1]
    assert plt.get_fignums() == []
    # the same settings give the same picture and text, so the stored notebook output is reproducible
    again = sampling_explorer(char_model, char_tok, "the ca", lang="zh", max_new_tokens=4)
    assert widget_repr(again) == widget_repr(sampling_explorer(char_model, char_tok, "the ca", lang="zh",
                                                                max_new_tokens=4))
