"""The built-in planner: a question in Chinese or English → a :class:`~shuxi.plan.ir.Plan`, by explainable rules.

The steps, in order: link columns and cell values (:mod:`shuxi.ask.linking`), find numbers and periods
(:mod:`shuxi.ask.numbers`), turn comparisons, values and periods into filters, then decide the analysis kind
from the words left (correlation, drivers, distribution, tiers, comparison, share, trend, ranking, grouping,
count, aggregate, lookup) and fill in its measures and dimensions. When two columns fit equally the planner
asks back (:class:`AmbiguousQuestionError`) instead of guessing; when it understands nothing it says so with
example questions for this table.

The rules live in their own modules: :mod:`shuxi.ask.analyses` (correlation … trend), :mod:`shuxi.ask.ranking`
(top k, arg-max), :mod:`shuxi.ask.measures` (the measures, dimensions and Plan they share); grouping,
counting, totals and lookups stay here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from shuxi.ask import lexicon as lx
from shuxi.ask.analyses import _compare, _correlate, _distribution, _drivers, _share, _tiers, _trend
from shuxi.ask.context import AmbiguousQuestionError, Context  # noqa: F401 - AmbiguousQuestionError: re-exported
from shuxi.ask.filters import (
    counts_rows,
    _bool_filters,
    _number_filters,
    _resolve_ambiguity,
    _unique,
    _value_filters,
    _zero_filters,
    lone_word_filters,
)
from shuxi.ask.linking import TableIndex, fuzzy_columns, link, partial_values
from shuxi.ask.measures import _agg_for, _dedupe, _dimensions, _measures, _plan
from shuxi.ask.nouns import implied_columns
from shuxi.ask.ranking import _entity_column, _rank
from shuxi.ask.text import Question, Span, column_words
from shuxi.ask.years import period_filters
from shuxi.errors import PlanError
from shuxi.plan.ir import Dimension, Measure, Order, Plan


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
    lone_word_filters(ctx)  # last: a lone word is a condition only when no other condition was found
    from shuxi.ask.amounts import amount_rule
    from shuxi.ask.asked import fit_answer_column
    from shuxi.ask.cells import cell_rule
    from shuxi.ask.durations import duration_rule
    from shuxi.ask.rows import row_rule
    from shuxi.ask.frequent import frequent_rule
    from shuxi.ask.items import one_item
    from shuxi.ask.same import same_rule
    from shuxi.ask.sizes import size_rule
    from shuxi.ask.words import word_rule

    for rule in (_correlate, _drivers, _distribution, _tiers, word_rule, same_rule, frequent_rule, duration_rule, cell_rule, row_rule, amount_rule,
                 _missing_measure, _compare,
                 _share, _trend, size_rule, _rank, _each_named_value, _group, _count, _aggregate, _lookup):
        plan = rule(ctx)
        if plan is not None:
            return one_item(ctx, fit_answer_column(ctx, plan))
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


# -- grouping, counting, totals and lookups ---------------------------------------------------------


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


def _each_named_value(ctx: Context) -> Plan | None:
    """"差评和好评的平均score", "各城市差评和好评的数量": the question names every value of a column, so a condition
    keeping them all would keep every row — it asks for each value: the column is grouped by instead."""
    every = [f for f in ctx.filters if f.op == "in" and len(f.values or []) >= 2 and _names_every_value(ctx, f)]
    if len(every) != 1 or ctx.has(_TOGETHER_WORDS):  # "the total number of standard and broad gauges": all together
        return None
    vacuous = every[0]
    ctx.filters = [f for f in ctx.filters if f is not vacuous]
    dims = [*_dimensions(ctx), Dimension(column=vacuous.column)][:2]
    measures = _measures(ctx)
    if not measures:
        measures = [Measure(agg="count")]
    return _plan(ctx, "group", dimensions=dims, measures=_dedupe(measures))


#: Words that ask for the values together ("won or was nominated", "in total"), not for each.
_TOGETHER_WORDS = ["total", "combined", "altogether", "in all", "overall", "or", "either", "总共", "一共", "合计", "总计",
                   "总数", "总和", "加起来", "或", "或者"]


def _names_every_value(ctx: Context, condition: Any) -> bool:
    cells = set(ctx.index.columns[condition.column].counts)
    return bool(cells) and cells == set(condition.values or [])


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
        repeats = repeats or bool(column_words(column) & _ENTITY_NOUNS)
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
