"""``shuxi.text.train`` → :class:`TextClassifier`: train, choose (``auto``), predict, explain, save and load.

A classifier is one model or a weighted ensemble of models (TF-IDF + logistic regression, BiLSTM-attention,
Transformer) over the same label list. A saved classifier is a folder::

    classifier.json      kind, members and their weights, training summary and validation metrics
    labels.json          the label map: class index → label as it appears in the data
    <member>/            one folder per model: config.json + model.safetensors (+ tokenizer.json for neural models)

Nothing is pickled: loading reads JSON and safetensors only.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from shuxi.errors import ConfigError, DataError
from shuxi.text.data import check_texts, check_trainable, read_columns
from shuxi.text.polarity import negative_index, record_polarity

ModelChoice = Literal["auto", "tfidf", "bilstm", "transformer"]
FORMAT = "shuxi.text.classifier"
FORMAT_VERSION = 1
#: Seconds ``auto`` may spend when no budget is given.
DEFAULT_AUTO_BUDGET = 600.0
#: Validation accuracy a costlier ``auto`` candidate must gain over the chosen cheaper one: two averaged TF-IDF
#: models (twice the cost, still thousands of texts a second) and anything with the BiLSTM (tens of times slower).
SLOWER_MODEL_MARGIN = {1: 0.002, 2: 0.005}
#: Folds for scoring the linear ``auto`` candidates by cross-validation (when their fits are cheap enough).
CV_FOLDS = 5
#: Texts per CPU-second that ``auto``'s choice must label (the product's inference target): a costlier candidate
#: measured below it is not chosen, and a BiLSTM whose untrained forward pass is already too slow (IMDB's long
#: reviews: about 1,000 a second) is not trained. The single fastest linear model is always allowed.
MIN_DOCS_PER_CPU_SECOND = 5000.0


@dataclass
class Member:
    """One model inside a classifier and its weight in the probability average."""

    kind: str            # "tfidf" | "bilstm" | "transformer"
    model: Any           # TfidfModel | NeuralModel
    weight: float = 1.0

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.predict_proba(texts), dtype=np.float64)


@dataclass
class TextClassifier:
    """A trained text classifier. Create with :func:`train` or :func:`load`.

    >>> clf = shuxi.text.train("reviews.csv", text="review", label="label")
    >>> clf.predict(["房间干净，服务很好", "太吵了，不会再来"])
    [1, 0]
    """

    labels: list[Any]
    members: list[Member]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """"tfidf", "bilstm", "transformer", or "ensemble" for a weighted average of several."""
        return self.members[0].kind if len(self.members) == 1 else "ensemble"

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, shape (len(texts), len(labels)); columns follow :attr:`labels`."""
        texts = check_texts(list(texts))
        total = sum(m.weight for m in self.members)
        proba = np.zeros((len(texts), len(self.labels)))
        if not texts:
            return proba
        for member in self.members:
            proba += member.weight / total * member.predict_proba(texts)
        return proba

    def predict(self, texts: Sequence[str]) -> list[Any]:
        """The most probable label of each text."""
        proba = self.predict_proba(texts)
        return [self.labels[i] for i in proba.argmax(axis=1)]

    @property
    def polarity(self) -> dict[str, Any] | None:
        """Which label is the negative class and which the positive one (``{"negative": 0, "positive": 1}``), when
        training found this to be a sentiment classifier (:mod:`shuxi.text.polarity`); None otherwise."""
        from shuxi.text.polarity import polarity_labels

        return polarity_labels(self)

    def explain(self, text: str, *, method: Literal["auto", "attention", "occlusion"] = "auto",
                label: Any = None) -> Any:
        """Per-token attributions for one text: occlusion by default, or ``method="attention"`` for a BiLSTM."""
        from shuxi.text.explain import explain

        return explain(self, text, method=method, label=label)

    def save(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write the classifier to ``folder`` (created; refused if it exists and is not empty, unless ``overwrite``).

        The folder is written beside its final place and renamed at the end, so an interrupted save leaves nothing.
        """
        target = Path(folder)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            if not overwrite:
                raise DataError(f"{target} already exists and is not empty; shuxi does not overwrite it.",
                                path=str(target), hint="Choose another folder or pass overwrite=True (--overwrite).")
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            members = []
            for i, member in enumerate(self.members):
                name = f"{i}-{member.kind}"
                if member.kind == "tfidf":
                    _save_tfidf(member.model, staging / name)
                else:
                    member.model.save(staging / name)
                members.append({"kind": member.kind, "path": name, "weight": member.weight})
            meta = {"format": FORMAT, "version": FORMAT_VERSION, "kind": self.kind, "members": members,
                    "info": self.info}
            (staging / "classifier.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2, default=str),
                                                     encoding="utf-8")
            (staging / "labels.json").write_text(json.dumps({"labels": self.labels}, ensure_ascii=False),
                                                 encoding="utf-8")
            if target.exists():
                old = target.with_name(f".{target.name}.old-{os.getpid()}")
                target.rename(old)
                staging.rename(target)
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
            else:
                staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return target

    def __repr__(self) -> str:
        return f"<TextClassifier {self.kind} labels={self.labels!r}>"


# -- persistence ------------------------------------------------------------------------------------------

def _save_tfidf(model: Any, folder: Path) -> None:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(v) for k, v in model.arrays.items()}, str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps({"kind": "tfidf", "config": model.config.to_json()}),
                                        encoding="utf-8")


def _load_tfidf(folder: Path) -> Any:
    from safetensors.numpy import load_file

    from shuxi.text.tfidf import TfidfConfig, TfidfModel

    meta = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return TfidfModel(TfidfConfig.from_json(meta["config"]), arrays=dict(load_file(str(folder / "model.safetensors"))))


def load(folder: str | Path) -> TextClassifier:
    """The classifier saved in ``folder`` by :meth:`TextClassifier.save` (JSON + safetensors; nothing unpickled)."""
    root = Path(folder)
    meta_path = root / "classifier.json"
    if not meta_path.is_file():
        raise DataError(f"{root} is not a shuxi text classifier (no classifier.json).", path=str(root),
                        hint="Pass the folder written by `shuxi text train --out`.")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))["labels"]
    except (OSError, ValueError, KeyError) as error:
        raise DataError(f"The classifier in {root} is damaged: {error}.", path=str(root)) from error
    if meta.get("format") != FORMAT:
        raise DataError(f"{meta_path} is not a shuxi text classifier.", path=str(root))
    if meta.get("version", 0) > FORMAT_VERSION:
        raise DataError(f"The classifier in {root} was saved by a newer shuxi.", hint="Upgrade shuxi to load it.")
    members = []
    for entry in meta["members"]:
        sub = root / entry["path"]
        if entry["kind"] == "tfidf":
            model = _load_tfidf(sub)
        else:
            from shuxi.text.neural import NeuralModel

            model = NeuralModel.load(sub)
        members.append(Member(entry["kind"], model, float(entry["weight"])))
    return TextClassifier(labels=labels, members=members, info=meta.get("info", {}))


# -- training -----------------------------------------------------------------------------------------------

def train(data: Any, *, text: str, label: str, model: ModelChoice = "auto", time_budget: float | None = None,
          out: str | Path | None = None, overwrite: bool = False, seed: int = 42, class_weight: bool = False,
          tokenizer: Literal["char", "jieba", "word", "bpe"] | None = None, progress: bool = False,
          negative_label: Any = None) -> TextClassifier:
    """Train a classifier on the ``text`` and ``label`` columns of ``data`` (anything :func:`shuxi.open` reads).

    ``model``: ``"tfidf"`` (TF-IDF n-grams + logistic regression), ``"bilstm"`` (BiLSTM-attention),
    ``"transformer"`` (small encoder) or ``"auto"`` (tries several on a validation split within ``time_budget``
    seconds, default 600, and keeps the best model or ensemble). ``out`` saves the result there. ``tokenizer``
    chooses the neural models' tokens (default: characters for Chinese, words otherwise); TF-IDF ignores it.
    ``negative_label`` says which of two labels is the negative sentiment (``0``), for ``shuxi ask`` to read "差评"
    on the predictions; without it, a sentiment model's polarity is read off the model (:mod:`shuxi.text.polarity`).

    >>> clf = shuxi.text.train("reviews.csv", text="review", label="label", model="tfidf", out="model")
    """
    texts, labels = read_columns(data, text=text, label=label)
    assert labels is not None
    clf = train_texts(texts, labels, model=model, time_budget=time_budget, seed=seed, class_weight=class_weight,
                      progress=progress, label_name=label, negative_label=negative_label,
                      neural_overrides={"tokenizer": tokenizer} if tokenizer else None)
    clf.info.update(text_column=text, label_column=label)
    if out is not None:
        clf.save(out, overwrite=overwrite)
    return clf


def train_texts(texts: Sequence[str], labels: Sequence[Any], *, model: ModelChoice = "auto",
                time_budget: float | None = None, seed: int = 42, class_weight: bool = False,
                progress: bool = False, label_name: str = "label", negative_label: Any = None,
                neural_overrides: dict[str, Any] | None = None) -> TextClassifier:
    """:func:`train` on in-memory texts and labels (what ``train`` calls after reading the columns)."""
    if model not in ("auto", "tfidf", "bilstm", "transformer"):
        raise ConfigError(f"Unknown model {model!r}.", hint="Choose auto, tfidf, bilstm or transformer.")
    if time_budget is not None and time_budget <= 0:
        raise ConfigError(f"time_budget={time_budget} must be positive (seconds).")
    texts = check_texts(list(texts))
    classes = check_trainable(texts, list(labels), label=label_name)
    given = None if negative_label is None else negative_index(classes, negative_label, label_name)
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[v] for v in labels], dtype=np.int64)
    started = time.perf_counter()
    options = _Options(seed=seed, class_weight=class_weight, progress=progress, neural=neural_overrides or {})
    if model == "auto":
        members, summary = _train_auto(texts, y, len(classes), options,
                                       budget=time_budget if time_budget is not None else DEFAULT_AUTO_BUDGET)
    elif model == "tfidf":
        members, summary = [Member("tfidf", _fit_tfidf(texts, y, len(classes), options))], {}
    else:
        tr, va = _split(y, seed=seed)
        net = _fit_neural(model, [texts[i] for i in tr], y[tr], [texts[i] for i in va], y[va], len(classes),
                          options, budget=time_budget)
        members, summary = [Member(model, net)], {"history": net.history.epochs if net.history else []}
    info = {"model": model, "train_rows": len(texts), "seconds": round(time.perf_counter() - started, 2),
            "seed": seed, "class_counts": {str(c): int((y == i).sum()) for i, c in enumerate(classes)}, **summary}
    clf = TextClassifier(labels=classes, members=members, info=info)
    if len(classes) == 2:
        record_polarity(clf, texts, given=given)
    return clf


@dataclass(frozen=True)
class _Options:
    seed: int
    class_weight: bool
    progress: bool
    neural: dict[str, Any]


def _split(y: np.ndarray, *, seed: int, fraction: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """Stratified train/validation indices (plain random when a class has fewer than 2 examples)."""
    from sklearn.model_selection import train_test_split

    counts = np.bincount(y)
    stratify = y if counts[counts > 0].min() >= 2 and len(y) * fraction >= len(counts) else None
    n_val = max(1, int(round(len(y) * fraction)))
    if len(y) < 4:
        raise DataError(f"Only {len(y)} labelled texts: too few to hold out a validation split.",
                        hint="Label more texts, or use model='tfidf', which needs no validation split.")
    tr, va = train_test_split(np.arange(len(y)), test_size=n_val, random_state=seed, stratify=stratify)
    return np.sort(tr), np.sort(va)


def _fit_tfidf(texts: list[str], y: np.ndarray, k: int, options: _Options, **overrides: Any) -> Any:
    from shuxi.text.tfidf import TfidfConfig, TfidfModel

    config = TfidfConfig.for_texts(texts, class_weight=options.class_weight, **overrides)
    return TfidfModel(config).fit(texts, y, n_classes=k, seed=options.seed)


def neural_config(kind: str, texts: list[str], k: int, **overrides: Any) -> tuple[Any, dict[str, Any]]:
    """A fitted tokenizer and the model config for ``kind`` on these texts (char tokens for Chinese, words else)."""
    from shuxi.text.tfidf import mostly_chinese
    from shuxi.text.tokenizers import CharTokenizer, WordTokenizer, make_tokenizer

    chinese = mostly_chinese(texts)
    tokenizer_kind = overrides.pop("tokenizer", None)
    if tokenizer_kind is not None:
        tokenizer = make_tokenizer(tokenizer_kind)
    else:
        tokenizer = CharTokenizer(num_words=6000, lower=True) if chinese else WordTokenizer(num_words=30000)
    tokenizer.fit(texts)
    lengths = np.array([len(s) for s in tokenizer.encode_batch(texts[:5000])])
    cap = overrides.pop("max_length", None) or (160 if chinese else 256)
    max_length = int(min(cap, max(8, np.percentile(lengths, 90)))) if len(lengths) else 8
    if kind == "bilstm":
        config = {"vocab_size": tokenizer.vocab_size, "n_classes": k, "embed_dim": 128, "hidden": 96,
                  "dropout": 0.3, "max_length": max_length}
    else:
        config = {"vocab_size": tokenizer.vocab_size, "n_classes": k, "n_layer": 2, "n_head": 4, "n_embd": 128,
                  "dropout": 0.1, "max_length": max_length}
    config.update({key: v for key, v in overrides.items() if key in config})
    return tokenizer, config


def _untrained_neural(kind: str, texts: list[str], k: int, options: _Options) -> Any:
    """A network of ``kind`` with its tokenizer fitted on ``texts`` and fresh weights (seeded)."""
    from shuxi.text.neural import NeuralModel, TrainConfig

    overrides = {key: v for key, v in options.neural.items() if key not in TrainConfig.__dataclass_fields__}
    tokenizer, config = neural_config(kind, texts, k, **overrides)
    return NeuralModel(kind=kind, tokenizer=tokenizer, config=config, seed=options.seed)  # type: ignore[arg-type]


def _fit_neural(kind: str, texts: list[str], y: np.ndarray, val_texts: list[str], val_y: np.ndarray, k: int,
                options: _Options, *, budget: float | None, min_epochs: int = 0, net: Any = None) -> Any:
    """Train ``net`` (or a new network of ``kind``) with early stopping on the validation texts."""
    from shuxi.text.neural import TrainConfig

    train_options = {key: v for key, v in options.neural.items() if key in TrainConfig.__dataclass_fields__}
    defaults = {"lr": 2e-3} if kind == "bilstm" else {"lr": 5e-4}
    train = TrainConfig(**{**defaults, "seed": options.seed, "class_weight": options.class_weight,
                           "time_budget": budget, "min_epochs": min_epochs, **train_options})
    net = net if net is not None else _untrained_neural(kind, texts, k, options)
    return net.fit(texts, y, val_texts=val_texts, val_y=val_y, train=train, progress=options.progress)


def _timed(predict: Any, texts: list[str]) -> tuple[np.ndarray, float]:
    """``predict(texts)`` and the CPU seconds it spent per text: what inference will cost."""
    started = time.process_time()
    proba = predict(texts)
    return proba, (time.process_time() - started) / max(len(texts), 1)


def _cpu_seconds_per_text(predict: Any, texts: list[str]) -> float:
    """:func:`_timed` on (up to 1,000 of) these texts, after a warm-up: first-call set-up (kernel selection, lazy
    imports) is not a per-text cost."""
    sample = texts[:1000]
    if not sample:
        return 0.0
    predict(sample[:16])
    return _timed(predict, sample)[1]


def _cv_folds(y: np.ndarray, seed: int, *, fit_seconds: float, variants: int,
              left: float) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Stratified folds for scoring the linear variants, or None when they would not fit in ``left`` seconds.

    One 15% validation split of a few thousand texts is noisy (±0.8 accuracy points on 1,400 texts); out-of-fold
    accuracy over every row is about 2.5× steadier, and five fits of a linear model on short texts take seconds.
    """
    from sklearn.model_selection import StratifiedKFold

    counts = np.bincount(y)
    if counts[counts > 0].min() < CV_FOLDS or CV_FOLDS * fit_seconds * variants > left:
        return None
    return list(StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


def _out_of_fold(texts: list[str], y: np.ndarray, k: int, options: _Options,
                 folds: list[tuple[np.ndarray, np.ndarray]], overrides: dict[str, Any]) -> tuple[np.ndarray, float]:
    """Class probabilities of every text from the TF-IDF variant fitted on the other folds, and the CPU seconds
    its prediction took per text."""
    oof = np.zeros((len(texts), k))
    predicting = 0.0
    for fit_rows, held in folds:
        model = _fit_tfidf([texts[i] for i in fit_rows], y[fit_rows], k, options, **overrides)
        oof[held], cost = _timed(model.predict_proba, [texts[i] for i in held])
        predicting += cost * len(held)
    return oof, predicting / max(len(texts), 1)


def _stack_candidate(y: np.ndarray, va: np.ndarray, linears: list[dict[str, Any]], *,
                     seed: int) -> dict[str, Any] | None:
    """The cross-validated linear variants that share one featurisation (they differ in C and NB weighting),
    stacked by a logistic regression on their out-of-fold log-odds; scored by cross-validating that regression in
    turn. At inference the stack is one linear model (:func:`shuxi.text.tfidf.stacked`).

    Measured on the bench splits (throw-away script): chnsenticorp_htl_all 0.9123 against 0.9059 for the best pair,
    waimai_10k 0.8968 against the baseline's 0.8936.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    def features(linear: dict[str, Any]) -> tuple[Any, Any]:
        return linear["overrides"].get("char_ngrams"), linear["overrides"].get("word_ngrams")

    families: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for linear in linears:
        families.setdefault(features(linear), []).append(linear)
    family = max(families.values(), key=len)
    if len(family) < 2 or any("oof" not in linear for linear in family):
        return None
    x = np.column_stack([_log_odds(linear["oof"]) for linear in family])
    folds = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed)
    scored = []
    for c in (0.1, 1.0):
        proba = cross_val_predict(LogisticRegression(C=c), x, y, cv=folds, method="predict_proba")
        scored.append((_accuracy(proba, y), c, proba))
    accuracy, c, proba = max(scored, key=lambda t: t[0])
    meta = LogisticRegression(C=c).fit(x, y)
    name = "stack of " + "; ".join(linear["name"] for linear in family)
    part = {"heads": family, "meta": (meta.coef_[0], float(meta.intercept_[0])),
            "seconds": sum(linear["seconds"] for linear in family), "cost": max(l["cost"] for l in family)}
    # Cost class 0: at inference it is one linear model. Its score is out of fold twice over, as honest as theirs.
    return {"name": name, "speed": 0, "parts": [(part, 1.0)], "proba": proba[va], "accuracy": _accuracy(proba[va], y[va]),
            "cv_accuracy": accuracy, "seconds": part["seconds"], "cost": part["cost"]}


def _log_odds(proba: np.ndarray) -> np.ndarray:
    p = np.clip(proba[:, 1], 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def _accuracy(proba: np.ndarray, y: np.ndarray) -> float:
    return float((proba.argmax(axis=1) == y).mean())


def choose_candidate(candidates: list[dict[str, Any]]) -> dict[str, Any]:
    """The best cost-0 candidate, replaced by the best of each costlier class that beats it by that class's margin.

    Each candidate has ``speed`` (0 one linear model, 1 two, 2 with the BiLSTM) and ``accuracy`` on the validation
    split; linear candidates scored by cross-validation also have ``cv_accuracy`` (out-of-fold, over every row),
    which is used whenever both sides of a comparison have it — it rests on several times more texts. ``cost``
    (CPU seconds per text at inference, when measured) rules out what labels fewer than
    :data:`MIN_DOCS_PER_CPU_SECOND` texts a second.
    """

    def score(c: dict[str, Any], other: dict[str, Any] | None = None) -> float:
        both = "cv_accuracy" in c and (other is None or "cv_accuracy" in other)
        return float(c["cv_accuracy"] if both else c["accuracy"])

    # Too slow to label MIN_DOCS_PER_CPU_SECOND texts a second: out, except the fastest single model.
    fastest = min((c for c in candidates if c["speed"] == 0), key=lambda c: c.get("cost", 0.0))
    candidates = [c for c in candidates if c is fastest or c.get("cost", 0.0) * MIN_DOCS_PER_CPU_SECOND <= 1.0]
    chosen = max((c for c in candidates if c["speed"] == 0), key=score)
    for speed in sorted({c["speed"] for c in candidates} - {0}):
        best = max((c for c in candidates if c["speed"] == speed), key=score)
        if score(best, chosen) >= score(chosen, best) + SLOWER_MODEL_MARGIN[speed] - 1e-9:
            chosen = best
    return chosen


def _train_auto(texts: list[str], y: np.ndarray, k: int, options: _Options, *,
                budget: float) -> tuple[list[Member], dict[str, Any]]:
    """Try TF-IDF variants, then (time permitting) the BiLSTM-attention model and ensembles; keep the best.

    Candidates are scored on a stratified validation split (linear ones out of fold when cross-validating): each
    TF-IDF variant, averages of two, the stack of the variants sharing one featurisation, the BiLSTM and its
    averages with the best TF-IDF model. The cheapest candidate wins unless a costlier one is better
    by the margin in :data:`SLOWER_MODEL_MARGIN`, and none that labels fewer than :data:`MIN_DOCS_PER_CPU_SECOND`
    texts a second is chosen (the BiLSTM is timed before it is trained). Chosen TF-IDF models are refitted on all
    the data when time allows.
    """
    import sklearn.linear_model  # noqa: F401  (imported before the first fit is timed: it sets the CV decision)

    from shuxi.text.tfidf import mostly_chinese

    started = time.perf_counter()
    tr, va = _split(y, seed=options.seed)
    tr_texts, va_texts = [texts[i] for i in tr], [texts[i] for i in va]
    # NB weighting only exists for two classes.
    if mostly_chinese(texts):
        # The baseline first: auto then never picks a model scoring below it on validation.
        variants: list[dict[str, Any]] = [{}, {"nb": True, "C": 16.0}, {"C": 16.0}, {"nb": True, "C": 16.0,
                                                                                  "char_ngrams": (1, 4)}, {"C": 64.0}]
    else:
        # On IMDB (same split as bench/text.py) word 1–3-grams with NB weighting and C=32 reached 0.918 (plain
        # word 1–2-grams 0.906). Long English texts make each fit slow, so the strong variant goes first.
        variants = [{"word_ngrams": (1, 3), "nb": True, "C": 32.0}, {}, {"word_ngrams": (1, 3), "C": 32.0}]
    if k > 2:
        variants = [v for v in variants if not v.get("nb")]
    # A candidate: name, validation probabilities and accuracy, cost class ("speed": 0 one linear model,
    # 1 two linear models, 2 with the BiLSTM) and its parts: (linear variant or network, weight).
    candidates: list[dict[str, Any]] = []
    linears: list[dict[str, Any]] = []
    folds: list[tuple[np.ndarray, np.ndarray]] | None = None
    for overrides in variants:
        elapsed = time.perf_counter() - started
        if linears:
            # Cross-validation costs about five fits per variant; the refit at the end one or two more.
            cost = max(c["seconds"] for c in linears) * (CV_FOLDS if folds is not None else 1)
            if elapsed + cost + 2.5 * max(c["seconds"] for c in linears) > budget * 0.6:
                break  # the next variant (and the refit) would not fit in the budget
        t0 = time.perf_counter()
        linear: dict[str, Any] = {"name": "tfidf" + "".join(f" {a}={b}" for a, b in overrides.items()),
                                  "overrides": overrides}
        if folds is None:
            fitted = _fit_tfidf(tr_texts, y[tr], k, options, **overrides)
            proba, cost = _timed(fitted.predict_proba, va_texts)
            linear |= {"model": fitted, "proba": proba, "cost": cost}
        else:
            oof, cost = _out_of_fold(texts, y, k, options, folds, overrides)
            linear |= {"model": None, "oof": oof, "proba": oof[va], "cost": cost}
        linear["seconds"] = time.perf_counter() - t0
        candidate = {"name": linear["name"], "speed": 0, "parts": [(linear, 1.0)], "proba": linear["proba"],
                     "accuracy": _accuracy(linear["proba"], y[va]), "seconds": linear["seconds"],
                     "cost": linear["cost"]}
        if "oof" in linear:
            candidate["cv_accuracy"] = _accuracy(linear["oof"], y)
            linear["seconds"] /= CV_FOLDS  # what one fit costs, for the budget checks below
        linears.append(linear)
        candidates.append(candidate)
        if folds is None and len(linears) == 1:
            folds = _cv_folds(y, options.seed, fit_seconds=linear["seconds"], variants=len(variants),
                              left=budget * 0.5 - (time.perf_counter() - started))
            if folds is not None:  # score the first variant the same way as the others
                oof, cost = _out_of_fold(texts, y, k, options, folds, overrides)
                linear |= {"model": None, "oof": oof, "proba": oof[va], "cost": cost}
                candidate |= {"proba": linear["proba"], "accuracy": _accuracy(linear["proba"], y[va]),
                              "cv_accuracy": _accuracy(oof, y), "cost": cost}
    ranked = sorted(candidates, key=lambda c: -c.get("cv_accuracy", c["accuracy"]))
    if folds is not None:  # every pair of linear models averaged, scored out of fold
        pairs = [(a, b) for i, a in enumerate(linears) for b in linears[i + 1:]]
    else:  # the two best averaged (different features/weighting err differently)
        pairs = [(ranked[0]["parts"][0][0], ranked[1]["parts"][0][0])] if len(ranked) >= 2 else []
    for a, b in pairs:
        mix = (a["proba"] + b["proba"]) / 2
        pair = {"name": f"ensemble {a['name']} + {b['name']}", "speed": 1, "parts": [(a, 0.5), (b, 0.5)],
                "proba": mix, "accuracy": _accuracy(mix, y[va]), "seconds": 0.0, "cost": a["cost"] + b["cost"]}
        if folds is not None:
            pair["cv_accuracy"] = _accuracy((a["oof"] + b["oof"]) / 2, y)
        candidates.append(pair)
    if folds is not None and k == 2:
        stack = _stack_candidate(y, va, linears, seed=options.seed)
        if stack is not None and time.perf_counter() - started + 1.3 * stack["seconds"] <= budget * 0.7:
            candidates.append(stack)
    best_linear = ranked[0]["parts"][0][0]
    remaining = budget - (time.perf_counter() - started) - 2.6 * best_linear["seconds"]
    skipped = None
    if remaining >= 30:
        from shuxi.text.neural import EpochsDoNotFit

        t0 = time.perf_counter()
        net = _untrained_neural("bilstm", tr_texts, k, options)
        # Its inference costs the same before training as after: measure it first, train only if it is fast enough.
        net_cost = _cpu_seconds_per_text(net.predict_proba, va_texts)
        if (net_cost + best_linear["cost"]) * MIN_DOCS_PER_CPU_SECOND > 1.0:
            skipped = (f"bilstm skipped: with it, auto would label about "
                       f"{1 / (net_cost + best_linear['cost']):,.0f} texts per CPU-second, fewer than "
                       f"{MIN_DOCS_PER_CPU_SECOND:,.0f}")
            net = None
        else:
            try:
                net = _fit_neural("bilstm", tr_texts, y[tr], va_texts, y[va], k, options,
                                  budget=remaining * 0.85 - (time.perf_counter() - t0), min_epochs=3, net=net)
            except EpochsDoNotFit as error:
                net = None
                skipped = (f"bilstm skipped: an epoch would take about {error.epoch_seconds:.0f} s, "
                           f"3 epochs do not fit in the {remaining * 0.85:.0f} s left")
        if net is not None:
            proba = net.predict_proba(va_texts)
            candidates.append({"name": "bilstm", "speed": 2, "parts": [(net, 1.0)], "proba": proba,
                               "accuracy": _accuracy(proba, y[va]), "seconds": time.perf_counter() - t0,
                               "cost": net_cost})
            for w in (0.25, 0.5, 0.75):
                mix = (1 - w) * best_linear["proba"] + w * proba
                candidates.append({"name": f"ensemble {best_linear['name']} + bilstm (weight {w})", "speed": 2,
                                   "parts": [(best_linear, 1 - w), (net, w)], "proba": mix,
                                   "accuracy": _accuracy(mix, y[va]), "seconds": 0.0,
                                   "cost": net_cost + best_linear["cost"]})
    else:
        skipped = f"bilstm skipped: {max(remaining, 0):.0f} s of the budget left"
    chosen = choose_candidate(candidates)
    members: list[Member] = []
    refit = True
    for part, weight in chosen["parts"]:
        if isinstance(part, dict) and "heads" in part:  # a stack: its heads refitted on all rows, then folded
            from shuxi.text.tfidf import stacked

            heads = [_fit_tfidf(texts, y, k, options, **head["overrides"]) for head in part["heads"]]
            members.append(Member("tfidf", stacked(heads, *part["meta"]), weight))
        elif isinstance(part, dict):
            # Refit on all the data when the budget allows; otherwise keep the model fitted on the training part.
            # (Cross-validated variants have no such model: they are always refitted.)
            again = part["model"] is None or time.perf_counter() - started + 1.3 * part["seconds"] <= budget
            refit = refit and again
            model = _fit_tfidf(texts, y, k, options, **part["overrides"]) if again else part["model"]
            members.append(Member("tfidf", model, weight))
        else:
            members.append(Member("bilstm", part, weight))
    summary = {"chosen": chosen["name"], "validation_rows": len(va), "refit_on_all_rows": refit, "skipped": skipped,
               "cross_validation_folds": CV_FOLDS if folds is not None else None,
               "candidates": [{"name": c["name"], "val_accuracy": round(c["accuracy"], 4),
                               **({"cv_accuracy": round(c["cv_accuracy"], 4)} if "cv_accuracy" in c else {}),
                               "seconds": round(c["seconds"], 2),
                               "docs_per_cpu_second": round(1 / c["cost"]) if c.get("cost") else None}
                              for c in candidates]}
    return members, summary
