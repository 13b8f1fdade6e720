"""Text classification: tokenizers, classifiers (TF-IDF + logistic regression, BiLSTM-attention, Transformer
encoder, ``auto``), explanations and batch prediction over big tables.

>>> import shuxi.text
>>> clf = shuxi.text.train("reviews.csv", text="review", label="label", model="auto", out="model/")
>>> clf.predict(["房间干净，服务很好"])

Every name here loads on first use, so ``import shuxi.text`` stays cheap (torch and scikit-learn load only
when a model is trained or loaded).
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "CharTokenizer": "shuxi.text.tokenizers",
    "JiebaTokenizer": "shuxi.text.tokenizers",
    "WordTokenizer": "shuxi.text.tokenizers",
    "BPETokenizer": "shuxi.text.tokenizers",
    "load_tokenizer": "shuxi.text.tokenizers",
    "make_tokenizer": "shuxi.text.tokenizers",
    "pad_sequences": "shuxi.text.tokenizers",
    "PAD_ID": "shuxi.text.tokenizers",
    "UNK_ID": "shuxi.text.tokenizers",
    "BOS_ID": "shuxi.text.tokenizers",
    "EOS_ID": "shuxi.text.tokenizers",
    "TextClassifier": "shuxi.text.classifier",
    "train": "shuxi.text.classifier",
    "load": "shuxi.text.classifier",
    "evaluate": "shuxi.text.predict",
    "predict_table": "shuxi.text.predict",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'shuxi.text' has no attribute {name!r}")
