"""Reading text and label columns from anything :func:`shuxi.open` reads, with the checks that give clear errors.

Training and evaluation read two columns into memory (training sets fit in memory; the table itself stays in the
engine). Batch prediction streams Arrow record batches instead (:func:`iter_batches`), so 10M rows use constant
memory. Columns are read from the dataset's raw table (``ds.raw_name``): the text a model sees is the text in the
file, never a cell that type inference turned into a number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from shuxi.errors import ColumnNotFoundError, DataError

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.data.dataset import Dataset

#: Texts longer than this many characters are refused (a misread file usually shows up as one giant cell).
MAX_TEXT_CHARS = 1_000_000


def open_dataset(data: Any) -> Dataset:
    """``data`` as a :class:`~shuxi.data.dataset.Dataset` (already opened datasets pass through)."""
    from shuxi.data.dataset import Dataset

    if isinstance(data, Dataset):
        return data
    import shuxi

    return shuxi.open(data)


def check_column(ds: Dataset, column: str) -> None:
    """Raise :class:`ColumnNotFoundError` (with close matches) when ``column`` is not in ``ds``."""
    names = list(ds.raw_schema.names)
    if column not in names:
        raise ColumnNotFoundError(column, table=ds.name, available=names)


def _select(ds: Dataset, columns: Sequence[str]) -> Any:
    from sqlglot import exp

    return exp.select(*(exp.column(c, quoted=True) for c in columns)).from_(exp.to_table(ds.raw_name, quoted=True))


def read_columns(data: Any, *, text: str, label: str | None = None) -> tuple[list[str], list[Any] | None]:
    """The ``text`` column (checked: strings, not empty, not absurdly long) and optionally the ``label`` column."""
    ds = open_dataset(data)
    owned = ds is not data
    try:
        check_column(ds, text)
        columns = [text]
        if label is not None:
            check_column(ds, label)
            columns.append(label)
        table = ds.engine.execute(_select(ds, columns), limit=2**62)
    finally:
        if owned:
            ds.close()
    texts = check_texts(table.column(0).to_pylist(), column=text)
    labels = None
    if label is not None:
        labels = table.column(1).to_pylist()
        missing = [i for i, y in enumerate(labels) if y is None]
        if missing:
            raise DataError(f"{len(missing)} rows have no value in the label column {label!r} "
                            f"(first at row {missing[0] + 1}).", hint="Drop or fill those rows before training.")
    if not texts:
        raise DataError(f"The table has no rows, so there is nothing to learn from column {text!r}.")
    return texts, labels


def check_texts(values: Sequence[Any], *, column: str = "text") -> list[str]:
    """``values`` as strings; non-string cells, empty data and over-long texts raise :class:`DataError`.

    Missing cells (None) and empty strings are allowed in prediction (they get a prediction like any text) but a
    column where every text is empty cannot be learned from; :func:`check_trainable` says so.
    """
    out: list[str] = []
    for i, value in enumerate(values):
        if value is None:
            out.append("")
            continue
        if not isinstance(value, str):
            raise DataError(f"Row {i + 1} of the text column {column!r} holds {type(value).__name__} {value!r:.40}, "
                            "not text.", hint="Pass the column that holds the texts, or convert it to strings first.")
        if len(value) > MAX_TEXT_CHARS:
            raise DataError(f"Row {i + 1} of column {column!r} has {len(value):,} characters (more than "
                            f"{MAX_TEXT_CHARS:,}).", hint="Split very long documents into paragraphs first.")
        out.append(value)
    return out


def check_trainable(texts: Sequence[str], labels: Sequence[Any], *, label: str = "label") -> list[Any]:
    """The sorted distinct labels; refuses a single class, mixed label types and all-empty texts."""
    if len(texts) != len(labels):
        raise DataError(f"{len(texts)} texts but {len(labels)} labels.", hint="Pass one label per text.")
    if not any(t.strip() for t in texts):
        raise DataError("Every text is empty; there is nothing to learn from.", hint="Check the --text column.")
    kinds = {type(y) for y in labels}
    if kinds - {bool, int, str}:
        bad = next(y for y in labels if type(y) not in (bool, int, str))
        raise DataError(f"Labels must be text or whole numbers; column {label!r} holds {type(bad).__name__} {bad!r}.",
                        hint="Use a column of class names or class numbers.")
    if len(kinds) > 1:
        raise DataError(f"The label column {label!r} mixes types ({', '.join(sorted(k.__name__ for k in kinds))}).",
                        hint="Make every label the same type (all text or all numbers).")
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise DataError(f"The label column {label!r} has only one class ({classes[0]!r}); a classifier needs at "
                        "least two.", hint="Add examples of the other class(es).")
    return classes


def iter_batches(ds: Dataset, *, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Every row of ``ds``'s raw table as Arrow record batches of at most ``batch_rows`` rows.

    Parquet is streamed with ``pyarrow.dataset`` (constant memory on any size, on any engine); other sources
    (CSV, JSON, frames) are streamed out of the dataset's engine (:meth:`shuxi.engines.base.Engine.stream`).
    """
    source = ds.source
    if source.kind == "parquet":
        import pyarrow.dataset as pads

        dataset = pads.dataset(list(source.paths), format="parquet",
                               partitioning="hive" if source.hive_partitioning else None)
        yield from dataset.to_batches(batch_size=batch_rows)
        return
    yield from ds.engine.stream(_select(ds, list(ds.raw_schema.names)), batch_rows=batch_rows)
