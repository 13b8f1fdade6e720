"""Shared fixtures. Every test session gets its own cache folder, so tests never write to the user's cache."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """SHUXI_CACHE_DIR for the whole session (subprocesses started by tests inherit it)."""
    folder = tmp_path_factory.mktemp("shuxi-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("SHUXI_CACHE_DIR", str(folder))
    yield folder
    patch.undo()


@pytest.fixture(scope="session")
def readme_section() -> object:
    """``readme_section("## Heading")``: see :func:`_readme_section`."""
    return _readme_section


def _readme_section(heading: str) -> dict[str, list[str]]:
    """The fenced code blocks of one README section (``## heading`` up to the next ``## ``), by fence language.

    Sections whose examples need their own data are listed in tests/test_readme.py's OWN_TESTS and run
    by their own test module through the ``readme_section`` fixture.
    """
    import re

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"(?ms)^{re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", text)
    if match is None:
        raise AssertionError(f"README has no section {heading!r}")
    blocks: dict[str, list[str]] = {}
    for language, body in re.findall(r"```(\w*)\n(.*?)```", match.group(1), flags=re.S):
        blocks.setdefault(language, []).append(body)
    return blocks


# One local Spark session for the whole test run: starting Spark costs seconds, so every Spark test shares it.
# The session is active, so ``shuxi.open(..., engine="spark")`` and the CLI use it rather than starting their own.
# Tests that need it take the ``spark`` fixture; without pyspark (or Java) they are skipped.
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
