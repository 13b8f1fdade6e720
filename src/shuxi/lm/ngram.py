"""An n-gram language model with interpolated modified Kneser–Ney smoothing (Chen & Goodman 1998).

Works on integer token ids (characters or BPE pieces from :mod:`shuxi.text.tokenizers`), any order.
Everything is NumPy: an order-k n-gram is stored as one int64 key ``id(its (k-1)-gram) * V + token``
in a sorted array, so training is ``np.unique`` per order and lookups are ``np.searchsorted``; a 6-gram
on a million characters trains in about a second.

For order k the probability of token w after history h is

    P_k(w | h) = max(c_k(h w) - D_k(c), 0) / c_k(h •)  +  γ_k(h) · P_{k-1}(w | h'),
    γ_k(h)     = (D_k1·N1(h •) + D_k2·N2(h •) + D_k3+·N3+(h •)) / c_k(h •),

with raw counts at the highest order, continuation counts (how many distinct tokens precede the
n-gram) below it, three discounts per order from the count-of-counts, and the uniform distribution
over the vocabulary (padding id 0 excluded) under the unigrams. A history never seen in training
hands its probability mass down unchanged (γ = 1).

Saved as NPZ (``allow_pickle=False``) with a JSON config beside it — no pickle.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from shuxi.errors import ConfigError, DataError


@dataclass(frozen=True)
class NGramConfig:
    """What defines an n-gram model; saved beside its arrays."""

    order: int = 6
    vocab_size: int = 0


def _find(keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Index of each query in the sorted ``keys``, or -1 where it is absent."""
    if len(keys) == 0:
        return np.full(queries.shape, -1, dtype=np.int64)
    idx = np.searchsorted(keys, queries)
    idx = np.minimum(idx, len(keys) - 1)
    return np.where(keys[idx] == queries, idx, -1)


def _discounts(counts: np.ndarray) -> np.ndarray:
    """Chen & Goodman's D1, D2, D3+ from the count-of-counts n1…n4 of one order."""
    n = [int(np.count_nonzero(counts == r)) for r in (1, 2, 3, 4)]
    if min(n) == 0:
        # Too little data for the estimate (tiny corpora): fall back to the usual constant discounts.
        return np.array([0.5, 1.0, 1.5])
    y = n[0] / (n[0] + 2 * n[1])
    d = np.array([1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]])
    return np.clip(d, 0.05, np.array([1.0, 2.0, 3.0]))


class KneserNeyLM:
    """Interpolated modified Kneser–Ney n-gram model over integer ids ``1 … vocab_size-1``.

    >>> lm = KneserNeyLM(order=3, vocab_size=5).fit(np.array([1, 2, 3, 1, 2, 4]))
    >>> lm.distribution([1, 2]).sum()   # 1.0
    """

    def __init__(self, *, order: int = 6, vocab_size: int) -> None:
        if order < 1:
            raise ConfigError(f"The n-gram order must be at least 1, not {order}.", hint="Pass --order 1 or more.")
        if vocab_size < 2:
            raise ConfigError(f"The vocabulary needs at least one token besides padding (vocab_size={vocab_size}).")
        self.config = NGramConfig(order=order, vocab_size=vocab_size)
        # Per order k (index k-1): sorted n-gram keys, their discounted probability mass c'/total,
        # and per history ((k-1)-gram id) the interpolation weight γ.
        self.keys_: list[np.ndarray] = []
        self.alpha_: list[np.ndarray] = []
        self.gamma_: list[np.ndarray] = []
        self.discounts_: np.ndarray = np.zeros((0, 3))

    @property
    def order(self) -> int:
        return self.config.order

    @property
    def vocab_size(self) -> int:
        return self.config.vocab_size

    # -- training --------------------------------------------------------------------------------

    def fit(self, ids: np.ndarray) -> KneserNeyLM:
        """Count every n-gram of ``ids`` (a 1-D integer array) up to the model's order."""
        tokens = np.asarray(ids, dtype=np.int64)
        if tokens.ndim != 1 or len(tokens) == 0:
            raise DataError("The corpus is empty: there is nothing to count.", hint="Give a text with at least one character.")
        V = self.vocab_size
        if tokens.min() < 1 or tokens.max() >= V:
            raise DataError(f"Token ids must lie in 1…{V - 1} (0 is padding); got {tokens.min()}…{tokens.max()}.")
        order = min(self.order, len(tokens))
        # grams[k-1][j]: id of the k-gram ending at position j + k - 1 (one entry per start position).
        keys: list[np.ndarray] = []
        grams: list[np.ndarray] = []
        for k in range(1, order + 1):
            if k == 1:
                uniq, inverse = np.unique(tokens, return_inverse=True)
            else:
                uniq, inverse = np.unique(grams[-1][:-1] * V + tokens[k - 1 :], return_inverse=True)
            keys.append(uniq)
            grams.append(inverse.astype(np.int64))
        # Raw counts at the top order; continuation counts (distinct left neighbours) below it.
        counts: list[np.ndarray] = [np.zeros(0)] * order
        counts[order - 1] = np.bincount(grams[order - 1], minlength=len(keys[order - 1]))
        for k in range(order - 1, 0, -1):
            suffix = np.empty(len(keys[k]), dtype=np.int64)
            suffix[grams[k]] = grams[k - 1][1:]  # the (k+1)-gram starting at j ends with the k-gram starting at j+1
            counts[k - 1] = np.bincount(suffix, minlength=len(keys[k - 1]))
        self.keys_, self.alpha_, self.gamma_, discounts = [], [], [], []
        for k in range(1, order + 1):
            c = counts[k - 1].astype(np.float64)
            d = _discounts(counts[k - 1])
            history = keys[k - 1] // V if k > 1 else np.zeros(len(keys[0]), dtype=np.int64)
            n_hist = len(keys[k - 2]) if k > 1 else 1
            total = np.bincount(history, weights=c, minlength=n_hist)
            dc = np.select([c == 0, c == 1, c == 2], [0.0, d[0], d[1]], d[2])
            held = np.bincount(history, weights=dc, minlength=n_hist)
            safe = np.where(total > 0, total, 1.0)
            self.alpha_.append((np.maximum(c - dc, 0.0) / safe[history]).astype(np.float32))
            self.gamma_.append(np.where(total > 0, held / safe, 1.0).astype(np.float32))
            self.keys_.append(keys[k - 1])
            discounts.append(d)
        self.discounts_ = np.array(discounts)
        return self

    def _check_fitted(self) -> None:
        if not self.keys_:
            raise ConfigError("This n-gram model has not been trained yet.", hint="Call fit(ids) first.")

    # -- probabilities ---------------------------------------------------------------------------

    def _history_ids(self, tokens: np.ndarray) -> list[np.ndarray]:
        """hist[j][i]: id of the j-gram just before position i (tokens[i-j:i]), -1 if unseen; hist[0] is all 0."""
        n = len(tokens)
        V = self.vocab_size
        hist = [np.zeros(n, dtype=np.int64)]
        for j in range(1, len(self.keys_)):
            prev = np.full(n, -1, dtype=np.int64)
            if n > j:
                before = hist[j - 1][j - 1 : n - 1]  # the (j-1)-gram before position i-1
                query = np.where(before >= 0, before * V + tokens[j - 1 : n - 1], -1)
                prev[j:] = np.where(before >= 0, _find(self.keys_[j - 1], query), -1)
            hist.append(prev)
        return hist

    def token_log_probs(self, ids: np.ndarray | list[int]) -> np.ndarray:
        """Natural-log probability of each token given the tokens before it (the first one given none)."""
        self._check_fitted()
        tokens = np.asarray(ids, dtype=np.int64)
        if len(tokens) == 0:
            return np.zeros(0)
        V = self.vocab_size
        hist = self._history_ids(tokens)
        p = np.full(len(tokens), 1.0 / (V - 1))
        p[tokens <= 0] = 0.0
        for k in range(1, len(self.keys_) + 1):
            ctx = hist[k - 1]
            seen = ctx >= 0
            gram = _find(self.keys_[k - 1], np.where(seen, ctx * V + tokens, -1))
            alpha = np.where(gram >= 0, self.alpha_[k - 1][np.maximum(gram, 0)], 0.0)
            gamma = self.gamma_[k - 1][np.maximum(ctx, 0)]
            p = np.where(seen, alpha + gamma * p, p)
        with np.errstate(divide="ignore"):
            return np.log(p)

    def distribution(self, context: list[int] | np.ndarray) -> np.ndarray:
        """P(next token = w | context) for every id w (a length-``vocab_size`` array summing to 1)."""
        self._check_fitted()
        V = self.vocab_size
        context = [int(t) for t in context][-(len(self.keys_) - 1) :] if len(self.keys_) > 1 else []
        # The ids of the histories of length 0, 1, …: the last j tokens of the context.
        ctx_ids = [0] + [self._gram_id(context[len(context) - j :]) for j in range(1, len(context) + 1)]
        words = np.arange(V, dtype=np.int64)
        p = np.full(V, 1.0 / (V - 1))
        p[0] = 0.0
        for k in range(1, len(self.keys_) + 1):
            ctx = ctx_ids[k - 1] if k - 1 < len(ctx_ids) else -1
            if ctx < 0:
                break
            gram = _find(self.keys_[k - 1], ctx * V + words)
            alpha = np.where(gram >= 0, self.alpha_[k - 1][np.maximum(gram, 0)], 0.0)
            p = alpha + float(self.gamma_[k - 1][ctx]) * p
        return p

    def _gram_id(self, tokens: list[int]) -> int:
        """The id of one n-gram in its order's table, or -1 when it never occurred in training."""
        gram = 0
        for k, t in enumerate(tokens, start=1):
            found = _find(self.keys_[k - 1], np.array([gram * self.vocab_size + t]))[0]
            if found < 0:
                return -1
            gram = int(found)
        return gram

    def loss(self, ids: np.ndarray | list[int]) -> float:
        """Mean negative log-likelihood in nats per token over ``ids``."""
        lp = self.token_log_probs(ids)
        return float(-lp.mean()) if len(lp) else math.nan

    # -- saving ----------------------------------------------------------------------------------

    def save(self, folder: str | Path) -> None:
        """Write ``ngram.npz`` (the arrays) into ``folder``; the caller writes the JSON config."""
        self._check_fitted()
        arrays: dict[str, np.ndarray] = {"discounts": self.discounts_}
        for k, (keys, alpha, gamma) in enumerate(zip(self.keys_, self.alpha_, self.gamma_), start=1):
            arrays[f"keys{k}"], arrays[f"alpha{k}"], arrays[f"gamma{k}"] = keys, alpha, gamma
        path = Path(folder) / "ngram.npz"
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(path)

    def to_config(self) -> dict[str, Any]:
        return asdict(self.config) | {"trained_order": len(self.keys_), "discounts": self.discounts_.round(6).tolist()}

    @classmethod
    def load(cls, folder: str | Path, config: dict[str, Any]) -> KneserNeyLM:
        """Read a model written by :meth:`save` (never unpickles)."""
        model = cls(order=int(config["order"]), vocab_size=int(config["vocab_size"]))
        with np.load(Path(folder) / "ngram.npz", allow_pickle=False) as data:
            model.discounts_ = data["discounts"]
            levels = int(config.get("trained_order", config["order"]))
            for k in range(1, levels + 1):
                model.keys_.append(data[f"keys{k}"])
                model.alpha_.append(data[f"alpha{k}"])
                model.gamma_.append(data[f"gamma{k}"])
        return model
