import pytest

from minigpt import BPETokenizer, CharTokenizer, UnknownCharacterError, load_tokenizer

RU = "Столица Франции — Париж. Париж — столица Франции. Кошка спит, кошки спят.\n" * 30
ZH = "法国的首都是巴黎。巴黎是法国的首都。猫在睡觉。\n" * 30


def test_char_round_trip_and_unknown_character():
    tok = CharTokenizer.train(RU)
    assert tok.decode(tok.encode(RU)) == RU
    with pytest.raises(UnknownCharacterError, match=r"'Q' \(U\+0051\) at position 3"):
        tok.encode("Кош" + "Q")


@pytest.mark.parametrize("text", [RU, ZH])
def test_bpe_round_trip_and_compression(text):
    tok = BPETokenizer.train(text, vocab_size=320)
    assert tok.vocab_size <= 320
    ids = tok.encode(text)
    assert tok.decode(ids) == text
    assert len(ids) < len(text.encode("utf-8")) / 2  # merges compress the text
    # any text at all can be encoded: unseen characters fall back to bytes
    unseen = "Ёжик 🦔 读书"
    assert tok.decode(tok.encode(unseen)) == unseen


def test_bpe_frequent_word_becomes_one_token():
    tok = BPETokenizer.train(RU, vocab_size=400)
    assert len(tok.encode(" Париж")) == 1
    assert tok.token_str(tok.encode(" Париж")[0]) == " Париж"


def test_bpe_merges_never_cross_words():
    tok = BPETokenizer.train(RU, vocab_size=600)
    for i in range(256, tok.vocab_size):
        piece = tok.token_str(i)
        assert " " not in piece.strip(), piece


def test_bpe_reports_merges_and_is_deterministic():
    seen = []
    a = BPETokenizer.train(ZH, vocab_size=300, on_merge=lambda k, pair, new, count: seen.append((k, new, count)))
    b = BPETokenizer.train(ZH, vocab_size=300)
    assert a.merges == b.merges and len(seen) == len(a.merges)
    assert seen[0][2] >= seen[-1][2]  # the most frequent pairs are merged first


@pytest.mark.parametrize("make", [lambda: CharTokenizer.train(RU), lambda: BPETokenizer.train(ZH, 300)])
def test_save_load(tmp_path, make):
    tok = make()
    tok.save(tmp_path / "t.json")
    again = load_tokenizer(tmp_path / "t.json")
    assert type(again) is type(tok) and again.encode(RU[:40] if tok.kind == "char" else ZH) == tok.encode(
        RU[:40] if tok.kind == "char" else ZH)


def test_bad_tokenizer_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_tokenizer(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="corrupted"):
        load_tokenizer(tmp_path / "bad.json")
    (tmp_path / "kind.json").write_text('{"kind": "wordpiece"}')
    with pytest.raises(ValueError, match="unknown tokenizer kind"):
        load_tokenizer(tmp_path / "kind.json")
    with pytest.raises(ValueError, match="at least the 256"):
        BPETokenizer.train(RU, 100)


def test_printable_bytes_shows_only_incomplete_characters_as_hex():
    from minigpt.tokenizer import printable_bytes
    assert printable_bytes("кот 猫".encode("utf-8")) == "кот 猫"
    assert printable_bytes(b" \xd0") == " <D0>"
    assert printable_bytes("о".encode("utf-8") + b"\xd0") == "о<D0>"
    assert printable_bytes("斯".encode("utf-8")[1:] + "政".encode("utf-8")[:2]) == "<96><AF><E6><94>"
    assert printable_bytes(b"\\x41") == "\\x41"  # a literal backslash stays text


def test_bpe_prefix_of_merges_is_a_smaller_tokenizer():
    big = BPETokenizer.train(RU + ZH, vocab_size=420)
    small = BPETokenizer.train(RU + ZH, vocab_size=300)
    assert small.merges == big.merges[:300 - 256]
    assert BPETokenizer(big.merges[:44]).encode(RU) == small.encode(RU)


def test_protected_words_are_single_tokens_and_cut_out_first():
    text = "在越南人们说越南语。印度的首都是新德里。" * 20 + "越南的首都是河内。" * 5
    words = ["越南", "越南语", "印度", "新德里", "河内"]
    tok = BPETokenizer.train(text, 400, words=words)
    assert tok.vocab_size <= 400
    for w in words:
        assert len(tok.encode(w)) == 1, w
    # the longest word wins, and a word is never glued to its neighbours
    pieces = [tok.decode([i]) for i in tok.encode("在越南语里，越南的首都是河内")]
    assert "越南语" in pieces and "越南" in pieces and "河内" in pieces
    assert tok.decode(tok.encode(text)) == text


def test_protected_word_with_alphabet_needs_a_word_boundary():
    text = "Я видел Париж. Я был в Париже. " * 30
    tok = BPETokenizer.train(text, 300, words=[" Париж"])
    assert [tok.decode([i]) for i in tok.encode(" Париж.")][0] == " Париж"
    assert tok.encode(" Париже") != [tok.encode(" Париж")[0]] + tok.encode("е")  # not cut inside a longer word
    assert tok.decode(tok.encode(" Парижем")) == " Парижем"


def test_protected_words_survive_save_and_load(tmp_path):
    text = "烤肉串来自土耳其。" * 10
    tok = BPETokenizer.train(text, 300, words=["烤肉串", "土耳其"])
    tok.save(tmp_path / "t.json")
    again = load_tokenizer(tmp_path / "t.json")
    assert again.words == tok.words and again.encode(text) == tok.encode(text)


def test_words_that_do_not_fit_the_vocabulary_are_an_error():
    words = [f"слово{i}" for i in range(40)]
    with pytest.raises(ValueError, match="raise vocab_size"):
        BPETokenizer.train(" ".join(words * 3), 260, words=words)


def test_on_merge_reports_exactly_the_kept_merges():
    seen = []
    tok = BPETokenizer.train(ZH, 300, words=["巴黎", "法国"], on_merge=lambda k, pair, raw, count: seen.append(pair))
    assert seen == tok.merges[:len(seen)] and len(tok.merges) >= len(seen)
