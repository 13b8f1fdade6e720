"""One local Spark session for the whole test run: starting Spark costs seconds, so every Spark test shares it.

The session is active, so ``shuxi.open(..., engine="spark")`` and the CLI use it rather than starting their own.
Tests that need it take the ``spark`` fixture; without pyspark (or Java) they are skipped.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17 or 21")
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[2]").appName("shuxi-tests")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "2")
    )
    with warnings.catch_warnings():  # PySpark's note about the pandas version (the tests hand it Arrow)
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support", category=FutureWarning)
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
