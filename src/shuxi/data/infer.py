r"""Type inference for text columns: numbers with units, percentages, dates, booleans.

Real exports store numbers and dates as text ("7,169", "¥3.5万", "12.5%", "2024年1月2日"). For each text
column of the raw table this module decides, with three bounded queries, whether every non-missing cell
reads as one kind of value:

1. **propose** (first ``EXAMPLE_ROWS`` rows): a few hundred distinct cells per column; Python reads them and
   proposes a candidate: a yes/no set, percentages, a number with its currency and unit, or date formats.
2. **check** (first ``SAMPLE_ROWS`` rows): what the cells hold besides digits (separators, magnitudes,
   brackets) settles each number's guard; dates keep the format that parses every value; identifier-like
   digit columns (zip codes, phone numbers) are dropped.
3. **verify** (whole table, one aggregate over all candidates): a candidate must read every present
   cell of the whole table, or its column stays text.

Missing placeholders ("", "N/A", "null", "-", "无"…) count as missing, never as failures, and become NULL.
Identifier-like text never becomes a number: leading zeros ("007"), 16 or more digits, fixed-width digit
codes and phone numbers stay text. Ambiguous dates (01/02/2024 when no day is above 12) stay text.

Every typed value is one engine-neutral sqlglot expression over the raw column (``RegexpLike``,
``StrToTime``, ``TryCast``…), so the dataset's view computes it, the raw text stays reachable, and each engine
spells it in its own dialect (``shuxi.plan.dialects``). The regular expressions are written in the part of the
syntax that RE2 (DuckDB) and Java (Spark) read alike: explicit space classes instead of ``\s``, ``\A``/``\z``
instead of ``^``/``$``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from shuxi.errors import EngineError

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.engines.base import Engine

log = logging.getLogger(__name__)

#: Rows whose distinct cells suggest a kind for each column (the propose step).
EXAMPLE_ROWS = 5_000
#: Rows the check step reads; the verify step reads the whole table once.
SAMPLE_ROWS = 50_000
#: Distinct example values per column that Python looks at to propose candidates.
EXAMPLES = 300
#: Most distinct non-digit remainders ("¥.万", ",") a number column may have.
SKELETONS = 64
#: Cells longer than this are free text: such a column is never converted.
MAX_CELL = 64
#: A column whose sample holds at most one distinct value per this many present cells is verified on its
#: distinct values rather than on every cell.
FEW_VALUES = 20
#: What the propose step collects per column before trimming: distinct cells of at most this many
#: characters (spaces around a short value included), and at most this many of them.
_RAW_EXAMPLE_CHARS = 4 * MAX_CELL
_RAW_EXAMPLES = 4 * EXAMPLES

_WHITESPACE = " \t\r\n\u00a0\u3000"
#: RE2's \s spelled out: Java's \s also matches a vertical tab.
_SPACE = r"[\t\n\f\r ]"
_SPACE_CLASS = r"[\t\n\f\r \x{a0}\x{3000}]"
#: \A and \z, not ^ and $: Java's $ also matches before a final newline.
_PADDED = rf"\A{_SPACE_CLASS}|{_SPACE_CLASS}\z"
#: Cell texts (trimmed, compared case-insensitively) that mean "no value".
MISSING = ("", "na", "n/a", "#n/a", "null", "none", "nan", "-", "--", "—", "——", "无")
#: The characters of _SPACE_CLASS, for the same checks in Python.
_PADDING = "\t\n\f\r \u00a0\u3000"
_MISSING = rf"(?i){_SPACE_CLASS}*(?:{'|'.join(re.escape(m) for m in MISSING if m)})?{_SPACE_CLASS}*"
_TRUE = ("是", "对", "yes", "y", "true", "1", "√", "✓")
_FALSE = ("否", "错", "no", "n", "false", "0", "×", "✗")

_CURRENCIES = ("US$", "HK$", "$", "¥", "￥", "€", "£", "USD", "RMB", "CNY", "EUR", "GBP", "HKD", "JPY")
#: Chinese magnitudes and their powers of ten, longest first so "万亿" wins over "万".
_MAGNITUDES = (("万亿", 12), ("千亿", 11), ("百亿", 10), ("亿", 8), ("千万", 7), ("百万", 6), ("十万", 5),
               ("万", 4), ("千", 3), ("百", 2))
_MAGNITUDE_CHARS = "万亿千百十"
#: Units that begin with a magnitude character: "35千克" is 35 kg, not 35,000 克.
_MAGNITUDE_UNITS = ("千克", "千米", "千瓦时", "千瓦", "千卡", "千帕", "百分点")

_SIGN = "[-+−]"
#: Any digits, used to read the examples (leading zeros allowed so identifiers can be recognised).
_ANY_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
#: What a typed column accepts: no leading zeros, at most 15 integer digits (longer digit strings are IDs).
_STRICT_NUMBER = r"(?:(?:0|[1-9][0-9]{0,2}(?:,[0-9]{3}){1,4}|[1-9][0-9]{0,14})(?:\.[0-9]+)?|\.[0-9]+)"
_EXPONENT = r"(?:[eE][-+]?[0-9]{1,3})?"
_MAGNITUDE = "(?:" + "|".join(m for m, _ in _MAGNITUDES) + ")"
_UNIT_CHAR = r"(?:[^\W\d_]|[°℃℉㎡㎥])"
_EXAMPLE_NUMBER = re.compile(
    rf"^(?P<open>\()?\s*(?P<s1>{_SIGN})?\s*(?P<cur>{'|'.join(map(re.escape, _CURRENCIES))})?\s*(?P<s2>{_SIGN})?\s*"
    rf"(?P<num>{_ANY_NUMBER}){_EXPONENT}\s*"
    rf"(?:(?P<xunit>{'|'.join(_MAGNITUDE_UNITS)})|(?P<mag>{_MAGNITUDE})?\s*(?P<unit>{_UNIT_CHAR}(?:{_UNIT_CHAR}|[²³/·]){{0,9}})?)"
    rf"\s*(?P<close>\))?$"
)
_PERCENT = rf"(?:{_SIGN}\s*)?{_STRICT_NUMBER}\s*%"
_MOBILE = "1[3-9][0-9]{9}"
#: Column names that mark digit text as a code rather than a quantity ("邮编", "phone", "卡号").
_IDENTIFIER_NAME = re.compile(
    r"(?i)(?:^|[^a-z])(?:zip|zipcode|postcode|postal|phone|tel|mobile|telephone)(?:[^a-z]|$)"
    r"|邮编|邮政编码|电话|手机|号码|身份证|卡号|账号|帐号"
)

# Date formats in strptime notation (each engine's dialect translates them), most common first. Pairs that
# differ only in day/month order are ambiguous: their guards are identical, so the check step can tell
# whether a value above 12 decides.
_DATE_PARTS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%m/%d/%Y", "%d/%m/%Y")
_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日",
    "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%d-%b-%Y",
    "%m/%d/%Y", "%d/%m/%Y", "%m-%d-%Y", "%d-%m-%Y", "%m.%d.%Y", "%d.%m.%Y", "%m/%d/%y", "%d/%m/%y",
    *(f"{d} {t}" for d in _DATE_PARTS for t in ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")),
    "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%d %I:%M %p", "%Y-%m-%d %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p",
)
_SPEC_PATTERN = {
    "Y": "[0-9]{4}", "m": "[0-9]{1,2}", "d": "[0-9]{1,2}", "H": "[0-9]{1,2}", "I": "[0-9]{1,2}", "M": "[0-9]{2}",
    "S": "[0-9]{2}", "f": "[0-9]{1,6}", "y": "[0-9]{2}", "b": "[A-Za-z]{3}", "B": "[A-Za-z]{4,9}", "p": "[AaPp][Mm]",
}
_TIME_SPECS = set("HIMSfp")


@dataclass(frozen=True)
class Conversion:
    """How one text column becomes typed in the dataset's view."""

    column: str
    #: "integer", "number", "percent", "date", "timestamp" or "boolean".
    kind: str
    #: What was recognised, for people: "thousands separators", "unit 元", "format %Y年%m月%d日"…
    detail: str
    #: The typed value, an expression over the raw column.
    expression: exp.Expression


# -- small expression builders -------------------------------------------------------------------


def _str(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _int(value: int) -> exp.Literal:
    return exp.Literal.number(value)


def _matches(text: exp.Expression, pattern: str) -> exp.Expression:
    """The whole of ``text`` matches ``pattern`` (a regular expression RE2 and Java read alike)."""
    return exp.RegexpLike(this=text.copy(), expression=_str(pattern), full_match=True)


def _contains(text: exp.Expression, part: str) -> exp.Expression:
    return exp.Contains(this=text.copy(), expression=_str(part))


def _replace(text: exp.Expression, old: str, new: str = "") -> exp.Expression:
    return exp.Replace(this=text, expression=_str(old), replacement=_str(new))


def _first(values: exp.Expression, count: int) -> exp.Expression:
    """The first ``count`` elements of the list ``values``."""
    return exp.ArraySlice(this=values, start=_int(1), end=_int(count), is_length=False)


def _is_null(value: exp.Expression) -> exp.Expression:
    return exp.Is(this=value, expression=exp.Null())


def _count_if(condition: exp.Expression) -> exp.Expression:
    return exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=condition))


def _lower_in(text: exp.Expression, values: Iterable[str]) -> exp.Expression:
    return exp.In(this=exp.Lower(this=text.copy()), expressions=[_str(v) for v in values])


def _trim(text: exp.Expression) -> exp.Expression:
    # DuckDB's trim() with a character list is slow (about 1 µs a cell); most cells need no trimming.
    trimmed = exp.Trim(this=text.copy(), expression=_str(_WHITESPACE))
    return exp.Case().when(exp.RegexpLike(this=text.copy(), expression=_str(_PADDED)), trimmed).else_(text.copy())


def cell_text(column: str, *, trim: bool) -> exp.Expression:
    """The text of ``column``; trimmed of spaces (full-width and non-breaking ones too) when ``trim``."""
    return _trim(exp.column(column, quoted=True)) if trim else exp.column(column, quoted=True)


def present(text: exp.Expression) -> exp.Expression:
    """``text`` holds a value rather than nothing or a missing placeholder ("N/A", "-", "无"…)."""
    return exp.and_(exp.Not(this=_is_null(text.copy())), exp.Not(this=_matches(text, _MISSING)))


def _fails(typed: exp.Expression, text: exp.Expression) -> exp.Expression:
    """How many present cells have no typed value; present() runs only on the cells that did not parse."""
    return _count_if(exp.Case().when(_is_null(typed), present(text)).else_(exp.false()))


# -- typed values ----------------------------------------------------------------------------------
# Each builder turns cell text into the typed value, or NULL when the text does not parse. A guard regex
# comes first (cheap: RE2 runs it as a DFA), so lenient casts never see text such as "1,2,3" or "0x10",
# and strptime (slow when it fails) only sees text of the right shape. The guards and the string
# clean-up allow only what the column was seen to contain: every extra feature costs time in every query.


@dataclass(frozen=True)
class _Style:
    """What the number-like cells of one column hold besides digits."""

    currency: str = ""
    unit: str = ""
    #: Chinese magnitudes seen ("万", "亿"…), in _MAGNITUDES order.
    magnitudes: tuple[str, ...] = ()
    brackets: bool = False
    unicode_minus: bool = False
    spaces: bool = False
    exponent: bool = False
    percent: bool = False


def _number_guard(style: _Style) -> str:
    sign = "[-+−]" if style.unicode_minus else "[-+]"
    space = f"{_SPACE}*" if style.spaces else ""
    number = _STRICT_NUMBER + (_EXPONENT if style.exponent else "")
    parts = [f"(?:{sign}{space})?"]
    if style.currency:
        parts += [f"(?:{re.escape(style.currency)}{space})?", f"(?:{sign}{space})?"]
    parts.append(number)
    if style.percent:
        parts.append(f"{space}%")
    if style.magnitudes:
        parts.append(f"{space}(?:{'|'.join(style.magnitudes)})?")
    if style.unit:
        parts.append(f"{space}(?:{re.escape(style.unit)})?")
    body = "".join(parts)
    return rf"{body}|\({space}{body}{space}\)" if style.brackets else body


def _magnitude_base(text: exp.Expression, style: _Style) -> exp.Expression:
    """The text to look for magnitudes in: without the unit when the unit holds one ("千克")."""
    if style.unit and any(ch in style.unit for ch in _MAGNITUDE_CHARS):
        return _replace(text.copy(), style.unit)
    return text.copy()


def _number_value(text: exp.Expression, style: _Style, *, integer: bool = False) -> exp.Expression:
    """A DOUBLE (or BIGINT) from number-like text: "¥-3.5万" → -35000.0, "12.5%" → 0.125."""
    digits = text.copy()
    # The unit goes first: in "35千克" the 千 belongs to the unit, not to a magnitude.
    if style.unit:
        digits = _replace(digits, style.unit)
    if style.currency:
        digits = _replace(digits, style.currency)
    removed = [",", "%"] if style.percent else [","]
    if style.spaces:
        removed.append(" ")
    if style.brackets:
        removed.append(")")
    removed += sorted({ch for m in style.magnitudes for ch in m})
    for char in removed:
        digits = _replace(digits, char)
    if style.brackets:
        digits = _replace(digits, "(", "-")
    if style.unicode_minus:
        digits = _replace(digits, "−", "-")
    if style.magnitudes:
        # "3.5" + "e4" parses to exactly 35000.0, where 3.5 * 10000 in floating point may not be exact.
        base = _magnitude_base(text, style)
        power = exp.Case()
        for magnitude, exponent in _MAGNITUDES:
            if magnitude in style.magnitudes:
                power = power.when(_contains(base, magnitude), _str(f"e{exponent}"))
        digits = exp.DPipe(this=digits, expression=power.else_(_str("")))
    if style.percent:
        digits = exp.DPipe(this=digits, expression=_str("e-2"))
    number = exp.TryCast(this=digits, to=exp.DataType.build("BIGINT" if integer else "DOUBLE"))
    return exp.Case().when(_matches(text, _number_guard(style)), number)


def _boolean_value(text: exp.Expression) -> exp.Expression:
    return exp.Case().when(_lower_in(text, _TRUE), exp.true()).when(_lower_in(text, _FALSE), exp.false())


def _date_guard(fmt: str) -> str:
    """The pattern of the text a strptime format reads ("%Y年%m月%d日" → "[0-9]{4}年[0-9]{1,2}月…")."""
    pattern, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            pattern.append(_SPEC_PATTERN[fmt[i + 1]])
            i += 2
        else:
            pattern.append(re.escape(fmt[i]))
            i += 1
    return "".join(pattern)


def _strptime(text: exp.Expression, fmt: str) -> exp.Expression:
    """The timestamp ``text`` reads as in the strptime format ``fmt``, NULL when it does not parse."""
    return exp.StrToTime(this=text.copy(), format=_str(fmt), safe=True)


def _date_value(text: exp.Expression, formats: Sequence[str], kind: str) -> exp.Expression:
    parts: list[exp.Expression] = [exp.Case().when(_matches(text, _date_guard(f)), _strptime(text, f)) for f in formats]
    value = parts[0] if len(parts) == 1 else exp.Coalesce(this=parts[0], expressions=parts[1:])
    return exp.Cast(this=value, to=exp.DataType.build("DATE")) if kind == "date" else value


def _date_kind(formats: Iterable[str]) -> str:
    return "timestamp" if any(spec in _TIME_SPECS for f in formats for spec in re.findall(r"%(.)", f)) else "date"


def _shape(text: str) -> str:
    """Digit runs → 9, letter runs → a: "2024-01-02" → "9-9-9", "Jan 2, 1995" → "a 9, 9"."""
    return re.sub(r"[0-9]+", "9", re.sub(r"[A-Za-z]+", "a", text))


def _format_shape(fmt: str) -> str:
    return _shape(re.sub(r"%[bBp]", "x", re.sub(r"%[YmdHIMSfy]", "0", fmt)))


_FORMAT_SHAPES = {_format_shape(f) for f in _FORMATS}


# -- candidates ------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    """A proposed typing of one column: checked on the sample, then verified on the whole table."""

    column: str
    #: "boolean", "percent", "number" or "date"; ``kind`` is what the column becomes.
    family: str
    style: _Style = _Style()
    #: Dates: the formats the examples' shapes allow, narrowed by the check to the ones that parse.
    formats: list[str] = field(default_factory=list)
    kind: str = ""
    detail: str = ""
    #: Whether cells must be trimmed (the sample held padded cells); trimming costs time in every query.
    trim: bool = True

    def typed(self, text: exp.Expression, *, kind: str | None = None) -> exp.Expression:
        """The typed value of ``text`` as ``kind`` (the candidate's own by default), NULL for missing or unreadable cells."""
        if self.family == "boolean":
            return _boolean_value(text)
        if self.family in ("number", "percent"):
            return _number_value(text, self.style, integer=(kind or self.kind) == "integer")
        return _date_value(text, self.formats, self.kind or _date_kind(self.formats))


def _propose(column: str, examples: list[str]) -> _Candidate | None:
    """The kind the (trimmed) example cells suggest, or None when they read as plain text."""
    if {e.lower() for e in examples} <= {*_TRUE, *_FALSE}:
        return _Candidate(column, "boolean", kind="boolean", detail="yes/no values (" + "/".join(sorted(examples)[:6]) + ")")
    if all(re.fullmatch(_PERCENT, e) for e in examples):
        return _Candidate(column, "percent", style=_Style(percent=True), kind="percent",
                          detail="percentages, stored as fractions (12.5% → 0.125)")
    number = _propose_number(column, examples)
    if number is not None:
        return number
    shapes = {_shape(e) for e in examples}
    if shapes <= _FORMAT_SHAPES:
        return _Candidate(column, "date", formats=[f for f in _FORMATS if _format_shape(f) in shapes])
    return None


def _propose_number(column: str, examples: list[str]) -> _Candidate | None:
    currencies, units = set(), set()
    for example in examples:
        m = _EXAMPLE_NUMBER.match(example)
        if m is None:
            return None
        digits = m["num"].replace(",", "")
        if bool(m["open"]) != bool(m["close"]) or re.match("0[0-9]", digits) or len(digits.split(".")[0]) >= 16:
            return None  # unbalanced brackets, or identifiers such as "007" or a bank card number
        currencies.add(m["cur"] or "")
        units.add(m["xunit"] or m["unit"] or "")
    currencies.discard("")
    units.discard("")
    if len(currencies) > 1 or len(units) > 1:
        return None  # "¥" and "$", or "kg" and "g", in one column: not one quantity
    return _Candidate(column, "number", style=_Style(currency=min(currencies, default=""), unit=min(units, default="")))


def _check_aggregates(key: str, candidate: _Candidate, text: exp.Expression, here: exp.Expression) -> dict[str, exp.Expression]:
    """Counts over the sample that decide whether, and how, ``candidate`` holds.

    ``text`` is the trimmed cell and ``here`` its presence flag (both columns of the sample).
    """
    length = exp.Length(this=text.copy())
    aggs: dict[str, exp.Expression] = {
        f"{key}:present": _count_if(here.copy()),
        f"{key}:long": _count_if(exp.and_(here.copy(), exp.GT(this=length.copy(), expression=_int(MAX_CELL)))),
    }
    if candidate.family == "boolean":
        aggs[f"{key}:fail"] = _fails(candidate.typed(text), text)
    elif candidate.family == "date":
        guards = {f: _date_guard(f) for f in candidate.formats}
        for guard in dict.fromkeys(guards.values()):
            aggs[f"{key}:matched:{guard}"] = _count_if(_matches(text, guard))
        for fmt, guard in guards.items():
            aggs[f"{key}:bad:{fmt}"] = _count_if(exp.and_(_matches(text, guard), _is_null(_strptime(text, fmt))))
        covered = exp.or_(*(_matches(text, g) for g in dict.fromkeys(guards.values())))
        aggs[f"{key}:fail"] = _count_if(exp.and_(here.copy(), exp.Not(this=exp.paren(covered))))
    else:
        # What the cells hold besides digits ("¥.万" for "¥3.5万"): the features the guard must allow. A
        # number column has a handful of these; the cap keeps a free-text column from flooding the result.
        skeleton = exp.Translate(this=text.copy(), from_=_str("0123456789"), to=_str(""))
        distinct = exp.Filter(this=exp.ArrayAgg(this=exp.Distinct(expressions=[skeleton])), expression=exp.Where(this=here.copy()))
        aggs[f"{key}:skeletons"] = _first(distinct, SKELETONS + 1)
        aggs[f"{key}:mobile"] = _count_if(_matches(text, _MOBILE))
        aggs[f"{key}:minlen"] = exp.Filter(this=exp.Min(this=length.copy()), expression=exp.Where(this=here.copy()))
        aggs[f"{key}:maxlen"] = exp.Filter(this=exp.Max(this=length.copy()), expression=exp.Where(this=here.copy()))
    return aggs


def _decide(key: str, candidate: _Candidate, stats: dict[str, Any]) -> _Candidate | None:
    """The candidate with its kind and detail settled, or None when the sample rules it out."""
    if not stats[f"{key}:present"] or stats[f"{key}:long"] or stats.get(f"{key}:fail"):
        return None
    if candidate.family == "boolean":
        return candidate
    if candidate.family == "date":
        return _decide_formats(key, candidate, stats)
    skeletons = stats[f"{key}:skeletons"] or []
    if len(skeletons) > SKELETONS:
        return None
    if set(skeletons) <= {""}:
        # Digits only: an identifier when every value has the same width (zip codes, fixed-width codes,
        # compact dates), when most look like mobile numbers, or when the column's name says so.
        width = stats[f"{key}:minlen"] or 0
        if (width >= 6 and width == stats[f"{key}:maxlen"]) or stats[f"{key}:mobile"] * 2 >= stats[f"{key}:present"] \
                or _IDENTIFIER_NAME.search(candidate.column):
            return None
    return _with_features(candidate, skeletons)


def _with_features(candidate: _Candidate, skeletons: list[str]) -> _Candidate:
    """Settle a number's style, kind and detail from what the sample's cells hold besides digits."""
    style = candidate.style
    rest = {k.replace(style.unit, "") if style.unit else k for k in skeletons}
    rest = {k.replace(style.currency, "") if style.currency else k for k in rest}
    joined = "".join(rest)
    style = candidate.style = _Style(
        currency=style.currency, unit=style.unit, percent=style.percent,
        magnitudes=() if style.percent else tuple(m for m, _ in _MAGNITUDES if m in joined),
        brackets="(" in joined, unicode_minus="−" in joined, spaces=" " in joined,
        exponent=not style.percent and "e" in joined.lower(),
    )
    if candidate.family == "percent":
        return candidate
    # Integers unless a point, an exponent or a magnitude shows; the verify step looks for points again.
    candidate.kind = "number" if "." in joined or style.exponent or style.magnitudes else "integer"
    parts = []
    if "," in joined:
        parts.append("thousands separators")
    if style.currency:
        parts.append(f"currency {style.currency}")
    if style.unit:
        parts.append(f"unit {style.unit}")
    if style.magnitudes:
        parts.append("magnitudes " + "/".join(style.magnitudes))
    if style.brackets:
        parts.append("accounting negatives (…)")
    candidate.detail = ", ".join(parts) or "numbers stored as text"
    return candidate


def _decide_formats(key: str, candidate: _Candidate, stats: dict[str, Any]) -> _Candidate | None:
    """Keep, for every shape of date present, the one format that parses all its values.

    Two formats with the same guard (01/02/2024 read day-first or month-first) that both parse every
    value are ambiguous: the column stays text rather than risk swapping days and months.
    """
    by_guard: dict[str, list[str]] = {}
    for fmt in candidate.formats:
        by_guard.setdefault(_date_guard(fmt), []).append(fmt)
    chosen: list[str] = []
    for guard, formats in by_guard.items():
        if not stats[f"{key}:matched:{guard}"]:
            continue
        parsing = [f for f in formats if not stats[f"{key}:bad:{f}"]]
        if len(parsing) != 1:
            if parsing:
                log.info("%s: dates are ambiguous (%s); left as text", candidate.column, " or ".join(parsing))
            return None
        chosen.append(parsing[0])
    if not chosen:
        return None
    candidate.formats = chosen
    candidate.kind = _date_kind(chosen)
    candidate.detail = ("format " if len(chosen) == 1 else "formats ") + ", ".join(chosen)
    return candidate


# -- the three steps -------------------------------------------------------------------------------


def _aggregate(engine: Engine, source: exp.Expression, aggregates: dict[str, exp.Expression]) -> dict[str, Any]:
    """Run one aggregate query over ``source`` and return its single row keyed like ``aggregates``."""
    names = list(aggregates)
    query = exp.select(*(exp.alias_(aggregates[n], f"a{i}", quoted=True) for i, n in enumerate(names))).from_(source)
    row = engine.execute(query, limit=1).to_pylist()[0]
    return {n: row[f"a{i}"] for i, n in enumerate(names)}


def _is_text(data_type: pa.DataType) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(data_type) or pa.types.is_large_string(data_type)
                or (hasattr(pa.types, "is_string_view") and pa.types.is_string_view(data_type)))


def infer_conversions(engine: Engine, raw_table: str, schema: pa.Schema,
                      known: Mapping[str, list[str]] | None = None) -> list[Conversion]:
    """The conversions to apply to ``raw_table``'s text columns (every other column stays as it is).

    A conversion is returned only if it reads every non-missing cell of the whole table. ``known`` holds real
    cells of some columns found without a query (Parquet statistics): a column they show to be plain text is
    not sampled at all.
    """
    known = known or {}
    columns = [f.name for f in schema if _is_text(f.type) and not _ruled_out(f.name, known.get(f.name, []))]
    if not columns:
        return []
    try:
        chosen = _infer(engine, exp.Table(this=exp.to_identifier(raw_table, quoted=True)), columns)
    except EngineError as error:
        # Inference is a convenience: if the engine cannot run it (a timeout on a huge table), the
        # columns simply stay text, which is always correct.
        log.warning("type inference skipped for %s: %s", raw_table, error)
        return []
    return [Conversion(c.column, c.kind, c.detail, c.typed(cell_text(c.column, trim=c.trim))) for c in chosen]


def _ruled_out(column: str, cells: list[str]) -> bool:
    """Whether these real cells of ``column`` already show that it cannot be converted.

    A conversion must read every present cell, so one long cell, or cells that propose no kind (plain text,
    an identifier such as "007", two currencies), settle it. Placeholders ("N/A") prove nothing.
    """
    if any(len(_trimmed(c)) > MAX_CELL for c in cells):
        return True
    examples = _examples(cells)
    return bool(examples) and _propose(column, examples) is None


def _col(prefix: str, i: int) -> exp.Column:
    return exp.column(f"{prefix}{i}", quoted=True)


def _first_rows(table: exp.Table, columns: dict[int, str], rows: int) -> exp.Subquery:
    """The first ``rows`` rows of ``columns`` as r<i> (raw text)."""
    return (exp.select(*(exp.alias_(exp.column(c, quoted=True), f"r{i}", quoted=True) for i, c in columns.items()))
            .from_(table.copy()).limit(rows).subquery("first_rows"))


def _examples(cells: list[str]) -> list[str]:
    """Up to EXAMPLES distinct trimmed cells of at most MAX_CELL characters that hold a value.

    The Python twin of ``_trim`` and ``present`` on the engine: the same characters trimmed (only when the
    cell starts or ends with a space of _SPACE_CLASS), the same placeholders dropped (compared ignoring case).
    """
    found: dict[str, None] = {}
    for cell in cells:
        text = _trimmed(cell)
        if len(text) <= MAX_CELL and text.strip(_PADDING).lower() not in MISSING:
            found.setdefault(text)
            if len(found) == EXAMPLES:
                break
    return list(found)


def _trimmed(cell: str) -> str:
    """``cell`` as ``_trim`` leaves it on the engine: stripped only when it starts or ends with padding."""
    return cell.strip(_WHITESPACE) if cell[:1] in _PADDING or cell[-1:] in _PADDING else cell


def _sample(table: exp.Table, columns: dict[int, str], rows: int) -> exp.Subquery:
    """The first ``rows`` rows of ``columns`` as r<i> (raw text), t<i> (trimmed) and p<i> (present).

    The nested projections compute the trimmed text and the presence flag once per cell instead of once
    per aggregate that uses them.
    """
    first = _first_rows(table, columns, rows)
    trimmed = exp.select(*(e for i in columns for e in (_col("r", i), exp.alias_(_trim(_col("r", i)), f"t{i}", quoted=True))))
    flagged = exp.select(*(e for i in columns for e in (_col("r", i), _col("t", i), exp.alias_(present(_col("t", i)), f"p{i}", quoted=True))))
    return flagged.from_(trimmed.from_(first).subquery("trimmed")).subquery("cells")


def _infer(engine: Engine, table: exp.Table, columns: list[str]) -> list[_Candidate]:
    # 1. propose: distinct short examples from the first rows suggest a kind for each column. The engine
    # only collects the distinct short cells; trimming them and dropping placeholders happens here, on a
    # few hundred values per column rather than on every cell of the first rows.
    aggs: dict[str, exp.Expression] = {}
    for i in range(len(columns)):
        raw = _col("r", i)
        short = exp.LTE(this=exp.Length(this=raw.copy()), expression=_int(_RAW_EXAMPLE_CHARS))
        examples = exp.Filter(this=exp.ArrayAgg(this=exp.Distinct(expressions=[raw.copy()])),
                              expression=exp.Where(this=short))
        aggs[str(i)] = _first(examples, _RAW_EXAMPLES)
    found = _aggregate(engine, _first_rows(table, dict(enumerate(columns)), EXAMPLE_ROWS), aggs)
    candidates = {i: c for i, name in enumerate(columns)
                  if (examples := _examples(found[str(i)] or [])) and (c := _propose(name, examples))}
    if not candidates:
        return []

    # 2. check the candidates on the first SAMPLE_ROWS rows: features, formats, identifiers.
    aggs = {}
    for i, candidate in candidates.items():
        aggs.update(_check_aggregates(str(i), candidate, _col("t", i), _col("p", i)))
        aggs[f"{i}:padded"] = _count_if(exp.NEQ(this=_col("r", i), expression=_col("t", i)))
        aggs[f"{i}:distinct"] = exp.Count(this=exp.Distinct(expressions=[_col("r", i)]))
    stats = _aggregate(engine, _sample(table, {i: columns[i] for i in candidates}, SAMPLE_ROWS), aggs)
    chosen = {i: c for i, c in candidates.items() if _decide(str(i), c, stats) is not None}
    if not chosen:
        return []

    # 3. verify on the whole table: every present cell must read. Columns with few distinct values in the sample
    # are checked on their distinct values (one hash aggregate per column, in one scan): parsing each value
    # once instead of once per row is several times cheaper. The others are checked cell by cell.
    few = {i for i in chosen if stats[f"{i}:distinct"] * FEW_VALUES <= stats[f"{i}:present"]}
    verified: dict[str, Any] = {}
    for part, source in ((few, _distinct_values(table, [columns[i] for i in sorted(few)])), (set(chosen) - few, table)):
        aggs = {}
        for i in sorted(part):
            candidate = chosen[i]
            candidate.trim = bool(stats[f"{i}:padded"])
            text = cell_text(candidate.column, trim=candidate.trim)
            # An integer candidate is counted on its DOUBLE reading: text with a point makes it a number anyway, and
            # TRY_CAST('2.5' AS BIGINT) is 3 on DuckDB but NULL on Spark.
            aggs[f"{i}:fail"] = _fails(candidate.typed(text, kind="number" if candidate.kind == "integer" else None), text)
            if candidate.kind == "integer":
                aggs[f"{i}:fraction"] = _count_if(_contains(text, "."))
        if aggs:
            verified.update(_aggregate(engine, source, aggs))
    for i, candidate in list(chosen.items()):
        if verified[f"{i}:fail"]:
            log.info("%s: %d %s do not read as %s; left as text", candidate.column, verified[f"{i}:fail"],
                     "distinct values" if i in few else "cells", candidate.kind)
            del chosen[i]
        elif candidate.kind == "integer" and verified[f"{i}:fraction"]:
            candidate.kind = "number"
    return [chosen[i] for i in sorted(chosen)]


def _distinct_values(table: exp.Table, columns: list[str]) -> exp.Expression:
    """Each of ``columns``' distinct values once, in a column of that name (NULL in the other columns' rows)."""
    if not columns:
        return table
    keys = [exp.column(c, quoted=True) for c in columns]
    sets = exp.GroupingSets(expressions=[exp.Tuple(expressions=[key.copy()]) for key in keys])
    return exp.select(*keys).from_(table.copy()).group_by(sets).subquery("distinct_values")


def typed_view(raw_table: str, schema: pa.Schema, conversions: list[Conversion]) -> exp.Select:
    """SELECT every column of ``raw_table`` in order, converted columns replaced by their typed value."""
    by_column = {c.column: c for c in conversions}
    projections: list[exp.Expression] = []
    for name in schema.names:
        conversion = by_column.get(name)
        if conversion is None:
            projections.append(exp.column(name, quoted=True))
        else:
            projections.append(exp.alias_(conversion.expression, name, quoted=True))
    return exp.select(*projections).from_(exp.Table(this=exp.to_identifier(raw_table, quoted=True)))
