"""Scoring table rows: perplexity per row, streamed into a new Parquet file, the odd rows on top."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import shuxi
import shuxi.lm
from shuxi.errors import ColumnNotFoundError, DataError

ROWS = ["the cat sat on the mat.", "a dog ran to a house.", "zq xj vvk qqq zzz!", None, "",
        "the big dog saw the red house."]


@pytest.fixture()
def reviews(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.parquet"
    pq.write_table(pa.table({"id": list(range(len(ROWS))), "review": ROWS}), path, row_group_size=2)
    return path


@pytest.mark.parametrize("arch", ["ngram", "gpt"])
def test_scores_every_row_and_ranks_the_odd_one_first(tmp_path: Path, corpus_file: Path, reviews: Path,
                                                        arch: str, tiny: dict) -> None:
    options = {"order": 4} if arch == "ngram" else tiny | {"max_iters": 60, "eval_interval": 30, "lr": 1e-2}
    lm = shuxi.lm.train(corpus_file, out=tmp_path / "m", arch=arch, **options)  # type: ignore[arg-type]
    before = reviews.read_bytes()
    summary = shuxi.lm.score(tmp_path / "m", reviews, text="review", out=tmp_path / "scored.parquet", batch_rows=2)
    assert reviews.read_bytes() == before
    assert summary["rows"] == 6 and summary["scored"] == 4
    table = pq.read_table(tmp_path / "scored.parquet")
    assert table.column_names == ["id", "review", "nll", "perplexity", "tokens"]
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == list(range(6))
    assert rows[3]["nll"] is None and rows[4]["perplexity"] is None and rows[3]["tokens"] == 0
    scored = [r for r in rows if r["nll"] is not None]
    assert max(scored, key=lambda r: r["perplexity"])["review"] == "zq xj vvk qqq zzz!"
    for r in scored:
        assert r["perplexity"] == pytest.approx(math.exp(r["nll"]))
        assert r["tokens"] == len(r["review"])  # char model: every character scored once
        # A row's score is its own: scoring it alone gives the same number.
        (alone,) = lm.sequence_nll([lm.row_start + lm.encode(r["review"], strict=False)])
        assert r["nll"] == pytest.approx(float(alone.mean()), rel=1e-4)
    with shuxi.open(tmp_path / "scored.parquet") as ds:  # what `shuxi ask` will read
        top = ds.sql('SELECT review FROM scored ORDER BY perplexity DESC LIMIT 1').column(0).to_pylist()
    assert top == ["zq xj vvk qqq zzz!"]


def test_csv_input_streams_through_the_engine(tmp_path: Path, corpus_file: Path) -> None:
    shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="ngram", order=3)
    csv = tmp_path / "r.csv"
    csv.write_text("id,review,price\n1,the cat sat.,\"1,000\"\n2,qqq zzz,5\n", encoding="utf-8")
    shuxi.lm.score(tmp_path / "m", csv, text="review", out=tmp_path / "s.parquet", batch_rows=1)
    table = pq.read_table(tmp_path / "s.parquet")
    assert table.column("price").to_pylist() == [1000, 5]  # the typed view: "1,000" became a number
    nll = table.column("nll").to_pylist()
    assert nll[1] > nll[0]


def test_never_overwrites_without_asking(tmp_path: Path, corpus_file: Path, reviews: Path) -> None:
    shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="ngram", order=3)
    out = tmp_path / "scored.parquet"
    out.write_bytes(b"precious")
    with pytest.raises(DataError, match="--overwrite"):
        shuxi.lm.score(tmp_path / "m", reviews, text="review", out=out)
    assert out.read_bytes() == b"precious"
    with pytest.raises(DataError, match="replace the input"):
        shuxi.lm.score(tmp_path / "m", reviews, text="review", out=reviews, overwrite=True)
    with pytest.raises(ColumnNotFoundError, match="review"):
        shuxi.lm.score(tmp_path / "m", reviews, text="reviews", out=tmp_path / "x.parquet")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial files left
    shuxi.lm.score(tmp_path / "m", reviews, text="review", out=out, overwrite=True)
    assert pq.read_table(out).num_rows == 6
