"""The two options of an "A or B" question when they are parts of cells rather than whole cells.

"who performed better, toshida or young-sun?" names two people by one of their names ("Lee Young-Sun"),
"which has a higher enrollment? brown or columbia?" two universities by a word of theirs ("Columbia
University"). The words right before and right after "or" are looked up in the cells of each text column; the
options are the two cells of one column that hold them, each the only such cell there.

Only for tables small enough that every text value is indexed (:data:`shuxi.ask.linking.SMALL_TABLE`), so the
look-up stays in memory and bounded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Words an option may start with that are not part of it ("the Oval", "a league").
_ARTICLES = ("the", "a", "an")
#: Words joining two options.
_OR_WORDS = ("or", "vs", "versus")
#: The longest option looked for, in words.
_LONGEST = 5


def options_in_cells(ctx: Context) -> tuple[str, Any, Any] | None:
    """(column, A, B): the two cells of one text column that hold the words either side of "or", or None."""
    from shuxi.ask.linking import SMALL_TABLE

    if ctx.index.rows > SMALL_TABLE:
        return None
    words = ctx.q.words
    for i, word in enumerate(words):
        if word in _OR_WORDS and 0 < i < len(words) - 1:
            found = _pair_around(ctx, words[:i], words[i + 1:])
            if found is not None:
                return found
    return None


def _pair_around(ctx: Context, before: list[str], after: list[str]) -> tuple[str, Any, Any] | None:
    """The longest words ending ``before`` and starting ``after`` that each pick one cell of the same column."""
    if after and after[0] in _ARTICLES:
        after = after[1:]
    lefts = [tuple(before[-n:]) for n in range(min(_LONGEST, len(before)), 0, -1)]
    rights = [tuple(after[:n]) for n in range(min(_LONGEST, len(after)), 0, -1)]
    lefts = [s for s in lefts if _is_option(s)]
    rights = [s for s in rights if _is_option(s)]
    for left in lefts:
        a_cells = cells_holding(ctx, left)
        if not a_cells:
            continue
        for right in rights:
            b_cells = cells_holding(ctx, right)
            for column in (c for c in a_cells if c in b_cells):
                a, b = a_cells[column], b_cells[column]
                if len(a) == 1 and len(b) == 1 and a != b:
                    return column, a[0], b[0]
        return None  # the longest left option that names cells decides; shorter ones are parts of it
    return None


def _is_option(words: tuple[str, ...]) -> bool:
    """A run of words that can name a thing: not starting with an article or ending in a comma word, with a
    word of three letters or more that is not a common one."""
    from shuxi.ask.linking import _COMMON

    if words[0] in _ARTICLES or not any(ch.isalnum() for ch in words[-1]):
        return False
    return any(sum(ch.isalpha() for ch in w) >= 3 and w not in _COMMON for w in words)


def cells_holding(ctx: Context, words: tuple[str, ...]) -> dict[str, list[Any]]:
    """column → the distinct text cells whose words contain ``words`` in order, columns and cells in index order
    (never set order, so the answer does not change with Python's hash seed)."""
    from shuxi.ask.linking import _contains

    out: dict[str, list[Any]] = {}
    for key, owners in ctx.index.values.items():
        if len(key) < len(words) or words[0] not in key or not _contains(key, words):
            continue
        for column, value in owners:
            if ctx.kind_of(column) == "text" and value not in out.get(column, []):
                out.setdefault(column, []).append(value)
    return out
