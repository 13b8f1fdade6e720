"""The engine benchmark runs end to end and all four contenders agree on the seed analysis."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "engine.py"


def test_engine_bench_smoke(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--data-dir", str(tmp_path / "data"), "--out-dir", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300,
    )
    # Exit code 1 means a contender's numbers differed from shuxi's.
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for contender in ("shuxi", "duckdb", "pandas", "polars"):
        assert contender in done.stdout
