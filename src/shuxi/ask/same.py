"""Questions about rows that share a value with a named row: "which nations won the same number of gold medals
as Belarus?", "who played the same position as Derek Combs?", "how many flowers have the same type as the
Freedom Bell?".

The answer is a two-step question — look up the named row's value, then keep the rows holding it — which the
plan says in one piece (:class:`shuxi.plan.ir.SameAs`: ``Gold IN (SELECT Gold … WHERE Nation = 'Belarus')``),
so the query that decides the answer is the one shown. The named rows themselves are left out ("the same … as
Belarus" asks for the others). Called by the built-in planner before the cell and row-order rules; returns None
when the question is not of this kind.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shuxi.plan.ir import Filter, Measure, Plan, SameAs

if TYPE_CHECKING:
    from shuxi.ask.context import Context
    from shuxi.ask.linking import ValueMention

#: Columns that number rows ("Boat #", "No.", "ID"): "what other boat" asks for the boat's name, not its number.
_IDENTIFIER = re.compile(r"#|\bno\.?$|\bnumber\b|\bid\b", re.IGNORECASE)
_SAME = re.compile(r"\b(?:the )?same\b(?P<what>.*?)\b(?:as|that)\b")


def same_rule(ctx: Context) -> Plan | None:
    """The Plan for "… the same X as Y" (rows whose X equals Y's X, Y's own rows left out), or None."""
    from shuxi.ask.cells import numbers_rows
    from shuxi.ask.parts import label_columns, not_summary, wh_column

    from shuxi.ask.words import _YES_NO

    if ctx.zh or _YES_NO.match(ctx.q.text):
        return None  # "is A the same as B?" is a yes/no question (shuxi.ask.words)
    match = _SAME.search(ctx.q.text)
    if match is None:
        return None
    shared = _shared_column(ctx, match.start("what"), match.end("what"))
    if shared is None:
        return None
    anchors = _anchors(ctx, shared, match.start(), match.end())
    if not anchors:
        return None
    column = anchors[0].column
    named = [v for v in anchors if v.column == column]
    partial = any(v is p for v in named for p in ctx.partials)
    if len(named) > 1 and partial:
        return None  # several partly named rows: too loose to anchor on
    if len(named) == 1:
        where = [Filter(column=column, op="contains" if partial else "=", value=named[0].value)]
    else:
        where = [Filter(column=column, op="in", values=_unique_values(named))]
    # Conditions the question adds ("what other bridge built in 1920"), without the named rows' own ones.
    others = [f for f in ctx.filters if not _is_anchor_filter(f, named) and f.column != shared]
    filters = [*others, *not_summary(ctx)]
    same = SameAs(column=shared, where=where)
    counted = [span for _, span in ctx.word_spans(["how many", "number of"]) if span.end <= match.start()]
    if counted and not wh_column(ctx):  # "how many flowers have the same type as …", not "the same number of"
        return ctx.try_plan("aggregate", filters=filters, measures=[Measure(agg="count")], same=same)
    asked = [c for c in wh_column(ctx) if c != shared and not _IDENTIFIER.search(c)
             and not (numbers_rows(c) and ctx.kind_of(c) == "number")]
    if not asked and ctx.has(["who", "whom", "whose"]):
        asked = [c for c in label_columns(ctx) if c != shared][:1]
    select = asked[:1] or [column]
    return ctx.try_plan("lookup", filters=filters, select=select, same=same)


def _anchors(ctx: Context, shared: str, start: int, end: int) -> list[ValueMention]:
    """The named rows: cells after "as" ("… as Belarus"), else before "same" ("Homochitto River Bridge is in the
    same county as what other bridge built in 1920?"); a cell naming one row beats a repeated one (a condition)."""
    mentions = [v for v in [*ctx.values, *ctx.partials] if v.column != shared]
    after = [v for v in mentions if v.span.start >= end]
    before = [v for v in mentions if v.span.end <= start]

    def names_a_row(v: ValueMention) -> bool:
        info = ctx.index.columns[v.column]
        return info.unique or info.counts.get(v.value) == 1

    for group in ([v for v in after if names_a_row(v)], [v for v in before if names_a_row(v)], after):
        if group:
            return group
    return []


def _shared_column(ctx: Context, start: int, end: int) -> str | None:
    """The column named between "same" and "as" ("the same **number of gold medals** as"), the last one named
    when several are ("the same **year** listed for their **date**": the year is the noun, the date where)."""
    mentions = ctx.mentioned("number", "text", "date", "bool", free=False)
    inside = [c for _, c, m in mentions if m.span.start >= start and m.span.end <= end]
    if not inside:
        # "what other boat was completed on the same day as Ha-201?": the column named just before "same".
        same = ctx.q.text.rfind("same", 0, start + 1)
        inside = [c for _, c, m in mentions if 0 <= same - m.span.end <= 12]
        if not inside:
            return None
    return inside[0] if len(set(inside)) == 1 else None


def _is_anchor_filter(f: Filter, named: list[ValueMention]) -> bool:
    values = {v.value for v in named}
    return any(v.column == f.column for v in named) and (f.value in values or bool(set(f.values or []) & values))


def _unique_values(named: list[ValueMention]) -> list:  # type: ignore[type-arg]
    out: list = []  # type: ignore[type-arg]
    for v in named:
        if v.value not in out:
            out.append(v.value)
    return out
