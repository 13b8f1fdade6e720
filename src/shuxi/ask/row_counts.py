"""Two named cells compared by how many rows hold each: "the difference in the number of temples between
Imabari and Matsuyama", "how many more seasons was Marty Brill head coach than Tom Conley?".

:func:`shuxi.ask.rows._difference` finds the two cells; here it is decided whether the number column it would
compare only numbers or dates the rows ("No.", "#", "Season"), in which case each one's rows are counted instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shuxi.plan.ir import Arithmetic, Calculation, ColumnRef, Filter, Measure, Plan

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Words after which "how many" asks for a span, not for rows ("how many years between …").
_SPAN_WORDS = ["years", "days", "months", "weeks", "hours", "minutes", "seconds"]


def counts_rows_apart(ctx: Context, measured: str) -> bool:
    """"the difference in the number of temples between Imabari and Matsuyama", "how many more seasons was
    Brill head coach than Conley": a count of each one's rows, when the number column left to compare only
    numbers or dates the rows — the table's one number column ("No.", "#", "Year") that the question does not
    name, or a named column of years ("Season")."""
    from shuxi.ask.cells import numbers_rows
    from shuxi.ask.years import holds_years
    from shuxi.ask.parts import COUNT_WORDS

    if not ctx.has([*COUNT_WORDS, "how many more", "how many fewer"]) or ctx.has(_SPAN_WORDS):
        return False
    named = any(c == measured for _, c, _ in ctx.mentioned("number", free=False))
    return holds_years(ctx, measured) or (not named and numbers_rows(measured))


def count_difference(ctx: Context, column: str, a: Any, b: Any, *, more: bool, fewer: bool) -> Plan | None:
    """How many more rows hold ``a`` than ``b`` in ``column`` (the absolute gap for "difference")."""
    names = [f"count ({v})" for v in (a, b)]
    if names[0] == names[1]:
        names = [f"{names[0]} 1", f"{names[1]} 2"]
    measures = [Measure(agg="count", where=[Filter(column=column, op="=", value=v)], alias=name)
                for v, name in zip((a, b), names)]
    left, right = ColumnRef(name=names[0]), ColumnRef(name=names[1])
    if fewer and not more:
        left, right = right, left
    calc = Calculation(name="difference", expr=Arithmetic(op="-", left=left, right=right),
                       absolute=not (more or fewer))
    filters = [f for f in ctx.filters if f.column != column]
    try:
        return Plan(kind="calculate", table=ctx.index.table, language=ctx.q.language, filters=filters,
                    measures=measures, calculations=[calc])
    except ValueError:  # an inconsistent plan for this question: let the other rules try
        return None
