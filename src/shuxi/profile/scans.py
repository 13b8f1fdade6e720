"""The SQL behind a profile: a few scans that compute every column's statistics at once.

Each function builds one sqlglot query (identifiers quoted, values as literals, never string formatting) and
the profiler runs it through the dataset's engine. The queries read the raw table and compute converted columns
inline, so shuxi's own typed reading of "100元" is profiled next to the text it came from. A profile reads the
table four times, whatever its width:

1. :func:`sample_query`: a Bernoulli sample for quantiles, outlier fences, correlations, patterns, semantic
   types and examples (after :func:`row_count_query`, which engines answer from file metadata).
2. :func:`overview_aggregates`: counts, approximate distinct counts, min/max, moments (sums centred on the
   sample's median, so one pass is numerically safe), zeros, negatives, infinities and, with
   :func:`text_aggregates`, the text details of the columns the sample shows to have many distinct values.
   Every typed conversion of a text column is computed here, once per row.
3. :func:`counts_query`: exact value counts of every low-cardinality column and the histogram and outlier
   counts of every other numeric column, in one pass (GROUPING SETS).
4. :func:`duplicates_query` (a 64-bit hash per row, with examples) and, when no row repeats,
   :func:`distinct_query` (exact distinct counts of candidate keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlglot import exp

from shuxi.profile.semantic import PLACEHOLDERS, WHITESPACE

#: Quantiles read for numeric columns (from the sample).
QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
#: Text with white space at either end (and something else).
_PADDED = r"\A[\t\n\r \x{a0}\x{3000}]|[\t\n\r \x{a0}\x{3000}]\z"
#: White space that pads cells: space, tab, no-break space, ideographic space.
_PAD_CHARS = (" ", "\t", "\u00a0", "\u3000")
_WHITESPACE_ONLY = r"\A[" + "".join(re.escape(c) if c.isprintable() else {"\t": r"\t", "\r": r"\r", "\n": r"\n"}.get(c, "") for c in WHITESPACE if c.isascii()) + r"\x{a0}\x{3000}]+\z"


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
    def key(self) -> str:
        """The cells column it is counted and compared by: its raw text when it has one, else its value."""
        return f"r{self.index}" if self.raw_text else f"v{self.index}"

    @property
    def numeric(self) -> bool:
        return self.physical in ("integer", "float")


def _str(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _num(value: float | int) -> exp.Literal:
    return exp.Literal.number(value)


def _count_if(condition: exp.Expression) -> exp.Expression:
    # COUNT_IF: half the cost of COUNT(*) FILTER (WHERE …) in DuckDB, and the same in Spark.
    return exp.CountIf(this=condition)


def any_of(value: exp.Expression, options: Sequence[exp.Expression]) -> exp.Expression:
    """``value = a OR value = b …``: the same as ``value IN (a, b, …)``, but DuckDB turns a long IN list into a
    join that evaluates ``value`` on every row, even inside a CASE branch that only a few rows reach."""
    return exp.or_(*(exp.EQ(this=value.copy(), expression=o.copy()) for o in options))


def _table(name: str) -> exp.Table:
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def cells(raw_table: str, columns: Sequence[ColumnRef], *, sample_percent: float | None = None) -> exp.Subquery:
    """The raw table as v<i> (typed value) and r<i> (raw text) columns, optionally a Bernoulli sample."""
    table = _table(raw_table)
    if sample_percent is not None:
        table.set("sample", exp.TableSample(method="BERNOULLI", percent=_num(round(sample_percent, 6))))
    return _cells_of(table, columns)


def _cells_of(source: exp.Expression, columns: Sequence[ColumnRef], carry: Sequence[str] = ()) -> exp.Subquery:
    """:func:`cells` over any ``source`` with the raw columns, passing the ``carry`` columns through."""
    projections: list[exp.Expression] = [exp.column(c, quoted=True) for c in carry]
    for col in columns:
        raw = exp.column(col.name, quoted=True)
        projections.append(exp.alias_(col.typed.copy() if col.typed is not None else raw.copy(), f"v{col.index}", quoted=True))
        if col.raw_text:
            projections.append(exp.alias_(raw.copy(), f"r{col.index}", quoted=True))
    if not projections:  # only the rows are counted
        projections.append(exp.alias_(_num(1), "__row", quoted=True))
    inner = exp.select(*projections).from_(source).subquery("typed")
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


def with_centred(source: exp.Expression, columns: Sequence[ColumnRef], shifts: Mapping[int, float]) -> exp.Subquery:
    """``source`` plus d<i>: each numeric column's finite value minus ``shifts[i]`` (a value near its centre, such as
    the sample's median), as DOUBLE. Sums of d, d² and d³ give the mean, variance and skewness in one pass without
    the cancellation that raw power sums suffer when values are large and close together."""
    projections: list[exp.Expression] = [exp.Star()]
    for col in columns:
        if col.numeric:
            centred = exp.Sub(this=exp.Cast(this=col.finite, to=exp.DataType.build("DOUBLE")), expression=_num(shifts.get(col.index, 0.0)))
            projections.append(exp.alias_(centred, f"d{col.index}", quoted=True))
    return exp.select(*projections).from_(source).subquery("centred")


def overview_aggregates(columns: Sequence[ColumnRef]) -> dict[str, exp.Expression]:
    """Aggregates of the overview scan, keyed "<index>:<statistic>" (and "rows"): counts, approximate distinct
    counts, exact ranges, zeros, negatives, infinities and the centred power sums "n", "s1", "s2", "s3" of
    :func:`with_centred` (see :func:`moments`). Quantiles and correlations are read from the sample; text details
    come from exact value counts or :func:`text_aggregates`."""
    aggs: dict[str, exp.Expression] = {"rows": exp.Count(this=exp.Star())}
    for col in columns:
        key, v = str(col.index), col.value
        aggs[f"{key}:count"] = exp.Count(this=v.copy())
        if col.physical != "other":
            aggs[f"{key}:approx_distinct"] = exp.ApproxDistinct(this=v.copy())
        if col.raw_text:
            aggs[f"{key}:raw_count"] = exp.Count(this=col.raw.copy())
        if col.numeric:
            f, d = col.finite, exp.column(f"d{col.index}", quoted=True)
            aggs[f"{key}:min"] = exp.Min(this=f.copy())
            aggs[f"{key}:max"] = exp.Max(this=f.copy())
            aggs[f"{key}:n"] = exp.Count(this=d.copy())
            aggs[f"{key}:s1"] = exp.Sum(this=d.copy())
            aggs[f"{key}:s2"] = exp.Sum(this=exp.Mul(this=d.copy(), expression=d.copy()))
            aggs[f"{key}:s3"] = exp.Sum(this=exp.Mul(this=exp.Mul(this=d.copy(), expression=d.copy()), expression=d.copy()))
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


def moments(n: int | None, s1: float | None, s2: float | None, s3: float | None, shift: float) -> tuple[float | None, float | None, float | None]:
    """Mean, sample standard deviation and skewness from the centred sums of :func:`overview_aggregates`.

    The skewness is the adjusted Fisher–Pearson coefficient G1 (what DuckDB's SKEWNESS and pandas' skew return);
    None where it is undefined (fewer than three values, or no spread)."""
    import math

    if not n or s1 is None or s2 is None:
        return None, None, None
    m1 = s1 / n
    mean = shift + m1
    m2 = max(0.0, s2 / n - m1 * m1)
    std = math.sqrt(m2 * n / (n - 1)) if n > 1 else None
    skewness = None
    if n > 2 and s3 is not None and m2 > 0:
        m3 = s3 / n - 3 * m1 * s2 / n + 2 * m1 ** 3
        g1 = m3 / m2 ** 1.5
        skewness = g1 * math.sqrt(n * (n - 1)) / (n - 2)
        skewness = skewness if math.isfinite(skewness) else None
    return mean, std, skewness


def with_text_flags(source: exp.Expression, columns: Sequence[ColumnRef]) -> exp.Subquery:
    """``source`` plus, per raw text column, k<i>: what kind of cell it is when that is not plain text: 'e' (empty),
    'w' (nothing but white space), 'p' (a missing placeholder such as "N/A" or "无"), 's' (text padded with white
    space), NULL otherwise. Computed once per row for :func:`text_aggregates`.

    Only cells whose first character could start a placeholder or white space, or that end in a space, get the
    costly checks (trim, lower, regular expressions): a code point and a suffix test are cheap for every cell, and
    cheaper than counting characters. The regular expressions are anchored, so they mean the same in DuckDB (RE2)
    and Spark (RLIKE searches, Java).
    """
    flags: list[exp.Expression] = [exp.Star()]
    # Code points a cell that is not plain text can start with (-1 and 0: the empty string in DuckDB and Spark).
    starters = sorted({-1, 0} | {ord(v[0]) for p in PLACEHOLDERS for v in (p, p.upper(), p.title())} | {ord(ch) for ch in _PAD_CHARS})
    for col in columns:
        r = col.raw
        starts = any_of(exp.Unicode(this=r.copy()), [_num(c) for c in starters])
        ends = exp.or_(*(exp.EndsWith(this=r.copy(), expression=_str(ch)) for ch in (" ", "\u3000")))
        kind = (exp.Case()
                .when(exp.EQ(this=r.copy(), expression=_str("")), _str("e"))
                .when(exp.RegexpLike(this=r.copy(), expression=_str(_WHITESPACE_ONLY)), _str("w"))
                .when(any_of(exp.Lower(this=exp.Trim(this=r.copy())), [_str(p) for p in PLACEHOLDERS]), _str("p"))
                .when(exp.RegexpLike(this=r.copy(), expression=_str(_PADDED)), _str("s")))
        flags.append(exp.alias_(exp.Case().when(exp.or_(starts, ends), kind), f"k{col.index}", quoted=True))
    return exp.select(*flags).from_(source).subquery("flagged")


def text_aggregates(columns: Sequence[ColumnRef]) -> dict[str, exp.Expression]:
    """Missing cells by kind and padded cells of raw text columns with many distinct values (the others get these
    from their exact value counts), over the flags of :func:`with_text_flags`. Their lengths are read from the
    sample: counting characters of every cell would cost as much as the rest of the scan."""
    aggs: dict[str, exp.Expression] = {}
    for col in columns:
        kind = exp.column(f"k{col.index}", quoted=True)
        for name, flag in (("empty", "e"), ("whitespace", "w"), ("placeholder", "p"), ("padded", "s")):
            aggs[f"{col.index}:{name}"] = _count_if(exp.EQ(this=kind.copy(), expression=_str(flag)))
    return aggs


def aggregate_query(source: exp.Expression, aggregates: Mapping[str, exp.Expression]) -> tuple[exp.Select, list[str]]:
    """One SELECT of all ``aggregates`` over ``source``; the keys in column order (columns are a0, a1…)."""
    names = list(aggregates)
    query = exp.select(*(exp.alias_(aggregates[n], f"a{i}", quoted=True) for i, n in enumerate(names))).from_(source)
    return query, names


def counts_query(source: exp.Expression, counted: Sequence[ColumnRef], bins: Sequence[Bins]) -> exp.Select:
    """One pass (GROUPING SETS, count(*) only) for two things: exact value counts of the ``counted`` columns (rows
    where gk<i> = 0 hold a value k<i> and its count n), and the histograms of the numeric columns in ``bins`` (rows
    where gb<i> = 0 hold a bin b<i> and its count). Each row costs a hash per set and no filtered aggregates."""
    projections: list[exp.Expression] = [exp.alias_(c.raw.copy() if c.raw_text else c.value.copy(), f"k{c.index}", quoted=True)
                                         for c in counted]
    for b in bins:
        index = exp.Floor(this=exp.Div(this=exp.paren(exp.Sub(this=b.column.finite, expression=_num(b.start))), expression=_num(b.width)))
        bounded = exp.Least(this=index, expressions=[_num(b.count - 1)])
        projections.append(exp.alias_(exp.Cast(this=bounded, to=exp.DataType.build("BIGINT")), f"b{b.column.index}", quoted=True))
    keyed = exp.select(*projections).from_(source).subquery("keyed")
    keys = [exp.column(f"k{c.index}", quoted=True) for c in counted] + [exp.column(f"b{b.column.index}", quoted=True) for b in bins]
    names = [f"gk{c.index}" for c in counted] + [f"gb{b.column.index}" for b in bins]
    outputs: list[exp.Expression] = []
    for key, name in zip(keys, names):
        outputs += [key, exp.alias_(exp.Anonymous(this="GROUPING", expressions=[key.copy()]), name, quoted=True)]
    outputs.append(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True))
    sets = exp.GroupingSets(expressions=[exp.Tuple(expressions=[key.copy()]) for key in keys])
    return exp.select(*outputs).from_(keyed).group_by(sets)


def outlier_aggregates(column: ColumnRef, fences: Mapping[str, Mapping[str, float]], *, median: float | None,
                       mad: float | None, robust_z: float) -> dict[str, exp.Expression]:
    """Values beyond each scale's fences ("<index>:iqr_<scale>", "<index>:far_<scale>": 1.5×IQR and 3×IQR) and
    beyond the robust z limit ("<index>:robust"), for the overview scan."""
    f, key = column.finite, str(column.index)
    aggs: dict[str, exp.Expression] = {}

    def beyond(low: float, high: float) -> exp.Expression:
        return _count_if(exp.or_(exp.LT(this=f.copy(), expression=_num(low)), exp.GT(this=f.copy(), expression=_num(high))))

    for scale, fence in fences.items():
        aggs[f"{key}:iqr_{scale}"] = beyond(fence["low"], fence["high"])
        aggs[f"{key}:far_{scale}"] = beyond(fence["far_low"], fence["far_high"])
    if median is not None and mad:
        distance = exp.Abs(this=exp.Sub(this=f.copy(), expression=_num(median)))
        aggs[f"{key}:robust"] = _count_if(exp.GT(this=distance, expression=_num(robust_z * mad)))
    return aggs


def typed_values_query(column: ColumnRef, raw_values: Sequence[str]) -> exp.Select:
    """shuxi's typed reading of a few raw text values of a converted column (r, v), computed by the engine with the
    same expression the typed view uses: low-cardinality columns are counted by raw text, and this turns their
    counts into typed values without a second pass over the table."""
    if column.typed is None:
        raise ValueError(f"{column.name} is not converted: its raw values are its values")
    values = exp.values([(v,) for v in raw_values], alias="raw_values", columns=[column.name])
    return exp.select(exp.alias_(exp.column(column.name, quoted=True), "r", quoted=True),
                      exp.alias_(column.typed.copy(), "v", quoted=True)).from_(values)


def sample_query(raw_table: str, columns: Sequence[ColumnRef], *, percent: float | None, rows: int) -> exp.Select:
    """At most ``rows`` rows, a Bernoulli sample of ``percent`` % of the table (all of it when None)."""
    source = cells(raw_table, columns, sample_percent=percent)
    return exp.select("*").from_(source).limit(rows)


def head_query(raw_table: str, names: Sequence[str], *, rows: int) -> exp.Select:
    """The first ``rows`` rows of some columns: engines stop reading early, so this costs next to nothing."""
    return exp.select(*(exp.column(n, quoted=True) for n in names)).from_(_table(raw_table)).limit(rows)


def sample_and_candidates_query(raw_table: str, columns: Sequence[ColumnRef], *, pivot: str, fraction: float,
                                dialect: str) -> exp.Select:
    """One pass for two things, as :func:`cells` columns plus __u: a Bernoulli sample (the rows with __u below
    ``fraction``) and every row that could repeat another: those whose ``pivot`` value occurs more than once or is
    NULL (two identical rows share every value, see :func:`_repeated_values`)."""
    u = exp.column("__u", quoted=True)
    drawn = exp.select(exp.Star(), exp.alias_(exp.Rand(), "__u", quoted=True)).from_(_table(raw_table)).subquery("drawn")
    key = exp.column(pivot, quoted=True)
    keep = exp.or_(exp.LT(this=u.copy(), expression=_num(fraction)), exp.Is(this=key.copy(), expression=exp.Null()),
                   exp.In(this=key.copy(), query=_repeated_values(raw_table, pivot, dialect).subquery()))
    kept = exp.select(exp.Star()).from_(drawn).where(keep).subquery("kept")
    return exp.select(exp.Star()).from_(_cells_of(kept, columns, carry=["__u"]))


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


#: The 64-bit row hash each engine has (a collision among 10M distinct rows has a chance of about 3 in a million).
_ROW_HASH = {"duckdb": "HASH", "spark": "XXHASH64"}


def row_hash(names: Sequence[str], dialect: str) -> exp.Expression:
    return exp.Anonymous(this=_ROW_HASH.get(dialect, "HASH"), expressions=[exp.column(n, quoted=True) for n in names])


#: Engines that find repeated values faster by sorting (a window over the sorted column, near free when the table is
#: already in that order, as tables usually are in their id) than by grouping; a global sort would put a whole
#: table on one Spark task, so elsewhere the values are grouped.
_REPEATS_BY_SORT = frozenset({"duckdb"})


def _repeated_values(raw_table: str, pivot: str, dialect: str) -> exp.Select:
    """The values of ``pivot`` that occur more than once (each at least once)."""
    key = exp.column(pivot, quoted=True)
    if dialect in _REPEATS_BY_SORT:
        previous = exp.Window(this=exp.Anonymous(this="LAG", expressions=[key.copy()]),
                              over="OVER", order=exp.Order(expressions=[exp.Ordered(this=key.copy())]))
        paired = exp.select(key.copy(), exp.alias_(previous, "__previous", quoted=True)).from_(_table(raw_table)).subquery("paired")
        return exp.select(key.copy()).from_(paired).where(exp.EQ(this=key.copy(), expression=exp.column("__previous", quoted=True)))
    return (exp.select(key.copy()).from_(_table(raw_table)).group_by(key.copy())
            .having(exp.GT(this=exp.Count(this=exp.Star()), expression=_num(1))))


def _repeated_rows(raw_table: str, pivot: str | None, dialect: str = "duckdb") -> exp.Expression:
    """The raw table, or only its rows whose ``pivot`` value occurs more than once: two identical rows share every
    value, so a high-cardinality column without NULLs narrows the rows worth hashing to a few."""
    table = _table(raw_table)
    if pivot is None:
        return table
    key = exp.column(pivot, quoted=True)
    repeated = _repeated_values(raw_table, pivot, dialect)
    return exp.select("*").from_(table).where(exp.In(this=key.copy(), query=repeated.subquery())).subquery("candidates")


def row_count_query(raw_table: str) -> exp.Select:
    """The number of rows (file metadata for Parquet on DuckDB: no scan)."""
    return exp.select(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True)).from_(_table(raw_table))


def duplicates_query(raw_table: str, names: Sequence[str], dialect: str, *, pivot: str | None = None,
                     examples: int = 0) -> exp.Select:
    """How many rows repeat an earlier row exactly (__extra) and in how many groups (__groups), by a 64-bit hash of
    each row (see :func:`_repeated_rows` for ``pivot``). With ``examples``, the result also holds that many of the
    most repeated rows (their values and __copies), so the count and the examples take one pass; without, one row
    of totals (the examples then cost :func:`duplicate_examples_query`, cheaper when every row is a candidate)."""
    n = exp.column("__copies", quoted=True)
    cols = [exp.alias_(exp.Min(this=exp.column(c, quoted=True)), c, quoted=True) for c in names] if examples else []
    groups = (exp.select(exp.alias_(exp.Count(this=exp.Star()), "__copies", quoted=True), *cols).from_(_repeated_rows(raw_table, pivot, dialect))
              .group_by(row_hash(names, dialect)).having(exp.GT(this=exp.Count(this=exp.Star()), expression=_num(1))))
    extra = exp.Sum(this=exp.Sub(this=n.copy(), expression=_num(1)))
    if not examples:
        return exp.select(exp.alias_(extra, "__extra", quoted=True),
                          exp.alias_(exp.Count(this=exp.Star()), "__groups", quoted=True)).from_(groups.subquery("dups"))
    order = [exp.Ordered(this=n.copy(), desc=True)] + [exp.Ordered(this=exp.column(c, quoted=True)) for c in names[:1]]
    return (exp.select(exp.Star(), exp.alias_(exp.Window(this=extra, over="OVER"), "__extra", quoted=True),
                       exp.alias_(exp.Window(this=exp.Count(this=exp.Star()), over="OVER"), "__groups", quoted=True))
            .from_(groups.subquery("dups")).order_by(*order).limit(examples))


def duplicate_examples_query(raw_table: str, names: Sequence[str], dialect: str, *, limit: int, pivot: str | None = None) -> exp.Select:
    """A few rows that occur more than once, with how often each occurs (found through the row hash)."""
    cols = [exp.column(n, quoted=True) for n in names]
    h = exp.column("__h", quoted=True)
    hashed = exp.select(*cols, exp.alias_(row_hash(names, dialect), "__h", quoted=True)).from_(_repeated_rows(raw_table, pivot, dialect)).subquery("hashed")
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
