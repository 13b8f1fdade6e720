"""Histograms and outliers of numeric columns: bins from the exact range, fences from the sample's quartiles.

The counts themselves cover every row. For columns with many values the overview scan counts the values beyond
both candidate sets of fences (linear and log scale, :func:`candidate_fences`; which one applies depends on the
skewness that same scan measures) and :func:`shuxi.profile.scans.counts_query` counts the values in each bin; for
columns with few values :func:`classify` does the same arithmetic on their exact value counts in Python. Either
way :func:`set_histogram` writes the profile's histogram and outlier figures.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from shuxi.profile.scans import Bins, ColumnRef

if TYPE_CHECKING:
    from shuxi.profile.profiler import ColumnProfile

#: Histogram bins of a numeric column.
BINS = 20
#: |robust z| above this is an outlier (Iglewicz and Hoaglin's 3.5).
ROBUST_Z = 3.5


def bins_for(ref: ColumnRef, col: ColumnProfile, *, mad: float | None) -> Bins | None:
    """Equal-width bins over the column's exact range (unit bins for a narrow integer range), Tukey's fences from its
    quartiles, and the robust z-score's median and ``mad`` (scaled median absolute deviation). None without values."""
    if not ref.numeric or col.min is None or col.max is None:
        return None
    lo, hi = float(col.min), float(col.max)
    if ref.physical == "integer" and hi - lo < BINS:
        start, width, count = lo - 0.5, 1.0, int(hi - lo) + 1
    else:
        start, width, count = lo, (hi - lo) / BINS or 1.0, BINS
    q1, q3 = col.quantiles.get("0.25"), col.quantiles.get("0.75")
    fences: dict[str, Any] = {}
    if q1 is not None and q3 is not None and q3 > q1:
        fences = fences_for(float(q1), float(q3), log=lo > 0 and (col.skewness or 0) > 1)
    median = col.quantiles.get("0.5")
    log_scale = bool(fences.pop("log", False))
    return Bins(column=ref, start=start, width=width, count=count, median=float(median) if median is not None else None,
                mad=mad or None, log_scale=log_scale, **fences)


def fences_for(q1: float, q3: float, *, log: bool) -> dict[str, Any]:
    """Tukey's fences at 1.5×IQR and 3×IQR; on the log scale for positive right-skewed data (prices, revenue), whose
    long natural tail would otherwise be all "outliers". Quantiles commute with log, so no further scan is needed."""
    if log:
        a, b = math.log(q1), math.log(q3)
        iqr = b - a
        return {"low": math.exp(a - 1.5 * iqr), "high": math.exp(b + 1.5 * iqr),
                "far_low": math.exp(a - 3 * iqr), "far_high": math.exp(b + 3 * iqr), "log": True}
    iqr = q3 - q1
    return {"low": q1 - 1.5 * iqr, "high": q3 + 1.5 * iqr, "far_low": q1 - 3 * iqr, "far_high": q3 + 3 * iqr}


def candidate_fences(quantiles: dict[str, float]) -> dict[str, dict[str, float]]:
    """The fences :func:`bins_for` may choose, by scale ("linear", and "log" for positive quartiles), so that one scan
    can count the values beyond both before the skewness that decides between them is known."""
    q1, q3 = quantiles.get("0.25"), quantiles.get("0.75")
    if q1 is None or q3 is None or not q3 > q1:
        return {}
    out = {"linear": fences_for(q1, q3, log=False)}
    if q1 > 0:
        out["log"] = {k: v for k, v in fences_for(q1, q3, log=True).items() if k != "log"}
    return out


def classify(b: Bins, value: float) -> tuple[int, int, int, int]:
    """Bin of one finite value, and whether it lies beyond the 1.5×IQR fences, the 3×IQR fences and the robust
    z limit: the arithmetic of :func:`shuxi.profile.scans.counts_query` and
    :func:`shuxi.profile.scans.outlier_aggregates`, for values counted in Python."""
    bucket = min(b.count - 1, math.floor((value - b.start) / b.width))
    iqr = far = robust = 0
    if b.low is not None and b.high is not None and b.far_low is not None and b.far_high is not None:
        iqr, far = int(value < b.low or value > b.high), int(value < b.far_low or value > b.far_high)
    if b.median is not None and b.mad:
        robust = int(abs(value - b.median) > ROBUST_Z * b.mad)
    return bucket, iqr, far, robust


def set_histogram(col: ColumnProfile, b: Bins, cells: list[tuple[Any, int]], *, iqr: int, far: int, robust: int,
                  candidates: list[Any]) -> None:
    """``col``'s histogram from (bin, count) cells, and its outlier counts: ``iqr``, ``far`` and ``robust`` values
    beyond the 1.5×IQR fences, the 3×IQR fences and the robust z limit. The outlier examples are the most extreme
    of the ``candidates`` beyond the 3×IQR fences (every value when the column was counted exactly; the sample's
    values and the exact min and max otherwise)."""
    counts = [0] * b.count
    for bucket, n in cells:
        if bucket is not None:
            counts[max(0, min(b.count - 1, int(bucket)))] += n
    col.histogram = {"edges": [b.start + b.width * k for k in range(b.count + 1)], "counts": counts}
    outliers: dict[str, Any] = {}
    if b.low is not None:
        outliers.update(iqr=iqr, far=far, fences=[b.low, b.high], far_fences=[b.far_low, b.far_high], log_scale=b.log_scale)
    if b.median is not None and b.mad:
        outliers.update(robust_z=robust, median=b.median, mad=b.mad)
    if outliers.get("far") and b.far_low is not None and b.far_high is not None:
        extreme = {v for v in candidates if v < b.far_low or v > b.far_high}
        outliers["examples"] = sorted(extreme, key=lambda x: -abs(x - (b.median or 0)))[:5]
    col.outliers = outliers or None
