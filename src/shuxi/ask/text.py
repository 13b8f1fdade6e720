"""Question text: language, normalisation and phrase matching that works the same for Chinese and English.

A question is split into tokens: an English word or number is one token (folded to lower case and a simple
lemma: "regions" → "region", "countries" → "country"), each Chinese character is one token. Phrases (column
names, synonyms, cell values, keywords) are tokenised the same way and found as token sequences, so "price"
never matches inside "priceless" and "华东" matches inside "华东地区的销售额".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Language = Literal["zh", "en"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*|[\u3400-\u9fff\uf900-\ufaff]|[^\s\w]|_", re.I)
_KEEP_S = {"sales", "series", "news", "species", "status", "gas", "bus", "plus", "bonus", "campus", "census", "us", "is",
           "was", "has", "this", "its", "his", "does", "less", "yes", "process", "address", "business", "class", "loss",
           "across", "always", "perhaps", "times", "goals"}


def language_of(text: str) -> Language:
    """``"zh"`` when the text has any Chinese character, else ``"en"``."""
    return "zh" if _CJK.search(text) else "en"


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), lower case, one space between words."""
    text = _fold_latin(unicodedata.normalize("NFKC", text).lower())
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = _DASH_BETWEEN_DIGITS.sub("-", text)
    return re.sub(r"\s+", " ", text).strip()


#: An en or em dash between digits ("2–0", "1999–2000") is typed as a hyphen in questions ("a score of 2-0"); one
#: character for one, so positions in a cell's text stay where they were.
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)[–—−](?=\d)")


#: Past tenses that tables write as results ("Won", "Lost"): the question's "win" finds them.
_IRREGULAR = {"won": "win", "lost": "lose"}
_LATIN_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")


def _fold_latin(text: str) -> str:
    """"damjanović" → "damjanovic": accents dropped from Latin letters (one letter stays one character)."""
    if not _LATIN_ACCENTED.search(text):
        return text
    out = []
    for ch in text:
        if _LATIN_ACCENTED.match(ch):
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            ch = base if len(base) == 1 else ch
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A crude English lemma that is good enough to match plurals and possessives."""
    if word.endswith("'s"):
        word = word[:-2]
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 2 or not word.isalpha() or word in _KEEP_S:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Token:
    text: str  # normalised and lemmatised
    start: int  # character span in the normalised question
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of an already normalised text, with their character spans."""
    return [Token(lemma(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=65536)
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """The token sequence a phrase is matched as."""
    return tuple(t.text for t in tokenize(normalize(phrase)))


@lru_cache(maxsize=65536)
def column_words(name: str) -> frozenset[str]:
    """The English words of a column's name, lower case and as written ("Took office" → {"took", "office"}): what
    the rules test a name against ("age", "time", "venue")."""
    return frozenset(re.findall(r"[a-z]+", name.lower()))


@dataclass(frozen=True)
class Span:
    """Where a phrase was found: token positions [first, last) and characters [start, end) of the question."""

    first: int
    last: int
    start: int
    end: int


#: "more then 7,000", "more that 70,000 people": a comparison's "than" mistyped before a number (the same length,
#: so every position in the text stays where it was).
_THAN_TYPO = re.compile(r"\b(more|less|fewer|greater|larger|smaller|higher|lower|bigger|older|younger|taller|longer|"
                        r"shorter) (?:then|that)(?= [$€£]?\d)")


class Question:
    """A normalised question with its tokens, for phrase lookups."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = _THAN_TYPO.sub(r"\1 than", normalize(text))
        self.language: Language = language_of(text)
        self.tokens = tokenize(self.text)
        self.words = [t.text for t in self.tokens]
        self._first: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            self._first.setdefault(word, []).append(i)

    def find(self, phrase: str | tuple[str, ...]) -> list[Span]:
        """Every occurrence of ``phrase`` as a whole token sequence."""
        seq = phrase_tokens(phrase) if isinstance(phrase, str) else phrase
        if not seq:
            return []
        hits = []
        n = len(seq)
        for i in self._first.get(seq[0], ()):
            if tuple(self.words[i:i + n]) == seq:
                hits.append(Span(i, i + n, self.tokens[i].start, self.tokens[i + n - 1].end))
        return hits

    def has(self, phrases: Iterable[str]) -> bool:
        return any(self.find(p) for p in phrases)

    def find_any(self, phrases: Iterable[str]) -> list[tuple[str, Span]]:
        """All occurrences of any of ``phrases``, longest phrase first where they overlap."""
        found = [(p, s) for p in phrases for s in self.find(p)]
        found.sort(key=lambda ps: (-(ps[1].end - ps[1].start), ps[1].start))
        kept: list[tuple[str, Span]] = []
        for phrase, span in found:
            if all(span.end <= k.start or span.start >= k.end for _, k in kept):
                kept.append((phrase, span))
        return sorted(kept, key=lambda ps: ps[1].start)

    def char_to_token(self, start: int, end: int) -> tuple[int, int]:
        """The token range covering a character span of the normalised text."""
        first = next((i for i, t in enumerate(self.tokens) if t.end > start), len(self.tokens))
        last = next((i for i, t in enumerate(self.tokens) if t.start >= end), len(self.tokens))
        return first, max(first, last)

    def between(self, a: int, b: int) -> str:
        """The normalised text between two character positions."""
        return self.text[a:b]
