"""Text classification benchmark: TF-IDF + LR baseline vs shuxi's models, same split, same run.

For each data set in ../shared/data/text (see its README for provenance and licences):

- chnsenticorp_htl_all, waimai_10k, online_shopping_10_cats: a stratified 20% split (seed 42) of the given train.csv
  is the test set; the label is the sentiment column ``label``;
- imdb: train.csv.gz → val.csv.gz;  sst2: train.txt → dev.txt.

For each model it prints accuracy, macro-F1, training seconds and inference docs/s (predict over the test set, one
process; torch uses SHUXI_THREADS threads, default 1) — by the wall clock and per second of the process's own CPU
time, which stays meaningful when other jobs share the cores. Run from the repository root:

    .venv/bin/python bench/text.py                                  # every set, tfidf + auto
    .venv/bin/python bench/text.py --sets chnsenticorp_htl_all imdb --models tfidf auto bilstm transformer \\
        --neural-budget 300 --json bench/text-results.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any


ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "text"
SETS = ["chnsenticorp_htl_all", "waimai_10k", "online_shopping_10_cats", "imdb", "sst2"]
MODELS = ["tfidf", "auto", "bilstm", "transformer"]


def load_set(name: str, data: Path) -> tuple[list[str], list[int], list[str], list[int]]:
    """(train texts, train labels, test texts, test labels) for one data set."""
    import csv

    if name == "sst2":
        def read(path: Path) -> tuple[list[str], list[int]]:
            texts, labels = [], []
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    label, text = line.split(" ", 1)
                    texts.append(text)
                    labels.append(int(label))
            return texts, labels

        return (*read(data / "sst2" / "train.txt"), *read(data / "sst2" / "dev.txt"))  # type: ignore[return-value]
    if name == "imdb":
        def read_gz(path: Path) -> tuple[list[str], list[int]]:
            with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
            return [r["review"] for r in rows], [int(r["label"]) for r in rows]

        train, val = read_gz(data / "imdb" / "train.csv.gz"), read_gz(data / "imdb" / "val.csv.gz")
        return (*train, *val)  # type: ignore[return-value]
    from sklearn.model_selection import train_test_split

    with (data / name / "train.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["review"] is not None and r["review"].strip()]
    texts = [r["review"] for r in rows]
    labels = [int(r["label"]) for r in rows]
    xtr, xte, ytr, yte = train_test_split(texts, labels, test_size=0.2, stratify=labels, random_state=42)
    return xtr, ytr, xte, yte


def run_one(name: str, model: str, split: tuple[list[str], list[int], list[str], list[int]], *,
            auto_budget: float, neural_budget: float) -> dict[str, Any]:
    from sklearn.metrics import f1_score

    from shuxi.text.classifier import train_texts

    xtr, ytr, xte, yte = split
    budget = auto_budget if model == "auto" else neural_budget if model in ("bilstm", "transformer") else None
    started = time.perf_counter()
    clf = train_texts(xtr, ytr, model=model, time_budget=budget, progress=sys.stderr.isatty())  # type: ignore[arg-type]
    train_s = time.perf_counter() - started
    clf.predict_proba(xte[:200])  # warm-up (lazy imports, caches)
    started, cpu_started = time.perf_counter(), time.process_time()
    pred = clf.predict(xte)
    infer_s, infer_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    accuracy = sum(p == y for p, y in zip(pred, yte)) / len(yte)
    result = {"set": name, "model": model, "kind": clf.kind, "train_rows": len(xtr), "test_rows": len(xte),
              "accuracy": round(accuracy, 4), "macro_f1": round(float(f1_score(yte, pred, average="macro")), 4),
              "train_s": round(train_s, 1), "docs_per_s": round(len(xte) / infer_s),
              "docs_per_cpu_s": round(len(xte) / infer_cpu_s),
              "budget_s": budget, "chosen": clf.info.get("chosen"),
              "epochs": len(clf.info.get("history", [])) or None, "polarity": clf.polarity}
    if model == "auto":
        result["candidates"] = clf.info.get("candidates")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=SETS, choices=SETS)
    parser.add_argument("--models", nargs="+", default=["tfidf", "auto"], choices=MODELS)
    parser.add_argument("--auto-budget", type=float, default=300.0, help="seconds for model=auto (the default)")
    parser.add_argument("--neural-budget", type=float, default=300.0, help="seconds for bilstm / transformer")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", type=Path, help="append one JSON line per result here")
    args = parser.parse_args()
    import torch

    print(f"# {platform.node()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} · "
          f"torch threads {os.environ.get('SHUXI_THREADS', '1')} · torch {torch.__version__}", flush=True)
    print("| set | model | accuracy | macro-F1 | train s | docs/s (wall) | docs/CPU-s | notes |", flush=True)
    print("|---|---|---|---|---|---|---|---|", flush=True)
    for name in args.sets:
        split = load_set(name, args.data)
        for model in args.models:
            r = run_one(name, model, split, auto_budget=args.auto_budget, neural_budget=args.neural_budget)
            notes = r["chosen"] or (f"{r['epochs']} epochs, budget {r['budget_s']:g} s" if r["epochs"] else "")
            print(f"| {name} | {model} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | {r['train_s']:.1f} | "
                  f"{r['docs_per_s']:,} | {r['docs_per_cpu_s']:,} | {notes} |", flush=True)
            if args.json:
                with args.json.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({**r, "load": os.getloadavg()[0]}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
