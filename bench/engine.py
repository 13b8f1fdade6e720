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

Then, in the same process, the contender closes what it opened and runs the whole analysis three more times
on the same file (``open_againK`` + ``query_againK``; their median is the run's **analysis** time): a new ``shuxi.open`` (type inference included) /
a new DuckDB connection and view / ``read_parquet`` / ``scan_parquet``, and both queries. No state carries
over (each DuckDB connection is its own in-memory database; shuxi keeps no per-file cache), only the
libraries are imported and initialised: this is what each analysis costs in a notebook, a server or the web
app, and the fixed import cost a fresh process pays on top is ``end-to-end`` − ``open`` − ``query`` of the
first analysis plus its first-use initialisation.

``shuxi-spark`` (shuxi on its Spark engine, ``local[THREADS]``) is not in the default set because one run
costs tens of seconds; add it with ``--spark`` or name it in ``--only``. Its child has two more phases:
``start`` (the SparkSession, started the way ``shuxi.open(..., engine="spark")`` starts it, from
``SHUXI_SPARK_MASTER`` and ``SHUXI_SPARK_CONF``: UI off, 4 shuffle partitions, 2 GB driver) between
``import`` and ``open``, and ``query_warm`` (both Plans again in the same session). When it runs, every
shuxi and raw-DuckDB child runs both analyses a second time as well, so the warm queries compare like with
like; ``startup`` = import + start + open. Its CPU time and peak memory include the JVM's: the CPU of the
Python process's descendants (``/proc/<pid>/stat``, with the reaped launcher's time) and the sum of the
Python process's and the JVM's ``VmHWM``, read before the session stops.

    python bench/engine.py                                   # 10M rows, 5 repeats, all four
    python bench/engine.py --rows 100000000 --memory-limit 4GB --only shuxi,duckdb --repeats 3
    python bench/engine.py --only shuxi,duckdb --spark --repeats 3   # + shuxi on Spark local[THREADS]
    python bench/engine.py --smoke                           # a few seconds; correctness only
    python bench/engine.py --smoke --only shuxi-spark        # Spark's correctness, about half a minute

Targets (judged unless ``--smoke``): shuxi ≤ 1.10× raw DuckDB analysis time and cold query time, ≤ 1.2× its
peak memory (over both analyses); pandas slower than shuxi; none for shuxi-spark. End-to-end (the first
analysis in a fresh process, imports included) is reported beside them, with its ratio, but not judged: it is
dominated by a fixed ~0.3–0.4 s of imports (sqlglot, pydantic) that does not grow with the data. ``--strict`` turns a missed target into
exit code 2.
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
#: Contenders run only when named in --only: shuxi without its type inference of text columns (a diagnostic),
#: and shuxi on its Spark engine (slow to start; --spark adds it too).
EXTRA = ("shuxi-noinfer", "shuxi-spark")
SPARK = "shuxi-spark"
#: The library each contender needs beyond the standard library (checked before running).
NEEDS = {"shuxi": "duckdb", "shuxi-noinfer": "duckdb", "duckdb": "duckdb", "pandas": "pandas", "polars": "polars",
         SPARK: "pyspark"}
TIER_LABELS = ("low", "middle", "high")
REL_TOL = 1e-9
TIME_RATIO_TARGET = 1.10
MEMORY_RATIO_TARGET = 1.2
SMOKE_ROWS = 20_000
#: How many times each contender repeats the whole analysis in its warmed-up process (the "analysis" column).
AGAIN = 3
#: The phases of the first analysis in a fresh process (end-to-end); the others are the same analysis again.
FIRST_ANALYSIS = ("import", "start", "open", "query")
#: The Spark contender's session settings (SHUXI_SPARK_CONF): no web UI; 4 shuffle partitions rather than
#: Spark's 200, since both analyses shuffle a handful of groups; the driver (in local mode the only JVM, the
#: executors are its threads) gets 2 GB of heap, twice Spark's default. The master is local[THREADS].
SPARK_CONF = {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4", "spark.driver.memory": "2g"}


# ---------------------------------------------------------------------------------------------------
# The children: one function per contender. Each marks its phases with lap() and returns its results in
# one shape: {"tiers": {label: [orders, mean, var]}, "correlation": [r, n]}. Only the standard library is
# imported at module level, so a child pays for its own imports alone.
# ---------------------------------------------------------------------------------------------------


def _proc_status_mb(field: str, pid: int | str = "self") -> float:
    """A memory line of /proc/<pid>/status in MB ("VmRSS" now, "VmHWM" the peak); NaN where /proc is missing."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


def _descendants(root: int) -> dict[int, list[str]]:
    """The live descendants of process ``root`` (children, grandchildren…), each with its /proc/<pid>/stat
    fields after the command name (index 0 is field 3, the state). Empty where /proc is missing."""
    stats: dict[int, list[str]] = {}
    try:
        pids = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                stats[pid] = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            pass  # gone meanwhile
    found: dict[int, list[str]] = {}
    parents = {root}
    while parents:
        children = {pid for pid, fields in stats.items() if int(fields[1]) in parents and pid not in found}
        found.update((pid, stats[pid]) for pid in children)
        parents = children
    return found


def _descendants_cpu() -> float:
    """CPU seconds of this process's live descendants (the JVM), including what they reaped (fields 14–17:
    utime, stime, cutime, cstime; the launcher JVM that spark-submit runs before exec-ing the driver is one)."""
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(sum(int(f) for f in fields[11:15]) for fields in _descendants(os.getpid()).values()) / ticks


_SETTINGS_SQL = "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory_limit"


def _phase(lap: Any, name: str) -> str:
    """``name`` for the first analysis; ``name_again1``, ``name_again2``… for the repeats in the same process."""
    if name not in lap.times:
        return name
    return f"{name}_again{sum(p.startswith(name + '_again') for p in lap.times) + 1}"


def _again(phases: dict[str, float]) -> float:
    """The median time of one repeated analysis (open + query) in a run."""
    return median([phases[f"open_again{k}"] + phases[f"query_again{k}"] for k in range(1, AGAIN + 1)])


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

    def analysis() -> tuple[Any, dict[str, Any], list[Any]]:
        # Threads and the memory limit come from SHUXI_THREADS / SHUXI_MEMORY_LIMIT, as for any user.
        ds = shuxi.open(spec["path"], infer_types=infer_types)
        # The Plans of shuxi.demo.seed_plans, built by the parent and handed over as JSON (as a service would).
        plans = [Plan.model_validate_json(p) for p in spec["plans"]]
        lap(_phase(lap, "open"))
        results = _arrow_results(*(ds.run(plan) for plan in plans))
        lap(_phase(lap, "query"))
        return ds, results, plans

    ds, results, plans = analysis()
    warm = {}
    if spec.get("warm"):  # the same Plans again: compiled again, run on a warm DuckDB
        warm = {"warm": _arrow_results(*(ds.run(plan) for plan in plans))}
        lap("query_warm")
    # Not timed: the settings DuckDB really ran with, so a memory-limit run shows the limit took effect.
    settings = ds.engine.execute(_SETTINGS_SQL).to_pylist()[0]
    ds.close()
    lap("close")
    for _ in range(AGAIN):  # the same analysis in this warmed-up process: what a notebook or a server pays
        again = analysis()
        again[0].close()
    return {**results, **warm, "again": again[1], "settings": settings}


def child_duckdb(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    import duckdb
    import pyarrow  # noqa: F401 - the result is an Arrow table, as shuxi's is; import it here, not mid-query

    lap("import")

    def analysis() -> tuple[Any, dict[str, Any]]:
        con = duckdb.connect()
        con.execute(f"SET threads = {int(spec['threads'])}")
        con.execute(f"SET temp_directory = '{spec['spill_dir']}'")  # shuxi, too, always names a spill folder
        if spec["memory_limit"]:
            con.execute(f"SET memory_limit = '{spec['memory_limit']}'")
        path = spec["path"].replace("'", "''")
        con.execute(f'CREATE VIEW "{spec["table"]}" AS SELECT * FROM read_parquet(\'{path}\')')
        lap(_phase(lap, "open"))
        results = _arrow_results(*(con.sql(sql).to_arrow_table() for sql in spec["sql"]))
        lap(_phase(lap, "query"))
        return con, results

    con, results = analysis()
    warm = {}
    if spec.get("warm"):
        warm = {"warm": _arrow_results(*(con.sql(sql).to_arrow_table() for sql in spec["sql"]))}
        lap("query_warm")
    settings = con.sql(_SETTINGS_SQL).to_arrow_table().to_pylist()[0]
    con.close()
    lap("close")
    for _ in range(AGAIN):
        again = analysis()
        again[0].close()
    return {**results, **warm, "again": again[1], "settings": settings}


def child_pandas(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    import pyarrow

    lap("import")
    pyarrow.set_cpu_count(int(spec["threads"]))  # pandas reads Parquet through pyarrow's thread pool

    def analysis() -> dict[str, Any]:
        df = pd.read_parquet(spec["path"], columns=["price", "quantity"])
        lap(_phase(lap, "open"))
        c1, c2 = np.quantile(df["price"].dropna().unique(), [1 / 3, 2 / 3])
        tier = pd.cut(df["price"], [-np.inf, c1, c2, np.inf], labels=list(TIER_LABELS))  # right-closed: ≤ c1, ≤ c2
        tiers = df.groupby(tier, observed=True, dropna=False)["quantity"].agg(["size", "mean", "var"])
        pairs = df[["price", "quantity"]].dropna()
        r, n = pairs["price"].corr(pairs["quantity"]), len(pairs)
        lap(_phase(lap, "query"))
        return {
            "tiers": {str(label): [int(row["size"]), float(row["mean"]), float(row["var"])]
                      for label, row in tiers.iterrows()},
            "correlation": [float(r), int(n)],
        }

    results = analysis()
    lap("close")
    for _ in range(AGAIN):
        again = analysis()
    return {**results, "again": again}


def child_polars(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    import polars as pl  # POLARS_MAX_THREADS is set by the parent before this import

    lap("import")

    def analysis() -> dict[str, Any]:
        lf = pl.scan_parquet(spec["path"]).select("price", "quantity")
        lap(_phase(lap, "open"))
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
        lap(_phase(lap, "query"))
        return {
            "tiers": {label: [orders, mean, var] for label, orders, mean, var in tiers.rows()},
            "correlation": [correlation["r"][0], correlation["n"][0]],
        }

    results = analysis()
    lap("close")
    for _ in range(AGAIN):
        again = analysis()
    return {**results, "again": again}


def child_shuxi_noinfer(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    return child_shuxi(spec, lap, infer_types=False)


def child_shuxi_spark(spec: dict[str, Any], lap: Any) -> dict[str, Any]:
    lap.with_descendants = True  # from here on every lap's CPU includes the JVM's
    import pyspark.sql  # noqa: F401 - what the engine imports to start a session
    import shuxi
    import shuxi.engines.spark
    from shuxi.config import load_settings
    from shuxi.plan.ir import Plan

    lap("import")
    # The session shuxi.open(..., engine="spark") would start, from SHUXI_SPARK_MASTER / SHUXI_SPARK_CONF,
    # started here on its own so that Spark's start-up is a phase of its own; open() then works in it.
    session = shuxi.engines.spark.spark_session(load_settings())
    lap("start")
    ds = shuxi.open(spec["path"], engine="spark")
    tiers_plan, corr_plan = (Plan.model_validate_json(p) for p in spec["plans"])
    lap("open")
    cold = _arrow_results(ds.run(tiers_plan), ds.run(corr_plan))
    lap("query")
    warm = _arrow_results(ds.run(tiers_plan), ds.run(corr_plan))
    lap("query_warm")
    # Before the session stops (at exit): the JVM's peak, and what Spark ran with.
    jvm = {pid: _proc_status_mb("VmHWM", pid) for pid in _descendants(os.getpid())}
    conf = session.sparkContext.getConf()
    settings = {"master": session.sparkContext.master, "default_parallelism": session.sparkContext.defaultParallelism,
                "spark_version": session.version,
                **{key: ds.engine.session.conf.get(key) for key in ("spark.sql.shuffle.partitions",)},
                "driver_memory": conf.get("spark.driver.memory", "1g (default)"),
                "ui_enabled": conf.get("spark.ui.enabled", "true (default)"),
                "jvm_pids": len(jvm)}
    return {**cold, "warm": warm, "settings": settings, "jvm_peak_rss_mb": sum(v for v in jvm.values() if v == v)}


CHILDREN = {"shuxi": child_shuxi, "shuxi-noinfer": child_shuxi_noinfer, "duckdb": child_duckdb,
            "pandas": child_pandas, "polars": child_polars, SPARK: child_shuxi_spark}


def run_child(name: str) -> None:
    """Entry point of a child process: read the spec from stdin, run, print one JSON line."""
    spec = json.loads(sys.stdin.read())
    lap = Laps()
    results = CHILDREN[name](spec, lap)
    # The peak of this process's own address space. Not ru_maxrss: Linux carries the forking parent's peak
    # across exec into the child's ru_maxrss, so every child would report at least the parent's size.
    python_peak = _proc_status_mb("VmHWM")
    jvm_peak = results.pop("jvm_peak_rss_mb", None)
    report = {"times": lap.times, "cpu": lap.cpu, "rss_after_mb": lap.rss, "results": results,
              "peak_rss_mb": python_peak + (jvm_peak or 0.0)}
    if jvm_peak is not None:  # the Spark child: Python and JVM peaks, summed above (an upper bound of the pair's)
        report.update(python_peak_rss_mb=python_peak, jvm_peak_rss_mb=jvm_peak)
    print(json.dumps(report))
    sys.stdout.flush()


class Laps:
    """``lap(phase)`` records the wall time, CPU time and RSS since the previous lap (or since creation).

    With ``with_descendants`` set, the CPU time includes the live descendants' (the Spark JVM's): a /proc scan
    per lap, which the other contenders are spared.
    """

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.rss: dict[str, float] = {}
        self.with_descendants = False
        self._last, self._last_cpu = time.perf_counter(), time.process_time()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        now_cpu = time.process_time() + (_descendants_cpu() if self.with_descendants else 0.0)
        self.times[phase], self.cpu[phase] = now - self._last, now_cpu - self._last_cpu
        self.rss[phase] = _proc_status_mb("VmRSS")
        self._last, self._last_cpu = now, now_cpu


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
    frames = [n for n in names if n in ("pandas", "polars")] + (["pyspark"] if SPARK in names else [])
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
        if memory_limit and name != SPARK:  # a DuckDB limit; Spark's driver memory is in SPARK_CONF
            env["SHUXI_MEMORY_LIMIT"] = memory_limit
    if name == SPARK:
        env["SHUXI_SPARK_MASTER"] = f"local[{threads}]"
        env["SHUXI_SPARK_CONF"] = ",".join(f"{key}={value}" for key, value in SPARK_CONF.items())
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
            # CPU seconds of all the process's threads (and the JVM's, for Spark): less disturbed than wall
            # time by other work on the machine.
            "cpu_end_to_end": median([c["import"] + c.get("start", 0.0) + c["open"] + c["query"] for c in cpu]),
            "cpu_query": median([c["query"] for c in cpu]),
            "import": median([t["import"] for t in times]),
            "open": median([t["open"] for t in times]),
            "query": median([t["query"] for t in times]),
            "end_to_end": median([t["import"] + t.get("start", 0.0) + t["open"] + t["query"] for t in times]),
            "open_query": median([t["open"] + t["query"] for t in times]),
            "peak_rss_mb": median([r["peak_rss_mb"] for r in reports]),
            "import_rss_mb": median([r["rss_after_mb"]["import"] for r in reports]),
            "runs": len(reports),
        }
        # Only in some runs: Spark's session start (part of startup), and the analyses run a second time.
        if all("start" in t for t in times):
            summary[name]["start"] = median([t["start"] for t in times])
        summary[name]["startup"] = median([t["import"] + t.get("start", 0.0) + t["open"] for t in times])
        if times and all(f"query_again{AGAIN}" in t for t in times):
            # The analysis repeated in the same, warmed-up process (libraries imported): per run the median of
            # the AGAIN repeats, then the median over runs.
            summary[name]["again"] = median([_again(t) for t in times])
            summary[name]["cpu_again"] = median([_again(c) for c in cpu])
        if times and all("query_warm" in t for t in times):
            summary[name]["query_warm"] = median([t["query_warm"] for t in times])
            summary[name]["cpu_query_warm"] = median([c["query_warm"] for c in cpu])
        if all("jvm_peak_rss_mb" in r for r in reports):
            summary[name]["python_peak_rss_mb"] = median([r["python_peak_rss_mb"] for r in reports])
            summary[name]["jvm_peak_rss_mb"] = median([r["jvm_peak_rss_mb"] for r in reports])
    return summary


def judge(summary: dict[str, dict[str, float]]) -> dict[str, list[tuple[str, bool]]]:
    """Each target as (description, met) for the contender it is about."""
    verdicts: dict[str, list[tuple[str, bool]]] = {}
    s, d = summary.get("shuxi"), summary.get("duckdb")
    if s and d:
        verdicts["shuxi"] = [
            (f"analysis ≤ {TIME_RATIO_TARGET:.2f}× duckdb", s["again"] <= TIME_RATIO_TARGET * d["again"]),
            (f"query ≤ {TIME_RATIO_TARGET:.2f}× duckdb", s["query"] <= TIME_RATIO_TARGET * d["query"]),
            (f"peak RSS ≤ {MEMORY_RATIO_TARGET:.1f}× duckdb", s["peak_rss_mb"] <= MEMORY_RATIO_TARGET * d["peak_rss_mb"]),
        ]
    p = summary.get("pandas")
    if s and p:
        verdicts["pandas"] = [("analysis slower than shuxi", p["again"] > s["again"]),
                              ("end-to-end slower than shuxi", p["end_to_end"] > s["end_to_end"])]
    return verdicts


def render_table(summary: dict[str, dict[str, float]], verdicts: dict[str, list[tuple[str, bool]]] | None) -> str:
    base = summary.get("duckdb")

    def ratio(name: str, key: str) -> str:
        return f"{summary[name][key] / base[key]:.2f}×" if base and key in base and key in summary[name] else "–"

    def verdict_of(name: str) -> str:
        if verdicts is None:
            return "not judged (smoke)"
        if name in verdicts:
            return "; ".join(f"{'PASS' if ok else 'FAIL'} {what}" for what, ok in verdicts[name])
        return "–"

    if any("query_warm" in m for m in summary.values()):
        return _render_warm_table(summary, ratio, verdict_of)
    header = ("| contender | analysis s | × duckdb | CPU s analysis | × duckdb | end-to-end s | × duckdb | import s "
              "| open s | query s | × duckdb | CPU s end-to-end | × duckdb | CPU s query | × duckdb | peak RSS MB | × duckdb "
              "| targets |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for name, m in summary.items():
        verdict = verdict_of(name)
        again = (f"{m['again']:.3f} | {ratio(name, 'again')} | {m['cpu_again']:.3f} | {ratio(name, 'cpu_again')}"
                 if "again" in m else "– | – | – | –")
        lines.append(
            f"| {name} | {again} | {m['end_to_end']:.3f} | {ratio(name, 'end_to_end')} | {m['import']:.3f} | {m['open']:.3f} "
            f"| {m['query']:.3f} | {ratio(name, 'query')} | {m['cpu_end_to_end']:.3f} | {ratio(name, 'cpu_end_to_end')} "
            f"| {m['cpu_query']:.3f} | {ratio(name, 'cpu_query')} | {m['peak_rss_mb']:.0f} | {ratio(name, 'peak_rss_mb')} "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def _render_warm_table(summary: dict[str, dict[str, float]], ratio: Any, verdict_of: Any) -> str:
    """The table of a run with Spark: start-up (import + start + open) and cold and warm queries apart."""

    def value(m: dict[str, float], key: str, digits: int = 3) -> str:
        return f"{m[key]:.{digits}f}" if key in m else "–"

    header = ("| contender | end-to-end s | × duckdb | import s | start s | open s | startup s | × duckdb "
              "| query cold s | × duckdb | query warm s | × duckdb | CPU s end-to-end | × duckdb "
              "| CPU s query cold | × duckdb | CPU s query warm | × duckdb | peak RSS MB | × duckdb | targets |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for name, m in summary.items():
        lines.append(
            f"| {name} | {m['end_to_end']:.3f} | {ratio(name, 'end_to_end')} | {m['import']:.3f} "
            f"| {value(m, 'start')} | {m['open']:.3f} | {m['startup']:.3f} | {ratio(name, 'startup')} "
            f"| {m['query']:.3f} | {ratio(name, 'query')} | {value(m, 'query_warm')} | {ratio(name, 'query_warm')} "
            f"| {m['cpu_end_to_end']:.3f} | {ratio(name, 'cpu_end_to_end')} | {m['cpu_query']:.3f} "
            f"| {ratio(name, 'cpu_query')} | {value(m, 'cpu_query_warm')} | {ratio(name, 'cpu_query_warm')} "
            f"| {m['peak_rss_mb']:.0f} | {ratio(name, 'peak_rss_mb')} | {verdict_of(name)} |"
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
                        "shuxi with infer_types=False, to measure what type inference costs, and shuxi-spark, shuxi on "
                        "Spark local[THREADS] (tens of seconds a run)")
    parser.add_argument("--spark", action="store_true",
                        help="add shuxi-spark to the contenders (as naming it in --only does)")
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
    if args.spark and SPARK not in names:
        names.append(SPARK)
    unknown = sorted(set(names) - set(CONTENDERS) - set(EXTRA))
    if unknown or not names:
        parser.error(f"--only takes some of {', '.join([*CONTENDERS, *EXTRA])}; not {', '.join(unknown) or 'nothing'}")
    for name in list(names):
        if importlib.util.find_spec(NEEDS[name]) is None:
            print(f"skipping {name}: {NEEDS[name]} is not installed")
            names.remove(name)
        elif name == SPARK and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
            print(f"skipping {name}: Spark needs Java 17 or 21 (no java on PATH, no JAVA_HOME)")
            names.remove(name)
    # shuxi runs first in the first round: its results are the reference every other run is checked against.
    names = ["shuxi", *(n for n in names if n != "shuxi")]
    unlimited = sorted(n for n in names if n in ("pandas", "polars", SPARK))
    if args.memory_limit and unlimited:
        print(f"note: --memory-limit applies to shuxi and duckdb only, not {', '.join(unlimited)}")

    shuxi_root = _import_shuxi()
    path = prepare_data(args.data_dir, args.rows)
    seed = compile_seed(path)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    spill = args.out_dir / "duckdb-spill"
    spec = {"path": str(path.resolve()), "threads": args.threads, "memory_limit": args.memory_limit,
            "spill_dir": str(spill.resolve()), "warm": SPARK in names, **seed}
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
            warm = report["results"].pop("warm", None)
            again = report["results"].pop("again", None)
            reference = reference or report["results"]
            t = report["times"]
            label = f"run {round_no - args.warmup + 1}" if measured else f"warm-up {round_no + 1}"
            settings = report["settings"]
            phases = ", ".join(f"{phase.replace('query_warm', 'query warm')} {seconds:.3f}" for phase, seconds in t.items())
            peak = (f" (Python {report['python_peak_rss_mb']:.0f} + JVM {report['jvm_peak_rss_mb']:.0f})"
                    if "jvm_peak_rss_mb" in report else "")
            shown = (f"; {'Spark' if name == SPARK else 'DuckDB'} " + ", ".join(f"{k} {v}" for k, v in settings.items())
                     if settings and round_no == 0 else "")
            print(f"  {label} {name:7s} end-to-end {sum(v for k, v in t.items() if k in FIRST_ANALYSIS):.3f} s "
                  f"({phases}; CPU {sum(report['cpu'].values()):.3f}), peak RSS {report['peak_rss_mb']:.0f} MB{peak}"
                  + shown, flush=True)
            problems = [f"{name}: {p}" for p in mismatches(reference, report["results"])]
            if warm is not None:
                problems += [f"{name} (warm): {p}" for p in mismatches(reference, warm)]
            if again is not None:
                problems += [f"{name} (again): {p}" for p in mismatches(reference, again)]
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
    for name, m in summary.items():
        if "jvm_peak_rss_mb" in m:
            print(f"{name} peak RSS = Python {m['python_peak_rss_mb']:.0f} MB + JVM {m['jvm_peak_rss_mb']:.0f} MB (medians)")
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
    suffix = f"{args.rows}" + (f"-{args.memory_limit}" if args.memory_limit else "") + ("-spark" if SPARK in names else "")
    (args.out_dir / f"engine-{suffix}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False))
    print(f"all contenders agree with shuxi (counts exactly, floats within {REL_TOL:g} relative)")
    missed = [f"{n}: {what}" for n, items in (verdicts or {}).items() for what, ok in items if not ok]
    if missed:
        print("targets missed: " + "; ".join(missed))
        return 2 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
