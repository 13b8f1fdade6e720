"""Questions answered by the cells of rows the question names, rather than by counting rows.

Called by the built-in planner after the row-order rules (:mod:`shuxi.ask.rows`); each rule returns None when
the question is not of its kind, so the general rules still see it.

* "how many X did Y …" where X names a number column: the X of Y's rows, not a count of them — "how many goals
  did Dejan Damjanović score in 2011?" → the Goals cell of that row; "what was the total number of medals won by
  South Africa?" → its Total cell. Several matching rows are summed ("how many goals did he score for Ajax").
* "who was the top pitcher drafted?", "what is the top placed country?": the row a rank or place column puts
  first (rank 1 is the smallest number), or the table's first row when it has no such column.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shuxi.ask import lexicon as lx
from shuxi.ask.text import column_words
from shuxi.plan.ir import ROW, Dimension, Filter, Measure, Order, Plan

if TYPE_CHECKING:
    from shuxi.ask.context import Context

#: Words that ask for an amount (the number column after them is what is asked).
AMOUNT_WORDS = ["how many", "how much", "number of", "total number of", "the total", "total of", "amount of",
                "多少", "几"]
#: A text column counts as a number column when this share of its values starts with a number ("250", "4th").
NUMERIC_TEXT = 0.8


def cell_rule(ctx: Context) -> Plan | None:
    """The Plan for a question answered by the cells of named rows, or None."""
    from shuxi.ask.option_counts import option_count_rule
    from shuxi.ask.others import set_aside_rule

    for rule in (set_aside_rule, option_count_rule, _choice, _more_in_which_year, _two_columns_total, _how_long, _amount_of_rows, _top_row, _extreme_in_text):
        plan = rule(ctx)
        if plan is not None:
            return plan
    return None


def _amount_of_rows(ctx: Context) -> Plan | None:
    """"how many goals did X score in 2011?": the number column's value in the rows the filters keep."""
    from shuxi.ask.years import holds_years
    from shuxi.ask.parts import DIFFERENCE_WORDS, FEWER_WORDS, MORE_WORDS, not_summary

    if not ctx.has(AMOUNT_WORDS) or ctx.has(MORE_WORDS + FEWER_WORDS + DIFFERENCE_WORDS):
        return None
    pinned = [f for f in ctx.filters if f.op == "="]
    if not pinned or any(f.op != "=" for f in ctx.filters):
        return None
    filtered = {f.column for f in ctx.filters}
    asked = []
    for _, column, _ in ctx.mentioned("number", "text"):
        if column in filtered or numbers_rows(column) or column in asked or holds_years(ctx, column):
            continue
        info = ctx.index.columns[column]
        if info.kind == "number" or info.numeric_share >= NUMERIC_TEXT:
            asked.append(column)
    if len(asked) != 1:
        return None
    column = asked[0]
    if not _after_amount_word(ctx, column):
        return None
    filters = [*ctx.filters, *not_summary(ctx)]
    one_row = any(ctx.kind_of(f.column) == "text" and ctx.index.columns[f.column].counts.get(f.value) == 1
                  for f in pinned)
    name = column.lower()
    if not one_row and any(h in name for h in (*lx.NON_ADDITIVE_HINTS, "position", "place", "pos", "chart")):
        return None  # positions and rates of several rows do not add up
    if ctx.kind_of(column) == "number":
        return ctx.try_plan("aggregate", filters=filters, measures=[Measure(agg="sum", column=column)])
    # A number kept as text ("250*", "4th") cannot be summed: answer only when one row is named.
    if not one_row:
        return None
    return ctx.try_plan("lookup", filters=filters, select=[column])


#: Words that add up what the question lists ("gold and silver medals in total").
TOTAL_WORDS = ["in total", "total", "combined", "altogether", "in all", "together", "sum of"]


def _two_columns_total(ctx: Context) -> Plan | None:
    """"how many gold and silver medals in total did China receive?": two number columns joined by "and", added
    up over the rows the question keeps (the sum of each, then their sum, so a missing cell counts as nothing)."""
    from shuxi.ask.parts import not_summary

    if ctx.zh or not ctx.has(TOTAL_WORDS) or any(f.op not in ("=", "in", "contains") for f in ctx.filters):
        return None
    totals = [span for _, span in ctx.word_spans(TOTAL_WORDS)]
    mentions = [(c, m) for _, c, m in ctx.mentioned("number")
                if not any(t.start <= m.span.start and m.span.end <= t.end for t in totals)]
    for (a, ma), (b, mb) in zip(mentions, mentions[1:]):
        between = ctx.q.text[ma.span.end:mb.span.start].strip(" ,")
        if a != b and between in ("and", "and the", "plus", "+"):
            break
    else:
        return None
    if numbers_rows(a) or numbers_rows(b):
        return None
    from shuxi.plan.ir import Arithmetic, Calculation, ColumnRef

    measures = [Measure(agg="sum", column=a), Measure(agg="sum", column=b)]
    name = f"{a} + {b}"
    calc = Calculation(name=name, expr=Arithmetic(op="+", left=ColumnRef(name=measures[0].name),
                                                  right=ColumnRef(name=measures[1].name)))
    return ctx.try_plan("calculate", filters=[*ctx.filters, *not_summary(ctx)], measures=measures,
                        calculations=[calc])


#: Column words that hold how long something took or lasts.
_DURATION_COLUMNS = ("time", "length", "duration", "times", "running")


def _how_long(ctx: Context) -> Plan | None:
    """"how long did Spokane take to finish the race?", "how long is the song remixed by Y-Front?": the time or
    length cell of the named row, when the table has one such column."""
    from shuxi.ask.parts import not_summary

    if ctx.zh or not ctx.q.text.startswith("how long") or not ctx.filters:
        return None
    if any(f.op not in ("=", "contains") for f in ctx.filters):
        return None
    durations = [c for c in ctx.index.order if column_words(c) & set(_DURATION_COLUMNS)
                 and c not in {f.column for f in ctx.filters}]
    if len(durations) != 1:
        return None
    return ctx.try_plan("lookup", filters=[*ctx.filters, *not_summary(ctx)], select=durations)


TOP_WORDS = ["top", "best", "number one", "first place", "1st place", "winner", "winning"]


def _top_row(ctx: Context) -> Plan | None:
    """"who was the top pitcher drafted?", "what is the top placed country?": the row ranked first — by a rank
    or place column when the table has one, else the first row — when no number column is ranked by."""
    from shuxi.ask.measures import _top_k
    from shuxi.ask.ranking import _is_rank_column
    from shuxi.ask.parts import YES_NO_START, asks_count, label_columns, not_summary, wh_column

    if not ctx.has(["top", "best"]) or asks_count(ctx) or ctx.q.text.startswith(YES_NO_START):
        return None
    if ctx.has(["most", "least", "highest", "lowest", "worst", "bottom", "fewest", "largest", "smallest"]):
        return None
    ranks = [c for c in ctx.index.order if ctx.kind_of(c) == "number" and _is_rank_column(c)]
    measured = [c for _, c, _ in ctx.mentioned("number") if c not in ranks]
    if measured or _top_k(ctx) is not None:
        return None
    asked = [c for c in wh_column(ctx) if c not in ranks] or label_columns(ctx)
    if not asked:
        return None
    order = [Order(by=ranks[0], desc=False)] if ranks else [Order(by=ROW, desc=False)]
    return ctx.try_plan("lookup", filters=[*ctx.filters, *not_summary(ctx)], select=asked[:1], order=order, limit=1)


#: What "better" is measured by, in order of preference: a rank or place (smaller is better), then a time.
_BETTER = ("rank", "place", "position", "pos", "finish", "time", "points", "score")
#: What "higher" means when no column is named: a peak's or a building's height ("which peak is higher, A or B?").
_HEIGHT = ("elevation", "height", "altitude", "elev", "heights")
#: What "deeper", "wider" and "farther" are measured by.
_DEPTH = ("depth", "deep", "deepest")
_WIDTH = ("width", "wide", "breadth")
_DISTANCE = ("distance", "km", "mi", "miles", "far")
#: Comparative words: which way they rank (1 = the larger number wins) and the column names they imply.
COMPARATIVES: dict[str, tuple[int, tuple[str, ...]]] = {
    "more": (1, ()), "higher": (1, _HEIGHT), "greater": (1, ()), "larger": (1, ()), "bigger": (1, ()),
    "most": (1, ()), "highest": (1, _HEIGHT), "largest": (1, ()), "biggest": (1, ()), "greatest": (1, ()),
    "less": (-1, ()), "fewer": (-1, ()), "lower": (-1, _HEIGHT), "smaller": (-1, ()), "least": (-1, ()),
    "fewest": (-1, ()), "lowest": (-1, _HEIGHT), "smallest": (-1, ()),
    "longer": (1, ("length", "distance", "km", "mi", "miles", "long", "duration", "span", "time")),
    "longest": (1, ("length", "distance", "km", "mi", "miles", "long", "duration", "span", "time")),
    "shorter": (-1, ("length", "distance", "km", "mi", "miles", "long", "duration", "span", "time")),
    "shortest": (-1, ("length", "distance", "km", "mi", "miles", "long", "duration", "span", "time")),
    "taller": (1, ("height", "tall", "ft", "feet", "metres", "meters", "m")),
    "tallest": (1, ("height", "tall", "ft", "feet", "metres", "meters", "m")),
    "heavier": (1, ("weight", "kg", "lb", "lbs", "mass")), "lighter": (-1, ("weight", "kg", "lb", "lbs", "mass")),
    "older": (1, ("age",)), "younger": (-1, ("age",)),
    "earlier": (-1, ("year", "date", "season", "founded", "established", "opened", "built", "released")),
    "faster": (-1, ("time",)), "quicker": (-1, ("time",)), "slower": (1, ("time",)),
    "better": (1, _BETTER), "worse": (-1, _BETTER), "best": (1, _BETTER), "worst": (-1, _BETTER),
    "later": (1, ("year", "date", "season", "founded", "established", "opened", "built", "released")),
    "deeper": (1, _DEPTH), "deepest": (1, _DEPTH), "shallower": (-1, _DEPTH), "shallowest": (-1, _DEPTH),
    "wider": (1, _WIDTH), "widest": (1, _WIDTH), "narrower": (-1, _WIDTH), "narrowest": (-1, _WIDTH),
    "farther": (1, _DISTANCE), "further": (1, _DISTANCE), "closer": (-1, _DISTANCE), "nearer": (-1, _DISTANCE),
}


def _choice(ctx: Context) -> Plan | None:
    """"which bridge is longer, A or B?", "who had more votes, A or B?", "was the nickname of X the A or the B?":
    the option whose row wins the comparison, or the option the named row holds."""
    from shuxi.ask.ranking import _is_rank_column
    from shuxi.ask.parts import DIFFERENCE_WORDS, FEWER_WORDS, MORE_WORDS, not_summary

    if ctx.zh or not ctx.has(["or", "vs", "versus"]) or ctx.has(MORE_WORDS + FEWER_WORDS + DIFFERENCE_WORDS):
        return None
    options = _options(ctx)
    if options is None:
        return None
    column, a, b = options
    others = [f for f in ctx.filters if f.column != column]
    keep = [*others, Filter(column=column, op="in", values=[a, b]), *not_summary(ctx)]
    found = [(w, span) for w, span in ctx.word_spans(list(COMPARATIVES))]
    timed = ctx.word_spans(_EARLY + _LATE)
    if timed and (not found or timed[0][1].start <= found[0][1].start):
        return _earlier_choice(ctx, column, keep, timed[0][0])
    if not found:
        # "was the nickname of four corners the kangaroos or the redlegs?": the named row holds one of them.
        if not others or any(f.op != "=" for f in others):
            return None
        return ctx.try_plan("lookup", filters=keep, select=[column], limit=1)
    word = found[0][0]
    sign, hints = COMPARATIVES[word]
    counts = ctx.index.columns[column].counts
    repeated = ctx.kind_of(column) == "text" and (counts.get(a, 0) > 1 or counts.get(b, 0) > 1)
    counting = word in ("more", "less", "fewer", "most", "least", "fewest")
    measure = _compared_column(ctx, column, hints, only=not (counting and repeated))
    if measure is None and counting and not repeated:
        measure = _total_column(ctx, column)  # "who scored more, Grant or Benyon?": one row each, their Total
    if measure is None and counting:
        # "which location has more stations, A or B?" with no number column to compare: count their rows.
        count = Measure(agg="count")
        return ctx.try_plan("rank", filters=keep, dimensions=[Dimension(column=column)], measures=[count],
                            order=[Order(by=count.name, desc=sign > 0)], limit=1)
    if measure is None:
        return None
    desc = sign > 0
    if _is_rank_column(measure) and word in ("higher", "highest", "better", "best", "top"):
        desc = not desc  # a higher place is a smaller number
    if word in ("older", "younger") and "age" not in measure.lower():
        desc = not desc  # older means an earlier year
    desc = _time_direction(ctx, measure, desc)
    labels = [_line_named(ctx, v) for v in (a, b)]
    if measure != ROW and ctx.kind_of(measure) == "number" and all(labels):
        return _line_verdict(ctx, column, (a, b), labels, measure, keep, larger=desc)
    as_text = measure != ROW and ctx.kind_of(measure) == "text"
    return ctx.try_plan("lookup", filters=keep, select=[column], order=[Order(by=measure, desc=desc, number=as_text)],
                        limit=1)


def _line_named(ctx: Context, cell: object) -> str | None:
    """The line of a cell of several lines that the question names ("Phil Hill" in "Phil Hill\n Mike Spence",
    "Romania" in a team cell listing its members): the answer a reader gives; None for a cell of one line."""
    from shuxi.ask.linking import _contains
    from shuxi.ask.text import phrase_tokens

    lines = [line.strip() for line in str(cell).split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    asked = tuple(ctx.q.words)
    named = [line for line in lines if phrase_tokens(line) and _contains(asked, phrase_tokens(line))]
    return named[0] if len(named) == 1 else None


def _line_verdict(ctx: Context, column: str, cells: tuple[object, object], labels: list[str | None], measure: str,
                  keep: list[Filter], *, larger: bool) -> Plan | None:
    """"who completed more laps, Phil Hill or Richard Attwood?" on cells "Phil Hill\n Mike Spence": each option's
    number in the query, and a Verdict answering with the line the question named."""
    from shuxi.plan.ir import Calculation, ColumnRef, Verdict

    agg = "max" if larger else "min"
    values = [Measure(agg=agg, column=measure, where=[Filter(column=column, op="=", value=cell)],
                      alias=f"{measure} ({label})") for cell, label in zip(cells, labels)]
    if values[0].name == values[1].name:
        return None
    verdict = Verdict(left=ColumnRef(name=values[0].name), op=">" if larger else "<",
                      right=ColumnRef(name=values[1].name), then=str(labels[0]), otherwise=str(labels[1]))
    others = [f for f in keep if f.column != column]
    return ctx.try_plan("calculate", filters=others, measures=values,
                        calculations=[Calculation(name="answer", expr=verdict)])


#: Words that ask which option came first in time, or last.
_EARLY = ["first", "earlier", "earliest", "older", "oldest", "sooner"]
_LATE = ["later", "latest", "newer", "newest", "younger", "youngest", "more recent", "most recent"]


def _earlier_choice(ctx: Context, column: str, keep: list[Filter], word: str) -> Plan | None:
    """"which came first, A or B?", "which is older, A or B?", "who was appointed earlier, A or B?": the option
    whose row has the earlier year or date (an age column for older/younger, a larger age being older), or,
    when the table has no single time column, the one listed first."""
    from shuxi.ask.parts import LISTED_WORDS, is_time_column

    late = word in _LATE
    if ctx.has(LISTED_WORDS):  # "who is listed first, A or B?": the table's own order
        return ctx.try_plan("lookup", filters=keep, select=[column], limit=1, order=[Order(by=ROW, desc=late)])
    if word in ("older", "oldest", "younger", "youngest"):
        ages = [c for c in ctx.index.of_kind("number") if "age" in column_words(c)]
        if len(ages) == 1:
            return ctx.try_plan("lookup", filters=keep, select=[column], limit=1,
                                order=[Order(by=ages[0], desc=not late), Order(by=ROW)])
    named = [c for _, c, _ in ctx.mentioned("date", "number", "text", free=False)
             if c != column and is_time_column(ctx, c)]
    times = named or [c for c in ctx.index.order if c != column and is_time_column(ctx, c)]
    by = times[0] if len(set(times)) == 1 or named else ROW
    number = by != ROW and ctx.kind_of(by) == "text"
    return ctx.try_plan("lookup", filters=keep, select=[column], limit=1,
                        order=[Order(by=by, desc=late, number=number), Order(by=ROW, desc=late)] if by != ROW
                        else [Order(by=ROW, desc=late)])


def _options(ctx: Context) -> tuple[str, object, object] | None:
    """(column, A, B) for two cells of one column joined by "or" ("Italy or France", "2006 or 2010")."""
    values = [v for v in ctx.values]
    for x, y in zip(values, values[1:]):
        between = ctx.q.text[x.span.end:y.span.start].strip(" ,?")
        if x.column == y.column and x.value != y.value and _is_or(between):
            return x.column, x.value, y.value
    # two years joined by "or", in the table's year column
    from shuxi.ask.years import holds_years, is_year_column, year_like

    nums = ctx.numbers
    for x, y in zip(nums, nums[1:]):
        between = ctx.q.text[x.end:y.start].strip(" ,?")
        if _is_or(between) and year_like(x) and year_like(y):
            years = [c for c in ctx.index.order if ctx.kind_of(c) == "number"
                     and (is_year_column(ctx, c) or holds_years(ctx, c))]
            if len(years) == 1:
                return years[0], int(x.value), int(y.value)
    from shuxi.ask.options import options_in_cells

    return options_in_cells(ctx)  # "toshida or young-sun": parts of two cells


def _is_or(between: str) -> bool:
    """"or", "or the", "or on", "vs." between two options."""
    return re.fullmatch(r"(?:or|vs\.?|versus)(?: (?:the|on|in|at|a|an|with|for|to|by))?", between) is not None


def _compared_column(ctx: Context, option_column: str, hints: tuple[str, ...], *, only: bool = True) -> str | None:
    """The number column a comparison is about: named in the question, else implied by the word, else (``only``)
    the table's only number column."""
    named = [c for _, c, _ in ctx.mentioned("number", free=False) if c != option_column]
    named += [c for _, c, _ in ctx.mentioned("text", free=False) if c != option_column
              and ctx.index.columns[c].numeric_share >= NUMERIC_TEXT]
    if named:
        return named[0]
    # A pivoted table names its columns after years ("1948", "1952"): "in 1952" names the column.
    years = re.findall(r"\b\d{4}\b", ctx.q.text)
    pivoted = [c for c in ctx.index.order if c.strip() in years and c != option_column and (
        ctx.kind_of(c) == "number" or ctx.index.columns[c].numeric_share >= NUMERIC_TEXT)]
    if len(pivoted) == 1:
        return pivoted[0]
    numbers = [c for c in ctx.index.order if c != option_column and (ctx.kind_of(c) == "number" or (
        ctx.kind_of(c) == "text" and ctx.index.columns[c].numeric_share >= NUMERIC_TEXT))]
    if hints == _BETTER:
        for hint in hints:
            implied = [c for c in numbers if hint in column_words(c)]
            if len(implied) == 1:
                return implied[0]
    elif hints:
        implied = [c for c in numbers if column_words(c) & set(hints)]
        if len(implied) == 1:
            return implied[0]
        for hint in hints if len(implied) > 1 else ():  # "Elevation (m)" before "Col height (m)"
            first = [c for c in implied if hint in column_words(c)]
            if len(first) == 1:
                return first[0]
        if hints[0] == "year" and not implied:
            return ROW  # "which came earlier": the table's own order
    useful = [c for c in numbers if not numbers_rows(c) and ctx.kind_of(c) == "number"]
    return useful[0] if len(useful) == 1 and only else None


#: Number columns that add up what a row achieved ("Total", "Points", "Goals"): what "more" compares when the
#: question names no column and each option is one row.
_TOTAL_HINTS = ("total", "points", "pts", "goals", "score", "wins", "votes")


def _total_column(ctx: Context, option_column: str) -> str | None:
    """The table's one number column named like a total ("Total", "Points", "Goals"), else None."""
    found = [c for c in ctx.index.of_kind("number") if c != option_column
             and column_words(c) & set(_TOTAL_HINTS)]
    return found[0] if len(found) == 1 else None


def _extreme_in_text(ctx: Context) -> Plan | None:
    """"what was the lowest position he came in?" (cells "16th", "2nd"), "which bridge has the greatest length?"
    (cells "1,766.2 feet (538.3 m)"): the row whose text cell holds the largest or smallest number."""
    from shuxi.ask.measures import _direction
    from shuxi.ask.ranking import _is_rank_column
    from shuxi.ask.parts import YES_NO_START, asks_count, label_columns, not_summary, wh_column

    direction = _direction(ctx)
    if direction is None or asks_count(ctx) or ctx.q.text.startswith(YES_NO_START) or ctx.mentioned("number"):
        return None
    filtered = {f.column for f in ctx.filters}
    texts = [c for _, c, _ in ctx.mentioned("text") if c not in filtered
             and ctx.index.columns[c].numeric_share >= NUMERIC_TEXT]
    if len(set(texts)) != 1:
        return None
    measured = texts[0]
    if measured in wh_column(ctx) and ctx.has(["most", "least", "most often", "most common"]):
        return None  # "which position is listed the most": the most frequent value, not the largest
    desc = direction
    if _is_rank_column(measured) or re.search(r"\b(place|position|finish|result|pos)\b", measured.lower()):
        desc = not desc
    desc = _time_direction(ctx, measured, desc)
    asked = [c for c in wh_column(ctx) if c != measured]
    if not asked and ctx.has(["who", "whom", "which", "whose"]):
        asked = [c for c in label_columns(ctx) if c != measured][:1]
    select = asked[:1] or [measured]
    return ctx.try_plan("lookup", filters=[*ctx.filters, *not_summary(ctx)], select=select,
                        order=[Order(by=measured, desc=desc, number=True)], limit=1)


def _time_direction(ctx: Context, column: str, desc: bool) -> bool:
    """"the fastest time" is the smallest time; "the slowest" the largest."""
    if re.search(r"\btime\b", column.lower()) or ctx.has(["best time", "fastest time", "quickest time", "better time",
                                                         "faster time", "worst time", "slowest time", "worse time"]):
        if ctx.has(["fastest", "quickest", "faster", "quicker", "best", "better"]):
            return False
        if ctx.has(["slowest", "slower", "worst", "worse"]):
            return True
    return desc


def numbers_rows(column: str) -> bool:
    """A column that only numbers or places rows ("Game", "No.", "Pick #", "Round", "Year"), not an amount."""
    from shuxi.ask.parts import ENTITY_HINTS

    words = set(re.findall(r"[a-z]+|#", column.lower())) - {"of", "the"}
    return bool(words) and words <= ENTITY_HINTS | {"year", "rank", "pos", "ranking", "yr"}


def _after_amount_word(ctx: Context, column: str) -> bool:
    """The column is named after the amount word ("how many **goals**", "the number of **people**…")."""
    amounts = ctx.word_spans(AMOUNT_WORDS)
    return any(span.first <= m.span.first <= span.last + 3 for _, span in amounts
               for _, c, m in ctx.mentioned("number", "text") if c == column)


def _more_in_which_year(ctx: Context) -> Plan | None:
    """"were more records set in 1978 or 1979?", "did shoko goto make more films in 2004 or 2005?": the year
    whose rows are more (or fewer), counted apart, the word picked by the query (a Verdict)."""
    from shuxi.ask.parts import not_summary
    from shuxi.plan.ir import Calculation, ColumnRef, Verdict

    periods = ctx.periods
    more, fewer = ctx.has(["more", "most"]), ctx.has(["fewer", "less", "least"])
    if ctx.zh or len(periods) != 2 or more == fewer or ctx.has(["more or less", "more than", "less than"]):
        return None
    p, q = periods
    if not _is_or(ctx.q.text[p.span_end:q.span_start].strip(" ,")) or p.grain != "year" or q.grain != "year":
        return None
    timed = [f for f in ctx.filters if str(p.start.year) in str(f.value) or str(q.start.year) in str(f.value)
             or str(q.end.year) in str(f.value)]
    if not timed or len(timed) % 2 or len({f.column for f in timed}) != 1:
        return None
    half = len(timed) // 2
    others = [f for f in ctx.filters if f not in timed]
    counts = [Measure(agg="count", where=timed[:half], alias="rows_a"), Measure(agg="count", where=timed[half:],
                                                                             alias="rows_b")]
    verdict = Verdict(left=ColumnRef(name="rows_a"), op=">" if more else "<", right=ColumnRef(name="rows_b"),
                      then=p.text.strip(), otherwise=q.text.strip())
    return ctx.try_plan("calculate", filters=[*others, *not_summary(ctx)], measures=counts,
                        calculations=[Calculation(name="answer", expr=verdict)])
