"""Thresholds on numbers a column keeps as text, and the comparison words every threshold reads.

"5th or better", "less than 4th place", "below 2:01", "at least 10 points" where Points cells read "20+1", "since
2000" on a Year column of text: the number is compared with the number each cell starts with (a ``number=True``
:class:`~shuxi.plan.ir.Filter`). :func:`threshold_word` finds the comparison word around a number ("more than 5",
"75 games or less") and :func:`comparison` turns it into an operator — on a place or rank, where a better place is
a smaller number, "better"/"higher"/"above" point down. Used by :mod:`shuxi.ask.filters` and the ordinal and place
rules.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from shuxi.ask.text import column_words
from shuxi.ask.units import duration_value
from shuxi.ask.years import year_like
from shuxi.plan.ir import Filter

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Comparison words before a number, longest first so "no more than" wins over "more than".
_BEFORE_WORDS = sorted(
    ["at least", "at most", "more than", "less than", "fewer than", "greater than", "higher than", "lower than",
     "larger than", "bigger than", "smaller than", "better than", "worse than", "no more than", "no less than",
     "no better than", "no worse than", "faster than", "quicker than", "slower than", "longer than", "shorter than",
     "over", "under", "above", "below", "within", "ahead of", "behind", "exceeding", "exceeds", "beyond",
     "before", "after", "since", "until", "till", "prior to", "earlier than", "later than", "up to"],
    key=len, reverse=True)
_BEFORE_RE = re.compile(r"(?:^|[^a-z])(" + "|".join(re.escape(w) for w in _BEFORE_WORDS) +
                        r")(?:\s+(?:the|a|an))?\s*[$€£]?\s*$")
#: Comparison words after the number, with up to two words between ("10th place or worse", "75 games or less").
_AFTER_RE = re.compile(r"^(?:\s+(?!(?:more|less|fewer|better|worse|higher|lower|above|below|greater|over|under|"
                       r"later|earlier|after|before|longer|shorter|than|or|and)\b)[a-z]+){0,2}?\s+"
                       r"(or (?:more|less|fewer|better|worse|higher|lower|above|below|greater|over|under|later|"
                       r"earlier|after|before|longer|shorter)|and (?:above|below|up|over|under|higher|lower|better|"
                       r"worse))\b(?!\s+than)")
#: Words that only compare years ("before 1990"), not amounts or places.
_TIME_ONLY = {"before", "after", "since", "until", "till", "prior to", "earlier than", "later than", "or later",
              "or earlier", "or after", "or before"}
#: Which way each word points: +1 the number is larger, -1 smaller; inclusive words keep the number itself.
_LARGER = {"at least", "more than", "greater than", "higher than", "larger than", "bigger than", "no less than", "over",
           "above", "exceeding", "exceeds", "beyond", "or more", "or greater", "or over", "or above", "or higher",
           "and above", "and up", "and over", "and higher", "after", "since", "later than", "or later", "or after",
           "slower than", "longer than", "or longer"}
_SMALLER = {"at most", "less than", "fewer than", "lower than", "smaller than", "no more than", "under", "below",
            "within", "or less", "or fewer", "or under", "or below", "or lower", "and below", "and under", "and lower",
            "before", "until", "till", "prior to", "earlier than", "or earlier", "or before", "up to", "faster than",
            "quicker than", "shorter than", "or shorter"}
_INCLUSIVE = {"at least", "at most", "no more than", "no less than", "within", "since", "until", "till", "up to",
              "no better than", "no worse than"}
#: On a place or rank, where a better place is a smaller number: words of quality, and the literal direction of
#: "higher"/"above" flipped ("above 10th" = 1st to 9th).
_PLACE_BETTER = {"better than", "higher than", "above", "ahead of", "or better", "or higher", "or above", "and above",
                 "and better", "and higher", "at least", "no worse than"}
_PLACE_WORSE = {"worse than", "lower than", "below", "behind", "or worse", "or lower", "or below", "and below",
                "and worse", "and lower", "at most", "no better than"}
_PLACE_WORDS = ("place", "position", "pos", "rank", "ranking", "finish", "finished", "standing", "seed", "chart",
                "placing")
_ORDINAL_CELL = re.compile(r"\s*(?:t-?|=)?\d+\s*(?:st|nd|rd|th)\b", re.I)


def threshold_word(ctx: Context, start: int, end: int) -> str | None:
    """The comparison word right before ``start`` ("at least 10", "above the 10th") or after ``end`` ("5th or
    better", "75 games or less"), if any."""
    before = _BEFORE_RE.search(ctx.q.text[max(0, start - 24):start])
    if before:
        return before.group(1)
    after = _AFTER_RE.match(ctx.q.text[end:end + 32])
    return after.group(1) if after else None


def comparison(word: str, *, place: bool, duration: bool, year: bool) -> tuple[str, bool] | None:
    """(op, inclusive) for a comparison word on a column of this kind, or None when the word does not compare it."""
    if word in _TIME_ONLY and not year:
        return None  # "after 5th" is row order, not a threshold
    if place:
        if word in _PLACE_BETTER:
            return ("<=" if word in ("at least", "no worse than") or word.startswith(("or ", "and ")) else "<"), True
        if word in _PLACE_WORSE:
            return (">=" if word in ("at most", "no better than") or word.startswith(("or ", "and ")) else ">"), True
    elif word in ("better than", "worse than", "or better", "or worse", "and better", "and worse", "ahead of",
                  "behind", "no better than", "no worse than"):
        return None  # better is only known on places (and on times, below)
    if duration and word in ("better than", "or better"):
        return ("<=" if word.startswith("or") else "<"), True
    if word in _LARGER:
        return (">=" if word in _INCLUSIVE or word.startswith(("or ", "and ")) else ">"), True
    if word in _SMALLER:
        return ("<=" if word in _INCLUSIVE or word.startswith(("or ", "and ")) else "<"), True
    return None


def is_place_column(ctx: Context, column: str) -> bool:
    """A column of finishing places or ranks ("Position", "Place", cells "4th", "T-3", "10th (h)")."""
    words = column_words(column)
    if words & set(_PLACE_WORDS) or words == {"peak"}:  # "Peak" alone is a chart peak; "Peak height" is not
        return True
    counts = ctx.index.columns[column].counts
    return bool(counts) and sum(bool(_ORDINAL_CELL.match(str(v))) for v in counts) >= 0.6 * len(counts)


def numeric_text(ctx: Context, column: str) -> bool:
    info = ctx.index.columns[column]
    return info.kind == "text" and info.numeric_share >= 0.8


def threshold_values(ctx: Context) -> None:
    """Cells that are numbers in a comparison ("at least 10 points" linked to a Points cell "10", "less than 4th
    place" to "4th", "since 2000" to a Year cell kept as text) become a threshold on the number in the cell."""
    if ctx.zh:
        return
    from shuxi.ask.numbers import find_numbers

    kept = []
    for v in ctx.values:
        surface = ctx.q.text[v.span.start:v.span.end]
        numbers = find_numbers(surface, exclude=[])
        cell_number = _LEADING_NUMBER_RE.match(str(v.value))
        word = threshold_word(ctx, v.span.start, v.span.end) if numbers and cell_number else None
        if word is None or ctx.kind_of(v.column) != "text" or not surface[:1].isalnum():
            kept.append(v)
            continue
        n = numbers[0]
        year = n.kind == "number" and float(n.value).is_integer() and 1000 <= n.value <= 2100
        if word in ("before", "after") and (len(numbers) > 1 or not ctx.has(["how many", "number of", "count"])):
            kept.append(v)  # "what year came after 2010-11": the row after that cell, not a threshold
            continue
        named = _amount_named_after(ctx, v.span.end)
        column = named[1] if named else v.column
        found = comparison(word, place=is_place_column(ctx, column) and n.kind != "duration",
                          duration=n.kind == "duration", year=year)
        if found is None:
            kept.append(v)
            continue
        op, _ = found
        if named:
            ctx.used.add(named[0])
        ctx.filters.append(Filter(column=column, op=op, value=n.plain, number=ctx.kind_of(column) == "text"))
    ctx.values = kept


def _amount_named_after(ctx: Context, end: int) -> tuple[int, str] | None:
    """The number column named right after a number that is also a cell ("more than 10 points" where a Pos cell
    is "10", "at least 5 silver medals" where a Rank cell is "5"): the threshold is on that column."""
    for i, column, m in ctx.mentioned("number", "text"):
        if 0 <= m.span.start - end <= 1 and m.strength > 0 and (ctx.kind_of(column) == "number"
                                                                 or numeric_text(ctx, column)):
            return i, column
    return None


_LEADING_NUMBER_RE = re.compile(r"\s*[$€£¥]?\s*[-+]?\d")


def text_number_threshold(ctx: Context, n: Any) -> bool:
    """"5th or better", "less than 4th place", "below 2:01", "at least 10 points" where the column keeps its
    numbers as text: a ``number=True`` filter on that column. True when one was added."""
    word = threshold_word(ctx, n.start, n.end)
    if word is None:
        return False
    duration = n.kind == "duration"
    candidates: list[str] = []
    mentioned = sorted(ctx.mentioned("number", "text", free=False),
                       key=lambda item: min(abs(item[2].span.start - n.end), abs(n.start - item[2].span.end)))
    for _, column, _ in mentioned:
        info = ctx.index.columns[column]
        if duration and info.duration_share < 0.5:
            continue
        if n.kind == "ordinal" and not is_place_column(ctx, column):
            continue
        if info.kind == "number" or numeric_text(ctx, column):
            candidates.append(column)
            break
    if not candidates and duration:
        candidates = [c for c in ctx.index.of_kind("text") if ctx.index.columns[c].duration_share >= 0.5]
    if not candidates and n.kind == "ordinal":
        candidates = [c for c in ctx.index.order if is_place_column(ctx, c) and
                      (ctx.kind_of(c) == "number" or numeric_text(ctx, c))]
    if len(candidates) != 1 or any(f.column == candidates[0] for f in ctx.filters):
        return False
    column = candidates[0]
    year = year_like(n)
    found = comparison(word, place=n.kind == "ordinal" or (is_place_column(ctx, column) and not duration),
                      duration=duration, year=year)
    if found is None:
        return False
    op, _ = found
    value = duration_value(ctx, column, n.plain) if duration else n.plain
    ctx.add_filter(Filter(column=column, op=op, value=value, number=ctx.kind_of(column) == "text"))
    return True
