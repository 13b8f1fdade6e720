"""The embedded default engine: DuckDB, in process, out-of-core, zero set-up.

Text formats (CSV, JSON) are loaded once into DuckDB's own columnar storage, which validates the whole
file at open time and makes every later query fast; DuckDB spills to ``<cache>/spill`` when memory runs
short. Parquet stays where it is and is read through a view. Once the sources are registered the engine
is sealed: no further file or network access, and the configuration is locked so SQL cannot undo it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
from sqlglot import exp

from shuxi.engines.base import mark_truncated
from shuxi.errors import (
    ColumnNotFoundError,
    DataError,
    EncodingError,
    EngineError,
    QueryTimeoutError,
    ShuxiError,
    TableNotFoundError,
)

if TYPE_CHECKING:
    from shuxi.config import Settings
    from shuxi.data.source import Source


def _literal(value: str) -> str:
    return exp.Literal.string(value).sql("duckdb")


def _identifier(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def _path_list(paths: tuple[str, ...]) -> str:
    return "[" + ", ".join(_literal(p) for p in paths) + "]"


log = logging.getLogger(__name__)

#: Parquet footers text_bounds reads at most (a data set of more files is sampled as usual).
MAX_BOUND_FILES = 64
#: Bounds this long (UTF-8 bytes) or longer are not used: a writer may have stored a truncated prefix.
MAX_BOUND_BYTES = 64


class DuckDBEngine:
    """DuckDB implementation of :class:`shuxi.engines.base.Engine`."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._timed_out = False
        self._allowed_paths: list[str] = []
        self._allowed_dirs: list[str] = []
        self._sealed = False
        #: Each registered table's and view's Arrow schema, found once (sources and views do not change).
        self._schemas: dict[str, pa.Schema] = {}
        #: The Parquet files behind each registered Parquet table (for text_bounds).
        self._parquet: dict[str, tuple[str, ...]] = {}
        config: dict[str, str | int | bool] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        if settings.threads:
            config["threads"] = settings.threads
        if settings.memory_limit:
            config["memory_limit"] = settings.memory_limit
        spill = Path(settings.cache_dir) / "spill"
        try:
            spill.mkdir(parents=True, exist_ok=True)
            config["temp_directory"] = str(spill)
        except OSError:
            pass  # DuckDB then keeps everything in memory; not worth failing over.
        try:
            self._conn = duckdb.connect(":memory:", config=config)
            # Every query binds the view over read_parquet, which reads the files' footers again; keep them
            # (DuckDB re-reads a file whose modification time changed). Set after connecting: as a connect
            # option it needs the parquet extension loaded first.
            self._conn.execute("SET parquet_metadata_cache = true")
        except duckdb.Error as error:
            raise EngineError(f"DuckDB could not start: {error}") from None

    # -- registration -------------------------------------------------------------------------

    def register(self, name: str, source: Source) -> None:
        if self._sealed:
            raise EngineError("This engine is sealed: no new sources can be registered.")
        target = _identifier(name)
        self._schemas.pop(name, None)
        if source.kind == "arrow":
            assert source.table is not None
            with self._lock:
                self._conn.register(name, source.table)
            return
        if source.kind == "parquet":
            reader = f"read_parquet({_path_list(source.paths)}, hive_partitioning = {str(source.hive_partitioning).lower()}, union_by_name = true)"
            self._allowed_paths.extend(source.paths)
            self._run_source(source, f"CREATE VIEW {target} AS SELECT * FROM {reader}")
            # Surface a truncated or corrupt file now, not at the first question; its schema is the answer.
            self._schemas[name] = self._schema_of(target, source)
            self._parquet[name] = source.paths
            return
        if source.kind == "csv":
            options = ["auto_detect = true", "strict_mode = true", "max_line_size = 16777216"]
            if source.delimiter is not None:
                options.append(f"delim = {_literal(source.delimiter)}")
            if source.header is not None:
                options.append(f"header = {str(source.header).lower()}")
            reader = f"read_csv({_path_list(source.paths)}, {', '.join(options)})"
            try:
                self._run_source(source, f"CREATE TABLE {target} AS SELECT * FROM {reader}")
            except DataError as error:
                if not _is_type_mismatch(error):
                    raise
                # The sniffer guessed a type from a sample that a later row breaks: read every column
                # as text and let shuxi's own type inference decide on the whole file.
                options.append("all_varchar = true")
                reader = f"read_csv({_path_list(source.paths)}, {', '.join(options)})"
                self._run_source(source, f"CREATE OR REPLACE TABLE {target} AS SELECT * FROM {reader}")
            return
        if source.kind == "json":
            fmt = source.json_format or "auto"
            reader = f"read_json({_path_list(source.paths)}, format = {_literal(fmt)})"
            self._run_source(source, f"CREATE TABLE {target} AS SELECT * FROM {reader}")
            return
        raise EngineError(f"DuckDB cannot read sources of kind {source.kind!r}.")

    def text_bounds(self, name: str) -> dict[str, list[str]]:
        paths = self._parquet.get(name, ())
        if not paths or len(paths) > MAX_BOUND_FILES or self._sealed:
            return {}
        exact = "(min_is_exact IS NOT FALSE AND max_is_exact IS NOT FALSE)"
        sql = ("SELECT path_in_schema AS c, list(DISTINCT v) AS v FROM (SELECT path_in_schema, "
               "unnest([stats_min_value, stats_max_value]) AS v FROM parquet_metadata(" + _path_list(paths) + ") "
               f"WHERE type = 'BYTE_ARRAY' AND stats_min_value IS NOT NULL AND {exact}) "
               f"WHERE strlen(v) < {MAX_BOUND_BYTES} GROUP BY path_in_schema")
        try:
            with self._lock:
                rows = self._conn.sql(sql).fetchall()
        except duckdb.Error as error:  # statistics are a shortcut: without them inference samples the data
            log.debug("no Parquet statistics for %s: %s", name, error)
            return {}
        return {column: [v for v in values if v is not None] for column, values in rows if "." not in column}

    def _schema_of(self, target: str, source: Source | None = None) -> pa.Schema:
        """The Arrow schema of the table or view ``target`` (a quoted identifier), from an empty result."""
        sql = f"SELECT * FROM {target} LIMIT 0"
        try:
            with self._lock:
                return self._conn.sql(sql).to_arrow_table().schema.remove_metadata()
        except duckdb.Error as error:
            raise (_source_error(source, error) if source is not None else _query_error(error, sql)) from None

    def _run_source(self, source: Source, sql: str) -> None:
        try:
            with self._lock:
                self._conn.execute(sql)
        except duckdb.Error as error:
            raise _source_error(source, error) from None

    def create_view(self, name: str, query: exp.Query) -> None:
        self._schemas.pop(name, None)
        sql = f"CREATE OR REPLACE VIEW {_identifier(name)} AS {self.render(query)}"
        with self._lock:
            try:
                self._conn.execute(sql)
            except duckdb.Error as error:
                raise _query_error(error, sql) from None

    def seal(self) -> None:
        if self._sealed:
            return
        with self._lock:
            if self._allowed_paths:
                self._conn.execute(f"SET allowed_paths = {_path_list(tuple(self._allowed_paths))}")
            self._conn.execute("SET enable_external_access = false")
            self._conn.execute("SET lock_configuration = true")
        self._sealed = True

    # -- queries ------------------------------------------------------------------------------

    def render(self, query: exp.Expression, *, pretty: bool = False) -> str:
        from shuxi.plan.dialects import render

        return render(query, self.dialect, pretty=pretty)

    def schema(self, name: str) -> pa.Schema:
        if name not in self._schemas:
            self._schemas[name] = self._schema_of(_identifier(name))
        return self._schemas[name]

    def execute(self, sql: str | exp.Expression, *, limit: int | None = None) -> pa.Table:
        text = sql if isinstance(sql, str) else self.render(sql)
        limit = self.settings.row_limit if limit is None else limit
        timer = None
        with self._lock:
            self._timed_out = False
            if self.settings.timeout:
                timer = threading.Timer(self.settings.timeout, self._on_timeout)
                timer.daemon = True
                timer.start()
            try:
                with self._translated_errors(text):
                    relation = self._conn.sql(text)
                    if relation is None:  # a statement, not a query; the guard never lets one through
                        return pa.table({})
                    table = relation.limit(limit + 1).to_arrow_table()
            finally:
                if timer is not None:
                    timer.cancel()
        if table.num_rows > limit:
            return mark_truncated(table.slice(0, limit))
        return table

    def stream(self, sql: str | exp.Expression, *, batch_rows: int = 122_880) -> Iterator[pa.RecordBatch]:
        text = sql if isinstance(sql, str) else self.render(sql)
        with self._lock:
            self._timed_out = False  # no timer: a stream runs as long as its reader keeps reading
            with self._translated_errors(text):
                yield from self._conn.sql(text).to_arrow_reader(batch_rows)

    @contextmanager
    def _translated_errors(self, text: str) -> Iterator[None]:
        """DuckDB's errors while running ``text`` as shuxi's: a timeout, Ctrl-C, or a query error."""
        try:
            yield
        except (duckdb.InterruptException, RuntimeError) as error:
            if self._timed_out:
                raise QueryTimeoutError(
                    f"The query was stopped after {self.settings.timeout:g} seconds.",
                    hint="Narrow the question, or raise the limit with SHUXI_TIMEOUT.",
                ) from None
            if "interrupt" in str(error).lower():
                # Ctrl-C: DuckDB stopped the query and reports it as an error; give it back as what it is.
                raise KeyboardInterrupt from None
            if isinstance(error, duckdb.Error):
                raise _query_error(error, text) from None
            raise
        except duckdb.Error as error:
            raise _query_error(error, text) from None

    def _on_timeout(self) -> None:
        self._timed_out = True
        self._conn.interrupt()

    def interrupt(self) -> None:
        self._conn.interrupt()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


# -- error translation -------------------------------------------------------------------------

_COLUMN = re.compile(r'Referenced column "?(?P<name>[^"]+?)"? not found(?: in FROM clause)?!?(?:\s*Candidate bindings: (?P<cands>.*))?', re.S)
_TABLE = re.compile(r"Table with name (?P<name>\S+) does not exist")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _is_type_mismatch(error: DataError) -> bool:
    text = str(error)
    return "Could not convert" in text or "Conversion Error" in text or "could not be cast" in text


def _source_error(source: Source, error: duckdb.Error) -> ShuxiError:
    text = str(error)
    where = source.origin
    if "Invalid unicode" in text:
        # The encoding check samples the file; a stray non-UTF-8 byte elsewhere surfaces here.
        return EncodingError(f"{where} is not valid UTF-8 text: {_csv_detail(text)}", path=where,
                             hint="Pass the file's encoding explicitly, e.g. encoding='gb18030' (or --encoding on the command line).")
    if "CSV Error" in text or "CSV" in text and "Error" in text:
        detail = _csv_detail(text)
        return DataError(f"{where} could not be read as {source.kind.upper()}: {detail}", path=where,
                         hint="Check that every row has the same number of fields as the header, or pass delimiter=… / header=….")
    if isinstance(error, (duckdb.IOException, duckdb.InvalidInputException)) and source.kind == "parquet":
        return DataError(f"{where} is not a readable Parquet file ({_first_line(error)}).", path=where,
                         hint="The file may be truncated or still being written; re-export it.")
    if isinstance(error, duckdb.ConversionException):
        return DataError(f"{where}: {_first_line(error)}", path=where)
    return DataError(f"{where} could not be read: {_first_line(error)}", path=where,
                     hint=f"Check that it is a complete, valid {source.kind.upper()} file; re-export it if it was cut short.")


def _csv_detail(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    keep = [line for line in lines if not line.startswith(("Possible Solution", "* ", "Parser options", "file ", "delimiter", "quote", "escape", "new_line", "header", "skip_rows", "comment", "strict_mode", "date_format", "timestamp_format", "null_padding", "sample_size", "ignore_errors", "all_varchar"))]
    detail = " ".join(keep[:3])
    detail = detail.replace("Invalid Input Error: ", "").replace("CSV Error on Line:", "line")
    return detail[:600]


def _query_error(error: duckdb.Error, sql: str) -> ShuxiError:
    text = str(error)
    if isinstance(error, duckdb.BinderException):
        match = _COLUMN.search(text)
        if match:
            cands = [c.strip().strip('"') for c in (match.group("cands") or "").split(",") if c.strip()]
            cands = [c.split(".")[-1].strip('"') for c in cands]
            return ColumnNotFoundError(match.group("name"), available=cands)
    if isinstance(error, duckdb.CatalogException):
        match = _TABLE.search(text)
        if match:
            return TableNotFoundError(match.group("name").strip('"'))
    if isinstance(error, duckdb.OutOfMemoryException):
        return EngineError(f"The query ran out of memory: {_first_line(error)}",
                           hint="Raise SHUXI_MEMORY_LIMIT, or narrow the question.")
    if isinstance(error, duckdb.PermissionException):
        return EngineError(f"The engine refused a file or network access: {_first_line(error)}")
    if "CSV Error" in text:
        return DataError(_csv_detail(text))
    return EngineError(f"The query failed: {_first_line(error)}")
