"""``shuxi profile`` and ``shuxi clean``: thin commands over :mod:`shuxi.profile` (registered in ``shuxi.cli``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from shuxi.cli import DataArg, EncodingOpt, EngineOpt, SheetOpt, TextOrJson, _echo, _guard, _open


OverwriteOpt = Annotated[bool, typer.Option("--overwrite", help="Replace an existing output file.")]


def profile(data: DataArg,
            format: Annotated[TextOrJson, typer.Option("--format", "-f", help="text: tables in the terminal; json: the whole profile.")] = TextOrJson.text,
            html: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML report (charts inline, opens offline).")] = None,
            overwrite: OverwriteOpt = False,
            engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None) -> None:
    """Profile DATA: per-column types, missing values, distinct counts, statistics, patterns, and data-quality alerts.

    Everything is computed in the engine (DuckDB or Spark), so it works on tables larger than memory.
    The input is only read.

    Example: shuxi profile sales.csv --html report.html
    """

    def run() -> None:
        from shuxi.profile.report import rich_report

        with _open(data, engine, encoding, sheet) as ds:
            if html is not None:
                _check_target(html, overwrite)
            result = _with_progress(lambda step: ds.profile(progress=step), enabled=format is TextOrJson.text)
            if html is not None:
                _write_text(html, result.to_html())
            if format is TextOrJson.json:
                _echo(result.to_json())
                return
            from rich.console import Console

            console = Console()
            console.print(rich_report(result))
            if html is not None:
                console.print(f"HTML report: {html}")

    _guard(run)


def clean(data: DataArg,
          out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the cleaned table to this new Parquet file.")] = None,
          plan: Annotated[Optional[Path], typer.Option("--plan", help="Apply this JSON cleaning plan (its enabled steps) instead of proposing one.")] = None,
          save_plan: Annotated[Optional[Path], typer.Option("--save-plan", help="Save the plan as JSON, to edit or reuse on the next file.")] = None,
          sql: Annotated[bool, typer.Option("--sql", help="Print the cleaning as one SQL query.")] = False,
          yes: Annotated[bool, typer.Option("--yes", "-y", help="Accept every proposed step without asking.")] = False,
          format: Annotated[TextOrJson, typer.Option("--format", "-f", help="How to print the preview.")] = TextOrJson.text,
          overwrite: OverwriteOpt = False,
          engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None) -> None:
    """Propose a cleaning plan from the profile of DATA, preview each step (rows changed, before → after) and write a new file.

    Steps: tidy spaces and full-width characters, unify category spellings, read units/currency/percent/dates as
    numbers and dates, drop exact duplicates, flag outliers (never dropped), optional imputation. Only accepted steps
    are applied (--yes, answers to the prompts, or the enabled steps of --plan). The input is never modified.

    Example: shuxi clean sales.csv --out clean.parquet --save-plan plan.json --yes
    """

    def run() -> None:
        from shuxi.errors import PlanError

        with _open(data, engine, encoding, sheet) as ds:
            if out is not None:
                _check_target(out, overwrite)
            if save_plan is not None:
                _check_target(save_plan, overwrite)
            cleaning = _with_progress(lambda step: _cleaning(ds, plan, step), enabled=format is TextOrJson.text)
            proposed = plan is None
            if proposed and not yes and out is not None and sys.stdin.isatty():
                for step in cleaning.plan.steps:
                    if step.enabled:
                        label = f"{step.op} {getattr(step, 'column', '') or ''}".strip()
                        step.enabled = typer.confirm(f"Apply {label}? ({step.why})", default=True)
            previews = cleaning.preview()
            if format is TextOrJson.json:
                import json

                payload: dict[str, Any] = {"plan": cleaning.plan.model_dump(mode="json"), "preview": [p.to_dict() for p in previews]}
                if sql:
                    payload["sql"] = cleaning.sql
                _echo(json.dumps(payload, ensure_ascii=False, indent=2))
            else:
                _print_preview(cleaning, previews, show_sql=sql)
            if save_plan is not None:
                cleaning.plan.save(save_plan)
                sys.stderr.write(f"Saved the plan to {save_plan}\n")
            if out is None:
                return
            if proposed and not yes and not sys.stdin.isatty():
                raise PlanError("Nothing was written: the proposed steps were not accepted.",
                                hint="Pass --yes to apply them all, or save the plan with --save-plan, edit it, and apply it with --plan.")
            written = cleaning.write(out, overwrite=overwrite)
            sys.stderr.write(f"Wrote the cleaned table to {written}\n")

    _guard(run)


def _cleaning(ds: Any, plan: Path | None, step: Any) -> Any:
    from shuxi.profile import clean as make_cleaning
    from shuxi.profile.plan import CleaningPlan, propose_plan

    if plan is not None:
        return make_cleaning(ds, plan=CleaningPlan.load(plan))
    return make_cleaning(ds, plan=propose_plan(ds.profile(progress=step), ds=ds))


def _print_preview(cleaning: Any, previews: list[Any], *, show_sql: bool) -> None:
    from rich.console import Console
    from rich.syntax import Syntax
    from rich.table import Table

    console = Console()
    table = Table(title=f"Cleaning plan for {cleaning.ds.name}: {len(cleaning.plan.enabled_steps)} of {len(cleaning.plan.steps)} steps on")
    for name in ("#", "step", "column", "rows changed", "became NULL", "before → after", "why"):
        table.add_column(name, overflow="fold", justify="right" if name in ("#", "rows changed", "became NULL") else "left")
    shown = {p.index: p for p in previews}
    for i, step in enumerate(cleaning.plan.steps, start=1):
        p = shown.get(i)
        if p is None:
            table.add_row(str(i), f"[dim]{step.op} (off)[/]", getattr(step, "column", "") or "", "", "", "", step.why)
            continue
        examples = "; ".join(f"{b!r} → {a!r}" for b, a in p.examples[:3])
        if p.fill is not None:
            examples = f"missing → {p.fill!r}"
        table.add_row(str(i), step.op, p.column or "(all columns)", f"{p.changed:,}", f"{p.lost:,}" if p.lost else "", examples, step.why)
    console.print(table)
    if show_sql:
        console.print(Syntax(cleaning.sql, "sql", word_wrap=True))


def _with_progress(work: Any, *, enabled: bool) -> Any:
    """Run ``work(step)`` with a progress bar over the profile's steps on stderr (hidden when not a terminal)."""
    if not enabled:
        return work(lambda name: None)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from shuxi.profile.profiler import STEPS

    with Progress(TextColumn("profiling: {task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("start", total=len(STEPS))

        def step(name: str) -> None:
            bar.update(task, description=name, completed=STEPS.index(name) if name in STEPS else 0)

        return work(step)


def _check_target(path: Path, overwrite: bool) -> None:
    from shuxi.errors import DataError

    if path.exists() and not overwrite:
        raise DataError(f"{path} already exists.", path=str(path), hint="Choose another path, or pass --overwrite.")


def _write_text(path: Path, text: str) -> None:
    import os
    import tempfile

    from shuxi.errors import DataError

    target = path.expanduser()
    if not target.parent.exists():
        raise DataError(f"The folder {target.parent} does not exist.", path=str(path), hint="Create it first.")
    fd, partial = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
