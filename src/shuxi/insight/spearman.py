"""Spearman's rank correlation computed inside the engine.

Spearman's ρ is Pearson's r of the ranks, with tied values sharing their average rank. SQL has every piece:
``RANK() OVER (ORDER BY x)`` is the lowest rank of a tie, and adding ``(COUNT(*) OVER (PARTITION BY x) - 1) / 2``
moves it to the tie's average. ``CORR`` of the two rank columns is then ρ — the same number
``scipy.stats.spearmanr`` gives on the raw values. Only two numbers leave the engine.

The ranking windows have no partition, so Spark sorts the pairs on one executor: fine for millions of rows;
for billions prefer Pearson's r on the same question (one pass, fully parallel).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from shuxi.insight.sql import column_ref, not_null, number, table_ref

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset
    from shuxi.insight.stats import Correlation


def _average_rank(column: exp.Expression) -> exp.Expression:
    """The average rank of ``column``'s value among all rows (ties share the mean of their ranks)."""
    lowest = exp.Window(this=exp.Anonymous(this="RANK"), order=exp.Order(expressions=[exp.Ordered(this=column.copy())]))
    ties = exp.Window(this=exp.Count(this=exp.Star()), partition_by=[column.copy()])
    spread = exp.Div(this=exp.paren(exp.Sub(this=ties, expression=exp.Literal.number(1))), expression=exp.Literal.number("2.0"))
    return exp.Add(this=exp.cast(lowest, exp.DataType.Type.DOUBLE), expression=exp.cast(spread, exp.DataType.Type.DOUBLE))


def spearman_query(
    table: str | exp.Expression, x: str, y: str, *, where: exp.Expression | None = None
) -> exp.Select:
    """A query returning one row ``(r, n)``: Spearman's ρ of columns ``x`` and ``y`` and the number of pairs.

    Both columns are read as numbers (DOUBLE; NaN counts as missing). Rows where either value is missing are
    left out, as are rows failing ``where`` (a sqlglot condition over the
    table's columns, e.g. ``exp.column("地区", quoted=True).eq(exp.Literal.string("华东"))``). ``r`` is NULL
    when either column is constant. Run it with ``ds.engine.execute(query)``.
    """
    xs, ys = number(x), number(y)
    keep = exp.and_(not_null(xs), not_null(ys))
    if where is not None:
        keep = exp.and_(keep, where.copy())
    pairs = exp.select(xs.as_("x", quoted=True), ys.as_("y", quoted=True)).from_(table_ref(table)).where(keep)
    ranked = exp.select(
        _average_rank(column_ref("x")).as_("rx", quoted=True), _average_rank(column_ref("y")).as_("ry", quoted=True)
    ).from_(pairs.subquery("pairs"))
    rho = exp.Corr(this=column_ref("rx"), expression=column_ref("ry"), null_on_zero_variance=True)
    return exp.select(rho.as_("r", quoted=True), exp.Count(this=exp.Star()).as_("n", quoted=True)).from_(
        ranked.subquery("ranked")
    )


def spearman(ds: Dataset, x: str, y: str, *, where: exp.Expression | None = None) -> Correlation:
    """Spearman's ρ of two numeric columns of ``ds``, tested (p-value, approximate 95% CI)."""
    from shuxi.insight.correlation import correlate

    return correlate(ds, x, y, method="spearman", where=where)
