"""The README's "Profile and clean" section runs as written, on a generated GB18030 orders.csv."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from profile_fixtures import sha256, write_gb18030
from typer.testing import CliRunner

from shuxi.cli import app

HEADING = "## Profile and clean"


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_gb18030(tmp_path / "orders.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_console_examples_run_in_order(workdir: Path, readme_section: Any) -> None:
    commands = [line[2:] for block in readme_section(HEADING)["console"] for line in block.splitlines() if line.startswith("$ shuxi ")]
    assert len(commands) == 4
    before = sha256(workdir / "orders.csv")
    runner = CliRunner()
    outputs = []
    for command in commands:
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        outputs.append(result.output)
    assert sha256(workdir / "orders.csv") == before
    assert "DIRTY_CATEGORY" in outputs[0] and (workdir / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    plan = json.loads((workdir / "plan.json").read_text(encoding="utf-8"))
    assert {"tidy_text", "unify_categories", "parse_number"} <= {s["op"] for s in plan["steps"]}
    assert "华东" in outputs[3] and "hd" in outputs[3] and "华东区" not in outputs[3]


def test_python_example_runs(workdir: Path, readme_section: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    for block in readme_section(HEADING)["python"]:
        exec(compile(block, "README.md", "exec"), namespace)  # the README's own code
    namespace["ds"].close()
    out = capsys.readouterr().out
    assert "UNITS_IN_NUMBERS" in out and "money" in out and "unify_categories" in out
    assert pq.read_table(workdir / "orders-clean-py.parquet").num_rows == 300
