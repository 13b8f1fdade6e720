"""The parts every analysis rule of the built-in planner assembles: the aggregate a question names, the measures
and dimensions it mentions, the top-k and highest/lowest it asks for, and the Plan a rule returns (summary rows
such as "Total" left out of rankings and totals)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from shuxi.ask import lexicon as lx
from shuxi.ask.context import Agg, Context
from shuxi.ask.filters import _is_rate
from shuxi.ask.linking import ColumnMention
from shuxi.errors import PlanError
from shuxi.plan.ir import Dimension, Filter, Measure, Plan


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
    from shuxi.ask.parts import is_summary

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


def _dedupe(measures: list[Measure]) -> list[Measure]:
    out: list[Measure] = []
    for m in measures:
        if m.name not in [x.name for x in out]:
            out.append(m)
    return out
