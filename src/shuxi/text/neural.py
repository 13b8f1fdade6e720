"""Training and running the PyTorch classifiers (BiLSTM-attention, Transformer): one loop for both.

Seeded (same data + seed → same weights on the same machine), early stopping on a validation split (the best
epoch's weights are kept), class weights for imbalance, a wall-clock budget, and a rich progress bar. Batches are
drawn from length buckets and cut to their longest text, so short reviews do not pay for the longest one.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from shuxi.errors import DataError
from shuxi.text.tokenizers import Tokenizer, load_tokenizer, pad_sequences

NeuralKind = Literal["bilstm", "transformer"]


@dataclass(frozen=True)
class TrainConfig:
    """How a neural classifier is trained."""

    epochs: int = 10
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 0.01
    patience: int = 2                 # epochs without validation improvement before stopping
    time_budget: float | None = None  # seconds for the whole loop; the best weights so far are kept
    class_weight: bool = False        # weight the loss by inverse class frequency
    grad_clip: float = 1.0
    seed: int = 42
    min_epochs: int = 0               # with a time budget: give up early (EpochsDoNotFit) unless this many fit


class EpochsDoNotFit(Exception):
    """Raised when the first steps show that ``min_epochs`` epochs cannot finish within the time budget."""

    def __init__(self, epoch_seconds: float) -> None:
        self.epoch_seconds = epoch_seconds
        super().__init__(f"one epoch takes about {epoch_seconds:.0f} s")


@dataclass
class History:
    epochs: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = -1
    stopped: str = "epochs"   # "epochs" | "early-stopping" | "time-budget"
    seconds: float = 0.0


def use_threads() -> None:
    """Give torch ``SHUXI_THREADS`` threads (default 1).

    Small recurrent models gain little from more threads, and on shared cores OpenMP threads that wait for each
    other make a training step 10–30× slower (measured: 75 ms with one thread, 2.2 s with two on a busy machine).
    """
    import torch

    from shuxi.config import load_settings

    wanted = load_settings().threads or 1
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


def build_module(kind: NeuralKind, config: dict[str, Any], *, seed: int | None = None) -> Any:
    """A fresh BiLSTM-attention or Transformer module from its config dict (weights drawn from ``seed``)."""
    import torch

    if seed is not None:
        torch.manual_seed(seed)
    if kind == "bilstm":
        from shuxi.text.bilstm import BiLSTMAttention, BiLSTMConfig

        return BiLSTMAttention(BiLSTMConfig(**config))
    from shuxi.text.transformer import TransformerClassifier, TransformerConfig

    return TransformerClassifier(TransformerConfig(**config))


def _batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator | None) -> list[np.ndarray]:
    """Index batches of similar length: shuffled chunks of 50 batches sorted by length (or all sorted if no rng)."""
    order = rng.permutation(len(lengths)) if rng is not None else np.arange(len(lengths))
    chunk = batch_size * 50
    batches = []
    for lo in range(0, len(order), chunk):
        part = order[lo: lo + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        batches.extend(part[i: i + batch_size] for i in range(0, len(part), batch_size))
    if rng is not None:
        rng.shuffle(batches)  # type: ignore[arg-type]
    return batches


class NeuralModel:
    """A tokenizer plus a PyTorch classifier over class indices 0…k-1."""

    def __init__(self, *, kind: NeuralKind, tokenizer: Tokenizer, config: dict[str, Any], module: Any = None,
                 seed: int | None = None) -> None:
        self.kind = kind
        self.tokenizer = tokenizer
        self.config = config
        self.module = module if module is not None else build_module(kind, config, seed=seed)
        self.history: History | None = None

    @property
    def max_length(self) -> int:
        return int(self.config["max_length"])

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Padded ids (n, max_length) and true lengths (n,)."""
        ids = self.tokenizer.encode_batch(texts)
        padded = pad_sequences(ids, self.max_length)
        return padded, np.minimum([len(s) for s in ids], self.max_length).astype(np.int64)

    # -- training ---------------------------------------------------------------------------------------
    def fit(self, texts: list[str], y: np.ndarray, *, val_texts: list[str], val_y: np.ndarray,
            train: TrainConfig, progress: bool = False) -> NeuralModel:
        """Train with early stopping on (val_texts, val_y); keeps the best epoch's weights."""
        import torch

        started = time.perf_counter()
        use_threads()
        torch.manual_seed(train.seed)
        rng = np.random.default_rng(train.seed)
        x, lengths = self.encode(texts)
        vx, vlengths = self.encode(val_texts)
        y_t = torch.as_tensor(np.asarray(y), dtype=torch.long)
        n_classes = int(self.config["n_classes"])
        weights = None
        if train.class_weight:
            counts = np.bincount(np.asarray(y), minlength=n_classes).astype(np.float64)
            weights = torch.as_tensor(len(y) / (n_classes * np.maximum(counts, 1)), dtype=torch.float32)
        module = self.module
        # A constant learning rate: a schedule sized for all epochs would stay in warm-up when a budget cuts
        # training short, and early stopping already picks the best epoch.
        optimizer = torch.optim.AdamW(module.parameters(), lr=train.lr, weight_decay=train.weight_decay)
        per_epoch = math.ceil(len(texts) / train.batch_size)
        steps = train.epochs * per_epoch
        history = History()
        best: tuple[float, float] = (-1.0, -math.inf)
        best_state: dict[str, Any] | None = None
        with _progress(progress, f"training {self.kind}") as bar:
            task = bar.add_task("epochs", total=steps)
            for epoch in range(train.epochs):
                module.train()
                total = 0.0
                out_of_time = False
                for step, batch in enumerate(_batches(lengths, train.batch_size, rng)):
                    if epoch == 0 and step == 0:
                        first_step = time.perf_counter()
                    if epoch == 0 and step == 10 and train.min_epochs and train.time_budget is not None:
                        epoch_seconds = (time.perf_counter() - first_step) / 10 * per_epoch
                        if (first_step - started) + epoch_seconds * train.min_epochs > train.time_budget:
                            raise EpochsDoNotFit(epoch_seconds)
                    width = max(int(lengths[batch].max()), 1)
                    idx = torch.as_tensor(x[batch, :width])
                    _, loss = module(idx, y_t[batch], weights)
                    optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_(module.parameters(), train.grad_clip)
                    optimizer.step()
                    total += loss.item() * len(batch)
                    bar.advance(task)
                    if train.time_budget is not None and time.perf_counter() - started > train.time_budget:
                        out_of_time = True
                        break
                proba = self._proba(vx, vlengths)
                val_acc = float((proba.argmax(1) == np.asarray(val_y)).mean())
                val_loss = float(-np.log(np.clip(proba[np.arange(len(val_y)), np.asarray(val_y)], 1e-9, 1)).mean())
                history.epochs.append({"epoch": epoch + 1, "train_loss": total / len(texts), "val_loss": val_loss,
                                       "val_accuracy": val_acc})
                if (val_acc, -val_loss) > best:
                    best = (val_acc, -val_loss)
                    best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
                    history.best_epoch = epoch + 1
                if out_of_time:
                    history.stopped = "time-budget"
                    break
                if epoch + 1 - history.best_epoch >= train.patience:
                    history.stopped = "early-stopping"
                    break
        if best_state is not None:
            module.load_state_dict(best_state)
        module.eval()
        history.seconds = time.perf_counter() - started
        self.history = history
        return self

    # -- inference --------------------------------------------------------------------------------------
    def _proba(self, x: np.ndarray, lengths: np.ndarray, batch_size: int = 128) -> np.ndarray:
        """Probabilities in batches of similar length, in float32.

        (bfloat16 autocast is not used: on an AMD EPYC with AVX-512 BF16 it labelled 1.5× more texts a second, on an
        Intel Xeon with AVX-512 BF16 but no AMX 1.5–1.7× fewer — SST-2, waimai_10k and chnsenticorp_htl_all — and
        its probabilities differ from float32's by up to 0.005, so a choice by CPU would make labels depend on the
        machine.)"""
        import torch

        use_threads()
        self.module.eval()
        out = np.zeros((len(x), int(self.config["n_classes"])), dtype=np.float32)
        with torch.inference_mode():
            for batch in _batches(lengths, batch_size, None):
                width = max(int(lengths[batch].max()), 1)
                logits, _ = self.module(torch.as_tensor(x[batch, :width]))
                out[batch] = torch.softmax(logits.float(), dim=-1).numpy()
        return out

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Class probabilities (n, k)."""
        return self._proba(*self.encode(texts))

    def attention(self, text: str) -> tuple[list[str], np.ndarray]:
        """The BiLSTM-attention model's tokens of ``text`` (after truncation) and their attention weights."""
        import torch

        if self.kind != "bilstm":
            raise DataError(f"Attention weights exist only for the BiLSTM-attention model, not {self.kind}.",
                            hint='Use method="occlusion".')
        ids = self.tokenizer.encode(text)[: self.max_length]
        tokens = _token_strings(self.tokenizer, text)[: len(ids)]
        if not ids:
            return [], np.zeros(0)
        with torch.inference_mode():
            _, weights = self.module.attention(torch.as_tensor([ids]))
        return tokens, weights[0, : len(ids)].numpy().astype(np.float64)

    # -- persistence ------------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """config.json + model.safetensors + tokenizer.json in ``folder``."""
        from safetensors.torch import save_file

        folder.mkdir(parents=True, exist_ok=True)
        state = {k: v.contiguous() for k, v in self.module.state_dict().items()}
        save_file(state, str(folder / "model.safetensors"))
        meta: dict[str, Any] = {"kind": self.kind, "config": self.config}
        if self.history is not None:
            meta["history"] = asdict(self.history)
        (folder / "config.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        self.tokenizer.save(folder / "tokenizer.json")

    @classmethod
    def load(cls, folder: Path) -> NeuralModel:
        """The model saved in ``folder`` (safetensors weights, never pickle)."""
        from safetensors.torch import load_file

        meta = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        model = cls(kind=meta["kind"], tokenizer=load_tokenizer(folder / "tokenizer.json"), config=meta["config"])
        model.module.load_state_dict(load_file(str(folder / "model.safetensors")))
        model.module.eval()
        return model


def _token_strings(tokenizer: Tokenizer, text: str) -> list[str]:
    """Readable token strings for explanations (BPE's ``▁`` shown as a space)."""
    return [t.replace("▁", " ") for t in tokenizer.tokenize(text)]


class _progress:
    """A rich progress bar on stderr when ``enabled``; a no-op otherwise."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled = enabled
        self.label = label
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return _NoBar()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=True)
        return self.bar.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


class _NoBar:
    def add_task(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def advance(self, *args: Any, **kwargs: Any) -> None:
        return None

    def update(self, *args: Any, **kwargs: Any) -> None:
        return None
