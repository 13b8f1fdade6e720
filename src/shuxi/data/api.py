"""``shuxi.open``: the front door."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from shuxi.config import Settings, load_settings
from shuxi.data.dataset import RAW_SUFFIX, Dataset
from shuxi.data.source import Source
from shuxi.errors import ConfigError

if TYPE_CHECKING:
    from shuxi.engines.base import Engine
    from shuxi.engines.spark import SparkEngine

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def open(  # noqa: A001 - the public name is shuxi.open, like builtins.open for tables
    data: Any,
    *,
    name: str | None = None,
    engine: Literal["duckdb", "spark"] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    infer_types: bool = True,
    duplicate_columns: Literal["error", "rename"] = "error",
    synonyms: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
) -> Dataset:
    """Open a table for questions and SQL.

    ``data`` is a path (.csv/.tsv/.json/.jsonl/.parquet/.xlsx), a folder or glob of Parquet files, a
    pandas or Polars DataFrame, or an Arrow table. Encodings (UTF-8 with or without BOM, GBK/GB18030,
    UTF-16) are detected; text cells such as "7,169", "¥3.5万", "12.5%" or "2024年1月2日" become
    numbers and dates (``infer_types=False`` keeps the engine's own types). A header that repeats a
    column name is refused; ``duplicate_columns="rename"`` numbers the repeats instead (Score, Score_1).

    On the Spark engine ``data`` may also be a Spark DataFrame (which opens on Spark unless
    ``engine="duckdb"`` is asked for, which is refused) or a URI Spark reads (``hdfs://…``, ``s3a://…``).

    >>> ds = shuxi.open("sales.csv")
    >>> ds.sql("SELECT count(*) FROM sales")
    """
    from shuxi.data.infer import infer_conversions, typed_view
    from shuxi.data.opening import resolve_source, table_name_for
    from shuxi.engines import create_engine

    if duplicate_columns not in ("error", "rename"):
        raise ConfigError(f"duplicate_columns={duplicate_columns!r} is not a choice.",
                          hint='Pass "error" (the default: refuse repeated column names) or "rename".')
    settings = settings or load_settings()
    if engine is not None:
        settings = settings.replace(engine=load_settings({"engine": engine}, env={}).engine)
    spark_frame = _is_spark_frame(data)
    if spark_frame:
        if engine == "duckdb":
            raise ConfigError("A Spark DataFrame opens on the Spark engine, not on DuckDB.",
                              hint='Leave out engine= (or pass engine="spark"); for a small frame, '
                                   "shuxi.open(frame.toArrow()) opens a copy on DuckDB.")
        settings = settings.replace(engine="spark")
        source = Source(kind="arrow", origin="Spark DataFrame")
    elif settings.engine == "spark" and isinstance(data, str) and _URI.match(data):
        # hdfs://, s3a://, file://…: Spark lists and reads it itself (this machine may not see the files).
        from shuxi.engines.spark_sources import source_for_uri

        source = source_for_uri(data, delimiter=delimiter, header=header, encoding=encoding)
    else:
        source = resolve_source(data, sheet=sheet, encoding=encoding, delimiter=delimiter, header=header,
                                cache_dir=settings.cache_dir, rename_duplicates=duplicate_columns == "rename")
    table_name = name or (table_name_for(source.origin) if source.kind != "arrow" or source.paths or
                          source.origin.endswith((".xlsx", ".xlsm")) else "data")
    if not table_name.isidentifier() or table_name.endswith(RAW_SUFFIX):
        raise ConfigError(f"{table_name!r} cannot be used as a table name.",
                          hint="Use letters, digits and underscores, not starting with a digit or ending in __raw.")
    frame_engine: SparkEngine | None = None
    if spark_frame:
        from shuxi.engines.spark import SparkEngine

        # The frame's own session: its data stays where it is, and only a view of it is registered.
        frame_engine = SparkEngine(settings, session=data.sparkSession)
        eng: Engine = frame_engine
    else:
        eng = create_engine(settings)
    try:
        raw_name = table_name + RAW_SUFFIX
        if frame_engine is not None:
            frame_engine.register_frame(raw_name, data)
        else:
            eng.register(raw_name, source)
        raw_schema = eng.schema(raw_name)
        conversions = infer_conversions(eng, raw_name, raw_schema, eng.text_bounds(raw_name)) if infer_types else []
        eng.create_view(table_name, typed_view(raw_name, raw_schema, conversions))
        eng.seal()
    except BaseException:
        eng.close()
        raise
    return Dataset(name=table_name, source=source, engine=eng, settings=settings, conversions=conversions,
                   synonyms=synonyms)


def _is_spark_frame(data: Any) -> bool:
    """A PySpark DataFrame (classic or Spark Connect), recognised without importing pyspark."""
    kind = type(data)
    return kind.__name__ == "DataFrame" and kind.__module__.startswith("pyspark.sql")
