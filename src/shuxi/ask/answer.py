"""``Answer``: what ``ds.ask`` returns — the text, the result it was computed from, the SQL and the statistics."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    from shuxi.plan.ir import Plan


@dataclass
class Answer:
    """The answer to one question.

    ``text`` is in the question's language and every number in it comes from ``table``, the result of
    ``sql``; ``values`` is the flat list of answer cells (a single value, or the first column of a list
    answer) for programs; ``stats`` holds the statistics behind the text (n, p-values, confidence
    intervals); ``chart`` is a Vega-Lite spec or None.
    """

    question: str
    text: str
    table: pa.Table
    values: list[Any]
    sql: str | None
    plan: Plan | None
    chart: dict[str, Any] | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    language: str = "en"
    #: Extra SQL that produced the statistics (Spearman's ρ, histograms, drivers), for the record.
    extra_sql: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable: question, text, sql, plan, columns, rows, values, chart, stats, warnings."""
        from shuxi.render import json_value

        return {
            "question": self.question,
            "language": self.language,
            "text": self.text,
            "sql": self.sql,
            "plan": json.loads(self.plan.to_json()) if self.plan is not None else None,
            "columns": self.table.column_names,
            "rows": [[json_value(v) for v in row.values()] for row in self.table.to_pylist()],
            "values": [json_value(v) for v in self.values],
            "chart": self.chart,
            "stats": json_value(self.stats),
            "warnings": list(self.warnings),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def save_chart(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Render the chart to a PNG or SVG file (offline). Raises PlanError when the answer has no chart."""
        from shuxi.errors import PlanError

        if self.chart is None:
            raise PlanError("This answer has no chart (a single number or a lookup is not drawn).",
                            hint="Ask for a breakdown, a trend or a comparison to get a chart.")
        from shuxi.viz.render import save_chart

        return save_chart(self.chart, path, overwrite=overwrite)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<shuxi.Answer {self.text!r}>"

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.panel import Panel
        from rich.syntax import Syntax

        from shuxi.render import rich_table

        yield Panel(self.text, title=self.question, expand=False)
        if self.table.num_rows > 1 or self.table.num_columns > 1:
            yield rich_table(self.table)
        if self.sql:
            yield Syntax(self.sql, "sql", word_wrap=True)
        for warning in self.warnings:
            yield f"[yellow]! {warning}[/]"

    def _repr_html_(self) -> str:
        from shuxi.render import json_value

        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.table.column_names)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(json_value(v)))}</td>" for v in row.values()) + "</tr>"
                       for row in self.table.slice(0, 50).to_pylist())
        warnings = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        return (f"<div class='shuxi-answer'><p><b>{html.escape(self.text)}</b></p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
                + (f"<ul>{warnings}</ul>" if warnings else "")
                + (f"<details><summary>SQL</summary><pre>{html.escape(self.sql)}</pre></details>" if self.sql else "")
                + "</div>")
