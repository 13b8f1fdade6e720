"""The LLM planner against a real OpenAI-compatible HTTP server on loopback (tests/ask/fake_openai.py).

Plans the model "writes" are scripted; every result is checked against SQL run by a plain DuckDB connection
on the same Parquet file, never through shuxi. No test touches the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fake_openai import FakeOpenAI

import shuxi
from shuxi.ask.llm import LLM, unverified_numbers
from shuxi.errors import LLMError

REGIONS = ["华东", "华北", "华南"]
PRODUCTS = ["A", "B", "C", "D", "E"]


def _orders() -> pa.Table:
    rows = []
    for i in range(60):
        rows.append({
            "地区": REGIONS[(i * 7) % 3],
            "product": PRODUCTS[(i * 3 + i // 5) % 5],
            "price": round(10 + (i * 37 % 97) + (i % 4) * 0.25, 2),
            "quantity": 1 + (i * 13) % 17 + i // 20,
            "order_date": dt.date(2023, 1, 1) + dt.timedelta(days=i * 11),
            "returned": i % 6 == 0,
            "email": f"user{i}@example.com",
        })
    return pa.Table.from_pylist(rows)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    srv = FakeOpenAI()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("llm")
    pq.write_table(_orders(), folder / "orders.parquet")
    (folder / "secret.txt").write_text("TOPSECRET\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ds(data_dir: Path) -> Iterator[Any]:
    with shuxi.open(data_dir / "orders.parquet") as opened:
        yield opened


@pytest.fixture(scope="module")
def truth(data_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW orders AS SELECT * FROM read_parquet('{data_dir / 'orders.parquet'}')")
    yield con
    con.close()


def _llm(server: FakeOpenAI, **kw: Any) -> LLM:
    return LLM(base_url=server.url, model="fake-model", cache=False, **kw)


def _norm(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return value


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    return [tuple(_norm(v) for v in row.values()) for row in table.to_pylist()]


def _same(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> bool:
    if len(got) != len(want):
        return False
    for a, b in zip(got, want):
        if len(a) != len(b):
            return False
        for x, y in zip(a, b):
            if isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
                if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif x != y:
                return False
    return True


# (question, the plan the model replies, independent SQL, whether row order matters)
GOOD: list[tuple[str, dict[str, Any], str, bool]] = [
    ("how many orders are there", {"kind": "aggregate", "measures": [{"agg": "count"}]},
     "SELECT count(*) FROM orders", True),
    ("一共卖了多少件", {"kind": "aggregate", "measures": [{"agg": "sum", "column": "quantity"}]},
     "SELECT sum(quantity) FROM orders", True),
    ("average price", {"kind": "aggregate", "measures": [{"agg": "mean", "column": "price"}]},
     "SELECT avg(price) FROM orders", True),
    ("各地区的总销量", {"kind": "group", "dimensions": [{"column": "地区"}],
                 "measures": [{"agg": "sum", "column": "quantity"}]},
     "SELECT 地区, sum(quantity) FROM orders GROUP BY 1", False),
    ("top 3 products by units", {"kind": "rank", "dimensions": [{"column": "product"}],
                                 "measures": [{"agg": "sum", "column": "quantity"}],
                                 "order": [{"by": "sum_quantity", "desc": True}], "limit": 3},
     "SELECT product, sum(quantity) AS s FROM orders GROUP BY 1 ORDER BY s DESC LIMIT 3", True),
    ("华东有多少订单", {"kind": "aggregate", "measures": [{"agg": "count"}],
                 "filters": [{"column": "地区", "op": "=", "value": "华东"}]},
     "SELECT count(*) FROM orders WHERE 地区 = '华东'", True),
    ("orders over 50 with at most 5 units", {"kind": "aggregate", "measures": [{"agg": "count"}],
                                             "filters": [{"column": "price", "op": ">", "value": 50},
                                                         {"column": "quantity", "op": "<=", "value": 5}]},
     "SELECT count(*) FROM orders WHERE price > 50 AND quantity <= 5", True),
    ("units sold at prices between 20 and 80", {"kind": "aggregate",
                                                "measures": [{"agg": "sum", "column": "quantity"}],
                                                "filters": [{"column": "price", "op": "between", "values": [20, 80]}]},
     "SELECT sum(quantity) FROM orders WHERE price BETWEEN 20 AND 80", True),
    ("华东和华南的平均价格", {"kind": "group", "dimensions": [{"column": "地区"}],
                     "measures": [{"agg": "mean", "column": "price"}],
                     "filters": [{"column": "地区", "op": "in", "values": ["华东", "华南"]}]},
     "SELECT 地区, avg(price) FROM orders WHERE 地区 IN ('华东', '华南') GROUP BY 1", False),
    ("monthly units", {"kind": "trend", "dimensions": [{"column": "order_date", "grain": "month"}],
                       "measures": [{"agg": "sum", "column": "quantity"}],
                       "order": [{"by": "order_date_month"}]},
     "SELECT date_trunc('month', order_date) AS m, sum(quantity) FROM orders GROUP BY 1 ORDER BY m", True),
    ("how many different products", {"kind": "aggregate", "measures": [{"agg": "count_distinct", "column": "product"}]},
     "SELECT count(DISTINCT product) FROM orders", True),
    ("价格的中位数", {"kind": "aggregate", "measures": [{"agg": "median", "column": "price"}]},
     "SELECT median(price) FROM orders", True),
    ("cheapest and dearest price", {"kind": "aggregate", "measures": [{"agg": "min", "column": "price"},
                                                                      {"agg": "max", "column": "price"}]},
     "SELECT min(price), max(price) FROM orders", True),
    ("各地区销量占比", {"kind": "share", "dimensions": [{"column": "地区"}],
                 "measures": [{"agg": "sum", "column": "quantity", "of_total": True}]},
     "SELECT 地区, sum(quantity) / sum(sum(quantity)) OVER () FROM orders GROUP BY 1", False),
    ("how many orders were returned", {"kind": "aggregate", "measures": [{"agg": "count"}],
                                       "filters": [{"column": "returned", "op": "=", "value": True}]},
     "SELECT count(*) FROM orders WHERE returned", True),
    ("orders from user1 addresses", {"kind": "aggregate", "measures": [{"agg": "count"}],
                                     "filters": [{"column": "email", "op": "contains", "value": "user1"}]},
     "SELECT count(*) FROM orders WHERE contains(email, 'user1')", True),
    ("the most expensive order's product", {"kind": "lookup", "select": ["product", "price"],
                                            "order": [{"by": "price", "desc": True}], "limit": 1},
     "SELECT product, price FROM orders ORDER BY price DESC LIMIT 1", True),
    ("各地区的销售额", {"kind": "group", "dimensions": [{"column": "地区"}],
                 "measures": [{"agg": "sum", "alias": "销售额",
                               "expr": {"type": "arith", "op": "*", "left": {"type": "column", "name": "price"},
                                        "right": {"type": "column", "name": "quantity"}}}]},
     "SELECT 地区, sum(price * quantity) FROM orders GROUP BY 1", False),
    ("products that sold more than 100 units", {"kind": "group", "dimensions": [{"column": "product"}],
                                                "measures": [{"agg": "sum", "column": "quantity"}],
                                                "having": [{"column": "sum_quantity", "op": ">", "value": 100}]},
     "SELECT product, sum(quantity) FROM orders GROUP BY 1 HAVING sum(quantity) > 100", False),
    ("orders per year", {"kind": "trend", "dimensions": [{"column": "order_date", "grain": "year"}],
                         "measures": [{"agg": "count"}], "order": [{"by": "order_date_year"}]},
     "SELECT date_trunc('year', order_date) AS y, count(*) FROM orders GROUP BY 1 ORDER BY y", True),
    ("standard deviation of units", {"kind": "aggregate", "measures": [{"agg": "std", "column": "quantity"}]},
     "SELECT stddev_samp(quantity) FROM orders", True),
    ("华北的最高价格", {"kind": "aggregate", "measures": [{"agg": "max", "column": "price"}],
                 "filters": [{"column": "地区", "op": "=", "value": "华北"}]},
     "SELECT max(price) FROM orders WHERE 地区 = '华北'", True),
]


@pytest.mark.parametrize(("question", "reply", "truth_sql", "ordered"), GOOD, ids=[g[0] for g in GOOD])
def test_good_plans_give_the_independent_answer(server: FakeOpenAI, ds: Any, truth: duckdb.DuckDBPyConnection,
                                                question: str, reply: dict[str, Any], truth_sql: str,
                                                ordered: bool) -> None:
    server.script(question, json.dumps({"table": "orders", **reply}, ensure_ascii=False))
    answer = ds.ask(question, planner="llm", llm=_llm(server))
    assert answer.plan is not None and answer.plan.table == ds.name
    want = [tuple(_norm(v) for v in row) for row in truth.execute(truth_sql).fetchall()]
    got = _rows(answer.table)
    if not ordered:
        got, want = sorted(got, key=repr), sorted(want, key=repr)
    assert _same(got, want), (got, want)
    # Chinese questions get Chinese answers, English ones English.
    assert answer.language == ("zh" if any("\u4e00" <= c <= "\u9fff" for c in question) else "en")


def test_correlation_plan_from_the_model_gets_the_statistics(server: FakeOpenAI, ds: Any,
                                                             truth: duckdb.DuckDBPyConnection) -> None:
    q = "correlation between price and quantity"
    server.script(q, json.dumps({"kind": "correlate", "table": "orders",
                                 "measures": [{"agg": "corr", "column": "price", "other": "quantity", "alias": "r"},
                                              {"agg": "count", "alias": "n"}]}))
    answer = ds.ask(q, planner="llm", llm=_llm(server))
    (r,) = truth.execute("SELECT corr(price, quantity) FROM orders").fetchone()
    assert math.isclose(answer.stats["r"], r, rel_tol=1e-9) and answer.stats["n"] == 60


def test_prompt_holds_question_schema_facts_and_plan_schema_with_chinese_as_is(server: FakeOpenAI, ds: Any) -> None:
    q = "各地区的总销量"
    before = len(server.chats())
    ds.ask(q, planner="llm", llm=_llm(server))
    body = server.chats()[before]
    assert body["model"] == "fake-model" and body["response_format"] == {"type": "json_object"}
    prompt = "\n".join(m["content"] for m in body["messages"])
    assert f"Question: {q}" in prompt and '"name":"地区"' in prompt and "\\u" not in prompt
    assert '"distinct":3' in prompt and '"min":' in prompt  # aggregate facts
    assert '"AnalysisKind"' in prompt or '"kind"' in prompt  # the Plan JSON schema
    assert "Examples" in prompt


# -- privacy -----------------------------------------------------------------------------------------------


def test_by_default_no_cell_value_leaves_the_machine(server: FakeOpenAI, ds: Any) -> None:
    q = "how many orders are there"
    before = len(server.chats())
    ds.ask(q, planner="llm", llm=_llm(server))
    sent = json.dumps(server.chats()[before:], ensure_ascii=False)
    assert "@example.com" not in sent and "华东" not in sent.split("Examples")[0]
    assert "top_values" not in sent


def test_samples_are_pii_masked(server: FakeOpenAI, ds: Any) -> None:
    q = "how many orders are there"
    before = len(server.chats())
    ds.ask(q, planner="llm", llm=_llm(server, share="samples"))
    sent = json.dumps(server.chats()[before:], ensure_ascii=False)
    assert "top_values" in sent and "华东" in sent and "<email>" in sent
    assert "@example.com" not in sent


@pytest.mark.parametrize(("text", "masked"), [
    ("mail me: li.lei@example.com.cn", "mail me: <email>"),
    ("手机 13812345678", "手机 <phone>"),
    ("tel +86 138-1234-5678", "tel <phone>"),
    ("call +1 415-555-2671", "call <phone>"),
    ("身份证 11010519491231002X", "身份证 <id>"),
    ("旧证 110105491231002", "旧证 <id>"),
    ("card 4111 1111 1111 1111", "card <card>"),
    ("卡号6222020200000000009", "卡号<card>"),
    ("from 192.168.1.10", "from <ip>"),
    ("v6 fe80::1ff:fe23:4567:890a", "v6 <ip>"),
    ("订单 20240305 金额 4999 于 2024-03-05 12:30:45", "订单 20240305 金额 4999 于 2024-03-05 12:30:45"),
])
def test_pii_masking(text: str, masked: str) -> None:
    from shuxi.ask.privacy import mask

    assert mask(text) == masked


# -- replies that need a repair, or cannot be used -------------------------------------------------------------


def test_malformed_json_is_repaired_once(server: FakeOpenAI, ds: Any, truth: duckdb.DuckDBPyConnection) -> None:
    q = "total units please"
    server.script(q, '{"kind": "aggregate", "measures": [{"agg": "sum", "column": "quantity"}',
                  json.dumps({"kind": "aggregate", "table": "orders", "measures": [{"agg": "sum", "column": "quantity"}]}))
    before = len(server.chats())
    answer = ds.ask(q, planner="llm", llm=_llm(server))
    assert answer.values == [truth.execute("SELECT sum(quantity) FROM orders").fetchone()[0]]
    repair = server.chats()[before + 1]["messages"]
    assert len(server.chats()) == before + 2 and "not a valid JSON object" in repair[-1]["content"]


def test_wrong_column_is_sent_back_and_fixed(server: FakeOpenAI, ds: Any, truth: duckdb.DuckDBPyConnection) -> None:
    q = "各地区的平均价钱"
    bad = {"kind": "group", "dimensions": [{"column": "地区"}], "measures": [{"agg": "mean", "column": "prices"}]}
    good = {"kind": "group", "dimensions": [{"column": "地区"}], "measures": [{"agg": "mean", "column": "price"}]}
    server.script(q, json.dumps(bad, ensure_ascii=False), json.dumps(good, ensure_ascii=False))
    before = len(server.chats())
    answer = ds.ask(q, planner="llm", llm=_llm(server))
    fix_request = server.chats()[before + 1]["messages"][-1]["content"]
    assert "'prices' does not exist" in fix_request and "'price'" in fix_request
    want = dict(truth.execute("SELECT 地区, avg(price) FROM orders GROUP BY 1").fetchall())
    assert {r["地区"]: r["mean_price"] for r in answer.table.to_pylist()} == pytest.approx(want)


def test_a_plan_that_stays_wrong_is_a_clear_llm_error(server: FakeOpenAI, ds: Any) -> None:
    q = "the mean of nothing"
    server.script(q, json.dumps({"kind": "aggregate", "measures": [{"agg": "mean", "column": "nothing"}]}))
    with pytest.raises(LLMError, match="even after one repair.*'nothing' does not exist"):
        ds.ask(q, planner="llm", llm=_llm(server))
    # pydantic's own checks are reported the same way
    q2 = "a quantile without q"
    server.script(q2, json.dumps({"kind": "aggregate", "measures": [{"agg": "quantile", "column": "price"}]}))
    with pytest.raises(LLMError, match="quantile needs q"):
        ds.ask(q2, planner="llm", llm=_llm(server))


def test_empty_reply(server: FakeOpenAI, ds: Any) -> None:
    q = "say nothing"
    server.script(q, "")
    before = len(server.chats())
    with pytest.raises(LLMError, match="empty"):
        ds.ask(q, planner="llm", llm=_llm(server))
    assert len(server.chats()) == before + 2  # asked, then asked once to repair


def test_ten_megabyte_reply_is_refused_unread(server: FakeOpenAI, ds: Any) -> None:
    q = "write me a novel"
    server.script(q, "{" + "x" * 10_000_000)
    with pytest.raises(LLMError, match="characters long"):
        ds.ask(q, planner="llm", llm=_llm(server))


def test_json_from_prose_when_the_server_has_no_json_mode(ds: Any, truth: duckdb.DuckDBPyConnection) -> None:
    srv = FakeOpenAI(json_mode=False)
    try:
        q = "how many orders in 华南"
        plan = {"kind": "aggregate", "measures": [{"agg": "count"}],
                "filters": [{"column": "地区", "op": "=", "value": "华南"}]}
        srv.script(q, "Sure! Here is the plan:\n```json\n" + json.dumps(plan, ensure_ascii=False) + "\n```\nEnjoy.")
        llm = _llm(srv)
        answer = ds.ask(q, planner="llm", llm=llm)
        assert llm.json_mode is False and "response_format" not in srv.chats()[-1]
        assert answer.values == [truth.execute("SELECT count(*) FROM orders WHERE 地区 = '华南'").fetchone()[0]]
    finally:
        srv.close()


# -- injection through plans, hostile SQL, code ------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("value", [
    "华东'; DROP TABLE orders; --",
    "x') OR 1=1 --",
    "'); COPY orders TO '/tmp/shuxi-pwned.csv'; --",
    "\\'; SELECT * FROM read_text('secret.txt'); --",
])
def test_hostile_values_are_literals(server: FakeOpenAI, ds: Any, data_dir: Path, value: str) -> None:
    q = f"count orders in region {value}"
    server.script(q, json.dumps({"kind": "aggregate", "measures": [{"agg": "count"}],
                                 "filters": [{"column": "地区", "op": "=", "value": value}]}, ensure_ascii=False))
    before = _snapshot(data_dir)
    answer = ds.ask(q, planner="llm", llm=_llm(server))
    assert answer.values == [0]  # no region is called that: the whole string was compared as one value
    assert _snapshot(data_dir) == before and not Path("/tmp/shuxi-pwned.csv").exists()
    assert ds.sql("SELECT count(*) AS n FROM orders").column(0)[0].as_py() == 60


@pytest.mark.parametrize("column", [
    'price"; DROP TABLE orders; --',
    "price) FROM orders; COPY orders TO 'out.csv'; --",
    "read_text('secret.txt')",
])
def test_hostile_column_names_are_refused(server: FakeOpenAI, ds: Any, data_dir: Path, column: str) -> None:
    q = f"mean of {column}"
    server.script(q, json.dumps({"kind": "aggregate", "measures": [{"agg": "mean", "column": column}]}))
    before = _snapshot(data_dir)
    with pytest.raises(LLMError, match="does not exist"):
        ds.ask(q, planner="llm", llm=_llm(server))
    assert _snapshot(data_dir) == before


def test_hostile_alias_and_table_stay_identifiers(server: FakeOpenAI, ds: Any, data_dir: Path) -> None:
    alias = 'n" FROM orders; DROP TABLE orders; --'
    q = "count with a strange name"
    server.script(q, json.dumps({"kind": "aggregate", "table": "read_text('secret.txt')",
                                 "measures": [{"agg": "count", "alias": alias}]}))
    answer = ds.ask(q, planner="llm", llm=_llm(server))
    assert answer.table.column_names == [alias] and answer.values == [60]
    assert "secret" not in (answer.sql or "") and answer.plan is not None and answer.plan.table == ds.name


HOSTILE_SQL = [
    "COPY orders TO '{out}'",
    "COPY (SELECT * FROM orders) TO '{out}' (FORMAT csv)",
    "SELECT * FROM read_csv('{secret}')",
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM '{secret}'",
    "SELECT * FROM read_parquet('{dir}/*.parquet')",
    "ATTACH '{db}' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA database_list",
    "SET enable_external_access = true",
    "CREATE TABLE x AS SELECT * FROM orders",
    "DROP TABLE orders",
    "INSERT INTO orders SELECT * FROM orders",
    "UPDATE orders SET price = 0",
    "DELETE FROM orders",
    "SELECT 1; DROP TABLE orders",
    "SELECT * FROM orders; COPY orders TO '{out}'",
    "EXPORT DATABASE '{dir}/export'",
    "SELECT * INTO stolen FROM orders",
    "CALL pragma_version()",
    "SELECT * FROM glob('{dir}/*')",
    "SELECT getenv('HOME') AS home",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM sqlite_scan('{db}', 'x')",
    "WITH x AS (SELECT * FROM read_csv_auto('{secret}')) SELECT * FROM x",
    "SELECT price FROM orders UNION ALL SELECT * FROM read_json('{secret}')",
    "ALTER TABLE orders RENAME TO stolen",
    "SELECT * FROM information_schema.tables",
    "VACUUM",
    "CHECKPOINT",
    "DETACH x",
    "SELECT * FROM orders WHERE price > (SELECT count(*) FROM read_blob('{secret}'))",
]


@pytest.mark.parametrize("template", HOSTILE_SQL)
def test_hostile_sql_is_refused_and_nothing_is_read_or_written(server: FakeOpenAI, ds: Any, data_dir: Path,
                                                               template: str) -> None:
    sql = template.format(out=data_dir / "stolen.csv", secret=data_dir / "secret.txt", dir=data_dir,
                          db=data_dir / "other.db")
    q = f"hostile: {template}"
    server.script(q, json.dumps({"sql": sql}))  # the same SQL again when asked to repair
    before = _snapshot(data_dir)
    with pytest.raises(LLMError, match="SQL was refused") as caught:
        ds.ask(q, planner="llm", llm=_llm(server))
    assert "TOPSECRET" not in str(caught.value)
    assert _snapshot(data_dir) == before  # nothing written, nothing removed, nothing changed
    assert ds.sql("SELECT count(*) AS n FROM orders").column(0)[0].as_py() == 60


def test_one_safe_select_runs_through_the_guard(server: FakeOpenAI, ds: Any, truth: duckdb.DuckDBPyConnection) -> None:
    q = "orders per product, as sql"
    server.script(q, "```sql\nSELECT product, count(*) AS n FROM orders GROUP BY product ORDER BY product\n```")
    answer = ds.ask(q, planner="llm", llm=_llm(server))
    assert answer.plan is None and "GROUP BY" in (answer.sql or "")
    assert _rows(answer.table) == truth.execute("SELECT product, count(*) FROM orders GROUP BY 1 ORDER BY 1").fetchall()
    assert any(w.startswith("llm-sql") for w in answer.warnings)


@pytest.mark.parametrize("reply", [
    "```python\nimport os\nos.system('touch {pwned}')\n```",
    "import os\nopen('{pwned}', 'w').write('x')",
    "Here you go:\n```py\nwith open('{pwned}', 'w') as f: f.write('x')\n```\n{{\"kind\": \"aggregate\"}}",
])
def test_python_in_the_reply_is_never_run(server: FakeOpenAI, ds: Any, tmp_path: Path, reply: str) -> None:
    pwned = tmp_path / "pwned"
    q = f"python please {hash(reply)}"
    server.script(q, reply.format(pwned=pwned))
    with pytest.raises(LLMError, match="code, which shuxi never runs"):
        ds.ask(q, planner="llm", llm=_llm(server))
    assert not pwned.exists()


# -- the server misbehaves ---------------------------------------------------------------------------------------------


def test_http_500_then_success_is_retried(server: FakeOpenAI, ds: Any) -> None:
    q = "count after a hiccup"
    server.script(q, {"status": 500}, json.dumps({"kind": "aggregate", "measures": [{"agg": "count"}]}))
    before = len(server.chats())
    assert ds.ask(q, planner="llm", llm=_llm(server)).values == [60]
    assert len(server.chats()) == before + 2


def test_http_429_then_success_is_retried(server: FakeOpenAI, ds: Any) -> None:
    q = "count while rate limited"
    server.script(q, {"status": 429}, {"status": 429}, json.dumps({"kind": "aggregate", "measures": [{"agg": "count"}]}))
    assert ds.ask(q, planner="llm", llm=_llm(server)).values == [60]


@pytest.mark.parametrize(("status", "message"), [(500, "HTTP 500 after 2 retries"), (429, "429"),
                                                 (401, "API key"), (404, "404")])
def test_http_errors_that_persist(server: FakeOpenAI, ds: Any, status: int, message: str) -> None:
    q = f"always {status}"
    server.script(q, {"status": status})
    with pytest.raises(LLMError, match=message):
        ds.ask(q, planner="llm", llm=_llm(server))


def test_a_server_that_never_answers_times_out(server: FakeOpenAI, ds: Any) -> None:
    q = "slow question"
    server.script(q, {"sleep": 3, "content": "{}"})
    started = time.perf_counter()
    with pytest.raises(LLMError, match="did not answer within 0.3 s"):
        ds.ask(q, planner="llm", llm=_llm(server, timeout=0.3, max_retries=0))
    assert time.perf_counter() - started < 2.5


def test_unreachable_server_says_where_it_looked(ds: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(LLMError, match=f"(?i)is the server running at {re.escape(url)}"):
        ds.ask("anything", planner="llm", llm=LLM(base_url=url, model="m", cache=False, max_retries=0))


def test_missing_settings_are_config_errors(ds: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("SHUXI_LLM_BASE_URL", "OPENAI_BASE_URL", "SHUXI_LLM_API_KEY", "OPENAI_API_KEY", "SHUXI_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(shuxi.ConfigError, match="No LLM server"):
        ds.ask("anything", planner="llm")
    with pytest.raises(shuxi.ConfigError, match="No LLM model"):
        ds.ask("anything", planner="llm", llm=LLM(base_url="http://127.0.0.1:9/v1"))
    with pytest.raises(shuxi.ConfigError, match="planner='builtin', 'llm' or 'both'"):
        ds.ask("anything", planner="gpt")


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai-style/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("SHUXI_LLM_MODEL", "qwen")
    monkeypatch.setenv("SHUXI_LLM_SHARE", "samples")
    llm = LLM()
    assert (llm.base_url, llm.api_key, llm.model, llm.share) == ("http://openai-style/v1", "sk-secret", "qwen", "samples")
    assert "sk-secret" not in repr(llm) and "sk-secret" not in repr(shuxi.load_settings())
    monkeypatch.setenv("SHUXI_LLM_BASE_URL", "http://shuxi/v1")
    assert LLM().base_url == "http://shuxi/v1" and LLM(base_url="http://arg/v1").base_url == "http://arg/v1"
    monkeypatch.setenv("SHUXI_LLM_SHARE", "everything")
    with pytest.raises(shuxi.ConfigError, match="SHUXI_LLM_SHARE"):
        LLM()


# -- cache ---------------------------------------------------------------------------------------------------------------


def test_replies_are_cached_by_model_and_prompt(server: FakeOpenAI, ds: Any, tmp_path: Path) -> None:
    q = "cached count"
    server.script(q, json.dumps({"kind": "aggregate", "measures": [{"agg": "count"}]}))
    before = len(server.chats())
    for _ in range(2):
        assert ds.ask(q, planner="llm", llm=LLM(base_url=server.url, model="fake-model",
                                                 cache_dir=tmp_path)).values == [60]
    assert len(server.chats()) == before + 1 and len(list(tmp_path.rglob("*.json"))) == 1
    ds.ask(q, planner="llm", llm=LLM(base_url=server.url, model="other-model", cache_dir=tmp_path))
    ds.ask(q, planner="llm", llm=LLM(base_url=server.url, model="fake-model", cache_dir=tmp_path, cache=False))
    assert len(server.chats()) == before + 3


# -- narration ---------------------------------------------------------------------------------------------------------------


def test_narration_with_an_invented_number_is_rejected(server: FakeOpenAI, ds: Any,
                                                       truth: duckdb.DuckDBPyConnection) -> None:
    q = "华东卖了多少件"
    server.script(q, json.dumps({"kind": "aggregate", "measures": [{"agg": "sum", "column": "quantity"}],
                                 "filters": [{"column": "地区", "op": "=", "value": "华东"}]}, ensure_ascii=False),
                  "华东一共卖出了 98765 件。")
    answer = ds.ask(q, planner="llm", llm=_llm(server, narrate=True))
    total = truth.execute("SELECT sum(quantity) FROM orders WHERE 地区 = '华东'").fetchone()[0]
    assert "98765" not in answer.text and str(total) in answer.text.replace(",", "")
    assert any("98765" in w and "not in the result" in w for w in answer.warnings)


def test_narration_with_true_and_rounded_numbers_is_used(server: FakeOpenAI, ds: Any,
                                                         truth: duckdb.DuckDBPyConnection) -> None:
    q = "average price, nicely"
    mean = truth.execute("SELECT avg(price) FROM orders").fetchone()[0]
    server.script(q, json.dumps({"kind": "aggregate", "measures": [{"agg": "mean", "column": "price"}]}),
                  f"Across all orders the average price is about {mean:.1f}.")
    answer = ds.ask(q, planner="llm", llm=_llm(server, narrate=True))
    assert answer.text == f"Across all orders the average price is about {mean:.1f}."
    assert answer.stats["template_text"] != answer.text and not any("llm-narrate" in w for w in answer.warnings)


def test_number_check() -> None:
    allowed = [12345.678, 0.4321, 2024.0, 3.0, 60.0]
    assert unverified_numbers("12,345.68 and 12346 and 1.2万 and 43.2% and 12,000 in 2024", allowed) == []
    assert unverified_numbers("about 12,400", allowed) == ["12,400"]
    assert unverified_numbers("share 44%", allowed) == ["44%"]
    assert unverified_numbers("3 of 61 orders", allowed) == ["61"]
    assert unverified_numbers("10,000 orders", allowed) == ["10,000"]  # not a rounding that keeps 2 digits
    assert unverified_numbers("华东的销量是12346件，华北是99999件", allowed) == ["99999"]  # no spaces in Chinese
    assert unverified_numbers("Qwen2 on an H200 says 60", allowed) == []


# -- both planners ---------------------------------------------------------------------------------------------------------------


def test_both_planners_agree(server: FakeOpenAI, ds: Any) -> None:
    q = "各地区的总销量"
    server.script(q, json.dumps({"kind": "group", "dimensions": [{"column": "地区"}],
                                 "measures": [{"agg": "sum", "column": "quantity", "alias": "销量"}]}, ensure_ascii=False))
    answer = ds.ask(q, planner="both", llm=_llm(server))
    assert answer.stats["planners"]["agree"] is True and "结果一致" in answer.text


def test_both_planners_disagree_and_both_answers_are_shown(server: FakeOpenAI, ds: Any) -> None:
    q = "average quantity by product"
    server.script(q, json.dumps({"kind": "group", "dimensions": [{"column": "product"}],
                                 "measures": [{"agg": "sum", "column": "quantity"}]}))
    answer = ds.ask(q, planner="both", llm=_llm(server))
    record = answer.stats["planners"]
    assert record["agree"] is False and "disagree" in answer.text
    assert record["llm"]["text"] in answer.text and "SUM" in record["llm"]["sql"] and "AVG" in record["builtin"]["sql"]
    assert any("disagree" in w for w in answer.warnings)


def test_the_model_is_told_which_label_is_negative(server: FakeOpenAI, tmp_path: Path) -> None:
    """0/1 labels written by `shuxi text predict` carry which number is the bad reviews; the planner model is told,
    so it can write label = 0 for 差评. Text labels are cell values: sent only when samples are allowed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import shuxi
    from shuxi.errors import ShuxiError

    note = {"shuxi.polarity": json.dumps({"negative": 0, "positive": 1})}
    numbers = pa.table({"city": ["a", "b"]}).append_column(pa.field("label", pa.int64(), metadata=note),
                                                           pa.array([0, 1]))
    words = pa.table({"city": ["a", "b"]}).append_column(
        pa.field("label", pa.string(), metadata={"shuxi.polarity": json.dumps({"negative": "坏", "positive": "好"})}),
        pa.array(["坏", "好"]))
    for table, share, expected in ((numbers, "schema", '"sentiment":{"negative":0,"positive":1}'),
                                   (words, "schema", None), (words, "samples", '"sentiment":{"negative":"坏"')):
        pq.write_table(table, tmp_path / "t.parquet")
        with shuxi.open(tmp_path / "t.parquet") as opened:
            before = len(server.chats())
            try:
                opened.ask("各city差评占比", planner="llm", llm=_llm(server, share=share))
            except ShuxiError:  # the fake model answers for another table; only the prompt matters here
                pass
            prompt = "\n".join(m["content"] for m in server.chats()[before]["messages"])
        assert (expected in prompt) if expected else ('"sentiment"' not in prompt and "坏" not in prompt.split("Examples")[0])
