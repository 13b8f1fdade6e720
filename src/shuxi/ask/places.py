""""In the top 10", "a top-5 finish", "the top three nations": rows placed N or better, on the table's column of
places or ranks ("Pos", "Rank", "Place" with cells 1, 2, "3rd", "T-4").

"how many times did fumio place in the top ten?" counts Pos <= 10; "how many riders in the top 15 were riding a
honda?" keeps Pos <= 15 beside Manufacturer = Honda; "how many gold medals did the top 3 nations earn?" sums
Gold over Rank <= 3. English only; only when the table has one such column or the question names one of them.
"""

from __future__ import annotations

import re

from shuxi.ask.context import Context
from shuxi.plan.ir import ROW, Filter

_SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_TOP = re.compile(r"\btop[ -](\d{1,3}|" + "|".join(_SMALL) + r")\b")


def top_places(ctx: Context) -> None:
    """Add ``place <= N`` for "top N" (see the module), spending the number and any cell it was linked to."""
    if ctx.zh:
        return
    from shuxi.ask.thresholds import is_place_column, numeric_text

    match = _TOP.search(ctx.q.text)
    if match is None or _ASKS_PLACE.match(ctx.q.text):
        return  # "what position did madonna rank on the top 40 …": the place is the answer
    word = match.group(1)
    n = int(word) if word.isdigit() else _SMALL[word]
    if n < 1:
        return
    places = [c for c in ctx.index.order if is_place_column(ctx, c) and
              (ctx.kind_of(c) == "number" or numeric_text(ctx, c))]
    named = [c for _, c, _ in ctx.mentioned("number", "text", free=False) if c in places]
    column = named[0] if named else (places[0] if len(places) == 1 else None)
    if column is None or any(f.column == column for f in ctx.filters):
        return
    start, end = match.span(1)
    ctx.values = [v for v in ctx.values if v.span.end <= start or v.span.start >= end]
    for i, number in enumerate(ctx.numbers):
        if number.start < end and number.end > start:
            ctx.used_numbers.add(i)
    if _has_blanks(ctx, column):
        # Results tables leave the medal rows' rank blank (a picture on the page): the top N are the first N rows.
        ctx.filters.append(Filter(column=ROW, op="<=", value=n))
        ctx.used.update(i for i, m in enumerate(ctx.columns) if m.columns == (column,))
        return
    ctx.add_filter(Filter(column=column, op="<=", value=n, number=ctx.kind_of(column) == "text"))


_ASKS_PLACE = re.compile(r"\s*(?:what|which)\s+(?:position|place|rank|ranking)\b")


def _has_blanks(ctx: Context, column: str) -> bool:
    info = ctx.index.columns[column]
    filled = info.filled if info.kind == "number" else sum(info.counts.values())
    return filled is not None and filled < ctx.index.rows
