"""Statistics that decide whether a conclusion holds, computed from summary numbers the engine returns.

Big tables stay in the engine (DESIGN.md): SQL returns a correlation and its n, or per-group n/mean/variance,
and the functions here turn those into tests — p-values, confidence intervals, effect sizes — and into one
honest sentence in Chinese or English. scipy supplies the distributions and is imported only when needed.

The seed scenario: prices 100/200/300 with sales 1000/800/600 give r = -1 — a perfect *negative* correlation.

>>> correlation_test(-1.0, 3).describe("en", x="price", y="quantity")
'r = -1.000 (n = 3): a perfect negative correlation — as price rises, quantity falls. p < 0.001; 95% CI [-1, -1]. Correlation is not causation; with only 3 points this is weak evidence.'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from shuxi.insight.formatting import Language, format_bound, format_coefficient, format_number, format_p_value

Direction = Literal["positive", "negative", "none"]
Strength = Literal["perfect", "very strong", "strong", "moderate", "weak", "very weak", "none"]

#: The level every test here uses: p < ALPHA is "significant", intervals are 1 - ALPHA = 95 %.
ALPHA = 0.05
#: Below this many points a result is flagged "small_sample".
SMALL_SAMPLE = 10

# |r| cut points, lower bounds (Evans 1996 style, with "perfect" only for |r| = 1 up to rounding noise).
_STRENGTHS: tuple[tuple[float, Strength], ...] = (
    (0.9, "very strong"),
    (0.7, "strong"),
    (0.5, "moderate"),
    (0.3, "weak"),
    (0.1, "very weak"),
)
_PERFECT_TOLERANCE = 1e-9

_STRENGTH_ZH: dict[Strength, str] = {
    "perfect": "完全",
    "very strong": "极强的",
    "strong": "强",
    "moderate": "中等程度的",
    "weak": "弱",
    "very weak": "极弱的",
    "none": "",
}


def classify_strength(r: float) -> Strength:
    """The strength word for a correlation coefficient.

    Cut points on |r|: 1 (within 1e-9) "perfect"; ≥ 0.9 "very strong"; ≥ 0.7 "strong"; ≥ 0.5 "moderate";
    ≥ 0.3 "weak"; ≥ 0.1 "very weak"; below 0.1 "none".
    """
    magnitude = abs(r)
    if magnitude >= 1 - _PERFECT_TOLERANCE:
        return "perfect"
    for cut, word in _STRENGTHS:
        if magnitude >= cut:
            return word
    return "none"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# -- correlation ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correlation:
    """A correlation coefficient with its test; build it with :func:`correlation_test`.

    ``warnings`` holds codes: ``"undefined"`` (no r — a constant column — or fewer than 3 pairs, so nothing can
    be tested), ``"small_sample"`` (n < 10), ``"not_significant"`` (p ≥ 0.05).
    """

    r: float | None
    n: int
    method: Literal["pearson", "spearman"]
    p_value: float | None
    ci_low: float | None
    ci_high: float | None
    direction: Direction
    strength: Strength
    warnings: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        """Whether p < 0.05 (False when the test is undefined)."""
        return self.p_value is not None and self.p_value < ALPHA

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly fields (for ``Answer.to_dict()['stats']``)."""
        return {
            "test": "correlation", "method": self.method, "r": self.r, "n": self.n, "p_value": self.p_value,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "direction": self.direction,
            "strength": self.strength, "warnings": list(self.warnings),
        }

    def describe(self, language: Language = "en", *, x: str = "x", y: str = "y") -> str:
        """One honest paragraph: r and n, the sign and strength in words, p and the 95% CI, and the caveats
        (correlation is not causation; small samples).

        ``x`` and ``y`` are the two columns, named as the user named them (e.g. ``x="价格", y="销量"``).
        """
        return _describe_correlation_zh(self, x, y) if language == "zh" else _describe_correlation_en(self, x, y)


def correlation_test(
    r: float | None, n: int, *, method: Literal["pearson", "spearman"] = "pearson"
) -> Correlation:
    """Test a correlation coefficient ``r`` computed from ``n`` pairs (both from SQL: ``CORR(x, y)``, ``COUNT``).

    The p-value is two-sided from Student's t with n - 2 degrees of freedom, t = r·√((n-2)/(1-r²)) — the same
    as ``scipy.stats.pearsonr`` and ``spearmanr``. The 95% CI uses Fisher's z = atanh(r) with standard error
    1/√(n-3) for Pearson; for Spearman it is the usual approximation with standard error √(1.06/(n-3))
    (Fieller, Hartley & Pearson 1957), which is fine from about n = 10 and rough below. With n = 3 the interval
    is [-1, 1]; |r| = 1 gives the degenerate interval [r, r].

    An r of None or NaN (a constant column, no pairs) or n < 3 leaves the test undefined (warning
    ``"undefined"``); for n = 2 r is ±1 whatever the data, so it is kept but never tested.
    """
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method must be 'pearson' or 'spearman', not {method!r}")
    n = int(n)
    warnings: list[str] = []
    if _is_missing(r):
        return Correlation(None, n, method, None, None, None, "none", "none",
                           ["undefined"] + (["small_sample"] if n < SMALL_SAMPLE else []))
    r = max(-1.0, min(1.0, float(r)))  # engines may return 1.0000000000000002
    strength = classify_strength(r)
    direction: Direction = "none" if strength == "none" else ("positive" if r > 0 else "negative")
    if n < SMALL_SAMPLE:
        warnings.append("small_sample")
    if n < 3:
        return Correlation(r, n, method, None, None, None, direction, strength, ["undefined", *warnings])

    from scipy import stats

    degrees = n - 2
    if strength == "perfect":
        p_value, low, high = 0.0, math.copysign(1.0, r), math.copysign(1.0, r)
    else:
        t = r * math.sqrt(degrees / (1 - r * r))
        p_value = float(2 * stats.t.sf(abs(t), degrees))
        if n > 3:
            se = math.sqrt((1.06 if method == "spearman" else 1.0) / (n - 3))
            z = math.atanh(r)
            critical = float(stats.norm.ppf(1 - ALPHA / 2))
            low, high = math.tanh(z - critical * se), math.tanh(z + critical * se)
        else:
            low, high = -1.0, 1.0
    if p_value >= ALPHA:
        warnings.append("not_significant")
    return Correlation(r, n, method, p_value, low, high, direction, strength, warnings)


def _method_name(method: str) -> str:
    return "ρ" if method == "spearman" else "r"


def _describe_correlation_en(c: Correlation, x: str, y: str) -> str:
    symbol = _method_name(c.method)
    if c.r is None:
        return (f"The correlation between {x} and {y} is undefined (n = {format_number(c.n)}): one of them is "
                f"constant, or there are too few rows with both values.")
    head = f"{symbol} = {format_coefficient(c.r)} (n = {format_number(c.n)})"
    kind = "monotonic" if c.method == "spearman" else "linear"
    if c.direction == "none":
        claim = f"no {kind} relationship between {x} and {y} to speak of"
    else:
        article = "an" if c.strength[0] in "aeiou" else "a"
        rise = c.direction == "positive"
        if c.strength == "perfect":
            trend = "rises" if rise else "falls"
        elif c.strength in ("weak", "very weak"):  # do not overclaim a faint tendency
            trend = f"tends to {'rise' if rise else 'fall'} only slightly"
        else:
            trend = f"tends to {'rise' if rise else 'fall'}"
        claim = f"{article} {c.strength} {c.direction} correlation — as {x} rises, {y} {trend}"
    if c.n < 3:
        return (f"{head}: with only {c.n} point{'s' if c.n != 1 else ''} any two columns line up perfectly, "
                f"so this says nothing about {x} and {y}.")
    parts = [f"{head}: {claim}."]
    test = format_p_value(c.p_value)
    if c.ci_low is not None and c.ci_high is not None:
        test += f"; 95% CI [{format_bound(c.ci_low)}, {format_bound(c.ci_high)}]"
    if "not_significant" in c.warnings:
        test += " — not significant at the 5% level"
    parts.append(test + ".")
    caveat = "Correlation is not causation"
    if c.n < SMALL_SAMPLE:
        caveat += f"; with only {c.n} points this is weak evidence"
    parts.append(caveat + ".")
    return " ".join(parts)


def _describe_correlation_zh(c: Correlation, x: str, y: str) -> str:
    symbol = _method_name(c.method)
    if c.r is None:
        return f"{x}与{y}的相关系数无定义（n = {format_number(c.n, 'zh')}）：其中一列是常数，或同时有两列数值的行太少。"
    head = f"{symbol} = {format_coefficient(c.r)}（n = {format_number(c.n, 'zh')}）"
    if c.n < 3:
        return f"{head}：只有 {c.n} 个数据点时任何两列都会完全对齐，这说明不了{x}与{y}的关系。"
    kind = "单调" if c.method == "spearman" else "线性"
    if c.direction == "none":
        claim = f"{x}与{y}之间几乎没有{kind}关系"
    else:
        sign = "正相关" if c.direction == "positive" else "负相关"
        rise = c.direction == "positive"
        if c.strength == "perfect":
            trend = "越高" if rise else "越低"
        elif c.strength in ("weak", "very weak"):
            trend = "略有升高的趋势" if rise else "略有降低的趋势"
        else:
            trend = "往往越高" if rise else "往往越低"
        claim = f"{_STRENGTH_ZH[c.strength]}{sign}：{x}越高，{y}{trend}"
    parts = [f"{head}，{claim}。"]
    test = format_p_value(c.p_value, "zh")
    if c.ci_low is not None and c.ci_high is not None:
        test += f"，95% 置信区间 [{format_bound(c.ci_low)}, {format_bound(c.ci_high)}]"
    if "not_significant" in c.warnings:
        test += "，在 5% 水平上不显著"
    parts.append(test + "。")
    caveat = "相关不等于因果"
    if c.n < SMALL_SAMPLE:
        caveat += f"；仅有 {c.n} 个数据点，证据很弱"
    parts.append(caveat + "。")
    return "".join(parts)


# -- two groups ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Welch's two-sample t-test of mean_a - mean_b; build it with :func:`welch_test`.

    ``warnings`` holds codes: ``"variance_undefined"`` (a group with fewer than 2 values: no test),
    ``"zero_variance"`` (both groups constant: no test), ``"small_sample"`` (a group under 10),
    ``"not_significant"`` (p ≥ 0.05).
    """

    mean_a: float
    mean_b: float
    n_a: int
    n_b: int
    difference: float
    t: float | None
    df: float | None
    p_value: float | None
    ci_low: float | None
    ci_high: float | None
    warnings: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        """p < 0.05 (False when no test could be run)."""
        return self.p_value is not None and self.p_value < ALPHA

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly fields (for ``Answer.to_dict()['stats']``)."""
        return {
            "test": "welch_t", "mean_a": self.mean_a, "mean_b": self.mean_b, "n_a": self.n_a, "n_b": self.n_b,
            "difference": self.difference, "t": self.t, "df": self.df, "p_value": self.p_value,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "significant": self.significant,
            "warnings": list(self.warnings),
        }

    def describe(self, language: Language = "en", a_label: str = "A", b_label: str = "B",
                 measure: str = "the mean") -> str:
        """One paragraph: both means with their n, the difference, whether it is significant (p, 95% CI),
        or why no test was possible."""
        return (_describe_comparison_zh if language == "zh" else _describe_comparison_en)(self, a_label, b_label, measure)


def welch_test(
    mean_a: float, var_a: float | None, n_a: int, mean_b: float, var_b: float | None, n_b: int
) -> Comparison:
    """Welch's t-test from each group's mean, *sample* variance (SQL ``VARIANCE``/``VAR_SAMP``) and size.

    Matches ``scipy.stats.ttest_ind(a, b, equal_var=False)``; the 95% CI of the difference uses the
    Welch–Satterthwaite degrees of freedom. A group with fewer than two values has no variance (SQL gives
    NULL), so no test is run and the warning ``"variance_undefined"`` says why.
    """
    mean_a, mean_b, n_a, n_b = float(mean_a), float(mean_b), int(n_a), int(n_b)
    difference = mean_a - mean_b
    warnings: list[str] = []
    if min(n_a, n_b) < SMALL_SAMPLE:
        warnings.append("small_sample")
    if n_a < 2 or n_b < 2 or _is_missing(var_a) or _is_missing(var_b):
        return Comparison(mean_a, mean_b, n_a, n_b, difference, None, None, None, None, None,
                          ["variance_undefined", *warnings])
    from scipy import stats

    share_a, share_b = float(var_a) / n_a, float(var_b) / n_b  # type: ignore[arg-type]
    se2 = share_a + share_b
    if se2 <= 0:
        return Comparison(mean_a, mean_b, n_a, n_b, difference, None, None, None, None, None,
                          ["zero_variance", *warnings])
    se = math.sqrt(se2)
    t = difference / se
    df = se2 * se2 / (share_a**2 / (n_a - 1) + share_b**2 / (n_b - 1))
    p_value = float(2 * stats.t.sf(abs(t), df))
    half = float(stats.t.ppf(1 - ALPHA / 2, df)) * se
    if p_value >= ALPHA:
        warnings.append("not_significant")
    return Comparison(mean_a, mean_b, n_a, n_b, difference, t, df, p_value, difference - half, difference + half,
                      warnings)


def _describe_comparison_en(c: Comparison, a: str, b: str, measure: str) -> str:
    head = (f"{measure} is {format_number(c.mean_a)} for {a} (n = {format_number(c.n_a)}) and "
            f"{format_number(c.mean_b)} for {b} (n = {format_number(c.n_b)}), a difference of "
            f"{format_number(c.difference)}.")
    head = head[0].upper() + head[1:]
    if "variance_undefined" in c.warnings:
        small = a if c.n_a < 2 else b
        return head + (f" No significance test is possible: {small} has fewer than two values, and variance is "
                       f"undefined for a group of one.")
    if "zero_variance" in c.warnings:
        return head + " No significance test is possible: every value within each group is the same."
    ci = f"95% CI [{format_number(c.ci_low)}, {format_number(c.ci_high)}]"
    if c.significant:
        verdict = f" The difference is significant at the 5% level (Welch's t-test, {format_p_value(c.p_value)}; {ci})."
    else:
        verdict = (f" The difference is not significant at the 5% level (Welch's t-test, "
                   f"{format_p_value(c.p_value)}; {ci}): it could be chance.")
    if "small_sample" in c.warnings:
        verdict += " The groups are small, so treat this with care."
    return head + verdict


def _describe_comparison_zh(c: Comparison, a: str, b: str, measure: str) -> str:
    measure = "均值" if measure == "the mean" else measure
    head = (f"{a}的{measure}为 {format_number(c.mean_a, 'zh')}（n = {format_number(c.n_a, 'zh')}），"
            f"{b}为 {format_number(c.mean_b, 'zh')}（n = {format_number(c.n_b, 'zh')}），"
            f"相差 {format_number(c.difference, 'zh')}。")
    if "variance_undefined" in c.warnings:
        small = a if c.n_a < 2 else b
        return head + f"无法做显著性检验：{small}的样本少于两个，只有一个样本的组方差无定义。"
    if "zero_variance" in c.warnings:
        return head + "无法做显著性检验：每组内的数值全都相同。"
    ci = f"95% 置信区间 [{format_number(c.ci_low, 'zh')}, {format_number(c.ci_high, 'zh')}]"
    if c.significant:
        verdict = f"差异在 5% 水平上显著（Welch t 检验，{format_p_value(c.p_value, 'zh')}；{ci}）。"
    else:
        verdict = f"差异在 5% 水平上不显著（Welch t 检验，{format_p_value(c.p_value, 'zh')}；{ci}），可能只是偶然。"
    if "small_sample" in c.warnings:
        verdict += "样本较小，结论需谨慎。"
    return head + verdict


# -- several groups -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupEffect:
    """How much of a measure's variation a grouping explains: one-way ANOVA from per-group summaries.

    ``eta_squared`` = between-group sum of squares / total sum of squares (0…1; None when every group has a
    single value, where it would be 1 by construction, or when all values are equal); ``f`` and ``p_value`` are the
    ANOVA F-test (None when undefined). ``n`` is the number of values, ``k`` the number of non-empty groups.
    ``warnings``: ``"groups_of_one"`` (some group has one value: its variance is undefined; it still counts
    toward η²), ``"no_within_variance"`` (every group has a single value or is constant: F undefined),
    ``"single_group"``, ``"small_sample"``, ``"not_significant"``.
    """

    eta_squared: float | None
    f: float | None
    df_between: int
    df_within: int
    p_value: float | None
    n: int
    k: int
    warnings: list[str] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        """p < 0.05 (False when no test could be run)."""
        return self.p_value is not None and self.p_value < ALPHA

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly fields (for ``Answer.to_dict()['stats']``)."""
        return {
            "test": "anova", "eta_squared": self.eta_squared, "f": self.f, "df_between": self.df_between,
            "df_within": self.df_within, "p_value": self.p_value, "n": self.n, "k": self.k,
            "warnings": list(self.warnings),
        }


def anova_eta_squared(groups: Sequence[tuple[int, float | None, float | None]]) -> GroupEffect:
    """η² and the one-way ANOVA F-test from per-group ``(n, mean, sample variance)`` — what
    ``SELECT COUNT(y), AVG(y), VARIANCE(y) … GROUP BY g`` returns.

    A group of one has a NULL variance; it contributes nothing within-group (one value has no spread) and its
    mean still counts between groups, which is what ``scipy.stats.f_oneway`` on the raw values computes.
    Empty groups (n = 0) are ignored. Matches ``f_oneway`` for F and p.
    """
    kept = [(int(n), float(mean), var) for n, mean, var in groups if n and int(n) > 0 and not _is_missing(mean)]  # type: ignore[arg-type]
    total_n = sum(n for n, _, _ in kept)
    k = len(kept)
    warnings: list[str] = []
    if total_n < SMALL_SAMPLE:
        warnings.append("small_sample")
    if any(n == 1 for n, _, _ in kept):
        warnings.append("groups_of_one")
    for n, _, var in kept:
        if n > 1 and _is_missing(var):
            raise ValueError(f"a group of {n} values needs its sample variance, got {var!r}")
    if k < 2:
        return GroupEffect(None, None, 0, max(total_n - k, 0), None, total_n, k, ["single_group", *warnings])
    grand = sum(n * mean for n, mean, _ in kept) / total_n
    between = sum(n * (mean - grand) ** 2 for n, mean, _ in kept)
    within = sum((n - 1) * float(var) for n, _, var in kept if n > 1)  # type: ignore[arg-type]
    df_between, df_within = k - 1, total_n - k
    total = between + within
    # With one value per group η² is 1 by construction and says nothing: leave it undefined.
    eta = between / total if total > 0 and df_within > 0 else None
    if df_within == 0 or within <= 0:
        return GroupEffect(eta, None, df_between, df_within, None, total_n, k, ["no_within_variance", *warnings])
    from scipy import stats

    f = (between / df_between) / (within / df_within)
    p_value = float(stats.f.sf(f, df_between, df_within))
    if p_value >= ALPHA:
        warnings.append("not_significant")
    return GroupEffect(eta, f, df_between, df_within, p_value, total_n, k, warnings)


def describe_group_variance(groups: Mapping[str, int] | Sequence[tuple[str, int]], language: Language = "en") -> str | None:
    """The sentence that explains missing variances: which groups have a single value (or none).

    ``groups`` maps each group's label to its size. Returns None when every group has two or more values.

    >>> describe_group_variance({"高": 1, "中": 1, "低": 1}, "zh")
    '只有一个样本的组方差无定义：高、中、低各只有一个样本。'
    """
    items = list(groups.items()) if isinstance(groups, Mapping) else [(str(label), int(n)) for label, n in groups]
    singles = [str(label) for label, n in items if n == 1]
    empties = [str(label) for label, n in items if n < 1]
    if not singles and not empties:
        return None
    sentences = []
    if language == "zh":
        if singles:
            each = "各" if len(singles) > 1 else ""
            sentences.append(f"只有一个样本的组方差无定义：{'、'.join(singles)}{each}只有一个样本。")
        if empties:
            sentences.append(f"{'、'.join(empties)}没有数据，无法计算方差。")
        return "".join(sentences)
    if singles:
        names = _join_en(singles)
        verb = "each have" if len(singles) > 1 else "has"
        sentences.append(f"Variance is undefined for a group of one: {names} {verb} a single value.")
    if empties:
        sentences.append(f"{_join_en(empties)} {'have' if len(empties) > 1 else 'has'} no values, so no variance.")
    return " ".join(sentences)


def _join_en(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
