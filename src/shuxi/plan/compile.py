"""Plan → SQL, built as a sqlglot expression tree (never string formatting).

Identifiers are always quoted (Chinese, spaces and punctuation survive every dialect) and values are
literals. The tree is engine-neutral; engines render it in their dialect (:mod:`shuxi.plan.dialects`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyarrow as pa
from sqlglot import exp

from shuxi.errors import ColumnNotFoundError, PlanError
from shuxi.plan.ir import (
    ROW,
    Arithmetic,
    Bucket,
    Calculation,
    ColumnRef,
    Dimension,
    Expr,
    Filter,
    Measure,
    Plan,
    SameAs,
    Scalar,
    Value,
    Verdict,
)

CUTS_CTE = "__shuxi_cuts"
GROUPS_ALIAS = "__shuxi_groups"
#: The table with its rows numbered in table order (the ``_row`` column), when a plan uses row positions.
ROWS_CTE = "__shuxi_rows"

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
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


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
    table = exp.Table(this=exp.to_identifier(plan.table, quoted=True))
    numbered: exp.Select | None = None
    if _uses_rows(plan):
        if ROW in schema.names:
            raise PlanError(f"The table {plan.table!r} has a column named {ROW!r}, the name plans use for row "
                            "positions.", hint=f"Rename that column (for example to 'row') to ask about row order.")
        numbered = _numbered(table)
        schema = schema.append(pa.field(ROW, pa.int64()))
        table = exp.Table(this=exp.to_identifier(ROWS_CTE, quoted=True))
    cols = _Columns(plan.table, schema)
    where = [_condition(f, cols) for f in plan.filters]
    if plan.same is not None:
        where += _same_as(plan.same, cols, table)

    if plan.select:
        query = exp.select(*[cols.ref(c) for c in plan.select]).from_(table)
        if numbered is not None:
            query = query.with_(ROWS_CTE, as_=numbered, copy=False)
        if plan.anchor is not None:
            # The anchor's position: the first row meeting its conditions; NULL (so no row) when none does.
            position = exp.select(exp.Min(this=cols.ref(ROW))).from_(table.copy()).where(
                *[_condition(f, cols) for f in plan.anchor.where], copy=False)
            target = exp.Add(this=exp.Subquery(this=position), expression=_number(plan.anchor.offset)) \
                if plan.anchor.offset > 0 else \
                exp.Sub(this=exp.Subquery(this=position), expression=_number(-plan.anchor.offset))
            where.append(exp.EQ(this=cols.ref(ROW), expression=target))
        if where:
            query = query.where(*where, copy=False)
        for order in plan.order:
            if order.number:
                query = query.order_by(exp.Ordered(this=_leading_number(cols.ref(order.by)), desc=order.desc,
                                                   nulls_first=False), copy=False)
            query = query.order_by(exp.Ordered(this=cols.ref(order.by), desc=order.desc,
                                               nulls_first=False), copy=False)
        if plan.limit:
            query = query.limit(plan.limit, copy=False)
        return query

    query = exp.select().from_(table)
    if numbered is not None:
        query = query.with_(ROWS_CTE, as_=numbered, copy=False)
    group_keys: list[exp.Expression] = []
    # Per dimension, what sorts it naturally: its output name, or for tiers (by value, by tier number).
    tier_orders: dict[str, tuple[exp.Expression, exp.Expression]] = {}
    cut_tables: list[tuple[str, exp.Select]] = []
    for dim in plan.dimensions:
        cte = CUTS_CTE if not cut_tables else f"{CUTS_CTE}_{len(cut_tables) + 1}"
        key, order_keys, cuts = _dimension(dim, plan, cols, table, where, cte)
        query = query.select(exp.alias_(key, dim.name, quoted=True), copy=False)
        group_keys.append(key)
        if order_keys is not None:
            tier_orders[dim.name] = order_keys
        if cuts is not None:
            cut_tables.append((cte, cuts))
    measures = {m.name: _measure(m, cols) for m in plan.measures}
    for calc in plan.calculations:
        query = query.select(exp.alias_(_calculation(calc, measures), calc.name, quoted=True), copy=False)
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

    calculations = {c.name: c for c in plan.calculations}
    for condition in plan.having:
        if condition.column not in measures and condition.column not in calculations:
            raise PlanError(f"The condition on {condition.column!r} refers to no measure of this plan.",
                            hint="Conditions after grouping use a measure's or calculation's name: "
                                 + ", ".join([*measures, *calculations]) + ".")
    outputs = [d.name for d in plan.dimensions] + [c.name for c in plan.calculations] + list(measures)
    for order in plan.order:
        if order.by not in outputs:
            raise PlanError(f"Cannot sort by {order.by!r}: it is not one of this plan's outputs.",
                            hint="Sort by one of: " + ", ".join(outputs) + ".")

    # After the requested order, the dimensions in their natural order (time ascending, tiers lowest first):
    # the whole order when none was asked for, and the tie-breaker otherwise, so ties rank the same on every
    # engine. MIN(value) orders tiers when nothing follows them; before another key it would order the groups
    # inside a tier by their smallest value, so there the tier's number does it.
    requested = {order.by for order in plan.order}
    natural_names = [d.name for d in plan.dimensions if d.name not in requested]
    natural_orders: list[tuple[str, exp.Expression | None]] = []
    for position, name in enumerate(natural_names):
        if name in tier_orders:
            by_value, by_number = tier_orders[name]
            natural_orders.append((name, by_value if position == len(natural_names) - 1 else by_number))
        else:
            natural_orders.append((name, None))

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
        # The cut points' WITH moves to the top: a WITH inside a subquery is less portable.
        ctes = inner.args.get("with_")
        inner.set("with_", None)
        query = exp.select(*[exp.column(name, quoted=True) for name in outputs]).from_(
            inner.subquery(GROUPS_ALIAS, copy=False)
        )
        query.set("with_", ctes)
        conditions = [_compare(exp.column(c.column, quoted=True), c, None) for c in plan.having]
        query = query.where(*conditions, copy=False)
    elif plan.having:
        conditions = [_compare(measures[c.column].copy() if c.column in measures
                               else _calculation(calculations[c.column], measures), c, None) for c in plan.having]
        query = query.having(*conditions, copy=False)

    for order in plan.order:
        query = query.order_by(exp.Ordered(this=exp.column(order.by, quoted=True), desc=order.desc,
                                           nulls_first=False), copy=False)
    for name, order_key in natural_orders:
        key = order_key.copy() if order_key is not None else exp.column(name, quoted=True)
        query = query.order_by(exp.Ordered(this=key, nulls_first=False), copy=False)
    if plan.limit:
        query = query.limit(plan.limit, copy=False)
    return query


# -- pieces ------------------------------------------------------------------------------------


def _dimension(
    dim: Dimension, plan: Plan, cols: _Columns, table: exp.Table, where: Sequence[exp.Expression], cte: str
) -> tuple[exp.Expression, tuple[exp.Expression, exp.Expression] | None, exp.Select | None]:
    """(group key, tier order keys or None, cut-point subquery or None) for one dimension.

    Tiers are ordered by two aggregates: the smallest value (tiers are monotone in the value) and the tier
    number (which also keeps the groups of one tier together when another key follows).

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
    # The last tier is spelt out ("> last bound") rather than ELSE, so NULLs fall in no tier.
    above = exp.GT if below is exp.LTE else exp.GTE
    tests = [below(this=column.copy(), expression=bound.copy()) for bound in bounds]
    tests.append(above(this=column.copy(), expression=bounds[-1].copy()))
    label_case, number_case = exp.Case(), exp.Case()
    for i, test in enumerate(tests):
        label_case = label_case.when(test, exp.Literal.string(labels[i]), copy=False)
        number_case = number_case.when(test.copy(), exp.Literal.number(i + 1), copy=False)
    return label_case, (exp.Min(this=column.copy()), exp.Min(this=number_case)), cuts_query


def _uses_rows(plan: Plan) -> bool:
    """Whether the plan refers to row positions (the ``_row`` name, or an anchor row)."""
    if plan.anchor is not None:
        return True
    names = [*plan.select, *(o.by for o in plan.order), *(d.column for d in plan.dimensions)]
    filters = [*plan.filters, *(plan.same.where if plan.same is not None else [])]
    for m in plan.measures:
        names += [n for n in (m.column, m.other) if n is not None]
        filters += m.where
        if m.expr is not None:
            names += _expr_columns(m.expr)
    names += [f.column for f in filters]
    return ROW in names


def _expr_columns(expr: Expr) -> list[str]:
    if isinstance(expr, ColumnRef):
        return [expr.name]
    if isinstance(expr, Arithmetic):
        return _expr_columns(expr.left) + _expr_columns(expr.right)
    return []


def _numbered(table: exp.Table) -> exp.Select:
    """``SELECT *, ROW_NUMBER() OVER () AS _row FROM table``: every row with its position in table order.

    On DuckDB an empty window numbers the rows as the scan delivers them, which is file order (a streaming
    window, kept in order while ``preserve_insertion_order`` is on, its default). Spark refuses a row number
    without an ordered window; its dialect (:mod:`shuxi.plan.dialects`) orders it by
    ``MONOTONICALLY_INCREASING_ID()``, which grows with the partition index and the row's place in its
    partition, so it follows file order for a file read in splits (the window itself runs in one partition).
    """
    row_number = exp.Window(this=exp.RowNumber(), over="OVER")
    return exp.select(exp.Star(), exp.alias_(row_number, ROW, quoted=True)).from_(table.copy())


def _calculation(calc: Calculation, measures: dict[str, exp.Expression]) -> exp.Expression:
    """A calculation's tree: its measure names replaced by their aggregates."""

    def build(expr: Expr) -> exp.Expression:
        if isinstance(expr, ColumnRef):
            if expr.name not in measures:  # pragma: no cover - the Plan validator checks this
                raise PlanError(f"The calculation {calc.name!r} names {expr.name!r}, which is not a measure.")
            return measures[expr.name].copy()
        if isinstance(expr, Value):
            if isinstance(expr.value, (bool, str)):
                raise PlanError(f"Calculations need numbers, not {expr.value!r}.")
            return _literal(expr.value)
        assert isinstance(expr, Arithmetic)
        return _arithmetic(expr.op, build(expr.left), build(expr.right))

    if isinstance(calc.expr, Verdict):
        return _verdict(calc.expr, build(calc.expr.left), build(calc.expr.right))
    value = build(calc.expr)
    return exp.Abs(this=value) if calc.absolute else value


_COMPARISONS: dict[str, tuple[type[exp.Expression], type[exp.Expression]]] = {
    "=": (exp.EQ, exp.NEQ), "!=": (exp.NEQ, exp.EQ), "<": (exp.LT, exp.GTE), "<=": (exp.LTE, exp.GT),
    ">": (exp.GT, exp.LTE), ">=": (exp.GTE, exp.LT),
}


def _verdict(verdict: Verdict, left: exp.Expression, right: exp.Expression) -> exp.Expression:
    """``CASE WHEN left op right THEN then WHEN NOT (left op right) THEN otherwise END``: NULL when a side is."""
    holds, fails = _COMPARISONS[verdict.op]
    return exp.Case().when(holds(this=left, expression=right), exp.Literal.string(verdict.then), copy=False).when(
        fails(this=left.copy(), expression=right.copy()), exp.Literal.string(verdict.otherwise), copy=False)


def _same_as(same: SameAs, cols: _Columns, table: exp.Table) -> list[exp.Expression]:
    """``column IN (SELECT column FROM t WHERE where)``, and (unless ``include``) not one of those rows."""
    anchor = [_condition(f, cols) for f in same.where]
    values = exp.select(cols.ref(same.column)).from_(table.copy()).where(
        *anchor, exp.Not(this=exp.Is(this=cols.ref(same.column), expression=exp.Null())), copy=False)
    out: list[exp.Expression] = [exp.In(this=cols.ref(same.column), query=exp.Subquery(this=values))]
    if not same.include:
        matched = exp.and_(*[c.copy() for c in anchor]) if len(anchor) > 1 else anchor[0].copy()
        out.append(exp.Not(this=exp.paren(exp.Coalesce(this=matched, expressions=[exp.false()]), copy=False)))
    return out


def _arithmetic(op: str, left: exp.Expression, right: exp.Expression) -> exp.Expression:
    if op == "+":
        return exp.paren(exp.Add(this=left, expression=right), copy=False)
    if op == "-":
        return exp.paren(exp.Sub(this=left, expression=right), copy=False)
    if op == "*":
        return exp.paren(exp.Mul(this=left, expression=right), copy=False)
    # Division: always floating point and NULL (not an error or infinity) for a zero divisor, on every engine.
    return exp.paren(exp.Div(this=exp.cast(left, exp.DataType.Type.DOUBLE),
                             expression=exp.Nullif(this=right, expression=exp.Literal.number(0))), copy=False)


def _is_numeric(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)


def _measure(measure: Measure, cols: _Columns) -> exp.Expression:
    # A filtered aggregate sees NULL outside its rows (CASE WHEN … THEN x END), which every aggregate skips:
    # portable where FILTER (WHERE …) is not, and a count of no rows is still 0.
    conditions = [_condition(f, cols) for f in measure.where]

    def only(value: exp.Expression) -> exp.Expression:
        if not conditions:
            return value
        return exp.Case().when(exp.and_(*[c.copy() for c in conditions]), value, copy=False)

    if measure.expr is not None:
        subject: exp.Expression | None = _expression(measure.expr, cols)
    elif measure.column is not None:
        subject = cols.ref(measure.column)
    else:
        subject = None
    agg = measure.agg
    if agg == "count":
        if subject is None and conditions:
            subject = exp.Literal.number(1)
        value: exp.Expression = exp.Count(this=only(subject) if subject is not None else exp.Star())
    elif agg == "count_distinct":
        value = exp.Count(this=exp.Distinct(expressions=[only(subject)]))
    else:
        assert subject is not None  # the Measure validator guarantees it
        if agg in _NUMERIC_AGGREGATES and measure.column is not None:
            subject = _numeric_column(measure.column, agg, cols)
        subject = only(subject)
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
            # VARIANCE is the sample variance on DuckDB and Spark alike (NULL for a single row).
            value = exp.Variance(this=subject)
        elif agg == "quantile":
            value = exp.PercentileCont(this=subject, expression=exp.Literal.number(repr(measure.q)))
        elif agg == "corr":
            # NULL, not NaN, when a column is constant: Spark's answer; DuckDB's NaN is mapped to NULL.
            value = exp.Corr(this=subject, expression=only(_numeric_column(measure.other or "", agg, cols)),
                             null_on_zero_variance=True)
        else:  # pragma: no cover - Aggregate is a closed Literal
            raise PlanError(f"Unknown aggregate {agg!r}.")
    if measure.of_total:
        total = exp.Window(this=exp.Sum(this=value.copy()), over="OVER")
        value = exp.Div(this=exp.cast(value, exp.DataType.Type.DOUBLE), expression=exp.Nullif(this=total, expression=exp.Literal.number(0)))
    return value


_NUMERIC_AGGREGATES = ("sum", "mean", "median", "std", "var", "quantile", "corr")


def _numeric_column(name: str, agg: str, cols: _Columns) -> exp.Expression:
    """A reference to a number column; a boolean one is counted as 0/1 (Spark cannot sum or average booleans)."""
    kind = cols.type_of(name)
    if pa.types.is_boolean(kind):
        return exp.cast(cols.ref(name), exp.DataType.Type.INT)
    if not _is_numeric(kind):
        raise PlanError(f"Cannot take the {agg} of {name!r}: it holds {kind}, not numbers.",
                        hint="Use count or count_distinct for text columns.")
    return cols.ref(name)


def _expression(expr: Expr, cols: _Columns, *, arithmetic: bool = False) -> exp.Expression:
    """An expression's tree; inside arithmetic, only numbers and number columns are allowed."""
    if isinstance(expr, ColumnRef):
        return _numeric_column(expr.name, "arithmetic", cols) if arithmetic else cols.ref(expr.name)
    if isinstance(expr, Value):
        if arithmetic and (isinstance(expr.value, (bool, str))):
            raise PlanError(f"Arithmetic needs numbers, not {expr.value!r}.")
        return _literal(expr.value)
    assert isinstance(expr, Arithmetic)
    left = _expression(expr.left, cols, arithmetic=True)
    right = _expression(expr.right, cols, arithmetic=True)
    return _arithmetic(expr.op, left, right)


def _literal(value: Scalar | None) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return _number(value)
    return exp.Literal.string(value)


def _number(value: float | int) -> exp.Expression:
    if isinstance(value, float) and not math.isfinite(value):
        # repr() would write nan or inf, which SQL reads as a column name.
        raise PlanError(f"{value!r} is not a number SQL can compare with; use a finite number.")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    literal = exp.Literal.number(repr(value))
    return exp.Neg(this=exp.Literal.number(repr(-value))) if value < 0 else literal


def _typed_value(value: Scalar, kind: pa.DataType, column: str) -> exp.Expression:
    """A literal of the column's type: dates compare as dates, not as text."""
    if pa.types.is_time(kind) and isinstance(value, str):
        return exp.cast(exp.Literal.string(value), exp.DataType.Type.TIME)
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
    if (pa.types.is_string(kind) or pa.types.is_large_string(kind)) and not isinstance(value, str):
        # A text column compared with 2023 means the text '2023'; a number literal would make the engine cast
        # every cell to a number and fail on the first one that is not.
        text = str(value).lower() if isinstance(value, bool) else _number_text(value)
        return exp.Literal.string(text)
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


#: The first number in a cell: digits with thousands commas and decimals; the whole match is group 1 so that
#: DuckDB (group 0 by default) and Spark (group 1 by default) extract the same text.
_NUMBER_IN_TEXT = r"(-?[0-9][0-9,]*(?:[.][0-9]+)?)"


def _leading_number(column: exp.Expression) -> exp.Expression:
    """The number a text cell starts with ("16th" → 16, "1,766.2 feet" → 1766.2), NULL when it has none."""
    text = exp.cast(column.copy(), exp.DataType.Type.VARCHAR)
    found = exp.RegexpExtract(this=text, expression=exp.Literal.string(_NUMBER_IN_TEXT))
    digits = exp.Anonymous(this="REPLACE", expressions=[found, exp.Literal.string(","), exp.Literal.string("")])
    return exp.TryCast(this=digits, to=exp.DataType.build("DOUBLE"))


#: A duration at the start of a cell: minutes:seconds or hours:minutes:seconds, with a fraction of a second.
_DURATION_IN_TEXT = r"^\s*([0-9]+):([0-9]{2})(?::([0-9]{2}))?([.][0-9]+)?"


def _cell_number(column: exp.Expression) -> exp.Expression:
    """The number a text cell holds, for ``Filter(number=True)``: a leading duration in seconds ("1:55.3" →
    115.3, "2:10:23" → 7823), else the number it starts with ("5th" → 5, "$40,000" → 40000), else NULL."""
    text = exp.cast(column.copy(), exp.DataType.Type.VARCHAR)

    def part(group: int) -> exp.Expression:
        found = exp.RegexpExtract(this=text.copy(), expression=exp.Literal.string(_DURATION_IN_TEXT),
                                  group=exp.Literal.number(group))
        return exp.TryCast(this=found, to=exp.DataType.build("DOUBLE"))

    def zero_if_null(value: exp.Expression) -> exp.Expression:
        return exp.Coalesce(this=value, expressions=[exp.Literal.number(0)])

    # (first * 60 + second) is m:ss in seconds, or h:mm in minutes when a third part follows (then × 60 + ss);
    # NULL when the cell does not start with a duration, so the leading number is read instead.
    base = exp.paren(exp.Add(this=exp.Mul(this=part(1), expression=exp.Literal.number(60)), expression=part(2)))
    scale = exp.Case().when(exp.Is(this=part(3), expression=exp.Null()), exp.Literal.number(1)).else_(
        exp.Literal.number(60))
    seconds = exp.Add(this=exp.Add(this=exp.Mul(this=base, expression=scale), expression=zero_if_null(part(3))),
                      expression=zero_if_null(part(4)))
    return exp.Coalesce(this=seconds, expressions=[_leading_number(column)])


#: The first four-digit year in a text cell (1000–2099), not part of a longer number.
_YEAR_IN_TEXT = r"(?:^|[^0-9])(1[0-9]{3}|20[0-9]{2})(?:[^0-9]|$)"


def _cell_year(column: exp.Expression) -> exp.Expression:
    """The year a text cell mentions, for ``Filter(year=True)`` ("October 1, 1969" → 1969), else NULL."""
    text = exp.cast(column.copy(), exp.DataType.Type.VARCHAR)
    found = exp.RegexpExtract(this=text, expression=exp.Literal.string(_YEAR_IN_TEXT), group=exp.Literal.number(1))
    return exp.TryCast(this=found, to=exp.DataType.build("DOUBLE"))


def _clock(seconds: Scalar, column: str) -> str:
    """Seconds as the text of a time of day ("02:10:23.5"), to compare a duration with a TIME column."""
    value = float(seconds)  # type: ignore[arg-type]
    if not 0 <= value < 86400:
        raise PlanError(f"{column!r} holds times of day; {seconds!r} seconds is not one (0 to 24 hours).")
    whole = int(value)
    text = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return text + (f"{value - whole:.6f}"[1:] if value != whole else "")


def _condition(condition: Filter, cols: _Columns) -> exp.Expression:
    column = cols.ref(condition.column)
    kind = cols.type_of(condition.column)
    if condition.number and (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        # The number inside the text, compared with number literals (the values are numbers: the IR checks).
        return _compare(_cell_number(column), condition, pa.float64())
    if condition.number and pa.types.is_time(kind):
        # Durations the reader took for times of day ("2:10:23"): the seconds as a time literal.
        return _compare(column, condition.model_copy(update={
            "value": _clock(condition.value, condition.column) if condition.value is not None else None,
            "values": [_clock(v, condition.column) for v in condition.values] if condition.values else None,
        }), kind)
    if condition.number and not _is_numeric(kind):
        raise PlanError(f"{condition.column!r} holds {kind}, neither text nor numbers, so it has no number to "
                        "compare.", hint="Drop number=true to compare its values as they are.")
    if condition.year and (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return _compare(_cell_year(column), condition, pa.float64())
    if condition.year and not _is_numeric(kind):
        raise PlanError(f"{condition.column!r} holds {kind}, neither text nor numbers, so it has no year to "
                        "compare.", hint="Drop year=true to compare its values as they are.")
    if condition.op in ("contains", "not_contains") and not pa.types.is_string(kind) and not pa.types.is_large_string(kind):
        column = exp.cast(column, exp.DataType.Type.VARCHAR)
    return _compare(column, condition, kind)
