"""chart_for: the right Vega-Lite structure per analysis kind, with JSON-safe inline data."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
import pytest

from shuxi.errors import ColumnNotFoundError
from shuxi.viz.charts import MAX_ROWS, SCHEMA_URL, chart_for, field_name

REGIONS = pa.table({"地区": ["华东", "华南", "华北"], "销售额": [Decimal("1200.50"), Decimal("980"), Decimal("1500")]})


def _dumps(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, allow_nan=False)  # raises on NaN or non-JSON values


@pytest.mark.parametrize("kind", ["group", "rank", "share", "aggregate"])
def test_bar_kinds_sort_by_value(kind: str) -> None:
    spec = chart_for(kind, REGIONS, x="地区", y="销售额", title="各地区销售额", language="zh")
    assert spec is not None and spec["$schema"] == SCHEMA_URL and spec["title"] == "各地区销售额"
    assert spec["mark"]["type"] == "bar"
    x, y = spec["encoding"]["x"], spec["encoding"]["y"]
    assert x == {"field": "地区", "type": "nominal", "title": "地区", "axis": {"labelAngle": 0}, "sort": "-y"}
    assert y["field"] == "销售额" and y["type"] == "quantitative"
    assert spec["data"]["values"][0] == {"地区": "华东", "销售额": 1200.5}  # Decimal became a float
    assert spec["usermeta"]["shuxi"] == {"rows": 3, "shown": 3, "truncated": False, "kind": kind, "language": "zh"}
    _dumps(spec)


def test_tiers_keep_the_table_order() -> None:
    tiers = pa.table({"档位": ["低", "中", "高"], "平均销量": [1000.0, 800.0, 600.0]})
    spec = chart_for("tiers", tiers, x="档位", y="平均销量")
    assert spec is not None and spec["encoding"]["x"]["sort"] == ["低", "中", "高"]


def test_share_of_fractions_is_a_percent_axis() -> None:
    shares = pa.table({"渠道": ["线上", "门店"], "占比": [0.7, 0.3]})
    spec = chart_for("share", shares, x="渠道", y="占比")
    assert spec is not None and spec["encoding"]["y"]["axis"] == {"format": ".0%"}


def test_two_dimensions_make_a_grouped_bar() -> None:
    table = pa.table({"tier": ["low", "low", "high", "high"], "year": [2023, 2024, 2023, 2024],
                      "sales": [10.0, 12.0, 7.0, 9.0]})
    spec = chart_for("group", table, x="tier", y="sales", color="year")
    assert spec is not None
    enc = spec["encoding"]
    assert enc["xOffset"] == {"field": "year", "type": "nominal"} and enc["color"]["field"] == "year"
    assert enc["x"]["sort"] == ["low", "high"]


def test_several_measures_are_folded_side_by_side() -> None:
    table = pa.table({"product": ["A", "B", "C"], "price": [100, 200, 300], "sales": [1000, 800, 600]})
    spec = chart_for("compare", table, x="product", y=["price", "sales"])
    assert spec is not None
    assert spec["transform"] == [{"fold": ["price", "sales"], "as": ["__measure", "__value"]}]
    assert spec["encoding"]["xOffset"]["field"] == "__measure" and spec["encoding"]["y"]["field"] == "__value"


def test_many_or_long_labels_turn_bars_horizontal() -> None:
    table = pa.table({"city": [f"city number {i}" for i in range(20)], "n": list(range(20))})
    spec = chart_for("rank", table, x="city", y="n")
    assert spec is not None and spec["encoding"]["y"]["field"] == "city" and spec["encoding"]["y"]["sort"] == "-x"
    assert spec["encoding"]["x"]["field"] == "n" and spec["width"] == 480 and "height" not in spec


def test_trend_is_a_line_over_time_with_iso_dates() -> None:
    table = pa.table({"月份": [dt.date(2024, m, 1) for m in (1, 2, 3)], "收入": [1.0, 2.5, float("nan")]})
    spec = chart_for("trend", table, x="月份", y="收入")
    assert spec is not None and spec["mark"]["type"] == "line"
    assert spec["encoding"]["x"]["type"] == "temporal" and spec["encoding"]["x"]["scale"] == {"type": "utc"}
    assert [row["月份"] for row in spec["data"]["values"]] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert spec["data"]["values"][2]["收入"] is None  # NaN is not JSON
    _dumps(spec)
    stamps = pa.table({"t": pa.array([dt.datetime(2024, 1, 1, 8, 30)], pa.timestamp("us")), "v": [1]})
    assert chart_for("trend", pa.concat_tables([stamps, stamps]), x="t", y="v")["data"]["values"][0]["t"] == \
        "2024-01-01T08:30:00"


def test_trend_over_year_numbers_is_ordinal() -> None:
    table = pa.table({"year": [2022, 2023, 2024], "revenue": [5.0, 6.0, 8.0], "region": ["a", "a", "a"]})
    spec = chart_for("trend", table, x="year", y="revenue", color="region")
    assert spec is not None and spec["encoding"]["x"]["type"] == "ordinal"
    assert spec["encoding"]["color"]["field"] == "region"


def test_correlate_is_a_scatter_with_a_regression_line() -> None:
    table = pa.table({"价格": [100.0, 200.0, 300.0], "销量": [1000.0, 800.0, 600.0]})
    spec = chart_for("correlate", table, x="价格", y="销量", language="zh")
    assert spec is not None
    points, fit = spec["layer"]
    assert points["mark"]["type"] == "point"
    assert points["encoding"]["x"]["field"] == "价格" and points["encoding"]["y"]["field"] == "销量"
    assert fit["mark"]["type"] == "line" and fit["transform"] == [{"regression": "销量", "on": "价格"}]
    assert len(spec["data"]["values"]) == 3


def test_distribution_is_a_histogram_of_prebinned_counts() -> None:
    bins = pa.table({"bin_start": [0.0, 10.0], "bin_end": [10.0, 20.0], "count": [4, 7]})
    spec = chart_for("distribution", bins, x="价格", y=None, language="zh")
    assert spec is not None and spec["mark"]["type"] == "bar"
    enc = spec["encoding"]
    assert enc["x"] == {"field": "bin_start", "type": "quantitative", "bin": {"binned": True}, "title": "价格"}
    assert enc["x2"] == {"field": "bin_end"} and enc["y"]["field"] == "count" and enc["y"]["title"] == "数量"
    with pytest.raises(ColumnNotFoundError):
        chart_for("distribution", pa.table({"x": [1.0]}), x="x", y=None)
    untitled = chart_for("distribution", bins, x="bin_start", y="count")
    assert untitled is not None and untitled["encoding"]["x"]["title"] == "Value"


def test_no_chart_for_single_values_empty_results_or_unknown_kinds() -> None:
    one = pa.table({"地区": ["华东"], "销售额": [1.0]})
    assert chart_for("group", one, x="地区", y="销售额") is None
    assert chart_for("lookup", REGIONS, x="地区", y="销售额") is None
    assert chart_for("group", REGIONS.slice(0, 0), x="地区", y="销售额") is None
    assert chart_for("aggregate", REGIONS, x=None, y="销售额") is None
    with pytest.raises(ColumnNotFoundError) as missing:
        chart_for("group", REGIONS, x="地区", y="销量额")
    assert "销售额" in missing.value.candidates


def test_data_is_capped_and_says_so() -> None:
    table = pa.table({"x": [float(i) for i in range(MAX_ROWS + 10)], "y": [1.0] * (MAX_ROWS + 10)})
    spec = chart_for("correlate", table, x="x", y="y")
    assert spec is not None and len(spec["data"]["values"]) == MAX_ROWS
    assert spec["usermeta"]["shuxi"]["truncated"] is True and spec["usermeta"]["shuxi"]["rows"] == MAX_ROWS + 10


def test_dotted_names_are_escaped_fields() -> None:
    assert field_name("sales.total") == "sales\\.total" and field_name("a[0]") == "a\\[0\\]"
    table = pa.table({"region": ["a", "b"], "sales.total": [1.0, 2.0]})
    spec = chart_for("group", table, x="region", y="sales.total")
    assert spec is not None and spec["encoding"]["y"]["field"] == "sales\\.total"
    assert spec["encoding"]["y"]["title"] == "sales.total" and spec["data"]["values"][0]["sales.total"] == 1.0
