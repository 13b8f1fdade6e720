"""In-memory tables: pandas and Polars DataFrames and Arrow tables become Arrow."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from shuxi.errors import DataError


def frame_to_arrow(frame: Any) -> pa.Table:
    """An Arrow table for a pandas/Polars DataFrame, an Arrow table or record batch reader."""
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
            _refuse_duplicates([str(c) for c in frame.columns])  # from_pandas would raise a bare ValueError
            table = pa.Table.from_pandas(frame, preserve_index=False)
        else:
            raise DataError(
                f"shuxi.open() cannot read a {type(frame).__name__}.",
                hint="Pass a file path, a folder or glob of Parquet files, a pandas or Polars DataFrame, or an Arrow table.",
            )
    names = [str(n) for n in table.column_names]
    _refuse_duplicates(names)
    if table.num_columns == 0:
        raise DataError("The table has no columns.")
    return table.rename_columns(names)


def _refuse_duplicates(names: list[str]) -> None:
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DataError(f"The table has duplicate column names: {', '.join(map(repr, duplicates))}.",
                        hint="Rename the columns so each name is used once.")
