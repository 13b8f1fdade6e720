"""A mixture of a GPT and an n-gram model: ``P(w | h) = λ·P_gpt(w | h) + (1-λ)·P_ngram(w | h)`` for every token.

The two models make different mistakes — the n-gram remembers long exact strings it has counted, the
GPT generalises from a short context window — so a linear interpolation of their next-token
distributions predicts better than either (the classic result of interpolating neural and count-based
language models). The one weight λ is fitted by expectation–maximisation on text that *neither* model
was trained on: ``shuxi lm train --mix-ngram N`` holds out the end of the training split for it, and
``shuxi lm mix GPT_DIR NGRAM_DIR --fit TEXT`` takes a held-out text. The validation split is never used.

A mixture folder holds ``lm.json`` (``arch: "mix"``, the weight, how it was fitted) and the two parts as
complete model folders, ``gpt/`` and ``ngram/``: each can still be loaded, evaluated and used alone.

    shuxi lm mix shakespeare-gpt shakespeare-7gram --fit heldout.txt --out shakespeare-mix
    shuxi lm eval shakespeare-mix val.txt
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuxi.errors import ConfigError, DataError

if TYPE_CHECKING:
    import numpy as np

    from shuxi.lm.model import LanguageModel

#: Fraction of the training split that ``train(..., mix_ngram=N)`` holds out to fit the weight.
HELD_OUT_FRACTION = 0.05
#: At most this many held-out tokens: one weight is well determined by far fewer.
HELD_OUT_MAX = 50_000


@dataclass
class MixtureNet:
    """The two parts and the GPT's weight λ (the n-gram gets 1-λ)."""

    gpt: LanguageModel
    ngram: LanguageModel
    weight: float

    def to_config(self) -> dict[str, Any]:
        return {"weight": self.weight, "parts": {"gpt": "gpt", "ngram": "ngram"}}


def fit_weight(gpt_nll: np.ndarray, ngram_nll: np.ndarray, *, iterations: int = 200) -> float:
    """The λ in [0, 1] that maximises Σ log(λ·p_gpt + (1-λ)·p_ngram), by EM (the likelihood is concave in λ)."""
    import numpy as np

    a = np.exp(-np.asarray(gpt_nll, dtype=np.float64))
    b = np.exp(-np.asarray(ngram_nll, dtype=np.float64))
    if len(a) == 0 or len(a) != len(b):
        raise DataError("Fitting the mixture weight needs the same tokens scored by both models, at least one.")
    weight = 0.5
    for _ in range(iterations):
        mixed = weight * a + (1 - weight) * b
        new = float(np.mean(np.where(mixed > 0, weight * a / np.where(mixed > 0, mixed, 1.0), 0.5)))
        if abs(new - weight) < 1e-7:
            weight = new
            break
        weight = new
    return min(max(weight, 0.0), 1.0)


def mixture_nll(gpt_nll: np.ndarray, ngram_nll: np.ndarray, weight: float) -> np.ndarray:
    """Per-token -log(λ·e^(-gpt_nll) + (1-λ)·e^(-ngram_nll)), computed stably."""
    import numpy as np

    with np.errstate(divide="ignore"):
        terms = np.stack([np.log(weight) - gpt_nll, np.log1p(-weight) - ngram_nll])
    return -np.logaddexp(terms[0], terms[1])


def check_parts(gpt: LanguageModel, ngram: LanguageModel) -> None:
    """Both parts must be of the right kind and share one vocabulary."""
    if gpt.arch != "gpt":
        raise ConfigError(f"The first part of a mixture must be a GPT model, not {gpt.arch}.",
                          hint="Pass the GPT folder first, then the n-gram folder.")
    if ngram.arch != "ngram":
        raise ConfigError(f"The second part of a mixture must be an n-gram model, not {ngram.arch}.",
                          hint="Train one with `shuxi lm train CORPUS --arch ngram`.")
    if gpt.tokenizer.to_dict() != ngram.tokenizer.to_dict():
        raise ConfigError("The GPT and the n-gram model use different vocabularies, so their next-token "
                          "distributions cannot be mixed.",
                          hint="Train both on the same corpus with the same --tokenizer.")


def held_out_nll(gpt: LanguageModel, ngram: LanguageModel, sequences: list[list[int]]) -> tuple[Any, Any]:
    """Both models' per-token NLL over ``sequences``, concatenated (the same tokens, in the same order)."""
    import numpy as np

    g = np.concatenate(gpt.sequence_nll(sequences, batch_size=64))
    n = np.concatenate(ngram.sequence_nll(sequences))
    return g, n


def build(gpt: LanguageModel, ngram: LanguageModel, sequences: list[list[int]], *,
          info: dict[str, Any] | None = None) -> LanguageModel:
    """A mixture LanguageModel with λ fitted on ``sequences`` (held-out id sequences)."""
    from shuxi.lm.model import LanguageModel

    check_parts(gpt, ngram)
    g, n = held_out_nll(gpt, ngram, sequences)
    weight = fit_weight(g, n)
    fitted = {"weight": weight, "held_out_tokens": int(len(g)), "held_out_loss_gpt": float(g.mean()),
              "held_out_loss_ngram": float(n.mean()), "held_out_loss_mix": float(mixture_nll(g, n, weight).mean())}
    base = {k: v for k, v in gpt.info.items() if k in ("corpus", "corpus_kind", "characters", "tokenizer")}
    return LanguageModel(arch="mix", tokenizer=gpt.tokenizer, net=MixtureNet(gpt=gpt, ngram=ngram, weight=weight),
                         info=base | (info or {}) | {"mixture": fitted})


def mix(gpt: str | Path | LanguageModel, ngram: str | Path | LanguageModel, *, out: str | Path,
        fit: Any = None, text: str | None = None, weight: float | None = None,
        overwrite: bool = False) -> LanguageModel:
    """Combine a GPT and an n-gram model of the same vocabulary into one model folder ``out``.

    λ is fitted on ``fit`` (a text file or a table column ``text``; it must be text neither model was
    trained on — never the data you will report a loss on) unless ``weight`` gives it directly.

    >>> shuxi.lm.mix("shakespeare-gpt", "shakespeare-7gram", fit="heldout.txt", out="shakespeare-mix")
    """
    from shuxi.lm.corpus import read_corpus
    from shuxi.lm.model import LanguageModel, load

    target = Path(out)
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        # Only a model folder is ever replaced: never delete a folder of the user's other files.
        if not (overwrite and target.is_dir() and (target / "lm.json").is_file()):
            raise DataError(f"{target} already exists" + (" and is not a model folder." if overwrite else "."),
                            path=str(target), hint="Choose a new --out, or pass --overwrite to replace a model folder.")
    if (fit is None) == (weight is None):
        raise ConfigError("Give exactly one of --fit (held-out text to fit the weight on) and --weight.",
                          hint="Example: shuxi lm mix GPT_DIR NGRAM_DIR --fit heldout.txt --out DIR")
    g = gpt if isinstance(gpt, LanguageModel) else load(gpt)
    n = ngram if isinstance(ngram, LanguageModel) else load(ngram)
    check_parts(g, n)
    if weight is not None:
        if not 0.0 <= weight <= 1.0:
            raise ConfigError(f"The GPT's weight must lie in [0, 1], not {weight}.")
        base = {k: v for k, v in g.info.items() if k in ("corpus", "corpus_kind", "characters", "tokenizer")}
        model = LanguageModel(arch="mix", tokenizer=g.tokenizer, net=MixtureNet(gpt=g, ngram=n, weight=weight),
                              info=base | {"mixture": {"weight": weight, "fitted_on": None}})
    else:
        data = read_corpus(fit, text=text)
        if data.kind == "text":
            sequences = [g.encode(data.texts[0])]
        else:
            sequences = [g.row_start + g.encode(row) for row in data.texts]
        if sum(max(len(s) - 1, 0) for s in sequences) < 1:
            raise DataError("The held-out text has fewer than two tokens; there is nothing to fit the weight on.")
        model = build(g, n, sequences)
        model.info["mixture"]["fitted_on"] = data.source
    return save_atomic(model, target)


def save_atomic(model: LanguageModel, target: Path) -> LanguageModel:
    """Write the mixture into a temporary folder beside ``target``, then move it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        model.save(tmp)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return model


def summary(model: LanguageModel) -> str:
    """One line on how the weight was fitted."""
    m = model.info.get("mixture", {})
    text = f"weight {m.get('weight', math.nan):.3f} on the GPT, {1 - m.get('weight', math.nan):.3f} on the n-gram"
    if "held_out_loss_mix" in m:
        text += (f"; held-out loss GPT {m['held_out_loss_gpt']:.4f}, n-gram {m['held_out_loss_ngram']:.4f}, "
                 f"mixture {m['held_out_loss_mix']:.4f} over {m['held_out_tokens']:,} tokens")
    return text
