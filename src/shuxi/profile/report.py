"""Showing a profile: a rich terminal view and one self-contained HTML page (inline SVG charts, no CDN)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from shuxi.render import format_cell

if TYPE_CHECKING:
    from shuxi.profile.profiler import ColumnProfile, Profile

#: Most chart bars in a top-values chart.
_TOP_BARS = 10


def _short(value: Any, width: int = 40) -> str:
    text = format_cell(value) if not isinstance(value, str) else repr(value) if value != value.strip() or not value else value
    return text if len(text) <= width else text[: width - 1] + "…"


def _distinct(col: ColumnProfile) -> str:
    if col.distinct is None:
        return ""
    return f"{col.distinct:,}" if col.distinct_exact else f"≈{col.distinct:,}"


def column_summary(col: ColumnProfile) -> str:
    """One line of a column's main numbers: range and mean for numbers, lengths for text."""
    if col.mean is not None:
        return f"{format_cell(col.min)} … {format_cell(col.max)}, mean {format_cell(round(col.mean, 4))}"
    if col.min is not None:
        return f"{format_cell(col.min)} … {format_cell(col.max)}"
    if col.mean_length is not None:
        return f"length {col.min_length}–{col.max_length}" + (" (sample)" if col.lengths_sampled else "")
    return ""


def rich_report(prof: Profile) -> Any:
    """A rich renderable: overview, alerts first, then one row per column."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    overview = (f"[bold]{prof.table}[/] ({prof.source}) on {prof.engine}: {prof.rows:,} rows × {len(prof.columns)} columns, "
                f"{prof.duplicate_rows:,} duplicate rows, candidate keys: {', '.join(prof.candidate_keys) or 'none'}; "
                f"{len(prof.alerts)} alerts; profiled in {prof.seconds:.2f} s")
    alerts = Table(title="Alerts", show_lines=False)
    for name in ("alert", "column", "rows", "what", "examples"):
        alerts.add_column(name, overflow="fold", justify="right" if name == "rows" else "left")
    for alert in prof.alerts:
        rows = f"{'≈' if alert.estimated else ''}{alert.rows:,}"
        alerts.add_row(alert.code, ", ".join(alert.columns), rows, alert.message,
                       ", ".join(_short(e, 30) for e in alert.examples[:3] if not isinstance(e, dict)))
    columns = Table(title="Columns")
    for name in ("column", "type", "semantic", "missing", "distinct", "range / length", "top values"):
        columns.add_column(name, overflow="fold", justify="right" if name in ("missing", "distinct") else "left")
    for col in prof.columns:
        kind = col.physical_type + (f" (from {col.raw_type})" if col.conversion else "")
        top = ", ".join(f"{_short(v, 16)} ({c:,})" for v, c in col.top_values[:3])
        columns.add_row(col.name, kind, col.semantic_type, f"{col.missing:,}", _distinct(col), column_summary(col), top)
    parts: list[Any] = [Panel(overview)]
    if prof.alerts:
        parts.append(alerts)
    parts.append(columns)
    for note in prof.notes:
        parts.append(f"[dim]{note}[/]")
    return Group(*parts)


# -- HTML --------------------------------------------------------------------------------------------

_CSS = """
body{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}h3{margin-top:1.8rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}.num{text-align:right}.alert{color:#a40000;font-weight:600}.muted{color:#777}
.col{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-start}.chart svg{max-width:100%;height:auto}
code{background:#f3f3f3;padding:0 .2rem}
"""


def _esc(value: Any) -> str:
    return html.escape(value if isinstance(value, str) else format_cell(value))


def _svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec rendered to inline SVG offline (vl-convert bundles Vega; nothing is fetched)."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec))


def _histogram_chart(col: ColumnProfile) -> str | None:
    if not col.histogram or not any(col.histogram["counts"]):
        return None
    edges, counts = col.histogram["edges"], col.histogram["counts"]
    values = [{"from": edges[i], "to": edges[i + 1], "rows": counts[i]} for i in range(len(counts))]
    return _svg({
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 420, "height": 160,
        "title": f"{col.name}: histogram", "data": {"values": values},
        "mark": {"type": "bar", "color": "#4c78a8"},
        "encoding": {"x": {"field": "from", "bin": {"binned": True}, "type": "quantitative", "title": col.name},
                     "x2": {"field": "to"}, "y": {"field": "rows", "type": "quantitative", "title": "rows"}},
    })


def _top_chart(col: ColumnProfile) -> str | None:
    if not col.top_values or col.histogram:
        return None
    values = [{"value": _short(v, 24), "rows": c} for v, c in col.top_values[:_TOP_BARS]]
    return _svg({
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 420, "height": {"step": 16},
        "title": f"{col.name}: most common values" + (" (sample)" if col.top_values_sampled else ""),
        "data": {"values": values}, "mark": {"type": "bar", "color": "#72b7b2"},
        "encoding": {"y": {"field": "value", "type": "nominal", "sort": "-x", "title": None},
                     "x": {"field": "rows", "type": "quantitative", "title": "rows"}},
    })


def _stats_rows(col: ColumnProfile) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("type", col.physical_type), ("type in the file", col.raw_type), ("semantic type", col.semantic_type),
        ("shuxi reads it as", col.conversion or "—"), ("present", col.count),
        ("missing", f"{col.missing:,}" + (" (" + ", ".join(f"{k} {v:,}" for k, v in col.missing_by_kind.items()) + ")" if col.missing else "")),
        ("distinct", _distinct(col) + ("" if col.distinct_exact else " (HyperLogLog estimate)")),
    ]
    for label, value in (("min", col.min), ("max", col.max), ("mean", col.mean), ("std", col.std), ("skewness", col.skewness),
                         ("zeros", col.zeros), ("negative", col.negative), ("infinite", col.infinite), ("NaN", col.nan),
                         ("true", col.true_count), ("text length", f"{col.min_length}–{col.max_length}, mean {col.mean_length}" + (" (in the sample)" if col.lengths_sampled else "")
                          if col.mean_length is not None else None),
                         ("padded with spaces", col.padded)):
        if value is not None:
            rows.append((label, round(value, 6) if isinstance(value, float) else value))
    if col.quantiles:
        rows.append(("quantiles (approx.)", ", ".join(f"p{float(q) * 100:g} {format_cell(v)}" for q, v in col.quantiles.items())))
    if col.outliers:
        o = col.outliers
        parts = []
        if "iqr" in o:
            parts.append(f"{o['iqr']:,} beyond 1.5×IQR, {o['far']:,} beyond 3×IQR")
        if "robust_z" in o:
            parts.append(f"{o['robust_z']:,} with |robust z| > 3.5")
        rows.append(("outliers", "; ".join(parts)))
    if col.patterns:
        rows.append(("patterns", ", ".join(f"{p} ({c:,})" for p, c in col.patterns[:5])))
    if col.kinds:
        rows.append(("cell kinds", ", ".join(f"{k} {s:.1%}" for k, s in col.kinds.items())))
    return rows


def render_html(prof: Profile) -> str:
    """The whole report as one HTML page: overview, alerts, correlations, then a section per column."""
    out = ["<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">",
           f"<title>shuxi profile: {_esc(prof.table)}</title><style>{_CSS}</style></head><body>",
           f"<h1>Profile of <code>{_esc(prof.table)}</code></h1>",
           f"<p>{_esc(prof.source)} on {_esc(prof.engine)}: <b>{prof.rows:,}</b> rows × <b>{len(prof.columns)}</b> columns; "
           f"{prof.duplicate_rows:,} duplicate rows; candidate keys: {_esc(', '.join(prof.candidate_keys) or 'none')}; "
           f"profiled in {prof.seconds:.2f} s.</p>",
           f"<h2>Alerts ({len(prof.alerts)})</h2>"]
    if prof.alerts:
        out.append("<table><tr><th>alert</th><th>columns</th><th class=num>rows</th><th>what</th><th>examples</th></tr>")
        for a in prof.alerts:
            examples = ", ".join(_esc(e) if not isinstance(e, dict) else _esc(str(e)) for e in a.examples[:4])
            out.append(f"<tr><td class=alert>{a.code}</td><td>{_esc(', '.join(a.columns))}</td>"
                       f"<td class=num>{'≈' if a.estimated else ''}{a.rows:,}</td><td>{_esc(a.message)}</td><td>{examples}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>No alerts.</p>")
    out.append("<h2>Columns</h2><table><tr><th>column</th><th>type</th><th>semantic</th><th class=num>missing</th>"
               "<th class=num>distinct</th><th>range / length</th></tr>")
    for col in prof.columns:
        out.append(f"<tr><td><a href=\"#col-{prof.columns.index(col)}\">{_esc(col.name)}</a></td><td>{_esc(col.physical_type)}</td>"
                   f"<td>{_esc(col.semantic_type)}</td><td class=num>{col.missing:,}</td><td class=num>{_esc(_distinct(col))}</td>"
                   f"<td>{_esc(column_summary(col))}</td></tr>")
    out.append("</table>")
    if prof.correlations or prof.associations:
        out.append("<h2>Correlations and associations</h2><table><tr><th>a</th><th>b</th><th>measure</th><th class=num>value</th></tr>")
        for a, b, r in sorted(prof.correlations, key=lambda x: -abs(x[2]))[:20]:
            out.append(f"<tr><td>{_esc(a)}</td><td>{_esc(b)}</td><td>Pearson r</td><td class=num>{r:.3f}</td></tr>")
        for a, b, v in sorted(prof.associations, key=lambda x: -x[2])[:20]:
            out.append(f"<tr><td>{_esc(a)}</td><td>{_esc(b)}</td><td>Cramér's V (sample)</td><td class=num>{v:.3f}</td></tr>")
        out.append("</table>")
    for i, col in enumerate(prof.columns):
        out.append(f"<h3 id=\"col-{i}\">{_esc(col.name)} <span class=muted>{_esc(col.semantic_type)}</span></h3><div class=col><table>")
        out.extend(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in _stats_rows(col))
        out.append("</table>")
        chart = _histogram_chart(col) or _top_chart(col)
        if chart:
            out.append(f"<div class=chart>{chart}</div>")
        out.append("</div>")
        if col.top_values:
            label = "Most common values" + (" (in the sample)" if col.top_values_sampled else "")
            out.append(f"<p><b>{label}:</b> " + ", ".join(f"{_esc(_short(v))} ({c:,})" for v, c in col.top_values) + "</p>")
        if col.variants:
            out.append("<p><b>Spellings of one category:</b> " + "; ".join(" / ".join(f"{_esc(repr(v))} ({c:,})" for v, c in g) for g in col.variants) + "</p>")
        col_alerts = [a for a in prof.alerts if col.name in a.columns]
        if col_alerts:
            out.append("<ul>" + "".join(f"<li class=alert>{a.code}: {_esc(a.message)}</li>" for a in col_alerts) + "</ul>")
    out.extend(f"<p class=muted>{_esc(note)}</p>" for note in prof.notes)
    out.append("</body></html>")
    return "\n".join(out)
