"""Batch prediction over big tables (streamed, constant memory) and evaluation against labelled data."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from shuxi.data.source import POLARITY_KEY, field_notes, with_field_notes
from shuxi.errors import DataError
from shuxi.text.data import check_column, check_texts, iter_batches, open_dataset, read_columns

if TYPE_CHECKING:
    from shuxi.text.classifier import TextClassifier

#: Rows per Arrow batch read, predicted and written at a time.
BATCH_ROWS = 20_000


def predict_table(clf: TextClassifier, data: Any, *, text: str, out: str | Path, overwrite: bool = False,
                  label_column: str = "label", score_column: str = "score", batch_rows: int = BATCH_ROWS,
                  on_progress: Callable[[int, int | None], None] | None = None) -> dict[str, Any]:
    """Label every row of ``data`` and write it, with ``label`` and ``score`` columns added, to Parquet ``out``.

    Rows stream through in Arrow batches of ``batch_rows`` (constant memory on 10M rows). ``score`` is the
    probability of the predicted label. The output is written to a temporary file beside ``out`` and renamed at the
    end: an error or Ctrl-C leaves no half-written file, and an existing ``out`` is replaced only with
    ``overwrite=True``. ``on_progress(rows_done, rows_total)`` is called after each batch. When the classifier
    knows which label is negative (:attr:`TextClassifier.polarity`), the label column's metadata records it.

    Returns a summary: rows, output path, the count of each predicted label and the polarity (or None).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = Path(out)
    if target.suffix.lower() != ".parquet":
        raise DataError(f"Predictions are written as Parquet; {target.name} does not end in .parquet.",
                        hint="Use an output path such as predictions.parquet.")
    if target.exists() and not overwrite:
        raise DataError(f"{target} already exists; shuxi does not overwrite files.", path=str(target),
                        hint="Choose another --out path, or pass --overwrite to replace it.")
    if isinstance(data, (str, Path)) and Path(data).exists() and Path(data).resolve() == target.resolve():
        raise DataError("The output would replace the input file.", path=str(target), hint="Choose another --out.")
    if target.is_dir():
        raise DataError(f"{target} is a folder.", path=str(target), hint="Pass a file path ending in .parquet.")
    ds = open_dataset(data)
    owned = ds is not data
    counts: dict[str, int] = {}
    rows = 0
    tmp_path: str | None = None
    try:
        check_column(ds, text)
        for name in (label_column, score_column):
            if name in ds.raw_schema.names:
                raise DataError(f"The input already has a column named {name!r}.",
                                hint="Name the new columns with --label-column/--score-column.")
        total = _row_count(ds)
        label_field = _label_field(clf, label_column)
        notes = field_notes(ds.source)  # the input's own notes (an earlier prediction's polarity) stay on their columns
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        writer = None
        try:
            for batch in iter_batches(ds, batch_rows=batch_rows):
                column = batch.column(batch.schema.get_field_index(text))
                if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
                        or pa.types.is_null(column.type)):
                    raise DataError(f"Column {text!r} holds {column.type}, not text.",
                                    hint="Pass the column that holds the texts.")
                texts = check_texts(column.to_pylist(), column=text)
                proba = clf.predict_proba(texts)
                best = proba.argmax(axis=1)
                labels = [clf.labels[i] for i in best]
                for i, n in zip(*np.unique(best, return_counts=True)):
                    counts[str(clf.labels[i])] = counts.get(str(clf.labels[i]), 0) + int(n)
                table = pa.Table.from_batches([batch]).append_column(
                    label_field, pa.array(labels, type=label_field.type)).append_column(
                    score_column, pa.array(proba[np.arange(len(best)), best], type=pa.float64()))
                if writer is None:
                    writer = pq.ParquetWriter(tmp_path, with_field_notes(table.schema, notes))
                writer.write_table(table)
                rows += table.num_rows
                if on_progress is not None:
                    on_progress(rows, total)
            if writer is None:  # no rows: still write a valid, empty file with the right columns
                schema = ds.raw_schema.append(label_field).append(
                    pa.field(score_column, pa.float64()))
                writer = pq.ParquetWriter(tmp_path, with_field_notes(schema, notes))
        finally:
            if writer is not None:
                writer.close()
        os.replace(tmp_path, target)
        tmp_path = None
    finally:
        if tmp_path is not None:
            Path(tmp_path).unlink(missing_ok=True)
        if owned:
            ds.close()
    return {"rows": rows, "out": str(target), "label_counts": counts, "polarity": clf.polarity}


def _label_field(clf: TextClassifier, name: str) -> Any:
    """The predicted-label column, carrying which label is negative and which positive when the classifier knows
    (:data:`shuxi.data.source.POLARITY_KEY`): ``shuxi ask`` then reads "差评" on labels written 0/1."""
    import json

    import pyarrow as pa

    polarity = clf.polarity
    metadata = {POLARITY_KEY: json.dumps(polarity, ensure_ascii=False)} if polarity else None
    return pa.field(name, _label_type(clf.labels), metadata=metadata)


def _label_type(labels: list[Any]) -> Any:
    import pyarrow as pa

    if all(isinstance(v, bool) for v in labels):
        return pa.bool_()
    if all(isinstance(v, int) for v in labels):
        return pa.int64()
    return pa.string()


def _row_count(ds: Any) -> int | None:
    from sqlglot import exp

    try:
        query = exp.select(exp.func("count", exp.Star())).from_(exp.to_table(ds.raw_name, quoted=True))
        return int(ds.engine.execute(query, limit=1).column(0)[0].as_py())
    except Exception:  # a progress total is a nicety; never fail a prediction over it
        return None


def evaluate(clf: TextClassifier, data: Any, *, text: str, label: str) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix on labelled ``data``.

    Labels are matched to the classifier's by value, or by their text when the types differ (a CSV's "1" and a
    model trained on the number 1). Labels the classifier never saw raise :class:`DataError`.
    """
    texts, truth = read_columns(data, text=text, label=label)
    assert truth is not None
    return score_predictions(clf, texts, truth)


def score_predictions(clf: TextClassifier, texts: list[str], truth: list[Any]) -> dict[str, Any]:
    """The metrics of :func:`evaluate` for in-memory texts and true labels."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    exact = {v: i for i, v in enumerate(clf.labels)}
    by_text = {str(v): i for i, v in enumerate(clf.labels)}
    y = []
    unknown: set[str] = set()
    for v in truth:
        if v is None:
            raise DataError("Some rows have no label; evaluation needs a label on every row.")
        i = exact.get(v) if type(v) is type(clf.labels[0]) else by_text.get(str(v))
        if i is None:
            unknown.add(repr(v))
            continue
        y.append(i)
    if unknown:
        raise DataError(f"The data has labels this classifier never saw: {', '.join(sorted(unknown)[:10])}.",
                        hint=f"It knows {clf.labels!r}; evaluate on data with the same label set.")
    proba = clf.predict_proba(texts)
    pred = proba.argmax(axis=1)
    y_true = np.asarray(y)
    k = len(clf.labels)
    precision, recall, f1, support = precision_recall_fscore_support(y_true, pred, labels=list(range(k)),
                                                                     zero_division=0)
    matrix = confusion_matrix(y_true, pred, labels=list(range(k)))
    return {
        "rows": len(texts),
        "accuracy": float((pred == y_true).mean()),
        "macro_f1": float(np.mean(f1)),
        "per_class": {str(clf.labels[i]): {"precision": float(precision[i]), "recall": float(recall[i]),
                                           "f1": float(f1[i]), "support": int(support[i])} for i in range(k)},
        "confusion_matrix": {"labels": [str(v) for v in clf.labels], "rows_are": "true label",
                             "matrix": matrix.tolist()},
        "model": clf.kind,
    }
