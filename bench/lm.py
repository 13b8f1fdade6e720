"""Language-model benchmarks (issue 8) on the shared corpora in ../shared/data/lm (first 90% train, last 10% val).

    python bench/lm.py                      # every part (about an hour on 2 busy cores)
    python bench/lm.py --only ngram,gpt-cpu  # some parts: ngram, gpt-cpu, best, generate, distill, chinese
    python bench/lm.py --smoke               # seconds: tiny sizes, checks that every part runs

Parts:
  ngram     character n-gram (interpolated modified Kneser–Ney), validation loss by order 1–8, fit and eval time
  gpt-cpu   nanoGPT's CPU recipe through shuxi.lm.train, and a minimal plain-PyTorch loop of the same model
            written here, interleaved; validation loss and training tokens/s side by side, with the ratio
  best      the best validation loss in a fixed training-time budget (default 900 s)
  generate  generation tokens/s with and without the KV cache
  distill   a student of about a quarter of the teacher's parameters, distilled vs trained alone, same steps
  chinese   song_ci_simp at character level: n-gram and GPT losses, and samples

Every run appends its numbers to bench/out/lm-<part>-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SHUXI_LM_DATA", ROOT.parent / "shared" / "data" / "lm"))
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))


def log(*args: Any) -> None:
    print(*args, flush=True)


def record(part: str, payload: dict[str, Any]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    payload = {"part": part, "time": stamp, "load_avg": os.getloadavg(), **payload}
    (OUT / f"lm-{part}-{stamp}.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False))


def corpus(name: str, smoke: bool) -> str:
    text = (DATA / name).read_text(encoding="utf-8")
    return text[:60_000] if smoke else text


def ids_of(text: str) -> tuple[Any, Any, Any]:
    import numpy as np

    from shuxi.text.tokenizers import CharTokenizer

    tok = CharTokenizer(oov=False).fit([text])
    ids = np.asarray(tok.encode(text), dtype=np.int64)
    cut = int(0.9 * len(ids))
    return tok, ids[:cut], ids[cut:]


# -- 1. n-gram ---------------------------------------------------------------------------------------


def bench_ngram(args: argparse.Namespace, name: str = "tinyshakespeare.txt", orders: range = range(1, 9)) -> dict[str, Any]:
    from shuxi.lm.ngram import KneserNeyLM

    tok, train, val = ids_of(corpus(name, args.smoke))
    rows = []
    log(f"\n[ngram] {name}: {len(train):,} train / {len(val):,} val characters, vocabulary {tok.vocab_size}")
    log(f"{'order':>5} {'val loss (nats/char)':>21} {'bits/char':>9} {'fit s':>7} {'eval s':>7} {'n-grams':>10}")
    for order in orders:
        started = time.perf_counter()
        lm = KneserNeyLM(order=order, vocab_size=tok.vocab_size).fit(train)
        fit = time.perf_counter() - started
        started = time.perf_counter()
        loss = lm.loss(val)
        ev = time.perf_counter() - started
        grams = sum(len(k) for k in lm.keys_)
        rows.append({"order": order, "val_loss": loss, "fit_s": fit, "eval_s": ev, "ngrams": grams})
        log(f"{order:>5} {loss:>21.4f} {loss / math.log(2):>9.3f} {fit:>7.2f} {ev:>7.2f} {grams:>10,}")
    best = min(rows, key=lambda r: r["val_loss"])
    reference = " (reference: interpolated KN 6-gram 1.54)" if name == "tinyshakespeare.txt" else ""
    log(f"best: order {best['order']}, {best['val_loss']:.4f} nats/char{reference}")
    result = {"corpus": name, "rows": rows, "best": best}
    record("ngram", result)
    return result


# -- 2. nanoGPT CPU recipe vs a plain PyTorch loop ---------------------------------------------------

RECIPE = dict(n_layer=4, n_head=4, n_embd=128, block_size=64, batch_size=12, max_iters=2000, lr=1e-3, dropout=0.0,
              warmup_iters=100, eval_interval=250, eval_iters=20)


def reference_loop(train: Any, val: Any, vocab: int, *, iters: int, seed: int, recipe: dict[str, Any]) -> dict[str, float]:
    """nanoGPT's model and loop, written plainly: what a user would write by hand."""
    import torch
    import torch.nn as nn
    from torch.nn import functional as F

    C, H, L, T, B = recipe["n_embd"], recipe["n_head"], recipe["n_layer"], recipe["block_size"], recipe["batch_size"]

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
            self.qkv, self.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
            self.fc, self.out = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            b, t, c = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(c, dim=2)
            q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
            x = x + self.proj(y)
            return x + self.out(F.gelu(self.fc(self.ln2(x))))

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wte, self.wpe = nn.Embedding(vocab, C), nn.Embedding(T, C)
            self.blocks = nn.Sequential(*[Block() for _ in range(L)])
            self.ln, self.head = nn.LayerNorm(C), nn.Linear(C, vocab, bias=False)
            self.head.weight = self.wte.weight

        def forward(self, idx: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
            logits = self.head(self.ln(self.blocks(x)))
            return F.cross_entropy(logits.view(-1, vocab), targets.view(-1))

    torch.manual_seed(seed)
    model = Model()
    opt = torch.optim.AdamW(model.parameters(), lr=recipe["lr"], betas=(0.9, 0.99), weight_decay=0.1)
    data, vdata = torch.from_numpy(train), torch.from_numpy(val)

    def batch(src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        i = torch.randint(len(src) - T, (B,))
        return torch.stack([src[j : j + T] for j in i]), torch.stack([src[j + 1 : j + T + 1] for j in i])

    spent = 0.0
    for it in range(iters):
        lr = recipe["lr"] * min(1.0, (it + 1) / (recipe["warmup_iters"] + 1))
        if it >= recipe["warmup_iters"]:
            ratio = (it - recipe["warmup_iters"]) / max(iters - recipe["warmup_iters"], 1)
            lr = recipe["lr"] / 10 + 0.5 * (1 + math.cos(math.pi * ratio)) * (recipe["lr"] - recipe["lr"] / 10)
        for g in opt.param_groups:
            g["lr"] = lr
        tick = time.perf_counter()
        x, y = batch(data)
        loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        spent += time.perf_counter() - tick
    model.eval()
    with torch.no_grad():
        windows = [(vdata[i : i + T], vdata[i + 1 : i + T + 1]) for i in range(0, len(vdata) - T - 1, T)]
        losses = [float(model(torch.stack([w[0] for w in windows[j : j + 64]]), torch.stack([w[1] for w in windows[j : j + 64]])))
                  * len(windows[j : j + 64]) for j in range(0, len(windows), 64)]
    return {"tokens_per_s": iters * B * T / spent, "val_loss": sum(losses) / len(windows), "train_seconds": spent}


def bench_gpt_cpu(args: argparse.Namespace) -> dict[str, Any]:
    import shuxi.lm

    text = corpus("tinyshakespeare.txt", args.smoke)
    tok, train, val = ids_of(text)
    recipe = dict(RECIPE)
    if args.smoke:
        recipe.update(max_iters=30, eval_interval=15, eval_iters=2)
    work = Path(tempfile.mkdtemp(prefix="shuxi-lm-bench-"))
    (work / "corpus.txt").write_text(text, encoding="utf-8")
    log(f"\n[gpt-cpu] nanoGPT CPU recipe {recipe}, threads={args.threads}")
    # Speed: short interleaved rounds, so both see the same machine load.
    rounds, iters = (1, 10) if args.smoke else (args.rounds, 60)
    ours_tps, ref_tps = [], []
    for r in range(rounds):
        lm = shuxi.lm.train(work / "corpus.txt", out=work / f"speed{r}", arch="gpt", progress=False, threads=args.threads,
                            **(recipe | {"max_iters": iters, "eval_interval": 10**9, "eval_iters": 1, "warmup_iters": 10}))
        ours_tps.append(lm.info["tokens_per_s"])
        ref_tps.append(reference_loop(train, val[:5000], tok.vocab_size, iters=iters, seed=r, recipe=recipe)["tokens_per_s"])
        log(f"  round {r + 1}: shuxi {ours_tps[-1]:,.0f} tok/s, reference {ref_tps[-1]:,.0f} tok/s")
    ratio = statistics.median(ours_tps) / statistics.median(ref_tps)
    log(f"speed: shuxi median {statistics.median(ours_tps):,.0f} tok/s, reference median "
        f"{statistics.median(ref_tps):,.0f} tok/s, ratio {ratio:.3f}")
    # Quality: the whole recipe once each.
    started = time.perf_counter()
    lm = shuxi.lm.train(work / "corpus.txt", out=work / "recipe", arch="gpt", progress=not args.quiet,
                        threads=args.threads, **recipe)
    wall = time.perf_counter() - started
    ref = (reference_loop(train, val, tok.vocab_size, iters=recipe["max_iters"], seed=1337, recipe=recipe)
           if args.ref_full or args.smoke else {"val_loss": math.nan, "tokens_per_s": math.nan})
    log(f"shuxi: {lm.num_params:,} parameters, val loss {lm.info['val_loss']:.4f} (best-checkpoint estimate "
        f"{lm.info['best_val_loss']:.4f} at step {lm.info['best_step']}), {lm.info['tokens_per_s']:,.0f} tok/s, "
        f"{wall:.0f} s wall")
    log(f"reference loop: val loss {ref['val_loss']:.4f}, {ref['tokens_per_s']:,.0f} tok/s; nanoGPT reports ≈ 1.88")
    result = {"recipe": recipe, "threads": args.threads, "ours_tps": ours_tps, "ref_tps": ref_tps, "ratio": ratio,
              "ours_val_loss": lm.info["val_loss"], "ours_best_estimate": lm.info["best_val_loss"],
              "ours_full_run_tps": lm.info["tokens_per_s"], "ref_val_loss": ref["val_loss"],
              "ref_full_run_tps": ref["tokens_per_s"], "params": lm.num_params, "wall_s": wall,
              "model_dir": str(work / "recipe")}
    record("gpt-cpu", result)
    return result


# -- 3. best loss in a time budget ---------------------------------------------------------------------


def bench_best(args: argparse.Namespace) -> dict[str, Any]:
    """A GPT and an n-gram trained together in the budget, and their mixture (``--mix-ngram``); both reported."""
    import shuxi.lm

    text = corpus("tinyshakespeare.txt", args.smoke)
    work = Path(tempfile.mkdtemp(prefix="shuxi-lm-best-"))
    (work / "corpus.txt").write_text(text, encoding="utf-8")
    budget = 20 if args.smoke else args.budget
    # bf16 autocast doubles the matrix-product speed on this AMX CPU; a 4 × 192 model with block 128 is about
    # compute-optimal for ~10¹⁴ FLOPs (Chinchilla: ~1–2M parameters for this budget).
    config = dict(n_layer=args.best_layers, n_head=4, n_embd=args.best_embd, block_size=args.best_block,
                  batch_size=args.best_batch, lr=args.best_lr, dropout=0.0, max_iters=10**6, warmup_iters=100,
                  eval_interval=500, eval_iters=10, time_budget=budget, precision=args.precision,
                  budget_clock=args.clock, mix_ngram=args.mix_order or None)
    if args.smoke:
        config.update(n_embd=64, block_size=64, batch_size=12, eval_interval=20, eval_iters=2)
    log(f"\n[best] {budget} {args.clock} seconds of training (n-gram + GPT + mixture weight): {config}, "
        f"threads={args.threads}, load {os.getloadavg()}")
    wall, cpu = time.perf_counter(), time.process_time()
    lm = shuxi.lm.train(work / "corpus.txt", out=work / "best", arch="gpt", progress=not args.quiet,
                        threads=args.threads, **config)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    info = lm.info
    gpt = shuxi.lm.load(work / "best" / "gpt") if lm.arch == "mix" else lm
    g = gpt.info
    log(f"GPT alone: val loss {g['val_loss']:.4f} (full validation split, best checkpoint at step {g['best_step']}); "
        f"{gpt.num_params:,} parameters, {g['iters']:,} iterations, {g['tokens_per_s']:,.0f} tok/s, "
        f"{g['train_seconds']:.0f} s in training steps")
    result: dict[str, Any] = {"config": config, "threads": args.threads, "gpt_val_loss": g["val_loss"],
                              "params": gpt.num_params, "iters": g["iters"], "tokens_per_s": g["tokens_per_s"],
                              "history": g["history"], "call_wall_s": wall, "call_cpu_s": cpu,
                              "model_dir": str(work / "best" / "gpt" if lm.arch == "mix" else work / "best")}
    if lm.arch == "mix":
        m = info["mixture"]
        log(f"n-gram (order {args.mix_order}) alone: val loss {info['ngram_val_loss']:.4f}")
        log(f"mixture: val loss {info['val_loss']:.4f}, weight {m['weight']:.3f} on the GPT (fitted on "
            f"{m['held_out_tokens']:,} held-out training tokens: GPT {m['held_out_loss_gpt']:.4f}, n-gram "
            f"{m['held_out_loss_ngram']:.4f}, mixture {m['held_out_loss_mix']:.4f})")
        total = info[f"train_{args.clock}_seconds_total"]
        log(f"training in all: {total:.0f} {args.clock} s of the {budget:.0f} s budget; the call took {wall:.0f} s "
            f"wall and {cpu:.0f} CPU s (validation scoring included)")
        result |= {"mix_val_loss": info["val_loss"], "ngram_val_loss": info["ngram_val_loss"], "mixture": m,
                   "train_seconds_total": total, "mix_dir": str(work / "best")}
        result["mix_sample"] = lm.generate("\n", max_new_tokens=300, temperature=0.8, seed=1)
        log("mixture sample:\n" + result["mix_sample"])
    result["sample"] = gpt.generate("\n", max_new_tokens=300, temperature=0.8, seed=1)
    log("GPT sample:\n" + result["sample"])
    result["load_avg_end"] = os.getloadavg()
    record("best", result)
    return result


# -- 4. generation speed -------------------------------------------------------------------------------


def bench_generate(args: argparse.Namespace, model_dir: str | None = None) -> dict[str, Any]:
    import shuxi.lm

    if model_dir is None:
        work = Path(tempfile.mkdtemp(prefix="shuxi-lm-gen-"))
        (work / "corpus.txt").write_text(corpus("tinyshakespeare.txt", True), encoding="utf-8")
        shuxi.lm.train(work / "corpus.txt", out=work / "m", arch="gpt", progress=False, max_iters=20, eval_interval=10,
                       eval_iters=2, n_layer=4, n_head=4, n_embd=128, block_size=256, threads=args.threads)
        model_dir = str(work / "m")
    lm = shuxi.lm.load(model_dir)
    n = 50 if args.smoke else 500
    rows = {}
    for cached in (True, False, True, False):
        started = time.perf_counter()
        lm.generate("ROMEO:", max_new_tokens=n, temperature=1.0, seed=1, use_cache=cached)
        rows.setdefault("cache" if cached else "no cache", []).append(n / (time.perf_counter() - started))
    med = {k: statistics.median(v) for k, v in rows.items()}
    log(f"\n[generate] {lm.net.config.n_layer}×{lm.net.config.n_embd}, block {lm.net.config.block_size}, {n} tokens: "
        f"KV cache {med['cache']:,.0f} tok/s, no cache {med['no cache']:,.0f} tok/s, "
        f"ratio {med['cache'] / med['no cache']:.2f}")
    result = {"model": model_dir, "block_size": lm.net.config.block_size, "tokens": n, "runs": rows, "median": med}
    record("generate", result)
    return result


# -- 5. distillation -------------------------------------------------------------------------------------


def bench_distill(args: argparse.Namespace, teacher_dir: str | None) -> dict[str, Any]:
    import shuxi.lm

    text = corpus("tinyshakespeare.txt", args.smoke)
    work = Path(tempfile.mkdtemp(prefix="shuxi-lm-distill-"))
    (work / "corpus.txt").write_text(text, encoding="utf-8")
    if teacher_dir is None:
        shuxi.lm.train(work / "corpus.txt", out=work / "teacher", arch="gpt", progress=False, threads=args.threads,
                       **(RECIPE | ({"max_iters": 30, "eval_interval": 15, "eval_iters": 2} if args.smoke else {})))
        teacher_dir = str(work / "teacher")
    teacher = shuxi.lm.load(teacher_dir)
    iters = 30 if args.smoke else args.distill_iters
    student = dict(n_layer=2, n_head=4, n_embd=96, block_size=teacher.net.config.block_size, batch_size=12,
                   max_iters=iters, lr=1e-3, warmup_iters=min(100, iters), eval_interval=max(iters // 4, 1),
                   eval_iters=20, seed=7, progress=False, threads=args.threads)
    started = time.perf_counter()
    distilled = shuxi.lm.distill(teacher, work / "corpus.txt", out=work / "distilled", alpha=args.alpha,
                                 temperature=args.temperature, **student)
    t_distil = time.perf_counter() - started
    started = time.perf_counter()
    alone = shuxi.lm.train(work / "corpus.txt", out=work / "alone", arch="gpt", **student)
    t_alone = time.perf_counter() - started
    ratio = distilled.num_params / teacher.num_params
    log(f"\n[distill] teacher {teacher.num_params:,} params (val {teacher.info['val_loss']:.4f}); student "
        f"{distilled.num_params:,} params ({ratio:.0%}), {iters} steps, α={args.alpha}, T={args.temperature}")
    log(f"  distilled: val loss {distilled.info['val_loss']:.4f} ({t_distil:.0f} s); alone: val loss "
        f"{alone.info['val_loss']:.4f} ({t_alone:.0f} s)")
    result = {"teacher": teacher_dir, "teacher_params": teacher.num_params, "teacher_val_loss": teacher.info["val_loss"],
              "student_params": distilled.num_params, "iters": iters, "alpha": args.alpha,
              "temperature": args.temperature, "distilled_val_loss": distilled.info["val_loss"],
              "alone_val_loss": alone.info["val_loss"], "distill_s": t_distil, "alone_s": t_alone}
    record("distill", result)
    return result


# -- 6. Chinese ---------------------------------------------------------------------------------------------


def bench_chinese(args: argparse.Namespace) -> dict[str, Any]:
    import shuxi.lm

    ngram = bench_ngram(args, name="song_ci_simp.txt", orders=range(1, 7))
    text = corpus("song_ci_simp.txt", args.smoke)
    work = Path(tempfile.mkdtemp(prefix="shuxi-lm-zh-"))
    (work / "corpus.txt").write_text(text, encoding="utf-8")
    budget = 20 if args.smoke else args.zh_budget
    config = dict(n_layer=4, n_head=4, n_embd=128, block_size=64, batch_size=12, lr=2e-3, max_iters=10**6,
                  eval_interval=250, eval_iters=10, time_budget=budget)
    lm = shuxi.lm.train(work / "corpus.txt", out=work / "gpt", arch="gpt", progress=not args.quiet,
                        threads=args.threads, **config)
    best_order = ngram["best"]["order"]
    ng = shuxi.lm.train(work / "corpus.txt", out=work / "ngram", arch="ngram", order=best_order, progress=False)
    samples = {"gpt": lm.generate("东风", max_new_tokens=80, temperature=0.8, seed=1),
               f"ngram{best_order}": ng.generate("东风", max_new_tokens=80, temperature=0.8, seed=1)}
    log(f"\n[chinese] GPT ({lm.num_params:,} params, {budget} s, {lm.info['iters']} iters): val loss "
        f"{lm.info['val_loss']:.4f} nats/char; n-gram order {best_order}: {ngram['best']['val_loss']:.4f}")
    for name, s in samples.items():
        log(f"  {name}: 东风{s}")
    result = {"ngram": ngram, "gpt_val_loss": lm.info["val_loss"], "gpt_params": lm.num_params,
              "gpt_iters": lm.info["iters"], "gpt_config": config, "samples": samples}
    record("chinese", result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="ngram,gpt-cpu,generate,distill,chinese,best")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--threads", type=int, default=1, help="PyTorch threads (1 is fastest on a busy 2-core box)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ref-full", action="store_true", help="also run the reference loop for the whole recipe")
    parser.add_argument("--budget", type=float, default=900.0, help="seconds of training for part 'best'")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="cpu",
                        help="what --budget counts (part 'best'): CPU seconds are fair on a shared machine")
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="bf16", help="part 'best' GPT precision")
    parser.add_argument("--mix-order", type=int, default=7, help="n-gram order mixed in (part 'best'); 0 = GPT alone")
    parser.add_argument("--best-layers", type=int, default=4)
    parser.add_argument("--best-embd", type=int, default=192)
    parser.add_argument("--best-block", type=int, default=128)
    parser.add_argument("--best-batch", type=int, default=32)
    parser.add_argument("--best-lr", type=float, default=2e-3)
    parser.add_argument("--zh-budget", type=float, default=300.0, help="seconds of GPT training on the Chinese corpus")
    parser.add_argument("--distill-iters", type=int, default=600)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--temperature", type=float, default=2.0)
    parser.add_argument("--teacher", default=None, help="a GPT folder to distil from (default: part gpt-cpu's model)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    parts = args.only.split(",")
    teacher = args.teacher
    if "ngram" in parts:
        bench_ngram(args)
    if "gpt-cpu" in parts:
        teacher = teacher or bench_gpt_cpu(args)["model_dir"]
    if "generate" in parts:
        bench_generate(args, teacher)
    if "distill" in parts:
        bench_distill(args, teacher)
    if "chinese" in parts:
        bench_chinese(args)
    if "best" in parts:
        best = bench_best(args)
        if "generate" in parts:
            bench_generate(args, best["model_dir"])


if __name__ == "__main__":
    main()
