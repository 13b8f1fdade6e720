"""The n-gram model: its probabilities against a plain-Python modified Kneser–Ney, normalisation, saving."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from shuxi.errors import ConfigError, DataError
from shuxi.lm.ngram import KneserNeyLM


def _discounts(counts: Counter) -> list[float]:
    n = [sum(1 for c in counts.values() if c == r) for r in (1, 2, 3, 4)]
    if min(n) == 0:
        return [0.5, 1.0, 1.5]
    y = n[0] / (n[0] + 2 * n[1])
    d = [1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]]
    return [min(max(x, 0.05), r) for x, r in zip(d, (1.0, 2.0, 3.0))]


def reference_probability(tokens: list[int], order: int, vocab: int, history: tuple[int, ...], word: int) -> float:
    """Chen & Goodman's interpolated modified Kneser–Ney, written with dictionaries, straight from the formulas."""
    grams = {k: Counter(tuple(tokens[i : i + k]) for i in range(len(tokens) - k + 1)) for k in range(1, order + 1)}
    counts = {order: grams[order]}
    for k in range(order - 1, 0, -1):
        counts[k] = Counter(g[1:] for g in grams[k + 1])  # distinct left neighbours of each k-gram
    p = 1.0 / (vocab - 1)
    for k in range(1, order + 1):
        if k - 1 > len(history):
            break
        h = history[len(history) - (k - 1) :] if k > 1 else ()
        d = _discounts(counts[k])
        follow = {g[-1]: c for g, c in counts[k].items() if g[:-1] == h and c > 0}
        total = sum(follow.values())
        if total == 0:
            continue

        def disc(c: int) -> float:
            return 0.0 if c == 0 else d[min(c, 3) - 1]

        gamma = sum(disc(c) for c in follow.values()) / total
        c = follow.get(word, 0)
        p = max(c - disc(c), 0.0) / total + gamma * p
    return p


@pytest.fixture(scope="module")
def small() -> tuple[list[int], KneserNeyLM]:
    rng = np.random.default_rng(3)
    # A corpus with repeats (so there are counts of 1, 2, 3 and more) over ids 1…7 of a vocabulary of 9.
    tokens = np.concatenate([rng.integers(1, 8, 60), np.tile([1, 2, 3, 4], 15), rng.integers(1, 5, 80)]).tolist()
    return tokens, KneserNeyLM(order=3, vocab_size=9).fit(np.array(tokens))


def test_probabilities_match_a_plain_python_kneser_ney(small: tuple[list[int], KneserNeyLM]) -> None:
    tokens, lm = small
    rng = np.random.default_rng(0)
    for _ in range(12):
        history = tuple(int(t) for t in rng.integers(1, 9, 2))
        dist = lm.distribution(list(history))
        for word in range(1, 9):
            expected = reference_probability(tokens, 3, 9, history, word)
            assert dist[word] == pytest.approx(expected, rel=1e-5)


def test_token_log_probs_agree_with_distribution(small: tuple[list[int], KneserNeyLM]) -> None:
    tokens, lm = small
    seq = tokens[50:90]
    logp = lm.token_log_probs(seq)
    for i in (0, 1, 2, 10, 39):
        assert math.exp(logp[i]) == pytest.approx(lm.distribution(seq[:i])[seq[i]], rel=1e-5)
        assert math.exp(logp[i]) == pytest.approx(reference_probability(tokens, 3, 9, tuple(seq[max(i - 2, 0) : i]), seq[i]), rel=1e-5)


@pytest.mark.parametrize("order", [1, 2, 4, 6])
def test_probabilities_sum_to_one_for_random_contexts(corpus_text: str, order: int) -> None:
    chars = sorted(set(corpus_text))
    ids = np.array([chars.index(c) + 1 for c in corpus_text])
    vocab = len(chars) + 3  # ids never seen in training still get probability
    lm = KneserNeyLM(order=order, vocab_size=vocab).fit(ids)
    rng = np.random.default_rng(order)
    for length in (0, 1, 3, 8):
        for context in (rng.integers(1, vocab, length).tolist(), ids[100 : 100 + length].tolist()):
            dist = lm.distribution(context)
            assert dist.shape == (vocab,) and dist[0] == 0.0 and (dist[1:] > 0).all()
            assert dist.sum() == pytest.approx(1.0, abs=1e-5)


def test_higher_orders_fit_structured_text_better(corpus_text: str) -> None:
    chars = sorted(set(corpus_text))
    ids = np.array([chars.index(c) + 1 for c in corpus_text])
    cut = int(0.9 * len(ids))
    losses = [KneserNeyLM(order=k, vocab_size=len(chars) + 1).fit(ids[:cut]).loss(ids[cut:]) for k in (1, 2, 4)]
    assert losses[0] > losses[1] > losses[2]


def test_save_and_load_give_identical_probabilities(tmp_path: Path, small: tuple[list[int], KneserNeyLM]) -> None:
    tokens, lm = small
    lm.save(tmp_path)
    again = KneserNeyLM.load(tmp_path, lm.to_config())
    np.testing.assert_array_equal(again.token_log_probs(tokens), lm.token_log_probs(tokens))
    with np.load(tmp_path / "ngram.npz", allow_pickle=False) as data:  # plain arrays: loads without pickle
        assert all(data[name].dtype != object for name in data.files)


def test_bad_input() -> None:
    with pytest.raises(DataError, match="empty"):
        KneserNeyLM(order=3, vocab_size=5).fit(np.array([], dtype=np.int64))
    with pytest.raises(DataError, match="padding"):
        KneserNeyLM(order=3, vocab_size=5).fit(np.array([0, 1, 2]))
    with pytest.raises(ConfigError, match="order"):
        KneserNeyLM(order=0, vocab_size=5)
    with pytest.raises(ConfigError, match="not been trained"):
        KneserNeyLM(order=2, vocab_size=5).distribution([1])
