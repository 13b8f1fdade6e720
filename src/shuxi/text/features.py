"""Hashed character and word n-gram counts, computed with numpy over a whole batch of texts at once.

scikit-learn's n-gram analyzers build every n-gram as a Python string (about 1,300 short Chinese reviews a second on
a busy core); this module hashes n-grams arithmetically instead, which is what makes the TF-IDF model fast enough to
label millions of rows:

1. the batch is joined with ``\\x00`` separators into one array of code points and normalised there: lower case,
   full-width forms (ＡＢＣ，！) folded to ASCII, the ideographic space to a space, ``<br />`` to a space — the
   parts of NFKC that matter for Chinese and English reviews, at a fraction of ``unicodedata``'s cost;
2. a polynomial prefix hash ``S[i] = Σ_{j<i} c_j·B^j (mod 2⁶⁴)`` gives the hash of any span in O(1):
   ``(S[e] − S[s])·B^(−s)`` (B is odd, so B⁻¹ exists mod 2⁶⁴; numpy's uint64 arithmetic wraps exactly so);
3. character n-grams are the spans of length n inside one text; words are runs of word characters (ASCII letters,
   digits, apostrophes and any non-ASCII character) or single punctuation marks, and word n-grams combine word hashes;
4. a multiplicative mix maps each hash to one of ``2**bits`` buckets, and ``np.unique`` counts (text, bucket) pairs.

Collisions are rare at 2²² buckets and cost a little accuracy at most; the same text always gets the same buckets
on every machine (no Python ``hash``, no seed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_BREAKS = re.compile(r"<br\s*/?>", re.I)
_B = np.uint64(0x100000001B3)          # odd multiplier of the prefix hash
_B_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)   # Fibonacci hashing: multiply, keep the top bits
_WORD_K = np.uint64(0xC2B2AE3D27D4EB4F)
_SPACE, _WORD, _PUNCT = 0, 1, 2

# Character classes for code points < 128; everything above counts as a word character.
_ASCII_CLASS = np.full(128, _PUNCT, dtype=np.int8)
for _c in " \t\n\r\x0b\x0c\x00":
    _ASCII_CLASS[ord(_c)] = _SPACE
for _c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'":
    _ASCII_CLASS[ord(_c)] = _WORD


def normalised_codes(texts: Sequence[str]) -> np.ndarray:
    """Code points (uint64) of the texts joined by 0, each followed by 0, normalised as the module doc says."""
    joined = "\x00".join(texts).lower() + "\x00"
    if "<br" in joined:
        joined = _BREAKS.sub(" ", joined)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[wide] -= np.uint64(0xFEE0)
    codes[codes == 0x3000] = 32
    upper = wide & (codes >= 65) & (codes <= 90)   # full-width capitals, lower-cased after folding
    codes[upper] += np.uint64(32)
    return codes


def normalise(text: str) -> str:
    """The text the features see (see :func:`normalised_codes`), as a string."""
    codes = normalised_codes([text])[:-1].astype(np.uint32)
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


class _Powers:
    """Cached B^(-i) mod 2⁶⁴ for i < n, grown on demand."""

    inverse = np.ones(1, dtype=np.uint64)

    @classmethod
    def get(cls, n: int) -> np.ndarray:
        if len(cls.inverse) < n:
            size = max(n, 2 * len(cls.inverse))
            factors = np.full(size, _B_INV, dtype=np.uint64)
            factors[0] = 1
            with np.errstate(over="ignore"):
                cls.inverse = np.cumprod(factors, dtype=np.uint64)
        return cls.inverse[:n]


def hashed_ngrams(texts: Sequence[str], *, char_ngrams: tuple[int, int] | None, word_ngrams: tuple[int, int] | None,
                  bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text index, bucket, count) of every distinct n-gram bucket in every text, sorted by text then bucket."""
    codes = normalised_codes(texts)
    n = len(codes)
    powers = np.empty(n, dtype=np.uint64)
    powers[0] = 1
    with np.errstate(over="ignore"):
        powers[1:] = _B
        powers = np.cumprod(powers, dtype=np.uint64)                      # B^i
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum((codes + np.uint64(1)) * powers, dtype=np.uint64, out=prefix[1:])
    inverse = _Powers.get(n)
    separator = codes == 0
    doc_of = np.cumsum(separator) - separator                              # text index of each position
    keys: list[np.ndarray] = []
    docs: list[np.ndarray] = []
    with np.errstate(over="ignore"):
        if char_ngrams:
            sep_count = np.concatenate(([0], np.cumsum(separator, dtype=np.int64)))
            for size in range(char_ngrams[0], char_ngrams[1] + 1):
                start = np.arange(0, n - size + 1)
                # inside one text: no separator among the n characters
                ok = sep_count[start + size] == sep_count[start]
                start = start[ok]
                h = (prefix[start + size] - prefix[start]) * inverse[start]
                keys.append(h ^ np.uint64(size * 0x51ED27))
                docs.append(doc_of[start])
        if word_ngrams:
            cls = np.where(codes < 128, _ASCII_CLASS[np.minimum(codes, 127).astype(np.int64)], _WORD)
            prev = np.concatenate(([_SPACE], cls[:-1]))
            nxt = np.concatenate((cls[1:], [_SPACE]))
            starts = np.flatnonzero((cls == _PUNCT) | ((cls == _WORD) & (prev != _WORD)))
            ends = np.flatnonzero((cls == _PUNCT) | ((cls == _WORD) & (nxt != _WORD))) + 1
            words = (prefix[ends] - prefix[starts]) * inverse[starts] * _WORD_K   # (W,)
            word_doc = doc_of[starts]
            for size in range(word_ngrams[0], word_ngrams[1] + 1):
                if len(words) < size:
                    continue
                h = words[: len(words) - size + 1].copy()
                for k in range(1, size):
                    h = h * _B + words[k: len(words) - size + 1 + k]
                first = word_doc[: len(words) - size + 1]
                ok = first == word_doc[size - 1:]
                keys.append(h[ok] ^ np.uint64(size * 0x2545F491))
                docs.append(first[ok])
        if not keys:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        bucket = (np.concatenate(keys) * _MIX) >> np.uint64(64 - bits)
    pair = (np.concatenate(docs).astype(np.uint64) << np.uint64(bits)) | bucket
    unique, counts = np.unique(pair, return_counts=True)
    return ((unique >> np.uint64(bits)).astype(np.int64), (unique & np.uint64((1 << bits) - 1)).astype(np.int64),
            counts.astype(np.int64))
