""""How many X" where X is a number column: the sum of that column over the rows the question keeps, not a count
of those rows — "how many total points were scored by players averaging over 4 assists?" adds up Points over
the players kept, "number of gold medals earned by the Netherlands and Italy" adds up their two Gold cells,
"what is the number of fans who attended the December 7, 1969 game?" reads that game's Attendance.

Called by the built-in planner after the cell and row rules (which read one named row's cell); returns None when
the counted noun is not a number column (then "how many" counts rows), when the column numbers or dates rows
(Game, No., Year), or when the question compares, ranks or averages instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuxi.ask import lexicon as lx
from shuxi.plan.ir import Measure, Plan

if TYPE_CHECKING:
    from shuxi.ask.context import Context
    from shuxi.ask.linking import ColumnMention

_COUNT_WORDS = ["how many", "number of", "total number of", "amount of", "total amount of"]
#: Words that may stand between "how many" and the column ("how many total medals", "number of gold medals").
_GAP = 2
_OTHER_KINDS = ["more", "fewer", "less", "difference", "than", "average", "mean", "per", "each", "percentage",
                "percent", "ratio", "same", "consecutive", "times", "which", "who", "whom", "whose"]


def amount_rule(ctx: Context) -> Plan | None:
    """SUM of the number column a count phrase names, over the question's rows (see the module docstring), or None."""
    from shuxi.ask.parts import not_summary

    if ctx.zh or ctx.has(_OTHER_KINDS + lx.HIGH_WORDS + lx.LOW_WORDS):
        return None
    counted = _counted_column(ctx)
    if counted is None:
        return None
    return ctx.try_plan("aggregate", filters=[*ctx.filters, *not_summary(ctx)],
                        measures=[Measure(agg="sum", column=counted)])


def _counted_column(ctx: Context) -> str | None:
    """The free number column named right after a count phrase, when it holds amounts that add up."""
    spans = [span for _, span in ctx.word_spans(_COUNT_WORDS)]
    found = [(column, m) for _, column, m in ctx.mentioned("number")
             if any(0 <= m.span.first - s.last <= _GAP for s in spans)]
    columns = {column for column, _ in found}
    if len(columns) != 1:
        return None
    column, mention = found[0]
    if any(f.column == column for f in ctx.filters):
        return None  # "has no runners-up, but how many runners-up does …": the condition is on the counted column
    if not _adds_up(ctx, column) or _names_other_noun(ctx, mention, spans):
        return None
    return column


def _adds_up(ctx: Context, column: str) -> bool:
    """Amounts (medals, goals, attendance), not row numbers, years, places or rates."""
    from shuxi.ask.cells import numbers_rows
    from shuxi.ask.years import holds_years, is_year_column
    from shuxi.ask.parts import RANK_HINTS

    name = column.lower()
    if numbers_rows(column) or is_year_column(ctx, column) or holds_years(ctx, column):
        return False
    return not any(h in name for h in (*lx.NON_ADDITIVE_HINTS, *RANK_HINTS))


def _names_other_noun(ctx: Context, mention: ColumnMention, spans: list) -> bool:  # type: ignore[type-arg]
    """"how many total games …" where a word between the count phrase and the column is itself a column or a
    cell: the counted thing is that, not the number column."""
    before = [s for s in spans if 0 <= mention.span.first - s.last <= _GAP]
    start = min(s.end for s in before)
    between = (start, mention.span.start)
    others = [m.span for m in ctx.columns if m is not mention] + [v.span for v in ctx.values]
    return any(between[0] <= s.start and s.end <= between[1] for s in others)
