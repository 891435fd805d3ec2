import pytest
import torch

from minigpt.exercises import check


@pytest.fixture
def most_likely(char_model, char_tok):
    def fn(text):
        with torch.no_grad():
            logits, _ = char_model(torch.tensor([char_tok.encode(text)]))
        return char_tok.token_str(int(logits[0, -1].argmax()))
    return fn


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_token_count(lang, char_tok, capsys):
    text = "the cat sleeps."
    assert check("01.1", None, lang=lang, tokenizer=char_tok, text=text) is False
    assert check("01.1", len(char_tok.encode(text)), lang=lang, tokenizer=char_tok, text=text) is True
    assert check("01.1", 3, lang=lang, tokenizer=char_tok, text=text) is False
    assert check("01.1", "15", lang=lang, tokenizer=char_tok, text=text) is False
    out = capsys.readouterr().out
    assert out.count("✅") == 1 and out.count("❌") == 2 and out.count("✏️") == 1


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_most_likely_next(lang, char_model, char_tok, most_likely, capsys):
    ctx = dict(model=char_model, tokenizer=char_tok, texts=["the ca", "a chi"])
    assert check("01.2", most_likely, lang=lang, **ctx) is True
    assert check("01.2", lambda text: "x", lang=lang, **ctx) is False
    assert check("01.2", lambda text: None, lang=lang, **ctx) is False
    assert check("01.2", lambda text: 1 / 0, lang=lang, **ctx) is False
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and out.count("✅") == 1


def test_chat_prompt_format_errors(char_model, char_tok, capsys):
    ctx = dict(model=char_model, tokenizer=char_tok, user_line="the cat", assistant_tag="dog", expected="zzz",
               stop="\n")
    assert check("01.3", "the dog", lang="ru", **ctx) is False
    assert "Пользователь" not in capsys.readouterr().out  # the hint names the caller's own labels
    assert check("01.3", "the cat. the dog", lang="ru", **ctx) is False  # well formed, but the model won't say zzz
    assert "zzz" in capsys.readouterr().out


def test_unknown_exercise_and_language():
    with pytest.raises(ValueError, match="unknown exercise"):
        check("99.9", 1)
    with pytest.raises(ValueError, match="'ru' and 'zh'"):
        check("01.1", 1, lang="en")


# ---------------------------------------------------------------------------------------------- chapter 02

@pytest.mark.parametrize("lang, text", [("ru", "Столица Японии — Токио."), ("zh", "日本的首都是东京。")])
def test_utf8_bytes(lang, text, capsys):
    assert check("02.1", len(text.encode("utf-8")), lang=lang, text=text) is True
    assert check("02.1", len(text), lang=lang, text=text) is False  # characters, not bytes
    hint = capsys.readouterr().out
    assert ("2 байта" if lang == "ru" else "3 个字节") in hint
    assert check("02.1", 1, lang=lang, text=text) is False
    assert check("02.1", "23", lang=lang, text=text) is False
    out = capsys.readouterr().out
    assert out.count("❌") == 2 and "✅" not in out


def _most_frequent_pair(ids):
    from collections import Counter
    return Counter(zip(ids, ids[1:])).most_common(1)[0][0]


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_most_frequent_pair(lang, capsys):
    sequences = [list("кошка кошки".encode("utf-8")), [3, 3, 3, 3]]
    assert check("02.2", _most_frequent_pair, lang=lang, sequences=sequences) is True
    assert check("02.2", lambda ids: (ids[0], ids[1]), lang=lang, sequences=sequences) is False  # the first pair
    assert "(1, 2)" not in capsys.readouterr().out.split("❌")[0]  # [1, 2, 3, 1, 2]: the first pair is right there
    assert check("02.2", lambda ids: None, lang=lang) is False
    assert check("02.2", lambda ids: ids[99], lang=lang) is False
    assert check("02.2", lambda ids: "ab", lang=lang) is False
    assert check("02.2", 5, lang=lang) is False
    out = capsys.readouterr().out
    assert "IndexError" in out and "✅" not in out


def test_most_frequent_pair_accepts_any_tied_pair(capsys):
    # [1, 2, 1, 3]: (1, 2), (2, 1), (1, 3) all occur once; any of them is right
    assert check("02.2", lambda ids: (ids[-2], ids[-1]), lang="ru", sequences=[[1, 2, 1, 3]]) is False  # PAIR_CASES
    from minigpt.exercises import check_most_frequent_pair, PAIR_CASES
    assert check_most_frequent_pair(_most_frequent_pair, "ru", sequences=[[1, 2, 1, 3]]) is True
    counts = [_most_frequent_pair(ids) for ids in PAIR_CASES]
    assert counts == [(1, 2), (5, 5), (8, 9), (4, 0)]


@pytest.fixture(scope="module")
def small_bpe():
    from minigpt import BPETokenizer
    return BPETokenizer.train("Столица Франции — Париж. Париж — столица Франции.\n" * 30, vocab_size=300)


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_min_vocab_size(lang, small_bpe, capsys):
    from minigpt import BPETokenizer
    word = " Париж"
    (t,) = small_bpe.encode(word)
    assert len(BPETokenizer(small_bpe.merges[:t + 1 - 256]).encode(word)) == 1
    assert len(BPETokenizer(small_bpe.merges[:t - 256]).encode(word)) > 1
    assert check("02.3", t + 1, lang=lang, tokenizer=small_bpe, word=word) is True
    assert check("02.3", t, lang=lang, tokenizer=small_bpe, word=word) is False
    assert check("02.3", 256, lang=lang, tokenizer=small_bpe, word=word) is False
    assert "'<D0>', '<9F>'" in capsys.readouterr().out.split("❌")[-1]  # the pieces at a too small vocabulary
    assert check("02.3", 300, lang=lang, tokenizer=small_bpe, word=word) is False
    assert check("02.3", 1.5, lang=lang, tokenizer=small_bpe, word=word) is False
    out = capsys.readouterr().out
    assert out.count("❌") == 2
    with pytest.raises(ValueError, match="not one token"):
        check("02.3", 300, lang=lang, tokenizer=small_bpe, word=" Париж — столица")


# ---------------------------------------------------------------------------------------------- chapter 08

def _prob_at(model, tok, prompt, token, t):
    from minigpt.generate import next_token_probs
    from minigpt.sampling import last_logits
    return float(next_token_probs(last_logits(model, tok, prompt), t)[tok.encode(token)[0]])


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_temperature_prob(lang, char_model, char_tok, capsys):
    ctx = dict(model=char_model, tokenizer=char_tok, prompt="the ca", token="t", temperature=0.5)
    right = _prob_at(char_model, char_tok, "the ca", "t", 0.5)
    assert check("08.1", right, lang=lang, **ctx) is True
    assert check("08.1", round(right, 3), lang=lang, **ctx) is True  # a rounded answer is fine
    capsys.readouterr()
    assert check("08.1", _prob_at(char_model, char_tok, "the ca", "t", 1.0), lang=lang, **ctx) is False
    assert "T = 1" in capsys.readouterr().out
    assert check("08.1", _prob_at(char_model, char_tok, "the ca", "t", 2.0), lang=lang, **ctx) is False
    assert "T" in capsys.readouterr().out
    assert check("08.1", 3.5, lang=lang, **ctx) is False
    assert check("08.1", "0.1", lang=lang, **ctx) is False
    out = capsys.readouterr().out
    assert out.count("❌") == 2 and "3.5" in out


def _temperature_probs(logits, temperature):
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(), logits.shape[-1]).float()
    return torch.softmax(logits / temperature, dim=-1)


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_temperature_function(lang, char_model, char_tok, capsys):
    ctx = dict(model=char_model, tokenizer=char_tok, texts=["the ca", "a do"])
    assert check("08.2", _temperature_probs, lang=lang, **ctx) is True
    assert check("08.2", lambda logits, t: torch.softmax(logits / t, -1), lang=lang, **ctx) is False
    assert "nan" in capsys.readouterr().out  # a tensor divided by 0 gives inf, and softmax of inf gives nan
    assert check("08.2", lambda logits, t: torch.softmax(logits * (1 / t), -1), lang=lang, **ctx) is False
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert check("08.2", lambda logits, t: torch.softmax(logits, -1), lang=lang, **ctx) is False  # no division
    assert "0.5" in capsys.readouterr().out
    assert check("08.2", lambda logits, t: 0.5, lang=lang, **ctx) is False
    assert check("08.2", lambda logits, t: None, lang=lang, **ctx) is False
    assert check("08.2", 3, lang=lang, **ctx) is False
    out = capsys.readouterr().out
    assert out.count("❌") == 2 and "✅" not in out


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_hardest_token(lang, char_model, char_tok, capsys):
    import torch.nn.functional as F
    text = "the cat sleeps."
    ids = char_tok.encode(text)
    with torch.no_grad():
        logits, _ = char_model(torch.tensor([ids]))
    losses = F.cross_entropy(logits[0, :-1], torch.tensor(ids[1:]), reduction="none")
    hardest = char_tok.token_str(ids[1 + int(losses.argmax())])
    easiest = char_tok.token_str(ids[1 + int(losses.argmin())])
    ctx = dict(model=char_model, tokenizer=char_tok, text=text)
    assert check("08.3", hardest, lang=lang, **ctx) is True
    if easiest.strip() != hardest.strip():
        assert check("08.3", easiest, lang=lang, **ctx) is False
    assert check("08.3", "Z", lang=lang, **ctx) is False
    assert "'Z'" in capsys.readouterr().out.split("❌")[-1]
    assert check("08.3", 3, lang=lang, **ctx) is False


# ---------------------------------------------------------------------------------------------- chapter 06

def _mse_gradients(w, b, x, y):
    error = w * x + b - y
    return float((2 * error * x).mean()), float((2 * error).mean())


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_mse_gradients(lang, capsys):
    x, y = torch.tensor([0.5, 1.0]), torch.tensor([1.0, 3.0])
    assert check("06.1", _mse_gradients, lang=lang, cases=[(1.0, 0.5, x, y)]) is True
    assert check("06.1", lambda w, b, x, y: tuple(v / 2 for v in _mse_gradients(w, b, x, y)), lang=lang) is False
    assert ("2·(p − y)" in capsys.readouterr().out)
    assert check("06.1", lambda w, b, x, y: tuple(-v for v in _mse_gradients(w, b, x, y)), lang=lang) is False
    assert "(p − y)" in capsys.readouterr().out
    assert check("06.1", lambda w, b, x, y: (1.0, 2.0), lang=lang) is False
    assert "dw = " in capsys.readouterr().out
    assert check("06.1", lambda w, b, x, y: None, lang=lang) is False
    assert check("06.1", lambda w, b, x, y: 1 / 0, lang=lang) is False
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert check("06.1", lambda w, b, x, y: 1.0, lang=lang) is False
    assert check("06.1", 5, lang=lang) is False
    out = capsys.readouterr().out
    assert out.count("❌") == 2 and "✅" not in out


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_uniform_loss(lang, capsys):
    import math
    assert check("06.2", math.log(2048), lang=lang, vocab_size=2048) is True
    assert check("06.2", 7.62, lang=lang, vocab_size=2048) is True
    assert check("06.2", 11.0, lang=lang, vocab_size=2048) is False  # log2
    assert "log" in capsys.readouterr().out.split("❌")[-1]
    assert check("06.2", 1 / 2048, lang=lang, vocab_size=2048) is False
    assert check("06.2", 3.0, lang=lang, vocab_size=2048) is False
    assert "2048" in capsys.readouterr().out.split("❌")[-1]
    assert check("06.2", "7.6", lang=lang, vocab_size=2048) is False


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_block_parameters(lang, tiny_model, capsys):
    d = tiny_model.config.d_model
    right = sum(p.numel() for p in tiny_model.blocks[0].parameters())
    assert check("06.3", right, lang=lang, model=tiny_model) is True
    assert check("06.3", 12 * d * d, lang=lang, model=tiny_model) is False
    assert "bias" in capsys.readouterr().out.split("❌")[-1]
    assert check("06.3", right - 4 * d, lang=lang, model=tiny_model) is False  # no norms
    assert check("06.3", tiny_model.num_parameters(), lang=lang, model=tiny_model) is False
    assert "blocks[0]" in capsys.readouterr().out.split("❌")[-1]
    assert check("06.3", 7, lang=lang, model=tiny_model) is False
    assert check("06.3", float(right), lang=lang, model=tiny_model) is False


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_gqa_weights(lang, capsys):
    ctx = dict(d_model=4096, n_head=32, n_kv_head=8)
    assert check("04.1", 2 * 4096 * 4096 + 2 * 4096 * 1024, lang=lang, **ctx) is True
    assert check("04.1", 4 * 4096 * 4096, lang=lang, **ctx) is False
    assert "1024" in capsys.readouterr().out.split("❌")[-1]  # 8 key/value heads of 128
    assert check("04.1", 2 * 4096 * 4096 + 2 * 4096 * 1024 + 2 * 4096 + 2 * 1024, lang=lang, **ctx) is False
    assert check("04.1", 12345, lang=lang, **ctx) is False
    assert "attention_shapes" in capsys.readouterr().out.split("❌")[-1]
    assert check("04.1", 4.0e7, lang=lang, **ctx) is False


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_causal_attention(lang, capsys):
    import math

    def right(q, k, v):
        T = q.shape[-2]
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
        scores = scores.masked_fill(~torch.tril(torch.ones(T, T, dtype=torch.bool)), float("-inf"))
        return torch.softmax(scores, dim=-1) @ v

    def no_mask(q, k, v):
        return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1) @ v

    def no_scale(q, k, v):
        T = q.shape[-2]
        scores = (q @ k.transpose(-2, -1)).masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        return torch.softmax(scores, dim=-1) @ v

    assert check("04.2", right, lang=lang) is True
    assert check("04.2", no_mask, lang=lang) is False
    assert "-inf" in capsys.readouterr().out.split("❌")[-1]
    assert check("04.2", no_scale, lang=lang) is False
    assert "√d_head" in capsys.readouterr().out.split("❌")[-1]
    assert check("04.2", lambda q, k, v: None, lang=lang) is False
    assert check("04.2", lambda q, k, v: q[0], lang=lang) is False
    assert check("04.2", lambda q, k, v: 1 / 0, lang=lang) is False
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert check("04.2", "q k v", lang=lang) is False


def test_most_important_head(capsys):
    from minigpt import load_pretrained
    from minigpt.attention import fact_batch, head_importance
    from minigpt.world import build_corpus

    model, tokenizer = load_pretrained("world-ru")
    corpus = build_corpus("ru", n_documents=300)
    prompts = [p for p in corpus.prompts("train") if p.relation == "city_state"][:6]
    ctx = dict(model=model, tokenizer=tokenizer, lexicon=corpus.lexicon, prompts=prompts)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # 17 tiny forward passes per check: threads only add overhead on a busy CPU
    try:
        _, seqs, _, answers = fact_batch(prompts, corpus.lexicon, tokenizer)
        drop = head_importance(model, seqs, answers)
        best = divmod(int(drop.argmax()), model.config.n_head)  # silencing it costs the answer the most
        heads = [divmod(i, model.config.n_head) for i in range(drop.numel())]
        other = next(h for h in heads if h != best and (h[0] - 1, h[1] - 1) != best)
        for lang in ("ru", "zh"):
            assert check("04.3", best, lang=lang, **ctx) is True
            assert check("04.3", (best[0] + 1, best[1] + 1), lang=lang, **ctx) is False
            assert "0" in capsys.readouterr().out.split("❌")[-1]  # counted from 1
            assert check("04.3", other, lang=lang, **ctx) is False
            assert "zero_head" in capsys.readouterr().out
        for wrong in [(1, 3, 0), (7, 0), [0.0, 2.0], "0, 2"]:
            assert check("04.3", wrong, lang="ru", **ctx) is False
    finally:
        torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def world_ru_model():
    from minigpt import load_pretrained

    return load_pretrained("world-ru")


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_lens_first_layer(lang, world_ru_model, capsys):
    model, tok = world_ru_model
    ctx = dict(model=model, tokenizer=tok, text="Столица Японии —", target=" Токио")
    assert check("07.1", None, lang=lang, **ctx) is False
    assert check("07.1", 3, lang=lang, **ctx) is True
    assert check("07.1", 0, lang=lang, **ctx) is False  # another token is on top there
    assert check("07.1", 4, lang=lang, **ctx) is False  # on top, but not the first such layer
    assert check("07.1", 9, lang=lang, **ctx) is False
    out = capsys.readouterr().out
    assert out.count("✅") == 1 and out.count("❌") == 3 and "' —'" in out  # the hint names layer 0's top token


def test_lens_first_layer_lost_hint(world_ru_model, monkeypatch, capsys):
    import minigpt.exercises as ex

    model, tok = world_ru_model
    target = tok.encode(" Каир")[0]
    other = tok.encode(" Рим")[0]
    tops = torch.tensor([other, target, other, target, target])
    monkeypatch.setattr(ex, "_lens_last", lambda *a: torch.nn.functional.one_hot(tops, tok.vocab_size).float())
    assert check("07.1", 1, lang="ru", model=model, tokenizer=tok, text="x", target=" Каир") is False
    assert "на слое 2" in capsys.readouterr().out
    assert check("07.1", 3, lang="ru", model=model, tokenizer=tok, text="x", target=" Каир") is True


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_lens_function(lang, world_ru_model, capsys):
    from minigpt.lens import residual_states

    model, tok = world_ru_model

    def lens_top(text, layer):
        h = residual_states(model, tok.encode(text))[layer, -1]
        with torch.no_grad():
            return tok.token_str(int(model.unembed(model.norm_final(h)).argmax()))

    def output_only(text, layer):
        return lens_top(text, model.config.n_layer)

    ctx = dict(model=model, tokenizer=tok, texts=["Столица Франции —", "Даллас находится в"])
    assert check("07.2", lens_top, lang=lang, **ctx) is True
    assert check("07.2", output_only, lang=lang, **ctx) is False
    assert check("07.2", lambda text, layer: None, lang=lang, **ctx) is False
    assert check("07.2", lambda text: "x", lang=lang, **ctx) is False  # wrong signature: reported, not raised
    out = capsys.readouterr().out
    assert out.count("✅") == 1 and "TypeError" in out


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_layer_cosine(lang, world_ru_model, capsys):
    from minigpt.lens import residual_states
    from minigpt.probes import cosine_by_layer

    model, tok = world_ru_model
    texts = ("Волк спит. Потом он", "Стол стоит. Потом он")
    a, b = (residual_states(model, tok.encode(t))[:, -1] for t in texts)
    cos = cosine_by_layer(a, b).tolist()
    ctx = dict(model=model, tokenizer=tok, texts=texts, layer=2)
    assert check("07.3", None, lang=lang, **ctx) is False
    assert check("07.3", round(cos[2], 2), lang=lang, **ctx) is True
    assert check("07.3", round(cos[0], 2), lang=lang, **ctx) is False
    assert check("07.3", 5.0, lang=lang, **ctx) is False
    out = capsys.readouterr().out
    assert out.count("✅") == 1 and out.count("❌") == 2


@pytest.fixture(scope="module")
def world_models():
    from minigpt import load_pretrained
    return {lang: load_pretrained(f"world-{lang}") for lang in ("ru", "zh")}


@pytest.mark.parametrize("lang, words", [("ru", ("Лондон", "Рим")), ("zh", ("伦敦", "罗马"))])
def test_cosine_by_hand(lang, words, world_models, capsys):
    from minigpt.embeddings import word_tokens
    model, tok = world_models[lang]
    a, b = (model.embed.weight.detach()[word_tokens(tok, w, lang)[0]] for w in words)
    right = float(a @ b / (a.norm() * b.norm()))
    assert check("03.1", right, lang=lang, model=model, tokenizer=tok, words=words) is True
    assert check("03.1", float(a @ b), lang=lang, model=model, tokenizer=tok, words=words) is False
    assert ("скалярное" if lang == "ru" else "点积") in capsys.readouterr().out  # the dot-product hint
    assert check("03.1", right + 0.1, lang=lang, model=model, tokenizer=tok, words=words) is False
    assert check("03.1", 2.0, lang=lang, model=model, tokenizer=tok, words=words) is False
    assert check("03.1", "0.5", lang=lang, model=model, tokenizer=tok, words=words) is False
    out = capsys.readouterr().out
    assert out.count("❌") == 3 and "✅" not in out


@pytest.mark.parametrize("lang, good, target, broken", [
    ("ru", ("Италия", "Франция", "Париж"), "Рим", "короли"),
    ("zh", ("意大利", "法国", "巴黎"), "罗马", "男人们"),
])
def test_analogy_target(lang, good, target, broken, world_models, capsys):
    model, tok = world_models[lang]
    vectors = model.embed.weight.detach()
    assert check("03.2", good, lang=lang, vectors=vectors, tokenizer=tok, target=target) is True
    assert check("03.2", list(good), lang=lang, vectors=vectors, tokenizer=tok, target=target) is True
    assert check("03.2", (good[0], good[1], target), lang=lang, vectors=vectors, tokenizer=tok, target=target) is False
    assert check("03.2", (good[0], broken, good[2]), lang=lang, vectors=vectors, tokenizer=tok, target=target) is False
    assert broken in capsys.readouterr().out.split("❌")[-1]
    assert check("03.2", (good[1], good[0], good[2]), lang=lang, vectors=vectors, tokenizer=tok, target=target) is False
    assert check("03.2", good[:2], lang=lang, vectors=vectors, tokenizer=tok, target=target) is False
    out = capsys.readouterr().out
    assert out.count("❌") == 2 and "✅" not in out


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_untied_share(lang, world_models, capsys):
    model, _ = world_models[lang]
    n, total = model.embed.weight.numel(), model.num_parameters()
    right = 2 * n / (total + n)
    assert check("03.3", right, lang=lang, model=model) is True
    for wrong, hint in [(n / total, "tied"), (2 * n / total, "total"), (100 * right, "percent"), (0.9, "other"),
                        (True, "type")]:
        assert check("03.3", wrong, lang=lang, model=model) is False
        from minigpt.exercises import HINTS
        assert HINTS["03.3"][hint][lang] in capsys.readouterr().out


def _ffn_right(block, x):
    import torch.nn.functional as F
    ffn = block.ffn
    return F.gelu(x @ ffn.up.weight.T + ffn.up.bias, approximate="tanh") @ ffn.down.weight.T + ffn.down.bias


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_ffn_by_hand(lang, world_ru_model, capsys):
    import torch.nn.functional as F

    tiny_model = world_ru_model[0]  # trained weights: exact and tanh GELU differ visibly

    assert check("05.1", _ffn_right, lang=lang, model=tiny_model) is True
    exact_gelu = lambda b, x: F.gelu(b.ffn.up(x)) @ b.ffn.down.weight.T + b.ffn.down.bias
    assert check("05.1", exact_gelu, lang=lang, model=tiny_model) is False
    assert "tanh" in capsys.readouterr().out
    no_bias = lambda b, x: F.gelu(x @ b.ffn.up.weight.T, approximate="tanh") @ b.ffn.down.weight.T
    assert check("05.1", no_bias, lang=lang, model=tiny_model) is False
    assert "bias" in capsys.readouterr().out
    assert check("05.1", lambda b, x: F.gelu(b.ffn.up(x)), lang=lang, model=tiny_model) is False  # hidden, not output
    assert check("05.1", lambda b, x: None, lang=lang, model=tiny_model) is False
    assert check("05.1", lambda b, x: 1 / 0, lang=lang, model=tiny_model) is False
    assert check("05.1", 3, lang=lang, model=tiny_model) is False


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_top_neuron(lang, world_ru_model, capsys):
    from minigpt.neurons import value_logits

    model, tok = world_ru_model
    t = tok.encode(" Париж")[0]
    right = int(value_logits(model, 3)[t].argmax())
    ctx = dict(model=model, tokenizer=tok, layer=3, token=" Париж")
    assert check("05.2", right, lang=lang, **ctx) is True
    assert check("05.2", (right + 1) % 512, lang=lang, **ctx) is False
    assert check("05.2", 512, lang=lang, **ctx) is False
    assert check("05.2", "7", lang=lang, **ctx) is False
    out = capsys.readouterr().out
    assert out.count("✅") == 1 and out.count("❌") == 3


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_restore_hook(lang, world_ru_model, capsys):
    from minigpt.world import build_corpus

    model, tok = world_ru_model
    corpus = build_corpus("ru", n_documents=300)
    prompt = next(p for p in corpus.prompts("train") if p.relation == "capital")
    ctx = dict(model=model, tokenizer=tok, prompt=prompt, lexicon=corpus.lexicon)

    def restore_at(clean, position):
        def hook(x, name):
            x = x.clone()
            x[:, position] = clean[:, position]
            return x
        return hook

    assert check("05.3", restore_at, lang=lang, **ctx) is True
    assert check("05.3", lambda clean, position: (lambda x, name: None), lang=lang, **ctx) is False
    assert check("05.3", lambda clean, position: (lambda x, name: clean), lang=lang, **ctx) is False  # everything
    assert check("05.3", lambda clean, position: 1 / 0, lang=lang, **ctx) is False
    assert check("05.3", 5, lang=lang, **ctx) is False
    assert check("05.3", lambda clean, position: 5, lang=lang, **ctx) is False
    out = capsys.readouterr().out
    assert out.count("✅") == 1 and out.count("❌") == 5
    assert check("05.3", lambda clean, position: None, lang=lang, **ctx) is False  # the template
    assert "✏️" in capsys.readouterr().out
