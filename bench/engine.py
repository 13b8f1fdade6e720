"""The seed analysis side by side: shuxi (Plan → SQL → DuckDB), the same SQL in raw DuckDB, pandas, Polars.

The seed analysis is the two Plans of :func:`shuxi.demo.seed_plans`: price tiers (tertiles of the distinct
prices; per tier the number of orders and the mean and sample variance of quantity) and the price–quantity
Pearson correlation with its n. Every contender runs it on the same demo Parquet file, each run in a fresh
subprocess so that its peak memory (the process's own high-water RSS, ``VmHWM``) belongs to it alone. Runs are
interleaved round by round (the starting contender rotates) to spread the machine's noise, and medians are
reported with their ratio to raw DuckDB. Every contender's numbers must equal shuxi's (counts exactly, floats
within 1e-9 relative) or the script stops with exit code 1.

Inside a run the child times three phases, all in the same process:

* ``import``  – importing what the contender needs (shuxi imports DuckDB, pyarrow and sqlglot lazily, so
  for shuxi this phase is ``import shuxi`` + the Plan model; the rest lands in ``open``);
* ``open``    – ``shuxi.open`` / ``duckdb.connect`` + a view over ``read_parquet`` / ``pd.read_parquet`` /
  ``pl.scan_parquet``;
* ``query``   – both analyses, up to an in-memory result (Arrow table or DataFrame).

``end-to-end`` is the sum: what a user waits for in a fresh Python process, Python's own start-up excluded.

    python bench/engine.py                                   # 10M rows, 5 repeats, all four
    python bench/engine.py --rows 100000000 --memory-limit 4GB --only shuxi,duckdb --repeats 3
    python bench/engine.py --smoke                           # a few seconds; correctness only

Targets (judged unless ``--smoke``): shuxi ≤ 1.10× raw DuckDB end-to-end and query time, ≤ 1.2× its peak
memory; pandas slower end-to-end than shuxi. ``--strict`` turns a missed target into exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CONTENDERS = ("shuxi", "duckdb", "pandas", "polars")
#: Diagnostic contenders, run only when named in --only: shuxi without its type inference of text columns.
EXTRA = ("shuxi-noinfer",)
#: The library each contender needs beyond the standard library (checked before running).
NEEDS = {"shuxi": "duckdb", "shuxi-noinfer": "duckdb", "duckdb": "duckdb", "pandas": "pandas", "polars": "polars"}
TIER_LABELS = ("low", "middle", "high")
REL_TOL = 1e-9
TIME_RATIO_TARGET = 1.10
MEMORY_RATIO_TARGET = 1.2
SMOKE_ROWS = 20_000


# ---------------------------------------------------------------------------------------------------
# The children: one function per contender. Each marks its phases with lap() and returns its results in
# one shape: {"tiers": {label: [orders, mean, var]}, "correlation": [r, n]}. Only the standard library is
# imported at module level, so a child pays for its own imports alone.
# ---------------------------------------------------------------------------------------------------


def _proc_status_mb(field: str) -> float:
    """A memory line of /proc/self/status in MB ("VmRSS" now, "VmHWM" the peak); NaN where /proc is missing."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


_SETTINGS_SQL = "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory_limit"


def _arrow_results(tiers: Any, correlation: Any) -> dict[str, Any]:
    rows = tiers.to_pylist()
    corr = correlation.to_pylist()[0]
    return {
        "tiers": {r["price_tier"]: [r["orders"], r["mean_quantity"], r["var_quantity"]] for r in rows},
        "correlation": [corr["r"], corr["n"]],
    }


def child_shuxi(spec: dict[str, Any], lap: Any, *, infer_types: bool = True) -> dict[str, Any]:
    import shuxi
    from shuxi.plan.ir import Plan

    lap("import")
    # Threads and the memory limit come from SHUXI_THREADS / SHUXI_MEMORY_LIMIT, as for any user.
    ds = shuxi.open(spec["path"], infer_types=infer_types)
    # The Plans of shuxi.demo.seed_plans, built by the parent and handed over as JSON (as a service would).
    tiers_plan, corr_plan = (Plan.model_validate_json(p) for p in spec["plans"])
    lap("open")
    tiers = ds.run(tiers_plan)
    correlation = ds.run(corr_plan)
    lap("query")
    # Not timed: the settings DuckDB really ran with, so a memory-limit run shows the limit took effect.
    settings = ds.engine.execute(_SETTINGS_SQL).to_pylist()[0]
    return {**_arrow_results(tiers, correlation), "settings": settings}


def child_duckdb(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    import duckdb
    import pyarrow  # noqa: F401 - the result is an Arrow table, as shuxi's is; import it here, not mid-query

    lap("import")
    con = duckdb.connect()
    con.execute(f"SET threads = {int(spec['threads'])}")
    con.execute(f"SET temp_directory = '{spec['spill_dir']}'")  # shuxi, too, always names a spill folder
    if spec["memory_limit"]:
        con.execute(f"SET memory_limit = '{spec['memory_limit']}'")
    path = spec["path"].replace("'", "''")
    con.execute(f'CREATE VIEW "{spec["table"]}" AS SELECT * FROM read_parquet(\'{path}\')')
    lap("open")
    tiers = con.sql(spec["sql"][0]).to_arrow_table()
    correlation = con.sql(spec["sql"][1]).to_arrow_table()
    lap("query")
    settings = con.sql(_SETTINGS_SQL).to_arrow_table().to_pylist()[0]
    return {**_arrow_results(tiers, correlation), "settings": settings}


def child_pandas(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    import pyarrow

    lap("import")
    pyarrow.set_cpu_count(int(spec["threads"]))  # pandas reads Parquet through pyarrow's thread pool
    df = pd.read_parquet(spec["path"], columns=["price", "quantity"])
    lap("open")
    c1, c2 = np.quantile(df["price"].dropna().unique(), [1 / 3, 2 / 3])
    tier = pd.cut(df["price"], [-np.inf, c1, c2, np.inf], labels=list(TIER_LABELS))  # right-closed: ≤ c1, ≤ c2
    tiers = df.groupby(tier, observed=True, dropna=False)["quantity"].agg(["size", "mean", "var"])
    pairs = df[["price", "quantity"]].dropna()
    r, n = pairs["price"].corr(pairs["quantity"]), len(pairs)
    lap("query")
    return {
        "tiers": {str(label): [int(row["size"]), float(row["mean"]), float(row["var"])]
                  for label, row in tiers.iterrows()},
        "correlation": [float(r), int(n)],
    }


def child_polars(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    import polars as pl  # POLARS_MAX_THREADS is set by the parent before this import

    lap("import")
    lf = pl.scan_parquet(spec["path"]).select("price", "quantity")
    lap("open")
    price = pl.col("price")
    distinct = price.drop_nulls().unique()
    c1, c2 = distinct.quantile(1 / 3, interpolation="linear"), distinct.quantile(2 / 3, interpolation="linear")
    tier = (pl.when(price <= c1).then(pl.lit("low"))
            .when(price <= c2).then(pl.lit("middle"))
            .when(price > c2).then(pl.lit("high")))
    tiers_q = (lf.with_columns(tier.alias("price_tier"))
               .group_by("price_tier")
               .agg(pl.len().alias("orders"), pl.col("quantity").mean().alias("mean_quantity"),
                    pl.col("quantity").var().alias("var_quantity")))
    corr_q = lf.drop_nulls(["price", "quantity"]).select(pl.corr("price", "quantity").alias("r"), pl.len().alias("n"))
    tiers, correlation = pl.collect_all([tiers_q, corr_q])
    lap("query")
    return {
        "tiers": {label: [orders, mean, var] for label, orders, mean, var in tiers.rows()},
        "correlation": [correlation["r"][0], correlation["n"][0]],
    }


def child_shuxi_noinfer(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    return child_shuxi(spec, lap, infer_types=False)


CHILDREN = {"shuxi": child_shuxi, "shuxi-noinfer": child_shuxi_noinfer, "duckdb": child_duckdb,
            "pandas": child_pandas, "polars": child_polars}


def run_child(name: str) -> None:
    """Entry point of a child process: read the spec from stdin, run, print one JSON line."""
    spec = json.loads(sys.stdin.read())
    laps: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rss: dict[str, float] = {}
    last, last_cpu = time.perf_counter(), time.process_time()

    def lap(phase: str) -> None:
        nonlocal last, last_cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        laps[phase], cpu[phase] = now - last, now_cpu - last_cpu
        rss[phase] = _proc_status_mb("VmRSS")
        last, last_cpu = now, now_cpu

    results = CHILDREN[name](spec, lap)
    # The peak of this process's own address space. Not ru_maxrss: Linux carries the forking parent's peak
    # across exec into the child's ru_maxrss, so every child would report at least the parent's size.
    print(json.dumps({"times": laps, "cpu": cpu, "rss_after_mb": rss, "results": results,
                      "peak_rss_mb": _proc_status_mb("VmHWM")}))


# ---------------------------------------------------------------------------------------------------
# The parent: data, the SQL shuxi compiles, the interleaved runs, checks and the report.
# ---------------------------------------------------------------------------------------------------


def _import_shuxi() -> Path:
    """Import shuxi (from the checkout's src/ when it is not installed); returns the folder that holds it."""
    try:
        import shuxi
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
        import shuxi
    return Path(shuxi.__file__).resolve().parent.parent


def _git_state() -> dict[str, str]:
    """The commit and the locally modified files, so a number can be traced to the code that produced it."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "HEAD"), "modified": git("status", "--short", "--untracked-files=no")}


def _source_digest(shuxi_root: Path) -> str:
    """A short hash of the shuxi sources that ran: with uncommitted edits the commit alone does not say."""
    import hashlib

    digest = hashlib.sha256()
    for file in sorted((shuxi_root / "shuxi").rglob("*.py")):
        digest.update(file.relative_to(shuxi_root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:12]


def _versions(names: list[str]) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    frames = [n for n in names if n in ("pandas", "polars")]
    for package in ("duckdb", "pyarrow", "sqlglot", "pydantic", "numpy", *frames):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            pass
    return found


def prepare_data(data_dir: Path, rows: int) -> Path:
    from shuxi.demo import demo_path, generate_sales

    path = demo_path(data_dir, rows)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    need = rows * 16  # the file takes about 8 bytes a row; keep twice that free
    free = shutil.disk_usage(path.parent).free
    if free < need:
        sys.exit(f"Generating {rows:,} rows needs about {need / 2**30:.1f} GiB free in {path.parent}; "
                 f"only {free / 2**30:.1f} GiB is free.")
    print(f"generating {rows:,} demo rows → {path} …", flush=True)
    started = time.perf_counter()
    generate_sales(path, rows=rows)
    print(f"  done in {time.perf_counter() - started:.1f} s, {path.stat().st_size / 2**20:.0f} MiB", flush=True)
    return path


def compile_seed(path: Path) -> dict[str, Any]:
    """The table name, the Plans as JSON and the very SQL shuxi compiles them to (for the raw DuckDB child)."""
    import shuxi
    from shuxi.demo import seed_plans

    with shuxi.open(path) as ds:
        plans = seed_plans(ds.name)
        return {"table": ds.name, "plans": [p.model_dump_json() for p in plans], "sql": [ds.compile(p) for p in plans]}


def spawn(name: str, spec: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """Run one contender in a fresh process and return its report (timings, results, peak RSS)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name]
    proc = subprocess.run(command, input=json.dumps(spec).encode(), capture_output=True, env=env)
    if proc.returncode != 0:
        stderr = proc.stderr.decode(errors="replace")[-4000:]
        raise SystemExit(f"{name} failed (exit code {proc.returncode}):\n{stderr}")
    report: dict[str, Any] = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    return report


def child_env(name: str, *, threads: int, memory_limit: str | None, shuxi_root: Path, out_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHUXI_", "POLARS_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(shuxi_root), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PYTHONHASHSEED"] = "0"
    if name.startswith("shuxi"):
        env["SHUXI_THREADS"] = str(threads)
        env["SHUXI_CACHE_DIR"] = str(out_dir / "shuxi-cache")  # the engine spills to <cache>/spill
        if memory_limit:
            env["SHUXI_MEMORY_LIMIT"] = memory_limit
    if name == "polars":
        env["POLARS_MAX_THREADS"] = str(threads)
    return env


def mismatches(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Differences between two result sets: labels and counts exactly, floats within REL_TOL relative."""
    problems = []

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        if a is None or b is None:
            return a is b
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0) or (math.isnan(a) and math.isnan(b))

    if set(expected["tiers"]) != set(got["tiers"]):
        problems.append(f"tiers {sorted(map(str, got['tiers']))} instead of {sorted(map(str, expected['tiers']))}")
    for label, want in expected["tiers"].items():
        have = got["tiers"].get(label)
        for field, a, b in zip(("orders", "mean", "var"), want, have or [None] * 3):
            if not same(a, b):
                problems.append(f"tier {label} {field}: {b!r} instead of {a!r}")
    for field, a, b in zip(("r", "n"), expected["correlation"], got["correlation"]):
        if not same(a, b):
            problems.append(f"correlation {field}: {b!r} instead of {a!r}")
    return problems


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    summary = {}
    for name, reports in runs.items():
        times = [r["times"] for r in reports]
        cpu = [r["cpu"] for r in reports]
        summary[name] = {
            # CPU seconds of all the process's threads: less disturbed than wall time by other work on the machine.
            "cpu_end_to_end": median([c["import"] + c["open"] + c["query"] for c in cpu]),
            "cpu_query": median([c["query"] for c in cpu]),
            "import": median([t["import"] for t in times]),
            "open": median([t["open"] for t in times]),
            "query": median([t["query"] for t in times]),
            "end_to_end": median([t["import"] + t["open"] + t["query"] for t in times]),
            "open_query": median([t["open"] + t["query"] for t in times]),
            "peak_rss_mb": median([r["peak_rss_mb"] for r in reports]),
            "import_rss_mb": median([r["rss_after_mb"]["import"] for r in reports]),
            "runs": len(reports),
        }
    return summary


def judge(summary: dict[str, dict[str, float]]) -> dict[str, list[tuple[str, bool]]]:
    """Each target as (description, met) for the contender it is about."""
    verdicts: dict[str, list[tuple[str, bool]]] = {}
    s, d = summary.get("shuxi"), summary.get("duckdb")
    if s and d:
        verdicts["shuxi"] = [
            (f"end-to-end ≤ {TIME_RATIO_TARGET:.2f}× duckdb", s["end_to_end"] <= TIME_RATIO_TARGET * d["end_to_end"]),
            (f"query ≤ {TIME_RATIO_TARGET:.2f}× duckdb", s["query"] <= TIME_RATIO_TARGET * d["query"]),
            (f"peak RSS ≤ {MEMORY_RATIO_TARGET:.1f}× duckdb", s["peak_rss_mb"] <= MEMORY_RATIO_TARGET * d["peak_rss_mb"]),
        ]
    p = summary.get("pandas")
    if s and p:
        verdicts["pandas"] = [("end-to-end slower than shuxi", p["end_to_end"] > s["end_to_end"])]
    return verdicts


def render_table(summary: dict[str, dict[str, float]], verdicts: dict[str, list[tuple[str, bool]]] | None) -> str:
    base = summary.get("duckdb")

    def ratio(name: str, key: str) -> str:
        return f"{summary[name][key] / base[key]:.2f}×" if base else "–"

    header = ("| contender | end-to-end s | × duckdb | import s | open s | query s | × duckdb "
              "| CPU s end-to-end | × duckdb | CPU s query | × duckdb | peak RSS MB | × duckdb | targets |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for name, m in summary.items():
        if verdicts is None:
            verdict = "not judged (smoke)"
        elif name in verdicts:
            verdict = "; ".join(f"{'PASS' if ok else 'FAIL'} {what}" for what, ok in verdicts[name])
        else:
            verdict = "–"
        lines.append(
            f"| {name} | {m['end_to_end']:.3f} | {ratio(name, 'end_to_end')} | {m['import']:.3f} | {m['open']:.3f} "
            f"| {m['query']:.3f} | {ratio(name, 'query')} | {m['cpu_end_to_end']:.3f} | {ratio(name, 'cpu_end_to_end')} "
            f"| {m['cpu_query']:.3f} | {ratio(name, 'cpu_query')} | {m['peak_rss_mb']:.0f} | {ratio(name, 'peak_rss_mb')} "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="demo rows (default 10,000,000)")
    parser.add_argument("--repeats", type=int, default=5, help="measured runs per contender (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unrecorded rounds first (page cache, .pyc; default 1)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="threads for every contender (default: all cores)")
    parser.add_argument("--memory-limit", default=None, help='DuckDB memory limit for shuxi and raw DuckDB, such as "4GB"')
    parser.add_argument("--only", default=",".join(CONTENDERS), help="comma-separated contenders (default: all four); also shuxi-noinfer, "
                        "shuxi with infer_types=False, to measure what type inference costs")
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data", help="where the demo Parquet is kept (default bench/data)")
    parser.add_argument("--out-dir", type=Path, default=BENCH / "out", help="raw per-run JSON and spill folders (default bench/out)")
    parser.add_argument("--smoke", action="store_true", help=f"{SMOKE_ROWS:,} rows, 1 run, no warm-up; checks results, not targets")
    parser.add_argument("--strict", action="store_true", help="exit with code 2 when a target is missed")
    parser.add_argument("--child", choices=[*CONTENDERS, *EXTRA], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child)
        return 0
    if args.smoke:
        args.rows, args.repeats, args.warmup = SMOKE_ROWS, 1, 0

    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(CONTENDERS) - set(EXTRA))
    if unknown or not names:
        parser.error(f"--only takes some of {', '.join([*CONTENDERS, *EXTRA])}; not {', '.join(unknown) or 'nothing'}")
    for name in list(names):
        if importlib.util.find_spec(NEEDS[name]) is None:
            print(f"skipping {name}: {NEEDS[name]} is not installed")
            names.remove(name)
    # shuxi runs first in the first round: its results are the reference every other run is checked against.
    names = ["shuxi", *(n for n in names if n != "shuxi")]
    unlimited = sorted(n for n in names if n in ("pandas", "polars"))
    if args.memory_limit and unlimited:
        print(f"note: --memory-limit applies to shuxi and duckdb only, not {', '.join(unlimited)}")

    shuxi_root = _import_shuxi()
    path = prepare_data(args.data_dir, args.rows)
    seed = compile_seed(path)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    spill = args.out_dir / "duckdb-spill"
    spec = {"path": str(path.resolve()), "threads": args.threads, "memory_limit": args.memory_limit,
            "spill_dir": str(spill.resolve()), **seed}
    envs = {n: child_env(n, threads=args.threads, memory_limit=args.memory_limit, shuxi_root=shuxi_root,
                         out_dir=args.out_dir.resolve()) for n in names}

    load_before = os.getloadavg()
    print(f"{args.rows:,} rows, {args.threads} threads, memory limit {args.memory_limit or 'DuckDB default'}, "
          f"{args.repeats} runs (+{args.warmup} warm-up) of {', '.join(names)}", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    reference: dict[str, Any] | None = None
    failures: list[str] = []
    for round_no in range(args.warmup + args.repeats):
        measured = round_no >= args.warmup
        order = names[round_no % len(names):] + names[: round_no % len(names)]  # rotate who goes first
        for name in order:
            report = spawn(name, spec, envs[name])
            report["settings"] = report["results"].pop("settings", None)
            reference = reference or report["results"]
            t = report["times"]
            label = f"run {round_no - args.warmup + 1}" if measured else f"warm-up {round_no + 1}"
            settings = report["settings"]
            print(f"  {label} {name:7s} end-to-end {t['import'] + t['open'] + t['query']:.3f} s "
                  f"(import {t['import']:.3f}, open {t['open']:.3f}, query {t['query']:.3f}; "
                  f"CPU {sum(report['cpu'].values()):.3f}), peak RSS {report['peak_rss_mb']:.0f} MB"
                  + (f"; DuckDB threads {settings['threads']}, memory_limit {settings['memory_limit']}"
                     if settings and round_no == 0 else ""), flush=True)
            problems = [f"{name}: {p}" for p in mismatches(reference, report["results"])]
            if problems:
                failures += problems
                break
            if measured:
                runs[name].append(report)
        if failures:
            break

    if failures:
        print("RESULTS DIFFER from shuxi's:\n  " + "\n  ".join(failures[:20]), file=sys.stderr)
        return 1
    load_after = os.getloadavg()
    summary = summarise(runs)
    verdicts = None if args.smoke else judge(summary)
    table = render_table(summary, verdicts)
    print()
    print(table)
    print()
    print(f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, on {os.cpu_count()} cores")
    print("results (shuxi): " + json.dumps(reference, ensure_ascii=False))
    record = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "rows": args.rows, "threads": args.threads, "memory_limit": args.memory_limit, "repeats": args.repeats,
        "load_average": {"before": load_before, "after": load_after},
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "shuxi": {"path": str(shuxi_root), "digest": _source_digest(shuxi_root)}, "git": _git_state(),
        "versions": _versions(names),
        "sql": seed["sql"], "summary": summary, "runs": runs,
    }
    suffix = f"{args.rows}" + (f"-{args.memory_limit}" if args.memory_limit else "")
    (args.out_dir / f"engine-{suffix}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False))
    print(f"all contenders agree with shuxi (counts exactly, floats within {REL_TOL:g} relative)")
    missed = [f"{n}: {what}" for n, items in (verdicts or {}).items() for what, ok in items if not ok]
    if missed:
        print("targets missed: " + "; ".join(missed))
        return 2 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
