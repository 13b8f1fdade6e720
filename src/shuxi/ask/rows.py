"""Questions about rows in table order (first/last, next/previous, differences between two rows, which is greater).

Called by the built-in planner before the grouping rules; returns None when the question is not of this kind.
Row order is the table's own order (file order), through the plan's ``_row`` position (:data:`shuxi.plan.ir.ROW`).

* first / last row: "Which nation is listed first?", "表格最后一行是哪个国家" → a lookup ordered by ``_row``, limit 1;
* the row next to a named one: "Which nation comes right after Japan?", "法国的上一名是哪个国家" → a lookup
  with a :class:`~shuxi.plan.ir.RowAnchor`;
* how many more / the difference between two rows: "How many more gold medals did China win than Japan?",
  "德国和意大利的奖牌总数相差多少" → a ``calculate`` plan: two filtered aggregates and their difference, the
  difference first;
* which of two rows is greater: "Who won more silver medals, Italy or France?", "意大利和法国谁的银牌多" → a
  lookup of the two rows ordered by the column, limit 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from shuxi.ask import lexicon as lx
from shuxi.ask.parts import (
    ASK_WORDS,
    DIFFERENCE_WORDS,
    ENTITY_HINTS,
    FEWER_WORDS,
    LISTED_WORDS,
    MORE_WORDS,
    RANK_HINTS,
    YES_NO_START,
    asks_count,
    is_time_column,
    label_columns,
    non_additive,
    not_summary,
    value_pair,
    wh_column,
)
from shuxi.ask.row_counts import count_difference, counts_rows_apart
from shuxi.plan.ir import (
    ROW,
    Arithmetic,
    Calculation,
    ColumnRef,
    Filter,
    Measure,
    Order,
    Plan,
    RowAnchor,
    Verdict,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.ask.context import Context
    from shuxi.ask.linking import ValueMention
    from shuxi.ask.text import Span

# -- words ------------------------------------------------------------------------------------------------

FIRST_WORDS = ["listed first", "is first", "comes first", "came first", "first on the list", "first on the chart",
               "first in the list", "first one", "first row", "first entry", "first listed", "top of the list",
               "top of the chart", "first", "第一行", "首行", "第一个", "第一位", "排在第一", "排第一", "最前面", "最上面", "最前",
               "开头"]
LAST_WORDS = ["listed last", "is last", "comes last", "came last", "last on the list", "last on the chart",
              "last in the list", "last one", "last row", "last entry", "last listed", "bottom of the list",
              "bottom of the chart", "last", "final", "最后一行", "末行", "最后一个", "最后一位", "最后一名", "排在最后", "排最后",
              "最后面", "最下面", "最后", "末尾"]
#: Words after which the next value names the anchor row, and the offset they mean ("after Japan" → +1).
AFTER_WORDS = {"right after": 1, "just after": 1, "directly after": 1, "immediately after": 1, "next after": 1,
               "after": 1, "following": 1, "below": 1, "right before": -1, "just before": -1, "directly before": -1,
               "immediately before": -1, "before": -1, "previous to": -1, "prior to": -1, "preceding": -1,
               "above": -1, "ahead of": -1}
#: Chinese words written after the anchor value ("日本的下一名", "法国之前").
ZH_AFTER_WORDS = {"的下一名": 1, "的下一个": 1, "的下一位": 1, "的下一行": 1, "下一名": 1, "下一个": 1, "下一位": 1, "下一行": 1,
                  "之后": 1, "后面": 1, "后一名": 1, "后一位": 1, "后一个": 1, "的后一名": 1, "的上一名": -1, "的上一个": -1,
                  "的上一位": -1, "的上一行": -1, "上一名": -1, "上一个": -1, "上一位": -1, "上一行": -1, "之前": -1, "前面": -1,
                  "前一名": -1, "前一位": -1, "前一个": -1, "的前一名": -1}
GREATER_WORDS = ["more", "higher", "greater", "larger", "bigger", "longer", "taller", "heavier", "most", "highest",
                 "多", "高", "大", "长", "更多", "更高", "更大"]
LESS_WORDS = ["less", "fewer", "lower", "smaller", "shorter", "lighter", "least", "fewest", "lowest", "少", "低", "小",
              "短", "更少", "更低", "更小"]
TOTAL_WORDS = ["total number of", "the total of", "total", "sum of", "in total", "altogether", "combined", "in all",
               "how many", "how much", "总数", "一共", "总共", "合计", "总计", "加起来"]


def row_rule(ctx: Context) -> Plan | None:
    """The Plan for a row-order question, or None."""
    for rule in (_years_between, _difference, _which_greater, _next_period, _neighbour, _first_last, _column_total):
        plan = rule(ctx)
        if plan is not None:
            return plan
    return None


# -- the rules ---------------------------------------------------------------------------------------------


def _first_last(ctx: Context) -> Plan | None:
    """"Which nation is listed first?", "what is the last year …", "表格最后一行是哪个国家"."""
    found = _free_words(ctx, FIRST_WORDS + LAST_WORDS)
    if not found:
        return None
    word, span = found[0]
    last = word in LAST_WORDS
    if asks_count(ctx) or ctx.q.text.startswith(YES_NO_START):
        return None
    if ctx.zh and word in ("最后", "最前") and ctx.mentioned("number"):
        return None  # "最后的销售额" reads as the latest value over time; leave it to the other rules
    asked = wh_column(ctx) or _asked_columns(ctx) or label_columns(ctx)
    if ctx.q.text.startswith("who ") and asked and ctx.kind_of(asked[0]) == "number" and not wh_column(ctx):
        asked = label_columns(ctx) or asked  # "who is ranked first?": the name, not the rank
    elif ctx.q.text.startswith("when ") and not wh_column(ctx):
        asked = _when_columns(ctx) or asked  # "when did the last episode air?": its date
    if not asked:
        return None
    limit = _count_after(ctx, span) or 1
    filters = [*ctx.filters, *not_summary(ctx)]
    if limit > 1 and not last:
        summed = _first_rows_aggregate(ctx, limit)
        if summed is not None:
            return summed
    order = _first_last_order(ctx, asked[0], last)
    thing = _thing_dated(ctx, asked[0])
    return _plan(ctx, "lookup", select=[thing] if thing else asked[:1], filters=filters, order=order, limit=limit)


#: Words that ask for a time itself ("what year was the last school established?").
TIME_ASKED = ["when", "year", "years", "date", "dates", "day", "days", "month", "season", "time", "era", "decade"]


def _thing_dated(ctx: Context, asked: str) -> str | None:
    """"what was the last bridge built?", "what was the last show to air?": the verb links the date column
    ("Built", "Airing date") but the question asks for the thing; the row's name answers, the date orders.
    None when the question asks for the time itself or names the column after its question word."""
    if ctx.zh or not is_time_column(ctx, asked) or ctx.has(TIME_ASKED) or wh_column(ctx):
        return None
    if not ctx.q.text.startswith(("what ", "which ", "who ", "name ")):
        return None
    labels = [c for c in label_columns(ctx) if c != asked and not is_time_column(ctx, c)]
    return labels[0] if labels else None


def _first_last_order(ctx: Context, asked: str, last: bool) -> list[Order]:
    """"what was the first year they qualified?", "when was the last episode aired?": the earliest or latest
    by the year or date column asked for (tables are not always in time order), the table's order breaking
    ties; "which nation is listed first?" keeps the table's order."""
    by_row = Order(by=ROW, desc=last)
    if ctx.has(LISTED_WORDS):
        return [by_row]
    if not is_time_column(ctx, asked):
        # "which venue was the first to have over 30,000 attendees", "who was the last flag bearer?" on a table
        # listed newest first: first in time, by the table's one column of years or dates
        timed = [c for c in ctx.index.order if is_time_column(ctx, c)]
        if len(timed) != 1:
            return [by_row]
        if not ctx.has(["first to", "last to", "first time", "last time"]) and not _sortable_time(ctx, timed[0]):
            return [by_row]
        asked = timed[0]
    as_text = ctx.kind_of(asked) == "text"
    return [Order(by=asked, desc=last, number=as_text), by_row]


def _sortable_time(ctx: Context, column: str) -> bool:
    """A column whose own order is time's: dates, or numbers that are years (not text such as "2001*")."""
    from shuxi.ask.years import holds_years

    return ctx.kind_of(column) == "date" or holds_years(ctx, column)


#: Words that ask for the average or the sum of the rows a question picks ("the average of the first three").
ROWS_AVERAGE_WORDS = ["average", "mean"]
ROWS_SUM_WORDS = ["total", "sum", "combined", "altogether", "in all"]


def _first_rows_aggregate(ctx: Context, n: int) -> Plan | None:
    """"the average silver medal count of the first five nations", "the total points of the first 3 runners":
    the mean or sum of a number column over the table's first ``n`` rows (only when nothing else filters them,
    so that "first" counts rows of the table)."""
    mean, total = ctx.has(ROWS_AVERAGE_WORDS), ctx.has(ROWS_SUM_WORDS)
    if mean == total or ctx.filters:
        return None
    totals = [span for _, span in ctx.word_spans(ROWS_SUM_WORDS)]
    numbers = list(dict.fromkeys(c for _, c, m in ctx.mentioned("number")  # "the total number of bronze": not Total
                                 if not any(t.start <= m.span.start and m.span.end <= t.end for t in totals)))
    if len(numbers) != 1:
        return None
    measure = Measure(agg="mean" if mean else "sum", column=numbers[0])
    return _plan(ctx, "aggregate", filters=[Filter(column=ROW, op="<=", value=n)], measures=[measure])


def _when_columns(ctx: Context) -> list[str]:
    """The date or year columns "when …" asks for: a named one, else the table's only one."""
    import re

    from shuxi.ask.years import holds_years, is_year_column

    def dated(c: str) -> bool:
        return ctx.kind_of(c) == "date" or is_year_column(ctx, c) or holds_years(ctx, c) or bool(
            re.search(r"\b(?:date|year|aired|air date|released)\b", c.lower()))

    named = [c for _, c, _ in ctx.mentioned("date", "number", "text", free=False) if dated(c)]
    if named:
        return named[:1]
    found = [c for c in ctx.index.order if dated(c)]
    return found if len(found) == 1 else []


def _neighbour_asked(ctx: Context, anchor_column: str) -> list[str]:
    """The column asked for next to a named row: the one named right after "which"/"what" — unless that word
    only resembles a column ("what song was previous to Hot Thing?" is not the Songwriters column), when the
    answer is the named row's neighbour in the anchor's own column."""
    words = ctx.q.words
    for _, span in ctx.word_spans(ASK_WORDS + _ASK_THE_WORDS):
        for _, column, m in ctx.mentioned("text", "number", "date", "bool", free=False):
            if m.phrase in ("name", "names", "title") and words[m.span.last:m.span.last + 1] == ["of"]:
                continue  # "what is the name of the river …": the river is asked, not a Name column
            if 0 <= m.span.first - span.last <= 1:
                loose = m.strength == 0 and column != anchor_column and ctx.kind_of(anchor_column) == "text"
                return [anchor_column] if loose else [column]
    return [anchor_column]


#: "what was the score previous to the Benin game?": the column named after these is the one asked for.
_ASK_THE_WORDS = ["what was the", "what is the", "what were the", "what are the", "what was", "what is"]


def _neighbour(ctx: Context) -> Plan | None:
    """"Which nation comes right after Japan?", "who is listed before France", "日本的下一名是哪个国家"."""
    if not (ctx.values or ctx.partials) or asks_count(ctx) or ctx.q.text.startswith(YES_NO_START):
        return None
    anchor: ValueMention | None = None
    offset = 0
    if ctx.zh:
        for word, span in _free_words(ctx, list(ZH_AFTER_WORDS)):
            before = [v for v in ctx.values if v.span.end <= span.start and span.start - v.span.end <= 1]
            if before:
                anchor, offset = before[-1], ZH_AFTER_WORDS[word]
                break
    else:
        # a whole cell, or part of one ("after andy egli" where the cell is "Andy Egli (SUI)")
        candidates = sorted([*ctx.values, *ctx.partials], key=lambda v: v.span.start)
        for word, span in _free_words(ctx, list(AFTER_WORDS)):
            after = [v for v in candidates if v.span.start >= span.end and (
                v.span.start - span.end <= 5 or _describes_anchor(ctx, span.last, v.span.first))]
            if after:
                anchor, offset = after[0], AFTER_WORDS[word]
                break
    if anchor is None:
        return None
    partial = any(anchor is p for p in ctx.partials)
    where = [Filter(column=anchor.column, op="contains" if partial else "=", value=anchor.value)]
    # "what nation is ranked after Russia" asks for the nation; "which album was released before …", where
    # "album" names no column, for the anchor's own column.
    asked = _neighbour_asked(ctx, anchor.column)
    return _plan(ctx, "lookup", filters=not_summary(ctx), select=asked[:1],
                 anchor=RowAnchor(where=where, offset=offset))


#: Words that ask about the row of the year (season) before or after the one the question describes.
NEXT_PERIOD_WORDS = {"the previous year": -1, "the year before": -1, "the prior year": -1, "the previous season": -1,
                     "the season before": -1, "the year prior": -1, "the next year": 1, "the year after": 1,
                     "the following year": 1, "the next season": 1, "the season after": 1, "the following season": 1}


def _next_period(ctx: Context) -> Plan | None:
    """"The team placed 1st in 1992/93. How did they place the previous year?", "War Pass won in 2007. Who won
    the previous year?", "where was it held the year before it was in the Dominican Republic?": the row next to
    the one the question's conditions describe, in the table's order, read in the column of the condition that
    is not the year (the place, the winner, the venue)."""
    found = [(w, span) for w, span in ctx.q.find_any(list(NEXT_PERIOD_WORDS))]
    if ctx.zh or not found or asks_count(ctx) or ctx.q.text.startswith(YES_NO_START):
        return None
    if ctx.has(["what year", "which year", "when", "what season", "which season"]):
        return None  # "in what year did they win after losing the prior year?": a year is asked, not a row's cell
    if not ctx.filters or any(f.op not in ("=", "contains") for f in ctx.filters):
        return None
    from shuxi.ask.years import holds_years

    def is_time(column: str) -> bool:
        return is_time_column(ctx, column) or holds_years(ctx, column) or \
            "season" in column.lower() or "year" in column.lower()

    described = [f for f in ctx.filters if not is_time(f.column) and ctx.kind_of(f.column) == "text"]
    if len({f.column for f in described}) != 1:
        return None
    asked, offset = described[0].column, NEXT_PERIOD_WORDS[found[0][0]]
    years = [f for f in ctx.filters if f.op == "=" and holds_years(ctx, f.column) and isinstance(f.value, int)]
    if len(years) == 1:
        # a number year: the nearest year after (before) it, whatever order the table lists them in
        year = years[0]
        kept = [f for f in ctx.filters if f.column not in (asked, year.column)]
        beyond = Filter(column=year.column, op=">" if offset > 0 else "<", value=year.value)
        return _plan(ctx, "lookup", filters=[*kept, beyond, *not_summary(ctx)], select=[asked],
                     order=[Order(by=year.column, desc=offset < 0), Order(by=ROW)], limit=1)
    return _plan(ctx, "lookup", filters=not_summary(ctx), select=[asked],
                 anchor=RowAnchor(where=list(ctx.filters), offset=offset))


#: Words that may stand between "after"/"before" and the cell naming the anchor row ("after the game in Egypt",
#: "before the match against Germany", "after the championship in The Hague").
_ANCHOR_WORDS = frozenset({"the", "a", "game", "games", "match", "race", "event", "one", "championship",
                           "championships", "tournament", "competition", "in", "on", "at", "against", "vs", "versus",
                           "with", "held", "played", "of"})


def _describes_anchor(ctx: Context, first: int, last: int) -> bool:
    """The words from ``first`` to ``last`` (token positions) only describe the anchor row: at most four of
    them, all from :data:`_ANCHOR_WORDS`."""
    between = ctx.q.words[first:last]
    return 0 < len(between) <= 4 and all(w in _ANCHOR_WORDS for w in between)


def _difference(ctx: Context) -> Plan | None:
    """"How many more gold medals did China win than Japan?", "德国和意大利的奖牌总数相差多少"."""
    more, fewer, diff = ctx.has(MORE_WORDS), ctx.has(FEWER_WORDS), ctx.has(DIFFERENCE_WORDS)
    if not (more or fewer or diff) or ctx.q.text.startswith(YES_NO_START):
        return None
    pair = value_pair(ctx) or year_pair(ctx)
    if pair is None:
        return _range(ctx) if diff else None
    column, a, b = pair
    measured = _measure_column(ctx, exclude=column)
    if measured is None:
        return None
    agg = "mean" if non_additive(measured) else "sum"
    if counts_rows_apart(ctx, measured):
        return count_difference(ctx, column, a, b, more=more, fewer=fewer)
    names = [_unique_name(f"{v}的{measured}" if ctx.zh else f"{measured} ({v})", [measured]) for v in (a, b)]
    if names[0] == names[1]:
        names = [f"{names[0]} 1", f"{names[1]} 2"]
    measures = [Measure(agg=agg, column=measured, where=[Filter(column=column, op="=", value=v)], alias=name)
                for v, name in zip((a, b), names)]
    left, right = ColumnRef(name=names[0]), ColumnRef(name=names[1])
    if fewer and not more:
        left, right = right, left
    absolute = not (more or fewer)
    name = "差值" if ctx.zh else "difference"
    calc = Calculation(name=_unique_name(name, [m.name for m in measures]),
                       expr=Arithmetic(op="-", left=left, right=right), absolute=absolute)
    filters = [f for f in ctx.filters if f.column != column]
    return _plan(ctx, "calculate", filters=filters, measures=measures, calculations=[calc])


_HIGH = ["highest", "largest", "most", "biggest", "greatest", "heaviest", "longest", "tallest", "maximum", "max",
         "oldest", "latest"]
_LOW = ["lowest", "smallest", "least", "fewest", "lightest", "shortest", "minimum", "min", "youngest", "earliest"]


def _range(ctx: Context) -> Plan | None:
    """"the difference in tonnage between the heaviest and the lightest ships": max − min of the one number
    column the question names, over the rows it keeps."""
    if ctx.zh or not (ctx.has(_HIGH) and ctx.has(_LOW)):
        return None
    numbers = list(dict.fromkeys(c for _, c, _ in ctx.mentioned("number", free=False)))
    if len(numbers) != 1:
        return None
    column = numbers[0]
    if any(f.column == column for f in ctx.filters):
        return None
    high, low = Measure(agg="max", column=column), Measure(agg="min", column=column)
    calc = Calculation(name="difference", expr=Arithmetic(op="-", left=ColumnRef(name=high.name),
                                                         right=ColumnRef(name=low.name)))
    return _plan(ctx, "calculate", filters=[*ctx.filters, *not_summary(ctx)], measures=[high, low],
                 calculations=[calc])


def _years_between(ctx: Context) -> Plan | None:
    """"how many years passed between flight TF2 and flight F8?", "how many years after the Turin marathon did
    the Berlin marathon occur?": the difference of the two named rows' years (the table's one year column)."""
    import re

    from shuxi.ask.years import holds_years, is_year_column

    if ctx.zh or not re.search(r"\bhow many years\b.*\b(?:between|after|before|from)\b", ctx.q.text):
        return None
    pair = value_pair(ctx)
    if pair is None:
        return None
    column, a, b = pair
    years = [c for c in ctx.index.order if c != column and ctx.kind_of(c) == "number"
             and (is_year_column(ctx, c) or holds_years(ctx, c))]
    if len(years) != 1:
        return None
    measures = [Measure(agg="min", column=years[0], where=[Filter(column=column, op="=", value=v)],
                        alias=f"{years[0]} ({v})") for v in (a, b)]
    if measures[0].name == measures[1].name:
        return None
    calc = Calculation(name="years", expr=Arithmetic(op="-", left=ColumnRef(name=measures[1].name),
                                                    right=ColumnRef(name=measures[0].name)), absolute=True)
    filters = [f for f in ctx.filters if f.column != column]
    return _plan(ctx, "calculate", filters=filters, measures=measures, calculations=[calc])


def _which_greater(ctx: Context) -> Plan | None:
    """"Who won more silver medals, Italy or France?", "意大利和法国谁的银牌多" → the label of the greater row."""
    if not ctx.has(["or", "还是", "和", "与", "跟", "同"]):
        return None
    pair = value_pair(ctx, joined=True)
    if pair is None:
        return None
    column, a, b = pair
    if ctx.zh:
        if not ctx.has(["谁", "哪个", "哪一个", "哪位", "哪国", "哪"]):
            return None
    elif not ctx.has(["which", "who", "what", "whose", "did", "does", "do", "was", "were", "is", "are", "had", "has"]):
        return None
    greater = ctx.word_spans(GREATER_WORDS)
    less = ctx.word_spans(LESS_WORDS)
    if not greater and not less:
        return None
    measured = _measure_column(ctx, exclude=column)
    if measured is None:
        return None
    desc = bool(greater) and (not less or greater[0][1].start < less[0][1].start)
    if any(h in measured.lower() for h in RANK_HINTS) and ctx.has(["higher", "better", "best", "top", "高", "靠前"]):
        desc = not desc  # a higher rank is a smaller number
    filters = [f for f in ctx.filters if f.column != column] + [Filter(column=column, op="in", values=[a, b])]
    return _plan(ctx, "lookup", filters=filters, select=[column], order=[Order(by=measured, desc=desc)], limit=1)


def _column_total(ctx: Context) -> Plan | None:
    """"What is the total number of bronze medals?", "how many gold medals did China win?", "铜牌一共多少枚".

    The sum of a number column the question counts in, leaving out a summary row ("Total") the table may end with,
    which would count everything twice.
    """
    other_kinds = (lx.GROUP_WORDS + lx.COMPARE_WORDS + lx.SHARE_WORDS + lx.TREND_WORDS + lx.RANK_WORDS + lx.HIGH_WORDS
                   + lx.LOW_WORDS + lx.CORRELATE_WORDS + lx.DISTRIBUTION_WORDS + lx.TIER_WORDS)
    if ctx.has(other_kinds) or ctx.has(["average", "mean", "平均", "per", "每"]) or value_pair(ctx) is not None:
        return None
    nums = ctx.mentioned("number")
    totals = ctx.word_spans(TOTAL_WORDS)
    if len(nums) > 1:  # "the total number of bronze medals" in a table with a "total" column means bronze
        nums = [n for n in nums if not any(s.first <= n[2].span.first and n[2].span.last <= s.last for _, s in totals)]
    if len(nums) != 1:
        return None
    _, column, mention = nums[0]
    if non_additive(column) or _numbers_things(column):
        return None
    near = [w for w, s in totals
            if 0 <= mention.span.first - s.last <= 2 or 0 <= s.first - mention.span.last <= 2]
    if not near:
        return None
    counted = _column_is_counted(ctx, mention.span)
    if ctx.has(["how many", "how much"]) and not ctx.has(["in total", "altogether", "combined", "in all", "total"]) \
            and not counted:
        return None
    summary = not_summary(ctx)
    if not summary and not counted:
        return None  # a plain "total revenue" is the aggregate rule's
    filters = [*ctx.filters, *summary]
    return _plan(ctx, "aggregate", filters=filters, measures=[Measure(agg="sum", column=column)])


def _numbers_things(column: str) -> bool:
    """A column that numbers rows ("Game", "No.", "Round", "Date"): "how many games" counts rows, not its sum."""
    import re

    words = set(re.findall(r"[a-z]+|#", column.lower()))
    return bool(words & ENTITY_HINTS) or any(h in column for h in ("场次", "序号", "编号", "日期", "轮"))


def _column_is_counted(ctx: Context, span: Span) -> bool:
    """"how many gold medals": the number column follows "how many" directly (a quantity, not a row count)."""
    words = ["how many", "how much", "number of", "total number of", "一共多少", "总共多少", "多少"]
    return any(0 <= span.first - s.last <= 1 for _, s in ctx.word_spans(words))


# -- pieces ------------------------------------------------------------------------------------------------


def _plan(ctx: Context, kind: str, **fields: Any) -> Plan | None:
    """:meth:`Context.try_plan` with the question's filters unless the rule gives its own."""
    fields.setdefault("filters", ctx.filters)
    return ctx.try_plan(kind, **fields)


def _taken(ctx: Context) -> list[tuple[int, int]]:
    spans = [(m.span.start, m.span.end) for m in ctx.columns] + [(v.span.start, v.span.end) for v in ctx.values]
    return spans + [(p.span_start, p.span_end) for p in ctx.periods]


def _free_words(ctx: Context, words: Sequence[str]) -> list[tuple[str, Span]]:
    """Occurrences of ``words`` that are not part of a column name, a cell value or a period ("last year")."""
    taken = _taken(ctx)
    return [(w, s) for w, s in ctx.word_spans(words)
            if all(s.end <= a or s.start >= b for a, b in taken)]


def _asked_columns(ctx: Context) -> list[str]:
    """Columns the question names that no filter consumed, in question order."""
    filtered = {f.column for f in ctx.filters}
    out: list[str] = []
    for _, column, _ in ctx.mentioned("text", "number", "date", "bool"):
        if column not in filtered and column not in out:
            out.append(column)
    return out


def _count_after(ctx: Context, span: Span) -> int | None:
    """N in "the first 3 rows" / "最后3行"."""
    for n in ctx.numbers:
        if n.kind == "number" and 0 <= n.start - span.end <= 1 and float(n.value).is_integer() and 1 <= n.value <= 1000:
            return int(n.value)
    return None


def year_pair(ctx: Context) -> tuple[str, Any, Any] | None:
    """(year column, first year, second year) for two years the question names on a table with one year column
    ("how many more seats were there in 1975 than 1963?"): the rows of those years are the two compared."""
    from shuxi.ask.years import holds_years, time_column, year_like

    column = time_column(ctx)
    if column is None or ctx.kind_of(column) != "number" or not holds_years(ctx, column):
        return None
    years = [f.value for f in ctx.filters if f.column == column and f.op == "=" and isinstance(f.value, int)]
    if any(f.column == column and f.op != "=" for f in ctx.filters):
        return None
    years += [int(n.value) for i, n in enumerate(ctx.numbers) if i not in ctx.used_numbers and year_like(n)]
    unique = list(dict.fromkeys(years))
    return (column, unique[0], unique[1]) if len(unique) == 2 else None


def _measure_column(ctx: Context, *, exclude: str) -> str | None:
    """The number column a comparison is about: named in the question, or the table's only number column."""
    named = [c for _, c, _ in ctx.mentioned("number", free=False) if c != exclude]
    if named:
        return named[0]
    numbers = [c for c in ctx.index.of_kind("number") if c != exclude]
    return numbers[0] if len(numbers) == 1 else None


def _unique_name(name: str, taken: Sequence[str]) -> str:
    out, i = name, 2
    while out in taken:
        out, i = f"{name} {i}", i + 1
    return out


# -- text -------------------------------------------------------------------------------------------------


def describe(plan: Plan, table: pa.Table) -> str:
    """The answer's sentence for a ``calculate`` plan: "China won 11 more gold than Japan (38 vs 27)."

    Every number is read from ``table`` (the plan's result) and only formatted here.
    """
    from shuxi.ask.narrate import cell, describe_filters

    zh = plan.language == "zh"
    lang = plan.language
    rows = table.to_pylist()
    if not rows or not plan.calculations:
        return "没有结果。" if zh else "No result."
    row = rows[0]
    calc = plan.calculations[0]
    if isinstance(calc.expr, Verdict):
        from shuxi.ask.words import describe_verdict

        return describe_verdict(plan, row)
    value = row.get(calc.name)
    where = describe_filters(plan.filters, lang)
    end = (f"（{where}）。" if where else "。") if zh else (f" (where {where})." if where else ".")
    measures = {m.name: m for m in plan.measures}
    refs = [measures[r] for r in calc.refs() if r in measures]
    pair = len(refs) == 2 and all(len(m.where) == 1 and m.where[0].op == "=" for m in refs) and \
        isinstance(calc.expr, Arithmetic) and calc.expr.op == "-"
    if not pair or value is None:
        said = "，".join(f"{m.name}为{cell(row.get(m.name), lang)}" for m in refs) if zh else \
            "; ".join(f"{m.name} is {cell(row.get(m.name), lang)}" for m in refs)
        text = f"{said}，{calc.name}为{cell(value, lang)}" if zh else f"{said}; {calc.name} is {cell(value, lang)}"
        return text + end
    a, b = refs
    name_a, name_b = cell(a.where[0].value, lang), cell(b.where[0].value, lang)
    column = a.column or a.name
    both = (f"{cell(row.get(a.name), lang)}对{cell(row.get(b.name), lang)}" if zh else
            f"{cell(row.get(a.name), lang)} vs {cell(row.get(b.name), lang)}")
    if calc.absolute:
        if zh:
            return f"{name_a}和{name_b}的{column}相差{cell(value, lang)}（{both}）" + end
        return f"The difference in {column} between {name_a} and {name_b} is {cell(value, lang)} ({both})" + end
    more = value >= 0
    amount = cell(value if more else -value, lang)
    if zh:
        return f"{name_a}的{column}比{name_b}{'多' if more else '少'}{amount}（{both}）" + end
    return f"{name_a} has {amount} {'more' if more else 'less'} {column} than {name_b} ({both})" + end
