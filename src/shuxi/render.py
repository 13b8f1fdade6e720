"""Showing result tables to people (rich) and to programs (JSON, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
from typing import Any

import pyarrow as pa

from shuxi.engines.base import is_truncated


def json_value(value: Any) -> Any:
    """A JSON-friendly version of one cell (dates as ISO text, NaN/inf as None, Decimal as float)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


def table_to_json(table: pa.Table, **extra: Any) -> str:
    rows = [[json_value(v) for v in row.values()] for row in table.to_pylist()]
    payload = {**extra, "columns": table.column_names, "rows": rows, "truncated": is_truncated(table)}
    return json.dumps(payload, ensure_ascii=False, indent=2)


def table_to_csv(table: pa.Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow(["" if v is None else json_value(v) for v in row.values()])
    return out.getvalue()


def format_cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.0f}"
        return f"{value:,.4g}" if abs(value) >= 1e6 else f"{value:.6g}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def rich_table(table: pa.Table, *, title: str | None = None) -> Any:
    from rich.table import Table

    out = Table(title=title, show_lines=False)
    for field in table.schema:
        numeric = pa.types.is_integer(field.type) or pa.types.is_floating(field.type) or pa.types.is_decimal(field.type)
        out.add_column(field.name, justify="right" if numeric else "left", overflow="fold")
    for row in table.to_pylist():
        out.add_row(*[format_cell(v) for v in row.values()])
    if is_truncated(table):
        out.caption = f"first {table.num_rows:,} rows shown (row limit)"
    return out
