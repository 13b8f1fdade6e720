"""Alerts: the data-quality problems a profile found, each with how many rows and a few examples.

Thresholds are module constants so the report can say what fired an alert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from shuxi.profile.semantic import PII_TYPES

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset
    from shuxi.profile.profiler import ColumnProfile, Profile

#: Every alert code, in the order the report lists them.
CODES = ("DUPLICATES", "MISSING", "MIXED_TYPES", "UNITS_IN_NUMBERS", "NUMBERS_AS_TEXT", "DATE_AS_TEXT", "DIRTY_CATEGORY",
         "PII", "INFINITE", "OUTLIERS", "CONSTANT", "ZEROS", "SKEWED", "IMBALANCE", "HIGH_CARDINALITY", "UNIQUE",
         "HIGH_CORRELATION")
ZEROS_SHARE = 0.10
SKEW_LIMIT = 5.0
IMBALANCE_SHARE = 0.90
#: HIGH_CARDINALITY: a text category with more than 1,000 distinct values, or more than 50 that are over half its rows.
HIGH_CARDINALITY = 50
HIGH_CARDINALITY_ABSOLUTE = 1_000
HIGH_CORRELATION = 0.9
#: A column mixes kinds when at least two kinds (number, date, text) each hold this share of its cells.
MIXED_SHARE = 0.05
#: OUTLIERS fires when values lie beyond 3×IQR and beyond the robust z limit, but are rarer than this.
OUTLIER_SHARE = 0.01
_NUMBERISH = ("number", "number_with_unit", "money", "percent")


@dataclass
class Alert:
    """One problem: its code, the columns it is about, how many rows it touches, a sentence, and examples."""

    code: str
    columns: list[str]
    rows: int
    message: str
    examples: list[Any] = field(default_factory=list)
    #: Whether ``rows`` is estimated from the sample rather than counted on the whole table.
    estimated: bool = False

    def to_dict(self) -> dict[str, Any]:
        from shuxi.render import json_value

        return {"code": self.code, "columns": self.columns, "rows": self.rows, "estimated": self.estimated,
                "message": self.message, "examples": json_value(self.examples)}


def find_alerts(prof: Profile, *, ds: Dataset | None = None) -> list[Alert]:
    """All alerts of ``prof``, ordered by :data:`CODES` then by column order."""
    alerts: list[Alert] = []
    rows = prof.rows
    if prof.duplicate_rows:
        alerts.append(Alert("DUPLICATES", [], prof.duplicate_rows,
                            f"{prof.duplicate_rows:,} rows repeat another row exactly ({prof.duplicate_groups:,} groups of identical rows).",
                            prof.duplicate_examples))
    for col in prof.columns:
        if not col.name.endswith("__outlier"):  # flags a cleaning plan added: imbalanced by design
            alerts.extend(_column_alerts(col, rows))
    for a, b, r in prof.correlations:
        if abs(r) >= HIGH_CORRELATION:
            alerts.append(Alert("HIGH_CORRELATION", [a, b], rows, f"{a} and {b} are highly correlated (Pearson r = {r:.3f}).", [round(r, 4)]))
    for a, b, v in prof.associations:
        if v >= HIGH_CORRELATION:
            alerts.append(Alert("HIGH_CORRELATION", [a, b], rows, f"{a} and {b} are strongly associated (Cramér's V = {v:.3f}, on the sample).",
                                [v], estimated=True))
    order = {code: i for i, code in enumerate(CODES)}
    names = {c.name: i for i, c in enumerate(prof.columns)}
    return sorted(alerts, key=lambda a: (order[a.code], names.get(a.columns[0], -1) if a.columns else -1))


def _column_alerts(col: ColumnProfile, rows: int) -> list[Alert]:
    out: list[Alert] = []
    name = col.name
    present = col.count
    if col.missing:
        kinds = ", ".join(f"{k} {v:,}" for k, v in col.missing_by_kind.items())
        placeholders = sorted({str(v) for v in _placeholder_examples(col)})
        out.append(Alert("MISSING", [name], col.missing, f"{name}: {col.missing:,} of {rows:,} cells ({col.missing / rows:.1%}) are missing ({kinds}).",
                         placeholders[:5]))
    numberish = sum(s for k, s in col.kinds.items() if k in _NUMBERISH)
    dateish = col.kinds.get("date", 0.0)
    textish = 1.0 - numberish - dateish
    text_present = _text_present(col)
    if col.physical_type == "text" and col.conversion is None:
        families = [s for s in (numberish, dateish, textish) if s >= MIXED_SHARE]
        if len(families) >= 2:
            out.append(Alert("MIXED_TYPES", [name], round(text_present * min(families)),
                             f"{name} mixes kinds of values: {_shares(col)}; shuxi keeps it as text.",
                             _kind_examples(col), estimated=True))
    converted = (col.conversion or "").split(":")[0]
    detail = col.conversion or ""
    unit_words = ("unit", "currency", "magnitudes", "percent", "accounting")
    if converted in ("integer", "number", "percent") and any(w in detail for w in unit_words):
        out.append(Alert("UNITS_IN_NUMBERS", [name], col.count,
                         f"{name} stores numbers with units or symbols as text ({detail}); shuxi already reads them as numbers in the typed view.",
                         _raw_examples(col)))
    elif converted in ("integer", "number"):
        out.append(Alert("NUMBERS_AS_TEXT", [name], col.count,
                         f"{name} stores numbers as text ({detail}); shuxi already reads them as numbers in the typed view.", _raw_examples(col)))
    elif converted in ("date", "timestamp"):
        out.append(Alert("DATE_AS_TEXT", [name], col.count,
                         f"{name} stores dates as text ({detail}); shuxi already reads them as dates in the typed view.", _raw_examples(col)))
    elif col.physical_type == "text" and numberish >= 0.5:
        with_units = sum(s for k, s in col.kinds.items() if k in ("number_with_unit", "money", "percent"))
        if with_units >= MIXED_SHARE:
            out.append(Alert("UNITS_IN_NUMBERS", [name], round(text_present * with_units),
                             f"{name} holds numbers with units or symbols ({with_units:.0%} of cells), mixed with text shuxi cannot read as numbers, "
                             "so it stays text.", _kind_examples(col, ("number_with_unit", "money", "percent")), estimated=True))
        elif numberish >= 0.95 and col.semantic_type not in ("identifier", "phone", "cn_id"):
            out.append(Alert("NUMBERS_AS_TEXT", [name], round(text_present * numberish),
                             f"{name} holds numbers stored as text ({numberish:.0%} of cells).", _kind_examples(col, ("number",)), estimated=True))
    elif col.physical_type == "text" and dateish >= 0.5:
        out.append(Alert("DATE_AS_TEXT", [name], round(text_present * dateish), f"{name} holds dates stored as text ({dateish:.0%} of cells).",
                         _kind_examples(col, ("date",)), estimated=True))
    if col.variants:
        changed = sum(c for cluster in col.variants for _, c in cluster[1:])
        shown = ["/".join(repr(v) for v, _ in cluster[:4]) for cluster in col.variants[:3]]
        out.append(Alert("DIRTY_CATEGORY", [name], changed,
                         f"{name} spells {len(col.variants)} categor{'y' if len(col.variants) == 1 else 'ies'} several ways: {'; '.join(shown)}.",
                         [[v for v, _ in cluster] for cluster in col.variants[:5]]))
    if col.semantic_type in PII_TYPES:
        label = {"email": "e-mail addresses", "phone": "phone numbers", "cn_id": "Chinese resident ID numbers"}[col.semantic_type]
        out.append(Alert("PII", [name], round(text_present * max(col.kinds.values(), default=1.0)),
                         f"{name} holds personal data ({label}); mask or drop it before sharing.", [_mask(v) for v, _ in col.top_values[:3]],
                         estimated=col.top_values_sampled))
    if col.infinite:
        out.append(Alert("INFINITE", [name], col.infinite, f"{name} has {col.infinite:,} infinite values (±inf).", ["inf"]))
    if col.outliers and col.outliers.get("far") and col.count:
        far = col.outliers["far"]
        if far / col.count <= OUTLIER_SHARE:
            low, high = col.outliers["far_fences"]
            scale = " on the log scale" if col.outliers.get("log_scale") else ""
            robust = f"; {col.outliers['robust_z']:,} have a robust z-score above 3.5" if col.outliers.get("robust_z") is not None else ""
            out.append(Alert("OUTLIERS", [name], far,
                             f"{name}: {far:,} values lie beyond 3×IQR{scale} (below {low:.4g} or above {high:.4g}){robust}.",
                             col.outliers.get("examples", [])))
    if col.distinct == 1 and present and col.distinct_exact:
        value = col.top_values[0][0] if col.top_values else None
        out.append(Alert("CONSTANT", [name], present, f"{name} has a single value ({value!r}) in every present cell.", [value]))
    if col.zeros is not None and present and col.zeros / present >= ZEROS_SHARE and (col.distinct or 0) > 2:
        out.append(Alert("ZEROS", [name], col.zeros, f"{name}: {col.zeros:,} values ({col.zeros / present:.1%}) are zero.", [0]))
    if col.skewness is not None and abs(col.skewness) >= SKEW_LIMIT:
        out.append(Alert("SKEWED", [name], present, f"{name} is highly skewed (skewness {col.skewness:.2f}); consider a log scale.",
                         [col.quantiles.get("0.5"), col.max]))
    if col.true_count is not None and present:
        counts = sorted([("true", col.true_count), ("false", present - col.true_count)], key=lambda vc: -vc[1])
        if counts[1][1] and counts[0][1] / present >= IMBALANCE_SHARE:
            out.append(Alert("IMBALANCE", [name], counts[1][1], f"{name} is imbalanced: {counts[0][1] / present:.1%} of values are {counts[0][0]}.",
                             [counts[0][0], counts[1][0]]))
    elif col.semantic_type in ("category", "boolean") and col.distinct_exact and col.distinct and col.distinct > 1 and col.top_values:
        top_value, top_count = col.top_values[0]
        total = sum(c for _, c in col.top_values) if col.distinct <= len(col.top_values) else present
        if total and top_count / total >= IMBALANCE_SHARE:
            out.append(Alert("IMBALANCE", [name], total - top_count,
                             f"{name} is imbalanced: {top_count / total:.1%} of values are {top_value!r}; the other {col.distinct - 1} share "
                             f"{total - top_count:,} rows.", [v for v, _ in col.top_values[:4]]))
    if (col.physical_type == "text" and col.semantic_type in ("category", "free_text") and col.distinct
            and (col.distinct > HIGH_CARDINALITY_ABSOLUTE or (col.distinct > HIGH_CARDINALITY and col.distinct > present * 0.5))
            and (col.mean_length or 0) < 20 and col.distinct < present * 0.99):
        approx = "" if col.distinct_exact else "about "
        out.append(Alert("HIGH_CARDINALITY", [name], present, f"{name} has {approx}{col.distinct:,} distinct values: too many for a category.",
                         [v for v, _ in col.top_values[:3]]))
    if present and present == rows and col.distinct_exact and col.distinct == rows and rows > 1:
        out.append(Alert("UNIQUE", [name], rows, f"{name} is unique: every row has its own value (a candidate key).",
                         [v for v, _ in col.top_values[:3]]))
    return out


def _text_present(col: ColumnProfile) -> int:
    return max(0, col.count - sum(v for k, v in col.missing_by_kind.items() if k != "null"))


def _shares(col: ColumnProfile) -> str:
    return ", ".join(f"{k} {s:.0%}" for k, s in col.kinds.items() if s >= 0.01)


def _placeholder_examples(col: ColumnProfile) -> list[str]:
    kinds = col.missing_by_kind
    shown = []
    if kinds.get("null"):
        shown.append("NULL")
    if kinds.get("empty"):
        shown.append("''")
    if kinds.get("whitespace"):
        shown.append("' '")
    if kinds.get("placeholder"):
        shown.append("placeholders such as 'N/A', '-', '无'")
    return shown


def _raw_examples(col: ColumnProfile) -> list[Any]:
    return [v for v, _ in col.top_values[:3]]


def _kind_examples(col: ColumnProfile, kinds: tuple[str, ...] | None = None) -> list[Any]:
    from shuxi.profile.semantic import text_kind

    seen: list[Any] = []
    by_kind: dict[str, Any] = {}
    for value, _ in col.top_values:
        if not isinstance(value, str):
            continue
        kind = text_kind(value.strip())
        if kinds is None and kind not in by_kind:
            by_kind[kind] = value
        elif kinds is not None and kind in kinds and len(seen) < 4:
            seen.append(value)
    return list(by_kind.values())[:4] if kinds is None else seen


def _mask(value: Any) -> str:
    text = str(value)
    if len(text) <= 4:
        return "*" * len(text)
    return text[:2] + "*" * (len(text) - 4) + text[-2:]
