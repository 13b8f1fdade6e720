"""Numbers and periods in a question, Chinese or English, with their character spans.

The builtin planner needs the quantities ("前三名", "top 5", "超过1.5万", "12.5%") and the time periods
("2024年3月", "Q1 2024", "去年", "last 3 months") that a question contains, and where they are, so that it can
link them to filters, limits and bins and remove them before linking columns::

    >>> [(m.value, m.kind, m.text) for m in find_numbers("销量大于两千的前3个地区")]
    [(2000, 'number', '两千'), (3, 'number', '3')]
    >>> p = find_periods("去年每月的销售额", latest=datetime.date(2024, 6, 30))[0]
    >>> (p.start, p.end, p.grain, p.text)
    (datetime.date(2023, 1, 1), datetime.date(2024, 1, 1), 'year', '去年')

Chinese numerals are parsed by hand (about 60 lines, :func:`_cn_int`) rather than with cn2an: cn2an converts
whole strings without spans, pulls in extra dependencies, and the hard part here is not the arithmetic but deciding
which characters are a quantity at all ("一共", "统一", "一些", "万一", "十几" are not; "第一季度" is a period).

Rules worth knowing:

* A lone 一 is a quantity only before a measure word ("一个地区", "一家店"), never in 一下/一些/一共/一起/一般/统一/
  唯一/万一/哪一个/每一…; 第一 is the ordinal 1. Approximations (十几, 几百, 数十) are not numbers.
* English "one" is skipped in "which one", "the one", "no one", "any one", "each one", "one of", "one another".
* A bare four-digit year (1900–2100) is a period only with context: 年/年度, a month, a quarter, "in", "during",
  "year", "throughout", "FY", or listed right after such a year ("in 2023 and 2024", "in 2022 to 2024").
  "price above 2024" is the number 2024. The span of "in 2024" is "2024".
* Half years (上半年, H1 2024, first half of 2024) are six months at grain "month"; ranges take the finer grain.
* Relative periods (去年, 上个月, last quarter, 最近三个月, Q1 alone, 3月 alone) are resolved against ``latest``, the
  data's latest date; with ``latest=None`` they are left out rather than resolved against today.
* :func:`find_numbers` skips everything :func:`find_periods` could report (relative periods included), so the two
  never overlap; pass ``exclude=`` to give the spans yourself (``exclude=()`` skips nothing).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from shuxi.errors import PlanError

NumberKind = Literal["number", "percent", "ordinal", "duration"]
Grain = Literal["year", "quarter", "month", "week", "day"]


@dataclass(frozen=True)
class NumberMention:
    """A quantity in a question: ``question[start:end] == text``; percents are fractions (12.5% → 0.125) and
    durations are seconds ("1:55" → 115, "2:10:23" → 7823)."""

    value: float | int
    kind: NumberKind
    start: int
    end: int
    text: str

    @property
    def plain(self) -> float | int:
        """The value as a filter writes it: 5, not 5.0 (a percent keeps its fraction)."""
        if isinstance(self.value, float) and self.value.is_integer() and self.kind != "percent":
            return int(self.value)
        return self.value


@dataclass(frozen=True)
class PeriodMention:
    """A time period in a question, ``[start, end)`` in dates; ``question[span_start:span_end] == text``."""

    start: datetime.date
    end: datetime.date
    grain: Grain
    span_start: int
    span_end: int
    text: str


# ---------------------------------------------------------------------------------------------- Chinese numerals
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)
_CN_NUM_BODY = rf"[零〇一二两三四五六七八九十][{_CN_CHARS}]*(?:点[零〇一二三四五六七八九]+)?"
_CN_NUM = rf"(?<![{_CN_CHARS}几数])" + _CN_NUM_BODY
# A lone 一 is a quantity only before one of these measure words.
_MEASURE = "个名位家种条项类档组次倍份张件笔天日周年月季度小时分钟秒元块万千百亿人款台辆单户批层级段"


def _cn_int(text: str) -> int | None:
    """The integer a Chinese numeral spells (二十三 → 23, 两万五 → 25000, 一百零五 → 105); None if it is not one."""
    if len(text) > 1 and all(ch in _CN_DIGITS for ch in text):
        return None  # 三五 ("three or five"), 二〇二四 (a year, read by the period scanner)
    total = wan = section = 0
    digit: int | None = None
    last_unit = 0
    zero_seen = False
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0:
                return None
            if _CN_DIGITS[ch] == 0:
                zero_seen = True
            else:
                digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if digit is None:
                if ch != "十" or section != 0 or zero_seen:
                    if ch == "十" and zero_seen:  # 一百零十 is not a numeral, but 一百一十 is
                        return None
                    return None
                digit = 1
            if last_unit and last_unit <= unit and last_unit < 10**4:
                return None  # units must fall within a section: 三百二千 is not a numeral
            section += digit * unit
            digit, last_unit, zero_seen = None, unit, False
        else:
            unit = _CN_BIG[ch]
            value = section + (digit or 0)
            if unit == 10**4:
                if value == 0 or wan:
                    return None
                wan = value * unit
            else:
                value += wan
                if value == 0:
                    return None
                total += value * unit
                wan = 0
            section, digit, last_unit, zero_seen = 0, None, unit, False
    if digit is not None:
        # 三千五 = 3500 and 两万五 = 25000: a trailing digit right after a unit counts one unit lower.
        section += digit * (last_unit // 10 if last_unit >= 100 and not zero_seen else 1)
    return total + wan + section


def _cn_value(text: str) -> Decimal | None:
    """A Chinese numeral with an optional 点 fraction (一点五 → 1.5)."""
    whole, _, frac = text.partition("点")
    number = _cn_int(whole) if not (len(whole) == 1 and whole in _CN_DIGITS) else _CN_DIGITS[whole]
    if number is None:
        return None
    if frac:
        return Decimal(f"{number}." + "".join(str(_CN_DIGITS[ch]) for ch in frac))
    return Decimal(number)


# ---------------------------------------------------------------------------------------------- English numerals
_EN_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
_EN_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_ORDINALS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1
    )
}
_EN_WORD = "|".join(sorted([*_EN_UNITS, *_EN_TENS, *_EN_SCALES], key=len, reverse=True))
_EN_NUM = rf"\b(?:a\s+(?=(?:hundred|thousand|million|billion)\b))?(?:{_EN_WORD})(?:(?:\s+and)?[\s-]+(?:{_EN_WORD}))*\b"
_ONE_BEFORE = {"which", "the", "no", "any", "each", "every", "this", "that", "some", "last"}
_ONE_AFTER = ("of", "another", "by")


def _en_int(words: list[str]) -> int | None:
    """twenty-one → 21, three hundred and five → 305, five million → 5000000."""
    total = current = 0
    previous = ""
    for word in words:
        if word == "and":
            continue
        if word == "a":
            current = 1
        elif word in _EN_UNITS:
            if previous in _EN_UNITS or (previous in _EN_TENS and _EN_UNITS[word] >= 10):
                return None  # "five six" is two numbers, not one
            current += _EN_UNITS[word]
        elif word in _EN_TENS:
            if previous in _EN_UNITS or previous in _EN_TENS:
                return None
            current += _EN_TENS[word]
        else:
            scale = _EN_SCALES[word]
            current = max(current, 1)
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        previous = word
    return total + current


# ---------------------------------------------------------------------------------------------- numbers
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_RE = re.compile(
    r"(?P<cnpct>百分之(?:(?P<pa>" + _ARABIC + r")|(?P<pc>" + _CN_NUM_BODY + r")))"
    r"|(?P<ord>第\s*(?:(?P<oa>\d+)|(?P<oc>[零〇一二两三四五六七八九十百千]+)))"
    r"|(?P<dur>(?<![\d:.])\d{1,3}(?::[0-5]\d){1,2}(?:\.\d+)?(?![\d:])(?!\s*(?:[ap]\.?m\b|o'clock)))"
    r"|(?P<ar>(?:(?<![A-Za-z0-9_.\-])[-−]|负)?(?<![A-Za-z0-9_.])" + _ARABIC + r")"
    r"(?:(?P<arsuf>st|nd|rd|th)(?![A-Za-z])"
    r"|\s*(?P<pct>[%％]|\s(?:percent|per\s+cent|pct)\b)"
    r"|(?P<cnmul>[百千万]?亿|[百千]?万|千|百)(?!分)"
    r"|\s?(?P<enmul>[kKwW]|M|mn|bn|B)(?![A-Za-z])"
    r"|\s+(?P<enscale>thousand|million|billion|trillion)\b)?"
    r"|(?P<cn>" + _CN_NUM + r")"
    r"|(?P<enord>\b(?:" + "|".join(_EN_ORDINALS) + r")\b)"
    r"|(?P<en>" + _EN_NUM + r")(?P<enpct>\s+(?:percent|per\s+cent)\b)?",
    re.IGNORECASE,
)
# Chinese numerals in these contexts are not quantities.
_CN_NOT_NUMBER_AFTER = re.compile(r"几|来[个名]|月(?!份?内)|季度|号(?!码)")
_CN_NOT_NUMBER_BEFORE = re.compile(r"(?:星期|礼拜|周)$")
_LONE_ONE_BEFORE = "哪每任其同统唯逐之万某单专"


def _as_number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def find_numbers(question: str, *, exclude: Sequence[tuple[int, int]] | None = None) -> list[NumberMention]:
    """Every quantity in ``question``, in order: Arabic, Chinese and English numbers, percents and ordinals.

    ``exclude`` lists ``(start, end)`` spans to skip; by default they are the spans :func:`find_periods` could
    report, so years and dates are not also numbers. Month names (3月, 三月), quarters (一季度) and weekdays (周一)
    are never numbers.

    >>> [(m.value, m.kind) for m in find_numbers("top five regions above 1.5 million, 12.5% margin")]
    [(5, 'number'), (1500000, 'number'), (0.125, 'percent')]
    """
    _check_question(question)
    spans = list(_period_spans(question) if exclude is None else exclude)
    found: list[NumberMention] = []
    for match in _NUMBER_RE.finditer(question):
        mention = _read_number(question, match)
        if mention is None:
            continue
        if any(mention.start < end and start < mention.end for start, end in spans):
            continue
        found.append(mention)
    return found


def _read_number(question: str, m: re.Match[str]) -> NumberMention | None:
    start, end = m.span()
    kind: NumberKind = "number"
    value: Decimal | None
    if m["cnpct"]:
        value = Decimal(m["pa"].replace(",", "")) if m["pa"] else _cn_value(m["pc"])
        if value is None:
            return None
        return NumberMention(float(value / 100), "percent", start, end, m.group())
    if m["dur"]:
        # A race time or a length: minutes:seconds, or hours:minutes:seconds ("4:00 pm" is a time of day, no number).
        *parts, last = m["dur"].split(":")
        seconds = Decimal(last)
        for i, part in enumerate(reversed(parts)):
            seconds += Decimal(part) * 60 ** (i + 1)
        return NumberMention(_as_number(seconds), "duration", start, end, m.group())
    if m["ord"]:
        if m["oc"]:
            value = _cn_value(m["oc"])
        else:
            value = Decimal(m["oa"])
        if value is None or _CN_NOT_NUMBER_AFTER.match(question, end):
            return None  # 第一季度 is a period, not an ordinal
        return NumberMention(_as_number(value), "ordinal", start, end, m.group())
    if m["ar"]:
        raw = m["ar"].replace(",", "").replace("−", "-").replace("负", "-")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            return None
        if m["arsuf"]:
            kind = "ordinal"
        elif m["pct"]:
            return NumberMention(float(value / 100), "percent", start, end, m.group())
        elif m["cnmul"]:
            for unit in m["cnmul"]:
                value *= {"亿": 10**8, "万": 10**4, "千": 10**3, "百": 100}[unit]
        elif m["enmul"]:
            value *= {"k": 10**3, "w": 10**4, "m": 10**6, "mn": 10**6, "bn": 10**9, "b": 10**9}[m["enmul"].lower()]
        elif m["enscale"]:
            value *= _EN_SCALES[m["enscale"].lower()]
        elif _CN_NOT_NUMBER_AFTER.match(question, end) and "." not in raw:
            return None  # 3月 is a month, 3季度 a quarter
        return NumberMention(_as_number(value), kind, start, end, m.group())
    if m["cn"]:
        text = m["cn"]
        if _CN_NOT_NUMBER_AFTER.match(question, end) or _CN_NOT_NUMBER_BEFORE.search(question, 0, start):
            return None
        if text == "一" and (
            not re.match(rf"[{_MEASURE}]", question[end : end + 1])
            or (start > 0 and question[start - 1] in _LONE_ONE_BEFORE)
        ):
            return None  # 一下, 一些, 一共, 统一, 哪一个: 一 is not a quantity here
        if text == "十" and question[end : end + 1] == "分" and question[end + 1 : end + 2] != "钟":
            return None  # 十分 = "very"
        value = _cn_value(text)
        if value is None:
            return None
        return NumberMention(_as_number(value), "number", start, end, text)
    if m["enord"]:
        word = m["enord"].lower()
        before = re.findall(r"[a-z]+", question[:start].lower())[-1:]
        if word == "second" and before and before[0] in {"per", "a", "one", "each", "every"}:
            return None  # a unit of time, not an ordinal
        return NumberMention(_EN_ORDINALS[word], "ordinal", start, end, m.group())
    # English number words
    words = re.findall(r"[a-z]+", m["en"].lower())
    if len(words) == 1 and words[0] == "one":
        before = re.findall(r"[a-z]+", question[:start].lower())[-1:]
        after = re.findall(r"[a-z]+", question[end:].lower())[:1]
        if (before and before[0] in _ONE_BEFORE) or (after and after[0] in _ONE_AFTER):
            return None
    number = _en_int(words)
    if number is None:
        return None
    if m["enpct"]:
        return NumberMention(number / 100, "percent", start, end, m.group())
    return NumberMention(number, "number", start, end, m.group())


def _check_question(question: object) -> None:
    if not isinstance(question, str):
        raise PlanError(
            f"A question must be text, not {type(question).__name__}.", hint="Pass the question as a str."
        )


# ---------------------------------------------------------------------------------------------- periods
_Y = r"(?P<y>(?<!\d)\d{4}(?!\d)|[〇零一二三四五六七八九]{4})"
_M = r"(?P<mo>\d{1,2}|十[一二]?|[一二三四五六七八九])"
_D = r"(?P<d>\d{1,2}|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_Q = r"(?:(?:第\s*)?(?P<qc>[1-4一二三四])\s*季度|(?<![A-Za-z])[Qq](?P<qa>[1-4])(?!\d))"
_Q_EN = r"(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
_MN = (
    r"(?P<mn>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_BARE_Y = r"(?P<y>(?:19\d\d|20\d\d|2100))(?!\d)"
_N = rf"(?P<n>\d+|[零〇一二两三四五六七八九十]+|{_EN_WORD})"
_REL_UNIT = r"(?P<unit>个?月|年|个?季度|周|个?星期|天|日|months?|years?|quarters?|weeks?|days?)"
_RANGE = r"(?:到|至|~|～|-|–|—)\s*"
_MONTHS = {name: i for i, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}

# (pattern, what it means); the longest match wins where candidates overlap.
_PERIOD_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), kind)
    for p, kind in [
        (_Y + r"\s*年\s*" + _M + r"\s*月\s*" + _D + r"\s*[日号]", "day"),
        (_Y + r"\s*年\s*" + _M + r"\s*月(?:份)?\s*" + _RANGE + _M.replace("mo", "mo2") + r"\s*月(?:份)?", "month_range"),
        (_Y + r"\s*年\s*" + _M + r"\s*月(?:份)?", "month"),
        (_Y + r"\s*(?:年度?)?\s*-?\s*" + _Q, "quarter"),
        (r"(?<![A-Za-z])[Qq](?P<qa>[1-4])\s*,?\s*(?:of\s+)?" + _BARE_Y, "quarter"),
        (r"(?<![A-Za-z])" + _Q_EN + r"\s+(?:of\s+|in\s+)?" + _BARE_Y, "quarter"),
        (r"(?P<y>(?<!\d)\d{4})\s*年?\s*(?:到|至|~|～|-|–|—)\s*(?P<y2>\d{4})\s*年度?", "year_range"),
        (_Y + r"\s*年\s*(?P<half>上|下)半年", "half"),
        (r"(?<![A-Za-z])(?P<half>H[12])\s*" + _BARE_Y, "half"),
        (r"(?<![A-Za-z])(?P<half>first|second)\s+half\s+(?:of\s+)?" + _BARE_Y, "half"),
        (_Y + r"\s*年度?", "year"),
        (r"(?<![\d.\-/])(?P<y>\d{4})([-/.])(?P<mo>\d{1,2})\2(?P<d>\d{1,2})(?![\d.])", "day"),
        (r"(?<![\d.\-/])(?P<y>\d{4})[-/](?P<mo>\d{1,2})(?![\d/\-])", "month"),
        (r"(?<![A-Za-z])" + _MN + r"\s+" + _D + r"(?:st|nd|rd|th)?,?\s+" + _BARE_Y, "day"),
        (r"(?<!\d)" + _D + r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MN + r",?\s+" + _BARE_Y, "day"),
        (r"(?<![A-Za-z])" + _MN + r",?\s+(?:of\s+)?" + _BARE_Y, "month"),
        (
            r"\b(?:from|between)\s+(?P<span>" + _BARE_Y + r"\s+(?:to|and|through|until|-)\s+(?P<y2>19\d\d|20\d\d|2100))\b",
            "year_range",
        ),
        (r"\b(?:in|during|year|throughout|fy)\s*(?:the\s+year\s+)?(?P<span>" + _BARE_Y + r")\b", "year"),
        (r"(?P<rel>去年|今年|前年)\s*" + _M + r"\s*月(?:份)?", "rel_month"),
        (r"(?P<rel>去年|今年|前年)\s*" + _Q, "rel_quarter"),
        (r"去年|上一?年度?(?![级])|\b(?:last|previous|prior)\s+year\b", "year-1"),
        (r"今年|本年度?|\b(?:this|current)\s+year\b", "year0"),
        (r"前年|\bthe\s+year\s+before\s+last\b", "year-2"),
        (r"上一?个?月|\b(?:last|previous|prior)\s+month\b", "month-1"),
        (r"本月|这个月|当月|\b(?:this|current)\s+month\b", "month0"),
        (r"上一?个?季度?|\b(?:last|previous|prior)\s+quarter\b", "quarter-1"),
        (r"本季度?|这个?季度|当季度?|\b(?:this|current)\s+quarter\b", "quarter0"),
        (r"上一?个?(?:周|星期)|\b(?:last|previous|prior)\s+week\b", "week-1"),
        (r"本周|这一?个?(?:周|星期)|\b(?:this|current)\s+week\b", "week0"),
        (r"昨天|\byesterday\b", "day-1"),
        (r"(?:最近|近|过去)的?\s*" + _N + r"\s*" + _REL_UNIT, "last_n"),
        (r"\b(?:the\s+)?(?:last|past|previous|recent)\s+" + _N + r"\s+" + _REL_UNIT + r"\b", "last_n"),
        (r"(?P<rel>去年|今年|前年)?(?P<half>上|下)半年", "rel_half"),
        (_Q, "q_alone"),
        (r"(?<![A-Za-z])" + _Q_EN + r"\b", "q_alone"),
        (r"(?<![\d年个零〇一二两三四五六七八九十])" + _M + r"\s*月(?:份)?", "m_alone"),
        # English month names alone, but not "may" (a verb) and not abbreviations ("mar", "dec")
        (r"(?<![A-Za-z])(?P<mn>january|february|march|april|june|july|august|september|october|november|december)\b",
         "m_alone"),
    ]
]
_CONNECTOR = re.compile(r"\s*(?:到|至|~|～|-|–|—|to|through|until)\s*", re.IGNORECASE)
_GRAIN_ORDER: list[Grain] = ["day", "week", "month", "quarter", "year"]
_ANY_DATE = datetime.date(2000, 6, 15)  # stands in for `latest` when only the spans matter
_INVALID = (datetime.date.min, datetime.date.min, "day")  # a date-shaped span that is no date (2023年2月30日)


def find_periods(question: str, *, latest: datetime.date | None = None) -> list[PeriodMention]:
    """Every time period in ``question``, in order, as ``[start, end)`` dates with its grain and span.

    ``latest`` is the data's latest date: relative periods (去年, last month, 最近三个月, Q1 without a year) are
    resolved against it and left out when it is None. A range ("2023年到2024年", "from 2023 to 2024") is one
    mention from the start of the first period to the end of the second.

    >>> p = find_periods("2024年第一季度和March 2024")
    >>> [(x.start.isoformat(), x.end.isoformat(), x.grain) for x in p]
    [('2024-01-01', '2024-04-01', 'quarter'), ('2024-03-01', '2024-04-01', 'month')]
    """
    return [p for p in _scan_periods(question, latest) if p.start != datetime.date.min]


def _scan_periods(question: str, latest: datetime.date | None) -> list[PeriodMention]:
    """find_periods, plus the spans of date-shaped text that is no valid date (start == date.min)."""
    _check_question(question)
    if isinstance(latest, datetime.datetime):
        latest = latest.date()
    if latest is not None and not isinstance(latest, datetime.date):
        raise PlanError(
            f"latest must be a date, not {type(latest).__name__}.", hint="Pass datetime.date(…) or None."
        )
    candidates: list[PeriodMention] = []
    for pattern, kind in _PERIOD_PATTERNS:
        for match in pattern.finditer(question):
            resolved = _resolve(match, kind, latest)
            if resolved is None:
                continue
            a, b = match.span("span") if "span" in pattern.groupindex else match.span()
            candidates.append(PeriodMention(*resolved, span_start=a, span_end=b, text=question[a:b]))
    chosen: list[PeriodMention] = []
    for c in sorted(candidates, key=lambda p: (p.span_start, p.span_start - p.span_end)):
        if not chosen or c.span_start >= chosen[-1].span_end:
            chosen.append(c)
    chosen = _chain_years(question, chosen)
    return _merge_ranges(question, chosen)


_YEAR_LIST = re.compile(
    r"\s*(?:,|、|和|与|及|或|对比|到|至|-|~|vs\.?|versus|and|or|to|through|until|compared\s+(?:to|with))\s*" + _BARE_Y, re.I
)


def _chain_years(question: str, periods: list[PeriodMention]) -> list[PeriodMention]:
    """A bare year listed right after a year ("in 2023 and 2024", "2024年 vs 2023") is a year too."""
    out: list[PeriodMention] = []
    for i, p in enumerate(periods):
        out.append(p)
        limit = periods[i + 1].span_start if i + 1 < len(periods) else len(question)
        while p.grain == "year" and p.text[:4].isdigit() and (m := _YEAR_LIST.match(question, p.span_end, limit)):
            a, b = m.span("y")
            p = PeriodMention(*_whole_year(int(m["y"])), span_start=a, span_end=b, text=m["y"])
            out.append(p)
    return out


def _merge_ranges(question: str, periods: list[PeriodMention]) -> list[PeriodMention]:
    """Join "A 到 B" / "A to B" into one mention from A's start to B's end."""
    merged: list[PeriodMention] = []
    for p in periods:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and _CONNECTOR.fullmatch(question, prev.span_end, p.span_start)
            and datetime.date.min < prev.start < p.end
        ):
            grain = min(prev.grain, p.grain, key=_GRAIN_ORDER.index)
            merged[-1] = PeriodMention(
                prev.start, p.end, grain, prev.span_start, p.span_end, question[prev.span_start : p.span_end]
            )
        else:
            merged.append(p)
    return merged


def _resolve(
    m: re.Match[str], kind: str, latest: datetime.date | None
) -> tuple[datetime.date, datetime.date, Grain] | None:
    """The ``(start, end, grain)`` a pattern's match stands for, or None when it is not a valid period."""
    groups = m.groupdict()
    year = _year(groups["y"]) if groups.get("y") else None
    if groups.get("y") and year is None:
        return None
    month = _small(groups["mo"]) if groups.get("mo") else None
    if groups.get("mn"):
        month = _MONTHS[groups["mn"].lower()[:3]]
    quarter = None
    if groups.get("qc") or groups.get("qa"):
        quarter = _small(groups.get("qc") or groups["qa"])
    if groups.get("qw"):
        quarter = {"fir": 1, "1st": 1, "sec": 2, "2nd": 2, "thi": 3, "3rd": 3, "fou": 4, "4th": 4}[
            groups["qw"][:3].lower()
        ]
    try:
        if kind == "day":
            day = datetime.date(year, month, _small(groups["d"]))  # type: ignore[arg-type]
            return day, day + datetime.timedelta(days=1), "day"
        if kind == "month":
            return _month(year, month)  # type: ignore[arg-type]
        if kind == "month_range":
            first, last = _month(year, month), _month(year, _small(groups["mo2"]))  # type: ignore[arg-type]
            return (first[0], last[1], "month") if first[0] < last[1] else None
        if kind == "quarter":
            return _quarter(year, quarter)  # type: ignore[arg-type]
        if kind == "half":
            return _half(year, groups["half"])  # type: ignore[arg-type]
        if kind == "year":
            return _whole_year(year)  # type: ignore[arg-type]
        if kind == "year_range":
            end_year = _year(groups["y2"])
            if end_year is None or end_year < year:  # type: ignore[operator]
                return None
            return datetime.date(year, 1, 1), datetime.date(end_year + 1, 1, 1), "year"  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return _INVALID  # 2023-02-30, month 13: neither a period nor numbers
    if latest is None:
        return None
    return _resolve_relative(groups, kind, latest, month, quarter)


def _resolve_relative(
    groups: dict[str, str | None], kind: str, latest: datetime.date, month: int | None, quarter: int | None
) -> tuple[datetime.date, datetime.date, Grain] | None:
    this_month = datetime.date(latest.year, latest.month, 1)
    this_quarter = datetime.date(latest.year, 3 * ((latest.month - 1) // 3) + 1, 1)
    monday = latest - datetime.timedelta(days=latest.weekday())
    week = datetime.timedelta(days=7)
    if kind in ("rel_month", "rel_quarter"):
        year = latest.year - {"去年": 1, "今年": 0, "前年": 2}[groups["rel"] or ""]
        return _month(year, month) if kind == "rel_month" else _quarter(year, quarter)  # type: ignore[arg-type]
    if kind == "rel_half":
        return _half(latest.year - {"去年": 1, "今年": 0, "前年": 2, None: 0}[groups["rel"]], groups["half"] or "")
    if kind.startswith("year"):
        return _whole_year(latest.year + int(kind[4:]))
    if kind.startswith("month"):
        start = _add_months(this_month, int(kind[5:]))
        return start, _add_months(start, 1), "month"
    if kind.startswith("quarter"):
        start = _add_months(this_quarter, 3 * int(kind[7:]))
        return start, _add_months(start, 3), "quarter"
    if kind.startswith("week"):
        start = monday + int(kind[4:]) * week
        return start, start + week, "week"
    if kind == "day-1":
        return latest - datetime.timedelta(days=1), latest, "day"
    if kind == "q_alone":
        return _quarter(latest.year, quarter)  # type: ignore[arg-type]
    if kind == "m_alone":
        return _month(latest.year, month)  # type: ignore[arg-type]
    # last_n: the n units ending with the one that holds `latest`
    n = _count(groups["n"] or "")
    if not n or n > 10_000:
        return None
    unit = (groups["unit"] or "").lower().lstrip("个")
    if unit.startswith(("月", "month")):
        end = _add_months(this_month, 1)
        return _add_months(end, -n), end, "month"
    if unit.startswith(("季", "quarter")):
        end = _add_months(this_quarter, 3)
        return _add_months(end, -3 * n), end, "quarter"
    if unit.startswith(("年", "year")):
        return datetime.date(latest.year - n + 1, 1, 1), datetime.date(latest.year + 1, 1, 1), "year"
    if unit.startswith(("周", "星期", "week")):
        return monday - (n - 1) * week, monday + week, "week"
    end_day = latest + datetime.timedelta(days=1)
    return end_day - datetime.timedelta(days=n), end_day, "day"


def _year(text: str) -> int | None:
    if text.isascii():
        year = int(text)
    else:
        year = int("".join(str(_CN_DIGITS[ch]) for ch in text))
    return year if 1000 <= year <= 2999 else None


def _small(text: str) -> int:
    """A month, day or quarter number written in Arabic or Chinese digits."""
    if text.isdigit() and text.isascii():
        return int(text)
    return _CN_DIGITS[text] if text in _CN_DIGITS else (_cn_int(text) or 0)


def _count(text: str) -> int | None:
    """The n in "最近三个月" / "last 3 months"."""
    if text.isdigit():
        return int(text)
    words = re.findall(r"[a-z]+", text.lower())
    if words:
        return _en_int(words)
    return _CN_DIGITS[text] if text in _CN_DIGITS else _cn_int(text)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month(year: int, month: int) -> tuple[datetime.date, datetime.date, Grain]:
    start = datetime.date(year, month, 1)
    return start, _add_months(start, 1), "month"


def _quarter(year: int, quarter: int) -> tuple[datetime.date, datetime.date, Grain]:
    if not 1 <= quarter <= 4:
        raise ValueError(quarter)
    start = datetime.date(year, 3 * quarter - 2, 1)
    return start, _add_months(start, 3), "quarter"


def _half(year: int, half: str) -> tuple[datetime.date, datetime.date, Grain]:
    """上半年 / H1 / first half: six months, reported at month grain (there is no half-year grain)."""
    start = datetime.date(year, 1 if half.lower() in ("上", "h1", "first") else 7, 1)
    return start, _add_months(start, 6), "month"


def _whole_year(year: int) -> tuple[datetime.date, datetime.date, Grain]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), "year"


def _period_spans(question: str) -> Iterable[tuple[int, int]]:
    """Every span :func:`find_periods` could report for some ``latest``."""
    return [(p.span_start, p.span_end) for p in _scan_periods(question, _ANY_DATE)]
