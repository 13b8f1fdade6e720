"""What cell text *means*: value patterns, semantic types, missing placeholders and category variants.

Everything here works on a bounded set of values that came back from the engine (the exact value counts
of a low-cardinality column, or a sample of a large one), never on a whole table.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

#: Semantic types a column can have, in the order the report explains them.
SEMANTIC_TYPES = ("identifier", "category", "boolean", "number", "money", "percent", "datetime", "free_text",
                  "email", "phone", "cn_id", "url", "text", "empty")
#: Semantic types that identify people (the PII alert).
PII_TYPES = ("email", "phone", "cn_id")

#: Cell texts (trimmed, compared case-insensitively) that mean "no value"; "" and whitespace are counted apart.
PLACEHOLDERS = ("na", "n/a", "#n/a", "null", "none", "nan", "-", "--", "—", "——", "无", "暂无", "空", "?", "？", "未知")
#: Characters that count as white space in cells (ASCII, no-break and the ideographic space).
WHITESPACE = " \t\r\n\u00a0\u3000"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?:\+?86[ \-]?)?1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4}|(?:\+?[0-9]{1,3}[ \-])?\(?0?[0-9]{2,4}\)?[ \-][0-9]{3,4}[ \-]?[0-9]{4}")
_CN_ID = re.compile(r"[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]")
_URL = re.compile(r"(?:https?|ftp)://[^\s/$.?#].[^\s]*|www\.[^\s]+\.[a-z]{2,}[^\s]*", re.IGNORECASE)
_NUMBER = re.compile(r"[-+−]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_CURRENCY = re.compile(r"^(?:US\$|HK\$|\$|¥|￥|€|£|USD|RMB|CNY|EUR)\s*|\s*(?:元|块|美元|港元|欧元|USD|RMB|CNY)$")
_PERCENT = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?\s*[%％]")
#: A number followed (or preceded) by a currency or a unit: "100元", "$1,200", "35 kg", "3.5万".
_NUMBER_WITH_UNIT = re.compile(
    r"(?:US\$|HK\$|\$|¥|￥|€|£)?\s*[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\s*(?:[万亿千百]?[^\W\d_]{1,4}|[%％])?"
)
_DATE = re.compile(
    r"[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?Z?)?"
    r"|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}[-/][0-9]{1,2}"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
#: Suffixes that make variants of one category: "华东区" = "华东", "北京市" = "北京".
_CATEGORY_SUFFIXES = ("地区", "区域", "区", "省", "市", "县")


def is_missing_text(value: str | None) -> bool:
    """Whether a cell holds nothing: NULL, "", white space, or a placeholder such as "N/A", "-" or "无"."""
    return value is None or missing_kind(value) is not None


def missing_kind(value: str) -> str | None:
    """"empty", "whitespace" or "placeholder" for a missing cell's text, None for a real value."""
    if value == "":
        return "empty"
    stripped = value.strip(WHITESPACE)
    if stripped == "":
        return "whitespace"
    if stripped.lower() in PLACEHOLDERS:
        return "placeholder"
    return None


def value_pattern(value: str) -> str:
    """The shape of a cell: digits → 9, Latin letters → a/A, Chinese → 汉, runs collapsed ("A-123" → "A-9")."""
    text = re.sub(r"[0-9]+", "9", value)
    text = re.sub(r"[a-z]+", "a", text)
    text = re.sub(r"[A-Z]+", "A", text)
    text = _CJK.sub("汉", text)
    return text if len(text) <= 40 else text[:40] + "…"


def text_kind(value: str) -> str:
    """What one (trimmed, present) cell looks like: email, url, cn_id, phone, percent, money, number, date or text."""
    if _EMAIL.fullmatch(value):
        return "email"
    if _URL.fullmatch(value):
        return "url"
    if _CN_ID.fullmatch(value) and cn_id_valid(value):
        return "cn_id"
    if _PHONE.fullmatch(value):
        return "phone"
    if _PERCENT.fullmatch(value):
        return "percent"
    if _NUMBER.fullmatch(value):
        return "number"
    if _DATE.fullmatch(value):
        return "date"
    if _NUMBER_WITH_UNIT.fullmatch(value) and re.search(r"[0-9]", value):
        return "money" if _CURRENCY.search(value) else "number_with_unit"
    return "text"


def cn_id_valid(value: str) -> bool:
    """The ISO 7064 MOD 11-2 check digit of an 18-character Chinese resident ID number."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(value[:17], weights))
    return "10X98765432"[total % 11] == value[17].upper()


def kind_shares(counts: Mapping[str, int]) -> dict[str, float]:
    """Share of present cells of each :func:`text_kind`, from value → count (missing cells left out)."""
    kinds: Counter[str] = Counter()
    for value, count in counts.items():
        if value is None or is_missing_text(value):
            continue
        kinds[text_kind(value.strip(WHITESPACE))] += count
    total = sum(kinds.values())
    return {k: c / total for k, c in kinds.most_common()} if total else {}


def pattern_counts(counts: Mapping[str, int], *, top: int = 10) -> list[tuple[str, int]]:
    """The most common value patterns, from value → count."""
    patterns: Counter[str] = Counter()
    for value, count in counts.items():
        if value is not None:
            patterns[value_pattern(value)] += count
    return patterns.most_common(top)


def category_key(value: str) -> str:
    """The form two variants of one category share: full-width folded (NFKC), spaces removed, lower case, common
    suffixes (区/省/市…) dropped: "华东 ", "华东区" and "华东" share "华东"; "ＨＤ" and "hd" share "hd"."""
    key = unicodedata.normalize("NFKC", value)
    key = re.sub(r"[\s\u00a0\u3000]+", "", key).casefold()
    for suffix in _CATEGORY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    return key


def category_clusters(counts: Mapping[str, int]) -> list[list[tuple[str, int]]]:
    """Groups of two or more distinct values that are variants of one category, each most common first.

    Only present values take part; the first of each group is the spelling a cleaning plan keeps.
    """
    groups: dict[str, list[tuple[str, int]]] = {}
    for value, count in counts.items():
        if value is None or is_missing_text(value):
            continue
        groups.setdefault(category_key(value), []).append((value, count))
    clusters = [sorted(g, key=lambda vc: (-vc[1], _untidy(vc[0]), vc[0])) for g in groups.values() if len(g) > 1]
    return sorted(clusters, key=lambda g: -sum(c for _, c in g))


def _untidy(value: str) -> int:
    """Prefer the tidy spelling when counts tie: no padding, no full-width characters."""
    return int(value != value.strip(WHITESPACE)) + int(unicodedata.normalize("NFKC", value) != value)


def needs_tidying(value: str) -> bool:
    """Whether trimming, collapsing spaces or folding full-width characters changes ``value``."""
    return tidy_text(value) != value


def tidy_text(value: str) -> str:
    """What the cleaner's trim step makes of ``value`` (the SQL it generates does the same)."""
    folded = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in value)
    folded = re.sub(f"[{WHITESPACE}]+", " ", folded)
    return folded.strip(" ")


def semantic_type(*, physical: str, name: str, shares: Mapping[str, float], distinct: int | None, present: int,
                  rows: int, avg_length: float | None, conversion: str | None, conversion_detail: str = "") -> str:
    """The semantic type of a column from its physical type, name, cell kinds and cardinality."""
    if present == 0:
        return "empty"
    lowered = name.lower()
    unique = distinct is not None and distinct >= present * 0.99 and present > 1
    if conversion == "percent":
        return "percent"
    if conversion in ("date", "timestamp") or physical in ("date", "timestamp"):
        return "datetime"
    if conversion == "boolean" or physical == "boolean":
        return "boolean"
    if conversion in ("integer", "number") or physical in ("integer", "float"):
        if "currency" in conversion_detail or "元" in conversion_detail or _MONEY_NAME.search(lowered):
            return "money"
        if physical == "integer" and unique and _ID_NAME.search(lowered):
            return "identifier"
        if physical == "integer" and distinct is not None and distinct <= 20 and rows >= 100:
            return "category"
        return "number"
    if physical != "text":
        return "text"
    top_kind, top_share = next(iter(shares.items()), ("text", 0.0))
    if top_share >= 0.9 and top_kind in ("email", "url", "cn_id", "phone"):
        return top_kind
    if top_share >= 0.9 and top_kind in ("number", "number_with_unit"):
        return "identifier" if unique and _ID_NAME.search(lowered) else "number"
    if top_share >= 0.9 and top_kind in ("money", "percent"):
        return top_kind
    if top_share >= 0.9 and top_kind == "date":
        return "datetime"
    if unique and (_ID_NAME.search(lowered) or (avg_length or 0) <= 24):
        return "identifier"
    if (avg_length or 0) >= 20 or (distinct is not None and distinct > max(50, present * 0.5)):
        return "free_text"
    return "category"


_MONEY_NAME = re.compile(r"price|revenue|amount|cost|salary|income|sales|金额|价格|单价|收入|销售额|成本|工资|费用|营收|价")
_ID_NAME = re.compile(r"(?:^|_|\b)id$|^id(?:_|$)|_id\b|编号|编码|单号|代码|序号|号$|key$|uuid|code$")


def top_share(counts: Iterable[int]) -> float:
    """The share of the most common value among the given counts."""
    values = list(counts)
    total = sum(values)
    return max(values) / total if total else 0.0
