"""What an engine needs to know to register a data source: the resolved files and how to read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

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


#: Field metadata of a label column whose classes' polarity is known (written by ``shuxi text predict``): JSON
#: {"negative": <cell>, "positive": <cell>}.
POLARITY_KEY = "shuxi.polarity"
#: Column notes a source file may carry for shuxi in its Arrow field metadata; only these keys are read, and only
#: from Parquet and Arrow sources.
CARRIED_FIELD_KEYS = (POLARITY_KEY,)


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


def with_field_notes(schema: pa.Schema, notes: dict[str, dict[str, str]]) -> pa.Schema:
    """``schema`` with ``notes`` (from :func:`field_notes`) added to the metadata of the columns of the same name."""
    import pyarrow as pa

    return pa.schema([f.with_metadata({**{k.decode(): v.decode() for k, v in (f.metadata or {}).items()},
                                       **notes[f.name]}) if f.name in notes else f for f in schema],
                     metadata=schema.metadata)


def polarity_of(field_: pa.Field) -> dict[str, Any] | None:
    """The recorded polarity of a label column (:data:`POLARITY_KEY`), its cells in the column's type."""
    import json

    import pyarrow as pa

    raw = (field_.metadata or {}).get(POLARITY_KEY.encode())
    if raw is None:
        return None
    try:
        found = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(found, dict) or set(found) != {"negative", "positive"}:
        return None
    cast: Any = str
    if pa.types.is_integer(field_.type):
        cast = int
    elif pa.types.is_floating(field_.type):
        cast = float
    elif pa.types.is_boolean(field_.type):
        cast = lambda v: v if isinstance(v, bool) else str(v).strip().lower() in ("true", "1")  # noqa: E731
    try:
        return {side: cast(value) for side, value in found.items()}
    except (TypeError, ValueError):
        return None
