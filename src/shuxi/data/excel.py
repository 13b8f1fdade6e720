"""Excel workbooks (.xlsx) read with openpyxl in read-only mode into an Arrow table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa

from shuxi.errors import DataError


def read_excel(path: Path, *, sheet: str | int | None = None, rename_duplicates: bool = False) -> pa.Table:
    """The first sheet (or ``sheet`` by name or 0-based index) as an Arrow table.

    A repeated column name is refused, or numbered (Score, Score_1) with ``rename_duplicates``.

    The first non-blank row is the header. A header with no rows below it gives an empty table.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl errors alike: the file is not a workbook we can read
        raise DataError(f"{path} is not a readable .xlsx workbook ({type(error).__name__}: {error}).", path=str(path),
                        hint="Open and re-save it in Excel or LibreOffice (remove any password), or export the sheet as CSV.") from None
    try:
        return _read_sheet(book, path, sheet, rename_duplicates)
    except DataError:
        raise
    except Exception as error:  # a damaged sheet part, found only while reading its rows
        raise DataError(f"{path} could not be read ({type(error).__name__}: {error}).", path=str(path),
                        hint="Open and re-save it in Excel or LibreOffice, or export the sheet as CSV.") from None
    finally:
        book.close()


def _read_sheet(book: Any, path: Path, sheet: str | int | None, rename_duplicates: bool) -> pa.Table:
    # Chart sheets hold no cells; only worksheets can be read as tables.
    names = [ws.title for ws in book.worksheets]
    if not names:
        raise DataError(f"{path} has no worksheets" + (" (only chart sheets)." if book.sheetnames else "."), path=str(path),
                        hint="Open it in Excel or LibreOffice and check that it holds a sheet with data.")
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
    worksheet = book[chosen]
    # Some writers store a wrong sheet size; without it openpyxl reads every row there is.
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    while header is not None and all(v is None or str(v).strip() == "" for v in header):
        header = next(rows, None)  # blank rows above the header
    if header is None:
        others = [n for n in names if n != chosen]
        raise DataError(f"Sheet {chosen!r} of {path} is empty.", path=str(path),
                        hint=f"Pass sheet=… to read another sheet ({', '.join(map(repr, others))})." if others
                        else "Check that the data was saved in this workbook.")
    width = max(i for i, v in enumerate(header) if v is not None and str(v).strip() != "") + 1
    columns = [str(v).strip() if v is not None and str(v).strip() else f"column{i + 1}" for i, v in enumerate(header[:width])]
    seen: dict[str, int] = {}
    for c in columns:
        seen[c.lower()] = seen.get(c.lower(), 0) + 1
    duplicates = sorted({c for c in columns if seen[c.lower()] > 1})
    if duplicates and rename_duplicates:
        from shuxi.data.opening import unique_column_names

        columns, duplicates = unique_column_names(columns), []
    if duplicates:
        raise DataError(f"Sheet {chosen!r} of {path} repeats column names: {', '.join(map(repr, duplicates))}.",
                        path=str(path), hint="Rename the columns so each name is used once (names are compared ignoring case), "
                        'or pass duplicate_columns="rename" to number the repeats (Score, Score_1).')
    data: list[list[Any]] = [[] for _ in columns]
    for row in rows:
        if row is None or all(v is None for v in row[:width]):
            continue
        for i in range(width):
            data[i].append(row[i] if i < len(row) else None)
    return pa.table({name: _column(values) for name, values in zip(columns, data, strict=True)})


def _column(values: list[Any]) -> pa.Array:
    """An Arrow array of one type: mixed cells (numbers and text in one column) become text."""
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if not kinds:
        return pa.array(values, pa.string())  # an empty column: text, the type that holds anything later
    if kinds <= {int, bool} and kinds != {int, bool}:
        return pa.array(values)
    if kinds <= {int, float}:
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    if kinds <= {dt.datetime, dt.date} and dt.datetime in kinds:
        return pa.array([v if v is None or isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time()) for v in values],
                        pa.timestamp("us"))
    if kinds <= {dt.date}:
        return pa.array(values, pa.date32())
    return pa.array([None if v is None else _text(v) for v in values], pa.string())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
