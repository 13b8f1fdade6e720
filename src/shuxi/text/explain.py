"""Why did the classifier say that? Per-token attributions, coloured in the terminal and as HTML.

Two methods:

- **attention** (BiLSTM-attention models): the attention weights aₜ the model pooled with — what it looked at;
  always non-negative and summing to 1. Because the BiLSTM carries the decisive word to every position, a trained
  model may spread its attention almost evenly (on the toy tasks in the tests: 0.08–0.13 per token, the cue word
  not the highest), so attention shows where the model pooled, not why it decided.
- **occlusion** (any model): remove one unit (a jieba word in Chinese, a word or mark in English) at a time and
  measure how much the probability of the explained label drops. Positive: the unit supports the label; negative:
  it speaks against it. All perturbed texts go through the model in one batch.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from shuxi.errors import DataError

if TYPE_CHECKING:
    from rich.text import Text

    from shuxi.text.classifier import TextClassifier

#: Occlusion looks at most at this many units (the rest of a very long text is kept as it is).
MAX_UNITS = 400
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_UNITS = re.compile(r"[A-Za-z0-9_]+(?:'[A-Za-z]+)*|\S")


@dataclass
class Explanation:
    """Attributions of one prediction: ``tokens[i]`` got ``scores[i]``."""

    text: str
    label: Any
    probability: float
    method: str
    tokens: list[str]
    scores: list[float]
    note: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)

    def top(self, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` tokens with the largest attribution, largest first."""
        order = np.argsort(-np.asarray(self.scores), kind="stable")[:n]
        return [(self.tokens[i], self.scores[i]) for i in order]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "label": self.label, "probability": round(self.probability, 6),
                "method": self.method, "note": self.note,
                "tokens": [{"token": t, "score": round(s, 6)} for t, s in zip(self.tokens, self.scores)]}

    def _strength(self) -> np.ndarray:
        scores = np.asarray(self.scores, dtype=np.float64)
        peak = np.abs(scores).max() if len(scores) else 0.0
        return scores / peak if peak > 0 else scores

    def to_rich(self) -> Text:
        """The text with each token's background coloured by its attribution (green supports, red opposes)."""
        from rich.text import Text

        out = Text()
        styles = {"+": ("underline green", "on dark_green", "bold white on green4"),
                  "-": ("underline red", "on dark_red", "bold white on red3")}
        for token, s in zip(self.tokens, self._strength()):
            level = min(int(abs(s) * 3 + 0.5), 3)
            out.append(token, style=styles["+" if s > 0 else "-"][level - 1] if level else "")
        return out

    def to_html(self) -> str:
        """A small self-contained HTML fragment: tokens with background colours and score tooltips."""
        parts = []
        for token, raw, s in zip(self.tokens, self.scores, self._strength()):
            rgb = "34,160,80" if s > 0 else "210,50,50"
            parts.append(f'<span title="{raw:+.4f}" style="background: rgba({rgb},{abs(s):.2f}); '
                         f'border-radius: 3px">{html.escape(token)}</span>')
        heading = (f"<p><b>{html.escape(str(self.label))}</b> (p = {self.probability:.3f}), "
                   f"{html.escape(self.method)}</p>")
        note = f"<p><i>{html.escape(self.note)}</i></p>" if self.note else ""
        return f'<div class="shuxi-explanation" lang="zh">{heading}<p>{"".join(parts)}</p>{note}</div>'


def units(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the units occlusion removes: jieba words for Chinese, words and marks otherwise."""
    if _CJK.search(text):
        import jieba

        jieba.setLogLevel(60)
        spans = []
        for word, start, end in jieba.tokenize(text):
            if not word.isspace():
                spans.append((start, end))
        return spans
    return [m.span() for m in _UNITS.finditer(text)]


def explain(clf: TextClassifier, text: str, *, method: Literal["auto", "attention", "occlusion"] = "auto",
            label: Any = None) -> Explanation:
    """Attributions for ``clf``'s prediction of ``text`` (or of ``label`` when given).

    ``method="auto"`` uses occlusion, which measures what each token does to the prediction for every model;
    ``method="attention"`` shows a BiLSTM-attention model's attention weights.
    """
    if not isinstance(text, str):
        raise DataError(f"explain() takes one text, got {type(text).__name__}.")
    if not text.strip():
        raise DataError("The text to explain is empty.", hint="Pass the sentence whose prediction you want explained.")
    if method not in ("auto", "attention", "occlusion"):
        raise DataError(f"Unknown explanation method {method!r}.", hint="Use auto, attention or occlusion.")
    proba = clf.predict_proba([text])[0]
    if label is None:
        target = int(proba.argmax())
    elif label in clf.labels:
        target = clf.labels.index(label)
    else:
        raise DataError(f"{label!r} is not one of this classifier's labels: {clf.labels!r}.")
    if method == "auto":
        method = "occlusion"
    if method == "attention":
        net = next((m.model for m in clf.members if m.kind == "bilstm"), None)
        if net is None:
            raise DataError(f"This {clf.kind} classifier has no attention weights to show.",
                            hint="Use method='occlusion', which works for every model.")
        tokens, weights = net.attention(text)
        note = "attention weights of the BiLSTM-attention model (sum to 1)"
        if len(net.tokenizer.encode(text)) > net.max_length:
            note += f"; the model reads only the first {net.max_length} tokens"
        return Explanation(text, clf.labels[target], float(proba[target]), "attention", tokens,
                           [float(w) for w in weights], note)
    spans = units(text)
    note = "drop in the label's probability when the token is removed"
    if len(spans) > MAX_UNITS:
        note += f"; only the first {MAX_UNITS} of {len(spans)} tokens were tested"
    tested = spans[:MAX_UNITS]
    joiner = "" if _CJK.search(text) else " "
    variants = [(text[:s].rstrip() + joiner + text[e:].lstrip()) if joiner else text[:s] + text[e:]
                for s, e in tested]
    perturbed = clf.predict_proba(variants)[:, target] if variants else np.zeros(0)
    scores = [float(proba[target] - p) for p in perturbed]
    # Show the whole text: the untested tail and the spaces between units get zero attribution.
    tokens: list[str] = []
    shown: list[float] = []
    position = 0
    for (s, e), score in zip(tested, scores):
        if s > position:
            tokens.append(text[position:s])
            shown.append(0.0)
        tokens.append(text[s:e])
        shown.append(score)
        position = e
    if position < len(text):
        tokens.append(text[position:])
        shown.append(0.0)
    return Explanation(text, clf.labels[target], float(proba[target]), "occlusion", tokens, shown, note,
                       spans=list(tested))
