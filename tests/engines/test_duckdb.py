"""The DuckDB engine: row limits, timeouts, sealing, error translation — on a real DuckDB."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from shuxi.config import load_settings
from shuxi.data.source import Source
from shuxi.engines.base import is_truncated
from shuxi.engines.duckdb import DuckDBEngine
from shuxi.errors import ColumnNotFoundError, DataError, EngineError, QueryTimeoutError, TableNotFoundError


@pytest.fixture()
def engine(tmp_path: Path):
    settings = load_settings({"row_limit": 100, "cache_dir": str(tmp_path / "cache")}, env={})
    eng = DuckDBEngine(settings)
    eng.register("t", Source(kind="arrow", origin="test", table=pa.table({"x": list(range(1000)), "销量": [1] * 1000})))
    yield eng
    eng.close()


def test_row_limit_truncates_and_says_so(engine: DuckDBEngine) -> None:
    result = engine.execute("SELECT * FROM t ORDER BY x")
    assert result.num_rows == 100 and is_truncated(result)
    assert result.column("x").to_pylist() == list(range(100))
    small = engine.execute("SELECT * FROM t ORDER BY x", limit=2000)
    assert small.num_rows == 1000 and not is_truncated(small)


def test_timeout_interrupts_a_long_query(tmp_path: Path) -> None:
    eng = DuckDBEngine(load_settings({"timeout": 0.3, "cache_dir": str(tmp_path)}, env={}))
    with pytest.raises(QueryTimeoutError, match="0.3 seconds"):
        eng.execute("SELECT count(*) FROM range(100000000000) a, range(10) b")
    # The connection stays usable after an interrupt.
    assert eng.execute("SELECT 41 + 1 AS x").column("x").to_pylist() == [42]


def test_sealed_engine_reads_no_files_and_cannot_be_unsealed(tmp_path: Path) -> None:
    data = tmp_path / "d.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), data)
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    eng = DuckDBEngine(load_settings({"cache_dir": str(tmp_path / "cache")}, env={}))
    eng.register("d", Source(kind="parquet", origin=str(data), paths=(str(data),)))
    eng.seal()
    # The registered Parquet view still works …
    assert eng.execute("SELECT sum(a) AS s FROM d").column("s").to_pylist() == [3]
    # … but nothing else on disk is reachable, even if SQL got past the guard.
    with pytest.raises(EngineError, match="refused"):
        eng.execute(f"SELECT * FROM read_csv('{secret}')")
    with pytest.raises(EngineError):
        eng.execute("SET enable_external_access = true")
    with pytest.raises(EngineError):
        eng.register("more", Source(kind="parquet", origin=str(data), paths=(str(data),)))


def test_errors_are_translated(engine: DuckDBEngine) -> None:
    with pytest.raises(ColumnNotFoundError) as info:
        engine.execute('SELECT "销售" FROM t')
    assert "销量" in str(info.value)
    with pytest.raises(TableNotFoundError):
        engine.execute("SELECT * FROM nowhere")
    with pytest.raises(EngineError):
        engine.execute("SELEC 1")


def test_truncated_parquet_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    pq.write_table(pa.table({"a": list(range(10000))}), path)
    path.write_bytes(path.read_bytes()[:300])
    eng = DuckDBEngine(load_settings({"cache_dir": str(tmp_path / "cache")}, env={}))
    with pytest.raises(DataError, match="broken.parquet"):
        eng.register("b", Source(kind="parquet", origin=str(path), paths=(str(path),)))


def test_stream_yields_every_row_in_bounded_batches_past_the_row_limit(engine: DuckDBEngine) -> None:
    batches = list(engine.stream('SELECT x, "销量" FROM t ORDER BY x', batch_rows=64))
    assert all(b.num_rows <= 64 for b in batches) and len(batches) >= 1000 // 64
    table = pa.Table.from_batches(batches)
    assert table.column("x").to_pylist() == list(range(1000))  # the row limit (100) does not apply
    assert table.schema.names == ["x", "销量"]


def test_stream_errors_are_shuxi_errors_and_the_engine_stays_usable(engine: DuckDBEngine) -> None:
    with pytest.raises(ColumnNotFoundError):
        list(engine.stream("SELECT nope FROM t"))
    first = next(engine.stream("SELECT x FROM t", batch_rows=10))  # abandoned half-way: the lock is released
    assert first.num_rows == 10
    assert engine.execute("SELECT count(*) AS n FROM t").to_pylist() == [{"n": 1000}]
