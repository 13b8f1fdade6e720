"""Numbers and periods in questions: every documented form, the traps, spans, and no overlap between the two."""

from __future__ import annotations

import datetime
import doctest

import pytest

from shuxi.ask import numbers
from shuxi.ask.numbers import NumberMention, PeriodMention, find_numbers, find_periods
from shuxi.errors import PlanError

D = datetime.date
LATEST = D(2024, 6, 30)  # the data's latest date for relative periods


def _numbers(question: str) -> list[tuple[float | int, str, str]]:
    found = find_numbers(question)
    for m in found:
        assert question[m.start : m.end] == m.text
    return [(m.value, m.kind, m.text) for m in found]


def _periods(question: str, latest: datetime.date | None = LATEST) -> list[tuple[D, D, str, str]]:
    found = find_periods(question, latest=latest)
    for p in found:
        assert question[p.span_start : p.span_end] == p.text
    return [(p.start, p.end, p.grain, p.text) for p in found]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Arabic, separators, decimals, signs
        ("销量是3的产品", [(3, "number", "3")]),
        ("population above 7,169", [(7169, "number", "7,169")]),
        ("价格1,200.5以上", [(1200.5, "number", "1,200.5")]),
        ("温度低于-3度", [(-3, "number", "-3")]),
        ("profit below -12.5", [(-12.5, "number", "-12.5")]),
        # Chinese and English multipliers
        ("超过1.5万", [(15000, "number", "1.5万")]),
        ("少于3千的订单", [(3000, "number", "3千")]),
        ("营收2亿以上", [(200_000_000, "number", "2亿")]),
        ("1.1万", [(11000, "number", "1.1万")]),
        ("2百万", [(2_000_000, "number", "2百万")]),
        ("3000万", [(30_000_000, "number", "3000万")]),
        ("3.5万亿", [(3_500_000_000_000, "number", "3.5万亿")]),
        ("1.2亿元", [(120_000_000, "number", "1.2亿")]),
        ("revenue over 1.5 million", [(1_500_000, "number", "1.5 million")]),
        ("more than 2k users", [(2000, "number", "2k")]),
        ("above 3 billion", [(3_000_000_000, "number", "3 billion")]),
        ("粉丝超过1.5w", [(15000, "number", "1.5w")]),
        # percents
        ("毛利率高于12.5%", [(0.125, "percent", "12.5%")]),
        ("百分之十二点五", [(0.125, "percent", "百分之十二点五")]),
        ("增长百分之5", [(0.05, "percent", "百分之5")]),
        ("a 12.5 percent rise", [(0.125, "percent", "12.5 percent")]),
        ("five percent of users", [(0.05, "percent", "five percent")]),
        # Chinese numerals
        ("三个地区", [(3, "number", "三")]),
        ("前十二名", [(12, "number", "十二")]),
        ("二十三家店", [(23, "number", "二十三")]),
        ("一百零五个", [(105, "number", "一百零五")]),
        ("销量大于两千", [(2000, "number", "两千")]),
        ("三千五百元", [(3500, "number", "三千五百")]),
        ("三千五", [(3500, "number", "三千五")]),
        ("两万", [(20000, "number", "两万")]),
        ("两万五", [(25000, "number", "两万五")]),
        ("十二万三千", [(123000, "number", "十二万三千")]),
        ("一万零五百", [(10500, "number", "一万零五百")]),
        ("零点五", [(0.5, "number", "零点五")]),
        ("负3", [(-3, "number", "负3")]),
        ("一点五倍", [(1.5, "number", "一点五")]),
        ("三亿五千万", [(350_000_000, "number", "三亿五千万")]),
        ("一百一十个", [(110, "number", "一百一十")]),
        ("十万", [(100_000, "number", "十万")]),
        ("分成三档", [(3, "number", "三")]),
        ("前三名", [(3, "number", "三")]),
        ("前5的城市", [(5, "number", "5")]),
        ("一个地区", [(1, "number", "一")]),
        ("销量大于两千的前3个地区", [(2000, "number", "两千"), (3, "number", "3")]),
        # ordinals
        ("第三", [(3, "ordinal", "第三")]),
        ("第3名", [(3, "ordinal", "第3")]),
        ("第一", [(1, "ordinal", "第一")]),
        ("the third region", [(3, "ordinal", "third")]),
        ("the first row", [(1, "ordinal", "first")]),
        ("1st 2nd 3rd 4th", [(1, "ordinal", "1st"), (2, "ordinal", "2nd"), (3, "ordinal", "3rd"), (4, "ordinal", "4th")]),
        # English words
        ("top five regions", [(5, "number", "five")]),
        ("top 5", [(5, "number", "5")]),
        ("twenty-one stores", [(21, "number", "twenty-one")]),
        ("ninety days", [(90, "number", "ninety")]),
        ("three hundred and five", [(305, "number", "three hundred and five")]),
        ("two thousand units", [(2000, "number", "two thousand")]),
        ("a hundred orders", [(100, "number", "a hundred")]),
        ("only one region", [(1, "number", "one")]),
        ("TOP TEN", [(10, "number", "TEN")]),
    ],
)
def test_numbers(question: str, expected: list[tuple[float | int, str, str]]) -> None:
    assert _numbers(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "一共有多少订单", "统一价格", "看一下销量", "一些产品", "万一没有数据", "一起统计", "一般价格", "唯一的客户",
        "哪一个地区最好", "每一个产品", "十几个地区", "几百个订单", "数十家店", "一点点", "十分重要", "周一的销量",
        "星期三", "which one is best", "no one bought", "one of the regions", "the one with most sales", "the last one",
        "one another", "per second", "Q1", "3月的销量", "三季度", "第一季度的销量", "一二三",
    ],
)
def test_not_numbers(question: str) -> None:
    assert _numbers(question) == []


def test_values_are_exact_and_typed() -> None:
    (m,) = find_numbers("1.1万")
    assert m.value == 11000 and isinstance(m.value, int)  # no 11000.000000000002
    (p,) = find_numbers("12.5%")
    assert isinstance(p.value, float) and p.value == 0.125
    (f,) = find_numbers("1,200.5")
    assert isinstance(f.value, float)
    assert find_numbers("超过1.5万")[0] == NumberMention(15000, "number", 2, 6, "1.5万")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2024年的销量", [(D(2024, 1, 1), D(2025, 1, 1), "year", "2024年")]),
        ("2024 年度", [(D(2024, 1, 1), D(2025, 1, 1), "year", "2024 年度")]),
        ("二〇二四年", [(D(2024, 1, 1), D(2025, 1, 1), "year", "二〇二四年")]),
        ("2024年3月", [(D(2024, 3, 1), D(2024, 4, 1), "month", "2024年3月")]),
        ("2024年十二月", [(D(2024, 12, 1), D(2025, 1, 1), "month", "2024年十二月")]),
        ("2024年3月5日", [(D(2024, 3, 5), D(2024, 3, 6), "day", "2024年3月5日")]),
        ("2024-03", [(D(2024, 3, 1), D(2024, 4, 1), "month", "2024-03")]),
        ("2024-03-05", [(D(2024, 3, 5), D(2024, 3, 6), "day", "2024-03-05")]),
        ("2024/3/5", [(D(2024, 3, 5), D(2024, 3, 6), "day", "2024/3/5")]),
        ("sales in March 2024", [(D(2024, 3, 1), D(2024, 4, 1), "month", "March 2024")]),
        ("Mar 2024", [(D(2024, 3, 1), D(2024, 4, 1), "month", "Mar 2024")]),
        ("March 5, 2024", [(D(2024, 3, 5), D(2024, 3, 6), "day", "March 5, 2024")]),
        ("5 March 2024", [(D(2024, 3, 5), D(2024, 3, 6), "day", "5 March 2024")]),
        ("sales in 2024", [(D(2024, 1, 1), D(2025, 1, 1), "year", "2024")]),
        ("during 2023", [(D(2023, 1, 1), D(2024, 1, 1), "year", "2023")]),
        ("the year 2022", [(D(2022, 1, 1), D(2023, 1, 1), "year", "2022")]),
        ("2024 Q1", [(D(2024, 1, 1), D(2024, 4, 1), "quarter", "2024 Q1")]),
        ("2024Q4", [(D(2024, 10, 1), D(2025, 1, 1), "quarter", "2024Q4")]),
        ("Q1 2024", [(D(2024, 1, 1), D(2024, 4, 1), "quarter", "Q1 2024")]),
        ("2024年第一季度", [(D(2024, 1, 1), D(2024, 4, 1), "quarter", "2024年第一季度")]),
        ("2024年一季度", [(D(2024, 1, 1), D(2024, 4, 1), "quarter", "2024年一季度")]),
        ("third quarter of 2023", [(D(2023, 7, 1), D(2023, 10, 1), "quarter", "third quarter of 2023")]),
        # ranges: one mention covering both ends
        ("2023年到2024年", [(D(2023, 1, 1), D(2025, 1, 1), "year", "2023年到2024年")]),
        ("2023到2024年", [(D(2023, 1, 1), D(2025, 1, 1), "year", "2023到2024年")]),
        ("from 2023 to 2024", [(D(2023, 1, 1), D(2025, 1, 1), "year", "2023 to 2024")]),
        ("between 2020 and 2022", [(D(2020, 1, 1), D(2023, 1, 1), "year", "2020 and 2022")]),
        ("2024年1月到3月", [(D(2024, 1, 1), D(2024, 4, 1), "month", "2024年1月到3月")]),
        ("2023年3月至2024年2月", [(D(2023, 3, 1), D(2024, 3, 1), "month", "2023年3月至2024年2月")]),
        ("from March 2023 to June 2023", [(D(2023, 3, 1), D(2023, 7, 1), "month", "March 2023 to June 2023")]),
        ("in 2022 to 2024", [(D(2022, 1, 1), D(2025, 1, 1), "year", "2022 to 2024")]),
        # a bare year listed after a year in context is a year too
        ("sales in 2024 vs 2023", [(D(2024, 1, 1), D(2025, 1, 1), "year", "2024"), (D(2023, 1, 1), D(2024, 1, 1), "year", "2023")]),
        ("2024年和2023年", [(D(2024, 1, 1), D(2025, 1, 1), "year", "2024年"), (D(2023, 1, 1), D(2024, 1, 1), "year", "2023年")]),
        # half years: six months at month grain
        ("2024年上半年", [(D(2024, 1, 1), D(2024, 7, 1), "month", "2024年上半年")]),
        ("H2 2023", [(D(2023, 7, 1), D(2024, 1, 1), "month", "H2 2023")]),
        ("first half of 2024", [(D(2024, 1, 1), D(2024, 7, 1), "month", "first half of 2024")]),
        # leap years and month ends
        ("2024年2月29日", [(D(2024, 2, 29), D(2024, 3, 1), "day", "2024年2月29日")]),
        ("2024-02", [(D(2024, 2, 1), D(2024, 3, 1), "month", "2024-02")]),
        ("2024-12-31", [(D(2024, 12, 31), D(2025, 1, 1), "day", "2024-12-31")]),
        ("2024年12月", [(D(2024, 12, 1), D(2025, 1, 1), "month", "2024年12月")]),
        # no context, no year
        ("price above 2024", []),
        ("3年保修", []),
        ("price 2024 and 2023", []),
    ],
)
def test_absolute_periods(question: str, expected: list[tuple[D, D, str, str]]) -> None:
    assert _periods(question) == expected
    assert _periods(question, latest=None) == expected  # absolute periods do not need `latest`


@pytest.mark.parametrize("question", ["2023年2月29日", "2023-02-30", "2024年13月", "2024-13"])
def test_invalid_dates_are_neither_periods_nor_numbers(question: str) -> None:
    assert _periods(question) == []
    assert _numbers(question) == []


@pytest.mark.parametrize(
    ("question", "latest", "expected"),
    [
        ("去年", LATEST, (D(2023, 1, 1), D(2024, 1, 1), "year")),
        ("last year", LATEST, (D(2023, 1, 1), D(2024, 1, 1), "year")),
        ("今年", LATEST, (D(2024, 1, 1), D(2025, 1, 1), "year")),
        ("this year", LATEST, (D(2024, 1, 1), D(2025, 1, 1), "year")),
        ("前年", LATEST, (D(2022, 1, 1), D(2023, 1, 1), "year")),
        ("上个月", LATEST, (D(2024, 5, 1), D(2024, 6, 1), "month")),
        ("last month", D(2024, 1, 15), (D(2023, 12, 1), D(2024, 1, 1), "month")),
        ("上个月", D(2024, 3, 31), (D(2024, 2, 1), D(2024, 3, 1), "month")),  # month end, leap February
        ("本月", LATEST, (D(2024, 6, 1), D(2024, 7, 1), "month")),
        ("上季度", LATEST, (D(2024, 1, 1), D(2024, 4, 1), "quarter")),
        ("previous quarter", D(2024, 2, 29), (D(2023, 10, 1), D(2024, 1, 1), "quarter")),
        ("this quarter", LATEST, (D(2024, 4, 1), D(2024, 7, 1), "quarter")),
        ("上周", LATEST, (D(2024, 6, 17), D(2024, 6, 24), "week")),  # 2024-06-30 is a Sunday
        ("最近三个月", LATEST, (D(2024, 4, 1), D(2024, 7, 1), "month")),
        ("last 3 months", D(2024, 2, 29), (D(2023, 12, 1), D(2024, 3, 1), "month")),
        ("the past twelve months", LATEST, (D(2023, 7, 1), D(2024, 7, 1), "month")),
        ("近7天", LATEST, (D(2024, 6, 24), D(2024, 7, 1), "day")),
        ("最近两年", LATEST, (D(2023, 1, 1), D(2025, 1, 1), "year")),
        ("Q1", LATEST, (D(2024, 1, 1), D(2024, 4, 1), "quarter")),
        ("第三季度", LATEST, (D(2024, 7, 1), D(2024, 10, 1), "quarter")),
        ("3月的销量", LATEST, (D(2024, 3, 1), D(2024, 4, 1), "month")),
        ("去年3月", LATEST, (D(2023, 3, 1), D(2023, 4, 1), "month")),
        ("去年第四季度", LATEST, (D(2023, 10, 1), D(2024, 1, 1), "quarter")),
        ("去年下半年", LATEST, (D(2023, 7, 1), D(2024, 1, 1), "month")),
        ("上半年", LATEST, (D(2024, 1, 1), D(2024, 7, 1), "month")),
        ("一月份", LATEST, (D(2024, 1, 1), D(2024, 2, 1), "month")),
        ("十一月", LATEST, (D(2024, 11, 1), D(2024, 12, 1), "month")),
        ("上一年", LATEST, (D(2023, 1, 1), D(2024, 1, 1), "year")),
    ],
)
def test_relative_periods(question: str, latest: D, expected: tuple[D, D, str]) -> None:
    (found,) = find_periods(question, latest=latest)
    assert (found.start, found.end, found.grain) == expected
    assert question[found.span_start : found.span_end] == found.text
    assert find_periods(question, latest=None) == []  # never resolved against today


def test_latest_may_be_a_datetime() -> None:
    (p,) = find_periods("去年", latest=datetime.datetime(2024, 6, 30, 23, 59))
    assert p == PeriodMention(D(2023, 1, 1), D(2024, 1, 1), "year", 0, 2, "去年")


@pytest.mark.parametrize(
    "question",
    [
        "2024年3月销量大于两千的前3个地区",
        "in 2024, top 5 regions above 1.5 million",
        "最近三个月里销量前十的产品",
        "2023年到2024年增长超过12.5%的城市",
        "2024-03-05 的订单数大于 2024",
        "Q1 2024 第三名",
        "去年3月和2024年第一季度的前5名",
    ],
)
def test_numbers_and_periods_never_overlap(question: str) -> None:
    periods = find_periods(question, latest=LATEST)
    found = find_numbers(question)
    assert periods, "each question here has a period"
    for m in found:
        assert question[m.start : m.end] == m.text
        for p in periods:
            assert m.end <= p.span_start or p.span_end <= m.start, (m, p)
    # the same exclusion when the caller passes the spans
    assert find_numbers(question, exclude=[(p.span_start, p.span_end) for p in periods]) == found


def test_mixed_question() -> None:
    question = "2024年3月销量大于两千的前3个地区"
    assert _numbers(question) == [(2000, "number", "两千"), (3, "number", "3")]
    assert _periods(question) == [(D(2024, 3, 1), D(2024, 4, 1), "month", "2024年3月")]
    question = "in 2024, price above 2024"
    assert _numbers(question) == [(2024, "number", "2024")]
    assert find_numbers(question)[0].start == 21


def test_bare_years_without_context_are_numbers() -> None:
    assert _numbers("price 2024 and 2023") == [(2024, "number", "2024"), (2023, "number", "2023")]


def test_exclude_empty_reports_years_as_numbers() -> None:
    assert [m.value for m in find_numbers("2024年", exclude=())] == [2024]


def test_bad_input_is_a_plan_error() -> None:
    with pytest.raises(PlanError, match="must be text"):
        find_numbers(123)  # type: ignore[arg-type]
    with pytest.raises(PlanError, match="latest must be a date"):
        find_periods("去年", latest="2024-06-30")  # type: ignore[arg-type]


def test_docstring_examples() -> None:
    result = doctest.testmod(numbers)
    assert result.attempted >= 3 and result.failed == 0
