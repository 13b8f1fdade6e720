"""Questions about the value that occurs most (or least) often: "which racer won the most races?" (the Winner
cell repeated most), "who produced the most tracks?", "which event is the most recurring on this list?".

No number column is named, so "the most" counts rows: group by the column the question asks about and keep the
largest group. That column is the one named right after which/what ("which **event**"), or the one named after
the question's verb ("won" → Winner, "produced" → Producer(s), "directed" → Directed by). A column whose values
never repeat has no most frequent value, so the rule steps aside. Called by the built-in planner before the
general ranking rule; returns None when the question is not of this kind.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shuxi.ask.text import column_words
from shuxi.plan.ir import Dimension, Filter, Measure, Order, Plan

if TYPE_CHECKING:
    from shuxi.ask.context import Context

_MOST = re.compile(r"\b(?:the )?(most|least|fewest)\b(?: (?:often|times|frequently|common(?:ly)?|recurring|"
                   r"appearances|wins|number of times))?")
#: Irregular verbs and the column words they point to ("won" → "winner").
_VERB_ROOTS = {"won": "win", "wins": "win", "win": "win", "winning": "win", "led": "lead", "leads": "lead",
               "wrote": "writ", "written": "writ", "sang": "sing", "sung": "sing", "drove": "driv", "built": "build",
               "made": "mak", "held": "host", "hosted": "host", "hosts": "host"}


def frequent_rule(ctx: Context) -> Plan | None:
    """The Plan for "which X … the most" when no number column is named (the most frequent X), or None."""
    from shuxi.ask.parts import YES_NO_START, not_summary, wh_column

    if ctx.zh or ctx.q.text.startswith(YES_NO_START) or ctx.mentioned("number"):
        return None
    match = _MOST.search(ctx.q.text)
    if match is None or not re.match(r"(?:which|what|who)\b", ctx.q.text):
        return None
    if re.match(r"\s*(?:number|amount|total|of|points|[a-z]+est)\b", ctx.q.text[match.end():]):
        return None  # "the most number of …", "the most points": a quantity, left to the ranking rule
    filtered = {f.column for f in ctx.filters}
    column = _counted_column(ctx, wh_column(ctx), filtered, match.start())
    if column is None:
        return None
    count = Measure(agg="count")
    desc = match.group(1) == "most"
    filters = [*ctx.filters, Filter(column=column, op="not_null"), *not_summary(ctx)]
    try:
        return Plan(kind="rank", table=ctx.index.table, language=ctx.q.language, filters=filters,
                    dimensions=[Dimension(column=column)], measures=[count],
                    order=[Order(by=count.name, desc=desc)], limit=1)
    except ValueError:
        return None


def _counted_column(ctx: Context, asked: list[str], filtered: set[str], end: int) -> str | None:
    """The repeated text column the question counts by: named after which/what, else named by a verb before
    "the most" ("who produced the most tracks" → Producer(s))."""
    named = [c for c in asked if c not in filtered and ctx.kind_of(c) == "text" and _repeats(ctx, c)]
    strong = [c for c in named if any(m.strength > 0 and m.columns == (c,) for m in ctx.columns)]
    if strong:
        return strong[0]
    words = re.findall(r"[a-z]+", ctx.q.text[:end])[1:]
    roots = {_root(w) for w in words if len(w) >= 3} - {""}
    by_verb = [c for c in ctx.index.of_kind("text") if c not in filtered and _repeats(ctx, c)
               and roots & {_root(w) for w in column_words(c) if len(w) >= 3}]
    if by_verb:
        return by_verb[0] if len(by_verb) == 1 else None
    return named[0] if len(named) == 1 else None


def _root(word: str) -> str:
    """A crude stem that puts a verb and its agent noun together: produced/producer → "produc",
    directed/director → "direct", won/winner → "win"."""
    if word in _VERB_ROOTS:
        return _VERB_ROOTS[word]
    if word in ("the", "and", "has", "had", "have", "was", "were", "which", "what", "who", "this", "that", "list",
                "with", "for", "from", "most", "least", "name"):
        return ""
    for suffix in ("ners", "ner", "ers", "er", "ors", "or", "ed", "ing", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)]
    return word


def _repeats(ctx: Context, column: str) -> bool:
    info = ctx.index.columns[column]
    return not info.unique and bool(info.counts) and max(info.counts.values()) > 1
