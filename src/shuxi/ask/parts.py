"""What the row, cell and answer rules share: the words that signal them, and how they read a table's rows.

The words ("how many more", "listed first", the person and rank hints) and the pieces many rules build with:
summary rows to leave out (:func:`not_summary`), the columns that name a row (:func:`label_columns`) or that a
which/who question asks for (:func:`wh_column`), two named cells of one column (:func:`value_pair`), time columns
and columns that do not add up. Used by :mod:`shuxi.ask.rows`, :mod:`shuxi.ask.cells` and the answer rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from shuxi.ask import lexicon as lx
from shuxi.plan.ir import Filter

if TYPE_CHECKING:
    from shuxi.ask.context import Context
    from shuxi.ask.linking import ValueMention

MORE_WORDS = ["how many more", "how much more", "how much higher", "how much larger", "how much bigger",
              "how much longer", "how many points more", "多几", "多多少", "高多少", "大多少", "长多少", "多了多少", "多出多少"]
FEWER_WORDS = ["how many fewer", "how many less", "how much less", "how much lower", "how much smaller",
               "how much shorter", "少几", "少多少", "低多少", "小多少", "短多少", "少了多少"]
DIFFERENCE_WORDS = ["difference", "differ by", "margin", "gap", "相差", "差多少", "差几", "差距", "差值", "差额", "之差", "相差多少"]
#: Columns where a smaller number is the better one ("who had the higher rank" → rank 1).
RANK_HINTS = ("rank", "place", "position", "pos", "名次", "排名")
COUNT_WORDS = ["how many", "number of", "count", "多少个", "几个", "多少次", "几次", "多少人", "几人"]
YES_NO_START = ("is ", "was ", "were ", "are ", "did ", "does ", "do ", "has ", "have ", "had ", "can ", "could ")
PERSON_HINTS = ("name", "player", "athlete", "driver", "rider", "artist", "winner", "candidate", "member", "person",
                "nominee", "coach", "manager", "champion", "team", "opponent", "club", "nation", "country", "姓名", "名字",
                "选手", "运动员", "球队", "国家")
#: Words right before the noun that names the column asked for ("which team …", "what year …", "哪个国家").
ASK_WORDS = ["which", "what", "whose", "name the", "list the", "哪个", "哪一个", "哪位", "哪支", "哪", "什么"]
#: Labels of summary rows ("Total" at the bottom of a medal table): not rows of the table's own kind.
SUMMARY_LABELS = ("total", "totals", "grand total", "total:", "totals:", "合计", "总计", "共计", "总和")
#: Number columns that number things rather than measure them.
ENTITY_HINTS = {"game", "games", "match", "day", "days", "date", "week", "round", "episode", "no", "number", "#", "id",
                "pick", "race", "event", "season", "place", "position", "order", "heat", "lane", "seed", "overall",
                "series", "film", "track", "stage", "leg"}
#: Words that make "first"/"last" a place in the table's own order, not in time ("listed first").
LISTED_WORDS = ["listed", "list", "row", "chart", "table", "entry", "on top", "top", "bottom", "column", "第一行",
                "最后一行", "表格", "列表"]


def is_time_column(ctx: Context, column: str) -> bool:
    """A date column, or years (numbers 1000–2100, or text cells that start with a year: "2001*")."""
    from shuxi.ask.years import holds_years

    info = ctx.index.columns[column]
    if info.kind == "date" or holds_years(ctx, column):
        return True
    import re

    return info.kind == "text" and info.numeric_share >= 0.9 and bool(re.search(r"\byears?\b", column.lower()))


def asks_count(ctx: Context) -> bool:
    """A "how many …" question, unless it names the number column it asks for ("how many people attended")."""
    return ctx.has(COUNT_WORDS) and not ctx.mentioned("number")


def wh_column(ctx: Context) -> list[str]:
    """The column named right after "which"/"what"/"哪个" ("which team", "what year", "哪个国家"), if any."""
    for _, span in ctx.word_spans(ASK_WORDS):
        for _, column, m in ctx.mentioned("text", "number", "date", "bool", free=False):
            if 0 <= m.span.first - span.last <= 1:
                return [column]
    return []


def not_summary(ctx: Context) -> list[Filter]:
    """Conditions leaving out summary rows ("Total", "合计"), unless the question names one."""
    named = {str(v.value).strip().lower() for v in ctx.values}
    out = []
    for key, owners in ctx.index.values.items():
        if not is_summary(key):
            continue
        for column, value in owners:
            if ctx.kind_of(column) == "text" and str(value).strip().lower() not in named:
                out.append(Filter(column=column, op="!=", value=value))
    return [f for i, f in enumerate(out) if f not in out[:i]]  # one value can sit under several keys


def is_summary(key: Sequence[str]) -> bool:
    """Whether a cell's normalised tokens label a summary row: "Total", "合计", "Total (75 NPCs)", "Total for
    Danish part:" — a total word first, then nothing but a count or a qualifier."""
    if " ".join(key) in SUMMARY_LABELS or "".join(key) in SUMMARY_LABELS:
        return True
    return len(key) > 1 and key[0] in ("total", "totals") and (
        any(ch.isdigit() for ch in "".join(key[1:])) or key[1] in ("for", "of", "in"))


def label_columns(ctx: Context) -> list[str]:
    """The columns that name a row: a person-like column for "who", else unique text columns, else any text."""
    texts = ctx.index.of_kind("text")
    if ctx.has(["who", "whom", "谁"]):
        people = [c for c in texts if any(h in c.lower() for h in PERSON_HINTS)]
        if people:
            return people
    unique = [c for c in texts if ctx.index.columns[c].unique]
    return unique + [c for c in texts if c not in unique]


def value_pair(ctx: Context, *, joined: bool = False) -> tuple[str, Any, Any] | None:
    """(column, first value, second value) for two different values of one column, in question order."""
    by_column: dict[str, list[ValueMention]] = {}
    for v in ctx.values:
        if ctx.kind_of(v.column) != "text":
            continue
        seen = by_column.setdefault(v.column, [])
        if all(s.value != v.value for s in seen):
            seen.append(v)
    for column, mentions in by_column.items():
        if len(mentions) == 2:
            a, b = mentions
            if joined:
                between = ctx.q.text[a.span.end:b.span.start].strip(" ,，、")
                if between not in ("or", "and", "还是", "和", "与", "跟", "同", "or with", "或", "或者"):
                    continue
            return column, a.value, b.value
    return None


def non_additive(column: str) -> bool:
    name = column.lower()
    return any(h in name for h in lx.NON_ADDITIVE_HINTS)
