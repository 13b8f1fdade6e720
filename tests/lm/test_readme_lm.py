"""The README's "Language models" section runs as written, on small generated files."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shuxi.cli import app


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_text: Any) -> Path:
    (tmp_path / "notes.txt").write_text(make_text(300, seed=1), encoding="utf-8")
    (tmp_path / "more-notes.txt").write_text(make_text(100, seed=2), encoding="utf-8")
    lines = ["id,review", "1,the cat sat on the mat.", "2,zq xj vvk!", "3,a dog ran to a house.", "4,the red cat saw a dog."]
    (tmp_path / "reviews.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_console_examples_run_in_order(workdir: Path, readme_section: Any) -> None:
    blocks = readme_section("## Language models")
    commands = [line[2:] for block in blocks["console"] for line in block.splitlines() if line.startswith("$ shuxi ")]
    assert len(commands) >= 8
    runner = CliRunner()
    outputs = {}
    for command in commands:
        args = shlex.split(command)[1:]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f"{command}\n{result.output}"
        outputs[" ".join(args[:2])] = result.output
    report = json.loads(outputs["lm eval"].strip().splitlines()[-1])
    assert {"loss", "perplexity", "bits_per_char", "tokens"} <= report.keys()
    assert outputs["lm generate"].startswith("the")
    assert outputs["sql scored.parquet"].index("zq xj vvk!") < outputs["sql scored.parquet"].index("the cat sat")
    assert (workdir / "notes-tuned" / "model.safetensors").exists() and (workdir / "notes-small" / "lm.json").exists()
    for mixed in ("notes-mix", "notes-mixed"):
        info = json.loads((workdir / mixed / "lm.json").read_text(encoding="utf-8"))
        assert info["arch"] == "mix" and 0.0 <= info["config"]["weight"] <= 1.0
        assert (workdir / mixed / "gpt" / "model.safetensors").exists() and (workdir / mixed / "ngram" / "ngram.npz").exists()


def test_python_example_runs(workdir: Path, readme_section: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    for block in readme_section("## Language models")["python"]:
        exec(compile(block, "README.md", "exec"), namespace)  # the README's own code
    assert namespace["report"]["tokens"] > 1000
    assert namespace["summary"]["rows"] == 4 and (workdir / "scored-4gram.parquet").exists()
    assert capsys.readouterr().out.strip()
