"""The library behind ``shuxi lm``: train, fine-tune, distil, evaluate and generate (scoring is in ``scoring.py``)."""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path
from typing import Any, Literal

from shuxi.errors import ConfigError, DataError
from shuxi.lm.model import LanguageModel, load

#: Files a model folder may hold; only these are replaced by ``overwrite=True``.
MODEL_FILES = ("lm.json", "tokenizer.json", "model.safetensors", "state.safetensors", "state.json", "ngram.npz")
#: Sub-folders of a mixture's model folder (each a model folder itself).
MODEL_DIRS = ("gpt", "ngram")


def _as_model(model: LanguageModel | str | Path) -> LanguageModel:
    return model if isinstance(model, LanguageModel) else load(model)


def _prepare_out(out: str | Path, *, resume: bool, overwrite: bool, check_only: bool = False) -> Path:
    """Check that ``out`` may be written (and, unless ``check_only``, clear the old model files in it)."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder} is a file; --out must be a folder.", path=str(folder))
    existing = [f for f in folder.iterdir()] if folder.is_dir() else []
    if resume:
        if not (folder / "state.json").is_file():
            raise DataError(f"There is no training run to resume in {folder}.", path=str(folder),
                            hint="Drop --resume to start a new run.")
        return folder
    if existing:
        ours = [f for f in existing if (f.name in MODEL_FILES and f.is_file())
                or (f.name in MODEL_DIRS and f.is_dir() and (f / "lm.json").is_file())]
        if not overwrite or len(ours) != len(existing):
            raise DataError(f"{folder} already exists and is not empty.", path=str(folder),
                            hint="Pass --resume to continue its training, --overwrite to replace a model folder, "
                                 "or choose a new --out.")
        if check_only:
            return folder
        for f in ours:
            if f.is_dir():
                shutil.rmtree(f)
            else:
                f.unlink()
    if not check_only:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def train(corpus: Any, *, out: str | Path, text: str | None = None, arch: Literal["ngram", "gpt"] = "gpt",
          order: int = 6, tokenizer: Literal["char", "bpe"] = "char", vocab_size: int | None = None,
          n_layer: int = 4, n_head: int = 4, n_embd: int = 128, block_size: int = 64, dropout: float = 0.0,
          position: Literal["learned", "sinusoidal"] = "learned", batch_size: int = 12, max_iters: int = 2000,
          lr: float = 1e-3, warmup_iters: int = 100, lr_decay_iters: int | None = None, grad_accum: int = 1, eval_interval: int = 250,
          eval_iters: int = 20, time_budget: float | None = None, seed: int = 1337,
          init_from: str | Path | None = None, resume: bool = False, overwrite: bool = False,
          progress: bool = True, threads: int | None = None, teacher: str | Path | LanguageModel | None = None, alpha: float = 0.5,
          temperature: float = 2.0, precision: Literal["fp32", "bf16"] = "fp32",
          mix_ngram: int | None = None, budget_clock: Literal["wall", "cpu"] = "wall") -> LanguageModel:
    """Train a language model on a text file (or the column ``text`` of a table) and save it into ``out``.

    ``arch="ngram"`` fits an interpolated modified Kneser–Ney model of ``order``; ``arch="gpt"`` trains a
    Transformer (nanoGPT's CPU recipe by default). ``init_from`` fine-tunes an existing GPT folder on the new
    corpus (its tokenizer and architecture are kept); ``resume`` continues the run saved in ``out``.
    ``threads`` (or ``SHUXI_THREADS``) sets PyTorch's thread count; on a busy machine 1 is often fastest.
    ``precision="bf16"`` trains under bfloat16 autocast (about twice as fast on CPUs with AMX, e.g. Xeon 4th gen).
    ``mix_ngram=N`` (GPT only) also fits an order-N n-gram model and saves the mixture of the two (see
    :mod:`shuxi.lm.mixture`): both are trained on the training split less its last 5%, where the mixture
    weight is fitted; ``time_budget`` then covers all of it. ``budget_clock="cpu"`` counts the budget in CPU
    seconds of this process instead of wall seconds (a fair budget on a machine shared with other work).

    >>> lm = shuxi.lm.train("shakespeare.txt", arch="ngram", order=6, out="shakespeare-6gram")
    """
    from shuxi.lm.corpus import encode_corpus, fit_tokenizer, read_corpus, split_ids

    if arch not in ("ngram", "gpt"):
        raise ConfigError(f"Unknown architecture {arch!r}.", hint="Choose --arch ngram or --arch gpt.")
    if arch == "ngram" and (init_from or resume or teacher is not None or mix_ngram):
        raise ConfigError("Fine-tuning, resuming, distillation and --mix-ngram are for GPT models.",
                          hint="Train the n-gram model afresh on the new corpus.")
    if mix_ngram is not None and mix_ngram < 1:
        raise ConfigError(f"--mix-ngram takes an n-gram order of 1 or more, not {mix_ngram}.", hint="Try --mix-ngram 7.")
    if mix_ngram and resume:
        raise ConfigError("A mixture's training cannot be resumed as one run.",
                          hint="Resume its GPT part (--resume --out DIR/gpt), then refit with `shuxi lm mix`.")
    # Check the output folder first, but clear it only once the corpus has been read and checked.
    folder = _prepare_out(out, resume=resume, overwrite=overwrite, check_only=True)
    data = read_corpus(corpus, text=text)
    base: LanguageModel | None = None
    if resume:
        base = load(folder) if (folder / "lm.json").is_file() else None
    if init_from is not None:
        base = _as_model(init_from)
        if base.arch != "gpt":
            raise ConfigError(f"{init_from} is an {base.arch} model; only GPT models can be fine-tuned.",
                              hint="Train an n-gram model afresh on the new corpus (for a mixture: fine-tune DIR/gpt).")
    teacher_lm = _as_model(teacher) if teacher is not None else None
    if teacher_lm is not None and teacher_lm.arch != "gpt":
        raise ConfigError("The teacher must be a GPT model.", hint="Train one with --arch gpt first (of a mixture: DIR/gpt).")
    from shuxi.lm.training import now

    start = now(budget_clock)
    inherited = base or teacher_lm
    tok = inherited.tokenizer if inherited is not None else fit_tokenizer(data, tokenizer, vocab_size=vocab_size)
    lenient = inherited is not None  # a given vocabulary: characters it lacks become <unk>
    saved_oov = tok.oov
    tok.oov = lenient
    try:
        ids = encode_corpus(data, tok)
    finally:
        tok.oov = saved_oov
    info: dict[str, Any] = {"corpus": data.source, "corpus_kind": data.kind, "characters": data.characters,
                            "tokenizer": getattr(tok, "kind", tokenizer)}
    if lenient:
        info["unknown_tokens"] = int((ids == 1).sum())
    if arch == "ngram":
        if len(ids) == 0:
            raise DataError("The corpus has no tokens.", hint="Give a text with some characters in it.")
        _prepare_out(out, resume=resume, overwrite=overwrite)
        return _train_ngram(ids, tok, order=order, folder=folder, info=info, started=start, clock=budget_clock)

    from shuxi.lm.gpt import GPT, GPTConfig
    from shuxi.lm.training import TrainConfig, fit_gpt

    cfg = TrainConfig(batch_size=batch_size, max_iters=max_iters, lr=lr, warmup_iters=min(warmup_iters, max_iters),
                      lr_decay_iters=lr_decay_iters,
                      grad_accum=grad_accum, eval_interval=eval_interval, eval_iters=eval_iters,
                      time_budget=time_budget, seed=seed, alpha=alpha, temperature=temperature, precision=precision,
                      clock=budget_clock)
    import torch

    from shuxi.config import load_settings

    threads = threads or load_settings().threads
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    if base is not None:
        config = GPTConfig.from_dict(base.net.config.to_dict() | {"dropout": dropout})
        if resume:
            config = base.net.config
    else:
        config = GPTConfig(vocab_size=tok.vocab_size, block_size=block_size, n_layer=n_layer, n_head=n_head,
                           n_embd=n_embd, dropout=dropout, position=position)
    if teacher_lm is not None and config.block_size > teacher_lm.net.config.block_size:
        raise ConfigError(f"The student's block size {config.block_size} is longer than the teacher's "
                          f"{teacher_lm.net.config.block_size}.", hint="Pass a --block-size no larger than the teacher's.")
    train_ids, val_ids = split_ids(ids, need=config.block_size + 1)
    _prepare_out(out, resume=resume, overwrite=overwrite)
    top = folder
    ngram_lm: LanguageModel | None = None
    if mix_ngram:
        from shuxi.lm.mixture import HELD_OUT_FRACTION, HELD_OUT_MAX
        from shuxi.lm.ngram import KneserNeyLM

        held = min(int(len(train_ids) * HELD_OUT_FRACTION), HELD_OUT_MAX)
        if held < 2 or len(train_ids) - held <= config.block_size:
            raise DataError(f"The corpus is too short to hold out part of its training split for the mixture weight "
                            f"({len(train_ids):,} training tokens).", hint="Use a longer corpus, or drop --mix-ngram.")
        # The held-out slice is the *start* of the training split: its end runs into the validation text, and an
        # n-gram without it loses much (tiny Shakespeare, 7-gram: 1.517 → 1.677 nats/char without the last 5%).
        all_train_ids = train_ids
        held_ids, train_ids = train_ids[:held], train_ids[held:]
        ngram_started = now(budget_clock)
        ngram_lm = LanguageModel(arch="ngram", tokenizer=tok, info=info | {"order": mix_ngram},
                                 net=KneserNeyLM(order=mix_ngram, vocab_size=tok.vocab_size).fit(train_ids))
        ngram_seconds = now(budget_clock) - ngram_started
        folder = top / "gpt"
        folder.mkdir(exist_ok=True)
        if cfg.time_budget is not None:  # the budget covers the n-gram, its refit and the weight's fit too
            spent = now(budget_clock) - start
            if spent + ngram_seconds >= 0.9 * cfg.time_budget:
                raise ConfigError(f"Fitting the n-gram took {spent:.0f} s of the {cfg.time_budget:.0f} s budget.",
                                  hint="Give a larger --time-budget or a smaller --mix-ngram order.")
            cfg = TrainConfig.from_dict(cfg.__dict__ | {"time_budget": 0.99 * cfg.time_budget - spent - 1.1 * ngram_seconds})
    net = GPT(config)
    if init_from is not None and base is not None:
        net.load_state_dict(base.net.state_dict())
    info |= {"train_tokens": int(len(train_ids)), "val_tokens": int(len(val_ids)),
             "training": {k: v for k, v in cfg.__dict__.items()}, "init_from": str(init_from) if init_from else None,
             "teacher": str(teacher) if teacher is not None and not isinstance(teacher, LanguageModel) else None,
             "parameters": net.num_params()}

    def save_best(model: Any, val_loss: float, step: int) -> None:
        LanguageModel(arch="gpt", tokenizer=tok, net=model, info=info | {"best_val_loss": val_loss,
                                                                          "best_step": step}).save(folder)

    result = fit_gpt(net, train_ids, val_ids, cfg, out=folder, save_best=save_best,
                     teacher=teacher_lm.net if teacher_lm else None, resume=resume, progress=progress)
    best = load(folder)
    before_eval = now(budget_clock)
    (val_nll,) = best.sequence_nll([val_ids.tolist()], batch_size=64)
    eval_spent = now(budget_clock) - before_eval
    info |= {"best_val_loss": result.best_val_loss, "best_step": best.info.get("best_step"),
             "val_loss": float(val_nll.mean()), "iters": result.iters, "tokens_per_s": result.tokens_per_s,
             "train_seconds": result.train_seconds, "history": result.history}
    best.info = info
    best.save(folder)
    if ngram_lm is None:
        return best
    from shuxi.lm.mixture import build

    mixture = build(best, ngram_lm, [held_ids.tolist()], info={"val_tokens": int(len(val_ids)),
                                                                "train_tokens": int(len(train_ids))})
    # With λ fitted, the n-gram is counted again over the whole training split (seconds; it only gets better,
    # so the fitted λ errs on the GPT's side).
    ngram_lm.net = KneserNeyLM(order=mix_ngram, vocab_size=tok.vocab_size).fit(all_train_ids)
    # Training = n-gram + GPT + the weight's fit; scoring the validation split is not part of it.
    trained = now(budget_clock) - start - eval_spent
    ngram_lm.info |= {"val_loss": ngram_lm.net.loss(val_ids), "train_tokens": int(len(all_train_ids))}
    ngram_lm.save(top / "ngram")
    (mix_nll,) = mixture.sequence_nll([val_ids.tolist()], batch_size=64)
    mixture.info |= {"val_loss": float(mix_nll.mean()), "parameters": best.num_params, "iters": info["iters"],
                     "tokens_per_s": info["tokens_per_s"], "gpt_val_loss": info["val_loss"],
                     "ngram_val_loss": ngram_lm.info["val_loss"],
                     f"train_{budget_clock}_seconds_total": trained}
    mixture.save(top)  # lm.json last: the folder becomes a mixture only once both parts are in place
    return mixture


def _train_ngram(ids: Any, tok: Any, *, order: int, folder: Path, info: dict[str, Any], started: float,
                 clock: str = "wall") -> LanguageModel:
    from shuxi.lm.corpus import split_ids
    from shuxi.lm.ngram import KneserNeyLM

    train_ids, val_ids = split_ids(ids, need=1)
    net = KneserNeyLM(order=order, vocab_size=tok.vocab_size).fit(train_ids)
    from shuxi.lm.training import now

    fitted = now(clock) - started
    val_loss = net.loss(val_ids)
    info |= {"train_tokens": int(len(train_ids)), "val_tokens": int(len(val_ids)), "order": order,
             "val_loss": val_loss, "train_seconds": fitted}
    lm = LanguageModel(arch="ngram", tokenizer=tok, net=net, info=info)
    lm.save(folder)
    return lm


def distill(teacher: str | Path | LanguageModel, corpus: Any, *, out: str | Path, text: str | None = None,
            n_layer: int | None = None, n_head: int | None = None, n_embd: int | None = None,
            block_size: int | None = None, alpha: float = 0.5, temperature: float = 2.0, **options: Any) -> LanguageModel:
    """Train a smaller GPT (the student) to match ``teacher`` on ``corpus``: loss = α·CE + (1-α)·T²·KL.

    Unset sizes default to half the teacher's layers and embedding width (about a quarter of its parameters);
    the student shares the teacher's tokenizer.
    """
    teacher_lm = _as_model(teacher)
    if teacher_lm.arch != "gpt":
        raise ConfigError("Distillation needs a GPT teacher.", hint="Train one with --arch gpt first.")
    t = teacher_lm.net.config
    n_head = n_head or max(1, t.n_head // 2)
    n_embd = n_embd or max(n_head, (t.n_embd // 2) // n_head * n_head)
    return train(corpus, out=out, text=text, arch="gpt", n_layer=n_layer or max(1, t.n_layer // 2), n_head=n_head,
                 n_embd=n_embd, block_size=block_size or t.block_size, teacher=teacher_lm, alpha=alpha,
                 temperature=temperature, **options)


def evaluate(model: str | Path | LanguageModel, source: Any, *, text: str | None = None) -> dict[str, Any]:
    """Loss (nats per token), perplexity, bits per character and token count on a text file or a table column."""
    from shuxi.lm.corpus import read_corpus

    lm = _as_model(model)
    data = read_corpus(source, text=text)
    if data.kind == "text":
        return lm.evaluate(data.texts[0]) | {"source": data.source}
    start = lm.row_start
    rows = [start + lm.encode(row) for row in data.texts]
    nll = lm.sequence_nll(rows)
    total = float(sum(float(x.sum()) for x in nll))
    tokens = sum(len(x) for x in nll)
    chars = data.characters
    loss = total / max(tokens, 1)
    return {"loss": loss, "perplexity": math.exp(loss), "bits_per_char": total / max(chars, 1) / math.log(2),
            "tokens": tokens, "characters": chars, "arch": lm.arch, "source": data.source}


def generate(model: str | Path | LanguageModel, prompt: str = "", **options: Any) -> str:
    """Text generated after ``prompt`` (options: max_new_tokens, temperature, top_k, top_p, seed, stop, use_cache)."""
    return _as_model(model).generate(prompt, **options)
