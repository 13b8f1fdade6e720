"""shuxi.open on every kind of input it accepts: files, globs, folders, workbooks and in-memory frames."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import shuxi
from shuxi.data.opening import table_name_for


def rows(ds: shuxi.Dataset, order: str | None = None) -> list[tuple[Any, ...]]:
    sql = f'SELECT * FROM "{ds.name}"' + (f' ORDER BY "{order}"' if order else "")
    return [tuple(r.values()) for r in ds.engine.execute(sql).to_pylist()]


# -- delimited text ----------------------------------------------------------------------------------


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_text("region,amount\n华东,1200\n华北,800\n", encoding="utf-8")
    ds = shuxi.open(path)
    assert ds.name == "sales"
    assert ds.schema.field("amount").type == pa.int64()
    assert ds.sql("SELECT sum(amount) AS total FROM sales").to_pylist() == [{"total": 2000}]


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "sales.tsv"
    path.write_text("region\tamount\tnote\n华东\t1200\ta, b\n华北\t800\tc\n", encoding="utf-8")
    ds = shuxi.open(path)
    assert ds.columns == ["region", "amount", "note"]
    assert rows(ds) == [("华东", 1200, "a, b"), ("华北", 800, "c")]


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_text("name;price;qty\nApfel;2,50;3\nBirne;1,75;10\nKiwi;0,99;7\n", encoding="utf-8")
    ds = shuxi.open(path)
    assert ds.columns == ["name", "price", "qty"]
    assert rows(ds)[0][0] == "Apfel" and rows(ds)[0][2] == 3


def test_pipe_delimited_txt(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text("a|b\n1|x\n2|y\n", encoding="utf-8")
    assert rows(shuxi.open(path)) == [(1, "x"), (2, "y")]


def test_headerless_csv(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    path.write_text("1,2.5,east\n2,3.5,west\n3,4.5,north\n", encoding="utf-8")
    ds = shuxi.open(path)
    assert len(ds.columns) == 3 and ds.columns[0] != "1"
    assert rows(ds)[0] == (1, 2.5, "east")
    named = shuxi.open(path, header=False, delimiter=",")
    assert len(rows(named)) == 3


def test_quoted_fields_with_delimiters_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('id,comment\n1,"hello, world"\n2,"two\nlines"\n3,"say ""hi"""\n', encoding="utf-8")
    assert rows(shuxi.open(path)) == [(1, "hello, world"), (2, "two\nlines"), (3, 'say "hi"')]


def test_csv_glob(tmp_path: Path) -> None:
    for month in (1, 2, 3):
        (tmp_path / f"sales_2024_{month:02d}.csv").write_text(f"month,amount\n{month},{month * 100}\n", encoding="utf-8")
    ds = shuxi.open(str(tmp_path / "sales_*.csv"))
    assert sorted(rows(ds)) == [(1, 100), (2, 200), (3, 300)]


# -- Parquet -------------------------------------------------------------------------------------------


def test_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "city": ["北京", "上海", "广州"]}), path)
    ds = shuxi.open(path)
    assert ds.name == "orders" and rows(ds, "id") == [(1, "北京"), (2, "上海"), (3, "广州")]


def test_parquet_glob_and_folder(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    (folder / "sub").mkdir(parents=True)
    pq.write_table(pa.table({"n": [1, 2]}), folder / "part-0.parquet")
    pq.write_table(pa.table({"n": [3]}), folder / "sub" / "part-1.parquet")
    assert sorted(rows(shuxi.open(folder))) == [(1,), (2,), (3,)]
    assert sorted(rows(shuxi.open(str(folder / "*.parquet")))) == [(1,), (2,)]
    assert sorted(rows(shuxi.open(str(folder / "**" / "*.parquet")))) == [(1,), (2,), (3,)]
    assert shuxi.open(folder).name == "events"


def test_hive_partitioned_folder(tmp_path: Path) -> None:
    root = tmp_path / "sales"
    for year, region, amount in ((2023, "east", 10), (2024, "east", 20), (2024, "west", 30)):
        part = root / f"year={year}" / f"region={region}"
        part.mkdir(parents=True)
        pq.write_table(pa.table({"amount": [amount]}), part / "data.parquet")
    ds = shuxi.open(root)
    assert set(ds.columns) == {"amount", "year", "region"}
    total = ds.sql("SELECT sum(amount) AS s FROM sales WHERE year = 2024 AND region = 'east'")
    assert total.to_pylist() == [{"s": 20}]


# -- JSON ------------------------------------------------------------------------------------------------


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"name": "苹果", "qty": 3}, {"name": "香蕉", "qty": 5}], ensure_ascii=False), encoding="utf-8")
    assert rows(shuxi.open(path)) == [("苹果", 3), ("香蕉", 5)]


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_json_lines(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"log{suffix}"
    path.write_text('{"level": "info", "ms": 12}\n{"level": "error", "ms": 340}\n', encoding="utf-8")
    assert rows(shuxi.open(path)) == [("info", 12), ("error", 340)]


# -- Excel -------------------------------------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "销售"
    first.append(["日期", "地区", "销售额", "备注"])
    first.append([dt.datetime(2024, 1, 2), "华东", 1200, "¥1,200"])
    first.append([dt.datetime(2024, 1, 3), "华北", 800.5, "¥800"])
    second = book.create_sheet("库存")
    second.append(["产品", "数量"])
    second.append(["苹果", 3])
    path = tmp_path / "report.xlsx"
    book.save(path)
    return path


def test_xlsx_first_sheet(workbook: Path) -> None:
    ds = shuxi.open(workbook)
    assert ds.name == "report"
    assert ds.columns == ["日期", "地区", "销售额", "备注"]
    assert ds.schema.field("日期").type == pa.timestamp("us")
    assert ds.schema.field("销售额").type == pa.float64()
    assert ds.conversions["备注"].kind == "integer"  # text cells such as "¥1,200" are inferred too
    assert rows(ds)[0] == (dt.datetime(2024, 1, 2), "华东", 1200.0, 1200)


@pytest.mark.parametrize("sheet", ["库存", 1])
def test_xlsx_sheet_by_name_or_index(workbook: Path, sheet: str | int) -> None:
    assert rows(shuxi.open(workbook, sheet=sheet)) == [("苹果", 3)]


def test_xlsx_unknown_sheet(workbook: Path) -> None:
    with pytest.raises(shuxi.DataError, match="no sheet named"):
        shuxi.open(workbook, sheet="missing")
    with pytest.raises(shuxi.DataError, match="no sheet number 5"):
        shuxi.open(workbook, sheet=5)


# -- in-memory frames --------------------------------------------------------------------------------------


def test_pandas_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    ds = shuxi.open(pd.DataFrame({"city": ["北京", "上海"], "sales": ["1,200", "800"]}))
    assert ds.name == "data" and ds.schema.field("sales").type == pa.int64()
    assert ds.sql("SELECT sum(sales) AS s FROM data").to_pylist() == [{"s": 2000}]


def test_polars_dataframe_and_lazyframe() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    assert rows(shuxi.open(frame)) == [("a", 1), ("b", 2)]
    assert rows(shuxi.open(frame.lazy())) == [("a", 1), ("b", 2)]


def test_arrow_table_and_record_batch() -> None:
    table = pa.table({"x": [1, 2], "y": ["a", "b"]})
    assert rows(shuxi.open(table, name="t")) == [(1, "a"), (2, "b")]
    assert rows(shuxi.open(table.to_batches()[0])) == [(1, "a"), (2, "b")]


# -- names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("2024 销售 数据.csv", "t_2024_销售_数据"),
        ("/data/Sales-Report (final).xlsx", "sales_report_final"),
        ("order.csv", "t_order"),
        ("data/*.parquet", "data"),
        ("logs/2024-*.jsonl", "logs"),
        ("---.csv", "data"),
    ],
)
def test_table_name_for(origin: str, expected: str) -> None:
    assert table_name_for(origin) == expected
    assert expected.isidentifier()


def test_name_from_a_chinese_file_name(tmp_path: Path) -> None:
    path = tmp_path / "2024 销售 数据.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    ds = shuxi.open(path)
    assert ds.name == "t_2024_销售_数据"
    assert ds.sql("SELECT count(*) AS n FROM t_2024_销售_数据").to_pylist() == [{"n": 1}]
    assert shuxi.open(path, name="sales").name == "sales"


def test_chinese_space_and_punctuation_column_names(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text('销售额,"unit price ($)","a-b.c",地区 名称\n"¥1,200",2.5,x,华东\n"¥300",4,y,华北\n', encoding="utf-8")
    ds = shuxi.open(path)
    assert ds.columns == ["销售额", "unit price ($)", "a-b.c", "地区 名称"]
    result = ds.sql('SELECT max(销售额) AS s, max("unit price ($)") AS p, min("a-b.c") AS c, count("地区 名称") AS r FROM odd')
    assert result.to_pylist() == [{"s": 1200, "p": 4.0, "c": "x", "r": 2}]


# -- what the schema says --------------------------------------------------------------------------------------


def test_schema_metadata_of_converted_columns(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_text('day,amount,share,flag\n2024年1月2日,"¥3.5万",12.5%,是\n2024年1月3日,"¥2万",50%,否\n', encoding="utf-8")
    ds = shuxi.open(path)
    fields = {f.name: f for f in ds.schema}
    assert fields["day"].type == pa.date32()
    assert fields["day"].metadata[b"shuxi.converted_from"] == b"text"
    assert fields["day"].metadata[b"shuxi.kind"] == b"date"
    assert fields["amount"].metadata[b"shuxi.kind"] == b"number"
    assert "万" in fields["amount"].metadata[b"shuxi.detail"].decode()
    assert fields["share"].metadata[b"shuxi.kind"] == b"percent"
    assert fields["flag"].metadata[b"shuxi.kind"] == b"boolean"
    described = {d["name"]: d for d in ds.describe_schema()}
    assert described["amount"]["raw"] == "sales__raw.amount"
    assert ds.sql("SELECT amount FROM sales__raw ORDER BY day").column(0).to_pylist() == ["¥3.5万", "¥2万"]
    assert ds.sql("SELECT sum(amount) AS s, avg(share) AS a FROM sales").to_pylist() == [{"s": 55000.0, "a": 0.3125}]


def test_a_file_name_with_glob_characters_opens_as_that_file(tmp_path: Path) -> None:
    path = tmp_path / "report[2024].csv"
    path.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert ds.name == "report_2024"
        assert ds.sql("SELECT sum(a) AS s FROM report_2024").to_pylist() == [{"s": 4}]
