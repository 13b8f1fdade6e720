"""What the built-in planner knows about one question while its rules run, and the error it asks back with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from shuxi.ask.linking import ColumnMention, TableIndex, ValueMention
from shuxi.ask.text import Question, Span
from shuxi.errors import PlanError
from shuxi.plan.ir import Filter, Plan

Agg = Literal["count", "count_distinct", "sum", "mean", "median", "min", "max", "std", "var"]


class AmbiguousQuestionError(PlanError):
    """A word in the question fits several columns equally; ``candidates`` lists them."""

    def __init__(self, word: str, candidates: Sequence[str], *, language: str, value: bool = False) -> None:
        self.word = word
        self.candidates = list(candidates)
        names = "、".join(candidates) if language == "zh" else ", ".join(repr(c) for c in candidates)
        if language == "zh":
            message = f"“{word}”可以指几个列：{names}。"
            hint = (f"请在问题里写出列名，例如“{candidates[0]}{word}”。" if value else
                    f"请在问题里写出列名，例如把“{word}”换成“{candidates[0]}”。")
        else:
            message = f"{word!r} could mean several columns: {names}."
            hint = (f"Name the column in the question, for example say '{word} {candidates[0]}'." if value else
                    f"Name the column in the question, for example say {candidates[0]!r} instead of {word!r}.")
        super().__init__(message, hint=hint)


@dataclass
class Context:
    """What the planner has learned about one question so far."""

    q: Question
    index: TableIndex
    columns: list[ColumnMention]
    values: list[ValueMention]
    numbers: list[Any]
    periods: list[Any]
    filters: list[Filter] = field(default_factory=list)
    #: Column mentions consumed by a filter ("价格大于100": 价格 is a condition, not a measure).
    used: set[int] = field(default_factory=set)
    used_numbers: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    #: Parts of longer cells the question names ("canada" in "Toronto, Canada"): contains-filters.
    partials: list[ValueMention] = field(default_factory=list)

    @property
    def zh(self) -> bool:
        return self.q.language == "zh"

    def kind_of(self, column: str) -> str:
        return self.index.columns[column].kind

    def mentioned(self, *kinds: str, free: bool = True) -> list[tuple[int, str, ColumnMention]]:
        """(position, column, mention) of single-column mentions of these kinds, in question order."""
        out = []
        for i, m in enumerate(self.columns):
            if free and i in self.used:
                continue
            if len(m.columns) == 1 and self.kind_of(m.columns[0]) in kinds:
                out.append((i, m.columns[0], m))
        return out

    def word_spans(self, words: Sequence[str]) -> list[tuple[str, Span]]:
        """Keywords found in the question, except inside a period or a cell value ("2024年第一季度", "Total")."""
        blocked = [(p.span_start, p.span_end) for p in self.periods] + [(v.span.start, v.span.end) for v in self.values]
        blocked += [(v.span.start, v.span.end) for v in self.partials]
        return [(w, s) for w, s in self.q.find_any(words)
                if all(s.end <= a or s.start >= b for a, b in blocked)]

    def has(self, words: Sequence[str]) -> bool:
        return bool(self.word_spans(words))

    def add_filter(self, condition: Filter) -> None:
        """Keep ``condition``, and spend the question's mentions of its column on it ("more than 40,000 people in
        attendance" names no measure)."""
        self.filters.append(condition)
        for i, m in enumerate(self.columns):
            if m.columns == (condition.column,):
                self.used.add(i)

    def try_plan(self, kind: str, **fields: Any) -> Plan | None:
        """The Plan a rule proposes for this question, or None when it is inconsistent (the Plan's checks refuse
        it), so the other rules try."""
        try:
            return Plan(kind=kind, table=self.index.table, language=self.q.language, **fields)
        except ValueError:
            return None

    @property
    def near(self) -> int:
        """How many characters count as "right before" a word: a few Chinese characters, a couple of English words."""
        return 4 if self.zh else 14

    def word_before(self, start: int, words: Sequence[str], window: int) -> str | None:
        """The keyword that ends within ``window`` characters before position ``start``, if any (the nearest)."""
        best = None
        for word, span in self.word_spans(words):
            if span.end <= start and start - span.end <= window:
                if best is None or span.end > best[1]:
                    best = (word, span.end)
        return best[0] if best else None

    def word_after(self, end: int, words: Sequence[str], window: int) -> str | None:
        """The first keyword that starts within ``window`` characters after position ``end``, if any."""
        for word, span in self.word_spans(words):
            if span.start >= end and span.start - end <= window:
                return word
        return None
