"""Cleaning plans: proposed from the profile, previewed, applied as SQL into a new Parquet file; the input never
changes; the profile of the output has no alerts for the fixed problems; bad plan files give clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from profile_fixtures import ROWS, sha256, write_gb18030
from typer.testing import CliRunner

import shuxi
from shuxi.cli import app
from shuxi.errors import ColumnNotFoundError, DataError, PlanError
from shuxi.profile import Cleaning, CleaningPlan

runner = CliRunner()
FIXED = ("DUPLICATES", "DIRTY_CATEGORY", "UNITS_IN_NUMBERS", "NUMBERS_AS_TEXT", "DATE_AS_TEXT")


@pytest.fixture(scope="module")
def cleaned(dirty_parquet: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Cleaning, list[Any], str]:
    before = sha256(dirty_parquet)
    out = tmp_path_factory.mktemp("cleaned") / "clean.parquet"
    ds = shuxi.open(dirty_parquet)
    cleaning = ds.clean()
    previews = cleaning.preview()
    cleaning.write(out)
    ds.close()
    return out, cleaning, previews, before


def test_proposed_plan_covers_the_problems(cleaned: tuple[Path, Cleaning, list[Any], str]) -> None:
    _, cleaning, _, _ = cleaned
    steps = {(s.op, getattr(s, "column", None)) for s in cleaning.plan.steps}
    assert {("tidy_text", "region"), ("unify_categories", "region"), ("nullify_missing", "note"), ("parse_number", "price"),
            ("parse_number", "amount"), ("parse_number", "qty_text"), ("parse_date", "date_text"),
            ("flag_outliers", "with_outlier"), ("drop_duplicates", None)} <= steps
    unify = next(s for s in cleaning.plan.steps if s.op == "unify_categories")
    assert unify.mapping == {"华东区": "华东", "华北地区": "华北"}


def test_preview_counts_and_examples(cleaned: tuple[Path, Cleaning, list[Any], str]) -> None:
    _, _, previews, _ = cleaned
    by_step = {(p.op, p.column): p for p in previews}
    tidy = by_step[("tidy_text", "region")]
    assert tidy.changed == 7  # "华东 " ×3 and " 华东" ×3, plus row 21 duplicated
    assert set(tidy.examples) == {("华东 ", "华东"), (" 华东", "华东")}
    assert by_step[("unify_categories", "region")].changed == 7  # 华东区 ×6 and 华北地区 ×1
    assert by_step[("nullify_missing", "note")].changed == 5  # "", "N/A", "-", "无", "  " (NULL stays NULL)
    price = by_step[("parse_number", "price")]
    assert price.changed == ROWS + 3 and price.lost == 0 and price.examples[0][0].endswith("元")
    assert by_step[("flag_outliers", "with_outlier")].changed == 1
    assert by_step[("drop_duplicates", None)].changed == 3


def test_output_is_typed_and_input_unchanged(cleaned: tuple[Path, Cleaning, list[Any], str], dirty_parquet: Path) -> None:
    out, _, _, before = cleaned
    assert sha256(dirty_parquet) == before
    table = pq.read_table(out)
    assert table.num_rows == ROWS  # the three duplicates dropped
    schema = table.schema
    assert str(schema.field("price").type) == "int64" and schema.field("price").metadata[b"shuxi.unit"] == "元".encode()
    assert schema.field("amount").metadata[b"shuxi.currency"] == b"$"
    assert str(schema.field("date_text").type) == "date32[day]"
    assert str(schema.field("qty_text").type) == "int64"
    assert set(table.column("region").to_pylist()) == {"华东", "华北", "华南"}
    assert table.column("note").null_count == len([0, 1, 2, 3, 4, 5])
    assert table.column("with_outlier__outlier").to_pylist().count(True) == 1
    assert not list(out.parent.glob("*.partial"))


def test_profile_of_cleaned_output_has_no_alerts_for_fixed_issues(cleaned: tuple[Path, Cleaning, list[Any], str]) -> None:
    out, _, _, _ = cleaned
    with shuxi.open(out) as ds:
        after = ds.profile()
        assert ds.sql(f"SELECT count(*) AS n FROM {ds.name} WHERE region = '华东'").column("n")[0].as_py() == 667
    codes = {a.code for a in after.alerts}
    assert not codes & set(FIXED), [a.message for a in after.alerts if a.code in FIXED]
    (missing,) = after.alerts_for("note", "MISSING")  # reported, not imputed: now plain NULLs
    assert "null 6" in missing.message


def test_plan_json_round_trip_and_reuse_on_next_file(cleaned: tuple[Path, Cleaning, list[Any], str], tmp_path: Path) -> None:
    _, cleaning, _, _ = cleaned
    saved = cleaning.plan.save(tmp_path / "plan.json")
    again = CleaningPlan.load(saved)
    assert again == cleaning.plan
    # "Next month": a new GB18030 file with the same kind of problems, cleaned with a hand-written plan.
    data = write_gb18030(tmp_path / "订单.csv")
    plan = {"steps": [{"op": "tidy_text", "column": "地区"}, {"op": "unify_categories", "column": "地区", "mapping": {"华东区": "华东", "HD": "hd"}},
                      {"op": "parse_number", "column": "单价"}, {"op": "nullify_missing", "column": "备注"},
                      {"op": "impute", "column": "单价", "strategy": "median", "enabled": False}]}
    with shuxi.open(data) as ds:
        out = ds.clean(plan=plan, out=tmp_path / "订单-clean.parquet").ds and tmp_path / "订单-clean.parquet"
    table = pq.read_table(out)
    assert sorted(set(table.column("地区").to_pylist())) == sorted({"华东", "华北", "西南", "hd"})
    assert table.column("单价").type.id == pq.read_table(out).schema.field("单价").type.id and table.column("单价")[0].as_py() == 100
    assert table.column("备注").null_count == 12


def test_impute_and_sql(dirty_parquet: Path, tmp_path: Path) -> None:
    plan = CleaningPlan.parse({"steps": [{"op": "impute", "column": "note", "strategy": "constant", "value": "unknown"},
                                         {"op": "nullify_missing", "column": "note"}]})
    with shuxi.open(dirty_parquet) as ds:
        cleaning = ds.clean(plan=plan)
        (preview,) = [p for p in cleaning.preview() if p.op == "impute"]
        assert preview.changed == 6 and preview.fill == "unknown"
        sql = cleaning.sql
        assert '"dirty__raw"' in sql and "COALESCE" in sql and "'unknown'" in sql
        out = cleaning.write(tmp_path / "x.parquet")
    assert pq.read_table(out).column("note").to_pylist()[:6] == ["unknown"] * 6


def test_never_overwrites_without_asking(dirty_parquet: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    target.write_bytes(b"keep me")
    with shuxi.open(dirty_parquet) as ds:
        cleaning = ds.clean(plan={"steps": [{"op": "tidy_text", "column": "region"}]})
        with pytest.raises(DataError, match="already exists"):
            cleaning.write(target)
        assert target.read_bytes() == b"keep me"
        with pytest.raises(DataError, match="never overwrites its input"):
            cleaning.write(dirty_parquet, overwrite=True)
        cleaning.write(target, overwrite=True)
    assert pq.read_table(target).num_rows == ROWS + 3


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not valid JSON"),
    ('{"steps": [{"op": "explode", "column": "region"}]}', "step 1"),
    ('{"steps": [{"op": "tidy_text"}]}', "step 1 (tidy_text) column: Field required"),
    ('{"steps": [{"op": "unify_categories", "column": "region", "mapping": {}}]}', "mapping must name at least one variant"),
    ('{"steps": [], "colour": "red"}', "colour: Extra inputs are not permitted"),
    ('{"version": 9}', "version"),
])
def test_bad_plan_files_give_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlanError, match="plan") as error:
        CleaningPlan.load(path)
    assert message in str(error.value)


def test_plan_with_an_unknown_column_names_close_matches(dirty_parquet: Path) -> None:
    with shuxi.open(dirty_parquet) as ds, pytest.raises(ColumnNotFoundError, match="regoin") as error:
        ds.clean(plan={"steps": [{"op": "tidy_text", "column": "regoin"}]})
    assert "region" in error.value.candidates


def test_missing_plan_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="does not exist"):
        CleaningPlan.load(tmp_path / "nope.json")


# -- command line ------------------------------------------------------------------------------------


def test_cli_profile_json_and_html(dirty_parquet: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["profile", str(dirty_parquet), "--format", "json", "--html", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rows"] == ROWS + 3 and report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = runner.invoke(app, ["profile", str(dirty_parquet), "--html", str(report)])
    assert again.exit_code == 2 and "already exists" in again.output and "Traceback" not in again.output


def test_cli_clean_end_to_end(tmp_path: Path) -> None:
    data = write_gb18030(tmp_path / "orders.csv")
    before = sha256(data)
    out, plan = tmp_path / "clean.parquet", tmp_path / "plan.json"
    refused = runner.invoke(app, ["clean", str(data), "--out", str(out)])
    assert refused.exit_code == 2 and "Nothing was written" in refused.output and not out.exists()
    done = runner.invoke(app, ["clean", str(data), "--out", str(out), "--yes", "--save-plan", str(plan), "--sql"])
    assert done.exit_code == 0, done.output
    assert "Cleaning plan for orders" in done.output and "SELECT" in done.output and out.exists()
    assert [s["op"] for s in json.loads(plan.read_text(encoding="utf-8"))["steps"]] == ["tidy_text", "unify_categories", "parse_number", "nullify_missing"]
    assert sha256(data) == before
    asked = runner.invoke(app, ["sql", str(out), "SELECT 地区, count(*) AS n FROM clean GROUP BY 1 ORDER BY 1", "--format", "json"])
    assert asked.exit_code == 0, asked.output
    assert [r[0] for r in json.loads(asked.stdout)["rows"]] == ["hd", "华东", "华北", "西南"]
    # Reuse the saved plan on the same file into a second output, as JSON.
    reused = runner.invoke(app, ["clean", str(data), "--plan", str(plan), "--out", str(tmp_path / "again.parquet"), "--format", "json"])
    assert reused.exit_code == 0, reused.output
    assert pq.read_table(tmp_path / "again.parquet").equals(pq.read_table(out))


def test_cli_clean_bad_plan_exits_2_without_traceback(dirty_parquet: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{"steps": [{"op": "parse_number"}]}', encoding="utf-8")
    result = runner.invoke(app, ["clean", str(dirty_parquet), "--plan", str(plan), "--out", str(tmp_path / "o.parquet")])
    assert result.exit_code == 2 and "not a valid cleaning plan" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.parquet").exists()
