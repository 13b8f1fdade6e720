"""The insight layer on the demo orders: shuxi (statistics computed in DuckDB) vs pandas + scipy on the same data.

Each task is run REPEATS times per contender; the table shows medians and the pandas/shuxi ratio, and every
pair of results is checked equal (r to 1e-9, counts exactly) before any time is printed. pandas' time excludes
reading the Parquet file into memory (reported on its own line): shuxi never loads the table.

    python bench/insight.py                   # 1M demo orders, 5 repeats
    python bench/insight.py --rows 10000000 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent


def _median_seconds(task: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = task()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    import pandas as pd
    from scipy import stats

    import shuxi
    from shuxi.demo import generate_sales
    from shuxi.insight.correlation import correlate
    from shuxi.insight.distribution import histogram
    from shuxi.insight.drivers import rank_drivers

    path = ROOT / "data" / f"insight-{args.rows}" / "sales.parquet"
    if not path.exists():
        generate_sales(path, rows=args.rows)
    started = time.perf_counter()
    frame = pd.read_parquet(path, columns=["region", "channel", "category", "price", "quantity", "revenue", "rating"])
    load = time.perf_counter() - started
    numeric = ["price", "quantity", "rating"]
    categories = ["region", "channel", "category"]

    def pandas_drivers() -> dict[str, float]:
        out = {c: abs(frame[c].corr(frame["revenue"])) for c in numeric}
        y = frame["revenue"]
        total = ((y - y.mean()) ** 2).sum()
        for c in categories:
            g = frame.groupby(c, observed=True)["revenue"].agg(["count", "mean"])
            out[c] = float((g["count"] * (g["mean"] - y.mean()) ** 2).sum() / total)
        return out

    def pandas_spearman() -> float:
        return float(stats.spearmanr(frame["price"], frame["quantity"]).statistic)

    def pandas_histogram() -> list[int]:
        counts, _ = np.histogram(frame["price"], bins=edges)
        return counts.tolist()

    rows = []
    with shuxi.open(path) as ds:
        hist = histogram(ds, "price", bins=20)
        edges = hist.column("bin_start").to_pylist() + [hist.column("bin_end").to_pylist()[-1]]
        tasks: list[tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], bool]]] = [
            ("rank_drivers(revenue)", lambda: rank_drivers(ds, "revenue", columns=numeric + categories), pandas_drivers,
             lambda a, b: all(abs(r["value"] - b[r["column"]]) < 1e-9 for r in a.to_pylist())),
            ("pearson(price, quantity)", lambda: correlate(ds, "price", "quantity"),
             lambda: float(frame["price"].corr(frame["quantity"])), lambda a, b: abs(a.r - b) < 1e-9),
            ("spearman(price, quantity)", lambda: correlate(ds, "price", "quantity", method="spearman"),
             pandas_spearman, lambda a, b: abs(a.r - b) < 1e-9),
            ("histogram(price, 20 bins)", lambda: histogram(ds, "price", bins=20), pandas_histogram,
             lambda a, b: a.column("count").to_pylist() == b),
        ]
        for name, ours, theirs, same in tasks:
            t_ours, r_ours = _median_seconds(ours, args.repeats)
            t_theirs, r_theirs = _median_seconds(theirs, args.repeats)
            if not same(r_ours, r_theirs):
                print(f"{name}: results differ\n  shuxi: {r_ours}\n  pandas: {r_theirs}", file=sys.stderr)
                return 1
            rows.append((name, t_ours, t_theirs))
    print(f"{args.rows:,} demo orders, median of {args.repeats}; pandas read_parquet (7 columns): {load:.2f} s")
    print(f"{'task':<28}{'shuxi (s)':>11}{'pandas (s)':>12}{'pandas/shuxi':>14}")
    for name, t_ours, t_theirs in rows:
        print(f"{name:<28}{t_ours:>11.3f}{t_theirs:>12.3f}{t_theirs / t_ours:>14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
