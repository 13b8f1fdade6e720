"""Turn what the user hands ``shuxi.open`` (a path, glob, folder or frame) into a :class:`Source`."""

from __future__ import annotations

import csv
import glob as globlib
import io
import os
import re
from collections import Counter
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
#: Delimiters tried when none is given, in order of preference on a tie.
DELIMITERS = (",", "\t", ";", "|")
#: Rows checked for a consistent number of fields: as many as DuckDB's sniffer reads, so a ragged row it
#: would silently absorb (by reading each line as one column) is reported instead, with its line number.
SCAN_ROWS = 20_480
SCAN_CHARS = 32 << 20
#: Table names that are SQL keywords get a prefix, so "order.csv" can be queried as t_order.
_KEYWORDS = {
    "all", "and", "any", "as", "asc", "between", "by", "case", "create", "cross", "delete", "desc", "distinct", "drop",
    "else", "end", "except", "exists", "false", "from", "full", "group", "having", "in", "inner", "insert", "intersect",
    "into", "is", "join", "left", "like", "limit", "not", "null", "offset", "on", "or", "order", "outer", "over",
    "right", "select", "set", "table", "then", "true", "union", "update", "using", "values", "when", "where", "window",
    "with",
}
_NUMBER_LIKE = re.compile(r"^[-+]?[\d.,%]+$")


def table_name_for(origin: str) -> str:
    """The table name SQL uses for a source: its stem made a valid identifier ("2024 销售.csv" → "t_2024_销售")."""
    path = Path(origin.rstrip("/\\"))
    stem = path.name
    while _GLOB_CHARS.search(stem) and path.parent != path and not path.exists():
        path = path.parent
        stem = path.name
    for suffix in (*SUPPORTED, ".gz", ".zst"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = stem.split(".")[0] if "." in stem else stem
    name = re.sub(r"\W+", "_", stem, flags=re.UNICODE).strip("_").lower()
    if not name:
        return "data"
    if name[0].isdigit() or name in _KEYWORDS:
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
    rename_duplicates: bool = False,
) -> Source:
    """Resolve ``data`` to a Source; raises :class:`DataError` with a fix for anything unreadable.

    A header that repeats a column name is refused unless ``rename_duplicates`` is set: then the second
    ``Score`` becomes ``Score_1`` (see :func:`unique_column_names`).
    """
    if isinstance(data, os.PathLike):
        data = os.fspath(data)
    if not isinstance(data, str):
        from shuxi.data.frames import frame_to_arrow

        return Source(kind="arrow", origin=type(data).__name__,
                      table=frame_to_arrow(data, rename_duplicates=rename_duplicates))
    origin = data
    if not data.strip():
        raise DataError("No data was given: the path is empty.", hint="Pass a file, folder or glob such as data/*.parquet.")
    # A name that exists is a file or folder even when it contains glob characters ("report[2024].csv").
    literal = os.path.exists(os.path.expanduser(data))
    if not literal and (_GLOB_CHARS.search(os.path.basename(data)) or _GLOB_CHARS.search(os.path.dirname(data))):
        matches = sorted(p for p in globlib.glob(os.path.expanduser(data), recursive=True) if os.path.isfile(p))
        if not matches:
            raise DataError(f"The pattern {origin!r} matches no files.", path=origin,
                            hint="Check the folder and the pattern (for example data/*.parquet).")
        return _files_source(origin, [Path(p) for p in matches], sheet, encoding, delimiter, header, cache_dir,
                             rename_duplicates)
    path = Path(os.path.expanduser(data))
    if not path.exists():
        raise DataError(f"{origin} does not exist.", path=origin,
                        hint=f"Check the path; the current folder is {os.getcwd()}.")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET_SUFFIXES)
        if not files:
            others = sorted(p.name for p in path.iterdir())[:5]
            suffixes = sorted({p.suffix.lower() for p in path.iterdir() if p.suffix.lower() in SUPPORTED})
            hint = "A folder is read as a Parquet data set (files ending in .parquet, in any sub-folder)."
            if suffixes:
                hint += f" To open its {suffixes[0]} files, pass a glob such as {os.path.join(origin, '*' + suffixes[0])}."
            hint += f" It contains: {', '.join(others)}." if others else " It is empty."
            raise DataError(f"The folder {origin} holds no Parquet files.", path=origin, hint=hint)
        hive = any("=" in part for p in files for part in p.relative_to(path).parts[:-1])
        return Source(kind="parquet", origin=origin, paths=tuple(str(p.resolve()) for p in files), hive_partitioning=hive)
    return _files_source(origin, [path], sheet, encoding, delimiter, header, cache_dir, rename_duplicates)


def _files_source(
    origin: str,
    files: list[Path],
    sheet: str | int | None,
    encoding: str | None,
    delimiter: str | None,
    header: bool | None,
    cache_dir: Path,
    rename_duplicates: bool,
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

        return Source(kind="arrow", origin=origin, table=read_excel(files[0], sheet=sheet,
                                                                  rename_duplicates=rename_duplicates))
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
        for utf8_path, original_path in zip(paths, files, strict=True):
            sep = scan_csv(Path(utf8_path), str(original_path), delimiter=sep, header=header,
                           rename_duplicates=rename_duplicates)
        return Source(kind="csv", origin=origin, paths=tuple(paths), delimiter=sep, header=header, encoding=original)
    raise DataError(f"{origin} has an extension shuxi does not read ({suffix or 'none'}).", path=origin,
                    hint="Supported: " + ", ".join(SUPPORTED) + ", a folder of Parquet files, or a glob.")


def scan_csv(path: Path, origin: str, *, delimiter: str | None, header: bool | None,
             rename_duplicates: bool = False) -> str | None:
    """Check the first rows of the UTF-8 CSV at ``path`` and return its delimiter (None: one column).

    Raises :class:`DataError` when the file holds only blank lines, when a row has more or fewer fields
    than the others (naming its line), or when the header repeats a column name (unless
    ``rename_duplicates``: DuckDB then renames the repeated column to ``name_1``, as
    :func:`unique_column_names` does for other sources).
    """
    parts: list[str] = []
    lines = size = 0
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        while (part := handle.read(1 << 20)) and lines <= SCAN_ROWS and size < SCAN_CHARS:
            parts.append(part)
            lines += part.count("\n")
            size += len(part)
        complete = not part
    text = "".join(parts)
    if not complete:
        text = text[: text.rfind("\n") + 1] or text
    if not text.strip():
        raise DataError(f"{origin} holds no data, only blank lines.", path=origin,
                        hint="Export the data again; the file has no header and no rows.")
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
        if delimiter is None:
            return None
    rows = _read_rows(text, delimiter, complete, escaped=False)
    width = _table_width(rows)
    ragged = _first_ragged(rows, width)
    if ragged is not None and _first_ragged(_read_rows(text, delimiter, complete, escaped=True), width) is not None:
        line, fields = ragged
        shown = "a tab" if delimiter == "\t" else repr(delimiter)
        raise DataError(f"{origin}: line {line} has {fields} fields, but the rows before it have {width} "
                        f"(fields separated by {shown}).", path=origin,
                        hint="Fix that line (a missing or extra separator, or an unclosed quote), or pass "
                        "delimiter=… if the fields are separated by another character.")
    if header is not False and not rename_duplicates:
        _check_header(origin, next((r for _, r in rows if len(r) == width), []))
    return delimiter


def _sniff_delimiter(text: str) -> str | None:
    """The candidate delimiter that splits the most of the first lines into the same number (> 1) of fields."""
    head = text[: 1 << 16]
    head = head[: head.rfind("\n") + 1] or head
    best, best_score = None, 0
    for candidate in DELIMITERS:
        rows: list[list[str]] = []
        try:
            for row in csv.reader(io.StringIO(head), delimiter=candidate):
                if row:
                    rows.append(row)
                if len(rows) >= 50:
                    break
        except csv.Error:
            pass  # a field over the csv module's size limit: judge on the rows before it
        counts = Counter(len(r) for r in rows)
        width, score = counts.most_common(1)[0] if counts else (0, 0)
        if width > 1 and score > best_score:
            best, best_score = candidate, score
    return best


def _read_rows(text: str, delimiter: str, complete: bool, *, escaped: bool) -> list[tuple[int, list[str]]]:
    """Up to SCAN_ROWS non-blank rows with the line each ends on (a row cut off by SCAN_CHARS is dropped)."""
    options = {"escapechar": "\\", "doublequote": False} if escaped else {}
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, **options)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if row:
                rows.append((reader.line_num, row))
            if len(rows) > SCAN_ROWS:
                break
    except csv.Error:
        pass  # a malformed quote: DuckDB reports it with its own line number
    if not complete and rows:
        rows.pop()
    return rows[:SCAN_ROWS]


def _table_width(rows: list[tuple[int, list[str]]]) -> int:
    counts = Counter(len(r) for _, r in rows)
    return counts.most_common(1)[0][0] if counts else 0


def _first_ragged(rows: list[tuple[int, list[str]]], width: int) -> tuple[int, int] | None:
    """(line, fields) of the first row after the table starts whose width differs from the table's.

    Rows before the first full-width row are a preamble (a title line above the header), which DuckDB skips.
    """
    started = False
    for line, row in rows:
        if len(row) == width:
            started = True
        elif started:
            return line, len(row)
    return None


def _check_header(origin: str, names: list[str]) -> None:
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        key = name.strip().lower()
        if key:
            seen.setdefault(key, []).append(i + 1)
    repeated = {k: v for k, v in seen.items() if len(v) > 1 and not _NUMBER_LIKE.match(k)}
    if repeated:
        listed = "; ".join(f"{names[v[0] - 1].strip()!r} (columns {', '.join(map(str, v))})" for k, v in repeated.items())
        raise DataError(f"{origin} repeats column names: {listed}.", path=origin,
                        hint="Rename the columns so each name is used once (names are compared ignoring case), "
                        'pass duplicate_columns="rename" (on the command line --rename-duplicates) to number the '
                        "repeats (Score, Score_1), "
                        "or pass header=False if the first line is data.")


def unique_column_names(names: list[str]) -> list[str]:
    """``names`` with repeats numbered as DuckDB's CSV reader numbers them: Score, Score_1, score_2.

    Names are compared ignoring case (SQL identifiers are); a number already taken is skipped.
    """
    taken = {n.lower() for n in names}
    counts: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        key = name.lower()
        if key not in counts:
            counts[key] = 0
            out.append(name)
            continue
        candidate = name
        while candidate.lower() in taken:
            counts[key] += 1
            candidate = f"{name}_{counts[key]}"
        taken.add(candidate.lower())
        out.append(candidate)
    return out
