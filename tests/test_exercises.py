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
