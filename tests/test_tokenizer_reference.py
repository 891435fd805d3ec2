"""The Hugging Face `tokenizers` reference BPE (minigpt/tokenizer_reference.py) that chapter 02 compares with."""

import pytest

from minigpt import BPETokenizer

pytest.importorskip("tokenizers")

from minigpt.tokenizer_reference import _unicode_to_byte, train_library_bpe  # noqa: E402

RU = ("Столица Франции — Париж. Париж — столица Франции. Кошка спит, кошки спят.\n"
      "Во Франции едят круассаны. В Японии едят суши. Токио — столица Японии.\n") * 40
ZH = "法国的首都是巴黎。巴黎是法国的首都。猫在睡觉。\n在日本，人们吃寿司。东京是日本的首都。\n" * 40


def test_byte_table_is_a_bijection():
    table = _unicode_to_byte()
    assert sorted(table.values()) == list(range(256))
    assert table["Ġ"] == ord(" ") and table["Ċ"] == ord("\n") and table["A"] == ord("A")


@pytest.mark.parametrize("text", [RU, ZH], ids=["ru", "zh"])
def test_round_trip_vocab_size_and_compression(text):
    lib = train_library_bpe(text, 300)
    assert lib.vocab_size == 300 == len(lib.vocab)
    assert len(set(lib.vocab)) == 300 and set(bytes([b]) for b in range(256)) <= set(lib.vocab)
    ids = lib.encode(text)
    assert lib.decode(ids) == text
    unseen = "Ёжик 🦔 读书, Zürich 42"
    assert lib.decode(lib.encode(unseen)) == unseen  # byte-level: nothing is unknown
    ours = BPETokenizer.train(text, 300)
    n_lib, n_ours = len(ids), len(ours.encode(text))
    assert n_lib < len(text.encode("utf-8")) / 2
    assert 0.67 < n_lib / n_ours < 1.5, (n_lib, n_ours)  # the same algorithm compresses about as well


def test_token_str_matches_minigpt_convention():
    lib = train_library_bpe(RU, 400)
    (paris,) = lib.encode(" Париж")
    assert lib.token_str(paris) == " Париж" and lib.token_bytes(paris) == " Париж".encode("utf-8")
    first_byte = "П".encode("utf-8")[:1]
    assert lib.token_str(lib.vocab.index(first_byte)) == "<D0>"


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least the 256"):
        train_library_bpe(RU, 100)
    with pytest.raises(ValueError, match="empty"):
        train_library_bpe("", 300)
