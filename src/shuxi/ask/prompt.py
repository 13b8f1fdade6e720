"""What the LLM planner sends: the question, the table's schema with a few facts per column, the Plan JSON
schema and worked examples.

Only names, types and aggregate facts (row count, distinct count, min/max of numbers and dates, and which number of
a label column is the negative sentiment when ``shuxi text predict`` recorded it) leave the machine by default. With
``share="samples"`` the most frequent values of text columns are added, each passed through :func:`shuxi.ask.privacy.mask_value` first. Chinese stays Chinese (no ``\\uXXXX`` escapes).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from sqlglot import exp

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset

__all__ = ["column_facts", "plan_messages", "repair_message", "narrate_messages", "SYSTEM"]

#: Most columns described in full (wider tables list the rest by name and type only).
MAX_FACT_COLUMNS = 60
#: Top values shown per text column when samples are allowed.
TOP_VALUES = 5
MAX_VALUE_CHARS = 40

SYSTEM = (
    "You are the planner of shuxi, a data-analysis tool. You turn a question about one table into a Plan: a JSON "
    "object that follows the JSON schema given. You never write code. Reply with the Plan JSON object only. Use "
    "only the table's column names, spelled exactly as listed (Chinese names stay in Chinese). Values in filters "
    "are plain literals. Set \"language\" to \"zh\" for a Chinese question and \"en\" otherwise. If no Plan can "
    "express the question, reply {\"sql\": \"<one SELECT statement over the table>\"} instead."
)

# Worked examples over a made-up table (sales: region text, product text, price double, quantity bigint,
# order_date date). They show the shapes; the real table's names come from the schema.
_EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("各地区的总销量", {"kind": "group", "table": "sales", "language": "zh",
                  "dimensions": [{"column": "region"}],
                  "measures": [{"agg": "sum", "column": "quantity"}],
                  "order": [{"by": "sum_quantity", "desc": True}]}),
    ("Which 3 products sold the most units?", {"kind": "rank", "table": "sales", "language": "en",
                                               "dimensions": [{"column": "product"}],
                                               "measures": [{"agg": "sum", "column": "quantity"}],
                                               "order": [{"by": "sum_quantity", "desc": True}], "limit": 3}),
    ("华东地区价格高于100的订单有多少", {"kind": "aggregate", "table": "sales", "language": "zh",
                             "measures": [{"agg": "count"}],
                             "filters": [{"column": "region", "op": "=", "value": "华东"},
                                         {"column": "price", "op": ">", "value": 100}]}),
    ("monthly revenue trend", {"kind": "trend", "table": "sales", "language": "en",
                               "dimensions": [{"column": "order_date", "grain": "month"}],
                               "measures": [{"agg": "sum", "expr": {"type": "arith", "op": "*",
                                                                    "left": {"type": "column", "name": "price"},
                                                                    "right": {"type": "column", "name": "quantity"}},
                                             "alias": "revenue"}],
                               "order": [{"by": "order_date_month"}]}),
    ("correlation between price and quantity", {"kind": "correlate", "table": "sales", "language": "en",
                                                "measures": [{"agg": "corr", "column": "price", "other": "quantity",
                                                              "alias": "r"}, {"agg": "count", "alias": "n"}]}),
]


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)


def column_facts(ds: Dataset, *, share: str = "schema") -> dict[str, Any]:
    """The table as the model sees it: name, row count and per column its type and a few aggregate facts."""
    from shuxi.ask.linking import column_kind
    from shuxi.data.source import polarity_of
    from shuxi.ask.privacy import mask_value

    schema = ds.schema
    table = exp.Table(this=exp.to_identifier(ds.name, quoted=True))
    fields = list(schema)[:MAX_FACT_COLUMNS]
    stats: list[exp.Expression] = [exp.alias_(exp.Count(this=exp.Star()), "__rows", quoted=True)]
    kinds = {f.name: column_kind(f.type) for f in schema}
    for i, f in enumerate(fields):
        col = exp.column(f.name, quoted=True)
        stats.append(exp.alias_(exp.ApproxDistinct(this=col), f"__d{i}", quoted=True))
        if kinds[f.name] in ("number", "date"):
            stats.append(exp.alias_(exp.Min(this=col.copy()), f"__lo{i}", quoted=True))
            stats.append(exp.alias_(exp.Max(this=col.copy()), f"__hi{i}", quoted=True))
    row = ds.engine.execute(exp.select(*stats).from_(table), limit=1).to_pylist()[0]
    columns: list[dict[str, Any]] = []
    for i, f in enumerate(schema):
        entry: dict[str, Any] = {"name": f.name, "type": str(f.type), "kind": kinds[f.name]}
        if i < len(fields):
            entry["distinct"] = int(row[f"__d{i}"] or 0)
            if kinds[f.name] in ("number", "date"):
                entry["min"], entry["max"] = _plain(row[f"__lo{i}"]), _plain(row[f"__hi{i}"])
            if share == "samples" and kinds[f.name] in ("text", "bool"):
                entry["top_values"] = _top_values(ds, table, f.name, mask_value)
        # A label column written by `shuxi text predict`: which value is the negative reviews ("差评" → label = 0).
        # Text labels are cell values, sent only when samples are allowed.
        polarity = polarity_of(f)
        if polarity is not None and (share == "samples" or kinds[f.name] != "text"):
            entry["sentiment"] = polarity
        columns.append(entry)
    return {"table": ds.name, "rows": int(row["__rows"] or 0), "columns": columns}


def _top_values(ds: Dataset, table: exp.Table, name: str, masker: Any) -> list[Any]:
    col = exp.column(name, quoted=True)
    query = (exp.select(exp.alias_(col, "v", quoted=True)).from_(table.copy())
             .where(exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null())))
             .group_by(exp.Literal.number(1))
             .order_by(exp.Ordered(this=exp.Count(this=exp.Star()), desc=True), exp.Literal.number(1))
             .limit(TOP_VALUES))
    out = []
    for r in ds.engine.execute(query, limit=TOP_VALUES).to_pylist():
        value = masker(_plain(r["v"]))
        out.append(value[:MAX_VALUE_CHARS] if isinstance(value, str) else value)
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def plan_messages(question: str, facts: dict[str, Any]) -> list[dict[str, str]]:
    """The chat messages asking for a Plan for ``question`` over the table ``facts`` describes."""
    from shuxi.plan.ir import Plan

    examples = "\n".join(f"Q: {q}\nA: {_dumps(p)}" for q, p in _EXAMPLES)
    user = (f"Table (rows, and per column: type, distinct count, min/max):\n{_dumps(facts)}\n\n"
            f"Plan JSON schema:\n{_dumps(Plan.model_json_schema())}\n\n"
            f"Examples (over a different table named sales):\n{examples}\n\n"
            f"Table name to use: {facts['table']}\n"
            f"Question: {question}\n"
            "Reply with the Plan JSON object only.")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def repair_message(reply: str, error: str) -> list[dict[str, str]]:
    """The two messages that show the model its reply and what was wrong with it, asking once for a fix."""
    return [{"role": "assistant", "content": reply[:4000]},
            {"role": "user", "content": f"That reply cannot be used: {error}\n"
                                        "Reply with a corrected Plan JSON object only, using only the listed columns."}]


def narrate_messages(question: str, language: str, result: dict[str, Any], draft: str) -> list[dict[str, str]]:
    """The messages asking the model to phrase an answer from ``result`` (its numbers are checked afterwards)."""
    lang = "Chinese" if language == "zh" else "English"
    user = (f"Question: {question}\nResult of the query (JSON):\n{_dumps(result)}\n"
            f"Our draft answer: {draft}\n"
            f"Write a short, clear answer in {lang}. Use only numbers that appear in the result (you may round "
            "them). Reply with the answer text only.")
    return [{"role": "system", "content": "You phrase answers to data questions. You never invent numbers."},
            {"role": "user", "content": user}]
