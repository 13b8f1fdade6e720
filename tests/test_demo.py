"""The demo data: deterministic, realistic, and the seed analysis comes out right on it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

import shuxi
from shuxi.demo import generate_sales, seed_plans, seed_table


def test_generation_is_deterministic_and_shaped(tmp_path: Path) -> None:
    a = generate_sales(tmp_path / "a.parquet", rows=30_000)
    b = generate_sales(tmp_path / "b.parquet", rows=30_000)
    assert pq.read_table(a).equals(pq.read_table(b))
    assert not list(tmp_path.glob("*.partial"))
    con = duckdb.connect()
    rows, first, last, products, regions, bad_revenue, r = con.execute(
        f"SELECT count(*), min(order_date), max(order_date), count(DISTINCT product), count(DISTINCT region), "
        f"count(*) FILTER (WHERE abs(revenue - price * quantity) > 0.01), corr(price, quantity) FROM '{a}'"
    ).fetchone()
    assert rows == 30_000 and products == 60 and regions == 6 and bad_revenue == 0
    assert str(first).startswith("2023-01") and str(last).startswith("2024-12")
    assert r < -0.3  # quantities fall as price rises
    zh, en = con.execute(f"SELECT count(*) FILTER (WHERE regexp_matches(review, '[一-龥]')), "
                         f"count(*) FILTER (WHERE regexp_matches(review, '^[A-Za-z]')) FROM '{a}'").fetchone()
    assert zh > 0 and en > 0


def test_seed_analysis_on_demo_data_matches_independent_sql(tmp_path: Path) -> None:
    path = generate_sales(tmp_path / "sales.parquet", rows=50_000)
    tiers, correlation = seed_plans("sales")
    with shuxi.open(path) as ds:
        got = ds.run(tiers).to_pylist()
        r = ds.run(correlation).to_pylist()[0]
    expected = duckdb.connect().execute(f"""
        WITH p AS (SELECT DISTINCT price FROM '{path}'),
             c AS (SELECT quantile_cont(price, 1/3) AS c1, quantile_cont(price, 2/3) AS c2 FROM p),
             o AS (SELECT price, quantity, CASE WHEN price <= c1 THEN 0 WHEN price <= c2 THEN 1 ELSE 2 END AS tier
                   FROM '{path}', c)
        SELECT tier, count(*), avg(quantity), var_samp(quantity) FROM o GROUP BY tier ORDER BY tier""").fetchall()
    assert [row["price_tier"] for row in got] == ["low", "middle", "high"]
    for row, (_, n, mean, var) in zip(got, expected):
        assert row["orders"] == n
        assert abs(row["mean_quantity"] - mean) < 1e-9 * abs(mean)
        assert abs(row["var_quantity"] - var) < 1e-9 * abs(var)
    assert [row["mean_quantity"] for row in got] == sorted((row["mean_quantity"] for row in got), reverse=True)
    n, corr = duckdb.connect().execute(f"SELECT count(*), corr(price, quantity) FROM '{path}'").fetchone()
    assert r["n"] == n and abs(r["r"] - corr) < 1e-12


def test_seed_scenario_is_negative_not_positive() -> None:
    tiers, correlation = seed_plans("seed")
    with shuxi.open(seed_table(), name="seed") as ds:
        got = ds.run(tiers).to_pylist()
        r = ds.run(correlation).to_pylist()[0]
    assert [(t["price_tier"], t["orders"], t["mean_quantity"], t["var_quantity"]) for t in got] == [
        ("low", 1, 1000.0, None), ("middle", 1, 800.0, None), ("high", 1, 600.0, None)]
    assert abs(r["r"] - (-1.0)) < 1e-9 and r["n"] == 3
