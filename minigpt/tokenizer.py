"""Tokenizers: text <-> a list of integer ids.

Two kinds, both trained from scratch on a corpus and saved as JSON:

* CharTokenizer: one token per character seen in training. Simple, and an unknown character is an error.
* BPETokenizer: byte-level byte-pair encoding. It starts from the 256 byte values (so it can encode
  any text at all) and repeatedly merges the most frequent adjacent pair into a new token.

Pre-tokenization (how text is cut into chunks before any merge) decides what a token can be. Russian
words are separated by spaces, so a regex keeps each word with its leading space. Chinese has no spaces,
so a regex alone leaves a whole run of characters as one chunk and BPE glues words to their neighbours
("在越南" or "印度的首都" become single tokens). A BPETokenizer can therefore be given a list of `words`
(for the course: the names of the world's entities): they are cut out of the text first and each is
guaranteed to be exactly one token, so that every city, country or animal has a vector of its own.
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

    def __init__(self, merges, pattern: str = CHUNK_PATTERN, words=()):
        self.merges = [tuple(m) for m in merges]  # merge k creates token 256 + k from the pair merges[k]
        self.pattern = pattern
        self.words = list(words)
        self._regex = re.compile(pattern)
        self._word_regex = _word_regex(self.words)
        self.ranks = {pair: 256 + k for k, pair in enumerate(self.merges)}
        self.vocab = [bytes([b]) for b in range(256)]
        for a, b in self.merges:
            self.vocab.append(self.vocab[a] + self.vocab[b])
        self._chunk_cache = {}

    @classmethod
    def train(cls, text: str, vocab_size: int, pattern: str = CHUNK_PATTERN, words=(), on_merge=None) -> "BPETokenizer":
        """Learn vocab_size - 256 merges. on_merge(k, pair, new_bytes, count) is called after each merge.

        words: strings that are always cut out as chunks of their own and made single tokens. The merges
        they still need after ordinary training are added at the end, inside the same vocab_size."""
        if vocab_size < 256:
            raise ValueError(f"vocab_size={vocab_size}: a byte-level BPE has at least the 256 byte tokens")
        if not text:
            raise ValueError("cannot train a tokenizer on empty text")
        words = list(dict.fromkeys(words))
        budget = vocab_size - 256
        chunk_counts = Counter(_chunks(text, re.compile(pattern), _word_regex(words)))
        merges, counts = _learn_merges(chunk_counts, budget)
        # Learning is greedy, so a smaller budget would learn a prefix of the same list: keep the longest
        # prefix that leaves room for the merges the words still need.
        keep = len(merges)
        extra = _completion_merges(merges[:keep], words)
        while keep + len(extra) > budget:
            if keep == 0:
                raise ValueError(f"the {len(words)} words alone need {len(extra)} merges, more than vocab_size={vocab_size} "
                                 f"leaves ({budget}); raise vocab_size or pass fewer words")
            keep = max(0, min(keep - 1, budget - len(extra)))
            extra = _completion_merges(merges[:keep], words)
        vocab = [bytes([b]) for b in range(256)]
        for k, pair in enumerate(merges[:keep]):
            vocab.append(vocab[pair[0]] + vocab[pair[1]])
            if on_merge is not None:
                on_merge(k, pair, vocab[-1], counts[k])
        return cls(merges[:keep] + extra, pattern, words)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> list[int]:
        ids = []
        for chunk in _chunks(text, self._regex, self._word_regex):
            cached = self._chunk_cache.get(chunk)
            if cached is None:
                cached = self._chunk_cache[chunk] = self._encode_chunk(chunk.encode("utf-8"))
            ids.extend(cached)
        return ids

    def _encode_chunk(self, data: bytes) -> list[int]:
        return _encode_with(self.ranks, data)

    def decode(self, ids) -> str:
        return b"".join(self.vocab[i] for i in ids).decode("utf-8", errors="replace")

    def token_str(self, i: int) -> str:
        """A token as text; bytes that are only part of a multi-byte character show as <D0> (see printable_bytes)."""
        return printable_bytes(self.vocab[i])

    def to_dict(self) -> dict:
        return {"kind": self.kind, "pattern": self.pattern, "words": self.words,
                "merges": [list(m) for m in self.merges]}

    @classmethod
    def from_dict(cls, d: dict) -> "BPETokenizer":
        return cls(d["merges"], d.get("pattern", CHUNK_PATTERN), d.get("words", ()))

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


def _word_regex(words):
    """A regex that finds any of `words`, longest first. A word that ends in a letter of an alphabet
    (" Париж") must not continue into a longer word (" Парижем"); Chinese words have no such boundary."""
    if not words:
        return None
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        boundary = r"(?![^\W\d_])" if w[-1].isalpha() and not _is_cjk(w[-1]) else ""
        parts.append(re.escape(w) + boundary)
    return re.compile("|".join(parts))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _chunks(text: str, regex, word_regex) -> list[str]:
    """Cut text into the chunks that merges never cross: the protected words first, then the regex."""
    if word_regex is None:
        return regex.findall(text)
    out, pos = [], 0
    for m in word_regex.finditer(text):
        out += regex.findall(text[pos:m.start()])
        out.append(m.group())
        pos = m.end()
    return out + regex.findall(text[pos:])


def _learn_merges(chunk_counts: Counter, n_merges: int):
    """Up to n_merges merges of the most frequent pair, and each merge's count when it was made."""
    words = [list(w.encode("utf-8")) for w in chunk_counts]
    counts = list(chunk_counts.values())
    pair_counts, where = _count_pairs(words, counts)
    # A heap of (-count, pair) finds the most frequent pair fast; entries whose count has changed
    # since they were pushed are stale and skipped. Ties go to the pair with the smallest ids.
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges, merge_counts = [], []
    while len(merges) < n_merges and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg:
            continue
        count = -neg
        if count < 2:
            break  # nothing repeats any more: further merges would only memorise single chunks
        changed = _apply_merge(words, counts, pair, 256 + len(merges), pair_counts, where)
        for p in changed:
            if pair_counts.get(p, 0) > 0:
                heapq.heappush(heap, (-pair_counts[p], p))
        merges.append(pair)
        merge_counts.append(count)
    return merges, merge_counts


def _completion_merges(merges: list, words) -> list:
    """The merges still needed, after `merges`, to make each of `words` a single token (joined left to right)."""
    ranks = {pair: 256 + k for k, pair in enumerate(merges)}
    extra = []
    for w in words:
        ids = _encode_with(ranks, w.encode("utf-8"))
        while len(ids) > 1:
            new_id = 256 + len(merges) + len(extra)
            extra.append((ids[0], ids[1]))
            ranks[(ids[0], ids[1])] = new_id
            ids = [new_id] + ids[2:]
    return extra


def _encode_with(ranks: dict, data: bytes) -> list[int]:
    """BPE encoding of one chunk: apply the earliest-learned merge first, exactly as in training."""
    ids = list(data)
    while len(ids) > 1:
        best = min(set(zip(ids, ids[1:])), key=lambda p: ranks.get(p, float("inf")))
        if best not in ranks:
            break
        ids = _merge_ids(ids, best, ranks[best])
    return ids


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
