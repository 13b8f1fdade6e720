"""An ordinal that picks rows by their number: "how many times did they finish ninth?" (Position "9th"), "the 6th
place finishers", "players picked in the seventh round" (Round 7), "teams in the 6th heat".

English only. "the first game" or "the second song" stay row order (the rows rules): only a place word ("place",
"position", "finished", "came in") or a column the ordinal names ("round", "heat", "leg") makes it a condition.
"""

from __future__ import annotations

import re
from typing import Any

from shuxi.ask.context import Context
from shuxi.plan.ir import Filter

#: Words right after an ordinal that make it a finishing place ("sixth place", "9th position", "first-place finish").
_PLACE_AFTER = re.compile(r"^[\s-]*(?:place|position|spot|placed)\b")
#: Words right before an ordinal that make it a finishing place ("finished ninth", "came in 3rd", "ranked 9th").
_PLACE_BEFORE = re.compile(r"\b(?:finish(?:ed|ing|es)?|placed?|ranked|came(?: in)?|come(?: in)?|comes(?: in)?|"
                           r"ended(?: up)?(?: in)?)(?:\s+(?:in|at))?(?:\s+the)?\s*$")


def ordinal_filter(ctx: Context, n: Any) -> bool:
    """A filter "the column's number = n" for the ordinal ``n``; True when one was added."""
    if ctx.zh or n.kind != "ordinal" or not float(n.value).is_integer():
        return False
    column = _named_after(ctx, n)
    if column is None and _says_place(ctx, n) and not (n.value == 1 and _ranks_among(ctx)):
        column = _place_column(ctx)
    if column is None or any(f.column == column for f in ctx.filters):
        return False
    info = ctx.index.columns[column]
    if not _numbered(ctx, column) or not _holds(ctx, column, int(n.value)):
        return False
    ctx.add_filter(Filter(column=column, op="=", value=int(n.value), number=info.kind == "text"))
    return True


#: Columns that number the stages of a competition or a list, which an ordinal names ("the seventh round"); "the
#: first race", "the first score", "the first time" are row order instead.
_NUMBERED_STAGES = frozenset({"round", "rounds", "heat", "heats", "leg", "legs", "volume", "vol", "stage", "stages",
                              "pick", "week", "weeks", "tier", "level", "district", "division", "edition", "matchday",
                              "lap", "quarter", "period", "inning", "innings", "flight", "group", "pool"})


def _named_after(ctx: Context, n: Any) -> str | None:
    """The column named right after the ordinal ("the seventh round", "6th heat"), if it is one word away."""
    for _, column, m in ctx.mentioned("number", "text", free=False):
        words = m.phrase.split()
        if 0 <= m.span.start - n.end <= 1 and m.strength > 0 and words and words[-1] in _NUMBERED_STAGES:
            return column
    return None


def _ranks_among(ctx: Context) -> bool:
    """"which nation ranked first with the most medals", "which american country placed first": "first" is the
    best of the rows a superlative or a named row already picks, not place 1."""
    from shuxi.ask import lexicon as lx

    unique = any(f.op == "=" and ctx.index.columns[f.column].unique for f in ctx.filters)
    return unique or ctx.has(lx.HIGH_WORDS + lx.LOW_WORDS)


def _says_place(ctx: Context, n: Any) -> bool:
    text = ctx.q.text
    return bool(_PLACE_AFTER.match(text[n.end:n.end + 12]) or _PLACE_BEFORE.search(text[max(0, n.start - 30):n.start]))


def _place_column(ctx: Context) -> str | None:
    """The column of places the question names, else the table's only one."""
    from shuxi.ask.thresholds import is_place_column

    named = [c for _, c, _ in ctx.mentioned("number", "text", free=False) if is_place_column(ctx, c)]
    if len(set(named)) == 1:
        return named[0]
    places = [c for c in ctx.index.order if is_place_column(ctx, c) and _numbered(ctx, c)]
    return places[0] if len(places) == 1 else None


def _numbered(ctx: Context, column: str) -> bool:
    info = ctx.index.columns[column]
    return info.kind == "number" or (info.kind == "text" and info.numeric_share >= 0.5)


def _holds(ctx: Context, column: str, number: int) -> bool:
    """Some row has that number ("the first season" on seasons 1960–1965 is row order, not season 1)."""
    info = ctx.index.columns[column]
    if info.kind == "number":
        return info.low is not None and info.high is not None and info.low <= number <= info.high
    return any((m := _LEADING.match(str(v))) and int(m.group(1)) == number for v in info.counts)


_LEADING = re.compile(r"\s*[#=]?\s*(\d+)(?!\d)")
