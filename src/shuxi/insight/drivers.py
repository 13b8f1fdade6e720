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

    rows: list[dict[str, Any]] = []
    if numeric:
        rows += _numeric_drivers(ds, numeric, y)
    if category:
        rows += _category_drivers(ds, category, y, max_categories)
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


def _numeric_drivers(ds: Dataset, numeric: list[str], y: exp.Expression) -> list[dict[str, Any]]:
    """Every numeric column's correlation with the target and its pair count: one query, one scan."""
    from shuxi.insight.stats import correlation_test

    selects: list[exp.Expression] = []
    for i, c in enumerate(numeric):
        x = number(c, ds.schema.field(c).type)
        both = exp.and_(not_null(x), not_null(y))
        # Plain CORR: a constant column gives NaN (DuckDB) or NULL (Spark); correlation_test reads both as
        # undefined, and the NULL-on-NaN wrapper would make DuckDB compute every CORR twice.
        selects.append(exp.Corr(this=x, expression=y.copy()).as_(f"r{i}"))
        selects.append(exp.Count(this=exp.Case(ifs=[exp.If(this=both, true=exp.Literal.number(1))])).as_(f"n{i}"))
    summary = ds.engine.execute(exp.select(*selects).from_(table_ref(ds.name)), limit=1).to_pylist()[0]
    rows = []
    for i, c in enumerate(numeric):
        n = int(summary[f"n{i}"] or 0)
        test = correlation_test(summary[f"r{i}"], n)
        defined = test.r is not None and n >= 3
        rows.append({"column": c, "kind": "numeric", "effect": "|r|", "value": abs(test.r) if defined else None,  # type: ignore[arg-type]
                     "n": n, "p_value": test.p_value, "r": test.r if defined else None, "groups": None,
                     "note": None if defined else ("undefined" if n < 3 else "constant")})
    return rows


def _category_drivers(ds: Dataset, category: list[str], y: exp.Expression, max_categories: int) -> list[dict[str, Any]]:
    """η² of the target for every low-cardinality category column: two scans whatever the number of columns.

    An approximate distinct count (HyperLogLog) rules out id-like columns cheaply, with a generous margin; the
    candidates' per-group n/mean/variance then come from one ``GROUP BY GROUPING SETS`` query, which also gives
    the exact number of groups.
    """
    from shuxi.insight.stats import anova_eta_squared

    table = table_ref(ds.name)
    approx = ds.engine.execute(exp.select(*(
        exp.ApproxDistinct(this=column_ref(c)).as_(f"d{i}") for i, c in enumerate(category)
    )).from_(table.copy()), limit=1).to_pylist()[0]
    ceiling = 2 * max_categories + 10  # HyperLogLog is within a few percent; the exact count is checked below
    results: dict[str, dict[str, Any]] = {}
    candidates = []
    for i, c in enumerate(category):
        distinct = int(approx[f"d{i}"] or 0)
        if distinct > ceiling:
            results[c] = _empty_category(c, distinct, "too_many_categories")
        else:
            candidates.append(c)
    if candidates:
        selects: list[exp.Expression] = []
        for i, c in enumerate(candidates):
            selects += [column_ref(c).as_(f"g{i}"), exp.Grouping(expressions=[column_ref(c)]).as_(f"k{i}")]
        selects += [exp.Count(this=y.copy()).as_("n"), exp.Avg(this=y.copy()).as_("mean"),
                    exp.Variance(this=y.copy()).as_("var")]
        query = exp.select(*selects).from_(table.copy()).where(not_null(y))
        query.set("group", exp.Group(expressions=[exp.GroupingSets(
            expressions=[exp.paren(column_ref(c)) for c in candidates])]))
        groups: dict[str, list[tuple[int, float, float | None]]] = {c: [] for c in candidates}
        for row in ds.engine.execute(query, limit=(ceiling + 2) * len(candidates)).to_pylist():
            for i, c in enumerate(candidates):
                # GROUPING(c) = 0 marks the rows grouped by c; its NULL group is left out, as NULL is no category.
                if row[f"k{i}"] == 0 and row[f"g{i}"] is not None:
                    groups[c].append((row["n"], row["mean"], row["var"]))
        for c in candidates:
            found = groups[c]
            if len(found) > max_categories:
                results[c] = _empty_category(c, len(found), "too_many_categories")
            elif len(found) < 2:
                results[c] = _empty_category(c, len(found), "constant")
            else:
                effect = anova_eta_squared(found)
                results[c] = {"column": c, "kind": "category", "effect": "η²", "value": effect.eta_squared,
                              "n": effect.n, "p_value": effect.p_value, "r": None, "groups": effect.k,
                              "note": None if effect.eta_squared is not None else "undefined"}
    return [results[c] for c in category]


def _empty_category(column: str, distinct: int, note: str) -> dict[str, Any]:
    return {"column": column, "kind": "category", "effect": "η²", "value": None, "n": None, "p_value": None,
            "r": None, "groups": distinct, "note": note}
