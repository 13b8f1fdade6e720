"""Questions answered by a word: yes/no ("did Niki Lauda receive more points than James Hunt?") or the word the
question offers ("does Mack Erwin have more or less wins than Fred Montsdeoca?" → "more", "was Germany listed
before or after Malaysia?" → "before").

The word is chosen by the query itself: a ``calculate`` plan computes the two numbers being compared as
filtered aggregates and a :class:`~shuxi.plan.ir.Verdict` turns their comparison into the word, so the SQL
shown with the answer is the one that decided it. Three shapes:

* two named rows compared on a number column (or on equality of any column: "the same population as");
* named rows against a number the question gives: their value ("did China win more than 20 gold medals?")
  or how many rows they are ("does CBS serve at least 5 areas?", "is Canada on the chart at least 3 times?");
* two named rows compared by their place in the table ("was Germany listed before Malaysia?").

English only; returns None when the question is not of this kind (the other rules then see it). When the
compared column is not clear the rule does not guess.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from shuxi.plan.ir import ROW, Calculation, ColumnRef, Filter, Measure, Plan, Value, Verdict

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Comparison words and which way they point (+1: the larger number).
_SIGNS = {"more": 1, "higher": 1, "greater": 1, "larger": 1, "bigger": 1, "above": 1, "over": 1, "longer": 1,
          "taller": 1, "heavier": 1, "older": 1, "newer": 1, "later": 1, "better": 1, "most": 1,
          "less": -1, "fewer": -1, "lower": -1, "smaller": -1, "below": -1, "under": -1, "shorter": -1,
          "lighter": -1, "younger": -1, "earlier": -1, "worse": -1}
_CHOICE = re.compile(r"\b(" + "|".join(_SIGNS) + r")(?: or |\s*/\s*)(" + "|".join(_SIGNS) + r")\b")
_YES_NO = re.compile(r"^(?:is|was|were|are|did|does|do|has|have|had|can|could)\b")
#: "at least 5", "more than 20", "over 3": a number the named rows are held against, and the operator.
_THRESHOLDS = {"at least": ">=", "no less than": ">=", "or more": ">=", "more than": ">", "greater than": ">",
               "over": ">", "above": ">", "higher than": ">", "larger than": ">", "at most": "<=", "no more than": "<=",
               "or less": "<=", "or fewer": "<=", "less than": "<", "fewer than": "<", "under": "<", "below": "<",
               "lower than": "<"}
_ROW_ORDER = {"before": -1, "after": 1, "above": -1, "below": 1, "earlier": -1, "later": 1, "ahead of": -1}


def word_rule(ctx: Context) -> Plan | None:
    """The Plan for a question answered by yes/no or by one of the words it offers, or None."""
    if ctx.zh:
        return None
    text = ctx.q.text
    choice = _CHOICE.search(text)
    if choice is None and not _YES_NO.match(text):
        return None
    for rule in (_listed_before, _two_rows, _against_number, _any_rows):
        plan = rule(ctx, choice)
        if plan is not None:
            return plan
    return None


def _two_rows(ctx: Context, choice: re.Match[str] | None) -> Plan | None:
    """"did Niki Lauda receive more points than James Hunt?", "does Oruro have more or less deputies than La Paz?",
    "is the population of Brandfort the same as the population of Boipatong?"."""
    from shuxi.ask.cells import COMPARATIVES, _compared_column
    from shuxi.ask.parts import RANK_HINTS, value_pair

    pair = value_pair(ctx)
    if pair is None:
        return None
    column, a, b = pair
    text = ctx.q.text
    same = re.search(r"\b(?:the )?same\b", text) is not None and choice is None
    if same:
        measured = _named_column(ctx, column)
        if measured is None:
            return None
        op, then, otherwise = "=", "yes", "no"
    else:
        if choice is None and not re.search(r"\bthan\b", text):
            return None  # "did A or B win more": a choice of rows, not a yes/no
        found = [w for w, _ in ctx.word_spans(list(_SIGNS))]
        word = choice.group(1) if choice is not None else (found[0] if found else None)
        if word is None or (choice is not None and _SIGNS[choice.group(1)] == _SIGNS[choice.group(2)]):
            return None
        sign = _SIGNS[word]
        measured = _compared_column(ctx, column, COMPARATIVES.get(word, (sign, ()))[1])
        if measured is None or measured == ROW or ctx.kind_of(measured) != "number":
            return None
        if any(h in measured.lower() for h in RANK_HINTS) and word in ("higher", "above", "better", "over", "lower",
                                                                        "below", "worse", "under"):
            sign = -sign  # ranked above: the smaller number
        op = ">" if sign > 0 else "<"
        then, otherwise = (word, choice.group(2)) if choice is not None else ("yes", "no")
    agg = "sum" if ctx.kind_of(measured) == "number" and not same else "min"
    if agg == "sum" and _non_additive(measured):
        agg = "min"
    names = [f"{measured} ({v})" for v in (a, b)]
    if names[0] == names[1]:
        return None
    measures = [Measure(agg=agg, column=measured, where=[Filter(column=column, op="=", value=v)], alias=name)
                for v, name in zip((a, b), names)]
    others = [f for f in ctx.filters if f.column != column]
    return _verdict_plan(ctx, others, measures, ColumnRef(name=names[0]), op, ColumnRef(name=names[1]),
                         then, otherwise)


def _against_number(ctx: Context, choice: re.Match[str] | None) -> Plan | None:
    """"does CBS serve at least 5 areas?", "were there more or less than 5 players from the United States?",
    "did China win more than 20 gold medals?"."""
    from shuxi.ask.cells import numbers_rows

    pinned = [f for f in ctx.filters if f.op in ("=", "contains", "in")]
    if not pinned:
        return None
    found = None
    for i, n in enumerate(ctx.numbers):
        if n.kind != "number":
            continue
        word = ctx.word_before(n.start, list(_THRESHOLDS), 3)
        if word is not None:
            found = (i, n, word)
            break
    if found is None:
        return None
    i, n, word = found
    op = _THRESHOLDS[word]
    if choice is not None:
        if not ctx.q.text[choice.end():n.start].strip() in ("than", "") and word not in ("above", "below", "over",
                                                                                           "under"):
            return None
        first = choice.group(1)
        op, then, otherwise = (">" if _SIGNS[first] > 0 else "<"), first, choice.group(2)
    else:
        then, otherwise = "yes", "no"
    # The threshold may have been read as a filter ("less than 5 players" → Pick < 5): it is what is compared.
    read = [f for f in ctx.filters if f.op in ("<", "<=", ">", ">=") and f.value == n.value]
    filters = [f for f in ctx.filters if f not in read]
    if any(f.op not in ("=", "contains", "in", "!=") for f in filters):
        return None
    numbers = [f.column for f in read if ctx.kind_of(f.column) == "number"]
    numbers += [c for _, c, m in ctx.mentioned("number") if not any(f.column == c for f in filters)]
    numbers = [c for c in numbers if not numbers_rows(c)]  # "5 players picked": not a sum of pick numbers
    if len(set(numbers)) > 1:
        return None
    if numbers:
        measured = numbers[0]
        if _non_additive(measured) and not _one_row(ctx, filters):
            return None
        measure = Measure(agg="sum" if not _non_additive(measured) else "min", column=measured, alias=measured)
    else:
        # No number column named: how many rows — "3 times", or a column's rows ("at least 5 areas" where a
        # column is "Area served"); another noun may be a unit ("150 runs") and is not guessed at.
        named_next = any(0 <= m.span.start - n.end <= 2 for _, _, m in ctx.mentioned("text", "date", free=False))
        if not (re.match(r"\s*times?\b", ctx.q.text[n.end:]) or named_next):
            return None
        measure = Measure(agg="count", alias="rows")
    return _verdict_plan(ctx, filters, [measure], ColumnRef(name=measure.name), op, Value(value=n.value), then,
                         otherwise)


def _any_rows(ctx: Context, choice: re.Match[str] | None) -> Plan | None:
    """"was there a result of 1st place after 2006?": yes when any row meets the question's conditions."""
    if choice is not None or not re.match(r"(?:is|was|were|are) there\b|(?:has|have) there been\b", ctx.q.text):
        return None
    if not ctx.filters or ctx.mentioned("number") or re.search(r"\b(?:more|less|fewer|than|most|least)\b", ctx.q.text):
        return None
    count = Measure(agg="count", alias="rows")
    return _verdict_plan(ctx, list(ctx.filters), [count], ColumnRef(name=count.name), ">", Value(value=0), "yes", "no")


def _listed_before(ctx: Context, choice: re.Match[str] | None) -> Plan | None:
    """"was Germany listed before Malaysia?", "is the AM General HMMWV listed before or after the Maxi-Ambulance?":
    the two rows' places in the table's order."""
    from shuxi.ask.parts import value_pair

    text = ctx.q.text
    match = re.search(r"\b(?:listed|ranked|placed|come|comes|came|appear|appears|appeared|placed)?\s*"
                      r"(before|after|above|below|ahead of)(?: or (before|after|above|below))?\b", text)
    if match is None or not re.search(r"\b(?:listed|ranked|placed|come|comes|came|appear|appears|appeared|"
                                      r"on the list|in the list|in the table|on the chart|in the chart)\b", text):
        return None
    pair = value_pair(ctx)
    if pair is None:
        return None
    column, a, b = pair
    # "A … before B": the word sits between the two names.
    spans = {v.value: v.span for v in ctx.values if v.column == column}
    if not spans[a].end <= match.start() <= spans[b].start:
        return None
    word = match.group(1)
    sign = _ROW_ORDER[word]
    if match.group(2):
        if _ROW_ORDER[match.group(2)] == sign:
            return None
        then, otherwise = word, match.group(2)
    else:
        then, otherwise = "yes", "no"
    op = "<" if sign < 0 else ">"
    names = [f"row of {v}" for v in (a, b)]
    if names[0] == names[1]:
        return None
    measures = [Measure(agg="min", column=ROW, where=[Filter(column=column, op="=", value=v)], alias=name)
                for v, name in zip((a, b), names)]
    return _verdict_plan(ctx, [], measures, ColumnRef(name=names[0]), op, ColumnRef(name=names[1]), then, otherwise)


def _named_column(ctx: Context, exclude: str) -> str | None:
    named = [c for _, c, _ in ctx.mentioned("number", "text", "date", free=False) if c != exclude]
    return named[0] if len(set(named)) == 1 else None


def _non_additive(column: str) -> bool:
    from shuxi.ask.parts import RANK_HINTS, non_additive as rate

    return rate(column) or any(h in column.lower() for h in (*RANK_HINTS, "time", "year", "date"))


def _one_row(ctx: Context, filters: list[Filter]) -> bool:
    return any(f.op == "=" and ctx.kind_of(f.column) == "text" and ctx.index.columns[f.column].counts.get(f.value) == 1
               for f in filters)


def _verdict_plan(ctx: Context, filters: list[Filter], measures: list[Measure], left: Any, op: str, right: Any,
                  then: str, otherwise: str) -> Plan | None:
    from shuxi.ask.parts import not_summary

    name = "answer"
    calc = Calculation(name=name, expr=Verdict(left=left, op=op, right=right, then=then, otherwise=otherwise))
    try:
        return Plan(kind="calculate", table=ctx.index.table, language=ctx.q.language,
                    filters=[*filters, *not_summary(ctx)], measures=measures, calculations=[calc])
    except ValueError:
        return None


def describe_verdict(plan: Plan, row: dict[str, Any]) -> str:
    """"Yes: Bronze (Guam) is 8, Bronze (Palau) is 2." — the word, then the two numbers it was decided by."""
    from shuxi.ask.narrate import cell, describe_filters

    lang = plan.language
    calc = plan.calculations[0]
    verdict = calc.expr
    assert isinstance(verdict, Verdict)
    word = row.get(calc.name)

    def side(expr: Any) -> str:
        if isinstance(expr, ColumnRef):
            return f"{expr.name} is {cell(row.get(expr.name), lang)}"
        return f"compared with {cell(expr.value, lang)}"

    where = describe_filters(plan.filters, lang)
    end = f" (where {where})." if where else "."
    if word is None:
        return f"Cannot tell: {side(verdict.left)}, {side(verdict.right)}" + end
    return f"{str(word).capitalize()}: {side(verdict.left)}, {side(verdict.right)}" + end
