"""Fixtures for the profile tests: small tables with one injected problem per column, made by the tests.

The Spark test here uses the session-wide ``spark`` fixture of tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from profile_fixtures import ROWS, dirty_table


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


