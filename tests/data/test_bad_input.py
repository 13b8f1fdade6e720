"""The bad-input contract: every unreadable input raises a ShuxiError that names the file and says what to
do, leaves the file exactly as it was, and writes nothing next to it."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import shuxi
from shuxi.errors import ColumnNotFoundError, DataError, EncodingError, ShuxiError


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the sha256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(target: Path | str, folder: Path, error: type[ShuxiError], match: str, **options: object) -> ShuxiError:
    """Open ``target`` expecting ``error``; check the message and that nothing under ``folder`` changed."""
    before = snapshot(folder)
    with pytest.raises(error, match=match) as info:
        shuxi.open(target, **options)
    assert snapshot(folder) == before, "the input folder changed"
    raised = info.value
    name = Path(str(target)).name
    assert name in str(raised), f"the message does not name {name}: {raised}"
    assert raised.hint, f"the message does not say what to do: {raised}"
    return raised


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# -- paths that lead nowhere ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "nope.csv", tmp_path, DataError, "does not exist")


def test_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    refused(folder, tmp_path, DataError, "holds no Parquet files")


def test_folder_of_csv_files_suggests_a_glob(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write(folder, "a.csv", "x\n1\n")
    error = refused(folder, tmp_path, DataError, "holds no Parquet files")
    assert "*.csv" in str(error)


def test_unknown_extension(tmp_path: Path) -> None:
    refused(write(tmp_path, "report.pdf", b"%PDF-1.4\n"), tmp_path, DataError, "extension")


def test_old_excel_format(tmp_path: Path) -> None:
    refused(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), tmp_path, DataError, r"\.xls")


def test_glob_that_matches_nothing(tmp_path: Path) -> None:
    refused(str(tmp_path / "2024-*.csv"), tmp_path, DataError, "matches no files")


def test_glob_mixing_formats(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", "x\n1\n")
    write(tmp_path, "b.json", '[{"x": 1}]')
    with pytest.raises(DataError, match="mixes file types"):
        shuxi.open(str(tmp_path / "*.*"))


# -- empty and malformed text ------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    refused(write(tmp_path, "empty.csv", b""), tmp_path, DataError, "is empty")


def test_blank_lines_only(tmp_path: Path) -> None:
    refused(write(tmp_path, "blank.csv", "\n \n\n"), tmp_path, DataError, "no data")


def test_header_only_csv_is_an_empty_table(tmp_path: Path) -> None:
    # Decision: a header with no rows is a valid, empty table. Users get the columns (a schema to inspect,
    # "0 rows" answers) rather than an error; nothing about the file is ambiguous.
    path = write(tmp_path, "template.csv", "地区,产品,销售额\n")
    ds = shuxi.open(path)
    assert ds.columns == ["地区", "产品", "销售额"]
    assert ds.sql("SELECT count(*) AS n FROM template").to_pylist() == [{"n": 0}]


@pytest.mark.parametrize(
    ("body", "line", "fields"),
    [
        ("a,b\n1,2\n3,4,5\n6,7\n", 3, 3),  # one field too many
        ("a,b,c\n1,2,3\n4,5\n6,7,8\n", 3, 2),  # one field too few
        ("a,b\n" + "1,2\n" * 5000 + "3\n", 5002, 1),  # deep inside the rows DuckDB's sniffer reads
    ],
)
def test_ragged_rows_name_the_line(tmp_path: Path, body: str, line: int, fields: int) -> None:
    refused(write(tmp_path, "ragged.csv", body), tmp_path, DataError, rf"line {line} has {fields} fields")


def test_ragged_row_after_the_sniffed_rows(tmp_path: Path) -> None:
    body = "a,b\n" + "1,2\n" * 30_000 + "3,4,5\n"
    refused(write(tmp_path, "late.csv", body), tmp_path, DataError, "line 30002")


def test_title_line_above_the_header_is_not_ragged(tmp_path: Path) -> None:
    path = write(tmp_path, "report.csv", "2024年销售报表\n地区,销售额\n华东,100\n华北,200\n")
    ds = shuxi.open(path)
    assert ds.sql("SELECT sum(销售额) AS s FROM report").to_pylist() == [{"s": 300}]


def test_duplicate_column_names_are_refused(tmp_path: Path) -> None:
    # Decision: refuse. DuckDB would silently rename the second "金额" to "金额_1", and a question about
    # 金额 would then quietly use only one of the two columns.
    error = refused(write(tmp_path, "dup.csv", "地区,金额,金额\n华东,1,2\n"), tmp_path, DataError, "repeats column names")
    assert "金额" in str(error) and "columns 2, 3" in str(error)
    refused(write(tmp_path, "dupcase.csv", "Name,name\n1,2\n"), tmp_path, DataError, "repeats column names")


def test_a_long_cell_just_works(tmp_path: Path) -> None:
    long, longer = "长" * 100_000, "x" * 300_000  # the second is over the csv module's field size limit
    path = write(tmp_path, "long.csv", f'id,text\n1,"{long}"\n2,short\n3,{longer}\n')
    ds = shuxi.open(path)
    assert ds.sql("SELECT length(text) AS n FROM long ORDER BY id").column(0).to_pylist() == [100_000, 5, 300_000]


# -- bytes that are not text --------------------------------------------------------------------------------


def test_binary_garbage_named_csv(tmp_path: Path) -> None:
    import random

    generator = random.Random(7)
    garbage = bytes(generator.randrange(256) for _ in range(50_000))
    refused(write(tmp_path, "garbage.csv", garbage), tmp_path, EncodingError, "binary")


def test_a_zip_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 100)
    refused(path, tmp_path, EncodingError, "binary")


def test_invalid_utf8_that_is_not_gbk_either(tmp_path: Path) -> None:
    body = b"name,value\n" + b"".join(b"row%d,\xff\xfe\xfd\x80\x81\x8d\x8f\x90\x9d\n" % i for i in range(50))
    path = write(tmp_path, "mangled.csv", body)
    error = refused(path, tmp_path, EncodingError, "encoding could not be recognised")
    assert "encoding=" in str(error)


# -- workbooks and Parquet ------------------------------------------------------------------------------------


def _workbook(path: Path, build: Callable[[object], None]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    build(book)
    book.save(path)
    return path


def test_excel_with_no_sheets(tmp_path: Path) -> None:
    template = _workbook(tmp_path / "template.xlsx", lambda book: None)
    with zipfile.ZipFile(template) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    template.unlink()
    parts["xl/workbook.xml"] = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", parts["xl/workbook.xml"])
    path = tmp_path / "nosheets.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    refused(path, tmp_path, DataError, "no worksheets")


def test_excel_with_only_a_chart_sheet(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart

    def build(book: object) -> None:
        chart = book.create_chartsheet("chart")  # type: ignore[attr-defined]
        chart.add_chart(BarChart())
        book.remove(book["Sheet"])  # type: ignore[attr-defined,index]

    refused(_workbook(tmp_path / "chart.xlsx", build), tmp_path, DataError, "only chart sheets")


def test_excel_empty_sheet(tmp_path: Path) -> None:
    refused(_workbook(tmp_path / "blank.xlsx", lambda book: None), tmp_path, DataError, "is empty")


def test_excel_header_only_sheet_is_an_empty_table(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "head.xlsx", lambda book: book.active.append(["a", "b"]))  # type: ignore[attr-defined]
    ds = shuxi.open(path)
    assert ds.columns == ["a", "b"] and ds.sql("SELECT count(*) AS n FROM head").to_pylist() == [{"n": 0}]


def test_excel_duplicate_columns(tmp_path: Path) -> None:
    def build(book: object) -> None:
        book.active.append(["x", "X"])  # type: ignore[attr-defined]
        book.active.append([1, 2])  # type: ignore[attr-defined]

    refused(_workbook(tmp_path / "dup.xlsx", build), tmp_path, DataError, "repeats column names")


def test_file_named_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    refused(write(tmp_path, "fake.xlsx", b"just text"), tmp_path, DataError, "not a readable .xlsx")


def test_truncated_parquet(tmp_path: Path) -> None:
    whole = tmp_path / "whole.parquet"
    pq.write_table(pa.table({"n": list(range(10_000))}), whole)
    path = write(tmp_path, "cut.parquet", whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    refused(path, tmp_path, DataError, "not a readable Parquet file")


def test_malformed_json(tmp_path: Path) -> None:
    refused(write(tmp_path, "broken.json", '[{"a": 1}, {"a": '), tmp_path, DataError, "broken.json")


# -- frames and objects ------------------------------------------------------------------------------------------


def test_frame_with_duplicate_columns() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(DataError, match="duplicate column names"):
        shuxi.open(pd.DataFrame([[1, 2]], columns=["a", "a"]))


def test_unsupported_object() -> None:
    with pytest.raises(DataError, match="cannot read a list"):
        shuxi.open([1, 2, 3])


# -- a column that does not exist ----------------------------------------------------------------------------------


def test_unknown_column_suggests_close_matches(tmp_path: Path) -> None:
    ds = shuxi.open(write(tmp_path, "sales.csv", "region,销售额\n华东,100\n"))
    with pytest.raises(ColumnNotFoundError) as info:
        ds.sql("SELECT regoin FROM sales")
    assert info.value.column == "regoin" and info.value.candidates == ["region"]
    assert "Did you mean 'region'" in str(info.value)
    with pytest.raises(ColumnNotFoundError) as info:
        ds.sql("SELECT sum(销售) FROM sales")
    assert info.value.candidates == ["销售额"]


# -- repeated column names, numbered on request ----------------------------------------------------------------


def test_duplicate_columns_rename_numbers_the_repeats_in_a_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "medals.csv", "Nation,Gold,Gold,gold\nItaly,1,2,3\nChina,4,5,6\n")
    before = snapshot(tmp_path)
    ds = shuxi.open(path, duplicate_columns="rename")
    assert ds.columns == ["Nation", "Gold", "Gold_1", "gold_2"]
    # Each numbered column holds its own position's cells: nothing was merged or dropped.
    assert ds.sql('SELECT "Gold", "Gold_1", "gold_2" FROM medals WHERE "Nation" = \'China\'').to_pylist() == [
        {"Gold": 4, "Gold_1": 5, "gold_2": 6}]
    assert snapshot(tmp_path) == before


def test_duplicate_columns_rename_in_excel_and_frames(tmp_path: Path) -> None:
    def build(book: object) -> None:
        book.active.append(["x", "X", "y"])  # type: ignore[attr-defined]
        book.active.append([1, 2, 3])  # type: ignore[attr-defined]

    assert shuxi.open(_workbook(tmp_path / "dup.xlsx", build), duplicate_columns="rename").columns == ["x", "X_1", "y"]
    arrow = shuxi.open(pa.table([[1], [2]], names=["a", "a"]), duplicate_columns="rename")
    assert arrow.columns == ["a", "a_1"] and arrow.sql("SELECT a_1 FROM data").to_pylist() == [{"a_1": 2}]
    pd = pytest.importorskip("pandas")
    assert shuxi.open(pd.DataFrame([[1, 2]], columns=["a", "a"]), duplicate_columns="rename").columns == ["a", "a_1"]


def test_numbering_skips_names_already_taken() -> None:
    from shuxi.data.opening import unique_column_names

    assert unique_column_names(["a", "a_1", "a", "A"]) == ["a", "a_1", "a_2", "A_3"]
    assert unique_column_names(["地区", "金额", "金额"]) == ["地区", "金额", "金额_1"]


def test_duplicate_columns_takes_only_its_two_choices(tmp_path: Path) -> None:
    from shuxi.errors import ConfigError

    with pytest.raises(ConfigError, match="duplicate_columns"):
        shuxi.open(write(tmp_path, "a.csv", "a\n1\n"), duplicate_columns="keep")  # type: ignore[arg-type]


def test_duplicate_columns_rename_on_spark_matches_duckdb(tmp_path: Path, spark: object) -> None:
    path = write(tmp_path, "medals.csv", "Nation,Gold,Gold,gold\nItaly,1,2,3\nChina,4,5,6\n")
    ds = shuxi.open(path, duplicate_columns="rename", engine="spark")
    try:
        assert ds.columns == ["Nation", "Gold", "Gold_1", "gold_2"]
        assert ds.sql("SELECT Gold_1 FROM medals WHERE Nation = 'China'").to_pylist() == [{"Gold_1": 5}]
    finally:
        ds.close()


def test_cli_rename_duplicates(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from shuxi.cli import app

    path = write(tmp_path, "medals.csv", "Nation,Gold,Gold\nItaly,1,2\n")
    refused_run = CliRunner().invoke(app, ["sql", str(path), "SELECT * FROM medals"])
    assert refused_run.exit_code == 2 and "--rename-duplicates" in refused_run.output
    result = CliRunner().invoke(app, ["sql", str(path), "SELECT Gold_1 FROM medals", "--rename-duplicates", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["Gold_1", "2"]
