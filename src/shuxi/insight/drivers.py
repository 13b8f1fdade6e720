""""What drives Y?": rank the other columns of a table by how strongly they go with a target column.

Numeric columns are scored by |r| (Pearson's correlation with the target, all of them in one query); text and
boolean columns with few distinct values by η², the share of the target's variance their groups explain
(one bounded ``GROUP BY`` per column, from per-group n/mean/variance). Everything is computed in the engine;
only a few numbers per column come back. Both kinds sort together on the correlation scale: |r| for a number
column, η = √η² (the correlation ratio) for a category.

This ranks associations, not causes: a column can "drive" the target only in the sense that it moves with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from shuxi.errors import ColumnNotFoundError, PlanError
from shuxi.insight.sql import column_ref, not_null, number, table_ref

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset

#: The result's schema (``note`` says why a column has no value: "constant", "too_many_categories", "undefined",
#: "unsupported_type").
DRIVERS_SCHEMA = pa.schema([
    ("column", pa.string()),
    ("kind", pa.string()),
    ("effect", pa.string()),
    ("value", pa.float64()),
    ("n", pa.int64()),
    ("p_value", pa.float64()),
    ("r", pa.float64()),
    ("groups", pa.int64()),
    ("note", pa.string()),
])


def is_numeric_type(kind: pa.DataType) -> bool:
    """Integers, floats and decimals (booleans are categories here)."""
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)


def is_category_type(kind: pa.DataType) -> bool:
    """Text, booleans and dictionary-encoded columns: candidates for a grouping."""
    return (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_boolean(kind)
            or pa.types.is_dictionary(kind) or getattr(pa.types, "is_string_view", lambda _: False)(kind))


def check_columns(ds: Dataset, names: Sequence[str]) -> None:
    """Raise :class:`~shuxi.errors.ColumnNotFoundError` (with close matches) for a name ``ds`` does not have."""
    available = list(ds.schema.names)
    for name in names:
        if name not in available:
            raise ColumnNotFoundError(name, table=ds.name, available=available)


def rank_drivers(
    ds: Dataset, target: str, *, columns: Sequence[str] | None = None, max_categories: int = 50
) -> pa.Table:
    """Rank the columns of ``ds`` by the strength of their association with the numeric column ``target``.

    Returns one row per candidate column, strongest first, with the columns of :data:`DRIVERS_SCHEMA`:
    ``column``; ``kind`` ("numeric" | "category"); ``effect`` ("|r|" | "η²"); ``value`` (|r|, or η²);
    ``n`` (rows with both values); ``p_value`` (the correlation's t-test, or the one-way ANOVA F-test);
    ``r`` (the signed correlation, numeric columns only); ``groups`` (a category's number of values);
    ``note`` (why ``value`` is missing: "constant", "too_many_categories" — more than ``max_categories``
    distinct values, like an id —, "undefined", or "unsupported_type" for a named date or nested column).
    Rows without a value come last.

    ``columns`` limits the candidates (default: every other numeric, text or boolean column; dates and nested
    columns are left out unless named, and then listed as unsupported).

    >>> rank_drivers(ds, "sales").to_pylist()[0]
    {'column': 'price', 'kind': 'numeric', 'effect': '|r|', 'value': 0.93, 'n': 1000, ...}
    """
    from shuxi.insight.stats import anova_eta_squared, correlation_test

    check_columns(ds, [target])
    schema = ds.schema
    target_type = schema.field(target).type
    if not (is_numeric_type(target_type) or pa.types.is_boolean(target_type)):
        raise PlanError(f"Cannot rank what drives {target!r}: it holds {target_type}, not numbers.",
                        hint="Pick a numeric column as the target (sales, price, revenue…).")
    if max_categories < 2:
        raise PlanError("max_categories must be at least 2.")
    names = [c for c in (columns if columns is not None else schema.names) if c != target]
    check_columns(ds, names)
    numeric = [c for c in names if is_numeric_type(schema.field(c).type)]
    category = [c for c in names if is_category_type(schema.field(c).type)]
    # Dates and nested types are skipped; when the caller named them, the result says so rather than drop them.
    other = [c for c in names if c not in numeric and c not in category] if columns is not None else []
    y = number(target, target_type)
    table = table_ref(ds.name)

    # One pass: every correlation with its pair count, and every category's number of distinct values.
    selects: list[exp.Expression] = []
    for i, c in enumerate(numeric):
        x = number(c, schema.field(c).type)
        both = exp.and_(not_null(x), not_null(y))
        selects.append(exp.Corr(this=x, expression=y.copy(), null_on_zero_variance=True).as_(f"r{i}"))
        selects.append(exp.Count(this=exp.Case(ifs=[exp.If(this=both, true=exp.Literal.number(1))])).as_(f"n{i}"))
    for i, c in enumerate(category):
        selects.append(exp.Count(this=exp.Distinct(expressions=[column_ref(c)])).as_(f"d{i}"))
    rows: list[dict[str, Any]] = []
    if selects:
        summary = ds.engine.execute(exp.select(*selects).from_(table.copy()), limit=1).to_pylist()[0]
        for i, c in enumerate(numeric):
            r, n = summary[f"r{i}"], int(summary[f"n{i}"] or 0)
            test = correlation_test(r, n)
            note = None if test.r is not None else ("undefined" if n < 3 else "constant")
            rows.append({"column": c, "kind": "numeric", "effect": "|r|",
                         "value": None if test.r is None or n < 3 else abs(test.r), "n": n,
                         "p_value": test.p_value, "r": test.r if n >= 3 else None, "groups": None, "note": note})
        for i, c in enumerate(category):
            distinct = int(summary[f"d{i}"] or 0)
            if distinct > max_categories:
                rows.append(_empty_category(c, distinct, "too_many_categories"))
                continue
            if distinct < 2:
                rows.append(_empty_category(c, distinct, "constant"))
                continue
            grouped = exp.select(
                exp.Count(this=y.copy()).as_("n"), exp.Avg(this=y.copy()).as_("mean"),
                exp.Variance(this=y.copy()).as_("var"),
            ).from_(table.copy()).where(exp.and_(not_null(column_ref(c)), not_null(y))).group_by(column_ref(c))
            groups = ds.engine.execute(grouped, limit=max_categories + 1).to_pylist()
            effect = anova_eta_squared([(g["n"], g["mean"], g["var"]) for g in groups])
            rows.append({"column": c, "kind": "category", "effect": "η²", "value": effect.eta_squared,
                         "n": effect.n, "p_value": effect.p_value, "r": None, "groups": effect.k,
                         "note": None if effect.eta_squared is not None else "undefined"})

    for c in other:
        rows.append({"column": c, "kind": "other", "effect": None, "value": None, "n": None, "p_value": None,
                     "r": None, "groups": None, "note": "unsupported_type"})

    def order(row: dict[str, Any]) -> tuple[int, float]:
        value = row["value"]
        if value is None or math.isnan(value):
            return (1, 0.0)
        return (0, -(value if row["kind"] == "numeric" else math.sqrt(value)))

    rows.sort(key=order)
    return pa.Table.from_pylist(rows, schema=DRIVERS_SCHEMA)


def _empty_category(column: str, distinct: int, note: str) -> dict[str, Any]:
    return {"column": column, "kind": "category", "effect": "η²", "value": None, "n": None, "p_value": None,
            "r": None, "groups": distinct, "note": note}
