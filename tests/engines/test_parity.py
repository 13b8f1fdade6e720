"""Every golden plan gives the same result on DuckDB and on Spark.

Each plan in ``tests/plan/golden`` is compiled with ``compile_plan`` and run through both engines over the
golden tests' own fixture tables (imported from ``tests/plan/test_golden.py``, so the data is the one the
hand-written SQL there was checked against). The results must have the same columns, the same rows in the
same order, and numbers equal within 1e-9 relative.
"""

from __future__ import annotations

import datetime
import decimal
import importlib.util
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from shuxi.config import load_settings
from shuxi.data.source import Source
from shuxi.engines.duckdb import DuckDBEngine
from shuxi.engines.spark import SparkEngine
from shuxi.plan.compile import compile_plan

pytestmark = pytest.mark.spark


def _golden_module() -> Any:
    path = Path(__file__).parents[1] / "plan" / "test_golden.py"
    spec = importlib.util.spec_from_file_location("_shuxi_golden_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden = _golden_module()
TABLES: dict[str, pa.Table] = golden.TABLES
NAMES: list[str] = golden.NAMES


@pytest.fixture(scope="module")
def engines(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    settings = load_settings({"cache_dir": str(tmp_path_factory.mktemp("cache"))}, env={})
    duck, sparky = DuckDBEngine(settings), SparkEngine(settings)
    for name, table in TABLES.items():
        for engine in (duck, sparky):
            engine.register(name, Source(kind="arrow", origin=name, table=table))
    yield duck, sparky
    duck.close()
    sparky.close()


def _plain(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def same(a: object, b: object) -> bool:
    a, b = _plain(a), _plain(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, datetime.datetime) and isinstance(b, datetime.datetime):
        return a.replace(tzinfo=None) == b.replace(tzinfo=None)
    return a == b


def _family(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "number"
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return "text"
    return str(kind).split("[")[0]


def test_every_golden_plan_is_covered() -> None:
    assert len(NAMES) >= 25


@pytest.mark.parametrize("name", NAMES)
def test_golden_plan_gives_the_same_result_on_both_engines(name: str, engines: tuple[Any, Any]) -> None:
    duck, sparky = engines
    plan = golden.load(name)
    query = compile_plan(plan, schema=TABLES[plan.table].schema)
    want, got = duck.execute(query), sparky.execute(query)
    assert got.column_names == want.column_names
    assert [_family(t) for t in got.schema.types] == [_family(t) for t in want.schema.types]
    got_rows = [tuple(r.values()) for r in got.to_pylist()]
    want_rows = [tuple(r.values()) for r in want.to_pylist()]
    assert len(got_rows) == len(want_rows), f"spark {len(got_rows)} rows, duckdb {len(want_rows)}"
    for i, (a, b) in enumerate(zip(got_rows, want_rows)):
        assert all(same(x, y) for x, y in zip(a, b)), f"row {i}: spark {a} != duckdb {b}"
