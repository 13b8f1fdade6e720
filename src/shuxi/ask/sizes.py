"""Size superlatives on a column that keeps its sizes as text: "who is the tallest delegate?" on Height cells
'1.74 m (5 ft 8 1⁄2 in)', "what is the tallest building in kanpur?" on '90 metres (295 ft)', "who is the
heaviest player?" on '95 kg (209 lb)': the row whose cell starts with the greatest number answers (the smallest
for shortest/lightest), in the column the question asks for.

Called by the built-in planner before its ranking rule; returns None when the question names a number column
(the ranking rule reads that), when the table has no such text column or more than one, when its cells start
with feet ('6\u20322', '6 ft 1 in' would tie at 6), or when "shortest" could be a length or a time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shuxi.plan.ir import Order, Plan

if TYPE_CHECKING:
    from shuxi.ask.context import Context

_HEIGHT = ("height", "elevation", "altitude", "size")
_WEIGHT = ("weight", "mass")
#: Superlative: (the larger number wins, the column words it implies).
_SIZES: dict[str, tuple[bool, tuple[str, ...]]] = {
    "tallest": (True, _HEIGHT), "shortest": (False, _HEIGHT), "heaviest": (True, _WEIGHT), "lightest": (False, _WEIGHT),
}
#: Columns a "shortest" may mean instead of a height.
_LENGTHS = ("length", "duration", "time", "distance", "span", "km", "mi")
_NUMBER_FIRST = re.compile(r"\d+(?:[.,]\d+)?(?!\s*(?:'|′|’|ft\b|feet\b|-\d))")
_PEOPLE = ("name", "player", "contestant", "athlete", "delegate", "person", "member", "swimmer", "runner")
_COUNTING = ["how many", "number of", "difference", "than", "more", "less", "or"]


def size_rule(ctx: Context) -> Plan | None:
    """The row with the greatest (or smallest) size kept as text, see the module docstring; or None."""
    from shuxi.ask.ranking import _entity_column
    from shuxi.ask.parts import not_summary

    found = ctx.word_spans(list(_SIZES)) if not ctx.zh else []
    if len(found) != 1 or ctx.has(_COUNTING) or ctx.mentioned("number"):
        return None
    desc, hints = _SIZES[found[0][0]]
    column = _size_column(ctx, hints)
    if column is None or (not desc and hints is _HEIGHT and _has_length(ctx)):
        return None
    answer = _person_column(ctx) if ctx.has(["who", "whom"]) else None
    answer = answer or _entity_column(ctx, exclude=[column])
    if answer is None:
        return None
    try:
        return Plan(kind="lookup", table=ctx.index.table, language=ctx.q.language, select=[answer],
                    filters=[*ctx.filters, *not_summary(ctx)], order=[Order(by=column, desc=desc, number=True)],
                    limit=1)
    except ValueError:
        return None


def _person_column(ctx: Context) -> str | None:
    """"who is the tallest delegate?": the first text column that names people (Contestant, not Represent)."""
    filtered = {f.column for f in ctx.filters}
    people = [c for c in ctx.index.of_kind("text") if c not in filtered and any(w in c.lower() for w in _PEOPLE)]
    return people[0] if people else None


def _size_column(ctx: Context, hints: tuple[str, ...]) -> str | None:
    """The table's one text column named by the first of ``hints`` that names one, when its cells start with a
    number that is not feet."""
    for hint in hints:
        found = [c for c in ctx.index.order if hint in c.lower()]
        if len(found) > 1:
            return None
        if found:
            return found[0] if _starts_with_numbers(ctx, found[0]) else None
    return None


def _starts_with_numbers(ctx: Context, column: str) -> bool:
    info = ctx.index.columns[column]
    cells = [str(v) for v in info.counts if v is not None and str(v).strip()]
    return info.kind == "text" and bool(cells) and all(_NUMBER_FIRST.match(c.strip()) for c in cells)


def _has_length(ctx: Context) -> bool:
    return any(h in c.lower() for c in ctx.index.order for h in _LENGTHS)
