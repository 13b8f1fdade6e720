"""rank_drivers, Spearman in SQL and the engine-side histogram, checked against numpy/scipy on the raw data."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats
from sqlglot import exp

import shuxi
from shuxi.errors import ColumnNotFoundError, PlanError
from shuxi.insight.correlation import correlate
from shuxi.insight.distribution import histogram, nice_bins, quantile_summary
from shuxi.insight.drivers import DRIVERS_SCHEMA, rank_drivers
from shuxi.insight.sampling import sample_pairs
from shuxi.insight.spearman import spearman, spearman_query

N = 600


def _planted(seed: int = 3) -> dict[str, Any]:
    """销量 is driven by 价格 (strongly, negatively) and by 地区 (a category); 库存 barely matters; 编号 is an id."""
    rng = np.random.default_rng(seed)
    price = rng.uniform(50, 500, N)
    region = rng.choice(["华东", "华南", "华北"], N)
    effect = {"华东": 300.0, "华南": 0.0, "华北": -150.0}
    stock = rng.normal(100, 20, N)
    sales = 2000 - 3 * price + np.array([effect[r] for r in region]) + 0.5 * stock + rng.normal(0, 120, N)
    sales[::50] = np.nan  # some missing targets: n must count pairs, not rows
    return {
        "价格": price, "地区": region, "库存": stock, "销量": sales,
        "编号": [f"P{i:04d}" for i in range(N)], "常数": np.full(N, 7.0),
        "促销": rng.random(N) < 0.5,
    }


@pytest.fixture(scope="module")
def planted() -> dict[str, Any]:
    return _planted()


def _check_planted(result: pa.Table, data: dict[str, Any]) -> None:
    assert result.schema.equals(DRIVERS_SCHEMA)
    rows = {r["column"]: r for r in result.to_pylist()}
    order = result.column("column").to_pylist()
    assert order[:2] == ["价格", "地区"], order
    sales = np.asarray(data["销量"], dtype=float)
    keep = ~np.isnan(sales)

    price = rows["价格"]
    expected = stats.pearsonr(np.asarray(data["价格"])[keep], sales[keep])
    assert price["kind"] == "numeric" and price["effect"] == "|r|"
    assert price["r"] == pytest.approx(expected.statistic, rel=1e-9) and price["r"] < 0
    assert price["value"] == pytest.approx(abs(expected.statistic), rel=1e-9)
    assert price["n"] == int(keep.sum()) and price["p_value"] == pytest.approx(expected.pvalue, rel=1e-6, abs=1e-300)

    region = rows["地区"]
    labels = np.asarray(data["地区"])[keep]
    groups = [sales[keep][labels == g] for g in ("华东", "华南", "华北")]
    anova = stats.f_oneway(*groups)
    y = sales[keep]
    eta = sum(len(g) * (g.mean() - y.mean()) ** 2 for g in groups) / ((y - y.mean()) ** 2).sum()
    assert region["kind"] == "category" and region["effect"] == "η²" and region["groups"] == 3
    assert region["value"] == pytest.approx(eta, rel=1e-6)
    assert region["p_value"] == pytest.approx(anova.pvalue, rel=1e-6, abs=1e-300)
    assert region["n"] == int(keep.sum())

    assert rows["库存"]["value"] < 0.2 and rows["促销"]["value"] < 0.05
    assert rows["编号"]["value"] is None and rows["编号"]["note"] == "too_many_categories"
    assert rows["常数"]["value"] is None and rows["常数"]["note"] == "constant"
    assert order[-2:] == ["编号", "常数"] or set(order[-2:]) == {"编号", "常数"}


def test_rank_drivers_finds_the_planted_drivers(planted: dict[str, Any]) -> None:
    with shuxi.open(pa.table(planted)) as ds:
        _check_planted(rank_drivers(ds, "销量"), planted)


def test_rank_drivers_restricted_columns_and_errors(planted: dict[str, Any]) -> None:
    with shuxi.open(pa.table(planted)) as ds:
        only = rank_drivers(ds, "销量", columns=["库存", "地区"])
        assert only.column("column").to_pylist() == ["地区", "库存"]
        assert rank_drivers(ds, "销量", columns=["地区"], max_categories=2).column("note").to_pylist() == [
            "too_many_categories"]
        dated = shuxi.open(pa.table({"y": [1.0, 2.0, 3.0], "d": pa.array([0, 1, 2], pa.date32())}))
        assert rank_drivers(dated, "y").num_rows == 0
        assert rank_drivers(dated, "y", columns=["d"]).to_pylist()[0]["note"] == "unsupported_type"
        dated.close()
        with pytest.raises(ColumnNotFoundError) as missing:
            rank_drivers(ds, "销售")
        assert "销量" in missing.value.candidates
        with pytest.raises(ColumnNotFoundError):
            rank_drivers(ds, "销量", columns=["价钱"])
        with pytest.raises(PlanError, match="not numbers"):
            rank_drivers(ds, "地区")


@pytest.mark.spark
def test_rank_drivers_on_spark_matches(spark: Any, planted: dict[str, Any]) -> None:
    ds = shuxi.open(pa.table(planted), engine="spark")
    _check_planted(rank_drivers(ds, "销量"), planted)
    x, y = np.asarray(planted["价格"]), np.asarray(planted["销量"])
    keep = ~np.isnan(y)
    rho = spearman(ds, "价格", "销量")
    assert rho.r == pytest.approx(stats.spearmanr(x[keep], y[keep]).statistic, rel=1e-9)
    # The other engine-side helpers give DuckDB's numbers on Spark too.
    with shuxi.open(pa.table(planted)) as duck:
        on_spark, on_duck = correlate(ds, "价格", "销量"), correlate(duck, "价格", "销量")
        assert (on_spark.n, on_spark.direction, on_spark.strength) == (on_duck.n, on_duck.direction, on_duck.strength)
        assert [on_spark.r, on_spark.ci_low, on_spark.ci_high] == pytest.approx([on_duck.r, on_duck.ci_low, on_duck.ci_high])
        assert histogram(ds, "销量", bins=12).equals(histogram(duck, "销量", bins=12))
        spark_summary, duck_summary = quantile_summary(ds, "销量"), quantile_summary(duck, "销量")
        assert spark_summary == pytest.approx(duck_summary, rel=1e-9)
    points = sample_pairs(ds, "价格", "销量", limit=50)
    assert points.num_rows == 50 and points.column_names == ["价格", "销量"]


# -- Spearman -----------------------------------------------------------------------------------------------------


def test_spearman_in_sql_matches_scipy_with_ties_and_nulls() -> None:
    rng = np.random.default_rng(11)
    x = rng.integers(0, 6, 300).astype(float)
    y = -x + rng.integers(0, 4, 300)
    x[::37] = np.nan
    region = rng.choice(["东", "西"], 300)
    with shuxi.open(pa.table({"得分 x": x, "y.值": y, "区": region})) as ds:
        rho = spearman(ds, "得分 x", "y.值")
        keep = ~np.isnan(x)
        expected = stats.spearmanr(x[keep], y[keep])
        assert rho.n == int(keep.sum()) and rho.method == "spearman"
        assert rho.r == pytest.approx(expected.statistic, rel=1e-9) and rho.direction == "negative"
        assert rho.p_value == pytest.approx(expected.pvalue, rel=1e-6, abs=1e-300)

        east = exp.column("区", quoted=True).eq(exp.Literal.string("东"))
        only = spearman(ds, "得分 x", "y.值", where=east)
        mask = keep & (region == "东")
        assert only.n == int(mask.sum())
        assert only.r == pytest.approx(stats.spearmanr(x[mask], y[mask]).statistic, rel=1e-9)


def test_spearman_query_is_one_row_and_constant_is_null() -> None:
    with shuxi.open(pa.table({"a": [1.0, 2.0, 3.0], "b": [4.0, 4.0, 4.0]})) as ds:
        result = ds.engine.execute(spearman_query(ds.name, "a", "b"))
        assert result.column_names == ["r", "n"] and result.to_pylist() == [{"r": None, "n": 3}]
        assert spearman(ds, "a", "b").r is None
        with pytest.raises(ColumnNotFoundError):
            spearman(ds, "a", "c")


def test_spearman_seed_scenario_is_negative() -> None:
    with shuxi.open(pa.table({"price": [100, 200, 300], "sales": [1000, 800, 600]})) as ds:
        rho = spearman(ds, "price", "sales")
    assert rho.r == pytest.approx(-1.0) and rho.direction == "negative" and rho.strength == "perfect"


# -- distribution -------------------------------------------------------------------------------------------------


def test_histogram_counts_match_numpy_and_edges_are_nice() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(100, 15, 2000)
    values[::100] = np.nan
    with shuxi.open(pa.table({"价格": values})) as ds:
        hist = histogram(ds, "价格", bins=10)
        summary = quantile_summary(ds, "价格")
    starts, ends, counts = (hist.column(c).to_pylist() for c in ("bin_start", "bin_end", "count"))
    width = ends[0] - starts[0]
    assert width in (5.0, 10.0, 20.0) and all(s % width == 0 for s in starts)
    clean = values[~np.isnan(values)]
    expected, _ = np.histogram(clean, bins=starts + [ends[-1]])
    assert counts == expected.tolist() and sum(counts) == clean.size
    assert starts[0] <= clean.min() and ends[-1] >= clean.max()
    assert summary["n"] == clean.size
    assert summary["median"] == pytest.approx(np.percentile(clean, 50), rel=1e-9)
    assert summary["q25"] == pytest.approx(np.percentile(clean, 25), rel=1e-9)
    assert summary["std"] == pytest.approx(clean.std(ddof=1), rel=1e-9)


def test_histogram_integers_and_edge_cases() -> None:
    with shuxi.open(pa.table({"age": [18, 18, 19, 30, 65], "flat": [3.0] * 5, "name": list("abcde")})) as ds:
        ages = histogram(ds, "age", bins=20)
        assert sum(ages.column("count").to_pylist()) == 5
        assert all(float(w).is_integer() for w in ages.column("bin_start").to_pylist())
        flat = histogram(ds, "flat")
        assert flat.to_pylist() == [{"bin_start": 2.5, "bin_end": 3.5, "count": 5}]
        with pytest.raises(PlanError, match="not numbers"):
            histogram(ds, "name")
        nothing = histogram(ds, "age", where=exp.GT(this=exp.column("age", quoted=True), expression=exp.Literal.number(100)))
        assert nothing.num_rows == 0


@pytest.mark.parametrize(("low", "high", "bins", "expected"), [
    (0, 100, 10, (0.0, 10.0, 10)), (3.2, 97.5, 10, (0.0, 10.0, 10)), (41.5, 146.0, 10, (40.0, 10.0, 11)),
    (0, 1, 20, (0.0, 0.05, 20)), (5, 5, 10, (4.5, 1.0, 1)),
])
def test_nice_bins(low: float, high: float, bins: int, expected: tuple[float, float, int]) -> None:
    start, width, count = nice_bins(low, high, bins=bins)
    assert (start, count) == (expected[0], expected[2]) and width == pytest.approx(expected[1])
    assert start <= low and start + count * width >= high


def test_correlate_pearson_and_sample_pairs(planted: dict[str, Any]) -> None:
    x, y = np.asarray(planted["价格"]), np.asarray(planted["销量"])
    keep = ~np.isnan(y)
    with shuxi.open(pa.table(planted)) as ds:
        r = correlate(ds, "价格", "销量")
        assert r.n == int(keep.sum()) and r.r == pytest.approx(stats.pearsonr(x[keep], y[keep]).statistic, rel=1e-9)
        assert correlate(ds, "价格", "常数").r is None
        with pytest.raises(PlanError, match="not numbers"):
            correlate(ds, "价格", "地区")
        points = sample_pairs(ds, "价格", "销量", limit=100, color="地区")
        assert points.num_rows == 100 and points.column_names == ["价格", "销量", "地区"]
        assert all(v is not None for v in points.column("销量").to_pylist())  # NaN targets never sampled
        assert set(points.column("价格").to_pylist()) <= set(x.tolist())
        assert sample_pairs(ds, "价格", "销量", limit=10_000).num_rows == int(keep.sum())


def test_category_nulls_are_not_a_group() -> None:
    groups = {"a": [1.0, 2.0, 3.0], "b": [5.0, 6.0, 8.0], None: [100.0, 200.0]}
    labels = [k for k, v in groups.items() for _ in v]
    values = [x for v in groups.values() for x in v]
    with shuxi.open(pa.table({"g": pa.array(labels, pa.string()), "y": values, "flag": [True, False] * 4})) as ds:
        rows = {r["column"]: r for r in rank_drivers(ds, "y").to_pylist()}
    expected = stats.f_oneway(groups["a"], groups["b"])
    assert rows["g"]["groups"] == 2 and rows["g"]["n"] == 6
    assert rows["g"]["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert rows["flag"]["kind"] == "category" and rows["flag"]["groups"] == 2 and rows["flag"]["n"] == 8
