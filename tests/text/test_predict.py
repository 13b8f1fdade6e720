"""Batch prediction (streamed, atomic, never overwriting) and evaluation metrics."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import toy_texts, write_csv

import shuxi
from shuxi.errors import ColumnNotFoundError, DataError
from shuxi.text.classifier import TextClassifier, train_texts
from shuxi.text.predict import evaluate, predict_table


@pytest.fixture(scope="module")
def clf() -> TextClassifier:
    return train_texts(*toy_texts("zh", 300, seed=1), model="tfidf")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_predict_streams_batches_and_adds_label_and_score(clf: TextClassifier, tmp_path: Path) -> None:
    texts, labels = toy_texts("zh", 103, seed=7)
    regions = ["华东" if i % 3 else "华北" for i in range(len(texts))]
    source = write_csv(tmp_path / "reviews.csv", texts, None, region=regions)
    before = _digest(source)
    seen: list[tuple[int, int | None]] = []
    summary = predict_table(clf, source, text="review", out=tmp_path / "out.parquet", batch_rows=10,
                            on_progress=lambda done, total: seen.append((done, total)))
    assert _digest(source) == before  # the input is never touched
    assert summary["rows"] == 103 and sum(summary["label_counts"].values()) == 103
    assert [d for d, _ in seen] == [10 * i for i in range(1, 11)] + [103] and seen[-1][1] == 103
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column_names == ["review", "region", "label", "score"]
    assert table.column("review").to_pylist() == texts  # row order kept
    assert table.column("label").to_pylist() == clf.predict(texts)
    scores = table.column("score").to_pylist()
    assert all(0.5 <= s <= 1.0 for s in scores)
    accuracy = sum(p == y for p, y in zip(table.column("label").to_pylist(), labels)) / len(labels)
    assert accuracy >= 0.95
    # The integration the analysts want: the labelled file is an ordinary table for SQL (and `shuxi ask`).
    with shuxi.open(tmp_path / "out.parquet") as ds:
        rows = ds.sql(f"SELECT region, avg(CASE WHEN label = 'neg' THEN 1 ELSE 0 END) AS neg_share, count(*) AS n "
                      f"FROM {ds.name} GROUP BY region ORDER BY region").to_pylist()
    assert sum(r["n"] for r in rows) == 103 and all(0 <= r["neg_share"] <= 1 for r in rows)


def test_predict_reads_parquet_by_streaming(clf: TextClassifier, tmp_path: Path) -> None:
    texts, _ = toy_texts("zh", 50, seed=8)
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": list(range(50)), "review": texts}), source, row_group_size=7)
    predict_table(clf, source, text="review", out=tmp_path / "pred.parquet", batch_rows=16)
    table = pq.read_table(tmp_path / "pred.parquet")
    assert table.column("id").to_pylist() == list(range(50))
    assert table.column("label").to_pylist() == clf.predict(texts)


def test_predict_never_overwrites_and_leaves_nothing_half_written(clf: TextClassifier, tmp_path: Path) -> None:
    texts, _ = toy_texts("zh", 20)
    source = write_csv(tmp_path / "r.csv", texts, None)
    out = tmp_path / "out.parquet"
    out.write_bytes(b"precious")
    with pytest.raises(DataError, match="already exists"):
        predict_table(clf, source, text="review", out=out)
    assert out.read_bytes() == b"precious"
    predict_table(clf, source, text="review", out=out, overwrite=True)
    assert pq.read_table(out).num_rows == 20
    # A bad cell part-way through: an error, and no output or temporary file left behind.
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"review": [*texts, None, "好"]}), bad)
    predict_table(clf, bad, text="review", out=tmp_path / "ok.parquet")  # missing cells are allowed
    numbers = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"review": [1, 2, 3]}), numbers)
    with pytest.raises(DataError, match="not text"):
        predict_table(clf, numbers, text="review", out=tmp_path / "never.parquet")
    assert not (tmp_path / "never.parquet").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    with pytest.raises(ColumnNotFoundError, match="review"):
        predict_table(clf, source, text="reviews", out=tmp_path / "x.parquet")
    with pytest.raises(DataError, match="already has a column"):
        predict_table(clf, tmp_path / "ok.parquet", text="review", out=tmp_path / "y.parquet")
    with pytest.raises(DataError, match=".parquet"):
        predict_table(clf, source, text="review", out=tmp_path / "out.csv")


def test_evaluate_reports_metrics_that_match_a_hand_count(clf: TextClassifier, tmp_path: Path) -> None:
    texts = ["房间很好。", "服务满意。", "太吵了很差。", "失望。", "环境很好但是太吵"]
    truth = ["pos", "pos", "neg", "neg", "neg"]
    predicted = clf.predict(texts)
    source = write_csv(tmp_path / "gold.csv", texts, truth)
    report = evaluate(clf, source, text="review", label="label")
    hits = sum(p == t for p, t in zip(predicted, truth))
    assert report["rows"] == 5 and report["accuracy"] == pytest.approx(hits / 5)
    matrix = report["confusion_matrix"]
    assert matrix["labels"] == ["neg", "pos"] and sum(map(sum, matrix["matrix"])) == 5
    for i, true_label in enumerate(["neg", "pos"]):
        for j, pred_label in enumerate(["neg", "pos"]):
            expected = sum(t == true_label and p == pred_label for t, p in zip(truth, predicted))
            assert matrix["matrix"][i][j] == expected
    assert set(report["per_class"]) == {"neg", "pos"}
    assert report["per_class"]["neg"]["support"] == 3
    assert 0 <= report["macro_f1"] <= 1


def test_evaluate_matches_number_labels_read_from_csv(tmp_path: Path) -> None:
    texts, names = toy_texts("en", 200)
    numbers = [1 if n == "pos" else 0 for n in names]
    model = train_texts(texts, numbers, model="tfidf")
    source = write_csv(tmp_path / "t.csv", texts[:40], [str(n) for n in numbers[:40]])
    assert evaluate(model, source, text="review", label="label")["accuracy"] >= 0.95


def test_evaluate_refuses_unknown_labels(clf: TextClassifier, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "u.csv", ["很好", "很差", "一般"], ["pos", "neg", "neutral"])
    with pytest.raises(DataError, match="never saw: 'neutral'"):
        evaluate(clf, source, text="review", label="label")
    with pytest.raises(ColumnNotFoundError):
        evaluate(clf, source, text="review", label="sentiment")
