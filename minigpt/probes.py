"""What the residual stream holds at each layer: similarity between groups, and linear probes.

The inputs are residual vectors collected with minigpt.lens.states_at: X of shape [N, L+1, d], one row
per example (say, a subject in a sentence), one slice per layer. Everything here works layer by
layer and returns one number per layer, so the curves can be plotted against depth.

    within, between = group_similarity(X, labels)         # mean cosine inside and across groups
    control = random_split_control(X, labels, n=200)       # the same with random groups
    levels = similarity_levels(X, labels, words, contexts) # same word / same group / other group
    acc = probe_accuracy_by_layer(X, labels, groups)       # held-out accuracy of a linear probe
    base = shuffled_baseline(X, labels, groups)            # the same probe trained on shuffled labels

Probes are held out by *group* (an entity: both forms of a word, all its sentences), so a probe is
always tested on words it never saw in training: what it reads must be shared by the category,
not memorised per word.
"""

import torch
import torch.nn.functional as F


def centered(X: torch.Tensor) -> torch.Tensor:
    """Subtract the mean vector of each layer over all examples: [N, L+1, d].

    The residual stream has a large common component (shared by every token and position);
    without removing it every pair of vectors looks similar and the differences drown."""
    return X - X.mean(dim=0, keepdim=True)


def cosine_by_layer(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Cosine similarity of two vectors at every layer: [L+1, d] x [L+1, d] -> [L+1]."""
    return F.cosine_similarity(a.float(), b.float(), dim=-1)


def _ids(values) -> torch.Tensor:
    """Any hashable labels -> integer ids (so strings and booleans work alike)."""
    values = list(values)
    index = {v: i for i, v in enumerate(dict.fromkeys(values))}
    return torch.tensor([index[v] for v in values])


def _cosines(X, center: bool = True) -> torch.Tensor:
    """Cosine similarity of every pair of examples at every layer: [L+1, N, N]."""
    Z = F.normalize((centered(X) if center else X).float(), dim=-1).transpose(0, 1)  # [L+1, N, d]
    return Z @ Z.transpose(1, 2)


def _pair_means(sims, labels, allowed):
    """Mean cosine over allowed pairs in the same group and in different groups, per layer."""
    same = labels[:, None] == labels[None, :]
    return sims[:, same & allowed].mean(-1), sims[:, ~same & allowed].mean(-1)


def _allowed_pairs(n, entities=None, contexts=None):
    """Which pairs to compare: never an example with itself; with `entities`, only different
    entities (so similarity is never "the same word again"); with `contexts`, only examples seen in
    the same context (the rest of the sentence is then identical and cannot explain a difference)."""
    allowed = ~torch.eye(n, dtype=torch.bool)
    if entities is not None:
        e = _ids(entities)
        allowed &= e[:, None] != e[None, :]
    if contexts is not None:
        c = _ids(contexts)
        allowed &= c[:, None] == c[None, :]
    return allowed


def group_similarity(X, labels, entities=None, contexts=None, center: bool = True):
    """(within, between): mean cosine similarity of pairs of examples from the same group and from
    different groups, at every layer ([L+1] each). Centred by default (see `centered`).
    entities, contexts: restrict the pairs (see _allowed_pairs)."""
    allowed = _allowed_pairs(len(labels), entities, contexts)
    return _pair_means(_cosines(X, center), _ids(labels), allowed)


def separation(X, labels, entities=None, contexts=None, center: bool = True) -> torch.Tensor:
    """within - between per layer: how much more alike same-group examples are than the rest."""
    within, between = group_similarity(X, labels, entities, contexts, center)
    return within - between


def random_split_control(X, labels, entities=None, contexts=None, n: int = 200, seed: int = 0,
                         center: bool = True) -> torch.Tensor:
    """`separation` for `n` random regroupings of the entities that keep the group sizes: [n, L+1].

    The control for group_similarity: how large a separation arises from groups that mean nothing.
    With `entities`, whole entities are reassigned (all examples of a word move together)."""
    labels = _ids(labels)
    units = _ids(entities) if entities is not None else torch.arange(len(labels))
    unit_label = torch.zeros(int(units.max()) + 1, dtype=torch.long)
    unit_label[units] = labels
    allowed = _allowed_pairs(len(labels), entities, contexts).float()
    sims = _cosines(X, center)
    g = torch.Generator().manual_seed(seed)
    perms = torch.stack([unit_label[torch.randperm(len(unit_label), generator=g)][units] for _ in range(n)])
    out = []
    for chunk in perms.split(50):  # all regroupings of a chunk at once: masks [chunk, N, N]
        same = (chunk[:, :, None] == chunk[:, None, :]).float() * allowed
        other = allowed - same
        within = torch.einsum("lij,nij->nl", sims, same) / same.sum((1, 2))[:, None]
        between = torch.einsum("lij,nij->nl", sims, other) / other.sum((1, 2))[:, None]
        out.append(within - between)
    return torch.cat(out)


def similarity_levels(X, labels, words, contexts, center: bool = True) -> dict:
    """Three mean cosines per layer, always between examples seen in *different* contexts:

        same_word:   the same word twice (how recognisable the word itself stays)
        same_group:  two different words of the same group (say, two animals)
        other_group: two words of different groups (an animal and a thing)

    and index = (same_group - other_group) / (same_word - other_group): the share of "the same word
    again" that "a word of the same group" already gives. It grows when deeper layers keep the group
    and let the particular word matter less."""
    sims = _cosines(X, center)
    lab, w, c = _ids(labels), _ids(words), _ids(contexts)
    other_context = c[:, None] != c[None, :]
    same_word = (w[:, None] == w[None, :]) & other_context
    same_group = (lab[:, None] == lab[None, :]) & (w[:, None] != w[None, :]) & other_context
    other_group = (lab[:, None] != lab[None, :]) & other_context
    out = {name: sims[:, mask].mean(-1) for name, mask in
           (("same_word", same_word), ("same_group", same_group), ("other_group", other_group))}
    out["index"] = (out["same_group"] - out["other_group"]) / (out["same_word"] - out["other_group"])
    return out


def identity_accuracy(X, words, contexts) -> torch.Tensor:
    """Can the word still be told apart at each layer? [L+1].

    For every context in turn, each word's vectors in the *other* contexts are averaged into a
    centroid; an example is right when its nearest centroid (by cosine, after centring) is its own
    word. 1 / (number of words) is chance."""
    Xc = F.normalize(centered(X).float(), dim=-1)
    w, c = _ids(words), _ids(contexts)
    n_words = int(w.max()) + 1
    correct = torch.zeros(X.shape[1])
    for ctx in c.unique():
        test, train = c == ctx, c != ctx
        centroids = torch.zeros(n_words, X.shape[1], X.shape[2])
        centroids.index_add_(0, w[train], Xc[train])
        centroids = F.normalize(centroids, dim=-1)  # [W, L+1, d]
        sims = torch.einsum("nld,wld->lnw", Xc[test], centroids)
        correct += (sims.argmax(-1) == w[test]).sum(-1)
    return correct / len(w)


def train_probe(X, y, l2: float = 10.0, weights=None):
    """A linear classifier on vectors X [..., N, d] for class indices y [N], fitted in closed form.

    Ridge regression onto one-hot targets: W = (X^T X + l2 I)^-1 X^T Y, then the class is the
    argmax of X W. No learning rate, no steps, the same answer on every machine. Features are
    standardised with the training set's mean and spread, so one l2 suits every layer whatever its
    scale. Leading dimensions of X (say, layers) get a probe each, fitted in one batched solve.
    weights [..., N]: 1 for the examples to train on, 0 for the rest (so many train/test splits of
    the same examples can be fitted at once); they broadcast against X's leading dimensions.
    Returns predict(X_new [..., M, d]) -> class indices [..., M]."""
    X = X.double()
    y = torch.as_tensor(y, dtype=torch.long)
    w = torch.ones(X.shape[:-1], dtype=X.dtype) if weights is None else torch.as_tensor(weights).double()
    w = w.unsqueeze(-1)  # [..., N, 1]
    n = w.sum(-2, keepdim=True)
    mean = (w * X).sum(-2, keepdim=True) / n
    std = ((w * (X - mean) ** 2).sum(-2, keepdim=True) / (n - 1)).sqrt() + 1e-6
    Xs = (X - mean) / std
    Y = F.one_hot(y, int(y.max()) + 1).double()
    Y = Y - (w * Y).sum(-2, keepdim=True) / n  # centred: the class frequencies are not added back
    Xw = (w * Xs).transpose(-1, -2)
    W = torch.linalg.solve(Xw @ Xs + l2 * torch.eye(X.shape[-1], dtype=X.dtype), Xw @ Y)

    def predict(X_new):
        # Every class gets the same prior: a layer that holds nothing about the property scores at
        # chance, instead of following whichever class is the majority of the training split.
        return (((X_new.double() - mean) / std) @ W).argmax(-1)
    return predict


def balanced_splits(labels, groups, n_splits: int = 10, seed: int = 0):
    """Random train/test splits of the groups (entities), half of them held out each time.

    The groups are split within each kind (the set of labels a group carries), so both halves keep
    the classes in proportion. Yields (train_index, test_index) tensors."""
    kinds = {}
    for grp, lab in zip(groups, labels):
        kinds.setdefault(grp, set()).add(lab)
    by_kind = {}
    for grp in sorted(kinds, key=str):
        by_kind.setdefault(tuple(sorted(kinds[grp], key=str)), []).append(grp)
    g = torch.Generator().manual_seed(seed)
    groups = list(groups)
    for split in range(n_splits):
        test_groups = set()
        for members in by_kind.values():
            order = torch.randperm(len(members), generator=g).tolist()
            half = (len(members) + split % 2) // 2  # odd sizes: alternate which half gets the extra one
            test_groups |= {members[i] for i in order[:half]}
        test = torch.tensor([i for i, grp in enumerate(groups) if grp in test_groups])
        train = torch.tensor([i for i, grp in enumerate(groups) if grp not in test_groups])
        yield train, test


def shuffled_labels(labels, units, seed: int = 0) -> list:
    """Each unit (a word) takes the labels of another unit: a random permutation of the units."""
    names = list(dict.fromkeys(units))
    label_of = {u: lab for u, lab in zip(units, labels)}
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(len(names), generator=g).tolist()
    new = {names[i]: label_of[names[j]] for i, j in enumerate(perm)}
    return [new[u] for u in units]


def probe_accuracy_by_layer(X, labels, groups, n_splits: int = 10, l2: float = 10.0, seed: int = 0,
                            train_labels=None) -> torch.Tensor:
    """Held-out accuracy of a linear probe at every layer: [L+1].

    X: [N, L+1, d]; labels: a class per example (any hashable); groups: the entity of each example.
    Each split trains on half of the entities and tests on the other half, which the probe never
    saw; the accuracy is averaged over `n_splits` random splits.
    train_labels: labels to train on instead of `labels` (the shuffled baseline); the score is
    always against the true labels."""
    classes = sorted(set(labels), key=str)
    y = torch.tensor([classes.index(c) for c in labels])
    y_fit = y if train_labels is None else torch.tensor([classes.index(c) for c in train_labels])
    splits = list(balanced_splits(labels, groups, n_splits, seed))
    train = torch.zeros(len(splits), len(y))
    for k, (train_index, _) in enumerate(splits):
        train[k, train_index] = 1
    # one probe per (split, layer), all fitted in one batched solve
    predict = train_probe(X.transpose(0, 1), y_fit, l2, weights=train[:, None, :])
    hit = (predict(X.transpose(0, 1)) == y).double()  # [splits, L+1, N]
    test = (1 - train)[:, None, :].double()
    accs = (hit * test).sum(-1) / test.sum(-1)  # [splits, L+1]
    return accs.mean(0).float()


def shuffled_baseline(X, labels, groups, words=None, repeats: int = 5, seed: int = 0, **kw) -> torch.Tensor:
    """The same probe trained on shuffled labels, averaged over `repeats` permutations: [L+1].

    Each word (default: each group) gets another word's label, so the probe has the same data and
    the same capacity but nothing true to learn; it is scored against the true labels."""
    words = list(groups) if words is None else list(words)
    runs = [probe_accuracy_by_layer(X, labels, groups, seed=seed,
                                    train_labels=shuffled_labels(labels, words, seed + 1 + r), **kw)
            for r in range(repeats)]
    return torch.stack(runs).mean(0)
