"""Questions that set a named row aside and ask for the others: "other than Parry, name an athlete from Wales",
"which other people are in class C besides Rose Washington?", "name a manufacturer other than Honda".

The planner's filters already turn the set-aside cell into a condition that leaves it out ("Name does not
contain Parry"); what is decided here is the column asked for. The thing set aside is of the kind asked for,
so the answer is read from the set-aside cell's own column, unless the question names another column right
after its question word ("other than Chimaltenango's contestant, which **region** …").

Called from :func:`shuxi.ask.cells.cell_rule`; returns None for counts ("how many teams other than Italy …"),
rankings ("which team other than X had the most …") and anything it does not recognise, which the other
rules then answer with the same filters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuxi.plan.ir import ROW, Dimension, Measure, Order, Plan

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Words that set a row aside ("besides Heroes, which 1977 film …", "a manufacturer other than Honda").
SET_ASIDE_WORDS = ["other than", "besides", "beside", "aside from", "apart from", "except for", "except",
                   "excluding", "not counting", "not including"]
#: Conditions that leave a set-aside cell out.
_LEAVE_OUT = ("!=", "not_in", "not_contains")
#: Words that make the question a count or a ranking: the general rules answer those with the same filters.
_NOT_LOOKUP = ["how many", "number of", "total", "most", "least", "highest", "lowest", "largest", "smallest",
               "best", "worst", "fewest", "greatest", "biggest", "longest", "shortest", "average", "first", "last",
               "next", "previous", "before", "after", "same", "more than", "less than", "fewer than"]
#: Words that ask for a thing, with the noun naming its column right after them.
_ASK_WORDS = ["name a", "name an", "name one", "name another", "name one other", "name the", "which", "what",
              "who", "whom", "tell me a", "tell me one"]
#: Words that ask for one of the rows that answer ("other than Parry, name an athlete from Wales"): the first.
_ONE_WORDS = ["name a", "name an", "name one", "name another", "tell me a", "tell me an", "tell me one",
              "give me a", "give me one", "give one"]
#: How many words may stand between a set-aside word and the cell it sets aside ("other than **the** Oval").
_REACH = 3


def set_aside_rule(ctx: Context) -> Plan | None:
    """A lookup of the set-aside cell's column over the rows left, or None when the question is not of this kind."""
    if ctx.zh or not ctx.has(SET_ASIDE_WORDS) or ctx.has(_NOT_LOOKUP):
        return None
    column = _set_aside_column(ctx)
    if column is None:
        return None
    asked = _asked_column(ctx, column)
    if asked is None:
        return None
    from shuxi.ask.parts import not_summary

    filters = [*ctx.filters, *not_summary(ctx)]
    one = ctx.has(_ONE_WORDS)
    if not one and _repeats(ctx, asked):
        # "what other types of brakes are listed besides vacuum?": each type once
        return ctx.try_plan(kind="group", filters=filters, dimensions=[Dimension(column=asked)],
                            measures=[Measure(agg="count")])
    return ctx.try_plan(kind="lookup", filters=filters, select=[asked], order=[Order(by=ROW)] if one else [],
                        limit=1 if one else None)


def _repeats(ctx: Context, column: str) -> bool:
    """Whether some cell of ``column`` stands in more than one row."""
    info = ctx.index.columns[column]
    return info.kind == "text" and not info.unique and any(n > 1 for n in info.counts.values())


def _set_aside_column(ctx: Context) -> str | None:
    """The column of the cell the question sets aside: a value named within a few words after a set-aside word
    that the filters already leave out."""
    left_out = {f.column for f in ctx.filters if f.op in _LEAVE_OUT}
    mentions = sorted([*ctx.values, *ctx.partials], key=lambda v: v.span.first)
    for _, span in ctx.q.find_any(SET_ASIDE_WORDS):
        after = [v for v in mentions if 0 <= v.span.first - span.last <= _REACH and v.column in left_out]
        if after:
            return after[0].column
    return None


def _asked_column(ctx: Context, set_aside: str) -> str | None:
    """The column named right after the question word ("which **region**", "name a **manufacturer**"), else the
    set-aside cell's own column ("other than Parry, name an athlete …", "besides Julia Stowers, who …")."""
    filtered = {f.column: f for f in ctx.filters}
    for _, span in ctx.q.find_any(_ASK_WORDS):
        for _, column, m in ctx.mentioned("text", "number", "date", free=False):
            if 0 <= m.span.first - span.last <= 1:
                kept = filtered.get(column)
                if kept is None or column == set_aside:
                    return column
                return None  # "which team … besides X, in Group B": the named column is a condition; unsure
    return set_aside
