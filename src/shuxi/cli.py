"""The ``shuxi`` command line: a thin shell over the library.

Each command opens the library object, calls one method and prints the result. ShuxiError becomes
one paragraph on stderr and exit code 2; anything else is a bug (exit code 1).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from shuxi.errors import ShuxiError

def command_group(name: str, help: str) -> typer.Typer:
    """A Typer app with shuxi's conventions: the top-level app, and each layer's group (``shuxi text …``)."""
    return typer.Typer(name=name, help=help, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False, rich_markup_mode="rich")


app = command_group("shuxi", "shuxi (数析): ask questions about big tables in Chinese or English, with answers you can trust.")

T = TypeVar("T")


class TableFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class TextOrJson(str, Enum):
    """``--format`` of commands that print for people (text) or programs (json)."""

    text = "text"
    json = "json"


class EngineChoice(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


DataArg = Annotated[str, typer.Argument(help="A .csv/.tsv/.json/.jsonl/.parquet/.xlsx file, a folder or a glob of Parquet files.", show_default=False)]
EngineOpt = Annotated[Optional[EngineChoice], typer.Option("--engine", help="Query engine (default: SHUXI_ENGINE or duckdb).")]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", help="Text encoding of CSV/JSON files (detected when omitted), e.g. gb18030.")]
SheetOpt = Annotated[Optional[str], typer.Option("--sheet", help="Excel sheet, by name or 0-based number (default: the first).")]
RenameOpt = Annotated[bool, typer.Option("--rename-duplicates", help="Number repeated column names (Score, Score_1) instead of refusing the file.")]


def _fail(error: ShuxiError) -> None:
    sys.stderr.write(f"Error: {error}\n")
    raise typer.Exit(code=error.exit_code)


def _guard(action: Callable[[], T]) -> T:
    try:
        return action()
    except ShuxiError as error:
        _fail(error)
        raise  # unreachable: _fail always exits


def _open(data: str, engine: EngineChoice | None, encoding: str | None = None, sheet: str | None = None,
          rename_duplicates: bool = False) -> Any:
    import shuxi

    sheet_value: str | int | None = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    return shuxi.open(data, engine=engine.value if engine else None, encoding=encoding, sheet=sheet_value,
                      duplicate_columns="rename" if rename_duplicates else "error")


def _echo(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
def schema(data: DataArg, format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
           engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None,
        rename_duplicates: RenameOpt = False) -> None:
    """Show the table name SQL uses, its columns and the types shuxi inferred.

    Example: shuxi schema sales.csv --format json
    """

    def run() -> None:
        with _open(data, engine, encoding, sheet, rename_duplicates) as ds:
            columns = ds.describe_schema()
            if format is TextOrJson.json:
                import json

                _echo(json.dumps({"table": ds.name, "raw_table": ds.raw_name, "source": data,
                                  "encoding": ds.source.encoding, "columns": columns}, ensure_ascii=False, indent=2))
                return
            from rich.console import Console
            from rich.table import Table

            out = Table(title=f"{ds.name}  ({data})", caption=f"original text: {ds.raw_name}" if ds.conversions else None)
            out.add_column("column")
            out.add_column("type")
            out.add_column("converted from text")
            labels = any("sentiment" in col for col in columns)
            if labels:
                out.add_column("sentiment")
            for col in columns:
                note = f"{col['kind']}: {col['detail']}" if "kind" in col else ""
                sides = col.get("sentiment") or {}
                sentiment = ", ".join(f"{v} = {k}" for k, v in sides.items()) if isinstance(sides, dict) else ""
                out.add_row(col["name"], col["type"], note, *([sentiment] if labels else []))
            Console().print(out)

    _guard(run)


@app.command()
def sql(data: DataArg,
        query: Annotated[str, typer.Argument(help="One read-only SELECT; the table is named after the file (see `shuxi schema`).", show_default=False)],
        format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.text,
        limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Most rows to return (default: SHUXI_ROW_LIMIT or 10000).")] = None,
        engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None,
        rename_duplicates: RenameOpt = False) -> None:
    """Run one read-only SQL query over DATA (checked first: no writes, no file access).

    Example: shuxi sql sales.parquet "SELECT region, sum(revenue) AS revenue FROM sales GROUP BY region"
    """

    def run() -> None:
        from shuxi.render import rich_table, table_to_csv, table_to_json

        with _open(data, engine, encoding, sheet, rename_duplicates) as ds:
            result = ds.sql(query, limit=limit)
            if format is TableFormat.json:
                _echo(table_to_json(result))
            elif format is TableFormat.csv:
                sys.stdout.write(table_to_csv(result))
            else:
                from rich.console import Console

                Console().print(rich_table(result))

    _guard(run)


class PlannerChoice(str, Enum):
    builtin = "builtin"
    llm = "llm"
    both = "both"


@app.command()
def ask(data: DataArg,
        question: Annotated[str, typer.Argument(help="A question in Chinese or English, e.g. \"各地区的总销售额\".", show_default=False)],
        format: Annotated[TextOrJson, typer.Option("--format", "-f", help="text for people, json for programs.")] = TextOrJson.text,
        chart: Annotated[Optional[Path], typer.Option("--chart", help="Also draw the answer's chart to this .png or .svg file.")] = None,
        overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing --chart file.")] = False,
        planner: Annotated[PlannerChoice, typer.Option("--planner", help="Who turns the question into a plan: builtin (offline rules), llm (an OpenAI-compatible model) or both (run the two and compare).")] = PlannerChoice.builtin,
        llm_base_url: Annotated[Optional[str], typer.Option("--llm-base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (default: SHUXI_LLM_BASE_URL or OPENAI_BASE_URL).")] = None,
        llm_model: Annotated[Optional[str], typer.Option("--llm-model", help="Model name (default: SHUXI_LLM_MODEL).")] = None,
        show_prompt: Annotated[bool, typer.Option("--show-prompt", help="Print exactly what would be sent to the LLM, and send nothing.")] = False,
        llm_narrate: Annotated[bool, typer.Option("--llm-narrate", help="Let the LLM phrase the answer (sends the result rows); numbers not in the result make shuxi keep its own text.")] = False,
        no_cache: Annotated[bool, typer.Option("--no-cache", help="Ask the LLM again instead of reusing a cached reply.")] = False,
        engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None,
        rename_duplicates: RenameOpt = False) -> None:
    """Answer a question about DATA: the answer, the numbers it comes from, the SQL that ran, and the statistics.

    Example: shuxi ask sales.csv "哪个地区的销售额最高"
    """

    def run() -> None:
        with _open(data, engine, encoding, sheet, rename_duplicates) as ds:
            llm = None
            if planner is not PlannerChoice.builtin or show_prompt or llm_narrate:
                from shuxi.ask.llm import LLM

                llm = LLM(base_url=llm_base_url, model=llm_model, cache=not no_cache, narrate=llm_narrate)
            if show_prompt:
                import json

                from shuxi.ask.llm import request_body

                _echo(json.dumps(request_body(ds, question, llm), ensure_ascii=False, indent=2))  # type: ignore[arg-type]
                return
            answer = ds.ask(question, planner=planner.value, llm=llm)
            written = answer.save_chart(chart, overwrite=overwrite) if chart is not None else None
            if format is TextOrJson.json:
                payload = answer.to_dict()
                if written is not None:
                    payload["chart_file"] = str(written)
                import json

                _echo(json.dumps(payload, ensure_ascii=False, indent=2))
                return
            from rich.console import Console

            console = Console()
            console.print(answer)
            if written is not None:
                console.print(f"[dim]chart written to {written}[/]")

    _guard(run)


@app.command()
def demo(rows: Annotated[int, typer.Option("--rows", min=1, help="Orders to generate.")] = 1_000_000,
         out: Annotated[Optional[Path], typer.Option("--out", help="Where to write the demo Parquet file (default: the shuxi cache).")] = None,
         engine: EngineOpt = None) -> None:
    """Build a realistic sales data set and ask it six questions in Chinese and English, the seed analysis included.

    Example: shuxi demo --rows 10000000
    """
    _guard(lambda: _run_demo(rows, out, engine))


def _run_demo(rows: int, out: Path | None, engine: EngineChoice | None) -> None:
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    import shuxi
    from shuxi.config import load_settings
    from shuxi.demo import DEMO_QUESTIONS, SEED_QUESTIONS, demo_path, generate_sales, seed_table

    console = Console()
    settings = load_settings({"engine": engine.value if engine else None})
    path = out or demo_path(settings.cache_dir, rows)
    if out is not None and out.exists():
        from shuxi.errors import DataError

        raise DataError(f"{out} already exists; the demo does not overwrite files.", path=str(out),
                        hint="Choose another --out path or remove the file.")
    if not path.exists():
        started = time.perf_counter()
        with Progress(TextColumn("generating demo orders"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
            task = progress.add_task("rows", total=rows)
            generate_sales(path, rows=rows, progress=lambda n: progress.advance(task, n))
        console.print(f"Wrote {rows:,} orders to {path} in {time.perf_counter() - started:.1f} s")
    else:
        console.print(f"Using {rows:,} demo orders in {path}")

    charts = (path.parent if out is None else Path(out).parent) / "charts"
    charts.mkdir(parents=True, exist_ok=True)

    def show(ds: Any, questions: list[str], title: str, prefix: str) -> None:
        for i, question in enumerate(questions, 1):
            started = time.perf_counter()
            answer = ds.ask(question)
            elapsed = time.perf_counter() - started
            console.rule(f"[bold]{title}[/]")
            console.print(answer)
            line = f"[dim]{elapsed * 1000:.0f} ms on {ds.engine.name}"
            if answer.chart is not None:
                written = answer.save_chart(charts / f"{prefix}{i}.png", overwrite=True)
                line += f"; chart: {written}"
            console.print(line + "[/]")

    with shuxi.open(path, engine=engine.value if engine else None) as ds:
        show(ds, DEMO_QUESTIONS, f"{ds.name} ({rows:,} orders)", "orders-")
    with shuxi.open(seed_table(), name="seed", engine=engine.value if engine else None) as ds:
        show(ds, SEED_QUESTIONS, "Seed scenario: products A/B/C at 100/200/300 selling 1000/800/600", "seed-")


# -- commands that live with their library layer ----------------------------------------------------
# Each module below imports only typer (and shuxi.cli helpers) at the top; heavy libraries load inside commands.
# Register one line per layer here; keep the logic in the layer's own cli module.
from shuxi.profile.cli import clean as _clean_command  # noqa: E402
from shuxi.profile.cli import profile as _profile_command  # noqa: E402

app.command("profile")(_profile_command)
app.command("clean")(_clean_command)
from shuxi.text.cli import app as _text_app  # noqa: E402

app.add_typer(_text_app, name="text")
from shuxi.lm.cli import app as _lm_app  # noqa: E402

app.add_typer(_lm_app, name="lm")
from shuxi.insight.cli import app as _stats_app  # noqa: E402

app.add_typer(_stats_app, name="stats")
from shuxi.ask.llm_cli import app as _llm_app  # noqa: E402

app.add_typer(_llm_app, name="llm")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
