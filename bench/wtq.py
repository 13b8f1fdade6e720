"""WikiTableQuestions accuracy of shuxi's question answering (``ds.ask``).

For each question: open its table CSV with ``shuxi.open(csv, duplicate_columns="rename")`` (once per table), call ``ds.ask(utterance)``, and
compare ``answer.values`` with the target under the official metric (``wtq_metric.py``). Prints accuracy,
counts, p50/p99 milliseconds per question (the ``ask`` call only), an error breakdown, a seeded sample of
failures with their SQL, the first tracebacks of bugs (exceptions that are not ``ShuxiError``), and the tables
``shuxi.open`` refused with the reasons.

    python bench/wtq.py                          # dev split (random-split-1-dev.tsv), every question
    python bench/wtq.py --split train --limit 500 --seed 1 --failures /tmp/wtq_fail.jsonl

Data: WikiTableQuestions 1.0.2 (Pasupat & Liang 2015, CC BY-SA 4.0) in ``../shared/data/wtq`` beside the
repository (``--data`` to point elsewhere). Tune rules on the train split only; report on dev.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

# wtq_metric sits beside this script (the script's folder is first on sys.path; the tests load it by path)
from wtq_metric import Example, is_correct, read_examples

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "wtq"
SPLITS = {"dev": "random-split-1-dev.tsv", "train": "random-split-1-train.tsv"}

CORRECT = "correct"
NOT_UNDERSTOOD = "not understood"
WRONG_VALUE = "wrong value"
WRONG_COUNT = "wrong count of values"
EXCEPTION = "exception"
NOT_OPENED = "table not opened"
NO_PLANNER = "no planner"
CATEGORIES = (CORRECT, NOT_UNDERSTOOD, WRONG_VALUE, WRONG_COUNT, EXCEPTION, NOT_OPENED, NO_PLANNER)

Asker = Callable[[Any, str], Any]


@dataclass
class Outcome:
    """What happened to one question."""

    id: str
    utterance: str
    table: str
    targets: list[str]
    category: str
    predicted: list[Any] = field(default_factory=list)
    sql: str | None = None
    ms: float | None = None
    error_class: str | None = None
    error: str | None = None
    traceback: str | None = None


@dataclass
class TableFailure:
    """A table ``shuxi.open`` could not open; ``bug`` when the error was not a ShuxiError."""

    table: str
    error_class: str
    message: str
    bug: bool


def ask_with_planner(ds: Any, question: str) -> Any:
    """The default asker: shuxi's own planner."""
    return ds.ask(question)


def planner_missing() -> str | None:
    """Why ``ds.ask`` cannot be called yet, or None when it exists."""
    from shuxi.data.dataset import Dataset

    if not callable(getattr(Dataset, "ask", None)):
        return "shuxi.data.dataset.Dataset has no ask() method yet (the built-in planner is not there)"
    return None


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def evaluate_table(data_dir: Path, table: str, examples: Sequence[Example], *, asker: Asker | None,
                   missing: str | None = None) -> tuple[list[Outcome], TableFailure | None]:
    """Open one table and ask its questions; ``asker=None`` means no planner (every question gets NO_PLANNER)."""
    import shuxi
    from shuxi.errors import ShuxiError

    def outcome(ex: Example, category: str, **extra: Any) -> Outcome:
        return Outcome(id=ex.id, utterance=ex.utterance, table=table, targets=list(ex.targets), category=category,
                       **extra)

    try:
        # Wikipedia tables repeat header names ("Score" twice); shuxi refuses those by default (issue 2), so the
        # benchmark opts in to numbered names (Score, Score_1).
        ds = shuxi.open(str(data_dir / table), duplicate_columns="rename")
    except Exception as exc:  # a refusal (ShuxiError) is a data-opening failure; anything else is also a bug
        failure = TableFailure(table, type(exc).__name__, " ".join(str(exc).split())[:500],
                               bug=not isinstance(exc, ShuxiError))
        return [outcome(ex, NOT_OPENED, error_class=failure.error_class, error=failure.message)
                for ex in examples], failure
    outcomes = []
    try:
        for ex in examples:
            if asker is None:
                outcomes.append(outcome(ex, NO_PLANNER, error=missing))
                continue
            start = time.perf_counter()
            try:
                answer = asker(ds, ex.utterance)
                ms = (time.perf_counter() - start) * 1000
                predicted = list(answer.values)
                sql = getattr(answer, "sql", None)
            except ShuxiError as exc:
                ms = (time.perf_counter() - start) * 1000
                outcomes.append(outcome(ex, NOT_UNDERSTOOD, ms=ms, error_class=type(exc).__name__,
                                        error=" ".join(str(exc).split())[:300]))
                continue
            except Exception as exc:  # a bug in shuxi: counted apart, with its traceback
                ms = (time.perf_counter() - start) * 1000
                outcomes.append(outcome(ex, EXCEPTION, ms=ms, error_class=type(exc).__name__,
                                        error=str(exc)[:300], traceback=traceback.format_exc()))
                continue
            if is_correct(list(ex.targets), predicted):
                category = CORRECT
            elif len(predicted) != len(ex.targets):
                category = WRONG_COUNT
            else:
                category = WRONG_VALUE
            outcomes.append(outcome(ex, category, ms=ms, sql=sql, predicted=[_jsonable(v) for v in predicted]))
    finally:
        ds.close()
    return outcomes, None


def _evaluate_chunk(args: tuple[Path, list[tuple[str, list[Example]]], bool, str | None]
                    ) -> list[tuple[list[Outcome], TableFailure | None]]:
    data_dir, groups, use_planner, missing = args
    asker = ask_with_planner if use_planner else None
    return [evaluate_table(data_dir, table, exs, asker=asker, missing=missing) for table, exs in groups]


@dataclass
class Report:
    """Every question's outcome and every table that did not open."""

    outcomes: list[Outcome]
    table_failures: list[TableFailure]
    tables: int
    seconds: float
    missing: str | None = None

    @property
    def accuracy(self) -> float:
        return sum(o.category == CORRECT for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    def counts(self) -> dict[str, int]:
        counted = collections.Counter(o.category for o in self.outcomes)
        return {c: counted[c] for c in CATEGORIES if counted[c]}

    def latencies(self) -> list[float]:
        return sorted(o.ms for o in self.outcomes if o.ms is not None)


def evaluate(examples: Sequence[Example], data_dir: str | Path, *, asker: Asker | None = ask_with_planner,
             jobs: int = 1) -> Report:
    """Answer ``examples`` on their tables in ``data_dir``; ``asker(ds, question)`` returns an Answer-like object.

    With the default asker a missing ``ds.ask`` does not raise: every question is reported as NO_PLANNER (the
    tables are still opened, so refusals are still counted). ``jobs > 1`` spreads tables over processes and
    needs the default asker.
    """
    data_dir = Path(data_dir)
    missing = planner_missing() if asker is ask_with_planner else None
    if missing:
        asker = None
    by_table: dict[str, list[Example]] = collections.defaultdict(list)
    for ex in examples:
        by_table[ex.context].append(ex)
    groups = sorted(by_table.items())
    start = time.perf_counter()
    results: list[tuple[list[Outcome], TableFailure | None]] = []
    if jobs > 1:
        if asker not in (None, ask_with_planner):
            raise ValueError("jobs > 1 runs the built-in planner in worker processes; pass jobs=1 with a custom asker")
        chunks = [groups[i::jobs] for i in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for part in pool.map(_evaluate_chunk, [(data_dir, c, asker is not None, missing) for c in chunks]):
                results.extend(part)
    else:
        results = [evaluate_table(data_dir, table, exs, asker=asker, missing=missing) for table, exs in groups]
    outcomes = [o for part, _ in results for o in part]
    order = {ex.id: i for i, ex in enumerate(examples)}
    outcomes.sort(key=lambda o: order[o.id])
    failures = sorted((f for _, f in results if f is not None), key=lambda f: f.table)
    return Report(outcomes, failures, len(groups), time.perf_counter() - start, missing)


# -- printing -------------------------------------------------------------------------------------------------


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def format_report(report: Report, *, split: str, seed: int, sample: int = 50, tracebacks: int = 3) -> str:
    """The human-readable summary ``main`` prints."""
    n = len(report.outcomes)
    correct = sum(o.category == CORRECT for o in report.outcomes)
    lines = [f"WikiTableQuestions {split}: {n} questions on {report.tables} tables, {report.seconds:.1f} s",
             f"accuracy {report.accuracy:.2%} ({correct}/{n})"]
    if report.missing:
        lines.append(f"0% because {report.missing}; tables were still opened to count refusals.")
    ms = report.latencies()
    if ms:
        lines.append(f"ask: p50 {_percentile(ms, 0.5):.1f} ms, p99 {_percentile(ms, 0.99):.1f} ms, "
                     f"mean {statistics.fmean(ms):.1f} ms per question ({len(ms)} timed)")
    lines.append("")
    lines.append("outcomes:")
    for category, count in report.counts().items():
        lines.append(f"  {category:<24} {count:>6}  {count / n:6.1%}")
    by_class = collections.Counter(o.error_class for o in report.outcomes if o.category == NOT_UNDERSTOOD)
    if by_class:
        lines.append("not understood, by error class: " + ", ".join(f"{k} {v}" for k, v in by_class.most_common()))

    if report.table_failures:
        opened_questions = sum(o.category == NOT_OPENED for o in report.outcomes)
        lines += ["", f"tables shuxi.open refused: {len(report.table_failures)} of {report.tables} "
                      f"({opened_questions} questions)"]
        reasons = collections.Counter((f.error_class, _reason(f.message)) for f in report.table_failures)
        for (cls, reason), count in reasons.most_common():
            example = next(f.table for f in report.table_failures if (f.error_class, _reason(f.message)) == (cls, reason))
            lines.append(f"  {count:>4} × {cls}: {reason}  (e.g. {example})")
        bugs = [f for f in report.table_failures if f.bug]
        if bugs:
            lines.append(f"  of which {len(bugs)} raised a non-ShuxiError (a bug in shuxi.open)")

    failures = [o for o in report.outcomes if o.category not in (CORRECT, NO_PLANNER, NOT_OPENED)]
    if failures:
        shown = random.Random(seed).sample(failures, min(sample, len(failures)))
        lines += ["", f"sample of {len(shown)} failures (seed {seed}):"]
        for o in shown:
            lines.append(f"- [{o.category}] {o.id} {o.table}: {o.utterance}")
            lines.append(f"    target {o.targets} | predicted {o.predicted}"
                         + (f" | {o.error_class}: {o.error}" if o.error_class else ""))
            if o.sql:
                lines.append("    sql: " + " ".join(o.sql.split()))
    bugs = [o for o in report.outcomes if o.category == EXCEPTION]
    if bugs:
        lines += ["", f"{len(bugs)} questions raised an exception that is not a ShuxiError (bugs); the first "
                      f"{min(tracebacks, len(bugs))}:"]
        for o in bugs[:tracebacks]:
            lines += [f"- {o.id}: {o.utterance}", (o.traceback or "").rstrip()]
    return "\n".join(lines)


def _reason(message: str) -> str:
    """The message with table-specific parts (paths, numbers) cut so similar refusals group together."""
    message = re.sub(r"(/[^\s'\"]+)+", "<path>", message)
    message = re.sub(r"\d+", "N", message)
    return message[:160]


def write_jsonl(path: Path, outcomes: Sequence[Outcome]) -> None:
    """Write outcomes as JSON lines to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=path.name, suffix=".tmp",
                                     delete=False) as handle:
        for o in outcomes:
            handle.write(json.dumps(asdict(o), ensure_ascii=False) + "\n")
    os.replace(handle.name, path)


def select(examples: list[Example], *, limit: int | None, seed: int) -> list[Example]:
    """All examples, or a seeded random ``limit`` of them in file order."""
    if limit is None or limit >= len(examples):
        return examples
    keep = set(random.Random(seed).sample(range(len(examples)), limit))
    return [ex for i, ex in enumerate(examples) if i in keep]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=sorted(SPLITS), default="dev")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the WTQ folder (tsv files and csv/)")
    parser.add_argument("--limit", type=int, default=None, help="a seeded random sample of N questions")
    parser.add_argument("--seed", type=int, default=0, help="seed for --limit and the failure sample")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (tables are split between them)")
    parser.add_argument("--failures", type=Path, default=None, help="write every failed question here as JSON lines")
    parser.add_argument("--sample", type=int, default=50, help="how many failures to print")
    args = parser.parse_args(argv)
    tsv = args.data / SPLITS[args.split]
    if not tsv.is_file():
        print(f"error: {tsv} not found; pass --data with the WikiTableQuestions folder", file=sys.stderr)
        return 2
    if (args.limit is not None and args.limit < 1) or args.jobs < 1:
        print("error: --limit and --jobs must be at least 1", file=sys.stderr)
        return 2
    try:
        examples = select(read_examples(tsv), limit=args.limit, seed=args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = evaluate(examples, args.data, jobs=args.jobs)
    print(format_report(report, split=args.split, seed=args.seed, sample=args.sample))
    if args.failures:
        write_jsonl(args.failures, [o for o in report.outcomes if o.category != CORRECT])
        print(f"\nfailures written to {args.failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
