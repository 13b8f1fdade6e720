"""In-memory tables: pandas and Polars DataFrames and Arrow tables become Arrow."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from shuxi.errors import DataError


def frame_to_arrow(frame: Any, *, rename_duplicates: bool = False) -> pa.Table:
    """An Arrow table for a pandas/Polars DataFrame, an Arrow table or record batch reader.

    Repeated column names are refused, or numbered (Score, Score_1) with ``rename_duplicates``.
    """
    from shuxi.data.opening import unique_column_names

    if isinstance(frame, pa.Table):
        table = frame
    elif isinstance(frame, pa.RecordBatch):
        table = pa.Table.from_batches([frame])
    elif isinstance(frame, pa.RecordBatchReader):
        table = frame.read_all()
    else:
        module = type(frame).__module__.split(".")[0]
        if module == "polars":
            table = frame.to_arrow() if hasattr(frame, "to_arrow") else frame.collect().to_arrow()
        elif module == "pandas":
            if rename_duplicates:
                frame = frame.set_axis(unique_column_names([str(c) for c in frame.columns]), axis=1)
            _refuse_duplicates([str(c) for c in frame.columns])  # from_pandas would raise a bare ValueError
            table = pa.Table.from_pandas(frame, preserve_index=False)
        else:
            raise DataError(
                f"shuxi.open() cannot read a {type(frame).__name__}.",
                hint="Pass a file path, a folder or glob of Parquet files, a pandas or Polars DataFrame, or an Arrow table.",
            )
    names = [str(n) for n in table.column_names]
    if rename_duplicates:
        names = unique_column_names(names)
    _refuse_duplicates(names)
    if table.num_columns == 0:
        raise DataError("The table has no columns.")
    return table.rename_columns(names)


def _refuse_duplicates(names: list[str]) -> None:
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DataError(f"The table has duplicate column names: {', '.join(map(repr, duplicates))}.",
                        hint='Rename the columns so each name is used once, or pass duplicate_columns="rename" '
                        "to number the repeats (Score, Score_1).")
