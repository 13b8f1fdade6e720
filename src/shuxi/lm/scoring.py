"""Scoring a table with a language model: per-row mean negative log-likelihood and perplexity.

``shuxi lm score MODEL DATA --text COL --out OUT.parquet`` streams DATA in Arrow record batches (Parquet
through ``pyarrow.dataset``, other sources out of the dataset's engine), scores the text of each row on its own
(after the model's row start: ``<s>`` for models of table rows, a newline for models of running text), and
writes every original column plus ``nll`` (mean nats per token) and ``perplexity`` (``exp(nll)``) and
``tokens``. The output is written to a temporary file beside OUT and renamed when complete; an existing OUT
is replaced only with ``overwrite=True``. Characters the model never saw count as ``<unk>`` — records full of
them score as unusual, which is the point.

    shuxi lm score reviews-lm reviews.csv --text review --out scored.parquet
    shuxi ask scored.parquet "困惑度最高的10条评论"
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuxi.errors import ColumnNotFoundError, ConfigError, DataError

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.lm.model import LanguageModel

SCORE_COLUMNS = ("nll", "perplexity", "tokens")


def _is_parquet(data: Any) -> bool:
    if not isinstance(data, (str, Path)):
        return False
    path = Path(data)
    if path.is_dir():
        return any(path.rglob("*.parquet"))
    return path.suffix.lower() == ".parquet"


def _parquet_batches(data: str | Path, column: str, batch_rows: int) -> tuple[int, Any, Iterator[pa.RecordBatch]]:
    import pyarrow.dataset as pads

    try:
        dataset = pads.dataset(str(data), format="parquet")
    except (OSError, ValueError) as error:
        raise DataError(f"Cannot read {data} as Parquet: {error}", path=str(data)) from None
    if column not in dataset.schema.names:
        raise ColumnNotFoundError(column, table=Path(data).stem, available=dataset.schema.names)
    return dataset.count_rows(), dataset.schema, dataset.to_batches(batch_size=batch_rows)


def _engine_batches(ds: Any, column: str, batch_rows: int) -> tuple[int, Any, Iterator[pa.RecordBatch]]:
    import itertools

    from sqlglot import exp

    if column not in ds.columns:
        raise ColumnNotFoundError(column, table=ds.name, available=ds.columns)
    table = exp.to_table(ds.name, quoted=True)
    total = int(ds.engine.execute(exp.select(exp.Count(this=exp.Star())).from_(table.copy())).column(0)[0].as_py())
    stream = ds.engine.stream(exp.select("*").from_(table), batch_rows=batch_rows)
    first = next(stream, None)
    schema = first.schema if first is not None else ds.engine.schema(ds.name)
    return total, schema, itertools.chain([first] if first is not None else [], stream)


def score(model: LanguageModel | str | Path, data: Any, *, text: str, out: str | Path, overwrite: bool = False,
          batch_rows: int = 512, progress: bool = False) -> dict[str, Any]:
    """Add ``nll``, ``perplexity`` and ``tokens`` to every row of ``data`` and write ``out`` (Parquet).

    Returns a summary: rows, rows scored, the mean and the highest perplexity, seconds, the output path.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from shuxi.lm.model import LanguageModel, load

    lm = model if isinstance(model, LanguageModel) else load(model)
    target = Path(out)
    if target.suffix.lower() != ".parquet":
        raise ConfigError(f"The output {target} must be a .parquet file.", hint="Pass --out scored.parquet.")
    if isinstance(data, (str, Path)) and Path(data).exists() and target.resolve() == Path(data).resolve():
        raise DataError("The output would replace the input; shuxi never writes over your data.",
                        hint="Choose another --out path.")
    if target.exists() and not overwrite:
        raise DataError(f"{target} already exists.", path=str(target),
                        hint="Pass --overwrite to replace it, or choose another --out path.")
    if batch_rows < 1:
        raise ConfigError(f"batch_rows must be at least 1, not {batch_rows}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    opened = None
    if _is_parquet(data):
        total, schema, batches = _parquet_batches(data, text, batch_rows)
    else:
        import shuxi

        opened = shuxi.open(data)
        total, schema, batches = _engine_batches(opened, text, batch_rows)
    taken = [name for name in SCORE_COLUMNS if name in schema.names]
    if taken:
        if opened is not None:
            opened.close()
        raise DataError(f"The table already has a column named {taken[0]!r}.",
                        hint="Rename it first; scoring adds nll, perplexity and tokens.")
    out_schema = schema.remove_metadata().append(pa.field("nll", pa.float64())).append(
        pa.field("perplexity", pa.float64())).append(pa.field("tokens", pa.int64()))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    rows = scored = 0
    nll_sum = 0.0
    worst = -math.inf
    start = lm.row_start
    try:
        with pq.ParquetWriter(str(tmp), out_schema) as writer, _bar(progress, total) as (bar, task):
            for batch in batches:
                cells = batch.column(batch.schema.get_field_index(text)).to_pylist()
                nll, counts = _score_cells(lm, cells, start)
                ppl = [math.exp(v) if v is not None else None for v in nll]
                arrays = [*batch.columns, pa.array(nll, pa.float64()), pa.array(ppl, pa.float64()),
                          pa.array(counts, pa.int64())]
                writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=out_schema))
                rows += batch.num_rows
                done = [v for v in nll if v is not None]
                scored += len(done)
                nll_sum += sum(done)
                worst = max([worst, *done])
                bar.update(task, completed=rows)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if opened is not None:
            opened.close()
    mean = nll_sum / scored if scored else math.nan
    return {"out": str(target), "rows": rows, "scored": scored, "mean_nll": mean,
            "mean_perplexity": math.exp(mean) if scored else math.nan,
            "max_perplexity": math.exp(worst) if scored else math.nan, "seconds": time.perf_counter() - started}


def _score_cells(lm: LanguageModel, cells: list[Any], start: list[int]) -> tuple[list[float | None], list[int]]:
    """Mean NLL per cell (None for empty or missing text) and the number of tokens scored."""
    seqs: list[list[int]] = []
    where: list[int] = []
    for i, cell in enumerate(cells):
        if cell is None or str(cell) == "":
            continue
        ids = lm.encode(str(cell), strict=False)
        if ids:
            seqs.append(start + ids)
            where.append(i)
    nll: list[float | None] = [None] * len(cells)
    counts = [0] * len(cells)
    if seqs:
        results = _ngram_rows(lm, seqs) if lm.arch == "ngram" else lm.sequence_nll(seqs, batch_size=64)
        for i, values in zip(where, results):
            nll[i] = float(values.mean())
            counts[i] = int(len(values))
    return nll, counts


def _ngram_rows(lm: LanguageModel, seqs: list[list[int]]) -> list[Any]:
    """All rows in one vectorised pass: each row is preceded by order-1 copies of its start token, so no
    history reaches back into the previous row (those contexts were never seen, and back off to the start)."""
    import numpy as np

    pad = max(len(lm.net.keys_) - 2, 0)
    pieces, spans, pos = [], [], 0
    for seq in seqs:
        row = seq[:1] * pad + seq
        pieces.append(row)
        spans.append((pos + pad + 1, pos + len(row)))
        pos += len(row)
    logp = lm.net.token_log_probs(np.concatenate([np.asarray(p, dtype=np.int64) for p in pieces]))
    return [-logp[a:b] for a, b in spans]


class _bar:
    """A rich progress bar over rows (or nothing)."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total, self.progress = enabled, total, None

    def __enter__(self) -> tuple[Any, Any]:
        if not self.enabled:
            return _Quiet(), 0
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("scoring rows"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.progress.__enter__()
        return self.progress, self.progress.add_task("rows", total=self.total)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)


class _Quiet:
    def update(self, *args: Any, **kwargs: Any) -> None:
        return None
