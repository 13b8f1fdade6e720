"""The engine protocol: what every query engine must do for the layers above it.

Engines are dialects (STYLE.md): everything above them builds sqlglot expressions and asks the
engine to render and run them. Engine-specific SQL text lives only in ``engines/<name>.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pyarrow as pa
    from sqlglot import exp

    from shuxi.data.source import Source


@runtime_checkable
class Engine(Protocol):
    #: Engine name as used in settings ("duckdb", "spark").
    name: str
    #: The sqlglot dialect its SQL is written in.
    dialect: str

    def register(self, name: str, source: Source) -> None:
        """Make ``source`` queryable as the table ``name``."""
        ...

    def create_view(self, name: str, query: exp.Query) -> None:
        """Create (or replace) the view ``name`` over already registered tables."""
        ...

    def text_bounds(self, name: str) -> dict[str, list[str]]:
        """Real cells of the registered table ``name``'s text columns that the files' metadata already holds.

        Parquet footers store each row group's smallest and largest value; type inference uses them as free
        examples. Empty when the source or the engine has none (only exact, short values are returned).
        """
        ...

    def seal(self) -> None:
        """Forbid any further file or network access: only registered tables stay readable."""
        ...

    def schema(self, name: str) -> pa.Schema:
        """Column names and types of a registered table or view."""
        ...

    def execute(self, sql: str | exp.Expression, *, limit: int | None = None) -> pa.Table:
        """Run one query and return at most ``limit`` rows (the settings' row limit when None).

        When rows were cut off, the table's schema metadata has ``b"shuxi.truncated" = b"true"``.
        """
        ...

    def stream(self, sql: str | exp.Expression, *, batch_rows: int = 122_880) -> Iterator[pa.RecordBatch]:
        """Run one query and yield all of its rows as Arrow record batches of at most ``batch_rows`` rows.

        For results of any size in bounded memory (batch prediction, scoring, writing cleaned files): no row
        limit applies. The engine runs nothing else until the batches are consumed or the iterator is closed.
        """
        ...

    def render(self, query: exp.Expression, *, pretty: bool = False) -> str:
        """The SQL text of ``query`` in this engine's dialect (over several lines when ``pretty``)."""
        ...

    def interrupt(self) -> None:
        """Cancel the query that is running, if any."""
        ...

    def close(self) -> None:
        """Release the engine's resources."""
        ...


TRUNCATED = b"shuxi.truncated"


def mark_truncated(table: pa.Table) -> pa.Table:
    """Flag a result whose rows were cut off at the row limit."""
    metadata = dict(table.schema.metadata or {})
    metadata[TRUNCATED] = b"true"
    return table.replace_schema_metadata(metadata)


def is_truncated(table: pa.Table) -> bool:
    """Whether ``table`` is a result that was cut off at the row limit."""
    return (table.schema.metadata or {}).get(TRUNCATED) == b"true"
