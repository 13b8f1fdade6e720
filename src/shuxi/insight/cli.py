"""``shuxi stats``: correlation, drivers and distribution of columns, straight from the insight layer.

Thin commands (registered in ``shuxi.cli``): open the data, call one library function, print the result and,
with ``--chart``, draw it. Heavy libraries load inside the commands.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from shuxi.cli import DataArg, EncodingOpt, EngineOpt, SheetOpt, TextOrJson, _echo, _guard, _open, command_group

app = command_group(
    "stats",
    "Statistics of columns: correlation (with its test), what drives a column, and distributions.\n\n"
    "Example: shuxi stats corr sales.csv price quantity",
)


class Method(str, Enum):
    pearson = "pearson"
    spearman = "spearman"


class LanguageChoice(str, Enum):
    auto = "auto"
    zh = "zh"
    en = "en"


FormatOpt = Annotated[TextOrJson, typer.Option("--format", "-f", help="text for people, json for programs.")]
LangOpt = Annotated[LanguageChoice, typer.Option("--lang", help="Language of the sentences (auto: Chinese when a column name is).")]
ChartOpt = Annotated[Optional[Path], typer.Option("--chart", help="Also draw the chart to this .png or .svg file.")]
OverwriteOpt = Annotated[bool, typer.Option("--overwrite", help="Replace an existing --chart file.")]

_CJK = re.compile(r"[\u3400-\u9fff]")


def _language(choice: LanguageChoice, *names: str) -> str:
    if choice is not LanguageChoice.auto:
        return choice.value
    return "zh" if any(_CJK.search(name) for name in names) else "en"


def _json(payload: dict[str, Any]) -> None:
    import json

    _echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _check_chart_target(chart: Path | None, overwrite: bool) -> None:
    """Refuse a bad or existing --chart file before any work is done (save_chart checks again when writing)."""
    if chart is None:
        return
    from shuxi.errors import DataError
    from shuxi.viz.render import FORMATS

    if chart.suffix.lower() not in FORMATS:
        raise DataError(f"Cannot save a chart as {chart.name!r}: unknown file type {chart.suffix or '(none)'!r}.",
                        path=str(chart), hint="Name the file .png or .svg, e.g. chart.png.")
    if chart.exists() and not overwrite:
        raise DataError(f"{str(chart)!r} already exists; shuxi does not replace files unless asked.",
                        path=str(chart), hint="Choose another name, or pass --overwrite.")


@app.command("corr")
def corr(data: DataArg,
         x: Annotated[str, typer.Argument(help="The first numeric column.", show_default=False)],
         y: Annotated[str, typer.Argument(help="The second numeric column.", show_default=False)],
         method: Annotated[Method, typer.Option("--method", help="pearson (linear) or spearman (rank, monotonic).")] = Method.pearson,
         format: FormatOpt = TextOrJson.text, lang: LangOpt = LanguageChoice.auto,
         chart: ChartOpt = None, overwrite: OverwriteOpt = False,
         engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None) -> None:
    """Correlate two columns: r (or ρ), n, p-value, 95% CI and the sign and strength in words.

    Example: shuxi stats corr sales.csv price quantity --method spearman
    """

    def run() -> None:
        from shuxi.insight.correlation import correlate

        _check_chart_target(chart, overwrite)
        language = _language(lang, x, y)
        with _open(data, engine, encoding, sheet) as ds:
            result = correlate(ds, x, y, method=method.value)
            written = None
            if chart is not None:
                from shuxi.insight.sampling import sample_pairs
                from shuxi.viz.charts import chart_for
                from shuxi.viz.render import save_chart

                spec = chart_for("correlate", sample_pairs(ds, x, y), x=x, y=y, title=f"{x} – {y}",
                                 language=language)  # type: ignore[arg-type]
                written = save_chart(spec, chart, overwrite=overwrite) if spec is not None else None
        text = result.describe(language, x=x, y=y)  # type: ignore[arg-type]
        if format is TextOrJson.json:
            _json({**result.to_dict(), "x": x, "y": y, "text": text,
                   "chart_file": str(written) if written is not None else None})
            return
        _echo(text)
        if written is not None:
            _echo(f"chart written to {written}")

    _guard(run)


@app.command("drivers")
def drivers(data: DataArg,
            target: Annotated[str, typer.Argument(help="The numeric column to explain, e.g. sales.", show_default=False)],
            max_categories: Annotated[int, typer.Option("--max-categories", min=2, help="Text columns with more distinct values than this are skipped (ids, names).")] = 50,
            format: FormatOpt = TextOrJson.text,
            engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None) -> None:
    """Rank the other columns by how strongly they go with TARGET: |r| for numbers, η² for categories, with n and p.

    Association, not causation: a column that ranks high moves with TARGET; it need not cause it.

    Example: shuxi stats drivers sales.csv revenue
    """

    def run() -> None:
        from shuxi.insight.drivers import rank_drivers

        with _open(data, engine, encoding, sheet) as ds:
            table = rank_drivers(ds, target, max_categories=max_categories)
        if format is TextOrJson.json:
            _json({"target": target, "drivers": table.to_pylist()})
            return
        from rich.console import Console
        from rich.table import Table

        from shuxi.insight.formatting import format_coefficient, format_p_value

        out = Table(title=f"What goes with {target}", caption="Association, not causation.")
        for name, justify in (("column", "left"), ("effect", "left"), ("value", "right"), ("n", "right"),
                              ("p", "left"), ("r", "right"), ("note", "left")):
            out.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
        for row in table.to_pylist():
            groups = f" ({row['groups']} groups)" if row["kind"] == "category" and row["groups"] else ""
            out.add_row(row["column"], row["effect"] + groups,
                        format_coefficient(row["value"]) if row["value"] is not None else "",
                        f"{row['n']:,}" if row["n"] is not None else "",
                        format_p_value(row["p_value"]) if row["p_value"] is not None else "",
                        format_coefficient(row["r"]) if row["r"] is not None else "", row["note"] or "")
        Console().print(out)

    _guard(run)


@app.command("hist")
def hist(data: DataArg,
         column: Annotated[str, typer.Argument(help="The numeric column.", show_default=False)],
         bins: Annotated[int, typer.Option("--bins", min=1, max=200, help="About this many bins (edges are rounded to 1, 2 or 5 × 10^k).")] = 20,
         format: FormatOpt = TextOrJson.text, lang: LangOpt = LanguageChoice.auto,
         chart: ChartOpt = None, overwrite: OverwriteOpt = False,
         engine: EngineOpt = None, encoding: EncodingOpt = None, sheet: SheetOpt = None) -> None:
    """Describe the distribution of COLUMN: n, mean, standard deviation, quartiles, and a histogram.

    Example: shuxi stats hist sales.csv price --bins 10 --chart price.png
    """

    def run() -> None:
        from shuxi.insight.distribution import histogram, quantile_summary

        _check_chart_target(chart, overwrite)
        language = _language(lang, column)
        with _open(data, engine, encoding, sheet) as ds:
            summary = quantile_summary(ds, column)
            counts = histogram(ds, column, bins=bins)
        written = None
        if chart is not None:
            from shuxi.viz.charts import chart_for
            from shuxi.viz.render import save_chart

            spec = chart_for("distribution", counts, x=column, y=None, title=column, language=language)  # type: ignore[arg-type]
            written = save_chart(spec, chart, overwrite=overwrite) if spec is not None else None
        if format is TextOrJson.json:
            _json({"column": column, "summary": summary, "histogram": counts.to_pylist(),
                   "chart_file": str(written) if written is not None else None})
            return
        from rich.console import Console

        from shuxi.insight.formatting import format_number
        from shuxi.render import rich_table

        console = Console()
        console.print("  ".join(f"{key} = {format_number(value, language)}"  # type: ignore[arg-type]
                                for key, value in summary.items()))
        console.print(rich_table(counts))
        if written is not None:
            console.print(f"chart written to {written}")

    _guard(run)
