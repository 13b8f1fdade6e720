"""The kind of answer a question's first word asks for, and the column that holds it: "where …" a place (Venue,
Location, City), "what year …" / "when …" a year or a date, "who …" a name — never a number or a date —, "how
long …" a time or a length.

The rules before this one choose the rows well and the column by the nouns the question names; a noun can name
the wrong column for the answer ("where was the last competition held?" names Competition, but asks for the
Venue). :func:`fit_answer_column` runs on the plan a rule returned: when a lookup selects a column of the wrong
kind and the table has one column of the right kind, that column is selected instead. Anything else is left as
it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuxi.ask.context import Context
    from shuxi.plan.ir import Plan

#: Words of column names that hold places ("Venue", "Game site", "Location", "Host city").
PLACE_WORDS = frozenset({"venue", "venues", "location", "locations", "site", "city", "town", "stadium", "ground",
                         "arena", "track", "circuit", "hometown", "birthplace", "held"})
#: "where did he finish / place / rank?" asks for a position, not a place.
_NOT_A_PLACE = re.compile(r"\b(?:finish|finished|place|placed|rank|ranked|position|stand|standing|come|came)\b")
#: Column names for a year or a date kept as text ("Season", "Date").
_TIME_WORDS = frozenset({"year", "years", "date", "season", "dates", "released", "release"})
#: Column names whose cells date or measure rows, never name someone.
_NOT_NAMES = frozenset({"date", "dates", "year", "years", "season", "time", "score", "result", "record"})
#: Column names for a time or a length, what "how long …" asks for.
_LENGTH_WORDS = frozenset({"time", "times", "length", "duration", "distance"})
#: Share of a text column's cells that are durations above which it is a column of times.
_DURATIONS = 0.5
#: Column names under which athletics tables keep their results.
_MARK_WORDS = frozenset({"notes", "note", "result", "results", "mark", "performance"})
#: Share of a text column's cells that are numbers ("1st", "16 (King)") above which it holds no names.
_NUMERIC_TEXT = 0.5


def fit_answer_column(ctx: Context, plan: Plan) -> Plan:
    """``plan`` with its answer column changed to the kind the question asks for (see the module docstring)."""
    if ctx.zh or plan.kind != "lookup" or not plan.select:
        return plan
    text = ctx.q.text
    chosen = plan.select[0]
    wanted = None
    if text.startswith("where ") and not _NOT_A_PLACE.search(text) and not _is_place(chosen):
        wanted = _one(ctx, plan, _is_place)
    elif re.match(r"(?:in )?(?:what|which) year\b|when\b", text) and not _is_time(ctx, chosen):
        wanted = _one(ctx, plan, lambda c: _is_time(ctx, c))
    elif re.match(r"who(?:m|'s)?\b", text) and not _may_name(ctx, chosen):
        wanted = _first(ctx, plan, lambda c: _may_name(ctx, c))
    elif re.search(r"\bhow long\b", text) and not _is_length(ctx, chosen) and not _named(ctx, chosen):
        wanted = _one(ctx, plan, lambda c: _is_length(ctx, c)) or _one(ctx, plan, lambda c: _is_mark(ctx, c))
    if wanted is None:
        return plan
    return plan.model_copy(update={"select": [wanted, *[c for c in plan.select[1:] if c != wanted]]})


def _is_place(column: str) -> bool:
    return bool(_words(column) & PLACE_WORDS)


def _is_time(ctx: Context, column: str) -> bool:
    from shuxi.ask.years import holds_years, is_year_column

    if ctx.kind_of(column) == "date" or is_year_column(ctx, column) or holds_years(ctx, column):
        return True
    if ctx.kind_of(column) != "text":
        return False
    return bool(_words(column) & _TIME_WORDS) or _holds_dates(ctx, column)


def _holds_dates(ctx: Context, column: str) -> bool:
    """A text column whose cells mostly carry a year ("13 October 1928", "1998–99"): dates kept as text."""
    cells = [str(v) for v in ctx.index.columns[column].counts]
    return bool(cells) and sum(bool(_YEAR.search(c)) for c in cells) >= 0.8 * len(cells)


_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


def _is_length(ctx: Context, column: str) -> bool:
    """A column of times or lengths: named so ("Time", "Length") or holding durations ("1:55.3", "2:10:23")."""
    info = ctx.index.columns[column]
    return bool(_words(column) & _LENGTH_WORDS) or (info.kind == "text" and info.duration_share >= _DURATIONS)


def _is_mark(ctx: Context, column: str) -> bool:
    """A column of results kept as text, as athletics tables keep them ("Notes": "47.12", "2:10:46", "58.27 m")."""
    info = ctx.index.columns[column]
    return info.kind == "text" and bool(_words(column) & _MARK_WORDS) and info.numeric_share >= 0.8


def _named(ctx: Context, column: str) -> bool:
    """The question names the column by its own name ("how long did it take her to complete run 2?")."""
    return any(c == column for _, c, _ in ctx.mentioned("text", "number", "date", free=False))


def _may_name(ctx: Context, column: str) -> bool:
    """A text column that could hold names (not a date, a rank or a score kept as text)."""
    from shuxi.ask.rows import PERSON_HINTS

    info = ctx.index.columns[column]
    if info.kind != "text" or info.numeric_share >= _NUMERIC_TEXT:
        return False
    words = _words(column)
    return bool(words & set(PERSON_HINTS)) or not (words & _NOT_NAMES)


def _candidates(ctx: Context, plan: Plan, fits: object) -> list[str]:
    filtered = {f.column for f in plan.filters}
    return [c for c in ctx.index.order if c not in filtered and fits(c)]  # type: ignore[operator]


def _one(ctx: Context, plan: Plan, fits: object) -> str | None:
    """The table's one column of the asked kind, or the one the question names when there are several."""
    found = _candidates(ctx, plan, fits)
    named = [c for _, c, _ in ctx.mentioned("text", "number", "date", free=False) if c in found]
    if len(set(named)) == 1:
        return named[0]
    return found[0] if len(found) == 1 else None


def _first(ctx: Context, plan: Plan, fits: object) -> str | None:
    """For "who": a column of people first ("Player", "Driver"), else the table's first column that may hold names."""
    from shuxi.ask.rows import PERSON_HINTS

    found = _candidates(ctx, plan, fits)
    people = [c for c in found if _words(c) & set(PERSON_HINTS)]
    return (people or found or [None])[0]


def _words(column: str) -> set[str]:
    return set(re.findall(r"[a-z]+", column.lower()))
