"""A reference BPE from the Hugging Face `tokenizers` library, to compare with minigpt's own BPETokenizer.

    from minigpt.tokenizer_reference import train_library_bpe
    lib = train_library_bpe(corpus.text, 2048)
    lib.encode("Столица Франции — Париж.")      # list of ids, like BPETokenizer.encode
    lib.decode(ids), lib.vocab_size, lib.token_str(i), lib.token_bytes(i)

The recipe is the library's standard byte-level BPE (the one GPT-2 uses): the ByteLevel pre-tokenizer
splits text into words with their leading space and maps every byte to a printable character, and
BpeTrainer learns merges until the vocabulary has `vocab_size` tokens, starting from all 256 bytes.
That is the same algorithm as minigpt.tokenizer.BPETokenizer, written in Rust.

`tokenizers` is an optional dependency (pinned in requirements.txt): it is imported inside
train_library_bpe, so the rest of minigpt works without it.
"""

from functools import lru_cache

from .tokenizer import printable_bytes


@lru_cache(maxsize=1)
def _unicode_to_byte() -> dict:
    """The inverse of GPT-2's byte -> printable character table that the ByteLevel pre-tokenizer uses.

    Printable Latin-1 bytes stand for themselves; the other 68 bytes (control characters, space, ...)
    are shifted to the characters U+0100 and up, in byte order.
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table, shift = {}, 0
    for b in range(256):
        if b in printable:
            table[chr(b)] = b
        else:
            table[chr(256 + shift)] = b
            shift += 1
    return table


class LibraryBPE:
    """A trained `tokenizers.Tokenizer` behind the same small interface as minigpt's tokenizers."""

    kind = "hf-bpe"

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        to_byte = _unicode_to_byte()
        vocab = tokenizer.get_vocab()  # token (byte-level string) -> id
        self.vocab = [b""] * len(vocab)
        for token, i in vocab.items():
            self.vocab[i] = bytes(to_byte[ch] for ch in token)

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.get_vocab_size()

    def encode(self, text: str) -> list[int]:
        return self.tokenizer.encode(text).ids

    def decode(self, ids) -> str:
        return b"".join(self.vocab[i] for i in ids).decode("utf-8", errors="replace")

    def token_bytes(self, i: int) -> bytes:
        return self.vocab[i]

    def token_str(self, i: int) -> str:
        """A token as text; bytes that are only part of a multi-byte character show as <D0>."""
        return printable_bytes(self.vocab[i])


def train_library_bpe(text: str, vocab_size: int) -> LibraryBPE:
    """Train the `tokenizers` library's byte-level BPE on `text` with `vocab_size` tokens (256 bytes + merges)."""
    if vocab_size < 256:
        raise ValueError(f"vocab_size={vocab_size}: a byte-level BPE has at least the 256 byte tokens")
    if not text:
        raise ValueError("cannot train a tokenizer on empty text")
    try:
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    except ImportError as e:
        raise ImportError("the reference BPE needs the Hugging Face tokenizers package: "
                          "pip install tokenizers (the version pinned in requirements.txt)") from e
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False, special_tokens=[],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    # Lines are independent pieces of work (the library counts words in parallel); no word crosses a line.
    tokenizer.train_from_iterator(text.splitlines(keepends=True), trainer=trainer)
    return LibraryBPE(tokenizer)
