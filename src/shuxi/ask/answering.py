"""Question → Plan → SQL → result → statistics → text and chart: the whole of ``ds.ask``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from shuxi.ask.answer import Answer
from shuxi.errors import ConfigError
from shuxi.plan.ir import Filter, Measure, Plan

if TYPE_CHECKING:
    from shuxi.ask.linking import TableIndex
    from shuxi.ask.llm import LLM
    from shuxi.data.dataset import Dataset



def table_index(ds: Dataset) -> TableIndex:
    """The dataset's linking index, built on the first question and kept."""
    index = getattr(ds, "_ask_index", None)
    if index is None:
        from shuxi.ask.linking import build_index

        index = build_index(ds)
        ds._ask_index = index  # type: ignore[attr-defined]
    return index


def plan(ds: Dataset, question: str) -> Plan:
    """The Plan the built-in planner makes for ``question`` (nothing is executed but the index queries)."""
    from shuxi.ask.builtin import plan_question

    return plan_question(question, table_index(ds))


def ask(ds: Dataset, question: str, *, planner: str = "builtin", llm: LLM | None = None) -> Answer:
    """Answer ``question`` about ``ds``; see :class:`~shuxi.ask.answer.Answer`.

    ``planner``: "builtin" (offline rules), "llm" (an OpenAI-compatible model, see :class:`shuxi.LLM`) or
    "both" (run the two and say whether they agree).
    """
    if planner in ("llm", "both"):
        from shuxi.ask.llm import ask_both, ask_llm

        return (ask_llm if planner == "llm" else ask_both)(ds, question, llm=llm)
    if planner != "builtin":
        raise ConfigError(f"Unknown planner {planner!r}.", hint="Use planner='builtin', 'llm' or 'both'.")
    the_plan = plan(ds, question)
    answer = answer_plan(ds, question, the_plan)
    if llm is not None and llm.narrate:
        from shuxi.ask.llm import narrate_answer

        return narrate_answer(answer, llm)
    return answer


def answer_plan(ds: Dataset, question: str, the_plan: Plan) -> Answer:
    """Run ``the_plan`` and phrase the answer (used by every planner)."""
    from shuxi.ask.narrate import narrate
    from shuxi.plan.compile import compile_plan

    query = compile_plan(the_plan, schema=ds.schema)
    sql = ds.engine.render(query, pretty=True)
    table = ds.engine.execute(query)
    stats: dict[str, Any] = {}
    notes: list[str] = []
    warnings: list[str] = []
    extra_sql: list[str] = []
    zh = the_plan.language == "zh"
    kind = the_plan.kind

    if kind == "correlate":
        _correlation_stats(ds, the_plan, table, query, stats, extra_sql)
    elif kind == "compare":
        _comparison_stats(the_plan, table, stats)
    elif kind == "tiers":
        _tier_notes(the_plan, table, notes)
    elif kind == "drivers":
        _drivers(ds, the_plan, stats, extra_sql)
        table = stats.pop("table")
    elif kind == "distribution" and not the_plan.dimensions:
        _histogram(ds, query, the_plan.measures[1].column or "", stats)

    empty = table.num_rows == 0 or (kind == "aggregate" and the_plan.measures[0].agg in ("count", "count_distinct")
                                    and table.num_rows == 1 and table.column(0)[0].as_py() == 0)
    if empty and the_plan.filters:
        culprit = _emptying_filter(ds, the_plan)
        if culprit is not None:
            from shuxi.ask.narrate import describe_filters

            said = describe_filters([culprit], the_plan.language)
            notes.append(f"没有行满足“{said}”。" if zh else f"No rows satisfy “{said}”.")
            warnings.append(f"empty: {said}")
    if _is_truncated(table):
        warnings.append("truncated: more rows than the row limit; only the first ones are shown")
    _polarity_notes(ds, the_plan, notes)
    text = narrate(the_plan, table, stats, notes)
    answer = Answer(question=question, text=text, table=table, values=_values(the_plan, table, stats), sql=sql,
                    plan=the_plan, chart=None, stats=stats, warnings=warnings + stats.pop("warnings", []),
                    language=the_plan.language, extra_sql=extra_sql)
    answer.chart = _chart(answer, stats)
    return answer


def _is_truncated(table: pa.Table) -> bool:
    from shuxi.engines.base import is_truncated

    return is_truncated(table)


def _values(the_plan: Plan, table: pa.Table, stats: dict[str, Any]) -> list[Any]:
    """The answer's cells, clock values written as tables write them ("3:40", not 03:40:00)."""
    from shuxi.ask.narrate import clock

    values = [clock(v) if isinstance(v, dt.time) else v for v in _cells(the_plan, table, stats)]
    name = the_plan.calculations[0].name if the_plan.kind == "calculate" and the_plan.calculations else None
    if name in LENGTHS_OF_TIME and len(values) == 1 and isinstance(values[0], (int, float)):
        return [_with_unit(values[0], LENGTHS_OF_TIME[name])]
    return values


#: Calculations that measure a length of time, and its unit: the answer reads "7 years" ("how long …"), where a
#: count of years ("how many years …", a calculation named "years") stays a number.
LENGTHS_OF_TIME = {"length in years": "years", "length in months": "months", "length in days": "days"}


def _with_unit(amount: float, unit: str) -> str:
    """"7 years", "1 year", "2.5 years"."""
    number = int(amount) if float(amount).is_integer() else amount
    return f"{number} {unit[:-1] if number == 1 else unit}"


def _cells(the_plan: Plan, table: pa.Table, stats: dict[str, Any]) -> list[Any]:
    if table.num_rows == 0:
        return [0] if the_plan.kind == "aggregate" and the_plan.measures[0].agg.startswith("count") else []
    if the_plan.kind == "correlate":
        return [stats.get("r", table.column("r")[0].as_py())]
    if the_plan.kind == "drivers":
        return table.column(0).to_pylist()
    if not the_plan.dimensions and not the_plan.select:
        if the_plan.kind == "calculate":  # the calculation first, then the values it was computed from
            return [table.column(0)[0].as_py()]
        if the_plan.kind == "distribution":
            return list(table.to_pylist()[0].values())
        return [table.column(m.name)[0].as_py() for m in the_plan.measures[:1]] if len(the_plan.measures) == 1 else \
            list(table.to_pylist()[0].values())
    values = table.column(0).to_pylist()
    if the_plan.kind == "lookup" and len(values) > 1 and values[0] is not None and all(v == values[0] for v in values):
        return values[:1]  # "what team were A and B on?": both rows hold the one answer
    return values


def _where_of(query: exp.Select) -> exp.Expression | None:
    where = query.args.get("where")
    return where.this if where is not None else None


def _correlation_stats(ds: Dataset, the_plan: Plan, table: pa.Table, query: exp.Select, stats: dict[str, Any],
                       extra_sql: list[str]) -> None:
    from shuxi.insight.sampling import SAMPLE_POINTS, sample_pairs_query
    from shuxi.insight.spearman import spearman_query
    from shuxi.insight.stats import correlation_test

    measure = the_plan.measures[0]
    x, y = measure.column or "", measure.other or ""
    row = table.to_pylist()[0]
    pearson = correlation_test(row["r"], int(row["n"] or 0), method="pearson")
    sq = spearman_query(ds.name, x, y, where=_where_of(query))
    extra_sql.append(ds.engine.render(sq, pretty=True))
    srow = ds.engine.execute(sq, limit=1).to_pylist()[0]
    spearman = correlation_test(srow["r"], int(srow["n"] or 0), method="spearman")
    lang = the_plan.language
    text = pearson.describe(lang, x=x, y=y)
    if spearman.r is not None:
        from shuxi.insight.formatting import format_coefficient

        text += (f" 斯皮尔曼秩相关 ρ = {format_coefficient(spearman.r)}。" if lang == "zh"
                 else f" Spearman's rank correlation ρ = {format_coefficient(spearman.r)}.")
    # Points for the scatter chart: a bounded random sample of the pairs the coefficient was computed from.
    sample = sample_pairs_query(ds.name, x, y, where=_where_of(query))
    extra_sql.append(ds.engine.render(sample, pretty=True))
    stats["points"] = ds.engine.execute(sample, limit=SAMPLE_POINTS)
    stats.update({"r": pearson.r, "n": pearson.n, "p_value": pearson.p_value, "ci_low": pearson.ci_low,
                  "ci_high": pearson.ci_high, "direction": pearson.direction, "strength": pearson.strength,
                  "method": "pearson", "spearman": spearman.to_dict(), "pearson": pearson.to_dict(), "text": text,
                  "warnings": list(pearson.warnings)})


def _comparison_stats(the_plan: Plan, table: pa.Table, stats: dict[str, Any]) -> None:
    from shuxi.insight.stats import welch_test

    rows = table.to_pylist()
    mean = next((m for m in the_plan.measures if m.agg == "mean"), None)
    var = next((m for m in the_plan.measures if m.agg == "var"), None)
    count = next((m for m in the_plan.measures if m.agg == "count"), None)
    if len(rows) != 2 or mean is None or var is None or count is None:
        return
    a, b = rows
    key = the_plan.dimensions[0].name
    result = welch_test(a[mean.name], a[var.name], int(a[count.name]), b[mean.name], b[var.name], int(b[count.name]))
    stats.update(result.to_dict())
    stats["text"] = result.describe(the_plan.language, str(a[key]), str(b[key]),
                                    f"{mean.column}的平均值" if the_plan.language == "zh" else f"mean {mean.column}")


def _polarity_notes(ds: Dataset, the_plan: Plan, notes: list[str]) -> None:
    """"label = 0" on a label column whose polarity the table records (0/1 labels written by ``shuxi text predict``
    from a sentiment classifier): the answer says which number is the negative reviews, so "label为0" reads as 差评."""
    from shuxi.data.source import polarity_of
    from shuxi.ask.narrate import cell

    zh = the_plan.language == "zh"
    filters = [*the_plan.filters, *(f for m in the_plan.measures for f in m.where)]
    for column in dict.fromkeys(f.column for f in filters if f.op in ("=", "!=", "in", "not_in")):
        if column not in ds.schema.names:
            continue
        polarity = polarity_of(ds.schema.field(column))
        if polarity is None:
            continue
        neg, pos = cell(polarity["negative"], the_plan.language), cell(polarity["positive"], the_plan.language)
        notes.append(f"（{column}的{neg}为负面评价、{pos}为正面评价，由给这些行打标签的分类器记录。）" if zh else
                     f"({column} {neg} = negative, {pos} = positive, as recorded by the classifier that labelled "
                     f"the rows.)")


def _tier_notes(the_plan: Plan, table: pa.Table, notes: list[str]) -> None:
    from shuxi.insight.stats import describe_group_variance

    if not any(m.agg in ("var", "std") for m in the_plan.measures):
        return
    count = next((m for m in the_plan.measures if m.agg == "count"), None)
    if count is None:
        return
    key = the_plan.dimensions[0].name
    sizes = [(str(r[key]), int(r[count.name])) for r in table.to_pylist()]
    note = describe_group_variance(sizes, the_plan.language)  # type: ignore[arg-type]
    if note:
        notes.append(note)


def _drivers(ds: Dataset, the_plan: Plan, stats: dict[str, Any], extra_sql: list[str]) -> None:
    from shuxi.insight.drivers import rank_drivers
    from shuxi.insight.formatting import format_coefficient

    target = the_plan.measures[1].column or ""
    table = rank_drivers(ds, target)
    rows = [r for r in table.to_pylist() if r["value"] is not None]
    zh = the_plan.language == "zh"
    items = [f"{r['column']}（{r['effect']} = {format_coefficient(r['value'])}，n = {r['n']}）" if zh else
             f"{r['column']} ({r['effect']} = {format_coefficient(r['value'])}, n = {r['n']})" for r in rows[:5]]
    if zh:
        text = (f"与{target}关系最强的列依次是：" + "；".join(items) + "。相关不等于因果。") if items else f"没有找到与{target}相关的列。"
    else:
        text = (f"The columns most associated with {target}: " + "; ".join(items) +
                ". Association is not causation.") if items else f"No column is associated with {target}."
    stats.update({"text": text, "table": table, "target": target})


def _histogram(ds: Dataset, query: exp.Select, column: str, stats: dict[str, Any]) -> None:
    """Equal-width bins of ``column`` under the plan's conditions, counted by the engine."""
    from shuxi.insight.distribution import histogram

    stats["histogram"] = histogram(ds, column, where=_where_of(query)).to_pylist()


def _emptying_filter(ds: Dataset, the_plan: Plan) -> Filter | None:
    """The first condition after which no row is left (conditions are tried in the order the question gave them)."""
    from shuxi.plan.compile import compile_plan

    for i in range(len(the_plan.filters)):
        probe = Plan(kind="aggregate", table=the_plan.table, measures=[Measure(agg="count", alias="n")],
                     filters=the_plan.filters[:i + 1])
        n = ds.engine.execute(compile_plan(probe, schema=ds.schema), limit=1).column(0)[0].as_py()
        if not n:
            return the_plan.filters[i]
    return None


def _chart(answer: Answer, stats: dict[str, Any]) -> dict[str, Any] | None:
    try:
        from shuxi.viz.charts import chart_for
    except ImportError:  # pragma: no cover - the viz layer ships with shuxi
        return None
    the_plan = answer.plan
    if the_plan is None:
        return None
    table = answer.table
    kind = the_plan.kind
    try:
        if kind == "distribution" and "histogram" in stats:
            return chart_for("distribution", pa.Table.from_pylist(stats["histogram"]), x="bin_start", y="count",
                             title=answer.question, language=answer.language)  # type: ignore[arg-type]
        if kind == "correlate" and "points" in stats:
            measure = the_plan.measures[0]
            return chart_for("correlate", stats.pop("points"), x=measure.column, y=measure.other,
                             title=answer.question, language=answer.language)  # type: ignore[arg-type]
        if kind == "correlate" or kind == "drivers" or kind == "lookup" or not the_plan.dimensions:
            return None
        dims = [d.name for d in the_plan.dimensions]
        lead = next((m for m in the_plan.measures if m.of_total), None) or the_plan.measures[-1 if kind == "group" else 0]
        if kind in ("compare", "tiers"):
            lead = next((m for m in the_plan.measures if m.agg == "mean"), the_plan.measures[0])
        return chart_for(kind, table, x=dims[0], y=lead.name, color=dims[1] if len(dims) > 1 else None,
                         title=answer.question, language=answer.language)  # type: ignore[arg-type]
    except Exception:  # a chart is a convenience: never lose the answer over it  # noqa: BLE001
        return None
