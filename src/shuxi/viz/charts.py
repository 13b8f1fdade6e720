"""Vega-Lite v5 chart specs chosen by the kind of analysis an answer is.

| kind                                           | chart                                               |
|------------------------------------------------|-----------------------------------------------------|
| group, rank, share, tiers, compare, aggregate  | bar, sorted (tiers/compare keep the table's order); |
|                                                | grouped bar with a second dimension (``color``) or  |
|                                                | several measures (``y`` a list)                      |
| trend                                          | line (temporal x for dates), one line per ``color`` |
| correlate                                      | scatter of the sample points + fitted regression    |
| distribution                                   | histogram from pre-binned counts                    |
|                                                | (columns ``bin_start``, ``bin_end``, ``count``)      |
| lookup / a single value                        | no chart (None)                                     |

The data travel inline (``data.values``, at most :data:`MAX_ROWS` rows), converted to JSON-friendly values:
dates and times become ISO strings, decimals floats, NaN null. Render a spec to PNG/SVG with
:func:`shuxi.viz.render.save_chart`.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any, Literal

import pyarrow as pa

from shuxi.errors import ColumnNotFoundError

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json"
#: At most this many rows go into a spec; more are cut (``usermeta.shuxi.truncated`` says so).
MAX_ROWS = 5000
BAR_KINDS = frozenset({"group", "rank", "share", "tiers", "compare", "aggregate", "top"})
#: Bar kinds whose table order is meaningful (low/mid/high tiers, A vs B) and must not be re-sorted by value.
ORDERED_KINDS = frozenset({"tiers", "compare"})

_WORDS = {
    "en": {"count": "Count", "value": "Value", "measure": "Measure", "fit": "linear fit"},
    "zh": {"count": "数量", "value": "数值", "measure": "指标", "fit": "线性拟合"},
}


def chart_for(
    kind: str,
    table: pa.Table,
    *,
    x: str | None,
    y: str | list[str] | None,
    color: str | None = None,
    title: str | None = None,
    language: Literal["zh", "en"] = "en",
) -> dict[str, Any] | None:
    """A Vega-Lite v5 spec (a dict with the data inline) that fits an answer of this ``kind``, or None when no
    chart helps (a single value, an empty result, an unknown kind, or no column to put on an axis).

    ``x`` is the dimension (category, date, or the correlation's x), ``y`` the measure(s), ``color`` an optional
    second dimension. For ``"distribution"``, ``table`` holds pre-binned counts (``bin_start``, ``bin_end``,
    ``count``), as :func:`shuxi.insight.distribution.histogram` returns; ``x`` then only names the axis.

    >>> spec = chart_for("group", table, x="地区", y="销售额", language="zh")
    >>> spec["mark"]["type"]
    'bar'
    """
    if table.num_rows == 0:
        return None
    measures = [y] if isinstance(y, str) else list(y or [])
    spec = _choose(kind, table, x=x, measures=measures, color=color, title=title, language=language)
    if spec is not None:
        spec["usermeta"]["shuxi"].update({"kind": kind, "language": language})
    return spec


def _choose(kind: str, table: pa.Table, *, x: str | None, measures: list[str], color: str | None,
            title: str | None, language: str) -> dict[str, Any] | None:
    if kind == "distribution":
        return _histogram(table, x=x, title=title, language=language)
    for name in [x, color, *measures]:
        if name is not None and name not in table.column_names:
            raise ColumnNotFoundError(name, table="chart data", available=table.column_names)
    if x is None or not measures or table.num_rows < 2 and kind != "correlate":
        return None
    if kind in BAR_KINDS:
        return _bar(kind, table, x=x, measures=measures, color=color, title=title, language=language)
    if kind == "trend":
        return _line(table, x=x, measures=measures, color=color, title=title, language=language)
    if kind == "correlate":
        return _scatter(table, x=x, y=measures[0], color=color, title=title, language=language)
    return None


# -- the chart kinds ---------------------------------------------------------------------------------------------


def _bar(kind: str, table: pa.Table, *, x: str, measures: list[str], color: str | None, title: str | None,
         language: str) -> dict[str, Any]:
    values, meta = table_values(table)
    labels = [str(v) for v in table.column(x).to_pylist()]
    horizontal = len(set(labels)) > 12 or max((len(label) for label in labels), default=0) > 10
    category_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    order: Any = _table_order(table, x) if kind in ORDERED_KINDS else None
    category: dict[str, Any] = {"field": field_name(x), "type": "nominal", "title": x}
    if not horizontal:
        category["axis"] = {"labelAngle": 0}  # short labels (long ones switch to horizontal bars) read level
    encoding: dict[str, Any] = {category_axis: category}
    transform: list[dict[str, Any]] = []
    if len(measures) > 1:  # several measures side by side: fold them into (measure, value) pairs
        words = _WORDS[language]
        transform.append({"fold": measures, "as": ["__measure", "__value"]})
        encoding[value_axis] = {"field": "__value", "type": "quantitative", "title": words["value"]}
        encoding[category_axis + "Offset"] = {"field": "__measure", "type": "nominal"}
        encoding["color"] = {"field": "__measure", "type": "nominal", "title": words["measure"], "sort": measures}
        category["sort"] = order
        tooltip_value: dict[str, Any] = {"field": "__value", "type": "quantitative", "format": ",.4~g"}
        encoding["tooltip"] = [{"field": field_name(x), "type": "nominal"},
                               {"field": "__measure", "type": "nominal"}, tooltip_value]
    else:
        measure = measures[0]
        value: dict[str, Any] = {"field": field_name(measure), "type": "quantitative", "title": measure}
        if kind == "share" and _all_fractions(table, measure):
            value["axis"] = {"format": ".0%"}
        encoding[value_axis] = value
        category["sort"] = order if order is not None else f"-{value_axis}"
        tooltip = [{"field": field_name(x), "type": "nominal"},
                   {"field": field_name(measure), "type": "quantitative", "format": ",.4~g"}]
        if color is not None:
            encoding[category_axis + "Offset"] = {"field": field_name(color), "type": "nominal"}
            encoding["color"] = {"field": field_name(color), "type": "nominal", "title": color}
            tooltip.insert(1, {"field": field_name(color), "type": "nominal"})
            if order is None:  # a sum-sorted axis reads wrongly when bars are grouped; keep the table's order
                category["sort"] = _table_order(table, x)
        encoding["tooltip"] = tooltip
    # Horizontal bars grow downwards one step per category; vertical ones (12 or fewer) share a fixed width.
    spec = _spec(values, meta, title, width=True, height=not horizontal)
    if transform:
        spec["transform"] = transform
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = encoding
    return spec


def _line(table: pa.Table, *, x: str, measures: list[str], color: str | None, title: str | None,
          language: str) -> dict[str, Any]:
    values, meta = table_values(table)
    x_type = _axis_type(table.schema.field(x).type)
    encoding: dict[str, Any] = {"x": {"field": field_name(x), "type": x_type, "title": x}}
    transform: list[dict[str, Any]] = []
    if len(measures) > 1:
        words = _WORDS[language]
        transform.append({"fold": measures, "as": ["__measure", "__value"]})
        encoding["y"] = {"field": "__value", "type": "quantitative", "title": words["value"]}
        encoding["color"] = {"field": "__measure", "type": "nominal", "title": words["measure"]}
    else:
        encoding["y"] = {"field": field_name(measures[0]), "type": "quantitative", "title": measures[0]}
        if color is not None:
            encoding["color"] = {"field": field_name(color), "type": "nominal", "title": color}
    if x_type == "ordinal":
        encoding["x"]["sort"] = None  # keep the table's order (year numbers, week labels)
    elif pa.types.is_date(table.schema.field(x).type):
        # "2024-03-01" parses as UTC midnight; a UTC scale keeps it on March 1st in every time zone.
        encoding["x"]["scale"] = {"type": "utc"}
    spec = _spec(values, meta, title)
    if transform:
        spec["transform"] = transform
    spec["mark"] = {"type": "line", "point": True, "tooltip": True}
    spec["encoding"] = encoding
    return spec


def _scatter(table: pa.Table, *, x: str, y: str, color: str | None, title: str | None,
             language: str) -> dict[str, Any]:
    values, meta = table_values(table)
    xs = {"field": field_name(x), "type": "quantitative", "title": x, "scale": {"zero": False}}
    ys = {"field": field_name(y), "type": "quantitative", "title": y, "scale": {"zero": False}}
    points: dict[str, Any] = {"mark": {"type": "point", "filled": True, "opacity": 0.6, "tooltip": True},
                              "encoding": {"x": xs, "y": ys}}
    if color is not None:
        points["encoding"]["color"] = {"field": field_name(color), "type": "nominal", "title": color}
    fit = {
        "transform": [{"regression": field_name(y), "on": field_name(x)}],
        "mark": {"type": "line", "color": "#d62728", "strokeWidth": 2},
        "encoding": {"x": dict(xs), "y": dict(ys)},
        "description": _WORDS[language]["fit"],
    }
    spec = _spec(values, meta, title)
    spec["layer"] = [points, fit]
    return spec


def _histogram(table: pa.Table, *, x: str | None, title: str | None, language: str) -> dict[str, Any] | None:
    missing = [c for c in ("bin_start", "bin_end", "count") if c not in table.column_names]
    if missing:
        raise ColumnNotFoundError(missing[0], table="histogram data", available=table.column_names)
    values, meta = table_values(table.select(["bin_start", "bin_end", "count"]))
    # x names the measured column; the bin columns themselves make a poor axis title.
    label = x if x and x not in ("bin_start", "bin_end", "count") else _WORDS[language]["value"]
    spec = _spec(values, meta, title)
    spec["mark"] = {"type": "bar", "tooltip": True, "binSpacing": 1}
    spec["encoding"] = {
        "x": {"field": "bin_start", "type": "quantitative", "bin": {"binned": True}, "title": label},
        "x2": {"field": "bin_end"},
        "y": {"field": "count", "type": "quantitative", "title": _WORDS[language]["count"]},
        "tooltip": [{"field": "bin_start", "type": "quantitative"}, {"field": "bin_end", "type": "quantitative"},
                    {"field": "count", "type": "quantitative"}],
    }
    return spec


# -- helpers -----------------------------------------------------------------------------------------------------


def _spec(values: list[dict[str, Any]], meta: dict[str, Any], title: str | None, *,
          width: bool = True, height: bool = True) -> dict[str, Any]:
    """The common part; a discrete axis gets no fixed size so that Vega-Lite gives each bar room (a step)."""
    spec: dict[str, Any] = {"$schema": SCHEMA_URL}
    if title:
        spec["title"] = title
    if width:
        spec["width"] = 480
    if height:
        spec["height"] = 300
    spec["data"] = {"values": values}
    spec["usermeta"] = {"shuxi": meta}
    return spec


def field_name(name: str) -> str:
    """A column name as a Vega-Lite field: dots and brackets would read as nested access, so they are escaped."""
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def table_values(table: pa.Table, *, max_rows: int = MAX_ROWS) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The first ``max_rows`` rows as JSON-friendly dicts, and a note of how many rows there were."""
    shown = table.slice(0, max_rows)
    rows = [{key: json_value(value) for key, value in row.items()} for row in shown.to_pylist()]
    return rows, {"rows": table.num_rows, "shown": shown.num_rows, "truncated": table.num_rows > max_rows}


def json_value(value: Any) -> Any:
    """A cell as JSON can carry it: ISO strings for dates and times, floats for decimals, null for NaN."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return str(value)


def _axis_type(kind: pa.DataType) -> str:
    if pa.types.is_temporal(kind):
        return "temporal"
    if pa.types.is_integer(kind):  # years, month numbers: evenly spaced labels, not a 2,023.5 tick
        return "ordinal"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "quantitative"
    return "ordinal"


def _table_order(table: pa.Table, column: str) -> list[Any]:
    seen: dict[Any, None] = {}
    for value in table.column(column).to_pylist():
        seen.setdefault(json_value(value), None)
    return list(seen)


def _all_fractions(table: pa.Table, column: str) -> bool:
    cells = [v for v in table.column(column).to_pylist() if v is not None]
    return bool(cells) and all(0 <= float(v) <= 1 for v in cells)
