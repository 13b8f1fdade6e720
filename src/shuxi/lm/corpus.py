"""Corpora for language models: a text file, or one text column of a table, turned into token ids.

A text file is one stream of text. A table column becomes one stream too, each row preceded by the
tokenizer's begin-of-text id ``<s>``, so the model learns where records start; scoring a row later
puts the same ``<s>`` in front of it. Training uses the first 90% of the ids, validation the last 10%.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from shuxi.errors import ConfigError, DataError

TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".parquet", ".json", ".jsonl", ".ndjson", ".xlsx", ".xls"}
TRAIN_FRACTION = 0.9


@dataclass
class Corpus:
    """Text to model: ``texts`` is one string for a text file, one string per row for a table column."""

    texts: list[str]
    source: str
    kind: Literal["text", "table"]

    @property
    def characters(self) -> int:
        return sum(len(t) for t in self.texts)


def read_text_file(path: str | Path) -> str:
    """The whole of a text file, its encoding detected (UTF-8, GB18030/GBK, UTF-16…)."""
    from shuxi.data.encoding import detect_encoding

    file = Path(path)
    if not file.exists():
        raise DataError(f"No such file: {file}.", path=str(file), hint="Check the path.")
    if file.is_dir():
        raise DataError(f"{file} is a folder, not a text file.", path=str(file),
                        hint="Give a text file, or a table with --text COLUMN.")
    encoding = detect_encoding(file)
    return file.read_text(encoding=encoding)


def read_corpus(source: Any, *, text: str | None = None) -> Corpus:
    """A text file (``text=None``) or the column ``text`` of a table (any source :func:`shuxi.open` reads)."""
    if text is None:
        if isinstance(source, (str, Path)) and Path(source).suffix.lower() in TABLE_SUFFIXES:
            raise ConfigError(f"{source} looks like a table; say which column holds the text.",
                              hint="Pass --text COLUMN (text=\"COLUMN\" in Python).")
        if not isinstance(source, (str, Path)):
            raise ConfigError("A table needs the name of its text column.", hint="Pass text=\"COLUMN\".")
        content = read_text_file(source)
        if not content.strip():
            raise DataError(f"The corpus {source} is empty.", path=str(source),
                            hint="Give a text file with some text in it.")
        return Corpus([content], str(source), "text")
    rows = read_column(source, text)
    if not rows:
        raise DataError(f"The column {text!r} of {source} has no text.", path=str(source),
                        hint="Choose a column with non-empty text cells.")
    return Corpus(rows, str(source), "table")


def read_column(source: Any, column: str) -> list[str]:
    """The non-empty cells of one column as strings (the whole column; corpora are text, they fit in memory)."""
    import shuxi
    from shuxi.errors import ColumnNotFoundError

    with shuxi.open(source) as ds:
        if column not in ds.columns:
            raise ColumnNotFoundError(column, table=ds.name, available=ds.columns)
        quoted = '"' + column.replace('"', '""') + '"'
        table = ds.sql(f'SELECT {quoted} FROM "{ds.name}" WHERE {quoted} IS NOT NULL', limit=2**62)
    return [str(v) for v in table.column(0).to_pylist() if str(v).strip()]


def fit_tokenizer(corpus: Corpus, kind: str, *, vocab_size: int | None = None) -> Any:
    """A tokenizer fitted on the corpus: ``"char"`` (one id per character) or ``"bpe"`` (trained locally)."""
    from shuxi.text.tokenizers import BPETokenizer, CharTokenizer

    if kind == "char":
        return CharTokenizer(oov=False).fit(corpus.texts)
    if kind == "bpe":
        lines = (line for t in corpus.texts for line in t.splitlines(keepends=True))
        return BPETokenizer(vocab_size=vocab_size or 2000, oov=False).fit(lines)
    raise ConfigError(f"Unknown tokenizer {kind!r} for a language model.", hint="Choose --tokenizer char or bpe.")


def encode_corpus(corpus: Corpus, tokenizer: Any) -> Any:
    """All ids of the corpus as one int64 NumPy array (table rows each start with ``<s>``)."""
    import numpy as np

    from shuxi.text.tokenizers import BOS_ID

    if corpus.kind == "text":
        ids: list[int] = []
        for text in corpus.texts:
            ids.extend(tokenizer.encode(text))
        return np.asarray(ids, dtype=np.int64)
    parts = [np.asarray([BOS_ID] + ids, dtype=np.int64) for ids in tokenizer.encode_batch(corpus.texts)]
    return np.concatenate(parts)


def split_ids(ids: Any, *, need: int = 1) -> tuple[Any, Any]:
    """First 90% for training, last 10% for validation; each part must hold at least ``need`` ids."""
    cut = int(len(ids) * TRAIN_FRACTION)
    train, val = ids[:cut], ids[cut:]
    if len(train) < need or len(val) < need:
        raise DataError(
            f"The corpus is too short: {len(ids):,} tokens give {len(train):,} for training and {len(val):,} for "
            f"validation, and each part needs at least {need:,} (one block of context plus the next token).",
            hint="Use a longer corpus, or a smaller --block-size.")
    return train, val
