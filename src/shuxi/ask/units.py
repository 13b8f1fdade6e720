"""A number's unit names the column it limits: "over five minutes" is the track length, "at least 60,000 people"
the attendance, "below 3200 feet" the elevation whose cells read "3,465 ft".

English only. The rule adds a filter only when exactly one column fits the unit, so a table with two lengths or
two head counts is left to the other rules.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyarrow as pa

from shuxi.ask.context import Context
from shuxi.ask.text import column_words
from shuxi.plan.ir import Filter

#: Seconds in each unit of time a question uses.
_SECONDS = {"second": 1, "seconds": 1, "sec": 1, "secs": 1, "minute": 60, "minutes": 60, "min": 60, "mins": 60,
            "hour": 3600, "hours": 3600, "hrs": 3600}
#: Words that count people, and the words of the columns that count them.
_PEOPLE = {"people", "persons", "spectators", "fans", "attendees", "viewers", "visitors", "residents", "inhabitants",
           "spectator", "attendance", "citizens", "residents"}
_HEAD_COUNTS = ("attendance", "attend", "crowd", "spectators", "population", "capacity", "viewers", "visitors",
                "inhabitants", "residents", "pop.")
#: A unit as a question says it → the ways a column header or a cell writes it.
_MEASURES = {
    "feet": ("ft", "feet", "foot"), "foot": ("ft", "feet", "foot"), "ft": ("ft", "feet", "foot"),
    "meters": ("m", "metres", "meters", "metre", "meter"), "metres": ("m", "metres", "meters", "metre", "meter"),
    "meter": ("m", "metres", "meters", "metre", "meter"), "metre": ("m", "metres", "meters", "metre", "meter"),
    "kilometers": ("km", "kilometres", "kilometers"), "kilometres": ("km", "kilometres", "kilometers"),
    "km": ("km", "kilometres", "kilometers"), "miles": ("mi", "miles", "mile"), "mile": ("mi", "miles", "mile"),
    "pounds": ("lb", "lbs", "pounds"), "lbs": ("lb", "lbs", "pounds"), "lb": ("lb", "lbs", "pounds"),
    "kilograms": ("kg", "kilograms"), "kg": ("kg", "kilograms"), "mph": ("mph",), "tons": ("tons", "tonnes", "t"),
    "tonnes": ("tons", "tonnes", "t"), "acres": ("acres", "acre", "ac"), "hectares": ("hectares", "ha"),
    "degrees": ("°", "degrees", "°f", "°c"),
}
_SQUARE = {"km": ("km2", "km²", "sq km", "square kilometres", "square kilometers"),
           "kilometers": ("km2", "km²", "sq km", "square kilometres", "square kilometers"),
           "kilometres": ("km2", "km²", "sq km", "square kilometres", "square kilometers"),
           "miles": ("sq mi", "mi2", "mi²", "square miles"), "mile": ("sq mi", "mi2", "mi²", "square miles"),
           "meters": ("m2", "m²", "sq m", "square metres", "square meters"),
           "metres": ("m2", "m²", "sq m", "square metres", "square meters"),
           "feet": ("sq ft", "ft2", "ft²", "square feet")}
_UNIT_AFTER = re.compile(r"\s*(square\s+|sq\.?\s+)?([a-z]+)\b")


def unit_threshold(ctx: Context, n: Any, op: str) -> bool:
    """A filter ``column op value`` on the one column the unit after ``n`` names; True when one was added.

    ``op`` is the comparison the word gave, already turned the right way ("under" → "<")."""
    match = _UNIT_AFTER.match(ctx.q.text[n.end:n.end + 30])
    if match is None:
        return False
    square, unit = bool(match.group(1)), match.group(2)
    if _AGE_AFTER.match(ctx.q.text[n.end:n.end + 30]):
        return age_filter(ctx, n, op)
    if unit in _SECONDS and not square:
        return _duration_threshold(ctx, n.value * _SECONDS[unit], op)
    if unit in _PEOPLE and not square:
        columns = [c for c in _countable(ctx) if any(h in c.lower() for h in _HEAD_COUNTS)]
    elif unit in _MEASURES:
        spellings = _SQUARE.get(unit, ()) if square else _MEASURES[unit]
        columns = [c for c in ctx.index.order if (c in _countable(ctx) and _names_unit(c, spellings)) or
                   ctx.index.columns[c].unit.lower() in spellings or
                   (ctx.kind_of(c) == "text" and _cells_in_unit(ctx, c, spellings))]
    else:
        return False
    if len(columns) != 1:
        return False
    ctx.add_filter(Filter(column=columns[0], op=op, value=n.value, number=ctx.kind_of(columns[0]) == "text"))
    return True


def _countable(ctx: Context) -> list[str]:
    """Number columns, and text columns that hold numbers ("71,317", "3,465 ft")."""
    return [c for c in ctx.index.order if ctx.kind_of(c) == "number" or
            (ctx.kind_of(c) == "text" and ctx.index.columns[c].numeric_share >= 0.6 and
             not pa.types.is_time(ctx.index.columns[c].type))]


def _names_unit(column: str, spellings: tuple[str, ...]) -> bool:
    """"Elevation (ft)", "Area km²", "Height in metres": the header names the unit (inside brackets, or as a word
    that is not the column's only word)."""
    lowered = column.lower()
    words = re.findall(r"[a-z²°]+\d?", lowered)
    bracketed = " ".join(re.findall(r"[(\[]([^)\]]*)[)\]]", lowered))
    return any(s in re.findall(r"[a-z²°]+\d?|sq [a-z]+", bracketed) or (len(words) > 1 and s in words[1:])
               for s in spellings)


def _cells_in_unit(ctx: Context, column: str, spellings: tuple[str, ...]) -> bool:
    """Most cells are a number followed by the unit ("3,465 ft", "1.75 m")."""
    counts = ctx.index.columns[column].counts
    if not counts:
        return False
    pattern = re.compile(r"\s*[-+]?[\d,.]+\s*(?:" + "|".join(re.escape(s) for s in spellings) + r")(?![a-z])", re.I)
    return sum(bool(pattern.match(str(v))) for v in counts) >= 0.5 * len(counts)


def _duration_threshold(ctx: Context, seconds: float, op: str) -> bool:
    """"at most 3 minutes long": the one column of durations, kept as text ("3:36") or read as times of day."""
    columns = [c for c in ctx.index.order if pa.types.is_time(ctx.index.columns[c].type) or
               (ctx.kind_of(c) == "text" and ctx.index.columns[c].duration_share >= 0.5)]
    if not columns:  # "faster than 12.40 seconds" on a Time column of seconds ("12.21 (+0.7)")
        columns = [c for c in _countable(ctx) if "time" in column_words(c)]
    if len(columns) != 1:
        return False
    column = columns[0]
    value = duration_value(ctx, column, seconds)
    ctx.add_filter(Filter(column=column, op=op, value=int(value) if float(value).is_integer() else value, number=True))
    return True


def duration_value(ctx: Context, column: str, seconds: float) -> float:
    """``seconds`` as the column compares it. A column of times of day whose every cell has zero seconds holds
    minutes:seconds that the reader took for hours:minutes ("3:36" a track length, read 03:36): there a minute of
    the question is an hour of the cell."""
    info = ctx.index.columns[column]
    if not pa.types.is_time(info.type):
        return seconds
    times = [v for v in info.counts if isinstance(v, dt.time)]
    if times and all(t.second == 0 and t.microsecond == 0 for t in times) and seconds * 60 < 86400:
        return seconds * 60
    return seconds


#: "21 years old", "20 years of age", "45 yrs old": a person's age.
_AGE_AFTER = re.compile(r"\s*(?:years?|yrs?)[ -](?:old|of age)\b")


def age_filter(ctx: Context, n: Any, op: str) -> bool:
    """"how many contestants are at least 21 years old?", "how many finalists were 28 years old?": ``n`` is an age
    when "years old" or "years of age" follows it, on the table's one column of ages ("Age", "Age (at offense)");
    True when the filter was added."""
    if not _AGE_AFTER.match(ctx.q.text[n.end:n.end + 30]):
        return False
    columns = [c for c in _countable(ctx) if "age" in column_words(c)]
    if len(columns) != 1:
        return False
    ctx.add_filter(Filter(column=columns[0], op=op, value=n.value, number=ctx.kind_of(columns[0]) == "text"))
    return True
