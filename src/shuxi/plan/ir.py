"""The Plan: a small, typed, JSON-serialisable description of one analysis.

Planners (built-in rules or an LLM) produce Plans; :mod:`shuxi.plan.compile` turns a Plan into one
SQL query per engine dialect; the narrator and chart maker read ``kind`` to know what they phrase.

>>> Plan(kind="group", table="sales",
...      dimensions=[Dimension(column="region")],
...      measures=[Measure(agg="sum", column="revenue")],
...      order=[Order(by="sum_revenue", desc=True)], limit=3)
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

Scalar = Union[bool, int, float, str]

AnalysisKind = Literal[
    "lookup", "aggregate", "group", "rank", "trend", "share", "compare", "correlate",
    "distribution", "drivers", "tiers", "calculate",
]
Aggregate = Literal[
    "count", "count_distinct", "sum", "mean", "median", "min", "max", "std", "var", "quantile", "corr",
]
Grain = Literal["year", "quarter", "month", "week", "day"]
Operator = Literal[
    "=", "!=", "<", "<=", ">", ">=", "between", "in", "not_in", "contains", "not_contains", "is_null", "not_null",
]

#: Operators a filter with ``number=True`` can use (the number a text cell holds, compared with numbers).
_NUMBER_OPS = ("=", "!=", "<", "<=", ">", ">=", "between", "in", "not_in")

#: The row's position in the table's own order (1 for the first row), usable wherever a plan names a column
#: (select, filters, order). Tables are numbered as read: file order on DuckDB, partition order on Spark.
ROW = "_row"

_AGG_NEEDS_COLUMN = {"count_distinct", "sum", "mean", "median", "min", "max", "std", "var", "quantile", "corr"}
#: Short names used in default aliases ("mean_quantity").
AGG_ALIAS = {
    "count": "count", "count_distinct": "distinct", "sum": "sum", "mean": "mean", "median": "median", "min": "min",
    "max": "max", "std": "std", "var": "var", "quantile": "q", "corr": "corr",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ColumnRef(_Model):
    type: Literal["column"] = "column"
    name: str


class Value(_Model):
    type: Literal["value"] = "value"
    #: ``None`` is SQL NULL; a default, so that ``Plan.to_json`` (which leaves out None) round-trips.
    value: Scalar | None = None


class Arithmetic(_Model):
    """``left op right``; division by zero gives NULL, never an error or infinity."""

    type: Literal["arith"] = "arith"
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


Expr = Annotated[Union[ColumnRef, Value, Arithmetic], Field(discriminator="type")]
Arithmetic.model_rebuild()


class Measure(_Model):
    """An aggregate of a column or an expression: ``mean(quantity)``, ``sum(price * quantity)``, ``count(*)``."""

    agg: Aggregate
    column: str | None = None
    expr: Expr | None = None
    #: Second column of two-argument aggregates (``corr``).
    other: str | None = None
    #: Quantile in (0, 1) for ``agg="quantile"``.
    q: float | None = Field(default=None, gt=0, lt=1)
    #: Divide by the total over all groups (shares and percentages of total).
    of_total: bool = False
    #: Aggregate only the rows meeting all these conditions (a filtered aggregate: "China's gold" beside
    #: "Japan's gold" in one query); the plan's own filters still apply first.
    where: list[Filter] = Field(default_factory=list)
    alias: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Measure:
        if self.column is not None and self.expr is not None:
            raise ValueError("a measure takes either column or expr, not both")
        if self.agg in _AGG_NEEDS_COLUMN and self.column is None and self.expr is None:
            raise ValueError(f"the {self.agg} aggregate needs a column or an expression")
        if self.agg == "corr" and self.other is None:
            raise ValueError("corr needs a second column in 'other'")
        if self.agg != "corr" and self.other is not None:
            raise ValueError("only corr takes a second column")
        if self.agg == "quantile" and self.q is None:
            raise ValueError("quantile needs q, a number between 0 and 1")
        if self.agg != "quantile" and self.q is not None:
            raise ValueError("only the quantile aggregate takes q")
        return self

    @property
    def name(self) -> str:
        """The output column name: ``alias`` or e.g. ``mean_quantity``, ``q25_price``, ``corr_price_quantity``."""
        if self.alias:
            return self.alias
        prefix = AGG_ALIAS[self.agg]
        if self.agg == "quantile":
            prefix = f"q{round(self.q * 100):02d}" if self.q is not None else prefix
        if self.column is None and self.expr is None:
            base = prefix
        else:
            subject = self.column if self.column is not None else "expr"
            base = f"{prefix}_{subject}" + (f"_{self.other}" if self.other else "")
        return f"share_{base}" if self.of_total else base


class Bucket(_Model):
    """Derived tiers of a numeric column.

    ``method="cuts"``: ascending boundaries; a value below ``cuts[0]`` is in the first tier, a value in
    ``[cuts[i-1], cuts[i])`` in tier i, the rest in the last tier ("低于100为低档, 100到200为中档…").
    ``method="quantiles"``: ``n`` tiers by quantiles; a value at or below the k-th n-tile is in tier k
    (so ties never straddle tiers). ``distinct=True`` computes the quantiles over distinct values (one per
    product price rather than one per order).
    """

    method: Literal["cuts", "quantiles"]
    cuts: list[float] | None = None
    n: int | None = Field(default=None, ge=2, le=100)
    labels: list[str] | None = None
    distinct: bool = False

    @model_validator(mode="after")
    def _check(self) -> Bucket:
        if self.method == "cuts":
            if not self.cuts:
                raise ValueError("cut-point tiers need at least one value in cuts")
            if not all(math.isfinite(c) for c in self.cuts):
                raise ValueError("cuts must be finite numbers")
            if any(b <= a for a, b in zip(self.cuts, self.cuts[1:])):
                raise ValueError("cuts must be strictly increasing")
            if self.n is not None:
                raise ValueError("n is for quantile tiers; cut-point tiers use cuts")
        else:
            if self.n is None:
                raise ValueError("quantile tiers need n, the number of tiers")
            if self.cuts is not None:
                raise ValueError("cuts are for cut-point tiers; quantile tiers use n")
        if self.labels is not None and len(self.labels) != self.size:
            raise ValueError(f"{self.size} tiers need {self.size} labels, got {len(self.labels)}")
        if self.labels is not None and len(set(self.labels)) != len(self.labels):
            raise ValueError("tier labels must differ, or two tiers would be counted as one")
        return self

    @property
    def size(self) -> int:
        return len(self.cuts) + 1 if self.method == "cuts" and self.cuts else int(self.n or 0)


class Dimension(_Model):
    """A grouping key: a column, a column truncated to a time grain, or a bucket of a numeric column."""

    column: str
    grain: Grain | None = None
    bucket: Bucket | None = None
    alias: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Dimension:
        if self.grain is not None and self.bucket is not None:
            raise ValueError("a dimension takes a time grain or a bucket, not both")
        return self

    @property
    def name(self) -> str:
        if self.alias:
            return self.alias
        if self.grain:
            return f"{self.column}_{self.grain}"
        if self.bucket:
            return f"{self.column}_tier"
        return self.column


class Filter(_Model):
    """A row condition. ``value`` for comparisons, ``values`` for in/not_in and [low, high] for between."""

    column: str
    op: Operator
    value: Scalar | None = None
    values: list[Scalar] | None = None
    #: Compare the number a text cell holds rather than its text: the number it starts with ("5th" → 5,
    #: "20+1" → 20, "$40,000" → 40000) or, for a duration ("1:55.3", "2:10:23"), its length in seconds
    #: (minutes:seconds, or hours:minutes:seconds with three parts). Cells without a number match no
    #: comparison. The values must be numbers; on a number column the flag changes nothing.
    number: bool = False
    #: Compare the year a text cell mentions, its first four-digit year from 1000 to 2099 ("October 1, 1969" →
    #: 1969, "19.10.1912 at 15:00" → 1912), for dates kept as text. Cells without a year match no comparison.
    #: The values must be numbers (years); on a number column the flag changes nothing.
    year: bool = False

    @model_validator(mode="after")
    def _check(self) -> Filter:
        if self.year and self.number:
            raise ValueError("a filter compares either the number (number=true) or the year (year=true) in a "
                             "cell, not both")
        if self.number or self.year:
            flag = "number=true" if self.number else "year=true"
            if self.op not in _NUMBER_OPS:
                raise ValueError(f"{flag} compares numbers; it does not apply to {self.op!r}")
            operands = self.values if self.values is not None else [self.value]
            if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in operands):
                raise ValueError("number=true compares the number in a cell with numbers; give numbers, "
                                 "e.g. 121 for 2:01 (seconds)" if self.number else
                                 "year=true compares the year in a cell with years; give numbers, e.g. 1970")
        if self.op in ("in", "not_in"):
            if not self.values:
                raise ValueError(f"{self.op} needs a non-empty list in values")
        elif self.op == "between":
            if not self.values or len(self.values) != 2:
                raise ValueError("between needs values=[low, high]")
        elif self.op in ("is_null", "not_null"):
            if self.value is not None or self.values is not None:
                raise ValueError(f"{self.op} takes no value")
        elif self.value is None:
            raise ValueError(f"the {self.op!r} filter needs a value")
        # Never silently drop half of what was asked.
        if self.op in ("in", "not_in", "between") and self.value is not None:
            raise ValueError(f"{self.op} takes its operands in values, not value")
        if self.op not in ("in", "not_in", "between") and self.values is not None:
            raise ValueError(f"the {self.op!r} filter takes one value, not values")
        return self


Measure.model_rebuild()


class RowAnchor(_Model):
    """A row placed by its position next to another one, in the table's order.

    ``offset=1`` keeps the row right after the first row that meets all of ``where`` ("the nation after
    Japan"), ``offset=-1`` the row right before it; no row is kept when there is none there.
    """

    where: list[Filter] = Field(min_length=1)
    offset: int = Field(ge=-1000, le=1000)

    @model_validator(mode="after")
    def _check(self) -> RowAnchor:
        if self.offset == 0:
            raise ValueError("offset 0 is the anchor row itself; put its conditions in the plan's filters")
        return self


class Verdict(_Model):
    """A word the query picks by comparing two numbers: ``then`` when ``left op right`` holds, ``otherwise``
    when it does not, NULL when either side is missing ("yes"/"no" for "did China win more gold than Japan?",
    "more"/"less" for "more or less than 5?"). Used as a calculation's whole expression."""

    type: Literal["verdict"] = "verdict"
    left: Expr
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    right: Expr
    then: str = Field(min_length=1)
    otherwise: str = Field(min_length=1)


class Calculation(_Model):
    """A number computed from the plan's measures after aggregation, e.g. ``gold_china - gold_japan``, or a
    word chosen by comparing them (:class:`Verdict`).

    ``expr`` names measures by their output names (a :class:`ColumnRef` here means a measure, not a
    column); ``absolute`` takes the absolute value ("the difference between A and B", whichever is larger).
    """

    name: str = Field(min_length=1)
    expr: Annotated[Union[ColumnRef, Value, Arithmetic, Verdict], Field(discriminator="type")]
    absolute: bool = False

    @model_validator(mode="after")
    def _check(self) -> Calculation:
        if self.absolute and isinstance(self.expr, Verdict):
            raise ValueError("a verdict is a word; absolute applies to numbers")
        return self

    def refs(self) -> list[str]:
        """The measure names ``expr`` uses."""
        out: list[str] = []
        stack: list[Expr | Verdict] = [self.expr]
        while stack:
            node = stack.pop()
            if isinstance(node, ColumnRef):
                out.append(node.name)
            elif isinstance(node, (Arithmetic, Verdict)):
                stack += [node.right, node.left]
        return out


class SameAs(_Model):
    """Rows that share a value with other rows: keep the rows whose ``column`` holds a value the column has in
    a row meeting all of ``where`` ("the nations with as many gold medals as Belarus": Gold in Belarus's
    Gold). The rows meeting ``where`` themselves are left out unless ``include``."""

    column: str
    where: list[Filter] = Field(min_length=1)
    include: bool = False


class Order(_Model):
    """Sort by an output name (a measure's or dimension's name) or, for lookups, a column."""

    by: str
    desc: bool = False
    #: Lookups only: sort a text column by the number its cells start with ("16th", "1,766.2 feet", "$40,000"),
    #: then by the text itself ("1:55:58" before "1:57:37"); cells without a number sort last.
    number: bool = False


class Plan(_Model):
    """One analysis over one table. See the module docstring for an example."""

    version: Literal[1] = 1
    kind: AnalysisKind
    table: str
    #: Plain columns to show row by row (lookups); empty for aggregations.
    select: list[str] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(default_factory=list)
    filters: list[Filter] = Field(default_factory=list)
    #: Conditions on measures or calculations (by name), applied after grouping.
    having: list[Filter] = Field(default_factory=list)
    order: list[Order] = Field(default_factory=list)
    limit: int | None = Field(default=None, ge=1)
    #: Language of generated labels (tier names) and of the answer.
    language: Literal["zh", "en"] = "en"
    #: Keep only the row next to an anchor row, in the table's order (selecting plans only).
    anchor: RowAnchor | None = None
    #: Numbers computed from the measures, output right after the dimensions (first when there are none).
    calculations: list[Calculation] = Field(default_factory=list)
    #: Keep only the rows sharing a column's value with other rows (:class:`SameAs`).
    same: SameAs | None = None

    @model_validator(mode="after")
    def _check(self) -> Plan:
        if self.select and (self.measures or self.dimensions):
            raise ValueError("a plan either selects rows (select) or aggregates (measures/dimensions), not both")
        if not self.select and not self.measures:
            raise ValueError("a plan needs columns to select or measures to compute")
        if self.having and not self.measures:
            raise ValueError("having filters groups by a measure; a plan without measures uses filters")
        if self.anchor is not None and not self.select:
            raise ValueError("an anchor picks a row next to another; it needs columns to select")
        if any(o.number for o in self.order) and not self.select:
            raise ValueError("ordering by the number in a text column (number=true) is for plans that select rows")
        if self.calculations and not self.measures:
            raise ValueError("calculations combine measures; a plan without measures has nothing to compute from")
        measure_names = {m.name for m in self.measures}
        for calc in self.calculations:
            unknown = [r for r in calc.refs() if r not in measure_names]
            if unknown:
                raise ValueError(f"calculation {calc.name!r} names {', '.join(map(repr, unknown))}, which is not a "
                                 f"measure of this plan (measures: {', '.join(sorted(measure_names))})")
        names = [m.name for m in self.measures] + [d.name for d in self.dimensions]
        names += [c.name for c in self.calculations]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"output names must be unique; give aliases to: {', '.join(duplicates)}")
        return self

    def to_json(self, **kwargs: object) -> str:
        return self.model_dump_json(exclude_none=True, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        return cls.model_validate_json(text)
