"""How the Spark engine reads a :class:`~shuxi.data.source.Source`: Spark's own readers, with shuxi's meaning.

Local paths become ``file:`` URIs with glob characters escaped; CSV keeps codes such as "007" as text and
reads quoted line breaks; percent-escaped partition folders (as pyarrow writes them) decode to UTF-8; Arrow
types Spark lacks are converted. URIs a cluster reads (``hdfs://``, ``s3a://``…) become Sources here too.
"""

from __future__ import annotations

import csv
import io
import os
import re
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from shuxi.errors import DataError, EngineError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from shuxi.data.source import Source

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_GLOB = re.compile(r"([*?\[\]{}\\])")
_LEADING_ZERO = re.compile(r"\s*[-+]?0[0-9]")
_ESCAPED_BYTE = re.compile(r"%[89A-Fa-f][0-9A-Fa-f]")
#: The charsets Spark 4 reads CSV in without spark.sql.legacy.javaCharsets.
_SPARK_CHARSETS = {"iso-8859-1", "us-ascii", "utf-16", "utf-16be", "utf-16le", "utf-32", "utf-8"}


def read_source(spark: SparkSession, source: Source) -> DataFrame:
    """``source`` as a DataFrame of ``spark``, read by Spark's own readers (nothing is collected to the driver)."""
    if source.kind == "arrow":
        if source.table is None:
            raise EngineError(f"{source.origin} has no table to register.")
        return spark.createDataFrame(_sparkable(source.table))
    paths = [spark_path(p) for p in source.paths]
    reader = spark.read
    if source.kind == "parquet":
        if len(paths) > 1:
            reader = reader.option("mergeSchema", "true")  # as DuckDB's union_by_name
        if not source.hive_partitioning:
            return reader.parquet(*paths)
        root = _partition_root(source.paths)
        frame = reader.option("basePath", spark_path(root)).parquet(*paths)
        return _decode_partition_values(frame, _escaped_partition_keys(source.paths, root))
    if source.kind == "csv":
        return _read_csv(spark, source, paths)
    if source.kind == "json":
        fmt = source.json_format
        if fmt is None and source.paths and not _URI.match(source.paths[0]):
            fmt = _sniff_json(source.paths[0])
        return reader.options(mode="FAILFAST", multiLine="true" if fmt == "array" else "false").json(paths)
    raise EngineError(f"Spark cannot read sources of kind {source.kind!r}.")


def _read_csv(spark: SparkSession, source: Source, paths: list[str]) -> DataFrame:
    local = [p for p in source.paths if not _URI.match(p)]
    # The data layer has checked local files and found their delimiter; None there means one column.
    delimiter = source.delimiter if source.delimiter is not None else ("\x1f" if local else ",")
    options = {
        "header": "false" if source.header is False else "true",
        "sep": delimiter,
        "inferSchema": "true",
        "mode": "FAILFAST",  # a ragged row is an error, not a row of NULLs
        "escape": '"',  # RFC 4180: a quote inside a quoted field is doubled
        # Splittable line by line unless a quoted field spans lines, which only a whole-file read gets right.
        "multiLine": "true" if any(_has_quoted_newline(p) for p in local[:8]) else "false",
        # Local files were transcoded to UTF-8; remote ones are read in the encoding the user named.
        "encoding": "UTF-8" if local else (source.encoding or "UTF-8"),
    }
    if options["encoding"].lower().replace("_", "-") not in _SPARK_CHARSETS:
        # Spark 4 reads CSV in a handful of Unicode charsets unless told to use Java's full list
        # (GBK, GB18030, Big5…). Local files never get here: the data layer transcoded them to UTF-8.
        spark.conf.set("spark.sql.legacy.javaCharsets", "true")
    frame = spark.read.options(**options).csv(paths)
    padded = _zero_padded(local[:8], frame.schema, delimiter=delimiter, header=options["header"] == "true")
    if padded:
        # Spark reads "007" as the number 7. Codes with leading zeros stay text, as they do on DuckDB.
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType([StructField(f.name, StringType(), True) if f.name in padded else f
                             for f in frame.schema.fields])
        frame = spark.read.options(**options).schema(schema).csv(paths)
    if options["header"] == "true" and local:
        # Only a header the data layer let through with duplicate_columns="rename" repeats a name. Spark
        # numbers repeats by position (Score2); number them as DuckDB does (Score_1), so names match.
        from shuxi.data.opening import unique_column_names

        header = next(csv.reader(io.StringIO(_head(local[0])), delimiter=delimiter), [])
        if len(header) == len(frame.columns):
            # Blank names keep Spark's own (_c3); the others are the header's, with repeats numbered.
            names = [h.lstrip("\ufeff").strip() or own for h, own in zip(header, frame.columns, strict=True)]
            if len({n.lower() for n in names}) < len(names):
                frame = frame.toDF(*unique_column_names(names))
    return frame


def spark_path(path: str) -> str:
    """A path as Spark should read it: URIs as given; local paths as file: URIs with glob characters escaped."""
    if _URI.match(path):
        return path
    return "file://" + _GLOB.sub(r"\\\1", os.path.abspath(path))


def _partition_root(paths: tuple[str, ...]) -> str:
    """The folder above the key=value folders of a hive-partitioned data set."""
    root = os.path.commonpath([os.path.dirname(p) for p in paths])
    while "=" in os.path.basename(root) and os.path.dirname(root) != root:
        root = os.path.dirname(root)
    return root


def _escaped_partition_keys(paths: tuple[str, ...], root: str) -> set[str]:
    """Partition keys whose folder names hold percent-escaped UTF-8 ("region=%E5%8D%8E%E4%B8%9C", as pyarrow writes)."""
    keys: set[str] = set()
    for path in paths:
        for part in os.path.relpath(os.path.dirname(path), root).split(os.sep):
            key, sep, value = part.partition("=")
            if sep and _ESCAPED_BYTE.search(value):
                keys.add(key)
    return keys


def _decode_partition_values(frame: DataFrame, keys: set[str]) -> DataFrame:
    # Spark unescapes "%E5" in a folder name to the character U+00E5, byte by byte, so "华东" arrives as
    # "å\x8d\x8eä¸\x9c". Those characters are the UTF-8 bytes: re-encode them as Latin-1 and decode as UTF-8.
    from pyspark.sql import functions
    from pyspark.sql.types import StringType

    for field in frame.schema.fields:
        if field.name in keys and isinstance(field.dataType, StringType):
            fixed = functions.decode(functions.encode(functions.col(field.name), "ISO-8859-1"), "UTF-8")
            frame = frame.withColumn(field.name, fixed)
    return frame


def _head(path: str, size: int = 1 << 20) -> str:
    with open(path, "rb") as handle:
        return handle.read(size).decode("utf-8", errors="replace")


def _has_quoted_newline(path: str) -> bool:
    """Whether a quoted field in the first megabyte spans lines (Spark then reads the file in one piece)."""
    inside = False
    for char in _head(path):
        if char == '"':
            inside = not inside
        elif char == "\n" and inside:
            return True
    return False


def _zero_padded(paths: list[str], schema: Any, *, delimiter: str, header: bool) -> set[str]:
    """Names of the columns Spark typed as numbers whose first rows hold digits with leading zeros ("007")."""
    from pyspark.sql.types import NumericType

    numeric = {i: f.name for i, f in enumerate(schema.fields) if isinstance(f.dataType, NumericType)}
    found: set[str] = set()
    for path in paths:
        rows = csv.reader(io.StringIO(_head(path)), delimiter=delimiter)
        try:
            for number, row in enumerate(rows):
                if number == 0 and header:
                    continue
                for i, name in numeric.items():
                    if i < len(row) and _LEADING_ZERO.match(row[i]):
                        found.add(name)
        except csv.Error:
            pass  # a field over the csv module's limit: judge on the rows before it
    return found


def _sniff_json(path: str) -> str:
    """"array" for a JSON array or one object over several lines, "newline_delimited" for JSON Lines."""
    import json

    text = _head(path).lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        return "array"
    first = text.split("\n", 1)[0]
    try:
        json.loads(first)
    except ValueError:
        return "array"  # a pretty-printed object: Spark reads it whole with multiLine
    return "newline_delimited"


def _sparkable(table: pa.Table) -> pa.Table:
    """``table`` with the Arrow types Spark cannot take replaced by ones it can, values unchanged."""
    import pyarrow.compute as pc

    columns = []
    for field, column in zip(table.schema, table.columns):
        kind = field.type
        if pa.types.is_dictionary(kind):
            column, kind = column.cast(kind.value_type), kind.value_type
        target = kind
        if pa.types.is_uint8(kind) or pa.types.is_uint16(kind) or pa.types.is_uint32(kind):
            target = {8: pa.int16(), 16: pa.int32(), 32: pa.int64()}[kind.bit_width]
        elif pa.types.is_uint64(kind):
            biggest = pc.max(column).as_py() if len(column) else None
            target = pa.int64() if biggest is None or biggest <= 2**63 - 1 else pa.decimal128(20, 0)
        elif pa.types.is_large_string(kind) or str(kind) == "string_view":
            target = pa.string()
        elif pa.types.is_large_binary(kind) or str(kind) == "binary_view":
            target = pa.binary()
        elif pa.types.is_float16(kind):
            target = pa.float32()
        elif pa.types.is_date64(kind):
            target = pa.date32()
        elif pa.types.is_timestamp(kind) and kind.unit != "us":
            target = pa.timestamp("us", tz=kind.tz)
        elif pa.types.is_time(kind):
            target = pa.string()
        if target != column.type:
            column = column.cast(target, safe=not pa.types.is_timestamp(target))
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def source_for_uri(uri: str, *, delimiter: str | None = None, header: bool | None = None,
                   encoding: str | None = None) -> Source:
    """A Source for data Spark reads from a URI (hdfs://, s3a://, abfss://, gs://…) that this machine cannot list.

    The format comes from the extension; a URI without one is read as a folder of Parquet files (Spark finds
    key=value partition folders itself). Text files are read as UTF-8 unless ``encoding`` names another.
    """
    from shuxi.data.source import Source

    stem = uri.rstrip("/").rsplit("/", 1)[-1].lower()
    for suffix in (".gz", ".bz2", ".zst", ".snappy", ".lz4"):
        stem = stem.removesuffix(suffix)
    suffix = os.path.splitext(stem)[1]
    if suffix in (".csv", ".tsv", ".tab", ".txt"):
        sep = delimiter if delimiter is not None else ("\t" if suffix in (".tsv", ".tab") else ",")
        return Source(kind="csv", origin=uri, paths=(uri,), delimiter=sep, header=header, encoding=encoding)
    if suffix in (".json", ".jsonl", ".ndjson"):
        return Source(kind="json", origin=uri, paths=(uri,), json_format="newline_delimited" if suffix != ".json" else None)
    if suffix in ("", ".parquet", ".parq", ".pq"):
        return Source(kind="parquet", origin=uri, paths=(uri,))
    raise DataError(f"{uri} has an extension the Spark engine does not read ({suffix}).", path=uri,
                    hint="Spark reads .parquet (or a folder of them), .csv/.tsv and .json/.jsonl from a URI.")
