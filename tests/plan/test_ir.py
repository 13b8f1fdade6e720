"""The Plan IR: what it refuses, its default names, and its JSON form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from shuxi.plan.ir import Arithmetic, Bucket, ColumnRef, Dimension, Filter, Measure, Order, Plan, Value

GOLDEN = Path(__file__).parent / "golden"


def count_plan(**kwargs: object) -> Plan:
    return Plan(kind="aggregate", table="t", measures=[Measure(agg="count")], **kwargs)  # type: ignore[arg-type]


# -- refused -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Measure(agg="corr", column="x"), "corr needs a second column"),
        (lambda: Measure(agg="sum", column="x", other="y"), "only corr takes a second column"),
        (lambda: Measure(agg="quantile", column="x"), "quantile needs q"),
        (lambda: Measure(agg="mean", column="x", q=0.5), "only the quantile aggregate takes q"),
        (lambda: Measure(agg="quantile", column="x", q=1.0), "less than 1"),
        (lambda: Measure(agg="quantile", column="x", q=0), "greater than 0"),
        (lambda: Measure(agg="sum"), "needs a column or an expression"),
        (lambda: Measure(agg="sum", column="x", expr=ColumnRef(name="y")), "either column or expr"),
        (lambda: Filter(column="x", op="between", values=[1]), "between needs values=\\[low, high\\]"),
        (lambda: Filter(column="x", op="between", values=[1, 2, 3]), "between needs"),
        (lambda: Filter(column="x", op="between", value=1), "between needs"),
        (lambda: Filter(column="x", op="in", values=[]), "non-empty list"),
        (lambda: Filter(column="x", op="in", values=[1], value=1), "in takes its operands in values"),
        (lambda: Filter(column="x", op="=", values=[1]), "needs a value"),
        (lambda: Filter(column="x", op="=", value=1, values=[1]), "takes one value"),
        (lambda: Filter(column="x", op="is_null", value=1), "takes no value"),
        (lambda: Filter(column="x", op="contains"), "needs a value"),
        (lambda: Bucket(method="cuts", cuts=[1, 2], labels=["a", "b"]), "3 tiers need 3 labels, got 2"),
        (lambda: Bucket(method="quantiles", n=3, labels=["a", "b", "c", "d"]), "3 tiers need 3 labels"),
        (lambda: Bucket(method="cuts", cuts=[1, 2], labels=["a", "b", "a"]), "labels must differ"),
        (lambda: Bucket(method="cuts", cuts=[2, 1]), "strictly increasing"),
        (lambda: Bucket(method="cuts", cuts=[1, 1]), "strictly increasing"),
        (lambda: Bucket(method="cuts", cuts=[1, float("nan")]), "finite"),
        (lambda: Bucket(method="cuts", cuts=[]), "at least one value"),
        (lambda: Bucket(method="cuts", cuts=[1], n=2), "n is for quantile tiers"),
        (lambda: Bucket(method="quantiles"), "need n"),
        (lambda: Bucket(method="quantiles", n=1), "greater than or equal to 2"),
        (lambda: Bucket(method="quantiles", n=3, cuts=[1]), "cuts are for cut-point tiers"),
        (lambda: Dimension(column="d", grain="month", bucket=Bucket(method="quantiles", n=2)), "not both"),
        (lambda: Plan(kind="lookup", table="t", select=["a"], measures=[Measure(agg="count")]), "not both"),
        (lambda: Plan(kind="group", table="t", select=["a"], dimensions=[Dimension(column="a")]), "not both"),
        (lambda: Plan(kind="group", table="t", dimensions=[Dimension(column="a")]), "needs columns to select or"),
        (lambda: Plan(kind="lookup", table="t", select=["a"], having=[Filter(column="a", op="=", value=1)]),
         "having filters groups"),
        (lambda: Plan(kind="aggregate", table="t", measures=[Measure(agg="sum", column="x"),
                                                              Measure(agg="sum", column="x")]),
         "give aliases to: sum_x"),
        (lambda: Plan(kind="group", table="t", dimensions=[Dimension(column="count")],
                      measures=[Measure(agg="count")]), "give aliases to: count"),
        (lambda: Plan(kind="aggregate", table="t", measures=[Measure(agg="sum", expr=ColumnRef(name="a")),
                                                              Measure(agg="sum", expr=ColumnRef(name="b"))]),
         "sum_expr"),
        (lambda: count_plan(limit=0), "greater than or equal to 1"),
        (lambda: Plan(kind="explain", table="t", measures=[Measure(agg="count")]), "kind"),
        (lambda: Measure(agg="average", column="x"), "agg"),
        (lambda: Dimension(column="d", grain="hour"), "grain"),
        (lambda: Filter(column="x", op="like", value="a%"), "op"),
        (lambda: Arithmetic(op="%", left=ColumnRef(name="a"), right=Value(value=2)), "op"),
    ],
)
def test_invalid_parts_are_refused(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        make()


@pytest.mark.parametrize(
    "text",
    [
        '{"kind": "aggregate", "table": "t", "measures": [{"agg": "count"}], "colour": "red"}',
        '{"kind": "aggregate", "table": "t", "measures": [{"agg": "count", "column_name": "x"}]}',
        '{"kind": "aggregate", "table": "t", "measures": [{"agg": "count"}], "filters": [{"col": "x", "op": "is_null"}]}',
        '{"kind": "aggregate", "table": "t", "measures": [{"agg": "sum", "expr": {"type": "column", "name": "x", "t": 1}}]}',
        '{"kind": "aggregate", "table": "t", "measures": [{"agg": "sum", "expr": {"type": "sql", "text": "1"}}]}',
        '{"kind": "aggregate", "table": "t", "measures": [{"agg": "count"}], "version": 2}',
    ],
)
def test_unknown_keys_and_versions_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        Plan.from_json(text)


def test_plans_are_immutable() -> None:
    plan = count_plan()
    with pytest.raises(ValidationError):
        plan.limit = 3  # type: ignore[misc]


# -- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "name"),
    [
        (Measure(agg="count"), "count"),
        (Measure(agg="count", column="price"), "count_price"),
        (Measure(agg="count_distinct", column="product"), "distinct_product"),
        (Measure(agg="sum", column="revenue"), "sum_revenue"),
        (Measure(agg="mean", column="数量"), "mean_数量"),
        (Measure(agg="median", column="price"), "median_price"),
        (Measure(agg="std", column="price"), "std_price"),
        (Measure(agg="var", column="price"), "var_price"),
        (Measure(agg="min", column="price"), "min_price"),
        (Measure(agg="max", column="price"), "max_price"),
        (Measure(agg="quantile", column="price", q=0.25), "q25_price"),
        (Measure(agg="quantile", column="price", q=0.05), "q05_price"),
        (Measure(agg="quantile", column="price", q=0.9), "q90_price"),
        (Measure(agg="corr", column="price", other="sales"), "corr_price_sales"),
        (Measure(agg="sum", expr=Arithmetic(op="*", left=ColumnRef(name="p"), right=ColumnRef(name="q"))),
         "sum_expr"),
        (Measure(agg="sum", column="revenue", of_total=True), "share_sum_revenue"),
        (Measure(agg="count", of_total=True), "share_count"),
        (Measure(agg="sum", column="revenue", alias="销售额", of_total=True), "销售额"),
    ],
)
def test_measure_names(measure: Measure, name: str) -> None:
    assert measure.name == name


@pytest.mark.parametrize(
    ("dimension", "name"),
    [
        (Dimension(column="region"), "region"),
        (Dimension(column="日期", grain="month"), "日期_month"),
        (Dimension(column="order date", grain="week"), "order date_week"),
        (Dimension(column="price", bucket=Bucket(method="quantiles", n=3)), "price_tier"),
        (Dimension(column="price", bucket=Bucket(method="cuts", cuts=[1]), alias="价格档"), "价格档"),
        (Dimension(column="日期", grain="year", alias="年"), "年"),
    ],
)
def test_dimension_names(dimension: Dimension, name: str) -> None:
    assert dimension.name == name


def test_bucket_size() -> None:
    assert Bucket(method="cuts", cuts=[1, 2, 3]).size == 4
    assert Bucket(method="quantiles", n=5).size == 5


# -- JSON ----------------------------------------------------------------------------------------


GOLDEN_PLANS = sorted(GOLDEN.glob("*.json"))


def test_there_are_golden_plans() -> None:
    assert len(GOLDEN_PLANS) >= 25


@pytest.mark.parametrize("path", GOLDEN_PLANS, ids=lambda p: p.stem)
def test_golden_plan_json_round_trip(path: Path) -> None:
    plan = Plan.from_json(path.read_bytes())
    text = plan.to_json()
    again = Plan.from_json(text)
    assert again == plan
    assert again.to_json() == text
    # What the file says is what the plan holds: nothing in the file was dropped or renamed.
    written = json.loads(path.read_text(encoding="utf-8"))
    dumped = json.loads(text)
    assert _subset(written, dumped), f"{path.name} has keys the plan does not keep"


def _subset(small: object, big: object) -> bool:
    if isinstance(small, dict):
        return isinstance(big, dict) and all(k in big and _subset(v, big[k]) for k, v in small.items())
    if isinstance(small, list):
        return isinstance(big, list) and len(small) == len(big) and all(map(_subset, small, big))
    return small == big


def test_round_trip_keeps_null_values_and_nested_expressions() -> None:
    expr = Arithmetic(op="/", left=Arithmetic(op="-", left=ColumnRef(name="a"), right=Value(value=None)),
                      right=Value(value=2.5))
    plan = Plan(kind="aggregate", table="t", measures=[Measure(agg="sum", expr=expr)],
                filters=[Filter(column="ok", op="=", value=True), Filter(column="n", op="in", values=[1, 2.5, "x"])],
                order=[Order(by="sum_expr", desc=True)], limit=5, language="zh")
    again = Plan.from_json(plan.to_json())
    assert again == plan
    assert again.filters[0].value is True  # a JSON true stays a boolean, not 1
    assert again.filters[1].values == [1, 2.5, "x"]
    assert isinstance(again.filters[1].values[0], int)


def test_json_keeps_chinese_readable() -> None:
    plan = Plan(kind="group", table="销售", dimensions=[Dimension(column="地区")], measures=[Measure(agg="count")])
    assert "地区" in plan.to_json()


def test_ordering_by_the_number_in_text_is_for_row_selecting_plans() -> None:
    from shuxi.plan.ir import Dimension, Measure, Order, Plan

    Plan(kind="lookup", table="t", select=["name"], order=[Order(by="place", number=True)])
    with pytest.raises(ValueError, match="number=true"):
        Plan(kind="rank", table="t", dimensions=[Dimension(column="name")], measures=[Measure(agg="count")],
             order=[Order(by="count", number=True)])


def test_comparing_the_number_in_text_needs_numbers_and_a_comparison() -> None:
    Filter(column="place", op="<=", value=5, number=True)
    Filter(column="time", op="between", values=[60, 121.5], number=True)
    with pytest.raises(ValueError, match="does not apply to 'contains'"):
        Filter(column="place", op="contains", value="5", number=True)
    with pytest.raises(ValueError, match="give numbers"):
        Filter(column="time", op="<", value="2:01", number=True)
    with pytest.raises(ValueError, match="give numbers"):
        Filter(column="place", op="in", values=[1, "2nd"], number=True)
    with pytest.raises(ValueError, match="give numbers"):
        Filter(column="place", op="=", value=True, number=True)
    # The flag survives the JSON round trip.
    plan = Plan(kind="aggregate", table="t", measures=[Measure(agg="count")],
                filters=[Filter(column="place", op="<=", value=5, number=True)])
    assert Plan.from_json(plan.to_json()).filters[0].number is True


def test_comparing_the_year_in_text_needs_years_and_no_number_flag() -> None:
    Filter(column="date", op="<", value=1970, year=True)
    Filter(column="date", op="between", values=[1980, 1989], year=True)
    with pytest.raises(ValueError, match="give numbers"):
        Filter(column="date", op="<", value="1970", year=True)
    with pytest.raises(ValueError, match="year=true"):
        Filter(column="date", op="contains", value=1970, year=True)
    with pytest.raises(ValueError, match="not both"):
        Filter(column="date", op="<", value=1970, year=True, number=True)
    # Plans written before the flag existed read the same.
    assert Filter.model_validate({"column": "date", "op": "<", "value": 1970}).year is False
