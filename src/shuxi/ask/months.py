"""A month without a year: "how many games did they play in february?" keeps the rows of that month in any year.

On a date column the month is matched in the date's ISO text ("-02-" in "2009-02-14"), which DuckDB and Spark
both write the same way; on dates kept as text ("13 Feb", "February 14") the cells that spell the month. English
only, and only when the question names one such month: "september or november" would need an OR.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shuxi.ask.context import Context
from shuxi.plan.ir import Filter

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
#: A day or a year beside the month makes it a date or a month of one year, which the period rules handle.
_DAY_BEFORE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_DAY_OR_YEAR_AFTER = re.compile(r"^\s*,?\s*\d")
#: "before february", "after may": one side of a month, which needs a year to mean anything.
_SIDE_BEFORE = re.compile(r"\b(?:before|after|since|until|till|prior to|by|from|between)\s+(?:the\s+)?(?:month\s+of\s+)?$")


def month_filter(ctx: Context) -> bool:
    """A filter for the one bare month the question names; True when one was added."""
    if ctx.zh:
        return False
    found = [m for m in _MONTH.finditer(ctx.q.text) if _bare(ctx, m)]
    if len(found) != 1 or len(_MONTH.findall(ctx.q.text)) != 1:
        return False
    match = found[0]
    number = MONTHS.index(match.group(1)) + 1
    condition = _on_dates(ctx, number) or _on_text_dates(ctx, number)
    if condition is None:
        return False
    ctx.periods = [p for p in ctx.periods if not (p.span_start <= match.start() < p.span_end)]
    ctx.filters.append(condition)
    return True


def _bare(ctx: Context, match: re.Match[str]) -> bool:
    text = ctx.q.text
    start, end = match.start(), match.end()
    if match.group(1) == "may" and not re.search(r"\b(?:in|of|during)\s+$", text[:start]):
        return False  # "may" the verb
    taken = [(v.span.start, v.span.end) for v in ctx.values + ctx.partials]
    if any(a <= start < b for a, b in taken):
        return False  # part of a cell the question names ("the september 19 game")
    before, after = text[max(0, start - 30):start], text[end:end + 8]
    return not (_DAY_BEFORE.search(before) or _DAY_OR_YEAR_AFTER.match(after) or _SIDE_BEFORE.search(before))


def _on_dates(ctx: Context, number: int) -> Filter | None:
    named = [c for _, c, _ in ctx.mentioned("date", free=False)]
    dates = named[:1] or ctx.index.of_kind("date")
    if len(dates) != 1:
        return None
    return Filter(column=dates[0], op="contains", value=f"-{number:02d}-")


def _on_text_dates(ctx: Context, number: int) -> Filter | None:
    """The one text column whose cells spell months ("13 Jul", "September 12"), by the spelling it uses."""
    spelled = re.compile(r"\b(?:" + "|".join(m[:3] for m in MONTHS) + r")", re.I)
    column = text_date_column(ctx, lambda cell: bool(spelled.search(cell)))
    return month_in_cells(ctx, column, number) if column is not None else None


def text_date_column(ctx: Context, dated: Callable[[str], bool], *,
                     extra: Callable[[str], bool] | None = None) -> str | None:
    """The table's one text column whose cells are mostly ``dated`` (and, with ``extra``, some cell passes it),
    or the one of them the question names."""
    candidates = []
    for column in ctx.index.of_kind("text"):
        cells = [str(v) for v in ctx.index.columns[column].counts]
        if cells and sum(dated(c) for c in cells) >= 0.6 * len(cells) and (extra is None or any(map(extra, cells))):
            candidates.append(column)
    named = [c for c in candidates if any(m.columns == (c,) for m in ctx.columns)]
    if len(named) == 1:
        candidates = named
    return candidates[0] if len(candidates) == 1 else None


def month_in_cells(ctx: Context, column: str, number: int) -> Filter | None:
    """A contains-filter for month ``number`` as the column's cells spell it ("June", else "Jun"); None when they
    write months as numbers."""
    name = MONTHS[number - 1]
    cells = " ".join(str(v) for v in ctx.index.columns[column].counts).lower()
    if re.search(rf"\b{name}\b", cells):
        return Filter(column=column, op="contains", value=name.capitalize())
    if re.search(rf"\b{name[:3]}\b", cells):
        return Filter(column=column, op="contains", value=name[:3].capitalize())
    return None
