"""A negated threshold turns round: "which clubs did not score more than 50 points?" keeps 50 or less, "how many
games did not have at least 15,000 in attendance?" fewer than 15,000, "a season they did not place higher than
18th" 18th or worse.

English only. The threshold rules write the comparison as if the negation were not there; this step finds "not …
more than 50" in the question and flips the filter that compares with that number.
"""

from __future__ import annotations

import re

from shuxi.ask.context import Context

_NEGATED_THRESHOLD = re.compile(
    r"\b(?:not|n't|never)\b(?:\s+[\w,]+){0,3}?\s+(?:more than|less than|fewer than|greater than|higher than|"
    r"lower than|better than|worse than|at least|at most|over|under|above|below|exceeding)"
    r"\s+(?:the\s+)?[$€£]?\s*(\d[\d,]*(?:\.\d+)?)")
_FLIPPED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def negate_thresholds(ctx: Context) -> None:
    """Flip the comparison of each filter whose number a negation governs."""
    if ctx.zh:
        return
    negated = {float(m.group(1).replace(",", "")) for m in _NEGATED_THRESHOLD.finditer(ctx.q.text)}
    if not negated:
        return
    for i, f in enumerate(ctx.filters):
        if f.op in _FLIPPED and isinstance(f.value, (int, float)) and float(f.value) in negated:
            ctx.filters[i] = f.model_copy(update={"op": _FLIPPED[f.op]})
