"""Corpora: table columns (rows start with <s>), BPE tokens, the 90/10 split."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import shuxi.lm
from shuxi.lm.corpus import Corpus, encode_corpus, fit_tokenizer, split_ids
from shuxi.text.tokenizers import BOS_ID


def test_a_table_column_is_a_corpus_of_rows(tmp_path: Path, make_text: Any) -> None:
    rows = make_text(200, seed=4).splitlines()
    table = tmp_path / "reviews.csv"
    table.write_text("id,review\n" + "\n".join(f"{i},{r}" for i, r in enumerate(rows)) + "\n", encoding="utf-8")
    lm = shuxi.lm.train(table, text="review", out=tmp_path / "m", arch="ngram", order=4)
    assert lm.info["corpus_kind"] == "table" and lm.row_start == [BOS_ID]
    ids = encode_corpus(Corpus(rows, "t", "table"), lm.tokenizer)
    assert (ids == BOS_ID).sum() == len(rows) and ids[0] == BOS_ID
    report = shuxi.lm.evaluate(lm, table, text="review")
    assert report["tokens"] == sum(len(r) for r in rows)  # every character of every row, the <s> not counted
    # Generation without a prompt starts a new record: it begins like the rows do.
    first_words = {r.split()[0] for r in rows}
    assert lm.generate("", max_new_tokens=30, temperature=0, stop=["\n"]).split()[0] in first_words


def test_bpe_tokens_count_characters_for_bits_per_char(tmp_path: Path, corpus_file: Path) -> None:
    lm = shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="ngram", order=3, tokenizer="bpe", vocab_size=60)
    text = corpus_file.read_text()
    assert lm.tokenizer.decode(lm.tokenizer.encode(text)) == text
    report = shuxi.lm.evaluate(lm, corpus_file)
    assert report["tokens"] < report["characters"] / 2  # pieces longer than characters
    assert report["bits_per_char"] == pytest.approx(report["loss"] * report["tokens"] / report["characters"] / math.log(2))


def test_split_is_first_90_percent_then_last_10() -> None:
    train, val = split_ids(np.arange(100), need=5)
    assert train.tolist() == list(range(90)) and val.tolist() == list(range(90, 100))
    with pytest.raises(Exception, match="too short"):
        split_ids(np.arange(20), need=5)
    tok = fit_tokenizer(Corpus(["abc"], "x", "text"), "char")
    assert tok.vocab_size == 4 + 3
