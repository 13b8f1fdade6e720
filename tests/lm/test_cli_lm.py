"""``shuxi lm``: commands map library errors to exit code 2 with one message, and print what they did."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from shuxi.cli import app

runner = CliRunner()


def test_train_eval_generate_with_a_gpt(tmp_path: Path, corpus_file: Path) -> None:
    out = tmp_path / "g"
    result = runner.invoke(app, ["lm", "train", str(corpus_file), "--arch", "gpt", "--n-layer", "1", "--n-head", "2",
                                 "--n-embd", "16", "--block-size", "16", "--max-iters", "20", "--eval-interval", "10",
                                 "--position", "sinusoidal", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Saved a gpt model" in result.output and "validation loss" in result.output
    assert json.loads((out / "lm.json").read_text())["config"]["position"] == "sinusoidal"
    evaluated = runner.invoke(app, ["lm", "eval", str(out), str(corpus_file), "--format", "json"])
    report = json.loads(evaluated.output)
    assert report["tokens"] == len(corpus_file.read_text()) - 1
    assert abs(report["bits_per_char"] - report["loss"] / 0.6931471805599453) < 1e-9  # characters = tokens here
    a = runner.invoke(app, ["lm", "generate", str(out), "--prompt", "the", "--max-new-tokens", "20", "--seed", "3"])
    b = runner.invoke(app, ["lm", "generate", str(out), "--prompt", "the", "--max-new-tokens", "20", "--seed", "3",
                            "--no-cache"])
    assert a.exit_code == 0 and a.output.startswith("the") and len(a.output.rstrip("\n")) >= 3
    assert b.exit_code == 0


def test_user_errors_exit_2_without_traceback(tmp_path: Path, corpus_file: Path) -> None:
    missing = runner.invoke(app, ["lm", "eval", str(tmp_path / "nope"), str(corpus_file)])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    runner.invoke(app, ["lm", "train", str(corpus_file), "--arch", "ngram", "--order", "3", "--out", str(tmp_path / "n")])
    prompt = runner.invoke(app, ["lm", "generate", str(tmp_path / "n"), "--prompt", "猫"])
    assert prompt.exit_code == 2 and "'猫'" in prompt.output and not prompt.output.startswith("猫")
    short = tmp_path / "short.txt"
    short.write_text("abc", encoding="utf-8")
    too_short = runner.invoke(app, ["lm", "train", str(short), "--out", str(tmp_path / "s"), "--quiet"])
    assert too_short.exit_code == 2 and "too short" in too_short.output
    again = runner.invoke(app, ["lm", "train", str(corpus_file), "--arch", "ngram", "--out", str(tmp_path / "n")])
    assert again.exit_code == 2 and "--overwrite" in again.output


def test_stop_string_ends_generation(tmp_path: Path, corpus_file: Path) -> None:
    runner.invoke(app, ["lm", "train", str(corpus_file), "--arch", "ngram", "--order", "5", "--out", str(tmp_path / "n")])
    result = runner.invoke(app, ["lm", "generate", str(tmp_path / "n"), "--prompt", "the cat", "--max-new-tokens",
                                 "200", "--temperature", "0", "--stop", "."])
    assert result.exit_code == 0
    assert result.output.startswith("the cat") and "." not in result.output and "\n" not in result.output.rstrip("\n")
