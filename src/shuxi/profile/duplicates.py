"""Exact duplicate rows, found without a pass of their own where the table allows.

Two identical rows share every value, so only rows whose value in a *pivot* column repeats can be duplicates. With a
pivot that is nearly unique (an id), :func:`sample_and_duplicates` asks the engine for the sample and for those few
candidate rows in one pass, and Arrow groups the candidates exactly (:func:`group_duplicates`). Without one, or when
the pivot repeats too often, :func:`duplicates_in_sql` hashes rows in the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shuxi.engines.base import is_truncated
from shuxi.profile import scans
from shuxi.profile.scans import ColumnRef

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.data.dataset import Dataset
    from shuxi.profile.profiler import ColumnProfile

#: Most rows the sample-and-duplicates pass may return beyond the sample (rows whose pivot value repeats).
MAX_CANDIDATES = 200_000
#: Rows read from the top of the table to choose the duplicates pivot.
PIVOT_ROWS = 1_000

Duplicates = tuple[int, int, list[dict[str, Any]]]


def sample_and_duplicates(ds: Dataset, refs: list[ColumnRef], *, rows: int, percent: float | None,
                          sample_rows: int) -> tuple[pa.Table | None, Duplicates | None]:
    """The sample and, when a pivot column allows, the exact duplicate rows, from one pass over the table: the engine
    returns the sampled rows and every row whose pivot value repeats (few), and Arrow groups those in memory.
    Without a pivot, or when too many rows repeat it, the sample is drawn alone and duplicates are counted in SQL
    later (None)."""
    if not rows:
        return None, (0, 0, [])
    pivot = choose_pivot(ds, refs)
    if pivot is not None:
        fraction = 1.0 if percent is None else percent / 100
        query = scans.sample_and_candidates_query(ds.raw_name, refs, pivot=pivot.name, fraction=fraction, dialect=ds.engine.dialect)
        table = ds.engine.execute(query, limit=2 * sample_rows + MAX_CANDIDATES)
        if not is_truncated(table):
            import pyarrow.compute as pc

            sample = table.filter(pc.less(table.column("__u"), fraction)).slice(0, sample_rows).drop_columns(["__u"])
            key = table.column(pivot.key)
            counted = key.value_counts()
            repeated = counted.field("values").filter(pc.greater(counted.field("counts"), 1))
            candidates = table.filter(pc.or_(pc.is_null(key), pc.is_in(key, value_set=repeated)))
            return sample, group_duplicates(candidates, refs)
    sample = ds.engine.execute(scans.sample_query(ds.raw_name, refs, percent=percent, rows=sample_rows), limit=sample_rows)
    return sample, None


def choose_pivot(ds: Dataset, refs: list[ColumnRef]) -> ColumnRef | None:
    """A column whose values are all present and distinct in the first rows (an integer id if there is one): rows
    that repeat must repeat its value, so only the rows whose value repeats need comparing. A wrong guess costs
    time (too many candidates), never a wrong count."""
    eligible = [r for r in refs if r.physical in ("integer", "text", "date", "timestamp", "float")]
    if not eligible:
        return None
    head = ds.engine.execute(scans.head_query(ds.raw_name, [r.name for r in eligible], rows=PIVOT_ROWS), limit=PIVOT_ROWS)
    unique = [r for r in eligible if head.num_rows and head.column(r.name).null_count == 0
              and len(head.column(r.name).unique()) == head.num_rows]
    unique.sort(key=lambda r: r.physical != "integer")
    return unique[0] if unique else None


def group_duplicates(candidates: pa.Table, refs: list[ColumnRef]) -> Duplicates:
    """Rows that repeat another exactly among ``candidates`` (their raw values): how many extra copies, in how many
    groups, and the three most repeated rows as examples (with "__copies")."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chosen = [r for r in refs if r.physical != "other"]
    if not chosen or not candidates.num_rows:
        return 0, 0, []
    raw = pa.table([candidates.column(r.key) for r in chosen], names=[r.name for r in chosen])
    groups = raw.group_by([r.name for r in chosen]).aggregate([([], "count_all")])
    groups = groups.filter(pc.greater(groups.column("count_all"), 1))
    if not groups.num_rows:
        return 0, 0, []
    extra = int(pc.sum(groups.column("count_all")).as_py()) - groups.num_rows
    top = groups.sort_by([("count_all", "descending"), (chosen[0].name, "ascending")]).slice(0, 3)
    examples = [{**{k: v for k, v in row.items() if k != "count_all"}, "__copies": row["count_all"]} for row in top.to_pylist()]
    return extra, groups.num_rows, examples


def duplicates_in_sql(ds: Dataset, refs: list[ColumnRef], columns: list[ColumnProfile], rows: int) -> Duplicates:
    """Exact duplicate rows by a 64-bit hash of each row, in the engine: the path without a usable pivot in the first
    rows. The overview's figures may still name one (the column with the most distinct values and no NULLs)."""
    names = [r.name for r in refs if r.physical != "other"]
    pivots = sorted(((r.physical == "integer", c.distinct or 0, r.name) for r, c in zip(refs, columns)
                     if r.physical in ("integer", "text", "date", "timestamp", "float") and c.count == rows and not c.missing
                     and (c.distinct or 0) >= rows * 0.5), reverse=True)
    pivot = pivots[0][2] if pivots else None
    dialect = ds.engine.dialect
    # With a pivot the candidates are few, so one query counts the repeated rows and returns examples; without one,
    # every row is a candidate, and taking each group's values would cost more than a second, filtered pass.
    examples = 3 if pivot is not None else 0
    found = ds.engine.execute(scans.duplicates_query(ds.raw_name, names, dialect, pivot=pivot, examples=examples), limit=max(1, examples)).to_pylist()
    totals = found[0] if found else {}
    extra, groups = int(totals.get("__extra") or 0), int(totals.get("__groups") or 0)
    if not extra:
        return 0, 0, []
    if not examples:
        found = ds.engine.execute(scans.duplicate_examples_query(ds.raw_name, names, dialect, limit=3), limit=3).to_pylist()
    return extra, groups, [{k: v for k, v in r.items() if k not in ("__extra", "__groups")} for r in found]
