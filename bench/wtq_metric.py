"""The WikiTableQuestions metric (Pasupat & Liang 2015), written to the description in ``shared/data/README.md``.

A predicted list of values is correct when it has as many items as the target list and every target item
matches some predicted item. Two items match when

* their normalised strings are equal (:func:`normalize`: diacritics removed, smart quotes and dashes made
  ASCII, trailing citation marks like ``[1]`` or ``†`` and trailing ``(details)`` dropped, outermost quotation
  marks and a final period removed, lower case, white space collapsed), or
* both read as numbers and the numbers are equal (``"12,467"`` is 12467, ``1.0`` is ``1``), or
* both read as dates ``yyyy-mm-dd`` (``xx`` for an unknown field) and every field is equal.

The official evaluator compares predictions with targets that CoreNLP had already canonicalised ("12,467" →
12467, "August 15, 2009" → 2009-08-15, "November 2009" → 2009-11-xx). The TSV release here has only the raw
target strings, so :func:`to_value` does the part of that canonicalisation the README names, for targets and
predicted strings alike: numbers with thousands separators, and English dates written "Month D, YYYY",
"D Month YYYY", "Month YYYY" or "Month D". A lone year such as ``2004`` reads as the number 2004 (as in the
official ``to_value``). Predicted Python values map directly: ``int``/``float``/``Decimal`` → number,
``date``/``datetime`` at midnight → date, ``bool`` → ``"yes"``/``"no"`` (the answers WTQ uses), ``None`` → ``""``.

>>> check_denotation(parse_target("Bangkok, Thailand"), [to_value("bangkok, thailand")])
True
>>> check_denotation(parse_target("12,467"), [to_value(12467.0)])
True
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

# -- normalisation (the official evaluator's rules) ---------------------------------------------------------

_CITATION = re.compile(r"((?<!^)\[[^\]]*\]|\[\d+\]|[•♦†‡*#+])*$")
_PARENS = re.compile(r"(?<!^)( \([^)]*\))*$")
_OUTER_QUOTES = re.compile(r'^"([^"]*)"$')


def normalize(text: str) -> str:
    """The official WTQ string normalisation.

    >>> normalize('  “Derby  County”[1] (football club) ')
    'derby county'
    >>> normalize("Café Nö.")
    'cafe no'
    """
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
    text = re.sub(r"[‘’´`]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    text = re.sub(r"[‐‑‒–—−]", "-", text)
    while True:  # the three trailing-detail rules feed each other ("x" [1] (y)), so repeat until stable
        before = text
        text = _CITATION.sub("", text.strip())
        text = _PARENS.sub("", text.strip())
        text = _OUTER_QUOTES.sub(r"\1", text.strip())
        if text == before:
            break
    if text.endswith("."):
        text = text[:-1]
    return re.sub(r"\s+", " ", text).lower().strip()


# -- values ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StringValue:
    """A value compared by its normalised string only."""

    normalized: str

    def match(self, other: Value) -> bool:
        return self.normalized == other.normalized


@dataclass(frozen=True)
class NumberValue:
    """A number (integral floats become ints, so 1.0 == 1); also matches on the normalised original string."""

    amount: int | float
    normalized: str

    def match(self, other: Value) -> bool:
        if self.normalized == other.normalized:
            return True
        return isinstance(other, NumberValue) and abs(self.amount - other.amount) < 1e-6


@dataclass(frozen=True)
class DateValue:
    """A date with possibly unknown fields (``-1``); equal when year, month and day all agree."""

    year: int
    month: int
    day: int
    normalized: str

    def match(self, other: Value) -> bool:
        if self.normalized == other.normalized:
            return True
        return isinstance(other, DateValue) and (self.year, self.month, self.day) == (other.year, other.month,
                                                                                      other.day)


Value = StringValue | NumberValue | DateValue

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_FORMS = [
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.I),
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})", re.I),
    re.compile(rf"{_MONTH},?\s+(?P<year>\d{{4}})", re.I),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?", re.I),
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}", re.I),
]


def parse_number(text: str) -> int | float | None:
    """``text`` as a number when the whole string is one ("12,467", "-3.5", "1.0"); ints for integral values."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    amount = float(text.replace(",", ""))
    if math.isnan(amount) or math.isinf(amount):
        return None
    return _canonical_number(amount)


def _canonical_number(amount: float | int) -> int | float:
    if isinstance(amount, int):
        return amount
    return int(round(amount)) if abs(round(amount) - amount) < 1e-6 else float(amount)


def parse_date(text: str) -> tuple[int, int, int] | None:
    """``(year, month, day)`` with -1 for unknown fields, from ``yyyy-mm-dd``/``xx`` or an English date."""
    text = text.strip()
    parts = text.lower().split("-")
    if len(parts) == 3:
        try:
            year = -1 if parts[0] in ("xx", "xxxx") else int(parts[0])
            month = -1 if parts[1] == "xx" else int(parts[1])
            day = -1 if parts[2] == "xx" else int(parts[2])
        except ValueError:
            return None
        return _checked(year, month, day)
    for form in _DATE_FORMS:
        found = form.fullmatch(text)
        if found:
            fields = found.groupdict()
            return _checked(int(fields.get("year") or -1), _MONTHS[fields["month"].lower()],
                            int(fields.get("day") or -1))
    return None


def _checked(year: int, month: int, day: int) -> tuple[int, int, int] | None:
    if year == month == day == -1 or not (month == -1 or 1 <= month <= 12) or not (day == -1 or 1 <= day <= 31):
        return None
    return year, month, day


def _date_value(year: int, month: int, day: int, normalized: str | None = None) -> Value:
    if month == day == -1:  # a lone year is a number, as in the official evaluator
        return NumberValue(year, normalized or str(year))
    fields = [str(year) if year != -1 else "xx", f"{month:02d}" if month != -1 else "xx",
              f"{day:02d}" if day != -1 else "xx"]
    return DateValue(year, month, day, normalized or "-".join(fields))


def to_value(item: Any) -> Value:
    """One target or predicted item as a comparable value (see the module docstring for the rules)."""
    if isinstance(item, StringValue | NumberValue | DateValue):
        return item
    if item is None:
        return StringValue("")
    if isinstance(item, bool):
        return StringValue("yes" if item else "no")
    if isinstance(item, int | float | Decimal):
        amount = float(item) if isinstance(item, Decimal) else item
        if isinstance(amount, float) and (math.isnan(amount) or math.isinf(amount)):
            return StringValue(normalize(str(amount)))
        number = _canonical_number(amount)
        return NumberValue(number, str(number))
    if isinstance(item, dt.datetime):
        if item.time() == dt.time(0, 0):
            return _date_value(item.year, item.month, item.day)
        return StringValue(normalize(item.isoformat(sep=" ")))
    if isinstance(item, dt.date):
        return _date_value(item.year, item.month, item.day)
    text = str(item)
    normalized = normalize(text)
    number = parse_number(text)
    if number is None and normalized != text.strip().lower():
        number = parse_number(normalized)  # "7,169[2]" → 7169
    if number is not None:
        return NumberValue(number, normalized)
    ymd = parse_date(text) or (parse_date(normalized) if normalized else None)
    if ymd is not None:
        return _date_value(*ymd, normalized=normalized)
    return StringValue(normalized)


def check_denotation(targets: list[Value], predicted: list[Value]) -> bool:
    """The official rule: same number of items, and every target item matches some predicted item."""
    if len(targets) != len(predicted):
        return False
    return all(any(t.match(p) for p in predicted) for t in targets)


def is_correct(target: str | list[str], predicted: list[Any]) -> bool:
    """Whether raw predicted items answer a raw target (a ``|``-joined TSV cell or a list of strings)."""
    targets = parse_target(target) if isinstance(target, str) else [to_value(t) for t in target]
    return check_denotation(targets, [to_value(p) for p in predicted])


# -- the TSV files ----------------------------------------------------------------------------------------------


def tsv_unescape(text: str) -> str:
    r"""Undo the WTQ TSV escapes: ``\n`` newline, ``\p`` pipe, ``\\`` backslash (in one left-to-right pass)."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "p": "|", "\\": "\\"}.get(m.group(1), m.group(0)), text)


def split_target(cell: str) -> list[str]:
    """A ``targetValue`` cell as its list of answer strings (``|`` separates; escapes undone per item)."""
    return [tsv_unescape(item) for item in cell.split("|")]


def parse_target(cell: str) -> list[Value]:
    """A ``targetValue`` cell as comparable values."""
    return [to_value(item) for item in split_target(cell)]


@dataclass(frozen=True)
class Example:
    """One WTQ question: ``context`` is the table path relative to the data folder (``csv/204-csv/590.csv``)."""

    id: str
    utterance: str
    context: str
    targets: tuple[str, ...]


def read_examples(path: str | Path) -> list[Example]:
    """The questions of a WTQ TSV file (header ``id, utterance, context, targetValue``)."""
    examples = []
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, None)
        if header is None or [h.strip() for h in header[:4]] != ["id", "utterance", "context", "targetValue"]:
            raise ValueError(f"{path}: not a WTQ question file (expected the header id, utterance, context, "
                             f"targetValue; got {header!r})")
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) != 4:
                raise ValueError(f"{path}:{line}: expected 4 tab-separated fields, got {len(row)}")
            ident, utterance, context, target = row
            examples.append(Example(ident, tsv_unescape(utterance), tsv_unescape(context),
                                    tuple(split_target(target))))
    return examples
