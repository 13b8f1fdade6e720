"""Type inference on Spark: the same text opens with the same typed columns and values as on DuckDB.

The typed values are engine-neutral sqlglot expressions; these tests check that Spark's spelling of them
(RLIKE, TRY_TO_TIMESTAMP with Java patterns, TRY_CAST, SLICE) reads every cell as DuckDB does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import shuxi
from shuxi.data import infer
from shuxi.data.dataset import Dataset

pytestmark = pytest.mark.spark


Summary = tuple[dict[str, str], dict[str, tuple[str, str]], list[dict[str, Any]]]


def kind_of(data_type: pa.DataType) -> str:
    """The family of an Arrow type: Spark reads a CSV's plain integers as int32 where DuckDB reads int64."""
    for name, test in (("integer", pa.types.is_integer), ("float", pa.types.is_floating), ("bool", pa.types.is_boolean),
                       ("date", pa.types.is_date), ("timestamp", pa.types.is_timestamp)):
        if test(data_type):
            return name
    return "text" if pa.types.is_string(data_type) or pa.types.is_large_string(data_type) else str(data_type)


def summary(ds: Dataset) -> Summary:
    """Column types, conversions (kind, detail) and rows (ordered by the first column)."""
    first = ds.columns[0]
    rows = ds.sql(f"SELECT * FROM {ds.name} ORDER BY {first}").to_pylist()
    return ({f.name: kind_of(f.type) for f in ds.schema},
            {c.column: (c.kind, c.detail) for c in ds.conversions.values()}, rows)


def assert_same_as_duckdb(data: Any, **options: Any) -> Summary:
    """Open ``data`` on DuckDB and on Spark, check both give the same summary, and return it."""
    with shuxi.open(data, **options) as duck, shuxi.open(data, engine="spark", **options) as spark_ds:
        assert spark_ds.engine.dialect == "spark"
        expected, got = summary(duck), summary(spark_ds)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    # Exactly equal, floats too: both engines parse "3.5e4" to the nearest double.
    assert got[2] == expected[2]
    return expected


def test_a_csv_of_text_numbers_and_dates_opens_alike(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(
        "id,amount,money,share,day,born,stamp,flag,code,qty,note\n"
        '1,"7,169",¥3.5万,12.5%,2024年1月2日,"January 2, 1995",2024-01-03T08:05:00.5,是,007,12,hello\n'
        '2,"1,234,567",-¥800,100%,2024年12月31日,"March 10, 2001",2024-01-02T13:45:00,否,012,N/A,world\n'
        "3,N/A,¥0.07万,-3%,N/A,N/A,N/A,N/A,100,7,\n"
        '4,"-3,000",2亿,0.5 %,2024年2月29日,"september 9, 1999",2024-02-29T00:00:00,是,200,-,"a,b"\n',
        encoding="utf-8",
    )
    schema, conversions, rows = assert_same_as_duckdb(path)
    assert {c: k for c, (k, _) in conversions.items()} == {
        "amount": "integer", "money": "number", "share": "percent", "day": "date", "born": "date",
        "stamp": "timestamp", "flag": "boolean", "qty": "integer",
    }
    assert schema["code"] == "text" and schema["note"] == "text"
    assert rows[0] == {"id": 1, "amount": 7169, "money": 35000.0, "share": 0.125, "day": dt.date(2024, 1, 2),
                       "born": dt.date(1995, 1, 2), "stamp": dt.datetime(2024, 1, 3, 8, 5, 0, 500000), "flag": True,
                       "code": "007", "qty": 12, "note": "hello"}
    assert [r["amount"] for r in rows] == [7169, 1234567, None, -3000]
    assert [r["born"] for r in rows][3] == dt.date(1999, 9, 9)


def test_edge_cases_read_alike(spark: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Decide on the first four rows, so the whole-table verification meets the late cells.
    monkeypatch.setattr(infer, "EXAMPLE_ROWS", 4)
    monkeypatch.setattr(infer, "SAMPLE_ROWS", 4)
    columns = {
        "i": [str(i) for i in range(8)],
        "late_decimal": ["1", "2", "3", "4", "5", "6", "7", "2.5"],  # a number: Spark's TRY_CAST('2.5' AS BIGINT) is NULL
        "late_text": ["1", "2", "3", "4", "5", "6", "7", "see note"],  # stays text
        "newline": ["1", "2", "3", "4", "5", "6", "7", "12\n"],  # Java's $ would match before the newline
        "padded": ["\u300012\u3000", " 7", "3", "4", "5", "6", "7", "8"],
        "short_year": ["12/31/95", "1/2/05", "2/29/96", "3/4/68", "7/8/69", "N/A", "", None],  # %y: 69-99 are 19xx
        "clock": ["2024-01-02 01:05 PM", "2024-1-3 8:05 am", "2024-01-04 12:00 AM", "-", "", None, None, None],
        "iso": ["2024-01-02T13:45:00Z", "2024-01-03T08:05:59Z", "null", None, None, None, None, None],
        "ambiguous": ["01/02/2024", "03/04/2024", "05/06/2024", "07/08/2024", None, None, None, None],  # stays text
        "impossible": ["2024-02-30", "2024-01-02", "2024-01-03", None, None, None, None, None],  # stays text
        "units": ["35千克", "2千克", "-1,200千克", "−3千克", "无", "N/A", "#N/A", "——"],
        "yes_no": ["Y", "n", "√", "×", "N/A", "y", "N", "Yes"],
    }
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    _, conversions, rows = assert_same_as_duckdb(table)
    assert {c: k for c, (k, _) in conversions.items()} == {
        "i": "integer", "late_decimal": "number", "padded": "integer", "short_year": "date", "clock": "timestamp",
        "iso": "timestamp", "units": "integer", "yes_no": "boolean",
    }
    assert [r["short_year"] for r in rows[:5]] == [dt.date(1995, 12, 31), dt.date(2005, 1, 2), dt.date(1996, 2, 29),
                                                   dt.date(2068, 3, 4), dt.date(1969, 7, 8)]
    assert [r["clock"] for r in rows[:3]] == [dt.datetime(2024, 1, 2, 13, 5), dt.datetime(2024, 1, 3, 8, 5),
                                              dt.datetime(2024, 1, 4, 0, 0)]
    assert [r["units"] for r in rows[:4]] == [35, 2, -1200, -3]
