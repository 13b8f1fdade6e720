"""``shuxi lm …``: train, evaluate, sample from, distil and score with language models (a thin shell over :mod:`shuxi.lm`)."""

from __future__ import annotations

import json
import math
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from shuxi.cli import TextOrJson, _echo, _guard, command_group

app = command_group(
    "lm",
    "Language models of your own text: n-gram (Kneser–Ney) and GPT. Train, evaluate (perplexity), generate, "
    "fine-tune, distil, and score table rows to find the unusual ones.\n\n"
    "Example: shuxi lm train notes.txt --arch ngram --order 6 --out notes-lm",
)


class Arch(str, Enum):
    ngram = "ngram"
    gpt = "gpt"


class TokenizerKind(str, Enum):
    char = "char"
    bpe = "bpe"


class Precision(str, Enum):
    fp32 = "fp32"
    bf16 = "bf16"


class Clock(str, Enum):
    wall = "wall"
    cpu = "cpu"


class Position(str, Enum):
    learned = "learned"
    sinusoidal = "sinusoidal"


CorpusArg = Annotated[str, typer.Argument(help="A text file, or a table (.csv/.parquet/…) with --text COLUMN.", show_default=False)]
ModelDir = Annotated[Path, typer.Argument(help="A model folder written by `shuxi lm train --out`.", show_default=False)]
TextCol = Annotated[Optional[str], typer.Option("--text", help="The table column that holds the text (for tables only).")]
OutDir = Annotated[Path, typer.Option("--out", help="Folder to write the model into (must be new or empty).", show_default=False)]
NLayer = Annotated[Optional[int], typer.Option("--n-layer", min=1, help="Transformer blocks (default 4; distil: half the teacher's).")]
NHead = Annotated[Optional[int], typer.Option("--n-head", min=1, help="Attention heads per block (default 4).")]
NEmbd = Annotated[Optional[int], typer.Option("--n-embd", min=1, help="Embedding width (default 128).")]
BlockSize = Annotated[Optional[int], typer.Option("--block-size", min=1, help="Context length in tokens (default 64).")]
BatchSize = Annotated[int, typer.Option("--batch-size", min=1, help="Sequences per step.")]
MaxIters = Annotated[int, typer.Option("--max-iters", min=1, help="Optimizer steps.")]
LearningRate = Annotated[float, typer.Option("--lr", help="Peak learning rate (warm-up, then cosine decay to lr/10).")]
Dropout = Annotated[float, typer.Option("--dropout", help="Dropout probability while training.")]
TimeBudget = Annotated[Optional[float], typer.Option("--time-budget", help="Stop after this many seconds (the schedule ends in time).")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same model.")]
Threads = Annotated[Optional[int], typer.Option("--threads", min=1, help="PyTorch threads (default: SHUXI_THREADS or all cores).")]
EvalInterval = Annotated[int, typer.Option("--eval-interval", min=1, help="Steps between validation estimates (best checkpoint kept).")]
GradAccum = Annotated[int, typer.Option("--grad-accum", min=1, help="Micro-batches per optimizer step.")]
Quiet = Annotated[bool, typer.Option("--quiet", help="No progress bar.")]


def _summary(lm: Any, out: Path) -> None:
    info = lm.info
    parts = [f"Saved a {'GPT + n-gram mixture' if lm.arch == 'mix' else lm.arch} model to {out}"]
    if lm.arch == "mix":
        from shuxi.lm.mixture import summary

        parts.append(summary(lm))
        for name in ("gpt_val_loss", "ngram_val_loss"):
            if info.get(name) is not None:
                parts.append(f"{name.split('_')[0].replace('gpt', 'GPT')} alone {info[name]:.4f}")
    elif lm.arch == "gpt":
        parts.append(f"{lm.num_params:,} parameters, {info.get('iters', 0):,} steps, "
                     f"{info.get('tokens_per_s', 0):,.0f} tokens/s")
    else:
        parts.append(f"order {info.get('order')}, {lm.num_params:,} n-grams, fitted in {info.get('train_seconds', 0):.1f} s")
    loss = info.get("val_loss")
    if loss is not None and math.isfinite(loss):
        parts.append(f"validation loss {loss:.4f} nats/token (perplexity {math.exp(loss):.2f}) "
                     f"on the last 10% ({info.get('val_tokens', 0):,} tokens)")
    _echo("; ".join(parts) + ".")


@app.command()
def train(corpus: CorpusArg, out: OutDir,
          text: TextCol = None,
          arch: Annotated[Arch, typer.Option("--arch", help="ngram: Kneser–Ney counts (seconds); gpt: a Transformer.")] = Arch.gpt,
          order: Annotated[int, typer.Option("--order", min=1, help="n-gram order (ngram only).")] = 6,
          tokenizer: Annotated[TokenizerKind, typer.Option("--tokenizer", help="char: one id per character; bpe: byte-pair pieces.")] = TokenizerKind.char,
          vocab_size: Annotated[Optional[int], typer.Option("--vocab-size", min=5, help="BPE vocabulary size (default 2000).")] = None,
          n_layer: NLayer = None, n_head: NHead = None, n_embd: NEmbd = None, block_size: BlockSize = None,
          batch_size: BatchSize = 12, max_iters: MaxIters = 2000, lr: LearningRate = 1e-3, dropout: Dropout = 0.0,
          position: Annotated[Position, typer.Option("--position", help="Position embeddings: learned or sinusoidal.")] = Position.learned,
          time_budget: TimeBudget = None,
          init_from: Annotated[Optional[Path], typer.Option("--init-from", help="Fine-tune this GPT folder on CORPUS (keeps its tokenizer and size).")] = None,
          resume: Annotated[bool, typer.Option("--resume", help="Continue the training run saved in --out.")] = False,
          overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the model already in --out.")] = False,
          eval_interval: EvalInterval = 250, grad_accum: GradAccum = 1, seed: Seed = 1337, threads: Threads = None,
          precision: Annotated[Precision, typer.Option("--precision", help="bf16: bfloat16 autocast, about 2× faster on CPUs with AMX (GPT only).")] = Precision.fp32,
          budget_clock: Annotated[Clock, typer.Option("--budget-clock", help="What --time-budget counts: wall seconds, or CPU seconds of this process (fair on a shared machine).")] = Clock.wall,
          mix_ngram: Annotated[Optional[int], typer.Option("--mix-ngram", min=1, help="Also fit an n-gram of this order and save the GPT + n-gram mixture (weight fitted on held-out training text).")] = None,
          quiet: Quiet = False) -> None:
    """Train a language model on a text file or a table's text column; the last 10% is held out for validation.

    With --mix-ngram N the folder holds a GPT, an order-N n-gram and their mixture weight; eval, generate and
    score then use the mixture.

    Example: shuxi lm train shakespeare.txt --arch gpt --max-iters 2000 --out shakespeare-gpt
    """

    def run() -> None:
        import shuxi.lm

        lm = shuxi.lm.train(corpus, out=out, text=text, arch=arch.value, order=order, tokenizer=tokenizer.value,
                            vocab_size=vocab_size, n_layer=n_layer or 4, n_head=n_head or 4, n_embd=n_embd or 128,
                            block_size=block_size or 64, batch_size=batch_size, max_iters=max_iters, lr=lr,
                            dropout=dropout, position=position.value, time_budget=time_budget, init_from=init_from,
                            resume=resume, overwrite=overwrite, eval_interval=eval_interval, grad_accum=grad_accum,
                            seed=seed, threads=threads, progress=not quiet, precision=precision.value,
                            mix_ngram=mix_ngram, budget_clock=budget_clock.value)
        _summary(lm, out)

    _guard(run)


@app.command()
def mix(gpt: Annotated[Path, typer.Argument(help="A GPT model folder.", show_default=False)],
        ngram: Annotated[Path, typer.Argument(help="An n-gram model folder with the same vocabulary.", show_default=False)],
        out: OutDir,
        fit: Annotated[Optional[str], typer.Option("--fit", help="Held-out text (a file, or a table with --text) neither model trained on; the weight is fitted there.")] = None,
        text: TextCol = None,
        weight: Annotated[Optional[float], typer.Option("--weight", min=0.0, max=1.0, help="Use this weight on the GPT instead of fitting one.")] = None,
        overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the model folder already in --out.")] = False) -> None:
    """Combine a GPT and an n-gram model into one: every next-token distribution is λ·GPT + (1−λ)·n-gram.

    Example: shuxi lm mix shakespeare-gpt shakespeare-7gram --fit heldout.txt --out shakespeare-mix
    """

    def run() -> None:
        import shuxi.lm

        lm = shuxi.lm.mix(gpt, ngram, out=out, fit=fit, text=text, weight=weight, overwrite=overwrite)
        _summary(lm, out)

    _guard(run)


@app.command("eval")
def evaluate(model: ModelDir, source: CorpusArg, text: TextCol = None,
             format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text) -> None:
    """Measure how well a model predicts a text: loss in nats per token, perplexity, bits per character.

    Example: shuxi lm eval shakespeare-gpt sonnets.txt --format json
    """

    def run() -> None:
        import shuxi.lm

        result = shuxi.lm.evaluate(model, source, text=text)
        if format is TextOrJson.json:
            _echo(json.dumps(result, ensure_ascii=False))
        else:
            _echo(f"loss {result['loss']:.4f} nats/token, perplexity {result['perplexity']:.3f}, "
                  f"{result['bits_per_char']:.4f} bits/char over {result['tokens']:,} tokens ({result['arch']} model)")

    _guard(run)


@app.command()
def generate(model: ModelDir,
             prompt: Annotated[str, typer.Option("--prompt", help="Text to continue (default: start afresh).")] = "",
             max_new_tokens: Annotated[int, typer.Option("--max-new-tokens", min=0, help="How many tokens to add.")] = 200,
             temperature: Annotated[float, typer.Option("--temperature", min=0.0, help="0 = greedy; above 1 = more surprising.")] = 1.0,
             top_k: Annotated[Optional[int], typer.Option("--top-k", min=1, help="Sample only among the k likeliest tokens.")] = None,
             top_p: Annotated[Optional[float], typer.Option("--top-p", help="Sample among the likeliest tokens that make up probability p.")] = None,
             stop: Annotated[Optional[list[str]], typer.Option("--stop", help="Stop before this text (repeatable).")] = None,
             seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed: the same seed gives the same text.")] = None,
             no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute the whole context every step (slower).")] = False) -> None:
    """Continue a prompt with text sampled from the model, printed as it is generated.

    Example: shuxi lm generate shakespeare-gpt --prompt "ROMEO:" --max-new-tokens 300 --temperature 0.8 --seed 1
    """

    def run() -> None:
        import shuxi.lm

        lm = shuxi.lm.load(model)
        pieces = lm.stream(prompt, max_new_tokens=max_new_tokens, temperature=temperature, top_k=top_k,
                           top_p=top_p, seed=seed, stop=stop or (), use_cache=not no_cache)
        first = next(pieces, "")  # checks the prompt (unknown characters) before anything is printed
        sys.stdout.write(prompt + first)
        for piece in pieces:
            sys.stdout.write(piece)
            sys.stdout.flush()
        sys.stdout.write("\n")

    _guard(run)


@app.command()
def distill(teacher: Annotated[Path, typer.Argument(help="The GPT folder to learn from.", show_default=False)],
            corpus: CorpusArg, out: OutDir, text: TextCol = None,
            n_layer: NLayer = None, n_head: NHead = None, n_embd: NEmbd = None, block_size: BlockSize = None,
            alpha: Annotated[float, typer.Option("--alpha", help="Weight of the data loss; 1-alpha goes to matching the teacher.")] = 0.5,
            temperature: Annotated[float, typer.Option("--temperature", help="Softening temperature T of both distributions.")] = 2.0,
            batch_size: BatchSize = 12, max_iters: MaxIters = 2000, lr: LearningRate = 1e-3, dropout: Dropout = 0.0,
            time_budget: TimeBudget = None, eval_interval: EvalInterval = 250, seed: Seed = 1337,
            threads: Threads = None, quiet: Quiet = False) -> None:
    """Train a smaller GPT (the student) to imitate a bigger one: loss = α·CE + (1−α)·T²·KL of softened outputs.

    Example: shuxi lm distill shakespeare-gpt shakespeare.txt --n-layer 2 --n-embd 64 --out shakespeare-small
    """

    def run() -> None:
        import shuxi.lm

        lm = shuxi.lm.distill(teacher, corpus, out=out, text=text, n_layer=n_layer, n_head=n_head, n_embd=n_embd,
                              block_size=block_size, alpha=alpha, temperature=temperature, batch_size=batch_size,
                              max_iters=max_iters, lr=lr, dropout=dropout, time_budget=time_budget,
                              eval_interval=eval_interval, seed=seed, threads=threads, progress=not quiet)
        _summary(lm, out)

    _guard(run)


@app.command()
def score(model: ModelDir,
          data: Annotated[str, typer.Argument(help="A table: .csv/.tsv/.json/.parquet/.xlsx, or a folder of Parquet.", show_default=False)],
          text: Annotated[str, typer.Option("--text", help="The column that holds the text to score.", show_default=False)],
          out: Annotated[Path, typer.Option("--out", help="The .parquet file to write (all columns + nll, perplexity, tokens).", show_default=False)],
          overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace --out if it exists.")] = False,
          quiet: Quiet = False) -> None:
    """Add each row's mean negative log-likelihood and perplexity under the model, to find unusual records.

    Example: shuxi lm score reviews-lm reviews.csv --text review --out scored.parquet
    """

    def run() -> None:
        from shuxi.lm.scoring import score as run_score

        result = run_score(model, data, text=text, out=out, overwrite=overwrite, progress=not quiet)
        _echo(f"Scored {result['scored']:,} of {result['rows']:,} rows in {result['seconds']:.1f} s; mean perplexity "
              f"{result['mean_perplexity']:.2f}, highest {result['max_perplexity']:.2f}. Wrote {result['out']}.")

    _guard(run)
