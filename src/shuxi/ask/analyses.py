"""The analyses a question names by its words: correlation, drivers, distribution, tiers, comparison of two groups,
share and trend ("相关性", "what drives revenue", "分成高中低三档", "华东和华北的平均销售额有差异吗", "占比",
"monthly trend of sales"). Each rule returns None when its words are absent."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from shuxi.ask import lexicon as lx
from shuxi.ask.context import Agg, Context
from shuxi.ask.filters import _unique
from shuxi.ask.linking import ColumnMention
from shuxi.ask.measures import _dedupe, _dimensions, _grain, _measures, _plan, _summary_filters
from shuxi.plan.ir import Bucket, Dimension, Filter, Measure, Order, Plan


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
    cuts = [(n.plain, n) for i, n in enumerate(ctx.numbers) if i not in ctx.used_numbers and n.kind == "number"
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


def _share(ctx: Context) -> Plan | None:
    rated = _rated_values(ctx)
    if not ctx.has(lx.SHARE_WORDS) and not rated:
        return None
    # Columns the question groups by ("by region", "各地区"), else periods ("每月差评率", "差评率最高的月份"), else any
    # column it names ("华东的销售额占比" has none).
    dims = _dimensions(ctx) or _period_dimension(ctx) or _dimensions(ctx, require_group_word=False)
    measures = _measures(ctx, default="sum")
    if not measures:
        measures = [Measure(agg="count")]
    measure = measures[0]
    if dims and measure.agg in ("count", "sum"):
        rate = _rate_in_groups(ctx, dims[0], measure, rated)
        if rate is not None:
            return rate
    if dims:
        share = measure.model_copy(update={"of_total": True, "alias": None})
        return _plan(ctx, "share", dimensions=dims[:1], measures=[measure, share],
                     order=[Order(by=share.name, desc=True)])
    # "华东的销售额占比", "上海的订单占全部订单的比例": the filtered part over the whole table, in one query.
    # "华东的差评占比": conditions on two columns — the last named is the part, the others say of what.
    if ctx.filters:
        part, population = list(ctx.filters), []
        last = max(ctx.values, key=lambda v: v.span.start, default=None)
        if (ctx.zh or rated) and last is not None and len({f.column for f in ctx.filters}) >= 2:
            named = _conditions_named(ctx, rated or [last])  # "上海的差评率": the rate's own value is the part
            if named and len(named) < len(ctx.filters):
                part, population = named, [f for f in ctx.filters if f not in named]
        return Plan(kind="calculate", table=ctx.index.table, language=ctx.q.language,
                    filters=[*population, *_summary_filters(ctx)], **_part_over_total(measure, part))
    return None


#: Nouns that name a period to group by ("差评率最高的月份", "which month had the highest negative rate").
_PERIOD_NOUNS: dict[str, tuple[str, ...]] = {
    "month": ("月份", "哪个月", "month", "months"), "year": ("年份", "哪一年", "哪年", "year", "years"),
    "quarter": ("季度", "quarter", "quarters"), "week": ("哪一周", "week", "weeks"),
}


def _period_dimension(ctx: Context) -> list[Dimension]:
    """The table's date column by the period the question groups by ("每月", "monthly", "by month", "月份"), when it
    names no column to group by; the words must not be part of a column's name."""
    taken = [(m.span.start, m.span.end) for m in ctx.columns]

    def said(words: Sequence[str]) -> bool:
        return any(all(span.end <= a or span.start >= b for a, b in taken) for _, span in ctx.word_spans(words))

    grain = next((g for g, words in [*lx.GRAIN_WORDS.items(), *_PERIOD_NOUNS.items()] if said(words)), None)
    dates = [c for _, c, _ in ctx.mentioned("date", free=False)] or ctx.index.of_kind("date")
    if grain is None or not dates:
        return []
    return [Dimension(column=dates[0], grain=grain)]


def _rate_in_groups(ctx: Context, dim: Dimension, measure: Measure, rated: list[Any]) -> Plan | None:
    """"各地区差评占比", "share of negative reviews by region": the part a condition picks out of each group (the bad
    reviews among each region's reviews), not each group's slice of that part. Chinese names that condition after
    the groups ("差评在各地区的占比" names it first: the bad reviews split over the regions, the plain share plan);
    English after the share word. A value said as a rate ("差评率", "negative rate") is that condition wherever it
    stands, and "差评率最高的城市" keeps the group with the highest rate. Other conditions ("华东各城市的差评占比")
    narrow the whole table as usual."""
    if ctx.zh:
        grouped = [m for _, column, m in ctx.mentioned("text", "bool", "date") if column == dim.column]
        after = grouped[0].span.end if grouped else None
    else:  # "share of negative reviews", "negative review share"
        spans = ctx.word_spans(lx.SHARE_WORDS)
        after = spans[0][1].start - 10 if spans else None
    if after is None and not rated:
        return None
    part = _conditions_named(ctx, [v for v in ctx.values if v.column != dim.column
                                   and (v in rated or (after is not None and v.span.end > after))])
    # "各地区label为0的占比", "share of label = 0 by region": a condition on a number, placed by its column's mention
    part += [f for f in ctx.filters if f not in part and f.op == "=" and f.column != dim.column
             and ctx.kind_of(f.column) == "number"
             and any(m.columns == (f.column,) and m.span.start >= after for m in ctx.columns)]
    if not part:
        return None
    population = [f for f in ctx.filters if f not in part]
    high, low = ctx.has(lx.HIGH_WORDS), ctx.has(lx.LOW_WORDS)
    # Highest share first, except periods, which read in time order ("每月差评率") unless the question ranks them.
    order = [] if dim.grain and high == low else [Order(by="share", desc=not low)]
    return ctx.try_plan("calculate", filters=[*population, *_summary_filters(ctx)], dimensions=[dim],
                        having=_share_thresholds(ctx), order=order, limit=1 if high != low else None,
                        **_part_over_total(measure, part))


def _share_thresholds(ctx: Context) -> list[Filter]:
    """"差评率超过30%的城市", "cities where the negative rate is above 30%": percentages with a comparison word
    that no condition took, as conditions on the share of each group."""
    out = []
    for i, n in enumerate(ctx.numbers):
        if i in ctx.used_numbers or n.kind != "percent":
            continue
        word = ctx.word_before(n.start, lx.GREATER_WORDS + lx.LESS_WORDS, 3) or \
            ctx.word_after(n.end, sorted(lx.POSTFIX_COMPARISONS), 2)
        if word is None:
            continue
        greater = word in lx.GREATER_WORDS or word in ("以上", "or more")
        inclusive = word in lx.INCLUSIVE_WORDS
        op = (">=" if inclusive else ">") if greater else ("<=" if inclusive else "<")
        out.append(Filter(column="share", op=op, value=n.value))
        ctx.used_numbers.add(i)
    return out


#: A rate or share word right after a cell value ("差评率", "退货率", "差评的占比", "负面评价占比"); "rate" after an English one
#: ("negative rate", "negative review rate"), or "rate of" before it ("the rate of negative reviews").
_RATE_AFTER = {"zh": re.compile(r"\s*(?:的?(?:评价|评论|反馈))?的?(?P<rate>率|比率|比例|占比|百分比)"),
               "en": re.compile(r"\s+(?:[a-z]+\s+)?(?P<rate>rate)\b")}
_RATE_BEFORE = re.compile(r"\b(?P<rate>rate)\s+of\s+(?:the\s+)?$")


def _rated_values(ctx: Context) -> list[Any]:
    """The cell values the question says as a rate: the share of rows holding them. A rate word that is part of a
    column's name ("strike rate of craig white", "利润率") names that column instead. A column named inside the
    phrase ("评价" in "负面评价占比" may name a review column) belongs to the rate, not to the groups: it is spent."""
    text = ctx.q.text
    after = _RATE_AFTER["zh" if ctx.zh else "en"]

    def free(found: re.Match[str] | None) -> bool:
        return found is not None and not any(m.span.start < found.end("rate") and found.start("rate") < m.span.end
                                             for m in ctx.columns)

    rated = []
    for v in ctx.values:
        found = after.match(text, v.span.end)
        if free(found):
            assert found is not None
            ctx.used.update(i for i, m in enumerate(ctx.columns)
                            if v.span.end <= m.span.start and m.span.end <= found.start("rate"))
            rated.append(v)
        elif not ctx.zh and free(_RATE_BEFORE.search(text, 0, v.span.start)):
            rated.append(v)
    return rated


def _conditions_named(ctx: Context, mentions: list[Any]) -> list[Filter]:
    """The question's equality conditions that these value mentions set."""
    return [f for f in ctx.filters
            if f.op == "=" and any(v.column == f.column and v.value == f.value for v in mentions)]


def _part_over_total(measure: Measure, part: list[Filter]) -> dict[str, Any]:
    """The measures and calculation of a share: ``part`` (the measure over rows meeting ``part``), ``total`` and
    ``share`` = part / total (per group when the plan has dimensions)."""
    from shuxi.plan.ir import Arithmetic, Calculation, ColumnRef

    share = Calculation(name="share", expr=Arithmetic(op="/", left=ColumnRef(name="part"), right=ColumnRef(name="total")))
    return {"measures": [measure.model_copy(update={"where": part, "alias": "part"}),
                         measure.model_copy(update={"alias": "total"})], "calculations": [share]}


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
