"""The built-in planner's first step after linking: conditions in the question become Plan filters.

Cell values ("华东", "butler cc (ks)"), yes/no columns, periods (2024年3月, Q1, last year), numbers with their
comparison words ("more than 100", "before 1990", "at least $40,000") and "no gold medals" each add a
:class:`~shuxi.plan.ir.Filter` to the :class:`~shuxi.ask.context.Context` and mark the words they used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from shuxi.ask import lexicon as lx
from shuxi.ask.context import AmbiguousQuestionError, Context
from shuxi.ask.linking import ColumnMention, ValueMention
from shuxi.ask.thresholds import (
    comparison,
    is_place_column,
    numeric_text,
    text_number_threshold,
    threshold_values,
    threshold_word,
)
from shuxi.ask.units import duration_value
from shuxi.ask.years import (
    adjacent_year_column,
    decade_side,
    text_year_filter,
    time_column,
    year_like,
    year_range,
)
from shuxi.plan.ir import Filter


def _resolve_ambiguity(ctx: Context) -> None:
    """A phrase naming several columns is settled by another mention of one of them, or asked back."""
    named = {m.columns[0] for m in ctx.columns if len(m.columns) == 1}
    resolved = []
    for m in ctx.columns:
        if len(m.columns) > 1:
            chosen = [c for c in m.columns if c in named]
            if len(chosen) == 1:
                continue  # the other mention already covers it
            if m.strength == 0:
                continue  # a fuzzy guess that fits several columns is no evidence: drop it
            raise AmbiguousQuestionError(ctx.q.original[m.span.start:m.span.end] or m.phrase, m.columns,
                                         language=ctx.q.language)
        resolved.append(m)
    # A fuzzy mention of a column already named exactly adds nothing.
    exact = {m.columns[0] for m in resolved if m.strength > 0}
    ctx.columns = [m for m in resolved if m.strength > 0 or m.columns[0] not in exact]
    named = {m.columns[0] for m in ctx.columns}
    ctx.values = [_prefer_named(v, named) for v in ctx.values]
    ctx.partials = [_prefer_named(v, named) for v in ctx.partials]


def _prefer_named(v: ValueMention, named: set[str]) -> ValueMention:
    """A value held by several columns goes to the one the question also names ("home games of the black
    hawks": Home, not Visitor), else to the first."""
    preferred = [c for c in (v.column, *v.alternatives) if c in named]
    return ValueMention(preferred[0], v.value, v.span, lone=v.lone) if v.alternatives and preferred else v


def _value_filters(ctx: Context) -> None:
    from shuxi.ask.places import top_places
    from shuxi.ask.venues import venue_filter

    top_places(ctx)
    threshold_values(ctx)
    _country_codes(ctx)
    _result_letters(ctx)
    venue_filter(ctx)
    by_column: dict[str, list[ValueMention]] = {}
    for v in ctx.values:
        by_column.setdefault(v.column, []).append(v)
    for column, mentions in by_column.items():
        negated = [m for m in mentions if _is_negated(ctx, m.span.start, m.span.end)]
        kept = [m for m in mentions if m not in negated]
        compared = len(kept) >= 2 and ctx.has(lx.COMPARE_WORDS)
        if kept and not compared:
            vals = _with_counted_twins(ctx, column, _unique([m.value for m in kept]))
            ctx.filters.append(Filter(column=column, op="=", value=vals[0]) if len(vals) == 1
                               else Filter(column=column, op="in", values=vals))
        if negated:
            vals = _unique([m.value for m in negated])
            ctx.filters.append(Filter(column=column, op="!=", value=vals[0]) if len(vals) == 1
                               else Filter(column=column, op="not_in", values=vals))
    for p in ctx.partials:
        if p.lone:
            continue  # decided once every other condition is known (lone_word_filters)
        negated = _is_negated(ctx, p.span.start, p.span.end)
        ctx.filters.append(Filter(column=p.column, op="not_contains" if negated else "contains", value=p.value))
    # "names with 'Pro' in them", "带“电脑”的": a quoted text that is no cell value is searched for.
    contained = {f.value for f in ctx.filters if f.op in ("contains", "not_contains")}
    for match in re.finditer(r"[\"'“‘「]([^\"'”’」]{1,40})[\"'”’」]", ctx.q.text):
        if any(not (match.end() <= v.span.start or match.start() >= v.span.end) for v in ctx.values):
            continue
        target = _nearest_column_before(ctx, match.start(), ("text",)) or _text_column_after(ctx, match.end()) or \
            _label_column(ctx)
        if target is not None and match.group(1) not in contained:
            # "tracks that do not include the word "jesus"": the negation shortly before the quote
            negated = not ctx.zh and re.search(r"\b(?:not|n't|without|never|no)\b(?:\s+\w+){0,4}\s*$",
                                               ctx.q.text[max(0, match.start() - 40):match.start()])
            ctx.filters.append(Filter(column=target, op="not_contains" if negated else "contains", value=match.group(1)))
            contained.add(match.group(1))
    # "产品名称包含'手机'" / "name contains 'phone'": a quoted or following word after a contains-word.
    for word, span in ctx.word_spans(lx.CONTAINS_WORDS):
        if word == "like" or word == "including":
            continue
        rest = ctx.q.text[span.end:].strip()
        match = re.match(r"[\"'“‘「]([^\"'”’」]+)[\"'”’」]", rest) or re.match(r"(\S+)", rest)
        if not match:
            continue
        target = _nearest_column_before(ctx, span.start, ("text",))
        value = match.group(1).strip("。？?!！,，")
        if target is not None and value not in contained:
            negate = ctx.word_before(span.start, ["不", "not", "doesn't", "don't", "does not"], 3) is not None
            ctx.filters.append(Filter(column=target, op="not_contains" if negate else "contains", value=value))


_SET_ASIDE = re.compile(r"^\s*(?:besides|other than|aside from|apart from|except(?: for)?)\b(.*?)"
                        r"(?:[,;?]|\b(?:who|what|which|how|when|where|name|is|are|was|were|did|does)\b|$)")


def _is_negated(ctx: Context, start: int, end: int) -> bool:
    """A negation shortly before the cell ("not in venue h", "other than honda", "除外" after it); in an opening
    clause that sets rows aside ("besides the loss to cody goodale, what other losses …", "besides julia stowers
    who is the other american"), only the clause's last cell."""
    clause = None if ctx.zh else _SET_ASIDE.match(ctx.q.text)
    if clause is not None and clause.start(1) <= start < clause.end(1):
        return not [v for v in (*ctx.values, *ctx.partials) if start < v.span.start < clause.end(1)]
    return bool(ctx.word_before(start, lx.NEGATION_WORDS, ctx.near + 2) or ctx.word_after(end, ["除外", "以外"], 2))


_COUNTER = re.compile(r"\s*\((\d{1,3})\)\s*$")


def _with_counted_twins(ctx: Context, column: str, values: list[Any]) -> list[Any]:
    """A name with its running count in brackets ("Mike Scott", "Mike Scott (2)", … "Mike Scott (5)": his first to
    fifth season as opening-day starter) is every one of those cells: "the last season mike scott was the
    starter" is among all five rows, not the one the question's words happen to equal."""
    out: list[Any] = []
    cells = [v for v in ctx.index.columns[column].counts if isinstance(v, str)]
    for value in values:
        if not isinstance(value, str):
            out.append(value)
            continue
        base = _COUNTER.sub("", value)
        twins = [c for c in cells if c == base or (_COUNTER.search(c) and _COUNTER.sub("", c) == base)]
        out += [c for c in (twins if len(twins) > 1 else [value]) if c not in out]
    return out


def _country_codes(ctx: Context) -> None:
    """"kenyan men" on cells like "Joseph Kahugu (KEN)": a contains-filter on the code in brackets. Of several
    columns holding codes ("Men's winner", "Women's winner"), the one the question names."""
    if ctx.zh:
        return
    from shuxi.ask.linking import country_code_parts
    from shuxi.ask.text import phrase_tokens

    taken = [m.span for m in ctx.columns] + [v.span for v in ctx.values] + [p.span for p in ctx.partials]
    words = set(ctx.q.words)
    for part in country_code_parts(ctx.q, ctx.index, taken):
        columns = [part.column, *part.alternatives]
        named = [c for c in columns if any(m.columns == (c,) for m in ctx.columns)]
        if len(named) != 1 and len(columns) > 1:
            # "kenyan women" with "Men's winner" and "Women's winner": the column with a word of the question
            # that the others lack
            own = {c: set(phrase_tokens(c)) for c in columns}
            named = [c for c in columns if own[c] & words - set().union(*(own[o] for o in columns if o != c))]
        if len(columns) > 1 and len(named) != 1:
            continue  # several columns hold codes and the question tells them apart by no word: do not guess
        ctx.partials.append(ValueMention(named[0] if named else part.column, part.value, part.span))


def _bool_filters(ctx: Context) -> None:
    """"退货的订单" → 是否退货 = true, "没有退货的" / "not returned" → false (unless the question groups by it)."""
    for i, column, m in ctx.mentioned("bool"):
        if ctx.word_before(m.span.start, lx.GROUP_WORDS, ctx.near + 2) or any(f.column == column for f in ctx.filters):
            continue
        if _is_rate(ctx, m):
            continue  # "退货率", "return rate": a measure, the share of true
        negated = ctx.word_before(m.span.start, ["没有", "未", "没", "不", "非", "not", "never", "n't", "non"], 3)
        ctx.filters.append(Filter(column=column, op="=", value=not negated))
        ctx.used.add(i)


def _is_rate(ctx: Context, m: ColumnMention) -> bool:
    return ctx.word_after(m.span.end, lx.RATE_WORDS, 1) is not None


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _text_column_after(ctx: Context, position: int) -> str | None:
    for i, column, m in ctx.mentioned("text"):
        if m.span.start >= position and m.span.start - position <= 12:
            ctx.used.add(i)
            return column
    names = [c for c in ctx.index.of_kind("text") if "name" in c.lower() or "名" in c]
    return names[0] if names else None


def _label_column(ctx: Context) -> str | None:
    """The column that names the rows (titles, names): the first text column whose values are nearly all
    different, in a small table."""
    from shuxi.ask.linking import SMALL_TABLE

    if ctx.index.rows > SMALL_TABLE or ctx.index.rows < 2:
        return None
    for column in ctx.index.of_kind("text"):
        info = ctx.index.columns[column]
        if info.numeric_share < 0.5 and (info.distinct or 0) >= 0.9 * ctx.index.rows:
            return column
    return None


def _nearest_column_before(ctx: Context, position: int, kinds: Sequence[str]) -> str | None:
    best = None
    for i, column, m in ctx.mentioned(*kinds, free=False):
        if m.span.end <= position:
            best = (i, column)
    if best is None:
        return None
    ctx.used.add(best[0])
    return best[1]


def _number_filters(ctx: Context) -> None:
    """Comparisons: "价格大于100", "quantity over 1,000", "between 100 and 200", "1000以上"; "not more than 50"
    turned round (:mod:`shuxi.ask.negations`)."""
    from shuxi.ask.negations import negate_thresholds

    _compare_numbers(ctx)
    negate_thresholds(ctx)


def _compare_numbers(ctx: Context) -> None:
    nums = ctx.numbers
    i = 0
    while i < len(nums):
        n = nums[i]
        if n.kind == "number" and not ctx.zh and _unit_threshold(ctx, n):
            ctx.used_numbers.add(i)
            i += 1
            continue
        if n.kind in ("ordinal", "duration"):
            if not ctx.zh and (text_number_threshold(ctx, n) or _ordinal_filter(ctx, n)):
                ctx.used_numbers.add(i)
            i += 1
            continue
        between = ctx.word_before(n.start, ["在", "介于", "between", "from"], 3)
        if between and i + 1 < len(nums):
            nxt = nums[i + 1]
            joiner = ctx.q.text[n.end:nxt.start].strip()
            if joiner in ("到", "至", "-", "~", "and", "to", "和", "与") and _is_tier_context(ctx) is False:
                column = _nearest_column_before(ctx, n.start, ("number", "date")) or _column_after(ctx, nxt.end)
                if column is None and year_like(n) and year_like(nxt):
                    column = time_column(ctx)  # "between 1970 and 2010": the table's year or date column
                if column is None and not ctx.zh and not (year_like(n) and year_like(nxt)):
                    # "a capacity between 6000 and 8000" on cells "8,000"; two years are a period, not amounts
                    column = _numeric_text_before(ctx, n.start)
                if column is not None:
                    low, high = sorted([n.plain, nxt.plain])
                    if ctx.kind_of(column) == "date":
                        ctx.filters += year_range(column, int(low), int(high))
                    else:
                        ctx.filters.append(Filter(column=column, op="between", values=[low, high],
                                                  number=ctx.kind_of(column) == "text"))
                    ctx.used_numbers.update({i, i + 1})
                    i += 2
                    continue
        decade, written = _decade(ctx, n), n
        if decade is not None:
            n = decade  # "the 1970's", "the 70s": the decade's first year
            column = time_column(ctx)  # "in the 1990s": a decade
            side = decade_side(ctx, n)
            if column is not None and side is not None:  # "before the 1950s": before 1950
                op, year = side
                ctx.filters.append(Filter(column=column, op=op, value=f"{year}-01-01" if ctx.kind_of(column) == "date"
                                          else year))
                ctx.used_numbers.add(i)
                i += 1
                continue
            negated = not ctx.zh and re.search(r"\b(?:not|n't|never)\b(?:\s+\w+){0,3}\s+(?:in|during)\s+the\s*$",
                                               ctx.q.text[max(0, n.start - 40):n.start])
            # "the 1800s" is a century (1800–1899); "the 1990s" and "the 2000s" are decades
            width = 100 if int(n.value) % 100 == 0 and int(n.value) != 2000 else 10
            if column is not None and negated and ctx.kind_of(column) == "number" and width == 10:
                # "not created in the 1900s": every other year (NULL years are not counted either way)
                ctx.filters.append(Filter(column=column, op="not_in", values=list(range(int(n.value), int(n.value) + 10))))
                ctx.used_numbers.add(i)
                i += 1
                continue
            if column is not None:
                start = int(n.value)
                ctx.filters += year_range(column, start, start + width - 1) if ctx.kind_of(column) == "date" else [
                    Filter(column=column, op="between", values=[start, start + width - 1])]
                ctx.used_numbers.add(i)
                i += 1
                continue
            found = None if ctx.zh or negated or side is not None else \
                text_year_filter(ctx, "between", [int(n.value), int(n.value) + width - 1])
            if found is not None:  # "in the 1980's" on dates kept as text
                ctx.filters.append(found)
                ctx.used_numbers.add(i)
                i += 1
                continue
        n = written
        if year_like(n):
            when = ctx.word_before(n.start, lx.AFTER_WORDS + lx.BEFORE_WORDS, 3)
            column = time_column(ctx) if when else None
            if when and column is None and not ctx.zh:
                # "teams started before 1940" on Year started cells "1929", "?"; "added before 1970" on dates
                # kept as text ("October 1, 1969")
                after = when in lx.AFTER_WORDS
                op = (">=" if when == "since" else ">") if after else "<"
                found = text_year_filter(ctx, op, int(n.value))
                if found is not None:
                    ctx.filters.append(found)
                    ctx.used_numbers.add(i)
                    i += 1
                    continue
            if when and column is not None:
                after = when in lx.AFTER_WORDS
                inclusive = when in ("since", "从", "自")
                value: Any = int(n.value)
                if ctx.kind_of(column) == "date":
                    value = f"{int(n.value) + (1 if after and not inclusive else 0)}-01-01"
                    op = ">=" if after else "<"
                else:
                    op = (">=" if inclusive else ">") if after else "<"
                ctx.filters.append(Filter(column=column, op=op, value=value))
                ctx.used_numbers.add(i)
                i += 1
                continue
        word = ctx.word_before(n.start, lx.GREATER_WORDS + lx.LESS_WORDS + lx.EQUAL_WORDS, 3) or \
            _comparison_before_column(ctx, n)
        postfix = ctx.word_after(n.end, sorted(lx.POSTFIX_COMPARISONS), 2)
        year_column = adjacent_year_column(ctx, n) if year_like(n) and not word and not postfix else None
        if year_column is not None:  # "the 2011 season", "season 2011"
            ctx.filters.append(Filter(column=year_column, op="=", value=int(n.value)))
            ctx.used_numbers.add(i)
            i += 1
            continue
        if postfix and not word:
            word = postfix
        if not word and not ctx.zh and n.kind == "number":
            spaced = threshold_word(ctx, n.start, n.end)  # "75 games or less", "10th place or worse"
            if spaced is not None and spaced.startswith(("or ", "and ")):
                word = spaced
        if word and not _is_tier_context(ctx):
            column = _nearest_column_before(ctx, n.start, ("number",)) or _column_after(ctx, n.end) or \
                _money_column(ctx, n)
            if column is None and not ctx.zh and text_number_threshold(ctx, n):
                ctx.used_numbers.add(i)
                i += 1
                continue
            if column is not None:
                placed = comparison(word, place=True, duration=False, year=False) \
                    if not ctx.zh and is_place_column(ctx, column) else None
                if word in lx.EQUAL_WORDS:
                    op = "="
                elif placed is not None:
                    op = placed[0]  # "at least #5 on the chart", "above 10th": a better place is a smaller number
                elif word in lx.GREATER_WORDS or word in ("or greater", "or over", "or above", "or higher", "and above",
                                                         "and up", "and over", "and higher"):
                    op = ">=" if word in lx.INCLUSIVE_WORDS or word.startswith(("or ", "and ")) else ">"
                else:
                    op = "<=" if word in lx.INCLUSIVE_WORDS or word.startswith(("or ", "and ")) else "<"
                ctx.filters.append(Filter(column=column, op=op, value=n.plain))
                ctx.used_numbers.add(i)
        elif not word and not ctx.zh and n.kind == "number" and not year_like(n) and float(n.value).is_integer():
            column = _counted_column_after(ctx, n) or _column_of_number(ctx, n)
            if column is not None:  # "the only nation to have one silver medal": silver = 1
                ctx.filters.append(Filter(column=column, op="=", value=n.plain))
                ctx.used_numbers.add(i)
            elif _age_equal(ctx, n):  # "how many contestants are 20 years old?"
                ctx.used_numbers.add(i)
            elif _text_number_of(ctx, n):
                ctx.used_numbers.add(i)
        elif not word and not ctx.zh and n.kind in ("number", "duration") and not year_like(n) and \
                _text_number_of(ctx, n):  # "how many high jumpers had a result of 2.19?", "a time of 6:47"
            ctx.used_numbers.add(i)
        i += 1


_DECADE_SUFFIX = re.compile(r"'?s(?![a-z])")


def _decade(ctx: Context, n: Any) -> Any:
    """"the 1990s", "the 1970's", "the 70s", "the early 80's": the number as the decade's first year (1970), or None
    when ``n`` names no decade. Two digits are a decade of the 1900s only after "the", "early", "mid" or "late"
    ("in their 20's" is an age)."""
    if ctx.zh or not _DECADE_SUFFIX.match(ctx.q.text[n.end:n.end + 3]) or n.kind != "number":
        return None
    if year_like(n) and int(n.value) % 10 == 0:
        return n
    before = ctx.q.text[max(0, n.start - 8):n.start].split()
    if float(n.value).is_integer() and int(n.value) in range(20, 100, 10) and before and \
            before[-1] in ("the", "early", "mid", "late", "mid-"):
        from dataclasses import replace

        return replace(n, value=1900 + int(n.value))
    return None


def _numeric_text_before(ctx: Context, position: int) -> str | None:
    """The last column named before ``position`` that keeps numbers as text, if it is the nearest mention."""
    before = [(i, c, m) for i, c, m in ctx.mentioned("text", "number", "date", free=False) if m.span.end <= position]
    if not before or not numeric_text(ctx, before[-1][1]) or ctx.index.columns[before[-1][1]].duration_share >= 0.5:
        return None
    ctx.used.add(before[-1][0])
    return before[-1][1]


def _ordinal_filter(ctx: Context, n: Any) -> bool:
    from shuxi.ask.ordinals import ordinal_filter

    return ordinal_filter(ctx, n)


def _unit_threshold(ctx: Context, n: Any) -> bool:
    """"over five minutes", "at least 60,000 people", "below 3200 feet": the column the unit names."""
    from shuxi.ask.units import unit_threshold

    word = threshold_word(ctx, n.start, n.end)
    found = comparison(word, place=False, duration=True, year=False) if word else None
    return found is not None and unit_threshold(ctx, n, found[0])


_MONEY_HINTS = ("$", "€", "£", "¥", "money", "earnings", "prize", "purse", "salary", "revenue", "gross", "usd", "us$")


def _money_column(ctx: Context, n: Any) -> str | None:
    """"made at least $40,000": the table's one money column."""
    if not re.search(r"[$€£¥]\s*$", ctx.q.text[:n.start]) and not re.match(r"\s*(dollars|euros|pounds)", ctx.q.text[n.end:]):
        return None
    money = [c for c in ctx.index.of_kind("number") if any(h in c.lower() for h in _MONEY_HINTS)]
    return money[0] if len(money) == 1 else None


def _zero_filters(ctx: Context) -> None:
    """"did not win any gold medals", "nations with no silver": the number column is 0 (and "no zip code listed":
    an empty text cell, see :mod:`shuxi.ask.blanks`)."""
    from shuxi.ask.blanks import blank_filters

    if ctx.zh:
        return
    blank_filters(ctx)
    for i, column, m in ctx.mentioned("number"):
        if any(f.column == column for f in ctx.filters):
            continue
        none = ctx.word_before(m.span.start, ["no", "zero", "not any", "n't any", "not win any", "not have any"], 2)
        negated_any = ctx.word_before(m.span.start, ["any"], 1) and ctx.word_before(m.span.start, ["not", "n't", "never"], 16)
        if none or negated_any:
            ctx.filters.append(Filter(column=column, op="=", value=0))
            ctx.used.add(i)


def lone_word_filters(ctx: Context) -> None:
    """"how many goals did hateley score?", "how many times did dicksboro win the championship?", "how many lego
    games are there?": a lone word found inside the cells of one column is the question's condition when the
    question names no other; beside another condition ("how many times was swecon held in uppsala?" — Swecon is
    the table's subject, in one cell) it is dropped. Called last among the condition steps, since it needs to know
    whether any other condition was found; English only, like the zero and blank conditions before it."""
    if ctx.zh:
        return
    lone = [p for p in ctx.partials if p.lone]
    if not lone:
        return
    if ctx.filters:
        ctx.partials = [p for p in ctx.partials if not p.lone]
        return
    for p in lone:
        negated = _is_negated(ctx, p.span.start, p.span.end)
        ctx.filters.append(Filter(column=p.column, op="not_contains" if negated else "contains", value=p.value))


def _age_equal(ctx: Context, n: Any) -> bool:
    from shuxi.ask.units import age_filter

    return age_filter(ctx, _value_number(n), "=")


def _value_number(n: Any) -> Any:
    """``n`` with its value as the filter writes it (5, not 5.0)."""
    from dataclasses import replace

    return replace(n, value=n.plain)


_OF_NUMBER = re.compile(r"\s+of\s*$")


def _comparison_before_column(ctx: Context, n: Any) -> str | None:
    """"finalists under the age of 25", "women above the age of 45", "players over a weight of 200": the comparison
    word comes before the number column it names, the number after "of"."""
    if ctx.zh:
        return None
    for _, _, m in ctx.mentioned("number"):
        if m.span.end <= n.start and _OF_NUMBER.fullmatch(ctx.q.text[m.span.end:n.start]) and m.strength > 0:
            article = re.search(r"(?:\s+(?:the|a|an))?\s*$", ctx.q.text[:m.span.start])
            start = article.start() if article else m.span.start
            return ctx.word_before(start + 1, lx.GREATER_WORDS + lx.LESS_WORDS, 1)
    return None


def _column_of_number(ctx: Context, n: Any) -> str | None:
    """"how many communities have a population of zero?", "episodes that had a nightly rank of 11": a number column
    named right before "of N", with no comparison word, is equal to N."""
    if re.match(r"\s*[a-z]", ctx.q.text[n.end:n.end + 2]) or not re.fullmatch(r"[\d,.]+|[a-z]+", ctx.q.text[n.start:n.end]):
        return None  # "the heat of 100m": a distance, not 100 million
    for i, column, m in ctx.mentioned("number"):
        if m.span.end <= n.start and _OF_NUMBER.fullmatch(ctx.q.text[m.span.end:n.start]) and m.strength > 0:
            ctx.used.add(i)
            return column
    return None


def _text_number_of(ctx: Context, n: Any) -> bool:
    """"how many wrestlers had a time of 6:47?", "how many high jumpers had a result of 2.19?", "a score of 139":
    a column that keeps its numbers or times as text ("2.19 m", "6:47"), named right before "of N", equals N
    (a time in seconds). True when the filter was added."""
    if re.match(r"\s*[a-z]", ctx.q.text[n.end:n.end + 2]):
        return False
    for i, column, m in ctx.mentioned("text"):
        info = ctx.index.columns[column]
        if m.span.end <= n.start and _OF_NUMBER.fullmatch(ctx.q.text[m.span.end:n.start]) and m.strength > 0 and \
                numeric_text(ctx, column) and (n.kind != "duration" or info.duration_share >= 0.5):
            value = duration_value(ctx, column, n.plain) if n.kind == "duration" else n.plain
            ctx.used.add(i)
            ctx.filters.append(Filter(column=column, op="=", value=value, number=True))
            return True
    return False


def _counted_column_after(ctx: Context, n: Any) -> str | None:
    """A number column named right after a count ("3 fl trophies", "one silver medal"), unless "top 3 …"."""
    if ctx.word_before(n.start, ["top", "first", "last", "bottom", "the", "in", "over", "past", "next"], 2) or \
            ctx.has(lx.TIER_WORDS + lx.GROUP_WORDS + ["into"]):
        return None
    for i, column, m in ctx.mentioned("number"):
        if 0 <= m.span.start - n.end <= 1 and m.strength > 0:
            ctx.used.add(i)
            return column
    return None


def _column_after(ctx: Context, position: int) -> str | None:
    for i, column, m in ctx.mentioned("number"):
        if m.span.start >= position and m.span.start - position <= 12:
            ctx.used.add(i)
            return column
    return None


def _is_tier_context(ctx: Context) -> bool:
    return ctx.has(lx.TIER_WORDS) and (ctx.has(["分成", "分为", "划分", "split", "divide", "group into", "bucket"])
                                       or ctx.has(["为低档", "为中档", "为高档", "as low", "as high", "as medium"]))


def counts_rows(ctx: Context) -> bool:
    """"how many awards did she win before 2010?", "how many artists scored more than 30 points?": under a
    condition, "how many X" counts the rows that meet it (each row is one award, one entry), not the different
    values of X; "how many different X" still counts values. English only: Chinese says 多少种 for values."""
    if ctx.zh or not ctx.filters:
        return False
    return not ctx.has(lx.AGGREGATE_WORDS["count_distinct"] + ["various"])


# -- results written as a letter: "W 24–10", "L 7–21", "T 14–14" ----------------------------------------------

_RESULT_CELL = re.compile(r"\s*([WLTD])(?:\s|$|[0-9(])")
#: Question words for each result letter ("how many games did they win?", "how many losses were there?").
_RESULT_WORDS = {"W": ("win", "won", "wins", "victory", "victories"), "L": ("lose", "lost", "loss", "losses"),
                 "T": ("tie", "tied", "ties"), "D": ("draw", "drew", "drawn", "draws")}


def _result_letters(ctx: Context) -> None:
    """"how many games did illinois win?" on a Result column of "W 95-64" / "L 60-72" cells: the rows whose result
    starts with W (the cells listed, from the index), when no column or cell already carries the word."""
    if ctx.zh or ctx.index.rows > SMALL_TABLE_ROWS:
        return
    columns = []
    for column in ctx.index.of_kind("text"):
        counts = ctx.index.columns[column].counts
        letters = [m.group(1) for v in counts if (m := _RESULT_CELL.match(str(v)))]
        if counts and len(letters) >= 0.6 * len(counts) and {"W", "L"} <= set(letters):
            columns.append(column)
    if len(columns) != 1 or any(f.column == columns[0] for f in ctx.filters):
        return
    column = columns[0]
    taken = [(m.span.start, m.span.end) for m in ctx.columns] + [(v.span.start, v.span.end) for v in ctx.values]
    found = []
    for letter, words in _RESULT_WORDS.items():
        for word in words:
            for match in re.finditer(rf"\b{word}\b", ctx.q.text):
                if not any(a <= match.start() < b for a, b in taken):
                    found.append(letter)
    if len(set(found)) != 1:
        return  # no result word, or "wins and losses": not one result
    letter = found[0]
    cells = [v for v in ctx.index.columns[column].counts if (m := _RESULT_CELL.match(str(v))) and m.group(1) == letter]
    if cells:
        ctx.filters.append(Filter(column=column, op="in", values=sorted(cells, key=str)))


SMALL_TABLE_ROWS = 5000
