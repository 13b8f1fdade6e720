"""ds.ask and shuxi ask: the Answer contract, asking back, synonyms, empty results, charts, the CLI, and Spark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

import shuxi
from shuxi.ask.builtin import AmbiguousQuestionError


@pytest.fixture()
def shop() -> Any:
    table = pa.table({
        "region": ["华东", "华东", "华北", "华南", "华南", "华南"],
        "product": ["A", "B", "A", "C", "B", "A"],
        "price": [100.0, 200.0, 100.0, 300.0, 200.0, 100.0],
        "quantity": [10, 4, 8, 2, 5, 12],
        "revenue": [1000.0, 800.0, 800.0, 600.0, 1000.0, 1200.0],
    })
    with shuxi.open(table, name="shop") as ds:
        yield ds


def test_answer_contract(shop: Any) -> None:
    answer = shop.ask("各地区的总销售额")
    assert answer.language == "zh" and answer.plan is not None and answer.plan.kind == "group"
    assert answer.values == ["华东", "华北", "华南"]
    expected = duckdb.sql("SELECT region, sum(revenue) FROM (SELECT * FROM (VALUES ('华东',1000.0),('华东',800.0),"
                          "('华北',800.0),('华南',600.0),('华南',1000.0),('华南',1200.0)) t(region, revenue)) "
                          "GROUP BY region").fetchall()
    assert {r["region"]: r["sum_revenue"] for r in answer.table.to_pylist()} == dict(expected)
    # Every number in the text is in the table (here: 1,800 / 800 / 2,800).
    assert "1,800" in answer.text and "2,800" in answer.text
    payload = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    assert set(payload) >= {"question", "text", "sql", "plan", "columns", "rows", "values", "chart", "stats", "warnings"}
    chart = payload["chart"]
    assert chart["data"]["values"] and "bar" in json.dumps(chart.get("mark") or chart.get("layer"))
    # The SQL shown is the SQL that ran: running it again gives the same table.
    assert shop.sql(answer.sql).to_pylist() == answer.table.to_pylist()
    assert "<table>" in answer._repr_html_() and "华东" in answer._repr_html_()


def test_answers_in_the_question_language(shop: Any) -> None:
    assert shop.ask("which region has the highest total revenue").values == ["华南"]
    english = shop.ask("which region has the highest total revenue").text
    chinese = shop.ask("总销售额最高的地区是哪个").text
    assert "highest" in english and "最高" in chinese and "华南" in english and "华南" in chinese


def test_two_equal_columns_are_asked_back() -> None:
    table = pa.table({"region": ["x", "y"], "销量": [1, 2], "销售量": [3, 4]})
    with shuxi.open(table, name="t") as ds:
        assert ds.ask("销量的总和").values == [3]  # an exact column name is not ambiguous
        with pytest.raises(AmbiguousQuestionError) as caught:
            ds.ask("total quantity")  # "quantity" is a synonym of both
    assert set(caught.value.candidates) == {"销量", "销售量"}
    assert "销量" in str(caught.value) and "销售量" in str(caught.value)


def test_user_synonyms(shop: Any) -> None:
    with shuxi.open(shop.engine.execute(f"SELECT * FROM {shop.name}"), name="s2",
                    synonyms={"revenue": ["流水", "takings"], "区域代号": "region"}) as ds:
        assert ds.ask("total takings").values == [5400.0]
        assert ds.ask("各区域代号的流水").values == ["华东", "华北", "华南"]
    with pytest.raises(shuxi.ColumnNotFoundError):
        shuxi.open(pa.table({"a": [1]}), synonyms={"nope": ["x"]}).ask("sum of a")


def test_a_filter_that_empties_the_result_is_named(shop: Any) -> None:
    answer = shop.ask("华东地区价格大于500的订单有多少")
    assert answer.values == [0]
    assert "price大于500" in answer.text
    assert any("price" in w for w in answer.warnings)


def test_bad_questions_raise_plan_errors(shop: Any) -> None:
    with pytest.raises(shuxi.PlanError, match="empty"):
        shop.ask("   ")
    with pytest.raises(shuxi.PlanError) as caught:
        shop.ask("average profit by region")
    assert "profit" in str(caught.value)


def test_chart_png(shop: Any, tmp_path: Path) -> None:
    answer = shop.ask("各地区的总销售额")
    out = answer.save_chart(tmp_path / "c.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(shuxi.ShuxiError):
        answer.save_chart(tmp_path / "c.png")  # never replaced unasked
    with pytest.raises(shuxi.PlanError):
        shop.ask("平均价格").save_chart(tmp_path / "none.png")  # a single number has no chart


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "shuxi", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ}, timeout=300)


def test_cli_ask(tmp_path: Path) -> None:
    csv = tmp_path / "sales.csv"
    csv.write_text("region,product,price,quantity\n华东,A,100,1000\n华北,B,200,800\n华南,C,300,600\n", encoding="utf-8")
    done = _cli(["ask", str(csv), "价格和销量的相关性", "--format", "json", "--chart", str(tmp_path / "x.svg")], tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["stats"]["direction"] == "negative" and abs(payload["values"][0] + 1) < 1e-9
    assert "负相关" in payload["text"] and "正相关" not in payload["text"]
    text = _cli(["ask", str(csv), "哪个地区的销量最高"], tmp_path)
    assert text.returncode == 0 and "华东" in text.stdout and "SELECT" in text.stdout
    bad = _cli(["ask", str(csv), "asdf qwer"], tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stdout == ""


@pytest.mark.spark
def test_ask_on_spark_matches_duckdb(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "shop.parquet"
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"region": ["华东", "华北", "华南", "华南"], "price": [100.0, 200.0, 300.0, 150.0],
                             "quantity": [10, 8, 2, 6]}), path)
    # Two questions keep the Spark part short: a grouping, and a correlation (Pearson, Spearman, TABLESAMPLE).
    for question in ("各地区的平均价格", "价格和销量的相关性"):
        with shuxi.open(path, engine="duckdb") as local, shuxi.open(path, engine="spark") as remote:
            a, b = local.ask(question), remote.ask(question)
        assert a.values == pytest.approx(b.values) if isinstance(a.values[0], float) else a.values == b.values
        assert a.text == b.text


def test_year_questions_answer_with_the_year() -> None:
    table = pa.table({"Year": [2001, 2002, 2002, 2003], "Title": ["a", "b", "c", "d"], "Sales": [5, 1, 2, 9]})
    with shuxi.open(table, name="releases") as ds:
        assert ds.ask("which year had the most releases?").values == [2002]
        assert ds.ask("in what year were the sales highest?").values == [2003]
        assert ds.ask("when was c released?").values == [2002]


def test_top_rows_of_free_text_are_rows_not_groups() -> None:
    """After `shuxi lm score`: "困惑度最高的10条评论" lists the ten rows with the highest perplexity."""
    import numpy as np

    rng = np.random.default_rng(0)
    scores = rng.random(6000) * 100
    table = pa.table({"评论": [f"评论内容{i}" for i in range(6000)], "perplexity": scores})
    with shuxi.open(table, name="scored") as ds:
        answer = ds.ask("困惑度最高的10条评论")
    expected = [f"评论内容{i}" for i in np.argsort(-scores)[:10]]
    assert answer.values == expected
    assert answer.text.startswith("perplexity最高的10条评论")
