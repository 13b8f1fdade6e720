"""Numbers written for people: thousands separators, sensible decimals, 万/亿 in Chinese, percentages, p-values.

Every function here only rounds: the text always stays a rounding of the number it was given, so an answer
checked against its result table ("every number must appear in the result, or be a rounding of one") passes.
Minus signs are the ASCII hyphen so that such checks, copy and paste, and spreadsheets all read them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from numbers import Real
from typing import Literal

Language = Literal["zh", "en"]

_MISSING = {"zh": "无", "en": "n/a"}


def _as_float(value: object) -> float | None:
    """``value`` as a float, or None for NULL/NaN/anything that is not a number."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Real):
        result = float(value)
        return None if math.isnan(result) else result
    return None


def _trim(text: str) -> str:
    """Drop trailing zeros after a decimal point ("12.50" → "12.5", "3.00" → "3")."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _decimals(magnitude: float) -> int:
    """How many decimals a number of this size deserves: about four significant digits, at most two decimals
    from 1 up, three significant digits below 1 (0.0123), and none for large numbers."""
    if magnitude >= 1000:
        return 0
    if magnitude >= 100:
        return 1
    if magnitude >= 1:
        return 2
    # 0.5 → 3 decimals shown before trimming; 0.000123 → 6.
    return min(12, 2 - math.floor(math.log10(magnitude)))


def format_number(value: object, language: Language = "en", *, decimals: int | None = None) -> str:
    """A number as a person writes it.

    English: thousands separators and sensible decimals (``1234567`` → ``"1,234,567"``, ``733.3333`` → ``"733.3"``).
    Chinese: the same below 10,000, then 万 and 亿 (``12345`` → ``"1.23万"``, ``380000000`` → ``"3.8亿"``).
    Whole numbers never get decimals; ``decimals`` fixes the number of decimals instead of choosing it.
    NULL, NaN and non-numbers become ``"n/a"`` / ``"无"``; infinities ``"∞"``.

    >>> format_number(1234567.891, "en")
    '1,234,568'
    >>> format_number(123456, "zh")
    '12.35万'
    """
    number = _as_float(value)
    if number is None:
        return _MISSING[language]
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    if language == "zh" and magnitude >= 1e4:
        for unit, size in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
            if magnitude >= size:
                break
        places = 2 if decimals is None else decimals
        return sign + _trim(f"{magnitude / size:,.{places}f}") + unit
    if decimals is None:
        places = 0 if magnitude.is_integer() else _decimals(magnitude)
        text = _trim(f"{magnitude:,.{places}f}")
    else:
        text = f"{magnitude:,.{decimals}f}"
    if float(text.replace(",", "")) == 0:  # "-0.0001" rounded away: no sign on a zero
        sign = ""
    return sign + text


def format_percent(value: object, language: Language = "en", *, decimals: int = 1) -> str:
    """A share (0.1234) as a percentage ("12.3%"); trailing zeros are dropped ("50%")."""
    number = _as_float(value)
    if number is None:
        return _MISSING[language]
    return _trim(f"{number * 100:.{decimals}f}") + "%"


def format_p_value(p: float | None, language: Language = "en") -> str:
    """``"p < 0.001"`` for tiny p-values, otherwise ``"p = 0.023"`` (three decimals, or two significant digits
    below 0.01 so that 0.0042 does not read as 0.004)."""
    if p is None or math.isnan(p):
        return "p " + ("无定义" if language == "zh" else "undefined")
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.2g}" if f"{p:.2g}" != "0.01" else "p = 0.010"
    return f"p = {p:.3f}"


def format_coefficient(value: float | None, *, decimals: int = 3) -> str:
    """A correlation-like coefficient with fixed decimals ("-1.000", "0.482"); "n/a" when undefined."""
    if value is None or math.isnan(value):
        return "n/a"
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def format_bound(value: float) -> str:
    """A confidence bound, short: -1 and 1 stay whole ("[-1, -1]"), others get three decimals."""
    if abs(value) == 1.0:
        return "-1" if value < 0 else "1"
    return format_coefficient(value)
