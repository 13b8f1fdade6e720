"""Which of two options stands in more rows: "were there more locations in Mexico or the USA?", "what location
hosted more, Osaka or Tokyo?", "who appears more often, Christiano Citron or Philip Cloostermans?", "did they
play at Lionel Roberts Park or Andre Kamperveen Stadion more?".

The two options are the words either side of "or", each found inside cells of one text column ("Osaka" in
"Osaka, Japan", "Mexico" in "Monterrey, Mexico"). Each option's rows are counted by the query (the cells that
hold it, listed), and a :class:`~shuxi.plan.ir.Verdict` picks the option with more rows (fewer for "fewer",
"less"), answered in the words the question used for it — a whole cell when the option is one.

Only for tables small enough that every text value is indexed, when the question names no number column to
compare on (that is :func:`shuxi.ask.cells._choice`'s), and when the options' row counts differ and one of
them is more than one row (two single rows are compared on something else: "who scored more, Grant or Benyon?").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shuxi.ask.options import _is_option, cells_holding
from shuxi.plan.ir import Calculation, ColumnRef, Filter, Measure, Plan, Verdict

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Words that ask which option has more rows, and which way they point (+1: more).
COUNT_WORDS = {"more": 1, "most": 1, "more often": 1, "most often": 1, "fewer": -1, "fewest": -1, "less": -1,
               "least": -1, "less often": -1, "least often": -1}
#: Words that make the question something else: a threshold, a yes/no against a number, a difference.
_OTHER_SHAPES = ["than", "how many", "how much", "or more", "or less", "or fewer", "more or less", "at least",
                 "at most", "same", "difference"]
#: Words skipped right after "or" before the second option ("or the USA", "or in Quebec", "or at Lambeau").
_LEAD_WORDS = ("the", "a", "an", "in", "at", "from", "for", "on", "to", "by", "with", "of")
#: The longest option looked for, in words.
_LONGEST = 6


@dataclass(frozen=True)
class Option:
    """An option of the question: its words as asked, and the cells of ``column`` that hold them."""

    words: str
    cells: tuple[Any, ...]
    rows: int


def option_count_rule(ctx: Context) -> Plan | None:
    """The Plan answering which of two options stands in more rows, or None."""
    if ctx.zh or ctx.has(_OTHER_SHAPES) or ctx.mentioned("number", free=False):
        return None
    found = ctx.word_spans(list(COUNT_WORDS))
    if not found:
        return None
    sign = COUNT_WORDS[found[0][0]]
    pair = _counted_options(ctx)
    if pair is None:
        return None
    column, a, b = pair
    return _plan(ctx, column, a, b, more=sign > 0)


def _counted_options(ctx: Context) -> tuple[str, Option, Option] | None:
    """(column, A, B) for the words either side of "or" found in cells of one column, when their rows differ."""
    from shuxi.ask.linking import SMALL_TABLE

    if ctx.index.rows > SMALL_TABLE:
        return None
    words = ctx.q.words
    for i, word in enumerate(words):
        if word != "or" or i == 0:
            continue
        after = words[i + 1:]
        while after and after[0] in _LEAD_WORDS:
            after = after[1:]
        found = _options_around(ctx, words[:i], after)
        if found is not None:
            return found
    return None


def _options_around(ctx: Context, before: list[str], after: list[str]) -> tuple[str, Option, Option] | None:
    """The longest runs of words ending ``before`` and starting ``after`` held by cells of one column."""

    lefts = [tuple(before[-n:]) for n in range(min(_LONGEST, len(before)), 0, -1)]
    rights = [tuple(after[:n]) for n in range(min(_LONGEST, len(after)), 0, -1)]
    # the longest option on each side that cells hold decides; shorter ones are parts of it
    left, a_cells = _longest_held(ctx, [s for s in lefts if _is_option(s)])
    right, b_cells = _longest_held(ctx, [s for s in rights if _is_option(s)])
    if left is None or right is None:
        return None
    for column in [c for c in ctx.index.order if c in a_cells and c in b_cells]:
        a, b = _option(ctx, column, left, a_cells[column]), _option(ctx, column, right, b_cells[column])
        if set(a.cells) & set(b.cells):
            continue  # one cell holds both: the options do not split the rows
        if a.rows != b.rows and max(a.rows, b.rows) > 1:
            return column, a, b
    return None


def _longest_held(ctx: Context, runs: list[tuple[str, ...]]) -> tuple[tuple[str, ...] | None, dict[str, list[Any]]]:
    """The first of ``runs`` (longest first) that cells hold, with those cells by column."""
    for run in runs:
        cells = cells_holding(ctx, run)
        if cells:
            return run, cells
    return None, {}



def _option(ctx: Context, column: str, words: tuple[str, ...], cells: list[Any]) -> Option:
    """The option in the question's words ("Osaka" for cells "Osaka, Japan"), or the cell itself when it is one."""
    from shuxi.ask.linking import _cell_part
    from shuxi.ask.text import phrase_tokens

    counts = ctx.index.columns[column].counts
    whole = [c for c in cells if phrase_tokens(str(c)) == words]
    said = str(whole[0]) if whole else _cell_part(str(cells[0]), words)
    return Option(words=said, cells=tuple(cells), rows=sum(counts.get(c, 0) for c in cells))


def _plan(ctx: Context, column: str, a: Option, b: Option, *, more: bool) -> Plan | None:
    """Count each option's rows; the Verdict answers with the option that has more (or fewer)."""
    from shuxi.ask.parts import not_summary

    def holds(option: Option) -> Filter:
        if len(option.cells) == 1:
            return Filter(column=column, op="=", value=option.cells[0])
        return Filter(column=column, op="in", values=list(option.cells))

    counts = [Measure(agg="count", where=[holds(a)], alias=f"rows ({a.words})"),
              Measure(agg="count", where=[holds(b)], alias=f"rows ({b.words})")]
    if counts[0].name == counts[1].name:
        return None
    verdict = Verdict(left=ColumnRef(name=counts[0].name), op=">" if more else "<",
                      right=ColumnRef(name=counts[1].name), then=a.words, otherwise=b.words)
    others = [f for f in ctx.filters if f.column != column and not _names_an_option(f, (a, b))]
    try:
        return Plan(kind="calculate", table=ctx.index.table, language=ctx.q.language,
                    filters=[*others, *not_summary(ctx)], measures=counts,
                    calculations=[Calculation(name="answer", expr=verdict)])
    except ValueError:  # an inconsistent plan for this question: let the other rules try
        return None


def _names_an_option(condition: Filter, options: tuple[Option, ...]) -> bool:
    """A condition the linker made from an option's own words (the option found again in another column)."""
    from shuxi.ask.linking import _contains
    from shuxi.ask.text import phrase_tokens

    said = [phrase_tokens(o.words) for o in options]
    held = [phrase_tokens(str(v)) for v in (condition.values or [condition.value]) if v is not None]
    return any(_contains(h, s) or _contains(s, h) for h in held for s in said if h and s)
