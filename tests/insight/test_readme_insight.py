"""The README's "Statistics and charts" examples run as written, on the README's own sales.csv."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shuxi.cli import app

HEADING = "## Statistics and charts"


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, readme_section: Callable[[str], dict[str, list[str]]]) -> Path:
    (sales,) = [b for b in readme_section("## Command line")["text"] if b.startswith("region,")]
    (tmp_path / "sales.csv").write_text(sales, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _commands(readme_section: Callable[[str], dict[str, list[str]]]) -> list[list[str]]:
    lines = [line[2:] for block in readme_section(HEADING)["console"] for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("shuxi ")]


def test_console_examples_run(workdir: Path, readme_section: Callable[[str], dict[str, list[str]]]) -> None:
    commands = _commands(readme_section)
    assert [c[:2] for c in commands] == [["stats", "corr"], ["stats", "drivers"], ["stats", "hist"]]
    outputs = []
    for args in commands:  # the real CLI app, in-process (a subprocess per line would re-import scipy each time)
        done = CliRunner().invoke(app, args)
        assert done.exit_code == 0, done.output
        outputs.append(done.output)
    assert "perfect negative correlation" in outputs[0] and "positive" not in outputs[0]
    assert '"target": "revenue"' in outputs[1]
    assert (workdir / "price.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_python_example_runs(workdir: Path, readme_section: Callable[[str], dict[str, list[str]]],
                             capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = readme_section(HEADING)["python"]
    exec(compile(block, "README.md", "exec"), {})  # the README's own code
    printed = capsys.readouterr().out
    assert "完全负相关" in printed and "正相关" not in printed
    assert "'column': 'price'" in printed or "'column': 'quantity'" in printed
    assert "significant at the 5% level" in printed
    assert (workdir / "revenue.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
