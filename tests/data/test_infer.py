"""Type inference: text cells that are numbers, percentages, dates or yes/no become typed columns."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import shuxi
from shuxi.config import load_settings
from shuxi.data import infer
from shuxi.data.dataset import Dataset


def open_text(**columns: list[Any]) -> Dataset:
    """A dataset over an Arrow table whose columns are all text (padded with NULLs to one length)."""
    n = max(len(v) for v in columns.values())
    return shuxi.open(pa.table({k: pa.array(v + [None] * (n - len(v)), pa.string()) for k, v in columns.items()}))


def values(ds: Dataset, column: str) -> list[Any]:
    sql = f'SELECT "{column}" FROM "{ds.name}"'
    return [v for v in ds.engine.execute(sql).column(0).to_pylist()]


def kind(ds: Dataset, column: str) -> str | None:
    conversion = ds.conversions.get(column)
    return conversion.kind if conversion else None


# -- numbers ----------------------------------------------------------------------------------------


def test_thousands_separators_and_placeholders() -> None:
    ds = open_text(n=["7,169", "1,234,567", "N/A", "12", "-3,000", "", "null", "—"],
                   x=["1,234,567.5", "0.5", "-", "1e3", None, "无", "n/a", "NULL"])
    assert kind(ds, "n") == "integer" and ds.schema.field("n").type == pa.int64()
    assert values(ds, "n") == [7169, 1234567, None, 12, -3000, None, None, None]
    assert "thousands separators" in ds.conversions["n"].detail
    assert kind(ds, "x") == "number" and ds.schema.field("x").type == pa.float64()
    assert values(ds, "x") == [1234567.5, 0.5, None, 1000.0, None, None, None, None]


def test_currencies_units_and_magnitudes() -> None:
    ds = open_text(
        money=["¥3.5万", "2亿", "¥1.2千", "-¥800", "¥0.07万"],
        usd=["$1,200.50", "$3", "-$4.25", "$0"],
        rmb=["100 RMB", "2,000 RMB", "35 RMB"],
        yuan=["100元", "3.5万元", "0", "12元"],
        weight=["35kg", "1,000kg", "2.5 kg"],
        kilo=["35千克", "2千克"],
        eur=["€1.234", "€5"],
        accounting=["(1,200)", "300", "(5)"],
    )
    assert values(ds, "money") == [35000.0, 200_000_000.0, 1200.0, -800.0, 700.0]
    assert "currency ¥" in ds.conversions["money"].detail and "万" in ds.conversions["money"].detail
    assert values(ds, "usd")[:4] == [1200.5, 3.0, -4.25, 0.0]
    assert values(ds, "rmb")[:3] == [100, 2000, 35] and "unit RMB" in ds.conversions["rmb"].detail
    assert values(ds, "yuan")[:4] == [100.0, 35000.0, 0.0, 12.0] and "unit 元" in ds.conversions["yuan"].detail
    assert values(ds, "weight")[:3] == [35.0, 1000.0, 2.5] and "unit kg" in ds.conversions["weight"].detail
    assert values(ds, "kilo")[:2] == [35, 2]  # 千克 is a unit, not "thousand 克"
    assert values(ds, "eur")[:2] == [1.234, 5.0]
    assert values(ds, "accounting")[:3] == [-1200, 300, -5]
    assert "accounting negatives" in ds.conversions["accounting"].detail


def test_inconsistent_units_or_currencies_stay_text() -> None:
    ds = open_text(units=["100元", "1000件"], currencies=["$1", "¥2"], kg=["1kg", "500g"])
    assert ds.conversions == {}
    assert values(ds, "units")[:2] == ["100元", "1000件"]


def test_large_magnitudes_are_exact() -> None:
    ds = open_text(v=["1.5万亿", "3千万", "0.07万", "12百万"])
    assert values(ds, "v") == [1.5e12, 3e7, 700.0, 12e6]


def test_percentages_become_fractions() -> None:
    ds = open_text(p=["12.5%", "100%", "-3%", "0.5 %", "N/A"])
    assert kind(ds, "p") == "percent" and ds.schema.field("p").type == pa.float64()
    assert values(ds, "p") == [0.125, 1.0, -0.03, 0.005, None]


def test_malformed_numbers_stay_text() -> None:
    ds = open_text(lists=["1,2,3", "4"], european=["12,34", "1,5"], versions=["1.2.3", "1.3.0"],
                   words=["hello", "world"], fullwidth=["１２", "３"], hexish=["0x10", "12"])
    assert ds.conversions == {}


# -- identifiers never become numbers ----------------------------------------------------------------


def test_identifier_like_text_stays_text() -> None:
    ds = open_text(
        leading_zero=["007", "12", "100"],
        bank_card=["6222021234567890123", "6222021234567890124"],
        sixteen=["1234567890123456", "1"],
        mobile=["13812345678", "13912345678", "15000000000"],
        zip=["100080", "200030", "310000"],
        phone=["12345", "2345678", "345678"],
        邮编=["1234", "23456", "3456"],
    )
    assert ds.conversions == {}
    assert values(ds, "leading_zero") == ["007", "12", "100"]


def test_identifier_columns_as_integers_are_fine() -> None:
    ds = open_text(order_id=["12", "345", "6789"], 客户编号=["1", "2", "30"])
    assert (kind(ds, "order_id"), kind(ds, "客户编号")) == ("integer", "integer")


def test_plain_integers_left_as_text_by_a_placeholder_become_numbers(tmp_path: Path) -> None:
    path = tmp_path / "qty.csv"
    path.write_text("region,qty\n华东,12\n华北,N/A\n华南,7\n", encoding="utf-8")
    ds = shuxi.open(path)
    assert ds.raw_schema.field("qty").type == pa.string()  # DuckDB kept it as text because of "N/A"
    assert kind(ds, "qty") == "integer"
    assert values(ds, "qty") == [12, None, 7]


# -- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected", "fmt"),
    [
        (["2024-01-02", "2024-12-31"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], "%Y-%m-%d"),
        (["2024/1/2", "2024/12/31"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], "%Y/%m/%d"),
        (["2024.1.2", "2024.12.31"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], "%Y.%m.%d"),
        (["2024年1月2日", "2024年12月31日"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], "%Y年%m月%d日"),
        (["January 2, 1995", "March 10, 2001"], [dt.date(1995, 1, 2), dt.date(2001, 3, 10)], "%B %d, %Y"),
        (["Jan 2, 1995", "Sep 10, 2001"], [dt.date(1995, 1, 2), dt.date(2001, 9, 10)], "%b %d, %Y"),
        (["2 January 1995", "10 March 2001"], [dt.date(1995, 1, 2), dt.date(2001, 3, 10)], "%d %B %Y"),
        (["13/02/2024", "01/03/2024"], [dt.date(2024, 2, 13), dt.date(2024, 3, 1)], "%d/%m/%Y"),
        (["12/31/2024", "1/2/2024"], [dt.date(2024, 12, 31), dt.date(2024, 1, 2)], "%m/%d/%Y"),
    ],
)
def test_date_formats(cells: list[str], expected: list[dt.date], fmt: str) -> None:
    ds = open_text(d=[*cells, "N/A", ""])
    assert kind(ds, "d") == "date" and ds.schema.field("d").type == pa.date32()
    assert values(ds, "d") == [*expected, None, None]
    assert ds.conversions["d"].detail == f"format {fmt}"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["2024-01-02 13:45", "2024-1-3 8:05"], [dt.datetime(2024, 1, 2, 13, 45), dt.datetime(2024, 1, 3, 8, 5)]),
        (["2024-01-02 13:45:00", "2024-01-03 08:05:59"], [dt.datetime(2024, 1, 2, 13, 45), dt.datetime(2024, 1, 3, 8, 5, 59)]),
        (["2024-01-02T13:45:00", "2024-01-03T08:05:00.5"], [dt.datetime(2024, 1, 2, 13, 45), dt.datetime(2024, 1, 3, 8, 5, 0, 500000)]),
        (["2024年1月2日 13:45", "2024年1月3日 08:05"], [dt.datetime(2024, 1, 2, 13, 45), dt.datetime(2024, 1, 3, 8, 5)]),
    ],
)
def test_timestamps(cells: list[str], expected: list[dt.datetime]) -> None:
    ds = open_text(t=cells)
    assert kind(ds, "t") == "timestamp"
    assert values(ds, "t") == expected


def test_ambiguous_day_month_stays_text() -> None:
    ds = open_text(d=["01/02/2024", "03/04/2024", "12/11/2024"])
    assert ds.conversions == {}


def test_mixed_unambiguous_formats_in_one_column() -> None:
    ds = open_text(d=["2024-01-02", "2024/1/3", "2024年1月4日"])
    assert values(ds, "d") == [dt.date(2024, 1, 2), dt.date(2024, 1, 3), dt.date(2024, 1, 4)]


def test_impossible_dates_and_two_digit_years_stay_text() -> None:
    assert open_text(d=["2024-02-30", "2024-01-02"]).conversions == {}
    assert open_text(d=["24-01-02", "24-01-03"]).conversions == {}


# -- booleans --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells",
    [["是", "否", "是"], ["对", "错", "对"], ["yes", "No", "YES"], ["Y", "n", "y"], ["true", "FALSE", "True"], ["1", "0", "1"]],
)
def test_booleans(cells: list[str]) -> None:
    ds = open_text(b=[*cells, "N/A"])
    assert kind(ds, "b") == "boolean" and ds.schema.field("b").type == pa.bool_()
    assert values(ds, "b") == [True, False, True, None]


# -- the whole-table verification ------------------------------------------------------------------------


@pytest.fixture
def small_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decide on the first 10 rows only, so the whole-table verification has work to do."""
    monkeypatch.setattr(infer, "EXAMPLE_ROWS", 10)
    monkeypatch.setattr(infer, "SAMPLE_ROWS", 10)


@pytest.mark.usefixtures("small_sample")
def test_a_late_unreadable_cell_keeps_the_column_text() -> None:
    ds = open_text(n=[str(i) for i in range(50)] + ["see note"], d=["2024-01-02"] * 50 + ["2024-02-30"],
                   ok=[str(i) for i in range(51)])
    assert kind(ds, "n") is None and kind(ds, "d") is None
    assert kind(ds, "ok") == "integer"


@pytest.mark.usefixtures("small_sample")
def test_a_late_decimal_makes_an_integer_column_a_number() -> None:
    ds = open_text(n=[str(i) for i in range(50)] + ["2.5"])
    assert kind(ds, "n") == "number"
    assert values(ds, "n")[-1] == 2.5


@pytest.mark.usefixtures("small_sample")
def test_a_late_padded_cell_is_not_a_wrong_value() -> None:
    ds = open_text(n=[str(i) for i in range(50)] + ["\u300012\u3000"])
    # Either converted correctly or left as text: never a wrong number.
    assert kind(ds, "n") is None or values(ds, "n")[-1] == 12


def test_columns_with_few_values_are_verified_on_every_distinct_value() -> None:
    # Three values repeat through the sample, so these columns are checked on their distinct values: a value
    # that appears only after the sample must still decide, exactly as it does cell by cell.
    rows = infer.SAMPLE_ROWS + 10_000
    cycle = [str(i % 3) for i in range(rows)]
    ds = open_text(bad=cycle + ["see note"], decimal=cycle + ["2.5"], yes=["yes", "no"] * (rows // 2) + ["maybe"],
                   good=cycle + ["N/A"], day=["2024-01-02", "2024-01-03"] * (rows // 2) + ["2024-02-30"])
    assert kind(ds, "bad") is None and kind(ds, "yes") is None and kind(ds, "day") is None
    assert kind(ds, "decimal") == "number" and kind(ds, "good") == "integer"
    summary = ds.sql("SELECT max(decimal) AS top, count(*) - count(good) AS missing FROM data").to_pylist()
    assert summary == [{"top": 2.5, "missing": 1}]  # a placeholder is missing, not a failure


def test_all_varchar_fallback_types_plain_columns(tmp_path: Path) -> None:
    # A value far down the file breaks the type DuckDB's sniffer guessed, so DuckDB reads every column as
    # text; inference must then type the plain integer, float and ISO date columns itself.
    rows = [f"{i},{i * 1.5},2024-01-{i % 28 + 1:02d},{i}" for i in range(25_000)]
    rows.append("25000,1.5,2024-01-01,not a number")
    path = tmp_path / "late.csv"
    path.write_text("id,price,day,code\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ds = shuxi.open(path)
    assert all(f.type == pa.string() for f in ds.raw_schema)
    assert (kind(ds, "id"), kind(ds, "price"), kind(ds, "day"), kind(ds, "code")) == ("integer", "number", "date", None)
    assert ds.engine.execute(f"SELECT sum(id), max(day) FROM {ds.name}").to_pylist() == [
        {"sum(id)": sum(range(25_001)), "max(\"day\")": dt.date(2024, 1, 28)}
    ]


# -- the view itself ---------------------------------------------------------------------------------------


def test_view_keeps_order_names_and_raw_text() -> None:
    ds = open_text(**{"销售 额": ["¥1,200", "¥300"], "note": ["a", "b"], 'we"ird': ["1", "2"], "当日": ["2024年1月2日", "2024年1月3日"]})
    assert ds.columns == ["销售 额", "note", 'we"ird', "当日"]
    assert values(ds, "销售 额") == [1200, 300]
    raw = ds.engine.execute(f'SELECT "销售 额" FROM "{ds.raw_name}"').column(0).to_pylist()
    assert raw == ["¥1,200", "¥300"]
    assert ds.engine.execute(f'SELECT "we""ird" FROM "{ds.name}"').column(0).to_pylist() == [1, 2]


def test_padded_cells_are_trimmed() -> None:
    ds = open_text(n=[" 12 ", "\u300013\u3000", "7"], b=[" 是", "否 "])
    assert values(ds, "n") == [12, 13, 7]
    assert values(ds, "b")[:2] == [True, False]


def test_free_text_and_long_cells_stay_text() -> None:
    ds = open_text(text=["这是一段很长的评论"] * 3, long=["1" * 10 + "," + "x" * 200, "2"])
    assert ds.conversions == {}


def test_no_inference_when_asked() -> None:
    ds = shuxi.open(pa.table({"n": ["7,169", "12"]}), infer_types=False)
    assert ds.conversions == {} and ds.schema.field("n").type == pa.string()


def test_conversions_are_sqlglot_expressions() -> None:
    ds = open_text(n=["7,169", "12"])
    sql = ds.engine.render(ds.conversions["n"].expression)
    assert sql.startswith("CASE WHEN REGEXP_FULL_MATCH(") and '"n"' in sql


# -- speed -------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_inference_on_a_million_rows_is_fast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    path = tmp_path / "big.csv"
    duckdb.sql(f"""
        COPY (SELECT i AS id,
                     format('{{:,}}', (i * 7919) % 10000000) AS amount,
                     '¥' || ((i % 1000) / 10.0)::VARCHAR || '万' AS money,
                     strftime(DATE '2020-01-01' + (i % 1500)::INT, '%Y年%-m月%-d日') AS day,
                     ((i % 1000) / 10.0)::VARCHAR || '%' AS share,
                     CASE WHEN i % 97 = 0 THEN 'N/A' ELSE (i % 5000)::VARCHAR END AS qty,
                     ['华东', '华北', '华南', '西部'][i % 4 + 1] AS region,
                     md5(i::VARCHAR) AS note
              FROM range(1000000) t(i)) TO '{path}' (HEADER)""")
    settings = load_settings({"threads": 2})
    ds = shuxi.open(path, infer_types=False, settings=settings)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        conversions = infer.infer_conversions(ds.engine, ds.raw_name, ds.raw_schema)
        timings.append(time.perf_counter() - start)
    assert [c.column for c in conversions] == ["amount", "money", "day", "share", "qty"]
    with capsys.disabled():
        print(f"\ninference over 1M rows, 5 converted + 2 text columns, 2 threads: best {min(timings):.2f}s "
              f"(runs: {', '.join(f'{t:.2f}' for t in timings)})")
    assert min(timings) < 2.0


def test_engine_failure_during_inference_leaves_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from shuxi.errors import QueryTimeoutError

    def too_slow(*args: object, **kwargs: object) -> None:
        raise QueryTimeoutError("The query was stopped after 1 seconds.")

    monkeypatch.setattr(infer, "_aggregate", too_slow)
    ds = open_text(n=["7,169", "12"])
    assert ds.conversions == {} and values(ds, "n") == ["7,169", "12"]


def test_conversions_render_for_spark_without_duckdb_functions() -> None:
    # The typed values are engine-neutral nodes; Spark's spelling comes from its dialect (no Spark needed here).
    ds = open_text(n=["7,169", "12"], d=["2024-01-02T13:45:00", "2024-01-03T08:05:59"], y=["12/31/95", "1/2/05"])
    from shuxi.plan.dialects import render

    number = render(ds.conversions["n"].expression, "spark")
    assert "RLIKE '^(?:" in number and "\\\\z'" in number and "TRY_CAST(" in number
    assert "REGEXP_FULL_MATCH" not in number and "REGEXP_MATCHES" not in number
    stamp = render(ds.conversions["d"].expression, "spark")
    assert "TRY_TO_TIMESTAMP(`d`, 'yyyy-M-d\\'T\\'H:mm:ss')" in stamp and "STRPTIME" not in stamp.upper()
    # Java's "yy" reads 95 as 2095; DuckDB reads 69-99 as 19xx.
    assert "INTERVAL '100' YEAR" in render(ds.conversions["y"].expression, "spark")


@pytest.mark.parametrize(
    ("fmt", "pattern"),
    [("%Y年%m月%d日", "yyyy'年'M'月'd'日'"), ("%B %d, %Y", "MMMM d, yyyy"), ("%Y-%m-%dT%H:%M:%S.%fZ", "yyyy-M-d'T'H:mm:ss.SSSSSS'Z'"),
     ("%m/%d/%Y %I:%M %p", "M/d/yyyy h:mm a"), ("%d-%b-%Y", "d-MMM-yyyy")],
)
def test_strptime_formats_become_java_patterns(fmt: str, pattern: str) -> None:
    from shuxi.plan.dialect_spark import _java_pattern

    assert _java_pattern(fmt) == pattern


def test_python_examples_trim_and_drop_placeholders_as_the_engine_does() -> None:
    # The propose step trims and filters its examples in Python; the checks after it run in the engine.
    # Both must agree on every cell, so compare the Python twin with the engine's own expressions.
    from sqlglot import exp

    cells = ["12", " 12", "12\u3000", "\u00a013 ", "\f14", "N/A", " n/a ", "—", "无", "", "   ", "null ", "nullable",
             "x" * 64, " " + "y" * 64, "z" * 65, "NaN", "-", "--", "-5", "是"]
    ds = shuxi.open(pa.table({"c": pa.array(cells, pa.string())}))
    text = infer.cell_text("c", trim=True)
    query = exp.select(exp.alias_(text, "t"), exp.alias_(infer.present(text), "p")).from_(ds.raw_name)
    rows = ds.engine.execute(query).to_pylist()
    engine_kept = list(dict.fromkeys(r["t"] for r in rows if r["p"] and len(r["t"]) <= infer.MAX_CELL))
    assert infer._examples(cells) == engine_kept
    assert "12" in engine_kept and "N/A" not in engine_kept and "z" * 65 not in engine_kept


# -- Parquet statistics as free examples ----------------------------------------------------------------------


def test_parquet_bounds_are_real_cells_of_each_text_column(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    long = "长" * 30  # 90 UTF-8 bytes: a writer may truncate such a bound, so it is not used
    table = pa.table({"region": ["华东", "西南", "华北", "东北"], "n": ["1", "-", "30", "4"], "note": ["a", long, "b", "c"],
                      "x": [1, 2, 3, 4]})
    pq.write_table(table, path, row_group_size=2)
    ds = shuxi.open(path, infer_types=False)
    engine = ds.engine
    assert engine.text_bounds(ds.raw_name) == {}  # sealed: no file is read any more
    from shuxi.engines.duckdb import DuckDBEngine

    fresh = DuckDBEngine(ds.settings)
    fresh.register("t", ds.source)
    cells = fresh.text_bounds("t")
    assert set(cells["region"]) == {"华东", "西南", "华北", "东北"}  # each row group's smallest and largest
    assert set(cells["n"]) == {"-", "1", "30", "4"} and "x" not in cells
    assert long not in cells["note"]
    fresh.close()


def test_bounds_rule_out_only_columns_that_cannot_convert() -> None:
    assert infer._ruled_out("region", ["东北", "西南"])
    assert infer._ruled_out("code", ["007", "123"])  # an identifier: leading zeros
    assert infer._ruled_out("mixed", ["0", "VIP9"])
    assert infer._ruled_out("note", ["x" * 65])
    assert not infer._ruled_out("n", ["-", "9"])  # a placeholder proves nothing; 9 is a number
    assert not infer._ruled_out("flag", ["no", "yes"]) and not infer._ruled_out("day", ["2024年01月01日", "2024年12月31日"])
    assert not infer._ruled_out("empty", []) and not infer._ruled_out("blank", ["", "N/A"])


def test_parquet_columns_convert_the_same_with_and_without_bounds(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "orders.parquet"
    rows = 4_000
    table = pa.table({
        "region": [["华东", "西南", "华北"][i % 3] for i in range(rows)],
        "price": [f"{i % 50 + 1}元" for i in range(rows)],
        "qty": ["-" if i % 97 == 0 else str(i % 9) for i in range(rows)],
        "late": [str(i) for i in range(rows - 1)] + ["see note"],  # the bounds cannot see this cell
    })
    pq.write_table(table, path, row_group_size=1_000)
    with_bounds = shuxi.open(path)
    assert (kind(with_bounds, "region"), kind(with_bounds, "price"), kind(with_bounds, "qty"), kind(with_bounds, "late")) == (
        None, "integer", "integer", None)
    without = shuxi.open(pa.Table.from_batches(pq.read_table(path).to_batches()))  # the same cells, no statistics
    assert {c: kind(without, c) for c in table.column_names} == {c: kind(with_bounds, c) for c in table.column_names}
