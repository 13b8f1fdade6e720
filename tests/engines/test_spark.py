"""The Spark engine on a real local Spark: sources, limits, timeouts, sealing, errors, the API and the CLI.

Tests marked ``spark`` share the session of ``tests/engines/conftest.py``. The master-URL and settings tests
need neither pyspark nor Java: a bad master is refused before Spark starts.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import shuxi
from shuxi.config import load_settings
from shuxi.data.source import Source
from shuxi.engines.base import is_truncated
from shuxi.engines.spark import MASTER_URL, SparkEngine
from shuxi.engines.spark_sources import source_for_uri, spark_path
from shuxi.errors import (
    ColumnNotFoundError,
    ConfigError,
    DataError,
    EngineError,
    QueryTimeoutError,
    TableNotFoundError,
    UnsafeSQLError,
)

#: About half a minute of work on 2 cores when not cancelled.
LONG_QUERY = "SELECT count(*) AS n FROM range(60000) a CROSS JOIN range(60000) b WHERE (a.id * b.id) % 7 = 3"


def settings_for(tmp_path: Path, **overrides: Any) -> Any:
    return load_settings({"cache_dir": str(tmp_path / "cache"), **overrides}, env={})


def rows(table: pa.Table) -> list[tuple[Any, ...]]:
    return [tuple(r.values()) for r in table.to_pylist()]


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, (int, float)) or isinstance(b, float) and isinstance(a, (int, float)):
        return a == pytest.approx(b, rel=1e-9, nan_ok=True)
    return bool(a == b)


@pytest.fixture()
def engine(spark: Any, tmp_path: Path) -> Any:
    eng = SparkEngine(settings_for(tmp_path, row_limit=100))
    eng.register("t", Source(kind="arrow", origin="test", table=pa.table({"x": list(range(1000)), "销量": [1] * 1000})))
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def sales_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "sales.parquet"
    pq.write_table(pa.table({
        "region": ["华东", "华北", "华东", "West", None],
        "price": [10.5, 20.0, 30.25, 5.0, 7.0],
        "quantity": pa.array([3, 1, 2, 10, 4], pa.int32()),
        "day": pa.array([19723, 19724, 19725, 19726, None], pa.date32()),
    }), path)
    return path


# -- settings and master URLs (no Spark needed) ------------------------------------------------------


def test_spark_settings_come_from_the_environment() -> None:
    settings = load_settings(env={"SHUXI_SPARK_MASTER": "spark://head:7077",
                                  "SHUXI_SPARK_CONF": "spark.executor.memory=4g, spark.jars=a.jar,b.jar"})
    assert settings.spark_master == "spark://head:7077"
    assert settings.spark_conf == (("spark.executor.memory", "4g"), ("spark.jars", "a.jar,b.jar"))
    assert load_settings(env={}).spark_master == "local[*]"
    assert load_settings({"spark_conf": {"spark.sql.shuffle.partitions": 8}}, env={}).spark_conf == (
        ("spark.sql.shuffle.partitions", "8"),)
    with pytest.raises(ConfigError, match="SHUXI_SPARK_CONF"):
        load_settings(env={"SHUXI_SPARK_CONF": "spark.executor.memory"})
    with pytest.raises(ConfigError, match="SHUXI_SPARK_MASTER"):
        load_settings(env={"SHUXI_SPARK_MASTER": "local [2]"})


@pytest.mark.parametrize("master", ["local", "local[2]", "local[*]", "local[4,2]", "yarn", "k8s://https://k8s.example:443",
                                    "spark://a:7077", "spark://a:7077,b:7077", "sc://connect.example:15002",
                                    "sc://host/;token=abc"])
def test_master_urls_spark_accepts_pass_the_shape_check(master: str) -> None:
    assert MASTER_URL.fullmatch(master)


@pytest.mark.parametrize(("master", "fragment"), [
    ("nonsense", "not a Spark master URL"),
    ("mesos://zk:2181", "not a Spark master URL"),
    ("local[0]", "not a Spark master URL"),
    ("spark://127.0.0.1:1", "does not answer"),
    ("sc://127.0.0.1:1", "Spark Connect server at sc://127.0.0.1:1 does not answer"),
])
def test_a_bad_master_url_is_a_clear_engine_error_at_once(master: str, fragment: str, tmp_path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(EngineError, match=fragment) as info:
        SparkEngine(settings_for(tmp_path, spark_master=master))
    assert time.perf_counter() - started < 10
    assert "SHUXI_SPARK_MASTER" in str(info.value)


def test_yarn_without_hadoop_configuration_says_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HADOOP_CONF_DIR", raising=False)
    monkeypatch.delenv("YARN_CONF_DIR", raising=False)
    with pytest.raises(EngineError, match="HADOOP_CONF_DIR"):
        SparkEngine(settings_for(tmp_path, spark_master="yarn"))


def test_a_bad_master_fails_the_cli_with_exit_code_2(sales_parquet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from shuxi.cli import app

    monkeypatch.setenv("SHUXI_SPARK_MASTER", "spark://127.0.0.1:1")
    result = CliRunner().invoke(app, ["sql", str(sales_parquet), "SELECT 1", "--engine", "spark"])
    assert result.exit_code == 2
    assert "does not answer" in result.output and "Traceback" not in result.output


def test_uris_become_sources_spark_reads_itself() -> None:
    assert source_for_uri("s3a://bucket/sales/").kind == "parquet"
    assert source_for_uri("hdfs://nn/data/orders.tsv").delimiter == "\t"
    csv_source = source_for_uri("abfss://c@acct.dfs.core.windows.net/x.csv.gz", encoding="gb18030")
    assert (csv_source.kind, csv_source.encoding) == ("csv", "gb18030")
    assert source_for_uri("gs://b/events.jsonl").json_format == "newline_delimited"
    with pytest.raises(DataError, match="does not read"):
        source_for_uri("s3a://bucket/report.xlsx")
    assert spark_path("s3a://b/x.parquet") == "s3a://b/x.parquet"
    assert spark_path("/data/a[1]/b*.parquet") == "file:///data/a\\[1\\]/b\\*.parquet"


# -- the engine ------------------------------------------------------------------------------------


@pytest.mark.spark
def test_row_limit_truncates_and_says_so(engine: Any) -> None:
    result = engine.execute("SELECT * FROM t ORDER BY x")
    assert result.num_rows == 100 and is_truncated(result)
    assert result.column("x").to_pylist() == list(range(100))
    small = engine.execute("SELECT * FROM t ORDER BY x", limit=2000)
    assert small.num_rows == 1000 and not is_truncated(small)
    exact = engine.execute("SELECT * FROM t WHERE x < 100")
    assert exact.num_rows == 100 and not is_truncated(exact)


@pytest.mark.spark
def test_schema_is_arrow_without_metadata(engine: Any) -> None:
    schema = engine.schema("t")
    assert schema.names == ["x", "销量"] and schema.field("x").type == pa.int64()
    assert engine.schema("t").metadata is None


@pytest.mark.spark
def test_errors_are_translated(engine: Any) -> None:
    with pytest.raises(ColumnNotFoundError) as info:
        engine.execute("SELECT `销售` FROM t")
    assert info.value.column == "销售" and "销量" in info.value.candidates
    with pytest.raises(TableNotFoundError) as missing:
        engine.execute("SELECT * FROM nowhere")
    assert missing.value.table == "nowhere" and missing.value.available == ["t"]
    with pytest.raises(EngineError, match="failed on Spark") as syntax:
        engine.execute("SELEC 1")
    assert "\n" not in syntax.value.message  # one line, no plan dump


@pytest.mark.spark
def test_timeout_cancels_the_query_and_the_engine_stays_usable(spark: Any, tmp_path: Path) -> None:
    eng = SparkEngine(settings_for(tmp_path, timeout=1))
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match="1 seconds"):
        eng.execute(LONG_QUERY)
    assert time.perf_counter() - started < 45  # the query alone runs for minutes; a loaded CI machine is slow to cancel
    # Usable afterwards. The next query gets more than 1 s: on a loaded machine Spark may still be cleaning up
    # the cancelled job, and a trivial query can take longer than that without anything being wrong.
    eng.settings = eng.settings.replace(timeout=60)
    assert eng.execute("SELECT 41 + 1 AS x").column("x").to_pylist() == [42]
    eng.close()


@pytest.mark.spark
def test_interrupt_stops_a_running_query_as_ctrl_c_does(engine: Any) -> None:
    engine.interrupt()  # nothing running: nothing happens
    threading.Timer(0.5, engine.interrupt).start()
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        engine.execute(LONG_QUERY)
    assert time.perf_counter() - started < 15
    assert engine.execute("SELECT 1 AS x").column("x").to_pylist() == [1]


@pytest.mark.spark
def test_sealed_engine_runs_only_queries_and_takes_no_new_sources(spark: Any, tmp_path: Path) -> None:
    data = tmp_path / "d.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), data)
    eng = SparkEngine(settings_for(tmp_path))
    eng.register("d", Source(kind="parquet", origin=str(data), paths=(str(data),)))
    by_path = f"SELECT count(*) AS n FROM parquet.`{data}`"
    assert eng.execute(by_path).column("n").to_pylist() == [2]  # what an unsealed Spark allows
    eng.seal()
    assert eng.execute("SELECT sum(a) AS s FROM d").column("s").to_pylist() == [3]
    # Even if SQL got past the guard: no SQL over file paths, no statements, no calls into the JVM.
    with pytest.raises(TableNotFoundError):
        eng.execute(by_path)
    with pytest.raises(EngineError, match="sealed"):
        eng.execute("SET spark.sql.runSQLOnFiles = true")
    with pytest.raises(EngineError, match="sealed"):
        eng.execute("DROP VIEW d")
    with pytest.raises(EngineError, match="JVM"):
        eng.execute("SELECT reflect('java.lang.System', 'getenv', 'HOME') AS h")
    with pytest.raises(EngineError, match="sealed"):
        eng.register("more", Source(kind="parquet", origin=str(data), paths=(str(data),)))
    eng.close()
    with pytest.raises(EngineError, match="closed"):
        eng.execute("SELECT 1")


@pytest.mark.spark
def test_engines_keep_their_views_apart(spark: Any, tmp_path: Path) -> None:
    first, second = SparkEngine(settings_for(tmp_path)), SparkEngine(settings_for(tmp_path))
    first.register("v", Source(kind="arrow", origin="a", table=pa.table({"a": [1]})))
    second.register("v", Source(kind="arrow", origin="b", table=pa.table({"b": [2]})))
    assert first.execute("SELECT * FROM v").column_names == ["a"]
    first.close()
    assert rows(second.execute("SELECT * FROM v")) == [(2,)]
    second.close()
    assert "v" not in [t.name for t in spark.catalog.listTables()]


@pytest.mark.spark
def test_arrow_types_spark_lacks_are_converted(engine: Any, tmp_path: Path) -> None:
    table = pa.table({
        "region": pa.DictionaryArray.from_arrays(pa.array([0, 1, 0], pa.int32()), ["华东", "华北"]),
        "n": pa.array([1, 2, 3], pa.uint32()),
        "big": pa.array([1, 2, 2**64 - 1], pa.uint64()),
        "s": pa.array(["a", "b", None], pa.large_string()),
        "ts": pa.array([0, 1_000_000_000, None], pa.timestamp("ns")),
    })
    eng = SparkEngine(settings_for(tmp_path))
    eng.register("w", Source(kind="arrow", origin="w", table=table))
    result = eng.execute("SELECT region, n, big, s, ts FROM w ORDER BY n")
    assert result.column("region").to_pylist() == ["华东", "华北", "华东"]
    assert result.column("n").to_pylist() == [1, 2, 3]
    assert [int(v) for v in result.column("big").to_pylist()] == [1, 2, 2**64 - 1]
    assert result.column("ts").to_pylist()[1].second == 1
    eng.close()


@pytest.mark.spark
def test_a_truncated_parquet_file_is_a_data_error_naming_it(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    pq.write_table(pa.table({"a": list(range(10000))}), path)
    path.write_bytes(path.read_bytes()[:300])
    eng = SparkEngine(settings_for(tmp_path))
    with pytest.raises(DataError, match="broken.parquet") as info:
        eng.register("b", Source(kind="parquet", origin=str(path), paths=(str(path),)))
    assert info.value.path == str(path)
    eng.close()


@pytest.mark.spark
def test_a_ragged_row_past_the_checked_rows_is_a_data_error(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    eng = SparkEngine(settings_for(tmp_path))
    eng.register("r", Source(kind="csv", origin=str(path), paths=(str(path),), delimiter=","))
    with pytest.raises(DataError, match="could not be read"):
        eng.execute("SELECT * FROM r")
    eng.close()


# -- shuxi.open on Spark ---------------------------------------------------------------------------


@pytest.mark.spark
def test_open_parquet_and_guarded_sql(spark: Any, sales_parquet: Path) -> None:
    with shuxi.open(sales_parquet, engine="spark") as ds:
        assert ds.engine.name == "spark" and ds.name == "sales"
        assert ds.schema.names == ["region", "price", "quantity", "day"]
        assert ds.schema.field("day").type == pa.date32()
        result = ds.sql("SELECT region, sum(price * quantity) AS revenue FROM sales WHERE region IS NOT NULL "
                        "GROUP BY region ORDER BY revenue DESC")
        assert rows(result) == [("华东", 92.0), ("West", 50.0), ("华北", 20.0)]
        with pytest.raises(UnsafeSQLError):
            ds.sql("DROP VIEW sales")
        with pytest.raises(ColumnNotFoundError, match="price"):
            ds.sql("SELECT prise FROM sales")
        truncated = ds.sql("SELECT * FROM sales ORDER BY price", limit=2)
        assert truncated.num_rows == 2 and is_truncated(truncated)


@pytest.mark.spark
def test_timestamps_mean_the_same_on_both_engines(spark: Any, tmp_path: Path) -> None:
    import datetime as dt

    from shuxi.plan.ir import Dimension, Measure, Plan

    path = tmp_path / "events.parquet"
    moments = [dt.datetime(2024, 1, 31, 23, 30), dt.datetime(2024, 2, 1, 0, 30), None]
    pq.write_table(pa.table({
        "naive": pa.array(moments, pa.timestamp("us")),
        "utc": pa.array([m and m.replace(tzinfo=dt.timezone.utc) for m in moments], pa.timestamp("us", tz="UTC")),
        "v": [1, 2, 3],
    }), path)
    plans = [Plan(kind="trend", table="events", dimensions=[Dimension(column=c, grain="month")],
                  measures=[Measure(agg="sum", column="v")]) for c in ("naive", "utc")]
    results = {}
    for engine in ("duckdb", "spark"):
        with shuxi.open(path, engine=engine) as ds:  # type: ignore[arg-type]
            assert ds.schema.field("naive").type == pa.timestamp("us") and ds.schema.field("utc").type.tz is not None
            results[engine] = [rows(ds.sql("SELECT naive, utc FROM events ORDER BY v"))] + [rows(ds.run(p)) for p in plans]
    assert results["spark"] == results["duckdb"]
    assert results["spark"][1] == [(dt.date(2024, 1, 1), 1), (dt.date(2024, 2, 1), 2), (None, 3)]


@pytest.mark.spark
def test_open_partitioned_parquet_folder(spark: Any, tmp_path: Path) -> None:
    folder = tmp_path / "orders"
    table = pa.table({"year": [2023, 2023, 2024, 2024], "region": ["华东", "华北", "华东", "华东"],
                      "revenue": [1.5, 2.0, 3.0, 4.5]})
    pq.write_to_dataset(table, folder, partition_cols=["year", "region"])
    query = "SELECT year, region, sum(revenue) AS revenue FROM orders GROUP BY year, region ORDER BY year, region"
    with shuxi.open(folder, engine="spark") as ds:
        assert set(ds.schema.names) == {"year", "region", "revenue"}
        got = rows(ds.sql(query))
    with shuxi.open(folder, engine="duckdb") as ds:
        want = rows(ds.sql(query))
    assert got == want == [(2023, "华东", 1.5), (2023, "华北", 2.0), (2024, "华东", 7.5)]


@pytest.mark.spark
def test_open_a_uri_spark_reads_itself(spark: Any, tmp_path: Path) -> None:
    folder = tmp_path / "events"
    pq.write_to_dataset(pa.table({"day": ["d1", "d1", "d2"], "n": [1, 2, 3]}), folder, partition_cols=["day"])
    with shuxi.open(folder.as_uri(), engine="spark") as ds:
        assert ds.name == "events" and set(ds.schema.names) == {"n", "day"}
        assert rows(ds.sql("SELECT day, sum(n) AS n FROM events GROUP BY day ORDER BY day")) == [("d1", 3), ("d2", 3)]
    text = tmp_path / "people.csv"
    text.write_bytes("名字,年龄\n张三,30\n".encode("gb18030"))
    with shuxi.open(text.as_uri(), engine="spark", encoding="gb18030") as ds:
        assert rows(ds.sql("SELECT * FROM people")) == [("张三", 30)]


@pytest.mark.spark
def test_open_csv_tsv_and_json(spark: Any, tmp_path: Path) -> None:
    csv_path = tmp_path / "orders.csv"
    csv_path.write_text('id,code,city,amount,day,note\n1,007,上海,3.5,2024-01-02,"line one\nline two"\n'
                        '2,012,北京,4,2024-01-03,"say ""hi"""\n3,100,,,2024-01-04,\n', encoding="utf-8")
    with shuxi.open(csv_path, engine="spark") as ds:
        types = {f.name: f.type for f in ds.schema}
        assert pa.types.is_integer(types["id"]) and types["amount"] == pa.float64() and types["day"] == pa.date32()
        assert types["code"] == pa.string()  # leading zeros are kept, as on DuckDB
        assert rows(ds.sql("SELECT code, city, amount, note FROM orders ORDER BY id")) == [
            ("007", "上海", 3.5, "line one\nline two"), ("012", "北京", 4.0, 'say "hi"'), ("100", None, None, None)]
    tsv_path = tmp_path / "scores.tsv"
    tsv_path.write_text("name\tscore\n甲\t1\n乙\t2\n", encoding="utf-8")
    with shuxi.open(tsv_path, engine="spark") as ds:
        assert rows(ds.sql("SELECT sum(score) AS s FROM scores")) == [(3,)]
    for name, text in (("lines.jsonl", '{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n'),
                       ("array.json", '[\n  {"a": 1, "b": "x"},\n  {"a": 2, "b": "y"}\n]\n')):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with shuxi.open(path, engine="spark") as ds:
            assert rows(ds.sql(f"SELECT a, b FROM {ds.name} ORDER BY a")) == [(1, "x"), (2, "y")]


@pytest.mark.spark
def test_open_gbk_csv(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "销售.csv"
    path.write_bytes("地区,销售额\n华东,100\n华北,250\n华东,50\n".encode("gbk"))
    with shuxi.open(path, engine="spark") as ds:
        assert ds.source.encoding is not None and ds.source.encoding.lower().startswith("gb")
        assert rows(ds.sql(f"SELECT `地区`, sum(`销售额`) AS s FROM {ds.name} GROUP BY 1 ORDER BY 1")) == [
            ("华东", 150), ("华北", 250)]


@pytest.mark.spark
def test_a_file_name_with_glob_characters_is_read_as_is(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "report[2024]*.parquet"
    pq.write_table(pa.table({"a": [1, 2, 3]}), path)
    eng = SparkEngine(settings_for(tmp_path))
    eng.register("report", Source(kind="parquet", origin=str(path), paths=(str(path),)))
    assert rows(eng.execute("SELECT sum(a) AS s FROM report")) == [(6,)]
    eng.close()


@pytest.mark.spark
def test_seed_analysis_gives_the_same_numbers_on_both_engines(spark: Any, tmp_path: Path) -> None:
    from shuxi.demo import generate_sales, seed_plans, seed_table

    path = generate_sales(tmp_path / "sales.parquet", rows=5_000)
    for data, name in ((path, None), (seed_table(), "seed")):
        results = {}
        for engine in ("duckdb", "spark"):
            with shuxi.open(data, engine=engine, name=name) as ds:  # type: ignore[arg-type]
                results[engine] = [rows(ds.run(plan)) for plan in seed_plans(ds.name)]
        for got, want in zip(results["spark"], results["duckdb"]):
            assert len(got) == len(want) > 0
            for a, b in zip(got, want):
                assert all(same(x, y) for x, y in zip(a, b)), f"spark {a} != duckdb {b}"
    # The seed scenario's answer: price up, quantity down, perfectly.
    assert results["spark"][1][0][0] == pytest.approx(-1.0)


@pytest.mark.spark
def test_a_spark_dataframe_opens_on_spark_without_copying(spark: Any) -> None:
    frame = spark.createDataFrame([("华东", 10.0), ("华北", 20.0), ("华东", 5.0)], ["region", "revenue"])
    with shuxi.open(frame) as ds:
        assert ds.engine.name == "spark" and ds.name == "data"
        assert rows(ds.sql("SELECT region, sum(revenue) AS r FROM data GROUP BY region ORDER BY r DESC")) == [
            ("华北", 20.0), ("华东", 15.0)]
    with shuxi.open(frame, name="orders", engine="spark") as ds:
        assert rows(ds.sql("SELECT count(*) AS n FROM orders")) == [(3,)]
    # The hand-over through a global view leaves nothing behind.
    database = spark.conf.get("spark.sql.globalTempDatabase")
    assert spark.catalog.listTables(database) == []
    with pytest.raises(ConfigError, match="Spark DataFrame"):
        shuxi.open(frame, engine="duckdb")


@pytest.mark.spark
def test_shuxi_engine_variable_is_honoured(spark: Any, sales_parquet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHUXI_ENGINE", "spark")
    with shuxi.open(sales_parquet) as ds:
        assert ds.engine.name == "spark"
    with shuxi.open(sales_parquet, engine="duckdb") as ds:
        assert ds.engine.name == "duckdb"


@pytest.mark.spark
def test_cli_sql_on_spark(spark: Any, sales_parquet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from shuxi.cli import app

    runner = CliRunner()
    query = "SELECT region, count(*) AS n FROM sales WHERE region IS NOT NULL GROUP BY region ORDER BY n DESC, region"
    result = runner.invoke(app, ["sql", str(sales_parquet), query, "--engine", "spark", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["columns"] == ["region", "n"] and payload["rows"] == [["华东", 2], ["West", 1], ["华北", 1]]
    bad = runner.invoke(app, ["sql", str(sales_parquet), "SELECT regio FROM sales", "--engine", "spark"])
    assert bad.exit_code == 2 and "region" in bad.output and "Traceback" not in bad.output
    monkeypatch.setenv("SHUXI_ENGINE", "spark")
    schema = runner.invoke(app, ["schema", str(sales_parquet), "--format", "json"])
    assert schema.exit_code == 0, schema.output
    assert [c["name"] for c in json.loads(schema.output)["columns"]] == ["region", "price", "quantity", "day"]


@pytest.mark.spark
def test_cli_starts_its_own_session_from_the_settings(sales_parquet: Path, tmp_path: Path) -> None:
    """What a fresh clone runs: no session exists, so shuxi starts one from SHUXI_SPARK_MASTER/SHUXI_SPARK_CONF."""
    import os
    import subprocess
    import sys

    pytest.importorskip("pyspark")

    env = {**os.environ, "SHUXI_SPARK_MASTER": "local[1]", "SHUXI_CACHE_DIR": str(tmp_path / "cache"),
           "SHUXI_SPARK_CONF": "spark.ui.enabled=false,spark.sql.shuffle.partitions=1,spark.driver.memory=512m"}
    query = "SELECT region, sum(quantity) AS q FROM sales GROUP BY region ORDER BY q DESC, region"
    done = subprocess.run([sys.executable, "-m", "shuxi", "sql", str(sales_parquet), query, "--engine", "spark",
                           "--format", "csv"], env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["region,q", "West,10", "华东,5", ",4", "华北,1"]
    assert "Traceback" not in done.stderr and "SQLQueryContextLogger" not in done.stderr
    assert " WARN " not in done.stderr  # the driver shuxi starts logs errors only


def test_spark_connect_without_its_packages_says_what_to_install(sales_parquet: Path, tmp_path: Path) -> None:
    import importlib.util
    import os
    import socket
    import subprocess
    import sys

    pytest.importorskip("pyspark")
    if importlib.util.find_spec("grpc") is not None:
        pytest.skip("pyspark[connect] is installed here")
    with socket.socket() as server:  # something answers at the URL, so the reachability check passes
        server.bind(("127.0.0.1", 0))
        server.listen()
        env = {**os.environ, "SHUXI_SPARK_MASTER": f"sc://127.0.0.1:{server.getsockname()[1]}",
               "SHUXI_CACHE_DIR": str(tmp_path / "cache")}
        done = subprocess.run([sys.executable, "-m", "shuxi", "sql", str(sales_parquet), "SELECT 1", "--engine", "spark"],
                              env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "pyspark[connect]" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.spark
def test_stream_yields_every_row_in_bounded_batches(engine: Any) -> None:
    batches = list(engine.stream('SELECT x, `销量` FROM t ORDER BY x', batch_rows=300))
    assert [b.num_rows for b in batches] == [300, 300, 300, 100]  # the row limit (100) does not apply
    table = pa.Table.from_batches(batches)
    assert table.column("x").to_pylist() == list(range(1000)) and table.schema.names == ["x", "销量"]
    with pytest.raises(ColumnNotFoundError):
        list(engine.stream("SELECT nope FROM t"))
