"""Batch prediction over many rows keeps memory flat (slow: run with -m slow)."""

from __future__ import annotations

import resource
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import toy_texts

from shuxi.text.classifier import train_texts
from shuxi.text.predict import predict_table


@pytest.mark.slow
def test_predicting_a_million_rows_streams_in_constant_memory(tmp_path: Path) -> None:
    clf = train_texts(*toy_texts("zh", 300, seed=1), model="tfidf")
    texts, _ = toy_texts("zh", 1000, seed=2)
    source = tmp_path / "big.parquet"
    with pq.ParquetWriter(source, pa.schema([("id", pa.int64()), ("review", pa.string())])) as writer:
        for part in range(100):  # 1,000,000 rows
            writer.write_table(pa.table({"id": range(part * 10_000, (part + 1) * 10_000), "review": texts * 10}))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary = predict_table(clf, source, text="review", out=tmp_path / "out.parquet")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert summary["rows"] == 1_000_000
    assert pq.ParquetFile(tmp_path / "out.parquet").metadata.num_rows == 1_000_000
    assert grown_mb < 400, f"peak memory grew by {grown_mb:.0f} MB"
