"""A bounded random sample of (x, y) pairs for a scatter chart, drawn by the engine.

``ORDER BY RANDOM() LIMIT k`` is a top-k, not a full sort, on DuckDB and on Spark (TakeOrderedAndProject):
memory stays proportional to k however large the table is. The statistics are never computed from the
sample — only the chart's points are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
from sqlglot import exp

from shuxi.insight.sql import column_ref, not_null, number, table_ref

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset

#: Points in a scatter chart by default: enough to show the shape, few enough to draw quickly.
SAMPLE_POINTS = 2000


def sample_pairs_query(
    table: str | exp.Expression, x: str, y: str, *, limit: int = SAMPLE_POINTS,
    where: exp.Expression | None = None, color: str | None = None,
) -> exp.Select:
    """At most ``limit`` random rows with both ``x`` and ``y`` present (NaN counts as missing), as columns named
    ``x`` and ``y`` after the originals (and ``color`` when given)."""
    xs, ys = number(x), number(y)
    keep = exp.and_(not_null(xs), not_null(ys))
    if where is not None:
        keep = exp.and_(keep, where.copy())
    columns = [xs.as_(x, quoted=True), ys.as_(y, quoted=True)]
    if color is not None:
        columns.append(column_ref(color).as_(color, quoted=True))
    return exp.select(*columns).from_(table_ref(table)).where(keep).order_by(exp.Rand()).limit(max(1, int(limit)))


def sample_pairs(
    ds: Dataset, x: str, y: str, *, limit: int = SAMPLE_POINTS, where: exp.Expression | None = None,
    color: str | None = None,
) -> pa.Table:
    """A random sample of at most ``limit`` (x, y) pairs of ``ds`` — the points of a correlation's scatter chart."""
    from shuxi.insight.drivers import check_columns

    check_columns(ds, [x, y] + ([color] if color else []))
    return ds.engine.execute(sample_pairs_query(ds.name, x, y, limit=limit, where=where, color=color), limit=limit)
