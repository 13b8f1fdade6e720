"""Years and periods in a question as Plan filters: "in 2004" on a year column, "before november 2007" on a
date column, "in june 1996" on dates kept as text, "before the 1950s"; and the tests the other rules share for
which column holds years (:func:`holds_years`, :func:`is_year_column`, :func:`time_column`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from shuxi.ask.context import Context
from shuxi.ask.months import month_filter, month_in_cells, text_date_column
from shuxi.plan.ir import Filter


def period_filters(ctx: Context) -> None:
    _bare_years(ctx)
    month_filter(ctx)  # "in february" without a year: that month in any year
    if not ctx.periods:
        return
    dates = ctx.index.of_kind("date")
    mentioned = [c for _, c, _ in ctx.mentioned("date", free=False)]
    column = mentioned[0] if mentioned else (dates[0] if dates else None)
    for p in ctx.periods:
        side = period_side(ctx, p)
        if column is not None and side is not None:
            # "before november 2007", "after 14 august 2013", "since march 2020": one side of the period
            op, bound = side
            ctx.filters.append(Filter(column=column, op=op, value=bound.isoformat()))
            continue
        if column is not None:
            ctx.filters.append(Filter(column=column, op=">=", value=p.start.isoformat()))
            ctx.filters.append(Filter(column=column, op="<", value=p.end.isoformat()))
            continue
        # No date column: a year names a year column ("in 2004" → year = 2004).
        year_cols = [c for c in ctx.index.order if is_year_column(ctx, c)] or [
            c for c in ctx.index.of_kind("number") if holds_years(ctx, c)][:1]
        # A year column kept as text ("2001*", "1997 (Jan)") compares by the year its cells start with.
        as_text = bool(year_cols) and ctx.kind_of(year_cols[0]) == "text" and not ctx.zh
        if year_cols and p.grain == "year" and p.end.year - p.start.year == 1:
            ctx.filters.append(Filter(column=year_cols[0], op="=", value=p.start.year, number=as_text))
        elif year_cols and p.start.month == 1 and p.start.day == 1 and p.end.month == 1 and p.end.day == 1:
            # "between 1990 and 2001": whole years
            ctx.filters.append(Filter(column=year_cols[0], op="between", values=[p.start.year, p.end.year - 1],
                                      number=as_text))
        elif not year_cols and not ctx.zh:
            ctx.filters += _dates_in_text(ctx, p)


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[0-9]\d\d|20\d\d)(?!\d)")
_DATE_LIKE = re.compile(r"[A-Za-z]|\d[-/.]\d")


def _dates_in_text(ctx: Context, p: Any) -> list[Filter]:
    """"in 1995", "in june 1996" on a column of dates kept as text ("January 26, 1995", "14 June 1996 (a)"): the
    cells that mention that year (and that month). Only for one year or one month of one year, and only when
    the table has one such column (or the question names one)."""
    one_year = p.start.year == p.end.year - 1 and p.start.month == 1 and p.end.month == 1 and p.grain == "year"
    one_month = p.grain == "month" and (p.end.year * 12 + p.end.month) - (p.start.year * 12 + p.start.month) == 1
    if not (one_year or one_month) or period_side(ctx, p) is not None:
        return []
    column = text_date_column(ctx, lambda cell: bool(_YEAR_IN_TEXT.search(cell)),
                              extra=lambda cell: bool(_DATE_LIKE.search(cell)))
    if column is None:
        return []
    out = [Filter(column=column, op="contains", value=str(p.start.year))]
    if one_month:
        month = month_in_cells(ctx, column, p.start.month)
        if month is None:
            return []  # the month is written as a number: do not guess its place in the cell
        out.append(month)
    return [f for f in out if not any(g.column == f.column and g.value == f.value for g in ctx.filters)]


_PERIOD_SIDE_RE = re.compile(r"(?:^|[^a-z])(before|prior to|earlier than|until|till|up to|after|later than|since)"
                             r"(?:\s+(?:the|a|an|year|month|day|of|date))*\s*$")


def period_side(ctx: Context, p: Any) -> tuple[str, dt.date] | None:
    """("<", start) for "before <period>", (">=", end) for "after", (">=", start) for "since", ("<", end) for
    "until"; None when no such word comes right before the period."""
    if ctx.zh:
        return None
    match = _PERIOD_SIDE_RE.search(ctx.q.text[max(0, p.span_start - 30):p.span_start])
    if not match:
        return None
    word = match.group(1)
    if word in ("before", "prior to", "earlier than"):
        return "<", p.start
    if word in ("until", "till", "up to"):
        return "<", p.end
    if word == "since":
        return ">=", p.start
    return ">=", p.end


def decade_side(ctx: Context, n: Any) -> tuple[str, int] | None:
    """("<", 1950) for "before the 1950s", (">=", 1960) for "after the 1950s", (">=", 1950) for "since"; a
    year ending in 00 is a century ("before the 1800s began")."""
    if ctx.zh:
        return None
    match = _PERIOD_SIDE_RE.search(ctx.q.text[max(0, n.start - 30):n.start])
    if not match:
        return None
    start, word = int(n.value), match.group(1)
    width = 100 if start % 100 == 0 and start != 2000 else 10
    if word in ("before", "prior to", "earlier than"):
        return "<", start
    if word in ("until", "till", "up to"):
        return "<", start + width
    return ">=", start if word == "since" else start + width


def _bare_years(ctx: Context) -> None:
    """"each month of 2024": a year after of/for on a table with dates is that year, not the number 2024."""
    if not ctx.index.of_kind("date"):
        return
    from shuxi.ask.numbers import PeriodMention

    for i, n in enumerate(ctx.numbers):
        if i in ctx.used_numbers or not year_like(n) or not ctx.word_before(n.start, ["of", "for", "in", "during"], 2):
            continue
        year = int(n.value)
        ctx.periods.append(PeriodMention(start=dt.date(year, 1, 1), end=dt.date(year + 1, 1, 1), grain="year",
                                         span_start=n.start, span_end=n.end, text=n.text))
        ctx.used_numbers.add(i)


def is_year_column(ctx: Context, column: str) -> bool:
    from shuxi.ask.text import phrase_tokens

    return any(phrase in ctx.index.columns[column].phrases for phrase in (phrase_tokens("year"), phrase_tokens("年份")))


def year_like(n: Any) -> bool:
    return n.kind == "number" and float(n.value).is_integer() and 1000 <= n.value <= 2100


def time_column(ctx: Context) -> str | None:
    """The column years compare with: a mentioned date/year column, else the table's only one."""
    mentioned = [c for _, c, _ in ctx.mentioned("date", "number", free=False)
                 if ctx.kind_of(c) == "date" or is_year_column(ctx, c) or holds_years(ctx, c)]
    if mentioned:
        return mentioned[0]
    candidates = ctx.index.of_kind("date") + [c for c in ctx.index.order if is_year_column(ctx, c)]
    if not candidates:  # "commenced operations after 2006": the one number column holding years
        candidates = [c for c in ctx.index.of_kind("number") if holds_years(ctx, c)]
    return candidates[0] if len(candidates) == 1 else None


_LEADING_YEAR = re.compile(r"\s*(?:1[0-9]{3}|20[0-9]{2})(?![0-9])")


def text_year_filter(ctx: Context, op: str, years: int | list[int]) -> Filter | None:
    """"how many teams started before 1940?", "how many sites were added to the list before 1970?", "routes formed
    in the 1920's" when no date or number column holds years: on the text column whose cells start with a year
    ("1929", "1836–1877") the number they start with, else on the one column of dates kept as text ("October 1,
    1969", "19.10.1912 at 15:00") the year each cell mentions. ``years`` is a list for "between"."""
    column = text_year_column(ctx)
    flag = {"number": True}
    if column is None:
        column = text_date_column(ctx, lambda cell: bool(_YEAR_IN_TEXT.search(cell)),
                                  extra=lambda cell: bool(_DATE_LIKE.search(cell)))
        flag = {"year": True}
    if column is None:
        return None
    if isinstance(years, list):
        return Filter(column=column, op=op, values=years, **flag)
    return Filter(column=column, op=op, value=years, **flag)


def text_year_column(ctx: Context) -> str | None:
    """The text column whose cells start with a year ("1929", "1836–1877", "2001 (re-issue)"; a few "?" or "—"
    keep it text), for "before 1940" when no date or number column holds years: the one the question names,
    else the table's only one."""
    candidates = [c for c in ctx.index.of_kind("text") if _starts_with_years(ctx, c)]
    named = [c for _, c, _ in ctx.mentioned("text", free=False) if c in candidates]
    if named:
        return named[0]
    return candidates[0] if len(candidates) == 1 else None


def _starts_with_years(ctx: Context, column: str) -> bool:
    cells = [str(v) for v in ctx.index.columns[column].counts if str(v).strip()]
    return bool(cells) and sum(bool(_LEADING_YEAR.match(c)) for c in cells) >= 0.8 * len(cells)


def year_range(column: str, low: int, high: int) -> list[Filter]:
    """Dates in the years low to high, both included."""
    return [Filter(column=column, op=">=", value=f"{low}-01-01"), Filter(column=column, op="<", value=f"{high + 1}-01-01")]


def adjacent_year_column(ctx: Context, n: Any) -> str | None:
    """A year column named right before or after a year ("the 2011 season"), not yet filtered on."""
    for _, column, m in ctx.mentioned("number"):
        if any(f.column == column for f in ctx.filters):
            continue
        near = 0 <= n.start - m.span.end <= 1 or 0 <= m.span.start - n.end <= 1
        if near and (is_year_column(ctx, column) or holds_years(ctx, column)):
            return column
    return None


def holds_years(ctx: Context, column: str) -> bool:
    """A number column whose every value is a plausible year (1000–2100)."""
    info = ctx.index.columns[column]
    return info.kind == "number" and info.low is not None and info.high is not None and \
        1000 <= info.low and info.high <= 2100 and float(info.low).is_integer()
