"""Nouns that stand for a number column the question does not name: "how many **medals** did the USA win?" on
a medal table means its Total column, "how many **people attended** the June 22 game?" its Attendance column,
"how many **people live** in Kilifi?" its Population column, "how many **students** are enrolled at Navy?" its
Enrollment column, "how many people can the arena **seat**?" its Capacity column. Adjectives of size do the
same: "the **tallest** peak" ranks by Elevation, "the **heaviest** bell" by Weight, "the **least populated**
municipality" by Population, "the **youngest** delegate" by Age.

Each noun is linked (as a weak, lexicon-strength mention) only when the table has exactly one column of that
kind holding numbers and the question names none of them itself; the other rules then read the column as if the
question had named it (a cell, a sum over the rows kept, a ranking). English only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shuxi.ask.linking import ColumnMention, TableIndex
from shuxi.ask.text import Question, Span

#: Lexicon strength (see :class:`shuxi.ask.linking.ColumnMention`): weaker than a column's own name.
_STRENGTH = 1
_MEDALS = ("gold", "silver", "bronze")


@dataclass(frozen=True)
class _Noun:
    """Question words (lemmas) that mean a column whose lower-case name contains one of ``column_words``; the noun
    counts only when ``applies`` holds for the question's text; ``in_order``: the column words are tried one by
    one, so "Elevation (m)" says how tall a peak is even beside "Col height (m)"."""

    words: tuple[str, ...]
    column_words: tuple[str, ...]
    applies: Callable[[str], bool] = lambda text: True
    in_order: bool = False


_ATTEND = re.compile(r"\battend|\bcame to\b|\bcrowd|\bin attendance\b|\bpresent\b|\bturn(?:ed)? out\b")
_LIVE = re.compile(r"\b(?:live[sd]?|living|reside[sd]?|inhabit\w*|population|populated)\b")
_SEAT = re.compile(r"\b(?:seats?|seated|seating|hold|fit|capacity|accommodate)\b")

_NOUNS: tuple[_Noun, ...] = (
    _Noun(("attendee", "spectator", "fan", "crowd", "attended", "attend"), ("attendance", "spectators", "crowd")),
    _Noun(("people", "person"), ("attendance", "spectators", "crowd"), lambda text: bool(_ATTEND.search(text))),
    _Noun(("people", "inhabitant", "resident"), ("population",), lambda text: bool(_LIVE.search(text))),
    _Noun(("people", "seat", "person"), ("capacity",), lambda text: bool(_SEAT.search(text))),
    _Noun(("student",), ("enrollment", "enrolment")),
    _Noun(("viewer",), ("viewers",)),
    _Noun(("voter",), ("voters",)),
    # Adjectives of size: "the tallest peak" ranks by Height or Elevation, "the heaviest bell" by Weight,
    # "the least populated municipality" by Population, "the youngest delegate" by Age.
    _Noun(("tallest", "taller", "tall"), ("elevation", "height", "altitude"), in_order=True),
    _Noun(("heaviest", "lightest", "heavier", "lighter"), ("weight", "mass"), in_order=True),
    _Noun(("populated", "populous"), ("population",), lambda text: not re.search(r"\bdensely\b", text)),
    _Noun(("youngest", "oldest", "younger", "older"), ("age",)),
)

#: Columns that count people; "people" links to one only when the table has just one of them.
_HEAD_COUNTS = (("attendance", "spectators", "crowd"), ("population",), ("capacity",))


def implied_columns(q: Question, index: TableIndex, columns: Sequence[ColumnMention],
                    taken: Sequence[Span]) -> list[ColumnMention]:
    """Mentions of the number columns the question's nouns stand for (see the module docstring)."""
    if q.language != "en":
        return []
    named = {c for m in columns for c in m.columns}
    blocked = [*taken, *(m.span for m in columns)]
    out: list[ColumnMention] = []
    head_counts = [c for words in _HEAD_COUNTS if (c := _one_column(index, words)) is not None]
    for noun in _NOUNS:
        if not noun.applies(q.text):
            continue
        column = _first_column(index, noun.column_words) if noun.in_order else _one_column(index, noun.column_words)
        if "people" in noun.words and len(head_counts) > 1:
            continue  # Capacity and Attendance both count people: the verb alone does not say which
        if column is None or column in named:
            continue
        span = _free_word(q, noun.words, blocked)
        if span is not None:
            out.append(ColumnMention(columns=(column,), span=span, strength=_STRENGTH, phrase=q.words[span.first]))
            named.add(column)
            blocked.append(span)
    # "how many medals … in total": the word "total" named the Total column; "medals" still says what is counted.
    by_word = {c for m in columns for c in m.columns if m.phrase.lower() != "total"}
    medals = _medal_total(q, index, by_word, blocked, [m.span for m in columns])
    return out + ([medals] if medals is not None else [])


def _medal_total(q: Question, index: TableIndex, named: set[str], blocked: list[Span],
                 mentions: list[Span]) -> ColumnMention | None:
    """"medals" on a medal table (Gold, Silver, Bronze, Total) is the Total column, unless a colour says which."""
    lower = {c.lower().strip(): c for c in index.order}
    if not all(m in lower for m in _MEDALS):
        return None
    total = lower.get("total") or lower.get("total medals") or lower.get("medals")
    if total is None or total in named or index.columns[total].kind != "number":
        return None
    for span in q.find("medal"):
        before = q.words[span.first - 1] if span.first else ""
        if before in _MEDALS or _covered(q, span.first, blocked):
            continue  # "gold medals": the colour names the column
        if before and (before != "total" or _is_number(q.words[span.first - 2] if span.first > 1 else "")) \
                and _covered(q, span.first - 1, mentions):
            continue  # "5 total medals", "sliver medals": the words before already name a column
        return ColumnMention(columns=(total,), span=span, strength=_STRENGTH, phrase="medals")
    return None


_NUMBER_WORDS = frozenset("zero one two three four five six seven eight nine ten eleven twelve".split())


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word in _NUMBER_WORDS


def _covered(q: Question, i: int, blocked: Sequence[Span]) -> bool:
    token = q.tokens[i]
    return any(not (token.end <= b.start or token.start >= b.end) for b in blocked)


def _first_column(index: TableIndex, column_words: Sequence[str]) -> str | None:
    """:func:`_one_column` of the first of ``column_words`` that finds one."""
    for word in column_words:
        found = _one_column(index, [word])
        if found is not None:
            return found
    return None


def _one_column(index: TableIndex, column_words: Sequence[str]) -> str | None:
    """The table's one number column whose name holds one of ``column_words`` ("Total enrollment" wins over
    "Undergraduate enrollment" when both are there)."""
    found = [c for c in index.order if index.columns[c].kind == "number"
             and any(w in c.lower() for w in column_words)]
    if len(found) > 1:
        found = [c for c in found if "total" in c.lower()]
    return found[0] if len(found) == 1 else None


def _free_word(q: Question, words: Sequence[str], blocked: Sequence[Span]) -> Span | None:
    """The first of ``words`` in the question outside the spans other links already took."""
    for i, word in enumerate(q.words):
        if word not in words:
            continue
        token = q.tokens[i]
        if all(token.end <= b.start or token.start >= b.end for b in blocked):
            return Span(i, i + 1, token.start, token.end)
    return None
