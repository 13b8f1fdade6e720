""""How long …" answered by a span of years: the years between a row's start and its end ("how long was Arthur
Berry in office?" on Took Office 1921, Left Office 1931 → "10 years"), or the years a table's rows cover ("how long
has Neha been acting?" over a filmography whose Year runs from 2007 to 2014 → "7 years").

The query computes the span (the latest end minus the earliest start among the rows kept) as a calculation named
"length in years", which :mod:`shuxi.ask.answering` gives with its unit ("7 years").
Only number columns that hold years are used. Returns None for other "how long" questions: a time or length cell
("how long is the song …", left to the cell rules), a gap between two named rows, or a span up to now.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shuxi.ask.text import column_words
from shuxi.plan.ir import Arithmetic, Calculation, ColumnRef, Measure, Plan

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Words that name where a period starts and where it ends, in column names ("Took office", "Left office").
START_WORDS = frozenset({"from", "took", "beginning", "began", "begin", "start", "started", "opened", "born",
                         "commenced", "entered", "introduced", "signed", "composed"})
END_WORDS = frozenset({"to", "left", "end", "ended", "closed", "died", "exited", "until", "ratified", "published"})
#: Words of a question that asks for something other than a span of years.
_OTHER_SHAPES = re.compile(r"\b(?:after|before|between|since|ago|until|till|longest|shortest|streak|take|took|"
                           r"length|distance|far|time|minutes?|seconds?|hours?|days?|weeks?|months?|each|average|throw|threw|jump|jumped|"
                           r"run|ran|swim|swam|finish)\b")
#: Column words for a time or a length, which "how long" reads directly (see cells._how_long).
_LENGTH_COLUMNS = frozenset({"time", "times", "length", "duration", "running", "distance", "km", "mark", "result"})


def duration_rule(ctx: Context) -> Plan | None:
    """The Plan for "how long …" asked of a span of years (see the module docstring), or None."""
    if ctx.zh or not re.search(r"\bhow long\b", ctx.q.text) or _OTHER_SHAPES.search(ctx.q.text):
        return None
    if any(column_words(c) & _LENGTH_COLUMNS or ctx.index.columns[c].duration_share >= 0.5
           for c in ctx.index.order):
        return None
    pair = _start_and_end(ctx)
    if pair is not None:
        if not ctx.filters:
            return None  # a period of every row is not one span
        return _span(ctx, *pair)
    years = [c for c in ctx.index.order if _holds_years(ctx, c)]
    if len(years) != 1 or any(f.column == years[0] for f in ctx.filters):
        return None
    return _span(ctx, years[0], years[0])


def _start_and_end(ctx: Context) -> tuple[str, str] | None:
    """The table's start and end columns of years ("From"/"To", "Took office"/"Left office"), when it has one
    of each."""
    starts = [c for c in ctx.index.order if _holds_years(ctx, c) and column_words(c) & START_WORDS]
    ends = [c for c in ctx.index.order if _holds_years(ctx, c) and column_words(c) & END_WORDS]
    if len(starts) != 1 or len(ends) != 1 or starts[0] == ends[0]:
        return None
    return starts[0], ends[0]


def _holds_years(ctx: Context, column: str) -> bool:
    from shuxi.ask.years import holds_years, is_year_column

    return ctx.kind_of(column) == "number" and (holds_years(ctx, column) or is_year_column(ctx, column))


def _span(ctx: Context, start: str, end: str) -> Plan | None:
    """Years from the earliest ``start`` to the latest ``end`` over the rows the question keeps."""
    from shuxi.ask.parts import not_summary

    measures = [Measure(agg="min", column=start, alias="first year"), Measure(agg="max", column=end, alias="last year")]
    years = Calculation(name="length in years", expr=Arithmetic(op="-", left=ColumnRef(name="last year"),
                                                       right=ColumnRef(name="first year")))
    return ctx.try_plan("calculate", filters=[*ctx.filters, *not_summary(ctx)], measures=measures,
                        calculations=[years])
