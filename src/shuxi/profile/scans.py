"""The SQL behind a profile: a few scans that compute every column's statistics at once.

Each function builds one sqlglot query (identifiers quoted, values as literals, never string formatting) and
the profiler runs it through the dataset's engine. The queries read the raw table once each and compute
converted columns inline, so shuxi's own typed reading of "100元" is profiled next to the text it came from:

1. :func:`overview_query`: counts, missing cells by kind, approximate distinct counts, min/max/mean/std,
   skewness, approximate quantiles, zeros/negatives/infinities, text lengths and numeric correlations.
2. :func:`value_counts_query`: exact value counts of every low-cardinality column in one pass (GROUPING SETS).
3. :func:`sample_query`: a Bernoulli sample for patterns, semantic types, examples and associations.
4. :func:`histogram_query`: histograms and outlier counts (IQR fences, robust z-scores) in one pass.
5. :func:`duplicates_query` / :func:`distinct_query`: exact duplicate rows and exact distinct counts of
   candidate keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlglot import exp

from shuxi.profile.semantic import PLACEHOLDERS, WHITESPACE

#: Quantiles the overview computes for numeric columns.
QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
#: Text cells longer than this are never a missing placeholder; the guard keeps the check cheap.
_SHORT = 8
_WHITESPACE_ONLY = "[" + "".join(re.escape(c) if c.isprintable() else {"\t": r"\t", "\r": r"\r", "\n": r"\n"}.get(c, "") for c in WHITESPACE if c.isascii()) + r"\x{a0}\x{3000}]+"


@dataclass(frozen=True)
class ColumnRef:
    """One column of the table as the scans see it: its position, name and kind."""

    index: int
    name: str
    #: "integer", "float", "boolean", "date", "timestamp", "text" or "other" (of the typed value).
    physical: str
    #: Whether the raw cell is text (the column was read as text, converted or not).
    raw_text: bool
    #: The typed value as an expression over the raw column (None: the raw column itself).
    typed: exp.Expression | None = None

    @property
    def value(self) -> exp.Column:
        return exp.column(f"v{self.index}", quoted=True)

    @property
    def raw(self) -> exp.Column:
        return exp.column(f"r{self.index}", quoted=True)

    @property
    def numeric(self) -> bool:
        return self.physical in ("integer", "float")


def _str(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _num(value: float | int) -> exp.Literal:
    return exp.Literal.number(value)


def _count_if(condition: exp.Expression) -> exp.Expression:
    return exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=condition))


def _filtered(aggregate: exp.Expression, condition: exp.Expression | None) -> exp.Expression:
    return aggregate if condition is None else exp.Filter(this=aggregate, expression=exp.Where(this=condition))


def _table(name: str) -> exp.Table:
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def cells(raw_table: str, columns: Sequence[ColumnRef], *, sample_percent: float | None = None) -> exp.Subquery:
    """The raw table as v<i> (typed value) and r<i> (raw text) columns, optionally a Bernoulli sample."""
    projections: list[exp.Expression] = []
    for col in columns:
        source = exp.column(col.name, quoted=True)
        projections.append(exp.alias_(col.typed.copy() if col.typed is not None else source.copy(), f"v{col.index}", quoted=True))
        if col.raw_text:
            projections.append(exp.alias_(source.copy(), f"r{col.index}", quoted=True))
    table = _table(raw_table)
    if sample_percent is not None:
        table.set("sample", exp.TableSample(method="BERNOULLI", percent=_num(round(sample_percent, 6))))
    return exp.select(*projections).from_(table).subquery("cells")


def finite(value: exp.Expression) -> exp.Expression:
    """``value`` is neither NaN nor ±infinity (for floating-point columns)."""
    infinity = exp.Cast(this=_str("Infinity"), to=exp.DataType.build("DOUBLE"))
    return exp.and_(exp.Not(this=exp.IsNan(this=value.copy())), exp.NEQ(this=exp.Abs(this=value.copy()), expression=infinity))


def infinite(value: exp.Expression) -> exp.Expression:
    infinity = exp.Cast(this=_str("Infinity"), to=exp.DataType.build("DOUBLE"))
    return exp.EQ(this=exp.Abs(this=value.copy()), expression=infinity)


def overview_aggregates(columns: Sequence[ColumnRef], *, correlate: Sequence[tuple[ColumnRef, ColumnRef]] = ()) -> dict[str, exp.Expression]:
    """Aggregates of the overview scan, keyed "<index>:<statistic>" (and "rows", "corr:<i>:<j>")."""
    aggs: dict[str, exp.Expression] = {"rows": exp.Count(this=exp.Star())}
    for col in columns:
        key, v = str(col.index), col.value
        aggs[f"{key}:count"] = exp.Count(this=v.copy())
        if col.physical not in ("other",):
            aggs[f"{key}:approx_distinct"] = exp.ApproxDistinct(this=v.copy())
        if col.raw_text:
            r = col.raw
            short = exp.LTE(this=exp.Length(this=r.copy()), expression=_num(_SHORT))
            aggs[f"{key}:null"] = _count_if(exp.Is(this=r.copy(), expression=exp.Null()))
            aggs[f"{key}:empty"] = _count_if(exp.EQ(this=r.copy(), expression=_str("")))
            aggs[f"{key}:whitespace"] = _count_if(exp.and_(short.copy(), exp.NEQ(this=r.copy(), expression=_str("")),
                                                           exp.RegexpLike(this=r.copy(), expression=_str(_WHITESPACE_ONLY), full_match=True)))
            trimmed = exp.Lower(this=exp.Trim(this=r.copy()))
            aggs[f"{key}:placeholder"] = _count_if(exp.and_(short.copy(), exp.In(this=trimmed, expressions=[_str(p) for p in PLACEHOLDERS])))
            length = exp.Length(this=r.copy())
            aggs[f"{key}:min_length"] = exp.Min(this=length.copy())
            aggs[f"{key}:max_length"] = exp.Max(this=length.copy())
            aggs[f"{key}:mean_length"] = exp.Avg(this=length.copy())
            aggs[f"{key}:padded"] = _count_if(exp.and_(exp.NEQ(this=exp.Trim(this=r.copy()), expression=r.copy()),
                                                       exp.NEQ(this=exp.Trim(this=r.copy()), expression=_str(""))))
        if col.numeric:
            ok = finite(v) if col.physical == "float" else None
            aggs[f"{key}:min"] = _filtered(exp.Min(this=v.copy()), ok)
            aggs[f"{key}:max"] = _filtered(exp.Max(this=v.copy()), ok)
            aggs[f"{key}:mean"] = _filtered(exp.Avg(this=v.copy()), ok)
            aggs[f"{key}:std"] = _filtered(exp.StddevSamp(this=v.copy()), ok)
            aggs[f"{key}:skewness"] = _filtered(exp.Skewness(this=exp.Cast(this=v.copy(), to=exp.DataType.build("DOUBLE"))), ok)
            aggs[f"{key}:quantiles"] = _filtered(
                exp.ApproxQuantile(this=v.copy(), quantile=exp.Array(expressions=[_num(q) for q in QUANTILES])), ok)
            aggs[f"{key}:zeros"] = _count_if(exp.EQ(this=v.copy(), expression=_num(0)))
            aggs[f"{key}:negative"] = _count_if(exp.LT(this=v.copy(), expression=_num(0)))
            if col.physical == "float":
                aggs[f"{key}:infinite"] = _count_if(infinite(v))
                aggs[f"{key}:nan"] = _count_if(exp.IsNan(this=v.copy()))
        elif col.physical in ("date", "timestamp"):
            aggs[f"{key}:min"] = exp.Min(this=v.copy())
            aggs[f"{key}:max"] = exp.Max(this=v.copy())
        elif col.physical == "boolean":
            aggs[f"{key}:true"] = _count_if(v.copy())
    for a, b in correlate:
        ok = exp.and_(*(finite(c.value) for c in (a, b) if c.physical == "float")) if "float" in (a.physical, b.physical) else None
        x = exp.Cast(this=a.value.copy(), to=exp.DataType.build("DOUBLE"))
        y = exp.Cast(this=b.value.copy(), to=exp.DataType.build("DOUBLE"))
        aggs[f"corr:{a.index}:{b.index}"] = _filtered(exp.Corr(this=x, expression=y), ok)
    return aggs


def aggregate_query(source: exp.Expression, aggregates: Mapping[str, exp.Expression]) -> tuple[exp.Select, list[str]]:
    """One SELECT of all ``aggregates`` over ``source``; the keys in column order (columns are a0, a1…)."""
    names = list(aggregates)
    query = exp.select(*(exp.alias_(aggregates[n], f"a{i}", quoted=True) for i, n in enumerate(names))).from_(source)
    return query, names


def value_counts_query(source: exp.Expression, columns: Sequence[ColumnRef]) -> exp.Select:
    """Exact value counts of ``columns`` in one pass: for each, rows where g<i> = 0 hold its values (k<i>) and counts."""
    keys = [exp.alias_(c.raw.copy() if c.raw_text else c.value.copy(), f"k{c.index}", quoted=True) for c in columns]
    inner = exp.select(*keys).from_(source)
    groupings = [exp.alias_(exp.Anonymous(this="GROUPING", expressions=[exp.column(f"k{c.index}", quoted=True)]), f"g{c.index}", quoted=True)
                 for c in columns]
    sets = exp.GroupingSets(expressions=[exp.Tuple(expressions=[exp.column(f"k{c.index}", quoted=True)]) for c in columns])
    return (exp.select(*(exp.column(f"k{c.index}", quoted=True) for c in columns), *groupings,
                       exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True))
            .from_(inner.subquery("keyed")).group_by(sets))


def sample_query(raw_table: str, columns: Sequence[ColumnRef], *, percent: float | None, rows: int) -> exp.Select:
    """At most ``rows`` rows, a Bernoulli sample of ``percent`` % of the table (all of it when None)."""
    source = cells(raw_table, columns, sample_percent=percent)
    return exp.select("*").from_(source).limit(rows)


@dataclass(frozen=True)
class Bins:
    """Equal-width histogram bins of one numeric column, and its outlier fences."""

    column: ColumnRef
    start: float
    width: float
    count: int
    #: 1.5×IQR fences (Tukey), 3×IQR fences ("far out"), and the robust z-score's median and scaled MAD.
    low: float | None = None
    high: float | None = None
    far_low: float | None = None
    far_high: float | None = None
    median: float | None = None
    mad: float | None = None
    #: Whether the IQR fences were set on the log scale (positive, right-skewed data).
    log_scale: bool = False


def histogram_query(source: exp.Expression, bins: Sequence[Bins], *, robust_z: float) -> exp.Select:
    """Bin counts of every column (GROUPING SETS) plus, in the grand-total row, outlier counts per column."""
    projections: list[exp.Expression] = []
    for b in bins:
        v = b.column.value
        index = exp.Floor(this=exp.Div(this=exp.paren(exp.Sub(this=v.copy(), expression=_num(b.start))), expression=_num(b.width)))
        bounded = exp.Case().when(exp.GTE(this=index.copy(), expression=_num(b.count)), _num(b.count - 1)).else_(index)
        guard = finite(v) if b.column.physical == "float" else exp.Not(this=exp.Is(this=v.copy(), expression=exp.Null()))
        projections.append(exp.alias_(exp.Cast(this=exp.Case().when(guard, bounded), to=exp.DataType.build("BIGINT")), f"b{b.column.index}", quoted=True))
        projections.append(exp.alias_(v.copy(), f"v{b.column.index}", quoted=True))
    inner = exp.select(*projections).from_(source).subquery("binned")
    sets = [exp.Tuple(expressions=[exp.column(f"b{b.column.index}", quoted=True)]) for b in bins] + [exp.Tuple(expressions=[])]
    outputs: list[exp.Expression] = []
    for b in bins:
        key, v = b.column.index, exp.column(f"v{b.column.index}", quoted=True)
        outputs.append(exp.column(f"b{key}", quoted=True))
        outputs.append(exp.alias_(exp.Anonymous(this="GROUPING", expressions=[exp.column(f"b{key}", quoted=True)]), f"g{key}", quoted=True))
        ok = finite(v) if b.column.physical == "float" else None  # infinities are the INFINITE alert, not outliers
        if b.low is not None and b.high is not None:
            beyond = exp.or_(exp.LT(this=v.copy(), expression=_num(b.low)), exp.GT(this=v.copy(), expression=_num(b.high)))
            far = exp.or_(exp.LT(this=v.copy(), expression=_num(b.far_low)), exp.GT(this=v.copy(), expression=_num(b.far_high)))
            outputs.append(exp.alias_(_count_if(exp.and_(ok, exp.paren(beyond)) if ok else beyond), f"iqr{key}", quoted=True))
            outputs.append(exp.alias_(_count_if(exp.and_(ok, exp.paren(far)) if ok else far), f"far{key}", quoted=True))
        if b.median is not None and b.mad:
            z = exp.Div(this=exp.Abs(this=exp.Sub(this=v.copy(), expression=_num(b.median))), expression=_num(b.mad))
            outlying = exp.GT(this=z, expression=_num(robust_z))
            outputs.append(exp.alias_(_count_if(exp.and_(ok, outlying) if ok else outlying), f"rz{key}", quoted=True))
    outputs.append(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True))
    return exp.select(*outputs).from_(inner).group_by(exp.GroupingSets(expressions=sets))


def duplicates_query(raw_table: str, names: Sequence[str]) -> exp.Select:
    """How many rows repeat an earlier row exactly ("extra") and in how many groups of identical rows."""
    cols = [exp.column(n, quoted=True) for n in names]
    groups = (exp.select(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True)).from_(_table(raw_table))
              .group_by(*cols).having(exp.GT(this=exp.Count(this=exp.Star()), expression=_num(1))))
    n = exp.column("n", quoted=True)
    return exp.select(exp.alias_(exp.Sum(this=exp.Sub(this=n.copy(), expression=_num(1))), "extra", quoted=True),
                      exp.alias_(exp.Count(this=exp.Star()), "groups", quoted=True)).from_(groups.subquery("dups"))


def duplicate_examples_query(raw_table: str, names: Sequence[str], *, limit: int) -> exp.Select:
    """The most repeated rows, with how often each occurs."""
    cols = [exp.column(n, quoted=True) for n in names]
    count = exp.Count(this=exp.Star())
    return (exp.select(*cols, exp.alias_(count.copy(), "__copies", quoted=True)).from_(_table(raw_table)).group_by(*[c.copy() for c in cols])
            .having(exp.GT(this=count.copy(), expression=_num(1))).order_by(exp.Ordered(this=exp.column("__copies", quoted=True), desc=True)).limit(limit))


def distinct_query(source: exp.Expression, columns: Sequence[ColumnRef]) -> exp.Select:
    """Exact distinct counts of ``columns`` (candidate keys)."""
    return exp.select(*(exp.alias_(exp.Count(this=exp.Distinct(expressions=[c.value.copy()])), f"d{c.index}", quoted=True)
                        for c in columns)).from_(source)


def examples_query(source: exp.Expression, condition: exp.Expression, value: exp.Expression, *, limit: int) -> exp.Select:
    """A few distinct values of ``value`` in rows where ``condition`` holds (alert examples)."""
    return (exp.select(exp.alias_(value, "x", quoted=True)).from_(source).where(condition).distinct().limit(limit))
