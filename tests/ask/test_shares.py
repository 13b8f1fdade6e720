"""Shares of a condition: within each group ("各地区差评占比") or over the groups ("差评在各地区的占比"), and
sentiment words finding a label column however it spells its classes (neg/pos, 负面/正面, 差评/好评)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import shuxi

REGIONS = ["华东"] * 4 + ["华北"] * 3 + ["华南"] * 2
NEGATIVE = [True, True, True, False, True, False, False, False, False]


def _reviews(negative: str, positive: str) -> pa.Table:
    labels = [negative if bad else positive for bad in NEGATIVE]
    return pa.table({"地区": REGIONS, "review": [f"评论{i}" for i in range(len(REGIONS))], "label": labels})


def _expected_rates() -> dict[str, float]:
    """The share of negative reviews among each region's reviews, counted by hand from the lists above."""
    total = Counter(REGIONS)
    bad = Counter(r for r, b in zip(REGIONS, NEGATIVE) if b)
    return {region: bad[region] / n for region, n in total.items()}


@pytest.mark.parametrize(("negative", "positive"), [("neg", "pos"), ("负面", "正面"), ("差评", "好评"),
                                                    ("negative", "positive")])
def test_share_of_bad_reviews_within_each_region(negative: str, positive: str) -> None:
    with shuxi.open(_reviews(negative, positive), name="labelled") as ds:
        answer = ds.ask("各地区差评占比")
        rows = {r["地区"]: r for r in answer.table.to_pylist()}
        assert {k: r["share"] for k, r in rows.items()} == pytest.approx(_expected_rates())
        assert rows["华东"]["part"] == 3 and rows["华东"]["total"] == 4 and rows["华南"]["part"] == 0
        assert answer.values[0] == "华东"  # highest share first
        assert "75%" in answer.text and "3 / 4" in answer.text and negative in answer.text
        assert ds.sql(answer.sql).to_pylist() == answer.table.to_pylist()
        good = ds.ask("各地区好评的比例")
        assert {r["地区"]: r["share"] for r in good.table.to_pylist()} == \
            pytest.approx({k: 1 - v for k, v in _expected_rates().items()})


def test_english_share_of_negative_reviews_by_region() -> None:
    table = _reviews("neg", "pos").rename_columns(["region", "review", "label"])
    with shuxi.open(table, name="labelled") as ds:
        for question in ("share of negative reviews by region", "negative review share by region",
                         "what percentage of reviews in each region are negative"):
            rows = ds.ask(question).table.to_pylist()
            assert {r["region"]: r["share"] for r in rows} == pytest.approx(_expected_rates()), question


def test_condition_named_first_splits_it_over_the_groups() -> None:
    """"差评在各地区的占比": of all the bad reviews, how many each region has (3 of 4 in 华东)."""
    with shuxi.open(_reviews("neg", "pos"), name="labelled") as ds:
        rows = ds.ask("差评在各地区的占比").table.to_pylist()
        shares = {r["地区"]: r["share_count"] for r in rows}
        assert shares == pytest.approx({"华东": 0.75, "华北": 0.25})


def test_share_inside_one_group() -> None:
    """"华东的差评占比": the bad reviews among 华东's reviews (3 of 4), not among all reviews (3 of 9)."""
    with shuxi.open(_reviews("负面", "正面"), name="labelled") as ds:
        answer = ds.ask("华东的差评占比")
        row = answer.table.to_pylist()[0]
        assert (row["part"], row["total"]) == (3, 4) and row["share"] == pytest.approx(0.75)
        assert "地区为华东" in answer.text and "75%" in answer.text
        whole = ds.ask("华东的占比").table.to_pylist()[0]  # one condition: its share of the whole table
        assert (whole["part"], whole["total"]) == (4, 9)


def test_sums_keep_their_share_of_the_total() -> None:
    """No condition: "各地区销售额占比" is each region's slice of all sales, as before."""
    table = pa.table({"地区": ["华东", "华东", "华北"], "销售额": [30.0, 10.0, 60.0]})
    with shuxi.open(table, name="sales") as ds:
        rows = ds.ask("各地区销售额占比").table.to_pylist()
        assert {r["地区"]: r["share_sum_销售额"] for r in rows} == pytest.approx({"华东": 0.4, "华北": 0.6})


def _ask_values(table: pa.Table, question: str) -> Any:
    with shuxi.open(table, name="t") as ds:
        return ds.ask(question)


def test_sentiment_words_link_only_to_a_column_of_labels() -> None:
    """A column whose cells are not all sentiment labels is not taken for one: "bad" in free text stays text, and
    with no column of labels "差评" cannot be answered."""
    from shuxi.errors import PlanError

    table = pa.table({"地区": REGIONS, "note": ["bad", "good", "late", "bad", "ok", "good", "late", "ok", "bad"]})
    with pytest.raises(PlanError, match="没有一列只含差评/好评"):
        _ask_values(table, "各地区差评占比")
    assert _ask_values(table, "各地区note为bad的占比").table.num_rows == 3  # the cells themselves, asked by value


def test_true_and_predicted_labels_side_by_side_are_told_apart_or_asked_back() -> None:
    from shuxi.ask.builtin import AmbiguousQuestionError

    predicted = ["neg" if i % 2 else "pos" for i in range(len(REGIONS))]
    table = _reviews("neg", "pos").append_column("sentiment", pa.array(predicted))
    with shuxi.open(table, name="labelled") as ds:
        with pytest.raises(AmbiguousQuestionError) as asked:
            ds.ask("各地区差评占比")
        assert asked.value.candidates == ["label", "sentiment"] and "sentiment" in str(asked.value)
        rows = ds.ask("各地区sentiment差评占比").table.to_pylist()
        assert {r["地区"]: (r["part"], r["total"]) for r in rows} == {"华东": (2, 4), "华北": (1, 3), "华南": (1, 2)}


def test_labels_written_as_0_and_1_are_not_guessed() -> None:
    """Nothing in a 0/1 label column says which number is the bad review: refused with the way to ask."""
    from shuxi.errors import PlanError

    table = pa.table({"地区": REGIONS, "label": [0 if bad else 1 for bad in NEGATIVE]})
    with shuxi.open(table, name="labelled") as ds:
        with pytest.raises(PlanError, match="只有0和1") as refused:
            ds.ask("各地区差评占比")
        assert "label为0的占比" in (refused.value.hint or "")
        rows = ds.ask("各地区label为0的占比").table.to_pylist()
        assert {r["地区"]: r["share"] for r in rows} == pytest.approx(_expected_rates())
    english = table.rename_columns(["region", "label"])
    with shuxi.open(english, name="labelled") as ds:
        with pytest.raises(PlanError, match="only 0 and 1") as refused:
            ds.ask("share of negative reviews by region")
        assert "share of label = 0 by" in (refused.value.hint or "")
        rows = ds.ask("share of label = 0 by region").table.to_pylist()  # the way the hint says to ask
        assert {r["region"]: r["share"] for r in rows} == pytest.approx(_expected_rates())


def test_a_value_said_as_a_rate_is_its_share_within_each_group() -> None:
    """"各地区差评率", "差评率最高的地区", "华东的差评率", "差评率超过30%的地区": the rate of a cell value is its share
    of each group's rows, however the question orders the words."""
    rates = _expected_rates()  # 华东 3/4, 华北 1/3, 华南 0/2
    with shuxi.open(_reviews("neg", "pos"), name="labelled") as ds:
        for question in ("各地区差评率", "各地区的差评比例", "各地区差评的占比"):
            rows = ds.ask(question).table.to_pylist()
            assert {r["地区"]: r["share"] for r in rows} == pytest.approx(rates), question
        top = ds.ask("差评率最高的地区")
        assert top.values[0] == "华东" and top.table.num_rows == 1 and "最高的地区是华东" in top.text
        assert ds.ask("负面评价占比最高的地区").values == ["华东"]  # the review noun between value and share word
        assert "75%（3 / 4）" in top.text
        bottom = ds.ask("好评率最低的地区")
        assert bottom.values[0] == "华东" and bottom.table.to_pylist()[0]["share"] == pytest.approx(0.25)
        one = ds.ask("华东的差评率").table.to_pylist()[0]
        assert (one["part"], one["total"]) == (3, 4)
        above = ds.ask("差评率超过30%的地区")
        assert {r["地区"] for r in above.table.to_pylist()} == {k for k, v in rates.items() if v > 0.3}
        assert "占比大于30%" in above.text
        none = ds.ask("差评率超过90%的地区")
        assert none.table.num_rows == 0 and "没有" in none.text and "90%" in none.text
        highest_of_none = ds.ask("差评率超过90%的地区中最高的")  # a superlative over no group: said, not a crash
        assert highest_of_none.table.num_rows == 0 and "没有" in highest_of_none.text


def test_english_rates_of_a_value() -> None:
    table = _reviews("neg", "pos").rename_columns(["region", "review", "label"])
    rates = {"华东": 0.75, "华北": 1 / 3, "华南": 0.0}
    with shuxi.open(table, name="labelled") as ds:
        for question in ("negative rate by region", "the rate of negative reviews by region"):
            rows = ds.ask(question).table.to_pylist()
            assert {r["region"]: r["share"] for r in rows} == pytest.approx(rates), question
        top = ds.ask("which region has the highest negative rate")
        assert top.values[0] == "华东" and "highest share" in top.text
        above = ds.ask("regions with a negative rate above 30%")
        assert {r["region"] for r in above.table.to_pylist()} == {"华东", "华北"} and "above 30%" in above.text


def test_a_rate_column_is_not_a_rate_of_a_value() -> None:
    """"strike rate of craig white": Strike rate is a column, and the question asks for its value, not a share."""
    table = pa.table({"Player": ["Craig White", "Adam Lyth"], "Strike rate": [61.5, 55.0]})
    with shuxi.open(table, name="batting") as ds:
        answer = ds.ask("what is the strike rate of craig white?")
        assert answer.values == [61.5]


@pytest.mark.spark
def test_rates_on_recorded_0_1_labels_match_on_spark(spark: Any, tmp_path: Path) -> None:
    """The label column's polarity note travels from the Parquet file on either engine, and a threshold on a
    rate (HAVING on the share) runs on Spark as on DuckDB."""
    import json

    import pyarrow.parquet as pq

    field = pa.field("label", pa.int64(), metadata={"shuxi.polarity": json.dumps({"negative": 1, "positive": 0})})
    table = pa.table({"地区": REGIONS}).append_column(field, pa.array([int(bad) for bad in NEGATIVE]))
    path = tmp_path / "labelled.parquet"
    pq.write_table(table, path)
    for question in ("各地区差评占比", "差评率超过30%的地区"):
        with shuxi.open(path, engine="duckdb") as local, shuxi.open(path, engine="spark") as remote:
            a, b = local.ask(question), remote.ask(question)
        assert a.table.to_pylist() == b.table.to_pylist() and a.text == b.text
        assert {r["地区"]: r["share"] for r in a.table.to_pylist()} == \
            pytest.approx({k: v for k, v in _expected_rates().items() if v > 0.3 or "超过" not in question})


def test_review_words_nothing_in_the_table_answers_are_refused() -> None:
    """"差评有多少" on labels 0/1/2 or star ratings: no column says which rows are bad reviews, and answering
    without the word would count every row — refused with the way forward. A column named by the word still
    answers ("差评数最多的城市")."""
    from shuxi.errors import PlanError

    for table in (pa.table({"地区": ["华东", "华东", "华北"], "label": [0, 1, 2]}),
                  pa.table({"地区": ["华东", "华东", "华北"], "stars": [1, 5, 3]})):
        with shuxi.open(table, name="reviews") as ds:
            for question in ("差评有多少", "各地区好评占比"):
                with pytest.raises(PlanError, match="没有一列只含差评/好评") as refused:
                    ds.ask(question)
                assert "shuxi text predict" in (refused.value.hint or "")
            with pytest.raises(PlanError, match="negative/positive"):
                ds.ask("how many negative reviews are there")
            assert ds.ask("各地区的行数").values == ["华东", "华北"]  # other questions are untouched
    with shuxi.open(pa.table({"城市": ["上海", "北京"], "差评数": [3, 5]}), name="counts") as ds:
        assert ds.ask("差评数最多的城市").values[0] == "北京"
    with shuxi.open(pa.table({"x": [1.0, 2.0, 3.0], "y": [3.0, 2.0, 1.0]}), name="pairs") as ds:
        assert ds.ask("is the correlation between x and y positive or negative?").stats["direction"] == "negative"


def test_rates_by_period() -> None:
    """"每月差评率", "monthly negative rate", "差评率最高的月份": the rate within each month of the date column, in
    time order unless the question ranks the months — not the rate over the whole table."""
    import datetime as dt

    days = [dt.date(2024, 1, 5), dt.date(2024, 1, 20), dt.date(2024, 2, 3), dt.date(2024, 2, 9),
            dt.date(2024, 2, 21), dt.date(2024, 3, 2)]
    bad = [True, False, True, True, False, False]  # January 1/2, February 2/3, March 0/1
    table = pa.table({"日期": days, "城市": ["上海", "北京"] * 3, "label": ["neg" if b else "pos" for b in bad]})
    expected = [(dt.date(2024, 1, 1), 1, 2), (dt.date(2024, 2, 1), 2, 3), (dt.date(2024, 3, 1), 0, 1)]
    with shuxi.open(table, name="reviews") as ds:
        for question in ("每月差评率", "各月差评占比", "monthly negative rate", "negative review share by month"):
            answer = ds.ask(question)
            rows = [(r["日期_month"], r["part"], r["total"]) for r in answer.table.to_pylist()]
            assert rows == expected, question
        assert "各月份中" in ds.ask("每月差评率").text
        top = ds.ask("差评率最高的月份")
        assert top.table.num_rows == 1 and "最高的月份是2024年2月" in top.text and "2 / 3" in top.text
        shanghai = ds.ask("上海每月的差评率").table.to_pylist()  # 上海: the rows of January 5, February 3 and 21
        assert [(r["part"], r["total"]) for r in shanghai] == [(1, 1), (1, 2)]


def test_naming_every_class_asks_for_each() -> None:
    """"差评和好评的平均score": a condition keeping both classes would keep every row; the question asks for each
    class. "the total number of … and …" still counts them together."""
    table = pa.table({"城市": ["上海", "上海", "北京", "北京", "北京"], "label": ["neg", "pos", "neg", "neg", "pos"],
                      "score": [0.9, 0.7, 0.8, 0.6, 0.5]})
    with shuxi.open(table, name="labelled") as ds:
        means = {r["label"]: r["mean_score"] for r in ds.ask("差评和好评的平均score").table.to_pylist()}
        assert means == pytest.approx({"neg": (0.9 + 0.8 + 0.6) / 3, "pos": (0.7 + 0.5) / 2})
        counts = {(r["城市"], r["label"]): r["count"] for r in ds.ask("各城市差评和好评的数量").table.to_pylist()}
        assert counts == {("上海", "neg"): 1, ("上海", "pos"): 1, ("北京", "neg"): 2, ("北京", "pos"): 1}
        assert ds.ask("差评和好评总共有多少条").values == [5]
        assert ds.ask("what is the total number of negative and positive reviews").values == [5]
