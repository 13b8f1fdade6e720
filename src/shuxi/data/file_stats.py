"""What a data file already says about its columns without being read: Parquet footer statistics.

The footer of a Parquet file stores, per row group and column, the smallest and largest value. Both are real
cells of the column, so type inference can use them as free examples: a text column whose bounds read as plain
text ("东北" … "西南") can never be converted, and needs no sample query at all.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuxi.data.source import Source

log = logging.getLogger(__name__)

#: Footers of at most this many files are read (each is a small read; a data set of thousands of files is not
#: worth the time: inference then samples the data as usual).
MAX_FILES = 64
#: Bounds this long (in UTF-8 bytes) or longer are not used: writers may store a truncated prefix of a long
#: value, which is not a real cell.
MAX_BOUND_BYTES = 64


def known_text_cells(source: Source) -> dict[str, list[str]]:
    """Cells of the top-level text columns of ``source`` known from file statistics (empty when none are).

    Only local Parquet files are looked at; a footer that cannot be read is skipped (opening the data reports
    real problems with the file).
    """
    if source.kind != "parquet" or not source.paths or len(source.paths) > MAX_FILES:
        return {}
    import pyarrow.parquet as pq

    cells: dict[str, dict[str, None]] = {}
    for path in source.paths:
        try:
            metadata = pq.ParquetFile(path).metadata
        except Exception as error:  # noqa: BLE001 - any unreadable footer: no hints from this file
            log.debug("no statistics from %s: %s", path, error)
            continue
        for group in range(metadata.num_row_groups):
            row_group = metadata.row_group(group)
            for index in range(row_group.num_columns):
                column = row_group.column(index)
                stats = column.statistics
                if column.physical_type != "BYTE_ARRAY" or "." in column.path_in_schema or stats is None \
                        or not stats.has_min_max:
                    continue
                for bound in (stats.min, stats.max):
                    if isinstance(bound, str) and len(bound.encode()) < MAX_BOUND_BYTES:
                        cells.setdefault(column.path_in_schema, {}).setdefault(bound)
    return {name: list(values) for name, values in cells.items()}
