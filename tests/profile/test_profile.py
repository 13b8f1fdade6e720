"""The profile on fixtures with one injected problem per column: each alert fires where it should, with the right
row counts, and never on the clean columns; GB18030 and "100元" files; JSON and the self-contained HTML report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import shuxi
from shuxi.profile import Profile

from profile_fixtures import CLEAN_COLUMNS, EXPECTED, NOTE_MISSING, ROWS, sha256, write_gb18030


@pytest.fixture(scope="module")
def prof(dirty_parquet: Path) -> Profile:
    with shuxi.open(dirty_parquet) as ds:
        return ds.profile()


def pairs(profile: Profile) -> set[tuple[str, str]]:
    return {(a.code, c) for a in profile.alerts for c in (a.columns or [""])}


@pytest.mark.parametrize(("code", "column"), EXPECTED)
def test_each_injected_problem_raises_its_alert(prof: Profile, code: str, column: str) -> None:
    assert (code, column) in pairs(prof), f"{code} on {column!r} missing; alerts: {sorted(pairs(prof))}"


def test_no_alert_on_clean_columns(prof: Profile) -> None:
    for column in CLEAN_COLUMNS:
        assert prof.alerts_for(column) == [], [a.message for a in prof.alerts_for(column)]


def test_every_alert_says_how_many_rows_and_shows_examples(prof: Profile) -> None:
    for alert in prof.alerts:
        assert alert.rows > 0, alert
        assert alert.examples, alert
        assert alert.message


def test_alert_row_counts(prof: Profile) -> None:
    (dups,) = prof.alerts_for(code="DUPLICATES")
    assert dups.rows == 3 and prof.duplicate_rows == 3 and prof.duplicate_groups == 3
    (missing,) = prof.alerts_for("note", "MISSING")
    assert missing.rows == len(NOTE_MISSING)  # the duplicated rows 20-22 hold "good"/"ok"
    note = prof.column("note")
    assert note.missing_by_kind == {"null": 1, "empty": 1, "placeholder": 3, "whitespace": 1}
    (dirty,) = prof.alerts_for("region", "DIRTY_CATEGORY")
    assert dirty.rows == 14  # 12 variants of 华东 (row 21's " 华东" twice: it is duplicated) and one 华北地区
    clusters = sorted(dirty.examples, key=len)
    assert clusters[0] == ["华北", "华北地区"]
    assert clusters[1][0] == "华东" and set(clusters[1]) == {"华东", "华东区", "华东 ", " 华东"}  # the commonest spelling first
    (inf,) = prof.alerts_for("with_inf", "INFINITE")
    assert inf.rows == 2
    (outliers,) = prof.alerts_for("with_outlier", "OUTLIERS")
    assert outliers.rows == 1 and outliers.examples == [5000.0]
    (zeros,) = prof.alerts_for("mostly_zero", "ZEROS")
    assert zeros.rows == ROWS // 2 + 2  # rows 20 and 22 are even and duplicated
    (imbalance,) = prof.alerts_for("is_test", "IMBALANCE")
    assert imbalance.rows == ROWS // 40


def test_units_and_text_alerts_say_shuxi_converts_them(prof: Profile) -> None:
    (units,) = prof.alerts_for("price", "UNITS_IN_NUMBERS")
    assert "already reads them as numbers" in units.message and units.examples[0].endswith("元")
    assert prof.column("price").physical_type == "integer" and prof.column("price").raw_type == "string"
    (dates,) = prof.alerts_for("date_text", "DATE_AS_TEXT")
    assert "年" in dates.examples[0]


def test_semantic_types(prof: Profile) -> None:
    kinds = {c.name: c.semantic_type for c in prof.columns}
    assert kinds["email"] == "email" and kinds["phone"] == "phone" and kinds["id_number"] == "cn_id"
    assert kinds["price"] == "money" and kinds["amount"] == "money"
    assert kinds["clean_date"] == "datetime" and kinds["date_text"] == "datetime"
    assert kinds["clean_category"] == "category" and kinds["is_test"] == "boolean"
    assert kinds["clean_number"] == "number"


def test_column_statistics(prof: Profile, dirty_parquet: Path) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    data = pq.read_table(dirty_parquet)
    col = prof.column("clean_number")
    values = data.column("clean_number")
    assert col.count == data.num_rows and col.missing == 0
    assert col.min == pc.min(values).as_py() and col.max == pc.max(values).as_py()
    assert col.mean == pytest.approx(pc.mean(values).as_py())
    assert col.std == pytest.approx(pc.stddev(values, ddof=1).as_py())
    assert col.quantiles["0.5"] == pytest.approx(pc.quantile(values, q=0.5).to_pylist()[0], rel=0.02)
    assert sum(col.histogram["counts"]) == data.num_rows and len(col.histogram["edges"]) == len(col.histogram["counts"]) + 1
    category = prof.column("clean_category")
    assert category.distinct == 3 and category.distinct_exact
    assert sorted(v for v, _ in category.top_values) == ["blue", "green", "red"]
    assert sum(c for _, c in category.top_values) == data.num_rows
    code = prof.column("mixed")
    assert code.kinds["number"] == pytest.approx(2 / 3, abs=0.01)
    assert prof.column("date_text").patterns[0][0] == "9汉9汉9汉"


def test_distinct_counts_say_whether_exact(prof: Profile) -> None:
    assert prof.column("region").distinct_exact and prof.column("region").distinct == 7
    email = prof.column("email")  # 2,000 distinct: above the exact limit, so estimated
    assert not email.distinct_exact and abs(email.distinct - ROWS) / ROWS < 0.1  # a HyperLogLog estimate


def test_correlations_and_associations(prof: Profile) -> None:
    r = {(a, b): v for a, b, v in prof.correlations}
    assert r[("base", "twice")] == pytest.approx(1.0, abs=1e-3)
    assert abs(r[("clean_number", "with_outlier")]) < 0.2
    assert all(0 <= v <= 1 for _, _, v in prof.associations)


def test_unique_key_on_a_clean_table(clean_parquet: Path) -> None:
    with shuxi.open(clean_parquet) as ds:
        p = ds.profile()
    assert p.candidate_keys == ["order_id"]
    assert [(a.code, a.columns) for a in p.alerts] == [("UNIQUE", ["order_id"])]
    assert p.column("order_id").distinct_exact and p.column("order_id").distinct == ROWS


def test_gb18030_file_with_units(tmp_path: Path) -> None:
    path = write_gb18030(tmp_path / "订单.csv")
    before = sha256(path)
    with shuxi.open(path) as ds:
        p = ds.profile()
    assert sha256(path) == before
    assert p.rows == 300
    codes = pairs(p)
    assert ("UNITS_IN_NUMBERS", "单价") in codes and ("DIRTY_CATEGORY", "地区") in codes and ("MISSING", "备注") in codes
    (dirty,) = p.alerts_for("地区", "DIRTY_CATEGORY")
    assert dirty.rows == 3  # "华东 " and "华东区" become 华东; "ＨＤ" becomes the commoner "hd"
    groups = [set(g) for g in dirty.examples]
    assert {"华东", "华东 ", "华东区"} in groups and {"hd", "ＨＤ"} in groups


def test_json_is_complete_and_serialisable(prof: Profile) -> None:
    data: dict[str, Any] = json.loads(prof.to_json())
    assert data["rows"] == ROWS + 3 and len(data["columns"]) == 23
    assert {a["code"] for a in data["alerts"]} >= {code for code, _ in EXPECTED}
    assert all(set(a) >= {"code", "columns", "rows", "message", "examples"} for a in data["alerts"])


def test_html_report_is_one_self_contained_file(prof: Profile) -> None:
    page = prof.to_html()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "<link" not in page and "@import" not in page
    urls = set(re.findall(r"https?://[^\s\"')]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert page.count("<svg") >= 10  # a chart per column that has values
    assert page.index("Alerts") < page.index("DIRTY_CATEGORY") < page.index('id="col-0"')


@pytest.mark.spark
def test_profile_on_spark_matches_duckdb(spark: Any, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from profile_fixtures import dirty_table

    path = tmp_path / "small.parquet"
    pq.write_table(dirty_table(300).select(["id", "region", "note", "price", "with_outlier", "mostly_zero", "constant"]), path)
    with shuxi.open(path) as ds:
        local = ds.profile()
    with shuxi.open(path, engine="spark") as ds:
        remote = ds.profile()
        sampled = ds.profile(sample_rows=150)  # TABLESAMPLE, columns judged narrow on the sample, histograms in SQL
        wide = ds.profile(exact_distinct=2)  # text details of every column from the per-row flags in Spark SQL
    assert remote.engine == "spark" and remote.rows == local.rows == 303
    assert remote.duplicate_rows == local.duplicate_rows == sampled.duplicate_rows == 3
    for name in ("region", "note", "price", "mostly_zero"):
        a, b = local.column(name), remote.column(name)
        assert (a.count, a.missing, a.missing_by_kind, a.min, a.max) == (b.count, b.missing, b.missing_by_kind, b.min, b.max), name
    for name in ("id", "region", "note", "price", "with_outlier", "mostly_zero", "constant"):
        a, c = local.column(name), sampled.column(name)
        assert (a.count, a.missing_by_kind, a.min, a.max, a.zeros, a.histogram) == (c.count, c.missing_by_kind, c.min, c.max, c.zeros, c.histogram), name
        assert a.mean == pytest.approx(c.mean) and a.std == pytest.approx(c.std), name
    for name in ("region", "note", "constant"):
        a, w = local.column(name), wide.column(name)
        assert (a.count, a.missing, a.missing_by_kind, a.padded) == (w.count, w.missing, w.missing_by_kind, w.padded), name
    assert {(x.code, tuple(x.columns)) for x in remote.alerts} == {(x.code, tuple(x.columns)) for x in local.alerts}
