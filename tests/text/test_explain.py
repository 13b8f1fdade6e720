"""Explanations point at the words that decide the toy labels."""

from __future__ import annotations

import pytest
from conftest import toy_texts

from shuxi.errors import DataError
from shuxi.text.classifier import train_texts


def test_occlusion_finds_the_english_cue_word() -> None:
    clf = train_texts(*toy_texts("en", 300), model="tfidf")
    result = clf.explain("the story was really wonderful and the actor was long")
    assert result.method == "occlusion" and result.label == "pos"
    assert result.top(1)[0][0] == "wonderful" and result.top(1)[0][1] > 0.05
    assert "".join(result.tokens) == "the story was really wonderful and the actor was long"
    against = clf.explain("the story was really wonderful", label="neg")
    assert against.label == "neg"
    lowest = min(zip(against.scores, against.tokens))
    assert lowest[1] == "wonderful" and lowest[0] < 0  # removing it makes "neg" more likely


def test_occlusion_finds_the_chinese_cue_word() -> None:
    clf = train_texts(*toy_texts("zh", 300, seed=1), model="tfidf")
    result = clf.explain("酒店位置前台太吵服务价格")
    assert result.label == "neg"
    top_token, top_score = result.top(1)[0]
    assert "吵" in top_token and top_score > 0
    html = result.to_html()
    assert "吵" in html and "<span" in html and "rgba(" in html
    assert str(result.to_rich()) == "酒店位置前台太吵服务价格"


def test_bilstm_attention_weights_and_occlusion(tiny: dict[str, object]) -> None:
    clf = train_texts(*toy_texts("en", 300), model="bilstm", neural_overrides={**tiny, "epochs": 15})
    text = "the movie was quite awful and the plot was long"
    attention = clf.explain(text, method="attention")
    assert attention.method == "attention" and attention.label == "neg"
    assert attention.tokens == text.split() and len(attention.scores) == 10
    assert abs(sum(attention.scores) - 1.0) < 1e-5 and min(attention.scores) > 0
    occluded = clf.explain(text)  # auto: occlusion, which shows what decides
    assert occluded.method == "occlusion" and occluded.top(1)[0][0] == "awful"


def test_explain_errors() -> None:
    clf = train_texts(*toy_texts("en", 100), model="tfidf")
    with pytest.raises(DataError, match="empty"):
        clf.explain("   ")
    with pytest.raises(DataError, match="no attention"):
        clf.explain("great film", method="attention")
    with pytest.raises(DataError, match="not one of"):
        clf.explain("great film", label="maybe")
    long_text = "the film " * 500 + "great"
    assert "only the first" in clf.explain(long_text).note
