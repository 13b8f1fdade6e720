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


#: Column notes a source file may carry for shuxi in its Arrow field metadata (``shuxi text predict`` writes
#: which predicted label is the negative one); only these keys are read, and only from Parquet and Arrow sources.
CARRIED_FIELD_KEYS = ("shuxi.polarity",)


def field_notes(source: Source) -> dict[str, dict[str, str]]:
    """column → {key: value} of :data:`CARRIED_FIELD_KEYS` found in the source's schema (the first Parquet file's
    footer, or the in-memory table's schema); empty when there are none or the file cannot be read here."""
    import os

    schema = None
    if source.kind == "arrow" and source.table is not None:
        schema = source.table.schema
    elif source.kind == "parquet" and source.paths and os.path.isfile(source.paths[0]):
        import pyarrow.parquet as pq

        try:
            schema = pq.read_schema(source.paths[0])
        except (OSError, ValueError):  # unreadable here (the engine reports real problems when it reads)
            return {}
    notes: dict[str, dict[str, str]] = {}
    for field_ in schema or ():
        found = {key: field_.metadata[key.encode()].decode("utf-8", "replace")
                 for key in CARRIED_FIELD_KEYS if field_.metadata and key.encode() in field_.metadata}
        if found:
            notes[field_.name] = found
    return notes
