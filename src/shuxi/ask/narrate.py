"""Answer text from the result and the Plan, with templates in the question's language.

Every number in the text is read from the result table or from statistics computed from it, and written
with :func:`shuxi.insight.formatting.format_number` (a rounding, never a new number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from shuxi.insight.formatting import format_number, format_percent
from shuxi.plan.ir import Filter, Measure, Plan

AGG_EN = {"sum": "total", "mean": "average", "median": "median", "min": "minimum", "max": "maximum",
          "std": "standard deviation of", "var": "variance of", "count": "number of rows",
          "count_distinct": "number of distinct", "quantile": "quantile of", "corr": "correlation of"}
AGG_ZH = {"sum": "总和", "mean": "平均值", "median": "中位数", "min": "最小值", "max": "最大值", "std": "标准差",
          "var": "方差", "count": "行数", "count_distinct": "不同值的个数", "quantile": "分位数", "corr": "相关系数"}
MAX_ITEMS = 10


def cell(value: Any, language: str) -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")
    if isinstance(value, (int, float)) or hasattr(value, "as_tuple"):
        return format_number(value, language)  # type: ignore[arg-type]
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return clock(value)
    if value is None:
        return "无" if language == "zh" else "n/a"
    return str(value)


def clock(value: dt.time) -> str:
    """A time cell as tables write it: "3:40" (a song's length, a lap) when it has no seconds, else "2:10:46";
    never the padded "03:40:00" of a time of day, which a length read as hours and minutes is not."""
    text = f"{value.hour}:{value.minute:02d}"
    if value.second or value.microsecond:
        text += f":{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text


def _span_of_years(plan: Plan, row: dict[str, Any]) -> str:
    """"10 years, from 1921 to 1931 (where Name = Arthur Berry)." — a span of years with the two years it is from."""
    from shuxi.ask.answering import LENGTHS_OF_TIME, _with_unit

    start, end, length = row.get("first year"), row.get("last year"), row.get("length in years")
    if length is None or start is None or end is None:
        return "无法计算年数。" if plan.language == "zh" else "The span of years cannot be computed: a year is missing."
    span = _with_unit(length, LENGTHS_OF_TIME["length in years"])
    where = describe_filters(plan.filters, plan.language)
    if plan.language == "zh":
        return f"{int(start)}年到{int(end)}年，共{length:g}年" + (f"（{where}）" if where else "") + "。"
    return f"{span}, from {int(start)} to {int(end)}" + (f" (where {where})" if where else "") + "."


def period(value: Any, grain: str | None, language: str) -> str:
    """A truncated date as people name the period: 2024, 2024 Q1 / 2024年第1季度, 2024-03 / 2024年3月."""
    if not isinstance(value, dt.date) or grain in (None, "day", "week"):
        return cell(value, language)
    if grain == "year":
        return f"{value.year}年" if language == "zh" else str(value.year)
    if grain == "quarter":
        q = (value.month - 1) // 3 + 1
        return f"{value.year}年第{q}季度" if language == "zh" else f"{value.year} Q{q}"
    return f"{value.year}年{value.month}月" if language == "zh" else f"{value.year}-{value.month:02d}"


def measure_label(m: Measure, language: str) -> str:
    if language == "zh":
        if m.agg == "count":
            return "行数" if m.column is None else f"{m.column}的个数"
        if m.agg == "count_distinct":
            return f"不同{m.column}的个数"
        label = f"{m.column}的{AGG_ZH[m.agg]}"
        return f"{label}占比" if m.of_total else label
    if m.agg == "count":
        return "number of rows" if m.column is None else f"count of {m.column}"
    if m.agg == "count_distinct":
        return f"number of distinct {m.column}"
    label = f"{AGG_EN[m.agg]} {m.column}"
    return f"share of {label}" if m.of_total else label


def describe_filters(filters: list[Filter], language: str) -> str:
    parts = []
    for f in filters:
        if f.op == "not_null":
            continue
        if f.op == "between":
            low, high = (cell(v, language) for v in f.values or [None, None])
            shown = f"{low}到{high}之间" if language == "zh" else f"{low} and {high}"
        elif f.op in ("in", "not_in"):
            shown = ("、" if language == "zh" else ", ").join(cell(v, language) for v in f.values or [])
        else:
            shown = cell(f.value, language)
        if language == "zh":
            words = {"=": "为", "!=": "不是", "<": "小于", "<=": "不超过", ">": "大于", ">=": "不低于",
                     "in": "属于", "not_in": "不属于", "between": "在", "contains": "包含", "not_contains": "不包含",
                     "is_null": "为空"}
            parts.append(f"{f.column}{words[f.op]}{shown if f.op != 'is_null' else ''}")
        else:
            words = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "in": "in", "not_in": "not in",
                     "between": "between", "contains": "contains", "not_contains": "does not contain", "is_null": "is empty"}
            parts.append(f"{f.column} {words[f.op]} {shown if f.op != 'is_null' else ''}".strip())
    return ("，".join(parts)) if language == "zh" else " and ".join(parts)


def _where(plan: Plan) -> str:
    text = describe_filters(plan.filters, plan.language)
    if not text:
        return ""
    return f"（{text}）" if plan.language == "zh" else f" (where {text})"


def narrate(plan: Plan, table: pa.Table, stats: dict[str, Any], notes: list[str]) -> str:
    """The answer's text; ``notes`` (already in the right language) are appended."""
    zh = plan.language == "zh"
    rows = table.to_pylist()
    text = _body(plan, table, rows, stats)
    extra = [n for n in notes if n]
    if extra:
        text += ("" if zh else " ") + (" " if not zh else "").join(extra)
    return text


def _share_of(row: dict[str, Any], lang: str, of: str = "") -> str:
    """"45.2%（47 / 104）" / "45.2% (47 of 104)": a share with the counts it divides (``of`` after the English
    percentage: "45.2% of the number of rows (47 of 104)")."""
    if lang == "zh":
        return f"{format_percent(row['share'], lang)}（{cell(row['part'], lang)} / {cell(row['total'], lang)}）"
    return f"{format_percent(row['share'], lang)}{of} ({cell(row['part'], lang)} of {cell(row['total'], lang)})"


def _share_in_groups(plan: Plan, rows: list[dict[str, Any]], part: str, label: str) -> str:
    """"各地区中label为neg的行数占该组的比例：华东：45.2%（47 / 104）；…" — one share per group, highest first."""
    lang = plan.language
    dim = plan.dimensions[0]
    zh = lang == "zh"
    groups = _group_noun(dim, lang)
    kept = _share_kept(plan)
    if not rows and kept:
        return (f"没有{groups}的{part}的{label}占比{kept}{_where(plan)}。" if zh else
                f"No {groups} has a share of the {label} where {part} {kept}{_where(plan)}.")
    if not rows:
        return f"没有符合条件的行{_where(plan)}。" if zh else f"No rows match{_where(plan)}."
    if plan.limit == 1 and plan.order:  # "差评率最高的城市"
        top, desc = rows[0], plan.order[0].desc
        group = period(top[dim.name], dim.grain, lang)
        if zh:
            return f"{part}的{label}占比{'最高' if desc else '最低'}的{groups}是{group}{_where(plan)}：{_share_of(top, lang)}。"
        return (f"{group} has the {'highest' if desc else 'lowest'} share of the {label} where {part}{_where(plan)}: "
                f"{_share_of(top, lang)}.")
    listing = _listing([f"{period(r[dim.name], dim.grain, lang)}{'：' if zh else ': '}{_share_of(r, lang)}"
                        for r in rows[:MAX_ITEMS]], len(rows), zh)
    if kept:
        kept = f"（占比{kept}的）" if zh else f" ({kept} only)"
    if zh:
        return f"各{groups}中{part}的{label}占该组{label}的比例{kept}{_where(plan)}：{listing}。"
    return f"Share of the {label} where {part}, within each {groups}{kept}{_where(plan)}: {listing}."


def _group_noun(dim: Any, lang: str) -> str:
    """What the groups are called: the column, or the period of a date column ("月份", "month")."""
    if not dim.grain:
        return dim.column
    if lang == "zh":
        return {"year": "年份", "quarter": "季度", "month": "月份", "week": "周", "day": "日"}.get(dim.grain, dim.column)
    return dim.grain


def _share_kept(plan: Plan) -> str:
    """"大于30%" / "above 30%": the conditions on each group's share ("差评率超过30%的城市")."""
    zh = plan.language == "zh"
    words = ({">": "大于", ">=": "不低于", "<": "小于", "<=": "不超过"} if zh else
             {">": "above", ">=": "at least", "<": "below", "<=": "at most"})
    kept = [f"{words[f.op]}{'' if zh else ' '}{format_percent(f.value, plan.language)}"
            for f in plan.having if f.column == "share" and f.op in words]
    return ("、" if zh else " and ").join(kept)


def _listing(items: list[str], total: int, zh: bool) -> str:
    """Items joined, with how many groups were left out of ``total``."""
    more = total - len(items)
    listing = "；".join(items) if zh else "; ".join(items)
    if more > 0:
        listing += f"；另有{more}组" if zh else f"; and {more} more"
    return listing


def _body(plan: Plan, table: pa.Table, rows: list[dict[str, Any]], stats: dict[str, Any]) -> str:
    zh = plan.language == "zh"
    lang = plan.language
    where = _where(plan)
    if plan.kind == "correlate":
        return stats.get("text", "")
    if plan.kind == "drivers":
        return stats.get("text", "")
    if plan.kind == "calculate" and [c.name for c in plan.calculations] == ["share"] and plan.dimensions:
        return _share_in_groups(plan, rows, describe_filters(plan.measures[0].where, lang),
                                measure_label(plan.measures[1], lang))
    if plan.kind == "calculate" and [c.name for c in plan.calculations] == ["share"] and rows:
        row = rows[0]
        part = describe_filters(plan.measures[0].where, lang)
        label = measure_label(plan.measures[1], lang)
        whole = describe_filters(plan.filters, lang)
        share = _share_of(row, lang, of=f" of the {label}")
        if whole:  # "华东的差评占比": the part of the rows the other conditions keep
            return f"{whole}的行中，{part}的{label}占{share}。" if zh else f"Where {whole}, rows where {part} account for {share}."
        return f"{part}的{label}占全部的{share}。" if zh else f"Rows where {part} account for {share}."
    if plan.kind == "calculate" and [c.name for c in plan.calculations] == ["length in years"] and rows:
        return _span_of_years(plan, rows[0])
    if plan.kind == "calculate":
        from shuxi.ask.rows import describe

        return describe(plan, table)
    if plan.kind == "lookup":
        if not rows:
            return f"没有符合条件的行{where}。" if zh else f"No rows match{where}."
        column = plan.select[0]
        if plan.order and plan.order[0].by in plan.select[1:] and plan.limit:
            by, desc = plan.order[0].by, plan.order[0].desc
            items = [f"{cell(r[column], lang)}（{cell(r[by], lang)}）" if zh else f"{cell(r[column], lang)} ({cell(r[by], lang)})"
                     for r in rows[:MAX_ITEMS]]
            if zh:
                return f"{by}{'最高' if desc else '最低'}的{len(rows)}条{column}{where}：" + "；".join(items) + "。"
            return (f"The {len(rows)} {column} with the {'highest' if desc else 'lowest'} {by}{where}: "
                    + "; ".join(items) + ".")
        values = [cell(r[column], lang) for r in rows[:MAX_ITEMS]]
        more = len(rows) - len(values)
        listed = "、".join(values) if zh else ", ".join(values)
        if more > 0:
            listed += f" 等共{len(rows)}项" if zh else f" and {more} more"
        return f"{column}{where}：{listed}。" if zh else f"{column}{where}: {listed}."
    if not plan.dimensions:
        if not rows:
            return "没有结果。" if zh else "No result."
        row = rows[0]
        parts = []
        for m in plan.measures:
            value = row[m.name]
            parts.append((f"{measure_label(m, lang)}为{cell(value, lang)}" if zh else
                          f"the {measure_label(m, lang)} is {cell(value, lang)}"))
        if plan.kind == "distribution":
            return _distribution_text(plan, row, zh)
        sentence = "，".join(parts) if zh else "; ".join(parts)
        if zh:
            return f"{sentence}{where}。"
        return sentence[0].upper() + sentence[1:] + f"{where}."
    dim_names = [d.name for d in plan.dimensions]
    lead = next((m for m in plan.measures if m.of_total), None) or (plan.measures[-1] if plan.kind == "group" and
                                                                   plan.measures[0].agg == "count" and len(plan.measures) > 1
                                                                   else plan.measures[0])
    if plan.kind == "compare":
        lead = next((m for m in plan.measures if m.agg == "mean"), lead)
    grain = plan.dimensions[0].grain
    if not rows:
        return f"没有结果{where}。" if zh else f"No groups{where}."

    def key_of(r: dict[str, Any], d: str) -> str:
        return period(r[d], grain, lang) if d == dim_names[0] and grain else cell(r[d], lang)

    def item(r: dict[str, Any]) -> str:
        key = " / ".join(key_of(r, d) for d in dim_names)
        value = format_percent(r[lead.name], lang) if lead.of_total else cell(r[lead.name], lang)
        return f"{key}：{value}" if zh else f"{key}: {value}"

    listing = _listing([item(r) for r in rows[:MAX_ITEMS]], len(rows), zh)
    label = measure_label(lead, lang)
    dims = "、".join(d.column for d in plan.dimensions) if zh else " and ".join(d.column for d in plan.dimensions)
    if plan.kind == "rank" and plan.limit == 1:
        best = rows[0]
        key = " / ".join(cell(best[d], lang) for d in dim_names)
        desc = plan.order[0].desc if plan.order else True
        if zh:
            return f"{label}{'最高' if desc else '最低'}的{dims}是{key}（{cell(best[lead.name], lang)}）{where}。"
        return f"{key} has the {'highest' if desc else 'lowest'} {label}: {cell(best[lead.name], lang)}{where}."
    if plan.kind == "rank":
        desc = plan.order[0].desc if plan.order else True
        if zh:
            return f"{label}{'最高' if desc else '最低'}的{len(rows)}个{dims}{where}：{listing}。"
        return f"The {len(rows)} {dims} with the {'highest' if desc else 'lowest'} {label}{where}: {listing}."
    if plan.kind == "trend":
        grain = plan.dimensions[0].grain or "month"
        values = [r[lead.name] for r in rows if r[lead.name] is not None]
        if values:
            top = max(rows, key=lambda r: r[lead.name] if r[lead.name] is not None else float("-inf"))
            low = min(rows, key=lambda r: r[lead.name] if r[lead.name] is not None else float("inf"))
            first, last = rows[0], rows[-1]
            d = dim_names[0]
            if zh:
                grain_zh = {"year": "年", "quarter": "季度", "month": "月", "week": "周", "day": "日"}[grain]
                return (f"按{grain_zh}看{label}{where}：从{key_of(first, d)}的{cell(first[lead.name], lang)}到"
                        f"{key_of(last, d)}的{cell(last[lead.name], lang)}，最高是{key_of(top, d)}"
                        f"（{cell(top[lead.name], lang)}），最低是{key_of(low, d)}（{cell(low[lead.name], lang)}），共{len(rows)}期。")
            return (f"{label.capitalize()} by {grain}{where}: from {cell(first[lead.name], lang)} in {key_of(first, d)} to "
                    f"{cell(last[lead.name], lang)} in {key_of(last, d)}; highest {cell(top[lead.name], lang)} in "
                    f"{key_of(top, d)}, lowest {cell(low[lead.name], lang)} in {key_of(low, d)} ({len(rows)} periods).")
    if plan.kind == "compare" and "text" in stats:
        return (f"{label}{where}：{listing}。" if zh else f"{label.capitalize()}{where}: {listing}.") + " " + stats["text"]
    if plan.kind == "tiers":
        return _tiers_text(plan, rows, zh, where)
    if zh:
        return f"各{dims}的{label}{where}：{listing}。"
    return f"{label.capitalize()} by {dims}{where}: {listing}."


def _tiers_text(plan: Plan, rows: list[dict[str, Any]], zh: bool, where: str) -> str:
    lang = plan.language
    dim = plan.dimensions[0]
    parts = []
    for r in rows:
        cells = [f"{measure_label(m, lang)} {cell(r[m.name], lang)}" if not zh else f"{measure_label(m, lang)}{cell(r[m.name], lang)}"
                 for m in plan.measures if not (m.agg == "var" and r[m.name] is None)]
        missing = [m for m in plan.measures if m.agg == "var" and r[m.name] is None]
        if missing:
            cells.append("方差无定义" if zh else "variance undefined")
        parts.append(f"{r[dim.name]}档：" + "，".join(cells) if zh else f"{r[dim.name]}: " + ", ".join(cells))
    if zh:
        return f"按{dim.column}分档{where}：" + "；".join(parts) + "。"
    return f"Tiers of {dim.column}{where}: " + "; ".join(parts) + "."


def _distribution_text(plan: Plan, row: dict[str, Any], zh: bool) -> str:
    lang = plan.language
    column = plan.measures[1].column
    get = {m.agg if m.agg != "quantile" else f"q{round((m.q or 0) * 100)}": row[m.name] for m in plan.measures}
    where = _where(plan)
    if zh:
        return (f"{column}的分布{where}：共{cell(get['count'], lang)}个值，最小{cell(get['min'], lang)}，"
                f"下四分位数{cell(get['q25'], lang)}，中位数{cell(get['median'], lang)}，上四分位数{cell(get['q75'], lang)}，"
                f"最大{cell(get['max'], lang)}；平均值{cell(get['mean'], lang)}，标准差{cell(get['std'], lang)}。")
    return (f"Distribution of {column}{where}: {cell(get['count'], lang)} values, minimum {cell(get['min'], lang)}, "
            f"first quartile {cell(get['q25'], lang)}, median {cell(get['median'], lang)}, third quartile "
            f"{cell(get['q75'], lang)}, maximum {cell(get['max'], lang)}; mean {cell(get['mean'], lang)}, "
            f"standard deviation {cell(get['std'], lang)}.")
