"""Bad input gets a clear ShuxiError that says what to do, and leaves nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

import shuxi.lm
from shuxi.errors import ColumnNotFoundError, ConfigError, DataError


def test_empty_corpus(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    for arch in ("ngram", "gpt"):
        with pytest.raises(DataError, match="empty"):
            shuxi.lm.train(empty, out=tmp_path / arch, arch=arch, progress=False)
        assert not (tmp_path / arch).exists()  # nothing written, not even an empty folder


def test_corpus_shorter_than_the_block_size(tmp_path: Path, tiny: dict) -> None:
    short = tmp_path / "short.txt"
    short.write_text("the cat sat on the mat. " * 3, encoding="utf-8")
    with pytest.raises(DataError, match="too short.*block") as info:
        shuxi.lm.train(short, out=tmp_path / "m", arch="gpt", **(tiny | {"block_size": 32}))
    assert "--block-size" in str(info.value)


def test_unknown_model_folder(tmp_path: Path, corpus_file: Path) -> None:
    with pytest.raises(DataError, match="not a shuxi language-model folder"):
        shuxi.lm.load(tmp_path / "nowhere")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "lm.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="damaged"):
        shuxi.lm.evaluate(tmp_path / "junk", corpus_file)


def test_prompt_with_characters_outside_a_char_vocabulary(tmp_path: Path, corpus_file: Path) -> None:
    shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="ngram", order=3)
    with pytest.raises(DataError, match="'Q'.*'零'|'零'.*'Q'"):
        shuxi.lm.generate(tmp_path / "m", "the Q零", max_new_tokens=5)
    with pytest.raises(DataError, match="not in the tokenizer's vocabulary"):
        shuxi.lm.evaluate(tmp_path / "m", _write(tmp_path / "x.txt", "the cat 零"))


def test_existing_output_folder_is_not_replaced_without_asking(tmp_path: Path, corpus_file: Path) -> None:
    shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="ngram", order=2)
    with pytest.raises(DataError, match="already exists.*--overwrite"):
        shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="ngram", order=3)
    shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="ngram", order=3, overwrite=True)
    assert shuxi.lm.load(tmp_path / "m").info["order"] == 3
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="empty"):  # a failed retrain keeps the model that was there
        shuxi.lm.train(empty, out=tmp_path / "m", arch="ngram", overwrite=True)
    assert shuxi.lm.load(tmp_path / "m").info["order"] == 3
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.md").write_text("keep me")
    with pytest.raises(DataError, match="not empty"):
        shuxi.lm.train(corpus_file, out=other, arch="ngram", overwrite=True)  # never deletes files it did not write
    assert (other / "notes.md").read_text() == "keep me"
    with pytest.raises(DataError, match="no training run to resume"):
        shuxi.lm.train(corpus_file, out=tmp_path / "fresh", arch="gpt", resume=True)


def test_tables_need_a_text_column(tmp_path: Path) -> None:
    table = _write(tmp_path / "reviews.csv", "id,review\n1,good\n2,bad\n")
    with pytest.raises(ConfigError, match="--text"):
        shuxi.lm.train(table, out=tmp_path / "m", arch="ngram")
    with pytest.raises(ColumnNotFoundError, match="review"):
        shuxi.lm.train(table, out=tmp_path / "m", arch="ngram", text="reviw")


def test_options_that_cannot_work(tmp_path: Path, corpus_file: Path) -> None:
    with pytest.raises(ConfigError, match="multiple of n_head"):
        shuxi.lm.train(corpus_file, out=tmp_path / "a", arch="gpt", n_embd=10, n_head=3, progress=False)
    with pytest.raises(ConfigError, match="--arch"):
        shuxi.lm.train(corpus_file, out=tmp_path / "b", arch="rnn")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="tokenizer"):
        shuxi.lm.train(corpus_file, out=tmp_path / "c", arch="ngram", tokenizer="words")  # type: ignore[arg-type]
    shuxi.lm.train(corpus_file, out=tmp_path / "ng", arch="ngram", order=2)
    with pytest.raises(ConfigError, match="GPT"):
        shuxi.lm.distill(tmp_path / "ng", corpus_file, out=tmp_path / "d")
    with pytest.raises(ConfigError, match="GPT"):
        shuxi.lm.train(corpus_file, out=tmp_path / "e", arch="gpt", init_from=tmp_path / "ng")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
