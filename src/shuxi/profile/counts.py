"""Statistics of a column from its exact value counts.

A column with few distinct values (the sample says which) is not aggregated in the overview scan: one GROUPING SETS
pass counts its values, and everything else is read from those counts here: present and missing cells, min, max,
mean, standard deviation, skewness, zeros, negatives, infinities, the exact distinct count, and the text details
(missing cells by kind, lengths, padding). A text column that shuxi converts ("100元", "2024年1月2日", "yes") is
counted by its raw text, so the typed reading runs on its few distinct values (:func:`typed_counts`) and never on
every row.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from shuxi.profile import scans
from shuxi.profile.scans import ColumnRef
from shuxi.profile.semantic import WHITESPACE, missing_kind

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset
    from shuxi.profile.profiler import ColumnProfile


def typed_counts(ds: Dataset, ref: ColumnRef, counts: dict[Any, int]) -> list[tuple[Any, int]]:
    """(typed value, count) pairs of a counted column; None stands for cells without a typed value."""
    if ref.typed is None:
        return list(counts.items())
    raws = [v for v in counts if isinstance(v, str)]
    typed: dict[Any, Any] = {}
    if raws:
        table = ds.engine.execute(scans.typed_values_query(ref, raws), limit=len(raws) + 1)
        typed = dict(zip(table.column("r").to_pylist(), table.column("v").to_pylist()))
    return [(typed.get(raw), n) for raw, n in counts.items()]


def describe_from_counts(ref: ColumnRef, col: ColumnProfile, counts: dict[Any, int], values: list[tuple[Any, int]], rows: int) -> None:
    """Fill ``col``'s counts, range, moments, zeros, negatives, infinities and true count from ``counts`` (raw value →
    count) and ``values`` (:func:`typed_counts`), as the overview scan would have computed them on every row."""
    col.count = sum(n for v, n in values if v is not None)
    if ref.raw_text:
        nulls = rows - sum(n for v, n in counts.items() if v is not None)
        col.missing_by_kind = {"null": nulls} if nulls else {}
        col.missing = nulls
    else:
        col.missing = rows - col.count
        col.missing_by_kind = {"null": col.missing} if col.missing else {}
    present = [(v, n) for v, n in values if v is not None]
    if ref.typed is not None:
        col.distinct = len({v for v, _ in present})
    if ref.physical in ("date", "timestamp") and present:
        col.min, col.max = min(v for v, _ in present), max(v for v, _ in present)
    elif ref.physical == "boolean":
        col.true_count = sum(n for v, n in present if v is True)
    elif ref.numeric:
        col.zeros = sum(n for v, n in present if v == 0)
        col.negative = sum(n for v, n in present if v < 0)
        if ref.physical == "float":
            col.infinite = sum(n for v, n in present if math.isinf(v))
            col.nan = sum(n for v, n in present if math.isnan(v))
        finite = [(v, n) for v, n in present if math.isfinite(v)]
        if finite:
            col.min, col.max = min(v for v, _ in finite), max(v for v, _ in finite)
            col.mean, col.std, col.skewness = weighted_moments([(float(v), n) for v, n in finite])


def weighted_moments(values: list[tuple[float, int]]) -> tuple[float, float | None, float | None]:
    """Mean, sample standard deviation and skewness (adjusted Fisher–Pearson G1, as :func:`scans.moments`) of values
    given with their counts; two passes, so no cancellation."""
    n = sum(c for _, c in values)
    mean = sum(v * c for v, c in values) / n
    m2 = sum(c * (v - mean) ** 2 for v, c in values) / n
    m3 = sum(c * (v - mean) ** 3 for v, c in values) / n
    std = math.sqrt(m2 * n / (n - 1)) if n > 1 else None
    skewness = None
    if n > 2 and m2 > 0:
        skewness = m3 / m2 ** 1.5 * math.sqrt(n * (n - 1)) / (n - 2)
        skewness = skewness if math.isfinite(skewness) else None
    return mean, std, skewness


def text_stats_from_counts(col: ColumnProfile, counts: dict[Any, int]) -> None:
    """Missing cells by kind, lengths and padding of a raw text column, from its exact value counts."""
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
    set_missing(col, kinds)
    if lengths:
        col.min_length = min(n for n, _ in lengths)
        col.max_length = max(n for n, _ in lengths)
        col.mean_length = round(sum(n * c for n, c in lengths) / sum(c for _, c in lengths), 3)
    col.padded = padded


def text_stats(col: ColumnProfile, stats: dict[str, Any], key: str, lengths: Any) -> None:
    """The same details for a column with many values: missing and padded cells from :func:`scans.text_aggregates`
    (every row), lengths from ``lengths``, the character counts of the sample's cells (a pyarrow array)."""
    kinds = {k: int(stats.get(f"{key}:{k}") or 0) for k in ("empty", "whitespace", "placeholder")}
    set_missing(col, kinds)
    col.padded = int(stats.get(f"{key}:padded") or 0)
    if lengths is not None and len(lengths) - lengths.null_count:
        import pyarrow.compute as pc

        col.min_length, col.max_length = pc.min(lengths).as_py(), pc.max(lengths).as_py()
        col.mean_length = round(pc.mean(lengths).as_py(), 3)
        col.lengths_sampled = True


def set_missing(col: ColumnProfile, kinds: dict[str, int]) -> None:
    col.missing_by_kind.update({k: v for k, v in kinds.items() if v})
    col.missing = sum(col.missing_by_kind.values())
