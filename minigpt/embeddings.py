"""Embeddings as geometry: cosine similarity, nearest neighbours, analogies, directions, projections.

    from minigpt.embeddings import word_tokens, layer_vectors, nearest, analogy, analogy_accuracy
    ids = word_tokens(tokenizer, "Париж", "ru")        # [id]: one token, " Париж" with its leading space
    V = layer_vectors(model, [[i] for i in range(V)], layer=0)   # layer 0: the rows of the embedding matrix
    nearest(V, V[ids[0]], k=5, exclude=ids)            # [(token id, cosine), ...]

A "vector space" here is any tensor V [N, d] whose row i belongs to item i (a token id, or an index into a
word list). Layer 0 is the embedding matrix W_E itself; layer i >= 1 is the residual stream after block
i - 1 at the word's last token, for the word in a fixed context (by default none: the word alone).

The analogy a - b + c ~ d is scored against baselines, because a small model (and a small candidate list)
makes analogies look easier than they are: see analogy_accuracy().
"""

import itertools
import re

import torch
import torch.nn.functional as F


# ----------------------------------------------------------------------------------------------
# Words and their tokens


def word_tokens(tokenizer, word: str, lang: str) -> list[int]:
    """Token ids of a word as it appears inside a sentence: in Russian after a space (" Париж"),
    in Chinese as it is (Chinese puts no spaces between words)."""
    word = word.strip()
    return tokenizer.encode(" " + word if lang == "ru" else word)


def single_tokens(tokenizer, words, lang: str) -> dict:
    """{word: token id} for the words that are exactly one token; the others are left out."""
    out = {}
    for w in words:
        ids = word_tokens(tokenizer, w, lang)
        if len(ids) == 1:
            out[w] = ids[0]
    return out


# ----------------------------------------------------------------------------------------------
# Similarity


def cosine(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Cosine similarity along the last dimension (broadcasts): a . b / (|a| |b|)."""
    return F.cosine_similarity(a, b, dim=-1)


def nearest(vectors: torch.Tensor, query: torch.Tensor, k: int = 5, exclude=(), candidates=None) -> list:
    """The k rows of `vectors` most similar to `query` by cosine: [(row index, cosine), ...], best first.
    candidates: row indices allowed as answers (default: all); exclude: rows never returned."""
    rows = torch.arange(len(vectors)) if candidates is None else torch.as_tensor(list(candidates))
    scores = cosine(vectors[rows], query[None, :])
    banned = torch.tensor([int(r) in set(exclude) for r in rows])
    scores = scores.masked_fill(banned, float("-inf"))
    top = torch.topk(scores, min(k, int((~banned).sum())))
    return [(int(rows[i]), float(s)) for s, i in zip(top.values, top.indices)]


def analogy(vectors: torch.Tensor, a: int, b: int, c: int, k: int = 5, candidates=None) -> list:
    """a - b + c: the rows nearest to that point, leaving out the three inputs (else `a` itself usually wins)."""
    return nearest(vectors, vectors[a] - vectors[b] + vectors[c], k, exclude=(a, b, c), candidates=candidates)


def analogy_accuracy(vectors: torch.Tensor, pairs, candidates=None, seed: int = 0) -> dict:
    """How often a - b + c lands on d, over all analogies that two pairs (x, y) make.

    pairs: [(x, y)] row indices with one relation, e.g. (country, capital) or (male, female).
    For every two different pairs (x1, y1), (x2, y2) the analogy x2 - x1 + y1 should give y2
    ("Japan - France + Paris ~ Tokyo": a = x2, b = x1, c = y1, d = y2). The three inputs are never
    answers. Besides the offset itself, three baselines answer the same questions:
      random: a + a random direction as long as the offset (does the offset's direction matter?)
      third:  c alone, the nearest neighbour of the third word (is it just "near the third word"?)
      first:  a alone, the nearest neighbour of the first word (is the answer simply a's closest neighbour?)
    Returns {"offset", "random", "third", "first": accuracy in 0..1, "n": number of analogies}.
    """
    quads = torch.tensor([(a, b, c, d) for (b, c), (a, d) in itertools.permutations(pairs, 2)]).view(-1, 4)
    a, b, c, d = quads.T
    offset = vectors[c] - vectors[b]
    noise = torch.randn(offset.shape, generator=torch.Generator().manual_seed(seed))
    noise = noise / noise.norm(dim=-1, keepdim=True) * offset.norm(dim=-1, keepdim=True)
    queries = {"offset": vectors[a] + offset, "random": vectors[a] + noise, "third": vectors[c], "first": vectors[a]}
    rows = torch.arange(len(vectors)) if candidates is None else torch.as_tensor(list(candidates))
    unit = F.normalize(vectors[rows], dim=-1)
    banned = (rows[None] == a[:, None]) | (rows[None] == b[:, None]) | (rows[None] == c[:, None])
    out = {}
    for name, q in queries.items():
        scores = (F.normalize(q, dim=-1) @ unit.T).masked_fill(banned, float("-inf"))
        out[name] = (rows[scores.argmax(1)] == d).float().mean().item() if len(quads) else 0.0
    return {**out, "n": len(quads)}


# ----------------------------------------------------------------------------------------------
# Vectors from the model


@torch.no_grad()
def layer_vectors(model, token_lists, layers, prefix=(), batch_size: int = 512):
    """One vector per word at each layer in `layers` (an int, or a list: then a {layer: tensor} dict).

    Layer 0 is the embedding matrix: the word's row of W_E (one-token words only).
    Layer i >= 1 is the residual stream after block i - 1 at the word's last token, with the word
    following `prefix` (token ids; empty: the word alone at the start of the text). One forward pass
    serves all layers."""
    one = isinstance(layers, int)
    layers = [layers] if one else list(layers)
    bad = [l for l in layers if not 0 <= l <= model.config.n_layer]
    if bad:
        raise ValueError(f"layers must be in 0..{model.config.n_layer} (0 = the embedding matrix), got {bad}")
    out = {}
    if 0 in layers:
        if any(len(t) != 1 for t in token_lists):
            raise ValueError("layer 0 is the embedding matrix: it has rows for single tokens only; "
                             "read words of several tokens at a layer >= 1 (at their last token)")
        out[0] = model.embed.weight.detach()[torch.tensor([t[0] for t in token_lists])].float().cpu()
    names = {l: f"blocks.{l - 1}.resid_post" for l in layers if l > 0}
    if names:
        chunks = {l: [] for l in names}
        for start in range(0, len(token_lists), batch_size):
            batch = [list(prefix) + list(t) for t in token_lists[start:start + batch_size]]
            ids = torch.zeros(len(batch), max(map(len, batch)), dtype=torch.long)
            for row, seq in enumerate(batch):
                ids[row, :len(seq)] = torch.tensor(seq)  # padding after the word: causal, so never seen
            _, cache = model.run_with_cache(ids.to(model.device), names=list(names.values()))
            last = torch.tensor([len(seq) - 1 for seq in batch])
            for l, name in names.items():
                chunks[l].append(cache[name][torch.arange(len(batch)), last].float().cpu())
        out.update({l: torch.cat(c) for l, c in chunks.items()})
    return out[layers[0]] if one else {l: out[l] for l in layers}


def vocab_vectors(model, layers, prefix=()):
    """layer_vectors for every token of the vocabulary (row i = token i)."""
    return layer_vectors(model, [[i] for i in range(model.config.vocab_size)], layers, prefix)


# ----------------------------------------------------------------------------------------------
# Directions and projections


def mean_direction(vectors: torch.Tensor, pairs) -> torch.Tensor:
    """Unit vector along the average difference y - x over the pairs (e.g. singular -> plural)."""
    diff = torch.stack([vectors[y] - vectors[x] for x, y in pairs]).mean(0)
    return diff / diff.norm()


def pca_2d(vectors: torch.Tensor):
    """Project rows onto their two main axes: (coords [N, 2], fraction of the variance they keep)."""
    x = vectors.double() - vectors.double().mean(0)
    _, s, vt = torch.linalg.svd(x, full_matrices=False)
    vt = vt[:2] * torch.sign(vt[:2].sum(1, keepdim=True))  # SVD signs are arbitrary; fix them for the plot
    return (x @ vt.T).float(), float((s[:2] ** 2).sum() / (s ** 2).sum())


# ----------------------------------------------------------------------------------------------
# Where directions come from: vectors from co-occurrence counts alone


def _orthonormal(x: torch.Tensor) -> torch.Tensor:
    """Orthonormal columns spanning x: Cholesky QR (a few small matrix products, fast on a busy CPU),
    or a Householder QR when x is too close to rank-deficient for it."""
    try:
        chol = torch.linalg.cholesky(x.T @ x)
        return torch.linalg.solve_triangular(chol, x.T, upper=False).T
    except torch.linalg.LinAlgError:
        return torch.linalg.qr(x).Q


def cooccurrence_vectors(ids, vocab_size: int, window: int = 4, dim: int = 64, iterations: int = 10) -> torch.Tensor:
    """Word vectors from counting alone: how often token j occurs within `window` tokens of token i,
    turned into positive pointwise mutual information (PPMI: log of observed / expected by chance,
    negatives cut to 0) and compressed to `dim` numbers per token by an eigendecomposition.
    Tokens that share contexts get similar rows."""
    ids = torch.as_tensor(ids, dtype=torch.long)
    counts = torch.zeros(vocab_size * vocab_size, dtype=torch.float64)
    for k in range(1, window + 1):
        counts += torch.bincount(ids[:-k] * vocab_size + ids[k:], minlength=vocab_size * vocab_size)
    counts = counts.view(vocab_size, vocab_size)
    counts = counts + counts.T  # a neighbour on the left counts like one on the right
    seen = torch.nonzero(counts.sum(1)).flatten()  # tokens absent from the text keep a zero vector
    counts = counts[seen][:, seen]
    total, row = counts.sum(), counts.sum(1, keepdim=True)
    ppmi = torch.log(counts * total / (row * row.T)).clamp(min=0)  # never together: log 0 = -inf, cut to 0
    # Keep the `dim` strongest directions of the matrix (a truncated SVD; for a symmetric matrix the singular
    # vectors are its eigenvectors), found by subspace iteration from a fixed random start: multiply,
    # re-orthonormalise, repeat. Much faster than a full decomposition, and the same on every run.
    width = min(dim + 16, len(seen))
    if width == len(seen):  # a tiny vocabulary: decompose it whole
        values, vecs = torch.linalg.eigh(ppmi)
    else:
        gen = torch.Generator().manual_seed(0)
        basis = torch.randn(len(seen), width, generator=gen, dtype=torch.float64)
        for _ in range(iterations):
            basis = _orthonormal(ppmi @ basis)
        values, small = torch.linalg.eigh(basis.T @ ppmi @ basis)
        vecs = basis @ small
    top = torch.argsort(-values.abs())[:dim]
    out = torch.zeros(vocab_size, dim, dtype=torch.float64)
    out[seen, :len(top)] = vecs[:, top] * values[top].abs().sqrt()
    return out.float()


def associative_sentences(lang: str) -> set:
    """Every sentence the world corpus can write that only puts a pair side by side, with no relation
    word: «Париж и Франция.», «寿司，来自日本。», «Париж для Франции — то же, что Рим для Италии.»."""
    from .world import facts
    from .world.core import render
    from .world.corpus import get_language

    language = get_language(lang)
    lex = language.lexicon

    def fill(template, **roles):
        return render(template, {k: lex[v] for k, v in roles.items()})[0]

    out = set()
    for s, (c, l, f) in facts.COUNTRIES.items():
        out |= {fill(t, s=s, c=c, l=l, f=f) for t in language.assoc["assoc_country"]}
    for s, t2 in itertools.permutations(facts.COUNTRIES, 2):
        c, d = facts.COUNTRIES[s][0], facts.COUNTRIES[t2][0]
        out |= {fill(t, s=s, t=t2, c=c, d=d) for t in language.assoc["assoc_two_countries"]}
    for s, (c, cities) in facts.STATES.items():
        for x, y in itertools.permutations((*cities, c), 2):
            out |= {fill(t, s=s, c=c, x=x, y=y) for t in language.assoc["assoc_state"]}
    return out


_SENTENCE_END = {"ru": re.compile(r"(?<=[.!?])\s+"), "zh": re.compile(r"(?<=[。！？])")}
_JOIN = {"ru": " ", "zh": ""}


def drop_sentences(text: str, sentences: set, lang: str) -> str:
    """The text without the given sentences (documents and lines that become empty disappear)."""
    docs = []
    for doc in text.split("\n\n"):
        lines = []
        for line in doc.split("\n"):
            kept = [s for s in _SENTENCE_END[lang].split(line) if s and s.strip() not in sentences]
            if kept:
                lines.append(_JOIN[lang].join(kept))
        if lines:
            docs.append("\n".join(lines))
    return "\n\n".join(docs)


def pair_cooccurrences(ids, pairs, window: int = 4) -> int:
    """How many times the two tokens of a pair occur within `window` tokens of each other, over all pairs."""
    ids = torch.as_tensor(ids, dtype=torch.long)
    total = 0
    for x, y in pairs:
        for k in range(1, window + 1):
            left, right = ids[:-k], ids[k:]
            total += int((((left == x) & (right == y)) | ((left == y) & (right == x))).sum())
    return total


def count_phrase(lexicon, key: str, n: int) -> str:
    """A numeral with its noun as the world corpus writes it: «две кошки», «пять кошек»; «两只猫»."""
    if lexicon.lang == "ru":
        from .world.lexicon_ru import count_phrase as ru_count_phrase
        return ru_count_phrase(n, lexicon[key])
    from .world.lexicon_zh import NUMERALS
    e = lexicon[key]
    return f"{NUMERALS[n]}{e.mw}{e.lemma}"
