"""Apache Spark engine: the same tables, Plans and guarded SQL on a Spark session, local or on a cluster.

The session is the active SparkSession when there is one (``spark-submit``, a notebook, ``shuxi.open(df)``
on a Spark DataFrame); otherwise shuxi starts one from ``SHUXI_SPARK_MASTER`` and ``SHUXI_SPARK_CONF`` and
keeps it for the rest of the process, because starting Spark costs seconds. Each engine works in its own
``newSession()`` of that session: its temporary views and SQL settings are its own, the cluster is shared.

Files are read by Spark's own readers, so nothing is collected to the driver. Unlike DuckDB, Spark has no
switch that turns file access off for SQL: :meth:`SparkEngine.seal` turns off SQL over file paths
(``spark.sql.runSQLOnFiles``), refuses further registrations, and from then on runs only single queries
(no statement, no ``reflect``). The guard in front of every SQL string that shuxi did not write remains
the line of defence.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import re
import socket
import threading
import uuid
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from shuxi.engines.base import mark_truncated
from shuxi.engines.spark_sources import read_source
from shuxi.errors import (
    ColumnNotFoundError,
    DataError,
    EngineError,
    QueryTimeoutError,
    ShuxiError,
    TableNotFoundError,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from shuxi.config import Settings
    from shuxi.data.source import Source

log = logging.getLogger(__name__)

#: Master URLs passed through to Spark. Anything else is refused before Spark starts (it would fail
#: only after the JVM is up, or hang).
MASTER_URL = re.compile(
    r"local(\[(\*|[1-9]\d*)(,[1-9]\d*)?\])?|local-cluster\[\d+,\d+,\d+\]"
    r"|spark://[^\s/,:]+(:\d+)?(,[^\s/,:]+(:\d+)?)*/?|yarn|k8s://\S+|sc://[^\s/:;]+(:\d+)?(/;\S*)?/?"
)
_MASTER_EXAMPLES = '"local[*]", "local[4]", "spark://host:7077", "yarn", "k8s://https://host:443" or "sc://host:15002"'
#: Seconds to wait for a standalone master or Spark Connect server to accept a connection.
CONNECT_TIMEOUT = 5.0
#: SQL settings of every shuxi session: timestamps without a time zone, as in DuckDB.
_SESSION_CONF = {"spark.sql.timestampType": "TIMESTAMP_NTZ"}
#: Settings for a session shuxi starts itself (SHUXI_SPARK_CONF comes after and wins).
_START_CONF = {"spark.app.name": "shuxi", "spark.ui.showConsoleProgress": "false"}
#: Functions that reach the JVM rather than the data; refused on a sealed engine even if SQL got past the guard.
_JVM_FUNCTIONS = {"reflect", "java_method", "try_reflect"}

_owned: SparkSession | None = None
_owned_lock = threading.Lock()


# -- the session ------------------------------------------------------------------------------------


def check_master(master: str) -> None:
    """Refuse a master URL Spark would not accept, or a server that does not answer, without starting Spark."""
    if not MASTER_URL.fullmatch(master):
        raise EngineError(f"{master!r} is not a Spark master URL.",
                          hint=f"Set SHUXI_SPARK_MASTER to one of {_MASTER_EXAMPLES}.")
    if master == "yarn" and not (os.environ.get("HADOOP_CONF_DIR") or os.environ.get("YARN_CONF_DIR")):
        raise EngineError("Spark on YARN needs the cluster's Hadoop configuration, and neither HADOOP_CONF_DIR "
                          "nor YARN_CONF_DIR is set.", hint="Point HADOOP_CONF_DIR at the folder with yarn-site.xml.")
    if master.startswith(("spark://", "sc://")):
        scheme, rest = master.split("://", 1)
        default_port = 7077 if scheme == "spark" else 15002
        addresses = [a for a in re.split(r"[,/;]", rest) if a]
        if scheme == "sc":
            addresses = addresses[:1]
        problems = []
        for address in addresses:
            host, _, port = address.partition(":")
            try:
                socket.create_connection((host, int(port or default_port)), timeout=CONNECT_TIMEOUT).close()
                return
            except OSError as error:
                problems.append(f"{host}:{port or default_port} ({error.strerror or error})")
        what = "Spark master" if scheme == "spark" else "Spark Connect server"
        raise EngineError(f"The {what} at {master} does not answer: {'; '.join(problems)}.",
                          hint="Check that it is running and reachable from here, or set SHUXI_SPARK_MASTER.")


def _alive(session: SparkSession) -> bool:
    if _is_connect(session):
        return not getattr(session, "is_stopped", False)
    return getattr(session.sparkContext, "_jsc", None) is not None


def _is_connect(session: Any) -> bool:
    return type(session).__module__.startswith("pyspark.sql.connect")


def _active_session() -> SparkSession | None:
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is None:
        from pyspark import SparkContext

        if getattr(SparkContext, "_active_spark_context", None) is not None:
            active = SparkSession.builder.getOrCreate()  # the default session of the running context
    return active


def spark_session(settings: Settings) -> SparkSession:
    """The session shuxi works in: the active one, else one started from the settings (and kept until exit)."""
    global _owned
    check_master(settings.spark_master)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("The Spark engine needs PySpark 4.", hint="Install it with: pip install 'shuxi[spark]'.") from None
    active = _active_session()
    if active is not None:
        return active
    with _owned_lock:
        if _owned is not None and _alive(_owned):
            return _owned
        master = settings.spark_master
        conf = dict(settings.spark_conf)
        if master.startswith("sc://"):
            builder = SparkSession.builder.remote(master)
        else:
            if master == "local[*]" and settings.threads:
                master = f"local[{settings.threads}]"
            builder = SparkSession.builder.master(master)
            start = dict(_START_CONF)
            if settings.memory_limit:
                start["spark.driver.memory"] = _spark_size(settings.memory_limit)
            quiet_logs = _log_config(Path(settings.cache_dir))
            if quiet_logs is not None:
                start["spark.driver.extraJavaOptions"] = f"-Dlog4j2.configurationFile={quiet_logs.as_uri()}"
            conf = {**start, **conf}
        for key, value in conf.items():
            builder = builder.config(key, value)
        try:
            with _quiet(), warnings.catch_warnings():
                # Starting the context imports pyspark.testing, which warns about the pandas version even
                # though shuxi hands Spark Arrow, never pandas.
                warnings.filterwarnings("ignore", message="PySpark does not yet fully support", category=FutureWarning)
                session = builder.getOrCreate()
        except ImportError as error:  # Spark Connect without its extra packages
            raise EngineError(f"Spark Connect needs more packages: {error}.",
                              hint="Install them with: pip install 'pyspark[connect]'.") from None
        except Exception as error:  # noqa: BLE001 - whatever stops Spark starting is a setup problem
            raise EngineError(f"Spark could not start with master {master!r}: {_describe(error)}",
                              hint="Check SHUXI_SPARK_MASTER and SHUXI_SPARK_CONF, and that Java 17 or 21 is installed.") from None
        if not _is_connect(session):
            session.sparkContext.setLogLevel("ERROR")  # our session: shuxi reports errors itself
        _owned = session
        atexit.register(_stop_owned)
        return session


_LOG_CONFIG = """\
# Written by shuxi for the Spark driver it starts: errors only (shuxi reports failures itself).
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""


def _log_config(cache_dir: Path) -> Path | None:
    """A log4j2 configuration that keeps Spark's start-up chatter off the terminal (None if it cannot be written)."""
    path = cache_dir / "spark" / "log4j2.properties"
    try:
        if not path.exists() or path.read_text(encoding="utf-8") != _LOG_CONFIG:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            partial.write_text(_LOG_CONFIG, encoding="utf-8")
            os.replace(partial, path)
    except OSError:
        return None
    return path


def _stop_owned() -> None:
    global _owned
    if _owned is not None:
        _stop_quietly(_owned)
        _owned = None


def _stop_quietly(session: SparkSession) -> None:
    try:
        session.stop()
    except Exception:  # noqa: BLE001 - stopping at exit or on close: nothing left to report to
        pass


def _spark_size(size: str) -> str:
    """A shuxi size ("4GB", "512MiB") as Spark writes it ("4g", "512m")."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", size, re.IGNORECASE)
    if not match:
        return size
    number, unit = float(match.group(1)), match.group(2).upper().replace("I", "")
    scale = {"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}[unit]
    return f"{max(1, int(number * scale) >> 20)}m"


# -- quiet errors -----------------------------------------------------------------------------------
# PySpark logs every analysis error with its whole JVM stack trace before raising it. shuxi turns those
# errors into one-paragraph messages, so while shuxi itself calls Spark those records are dropped.

_state = threading.local()


class _DropWhileQuiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_state, "quiet", False)


_filter_installed = False


def _install_filter() -> None:
    global _filter_installed
    if _filter_installed:
        return
    _filter_installed = True
    try:
        # Through PySparkLogger: a plain logging.getLogger would create these loggers with the wrong class.
        from pyspark.logger import PySparkLogger
    except ImportError:
        return
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).addFilter(_DropWhileQuiet())


@contextmanager
def _quiet() -> Iterator[None]:
    _install_filter()
    before = getattr(_state, "quiet", False)
    _state.quiet = True
    try:
        yield
    finally:
        _state.quiet = before


def _spark_errors() -> tuple[type[BaseException], ...]:
    from pyspark.errors import PySparkException

    kinds: list[type[BaseException]] = [PySparkException]
    try:
        from py4j.protocol import Py4JError

        kinds.append(Py4JError)
    except ImportError:  # Spark Connect client without py4j
        pass
    return tuple(kinds)


# -- the engine -------------------------------------------------------------------------------------


@dataclass
class _Query:
    """One query in flight: the tag its Spark jobs carry, and how it ended."""

    tag: str
    done: threading.Event = field(default_factory=threading.Event)
    timed_out: bool = False
    interrupted: bool = False


class SparkEngine:
    """Spark implementation of :class:`shuxi.engines.base.Engine`."""

    name = "spark"
    dialect = "spark"

    def __init__(self, settings: Settings, *, session: SparkSession | None = None) -> None:
        self.settings = settings
        base = session if session is not None else spark_session(settings)
        self._connect = _is_connect(base)
        try:
            self._spark = base.newSession()
        except Exception:  # noqa: BLE001 - Spark Connect clients may not offer newSession: share the session
            self._spark = base
        # A Spark Connect session of its own is a client with threads that keep Python from exiting until it is
        # stopped: stop it on close, or at exit for an engine nobody closed. (Classic sessions share the context:
        # stopping one would stop them all.)
        self._stop_own_session = (weakref.finalize(self, _stop_quietly, self._spark)
                                  if self._connect and self._spark is not base else None)
        for key, value in _SESSION_CONF.items():
            self._spark.conf.set(key, value)
        # SQL settings from SHUXI_SPARK_CONF hold in this engine's session even when the session was not
        # started by shuxi; the others (memory, executors) only take effect when a session starts.
        for key, value in settings.spark_conf:
            if key.startswith("spark.sql."):
                try:
                    self._spark.conf.set(key, value)
                except _spark_errors() as error:
                    log.info("%s=%s is not applied to the running session: %s", key, value, _describe(error))
        self._tag = f"shuxi-{uuid.uuid4().hex[:12]}"
        self._queries = itertools.count(1)
        self._lock = threading.RLock()
        self._views: list[str] = []
        self._sealed = False
        self._closed = False
        #: The query in flight, if any.
        self._running: _Query | None = None

    @property
    def session(self) -> SparkSession:
        """This engine's SparkSession (its own temporary views; the SparkContext is shared)."""
        return self._spark

    # -- registration -------------------------------------------------------------------------

    def register(self, name: str, source: Source) -> None:
        self._check_registrable()
        with self._lock, _quiet():
            try:
                frame = read_source(self._spark, source)
                frame.createOrReplaceTempView(_quote(name))
            except ShuxiError:
                raise
            except _spark_errors() as error:
                raise _source_error(source, error) from None
        self._views.append(name)

    def register_frame(self, name: str, frame: DataFrame) -> None:
        """Make a Spark DataFrame queryable as ``name`` without moving its data."""
        self._check_registrable()
        with self._lock, _quiet():
            owner = frame.sparkSession
            if owner is self._spark:
                frame.createOrReplaceTempView(_quote(name))
            else:
                # Another session's frame reaches this one through a global view, dropped at once: the
                # temporary view keeps the frame's plan, not the global view's name.
                database = self._spark.conf.get("spark.sql.globalTempDatabase", "global_temp")
                handoff = f"shuxi_{uuid.uuid4().hex}"
                frame.createOrReplaceGlobalTempView(handoff)
                try:
                    self._spark.table(f"{_quote(database)}.{_quote(handoff)}").createOrReplaceTempView(_quote(name))
                finally:
                    owner.catalog.dropGlobalTempView(handoff)
        self._views.append(name)

    def _check_registrable(self) -> None:
        self._check_open()
        if self._sealed:
            raise EngineError("This engine is sealed: no new sources can be registered.")

    def create_view(self, name: str, query: exp.Query) -> None:
        self._check_open()
        sql = f"CREATE OR REPLACE TEMP VIEW {_quote(name)} AS {self.render(query)}"
        with self._lock, _quiet():
            try:
                self._spark.sql(sql)
            except _spark_errors() as error:
                raise self._query_error(error) from None
        if name not in self._views:
            self._views.append(name)

    def text_bounds(self, name: str) -> dict[str, list[str]]:
        return {}  # Spark keeps no cheap footer statistics at hand: inference samples the data

    def seal(self) -> None:
        if self._sealed:
            return
        # SQL over a file path (SELECT * FROM parquet.`/etc/...`) is off; the rest of Spark's file access is
        # out of SQL's reach once only single queries run (see _checked).
        self._spark.conf.set("spark.sql.runSQLOnFiles", "false")
        self._sealed = True

    # -- queries ------------------------------------------------------------------------------

    def render(self, query: exp.Expression, *, pretty: bool = False) -> str:
        from shuxi.plan.dialects import render

        return render(query, self.dialect, pretty=pretty)

    def schema(self, name: str) -> pa.Schema:
        self._check_open()
        with self._lock, _quiet():
            try:
                # LIMIT 0 is planned as an empty relation: no job runs.
                return self._spark.table(_quote(name)).limit(0).toArrow().schema.remove_metadata()
            except _spark_errors() as error:
                raise self._query_error(error) from None

    def execute(self, sql: str | exp.Expression, *, limit: int | None = None) -> pa.Table:
        self._check_open()
        text = self._checked(sql)
        limit = self.settings.row_limit if limit is None else limit
        with self._lock:
            # One tag per query: a late cancel of this query can never reach the next one.
            query = self._running = _Query(tag=f"{self._tag}-{next(self._queries)}")
            if self.settings.timeout:
                threading.Thread(target=self._watch, args=(query, self.settings.timeout), daemon=True).start()
            self._tag_jobs(query.tag, True)
            try:
                with _quiet():
                    table = self._spark.sql(text).limit(limit + 1).toArrow()
            except _spark_errors() as error:
                if query.timed_out:
                    raise QueryTimeoutError(
                        f"The query was stopped after {self.settings.timeout:g} seconds.",
                        hint="Narrow the question, or raise the limit with SHUXI_TIMEOUT.",
                    ) from None
                if query.interrupted:
                    raise KeyboardInterrupt from None  # as on DuckDB: an interrupt is Ctrl-C, not a failed query
                raise self._query_error(error) from None
            finally:
                query.done.set()
                self._tag_jobs(query.tag, False)
        if table.num_rows > limit:
            return mark_truncated(table.slice(0, limit))
        return table

    def stream(self, sql: str | exp.Expression, *, batch_rows: int = 122_880) -> Iterator[pa.RecordBatch]:
        self._check_open()
        text = self._checked(sql)
        with self._lock, _quiet():
            try:
                frame = self._spark.sql(text)
                schema = frame.limit(0).toArrow().schema.remove_metadata()
                rows: list[dict[str, Any]] = []
                # Partition by partition to the driver: memory holds one partition and one batch, not the result.
                for row in frame.toLocalIterator(prefetchPartitions=False):
                    rows.append(row.asDict())
                    if len(rows) == batch_rows:
                        yield pa.RecordBatch.from_pylist(rows, schema=schema)
                        rows = []
                if rows:
                    yield pa.RecordBatch.from_pylist(rows, schema=schema)
            except _spark_errors() as error:
                raise self._query_error(error) from None

    def _checked(self, sql: str | exp.Expression) -> str:
        """The SQL text to run; once sealed, only one query and no JVM functions."""
        if not self._sealed:
            return sql if isinstance(sql, str) else self.render(sql)
        tree: exp.Expression | None = sql if isinstance(sql, exp.Expression) else None
        if tree is None:
            import sqlglot

            try:
                statements = sqlglot.parse(str(sql), read="spark")
            except sqlglot.errors.SqlglotError:
                statements = []
            tree = statements[0] if len(statements) == 1 else None
        if not isinstance(tree, exp.Query):
            raise EngineError("This engine is sealed: it runs only single read-only queries.")
        for node in tree.find_all(exp.Func):
            name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
            if name.lower() in _JVM_FUNCTIONS:
                raise EngineError(f"{name}() calls into the JVM and is not allowed.")
        return sql if isinstance(sql, str) else self.render(tree)

    def _watch(self, query: _Query, seconds: float) -> None:
        if not query.done.wait(seconds):
            query.timed_out = True
            self._cancel_until(query)

    def _cancel_until(self, query: _Query) -> None:
        # A cancel reaches only the jobs already submitted (a query may start several, one after another);
        # repeat it until the query gives up.
        while not query.done.is_set():
            self._cancel(query.tag)
            query.done.wait(0.25)

    def _tag_jobs(self, tag: str, on: bool) -> None:
        # Jobs carry the query's tag, so a cancel stops this query and nobody else's.
        if self._connect:
            (self._spark.addTag if on else self._spark.removeTag)(tag)
        else:
            context = self._spark.sparkContext
            (context.addJobTag if on else context.removeJobTag)(tag)

    def interrupt(self) -> None:
        query = self._running
        if query is None or query.done.is_set():
            return  # nothing is running
        query.interrupted = True
        threading.Thread(target=self._cancel_until, args=(query,), daemon=True).start()

    def _cancel(self, tag: str) -> None:
        try:
            if self._connect:
                self._spark.interruptTag(tag)
            else:
                self._spark.sparkContext.cancelJobsWithTag(tag)
        except _spark_errors():
            pass  # nothing running, or the session is gone: nothing to cancel

    def close(self) -> None:
        """Drop this engine's views. The session stays: shuxi stops a session it started when Python exits."""
        if self._closed:
            return
        self._closed = True
        try:
            with _quiet():
                for view in reversed(self._views):
                    self._spark.catalog.dropTempView(view)
        except _spark_errors():
            pass  # the session was stopped under us; its views went with it
        self._views.clear()
        if self._stop_own_session is not None:
            self._stop_own_session()

    def _check_open(self) -> None:
        if self._closed:
            raise EngineError("This dataset was closed; open it again.")

    def _query_error(self, error: BaseException) -> ShuxiError:
        return _query_error(error, self._views)


# -- names ------------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    """``name`` as one Spark identifier (backticks, so Chinese and other characters pass the parser)."""
    return exp.to_identifier(name, quoted=True).sql("spark")


# -- error translation ------------------------------------------------------------------------------

_NAME = re.compile(r"(?:`(?:[^`]|``)*`|[^`,\s.]+)(?:\.(?:`(?:[^`]|``)*`|[^`,\s.]+))*")
_PART = re.compile(r"`((?:[^`]|``)*)`|([^`.]+)")


def _last_part(name: str) -> str:
    parts = [(quoted.replace("``", "`") if quoted or not plain else plain) for quoted, plain in _PART.findall(name)]
    return parts[-1] if parts else name


def _condition(error: BaseException) -> str:
    getter = getattr(error, "getCondition", None) or getattr(error, "getErrorClass", None)
    return (getter() if getter else None) or ""


def _describe(error: BaseException) -> str:
    """One line saying what went wrong: Spark's message without its plan dump, or the JVM's root cause."""
    java = getattr(error, "java_exception", None)
    if java is not None and type(error).__name__ == "Py4JJavaError":
        root = java
        while root.getCause() is not None and root.getCause() != root:
            root = root.getCause()
        text = str(root.getMessage() or root.toString())
    else:
        text = str(error)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[0] if lines else type(error).__name__
    line = re.sub(r"\s*SQLSTATE: \w+.*$", "", line)
    return line[:500]


def _source_error(source: Source, error: BaseException) -> DataError:
    where = source.origin
    condition = _condition(error)
    detail = _describe(error)
    if condition == "PATH_NOT_FOUND":
        return DataError(f"{where} does not exist where Spark looks for it: {detail}", path=where,
                         hint="On a cluster, put the data where every executor can read it (HDFS, S3, a shared "
                              "folder) and open it by its URI, e.g. s3a://bucket/sales/.")
    if source.kind == "parquet" and ("Parquet" in detail or "magic number" in detail or "FAILED_READ_FILE" in condition):
        return DataError(f"{where} is not a readable Parquet file ({detail}).", path=where,
                         hint="The file may be truncated or still being written; re-export it.")
    if "MALFORMED" in condition or "Malformed" in detail:
        return DataError(f"{where} could not be read as {source.kind.upper()}: {detail}", path=where,
                         hint="Check that every row has the same number of fields as the header, or pass delimiter=… / header=….")
    return DataError(f"{where} could not be read: {detail}", path=where)


def _query_error(error: BaseException, views: list[str]) -> ShuxiError:
    condition = _condition(error)
    params: dict[str, str] = {}
    getter = getattr(error, "getMessageParameters", None)
    if getter is not None:
        params = getter() or {}
    if condition.startswith("UNRESOLVED_COLUMN") and params.get("objectName"):
        candidates = [_last_part(name) for name in _NAME.findall(params.get("proposal", ""))]
        return ColumnNotFoundError(_last_part(params["objectName"]), available=candidates)
    if condition == "TABLE_OR_VIEW_NOT_FOUND" and params.get("relationName"):
        return TableNotFoundError(_last_part(params["relationName"]), available=list(views))
    detail = _describe(error)
    if "MALFORMED" in condition or "Malformed" in detail:
        return DataError(f"A row of the data could not be read: {detail}",
                         hint="Check that every row has the same number of fields as the header.")
    if "OutOfMemoryError" in detail or "java.lang.OutOfMemory" in str(error):
        return EngineError(f"Spark ran out of memory: {detail}",
                           hint="Give the driver or executors more memory with SHUXI_SPARK_CONF "
                                "(spark.driver.memory=8g, spark.executor.memory=8g), or narrow the question.")
    return EngineError(f"The query failed on Spark: {detail}")
