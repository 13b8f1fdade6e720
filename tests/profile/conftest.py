"""Fixtures for the profile tests: small tables with one injected problem per column, made by the tests.

Also the shared local Spark session (defined once in tests/engines/conftest.py) for the one Spark test here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

_path = Path(__file__).parents[1] / "engines" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_shuxi_engine_fixtures_profile", _path)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

spark = _module.spark

from profile_fixtures import ROWS, dirty_table  # noqa: E402


@pytest.fixture(scope="session")
def dirty_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("profile") / "dirty.parquet"
    pq.write_table(dirty_table(), path)
    return path


@pytest.fixture(scope="session")
def clean_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A table with no problem but a unique key."""
    rng = np.random.default_rng(3)
    path = tmp_path_factory.mktemp("profile-clean") / "orders.parquet"
    pq.write_table(pa.table({
        "order_id": pa.array(np.arange(1, ROWS + 1), pa.int64()),
        "colour": pa.array(np.array(["red", "green", "blue"])[rng.integers(0, 3, ROWS)]),
        "weight": pa.array(rng.normal(100, 15, ROWS).round(3)),
    }), path)
    return path


