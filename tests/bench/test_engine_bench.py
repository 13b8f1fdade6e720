"""The engine benchmark runs end to end and every contender agrees with shuxi on the seed analysis."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "engine.py"


def _smoke(tmp_path: Path, *extra: str, timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--data-dir", str(tmp_path / "data"), "--out-dir", str(tmp_path / "out"),
         *extra],
        capture_output=True, text=True, timeout=timeout,
    )


def test_engine_bench_smoke(tmp_path: Path) -> None:
    done = _smoke(tmp_path, timeout=300)
    # Exit code 1 means a contender's numbers differed from shuxi's.
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for contender in ("shuxi", "duckdb", "pandas", "polars"):
        assert contender in done.stdout
    assert "shuxi-spark" not in done.stdout  # Spark costs tens of seconds: only when asked for
    # Each contender also ran the analysis a second time in its warmed-up process, checked against shuxi's.
    header = next(line for line in done.stdout.splitlines() if line.startswith("| contender |"))
    assert [c.strip() for c in header.strip("|").split("|")][1] == "analysis s"
    for contender in ("shuxi", "duckdb", "pandas", "polars"):
        row = next(line for line in done.stdout.splitlines() if line.startswith(f"| {contender} |"))
        assert float(row.strip("|").split("|")[1]) > 0
        assert "open_again" in next(line for line in done.stdout.splitlines() if f"run 1 {contender} " in line)


@pytest.mark.spark
def test_engine_bench_smoke_on_spark(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17 or 21")
    done = _smoke(tmp_path, "--only", "shuxi-spark", "--threads", "2", timeout=180)
    # Exit code 1: Spark's numbers (cold or warm) differ from shuxi-on-DuckDB's beyond 1e-9 relative.
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("| shuxi-spark |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    start, query_warm = float(cells[4]), float(cells[10])
    assert start > 0 and query_warm > 0  # the phases of its own were timed
    assert "master local[2]" in done.stdout and "spark.sql.shuffle.partitions 4" in done.stdout
    assert "JVM" in done.stdout and "all contenders agree with shuxi" in done.stdout
