"""The shape of one numeric column, computed in the engine: a quantile summary and a histogram.

Both come back as a handful of numbers whatever the table's size: one query for n, mean, standard deviation,
min, quartiles and max; one ``GROUP BY`` over bin numbers for the histogram, whose bins have "nice" edges
(steps of 1, 2 or 5 × 10^k) so that the axis reads 0, 50, 100 rather than 3.17, 52.9, 102.6.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from shuxi.errors import PlanError
from shuxi.insight.drivers import check_columns, is_numeric_type
from shuxi.insight.sql import not_null, number, table_ref

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset

#: The histogram's schema, as :func:`shuxi.viz.charts.chart_for` expects for kind "distribution".
HISTOGRAM_SCHEMA = pa.schema([("bin_start", pa.float64()), ("bin_end", pa.float64()), ("count", pa.int64())])
MAX_BINS = 200


def nice_bins(low: float, high: float, *, bins: int = 20, integer: bool = False) -> tuple[float, float, int]:
    """``(start, width, count)`` of about ``bins`` equal bins with round edges covering [low, high].

    The width is the 1, 2 or 5 × 10^k nearest to the exact width (at least 1 for an integer column, so no bin falls between two integers);
    ``start`` is a multiple of the width. A single value gets one bin of width 1 around it.

    >>> nice_bins(3.2, 97.5, bins=10)
    (0.0, 10.0, 10)
    """
    if not (math.isfinite(low) and math.isfinite(high)) or high < low:
        raise PlanError(f"Cannot make histogram bins from {low!r} to {high!r}.")
    bins = max(1, min(int(bins), MAX_BINS))
    if high == low:
        return (math.floor(low) if integer else low - 0.5, 1.0, 1)
    raw = (high - low) / bins
    power = 10 ** math.floor(math.log10(raw))
    width = min((step * power for step in (1, 2, 5, 10)), key=lambda w: abs(math.log(w / raw)))
    if integer:
        width = max(1.0, float(math.ceil(width)))
    start = math.floor(low / width) * width
    count = max(1, math.floor((high - start) / width) + 1)
    # floor() puts the maximum in a bin of its own when it sits exactly on an edge; fold it into the last bin.
    if count > 1 and start + (count - 1) * width == high:
        count -= 1
    return (float(start), float(width), int(count))


def _numeric(ds: Dataset, column: str) -> exp.Expression:
    check_columns(ds, [column])
    kind = ds.schema.field(column).type
    if not is_numeric_type(kind):
        raise PlanError(f"Cannot describe the distribution of {column!r}: it holds {kind}, not numbers.",
                        hint="Count its values by group instead.")
    return number(column, kind)


def _where(value: exp.Expression, where: exp.Expression | None) -> exp.Expression:
    keep = not_null(value)
    return exp.and_(keep, where.copy()) if where is not None else keep


def quantile_summary(ds: Dataset, column: str, *, where: exp.Expression | None = None) -> dict[str, Any]:
    """n, mean, sample standard deviation, min, 25th/50th/75th percentiles (interpolated) and max of ``column``
    (NULLs left out; ``where`` an optional sqlglot condition). Values are None when there are no numbers."""
    value = _numeric(ds, column)
    parts = {
        "n": exp.Count(this=value.copy()), "mean": exp.Avg(this=value.copy()),
        "std": exp.StddevSamp(this=value.copy()), "min": exp.Min(this=value.copy()),
        "q25": exp.PercentileCont(this=value.copy(), expression=exp.Literal.number("0.25")),
        "median": exp.PercentileCont(this=value.copy(), expression=exp.Literal.number("0.5")),
        "q75": exp.PercentileCont(this=value.copy(), expression=exp.Literal.number("0.75")),
        "max": exp.Max(this=value.copy()),
    }
    query = exp.select(*(e.as_(name, quoted=True) for name, e in parts.items())).from_(table_ref(ds.name))
    row = ds.engine.execute(query.where(_where(value, where)), limit=1).to_pylist()[0]
    row["n"] = int(row["n"] or 0)
    return row


def histogram(ds: Dataset, column: str, *, bins: int = 20, where: exp.Expression | None = None) -> pa.Table:
    """Counts of ``column``'s values in about ``bins`` nice equal-width bins: a table with ``bin_start``,
    ``bin_end`` and ``count`` (empty bins included, NULLs left out), ready for ``chart_for("distribution", …)``.

    Two queries: the range, then one ``GROUP BY`` over bin numbers; at most :data:`MAX_BINS` rows come back.
    """
    value = _numeric(ds, column)
    keep = _where(value, where)
    bounds = exp.select(exp.Min(this=value.copy()).as_("lo"), exp.Max(this=value.copy()).as_("hi")).from_(
        table_ref(ds.name)).where(keep.copy())
    row = ds.engine.execute(bounds, limit=1).to_pylist()[0]
    if row["lo"] is None:
        return HISTOGRAM_SCHEMA.empty_table()
    kind = ds.schema.field(column).type
    start, width, count = nice_bins(float(row["lo"]), float(row["hi"]), bins=bins,
                                    integer=pa.types.is_integer(kind))
    offset = exp.Div(this=exp.paren(exp.Sub(this=value.copy(), expression=exp.Literal.number(repr(start)))),
                     expression=exp.Literal.number(repr(width)))
    number = exp.cast(exp.Floor(this=offset), exp.DataType.Type.BIGINT)
    last = exp.Literal.number(count - 1)
    zero = exp.Literal.number(0)
    clipped = exp.Case(ifs=[exp.If(this=exp.GT(this=number.copy(), expression=last), true=last.copy()),
                            exp.If(this=exp.LT(this=number.copy(), expression=zero), true=zero.copy())],
                       default=number)
    query = (exp.select(clipped.as_("b", quoted=True), exp.Count(this=exp.Star()).as_("c", quoted=True))
             .from_(table_ref(ds.name)).where(keep).group_by(exp.Literal.number(1)))
    counts = {int(r["b"]): int(r["c"]) for r in ds.engine.execute(query, limit=count + 1).to_pylist()}
    digits = max(0, 2 - math.floor(math.log10(width)))  # 0.05 * 3 is 0.15000000000000002: round it back
    edges = [round(start + i * width, digits) for i in range(count + 1)]
    return pa.table({
        "bin_start": edges[:-1],
        "bin_end": edges[1:],
        "count": [counts.get(i, 0) for i in range(count)],
    }, schema=HISTOGRAM_SCHEMA)
