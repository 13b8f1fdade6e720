"""Golden files for Plan → SQL, and a check of every golden plan's result against hand-written SQL.

``golden/<name>.json`` holds a Plan; ``<name>.duckdb.sql`` and ``<name>.spark.sql`` hold the SQL that
``compile_plan`` + ``render`` must print for it, compared as the exact string (one line, as ``render``
prints it, plus a final newline). Exact comparison keeps every change to the SQL visible in review.

After a deliberate change to the compiler, the dialects or sqlglot, rewrite the .sql files with::

    SHUXI_UPDATE_GOLDEN=1 pytest tests/plan/test_golden.py

and read every changed file before committing it: the golden files are reviewed SQL, not snapshots.
The Spark files especially must stay valid Spark 3.4+/4.x SQL meaning the same as the DuckDB files.

``test_result_matches_hand_written_sql`` runs each plan's DuckDB SQL on small tables built here and
compares the rows with a query written by hand in ``HAND_SQL``, so a golden file that is wrong in
meaning (not just in spelling) fails too. ``tests/engines/test_parity.py`` runs every plan on
DuckDB and on a local Spark and compares the rows, so the .spark.sql files are checked in meaning too.
"""

from __future__ import annotations

import datetime
import math
import os
import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from shuxi.plan.compile import compile_plan
from shuxi.plan.dialects import render
from shuxi.plan.ir import Plan

GOLDEN = Path(__file__).parent / "golden"
DIALECTS = ("duckdb", "spark")
NAMES = sorted(p.stem for p in GOLDEN.glob("*.json"))
UPDATE = os.environ.get("SHUXI_UPDATE_GOLDEN") == "1"


# -- fixtures ----------------------------------------------------------------------------------


def seed_table() -> pa.Table:
    """The design's seed example: three products, price up, sales down."""
    return pa.table({"product": ["A", "B", "C"], "price": [100, 200, 300], "sales": [1000, 800, 600]})


REGIONS = ["华东", "华北", "华南", "West", "East"]
PRODUCTS = {  # name: (category, base price)
    "Laptop": ("Electronics", 800.0), "Phone": ("Electronics", 500.0), "Headphones": ("Electronics", 60.0),
    "Desk": ("Furniture", 150.0), "Chair": ("Furniture", 90.0), "茶叶": ("Food", 30.0), "Coffee": ("Food", 12.0),
}
REVIEWS = ["Good value", "very good!", "质量很好", "物流太慢", "It's OK", "bad", "还行，物流快", None,
           "Not GOOD at all", "100% cotton", "snake_case"]


def sales_table() -> pa.Table:
    """300 deterministic orders over 2023–2024, with NULLs, zero quantities, Chinese text and odd names."""
    rng = random.Random(7)
    rows: dict[str, list[object]] = {k: [] for k in (
        "order_id", "日期", "region", "product", "category", "price", "quantity", "revenue", "rating",
        "unit price ($)", "review", "returned")}
    for i in range(300):
        day: datetime.date | None = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(731))
        if i % 60 == 5:
            day = datetime.date(2024, 2, 29)
        if i in (17, 123):
            day = None
        product = rng.choice(list(PRODUCTS))
        category, base = PRODUCTS[product]
        price: float | None = round(base * rng.uniform(0.8, 1.2), 2)
        if i % 41 == 3:
            price = None
        quantity = rng.randint(0, 12)
        rating: int | None = rng.randint(1, 5)
        if i % 29 == 0:
            rating = None
        rows["order_id"].append(1000 + i)
        rows["日期"].append(day)
        rows["region"].append(rng.choice(REGIONS))
        rows["product"].append(product)
        rows["category"].append(category)
        rows["price"].append(price)
        rows["quantity"].append(quantity)
        rows["revenue"].append(None if price is None else round(price * quantity, 2))
        rows["rating"].append(rating)
        rows["unit price ($)"].append(None if price is None else round(price / 7.1, 2))
        rows["review"].append(rng.choice(REVIEWS))
        rows["returned"].append(rng.random() < 0.15)
    schema = pa.schema([
        ("order_id", pa.int64()), ("日期", pa.date32()), ("region", pa.string()), ("product", pa.string()),
        ("category", pa.string()), ("price", pa.float64()), ("quantity", pa.int32()), ("revenue", pa.float64()),
        ("rating", pa.int32()), ("unit price ($)", pa.float64()), ("review", pa.string()), ("returned", pa.bool_()),
    ])
    return pa.table(rows, schema=schema)


def places_table() -> pa.Table:
    """Finishing places kept as text, as Wikipedia tables write them (ordinals, units, thousands, no number)."""
    return pa.table({"name": ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"],
                     "place": ["16th", "2nd", "1,766.2 feet", None, "DNF", "-3 pts", "2nd (tie)"]})


def results_table() -> pa.Table:
    """A race's results as Wikipedia writes them: durations (m:ss, h:mm:ss), places with ordinals and ties,
    points with bonus marks, and cells that hold no number."""
    return pa.table({"name": ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"],
                     "time": ["1:55.30", "2:01", "1:59:30", "DNF", None, "2:00.95", "1:58", "121"],
                     "place": ["1st", "4th", "T-3", "—", "10th (h)", "2nd", "3rd", "12th"],
                     "points": [25, 12, 15, 0, 1, 18, 15, None]})


TABLES = {"seed": seed_table(), "sales": sales_table(), "places": places_table(), "results": results_table()}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for name, table in TABLES.items():
        connection.register(name, table)
    yield connection
    connection.close()


def load(name: str) -> Plan:
    return Plan.from_json((GOLDEN / f"{name}.json").read_bytes())


def compiled_sql(name: str, dialect: str) -> str:
    plan = load(name)
    return render(compile_plan(plan, schema=TABLES[plan.table].schema), dialect)


# -- hand-written SQL, one per golden plan -------------------------------------------------------
#
# Written from the plan's meaning, not from the compiler's output: NULLs last, sample variance and
# standard deviation, interpolated quantiles, division by zero as NULL, shares of the total over all
# groups, tiers "below cut" / "at or below n-tile" with NULL values in no tier.

HAND_SQL: dict[str, str] = {
    "seed_tiers_quantiles": """
        WITH q AS (SELECT quantile_cont(price, 1.0 / 3) AS a, quantile_cont(price, 2.0 / 3) AS b FROM seed)
        SELECT CASE WHEN price <= a THEN 'low' WHEN price <= b THEN 'middle' ELSE 'high' END AS tier,
               avg(sales), count(*), var_samp(sales)
        FROM seed, q GROUP BY tier ORDER BY min(price)""",
    "seed_correlation": "SELECT corr(price, sales) FROM seed",
    "seed_argmax": "SELECT product, price FROM seed ORDER BY price DESC LIMIT 1",
    "lookup_filters": """
        SELECT order_id, 日期, region, revenue FROM sales
        WHERE region IN ('华东', 'West') AND 日期 >= DATE '2024-01-01' AND 日期 <= DATE '2024-03-31'
        ORDER BY 日期, order_id LIMIT 10""",
    "lookup_quotes": """
        SELECT order_id, "unit price ($)", review FROM sales WHERE review = 'It''s OK'
        ORDER BY "unit price ($)" DESC NULLS LAST, order_id LIMIT 5""",
    "lookup_injection": "SELECT order_id FROM sales WHERE false",
    "count_rows": "SELECT 300",
    "count_columns": """
        SELECT count(*) FILTER (WHERE price IS NOT NULL),
               (SELECT count(*) FROM (SELECT DISTINCT product FROM sales)),
               (SELECT count(*) FROM (SELECT DISTINCT region FROM sales))
        FROM sales""",
    "summary_stats": """
        SELECT sum(revenue), sum(revenue) / count(revenue), median(revenue), min(revenue), max(revenue),
               sqrt(var_samp(revenue)), var_samp(revenue), quantile_cont(revenue, 0.9)
        FROM sales""",
    "quartiles_by_category": """
        SELECT category, quantile_cont("unit price ($)", 0.25), median("unit price ($)"),
               quantile_cont("unit price ($)", 0.75)
        FROM sales GROUP BY category ORDER BY category""",
    "correlate_sales": """
        SELECT (SELECT corr(price, quantity) FROM sales),
               (SELECT covar_samp(rating, revenue) / (stddev_samp(rating) * stddev_samp(revenue))
                FROM sales WHERE rating IS NOT NULL AND revenue IS NOT NULL)""",
    "drivers_by_category": """
        SELECT category, corr(quantity, revenue), corr("unit price ($)", rating)
        FROM sales GROUP BY category ORDER BY category""",
    "arithmetic": """
        SELECT sum(price * quantity), avg((revenue - price) / 2.0), max(quantity + 1.5 + 2) FROM sales""",
    "divide_by_zero": """
        SELECT count(*),
               count(*) FILTER (WHERE quantity <> 0 AND revenue IS NOT NULL),
               max(CASE WHEN quantity <> 0 THEN revenue / quantity END),
               CAST(NULL AS DOUBLE),
               avg(quantity / 4.0)
        FROM sales""",
    "group_region": "SELECT region, sum(revenue) FROM sales GROUP BY region ORDER BY region",
    "group_two_dims": """
        SELECT region, category, sum(revenue), count(*) FROM sales
        GROUP BY region, category ORDER BY region, category""",
    "trend_year": """
        SELECT make_date(year(日期), 1, 1) AS y, sum(revenue), count(*) FROM sales
        GROUP BY y ORDER BY y NULLS LAST""",
    "trend_quarter": """
        SELECT make_date(year(日期), 3 * quarter(日期) - 2, 1) AS q, avg(rating) FROM sales
        WHERE region = 'West' GROUP BY q ORDER BY q NULLS LAST""",
    "trend_month": """
        SELECT make_date(year(日期), month(日期), 1) AS m, sum(quantity) FROM sales
        WHERE year(日期) = 2024 GROUP BY m ORDER BY m""",
    "trend_week": """
        SELECT 日期 - CAST(isodow(日期) - 1 AS INTEGER) AS monday, count(*) FROM sales
        WHERE 日期 >= DATE '2024-11-01' GROUP BY monday ORDER BY monday""",
    "trend_day": """
        SELECT 日期, count(*), sum(revenue) FROM sales
        WHERE 日期 >= DATE '2024-02-20' AND 日期 <= DATE '2024-03-10' GROUP BY 日期 ORDER BY 日期""",
    "rank_top_products": """
        SELECT product, sum(revenue) AS s FROM sales GROUP BY product ORDER BY s DESC, product LIMIT 3""",
    "rank_argmax_region": """
        SELECT region, avg(rating) AS r FROM sales GROUP BY region ORDER BY r DESC, region LIMIT 1""",
    "rank_bottom_ascending": """
        SELECT product, min(price) AS p FROM sales GROUP BY product ORDER BY p NULLS LAST, product LIMIT 4""",
    "filter_text_eq_neq": """
        SELECT product, count(*) FROM sales WHERE region = '华东' AND product <> 'Phone'
        GROUP BY product ORDER BY product""",
    "filter_text_in_not_in": """
        SELECT region, count(*) FROM sales
        WHERE (product = 'Laptop' OR product = '茶叶' OR product = 'Desk') AND region <> 'East' AND region <> '华南'
        GROUP BY region ORDER BY region""",
    "filter_text_contains": """
        SELECT review, count(*) FROM sales WHERE review ILIKE '%good%' GROUP BY review ORDER BY review""",
    "filter_text_contains_special": """
        SELECT count(*) FROM sales WHERE contains(review, '%') AND NOT contains(review, '_')""",
    "filter_text_not_contains": """
        SELECT review, count(*) FROM sales WHERE review NOT LIKE '%物流%' GROUP BY review ORDER BY review""",
    "filter_text_null": """
        SELECT order_id, review, price FROM sales WHERE review IS NULL AND price IS NOT NULL ORDER BY order_id DESC""",
    "filter_number_compare": """
        SELECT count(*), sum(revenue) FROM sales
        WHERE price >= 50 AND price < 500.5 AND quantity BETWEEN 3 AND 10""",
    "filter_number_eq_neq": """
        SELECT order_id, rating, quantity FROM sales WHERE quantity = 5 AND (rating < 3 OR rating > 3)
        ORDER BY order_id""",
    "filter_number_between_in": """
        SELECT quantity, count(*) FROM sales
        WHERE revenue >= 100 AND revenue <= 1000 AND quantity <= 3 AND quantity >= 1 AND rating IN (2, 3, 4)
        GROUP BY quantity ORDER BY quantity""",
    "filter_number_contains": """
        SELECT count(*) FROM sales
        WHERE (order_id % 10 = 7 OR order_id // 10 % 10 = 7 OR order_id // 100 % 10 = 7)
          AND quantity NOT IN (1, 10, 11, 12)""",
    "filter_number_null": """
        SELECT product, count(*) FROM sales WHERE price IS NULL AND rating IS NOT NULL
        GROUP BY product ORDER BY product""",
    "filter_date_compare": """
        SELECT make_date(year(日期), month(日期), 1) AS m, count(*) FROM sales
        WHERE 日期 BETWEEN DATE '2024-01-16' AND DATE '2024-06-30' GROUP BY m ORDER BY m""",
    "filter_date_eq_in": """
        SELECT order_id, 日期 FROM sales
        WHERE strftime(日期, '%Y-%m-%d') IN ('2024-02-29', '2023-12-31') ORDER BY 日期, order_id""",
    "filter_date_eq_not_in": """
        SELECT count(*) FROM sales WHERE year(日期) = 2024 AND month(日期) = 2 AND day(日期) = 29""",
    "filter_date_null": "SELECT order_id, 日期, region FROM sales WHERE 日期 IS NULL ORDER BY order_id",
    "filter_boolean": """
        SELECT category, count(*), sum(quantity) FROM sales WHERE returned AND 日期 IS NOT NULL
        GROUP BY category ORDER BY category""",
    "having": """
        SELECT * FROM (SELECT region, sum(revenue) AS s, count(*) AS n FROM sales GROUP BY region)
        WHERE s > 60000 AND n >= 50 ORDER BY s DESC, region""",
    "share_of_total": """
        WITH g AS (SELECT region, sum(revenue) AS s FROM sales GROUP BY region)
        SELECT region, s, s / (SELECT sum(revenue) FROM sales) AS share FROM g ORDER BY share DESC, region""",
    "share_having": """
        WITH g AS (SELECT category, count(*) / (SELECT count(*) FROM sales) AS share, sum(quantity) AS q
                   FROM sales GROUP BY category)
        SELECT category, share, q FROM g WHERE share >= 0.3 ORDER BY category""",
    "tiers_cuts_zh": """
        WITH t AS (SELECT CASE WHEN price < 50 THEN '低档' WHEN price >= 200 THEN '高档'
                               WHEN price IS NOT NULL THEN '中档' END AS tier, quantity FROM sales)
        SELECT tier, avg(quantity), count(*), var_samp(quantity) FROM t GROUP BY tier
        ORDER BY CASE tier WHEN '低档' THEN 1 WHEN '中档' THEN 2 WHEN '高档' THEN 3 ELSE 4 END""",
    "tiers_cuts_default_labels_zh": """
        WITH t AS (SELECT CASE WHEN price < 100 THEN '<100' WHEN price < 499.5 THEN '100–499.5'
                               WHEN price >= 499.5 THEN '≥499.5' END AS tier, revenue FROM sales)
        SELECT tier, sum(revenue) FROM t GROUP BY tier
        ORDER BY CASE tier WHEN '<100' THEN 1 WHEN '100–499.5' THEN 2 WHEN '≥499.5' THEN 3 ELSE 4 END""",
    "tiers_quantiles_distinct": """
        WITH p AS (SELECT DISTINCT price FROM sales WHERE price IS NOT NULL),
             q AS (SELECT quantile_cont(price, 1.0 / 3) AS a, quantile_cont(price, 2.0 / 3) AS b FROM p),
             t AS (SELECT CASE WHEN price <= a THEN 1 WHEN price <= b THEN 2 WHEN price > b THEN 3 END AS k,
                          revenue FROM sales, q)
        SELECT ['low', 'middle', 'high'][k], count(*), avg(revenue) FROM t GROUP BY k ORDER BY k NULLS LAST""",
    "tiers_quantiles_filtered": """
        WITH s AS (SELECT * FROM sales WHERE region <> 'West'),
             q AS (SELECT quantile_cont(quantity, [0.25, 0.5, 0.75]) AS c FROM s),
             t AS (SELECT CASE WHEN quantity <= c[1] THEN 1 WHEN quantity <= c[2] THEN 2
                               WHEN quantity <= c[3] THEN 3 ELSE 4 END AS k, revenue FROM s, q)
        SELECT ['low', 'lower middle', 'upper middle', 'high'][k], sum(revenue), count(*)
        FROM t GROUP BY k ORDER BY k""",
    "tiers_by_region": """
        WITH q AS (SELECT quantile_cont(price, 1.0 / 3) AS a, quantile_cont(price, 2.0 / 3) AS b FROM sales),
             t AS (SELECT CASE WHEN price <= a THEN 1 WHEN price <= b THEN 2 WHEN price > b THEN 3 END AS k,
                          region FROM sales, q)
        SELECT ['low', 'middle', 'high'][k], region, count(*) FROM t GROUP BY k, region
        ORDER BY k NULLS LAST, region""",
    "compare_regions": """
        SELECT region, avg(rating), sqrt(var_samp(rating)), count(*), count(*) FILTER (returned) / count(*)
        FROM sales
        WHERE region = '华东' OR region = '华北' GROUP BY region ORDER BY region""",
    "chinese_names": """
        SELECT region, avg("unit price ($)") AS p, max(日期) FROM sales GROUP BY region ORDER BY p DESC, region""",
    # Row positions: the fixtures' order_id grows with file order (1000 + row index), so it stands in for it.
    "rows_last": "SELECT order_id, product, price FROM sales ORDER BY order_id DESC LIMIT 2",
    "rows_first_filtered": """
        SELECT order_id - 999, order_id, region FROM sales WHERE region = 'West' AND order_id - 999 > 10
        ORDER BY order_id LIMIT 3""",
    "rows_previous": """
        SELECT order_id, product FROM sales
        WHERE order_id = (SELECT min(order_id) FROM sales WHERE product = 'Desk' AND region = '华东') - 1""",
    "rows_next_two": "SELECT 'C', 600",
    "rows_anchor_missing": "SELECT 'nothing' WHERE false",
    "calculate_difference": """
        SELECT abs(w - e), w / e, e, w, r, p FROM (
            SELECT (SELECT sum(revenue) FROM sales WHERE region = 'West') AS w,
                   (SELECT sum(revenue) FROM sales WHERE region = '华东') AS e,
                   (SELECT count(*) FROM sales WHERE returned AND price IS NOT NULL) AS r,
                   (SELECT count(DISTINCT product) FROM sales WHERE region IN ('华东', '华北')) AS p)""",
    "calculate_by_category": """
        SELECT category, 1 - sum(quantity) FILTER (WHERE returned) / sum(quantity) AS k,
               sum(quantity) FILTER (WHERE returned), sum(quantity),
               avg(price) FILTER (WHERE 日期 >= DATE '2024-01-01')
        FROM sales GROUP BY category ORDER BY k DESC, category""",
    "seed_difference": "SELECT -400, 1000, 600",
    # Numbers read by hand: Flo -3, Bo 2, Gus 2 (then by text: '2nd' < '2nd (tie)'), Ana 16, Cy 1766.2.
    "rows_number_in_text": "SELECT name, place FROM (VALUES ('Flo', '-3 pts', 1), ('Bo', '2nd', 2), "
                           "('Gus', '2nd (tie)', 3), ('Ana', '16th', 4)) AS v(name, place, k) ORDER BY k",
    # Times read by hand in seconds: Ana 115.3, Bo 121, Cy 7170, Flo 120.95, Gus 118, Hal 121 (a bare number);
    # Di and Ed have none. Under 121 s: Ana, Flo, Gus.
    "filter_number_in_text": "SELECT name, time FROM (VALUES ('Ana', '1:55.30'), ('Flo', '2:00.95'), ('Gus', '1:58')) "
                             "AS v(name, time) ORDER BY name",
    # Places read by hand: Ana 1, Bo 4, Cy -3 (the number in 'T-3'), Ed 10, Flo 2, Gus 3, Hal 12; Di none.
    # 1 to 3: Ana, Flo, Gus (3 rows, points 25 + 18 + 15); not 10 or 12 among those with a place: 5 rows;
    # points (a number column, the flag changes nothing) of at least 15: Ana, Cy, Flo, Gus.
    "filter_number_in_text_count": "SELECT 3, 58, 5, 4",
}


# -- tests --------------------------------------------------------------------------------------


def test_golden_files_are_complete() -> None:
    assert len(NAMES) >= 25
    for name in NAMES:
        for dialect in DIALECTS:
            assert (GOLDEN / f"{name}.{dialect}.sql").exists() or UPDATE, f"{name}.{dialect}.sql is missing"
    stray = {p.name.split(".")[0] for p in GOLDEN.glob("*.sql")} - set(NAMES)
    assert not stray, f".sql files without a plan: {sorted(stray)}"
    assert set(HAND_SQL) == set(NAMES), "every golden plan needs hand-written SQL in HAND_SQL"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", NAMES)
def test_compiled_sql_matches_golden(name: str, dialect: str) -> None:
    sql = compiled_sql(name, dialect)
    path = GOLDEN / f"{name}.{dialect}.sql"
    if UPDATE:
        path.write_text(sql + "\n", encoding="utf-8")
        return
    assert sql + "\n" == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_result_matches_hand_written_sql(name: str, con: duckdb.DuckDBPyConnection) -> None:
    plan = load(name)
    result = con.sql(compiled_sql(name, "duckdb"))
    outputs = plan.select or [d.name for d in plan.dimensions] + [c.name for c in plan.calculations] + [
        m.name for m in plan.measures]
    assert result.columns == outputs
    got, want = result.fetchall(), con.sql(HAND_SQL[name]).fetchall()
    assert len(got) == len(want), f"{len(got)} rows, expected {len(want)}"
    for i, (row, expected) in enumerate(zip(got, want)):
        assert len(row) == len(expected), f"row {i}: {row} vs {expected}"
        for j, (a, b) in enumerate(zip(row, expected)):
            assert same(a, b), f"row {i}, column {outputs[j]!r}: {a!r} != {b!r}\n{row}\n{expected}"


def same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def test_seed_tiers_answer(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.sql(compiled_sql("seed_tiers_quantiles", "duckdb")).fetchall()
    assert [r[0] for r in rows] == ["low", "middle", "high"]
    assert [r[1] for r in rows] == pytest.approx([1000, 800, 600], rel=1e-12)
    assert [r[2] for r in rows] == [1, 1, 1]
    assert [r[3] for r in rows] == [None, None, None]  # a sample variance needs two values


def test_seed_correlation_answer(con: duckdb.DuckDBPyConnection) -> None:
    (value,), = con.sql(compiled_sql("seed_correlation", "duckdb")).fetchall()
    assert value == pytest.approx(-1, abs=1e-9)


def test_fixture_exercises_the_edge_cases() -> None:
    """The hand-written checks above only mean something if the data has the awkward cases."""
    sales = TABLES["sales"].to_pylist()
    assert len(sales) == 300
    assert sum(r["price"] is None for r in sales) >= 5
    assert sum(r["日期"] is None for r in sales) == 2
    assert sum(r["quantity"] == 0 for r in sales) >= 10
    assert sum(r["review"] == "It's OK" for r in sales) >= 5
    assert {r["日期"].year for r in sales if r["日期"]} == {2023, 2024}
    assert {r["region"] for r in sales} == set(REGIONS)
