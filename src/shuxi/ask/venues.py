"""Home and away games read from how a schedule writes its opponents: "at Chicago", "@ Denver" for a game away,
the bare name for a game at home (American sports schedules do this instead of a Home/Away column).

"how many home games did they play?", "what was their total number of wins at home?" keep the rows whose
opponent is not written "at …"; "how many games were won on the road?", "how many away games did they lose?"
the rows that are. English only, and only when the table has one such column and no column that says home or
away itself.
"""

from __future__ import annotations

import re

from shuxi.ask.context import Context
from shuxi.plan.ir import Filter

_AWAY_CELL = re.compile(r"\s*(?:at|@)\s+\S", re.I)
_HOME = re.compile(r"\bhome\b(?!\s+teams?\b)")  # "the home team" is a side of every game
_AWAY = re.compile(r"\b(?:away|on the road|road)\b")
#: Cells of a column that itself says where a game was played.
_PLACE_CELLS = {"home", "away", "h", "a", "neutral", "n"}


def venue_filter(ctx: Context) -> None:
    """Add the home or away condition the question asks for, read from the "at …" opponents (see module)."""
    if ctx.zh:
        return
    text = _free_text(ctx)
    home, away = bool(_HOME.search(text)), bool(_AWAY.search(text))
    if home == away:
        return  # neither, or "home or away": no one side
    column = _away_column(ctx)
    if column is None or any(f.column == column for f in ctx.filters):
        return
    cells = sorted((v for v in ctx.index.columns[column].counts if _AWAY_CELL.match(str(v))), key=str)
    ctx.filters.append(Filter(column=column, op="in" if away else "not_in", values=cells))


def _free_text(ctx: Context) -> str:
    """The question with the words that name a column or a cell blanked out ("Home team", "Home Depot Center")."""
    text = list(ctx.q.text)
    for span in [m.span for m in ctx.columns] + [v.span for v in (*ctx.values, *ctx.partials)]:
        text[span.start:span.end] = " " * (span.end - span.start)
    return "".join(text)


def _away_column(ctx: Context) -> str | None:
    """The one text column where some opponents, not all, are written "at …"; None when another column already
    says home or away."""
    found = []
    for column in ctx.index.of_kind("text"):
        cells = [str(v) for v in ctx.index.columns[column].counts]
        if cells and sum(c.strip().lower() in _PLACE_CELLS for c in cells) >= 0.5 * len(cells):
            return None
        away = sum(bool(_AWAY_CELL.match(c)) for c in cells)
        if 2 <= away < len(cells):
            found.append(column)
    return found[0] if len(found) == 1 else None
