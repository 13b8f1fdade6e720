"""Statistics from summaries agree with scipy.stats run on the raw data; the seed scenario is never "positive"."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats

import shuxi
from shuxi.insight.stats import (
    anova_eta_squared,
    classify_strength,
    correlation_test,
    describe_group_variance,
    welch_test,
)

PRICES = [100.0, 200.0, 300.0]
SALES = [1000.0, 800.0, 600.0]


# -- the seed scenario -----------------------------------------------------------------------------------------


def test_seed_correlation_is_perfectly_negative_from_the_engine() -> None:
    with shuxi.open(pa.table({"product": ["A", "B", "C"], "price": PRICES, "sales": SALES})) as ds:
        row = ds.sql(f"SELECT corr(price, sales) AS r, count(*) AS n FROM {ds.name}").to_pylist()[0]
    c = correlation_test(row["r"], row["n"])
    assert c.r == pytest.approx(-1.0) and c.n == 3
    assert c.direction == "negative" and c.strength == "perfect"
    assert c.ci_low == pytest.approx(-1.0) and c.ci_high == pytest.approx(-1.0)
    # scipy's r is -0.99999999… from rounding (p ≈ 1e-8); exactly -1 has p = 0. Either reads "p < 0.001".
    assert c.p_value == pytest.approx(stats.pearsonr(PRICES, SALES).pvalue, abs=1e-6)
    assert c.warnings == ["small_sample"] and c.significant

    en = c.describe("en", x="price", y="quantity")
    assert en.startswith("r = -1.000 (n = 3): a perfect negative correlation")
    assert "as price rises, quantity falls" in en and "positive" not in en
    assert "not causation" in en and "only 3 points" in en and "95% CI [-1, -1]" in en

    zh = c.describe("zh", x="价格", y="销量")
    assert "完全负相关" in zh and "正相关" not in zh
    assert "价格越高，销量越低" in zh and "相关不等于因果" in zh and "3 个数据点" in zh


# -- correlation against scipy -----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [4, 5, 12, 40, 300])
def test_pearson_matches_scipy(n: int) -> None:
    rng = np.random.default_rng(n)
    x = rng.normal(size=n)
    y = 0.4 * x + rng.normal(size=n)
    expected = stats.pearsonr(x, y)
    ci = expected.confidence_interval(0.95)
    c = correlation_test(float(expected.statistic), n)
    assert c.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert c.ci_low == pytest.approx(ci.low, rel=1e-9) and c.ci_high == pytest.approx(ci.high, rel=1e-9)
    assert c.direction == ("positive" if expected.statistic >= 0.1 else "negative" if expected.statistic <= -0.1 else "none")


def test_pearson_with_three_points_has_the_uninformative_interval() -> None:
    expected = stats.pearsonr([1, 2, 3], [3, 1, 2])
    c = correlation_test(float(expected.statistic), 3)
    assert c.p_value == pytest.approx(expected.pvalue)
    assert (c.ci_low, c.ci_high) == (-1.0, 1.0)


@pytest.mark.parametrize("n", [6, 25, 200])
def test_spearman_p_value_matches_scipy_and_interval_brackets_rho(n: int) -> None:
    rng = np.random.default_rng(100 + n)
    x = rng.integers(0, 8, size=n)  # ties on purpose
    y = x + rng.integers(0, 6, size=n)
    expected = stats.spearmanr(x, y)
    c = correlation_test(float(expected.statistic), n, method="spearman")
    assert c.method == "spearman" and c.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert c.ci_low is not None and c.ci_high is not None
    assert -1 <= c.ci_low < expected.statistic < c.ci_high <= 1
    # Fieller's standard error is √1.06 times Pearson's: a wider interval than Pearson's for the same r.
    pearson = correlation_test(float(expected.statistic), n)
    assert pearson.ci_low is not None and c.ci_low < pearson.ci_low
    assert c.direction == "positive"
    assert "ρ = " in c.describe("en") and "as x rises, y tends to rise" in c.describe("en")


@pytest.mark.parametrize(
    ("r", "strength"),
    [(1.0, "perfect"), (-0.9999999999999, "perfect"), (0.95, "very strong"), (-0.9, "very strong"),
     (0.89, "strong"), (0.7, "strong"), (-0.6, "moderate"), (0.35, "weak"), (0.15, "very weak"),
     (0.099, "none"), (0.0, "none")],
)
def test_strength_cut_points(r: float, strength: str) -> None:
    assert classify_strength(r) == strength
    c = correlation_test(r, 50)
    assert c.strength == strength
    assert c.direction == ("none" if strength == "none" else "positive" if r > 0 else "negative")


def test_undefined_correlations() -> None:
    constant = correlation_test(None, 20)
    assert constant.r is None and constant.p_value is None and "undefined" in constant.warnings
    assert "undefined" in constant.describe("en", x="a", y="b") and "无定义" in constant.describe("zh", x="甲", y="乙")
    assert correlation_test(float("nan"), 20).r is None

    two = correlation_test(-1.0, 2)
    assert two.p_value is None and two.ci_low is None and "undefined" in two.warnings
    assert "says nothing" in two.describe("en", x="price", y="sales")
    assert "说明不了" in two.describe("zh", x="价格", y="销量")


def test_constant_column_from_the_engine_is_undefined_not_nan() -> None:
    with shuxi.open(pa.table({"x": [1.0, 2.0, 3.0, 4.0], "y": [5.0] * 4})) as ds:
        row = ds.sql(f"SELECT corr(x, y) AS r, count(*) AS n FROM {ds.name}").to_pylist()[0]
    c = correlation_test(row["r"], row["n"])
    assert c.r is None and c.direction == "none" and "undefined" in c.warnings


def test_faint_tendencies_are_not_overclaimed() -> None:
    weak = correlation_test(0.35, 40)
    assert "tends to rise only slightly" in weak.describe("en", x="price", y="sales")
    assert "略有升高的趋势" in weak.describe("zh", x="价格", y="销量")
    strong = correlation_test(-0.8, 40)
    assert "tends to fall." in strong.describe("en") and "往往越低" in strong.describe("zh")


def test_weak_result_says_not_significant() -> None:
    c = correlation_test(-0.2, 8)
    assert "not_significant" in c.warnings and not c.significant
    assert "not significant" in c.describe("en") and "不显著" in c.describe("zh")
    assert "弱的负相关" in c.describe("zh", x="价格", y="销量")


def test_to_dict_is_json_ready() -> None:
    import json

    text = json.dumps(correlation_test(0.5, 30).to_dict())
    assert '"direction": "positive"' in text and '"strength": "moderate"' in text


# -- two groups ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n_a", "n_b", "shift"), [(12, 30, 0.8), (5, 7, 0.1), (200, 150, 0.25)])
def test_welch_matches_scipy(n_a: int, n_b: int, shift: float) -> None:
    rng = np.random.default_rng(n_a * n_b)
    a = rng.normal(10 + shift, 2.0, size=n_a)
    b = rng.normal(10, 3.0, size=n_b)
    expected = stats.ttest_ind(a, b, equal_var=False)
    ci = expected.confidence_interval(0.95)
    c = welch_test(a.mean(), a.var(ddof=1), n_a, b.mean(), b.var(ddof=1), n_b)
    assert c.t == pytest.approx(expected.statistic, rel=1e-9)
    assert c.df == pytest.approx(expected.df, rel=1e-9)
    assert c.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert c.ci_low == pytest.approx(ci.low, rel=1e-9) and c.ci_high == pytest.approx(ci.high, rel=1e-9)
    assert c.significant == (expected.pvalue < 0.05)
    assert c.difference == pytest.approx(a.mean() - b.mean())


def test_welch_with_a_group_of_one_explains_why_there_is_no_test() -> None:
    c = welch_test(10.0, None, 1, 8.0, 4.0, 25)
    assert c.p_value is None and c.t is None and "variance_undefined" in c.warnings and not c.significant
    en = c.describe("en", "East", "West", "mean revenue")
    assert en.startswith("Mean revenue is 10 for East (n = 1) and 8 for West (n = 25)")
    assert "variance is undefined for a group of one" in en
    zh = c.describe("zh", "华东", "华西", "平均销售额")
    assert "只有一个样本的组方差无定义" in zh and "华东的平均销售额为 10" in zh


def test_welch_describe_reports_significance_in_both_languages() -> None:
    c = welch_test(12.0, 4.0, 40, 10.0, 4.0, 40)
    assert c.significant
    assert "is significant at the 5% level" in c.describe("en", "A", "B", "the mean")
    assert "差异在 5% 水平上显著" in c.describe("zh", "甲", "乙")
    same = welch_test(5.0, 0.0, 4, 5.0, 0.0, 4)
    assert same.p_value is None and "zero_variance" in same.warnings


# -- several groups ----------------------------------------------------------------------------------------------


def _summaries(groups: list[np.ndarray]) -> list[tuple[int, float, float | None]]:
    return [(len(g), float(g.mean()), float(g.var(ddof=1)) if len(g) > 1 else None) for g in groups]


def test_anova_matches_f_oneway_including_a_group_of_one() -> None:
    rng = np.random.default_rng(7)
    groups = [rng.normal(5, 1, 8), rng.normal(6, 1, 11), np.array([9.5]), rng.normal(5.5, 1, 6)]
    expected = stats.f_oneway(*groups)
    effect = anova_eta_squared(_summaries(groups))
    assert effect.f == pytest.approx(expected.statistic, rel=1e-9)
    assert effect.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    values = np.concatenate(groups)
    between = sum(len(g) * (g.mean() - values.mean()) ** 2 for g in groups)
    assert effect.eta_squared == pytest.approx(between / ((values - values.mean()) ** 2).sum(), rel=1e-9)
    assert effect.n == 26 and effect.k == 4 and "groups_of_one" in effect.warnings


def test_anova_all_groups_of_one_is_undefined_not_one() -> None:
    effect = anova_eta_squared([(1, 1000.0, None), (1, 800.0, None), (1, 600.0, None)])
    assert effect.eta_squared is None and effect.f is None and effect.p_value is None
    assert {"groups_of_one", "no_within_variance"} <= set(effect.warnings)


def test_anova_ignores_empty_groups_and_needs_two() -> None:
    assert anova_eta_squared([(0, None, None), (5, 2.0, 1.0)]).warnings[0] == "single_group"
    with pytest.raises(ValueError, match="sample variance"):
        anova_eta_squared([(3, 1.0, None), (3, 2.0, 1.0)])


def test_describe_group_variance() -> None:
    assert describe_group_variance({"高": 1, "中": 1, "低": 1}, "zh") == "只有一个样本的组方差无定义：高、中、低各只有一个样本。"
    en = describe_group_variance([("high", 1), ("mid", 4), ("low", 1)], "en")
    assert en == "Variance is undefined for a group of one: high and low each have a single value."
    assert describe_group_variance({"a": 2, "b": 9}, "en") is None
    assert "no values" in (describe_group_variance({"a": 0, "b": 3}, "en") or "")
