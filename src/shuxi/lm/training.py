"""Training a GPT: AdamW, linear warm-up then cosine decay, gradient clipping and accumulation, periodic
evaluation with best-checkpoint saving, resumable state, seeds, a progress bar with loss and tokens/s —
and knowledge distillation from a teacher (Hinton et al. 2015).

The loop follows nanoGPT's ``train.py``. Every ``eval_interval`` steps the validation loss is estimated
on the same ``eval_iters`` batches; when it improves ``model.safetensors`` is replaced. The last step's
weights, optimizer moments and random-generator states go to ``state.safetensors`` + ``state.json`` at
every evaluation and on Ctrl-C, so ``resume=True`` continues exactly where training stopped.

With a teacher the loss per token is ``α·CE(student, data) + (1-α)·T²·KL(softmax(teacher/T) ‖ softmax(student/T))``.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuxi.errors import ConfigError, DataError

if TYPE_CHECKING:
    import numpy as np
    import torch

    from shuxi.lm.gpt import GPT


@dataclass(frozen=True)
class TrainConfig:
    """How to train (nanoGPT's CPU recipe by default: batch 12, 2,000 steps, lr 1e-3)."""

    batch_size: int = 12
    max_iters: int = 2000
    lr: float = 1e-3
    min_lr: float | None = None  # end of the cosine; lr / 10 when None
    warmup_iters: int = 100
    lr_decay_iters: int | None = None  # where the cosine ends; max_iters when None
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.99
    grad_clip: float = 1.0  # 0 turns clipping off
    grad_accum: int = 1  # micro-batches per optimizer step
    eval_interval: int = 250
    eval_iters: int = 20
    seed: int = 1337
    time_budget: float | None = None  # seconds; the cosine then ends at whichever comes first
    clock: str = "wall"  # what time_budget counts: "wall" seconds, or "cpu" seconds of this process (all threads)
    alpha: float = 0.5  # distillation: weight of the data loss
    temperature: float = 2.0  # distillation: softening temperature
    precision: str = "fp32"  # "bf16": forward and backward under bfloat16 autocast (AMX/AVX-512 CPUs)

    def __post_init__(self) -> None:
        for name in ("batch_size", "max_iters", "grad_accum", "eval_interval", "eval_iters"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, not {getattr(self, name)}.")
        if self.lr <= 0:
            raise ConfigError(f"The learning rate must be positive, not {self.lr}.", hint="Try --lr 1e-3.")
        if self.time_budget is not None and self.time_budget <= 0:
            raise ConfigError(f"--time-budget must be positive seconds, not {self.time_budget}.")
        if not 0.0 <= self.alpha <= 1.0 or self.temperature <= 0:
            raise ConfigError("Distillation needs 0 ≤ alpha ≤ 1 and a positive temperature.")
        if self.clock not in ("wall", "cpu"):
            raise ConfigError(f"Unknown clock {self.clock!r}.", hint="Choose --budget-clock wall or cpu.")
        if self.precision not in ("fp32", "bf16"):
            raise ConfigError(f"Unknown precision {self.precision!r}.", hint="Choose --precision fp32 or bf16.")

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in state.items() if k in known})


def learning_rate(step: int, cfg: TrainConfig, progress: float | None = None) -> float:
    """Linear warm-up to ``lr``, then cosine decay to ``min_lr`` (``progress`` in [0, 1] overrides the step's)."""
    min_lr = cfg.min_lr if cfg.min_lr is not None else cfg.lr / 10
    if step < cfg.warmup_iters:
        return cfg.lr * (step + 1) / (cfg.warmup_iters + 1)
    decay_iters = cfg.lr_decay_iters or cfg.max_iters
    if progress is None:
        span = max(decay_iters - cfg.warmup_iters, 1)
        progress = (step - cfg.warmup_iters) / span
    progress = min(max(progress, 0.0), 1.0)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (cfg.lr - min_lr)


def _batch(data: torch.Tensor, block: int, batch: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    import torch

    starts = torch.randint(len(data) - block, (batch,), generator=generator)
    offsets = torch.arange(block)
    x = data[starts[:, None] + offsets]  # (B, T)
    y = data[starts[:, None] + offsets + 1]
    return x, y


def estimate_loss(model: GPT, data: torch.Tensor, cfg: TrainConfig) -> float:
    """Mean loss over ``eval_iters`` batches — always the same batches (fixed seed), so evaluations compare."""
    import torch

    generator = torch.Generator().manual_seed(cfg.seed + 1)
    model.eval()
    losses = []
    with torch.no_grad():
        for _ in range(cfg.eval_iters):
            x, y = _batch(data, model.config.block_size, cfg.batch_size, generator)
            losses.append(float(model(x, y)[1]))
    model.train()
    return sum(losses) / len(losses)


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor, targets: torch.Tensor,
                      *, alpha: float, temperature: float) -> torch.Tensor:
    """α·CE + (1-α)·T²·KL(teacher_T ‖ student_T), averaged over tokens."""
    from torch.nn import functional as F

    V = student_logits.size(-1)
    s = student_logits.reshape(-1, V)
    t = teacher_logits.reshape(-1, V)
    ce = F.cross_entropy(s, targets.reshape(-1))
    kl = F.kl_div(F.log_softmax(s / temperature, dim=-1), F.log_softmax(t / temperature, dim=-1),
                  log_target=True, reduction="batchmean")
    return alpha * ce + (1 - alpha) * temperature**2 * kl


@dataclass
class TrainResult:
    """What a run did: steps, best validation loss, speed."""

    iters: int
    best_val_loss: float
    last_val_loss: float
    train_loss: float
    tokens_per_s: float
    train_seconds: float
    history: list[dict[str, float]]


def fit_gpt(model: GPT, train_ids: np.ndarray, val_ids: np.ndarray, cfg: TrainConfig, *, out: Path,
            save_best: Any, teacher: GPT | None = None, resume: bool = False, progress: bool = True) -> TrainResult:
    """Train ``model`` in place; ``save_best(model, val_loss, step)`` writes the best checkpoint into ``out``."""
    import torch

    block = model.config.block_size
    for name, part in (("training", train_ids), ("validation", val_ids)):
        if len(part) <= block:
            raise DataError(f"The {name} part of the corpus has {len(part):,} tokens, not more than the block size "
                            f"{block}.", hint="Use a longer corpus, or a smaller --block-size.")
    train_data = torch.from_numpy(train_ids.astype("int64"))
    val_data = torch.from_numpy(val_ids.astype("int64"))
    optimizer = model.configure_optimizer(weight_decay=cfg.weight_decay, learning_rate=cfg.lr,
                                          betas=(cfg.beta1, cfg.beta2))
    generator = torch.Generator().manual_seed(cfg.seed)
    step, best, history, tokens_seen, train_time = 0, math.inf, [], 0, 0.0
    if resume:
        step, best, history, tokens_seen, train_time = _load_state(out, model, optimizer, generator)
    tokens_per_step = cfg.batch_size * block * cfg.grad_accum
    if teacher is not None:
        teacher.eval()
    model.train()
    started = now(cfg.clock)
    last_val = history[-1]["val_loss"] if history else math.nan
    loss_value = math.nan
    bar = _progress(progress, cfg.max_iters, step)
    try:
        with bar:
            task = bar.add_task("training", total=cfg.max_iters, completed=step, loss=math.nan, tps=0.0)
            while True:
                if step % cfg.eval_interval == 0 or step >= cfg.max_iters or _out_of_time(cfg, started):
                    if not (resume and history and history[-1]["step"] == step):
                        last_val = estimate_loss(model, val_data, cfg)
                        train_est = estimate_loss(model, train_data, cfg)
                        history.append({"step": step, "train_loss": train_est, "val_loss": last_val})
                        if last_val < best:
                            best = last_val
                            save_best(model, last_val, step)
                        _save_state(out, model, optimizer, generator, step, best, history, tokens_seen, train_time, cfg)
                    if step >= cfg.max_iters or _out_of_time(cfg, started):
                        break
                tick = time.perf_counter()
                cosine = None
                if cfg.time_budget:  # end the cosine at the step limit or the time limit, whichever comes first
                    fraction = max(step / (cfg.lr_decay_iters or cfg.max_iters),
                                   (now(cfg.clock) - started) / cfg.time_budget)
                    cosine = _cosine_progress(fraction, cfg)
                lr = learning_rate(step, cfg, cosine)
                for group in optimizer.param_groups:
                    group["lr"] = lr
                for _ in range(cfg.grad_accum):
                    x, y = _batch(train_data, block, cfg.batch_size, generator)
                    # bf16 autocast: matrix products in bfloat16 (about 2× on CPUs with AMX), weights,
                    # optimizer state and reductions stay float32.
                    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.precision == "bf16"):
                        if teacher is None:
                            _, loss = model(x, y)
                        else:
                            with torch.no_grad():
                                teacher_logits, _ = teacher(x, y)
                            student_logits, _ = model(x, y)
                            loss = distillation_loss(student_logits.float(), teacher_logits.float(), y,
                                                     alpha=cfg.alpha, temperature=cfg.temperature)
                    (loss / cfg.grad_accum).backward()
                if cfg.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                step += 1
                tokens_seen += tokens_per_step
                spent = time.perf_counter() - tick
                train_time += spent
                loss_value = loss.item()
                bar.update(task, completed=step, loss=loss_value, tps=tokens_per_step / max(spent, 1e-9))
    except KeyboardInterrupt:
        _save_state(out, model, optimizer, generator, step, best, history, tokens_seen, train_time, cfg)
        raise
    return TrainResult(iters=step, best_val_loss=best, last_val_loss=last_val, train_loss=loss_value,
                       tokens_per_s=tokens_seen / train_time if train_time else 0.0, train_seconds=train_time,
                       history=history)


def _cosine_progress(fraction: float, cfg: TrainConfig) -> float:
    """Map overall progress (steps or time, whichever is further) onto the cosine after warm-up."""
    warm = cfg.warmup_iters / (cfg.lr_decay_iters or cfg.max_iters)
    return (fraction - warm) / max(1 - warm, 1e-9)


def now(clock: str) -> float:
    """Seconds on the wall clock, or CPU seconds used by this process (all its threads) for ``clock="cpu"``.

    A CPU-second budget makes a run's length independent of what else the machine is doing.
    """
    return time.process_time() if clock == "cpu" else time.perf_counter()


def _out_of_time(cfg: TrainConfig, started: float) -> bool:
    return cfg.time_budget is not None and now(cfg.clock) - started >= cfg.time_budget


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def update(self, *args: Any, **kwargs: Any) -> None:
        return None


def _progress(enabled: bool, total: int, done: int) -> Any:
    if not enabled:
        return _NoBar()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("loss {task.fields[loss]:.4f}"), TextColumn("{task.fields[tps]:,.0f} tok/s"),
                    TimeElapsedColumn(), TimeRemainingColumn(), transient=False)


# -- resumable state -------------------------------------------------------------------------------


def _save_state(out: Path, model: GPT, optimizer: torch.optim.Optimizer, generator: torch.Generator, step: int,
                best: float, history: list[dict[str, float]], tokens_seen: int, train_time: float,
                cfg: TrainConfig) -> None:
    import torch
    from safetensors.torch import save_file

    from shuxi.lm.model import write_json_atomic

    tensors = {f"model.{k}": v.detach().contiguous() for k, v in model.state_dict().items() if k != "lm_head.weight"}
    opt = optimizer.state_dict()
    for index, state in opt["state"].items():
        for key, value in state.items():
            tensors[f"optim.{index}.{key}"] = value if torch.is_tensor(value) else torch.tensor(value)
    tensors["rng.batches"] = generator.get_state()
    tensors["rng.torch"] = torch.get_rng_state()
    tmp = out / ".state.safetensors.tmp"
    save_file(tensors, str(tmp))
    groups = [{k: v for k, v in g.items() if k != "params"} | {"params": g["params"]} for g in opt["param_groups"]]
    meta = {"step": step, "best_val_loss": best, "history": history, "tokens_seen": tokens_seen,
            "train_seconds": train_time, "param_groups": groups, "train": asdict(cfg)}
    # The weights first, then the JSON that points at them: a crash between the two leaves the old pair usable.
    os.replace(tmp, out / "state.safetensors")
    write_json_atomic(out / "state.json", meta)


def _load_state(out: Path, model: GPT, optimizer: torch.optim.Optimizer, generator: torch.Generator
                ) -> tuple[int, float, list[dict[str, float]], int, float]:
    import torch
    from safetensors.torch import load_file

    if not (out / "state.json").is_file() or not (out / "state.safetensors").is_file():
        raise DataError(f"{out} has no training state to resume from.", path=str(out),
                        hint="Train into this folder first (without --resume).")
    meta = json.loads((out / "state.json").read_text(encoding="utf-8"))
    tensors = load_file(str(out / "state.safetensors"))
    weights = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    weights["lm_head.weight"] = weights["transformer.wte.weight"]
    model.load_state_dict(weights)
    state: dict[int, dict[str, Any]] = {}
    for key, value in tensors.items():
        if key.startswith("optim."):
            _, index, name = key.split(".", 2)
            state.setdefault(int(index), {})[name] = value
    optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
    generator.set_state(tensors["rng.batches"])
    torch.set_rng_state(tensors["rng.torch"])
    return (int(meta["step"]), float(meta["best_val_loss"]), list(meta["history"]), int(meta["tokens_seen"]),
            float(meta["train_seconds"]))
