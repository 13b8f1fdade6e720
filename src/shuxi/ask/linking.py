"""Schema and value linking: which columns and which cell values a question talks about.

:class:`TableIndex` is built once per dataset with a few bounded queries (row count, distinct counts, the
values of low-cardinality text columns, the latest date) and cached on the dataset. :func:`link` finds the
column names (exact, lexicon synonyms, user synonyms, then partial and fuzzy matches of the words jieba
segments) and the cell values a question mentions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa
from sqlglot import exp

from shuxi.ask import lexicon
from shuxi.ask.text import Question, Span, normalize, phrase_tokens
from shuxi.data.source import polarity_of

if TYPE_CHECKING:
    import datetime as dt

    from shuxi.data.dataset import Dataset

ColumnKind = Literal["number", "text", "date", "bool"]

#: Text columns with at most this many distinct values are indexed for value linking.
MAX_VALUES = 2000
#: Tables this small have every text value indexed, whatever the cardinality (lookup tables, WTQ tables).
SMALL_TABLE = 5000
#: Values longer than this are free text, not something a question names.
MAX_VALUE_LENGTH = 80


@dataclass
class ColumnInfo:
    name: str
    kind: ColumnKind
    type: pa.DataType
    #: Phrases that name the column, with how strongly: 3 its own name, 2 a user synonym, 1 a lexicon synonym.
    phrases: dict[tuple[str, ...], int] = field(default_factory=dict)
    distinct: int | None = None
    unique: bool = False
    #: Rows holding each indexed value (text columns of indexed tables): is "Japan" one row or several?
    counts: dict[Any, int] = field(default_factory=dict)
    #: Share of the indexed values that start with a number ("250", "4th", "1:23.4"): a number column kept as text.
    numeric_share: float = 0.0
    #: Share of the indexed values that start with a duration ("1:55.3", "2:10:23"): race times, track lengths.
    duration_share: float = 0.0
    #: Smallest and largest value of a number column.
    low: float | None = None
    high: float | None = None
    #: The unit the reader took off a number column's cells ("3,465 ft" → "ft"), "" when none.
    unit: str = ""
    #: How many rows of a number column hold a value (blank ranks of medal rows are NULL); None for text.
    filled: int | None = None
    #: Which cell is the negative class and which the positive one, when the table says so (a label column written
    #: by ``shuxi text predict``: {"negative": 0, "positive": 1}); None otherwise.
    polarity: dict[str, Any] | None = None


@dataclass
class TableIndex:
    table: str
    rows: int
    columns: dict[str, ColumnInfo]
    #: normalised value tokens → [(column, original value)]
    values: dict[tuple[str, ...], list[tuple[str, Any]]]
    latest: dt.date | None
    #: The order columns appear in the table (first column is often the row label in lookup tables).
    order: list[str]
    #: first token → (value tokens, column, value) of multi-word values, built on first use by :func:`partial_values`.
    _by_token: dict[str, list[tuple[tuple[str, ...], str, Any]]] | None = None

    def of_kind(self, *kinds: ColumnKind) -> list[str]:
        return [c for c in self.order if self.columns[c].kind in kinds]


def column_kind(kind: pa.DataType) -> ColumnKind:
    if pa.types.is_boolean(kind):
        return "bool"
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "number"
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return "date"
    return "text"


def column_words(name: str) -> str:
    """"order_date" → "order date", "unitPrice" → "unit price": how people say a column name."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return re.sub(r"[_\-./]+", " ", spaced).strip()


def _bare_name(name: str) -> str:
    """"Density\n(inhabitants/km2)" → "density", "Total:" → "total", "Money ($)" → "money"; "" when nothing is left
    or nothing was removed."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
    bare = re.sub(r"[^\w\s'&-]+", " ", bare, flags=re.UNICODE)
    bare = re.sub(r"\s+", " ", column_words(bare)).strip()
    return bare if bare and bare.lower() != column_words(name).strip().lower() else ""


def _synonym_groups() -> dict[tuple[str, ...], list[int]]:
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, group in enumerate(lexicon.COLUMN_SYNONYMS):
        for word in group:
            groups.setdefault(phrase_tokens(word), []).append(i)
    return groups


_GROUPS = _synonym_groups()


def build_index(ds: Dataset) -> TableIndex:
    """Profile ``ds`` just enough to link questions to it (a handful of bounded queries)."""
    schema = ds.schema
    columns: dict[str, ColumnInfo] = {}
    for field_ in schema:
        info = ColumnInfo(field_.name, column_kind(field_.type), field_.type, unit=_unit_of(field_),
                          polarity=polarity_of(field_))
        _add_phrase(info, field_.name, 3)
        _add_phrase(info, column_words(field_.name), 3)
        columns[field_.name] = info
    # "Total:", "Density\n(inhabitants/km2)", "Area (km²)": the name without its units and punctuation, as a
    # question says it ("total", "density"), when no other column shortens to the same words; below the exact
    # names, so a column really called "Density" still wins.
    short = {name: _bare_name(name) for name in columns}
    for name, phrase in short.items():
        if phrase and list(short.values()).count(phrase) == 1:
            _add_phrase(columns[name], phrase, 2)
    # Lexicon synonyms: a column named by one word of a group answers to the others, and a column whose name
    # contains a group word ("总销售额") answers to that word's group at a lower strength.
    for info in columns.values():
        own = [p for p, w in info.phrases.items() if w == 3]
        for phrase in own:
            for g in _GROUPS.get(phrase, []):
                for word in lexicon.COLUMN_SYNONYMS[g]:
                    _add_phrase(info, word, 1)
    for key, value in (ds.synonyms or {}).items():
        for column, words in _user_synonyms(key, value, columns):
            for word in words:
                _add_phrase(columns[column], word, 2)

    table = exp.to_identifier(ds.name, quoted=True)
    text_cols = [c for c in columns.values() if c.kind in ("text", "bool")]
    date_cols = [c for c in columns.values() if c.kind == "date"]
    stats = [exp.alias_(exp.Count(this=exp.Star()), "__rows", quoted=True)]
    for i, c in enumerate(text_cols):
        stats.append(exp.alias_(exp.ApproxDistinct(this=exp.column(c.name, quoted=True)), f"__d{i}", quoted=True))
    for i, c in enumerate(date_cols):
        stats.append(exp.alias_(exp.Max(this=exp.column(c.name, quoted=True)), f"__t{i}", quoted=True))
    num_cols = [c for c in columns.values() if c.kind == "number"]
    for i, c in enumerate(num_cols):
        stats.append(exp.alias_(exp.Min(this=exp.column(c.name, quoted=True)), f"__lo{i}", quoted=True))
        stats.append(exp.alias_(exp.Max(this=exp.column(c.name, quoted=True)), f"__hi{i}", quoted=True))
        stats.append(exp.alias_(exp.Count(this=exp.column(c.name, quoted=True)), f"__n{i}", quoted=True))
    row = ds.engine.execute(exp.select(*stats).from_(exp.Table(this=table)), limit=1).to_pylist()[0]
    rows = int(row["__rows"] or 0)
    latest = None
    for i, _ in enumerate(date_cols):
        value = row[f"__t{i}"]
        if value is not None:
            value = value.date() if hasattr(value, "date") and callable(value.date) else value
            latest = value if latest is None or value > latest else latest
    for i, c in enumerate(num_cols):
        low, high = row[f"__lo{i}"], row[f"__hi{i}"]
        c.low = float(low) if low is not None else None
        c.high = float(high) if high is not None else None
        c.filled = int(row[f"__n{i}"] or 0)
    values: dict[tuple[str, ...], list[tuple[str, Any]]] = {}
    for i, c in enumerate(text_cols):
        approx = int(row[f"__d{i}"] or 0)
        c.distinct = approx
        if approx > MAX_VALUES and rows > SMALL_TABLE:
            continue
        col = exp.column(c.name, quoted=True)
        query = (exp.select(exp.alias_(col, "v", quoted=True), exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True))
                 .from_(exp.Table(this=table)).where(exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null())))
                 .group_by(exp.Literal.number(1))
                 # ties in the order of the values themselves: the engine lists groups in no fixed order, and
                 # the first of several cells that shorten to the same words is the one linked (nt-990 changed
                 # answers between runs)
                 .order_by(exp.Ordered(this=exp.column("n", quoted=True), desc=True),
                           exp.Ordered(this=exp.column("v", quoted=True)))
                 .limit(MAX_VALUES + 1 if rows > SMALL_TABLE else SMALL_TABLE + 1))
        found = ds.engine.execute(query).to_pylist()
        c.distinct = len(found)
        c.unique = rows > 1 and len(found) == rows and all(r["n"] == 1 for r in found)
        c.counts = {r["v"]: int(r["n"]) for r in found}
        c.numeric_share = sum(bool(_LEADING_NUMBER.match(str(r["v"]))) for r in found) / len(found) if found else 0.0
        c.duration_share = sum(bool(_DURATION.match(str(r["v"]))) for r in found) / len(found) if found else 0.0
        for r in found:
            v = r["v"]
            text = str(v).lower() if isinstance(v, bool) else str(v)
            if not text.strip() or len(text) > MAX_VALUE_LENGTH:
                continue
            for variant in _value_variants(text):
                key = phrase_tokens(variant)
                if key and (c.name, v) not in values.get(key, []):
                    values.setdefault(key, []).append((c.name, v))
    return TableIndex(table=ds.name, rows=rows, columns=columns, values=values, latest=latest, order=list(schema.names))


def _unit_of(field_: pa.Field) -> str:
    """The unit the reader recorded for a number column it converted from text ("unit ft" in its detail)."""
    detail = (field_.metadata or {}).get(b"shuxi.detail", b"").decode("utf-8", "replace")
    found = re.search(r"(?:^|, )unit ([^,]+)", detail)
    return found.group(1).strip() if found else ""


_LEADING_NUMBER = re.compile(r"\s*[$€£¥]?\s*[-+−–]?\d")
_DURATION = re.compile(r"\s*\d{1,3}(?::[0-5]\d){1,2}(?![\d:])")
_FOOTNOTE = re.compile(r"\s*(\[[^\]]{1,6}\]|[†‡*§¶#]+)\s*$")


def _value_variants(text: str) -> list[str]:
    """A cell and the shorter forms people use for it: without footnote marks ("Italy[3]", "Rome†"), without a
    trailing parenthesis ("Butler CC (KS)" → "Butler CC") and before the first comma ("Paris, France")."""
    out = [text]
    base = _FOOTNOTE.sub("", text).strip()
    for variant in (base, re.sub(r"\s*\([^)]*\)\s*$", "", base).strip(), base.split(",")[0].strip()):
        if variant and variant not in out and len(variant) >= 3:
            out.append(variant)
    return out


def _add_phrase(info: ColumnInfo, phrase: str, weight: int) -> None:
    key = phrase_tokens(phrase)
    if key and info.phrases.get(key, 0) < weight:
        info.phrases[key] = weight


def _user_synonyms(key: str, value: Any, columns: Mapping[str, ColumnInfo]) -> list[tuple[str, list[str]]]:
    """``{"column": ["word", …]}`` or ``{"word": "column"}``, whichever way round the user wrote it."""
    from shuxi.errors import ColumnNotFoundError

    if key in columns:
        words = [value] if isinstance(value, str) else list(value)
        return [(key, [str(w) for w in words])]
    if isinstance(value, str) and value in columns:
        return [(value, [key])]
    raise ColumnNotFoundError(key if not isinstance(value, str) else value, available=list(columns))


# -- finding mentions ------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMention:
    columns: tuple[str, ...]  # more than one when the phrase fits several columns equally
    span: Span
    strength: int  # 3 exact name, 2 user synonym, 1 lexicon synonym, 0 partial or fuzzy
    phrase: str


@dataclass(frozen=True)
class ValueMention:
    column: str
    value: Any
    span: Span
    #: Other columns holding the same value (the planner prefers a column the question also names).
    alternatives: tuple[str, ...] = ()
    #: A lone word found inside cells with nothing else to vouch for it ("how many goals did hateley score?"): a
    #: condition only when the question names no other (see :func:`shuxi.ask.filters.lone_word_filters`).
    lone: bool = False


def link(question: Question, index: TableIndex) -> tuple[list[ColumnMention], list[ValueMention]]:
    """The columns and cell values ``question`` mentions, without overlaps (longer phrases win)."""
    phrase_owners: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    for info in index.columns.values():
        for phrase, weight in info.phrases.items():
            phrase_owners.setdefault(phrase, []).append((info.name, weight))
    found: list[tuple[Span, int, object]] = []
    for phrase, owners in phrase_owners.items():
        for span in question.find(phrase):
            best = max(w for _, w in owners)
            cols = tuple(c for c, w in owners if w == best)
            found.append((span, 10 + best, ColumnMention(cols, span, best, " ".join(phrase))))
    for key, owners in index.values.items():
        spans = question.find(key)
        if not spans:
            continue
        original = question.text
        for span in spans:
            surface = original[span.start:span.end]
            owners_here = owners
            # One- and two-letter values ("A", "us") must match in case too, or articles become filters.
            if len(surface) <= 2 and surface.isascii():
                raw = question.original
                owners_here = [(c, v) for c, v in owners if str(v) in _raw_tokens(raw)]
                if not owners_here and _lowercase_code(question, span, index):
                    owners_here = [(c, v) for c, v in owners if str(v).strip().lower() == surface.lower()]
                if not owners_here:
                    continue
            column, value = _closest_owner(question, owners_here)
            alternatives = tuple(c for c, _ in owners_here if c != column)
            found.append((span, 12, ValueMention(column, value, span, alternatives)))
    found += _country_mentions(question, index)
    found += _role_mentions(question, index, {m.column for _, _, m in found if isinstance(m, ValueMention)})
    found += _outcome_mentions(question, index)
    found += _polarity_mentions(question, index)
    # Longest span first; at equal length, exact column names (13) > values (12) > user (12) > lexicon and
    # country names (11).
    found.sort(key=lambda f: (-(f[0].end - f[0].start), -f[1], f[0].start))
    kept: list[tuple[Span, int, object]] = []
    for span, priority, mention in found:
        if all(span.end <= k.start or span.start >= k.end for k, _, _ in kept):
            kept.append((span, priority, mention))
    kept.sort(key=lambda f: f[0].start)
    columns = [m for _, _, m in kept if isinstance(m, ColumnMention)]
    values = [m for _, _, m in kept if isinstance(m, ValueMention)]
    return columns, values


def _closest_owner(question: Question, owners: Sequence[tuple[str, Any]]) -> tuple[str, Any]:
    """Of several cells of one column that shorten to the words found ("2000 (total population)" and "2000
    (Hispanic only)" both read "2000"), the one whose other words the question also says ("whites in the 2000
    population"); else the first."""
    column = owners[0][0]
    same = [v for c, v in owners if c == column]
    if len(same) < 2:
        return owners[0]
    words = set(question.words)
    shared = [len(words & set(phrase_tokens(str(v)))) for v in same]
    return column, same[shared.index(max(shared))]


#: Common English words never taken for part of a cell value on their own.
_COMMON = frozenset("""
about above after again against also among another around been before being below between both came come
could during each first from have into just last least less like listed made make many more most much name
next only other over same since some such than that their them then there these they this those through
total under until very were what when where which while whom whose will with would year years team teams
game games number times time held played play won win wins lost loss record season city country state
people person place named called first second third fourth fifth final round title album song film
""".split())


@lru_cache(maxsize=1)
def _country_aliases() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Question phrase → the cell texts (as tokens) it may stand for, best first: "kenyan" → Kenya, KEN."""
    out: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for country, words in lexicon.COUNTRY_NAMES.items():
        targets = tuple(phrase_tokens(t) for t in (country, *lexicon.COUNTRY_CODES.get(country, ())))
        for word in (country, *words):
            key = phrase_tokens(word)
            out[key] = out.get(key, ()) + tuple(t for t in targets if t != key)
    return out


#: Words before "us" that make it the pronoun ("tell us"), not the United States.
_PRONOUN_US = frozenset({"tell", "give", "show", "let", "help", "for", "to", "with", "of", "gave", "told", "showed"})


#: Words after "us"/"uk" that make a name of an event or a chart ("us open", "uk singles chart").
_US_THINGS = frozenset({"open", "chart", "single", "album", "top", "hot", "billboard", "mainstream", "rap", "country",
                        "dance", "pop", "r&b", "rock", "modern", "adult", "airplay", "indie", "championship", "cup",
                        "amateur", "senior", "national", "army", "navy", "air", "marine", "route", "highway", "house",
                        "senate", "congress", "census", "dollar", "version", "release", "edition", "tour"})


def _country_mentions(question: Question, index: TableIndex) -> list[tuple[Span, int, object]]:
    """"kenyan" → a Kenya cell, "the usa" → United States, "british" → GBR: countries named the way people say
    them, linked to the spelling the table uses (its first one found)."""
    out: list[tuple[Span, int, object]] = []
    words = question.words
    for phrase, targets in _country_aliases().items():
        spans = question.find(phrase)
        for span in spans:
            if phrase == ("us",) and span.first > 0 and words[span.first - 1] in _PRONOUN_US:
                continue
            if span.last < len(words) and words[span.last] in _US_THINGS and len(phrase) == 1 and len(phrase[0]) <= 4:
                continue  # "the us open", "the uk singles chart": a named event or chart, not the country
            for target in targets:
                owners = index.values.get(target)
                if owners:
                    column, value = owners[0]
                    out.append((span, 11, ValueMention(column, value, span, tuple(c for c, _ in owners[1:]))))
                    break
    return out


#: A column of codes: most cells are one to three capital letters ("QB", "Dem", "GK").
_CODE_CELL = re.compile(r"[A-Z][A-Za-z]{0,2}\.?")


def _role_mentions(question: Question, index: TableIndex, named: set[str]) -> list[tuple[Span, int, object]]:
    """"how many senators are democrats?" on a Party column of "Dem"/"Rep", "how many quarterbacks were drafted?"
    on Position "QB": a role named in full links to its code (:data:`lexicon.ROLE_CODES`) when the table writes
    roles as codes in one column and never spells this one out, and the question names no code of that column
    itself ("how many f/c's (forward/center) …": the words explain the code)."""
    out: list[tuple[Span, int, object]] = []
    for role, codes in lexicon.ROLE_CODES.items():
        for span in question.find(phrase_tokens(role)):
            if index.values.get(phrase_tokens(role)):
                continue  # the table spells the role out: the cell itself links
            hits = [(column, code) for code in codes for column, value in index.values.get(phrase_tokens(code), ())
                    if value == code and _code_column(index, column)]
            columns = {column for column, _ in hits}
            if len(columns) == 1 and not columns & named:
                column, code = hits[0]
                out.append((span, 11, ValueMention(column, code, span)))
    return out


def _outcome_mentions(question: Question, index: TableIndex) -> list[tuple[Span, int, object]]:
    """"how many drivers did not finish the race?" on Pos cells "Ret", "did not start" on Time cells "DNS": the
    words of an outcome link to the cell that writes it (:data:`lexicon.OUTCOME_CODES`), the first such cell the
    table has (in one column only). The span covers the whole phrase, so its "not" negates nothing else."""
    out: list[tuple[Span, int, object]] = []
    for pattern, codes in lexicon.OUTCOME_CODES.items():
        match = re.search(pattern, question.text)
        if match is None:
            continue
        for code in codes:
            owners = [(c, v) for c, v in index.values.get(phrase_tokens(code), ()) if str(v).strip() == code]
            if owners:
                if len({c for c, _ in owners}) == 1:
                    first, last = question.char_to_token(match.start(), match.end())
                    span = Span(first, last, match.start(), match.end())
                    out.append((span, 13, ValueMention(owners[0][0], owners[0][1], span)))
                break
    return out


def _polarity_mentions(question: Question, index: TableIndex) -> list[tuple[Span, int, object]]:
    """"差评", "负面评价", "negative reviews" on a sentiment label column written another way (neg/pos, 负面/正面,
    差评/好评; :data:`lexicon.POLARITY`): the word links to that column's cell of the same side. Only a column of
    nothing but such labels (and neutral ones) qualifies; of several (true and predicted labels side by side), the
    one the question names, else the question is asked back. A word the table holds as a cell itself links to that
    cell as usual. A column whose metadata records its polarity (0/1 labels written by ``shuxi text predict`` from a
    sentiment classifier) qualifies with the cells it names. On any other 0/1 label column nothing says which
    number is the bad review: the question is refused with the way to ask it, not answered without 差评."""
    labels = {phrase_tokens(w): side for side, words in lexicon.POLARITY.items() for w in words}
    said = [(span, side) for word, side in labels.items() if not index.values.get(word) for span in question.find(word)]
    if not said:
        return []
    neutral = {phrase_tokens(w) for w in lexicon.NEUTRAL_LABELS}
    sides: dict[str, dict[str, Any]] = {}  # column → side → its cell
    for info in index.columns.values():
        if info.polarity is not None:  # the table says which cell is which (0/1 labels from `shuxi text predict`)
            sides[info.name] = dict(info.polarity)
            continue
        if info.kind != "text" or not info.counts or len(info.counts) > 5:
            continue
        keys = {value: phrase_tokens(str(value)) for value in info.counts}
        if all(k in labels or k in neutral for k in keys.values()):
            found = {labels[k]: value for value, k in keys.items() if k in labels}
            if len(found) == 2:
                sides[info.name] = found
    word = question.original[said[0][0].start:said[0][0].end]
    if not sides:
        _refuse_binary_labels(question, index, word)
        _refuse_review_words(question, index)
        return []
    if len(sides) > 1:
        named = [c for c in sides if question.find(phrase_tokens(c))]
        if len(named) != 1:
            from shuxi.ask.context import AmbiguousQuestionError

            raise AmbiguousQuestionError(word, list(sides), language=question.language, value=True)
        sides = {named[0]: sides[named[0]]}
    column, cells = next(iter(sides.items()))
    return [(span, 11, ValueMention(column, cells[side], span)) for span, side in said]


def _refuse_binary_labels(question: Question, index: TableIndex, said: str) -> None:
    """A PlanError when the table has a 0/1 integer column: ``said`` ("差评") may mean either of its numbers."""
    from shuxi.errors import PlanError

    binary = [c.name for c in index.columns.values()
              if c.kind == "number" and pa.types.is_integer(c.type) and c.low == 0 and c.high == 1]
    if not binary:
        return
    column = binary[0]
    if question.language == "zh":
        raise PlanError(f"“{said}”不是表里的值：{column}只有0和1两个值，看不出哪个是“{said}”。",
                        hint=f"请直接写出值，例如“{column}为0的占比”。")
    raise PlanError(f"{said!r} is not a value of this table: {column} holds only 0 and 1, and nothing says "
                    f"which of them is {said!r}.", hint=f"Name the value instead, for example 'share of {column} = 0 by …'.")


def _refuse_review_words(question: Question, index: TableIndex) -> None:
    """A PlanError when the question asks about 差评/好评 ("negative reviews") and no column holds such labels or
    is named by the word ("差评数"): answering without the word would count every review."""
    from shuxi.errors import PlanError

    said = next((w for w in lexicon.REVIEW_WORDS if question.find(w)), None)
    if said is None:
        found = re.search(lexicon.REVIEW_PHRASES_EN, question.text)
        said = question.original[found.start():found.end()] if found else None
    if said is None or any(word.lower() in name.lower() for word in said.split() for name in index.columns):
        return
    if question.language == "zh":
        raise PlanError(f"表里没有标出“{said}”的列：没有一列只含差评/好评这样的标签。",
                        hint="先用 shuxi text predict 给评论打上标签，或直接写出条件，例如“评分小于3的占比”。")
    raise PlanError(f"No column of this table says which rows are {said!r}: none holds only labels such as "
                    "negative/positive.", hint="Label the reviews with `shuxi text predict` first, or name the "
                                               "condition itself, for example 'share of rating < 3 by region'.")


def _code_column(index: TableIndex, column: str) -> bool:
    cells = [str(v) for v in index.columns[column].counts]
    return bool(cells) and sum(bool(_CODE_CELL.fullmatch(c.strip())) for c in cells) >= 0.6 * len(cells)


def country_code_parts(question: Question, index: TableIndex, taken: Sequence[Span]) -> list[ValueMention]:
    """"kenyan" on a table of "Joseph Kahugu (KEN)" cells: the country's code in brackets, as part of a cell
    (a contains-filter), when no cell is the country itself. Every column holding the code is given: the one
    holding it most often first, the others as alternatives."""
    if index.rows > SMALL_TABLE:
        return []
    out: list[ValueMention] = []
    for phrase, _ in _country_aliases().items():
        for span in question.find(phrase):
            if any(not (span.end <= t.start or span.start >= t.end) for t in taken):
                continue
            country = next((c for c, words in lexicon.COUNTRY_NAMES.items()
                            if phrase in {phrase_tokens(w) for w in (c, *words)}), None)
            for code in lexicon.COUNTRY_CODES.get(country or "", ()):
                if not (len(code) == 3 and code.isupper()):
                    continue
                marked = f"({code})"
                counts: dict[str, int] = {}
                for key, owners in index.values.items():
                    if code.lower() in key:
                        for column, value in owners:
                            if marked in str(value):
                                counts[column] = counts.get(column, 0) + 1
                if counts:
                    columns = sorted(counts, key=lambda c: -counts[c])
                    out.append(ValueMention(columns[0], marked, span, tuple(columns[1:])))
                    break
    return out


_PLACE_WORDS = frozenset({"in", "at", "from", "by", "against", "near", "to", "for", "after", "before", "behind",
                          "than", "beat", "defeated", "versus", "vs"})


def partial_values(question: Question, index: TableIndex, taken: Sequence[Span], stop: frozenset[str] | set[str]
                   ) -> list[ValueMention]:
    """Words of the question that are part of a longer cell ("canada" in "Toronto, Canada", a name in a list
    of scorers), as :class:`ValueMention` objects whose ``value`` is that part of the cell's own text.

    Only for tables whose every text value is indexed; the longest run of words wins; a single word must be
    a rare one (four letters or more, not a common English word or a keyword) found in one column only.
    """
    if index.rows > SMALL_TABLE:
        return []
    if index._by_token is None:
        by_token: dict[str, list[tuple[tuple[str, ...], str, Any]]] = {}
        for key, owners in index.values.items():
            if len(key) < 2:
                continue
            for column, value in owners:
                for token in set(key):
                    by_token.setdefault(token, []).append((key, column, value))
        index._by_token = by_token
    words = question.words
    covered = [False] * len(words)
    for span in taken:
        for i in range(span.first, min(span.last, len(words))):
            covered[i] = True
    out: list[ValueMention] = []
    i = 0
    while i < len(words):
        found = None
        for n in range(min(5, len(words) - i), 0, -1):
            seq = tuple(words[i:i + n])
            if any(covered[i:i + n]) or not seq[0].isalpha() or not seq[-1].isalpha():
                continue
            content = [w for w in seq if w.isalpha() and len(w) >= 3 and w not in _COMMON and w not in stop]
            if n > 1 and len(content) < 2:
                continue  # "on display": one real word is too weak for a run of words
            if n == 1 and (not content or len(seq[0]) < 4):
                continue
            lone = n == 1 and not (i > 0 and words[i - 1] in _PLACE_WORDS)
            hits = [(key, column, value) for key, column, value in index._by_token.get(seq[0], ())
                    if len(key) > n and _contains(key, seq)]
            columns = _by_hits(hits, index.order)
            if not hits or (n == 1 and len(columns) > 1):
                continue
            if lone and not _names_a_thing(question, i, columns[0], index):
                continue  # a lone word as a place or an agent ("held in canada", "directed by sridhar"), or a name
            value = next(v for _, c, v in hits if c == columns[0])
            found = (n, columns, _cell_part(str(value), seq), lone)
            break
        if found is None:
            i += 1
            continue
        n, columns, part, lone = found
        span = Span(i, i + n, question.tokens[i].start, question.tokens[i + n - 1].end)
        out.append(ValueMention(columns[0], part, span, tuple(columns[1:]), lone=lone))
        i += n
    return out


def _names_a_thing(question: Question, i: int, column: str, index: TableIndex) -> bool:
    """A lone word that is part of a name the column holds ("how many goals did hateley score?" on Scorers cells
    "Hateley (2)", "how many times did yusuf win?" on "Yusuf Saad Kamel", "how many lego games are there?"):
    a word written as it is in the cells (not a plural or a possessive, which name kinds of rows or the table's
    subject: "how many locomotives …", "henrik malberg's last film"), naming no column, in a column of short
    cells (not notes, where any word of the question turns up somewhere)."""
    word = question.words[i]
    token = question.tokens[i]
    surface = question.text[token.start:token.end]
    if surface.endswith("s"):
        return False  # a plural or a possessive ("locomotives", "malberg's"); "lost" (lemma "lose") is kept
    words = question.words
    if (i + 1 < len(words) and words[i + 1] == "than") or (i > 0 and words[i - 1] in ("which", "what", "whose")):
        return False
    if any(word in key for info in index.columns.values() for key in info.phrases):
        return False
    from shuxi.ask.months import MONTHS

    if word in MONTHS:
        return False  # "in the month of october": the month rules read it
    cells = [str(v) for v in index.columns[column].counts]
    words_per_cell = sum(len(c.split()) for c in cells) / len(cells) if cells else 0.0
    return words_per_cell <= _SHORT_CELL_WORDS


#: Cells with more words than this on average are notes or descriptions, not names.
_SHORT_CELL_WORDS = 5.0


def _by_hits(hits: Sequence[tuple[tuple[str, ...], str, Any]], order: Sequence[str]) -> list[str]:
    """The columns of ``hits``, the one holding the most matching cells first; ties keep the table's column
    order ("black hawks" in both Visitor and Home is the Visitor's), never the order of a set."""
    counts: dict[str, int] = {}
    for _, column, _ in hits:
        counts[column] = counts.get(column, 0) + 1
    position = {c: i for i, c in enumerate(order)}
    return sorted(counts, key=lambda c: (-counts[c], position.get(c, len(position))))


def _contains(key: tuple[str, ...], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    return any(key[j:j + n] == seq for j in range(len(key) - n + 1))


def _cell_part(cell: str, seq: tuple[str, ...]) -> str:
    """The characters of ``cell`` that the tokens ``seq`` came from (its own case and accents where possible)."""
    from shuxi.ask.text import tokenize

    folded = normalize(cell)
    tokens = tokenize(folded)
    n = len(seq)
    for j in range(len(tokens) - n + 1):
        if tuple(t.text for t in tokens[j:j + n]) == seq:
            start, end = tokens[j].start, tokens[j + n - 1].end
            same_length = len(folded) == len(cell)
            return cell[start:end] if same_length else folded[start:end]
    return " ".join(seq)


#: Two-letter words that are English, not codes ("mf", "hd", "qb" are codes).
_SHORT_WORDS = frozenset("""
a an am as at be by do go he hi if in is it me my no of oh ok on or so to up us we vs ie eg mr dr jr st nd rd th
ft km pm lb kg mi ft
""".split())
#: Words after which a single letter is a code ("position s", "class c", "type a", "venue h").
_CODE_AFTER = frozenset({"as", "position", "type", "class", "venue", "grade", "group", "pool", "division", "tier",
                         "category", "rating", "letter", "code", "status", "tyre", "tyres", "tire", "tires"})


def _lowercase_code(question: Question, span: Span, index: TableIndex) -> bool:
    """A question written all in lower case ("how many players play either mf or df?") names a short code cell
    ("MF", "DF") by a word that is no English word; a single letter only when quoted, bracketed or after a word
    such as "position" or "class" ("position listed as s", "venue h", "(c)")."""
    raw = question.original
    if any(ch.isupper() for ch in raw):
        return False
    word = question.words[span.first]
    if span.last - span.first != 1 or word in _SHORT_WORDS or not word.isalpha():
        return False
    if len(word) == 2:
        return True
    before = question.text[:span.start].rstrip()
    after = question.text[span.end:span.end + 1]
    quoted = before[-1:] in ("\"", "'", "(", "“") and after in ("\"", "'", ")", "”")
    previous = question.words[span.first - 1] if span.first > 0 else ""
    return quoted or previous in _CODE_AFTER


def _raw_tokens(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9]+", text))


def fuzzy_columns(question: Question, index: TableIndex, taken: Sequence[Span], stop: set[str]) -> list[ColumnMention]:
    """Partial and fuzzy column matches among the words no exact phrase claimed.

    Chinese is segmented with jieba (column names added to its dictionary); a word of two or more characters
    that is part of a column name ("销售" in "销售额"), or an English word close to one ("reveune"), links to it.
    """
    words = _segment(question, index)
    mentions: list[ColumnMention] = []
    names = {c: normalize(column_words(c)) for c in index.columns}
    for start, end, word in words:
        if any(not (end <= s.start or start >= s.end) for s in taken):
            continue
        if word in stop or len(word) < 2 or (word.isascii() and len(word) < 4) or word.isdigit():
            continue
        hits = [c for c, n in names.items() if word in n]
        if not hits and word.isascii():
            hits = [c for c, n in names.items() if any(
                difflib.SequenceMatcher(None, word, part).ratio() >= 0.84 for part in n.split())]
        if not hits:
            lowered = {n: c for c, n in names.items()}
            close = difflib.get_close_matches(word, list(lowered), n=3, cutoff=0.8)
            hits = [lowered[c] for c in close]
        if hits:
            first, last = question.char_to_token(start, end)
            mentions.append(ColumnMention(tuple(hits), Span(first, last, start, end), 0, word))
    return mentions


def _segment(question: Question, index: TableIndex) -> list[tuple[int, int, str]]:
    text = question.text
    if question.language == "zh":
        tokenizer = _jieba()
        for name in index.columns:
            word = normalize(name)
            if word not in _ADDED:  # the dictionary is process-wide: add each column name once, not per question
                tokenizer.add_word(word, freq=50000)
                _ADDED.add(word)
        out, pos = [], 0
        for word in tokenizer.cut(text, HMM=False):
            out.append((pos, pos + len(word), word))
            pos += len(word)
        return [(s, e, w) for s, e, w in out if w.strip()]
    return [(t.start, t.end, text[t.start:t.end]) for t in question.tokens]


_TOKENIZER: Any = None
_ADDED: set[str] = set()


def _jieba() -> Any:
    """One jieba tokenizer for the process, loaded on first use (its dictionary takes ~0.5 s to load)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for group in lexicon.COLUMN_SYNONYMS:
            for word in group:
                if not word.isascii():
                    tokenizer.add_word(word, freq=20000)
        _TOKENIZER = tokenizer
    return _TOKENIZER
