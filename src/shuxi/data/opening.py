"""Turn what the user hands ``shuxi.open`` (a path, glob, folder or frame) into a :class:`Source`."""

from __future__ import annotations

import glob as globlib
import os
import re
from pathlib import Path
from typing import Any

from shuxi.data.source import Source
from shuxi.errors import DataError

CSV_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t", ".txt": None}
JSON_SUFFIXES = {".json": None, ".jsonl": "newline_delimited", ".ndjson": "newline_delimited"}
PARQUET_SUFFIXES = {".parquet", ".parq", ".pq"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SUPPORTED = sorted({*CSV_SUFFIXES, *JSON_SUFFIXES, *PARQUET_SUFFIXES, *EXCEL_SUFFIXES})
_GLOB_CHARS = re.compile(r"[*?\[]")


def table_name_for(origin: str) -> str:
    """The table name SQL uses for a source: its stem made a valid identifier ("2024 销售.csv" → "t_2024_销售")."""
    path = Path(origin.rstrip("/\\"))
    stem = path.name
    while _GLOB_CHARS.search(stem) and path.parent != path:
        path = path.parent
        stem = path.name
    for suffix in (*SUPPORTED, ".gz", ".zst"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = stem.split(".")[0] if "." in stem else stem
    name = re.sub(r"\W+", "_", stem, flags=re.UNICODE).strip("_").lower()
    if not name:
        return "data"
    if name[0].isdigit():
        name = "t_" + name
    return name


def resolve_source(
    data: Any,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    cache_dir: Path,
) -> Source:
    """Resolve ``data`` to a Source; raises :class:`DataError` with a fix for anything unreadable."""
    if isinstance(data, os.PathLike):
        data = os.fspath(data)
    if not isinstance(data, str):
        from shuxi.data.frames import frame_to_arrow

        return Source(kind="arrow", origin=type(data).__name__, table=frame_to_arrow(data))
    origin = data
    if not data.strip():
        raise DataError("No data was given: the path is empty.", hint="Pass a file, folder or glob such as data/*.parquet.")
    if _GLOB_CHARS.search(os.path.basename(data)) or _GLOB_CHARS.search(os.path.dirname(data)):
        matches = sorted(p for p in globlib.glob(os.path.expanduser(data), recursive=True) if os.path.isfile(p))
        if not matches:
            raise DataError(f"The pattern {origin!r} matches no files.", path=origin,
                            hint="Check the folder and the pattern (for example data/*.parquet).")
        return _files_source(origin, [Path(p) for p in matches], sheet, encoding, delimiter, header, cache_dir)
    path = Path(os.path.expanduser(data))
    if not path.exists():
        raise DataError(f"{origin} does not exist.", path=origin,
                        hint=f"Check the path; the current folder is {os.getcwd()}.")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET_SUFFIXES)
        if not files:
            others = sorted(p.name for p in path.iterdir())[:5]
            raise DataError(f"The folder {origin} holds no Parquet files.", path=origin,
                            hint="A folder is read as a Parquet data set (files ending in .parquet, in any sub-folder)."
                            + (f" It contains: {', '.join(others)}." if others else " It is empty."))
        hive = any("=" in part for p in files for part in p.relative_to(path).parts[:-1])
        return Source(kind="parquet", origin=origin, paths=tuple(str(p.resolve()) for p in files), hive_partitioning=hive)
    return _files_source(origin, [path], sheet, encoding, delimiter, header, cache_dir)


def _files_source(
    origin: str,
    files: list[Path],
    sheet: str | int | None,
    encoding: str | None,
    delimiter: str | None,
    header: bool | None,
    cache_dir: Path,
) -> Source:
    suffixes = {p.suffix.lower() for p in files}
    if len(suffixes) > 1:
        raise DataError(f"{origin} mixes file types ({', '.join(sorted(suffixes))}).", path=origin,
                        hint="Open files of one format at a time.")
    suffix = suffixes.pop()
    for p in files:
        if not os.access(p, os.R_OK):
            raise DataError(f"{p} cannot be read (permission denied).", path=str(p))
        if p.stat().st_size == 0:
            raise DataError(f"{p} is empty.", path=str(p), hint="Export the data again; the file has no bytes at all.")
    if suffix in PARQUET_SUFFIXES:
        return Source(kind="parquet", origin=origin, paths=tuple(str(p.resolve()) for p in files))
    if suffix in EXCEL_SUFFIXES:
        if len(files) > 1:
            raise DataError(f"{origin} matches several Excel files.", path=origin, hint="Open one workbook at a time.")
        from shuxi.data.excel import read_excel

        return Source(kind="arrow", origin=origin, table=read_excel(files[0], sheet=sheet))
    if suffix == ".xls":
        raise DataError(f"{origin} is an old-style .xls workbook.", path=origin,
                        hint="Save it as .xlsx (or export CSV) from Excel or LibreOffice and open that.")
    if suffix in CSV_SUFFIXES or suffix in JSON_SUFFIXES:
        from shuxi.data.encoding import ensure_utf8

        paths: list[str] = []
        detected: set[str] = set()
        for p in files:
            utf8_path, found = ensure_utf8(p, encoding=encoding, cache_dir=cache_dir)
            paths.append(str(utf8_path))
            if found:
                detected.add(found)
        original = ", ".join(sorted(detected)) or None
        if suffix in JSON_SUFFIXES:
            return Source(kind="json", origin=origin, paths=tuple(paths), json_format=JSON_SUFFIXES[suffix], encoding=original)
        sep = delimiter if delimiter is not None else CSV_SUFFIXES[suffix]
        return Source(kind="csv", origin=origin, paths=tuple(paths), delimiter=sep, header=header, encoding=original)
    raise DataError(f"{origin} has an extension shuxi does not read ({suffix or 'none'}).", path=origin,
                    hint="Supported: " + ", ".join(SUPPORTED) + ", a folder of Parquet files, or a glob.")
