"""Tokenizers: text <-> a list of integer ids.

Two kinds, both trained from scratch on a corpus and saved as JSON:

* CharTokenizer: one token per character seen in training. Simple, and an unknown character is an error.
* BPETokenizer: byte-level byte-pair encoding. It starts from the 256 byte values (so it can encode
  any text at all) and repeatedly merges the most frequent adjacent pair into a new token.
"""

import heapq
import json
import re
from collections import Counter, defaultdict
from pathlib import Path


class UnknownCharacterError(ValueError):
    """The character tokenizer was given a character it never saw in training."""


class CharTokenizer:
    kind = "char"

    def __init__(self, chars):
        self.chars = list(chars)
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("the character list has duplicates")
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def train(cls, text: str) -> "CharTokenizer":
        if not text:
            raise ValueError("cannot train a tokenizer on empty text")
        return cls(sorted(set(text)))

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        try:
            return [self.stoi[c] for c in text]
        except KeyError:
            pos, ch = next((i, c) for i, c in enumerate(text) if c not in self.stoi)
            raise UnknownCharacterError(
                f"character {ch!r} (U+{ord(ch):04X}) at position {pos} is not in this tokenizer's vocabulary "
                f"of {self.vocab_size} characters; remove or replace it (the vocabulary is tokenizer.chars)"
            ) from None

    def decode(self, ids) -> str:
        return "".join(self.chars[i] for i in ids)

    def token_str(self, i: int) -> str:
        return self.chars[i]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "chars": self.chars}

    @classmethod
    def from_dict(cls, d: dict) -> "CharTokenizer":
        return cls(d["chars"])

    def save(self, path):
        save_tokenizer(self, path)


# Split text into chunks before merging, so merges never cross a word boundary: a word keeps its
# leading space (" Париж"), digits and punctuation go alone. Chinese has no spaces, so a run of
# Han characters stays one chunk and BPE itself discovers the words inside it.
CHUNK_PATTERN = r" ?[^\W\d_]+| ?\d| ?[^\s\w]+|\s+(?!\S)|\s+"


class BPETokenizer:
    kind = "bpe"

    def __init__(self, merges, pattern: str = CHUNK_PATTERN):
        self.merges = [tuple(m) for m in merges]  # merge k creates token 256 + k from the pair merges[k]
        self.pattern = pattern
        self._regex = re.compile(pattern)
        self.ranks = {pair: 256 + k for k, pair in enumerate(self.merges)}
        self.vocab = [bytes([b]) for b in range(256)]
        for a, b in self.merges:
            self.vocab.append(self.vocab[a] + self.vocab[b])
        self._chunk_cache = {}

    @classmethod
    def train(cls, text: str, vocab_size: int, pattern: str = CHUNK_PATTERN, on_merge=None) -> "BPETokenizer":
        """Learn vocab_size - 256 merges. on_merge(k, pair, new_bytes, count) is called after each merge."""
        if vocab_size < 256:
            raise ValueError(f"vocab_size={vocab_size}: a byte-level BPE has at least the 256 byte tokens")
        if not text:
            raise ValueError("cannot train a tokenizer on empty text")
        chunk_counts = Counter(re.findall(pattern, text))
        words = [list(w.encode("utf-8")) for w in chunk_counts]
        counts = list(chunk_counts.values())
        pair_counts, where = _count_pairs(words, counts)
        # A heap of (-count, pair) finds the most frequent pair fast; entries whose count has changed
        # since they were pushed are stale and skipped. Ties go to the pair with the smallest ids.
        heap = [(-c, p) for p, c in pair_counts.items()]
        heapq.heapify(heap)
        merges, vocab = [], [bytes([b]) for b in range(256)]
        while len(vocab) < vocab_size and heap:
            neg, pair = heapq.heappop(heap)
            if pair_counts.get(pair, 0) != -neg:
                continue
            count = -neg
            if count < 2:
                break  # nothing repeats any more: further merges would only memorise single chunks
            new_id = len(vocab)
            changed = _apply_merge(words, counts, pair, new_id, pair_counts, where)
            for p in changed:
                if pair_counts.get(p, 0) > 0:
                    heapq.heappush(heap, (-pair_counts[p], p))
            merges.append(pair)
            vocab.append(vocab[pair[0]] + vocab[pair[1]])
            if on_merge is not None:
                on_merge(len(merges) - 1, pair, vocab[new_id], count)
        return cls(merges, pattern)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> list[int]:
        ids = []
        for chunk in self._regex.findall(text):
            cached = self._chunk_cache.get(chunk)
            if cached is None:
                cached = self._chunk_cache[chunk] = self._encode_chunk(chunk.encode("utf-8"))
            ids.extend(cached)
        return ids

    def _encode_chunk(self, data: bytes) -> list[int]:
        ids = list(data)
        while len(ids) > 1:
            # Apply the earliest-learned merge first, exactly as in training.
            pairs = set(zip(ids, ids[1:]))
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            ids = _merge_ids(ids, best, self.ranks[best])
        return ids

    def decode(self, ids) -> str:
        return b"".join(self.vocab[i] for i in ids).decode("utf-8", errors="replace")

    def token_str(self, i: int) -> str:
        """A token as text; bytes that are only part of a multi-byte character show as <D0> (see printable_bytes)."""
        return printable_bytes(self.vocab[i])

    def to_dict(self) -> dict:
        return {"kind": self.kind, "pattern": self.pattern, "merges": [list(m) for m in self.merges]}

    @classmethod
    def from_dict(cls, d: dict) -> "BPETokenizer":
        return cls(d["merges"], d.get("pattern", CHUNK_PATTERN))

    def save(self, path):
        save_tokenizer(self, path)


def printable_bytes(raw: bytes) -> str:
    """Bytes as text, where each byte that is not part of a complete UTF-8 character shows as <XX>.

    b" \xd0" (a space and the first byte of a Cyrillic letter) -> " <D0>"; "кот".encode() -> "кот".
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out, i = [], 0
    while i < len(raw):
        for n in range(1, 5):  # the shortest piece that decodes is exactly one character
            try:
                out.append(raw[i:i + n].decode("utf-8"))
                i += n
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(f"<{raw[i]:02X}>")
            i += 1
    return "".join(out)


def _merge_ids(ids, pair, new_id):
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _count_pairs(words, counts):
    pair_counts, where = Counter(), defaultdict(set)
    for w, (ids, c) in enumerate(zip(words, counts)):
        for pair in zip(ids, ids[1:]):
            pair_counts[pair] += c
            where[pair].add(w)
    return pair_counts, where


def _apply_merge(words, counts, pair, new_id, pair_counts, where):
    """Merge `pair` in every chunk that has it, updating the pair counts only for those chunks."""
    changed = set()
    for w in list(where.pop(pair, ())):
        old, c = words[w], counts[w]
        for p in zip(old, old[1:]):
            pair_counts[p] -= c
            changed.add(p)
            if pair_counts[p] <= 0:
                del pair_counts[p]
        new = _merge_ids(old, pair, new_id)
        words[w] = new
        for p in zip(new, new[1:]):
            pair_counts[p] += c
            changed.add(p)
            where[p].add(w)
    return changed


TOKENIZER_KINDS = {"char": CharTokenizer, "bpe": BPETokenizer}


def save_tokenizer(tokenizer, path):
    Path(path).write_text(json.dumps(tokenizer.to_dict(), ensure_ascii=False), encoding="utf-8")


def tokenizer_from_dict(d: dict):
    kind = d.get("kind")
    if kind not in TOKENIZER_KINDS:
        raise ValueError(f"unknown tokenizer kind {kind!r}; expected one of {sorted(TOKENIZER_KINDS)}")
    return TOKENIZER_KINDS[kind].from_dict(d)


def load_tokenizer(path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"tokenizer file {path} does not exist")
    try:
        return tokenizer_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise ValueError(f"tokenizer file {path} is corrupted or not a minigpt tokenizer ({e})") from None
