"""Which class of a 0/1 sentiment classifier is the negative one: read off the model at training, kept in the saved
classifier, written by `shuxi text predict` into the label column's Parquet metadata, and read by `shuxi ask`, so
that "各地区差评占比" works on labels written 0/1 — and only for a sentiment classifier."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import toy_texts, write_csv
from typer.testing import CliRunner

import shuxi
from shuxi.cli import app
from shuxi.text.classifier import load, train_texts
from shuxi.text.predict import predict_table

runner = CliRunner()

# Hand-written review fragments (hotel/restaurant), each side with its own wording.
ZH = {
    "pos": ["房间很干净", "服务很热情", "早餐好吃", "非常满意", "位置不错", "很喜欢这里", "值得推荐", "性价比高",
            "前台很好", "下次还会来", "床很舒服", "环境很棒"],
    "neg": ["房间很脏", "服务态度恶劣", "早餐难吃", "非常失望", "隔音太差", "很吵", "不推荐", "浪费钱",
            "前台很差", "再也不来了", "糟糕透了", "设施太旧"],
}
ZH_FILL = ["这次入住", "酒店在市中心", "我们住了两晚", "价格一般", "停车方便", "离地铁近", "周末出差", "总的来说"]
EN = {
    "pos": ["great room", "excellent service", "i love it", "highly recommended", "wonderful stay", "the best breakfast",
            "perfect location", "friendly staff", "beautiful view", "very enjoyable"],
    "neg": ["terrible room", "awful service", "i hate it", "a waste of money", "horrible stay", "the worst breakfast",
            "dirty bathroom", "rude staff", "noisy and boring", "very disappointing"],
}
EN_FILL = ["we stayed two nights", "the hotel is downtown", "on a business trip", "overall", "the price was ok"]


def reviews(language: str, n: int = 400, *, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` short reviews, half positive: one or two fragments of their side among neutral filler."""
    rng = random.Random(seed)
    words, fill, sep = (ZH, ZH_FILL, "，") if language == "zh" else (EN, EN_FILL, ", ")
    texts, labels = [], []
    for i in range(n):
        side = ("pos", "neg")[i % 2]
        parts = rng.sample(words[side], rng.randint(1, 2)) + rng.sample(fill, rng.randint(1, 3))
        rng.shuffle(parts)
        texts.append(sep.join(parts))
        labels.append(side)
    return texts, labels


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_sentiment_classifier_knows_which_number_is_negative(language: str) -> None:
    texts, sides = reviews(language)
    as_numbers = train_texts(texts, [0 if s == "neg" else 1 for s in sides], model="tfidf")
    assert as_numbers.polarity == {"negative": 0, "positive": 1}
    flipped = train_texts(texts, [1 if s == "neg" else 0 for s in sides], model="tfidf")
    assert flipped.polarity == {"negative": 1, "positive": 0}
    named = train_texts(texts, sides, model="tfidf")
    assert named.polarity == {"negative": "neg", "positive": "pos"}


def test_topics_and_many_classes_get_no_polarity() -> None:
    texts, topics = toy_texts("en", 300, classes=3)
    two = [(t, c) for t, c in zip(texts, topics) if c != "tech"]
    clf = train_texts([t for t, _ in two], [c for _, c in two], model="tfidf")
    assert clf.predict(["pizza noodles"]) == ["food"]  # it learned its task, which is not sentiment
    assert clf.polarity is None and "polarity" not in clf.info
    assert train_texts(texts, topics, model="tfidf").polarity is None  # three classes


def test_polarity_is_saved_with_the_classifier(tmp_path: Path) -> None:
    texts, sides = reviews("zh", seed=1)
    clf = train_texts(texts, [1 if s == "neg" else 0 for s in sides], model="tfidf")
    assert load(clf.save(tmp_path / "model")).polarity == {"negative": 1, "positive": 0}


def _new_reviews(tmp_path: Path) -> tuple[Path, list[str]]:
    texts, _ = reviews("zh", 90, seed=7)
    regions = [("华东", "华北", "华南")[i % 3] for i in range(len(texts))]
    return write_csv(tmp_path / "new.csv", texts, None, 地区=regions), regions


@pytest.mark.parametrize("negative", [0, 1])
def test_predicted_0_1_labels_answer_the_share_of_bad_reviews(tmp_path: Path, negative: int) -> None:
    """The issue's integration on labels written 0/1 (as in chnsenticorp): train → predict → "各地区差评占比"."""
    import duckdb

    texts, sides = reviews("zh", seed=2)
    data = write_csv(tmp_path / "train.csv", texts, [negative if s == "neg" else 1 - negative for s in sides])
    model = tmp_path / "model"
    trained = runner.invoke(app, ["text", "train", str(data), "--text", "review", "--label", "label", "--model",
                                  "tfidf", "--out", str(model)])
    assert trained.exit_code == 0 and f"Sentiment: {negative} = negative, {1 - negative} = positive" in trained.output
    source, _ = _new_reviews(tmp_path)
    out = tmp_path / "labelled.parquet"
    predicted = runner.invoke(app, ["text", "predict", str(model), str(source), "--text", "review", "--out", str(out)])
    assert predicted.exit_code == 0 and f"label {negative} = negative" in predicted.output
    field = pq.read_schema(out).field("label")
    assert field.type == pa.int64() and json.loads(field.metadata[b"shuxi.polarity"]) == \
        {"negative": negative, "positive": 1 - negative}
    described = json.loads(runner.invoke(app, ["schema", str(out), "--format", "json"]).output)["columns"]
    assert [c.get("sentiment") for c in described if c["name"] == "label"] == \
        [{"negative": negative, "positive": 1 - negative}]
    assert f"{negative} = negative" in runner.invoke(app, ["schema", str(out)]).output
    expected = dict(duckdb.sql(f"SELECT 地区, avg(CASE WHEN label = {negative} THEN 1.0 ELSE 0 END) FROM '{out}' "
                               "GROUP BY 地区").fetchall())
    assert 0 < min(expected.values()) and max(expected.values()) < 1  # both classes in every region
    for question, share in (("各地区差评占比", lambda r: expected[r]), ("各地区好评的比例", lambda r: 1 - expected[r])):
        result = runner.invoke(app, ["ask", str(out), question, "--format", "json"])
        assert result.exit_code == 0, result.output
        answer = json.loads(result.output)
        got = {row[answer["columns"].index("地区")]: row[answer["columns"].index("share")] for row in answer["rows"]}
        assert got == pytest.approx({r: share(r) for r in expected}), question
        assert f"label的{negative}为负面评价" in answer["text"]
    with shuxi.open(out) as ds:
        english = ds.ask("how many negative reviews are there")
        assert english.values == [duckdb.sql(f"SELECT count(*) FROM '{out}' WHERE label = {negative}").fetchall()[0][0]]
        assert f"label {negative} = negative" in english.text


def test_without_the_record_0_1_labels_are_still_refused(tmp_path: Path) -> None:
    """A topic classifier's 0/1 output (no polarity recorded) is not read as sentiment: ask refuses "差评"."""
    from shuxi.errors import PlanError

    texts, topics = toy_texts("en", 200, classes=3)
    clf = train_texts([t for t, c in zip(texts, topics) if c != "tech"],
                      [int(c == "food") for c in topics if c != "tech"], model="tfidf")
    rows = {"review": ["pizza noodles", "football tennis", "tennis", "noodles"], "region": ["a", "a", "b", "b"]}
    out = tmp_path / "topics.parquet"
    assert predict_table(clf, pa.table(rows), text="review", out=out)["polarity"] is None
    assert pq.read_schema(out).field("label").metadata is None
    with shuxi.open(out) as ds, pytest.raises(PlanError, match="only 0 and 1"):
        ds.ask("share of negative reviews by region")


def test_only_shuxi_notes_of_a_source_reach_the_schema(tmp_path: Path) -> None:
    field = pa.field("label", pa.int64(), metadata={"shuxi.polarity": '{"negative": 0, "positive": 1}',
                                                    "shuxi.detail": "not from this source", "other": "x"})
    table = pa.table({"label": pa.array([0, 1], pa.int64())}).cast(pa.schema([field]))
    pq.write_table(table, tmp_path / "t.parquet")
    for data in (tmp_path / "t.parquet", table):
        with shuxi.open(data, name="t") as ds:
            assert ds.schema.field("label").metadata == {b"shuxi.polarity": b'{"negative": 0, "positive": 1}'}


def test_the_negative_label_can_be_given(tmp_path: Path) -> None:
    """Too few texts for the model to show its polarity: --negative-label says it, and ask reads 差评 by it."""
    import duckdb

    texts, sides = toy_texts("zh", 120, seed=5)  # three cue words a side: the probes cannot tell
    data = write_csv(tmp_path / "train.csv", texts, [int(s == "pos") for s in sides])
    quiet = runner.invoke(app, ["text", "train", str(data), "--text", "review", "--label", "label", "--model", "tfidf",
                                "--out", str(tmp_path / "unsure")])
    assert quiet.exit_code == 0 and "pass --negative-label" in quiet.output
    model = tmp_path / "model"
    given = runner.invoke(app, ["text", "train", str(data), "--text", "review", "--label", "label", "--model", "tfidf",
                                "--negative-label", "0", "--out", str(model)])
    assert given.exit_code == 0 and "Sentiment: 0 = negative, 1 = positive (as given)" in given.output
    assert load(model).polarity == {"negative": 0, "positive": 1}
    source, _ = _new_reviews(tmp_path)
    out = tmp_path / "labelled.parquet"
    assert runner.invoke(app, ["text", "predict", str(model), str(source), "--text", "review",
                               "--out", str(out)]).exit_code == 0
    with shuxi.open(out) as ds:
        rows = {r["地区"]: r["part"] for r in ds.ask("各地区差评占比").table.to_pylist()}
    assert rows == dict(duckdb.sql(f"SELECT 地区, count(*) FILTER (WHERE label = 0) FROM '{out}' GROUP BY 1").fetchall())


def test_a_negative_label_that_is_not_one_of_two_labels_is_refused(tmp_path: Path) -> None:
    texts, sides = reviews("zh", 60, seed=6)
    data = write_csv(tmp_path / "train.csv", texts, [int(s == "pos") for s in sides])
    for value in ("neg", "2"):
        result = runner.invoke(app, ["text", "train", str(data), "--text", "review", "--label", "label", "--model",
                                     "tfidf", "--negative-label", value, "--out", str(tmp_path / "m")])
        assert result.exit_code == 2 and "is not one of the labels" in result.output
    assert not (tmp_path / "m").exists()
    three, topics = toy_texts("en", 60, classes=3)
    data = write_csv(tmp_path / "topics.csv", three, topics)
    result = runner.invoke(app, ["text", "train", str(data), "--text", "review", "--label", "label", "--model",
                                 "tfidf", "--negative-label", "food", "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "two classes" in result.output


def test_a_given_polarity_the_model_contradicts_is_kept_with_a_warning() -> None:
    texts, sides = reviews("en", seed=8)
    clf = train_texts(texts, [int(s == "pos") for s in sides], model="tfidf", negative_label=1)
    assert clf.polarity == {"negative": 1, "positive": 0} and clf.info["polarity_disagrees"] is True


def test_the_note_survives_labelling_again_and_cleaning(tmp_path: Path) -> None:
    """A labelled file labelled again (another model's column beside it) or cleaned keeps the first label
    column's polarity, so "差评" still reads it."""
    texts, sides = reviews("zh", seed=9)
    clf = train_texts(texts, [int(s == "pos") for s in sides], model="tfidf")
    source, _ = _new_reviews(tmp_path)
    first, second = tmp_path / "first.parquet", tmp_path / "second.parquet"
    predict_table(clf, source, text="review", out=first)
    predict_table(clf, first, text="review", out=second, label_column="label2", score_column="score2")
    schema = pq.read_schema(second)
    for column in ("label", "label2"):
        assert json.loads(schema.field(column).metadata[b"shuxi.polarity"]) == {"negative": 0, "positive": 1}
    with shuxi.open(first) as ds:
        cleaned = ds.clean().write(tmp_path / "cleaned.parquet")
    assert json.loads(pq.read_schema(cleaned).field("label").metadata[b"shuxi.polarity"]) == \
        {"negative": 0, "positive": 1}
    with shuxi.open(cleaned) as ds:
        assert ds.ask("差评有多少").values == [pq.read_table(first).column("label").to_pylist().count(0)]
