"""Plan → SQL, built as a sqlglot expression tree (never string formatting).

Identifiers are always quoted (Chinese, spaces and punctuation survive every dialect) and values are
literals. The tree is engine-neutral; engines render it in their dialect (:mod:`shuxi.plan.dialects`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
from sqlglot import exp

from shuxi.errors import ColumnNotFoundError, PlanError
from shuxi.plan.ir import Arithmetic, Bucket, ColumnRef, Dimension, Expr, Filter, Measure, Plan, Scalar, Value

CUTS_CTE = "__shuxi_cuts"
GROUPS_ALIAS = "__shuxi_groups"

_DEFAULT_LABELS = {
    "en": {2: ["low", "high"], 3: ["low", "middle", "high"], 4: ["low", "lower middle", "upper middle", "high"],
           5: ["lowest", "low", "middle", "high", "highest"]},
    "zh": {2: ["低", "高"], 3: ["低", "中", "高"], 4: ["低", "中低", "中高", "高"], 5: ["最低", "低", "中", "高", "最高"]},
}


def tier_labels(bucket: Bucket, language: str) -> list[str]:
    """The labels of a bucket's tiers, lowest first: given ones, or defaults in the plan's language."""
    if bucket.labels:
        return list(bucket.labels)
    named = _DEFAULT_LABELS[language].get(bucket.size)
    if bucket.method == "quantiles":
        return named or [f"Q{i + 1}" for i in range(bucket.size)]
    cuts = [_number_text(c) for c in bucket.cuts or []]
    if language == "zh":
        return [f"<{cuts[0]}", *[f"{a}–{b}" for a, b in zip(cuts, cuts[1:])], f"≥{cuts[-1]}"]
    return [f"< {cuts[0]}", *[f"{a}–{b}" for a, b in zip(cuts, cuts[1:])], f"≥ {cuts[-1]}"]


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class _Columns:
    """Resolves plan column names against the table schema: exact first, then case-insensitive."""

    def __init__(self, table: str, schema: pa.Schema) -> None:
        self.table = table
        self.schema = schema
        self._lower: dict[str, list[str]] = {}
        for name in schema.names:
            self._lower.setdefault(name.lower(), []).append(name)

    def resolve(self, name: str) -> str:
        if name in self.schema.names:
            return name
        hits = self._lower.get(name.lower(), [])
        if len(hits) == 1:
            return hits[0]
        raise ColumnNotFoundError(name, table=self.table, available=self.schema.names)

    def ref(self, name: str) -> exp.Column:
        return exp.column(self.resolve(name), quoted=True)

    def type_of(self, name: str) -> pa.DataType:
        return self.schema.field(self.resolve(name)).type


def compile_plan(plan: Plan, *, schema: pa.Schema) -> exp.Select:
    """The query that computes ``plan`` over a table with ``schema``.

    Raises :class:`ColumnNotFoundError` for columns the table lacks and :class:`PlanError` for plans
    that cannot be expressed (for example ordering an aggregate by a column that is not grouped).
    """
    cols = _Columns(plan.table, schema)
    table = exp.Table(this=exp.to_identifier(plan.table, quoted=True))
    where = [_condition(f, cols) for f in plan.filters]

    if plan.select:
        query = exp.select(*[cols.ref(c) for c in plan.select]).from_(table)
        if where:
            query = query.where(*where, copy=False)
        for order in plan.order:
            query = query.order_by(exp.Ordered(this=cols.ref(order.by), desc=order.desc,
                                               nulls_first=False), copy=False)
        if plan.limit:
            query = query.limit(plan.limit, copy=False)
        return query

    query = exp.select().from_(table)
    group_keys: list[exp.Expression] = []
    # Per dimension, what sorts it naturally: its output name, or for tiers an aggregate of the value.
    natural_orders: list[tuple[str, exp.Expression | None]] = []
    cut_tables: list[tuple[str, exp.Select]] = []
    for dim in plan.dimensions:
        cte = CUTS_CTE if not cut_tables else f"{CUTS_CTE}_{len(cut_tables) + 1}"
        key, order_key, cuts = _dimension(dim, plan, cols, table, where, cte)
        query = query.select(exp.alias_(key, dim.name, quoted=True), copy=False)
        group_keys.append(key)
        natural_orders.append((dim.name, order_key))
        if cuts is not None:
            cut_tables.append((cte, cuts))
    measures = {m.name: _measure(m, cols) for m in plan.measures}
    for name, value in measures.items():
        query = query.select(exp.alias_(value, name, quoted=True), copy=False)

    for cte, cuts in cut_tables:
        query = query.with_(cte, as_=cuts, copy=False)
        query = query.join(exp.Table(this=exp.to_identifier(cte, quoted=True)), join_type="cross", copy=False)
    if where:
        query = query.where(*where, copy=False)
    if group_keys:
        # Group by position: the keys are the first outputs, and repeating a long CASE would bury the query.
        query = query.group_by(*[exp.Literal.number(i + 1) for i in range(len(group_keys))], copy=False)

    for condition in plan.having:
        if condition.column not in measures:
            raise PlanError(f"The condition on {condition.column!r} refers to no measure of this plan.",
                            hint="Conditions after grouping use a measure's name: " + ", ".join(measures) + ".")
    outputs = [d.name for d in plan.dimensions] + list(measures)
    for order in plan.order:
        if order.by not in outputs:
            raise PlanError(f"Cannot sort by {order.by!r}: it is not one of this plan's outputs.",
                            hint="Sort by one of: " + ", ".join(outputs) + ".")

    wrap = bool(plan.having) and any(m.of_total for m in plan.measures)
    if wrap:
        # A share is of the total over all groups, so conditions after grouping must not shrink that total;
        # and no engine allows a window function in HAVING. Filter the finished groups one level up.
        inner = query
        hidden: list[tuple[str, exp.Expression | None]] = []
        for i, (name, order_key) in enumerate(natural_orders):
            if order_key is None:
                hidden.append((name, None))
            else:
                alias = f"__shuxi_order_{i + 1}"
                inner = inner.select(exp.alias_(order_key, alias, quoted=True), copy=False)
                hidden.append((name, exp.column(alias, quoted=True)))
        natural_orders = hidden
        query = exp.select(*[exp.column(name, quoted=True) for name in outputs]).from_(
            inner.subquery(GROUPS_ALIAS, copy=False)
        )
        conditions = [_compare(exp.column(c.column, quoted=True), c, None) for c in plan.having]
        query = query.where(*conditions, copy=False)
    elif plan.having:
        conditions = [_compare(measures[c.column].copy(), c, None) for c in plan.having]
        query = query.having(*conditions, copy=False)

    ordered = set()
    for order in plan.order:
        ordered.add(order.by)
        query = query.order_by(exp.Ordered(this=exp.column(order.by, quoted=True), desc=order.desc,
                                           nulls_first=False), copy=False)
    # Then the dimensions in their natural order (time ascending, tiers lowest first): the whole order
    # without a sort, and the tie-breaker after one, so ties rank the same on every engine.
    for name, order_key in natural_orders:
        if name in ordered:
            continue
        key = order_key.copy() if order_key is not None else exp.column(name, quoted=True)
        query = query.order_by(exp.Ordered(this=key, nulls_first=False), copy=False)
    if plan.limit:
        query = query.limit(plan.limit, copy=False)
    return query


# -- pieces ------------------------------------------------------------------------------------


def _dimension(
    dim: Dimension, plan: Plan, cols: _Columns, table: exp.Table, where: Sequence[exp.Expression], cte: str
) -> tuple[exp.Expression, exp.Expression | None, exp.Select | None]:
    """(group key, aggregate that orders tiers or None, cut-point subquery or None) for one dimension.

    Quantile cut points are computed by a subquery the caller names ``cte``.
    """
    column = cols.ref(dim.column)
    if dim.grain is not None:
        kind = cols.type_of(dim.column)
        if not (pa.types.is_date(kind) or pa.types.is_timestamp(kind)):
            raise PlanError(f"{dim.column!r} is {kind}, not a date, so it cannot be grouped by {dim.grain}.")
        truncated = exp.DateTrunc(unit=exp.var(dim.grain.upper()), this=column)
        return exp.cast(truncated, exp.DataType.Type.DATE), None, None
    if dim.bucket is None:
        return column, None, None
    bucket = dim.bucket
    if not _is_numeric(cols.type_of(dim.column)):
        raise PlanError(f"{dim.column!r} is not numeric, so it cannot be split into tiers.",
                        hint="Tiers need a number column such as a price or a quantity.")
    labels = tier_labels(bucket, plan.language)
    cuts_query: exp.Select | None = None
    if bucket.method == "cuts":
        bounds: list[exp.Expression] = [_number(c) for c in bucket.cuts or []]
        below = exp.LT
    else:
        n = bucket.size
        names = [f"c{i}" for i in range(1, n)]
        inner = exp.select(column.copy()).from_(table.copy())
        if where:
            inner = inner.where(*[condition.copy() for condition in where], copy=False)
        if bucket.distinct:
            inner = inner.distinct(copy=False)
        source = inner.subquery("__shuxi_values")
        cuts_query = exp.select(*[
            exp.alias_(exp.PercentileCont(this=exp.column(cols.resolve(dim.column), quoted=True),
                                          expression=exp.Literal.number(repr(i / n))), name, quoted=True)
            for i, name in zip(range(1, n), names)
        ]).from_(source)
        bounds = [exp.column(name, table=cte, quoted=True) for name in names]
        below = exp.LTE
    label_case = exp.Case()
    for i, bound in enumerate(bounds):
        label_case = label_case.when(below(this=column.copy(), expression=bound.copy()), exp.Literal.string(labels[i]), copy=False)
    # The last tier is spelt out ("> last bound") rather than ELSE, so NULLs fall in no tier.
    above = exp.GT if below is exp.LTE else exp.GTE
    label_case = label_case.when(above(this=column.copy(), expression=bounds[-1].copy()), exp.Literal.string(labels[-1]), copy=False)
    # Tiers are monotone in the value, so the smallest value in a tier puts tiers in their natural order.
    return label_case, exp.Min(this=column.copy()), cuts_query


def _is_numeric(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)


def _measure(measure: Measure, cols: _Columns) -> exp.Expression:
    if measure.expr is not None:
        subject: exp.Expression | None = _expression(measure.expr, cols)
    elif measure.column is not None:
        subject = cols.ref(measure.column)
    else:
        subject = None
    agg = measure.agg
    if agg == "count":
        value: exp.Expression = exp.Count(this=subject if subject is not None else exp.Star())
    elif agg == "count_distinct":
        value = exp.Count(this=exp.Distinct(expressions=[subject]))
    else:
        assert subject is not None  # the Measure validator guarantees it
        if agg in ("sum", "mean", "median", "std", "var", "quantile", "corr") and measure.column is not None:
            kind = cols.type_of(measure.column)
            if not (_is_numeric(kind) or pa.types.is_boolean(kind)):
                raise PlanError(f"Cannot take the {agg} of {measure.column!r}: it holds {kind}, not numbers.",
                                hint="Use count or count_distinct for text columns.")
        if agg == "sum":
            value = exp.Sum(this=subject)
        elif agg == "mean":
            value = exp.Avg(this=subject)
        elif agg == "median":
            value = exp.PercentileCont(this=subject, expression=exp.Literal.number("0.5"))
        elif agg == "min":
            value = exp.Min(this=subject)
        elif agg == "max":
            value = exp.Max(this=subject)
        elif agg == "std":
            value = exp.StddevSamp(this=subject)
        elif agg == "var":
            value = exp.VarianceSamp(this=subject) if hasattr(exp, "VarianceSamp") else exp.Variance(this=subject)
        elif agg == "quantile":
            value = exp.PercentileCont(this=subject, expression=exp.Literal.number(repr(measure.q)))
        elif agg == "corr":
            value = exp.Corr(this=subject, expression=cols.ref(measure.other or ""))
        else:  # pragma: no cover - Aggregate is a closed Literal
            raise PlanError(f"Unknown aggregate {agg!r}.")
    if measure.of_total:
        total = exp.Window(this=exp.Sum(this=value.copy()), over="OVER")
        value = exp.Div(this=exp.cast(value, exp.DataType.Type.DOUBLE), expression=exp.Nullif(this=total, expression=exp.Literal.number(0)))
    return value


def _expression(expr: Expr, cols: _Columns) -> exp.Expression:
    if isinstance(expr, ColumnRef):
        return cols.ref(expr.name)
    if isinstance(expr, Value):
        return _literal(expr.value)
    assert isinstance(expr, Arithmetic)
    left, right = _expression(expr.left, cols), _expression(expr.right, cols)
    if expr.op == "+":
        return exp.paren(exp.Add(this=left, expression=right), copy=False)
    if expr.op == "-":
        return exp.paren(exp.Sub(this=left, expression=right), copy=False)
    if expr.op == "*":
        return exp.paren(exp.Mul(this=left, expression=right), copy=False)
    # Division: always floating point and NULL (not an error or infinity) for a zero divisor, on every engine.
    return exp.paren(exp.Div(this=exp.cast(left, exp.DataType.Type.DOUBLE),
                             expression=exp.Nullif(this=right, expression=exp.Literal.number(0))), copy=False)


def _literal(value: Scalar | None) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return _number(value)
    return exp.Literal.string(value)


def _number(value: float | int) -> exp.Expression:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    literal = exp.Literal.number(repr(value))
    return exp.Neg(this=exp.Literal.number(repr(-value))) if value < 0 else literal


def _typed_value(value: Scalar, kind: pa.DataType, column: str) -> exp.Expression:
    """A literal of the column's type: dates compare as dates, not as text."""
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        if not isinstance(value, str):
            raise PlanError(f"{column!r} holds dates; compare it with a date such as '2024-03-01', not {value!r}.")
        target = exp.DataType.Type.DATE if pa.types.is_date(kind) else exp.DataType.Type.TIMESTAMP
        return exp.cast(exp.Literal.string(value), target)
    if _is_numeric(kind) and isinstance(value, str):
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            raise PlanError(f"{column!r} holds numbers; {value!r} is not one.") from None
        return _number(int(number) if number.is_integer() else number)
    return _literal(value)


def _compare(left: exp.Expression, condition: Filter, kind: pa.DataType | None) -> exp.Expression:
    def lit(v: Scalar) -> exp.Expression:
        return _typed_value(v, kind, condition.column) if kind is not None else _literal(v)

    op = condition.op
    if op == "is_null":
        return exp.Is(this=left, expression=exp.Null())
    if op == "not_null":
        return exp.Not(this=exp.Is(this=left, expression=exp.Null()))
    if op in ("in", "not_in"):
        inside = exp.In(this=left, expressions=[lit(v) for v in condition.values or []])
        return inside if op == "in" else exp.Not(this=inside)
    if op == "between":
        low, high = condition.values or [None, None]
        return exp.Between(this=left, low=lit(low), high=lit(high))
    if op in ("contains", "not_contains"):
        # Case-insensitive substring match; STRPOS/LOCATE need no escaping of % or _.
        found = exp.GT(this=exp.StrPosition(this=exp.Lower(this=left), substr=exp.Lower(this=exp.Literal.string(str(condition.value)))),
                       expression=exp.Literal.number(0))
        return found if op == "contains" else exp.Not(this=found)
    value = lit(condition.value)  # type: ignore[arg-type]
    comparisons = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
    return comparisons[op](this=left, expression=value)


def _condition(condition: Filter, cols: _Columns) -> exp.Expression:
    column = cols.ref(condition.column)
    kind = cols.type_of(condition.column)
    if condition.op in ("contains", "not_contains") and not pa.types.is_string(kind) and not pa.types.is_large_string(kind):
        column = exp.cast(column, exp.DataType.Type.VARCHAR)
    return _compare(column, condition, kind)
