"""Questions answered by the cells of rows the question names, rather than by counting rows.

Called by the built-in planner after the row-order rules (:mod:`shuxi.ask.rows`); each rule returns None when
the question is not of its kind, so the general rules still see it.

* "how many X did Y …" where X names a number column: the X of Y's rows, not a count of them — "how many goals
  did Dejan Damjanović score in 2011?" → the Goals cell of that row; "what was the total number of medals won by
  South Africa?" → its Total cell. Several matching rows are summed ("how many goals did he score for Ajax").
* "who was the top pitcher drafted?", "what is the top placed country?": the row a rank or place column puts
  first (rank 1 is the smallest number), or the table's first row when it has no such column.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shuxi.ask import lexicon as lx
from shuxi.plan.ir import ROW, Filter, Measure, Order, Plan

if TYPE_CHECKING:
    from shuxi.ask.builtin import Context

#: Words that ask for an amount (the number column after them is what is asked).
AMOUNT_WORDS = ["how many", "how much", "number of", "total number of", "the total", "total of", "amount of",
                "多少", "几"]
#: A text column counts as a number column when this share of its values starts with a number ("250", "4th").
NUMERIC_TEXT = 0.8


def cell_rule(ctx: Context) -> Plan | None:
    """The Plan for a question answered by the cells of named rows, or None."""
    for rule in (_amount_of_rows, _top_row):
        plan = rule(ctx)
        if plan is not None:
            return plan
    return None


def _amount_of_rows(ctx: Context) -> Plan | None:
    """"how many goals did X score in 2011?": the number column's value in the rows the filters keep."""
    from shuxi.ask.builtin import _holds_years
    from shuxi.ask.rows import DIFFERENCE_WORDS, FEWER_WORDS, MORE_WORDS, _not_summary

    if not ctx.has(AMOUNT_WORDS) or ctx.has(MORE_WORDS + FEWER_WORDS + DIFFERENCE_WORDS):
        return None
    pinned = [f for f in ctx.filters if f.op == "="]
    if not pinned or any(f.op != "=" for f in ctx.filters):
        return None
    filtered = {f.column for f in ctx.filters}
    asked = []
    for _, column, _ in ctx.mentioned("number", "text"):
        if column in filtered or numbers_rows(column) or column in asked or _holds_years(ctx, column):
            continue
        info = ctx.index.columns[column]
        if info.kind == "number" or info.numeric_share >= NUMERIC_TEXT:
            asked.append(column)
    if len(asked) != 1:
        return None
    column = asked[0]
    if not _after_amount_word(ctx, column):
        return None
    filters = [*ctx.filters, *_not_summary(ctx)]
    one_row = any(ctx.kind_of(f.column) == "text" and ctx.index.columns[f.column].counts.get(f.value) == 1
                  for f in pinned)
    name = column.lower()
    if not one_row and any(h in name for h in (*lx.NON_ADDITIVE_HINTS, "position", "place", "pos", "chart")):
        return None  # positions and rates of several rows do not add up
    if ctx.kind_of(column) == "number":
        return _plan(ctx, "aggregate", filters=filters, measures=[Measure(agg="sum", column=column)])
    # A number kept as text ("250*", "4th") cannot be summed: answer only when one row is named.
    if not one_row:
        return None
    return _plan(ctx, "lookup", filters=filters, select=[column])


TOP_WORDS = ["top", "best", "number one", "first place", "1st place", "winner", "winning"]


def _top_row(ctx: Context) -> Plan | None:
    """"who was the top pitcher drafted?", "what is the top placed country?": the row ranked first — by a rank
    or place column when the table has one, else the first row — when no number column is ranked by."""
    from shuxi.ask.builtin import _is_rank_column, _top_k
    from shuxi.ask.rows import YES_NO_START, _asks_count, _label_columns, _not_summary, _wh_column

    if not ctx.has(["top", "best"]) or _asks_count(ctx) or ctx.q.text.startswith(YES_NO_START):
        return None
    if ctx.has(["most", "least", "highest", "lowest", "worst", "bottom", "fewest", "largest", "smallest"]):
        return None
    ranks = [c for c in ctx.index.order if ctx.kind_of(c) == "number" and _is_rank_column(c)]
    measured = [c for _, c, _ in ctx.mentioned("number") if c not in ranks]
    if measured or _top_k(ctx) is not None:
        return None
    asked = [c for c in _wh_column(ctx) if c not in ranks] or _label_columns(ctx)
    if not asked:
        return None
    order = [Order(by=ranks[0], desc=False)] if ranks else [Order(by=ROW, desc=False)]
    return _plan(ctx, "lookup", filters=[*ctx.filters, *_not_summary(ctx)], select=asked[:1], order=order, limit=1)


def numbers_rows(column: str) -> bool:
    """A column that only numbers or places rows ("Game", "No.", "Pick #", "Round", "Year"), not an amount."""
    from shuxi.ask.rows import ENTITY_HINTS

    words = set(re.findall(r"[a-z]+|#", column.lower())) - {"of", "the"}
    return bool(words) and words <= ENTITY_HINTS | {"year", "rank", "pos", "ranking", "yr"}


def _after_amount_word(ctx: Context, column: str) -> bool:
    """The column is named after the amount word ("how many **goals**", "the number of **people**…")."""
    amounts = ctx.word_spans(AMOUNT_WORDS)
    return any(span.first <= m.span.first <= span.last + 3 for _, span in amounts
               for _, c, m in ctx.mentioned("number", "text") if c == column)


def _plan(ctx: Context, kind: str, **fields: object) -> Plan | None:
    try:
        return Plan(kind=kind, table=ctx.index.table, language=ctx.q.language, **fields)  # type: ignore[arg-type]
    except ValueError:
        return None

