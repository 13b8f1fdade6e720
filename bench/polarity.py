"""Does training read the right polarity off sentiment classifiers, and none off classifiers of anything else?

``shuxi text train`` records which class of a two-class classifier is the negative one when the model scores
short sentiment phrases completely apart (:mod:`shuxi.text.polarity`); ``shuxi ask`` then reads "差评" on its 0/1
predictions. A wrong polarity would silently answer the opposite question, so this counts both errors:

- sentiment: the five sets of ``bench/text.py`` (labels 1 = positive, 0 = negative), trained as given and with the
  labels flipped — the polarity must point the right way, and should be found (``--sizes 300 1000`` also trains
  on small random subsets, where a missed polarity is expected and a wrong one is not);
- topics: every pair of the ten categories of online_shopping_10_cats (书籍, 平板, 手机, 水果, …; 45 pairs, the
  label being the category, not the sentiment) — no polarity may be recorded.

Run from the repository root (about a minute per model on 2 cores with tfidf):

    .venv/bin/python bench/polarity.py                 # --model tfidf
    .venv/bin/python bench/polarity.py --sizes 300 1000
    .venv/bin/python bench/polarity.py --model auto --auto-budget 120
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from text import DATA, SETS, load_set  # noqa: E402


def main() -> None:
    from shuxi.text.classifier import train_texts

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="tfidf", choices=["tfidf", "auto", "bilstm"])
    parser.add_argument("--auto-budget", type=float, default=120.0)
    parser.add_argument("--sizes", type=int, nargs="*", default=[],
                        help="also train on random subsets of this many rows (5 seeds each) of every sentiment set")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    budget = args.auto_budget if args.model != "tfidf" else None

    def polarity(texts: list[str], labels: list[int]) -> dict[str, int] | None:
        return train_texts(texts, labels, model=args.model, time_budget=budget).polarity

    right = wrong = missed = 0
    print("| task | training rows | labels | polarity read | verdict |\n|---|---|---|---|---|", flush=True)
    for name in SETS:
        xtr, ytr, _, _ = load_set(name, args.data)
        samples = [(len(xtr), list(range(len(xtr))))] + [
            (n, random.Random(seed).sample(range(len(xtr)), n)) for n in args.sizes if n < len(xtr) for seed in range(5)]
        for n, rows in samples:
            for flipped in (False, True):
                labels = [1 - ytr[i] if flipped else ytr[i] for i in rows]
                truth = {"negative": 1, "positive": 0} if flipped else {"negative": 0, "positive": 1}
                found = polarity([xtr[i] for i in rows], labels)
                verdict = "right" if found == truth else "missed" if found is None else "WRONG"
                right, wrong, missed = (right + (verdict == "right"), wrong + (verdict == "WRONG"),
                                        missed + (verdict == "missed"))
                print(f"| {name} | {n:,} | {'1 = negative' if flipped else '1 = positive'} | {found} | {verdict} |",
                      flush=True)
    with (args.data / "online_shopping_10_cats" / "train.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["review"] and r["review"].strip()]
    categories = sorted({r["cat"] for r in rows})
    false_alarms = 0
    for a, b in itertools.combinations(categories, 2):
        pair = [r for r in rows if r["cat"] in (a, b)]
        found = polarity([r["review"] for r in pair], [int(r["cat"] == b) for r in pair])
        false_alarms += found is not None
        print(f"| topics {a} vs {b} | {len(pair):,} | 1 = {b} | {found} | {'FALSE ALARM' if found else 'right (none)'} |",
              flush=True)
    pairs = len(categories) * (len(categories) - 1) // 2
    print(f"\nsentiment: {right} right, {missed} missed, {wrong} wrong of {right + missed + wrong}; "
          f"topics: {false_alarms} false alarms of {pairs} pairs ({args.model})")


if __name__ == "__main__":
    main()
