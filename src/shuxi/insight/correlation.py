"""``correlate``: the correlation of two columns of a dataset, computed by the engine and tested.

Pearson's r is one ``CORR`` aggregate with its pair count; Spearman's ρ is the rank query of
:mod:`shuxi.insight.spearman`. Either way two numbers leave the engine and :func:`correlation_test` does the rest.

>>> correlate(ds, "price", "quantity").describe("zh", x="价格", y="销量")
'r = -1.000（n = 3），完全负相关：价格越高，销量越低。…'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pyarrow as pa
from sqlglot import exp

from shuxi.errors import PlanError
from shuxi.insight.drivers import check_columns, is_numeric_type
from shuxi.insight.spearman import spearman_query
from shuxi.insight.sql import not_null, number, table_ref
from shuxi.insight.stats import Correlation, correlation_test

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset


def pearson_query(table: str | exp.Expression, x: str, y: str, *, where: exp.Expression | None = None,
                  kinds: tuple[pa.DataType | None, pa.DataType | None] = (None, None)) -> exp.Select:
    """One row ``(r, n)``: Pearson's r of ``x`` and ``y`` (NULL for a constant column) and the number of pairs."""
    xs, ys = number(x, kinds[0]), number(y, kinds[1])
    keep = exp.and_(not_null(xs), not_null(ys))
    if where is not None:
        keep = exp.and_(keep, where.copy())
    r = exp.Corr(this=xs, expression=ys, null_on_zero_variance=True)
    return exp.select(r.as_("r", quoted=True), exp.Count(this=exp.Star()).as_("n", quoted=True)).from_(
        table_ref(table)).where(keep)


def correlate(ds: Dataset, x: str, y: str, *, method: Literal["pearson", "spearman"] = "pearson",
              where: exp.Expression | None = None) -> Correlation:
    """Pearson's r or Spearman's ρ of two numeric columns (rows with a missing value left out), tested:
    p-value, 95% CI, sign and strength, and :meth:`~shuxi.insight.stats.Correlation.describe` for the sentence."""
    check_columns(ds, [x, y])
    kinds = []
    for name in (x, y):
        kind = ds.schema.field(name).type
        if not (is_numeric_type(kind) or pa.types.is_boolean(kind)):
            raise PlanError(f"Cannot correlate {name!r}: it holds {kind}, not numbers.",
                            hint="Pick two numeric columns; compare groups of a text column with a group question.")
        kinds.append(kind)
    if method == "spearman":
        query = spearman_query(ds.name, x, y, where=where)
    elif method == "pearson":
        query = pearson_query(ds.name, x, y, where=where, kinds=(kinds[0], kinds[1]))
    else:
        raise PlanError(f"Unknown correlation method {method!r}.", hint="Use 'pearson' or 'spearman'.")
    row = ds.engine.execute(query, limit=1).to_pylist()[0]
    return correlation_test(row["r"], int(row["n"] or 0), method=method)
