"""The README's "Text classification" examples run as written, on a toy reviews.csv made here."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import toy_texts, write_csv
from typer.testing import CliRunner

from shuxi.cli import app

runner = CliRunner()


@pytest.fixture()
def reviews(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    texts, labels = toy_texts("zh", 300, seed=1)
    write_csv(tmp_path / "reviews.csv", texts, labels)
    new, _ = toy_texts("zh", 120, seed=2)
    write_csv(tmp_path / "new-reviews.csv", new, None, 城市=[("上海", "北京", "广州")[i % 3] for i in range(len(new))])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_text_examples_run(reviews: Path, readme_section: Callable[[str], dict[str, list[str]]]) -> None:
    blocks = readme_section("## Text classification")
    commands = [line[2:] for block in blocks["console"] for line in block.splitlines() if line.startswith("$ shuxi ")]
    assert len(commands) == 6
    outputs = []
    for command in commands:  # in process: the same app the console script runs, without re-importing per line
        done = runner.invoke(app, shlex.split(command)[1:])
        assert done.exit_code == 0, f"{command}\n{done.output}"
        outputs.append(done.output)
    assert (reviews / "review-model" / "classifier.json").is_file()
    assert '"accuracy"' in outputs[1] and '"macro_f1"' in outputs[1]
    assert "120 rows" in outputs[2] and (reviews / "labelled.parquet").is_file()
    assert "neg" in outputs[3] and "top: 失望" in outputs[3]
    assert "pos" in outputs[4] and "neg" in outputs[4]
    # the share of bad reviews within each city (40 reviews each), not each city's slice of all bad reviews
    assert "各城市中sentiment为neg" in outputs[5] and all(city in outputs[5] for city in ("上海", "北京", "广州"))
    namespace: dict[str, object] = {}
    for block in blocks["python"]:
        exec(compile(block, "README.md", "exec"), namespace)  # the README's own code
    assert namespace["clf"].predict(["太吵了，很失望"]) == ["neg"]  # type: ignore[attr-defined]
