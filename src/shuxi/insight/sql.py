"""sqlglot building blocks shared by the insight queries: quoted names, and numbers with NaN read as missing.

Names are quoted because they are often Chinese or contain spaces and dots; values are sqlglot literals, never
text pasted into SQL. A float NaN (pandas' "missing") would poison CORR, AVG and MIN/MAX, so every numeric
value the insight layer reads passes through :func:`number` and becomes NULL instead.
"""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp


def column_ref(name: str) -> exp.Column:
    """A quoted column reference."""
    return exp.column(name, quoted=True)


def table_ref(table: str | exp.Expression) -> exp.Expression:
    """A quoted table reference for a registered table name (or the expression itself)."""
    return exp.Table(this=exp.to_identifier(table, quoted=True)) if isinstance(table, str) else table


def number(name: str, kind: pa.DataType | None = None) -> exp.Expression:
    """Column ``name`` as a DOUBLE with NaN turned into NULL (booleans count as 0/1).

    ``kind`` is the column's Arrow type when known: integers and decimals cannot hold NaN and skip the check.
    """
    if kind is not None and pa.types.is_boolean(kind):
        return exp.cast(exp.cast(column_ref(name), exp.DataType.Type.INT), exp.DataType.Type.DOUBLE)
    value = exp.cast(column_ref(name), exp.DataType.Type.DOUBLE)
    if kind is not None and (pa.types.is_integer(kind) or pa.types.is_decimal(kind)):
        return value
    return exp.Case(ifs=[exp.If(this=exp.IsNan(this=value), true=exp.Null())], default=value.copy())


def not_null(expression: exp.Expression) -> exp.Expression:
    """``expression IS NOT NULL``."""
    return exp.Not(this=exp.Is(this=expression.copy(), expression=exp.Null()))
