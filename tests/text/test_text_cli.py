"""`shuxi text …` through the real command line: results, formats, and user errors as exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import toy_texts, write_csv
from typer.testing import CliRunner

from shuxi.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cli")
    texts, labels = toy_texts("en", 200)
    data = write_csv(folder / "reviews.csv", texts, labels)
    result = runner.invoke(app, ["text", "train", str(data), "--text", "review", "--label", "label",
                                 "--model", "tfidf", "--out", str(folder / "model")])
    assert result.exit_code == 0, result.output
    assert "tfidf classifier on 200 texts" in result.output
    return data, folder / "model"


def test_eval_json_has_the_promised_fields(trained: tuple[Path, Path]) -> None:
    data, model = trained
    result = runner.invoke(app, ["text", "eval", str(model), str(data), "--text", "review", "--label", "label",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["accuracy"] >= 0.95 and 0 <= report["macro_f1"] <= 1
    assert set(report["per_class"]["pos"]) >= {"precision", "recall"}
    assert report["confusion_matrix"]["labels"] == ["neg", "pos"]
    text = runner.invoke(app, ["text", "eval", str(model), str(data), "--text", "review", "--label", "label"])
    assert text.exit_code == 0 and "macro-F1" in text.output and "confusion matrix" in text.output


def test_predict_then_sql_and_no_overwrite(trained: tuple[Path, Path], tmp_path: Path) -> None:
    data, model = trained
    out = tmp_path / "labelled.parquet"
    args = ["text", "predict", str(model), str(data), "--text", "review", "--out", str(out),
            "--label-column", "predicted"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Wrote 200 rows" in result.output
    assert pq.read_table(out).column_names == ["review", "label", "predicted", "score"]
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--overwrite" in again.output
    assert runner.invoke(app, [*args, "--overwrite"]).exit_code == 0
    sql = runner.invoke(app, ["sql", str(out), "SELECT predicted, count(*) AS n FROM labelled GROUP BY predicted",
                              "--format", "json"])
    assert sql.exit_code == 0, sql.output
    payload = json.loads(sql.output)
    assert payload["columns"] == ["predicted", "n"] and sum(row[1] for row in payload["rows"]) == 200
    clash = runner.invoke(app, ["text", "predict", str(model), str(data), "--text", "review",
                                "--out", str(tmp_path / "clash.parquet")])
    assert clash.exit_code == 2 and "already has a column" in clash.output


def test_explain_formats(trained: tuple[Path, Path], tmp_path: Path) -> None:
    _, model = trained
    text = runner.invoke(app, ["text", "explain", str(model), "the plot was boring and long",
                               "--html", str(tmp_path / "why.html")])
    assert text.exit_code == 0, text.output
    assert "neg" in text.output and "top: boring" in text.output
    assert "<span" in (tmp_path / "why.html").read_text(encoding="utf-8")
    as_json = runner.invoke(app, ["text", "explain", str(model), "a wonderful film", "--format", "json"])
    payload = json.loads(as_json.output)
    assert payload["label"] == "pos" and payload["method"] == "occlusion"
    best = max(payload["tokens"], key=lambda t: t["score"])
    assert best["token"] == "wonderful"


def test_user_errors_exit_2_without_traceback(trained: tuple[Path, Path], tmp_path: Path) -> None:
    data, model = trained
    cases = [
        (["text", "train", str(data), "--text", "reviw", "--label", "label", "--out", str(tmp_path / "m")], "review"),
        (["text", "train", str(data), "--text", "review", "--label", "label", "--out", str(model)], "--overwrite"),
        (["text", "eval", str(tmp_path), str(data), "--text", "review", "--label", "label"], "classifier.json"),
        (["text", "predict", str(model), str(tmp_path / "missing.csv"), "--text", "review",
          "--out", str(tmp_path / "o.parquet")], "missing.csv"),
        (["text", "explain", str(model), "  "], "empty"),
        (["text", "explain", str(model), "great", "--method", "attention"], "attention"),
    ]
    one_class = write_csv(tmp_path / "one.csv", ["a good film", "a great film"], ["pos", "pos"])
    cases.append((["text", "train", str(one_class), "--text", "review", "--label", "label",
                   "--out", str(tmp_path / "m1")], "only one class"))
    for args, expected in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.output and "Traceback" not in result.output, (args, result.output)
    assert not (tmp_path / "m").exists() and not (tmp_path / "m1").exists()


def test_predict_then_ask_the_share_of_bad_reviews_per_region(tmp_path: Path) -> None:
    """The integration the issue names: label a review table, then `shuxi ask OUT.parquet "各地区差评占比"`."""
    import duckdb

    texts, labels = toy_texts("zh", 200, seed=3)
    data = write_csv(tmp_path / "train.csv", texts, labels)
    model = tmp_path / "model"
    assert runner.invoke(app, ["text", "train", str(data), "--text", "review", "--label", "label", "--model", "tfidf",
                               "--out", str(model)]).exit_code == 0
    new, _ = toy_texts("zh", 90, seed=4)
    regions = [("华东", "华北", "华南")[i % 3] for i in range(len(new))]
    source = write_csv(tmp_path / "new.csv", new, None, 地区=regions)
    out = tmp_path / "labelled.parquet"
    assert runner.invoke(app, ["text", "predict", str(model), str(source), "--text", "review",
                               "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["ask", str(out), "各地区差评占比", "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    got = {row[answer["columns"].index("地区")]: row[answer["columns"].index("share")] for row in answer["rows"]}
    expected = dict(duckdb.sql(f"SELECT 地区, avg(CASE WHEN label = 'neg' THEN 1.0 ELSE 0 END) FROM '{out}' "
                               "GROUP BY 地区").fetchall())
    assert got == pytest.approx(expected) and len(got) == 3
    assert "neg" in answer["text"]
