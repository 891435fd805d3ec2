import pytest
import torch

from minigpt import GPT, GPTConfig, load_pretrained
from minigpt.embeddings import (analogy, analogy_accuracy, associative_sentences, cooccurrence_vectors, cosine,
                                count_phrase, drop_sentences, layer_vectors, mean_direction, nearest,
                                pair_cooccurrences, pca_2d, single_tokens, vocab_vectors, word_tokens)
from minigpt.widgets import analogy_view
from minigpt.world import build_corpus


@pytest.fixture(scope="module")
def shipped():
    return {lang: load_pretrained(f"world-{lang}") for lang in ("ru", "zh")}


@pytest.fixture(scope="module")
def lexicons():
    return {lang: build_corpus(lang, n_documents=5).lexicon for lang in ("ru", "zh")}


def parallelogram(n_pairs=6, d=16, seed=0):
    """Pairs (x_i, y_i = x_i + shift) plus distractors: a - b + c lands exactly on d."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n_pairs, d, generator=g)
    shift = 3 * torch.randn(d, generator=g)
    distractors = torch.randn(10, d, generator=g)
    vectors = torch.cat([x, x + shift, distractors])
    pairs = [(i, i + n_pairs) for i in range(n_pairs)]
    return vectors, pairs


def test_cosine():
    a = torch.tensor([1.0, 0.0])
    assert cosine(a, torch.tensor([2.0, 0.0])).item() == pytest.approx(1.0)
    assert cosine(a, torch.tensor([0.0, 3.0])).item() == pytest.approx(0.0)
    assert cosine(a, torch.tensor([-1.0, 0.0])).item() == pytest.approx(-1.0)
    assert cosine(torch.eye(2), a).tolist() == pytest.approx([1.0, 0.0])  # broadcasts over rows


def test_nearest_orders_excludes_and_restricts():
    vectors = torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.7, 0.7]])
    found = nearest(vectors, vectors[0], k=3)
    assert [i for i, _ in found] == [0, 1, 3]
    assert found[0][1] == pytest.approx(1.0)
    assert [i for i, _ in nearest(vectors, vectors[0], k=2, exclude=[0])] == [1, 3]
    assert [i for i, _ in nearest(vectors, vectors[0], k=5, candidates=[2, 3])] == [3, 2]


def test_analogy_and_accuracy_on_a_parallelogram():
    vectors, pairs = parallelogram()
    (b, c), (a, d) = pairs[0], pairs[1]
    assert analogy(vectors, a, b, c, k=1)[0][0] == d
    acc = analogy_accuracy(vectors, pairs)
    assert acc["n"] == 6 * 5
    assert acc["offset"] == 1.0
    assert acc["random"] < 0.5 and acc["third"] < 0.5
    targets = [y for _, y in pairs]
    assert analogy_accuracy(vectors, pairs, candidates=targets)["offset"] == 1.0


def test_accuracy_baselines_catch_a_trivial_relation():
    # every y sits right next to its x: the nearest neighbour of the first word already answers
    g = torch.Generator().manual_seed(1)
    x = 5 * torch.randn(8, 12, generator=g)
    vectors = torch.cat([x, x + 0.01 * torch.randn(8, 12, generator=g)])
    pairs = [(i, i + 8) for i in range(8)]
    acc = analogy_accuracy(vectors, pairs)
    assert acc["first"] == 1.0 and acc["offset"] == 1.0
    assert acc == analogy_accuracy(vectors, pairs)  # the random baseline is seeded


def test_mean_direction_and_pca():
    vectors, pairs = parallelogram()
    direction = mean_direction(vectors, pairs)
    shift = vectors[pairs[0][1]] - vectors[pairs[0][0]]
    assert direction.norm().item() == pytest.approx(1.0)
    assert cosine(direction, shift).item() == pytest.approx(1.0, abs=1e-5)
    flat = torch.tensor([[0.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [2.0, 1.0, 0.0]])
    coords, kept = pca_2d(flat)
    assert coords.shape == (4, 2) and kept == pytest.approx(1.0)
    assert torch.cdist(coords, coords) == pytest.approx(torch.cdist(flat, flat), abs=1e-5)  # a rotation


def test_layer_vectors_match_the_cache():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=30, context_length=16, n_layer=2, n_head=2, d_model=16)).eval()
    words = [[3], [4, 5, 6], [7, 8]]
    out = layer_vectors(model, words, [1, 2], prefix=[1, 2])
    for k, word in enumerate(words):
        _, cache = model.run_with_cache(torch.tensor([[1, 2] + word]))
        assert torch.allclose(out[1][k], cache["blocks.0.resid_post"][0, -1], atol=1e-5)
        assert torch.allclose(out[2][k], cache["blocks.1.resid_post"][0, -1], atol=1e-5)
    assert torch.equal(layer_vectors(model, [[3], [9]], 0), model.embed.weight[[3, 9]].detach())
    assert vocab_vectors(model, 2).shape == (30, 16)
    with pytest.raises(ValueError, match="single tokens"):
        layer_vectors(model, words, 0)
    with pytest.raises(ValueError, match="0..2"):
        layer_vectors(model, words, 3)


def test_cooccurrence_vectors_group_tokens_that_share_contexts():
    # tokens 1 and 2 both appear between 5 and 6; token 3 appears between 7 and 8
    stream = [5, 1, 6, 7, 3, 8, 5, 2, 6, 7, 3, 8] * 30
    vectors = cooccurrence_vectors(stream, vocab_size=10, window=1, dim=4)
    assert vectors.shape == (10, 4)
    assert cosine(vectors[1], vectors[2]) > cosine(vectors[1], vectors[3])
    assert vectors[0].abs().sum() == 0  # a token absent from the text keeps a zero vector
    assert torch.equal(vectors, cooccurrence_vectors(stream, vocab_size=10, window=1, dim=4))
    # a larger vocabulary takes the subspace-iteration path; the same grouping must come out
    g = torch.Generator().manual_seed(0)
    contexts = torch.randint(20, 60, (3000,), generator=g).tolist()
    stream = [t for k, c in enumerate(contexts) for t in (c, 10 + k % 2, c + 40)]  # 10 and 11 share contexts
    big = cooccurrence_vectors(stream + [12, 12, 13, 13] * 50, vocab_size=120, window=1, dim=8)
    assert cosine(big[10], big[11]) > 0.8 > 0.1 > cosine(big[10], big[12])
    assert pair_cooccurrences([1, 2, 0, 0, 0, 2, 1], [(1, 2)], window=1) == 2
    assert pair_cooccurrences([1, 0, 2], [(1, 2)], window=1) == 0
    assert pair_cooccurrences([1, 0, 2], [(1, 2)], window=2) == 1


@pytest.mark.parametrize("lang, sentence", [("ru", "Париж и Франция."), ("zh", "巴黎和法国。")])
def test_associative_sentences_are_dropped(lang, sentence):
    assoc = associative_sentences(lang)
    assert sentence in assoc and len(assoc) > 500
    fact = "Столица Франции — Париж." if lang == "ru" else "法国的首都是巴黎。"
    join = " " if lang == "ru" else ""
    text = join.join([fact, sentence, fact]) + "\n\n" + sentence
    assert drop_sentences(text, assoc, lang) == join.join([fact, fact])
    corpus = build_corpus(lang, n_documents=300)
    dropped = drop_sentences(corpus.text, assoc, lang)
    assert sentence not in dropped and 0.8 * len(corpus.text) < len(dropped) < len(corpus.text)


def test_words_and_phrases(shipped, lexicons):
    _, tok_ru = shipped["ru"]
    _, tok_zh = shipped["zh"]
    assert word_tokens(tok_ru, "Париж", "ru") == tok_ru.encode(" Париж")
    assert word_tokens(tok_zh, "巴黎", "zh") == tok_zh.encode("巴黎")
    ru = single_tokens(tok_ru, ["Париж", "Южная Корея"], "ru")
    assert list(ru) == ["Париж"] and tok_ru.token_str(ru["Париж"]) == " Париж"
    assert [count_phrase(lexicons["ru"], "cat", n) for n in (1, 2, 5)] == ["одна кошка", "две кошки", "пять кошек"]
    assert count_phrase(lexicons["zh"], "cat", 2) == "两只猫"


@pytest.mark.parametrize("lang, words, answer, broken", [
    ("ru", ("король", "мужчина", "женщина"), "королева", "короли"),
    ("zh", ("国王", "男人", "女人"), "王后", "男人们"),
])
def test_analogy_view(shipped, lang, words, answer, broken):
    model, tok = shipped[lang]
    vectors = model.embed.weight.detach()
    text = analogy_view(vectors, tok, *words, lang=lang)
    lines = text.splitlines()
    assert len(lines) == 6 and words[0] in lines[0]
    assert lines[1].startswith("1. ") and lines[1].endswith(answer)  # the shipped model does get this one
    message = analogy_view(vectors, tok, words[0], broken, words[2], lang=lang)
    assert broken in message and "+" in message and "1." not in message  # the pieces, no answer
    empty = analogy_view(vectors, tok, words[0], " ", words[2], lang=lang)
    assert "a − b + c" in empty
    assert analogy_view(vectors, tok, *words, lang=lang, k=2).count("\n") == 2


def test_analogy_explorer_redraws(shipped, widget_repr):
    widgets = pytest.importorskip("ipywidgets")
    from minigpt.widgets import analogy_explorer
    model, tok = shipped["ru"]
    vectors = model.embed.weight.detach()
    box = analogy_explorer({0: vectors, 1: vectors}, tok, lang="ru",
                           words=("король", "мужчина", "женщина"))
    words, layer, out = box.children
    a, b, c = words.children
    assert isinstance(out, widgets.HTML) and out.value.startswith("<pre") and "королева" in out.value
    first = out.value
    layer.value = 1  # the header names the layer
    assert "слой 1" in out.value and "слой 0" in first
    b.value = "короли"  # several tokens: the reason, no answer
    assert "короли" in out.value and "1." not in out.value
    b.value = ""
    assert "a − b + c" in out.value
    widget_repr(box)
