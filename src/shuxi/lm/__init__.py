"""Language models users train on their own text: n-gram (modified Kneser–Ney) and GPT.

The functions mirror ``shuxi lm …``: :func:`train` (``init_from=`` fine-tunes, ``mix_ngram=`` adds an
n-gram and mixes the two), :func:`distill`, :func:`mix`, :func:`evaluate`, :func:`generate`, :func:`score`,
:func:`load`. Importing this package stays light;
NumPy and PyTorch load when a function runs.

>>> import shuxi.lm
>>> lm = shuxi.lm.train("shakespeare.txt", arch="ngram", order=6, out="shakespeare-6gram")
>>> shuxi.lm.evaluate("shakespeare-6gram", "sonnets.txt")["perplexity"]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shuxi.lm.model import LanguageModel

__all__ = ["train", "distill", "mix", "evaluate", "generate", "score", "load"]


def train(corpus: Any, **options: Any) -> LanguageModel:
    """Train an n-gram or GPT model on a text file or table column; see :func:`shuxi.lm.api.train`."""
    from shuxi.lm.api import train as run

    return run(corpus, **options)


def distill(teacher: str | Path | LanguageModel, corpus: Any, **options: Any) -> LanguageModel:
    """Distil a GPT teacher into a smaller student; see :func:`shuxi.lm.api.distill`."""
    from shuxi.lm.api import distill as run

    return run(teacher, corpus, **options)


def mix(gpt: str | Path | LanguageModel, ngram: str | Path | LanguageModel, *, out: str | Path,
        **options: Any) -> LanguageModel:
    """Interpolate a GPT and an n-gram model of one vocabulary, the weight fitted on held-out text; see :func:`shuxi.lm.mixture.mix`."""
    from shuxi.lm.mixture import mix as run

    return run(gpt, ngram, out=out, **options)


def evaluate(model: str | Path | LanguageModel, source: Any, *, text: str | None = None) -> dict[str, Any]:
    """Loss in nats per token, perplexity, bits per character and token count; see :func:`shuxi.lm.api.evaluate`."""
    from shuxi.lm.api import evaluate as run

    return run(model, source, text=text)


def generate(model: str | Path | LanguageModel, prompt: str = "", **options: Any) -> str:
    """Generated text after ``prompt``; see :meth:`shuxi.lm.model.LanguageModel.stream` for the options."""
    from shuxi.lm.api import generate as run

    return run(model, prompt, **options)


def score(model: str | Path | LanguageModel, data: Any, *, text: str, out: str | Path, **options: Any) -> dict[str, Any]:
    """Per-row mean negative log-likelihood and perplexity of a text column, written to Parquet; see :mod:`shuxi.lm.scoring`."""
    from shuxi.lm.scoring import score as run

    return run(model, data, text=text, out=out, **options)


def load(folder: str | Path) -> LanguageModel:
    """A model folder written by ``shuxi lm train``."""
    from shuxi.lm.model import load as run

    return run(folder)
