"""The built-in planner: a question in Chinese or English → a :class:`~shuxi.plan.ir.Plan`, by explainable rules.

The steps, in order: link columns and cell values (:mod:`shuxi.ask.linking`), find numbers and periods
(:mod:`shuxi.ask.numbers`), turn comparisons, values and periods into filters, then decide the analysis kind
from the words left (correlation, drivers, distribution, tiers, comparison, share, trend, ranking, grouping,
count, aggregate, lookup) and fill in its measures and dimensions. When two columns fit equally the planner
asks back (:class:`AmbiguousQuestionError`) instead of guessing; when it understands nothing it says so with
example questions for this table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

from shuxi.ask import lexicon as lx
from shuxi.ask.context import Agg, AmbiguousQuestionError, Context  # noqa: F401 - AmbiguousQuestionError: re-exported
from shuxi.ask.filters import (
    counts_rows,
    _bool_filters,
    _is_rate,
    _number_filters,
    _resolve_ambiguity,
    _unique,
    _value,
    _value_filters,
    _zero_filters,
)
from shuxi.ask.linking import (
    MAX_VALUES,
    SMALL_TABLE,
    ColumnMention,
    TableIndex,
    fuzzy_columns,
    link,
    partial_values,
)
from shuxi.ask.nouns import implied_columns
from shuxi.ask.text import Question, Span
from shuxi.ask.years import is_year_column, period_filters
from shuxi.errors import PlanError
from shuxi.plan.ir import Bucket, Dimension, Filter, Measure, Order, Plan


def plan_question(question: str, index: TableIndex) -> Plan:
    """The Plan for ``question`` over the table ``index`` describes (see the module docstring)."""
    from shuxi.ask.numbers import find_numbers, find_periods

    if not question or not question.strip():
        raise PlanError("The question is empty.", hint="Ask about the table, for example: " + examples(index)[0])
    q = Question(question)
    columns, values = link(q, index)
    taken = [m.span for m in columns] + [v.span for v in values]
    periods = [p for p in find_periods(q.text, latest=index.latest) if not _overlaps((p.span_start, p.span_end), taken)]
    taken_chars = [(s.start, s.end) for s in taken] + [(p.span_start, p.span_end) for p in periods]
    numbers = [n for n in find_numbers(q.text, exclude=taken_chars)]
    stop = _all_keywords()
    fuzzy = fuzzy_columns(q, index, taken, stop)
    number_spans = [Span(*q.char_to_token(n.start, n.end), n.start, n.end) for n in numbers]
    partial = partial_values(q, index, taken + [m.span for m in fuzzy] + number_spans, stop)
    columns = columns + fuzzy
    columns = sorted(columns + implied_columns(q, index, columns, taken + number_spans), key=lambda m: m.span.start)
    ctx = Context(q, index, columns, values, numbers, periods, partials=partial)
    _resolve_ambiguity(ctx)
    _value_filters(ctx)
    _bool_filters(ctx)
    period_filters(ctx)
    _number_filters(ctx)
    _zero_filters(ctx)
    from shuxi.ask.amounts import amount_rule
    from shuxi.ask.cells import cell_rule
    from shuxi.ask.rows import row_rule
    from shuxi.ask.frequent import frequent_rule
    from shuxi.ask.items import one_item
    from shuxi.ask.same import same_rule
    from shuxi.ask.sizes import size_rule
    from shuxi.ask.words import word_rule

    for rule in (_correlate, _drivers, _distribution, _tiers, word_rule, same_rule, frequent_rule, cell_rule, row_rule, amount_rule,
                 _missing_measure, _compare,
                 _share, _trend, size_rule, _rank, _group, _count, _aggregate, _lookup):
        plan = rule(ctx)
        if plan is not None:
            return one_item(ctx, plan)
    raise not_understood(ctx)


def _overlaps(span: tuple[int, int], taken: Sequence[Span]) -> bool:
    return any(not (span[1] <= s.start or span[0] >= s.end) for s in taken)


@lru_cache(maxsize=1)
def _all_keywords() -> frozenset[str]:
    words: list[str] = []
    for group in (lx.HIGH_WORDS, lx.LOW_WORDS, lx.GROUP_WORDS, lx.SHARE_WORDS, lx.TREND_WORDS, lx.CORRELATE_WORDS,
                  lx.DRIVER_WORDS, lx.DISTRIBUTION_WORDS, lx.COMPARE_WORDS, lx.TIER_WORDS, lx.RANK_WORDS, lx.LIST_WORDS,
                  lx.GREATER_WORDS, lx.LESS_WORDS, lx.NEGATION_WORDS, lx.WHICH_WORDS, lx.HOW_MUCH_WORDS):
        words += group
    for group in lx.AGGREGATE_WORDS.values():
        words += group
    for group in lx.GRAIN_WORDS.values():
        words += group
    return frozenset(words + ["的", "是", "有", "和", "与", "在", "中", "里", "了", "吗", "呢", "请", "什么",
                              "the", "of", "and", "for", "what", "with", "that", "this", "from", "have", "has"])


# -- measures and dimensions ---------------------------------------------------------------------


def _agg_for(ctx: Context, mention: ColumnMention, default: Agg | None = None, *, ranking: bool = False) -> Agg | None:
    """The aggregate named just before a measure ("平均销量", "total revenue") or just after ("销量的平均值").

    When ranking groups ("the region with the highest revenue"), highest/lowest choose the group, not MAX/MIN.
    """
    skip = ("count", "count_distinct", "max", "min") if ranking else ("count", "count_distinct")
    words = {w: agg for agg, ws in lx.AGGREGATE_WORDS.items() if agg not in skip for w in ws}
    before = ctx.word_before(mention.span.start, list(words), ctx.near)
    if before:
        return words[before]  # type: ignore[return-value]
    after = ctx.word_after(mention.span.end, list(words), 3)
    if after and ctx.zh:
        return words[after]  # type: ignore[return-value]
    found = {words[w] for w, _ in ctx.word_spans(list(words))}
    if len(found) == 1:
        return found.pop()  # type: ignore[return-value]
    return default


def _natural_agg(ctx: Context, column: str) -> Agg:
    """Sum what adds up (revenue, quantity); average what does not (price, rating, percentages)."""
    name = column.lower()
    info = ctx.index.columns[column]
    if any(h in name for h in lx.NON_ADDITIVE_HINTS) or any(
            any(h in " ".join(p) for h in lx.NON_ADDITIVE_HINTS) for p, w in info.phrases.items() if w >= 2):
        return "mean"
    return "sum"


def _measures(ctx: Context, *, default: Agg | None = None, exclude: Sequence[str] = (),
              ranking: bool = False) -> list[Measure]:
    out: list[Measure] = []
    for _, column, m in ctx.mentioned("number", "bool"):
        if column in exclude:
            continue
        if ctx.kind_of(column) == "bool":
            if _is_rate(ctx, m):  # the share of true: the mean of a 0/1 column
                out.append(Measure(agg="mean", column=column))
            continue
        agg = _agg_for(ctx, m, ranking=ranking) or default or _natural_agg(ctx, column)
        measure = Measure(agg=agg, column=column)
        if measure.name not in [x.name for x in out]:
            out.append(measure)
    return out


def _dimensions(ctx: Context, *, require_group_word: bool = True) -> list[Dimension]:
    """Text/date columns the question groups by: "各地区", "by region", "每个产品和渠道"."""
    filtered = {f.column for f in ctx.filters}
    dims: list[Dimension] = []
    for _, column, m in ctx.mentioned("text", "bool", "date"):
        if column in filtered and ctx.kind_of(column) != "date":
            continue
        grouped = ctx.word_before(m.span.start, lx.GROUP_WORDS, ctx.near + 4) or \
            ctx.word_after(m.span.end, ["分别", "分组", "来看", "划分"], 3) or \
            (ctx.word_before(m.span.start, ["list", "show", "rank", "sort", "列出", "列举"], 6)
             and ctx.word_after(m.span.end, ["by", "按"], 2))
        if not grouped and dims:
            grouped = ctx.word_before(m.span.start, ["和", "与", "及", "and", ","], 2)
        if m.strength == 0 and not grouped:
            continue  # a partial match ("订单" in "订单号") is too weak to group by on its own
        if require_group_word and not grouped:
            continue
        if ctx.kind_of(column) == "date":
            dims.append(Dimension(column=column, grain=_grain(ctx) or "month"))
        elif column not in [d.column for d in dims]:
            dims.append(Dimension(column=column))
    return dims[:2]


def _grain(ctx: Context) -> Literal["year", "quarter", "month", "week", "day"] | None:
    for grain, words in lx.GRAIN_WORDS.items():
        if ctx.has(words):
            return grain  # type: ignore[return-value]
    for grain, words in (("year", ["年", "year"]), ("quarter", ["季度", "quarter"]), ("month", ["月", "month"]),
                         ("week", ["周", "week"]), ("day", ["日", "天", "day"])):
        if ctx.has(words):
            return grain  # type: ignore[return-value]
    return None


def _summary_filters(ctx: Context) -> list[Filter]:
    """Leave out a summary row ("Total" at the bottom of a medal table) from rankings, counts and totals."""
    from shuxi.ask.rows import is_summary

    out = []
    for key, owners in ctx.index.values.items():
        if is_summary(key):
            for column, value in owners:
                if ctx.kind_of(column) == "text" and not any(f.column == column for f in ctx.filters):
                    out.append(Filter(column=column, op="!=", value=value))
    return [f for i, f in enumerate(out) if f not in out[:i]]  # one value can sit under several keys


def _plan(ctx: Context, kind: str, *, summary: bool = False, **fields: Any) -> Plan:
    """A Plan of ``kind`` with the question's filters; rankings and totals (and ``summary``) leave summary rows out."""
    filters = ctx.filters
    if summary or kind in ("rank", "aggregate", "group", "share", "compare", "tiers", "distribution"):
        filters = [*filters, *_summary_filters(ctx)]
    try:
        return Plan(kind=kind, table=ctx.index.table, language=ctx.q.language, filters=filters, **fields)
    except ValueError as error:  # pydantic: a rule produced something inconsistent for this question
        raise PlanError(f"Could not build an analysis for this question: {error}") from None


def _top_k(ctx: Context) -> tuple[int, bool] | None:
    """(k, descending) from "前5", "top five", "最高的3个", "bottom 3", "倒数2", "5 highest"."""
    for i, n in enumerate(ctx.numbers):
        if i in ctx.used_numbers or n.kind == "percent":
            continue
        before = ctx.word_before(n.start, ["前", "top", "排名前", "最高的", "最多的", "最大的", "highest", "largest", "biggest",
                                         "倒数", "后", "bottom", "最低的", "最少的", "最小的", "lowest", "smallest", "first",
                                         "last"], 2)
        after = ctx.word_after(n.end, ["名", "个", "位", "大", "强", "highest", "largest", "biggest", "most", "lowest",
                                     "smallest", "least", "fewest"], 2)
        entity_next = any(m.span.start >= n.end and m.span.start - n.end <= 3 and len(m.columns) == 1
                          and ctx.kind_of(m.columns[0]) == "text" for m in ctx.columns)
        if entity_next and ctx.has(lx.HIGH_WORDS + lx.LOW_WORDS) and not after:
            after = "entity"
        if before or (after and ctx.has(lx.HIGH_WORDS + lx.LOW_WORDS + ["前"])):
            word = before or after or ""
            low = word in ("倒数", "后", "bottom", "最低的", "最少的", "最小的", "lowest", "smallest", "least", "fewest") or (
                ctx.has(lx.LOW_WORDS) and not ctx.has(["top", "前", *lx.HIGH_WORDS]))
            if n.value >= 1 and float(n.value).is_integer():
                ctx.used_numbers.add(i)
                return int(n.value), not low
    return None


def _direction(ctx: Context) -> bool | None:
    """True for highest, False for lowest, None when the question asks neither."""
    high = ctx.word_spans(lx.HIGH_WORDS)
    low = ctx.word_spans(lx.LOW_WORDS)
    if high and not low:
        return True
    if low and not high:
        return False
    if high and low:
        return high[0][1].start < low[0][1].start
    return None


# -- the rules, most specific first --------------------------------------------------------------


def _correlate(ctx: Context) -> Plan | None:
    if not ctx.has(lx.CORRELATE_WORDS + lx.SPEARMAN_WORDS):
        return None
    nums = _unique([c for _, c, _ in ctx.mentioned("number")])
    if len(nums) < 2:
        return None
    x, y = nums[0], nums[1]
    # n counts the pairs the coefficient is computed from: rows where both values are present.
    ctx.filters += [Filter(column=x, op="not_null"), Filter(column=y, op="not_null")]
    return _plan(ctx, "correlate", measures=[Measure(agg="corr", column=x, other=y, alias="r"),
                                             Measure(agg="count", alias="n")])


def _drivers(ctx: Context) -> Plan | None:
    if not ctx.has(lx.DRIVER_WORDS) and not (ctx.has(lx.CORRELATE_WORDS) and ctx.has(["什么", "哪些", "what", "which"])):
        return None
    nums = [c for _, c, _ in ctx.mentioned("number")]
    if len(nums) != 1:
        return None
    # The plan states the target; the drivers themselves are ranked by shuxi.insight.drivers.
    return _plan(ctx, "drivers", measures=[Measure(agg="count", alias="n"), Measure(agg="mean", column=nums[0])])


def _distribution(ctx: Context) -> Plan | None:
    if not ctx.has(lx.DISTRIBUTION_WORDS):
        return None
    nums = [c for _, c, _ in ctx.mentioned("number")]
    if not nums:
        return None
    column = nums[0]
    measures = [Measure(agg="count", column=column, alias="n"), Measure(agg="min", column=column),
                Measure(agg="quantile", column=column, q=0.25), Measure(agg="median", column=column),
                Measure(agg="quantile", column=column, q=0.75), Measure(agg="max", column=column),
                Measure(agg="mean", column=column), Measure(agg="std", column=column)]
    dims = _dimensions(ctx)
    return _plan(ctx, "distribution", measures=measures, dimensions=dims)


def _tiers(ctx: Context) -> Plan | None:
    if not ctx.has(lx.TIER_WORDS):
        return None
    nums = ctx.mentioned("number")
    if not nums:
        return None
    # The tiered column follows 按/by or precedes 分成/into; otherwise the first number column named.
    bucket_col = None
    for _, column, m in nums:
        if ctx.word_before(m.span.start, ["按", "按照", "根据", "by", "based on", "on"], 3):
            bucket_col = column
            break
    bucket_col = bucket_col or nums[0][1]
    labelled = ctx.has(["为低档", "为中档", "为高档", "为低", "为中", "为高", "as low", "as medium", "as middle", "as high",
                        "is low", "is high", "低档", "高档"])
    cuts = [(_value(n), n) for i, n in enumerate(ctx.numbers) if i not in ctx.used_numbers and n.kind == "number"
            and (labelled or ctx.word_before(n.start, ["低于", "小于", "高于", "大于", "超过", "以上", "到", "至", "below",
                                                    "under", "above", "over", "between", "to", "and", "-", "–"], 3))]
    cuts_values = sorted({float(v) for v, _ in cuts})
    n_tiers = None
    for i, n in enumerate(ctx.numbers):
        if i in ctx.used_numbers:
            continue
        if n.value <= 10 and ctx.word_after(n.end, ["档", "个档", "级", "个等级", "层", "组", "类", "tier", "tiers", "bucket",
                                                  "buckets", "band", "bands", "group", "groups", "level", "levels"], 2):
            n_tiers = int(n.value)
            ctx.used_numbers.add(i)
            cuts = [(v, m) for v, m in cuts if m is not n]
    if cuts_values and len(cuts_values) >= 1 and not n_tiers:
        bucket = Bucket(method="cuts", cuts=cuts_values, labels=_cut_labels(ctx, len(cuts_values) + 1))
    else:
        # Without a count ("分成高中低", "into tiers") three tiers, as people mean by high/middle/low.
        bucket = Bucket(method="quantiles", n=max(2, min(n_tiers or 3, 10)), distinct=_per_entity(ctx, bucket_col))
    measures = [Measure(agg="count")]
    for _, column, m in nums:
        if column == bucket_col:
            continue
        aggs = _tier_aggs(ctx, m)
        for agg in aggs:
            measure = Measure(agg=agg, column=column)
            if measure.name not in [x.name for x in measures]:
                measures.append(measure)
    return _plan(ctx, "tiers", dimensions=[Dimension(column=bucket_col, bucket=bucket, alias=f"{bucket_col}_tier")],
                 measures=measures)


def _tier_aggs(ctx: Context, m: ColumnMention) -> list[Agg]:
    named: list[Agg] = []
    for agg in ("mean", "var", "std", "sum", "median", "min", "max"):
        if ctx.has(lx.AGGREGATE_WORDS[agg]) and agg not in named:
            named.append(agg)  # type: ignore[arg-type]
    return named or ["mean"]


def _per_entity(ctx: Context, column: str) -> bool:
    """Tiers of product prices count each price once when rows repeat products (orders of a catalogue)."""
    return ctx.index.rows > 0 and ctx.index.columns[column].kind == "number" and any(
        info.kind == "text" and info.distinct is not None and 1 < info.distinct < ctx.index.rows
        for info in ctx.index.columns.values())


def _cut_labels(ctx: Context, n: int) -> list[str] | None:
    if n == 3:
        return ["低", "中", "高"] if ctx.zh else ["low", "middle", "high"]
    if n == 2:
        return ["低", "高"] if ctx.zh else ["low", "high"]
    return None


def _compare(ctx: Context) -> Plan | None:
    if not ctx.has(lx.COMPARE_WORDS) and not ctx.has(["和", "与", "and", "or"]):
        return None
    by_column: dict[str, list[Any]] = {}
    for v in ctx.values:
        by_column.setdefault(v.column, []).append(v.value)
    pairs = {c: _unique(vs) for c, vs in by_column.items() if len(_unique(vs)) >= 2}
    if not pairs or not ctx.has(lx.COMPARE_WORDS + ["更高", "更多", "更大", "更低", "更少", "higher", "more", "greater",
                                                     "lower", "less", "larger", "better", "vs", "versus"]):
        return None
    column, vals = next(iter(pairs.items()))
    measures = _measures(ctx, default=None)
    if not measures:
        measures = [Measure(agg="count")]
    else:
        column_m = measures[0].column
        agg = measures[0].agg
        measures = [Measure(agg="count", alias="n"), Measure(agg=agg, column=column_m)]
        if agg == "sum":
            measures += [Measure(agg="mean", column=column_m)]
        measures += [Measure(agg="var", column=column_m)]
    filters = [*ctx.filters, Filter(column=column, op="in", values=vals)]
    return Plan(kind="compare", table=ctx.index.table, language=ctx.q.language, filters=filters,
                dimensions=[Dimension(column=column)], measures=_dedupe(measures))


def _dedupe(measures: list[Measure]) -> list[Measure]:
    out: list[Measure] = []
    for m in measures:
        if m.name not in [x.name for x in out]:
            out.append(m)
    return out


def _share(ctx: Context) -> Plan | None:
    if not ctx.has(lx.SHARE_WORDS):
        return None
    dims = _dimensions(ctx, require_group_word=False)
    measures = _measures(ctx, default="sum")
    if not measures:
        measures = [Measure(agg="count")]
    measure = measures[0]
    if dims:
        share = measure.model_copy(update={"of_total": True, "alias": None})
        return _plan(ctx, "share", dimensions=dims[:1], measures=[measure, share],
                     order=[Order(by=share.name, desc=True)])
    # "华东的销售额占比", "上海的订单占全部订单的比例": the filtered part over the whole table, in one query.
    if ctx.filters:
        from shuxi.plan.ir import Arithmetic, Calculation, ColumnRef

        part = measure.model_copy(update={"where": list(ctx.filters), "alias": "part"})
        whole = measure.model_copy(update={"alias": "total"})
        share = Calculation(name="share", expr=Arithmetic(op="/", left=ColumnRef(name="part"), right=ColumnRef(name="total")))
        return Plan(kind="calculate", table=ctx.index.table, language=ctx.q.language, filters=_summary_filters(ctx),
                    measures=[part, whole], calculations=[share])
    return None


def _trend(ctx: Context) -> Plan | None:
    grain = None
    for g, words in lx.GRAIN_WORDS.items():
        if ctx.has(words):
            grain = g
            break
    if grain is None and not ctx.has(lx.TREND_WORDS):
        return None
    dates = [c for _, c, _ in ctx.mentioned("date", free=False)] or ctx.index.of_kind("date")
    if not dates:
        return None
    grain = grain or _grain(ctx) or "month"
    measures = _measures(ctx) or [Measure(agg="count")]
    return _plan(ctx, "trend", dimensions=[Dimension(column=dates[0], grain=grain)], measures=measures[:3])


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
        from shuxi.ask.rows import PERSON_HINTS

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
    from shuxi.ask.rows import RANK_HINTS

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


def _group(ctx: Context) -> Plan | None:
    dims = _dimensions(ctx)
    if not dims:
        return None
    measures = _measures(ctx)
    if ctx.has(lx.AGGREGATE_WORDS["count"]) or not measures:
        distinct = _count_distinct_target(ctx, exclude=[d.column for d in dims])
        measures = [Measure(agg="count_distinct", column=distinct) if distinct else Measure(agg="count"), *measures]
    order = []
    ascending = ctx.has(["升序", "ascending", "从低到高", "从小到大", "smallest first", "lowest first", "fewest first"])
    descending = ctx.has(["降序", "descending", "从高到低", "从大到小", "largest first", "highest first", "most first",
                          "biggest first"])
    if ctx.has(lx.RANK_WORDS) or ascending or descending:
        order = [Order(by=measures[-1].name, desc=not ascending)]
    return _plan(ctx, "group", dimensions=dims, measures=_dedupe(measures), order=order)


def _count_distinct_target(ctx: Context, exclude: Sequence[str] = ()) -> str | None:
    """"多少个产品" / "how many products": count distinct when the named column repeats across rows."""
    filtered = {f.column for f in ctx.filters}
    for _, column, m in ctx.mentioned("text"):
        if column in exclude or column in filtered:
            continue
        info = ctx.index.columns[column]
        if info.unique:
            continue
        if ctx.has(lx.AGGREGATE_WORDS["count_distinct"]):
            return column
        # "how many products" over orders that repeat each product many times asks for products, and "how many
        # countries/opponents" for the things themselves; "how many awards did he win" over a list of awards where
        # a few repeat (won twice) asks for the rows.
        repeats = info.distinct is not None and 2 * info.distinct <= ctx.index.rows
        repeats = repeats or bool(set(re.findall(r"[a-z]+", column.lower())) & _ENTITY_NOUNS)
        if repeats and (ctx.word_before(m.span.start, lx.AGGREGATE_WORDS["count"] + ["多少", "几"], 6) or
                        ctx.word_after(m.span.end, ["数", "数量", "个数"], 1)):
            return column
    return None


#: Columns of things a table mentions again and again (each counted once): "how many countries are listed".
_ENTITY_NOUNS = frozenset({"country", "countries", "nation", "nations", "nationality", "team", "teams", "opponent",
                           "opponents", "club", "clubs", "city", "cities", "state", "states", "venue", "venues",
                           "location", "locations", "school", "college", "county", "province", "region", "party",
                           "language", "genre", "label", "manufacturer", "constructor", "make", "brand", "network"})


def _count(ctx: Context) -> Plan | None:
    # "what is the total of matches on the chart": a total of things no number column holds is their count.
    total_of = not ctx.zh and re.search(r"\bthe total (?:amount )?of\b", ctx.q.text) and not ctx.mentioned("number")
    if not total_of and not ctx.has(lx.AGGREGATE_WORDS["count"] + lx.AGGREGATE_WORDS["count_distinct"] + ["多少", "几"]):
        return None
    nums = [c for _, c, _ in ctx.mentioned("number")]
    if nums and not ctx.has(lx.AGGREGATE_WORDS["count"] + lx.AGGREGATE_WORDS["count_distinct"]):
        return None  # "销售额是多少" asks for an amount
    distinct = None if counts_rows(ctx) else _count_distinct_target(ctx)
    measure = Measure(agg="count_distinct", column=distinct) if distinct else Measure(agg="count")
    return _plan(ctx, "aggregate", measures=[measure])


def _aggregate(ctx: Context) -> Plan | None:
    measures = _measures(ctx)
    if not measures:
        return None
    lookup = _lookup(ctx, quiet=True)
    explicit = any(_agg_for(ctx, m) for _, _, m in ctx.mentioned("number"))
    by_label = any(f.op == "=" and ctx.kind_of(f.column) == "text" for f in ctx.filters)
    if lookup is not None and not explicit and by_label and ctx.index.rows <= 5000:
        return lookup
    return _plan(ctx, "aggregate", measures=measures)


def _lookup(ctx: Context, quiet: bool = False) -> Plan | None:
    """"产品A的价格是多少", "what was the score when …": the cells of the asked column in the matching rows."""
    filtered = {f.column for f in ctx.filters}
    if not filtered:
        return None
    asked = [c for _, c, _ in ctx.mentioned("number", "text", "date", "bool") if c not in filtered]
    if not asked:
        entity = _entity_column(ctx, exclude=list(filtered))
        asked = [entity] if entity else []
    if not asked:
        return None
    return _plan(ctx, "lookup", select=_unique(asked)[:3])


def _missing_measure(ctx: Context) -> Plan | None:
    """"average profit by region" on a table without profit: say so, with the columns that could be meant."""
    words = [w for agg in ("mean", "sum", "median", "std", "var") for w in lx.AGGREGATE_WORDS[agg]]
    found = ctx.word_spans(words)
    if not found or ctx.mentioned("number", free=False) or ctx.has(lx.AGGREGATE_WORDS["count"]) or _measures(ctx):
        return None
    word, span = found[0]
    rest = ctx.q.text[span.end:].lstrip(" 的of")
    match = re.match(r"[a-z_]+|[\u4e00-\u9fff]{1,4}?(?=是|为|的|有|多少|$|[?？。,，])", rest)
    unknown = match.group(0) if match else rest[:8]
    numbers = ctx.index.of_kind("number")
    from shuxi.errors import close_matches

    near = close_matches(unknown, ctx.index.order) if unknown else []
    if word == "total" and near and all(ctx.kind_of(c) != "number" for c in near):
        return None  # "the total of matches" where Match is a column of labels: a count, for the count rule
    shown = near or numbers[:8]
    if ctx.zh:
        return _raise(PlanError(f"表中没有“{unknown}”这一数值列，无法计算{word}。",
                                hint="可用的列：" + "、".join(shown) + "。" if shown else None))
    return _raise(PlanError(f"There is no number column {unknown!r} to take the {word} of.",
                            hint=("Columns you could mean: " + ", ".join(shown) + ".") if shown else None))


def _raise(error: PlanError) -> Plan:
    raise error


# -- when nothing fits -------------------------------------------------------------------------------


def not_understood(ctx: Context) -> PlanError:
    found = [m.columns[0] for m in ctx.columns if len(m.columns) == 1]
    if ctx.zh:
        message = "没有理解这个问题" + (f"（识别到的列：{'、'.join(found)}）" if found else "") + "。"
        hint = "可以这样问：" + "；".join(examples(ctx.index, "zh"))
    else:
        message = "shuxi did not understand this question" + (f" (it recognised: {', '.join(found)})" if found else "") + "."
        hint = "Try questions like: " + "; ".join(examples(ctx.index, "en"))
    unknown = _unknown_column_word(ctx)
    if unknown:
        from shuxi.errors import close_matches

        near = close_matches(unknown, ctx.index.order)
        if near:
            message += (f" 表中没有“{unknown}”列，最接近的是：{'、'.join(near)}。" if ctx.zh else
                        f" There is no column {unknown!r}; the closest are: {', '.join(near)}.")
    return PlanError(message, hint=hint)


def _unknown_column_word(ctx: Context) -> str | None:
    match = re.search(r"(?:of|average|total|sum of|mean of|highest|lowest|by)\s+([a-z_]{4,})", ctx.q.text)
    if match and match.group(1) not in _all_keywords():
        return match.group(1)
    return None


def examples(index: TableIndex, language: str = "en") -> list[str]:
    """Three questions this table can answer, built from its own columns (ids and row numbers are not measures)."""
    ident = re.compile(r"(^|[\s_])(id|no|#|number|rank|code)$|编号|序号|号$|^id", re.I)
    nums = [c for c in index.of_kind("number") if not ident.search(c)] or index.of_kind("number")
    texts = [c for c in index.of_kind("text") if (index.columns[c].distinct or 0) <= 50] or index.of_kind("text")
    dates = index.of_kind("date")
    out = []
    if language == "zh":
        if nums and texts:
            out.append(f"各{texts[0]}的{nums[0]}总和")
            out.append(f"哪个{texts[0]}的平均{nums[0]}最高")
        if dates and nums:
            out.append(f"每月{nums[0]}的趋势")
        elif len(nums) >= 2:
            out.append(f"{nums[0]}和{nums[1]}的相关性")
        out.append("一共有多少行")
    else:
        if nums and texts:
            out.append(f"total {nums[0]} by {texts[0]}")
            out.append(f"which {texts[0]} has the highest average {nums[0]}")
        if dates and nums:
            out.append(f"monthly trend of {nums[0]}")
        elif len(nums) >= 2:
            out.append(f"correlation between {nums[0]} and {nums[1]}")
        out.append("how many rows are there")
    return out[:3]
