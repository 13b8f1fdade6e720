"""compile_plan: the errors it raises for plans a table cannot answer, and how names and values are quoted."""

from __future__ import annotations

import datetime

import duckdb
import pyarrow as pa
import pytest
import sqlglot

from shuxi.errors import ColumnNotFoundError, PlanError, ShuxiError
from shuxi.plan.compile import compile_plan, tier_labels
from shuxi.plan.dialects import render
from shuxi.plan.ir import Arithmetic, Bucket, ColumnRef, Dimension, Filter, Measure, Order, Plan, Value

TABLE = pa.table({
    "product": ["A", "B", "C", None],
    "Price": [100.0, 200.0, 300.0, None],
    "revenue": [1000, 800, 600, 5],
    "销售额": [1.5, 2.5, 3.5, 4.5],
    "day": pa.array([datetime.date(2024, 1, d) for d in (1, 2, 3, 4)]),
    "at": pa.array([datetime.datetime(2024, 1, 1, h) for h in (1, 2, 3, 4)]),
    "flag": [True, False, True, None],
    'a"b': [1, 2, 3, 4],
    "a`b": [10, 20, 30, 40],
    "it's": ["x", "y", "x", "y"],
})
SCHEMA = TABLE.schema


def plan(**kwargs: object) -> Plan:
    kwargs.setdefault("kind", "aggregate")
    kwargs.setdefault("table", "t")
    return Plan(**kwargs)  # type: ignore[arg-type]


def run(p: Plan) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    con.register("t", TABLE)
    return con.sql(render(compile_plan(p, schema=SCHEMA), "duckdb")).fetchall()


def both(p: Plan) -> dict[str, str]:
    query = compile_plan(p, schema=SCHEMA)
    return {d: render(query, d) for d in ("duckdb", "spark")}


# -- unknown columns -----------------------------------------------------------------------------


def test_misspelt_column_suggests_the_close_match() -> None:
    with pytest.raises(ColumnNotFoundError) as info:
        compile_plan(plan(measures=[Measure(agg="sum", column="revenu")]), schema=SCHEMA)
    error = info.value
    assert isinstance(error, ShuxiError)
    assert error.column == "revenu" and error.table == "t"
    assert error.candidates[0] == "revenue"
    assert "Did you mean 'revenue'" in str(error)


def test_chinese_near_miss_suggests_the_chinese_column() -> None:
    with pytest.raises(ColumnNotFoundError) as info:
        compile_plan(plan(measures=[Measure(agg="sum", column="销量额")]), schema=SCHEMA)
    assert "销售额" in info.value.candidates


@pytest.mark.parametrize("where", ["select", "filter", "dimension", "order", "other", "expr"])
def test_every_place_a_column_is_named_is_checked(where: str) -> None:
    missing = "nope"
    kwargs: dict[str, object] = {"measures": [Measure(agg="count")]}
    if where == "select":
        kwargs = {"kind": "lookup", "select": [missing]}
    elif where == "filter":
        kwargs["filters"] = [Filter(column=missing, op="=", value=1)]
    elif where == "dimension":
        kwargs["dimensions"] = [Dimension(column=missing)]
    elif where == "order":
        kwargs = {"kind": "lookup", "select": ["product"], "order": [Order(by=missing)]}
    elif where == "other":
        kwargs["measures"] = [Measure(agg="corr", column="revenue", other=missing)]
    else:
        kwargs["measures"] = [Measure(agg="sum", expr=Arithmetic(op="*", left=ColumnRef(name=missing),
                                                                 right=Value(value=2)))]
    with pytest.raises(ColumnNotFoundError):
        compile_plan(plan(**kwargs), schema=SCHEMA)


def test_column_names_resolve_case_insensitively_to_the_real_name() -> None:
    p = plan(kind="lookup", select=["PRODUCT", "price"], filters=[Filter(column="PRICE", op=">", value=150)],
             order=[Order(by="price", desc=True)])
    sql = both(p)
    assert '"Price"' in sql["duckdb"] and '"price"' not in sql["duckdb"]
    assert "`Price`" in sql["spark"] and "`product`" in sql["spark"]
    assert run(p) == [("C", 300.0), ("B", 200.0)]


def test_ambiguous_case_insensitive_name_is_not_guessed() -> None:
    schema = pa.schema([("ab", pa.int64()), ("AB", pa.int64())])
    sql = render(compile_plan(plan(measures=[Measure(agg="sum", column="AB")]), schema=schema), "duckdb")
    assert 'SUM("AB")' in sql  # an exact match wins
    with pytest.raises(ColumnNotFoundError) as info:
        compile_plan(plan(kind="lookup", select=["Ab"]), schema=schema)
    assert info.value.candidates  # errors.close_matches folds case, so it names one of the two


# -- plans a table cannot answer -----------------------------------------------------------------


def test_time_grain_needs_a_date_column() -> None:
    with pytest.raises(PlanError, match="not a date"):
        compile_plan(plan(dimensions=[Dimension(column="product", grain="month")], measures=[Measure(agg="count")]),
                     schema=SCHEMA)


def test_time_grain_on_a_timestamp_gives_dates() -> None:
    rows = run(plan(dimensions=[Dimension(column="at", grain="day")], measures=[Measure(agg="count")]))
    assert rows == [(datetime.date(2024, 1, 1), 4)]


def test_tiers_need_a_number_column() -> None:
    dim = Dimension(column="product", bucket=Bucket(method="quantiles", n=3))
    with pytest.raises(PlanError, match="not numeric"):
        compile_plan(plan(kind="tiers", dimensions=[dim], measures=[Measure(agg="count")]), schema=SCHEMA)


@pytest.mark.parametrize("agg", ["sum", "mean", "median", "std", "var"])
def test_number_aggregates_refuse_text(agg: str) -> None:
    with pytest.raises(PlanError, match="count or count_distinct"):
        compile_plan(plan(measures=[Measure(agg=agg, column="product")]), schema=SCHEMA)  # type: ignore[arg-type]


def test_correlation_refuses_a_text_second_column() -> None:
    with pytest.raises(PlanError):
        compile_plan(plan(measures=[Measure(agg="corr", column="revenue", other="product")]), schema=SCHEMA)


def test_arithmetic_refuses_text() -> None:
    text_column = Arithmetic(op="+", left=ColumnRef(name="product"), right=Value(value=1))
    text_value = Arithmetic(op="*", left=ColumnRef(name="revenue"), right=Value(value="2"))
    for expr in (text_column, text_value):
        with pytest.raises(PlanError):
            compile_plan(plan(measures=[Measure(agg="sum", expr=expr)]), schema=SCHEMA)


def test_text_may_be_counted_and_min_maxed() -> None:
    rows = run(plan(measures=[Measure(agg="count", column="product"), Measure(agg="count_distinct", column="product"),
                              Measure(agg="min", column="product"), Measure(agg="max", column="product")]))
    assert rows == [(3, 3, "A", "C")]


def test_order_by_something_that_is_not_an_output() -> None:
    p = plan(dimensions=[Dimension(column="product")], measures=[Measure(agg="sum", column="revenue")],
             order=[Order(by="revenue", desc=True)])
    with pytest.raises(PlanError, match="not one of this plan's outputs") as info:
        compile_plan(p, schema=SCHEMA)
    assert "sum_revenue" in str(info.value)


def test_having_on_something_that_is_not_a_measure() -> None:
    p = plan(dimensions=[Dimension(column="product")], measures=[Measure(agg="sum", column="revenue")],
             having=[Filter(column="product", op="=", value="A")])
    with pytest.raises(PlanError, match="refers to no measure"):
        compile_plan(p, schema=SCHEMA)


def test_date_filter_needs_a_date_and_number_filter_a_number() -> None:
    with pytest.raises(PlanError, match="holds dates"):
        compile_plan(plan(measures=[Measure(agg="count")], filters=[Filter(column="day", op=">", value=3)]),
                     schema=SCHEMA)
    with pytest.raises(PlanError, match="holds numbers"):
        compile_plan(plan(measures=[Measure(agg="count")], filters=[Filter(column="revenue", op=">", value="lots")]),
                     schema=SCHEMA)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "nan", "-inf"])
def test_non_finite_numbers_are_refused_not_written_as_names(bad: object) -> None:
    with pytest.raises(PlanError):
        compile_plan(plan(measures=[Measure(agg="count")], filters=[Filter(column="revenue", op=">", value=bad)]),
                     schema=SCHEMA)


# -- quoting -------------------------------------------------------------------------------------


def test_quotes_and_backticks_inside_names_are_escaped() -> None:
    p = plan(kind="lookup", select=['a"b', "a`b", "it's"], filters=[Filter(column='a"b', op=">=", value=3)])
    sql = both(p)
    assert sql["duckdb"] == 'SELECT "a""b", "a`b", "it\'s" FROM "t" WHERE "a""b" >= 3'
    assert sql["spark"] == "SELECT `a\"b`, `a``b`, `it's` FROM `t` WHERE `a\"b` >= 3"
    assert run(p) == [(3, 30, "x"), (4, 40, "y")]
    # Spark's parser reads the names back as they were written.
    parsed = sqlglot.parse_one(sql["spark"], read="spark")
    assert [c.name for c in parsed.expressions] == ['a"b', "a`b", "it's"]


def test_quoted_names_work_as_output_aliases() -> None:
    p = plan(dimensions=[Dimension(column="it's", alias='x"y`z')],
             measures=[Measure(agg="sum", column="a`b", alias="s's")], order=[Order(by="s's", desc=True)])
    sql = both(p)
    assert '"x""y`z"' in sql["duckdb"] and "`x\"y``z`" in sql["spark"]
    assert run(p) == [("y", 60), ("x", 40)]


@pytest.mark.parametrize("value", ["x' OR '1'='1", "x\\' OR 1=1 --", "'; DROP TABLE t; --"])
def test_values_are_literals_not_sql(value: str) -> None:
    p = plan(kind="lookup", select=["product"], filters=[Filter(column="product", op="=", value=value)])
    assert run(p) == []
    for dialect, sql in both(p).items():
        statements = sqlglot.parse(sql, read=dialect)
        assert len(statements) == 1
        literal = statements[0].find(sqlglot.exp.Literal)
        assert literal is not None and literal.this == value, dialect


def test_contains_is_a_plain_case_insensitive_substring() -> None:
    def count(op: str, value: str) -> int:
        return run(plan(measures=[Measure(agg="count")], filters=[Filter(column="product", op=op, value=value)]))[0][0]

    assert count("contains", "a") == 1
    assert count("contains", "%") == 0  # no LIKE wildcards
    assert count("contains", "_") == 0
    assert count("not_contains", "a") == 2  # NULL product is neither
    assert count("contains", "x' OR '1'='1") == 0


def test_text_column_compared_with_a_number_compares_text() -> None:
    schema = pa.schema([("year", pa.string())])
    p = Plan(kind="aggregate", table="t", measures=[Measure(agg="count")],
             filters=[Filter(column="year", op="in", values=[2023, 2024.0, True])])
    sql = render(compile_plan(p, schema=schema), "duckdb")
    assert "IN ('2023', '2024', 'true')" in sql


def test_number_filter_accepts_numeric_text() -> None:
    p = plan(measures=[Measure(agg="count")], filters=[Filter(column="revenue", op=">=", value="1,000")])
    assert run(p) == [(1,)]


def test_timestamp_filter_compares_as_timestamp() -> None:
    p = plan(measures=[Measure(agg="count")], filters=[Filter(column="at", op=">", value="2024-01-01 02:00:00")])
    assert "CAST('2024-01-01 02:00:00' AS TIMESTAMP)" in both(p)["duckdb"]
    assert run(p) == [(2,)]


# -- meaning ---------------------------------------------------------------------------------------


def test_boolean_column_averages_as_zero_one_on_every_engine() -> None:
    p = plan(measures=[Measure(agg="mean", column="flag"), Measure(agg="sum", column="flag")])
    assert "AVG(CAST(`flag` AS INT))" in both(p)["spark"]
    assert run(p) == [(pytest.approx(2 / 3), 2)]


def test_correlation_of_a_constant_is_null_not_nan() -> None:
    con = duckdb.connect()
    con.register("t", pa.table({"x": [1.0, 2.0, 3.0], "y": [5.0, 5.0, 5.0]}))
    p = plan(measures=[Measure(agg="corr", column="x", other="y")])
    query = compile_plan(p, schema=pa.schema([("x", pa.float64()), ("y", pa.float64())]))
    assert con.sql(render(query, "duckdb")).fetchall() == [(None,)]


def test_nulls_sort_last_both_ways_in_both_dialects() -> None:
    for desc in (False, True):
        p = plan(kind="lookup", select=["Price"], order=[Order(by="Price", desc=desc)])
        sql = both(p)
        assert [r[0] for r in run(p)][-1] is None
        # DuckDB puts NULLs last by default both ways; Spark only for DESC, so ASC must say so.
        assert "NULLS" not in sql["duckdb"]
        assert sql["spark"].endswith("DESC" if desc else "ASC NULLS LAST")


def test_share_of_total_is_of_all_groups_even_with_having() -> None:
    p = plan(kind="share", dimensions=[Dimension(column="product")],
             measures=[Measure(agg="sum", column="revenue", of_total=True)],
             having=[Filter(column="share_sum_revenue", op=">", value=0.3)])
    rows = run(p)
    assert rows == [("A", pytest.approx(1000 / 2405)), ("B", pytest.approx(800 / 2405))]


def test_having_and_limit_with_share_still_orders_tiers_naturally() -> None:
    p = plan(kind="tiers", dimensions=[Dimension(column="revenue", bucket=Bucket(method="cuts", cuts=[700, 900]))],
             measures=[Measure(agg="count", of_total=True, alias="share")],
             having=[Filter(column="share", op=">", value=0)], limit=2)
    assert run(p) == [("< 700", 0.5), ("700–900", 0.25)]


def test_two_quantile_dimensions_get_their_own_cut_points() -> None:
    p = plan(kind="tiers",
             dimensions=[Dimension(column="Price", bucket=Bucket(method="quantiles", n=2)),
                         Dimension(column="销售额", bucket=Bucket(method="quantiles", n=2))],
             measures=[Measure(agg="count")])
    sql = both(p)["duckdb"]
    assert '"__shuxi_cuts"."c1"' in sql and '"__shuxi_cuts_2"."c1"' in sql
    assert run(p) == [("low", "low", 2), ("high", "high", 1), (None, "high", 1)]


def test_tiers_before_another_dimension_keep_their_groups_together() -> None:
    con = duckdb.connect()
    table = pa.table({"price": [1, 2, 10, 11], "g": ["b", "a", "a", "b"]})
    con.register("t", table)
    p = plan(kind="tiers", dimensions=[Dimension(column="price", bucket=Bucket(method="cuts", cuts=[5])),
                                       Dimension(column="g")], measures=[Measure(agg="count")])
    rows = con.sql(render(compile_plan(p, schema=table.schema), "duckdb")).fetchall()
    assert rows == [("< 5", "a", 1), ("< 5", "b", 1), ("≥ 5", "a", 1), ("≥ 5", "b", 1)]


def test_explicit_order_is_tie_broken_by_the_dimensions() -> None:
    p = plan(dimensions=[Dimension(column="it's")], measures=[Measure(agg="count")],
             order=[Order(by="count", desc=True)])
    assert both(p)["duckdb"].endswith('ORDER BY "count" DESC, "it\'s"')
    assert run(p) == [("x", 2), ("y", 2)]


def test_default_tier_labels() -> None:
    assert tier_labels(Bucket(method="quantiles", n=3), "zh") == ["低", "中", "高"]
    assert tier_labels(Bucket(method="quantiles", n=7), "en")[-1] == "Q7"
    assert tier_labels(Bucket(method="cuts", cuts=[100, 200.5]), "zh") == ["<100", "100–200.5", "≥200.5"]
    assert tier_labels(Bucket(method="cuts", cuts=[0.1]), "en") == ["< 0.1", "≥ 0.1"]
    assert tier_labels(Bucket(method="cuts", cuts=[1, 2], labels=["x", "y", "z"]), "en") == ["x", "y", "z"]


def test_spark_day_grain_is_not_trunc() -> None:
    # Spark's TRUNC(date, 'DAY') is NULL; DATE_TRUNC knows DAY.
    p = plan(dimensions=[Dimension(column="day", grain="day")], measures=[Measure(agg="count")])
    assert "CAST(DATE_TRUNC('DAY', `day`) AS DATE)" in both(p)["spark"]
    p = plan(dimensions=[Dimension(column="day", grain="month")], measures=[Measure(agg="count")])
    assert "CAST(TRUNC(`day`, 'MONTH') AS DATE)" in both(p)["spark"]


def test_number_in_text_is_for_text_and_number_columns() -> None:
    with pytest.raises(PlanError, match="neither text nor numbers"):
        compile_plan(plan(measures=[Measure(agg="count")], filters=[Filter(column="day", op=">", value=3, number=True)]),
                     schema=SCHEMA)
    # On a number column the flag changes nothing: the plain comparison.
    flagged = plan(measures=[Measure(agg="count")], filters=[Filter(column="revenue", op=">", value=700, number=True)])
    assert both(flagged)["duckdb"] == 'SELECT COUNT(*) AS "count" FROM "t" WHERE "revenue" > 700'
    assert run(flagged) == [(2,)]


def test_the_year_in_text_compares_dates_kept_as_text() -> None:
    dates = pa.table({"listed": ["October 1, 1969", "19.10.1912 at 15:00", "July 1983", "TBA", "12345 St, 2001"]})
    query = plan(measures=[Measure(agg="count")], filters=[Filter(column="listed", op="<", value=1970, year=True)])
    con = duckdb.connect()
    con.register("t", dates)
    # 1969 and 1912 are before 1970; 1983 and 2001 are not (12345 is no year); TBA has no year
    assert con.sql(render(compile_plan(query, schema=dates.schema), "duckdb")).fetchall() == [(2,)]
    between = plan(measures=[Measure(agg="count")],
                   filters=[Filter(column="listed", op="between", values=[1980, 2009], year=True)])
    assert con.sql(render(compile_plan(between, schema=dates.schema), "duckdb")).fetchall() == [(2,)]
    spark = render(compile_plan(query, schema=dates.schema), "spark")
    assert "REGEXP_EXTRACT(CAST(`listed` AS STRING)" in spark and "< 1970" in spark
    # On a number column the flag changes nothing; a date column has no year in text to read.
    flagged = plan(measures=[Measure(agg="count")], filters=[Filter(column="revenue", op=">", value=700, year=True)])
    assert run(flagged) == [(2,)]
    with pytest.raises(PlanError, match="no year"):
        compile_plan(plan(measures=[Measure(agg="count")], filters=[Filter(column="day", op=">", value=3, year=True)]),
                     schema=SCHEMA)
