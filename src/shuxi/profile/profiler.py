"""``profile(ds)``: a data-quality profile of one table, computed by a handful of scans in the engine.

The profile is plain data (dataclasses that turn into JSON); :mod:`shuxi.profile.alerts` reads it to raise
alerts and :mod:`shuxi.profile.report` shows it. Nothing here pulls the table into Python: the scans in
:mod:`shuxi.profile.scans` return one row of aggregates, bounded value counts and a bounded sample.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from shuxi.profile import scans
from shuxi.profile.scans import ColumnRef
from shuxi.profile.semantic import (
    WHITESPACE,
    category_clusters,
    kind_shares,
    missing_kind,
    pattern_counts,
    semantic_type,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.data.dataset import Dataset
    from shuxi.profile.alerts import Alert

#: Columns with at most this many distinct values get exact value counts (and exact distinct counts).
EXACT_DISTINCT = 1_000
#: Rows in the sample that patterns, semantic types, examples and category associations are read from.
SAMPLE_ROWS = 50_000
#: Histogram bins of a numeric column.
BINS = 20
#: Most numeric columns whose pairwise correlations are computed (the first ones in table order).
MAX_CORRELATED = 16
#: Most category columns whose pairwise Cramér's V is computed.
MAX_ASSOCIATED = 12
#: |robust z| above this is an outlier (Iglewicz and Hoaglin's 3.5).
ROBUST_Z = 3.5
TOP_VALUES = 10
#: Most distinct values whose patterns and kinds are read (the most common ones).
PATTERN_VALUES = 2_000

Progress = Callable[[str], None]
STEPS = ("overview", "value counts", "sample", "details", "histograms", "keys and duplicates", "alerts")


@dataclass
class ColumnProfile:
    """Everything the profile knows about one column. ``None`` means "not computed for this kind of column"."""

    name: str
    #: The type shuxi reads the column as (after its own conversions) and the type in the file.
    physical_type: str
    raw_type: str
    semantic_type: str = "text"
    #: shuxi's typed reading of text cells ("number: unit 元"), when it converts this column.
    conversion: str | None = None
    count: int = 0
    missing: int = 0
    #: Missing cells by kind: null, empty, whitespace, placeholder ("N/A", "-", "无"…).
    missing_by_kind: dict[str, int] = field(default_factory=dict)
    distinct: int | None = None
    distinct_exact: bool = False
    min: Any = None
    max: Any = None
    mean: float | None = None
    std: float | None = None
    skewness: float | None = None
    quantiles: dict[str, float] = field(default_factory=dict)
    zeros: int | None = None
    negative: int | None = None
    infinite: int | None = None
    nan: int | None = None
    true_count: int | None = None
    #: Histogram: bin edges (BINS + 1) and counts.
    histogram: dict[str, list[float]] | None = None
    #: Outliers: counts outside 1.5×IQR and 3×IQR fences and above the robust z limit, the fences, examples.
    outliers: dict[str, Any] | None = None
    min_length: int | None = None
    max_length: int | None = None
    mean_length: float | None = None
    #: Cells whose text has spaces around it (counted on the raw text).
    padded: int | None = None
    #: The most common values as [value, count]; ``top_values_sampled`` when counted on the sample.
    top_values: list[list[Any]] = field(default_factory=list)
    top_values_sampled: bool = False
    #: Most common value patterns ("9-9-9", "汉汉9") as [pattern, count] and the share of each cell kind.
    patterns: list[list[Any]] = field(default_factory=list)
    kinds: dict[str, float] = field(default_factory=dict)
    #: Groups of spellings of one category ("华东", "华东 ", "华东区").
    variants: list[list[list[Any]]] = field(default_factory=list)


@dataclass
class Profile:
    """A table's profile: per-column statistics, table-level findings and alerts (:func:`profile`)."""

    table: str
    source: str
    engine: str
    rows: int
    columns: list[ColumnProfile]
    duplicate_rows: int = 0
    duplicate_groups: int = 0
    duplicate_examples: list[dict[str, Any]] = field(default_factory=list)
    candidate_keys: list[str] = field(default_factory=list)
    #: Pearson r between numeric columns and Cramér's V between category columns: [a, b, value].
    correlations: list[list[Any]] = field(default_factory=list)
    associations: list[list[Any]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    sample_rows: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> ColumnProfile:
        """The profile of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        from shuxi.errors import ColumnNotFoundError

        raise ColumnNotFoundError(name, table=self.table, available=[c.name for c in self.columns])

    def alerts_for(self, column: str | None = None, code: str | None = None) -> list[Alert]:
        """Alerts on ``column`` (any column when None) with ``code`` (any when None)."""
        return [a for a in self.alerts if (column is None or column in a.columns) and (code is None or a.code == code)]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict of the whole profile."""
        from shuxi.render import json_value

        data = asdict(self)
        data["alerts"] = [a.to_dict() for a in self.alerts]
        return json_value(data)

    def to_json(self, *, indent: int | None = 2) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_html(self) -> str:
        """One self-contained HTML page (inline SVG charts, no scripts or links)."""
        from shuxi.profile.report import render_html

        return render_html(self)

    def __repr__(self) -> str:
        return f"<shuxi.Profile {self.table!r}: {self.rows:,} rows, {len(self.columns)} columns, {len(self.alerts)} alerts>"


def _physical(data_type: pa.DataType) -> str:
    import pyarrow as pa

    t = data_type
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or (hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t)):
        return "text"
    return "other"


def _refs(ds: Dataset) -> list[ColumnRef]:
    refs = []
    for i, field_ in enumerate(ds.schema):
        raw_type = ds.raw_schema.field(field_.name).type
        conversion = ds.conversions.get(field_.name)
        refs.append(ColumnRef(index=i, name=field_.name, physical=_physical(field_.type),
                              raw_text=_physical(raw_type) == "text",
                              typed=conversion.expression if conversion is not None else None))
    return refs


def profile(ds: Dataset, *, sample_rows: int = SAMPLE_ROWS, exact_distinct: int = EXACT_DISTINCT,
            progress: Progress | None = None) -> Profile:
    """Profile ``ds``: per-column statistics, duplicates, keys, correlations and alerts.

    Every statistic is computed in the engine (a few scans of the table); patterns, semantic types,
    associations and examples of high-cardinality columns are read from a Bernoulli sample of about
    ``sample_rows`` rows, and the profile says so. ``progress`` is called with the name of each step.

    >>> p = shuxi.open("sales.csv").profile()
    >>> [a.code for a in p.alerts]
    """
    started = time.perf_counter()
    step = progress or (lambda name: None)
    engine = ds.engine
    refs = _refs(ds)
    source = scans.cells(ds.raw_name, refs)

    step("overview")
    query, names = scans.aggregate_query(source, scans.overview_aggregates(refs))
    row = engine.execute(query, limit=1).to_pylist()[0]
    stats = {n: row[f"a{i}"] for i, n in enumerate(names)}
    rows = int(stats["rows"])
    columns = [_column_overview(ds, ref, stats, rows) for ref in refs]

    step("value counts")
    counted = [r for r, c in zip(refs, columns) if r.physical != "other" and (c.distinct or 0) <= exact_distinct * 1.1]
    counts: dict[int, dict[Any, int]] = {}
    if counted and rows:
        table = engine.execute(scans.value_counts_query(source, counted), limit=len(counted) * (exact_distinct * 2 + 10))
        data = table.to_pydict()
        for ref in counted:
            mask = data[f"g{ref.index}"]
            values = data[f"k{ref.index}"]
            counts[ref.index] = {values[j]: data["n"][j] for j in range(table.num_rows) if mask[j] == 0}
    for ref, col in zip(refs, columns):
        if ref.raw_text and ref.index in counts:
            _text_stats_from_counts(col, counts[ref.index])

    step("sample")
    percent = None if rows <= sample_rows else min(100.0, sample_rows / rows * 110.0)
    sample = engine.execute(scans.sample_query(ds.raw_name, refs, percent=percent, rows=sample_rows), limit=sample_rows) if rows else None
    sample_size = sample.num_rows if sample is not None else 0
    _quantiles(refs, columns, sample)

    step("details")
    bins = _bins(refs, columns, sample)
    wide_text = [r for r in refs if r.raw_text and r.index not in counts]
    aggs = scans.text_aggregates(wide_text)
    details: dict[str, Any] = {}
    if aggs and rows:
        query, names = scans.aggregate_query(scans.with_text_flags(source, wide_text), aggs)
        row = engine.execute(query, limit=1).to_pylist()[0]
        details = {n: row[f"a{i}"] for i, n in enumerate(names)}
    for ref in wide_text:
        _text_stats(columns[ref.index], details, str(ref.index))
    for ref, col in zip(refs, columns):
        _describe_values(ref, col, counts.get(ref.index), sample, rows, exact_distinct)

    step("histograms")
    _histograms(ds, bins, columns, source, details)

    step("keys and duplicates")
    prof = Profile(table=ds.name, source=ds.source.origin, engine=engine.name, rows=rows, columns=columns, sample_rows=sample_size)
    _keys_and_duplicates(ds, refs, prof, source)
    prof.correlations = _correlations([r for r in refs if r.numeric][:MAX_CORRELATED], sample)
    prof.associations = _associations(refs, columns, sample)
    if percent is not None:
        prof.notes.append(f"Quantiles, correlations, patterns, semantic types, associations and the examples of columns with "
                          f"more than {exact_distinct:,} distinct values come from a random sample of {sample_size:,} rows; "
                          "counts, missing values, min/max/mean/std, histograms, outliers and duplicates cover every row.")
    prof.notes.append(f"Distinct counts are exact up to {exact_distinct:,} values (and for candidate keys); "
                      "above that they are HyperLogLog estimates (typically within a few per cent), marked ≈.")

    step("alerts")
    from shuxi.profile.alerts import find_alerts

    prof.alerts = find_alerts(prof, ds=ds)
    prof.seconds = round(time.perf_counter() - started, 3)
    return prof


def _column_overview(ds: Dataset, ref: ColumnRef, stats: dict[str, Any], rows: int) -> ColumnProfile:
    key = str(ref.index)
    conversion = ds.conversions.get(ref.name)
    col = ColumnProfile(name=ref.name, physical_type=ref.physical if ref.physical != "other" else str(ds.schema.field(ref.name).type),
                        raw_type=str(ds.raw_schema.field(ref.name).type),
                        conversion=f"{conversion.kind}: {conversion.detail}" if conversion is not None else None)
    col.count = int(stats[f"{key}:count"])
    if ref.raw_text:
        nulls = rows - int(stats[f"{key}:raw_count"])
        col.missing_by_kind = {"null": nulls} if nulls else {}
        col.missing = nulls
    else:
        col.missing = rows - col.count
        if col.missing:
            col.missing_by_kind = {"null": col.missing}
    if f"{key}:approx_distinct" in stats:
        col.distinct = int(stats[f"{key}:approx_distinct"] or 0)
    for name in ("min", "max", "mean", "std", "skewness", "zeros", "negative", "infinite", "nan"):
        if f"{key}:{name}" in stats:
            setattr(col, name, stats[f"{key}:{name}"])
    if col.skewness is not None and not math.isfinite(col.skewness):
        col.skewness = None
    if f"{key}:true" in stats:
        col.true_count = stats[f"{key}:true"]
    quantiles = stats.get(f"{key}:quantiles")
    if quantiles:
        col.quantiles = {f"{q:g}": v for q, v in zip(scans.QUANTILES, quantiles)}
    return col


def _describe_values(ref: ColumnRef, col: ColumnProfile, counts: dict[Any, int] | None, sample: pa.Table | None,
                     rows: int, exact_distinct: int) -> None:
    """Top values, patterns, cell kinds, variants and the semantic type, from exact counts or the sample."""
    text_values: dict[Any, int]
    if counts is not None:
        present_values = {v: c for v, c in counts.items() if v is not None}
        if ref.raw_text:
            # Distinct typed values: placeholders are missing, not values.
            present_values = {v: c for v, c in present_values.items() if missing_kind(v) is None}
        col.distinct = len(present_values) if not ref.raw_text or ref.typed is None else col.distinct
        col.distinct_exact = not ref.raw_text or ref.typed is None
        text_values = counts
        col.top_values_sampled = False
    else:
        text_values = {}
        if sample is not None:
            # Arrow counts the sample's values in C++; only the distinct ones come to Python.
            counted = sample.column(f"r{ref.index}" if ref.raw_text else f"v{ref.index}").value_counts()
            text_values = dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist()))
        col.top_values_sampled = True
    ordered = sorted(((v, c) for v, c in text_values.items() if v is not None and not (isinstance(v, str) and missing_kind(v))),
                     key=lambda vc: -vc[1])
    col.top_values = [[v, c] for v, c in ordered[:TOP_VALUES]]
    if ref.raw_text:
        # Patterns and kinds are read from the most common distinct values (regular expressions cost per value).
        strings = dict(sorted(((v, c) for v, c in text_values.items() if isinstance(v, str)), key=lambda vc: -vc[1])[:PATTERN_VALUES])
        col.patterns = [list(p) for p in pattern_counts(strings)]
        col.kinds = {k: round(s, 4) for k, s in kind_shares(strings).items()}
        if counts is not None and ref.typed is None:
            col.variants = [[[v, c] for v, c in cluster] for cluster in category_clusters(strings)]
    col.semantic_type = semantic_type(
        physical=ref.physical if ref.physical != "other" else "other", name=ref.name, shares=col.kinds,
        distinct=col.distinct, present=col.count - (col.missing_by_kind.get("empty", 0) + col.missing_by_kind.get("whitespace", 0)
                                                      + col.missing_by_kind.get("placeholder", 0) if ref.typed is None else 0),
        rows=rows, avg_length=col.mean_length, conversion=col.conversion.split(":")[0] if col.conversion else None,
        conversion_detail=col.conversion or "")


def _text_stats(col: ColumnProfile, stats: dict[str, Any], key: str) -> None:
    """Missing cells by kind, lengths and padding of a raw text column, from the details scan."""
    kinds = {k: int(stats.get(f"{key}:{k}") or 0) for k in ("empty", "whitespace", "placeholder")}
    _set_missing(col, kinds)
    col.min_length, col.max_length = stats.get(f"{key}:min_length"), stats.get(f"{key}:max_length")
    mean = stats.get(f"{key}:mean_length")
    col.mean_length = round(mean, 3) if mean is not None else None
    col.padded = int(stats.get(f"{key}:padded") or 0)


def _quantiles(refs: list[ColumnRef], columns: list[ColumnProfile], sample: pa.Table | None) -> None:
    """Quantiles of every numeric column from the sample (exact on the sample; min and max stay exact on the table)."""
    import numpy as np

    if sample is None:
        return
    for ref, col in zip(refs, columns):
        if not ref.numeric:
            continue
        values = np.asarray(sample.column(f"v{ref.index}").drop_null().to_numpy(zero_copy_only=False), dtype=float)
        values = values[np.isfinite(values)]
        if values.size:
            points = np.quantile(values, scans.QUANTILES)
            col.quantiles = {f"{q:g}": float(v) for q, v in zip(scans.QUANTILES, points)}


def _correlations(numeric: list[ColumnRef], sample: pa.Table | None) -> list[list[Any]]:
    """Pearson r between numeric columns, on the sample's rows where both are finite."""
    import numpy as np

    if sample is None or sample.num_rows < 3 or len(numeric) < 2:
        return []
    data = {}
    for ref in numeric:
        column = sample.column(f"v{ref.index}")
        values = np.asarray(column.to_numpy(zero_copy_only=False), dtype=float) if column.null_count == 0 else \
            np.array([np.nan if v is None else float(v) for v in column.to_pylist()])
        data[ref.index] = values
    out: list[list[Any]] = []
    for i, a in enumerate(numeric):
        for b in numeric[i + 1:]:
            x, y = data[a.index], data[b.index]
            ok = np.isfinite(x) & np.isfinite(y)
            if ok.sum() < 3 or x[ok].std() == 0 or y[ok].std() == 0:
                continue
            out.append([a.name, b.name, round(float(np.corrcoef(x[ok], y[ok])[0, 1]), 6)])
    return out


def _text_stats_from_counts(col: ColumnProfile, counts: dict[Any, int]) -> None:
    """The same statistics as :func:`_text_stats`, read from a column's exact value counts."""
    kinds = {"empty": 0, "whitespace": 0, "placeholder": 0}
    lengths: list[tuple[int, int]] = []
    padded = 0
    for value, count in counts.items():
        if not isinstance(value, str):
            continue
        kind = missing_kind(value)
        if kind is not None:
            kinds[kind] += count
        lengths.append((len(value), count))
        stripped = value.strip(WHITESPACE)
        if stripped and stripped != value:
            padded += count
    _set_missing(col, kinds)
    if lengths:
        col.min_length = min(n for n, _ in lengths)
        col.max_length = max(n for n, _ in lengths)
        col.mean_length = round(sum(n * c for n, c in lengths) / sum(c for _, c in lengths), 3)
    col.padded = padded


def _set_missing(col: ColumnProfile, kinds: dict[str, int]) -> None:
    col.missing_by_kind.update({k: v for k, v in kinds.items() if v})
    col.missing = sum(col.missing_by_kind.values())


def _bins(refs: list[ColumnRef], columns: list[ColumnProfile], sample: pa.Table | None) -> list[scans.Bins]:
    """Histogram bins and outlier fences of every numeric column, from its range, quartiles and the sample's MAD."""
    import numpy as np

    bins: list[scans.Bins] = []
    for ref, col in zip(refs, columns):
        if not ref.numeric or col.min is None or col.max is None:
            continue
        lo, hi = float(col.min), float(col.max)
        if ref.physical == "integer" and hi - lo < BINS:
            start, width, count = lo - 0.5, 1.0, int(hi - lo) + 1
        else:
            start, width, count = lo, (hi - lo) / BINS or 1.0, BINS
        q1, q3 = col.quantiles.get("0.25"), col.quantiles.get("0.75")
        fences: dict[str, float | None] = {}
        if q1 is not None and q3 is not None and q3 > q1:
            fences = _fences(float(q1), float(q3), log=lo > 0 and (col.skewness or 0) > 1)
        median, mad = col.quantiles.get("0.5"), None
        if sample is not None and median is not None:
            values = np.array([v for v in sample.column(f"v{ref.index}").to_pylist() if v is not None], dtype=float)
            values = values[np.isfinite(values)]
            if values.size:
                mad = float(np.median(np.abs(values - float(median)))) * 1.4826
        log_scale = bool(fences.pop("log", False))
        bins.append(scans.Bins(column=ref, start=start, width=width, count=count, median=float(median) if median is not None else None,
                               mad=mad or None, log_scale=log_scale, **fences))  # type: ignore[arg-type]
    return bins


def _histograms(ds: Dataset, bins: list[scans.Bins], columns: list[ColumnProfile], source: exp.Expression,
                details: dict[str, Any]) -> None:
    """Histogram and outlier counts of every numeric column, from one grouped pass."""
    if not bins:
        return
    table = ds.engine.execute(scans.histogram_query(source, bins, robust_z=ROBUST_Z), limit=sum(8 * (b.count + 2) for b in bins) + 10)
    data = table.to_pydict()
    for b in bins:
        index = b.column.index
        col = columns[index]
        counts = [0] * b.count
        iqr = far = robust = 0
        for j in range(table.num_rows):
            if data[f"g{index}"][j] != 0:
                continue
            n, bucket, kind = data["n"][j], data[f"b{index}"][j], int(data[f"c{index}"][j] or 0)
            if bucket is not None:
                counts[max(0, min(b.count - 1, int(bucket)))] += n
                iqr += n if kind & 3 else 0
                far += n if kind & 3 == 2 else 0
                robust += n if kind & 4 else 0
        col.histogram = {"edges": [b.start + b.width * k for k in range(b.count + 1)], "counts": counts}
        outliers: dict[str, Any] = {}
        if b.low is not None:
            outliers.update(iqr=iqr, far=far, fences=[b.low, b.high], far_fences=[b.far_low, b.far_high], log_scale=b.log_scale)
        if b.median is not None and b.mad:
            outliers.update(robust_z=robust, median=b.median, mad=b.mad)
        if outliers.get("far"):
            outliers["examples"] = _outlier_examples(ds, source, b)
        col.outliers = outliers or None


def _fences(q1: float, q3: float, *, log: bool) -> dict[str, float | None]:
    """Tukey's fences at 1.5×IQR and 3×IQR; on the log scale for positive right-skewed data (prices, revenue), whose
    long natural tail would otherwise be all "outliers". Quantiles commute with log, so no further scan is needed."""
    import math

    if log:
        a, b = math.log(q1), math.log(q3)
        iqr = b - a
        return {"low": math.exp(a - 1.5 * iqr), "high": math.exp(b + 1.5 * iqr),
                "far_low": math.exp(a - 3 * iqr), "far_high": math.exp(b + 3 * iqr), "log": True}  # type: ignore[dict-item]
    iqr = q3 - q1
    return {"low": q1 - 1.5 * iqr, "high": q3 + 1.5 * iqr, "far_low": q1 - 3 * iqr, "far_high": q3 + 3 * iqr}


def _outlier_examples(ds: Dataset, source: exp.Expression, b: scans.Bins) -> list[Any]:
    """A few of the most extreme values beyond the 3×IQR fences."""
    v = b.column.finite
    beyond = exp.or_(exp.LT(this=v.copy(), expression=exp.Literal.number(b.far_low)),
                     exp.GT(this=v.copy(), expression=exp.Literal.number(b.far_high)))
    table = ds.engine.execute(scans.examples_query(source, beyond, v.copy(), limit=5), limit=5)
    return sorted(table.column("x").to_pylist(), key=lambda x: -abs(x - (b.median or 0)))


def _keys_and_duplicates(ds: Dataset, refs: list[ColumnRef], prof: Profile, source: exp.Expression) -> None:
    """Exact duplicate rows (by a 64-bit hash of each row) and then, only if there are none, candidate keys."""
    rows = prof.rows
    if not rows:
        return
    names = [r.name for r in refs if r.physical != "other"]
    # The column with the most distinct values and no NULLs narrows the search to rows whose value repeats.
    pivots = sorted(((r.physical == "integer", c.distinct or 0, r.name) for r, c in zip(refs, prof.columns)
                     if r.physical in ("integer", "text", "date", "timestamp", "float") and c.count == rows and not c.missing
                     and (c.distinct or 0) >= rows * 0.5), reverse=True)
    pivot = pivots[0][2] if pivots else None
    dialect = ds.engine.dialect
    row = ds.engine.execute(scans.duplicates_query(ds.raw_name, names, dialect, pivot=pivot), limit=1).to_pylist()[0]
    prof.duplicate_rows, prof.duplicate_groups = int(row["extra"] or 0), int(row["groups"] or 0)
    if prof.duplicate_rows:
        from shuxi.render import json_value

        examples = ds.engine.execute(scans.duplicate_examples_query(ds.raw_name, names, dialect, limit=3, pivot=pivot), limit=3)
        prof.duplicate_examples = [json_value(r) for r in examples.to_pylist()]
        return  # with repeated rows no column can be a key
    shortlist = [r for r, c in zip(refs, prof.columns)
                 if r.physical in ("integer", "text", "date", "timestamp") and c.missing == 0 and c.count == rows
                 and (c.distinct or 0) >= rows * 0.95][:8]
    if not shortlist:
        return
    row = ds.engine.execute(scans.distinct_query(source, shortlist), limit=1).to_pylist()[0]
    for ref in shortlist:
        col = prof.columns[ref.index]
        col.distinct, col.distinct_exact = int(row[f"d{ref.index}"]), True
        if col.distinct == rows:
            prof.candidate_keys.append(ref.name)


def _associations(refs: list[ColumnRef], columns: list[ColumnProfile], sample: pa.Table | None) -> list[list[Any]]:
    """Cramér's V between category columns, on the sample."""
    if sample is None or sample.num_rows < 20:
        return []
    import numpy as np

    chosen = [(r, c) for r, c in zip(refs, columns)
              if c.semantic_type in ("category", "boolean") and c.distinct is not None and 2 <= c.distinct <= 100][:MAX_ASSOCIATED]
    codes = {}
    for ref, _ in chosen:
        values = sample.column(f"r{ref.index}" if ref.raw_text else f"v{ref.index}").to_pylist()
        codes[ref.index] = np.unique(np.array(["\x00" if v is None else str(v) for v in values]), return_inverse=True)[1]
    out: list[list[Any]] = []
    for i, (a, _) in enumerate(chosen):
        for b, _ in chosen[i + 1:]:
            x, y = codes[a.index], codes[b.index]
            table = np.zeros((x.max() + 1, y.max() + 1), dtype=np.float64)
            np.add.at(table, (x, y), 1)
            table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
            if min(table.shape) < 2:
                continue
            out.append([a.name, b.name, round(cramers_v(table), 4)])
    return out


def cramers_v(table: Any) -> float:
    """Cramér's V of a contingency table: sqrt(χ² / (n · (min(rows, columns) − 1))), 0 (independent) to 1."""
    import numpy as np

    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    return float(np.sqrt(chi2 / (n * (min(table.shape) - 1))))
