"""What an engine needs to know to register a data source: the resolved files and how to read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pyarrow as pa

SourceKind = Literal["csv", "parquet", "json", "arrow"]


@dataclass(frozen=True, kw_only=True)
class Source:
    """A resolved data source.

    ``paths`` are absolute file paths (after globbing and transcoding: for a GBK CSV they point to
    the UTF-8 copy in the cache). ``origin`` is what the user gave, for messages.
    """

    kind: SourceKind
    origin: str
    paths: tuple[str, ...] = ()
    #: csv: delimiter (None = sniff) and header (None = sniff).
    delimiter: str | None = None
    header: bool | None = None
    #: json: "array" for a JSON array of objects, "newline_delimited" for JSON Lines, None = sniff.
    json_format: Literal["array", "newline_delimited"] | None = None
    #: parquet: read hive-style key=value folders as columns.
    hive_partitioning: bool = False
    #: arrow: an in-memory table (pandas, Polars and Excel data arrive as Arrow).
    table: pa.Table | None = field(default=None, repr=False, compare=False)
    #: Original encoding when the file was transcoded to UTF-8 (for the schema's notes).
    encoding: str | None = None
