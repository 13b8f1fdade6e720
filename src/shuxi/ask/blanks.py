"""Rows whose cell is empty: "how many places have no zip code listed?", "which songs do not have a producer
listed?", "tracks without songwriters" keep the rows where that column holds nothing.

English only, and only for columns of text or dates: "no gold medals" on a number column means 0 (see
:func:`shuxi.ask.filters._zero_filters`).
"""

from __future__ import annotations

import re

from shuxi.ask.context import Context
from shuxi.plan.ir import Filter

#: Words right before a column that say its cell is empty.
_NONE_BEFORE = re.compile(r"\b(?:no|without(?: an?| any)?|(?:not|n't|never) (?:have|has|had|list|listed|show|"
                          r"include)(?: an?| any)?|lacks?(?: an?)?|missing(?: an?)?)\s+$")


def blank_filters(ctx: Context) -> None:
    """An ``is_null`` filter for each text or date column the question says is empty."""
    if ctx.zh:
        return
    for i, column, m in ctx.mentioned("text", "date"):
        if any(f.column == column for f in ctx.filters) or m.strength == 0:
            continue
        before = ctx.q.text[max(0, m.span.start - 24):m.span.start]
        if not _NONE_BEFORE.search(before):
            continue
        condition = _blank(ctx, column)
        if condition is not None:
            ctx.filters.append(condition)
            ctx.used.add(i)


#: Cells that stand for nothing.
_PLACEHOLDERS = ("—", "–", "-", "--", "n/a", "N/A", "none", "None", "?", "TBA", "tba", "")


def _blank(ctx: Context, column: str) -> Filter | None:
    """Empty cells, or the dashes a table writes for them; None for numbers kept as text ("no wins" is 0 wins)
    and for a column with no empty cell."""
    info = ctx.index.columns[column]
    if info.kind == "date" or not info.counts:
        return Filter(column=column, op="is_null")
    if info.numeric_share >= 0.5:
        return None
    if sum(info.counts.values()) < ctx.index.rows:
        return Filter(column=column, op="is_null")
    dashes = [v for v in info.counts if str(v).strip() in _PLACEHOLDERS]
    return Filter(column=column, op="in", values=dashes) if dashes else None
