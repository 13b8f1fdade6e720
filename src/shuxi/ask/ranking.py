"""Rankings: top/bottom k and arg-max/arg-min ("销售额最高的地区", "which region has the highest revenue",
"top 5 products"), and the column a "which …"/"who …" question wants back when it names none."""

from __future__ import annotations

import re
from collections.abc import Sequence

from shuxi.ask import lexicon as lx
from shuxi.ask.context import Context
from shuxi.ask.linking import MAX_VALUES, SMALL_TABLE
from shuxi.ask.measures import _dimensions, _direction, _measures, _natural_agg, _plan, _top_k
from shuxi.ask.years import is_year_column
from shuxi.plan.ir import Dimension, Measure, Order, Plan


def _entity_column(ctx: Context, *, exclude: Sequence[str] = ()) -> str | None:
    """The column a "which …"/"who …" question wants back."""
    texts = [c for _, c, _ in ctx.mentioned("text", "bool") if c not in exclude]
    filtered = {f.column for f in ctx.filters}
    free = [c for c in texts if c not in filtered]
    if free:
        return free[0]
    if ctx.has(["when", "何时", "什么时候", "哪一年", "哪年", "which year", "what year"]):
        years = [c for c in ctx.index.order if is_year_column(ctx, c)] + ctx.index.of_kind("date")
        if years:
            return years[0]
    labels = [c for c in ctx.index.of_kind("text") if c not in filtered and c not in exclude]
    # A rank or place kept as text ("T4", "1st", "Total" below) numbers the rows; it does not name them.
    named = [c for c in labels if not _is_rank_column(c)]
    if named and ctx.has(["who", "whom"]):
        from shuxi.ask.parts import PERSON_HINTS

        people = [c for c in named if any(h in c.lower() for h in PERSON_HINTS)]
        named = people or named
    labels = named or labels
    return labels[0] if labels else None


def _rank(ctx: Context) -> Plan | None:
    """Top/bottom k and arg-max/arg-min: "销售额最高的地区", "which region has the highest revenue", "top 5 products"."""
    top = _top_k(ctx)
    direction = _direction(ctx)
    if top is None and direction is None:
        return None
    which = ctx.has(lx.WHICH_WORDS) or _asks_for_a_thing(ctx)
    year_columns = [c for c in ctx.index.order if is_year_column(ctx, c)]
    # A year column is what the answer is, never the measure ("which year had the most singles").
    measures = [m for m in _measures(ctx, ranking=True) if m.column not in year_columns[:1]]
    count_words = ctx.has(["次数", "最多次", "most often", "most times", "most frequent", "最常", "最频繁"])
    if not measures and not count_words and not ctx.has(["最多", "most"]):
        return None
    dims = _dimensions(ctx, require_group_word=False)
    years = year_columns + ctx.index.of_kind("date")
    if years and ctx.has(["which year", "what year", "哪一年", "哪年", "in which year", "in what year"]):
        dims = [Dimension(column=years[0])]  # "in what year did they score the fewest goals": the year is the answer
        which = True
    named_entity = bool(dims)
    if not named_entity and not which:
        return None  # "最大的一笔订单销售额", "the largest quantity": an aggregate, not a ranking
    if not dims:
        entity = _entity_column(ctx)
        if entity is None:
            return None
        dims = [Dimension(column=entity)]
    if not measures:
        measures = [Measure(agg="count")]
    elif top is None and not which and not named_entity:
        return None
    k, desc = top if top is not None else (1, bool(direction))
    if top is not None and direction is not None and not _top_word_given(ctx):
        desc = direction
    lead = measures[0]
    if lead.column is not None and not _agg_named(ctx):
        if _is_rank_column(lead.column):
            desc = not desc  # "the top placed country", "the best position": rank 1 is the smallest number
        if _natural_agg(ctx, lead.column) == "mean" or _is_row_measure(lead.column):
            # "the city with the least time": a group's best row decides, not its total or mean.
            lead = Measure(agg="max" if desc else "min", column=lead.column)
            measures = [lead, *measures[1:]]
    entity = ctx.index.columns[dims[0].column]
    mostly_unique = entity.kind == "text" and ctx.index.rows <= SMALL_TABLE and (entity.distinct or 0) >= 0.9 * ctx.index.rows
    if entity.kind == "text" and ((entity.distinct or 0) > MAX_VALUES or entity.unique or mostly_unique) \
            and lead.column is not None:
        # One row per entity (free text, ids): rank the rows themselves ("困惑度最高的10条评论").
        return _plan(ctx, "lookup", select=[dims[0].column, lead.column], order=[Order(by=lead.column, desc=desc)],
                     limit=k, summary=True)
    return _plan(ctx, "rank", dimensions=dims[:1], measures=measures[:3],
                 order=[Order(by=lead.name, desc=desc)], limit=k)


#: Number columns measured per row, never added up over a group ("Time", "Height", "Position").
ROW_MEASURE_HINTS = ("time", "position", "place", "height", "length", "speed", "weight", "elevation", "altitude",
                     "rank", "pos", "finish", "peak", "chart")


def _is_row_measure(column: str) -> bool:
    name = column.lower()
    return any(re.search(rf"\b{h}", name) for h in ROW_MEASURE_HINTS)


def _is_rank_column(column: str) -> bool:
    """Rank, place, position: the best is the smallest number."""
    from shuxi.ask.parts import RANK_HINTS

    words = re.findall(r"[a-z]+|[\u4e00-\u9fff]+", column.lower())
    return any(w in RANK_HINTS or w in ("finish", "peak", "seed") for w in words) or any(
        h in column for h in ("名次", "排名"))


def _agg_named(ctx: Context) -> bool:
    """The question names an aggregate (total, average, median …), not only highest/lowest."""
    return ctx.has([w for agg in ("sum", "mean", "median", "std", "var") for w in lx.AGGREGATE_WORDS[agg]])


_NOT_THINGS = frozenset({"is", "was", "were", "are", "the", "a", "an", "number", "amount", "total", "year", "date",
                         "time", "percentage", "value", "most", "least", "highest", "lowest", "largest", "smallest",
                         "biggest", "greatest", "best", "worst", "top", "difference", "average", "sum", "did", "does",
                         "do", "had", "has", "of", "in", "kind", "type", "score", "place", "position", "rank"})


def _asks_for_a_thing(ctx: Context) -> bool:
    """"what lift has the least capacity", "what is the largest city in terms of area": the question asks for
    a row (a lift, a city) that no column is named after, not for the extreme value itself."""
    if ctx.zh:
        return False
    match = re.match(r"(?:what|which)(?: is| was| are| were)?(?: the)? (?:(?:most|least|largest|smallest|biggest|"
                     r"highest|lowest|longest|shortest|greatest|best|worst|top|first|last) )?([a-z]+)", ctx.q.text)
    if not match or match.group(1) in _NOT_THINGS:
        return False
    start, end = match.start(1), match.end(1)
    if any(0 <= m.span.start - end <= 1 for _, _, m in ctx.mentioned("number", free=False)):
        return False  # "the smallest order revenue": the word only qualifies the measure
    covered = [(m.span.start, m.span.end) for m in ctx.columns if len(m.columns) != 1 or ctx.kind_of(m.columns[0]) != "text"]
    covered += [(v.span.start, v.span.end) for v in ctx.values]
    return not any(a <= start < b for a, b in covered)  # no column, or a text column: a row's label is asked


def _top_word_given(ctx: Context) -> bool:
    return ctx.has(["top", "前", "bottom", "倒数"])
