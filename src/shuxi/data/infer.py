"""Type inference for text columns: numbers with units, percentages, dates, booleans.

(Placeholder: the full inference lands next; this version converts nothing.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlglot import exp

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.engines.base import Engine


@dataclass(frozen=True)
class Conversion:
    """How one text column becomes typed in the dataset's view."""

    column: str
    #: "integer", "number", "percent", "date", "timestamp" or "boolean".
    kind: str
    #: What was recognised, for people: "thousands separators", "unit 元", "format 2024年1月2日"…
    detail: str
    #: The typed value, an expression over the raw column.
    expression: exp.Expression


def infer_conversions(engine: Engine, raw_table: str, schema: pa.Schema) -> list[Conversion]:
    """The conversions to apply to ``raw_table``'s text columns."""
    return []


def typed_view(raw_table: str, schema: pa.Schema, conversions: list[Conversion]) -> exp.Select:
    """SELECT every column of ``raw_table`` in order, converted columns replaced by their typed value."""
    by_column = {c.column: c for c in conversions}
    projections: list[exp.Expression] = []
    for name in schema.names:
        conversion = by_column.get(name)
        if conversion is None:
            projections.append(exp.column(name, quoted=True))
        else:
            projections.append(exp.alias_(conversion.expression, name, quoted=True))
    return exp.select(*projections).from_(exp.Table(this=exp.to_identifier(raw_table, quoted=True)))
