"""Which class of a two-class classifier is the negative one, read off the trained model.

Labels written 0/1 say nothing about which number is the bad review, so ``shuxi ask`` refuses "差评" on them
unless the table says so. A sentiment classifier does say so: it scores "很好" and "非常失望" far apart. We feed it
short phrases of each polarity in its training language and record a polarity only when nearly every positive
phrase it can read (at least :data:`MIN_PHRASES` of each) gets a higher probability of one class than nearly every
negative one, by a clear margin on average (:data:`MIN_ORDERED`, :data:`MIN_GAP`). A classifier of topics (books vs
fruit) orders the phrases more or less arbitrarily and gets no polarity (none of the 45 category pairs of
online_shopping_10_cats in ``bench/polarity.py``), while the five sentiment sets of ``bench/text.py`` all get
the right one, whichever way round their labels are written.

The result is stored in the classifier (``info["polarity"]``, as class indices) and written by ``shuxi text
predict`` into the label column's Parquet metadata (:data:`shuxi.data.source.POLARITY_KEY`), where ``shuxi ask``
reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from shuxi.errors import ConfigError

if TYPE_CHECKING:
    from shuxi.text.classifier import TextClassifier

#: Short phrases of each polarity, per training language.
PROBES: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "positive": ("很好", "非常满意", "很喜欢", "值得推荐", "干净舒适", "好吃", "服务热情", "物超所值", "不错",
                     "下次还来"),
        "negative": ("很差", "非常失望", "太差了", "不推荐", "又脏又吵", "难吃", "态度恶劣", "浪费钱", "糟糕",
                     "再也不来了"),
    },
    "en": {
        "positive": ("great", "excellent", "i love it", "highly recommended", "wonderful", "the best", "brilliant",
                     "perfect", "enjoyable", "beautiful"),
        "negative": ("terrible", "awful", "i hate it", "a waste of money", "horrible", "the worst", "boring",
                     "disappointing", "poor", "stupid"),
    },
}
#: Phrases of each polarity the model must be able to read (have features for) before its polarity is trusted.
MIN_PHRASES = 5
#: Share of (positive phrase, negative phrase) pairs the model must order the sentiment way (the AUC of its class-1
#: probability between the two sets), and the least gap between their mean probabilities. Measured with TF-IDF
#: (``bench/polarity.py`` and subsamples of its sets): full sentiment sets order every pair (1.0, gaps 0.4–0.9);
#: 1,000 waimai reviews 0.92–0.95 (gap 0.42); topic pairs of online_shopping_10_cats at most 0.83 (gap 0.25) either
#: way, and at most 0.33 in gap (ordering 0.72).
MIN_ORDERED = 0.9
MIN_GAP = 0.3


def read_polarity(clf: TextClassifier, *, language: str) -> dict[str, int] | None:
    """``{"negative": i, "positive": j}`` (class indices) when ``clf`` separates the phrases of
    :data:`PROBES` ``[language]`` it can read completely and clearly; None otherwise, and for more than two
    classes. A phrase it cannot read (no known n-gram: it scores what the empty text scores) is left out."""
    if len(clf.labels) != 2 or language not in PROBES:
        return None
    positive, negative = PROBES[language]["positive"], PROBES[language]["negative"]
    p = clf.predict_proba([*positive, *negative, ""])[:, 1]
    # A phrase the model has no features for scores what the empty text scores: it says nothing either way.
    read = np.abs(p[:-1] - p[-1]) > 1e-6
    pos, neg = p[:len(positive)][read[:len(positive)]], p[len(positive):-1][read[len(positive):]]
    if min(len(pos), len(neg)) < MIN_PHRASES:
        return None
    ordered = float(np.mean(pos[:, None] > neg[None, :]))  # share of (positive, negative) pairs in that order
    gap = float(np.mean(pos) - np.mean(neg))
    if ordered >= MIN_ORDERED and gap >= MIN_GAP:
        return {"negative": 0, "positive": 1}
    if 1 - float(np.mean(pos[:, None] >= neg[None, :])) >= MIN_ORDERED and -gap >= MIN_GAP:
        return {"negative": 1, "positive": 0}
    return None


def polarity_labels(clf: TextClassifier) -> dict[str, Any] | None:
    """The recorded polarity as labels (``{"negative": 0, "positive": 1}`` for a 0/1 classifier), or None."""
    found = clf.info.get("polarity")
    if not isinstance(found, dict) or set(found) != {"negative", "positive"}:
        return None
    return {side: clf.labels[int(i)] for side, i in found.items()}


def record_polarity(clf: TextClassifier, texts: Sequence[str], *, given: int | None = None) -> None:
    """Store a two-class classifier's polarity in ``clf.info``: the class index the user ``given`` as negative
    (``--negative-label``; ``polarity_disagrees`` when the model scores the phrases the other way round), else what
    :func:`read_polarity` finds in the training texts' language, else nothing."""
    from shuxi.text.tfidf import mostly_chinese

    read = read_polarity(clf, language="zh" if mostly_chinese(list(texts)) else "en")
    if given is not None:
        clf.info.update(polarity={"negative": given, "positive": 1 - given}, polarity_given=True)
        if read is not None and read["negative"] != given:  # the user's word stands; say what the model does
            clf.info["polarity_disagrees"] = True
    elif read is not None:
        clf.info["polarity"] = read


def negative_index(classes: list[Any], negative: Any, label_name: str) -> int:
    """The class index of ``negative`` among two ``classes`` (matched by value, or by its text: "0" from the
    command line is the label 0); a :class:`ConfigError` otherwise."""
    if len(classes) != 2:
        raise ConfigError(f"A negative label only applies to two classes; {label_name!r} has {len(classes)}.",
                          hint="Leave out --negative-label.")
    for i, c in enumerate(classes):
        if (c == negative and type(c) is type(negative)) or str(c) == str(negative):
            return i
    raise ConfigError(f"{negative!r} is not one of the labels of {label_name!r}: {classes!r}.",
                      hint="Pass the label of the negative reviews exactly as the data writes it.")
