"""The kind of answer a question asks for, and the column that holds it: "where …" a place (Venue, Location,
City), "what year …" / "when …" a year or a date, "who …" a name — never a number or a date — and "who wrote …"
the Written by column, "how long …" a time or a length, "which destroyer …" the row's name rather than a year or
a number, "which country / team / season / position …" the table's column of that kind (Nationality, Opponent).

The rules before this one choose the rows well and the column by the nouns the question names; a noun can name
the wrong column for the answer ("where was the last competition held?" names Competition, but asks for the
Venue). :func:`fit_answer_column` runs on the plan a rule returned: when a lookup selects a column of the wrong
kind (or a ranking groups by one) and the table has one column of the right kind, that column is used instead.
Anything else is left as it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shuxi.ask.months import MONTHS
from shuxi.ask.text import column_words

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
    if ctx.zh:
        return plan
    if plan.kind in ("rank", "group") and len(plan.dimensions) == 1:
        kind = _kind_column(ctx, plan, plan.dimensions[0].column)
        if kind is not None:  # "which country has the most drivers?": count the drivers by their country
            return plan.model_copy(update={"dimensions": [plan.dimensions[0].model_copy(update={"column": kind})]})
    if plan.kind != "lookup" or not plan.select:
        return plan
    wanted = _wanted_column(ctx, plan, plan.select[0])
    if wanted is None:
        return plan
    return plan.model_copy(update={"select": [wanted, *[c for c in plan.select[1:] if c != wanted]]})


def _wanted_column(ctx: Context, plan: Plan, chosen: str) -> str | None:
    """The column a lookup should answer with instead of ``chosen``, or None to keep it."""
    text = ctx.q.text
    wanted = None
    if text.startswith("where ") and not _NOT_A_PLACE.search(text) and not _is_place(chosen):
        wanted = _one(ctx, plan, _is_place)
    elif re.match(r"(?:in )?(?:what|which) year\b", text) and not _is_year(ctx, chosen):
        # a year column first ("the 3 September race": Year, not Date), else a date
        wanted = _one(ctx, plan, lambda c: _is_year(ctx, c)) or (
            None if _is_time(ctx, chosen) else _one(ctx, plan, lambda c: _is_time(ctx, c)))
    elif re.match(r"when\b", text) and not _is_time(ctx, chosen):
        wanted = _one(ctx, plan, lambda c: _is_time(ctx, c))
    elif re.match(r"who(?:m|'s)?\b", text) and _agent_column(ctx, plan) not in (None, chosen):
        wanted = _agent_column(ctx, plan)
    elif re.match(r"who(?:m|'s)?\b", text) and not _may_name(ctx, chosen):
        wanted = _first(ctx, plan, lambda c: _may_name(ctx, c))
    elif re.search(r"\bhow long\b", text) and not _is_length(ctx, chosen) and not _named(ctx, chosen):
        wanted = _one(ctx, plan, lambda c: _is_length(ctx, c)) or _one(ctx, plan, lambda c: _is_mark(ctx, c))
    else:
        thing = _thing_asked(ctx)
        if thing is not None and _holds_numbers(ctx, chosen) and not (column_words(chosen) & {thing, _word_after(ctx, thing)}):
            wanted = _label_for(ctx, plan, thing)
    return wanted or _kind_column(ctx, plan, chosen)


def _thing_asked(ctx: Context) -> str | None:
    """The noun of "what school …", "which destroyer …", "what is the last state …" when it names no column and
    no cell: the question asks for a row (a school, a state), not for a number or a date."""
    from shuxi.ask.ranking import _NOT_THINGS

    match = _THING.match(ctx.q.text)
    if match is None:
        return None
    word = match.group(1)
    if word in _NOT_THINGS or word in _NOT_A_THING or word.endswith("est"):  # "the fastest time": no noun yet
        return None
    start, end = match.span(1)
    # "what was the air date …", "which awards ceremony …": the word only qualifies a column named next
    if any(m.span.start <= start < m.span.end or 0 <= m.span.start - end <= 1 for m in ctx.columns) or \
            any(v.span.start <= start < v.span.end for v in [*ctx.values, *ctx.partials]):
        return None
    return word


def _holds_numbers(ctx: Context, column: str) -> bool:
    """A column of numbers, dates or years — also when kept as text ("1989", "?", "21st") — that cannot be the
    thing a "which …" question asks for."""
    info = ctx.index.columns[column]
    if info.kind != "text":
        return info.kind != "bool"
    cells = [str(v) for v in info.counts]
    if not cells or sum(not _NOT_NUMBER.sub("", c.lower()) for c in cells) < 0.8 * len(cells):
        return False
    # "21st", "22nd", one per row: the rows' own ordinal names ("which awards ceremony …" → "21st")
    return not (info.unique and all(re.fullmatch(r"\d+(?:st|nd|rd|th)", c.strip()) for c in cells))


#: What a cell of numbers, dates or ranks is made of: digits, punctuation, month names, ordinal endings ("T8",
#: "7 November 1900", "134 / 250", "21st"); a cell with anything left ("1984 Summer Olympics") names something.
_NOT_NUMBER = re.compile(r"\b(?:" + "|".join([*MONTHS, *(m[:3] for m in MONTHS), "sept"]) + r")\b\.?|"
                         r"(?<=\d)(?:st|nd|rd|th)\b|\bt(?=\d)|[\d\s.,:;/?()\[\]–—\-+*#]")


def _word_after(ctx: Context, word: str) -> str:
    found = re.search(rf"\b{word} ([a-z]+)", ctx.q.text)
    return found.group(1) if found else ""


_THING = re.compile(r"(?:what|which)(?: is| was| are| were)?(?: the)?(?: (?:first|last|only|other|next|previous|"
                    r"top|earliest|latest|most recent))? ([a-z]+)\b")
#: Nouns after "what"/"which" that ask for a value, not a row.
_NOT_A_THING = frozenset({"one", "ones", "name", "names", "title", "kind", "type", "sort", "how", "many", "much",
                          "percent", "percentage", "age", "height", "weight", "length", "size", "speed", "record",
                          "result", "month", "day", "week", "season", "round", "period", "decade", "century",
                          "term", "version", "edition", "number", "numbers", "points", "goals", "votes", "amount",
                          # a game or a match is named by its date as often as by its opponent
                          "game", "games", "match", "matches", "set", "years", "dates", "date", "time", "times"})


def _label_for(ctx: Context, plan: Plan, thing: str) -> str | None:
    """The column naming the rows: the one the thing's word names ("school" → School), else the table's first
    column that may hold names."""
    found = _candidates(ctx, plan, lambda c: _may_name(ctx, c) and not _holds_dates(ctx, c))
    stem = thing[:-1] if thing.endswith("s") else thing
    named = [c for c in found if stem in column_words(c) or thing in column_words(c)]
    return (named or found or [None])[0]


def _agent_column(ctx: Context, plan: Plan) -> str | None:
    """"who wrote …" → Written by, "who produced …" → Producer(s), "who directed …" → Director, "who built …" →
    Builder: the one column named after the doer of the question's verb."""
    match = re.match(r"who (\w+)\b", ctx.q.text)
    if match is None:
        return None
    verb = match.group(1)
    stem = _IRREGULAR.get(verb) or (verb[:-2] if verb.endswith("ed") and len(verb) >= 6 else None)
    if stem is None:
        return None
    found = _candidates(ctx, plan, lambda c: _may_name(ctx, c) and any(w.startswith(stem) for w in column_words(c)))
    return found[0] if len(found) == 1 else None


#: Past tenses whose doer's column does not start with the verb minus "ed" ("wrote" → "Writer", "Written by").
_IRREGULAR = {"wrote": "writ", "won": "winn", "sang": "sing", "drove": "driv", "rode": "ride", "built": "buil",
              "made": "make", "led": "lead", "ran": "runn", "taught": "teach"}


def _kind_column(ctx: Context, plan: Plan, chosen: str) -> str | None:
    """"what nation had the most gold medals?", "what country was the top performer from?" on a table of athletes:
    the table's one column of countries (Nationality, Nation, NOC), when the answer column is another; "which
    team …" a Team or Club column, "which school …" a School, College or University column, alike."""
    match = re.match(r"(?:in |from |for |against )?(?:what|which)(?: was| is)?(?: the| his| her| their)?(?: top| best)?"
                     r" ([a-z]+)\b", ctx.q.text)
    kind = next((words for words in _KIND_WORDS if match is not None and match.group(1) in words), None)
    if kind is None or column_words(chosen) & kind:
        return None
    found = _candidates(ctx, plan, lambda c: ctx.kind_of(c) == "text" and bool(column_words(c) & kind))
    return found[0] if len(found) == 1 else None


#: Nouns that ask for a kind of column under any of these names ("what nation …" → Nationality, NOC).
_KIND_WORDS = (frozenset({"country", "countries", "nation", "nations", "nationality", "noc", "flag"}),
               frozenset({"team", "teams", "club", "clubs", "opponent", "opponents"}),
               frozenset({"season", "seasons"}),
               frozenset({"position", "positions", "pos", "place", "placing", "finish"}),
               frozenset({"school", "schools", "college", "colleges", "university", "institution"}))


def _is_place(column: str) -> bool:
    return bool(column_words(column) & PLACE_WORDS)


def _is_year(ctx: Context, column: str) -> bool:
    from shuxi.ask.years import holds_years, is_year_column

    return is_year_column(ctx, column) or holds_years(ctx, column) or (
        ctx.kind_of(column) != "date" and bool(column_words(column) & {"year", "years", "season"}))


def _is_time(ctx: Context, column: str) -> bool:
    from shuxi.ask.years import holds_years, is_year_column

    if ctx.kind_of(column) == "date" or is_year_column(ctx, column) or holds_years(ctx, column):
        return True
    if ctx.kind_of(column) != "text":
        return False
    return bool(column_words(column) & _TIME_WORDS) or _holds_dates(ctx, column)


def _holds_dates(ctx: Context, column: str) -> bool:
    """A text column whose cells mostly carry a year ("13 October 1928", "1998–99"): dates kept as text."""
    cells = [str(v) for v in ctx.index.columns[column].counts]
    return bool(cells) and sum(bool(_YEAR.search(c)) for c in cells) >= 0.8 * len(cells)


_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


def _is_length(ctx: Context, column: str) -> bool:
    """A column of times or lengths: named so ("Time", "Length") or holding durations ("1:55.3", "2:10:23")."""
    info = ctx.index.columns[column]
    return bool(column_words(column) & _LENGTH_WORDS) or (info.kind == "text" and info.duration_share >= _DURATIONS)


def _is_mark(ctx: Context, column: str) -> bool:
    """A column of results kept as text, as athletics tables keep them ("Notes": "47.12", "2:10:46", "58.27 m")."""
    info = ctx.index.columns[column]
    return info.kind == "text" and bool(column_words(column) & _MARK_WORDS) and info.numeric_share >= 0.8


def _named(ctx: Context, column: str) -> bool:
    """The question names the column by its own name ("how long did it take her to complete run 2?")."""
    return any(c == column for _, c, _ in ctx.mentioned("text", "number", "date", free=False))


def _may_name(ctx: Context, column: str) -> bool:
    """A text column that could hold names (not a date, a rank or a score kept as text)."""
    from shuxi.ask.parts import PERSON_HINTS

    info = ctx.index.columns[column]
    if info.kind != "text" or info.numeric_share >= _NUMERIC_TEXT:
        return False
    words = column_words(column)
    return bool(words & set(PERSON_HINTS)) or not (words & _NOT_NAMES)


def _candidates(ctx: Context, plan: Plan, fits: object) -> list[str]:
    # The columns a condition pins (a summary row left out, "Plant name != 'Total'", pins nothing).
    filtered = {f.column for f in plan.filters if f.op in ("=", "in", "contains")}
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
    from shuxi.ask.parts import PERSON_HINTS

    found = _candidates(ctx, plan, fits)
    people = [c for c in found if column_words(c) & set(PERSON_HINTS)]
    return (people or found or [None])[0]
