"""How the profile's scans split the work, checked against the table itself: figures that cover every row stay
exact when the sample is small; a column the sample wrongly shows as having few values is caught by the count pass
and profiled like the others; moments from centred sums survive large offsets; counts of few values give the same
statistics as the aggregates."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import shuxi
from shuxi.profile import Profile
from shuxi.profile.counts import weighted_moments
from shuxi.profile.scans import moments

#: Figures the profile computes on every row, whatever the sample.
EXACT = ("count", "missing", "missing_by_kind", "min", "max", "zeros", "negative", "infinite", "nan", "true_count", "padded")


def exact_figures(prof: Profile, name: str) -> dict[str, object]:
    col = prof.column(name)
    figures = {k: getattr(col, k) for k in EXACT}
    figures["mean"] = None if col.mean is None else pytest.approx(col.mean, rel=1e-9, abs=1e-9)
    figures["std"] = None if col.std is None else pytest.approx(col.std, rel=1e-9, abs=1e-9)
    figures["histogram"] = col.histogram
    return figures


@pytest.fixture(scope="module")
def whole_and_sampled(dirty_parquet: Path) -> tuple[Profile, Profile]:
    with shuxi.open(dirty_parquet) as ds:
        return ds.profile(), ds.profile(sample_rows=300)


def test_a_small_sample_changes_no_figure_that_covers_every_row(whole_and_sampled: tuple[Profile, Profile]) -> None:
    whole, sampled = whole_and_sampled
    assert whole.sample_rows == whole.rows and sampled.sample_rows <= 300
    assert any("random sample of" in note for note in sampled.notes) and not any("random sample of" in n for n in whole.notes)
    for col in whole.columns:
        assert exact_figures(sampled, col.name) == exact_figures(whole, col.name), col.name
    assert (sampled.duplicate_rows, sampled.duplicate_groups) == (whole.duplicate_rows, whole.duplicate_groups) == (3, 3)
    for code, column in (("MISSING", "note"), ("DIRTY_CATEGORY", "region"), ("INFINITE", "with_inf"), ("ZEROS", "mostly_zero"),
                         ("CONSTANT", "constant"), ("IMBALANCE", "is_test")):
        (a,) = whole.alerts_for(column, code)
        (b,) = sampled.alerts_for(column, code)
        assert a.rows == b.rows and not b.estimated, (code, column)
    (outliers,) = sampled.alerts_for("with_outlier", "OUTLIERS")
    assert 5000.0 in outliers.examples  # the exact maximum is always a candidate example


def test_text_lengths_of_wide_columns_come_from_the_sample_and_say_so(whole_and_sampled: tuple[Profile, Profile],
                                                                    dirty_parquet: Path) -> None:
    whole, sampled = whole_and_sampled
    emails = pq.read_table(dirty_parquet).column("email")
    lengths = pc.utf8_length(emails)
    assert whole.column("email").max_length == pc.max(lengths).as_py()  # the whole table was the sample
    email = sampled.column("email")
    assert email.lengths_sampled and pc.min(lengths).as_py() <= email.min_length <= email.max_length <= pc.max(lengths).as_py()
    assert not sampled.column("region").lengths_sampled  # few values: lengths from the exact counts
    assert "(in the sample)" in sampled.to_html()


def write_long_tail(path: Path, rows: int = 5_000) -> pa.Table:
    """Columns that are one value 97.5% of the time and distinct otherwise: a small sample sees few values."""
    rng = np.random.default_rng(11)
    rare = rng.random(rows) < 0.025
    table = pa.table({
        "tail": pa.array([f"rare{k}" if r else "common" for k, r in enumerate(rare)]),
        "tail_num": pa.array(np.where(rare, rng.normal(500, 50, rows), 0.0)),
        "colour": pa.array(np.array(["red", "green", "blue"])[np.arange(rows) % 3]),
        "amount": pa.array(rng.integers(0, 1_000_000, rows)),
    })
    pq.write_table(table, path)
    return table


def test_a_column_the_sample_shows_as_narrow_is_caught_and_profiled_on_every_row(tmp_path: Path) -> None:
    table = write_long_tail(tmp_path / "tail.parquet")
    with shuxi.open(tmp_path / "tail.parquet") as ds:
        # exact_distinct=50: the tails have about 125 values, the sample of 200 rows shows about 5 of them.
        sampled = ds.profile(sample_rows=200, exact_distinct=50)
        whole = ds.profile(sample_rows=10_000, exact_distinct=50)
    for name in ("tail", "tail_num", "colour", "amount"):
        assert exact_figures(sampled, name) == exact_figures(whole, name), name
    tail_num = sampled.column("tail_num")
    values = table.column("tail_num")
    assert tail_num.mean == pytest.approx(pc.mean(values).as_py()) and tail_num.std == pytest.approx(pc.stddev(values, ddof=1).as_py())
    assert tail_num.zeros == pc.sum(pc.equal(values, 0.0)).as_py() and sum(tail_num.histogram["counts"]) == table.num_rows
    tail = sampled.column("tail")
    true_distinct = pc.count_distinct(table.column("tail")).as_py()
    assert not tail.distinct_exact and abs(tail.distinct - true_distinct) / true_distinct < 0.1  # estimated, as a wide column
    colour = sampled.column("colour")
    assert colour.distinct_exact and colour.distinct == 3 and sum(c for _, c in colour.top_values) == table.num_rows


def test_moments_from_centred_sums_survive_a_large_offset() -> None:
    rng = np.random.default_rng(5)
    x = 1e9 + rng.normal(0, 1, 10_000) ** 2  # right-skewed, far from zero
    shift = float(np.median(x))
    d = x - shift
    mean, std, skew = moments(len(x), float(d.sum()), float((d * d).sum()), float((d ** 3).sum()), shift)
    n = len(x)
    g1 = ((x - x.mean()) ** 3).mean() / ((x - x.mean()) ** 2).mean() ** 1.5
    assert mean == pytest.approx(x.mean(), rel=1e-15) and std == pytest.approx(x.std(ddof=1), rel=1e-9)
    assert skew == pytest.approx(g1 * math.sqrt(n * (n - 1)) / (n - 2), rel=1e-6)
    assert moments(0, None, None, None, 0.0) == (None, None, None)
    assert moments(5, 0.0, 0.0, 0.0, 3.0) == (3.0, 0.0, None)  # a constant: no skewness


def test_moments_from_counts_match_the_values_they_count() -> None:
    values = [1.0, 1.0, 1.0, 2.0, 5.0, 5.0, 40.0]
    mean, std, skew = weighted_moments([(1.0, 3), (2.0, 1), (5.0, 2), (40.0, 1)])
    x = np.array(values)
    n = len(x)
    g1 = ((x - x.mean()) ** 3).mean() / ((x - x.mean()) ** 2).mean() ** 1.5
    assert mean == pytest.approx(x.mean()) and std == pytest.approx(x.std(ddof=1))
    assert skew == pytest.approx(g1 * math.sqrt(n * (n - 1)) / (n - 2))


def true_duplicates(table: pa.Table) -> int:
    groups = table.group_by(table.column_names).aggregate([([], "count_all")])
    return int(pc.sum(groups.column("count_all")).as_py()) - groups.num_rows


def test_duplicates_without_a_pivot_are_counted_in_the_engine(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    table = pa.table({"colour": pa.array(np.array(["red", "green"])[rng.integers(0, 2, 600)]),
                      "size": pa.array(rng.integers(0, 4, 600))})  # no column is unique: every row is a candidate
    pq.write_table(table, tmp_path / "plain.parquet")
    with shuxi.open(tmp_path / "plain.parquet") as ds:
        prof = ds.profile()
    assert prof.duplicate_rows == true_duplicates(table) == 600 - 8 and prof.duplicate_groups == 8
    (alert,) = prof.alerts_for(code="DUPLICATES")
    assert alert.rows == 600 - 8 and all(e["__copies"] > 1 for e in alert.examples)


def test_a_misleading_pivot_falls_back_to_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from shuxi.profile import duplicates

    seq = np.concatenate([np.arange(1_000), np.arange(2_000) % 1_000])  # distinct in the first rows, then repeated
    table = pa.table({"seq": pa.array(seq), "flag": pa.array((seq % 7 == 0) & (np.arange(3_000) >= 2_000))})
    pq.write_table(table, tmp_path / "seq.parquet")
    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 100)  # the candidates (every row) overflow the pass
    with shuxi.open(tmp_path / "seq.parquet") as ds:
        prof = ds.profile(sample_rows=50)
    assert prof.duplicate_rows == true_duplicates(table) and prof.duplicate_rows > 0
    assert prof.sample_rows <= 50 and sum(prof.column("seq").histogram["counts"]) == 3_000
