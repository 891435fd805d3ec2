import pytest
import torch

from minigpt import GPT, GPTConfig, load_pretrained
from minigpt.attention import (answer_probs, attention_from_last, attention_patterns, attention_shapes, cut_attention,
                               cut_attention_heads, fact_batch, pad, subject_index, token_index, token_vectors,
                               top_next, window_probs, zero_head)
from minigpt.world import build_corpus


@pytest.fixture(scope="module")
def ru():
    model, tokenizer = load_pretrained("world-ru")
    return model, tokenizer, build_corpus("ru", n_documents=200)


@pytest.fixture(scope="module")
def zh_tokenizer():
    return load_pretrained("world-zh")[1]


@pytest.mark.parametrize("n_kv_head", [4, 2, 1])
def test_attention_shapes_match_the_model(n_kv_head):
    model = GPT(GPTConfig(vocab_size=40, d_model=32, n_head=4, n_kv_head=n_kv_head, n_layer=1))
    shapes = attention_shapes(32, 4, n_kv_head)
    for name, shape in shapes.items():
        assert tuple(getattr(model.blocks[0].attn, name).weight.shape) == shape
    assert shapes["W_K"] == (n_kv_head * 8, 32)


def test_gpt3_attention_is_four_square_matrices():
    shapes = attention_shapes(12288, 96)
    assert all(shape == (12288, 12288) for shape in shapes.values())


def test_patterns_are_causal_and_match_the_cache(ru):
    model, tokenizer, _ = ru
    text = "Столица Франции — Париж."
    tokens, patterns = attention_patterns(model, tokenizer, text)
    T = len(tokens)
    assert patterns.shape == (4, 4, T, T)
    torch.testing.assert_close(patterns.sum(-1), torch.ones(4, 4, T))
    assert torch.all(patterns.triu(1) == 0)
    _, cache = model.run_with_cache(torch.tensor([tokenizer.encode(text)]), names=["blocks.2.attn.pattern"])
    torch.testing.assert_close(patterns[2], cache["blocks.2.attn.pattern"][0])


def test_token_index_works_on_bytes(ru, zh_tokenizer):
    _, tok, _ = ru
    assert token_index(tok, "Столица Франции —", "Франции") == 1  # the token is " Франции", with its space
    text = "Из Детройта легко доехать"
    ids = tok.encode(text)
    k = token_index(tok, text, "Детройта")
    assert tok.decode(ids[:k + 1]).endswith("Детройта")  # the last piece of a word split in two
    # 州 is glued to the next token: the subject ends at the token before
    assert token_index(zh_tokenizer, "得克萨斯州的首府是", "得克萨斯州") == 0
    # a token that starts with a preposition and ends with the subject still counts
    assert zh_tokenizer.token_str(zh_tokenizer.encode("在葡萄牙，人们很喜欢吃")[
        token_index(zh_tokenizer, "在葡萄牙，人们很喜欢吃", "葡萄牙")]).endswith("葡萄牙")
    with pytest.raises(ValueError, match="does not occur"):
        token_index(tok, "Столица Франции —", "Германии")


def test_fact_batch_keeps_subjects_before_the_last_token(ru):
    _, tok, corpus = ru
    prompts = corpus.prompts("train")[:60]
    kept, seqs, subjects, answers = fact_batch(prompts, corpus.lexicon, tok)
    assert kept and len(kept) == len(seqs) == len(subjects) == len(answers)
    for p, ids, k, a in zip(kept, seqs, subjects, answers):
        assert 0 <= k < len(ids) - 1
        assert subject_index(p, corpus.lexicon, tok) == k
        assert tok.encode(p.answer)[0] == a


def test_pad_and_batched_functions_match_one_by_one(ru):
    model, tok, _ = ru
    texts = ["Столица Франции —", "В Индии любят", "Из Детройта легко доехать до других городов"]
    seqs = [tok.encode(t) for t in texts]
    ids, last = pad(seqs)
    assert ids.shape == (3, max(map(len, seqs))) and last.tolist() == [len(s) - 1 for s in seqs]
    keys = [1, 1, 1]
    batched = attention_from_last(model, seqs, keys)
    answers = [tok.encode(" Париж")[0]] * 3
    probs = answer_probs(model, seqs, answers)
    for n, s in enumerate(seqs):
        _, cache = model.run_with_cache(torch.tensor([s]))
        one = torch.stack([cache[f"blocks.{i}.attn.pattern"][0, :, -1, keys[n]] for i in range(4)])
        torch.testing.assert_close(batched[n], one, atol=1e-5, rtol=1e-4)
        p = torch.softmax(cache["logits"][0, -1], -1)[answers[n]]
        torch.testing.assert_close(probs[n], p, atol=1e-5, rtol=1e-4)


def test_zero_head_equals_removing_its_slice_of_W_O(ru):
    model, tok, _ = ru
    seqs = [tok.encode("Столица Франции —"), tok.encode("В Индии любят")]
    answers = [tok.encode(" Париж")[0], tok.encode(" карри")[0]]
    layer, head, dh = 3, 2, model.config.head_dim  # chapter 04: the head whose loss costs the most
    hooked = answer_probs(model, seqs, answers, hooks=zero_head(layer, head))
    W_O = model.blocks[layer].attn.W_O.weight
    saved = W_O.data.clone()
    try:
        W_O.data[:, head * dh:(head + 1) * dh] = 0  # the head's output never reaches the residual stream
        edited = answer_probs(model, seqs, answers)
    finally:
        W_O.data.copy_(saved)
    torch.testing.assert_close(hooked, edited, atol=1e-5, rtol=1e-4)
    assert (hooked - answer_probs(model, seqs, answers)).abs().max() > 0.01  # and the head does matter


def test_cut_attention_removes_one_weight_only(ru):
    model, tok, _ = ru
    seqs = [tok.encode("Столица Франции —"), tok.encode("Из Детройта легко доехать")]
    ids, last = pad(seqs)
    keys = [1, 2]
    cut = cut_attention(0, 2, keys)(last)["blocks.0.attn.pattern"]
    _, before = model.run_with_cache(ids, names=["blocks.0.attn.pattern"])
    _, after = model.run_with_cache(ids, names=["blocks.0.attn.pattern"], hooks={"blocks.0.attn.pattern": cut})
    b, a = before["blocks.0.attn.pattern"], after["blocks.0.attn.pattern"]
    changed = (a != b).nonzero().tolist()
    assert changed == [[0, 2, last[0].item(), 1], [1, 2, last[1].item(), 2]]
    assert a[0, 2, last[0], 1] == 0 and a[1, 2, last[1], 2] == 0


def test_cut_attention_heads_is_the_single_cuts_together(ru):
    model, tok, _ = ru
    seqs = [tok.encode("Столица Франции —"), tok.encode("Из Детройта легко доехать")]
    ids, last = pad(seqs)
    keys = [1, 2]
    names = ["blocks.0.attn.pattern", "blocks.2.attn.pattern"]
    heads = [(0, 1), (0, 3), (2, 0)]
    _, before = model.run_with_cache(ids, names=names)
    _, after = model.run_with_cache(ids, names=names, hooks=cut_attention_heads(heads, keys)(last))
    b, a = before[names[0]], after[names[0]]  # layer 0: exactly the two cut weights per row changed
    assert sorted((a != b).nonzero().tolist()) == sorted([row, h, last[row].item(), keys[row]]
                                                         for h in (1, 3) for row in range(2))
    for row in range(2):  # layer 2 sees a changed residual stream, but its cut weights are 0 all the same
        assert after[names[1]][row, 0, last[row], keys[row]] == 0 != before[names[1]][row, 0, last[row], keys[row]]


def test_token_vectors_start_from_the_embedding(ru):
    model, tok, _ = ru
    token, vecs = token_vectors(model, tok, "Он повернул ключ в замке.", "ключ")
    assert token == " ключ" and vecs.shape == (5, model.config.d_model)
    k = tok.encode("Он повернул ключ в замке.").index(tok.encode(" ключ")[0])
    expected = model.embed.weight[tok.encode(" ключ")[0]] + model.pos_embed.weight[k]
    torch.testing.assert_close(vecs[0], expected.detach())


def test_window_probs_sees_only_the_last_tokens(ru):
    model, tok, _ = ru
    ctx = model.config.context_length
    ids = tok.encode("Кошка спит. " * 60)
    assert len(ids) > ctx
    torch.testing.assert_close(window_probs(model, ids), window_probs(model, ids[-ctx:]))
    torch.testing.assert_close(window_probs(model, [5] + ids), window_probs(model, ids))
    top = top_next(model, tok, "Столица Франции —", k=3)
    assert top[0][0] == " Париж" and top[0][1] >= top[1][1] >= top[2][1]


def test_attention_view_blanks_the_future(ru):
    from minigpt.widgets import attention_view

    model, tok, _ = ru
    tokens, weights = attention_view(model, tok, "Столица Франции — Париж.", layer=1, head=3)
    T = len(tokens)
    assert weights.shape == (T, T)
    assert torch.isnan(weights.triu(1)[torch.ones(T, T, dtype=torch.bool).triu(1)]).all()
    torch.testing.assert_close(torch.nansum(weights, -1), torch.ones(T))
    with pytest.raises(ValueError, match="layers 0..3"):
        attention_view(model, tok, "Кошка", layer=4, head=0)
    with pytest.raises(ValueError, match="empty"):
        attention_view(model, tok, "", layer=0, head=0)


def test_attention_explorer_redraws(ru, widget_repr):
    widgets = pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    from minigpt.widgets import attention_explorer

    model, tok, _ = ru
    box = attention_explorer(model, tok, ["Столица Франции — Париж.", "Кошка спит."], lang="zh")
    text, layer, head, figure, message = box.children
    assert isinstance(figure, widgets.Image) and bytes(figure.value).startswith(b"\x89PNG") and message.value == ""
    first = figure.value
    head.value = 1
    assert bytes(figure.value).startswith(b"\x89PNG") and figure.value != first
    second = figure.value
    layer.value = 2
    assert figure.value != second
    text.value = ""  # the reader cleared the box: a message, not an exception
    assert "empty" in message.value and figure.layout.display == "none"
    text.value = "Кошка спит."
    assert message.value == "" and figure.layout.display is None and figure.value != second
    widget_repr(box)
