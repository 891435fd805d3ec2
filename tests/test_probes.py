import pytest
import torch

from minigpt.probes import (balanced_splits, centered, cosine_by_layer, group_similarity, identity_accuracy,
                            probe_accuracy_by_layer, random_split_control, separation, shuffled_baseline,
                            shuffled_labels, similarity_levels, train_probe)


def clusters(n_words=12, contexts=3, d=16, signal=3.0, noise=0.3, seed=0):
    """Words of two groups; layer 0 holds only the word, layer 1 also a group direction."""
    g = torch.Generator().manual_seed(seed)
    word_vec = torch.randn(n_words, d, generator=g)
    group_dir = torch.randn(d, generator=g)
    X, labels, words, ctx = [], [], [], []
    for c in range(contexts):
        for w in range(n_words):
            group = w % 2
            base = word_vec[w] + noise * torch.randn(d, generator=g)
            X.append(torch.stack([base, base + signal * (2 * group - 1) * group_dir]))
            labels.append(bool(group))
            words.append(f"w{w}")
            ctx.append(c)
    return torch.stack(X), labels, words, ctx


def test_cosine_and_centering():
    a = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
    b = torch.tensor([[1.0, 0.0], [-1.0, -1.0]])
    assert cosine_by_layer(a, b).tolist() == pytest.approx([1.0, -1.0])
    X = torch.randn(10, 3, 4)
    assert centered(X).mean(0).abs().max() < 1e-6


def test_group_similarity_sees_the_group_only_where_it_is():
    X, labels, words, ctx = clusters()
    within, between = group_similarity(X, labels, words, ctx)
    sep = separation(X, labels, words, ctx)
    torch.testing.assert_close(sep, within - between)
    assert sep[1] > 0.5 and abs(sep[0]) < 0.2
    control = random_split_control(X, labels, words, ctx, n=50)
    assert control.shape == (50, 2)
    assert control[:, 1].quantile(0.95) < sep[1]


def test_random_split_control_matches_a_slow_version():
    X, labels, words, ctx = clusters(n_words=8, contexts=2)
    fast = random_split_control(X, labels, words, ctx, n=5, seed=3)
    # the same permutations, one by one through group_similarity
    g = torch.Generator().manual_seed(3)
    unit_label = torch.tensor([w % 2 for w in range(8)])
    units = torch.tensor([int(w[1:]) for w in words])
    for row in fast:
        perm = unit_label[torch.randperm(8, generator=g)][units].tolist()
        within, between = group_similarity(X, perm, words, ctx)
        torch.testing.assert_close(row, within - between, atol=1e-5, rtol=1e-5)


def test_similarity_levels_and_identity():
    X, labels, words, ctx = clusters()
    levels = similarity_levels(X, labels, words, ctx)
    assert set(levels) == {"same_word", "same_group", "other_group", "index"}
    assert (levels["same_word"] > levels["same_group"]).all()
    assert levels["index"][1] > levels["index"][0]  # the group direction adds abstraction at layer 1
    identity = identity_accuracy(X, words, ctx)
    assert identity[0] == 1.0  # the word itself stays recognisable


def test_train_probe_and_weights():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(60, 8, generator=g)
    y = (X[:, 0] > 0).long()
    predict = train_probe(X, y, l2=1.0)
    assert (predict(X) == y).float().mean() > 0.9
    # weights = fitting on the chosen rows only
    keep = torch.arange(60) % 3 != 0
    a = train_probe(X[keep], y[keep])(X)
    b = train_probe(X, y, weights=keep.double())(X)
    assert torch.equal(a, b)
    # batched: leading dims get a probe each
    stacked = train_probe(torch.stack([X, -X]), y)(torch.stack([X, -X]))
    assert stacked.shape == (2, 60) and torch.equal(stacked[0], stacked[1])


def test_balanced_splits_keep_groups_whole():
    labels = ["a"] * 8 + ["b"] * 8
    groups = [i // 2 for i in range(16)]  # 8 groups, 4 per class
    for train, test in balanced_splits(labels, groups, n_splits=4):
        assert not set(groups[i] for i in train.tolist()) & set(groups[i] for i in test.tolist())
        assert sum(labels[i] == "a" for i in test.tolist()) == 4  # half of class a's groups, two rows each


def test_probe_accuracy_and_shuffled_baseline():
    X, labels, words, ctx = clusters(n_words=20)
    acc = probe_accuracy_by_layer(X, labels, words)
    base = shuffled_baseline(X, labels, words, repeats=3)
    assert acc.shape == base.shape == (2,)
    assert acc[1] > 0.95  # the group direction, on words the probe never saw
    assert acc[0] < 0.8 and base[1] < 0.8


def test_shuffled_labels_permute_whole_units():
    labels = ["x", "x", "y", "y", "y", "y"]
    units = ["a", "a", "b", "b", "c", "c"]
    new = shuffled_labels(labels, units, seed=1)
    assert sorted(new) == sorted(labels)
    assert new[0] == new[1] and new[2] == new[3] and new[4] == new[5]
