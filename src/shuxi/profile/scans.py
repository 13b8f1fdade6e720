"""The SQL behind a profile: a few scans that compute every column's statistics at once.

Each function builds one sqlglot query (identifiers quoted, values as literals, never string formatting) and
the profiler runs it through the dataset's engine. The queries read the raw table once each and compute
converted columns inline, so shuxi's own typed reading of "100元" is profiled next to the text it came from:

1. :func:`overview_aggregates`: counts, approximate distinct counts, min/max/mean/std/skewness, zeros,
   negatives and infinities.
2. :func:`value_counts_query`: exact value counts of every low-cardinality column in one pass (GROUPING SETS);
   their text details (missing cells by kind, lengths, padding) are read from these counts.
3. :func:`sample_query`: a Bernoulli sample for quantiles, correlations, patterns, semantic types and examples.
4. :func:`text_aggregates`: text details of high-cardinality columns (missing cells by kind, lengths, padding).
5. :func:`histogram_query`: every numeric column's histogram and outlier counts (IQR fences, robust z-scores)
   in one pass (GROUPING SETS).
6. :func:`duplicates_query` (a 64-bit hash per row) and :func:`distinct_query` (exact distinct counts of
   candidate keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlglot import exp

from shuxi.profile.semantic import PLACEHOLDERS, WHITESPACE

#: Quantiles read for numeric columns (from the sample).
QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
#: The placeholders as they are usually written (exact match, cheap); other casings are caught when padded or
#: in columns with exact value counts.
_PLACEHOLDER_SPELLINGS = tuple(dict.fromkeys([*(v for p in PLACEHOLDERS for v in (p, p.upper(), p.title())), "NaN"]))
#: Text with white space at either end (and something else).
_PADDED = r"\A[\t\n\r \x{a0}\x{3000}]|[\t\n\r \x{a0}\x{3000}]\z"
#: White space that pads cells: space, tab, no-break space, ideographic space.
_PAD_CHARS = (" ", "\t", "\u00a0", "\u3000")
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
    def finite(self) -> exp.Column:
        """The value where it is a finite number (floats: NaN and ±inf as NULL)."""
        return exp.column(f"f{self.index}" if self.physical == "float" else f"v{self.index}", quoted=True)

    @property
    def numeric(self) -> bool:
        return self.physical in ("integer", "float")


def _str(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _num(value: float | int) -> exp.Literal:
    return exp.Literal.number(value)


def _count_if(condition: exp.Expression) -> exp.Expression:
    return exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=condition))


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
    inner = exp.select(*projections).from_(table).subquery("typed")
    # f<i>: the finite values of a float column (NaN and ±inf as NULL), computed once per row rather than as a
    # FILTER on every aggregate; aggregates skip NULLs by themselves.
    outer: list[exp.Expression] = [exp.Star()]
    for col in columns:
        if col.physical == "float":
            outer.append(exp.alias_(exp.Case().when(finite(col.value), col.value.copy()), f"f{col.index}", quoted=True))
    return exp.select(*outer).from_(inner).subquery("cells")


def finite(value: exp.Expression) -> exp.Expression:
    """``value`` is neither NaN nor ±infinity (for floating-point columns)."""
    infinity = exp.Cast(this=_str("Infinity"), to=exp.DataType.build("DOUBLE"))
    return exp.and_(exp.Not(this=exp.IsNan(this=value.copy())), exp.NEQ(this=exp.Abs(this=value.copy()), expression=infinity))


def infinite(value: exp.Expression) -> exp.Expression:
    infinity = exp.Cast(this=_str("Infinity"), to=exp.DataType.build("DOUBLE"))
    return exp.EQ(this=exp.Abs(this=value.copy()), expression=infinity)


def overview_aggregates(columns: Sequence[ColumnRef]) -> dict[str, exp.Expression]:
    """Aggregates of the first scan, keyed "<index>:<statistic>" (and "rows"): counts, approximate distinct counts,
    exact numeric moments and ranges. Quantiles and correlations are read from the sample (t-digest quantiles and
    pairwise correlations of every numeric column cost more than the rest of the scan together); text details come
    from exact value counts or, for columns with many distinct values, :func:`text_aggregates`."""
    aggs: dict[str, exp.Expression] = {"rows": exp.Count(this=exp.Star())}
    for col in columns:
        key, v = str(col.index), col.value
        aggs[f"{key}:count"] = exp.Count(this=v.copy())
        if col.physical != "other":
            aggs[f"{key}:approx_distinct"] = exp.ApproxDistinct(this=v.copy())
        if col.raw_text:
            aggs[f"{key}:raw_count"] = exp.Count(this=col.raw.copy())
        if col.numeric:
            f = col.finite
            aggs[f"{key}:min"] = exp.Min(this=f.copy())
            aggs[f"{key}:max"] = exp.Max(this=f.copy())
            aggs[f"{key}:mean"] = exp.Avg(this=f.copy())
            aggs[f"{key}:std"] = exp.StddevSamp(this=f.copy())
            aggs[f"{key}:skewness"] = exp.Skewness(this=exp.Cast(this=f.copy(), to=exp.DataType.build("DOUBLE")))
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
    return aggs


def with_text_flags(source: exp.Subquery, columns: Sequence[ColumnRef]) -> exp.Subquery:
    """``source`` plus, per raw text column, l<i> (the cell's length) and k<i>: what kind of cell it is when that is
    not plain text: 'w' (nothing but white space), 'p' (a missing placeholder such as "N/A" or "无"), 's' (text
    padded with white space), NULL otherwise. Computed once per row for :func:`text_aggregates`.

    Only cells whose first character could start a placeholder or white space, or that end in a space, get the
    costly checks (trim, lower, a regular expression): a code point and a suffix test are cheap for every cell.
    """
    flags: list[exp.Expression] = [exp.Star()]
    starters = sorted({ord(p[0]) for p in _PLACEHOLDER_SPELLINGS} | {ord(ch) for ch in _PAD_CHARS})
    for col in columns:
        r = col.raw
        first = exp.Unicode(this=r.copy())
        ends = exp.or_(*(exp.EndsWith(this=r.copy(), expression=_str(ch)) for ch in (" ", "\u3000")))
        suspect = exp.or_(exp.In(this=first, expressions=[_num(c) for c in starters]), ends)
        kind = (exp.Case()
                .when(exp.RegexpLike(this=r.copy(), expression=_str(_WHITESPACE_ONLY), full_match=True), _str("w"))
                .when(exp.In(this=exp.Lower(this=exp.Trim(this=r.copy())), expressions=[_str(p) for p in PLACEHOLDERS]), _str("p"))
                .when(exp.RegexpLike(this=r.copy(), expression=_str(_PADDED), full_match=False), _str("s")))
        flags.append(exp.alias_(exp.Length(this=r.copy()), f"l{col.index}", quoted=True))
        flags.append(exp.alias_(exp.Case().when(suspect, kind), f"k{col.index}", quoted=True))
    return exp.select(*flags).from_(source).subquery("flagged")


def text_aggregates(columns: Sequence[ColumnRef]) -> dict[str, exp.Expression]:
    """Missing cells by kind, lengths and padding of raw text columns with many distinct values (the others get
    these from their exact value counts), over the flags of :func:`with_text_flags`."""
    aggs: dict[str, exp.Expression] = {}
    for col in columns:
        key = str(col.index)
        kind = exp.column(f"k{col.index}", quoted=True)
        length = exp.column(f"l{col.index}", quoted=True)
        aggs[f"{key}:empty"] = _count_if(exp.EQ(this=length.copy(), expression=_num(0)))
        aggs[f"{key}:whitespace"] = _count_if(exp.EQ(this=kind.copy(), expression=_str("w")))
        aggs[f"{key}:placeholder"] = _count_if(exp.EQ(this=kind.copy(), expression=_str("p")))
        aggs[f"{key}:padded"] = _count_if(exp.EQ(this=kind.copy(), expression=_str("s")))
        aggs[f"{key}:min_length"] = exp.Min(this=length.copy())
        aggs[f"{key}:max_length"] = exp.Max(this=length.copy())
        aggs[f"{key}:mean_length"] = exp.Avg(this=length.copy())
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


def outlier_class(b: Bins, *, robust_z: float) -> exp.Expression:
    """0 inside the 1.5×IQR fences, +1 beyond them, +1 more beyond 3×IQR, +4 when |robust z| exceeds the limit."""
    f = b.column.finite
    parts: list[exp.Expression] = []
    if b.low is not None and b.high is not None:
        for low, high in ((b.low, b.high), (b.far_low, b.far_high)):
            beyond = exp.or_(exp.LT(this=f.copy(), expression=_num(low)), exp.GT(this=f.copy(), expression=_num(high)))
            parts.append(exp.Case().when(beyond, _num(1)).else_(_num(0)))
    if b.median is not None and b.mad:
        z = exp.Div(this=exp.Abs(this=exp.Sub(this=f.copy(), expression=_num(b.median))), expression=_num(b.mad))
        parts.append(exp.Case().when(exp.GT(this=z, expression=_num(robust_z)), _num(4)).else_(_num(0)))
    if not parts:
        return _num(0)
    total = parts[0]
    for part in parts[1:]:
        total = exp.Add(this=total, expression=part)
    return total


def histogram_query(source: exp.Expression, bins: Sequence[Bins], *, robust_z: float) -> exp.Select:
    """Bin counts and outlier counts of every numeric column in one pass: GROUPING SETS, one (bin, outlier class)
    set per column, count(*) only, so each row costs a few comparisons per column and no filtered aggregates."""
    projections: list[exp.Expression] = []
    for b in bins:
        f = b.column.finite
        index = exp.Floor(this=exp.Div(this=exp.paren(exp.Sub(this=f.copy(), expression=_num(b.start))), expression=_num(b.width)))
        bounded = exp.Case().when(exp.GTE(this=index.copy(), expression=_num(b.count)), _num(b.count - 1)).else_(index)
        projections.append(exp.alias_(exp.Cast(this=bounded, to=exp.DataType.build("BIGINT")), f"b{b.column.index}", quoted=True))
        projections.append(exp.alias_(outlier_class(b, robust_z=robust_z), f"c{b.column.index}", quoted=True))
    inner = exp.select(*projections).from_(source).subquery("binned")
    sets = [exp.Tuple(expressions=[exp.column(f"b{b.column.index}", quoted=True), exp.column(f"c{b.column.index}", quoted=True)])
            for b in bins]
    outputs: list[exp.Expression] = []
    for b in bins:
        key = b.column.index
        outputs.append(exp.column(f"b{key}", quoted=True))
        outputs.append(exp.column(f"c{key}", quoted=True))
        outputs.append(exp.alias_(exp.Anonymous(this="GROUPING", expressions=[exp.column(f"b{key}", quoted=True)]), f"g{key}", quoted=True))
    outputs.append(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True))
    return exp.select(*outputs).from_(inner).group_by(exp.GroupingSets(expressions=sets))


#: The 64-bit row hash each engine has (a collision among 10M distinct rows has a chance of about 3 in a million).
_ROW_HASH = {"duckdb": "HASH", "spark": "XXHASH64"}


def row_hash(names: Sequence[str], dialect: str) -> exp.Expression:
    return exp.Anonymous(this=_ROW_HASH.get(dialect, "HASH"), expressions=[exp.column(n, quoted=True) for n in names])


def _repeated_rows(raw_table: str, pivot: str | None) -> exp.Expression:
    """The raw table, or only its rows whose ``pivot`` value occurs more than once: two identical rows share every
    value, so a high-cardinality column without NULLs narrows the rows worth hashing to a few."""
    table = _table(raw_table)
    if pivot is None:
        return table
    key = exp.column(pivot, quoted=True)
    repeated = (exp.select(key.copy()).from_(_table(raw_table)).group_by(key.copy())
                .having(exp.GT(this=exp.Count(this=exp.Star()), expression=_num(1))))
    return exp.select("*").from_(table).where(exp.In(this=key.copy(), query=repeated.subquery())).subquery("candidates")


def duplicates_query(raw_table: str, names: Sequence[str], dialect: str, *, pivot: str | None = None) -> exp.Select:
    """How many rows repeat an earlier row exactly ("extra") and in how many groups, by a 64-bit hash of each row
    (see :func:`_repeated_rows` for ``pivot``)."""
    groups = (exp.select(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True)).from_(_repeated_rows(raw_table, pivot))
              .group_by(row_hash(names, dialect)).having(exp.GT(this=exp.Count(this=exp.Star()), expression=_num(1))))
    n = exp.column("n", quoted=True)
    return exp.select(exp.alias_(exp.Sum(this=exp.Sub(this=n.copy(), expression=_num(1))), "extra", quoted=True),
                      exp.alias_(exp.Count(this=exp.Star()), "groups", quoted=True)).from_(groups.subquery("dups"))


def duplicate_examples_query(raw_table: str, names: Sequence[str], dialect: str, *, limit: int, pivot: str | None = None) -> exp.Select:
    """A few rows that occur more than once, with how often each occurs (found through the row hash)."""
    cols = [exp.column(n, quoted=True) for n in names]
    h = exp.column("__h", quoted=True)
    hashed = exp.select(*cols, exp.alias_(row_hash(names, dialect), "__h", quoted=True)).from_(_repeated_rows(raw_table, pivot)).subquery("hashed")
    repeated = (exp.select(h.copy()).from_(hashed.copy()).group_by(h.copy())
                .having(exp.GT(this=exp.Count(this=exp.Star()), expression=_num(1))).limit(limit))
    count = exp.Count(this=exp.Star())
    return (exp.select(*[c.copy() for c in cols], exp.alias_(count.copy(), "__copies", quoted=True)).from_(hashed)
            .where(exp.In(this=h.copy(), query=repeated.subquery())).group_by(*[c.copy() for c in cols])
            .order_by(exp.Ordered(this=exp.column("__copies", quoted=True), desc=True)).limit(limit))


def distinct_query(source: exp.Expression, columns: Sequence[ColumnRef]) -> exp.Select:
    """Exact distinct counts of ``columns`` (candidate keys)."""
    return exp.select(*(exp.alias_(exp.Count(this=exp.Distinct(expressions=[c.value.copy()])), f"d{c.index}", quoted=True)
                        for c in columns)).from_(source)


def examples_query(source: exp.Expression, condition: exp.Expression, value: exp.Expression, *, limit: int) -> exp.Select:
    """A few distinct values of ``value`` in rows where ``condition`` holds (alert examples)."""
    return (exp.select(exp.alias_(value, "x", quoted=True)).from_(source).where(condition).distinct().limit(limit))
