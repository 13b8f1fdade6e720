"""Excel workbooks (.xlsx) read with openpyxl in read-only mode into an Arrow table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa

from shuxi.errors import DataError


def read_excel(path: Path, *, sheet: str | int | None = None) -> pa.Table:
    """The first sheet (or ``sheet`` by name or 0-based index) as an Arrow table; row 1 is the header."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise DataError(f"{path} is not a readable .xlsx workbook ({error}).", path=str(path),
                        hint="Open and re-save it in Excel or LibreOffice, or export the sheet as CSV.") from None
    try:
        names = book.sheetnames
        if not names:
            raise DataError(f"{path} has no sheets.", path=str(path))
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise DataError(f"{path} has {len(names)} sheet(s); there is no sheet number {sheet}.", path=str(path),
                                hint="Sheets: " + ", ".join(map(repr, names)) + " (numbered from 0).")
            chosen = names[sheet]
        elif sheet in names:
            chosen = sheet
        else:
            raise DataError(f"{path} has no sheet named {sheet!r}.", path=str(path),
                            hint="Sheets: " + ", ".join(map(repr, names)) + ".")
        rows = book[chosen].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(v is None for v in header):
            raise DataError(f"Sheet {chosen!r} of {path} is empty.", path=str(path))
        width = max(i for i, v in enumerate(header) if v is not None) + 1
        columns = [str(v).strip() if v is not None else f"column{i + 1}" for i, v in enumerate(header[:width])]
        duplicates = sorted({c for c in columns if columns.count(c) > 1})
        if duplicates:
            raise DataError(f"Sheet {chosen!r} of {path} repeats column names: {', '.join(map(repr, duplicates))}.",
                            path=str(path), hint="Rename the columns so each name is used once.")
        data: list[list[Any]] = [[] for _ in columns]
        for row in rows:
            if row is None or all(v is None for v in row[:width]):
                continue
            for i in range(width):
                data[i].append(row[i] if i < len(row) else None)
    finally:
        book.close()
    return pa.table({name: _column(values) for name, values in zip(columns, data, strict=True)})


def _column(values: list[Any]) -> pa.Array:
    """An Arrow array of one type: mixed cells (numbers and text in one column) become text."""
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if kinds <= {int, bool} and kinds != {int, bool}:
        return pa.array(values)
    if kinds <= {int, float}:
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    if kinds <= {dt.datetime}:
        return pa.array(values, pa.timestamp("us"))
    if kinds <= {dt.date}:
        return pa.array(values, pa.date32())
    return pa.array([None if v is None else _text(v) for v in values], pa.string())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
