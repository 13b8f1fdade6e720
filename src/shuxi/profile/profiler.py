"""``profile(ds)``: a data-quality profile of one table, computed by four scans in the engine.

The profile is plain data (dataclasses that turn into JSON); :mod:`shuxi.profile.alerts` reads it to raise
alerts and :mod:`shuxi.profile.report` shows it. Nothing here pulls the table into Python: the scans in
:mod:`shuxi.profile.scans` return one row of aggregates, bounded value counts and a bounded sample;
:mod:`shuxi.profile.counts` reads columns with few values from their counts, and
:mod:`shuxi.profile.histograms` bins numeric columns and counts their outliers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from shuxi.engines.base import is_truncated
from shuxi.profile import scans
from shuxi.profile.counts import describe_from_counts, text_stats, text_stats_from_counts, typed_counts
from shuxi.profile.duplicates import Duplicates, duplicates_in_sql, sample_and_duplicates
from shuxi.profile.histograms import ROBUST_Z, bins_for, candidate_fences, classify, set_histogram
from shuxi.profile.scans import ColumnRef
from shuxi.profile.semantic import (
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
#: Most numeric columns whose pairwise correlations are computed (the first ones in table order).
MAX_CORRELATED = 16
#: Most category columns whose pairwise Cramér's V is computed.
MAX_ASSOCIATED = 12
TOP_VALUES = 10
#: Most distinct values whose patterns and kinds are read (the most common ones).
PATTERN_VALUES = 2_000

Progress = Callable[[str], None]
STEPS = ("sample", "overview", "value counts and histograms", "keys and duplicates", "alerts")


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
    #: Histogram: bin edges (histograms.BINS + 1) and counts.
    histogram: dict[str, list[float]] | None = None
    #: Outliers: counts outside 1.5×IQR and 3×IQR fences and above the robust z limit, the fences, examples.
    outliers: dict[str, Any] | None = None
    min_length: int | None = None
    max_length: int | None = None
    mean_length: float | None = None
    #: Whether the lengths were read from the sample (text columns with many distinct values).
    lengths_sampled: bool = False
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

    Every count covers every row, in four scans of the table whatever its width (:mod:`shuxi.profile.scans`):
    a sample; an overview of the columns with many values; exact value counts of the columns with few values
    (everything else about them is read from those counts) together with the histograms of the others; and
    duplicates. Quantiles, outlier fences, patterns, semantic types, correlations, associations and the examples of
    high-cardinality columns come from the Bernoulli sample of about ``sample_rows`` rows, and the profile says so.
    ``progress`` is called with the name of each step (:data:`STEPS`).

    >>> p = shuxi.open("sales.csv").profile()
    >>> [a.code for a in p.alerts]
    """
    started = time.perf_counter()
    step = progress or (lambda name: None)
    engine = ds.engine
    refs = _refs(ds)

    step("sample")
    rows = int(engine.execute(scans.row_count_query(ds.raw_name), limit=1).column("n")[0].as_py() or 0)
    percent = None if rows <= sample_rows else min(100.0, sample_rows / rows * 110.0)
    sample, duplicates = sample_and_duplicates(ds, refs, rows=rows, percent=percent, sample_rows=sample_rows)
    sample_size = sample.num_rows if sample is not None else 0
    quantiles = _quantiles(refs, sample)
    # Columns with few values in the sample are counted exactly (one GROUPING SETS pass) instead of aggregated;
    # when the sample is the whole table this is exact, otherwise the count pass checks it (see _count).
    few = exact_distinct if percent is not None else exact_distinct * 1.1
    narrow = [r for r in refs if r.physical != "other" and sample is not None and _distinct_estimate(sample, r.key, whole=percent is None) <= few]
    wide = [r for r in refs if r not in narrow]
    columns = [_column(ds, ref) for ref in refs]
    for ref, col in zip(refs, columns):
        col.quantiles = quantiles.get(ref.index, {})

    step("overview")
    mads = {ref.index: _mad(sample, ref, columns[ref.index]) for ref in refs if ref.numeric}
    outliers: dict[int, dict[str, Any]] = {}
    rows = _overview(ds, wide, columns, sample, mads, outliers)

    step("value counts and histograms")
    bins = {ref.index: bins_for(ref, columns[ref.index], mad=mads[ref.index]) for ref in wide if ref.numeric}
    counts, tallies, spilled = _count(ds, narrow, [b for b in bins.values() if b is not None], exact_distinct)
    if spilled:  # the sample hid how many values these have: aggregate them as the overview does, and bin them
        rows = _overview(ds, spilled, columns, sample, mads, outliers)
        more = {ref.index: bins_for(ref, columns[ref.index], mad=mads[ref.index]) for ref in spilled if ref.numeric}
        tallies.update(_count(ds, [], [b for b in more.values() if b is not None], exact_distinct)[1])
        bins.update(more)
        wide += spilled
    for ref in refs:
        col = columns[ref.index]
        if ref.index in counts:
            values = typed_counts(ds, ref, counts[ref.index])
            describe_from_counts(ref, col, counts[ref.index], values, rows)
            if ref.raw_text:
                text_stats_from_counts(col, counts[ref.index])
            b = bins_for(ref, col, mad=mads.get(ref.index))
            if b is not None:
                finite = [(v, n) for v, n in values if v is not None and math.isfinite(v)]
                classes = [(classify(b, v), n) for v, n in finite]
                set_histogram(col, b, [(c[0], n) for c, n in classes], iqr=sum(n for c, n in classes if c[1]),
                              far=sum(n for c, n in classes if c[2]), robust=sum(n for c, n in classes if c[3]),
                              candidates=[v for v, _ in finite])
        elif bins.get(ref.index) is not None:
            b = bins[ref.index]
            found = outliers.get(ref.index, {})
            scale = "log" if b.log_scale else "linear"
            candidates = _sample_values(sample, ref) + [v for v in (col.min, col.max) if v is not None]
            set_histogram(col, b, tallies.get(ref.index, []), iqr=found.get(f"iqr_{scale}") or 0,  # type: ignore[arg-type]
                          far=found.get(f"far_{scale}") or 0, robust=found.get("robust") or 0, candidates=candidates)
    for ref, col in zip(refs, columns):
        _describe_values(ref, col, counts.get(ref.index), sample, rows, exact_distinct)

    step("keys and duplicates")
    prof = Profile(table=ds.name, source=ds.source.origin, engine=engine.name, rows=rows, columns=columns, sample_rows=sample_size)
    _keys_and_duplicates(ds, refs, prof, duplicates)
    prof.correlations = _correlations([r for r in refs if r.numeric][:MAX_CORRELATED], sample)
    prof.associations = _associations(refs, columns, sample)
    if percent is not None:
        prof.notes.append(f"Quantiles, outlier fences, correlations, patterns, semantic types, associations, and the examples and "
                          f"text lengths of columns with more than {exact_distinct:,} distinct values come from a random sample of "
                          f"{sample_size:,} rows; counts, missing values, min/max/mean/std/skewness, zeros, infinities, histograms, "
                          "the number of values beyond the outlier fences and duplicates cover every row.")
    prof.notes.append(f"Distinct counts are exact up to {exact_distinct:,} values (and for candidate keys); "
                      "above that they are HyperLogLog estimates (typically within a few per cent), marked ≈.")

    step("alerts")
    from shuxi.profile.alerts import find_alerts

    prof.alerts = find_alerts(prof, ds=ds)
    prof.seconds = round(time.perf_counter() - started, 3)
    return prof


def _distinct_estimate(sample: pa.Table, name: str, *, whole: bool) -> float:
    """Distinct values of a sample column, and when the sample is not the whole table, Chao's lower-bound estimate
    of the table's (d + f1² / 2·f2, from the values seen once and twice): a column whose sample values are mostly
    singletons has many more values than the sample shows."""
    import pyarrow.compute as pc

    counts = sample.column(name).drop_null().value_counts().field("counts")
    distinct = len(counts)
    if whole or not distinct:
        return distinct
    once = int(pc.sum(pc.equal(counts, 1)).as_py() or 0)
    twice = int(pc.sum(pc.equal(counts, 2)).as_py() or 0)
    return distinct + (once * once / (2 * twice) if twice else once * (once - 1) / 2)


def _column(ds: Dataset, ref: ColumnRef) -> ColumnProfile:
    conversion = ds.conversions.get(ref.name)
    return ColumnProfile(name=ref.name, physical_type=ref.physical if ref.physical != "other" else str(ds.schema.field(ref.name).type),
                         raw_type=str(ds.raw_schema.field(ref.name).type),
                         conversion=f"{conversion.kind}: {conversion.detail}" if conversion is not None else None)


def _overview(ds: Dataset, refs: list[ColumnRef], columns: list[ColumnProfile], sample: pa.Table | None,
              mads: dict[int, float | None], outliers: dict[int, dict[str, Any]]) -> int:
    """One aggregate scan over ``refs`` (columns with many values): counts, distinct estimates, ranges, moments,
    zeros, infinities and text details, written into ``columns``, and the values beyond each candidate set of
    outlier fences, written into ``outliers``; returns the number of rows."""
    shifts = {ref.index: columns[ref.index].quantiles["0.5"] for ref in refs if "0.5" in columns[ref.index].quantiles}
    text = [r for r in refs if r.raw_text]
    scanned = scans.with_centred(scans.cells(ds.raw_name, refs), refs, shifts)
    if text:
        scanned = scans.with_text_flags(scanned, text)
    aggregates = {**scans.overview_aggregates(refs), **scans.text_aggregates(text)}
    for ref in refs:
        if ref.numeric:
            quantiles = columns[ref.index].quantiles
            aggregates.update(scans.outlier_aggregates(ref, candidate_fences(quantiles), median=quantiles.get("0.5"),
                                                       mad=mads.get(ref.index), robust_z=ROBUST_Z))
    query, names = scans.aggregate_query(scanned, aggregates)
    row = ds.engine.execute(query, limit=1).to_pylist()[0]
    stats = {n: row[f"a{i}"] for i, n in enumerate(names)}
    rows = int(stats["rows"])
    for ref in refs:
        col, key = columns[ref.index], str(ref.index)
        col.count = int(stats[f"{key}:count"])
        nulls = rows - int(stats[f"{key}:raw_count"]) if ref.raw_text else rows - col.count
        col.missing_by_kind = {"null": nulls} if nulls else {}
        col.missing = nulls
        if f"{key}:approx_distinct" in stats:
            col.distinct = int(stats[f"{key}:approx_distinct"] or 0)
        for name in ("min", "max", "zeros", "negative", "infinite", "nan", "true"):
            if f"{key}:{name}" in stats:
                setattr(col, "true_count" if name == "true" else name, stats[f"{key}:{name}"])
        if ref.numeric:
            col.mean, col.std, col.skewness = scans.moments(stats[f"{key}:n"], stats[f"{key}:s1"], stats[f"{key}:s2"],
                                                            stats[f"{key}:s3"], shifts.get(ref.index, 0.0))
            outliers[ref.index] = {n.split(":", 1)[1]: v for n, v in stats.items()
                                   if n.startswith(f"{key}:") and n.split(":", 1)[1].startswith(("iqr_", "far_", "robust"))}
        if ref.raw_text:
            text_stats(col, stats, key, _sample_lengths(sample, ref))
    return rows


def _count(ds: Dataset, narrow: list[ColumnRef], bins: list[scans.Bins],
           exact_distinct: int) -> tuple[dict[int, dict[Any, int]], dict[int, list[tuple[Any, int]]], list[ColumnRef]]:
    """Exact value counts of ``narrow`` columns and (bin, count) histograms of ``bins``, in one pass.

    A column the sample showed as narrow but that has more than about ``exact_distinct`` values comes back in the
    third list instead. A result cut at the row limit proves at least one such column (it shows more values than
    its share of the limit), so each round drops one and the loop ends."""
    counts: dict[int, dict[Any, int]] = {}
    tallies: dict[int, list[tuple[Any, int]]] = {}
    spilled: list[ColumnRef] = []
    most = int(exact_distinct * 1.1) + 1
    while narrow or bins:
        # Narrow text columns are keyed by their raw text: no typed conversion runs on every row.
        keyed = [replace(r, typed=None, physical="text") if r.raw_text else r for r in narrow]
        source = scans.cells(ds.raw_name, keyed + [b.column for b in bins])
        limit = len(narrow) * most + sum(b.count + 2 for b in bins) + 10
        table = ds.engine.execute(scans.counts_query(source, keyed, bins), limit=limit)
        data = table.to_pydict()
        for b in bins:
            index = b.column.index
            mask, buckets = data[f"gb{index}"], data[f"b{index}"]
            tallies[index] = [(buckets[j], data["n"][j]) for j in range(table.num_rows) if mask[j] == 0]
        over = []
        for ref in narrow:
            mask, values = data[f"gk{ref.index}"], data[f"k{ref.index}"]
            found = {values[j]: data["n"][j] for j in range(table.num_rows) if mask[j] == 0}
            if len(found) > most:
                over.append(ref)
            else:
                counts[ref.index] = found
        spilled += over
        if not is_truncated(table):
            break
        # The cut may have dropped rows of any set: count the rest again, bins included.
        narrow = [r for r in narrow if r not in over]
        for ref in narrow:
            counts.pop(ref.index, None)
    return counts, tallies, spilled


def _sample_lengths(sample: pa.Table | None, ref: ColumnRef) -> Any:
    """Characters in each of the sample's cells of a raw text column (a pyarrow array), or None without a sample."""
    if sample is None:
        return None
    import pyarrow.compute as pc

    return pc.utf8_length(sample.column(f"r{ref.index}"))


def _mad(sample: pa.Table | None, ref: ColumnRef, col: ColumnProfile) -> float | None:
    """The sample's median absolute deviation around the median, scaled to the standard deviation of a normal."""
    import numpy as np

    median = col.quantiles.get("0.5")
    if sample is None or median is None:
        return None
    values = _finite(sample, ref)
    return float(np.median(np.abs(values - float(median)))) * 1.4826 if values.size else None


def _describe_values(ref: ColumnRef, col: ColumnProfile, counts: dict[Any, int] | None, sample: pa.Table | None,
                     rows: int, exact_distinct: int) -> None:
    """Top values, patterns, cell kinds, variants and the semantic type, from exact counts or the sample."""
    text_values: dict[Any, int]
    if counts is not None:
        present_values = {v: c for v, c in counts.items() if v is not None}
        if ref.raw_text:
            # Distinct typed values: placeholders are missing, not values.
            present_values = {v: c for v, c in present_values.items() if missing_kind(v) is None}
        if ref.typed is None:  # a converted column's distinct typed values were counted by describe_from_counts
            col.distinct = len(present_values)
        col.distinct_exact = True
        text_values = counts
        col.top_values_sampled = False
    else:
        text_values = {}
        if sample is not None:
            # Arrow counts the sample's values in C++ and keeps the commonest: only those come to Python (top
            # values, patterns and kinds are read from at most PATTERN_VALUES of them either way).
            import pyarrow.compute as pc

            counted = sample.column(f"r{ref.index}" if ref.raw_text else f"v{ref.index}").value_counts()
            if len(counted) > PATTERN_VALUES:
                counted = counted.take(pc.array_sort_indices(counted.field("counts"), order="descending")[:PATTERN_VALUES])
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


def _quantiles(refs: list[ColumnRef], sample: pa.Table | None) -> dict[int, dict[str, float]]:
    """Quantiles of every numeric column from the sample (exact on the sample; min and max stay exact on the table)."""
    import numpy as np

    out: dict[int, dict[str, float]] = {}
    if sample is None:
        return out
    for ref in refs:
        if not ref.numeric:
            continue
        values = _finite(sample, ref)
        if values.size:
            points = np.quantile(values, scans.QUANTILES)
            out[ref.index] = {f"{q:g}": float(v) for q, v in zip(scans.QUANTILES, points)}
    return out


def _finite(sample: pa.Table, ref: ColumnRef) -> Any:
    """The sample's finite values of a numeric column, as a float array."""
    import numpy as np

    values = np.asarray(sample.column(f"v{ref.index}").drop_null().to_numpy(zero_copy_only=False), dtype=float)
    return values[np.isfinite(values)]


def _sample_values(sample: pa.Table | None, ref: ColumnRef) -> list[Any]:
    """The distinct finite values of a numeric column in the sample (candidates for outlier examples)."""
    if sample is None:
        return []
    import pyarrow.compute as pc

    unique = pc.unique(sample.column(f"v{ref.index}").drop_null()).to_pylist()
    return [v for v in unique if math.isfinite(v)]


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


def _keys_and_duplicates(ds: Dataset, refs: list[ColumnRef], prof: Profile, duplicates: Duplicates | None) -> None:
    """Exact duplicate rows (found with the sample, or here by a 64-bit hash of each row) and then, only if there
    are none, candidate keys."""
    rows = prof.rows
    if not rows:
        return
    from shuxi.render import json_value

    extra, groups, examples = duplicates if duplicates is not None else duplicates_in_sql(ds, refs, prof.columns, rows)
    prof.duplicate_rows, prof.duplicate_groups = extra, groups
    prof.duplicate_examples = [json_value(r) for r in examples]
    if prof.duplicate_rows:
        return  # with repeated rows no column can be a key
    shortlist = [r for r, c in zip(refs, prof.columns)
                 if r.physical in ("integer", "text", "date", "timestamp") and c.missing == 0 and c.count == rows
                 and (c.distinct or 0) >= rows * 0.95][:8]
    if not shortlist:
        return
    row = ds.engine.execute(scans.distinct_query(scans.cells(ds.raw_name, shortlist), shortlist), limit=1).to_pylist()[0]
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
    import pyarrow.compute as pc

    codes = {}
    for ref, _ in chosen:
        # Arrow's dictionary codes; NULL gets a code of its own.
        encoded = pc.dictionary_encode(sample.column(f"r{ref.index}" if ref.raw_text else f"v{ref.index}")).combine_chunks()
        codes[ref.index] = np.asarray(encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False), dtype=np.int64)
    out: list[list[Any]] = []
    for i, (a, _) in enumerate(chosen):
        for b, _ in chosen[i + 1:]:
            x, y = codes[a.index], codes[b.index]
            shape = (int(x.max()) + 1, int(y.max()) + 1)
            table = np.bincount(x * shape[1] + y, minlength=shape[0] * shape[1]).reshape(shape).astype(np.float64)
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
