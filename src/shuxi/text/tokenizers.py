"""Tokenizers: text → integer ids, with a vocabulary learned from the user's own texts.

Four kinds share one interface (``fit``, ``encode``, ``encode_batch``, ``decode``, ``vocab_size``, ``to_dict``,
``save``) and :func:`load_tokenizer` restores any of them from JSON:

- :class:`CharTokenizer` — one id per character; the default for Chinese (no segmentation errors, tiny vocabulary).
- :class:`JiebaTokenizer` — Chinese words from jieba (white space dropped).
- :class:`WordTokenizer` — English words: NFKC, lower case, HTML line breaks removed, words and punctuation.
- :class:`BPETokenizer` — byte-pair encoding trained locally with the ``tokenizers`` library (characters as the base
  alphabet, spaces kept as ``▁`` so decoding is exact).

Special ids are the same for every kind:

====  ==========  ============================================================================
id    token       meaning
====  ==========  ============================================================================
0     ``<pad>``   padding (:func:`pad_sequences` fills with it; ``decode`` skips it)
1     ``<unk>``   out-of-vocabulary token (only produced when ``oov=True``)
2     ``<s>``     begin of text — never produced by ``encode``; for callers such as language models
3     ``</s>``    end of text — never produced by ``encode``; for callers such as language models
====  ==========  ============================================================================

Ordinary tokens start at id 4, most frequent first (ties broken by the token itself, so fitting is deterministic).

>>> tok = CharTokenizer().fit(["今天很好", "今天不好"])
>>> tok.decode(tok.encode("今天很好"))
'今天很好'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from shuxi.errors import ConfigError, DataError

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
SPECIAL_TOKENS = ("<pad>", "<unk>", "<s>", "</s>")
FORMAT_VERSION = 1


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise DataError(f"Tokenizers take strings, got {type(text).__name__} {text!r:.40}.",
                        hint="Convert the cells to text first (missing values to '').")
    return text


def _check_options(num_words: int | None) -> None:
    if num_words is not None and num_words <= len(SPECIAL_TOKENS):
        raise ConfigError(f"num_words={num_words} leaves no room for tokens: the first {len(SPECIAL_TOKENS)} ids are "
                          "special (padding, unknown, begin, end).", hint="Pass num_words=None or a larger number.")


def _unknown_error(unknown: Iterable[str], what: str) -> DataError:
    names = sorted(set(unknown))
    shown = ", ".join(repr(t) for t in names[:20]) + (" …" if len(names) > 20 else "")
    return DataError(f"{len(names)} {what} not in the tokenizer's vocabulary: {shown}.",
                     hint="Fit the tokenizer on texts that contain them, "
                          "or create it with oov=True to map them to <unk>.")


class VocabTokenizer:
    """Shared machinery of the tokenizers that split text themselves and count a vocabulary."""

    kind: ClassVar[str] = ""
    unknown_what: ClassVar[str] = "tokens"

    def __init__(self, *, num_words: int | None = None, oov: bool = True) -> None:
        _check_options(num_words)
        self.num_words = num_words
        self.oov = oov
        self.vocab_: list[str] = list(SPECIAL_TOKENS)
        self._index: dict[str, int] = {t: i for i, t in enumerate(self.vocab_)}

    # -- what each kind defines ---------------------------------------------------------------------------
    def tokenize(self, text: str) -> list[str]:
        """The tokens of ``text`` (strings, before the vocabulary look-up)."""
        raise NotImplementedError

    def _join(self, tokens: list[str]) -> str:
        return "".join(tokens)

    def _options(self) -> dict[str, Any]:
        return {}

    # -- shared ---------------------------------------------------------------------------------------------
    def fit(self, texts: Iterable[str]) -> VocabTokenizer:
        """Learn the vocabulary: the most frequent tokens of ``texts``, at most ``num_words`` ids in all."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(self.tokenize(_check_text(text)))
        for special in SPECIAL_TOKENS:
            counts.pop(special, None)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        room = None if self.num_words is None else self.num_words - len(SPECIAL_TOKENS)
        self.vocab_ = list(SPECIAL_TOKENS) + [token for token, _ in ranked[:room]]
        self._index = {t: i for i, t in enumerate(self.vocab_)}
        return self

    @property
    def vocab_size(self) -> int:
        """Number of ids, special ids included (embedding tables need this many rows)."""
        return len(self.vocab_)

    def encode(self, text: str) -> list[int]:
        """Ids of ``text``'s tokens; unknown tokens become 1 (``oov=True``) or raise :class:`DataError`."""
        tokens = self.tokenize(_check_text(text))
        index = self._index
        if not self.oov:
            unknown = [t for t in tokens if t not in index]
            if unknown:
                raise _unknown_error(unknown, self.unknown_what)
        return [index.get(t, UNK_ID) for t in tokens]

    def encode_batch(self, texts: Iterable[str]) -> list[list[int]]:
        """:meth:`encode` for each text."""
        return [self.encode(t) for t in texts]

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ``ids``; padding is skipped, unknown ids show as ``<unk>``."""
        vocab = self.vocab_
        tokens = []
        for i in ids:
            i = int(i)
            if i == PAD_ID:
                continue
            if not 0 <= i < len(vocab):
                raise DataError(f"Id {i} is outside this tokenizer's vocabulary (0…{len(vocab) - 1}).")
            tokens.append(vocab[i])
        return self._join(tokens)

    def id_to_token(self, i: int) -> str:
        """The token string of one id."""
        return self.vocab_[i]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable state; :func:`load_tokenizer` restores it."""
        return {"kind": self.kind, "version": FORMAT_VERSION, "num_words": self.num_words, "oov": self.oov,
                **self._options(), "vocab": self.vocab_}

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as UTF-8 JSON to ``path``."""
        return _write_json(Path(path), self.to_dict())

    @classmethod
    def _from_dict(cls, state: dict[str, Any]) -> VocabTokenizer:
        options = {k: v for k, v in state.items() if k not in ("kind", "version", "vocab")}
        tok = cls(**options)
        tok.vocab_ = list(state["vocab"])
        if tok.vocab_[: len(SPECIAL_TOKENS)] != list(SPECIAL_TOKENS):
            raise DataError("This tokenizer file is damaged: its first ids are not the special tokens.")
        tok._index = {t: i for i, t in enumerate(tok.vocab_)}
        return tok

    def __repr__(self) -> str:
        return f"{type(self).__name__}(vocab_size={self.vocab_size}, num_words={self.num_words}, oov={self.oov})"


class CharTokenizer(VocabTokenizer):
    """One token per character (white space included), so ``decode(encode(t)) == t`` for known characters.

    ``lower=True`` lower-cases first (then decoding returns the lower-cased text).
    """

    kind = "char"
    unknown_what = "characters"

    def __init__(self, *, num_words: int | None = None, oov: bool = True, lower: bool = False) -> None:
        super().__init__(num_words=num_words, oov=oov)
        self.lower = lower

    def tokenize(self, text: str) -> list[str]:
        return list(text.lower() if self.lower else text)

    def _options(self) -> dict[str, Any]:
        return {"lower": self.lower}


_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _join_words(tokens: list[str]) -> str:
    """Join tokens, putting a space only between two Latin/digit tokens (Chinese needs none)."""
    out: list[str] = []
    for token in tokens:
        if out and _ASCII_WORD.match(token[:1]) and _ASCII_WORD.match(out[-1][-1:]):
            out.append(" ")
        out.append(token)
    return "".join(out)


class JiebaTokenizer(VocabTokenizer):
    """Chinese words segmented by jieba (precise mode, HMM for new words); white space is dropped.

    ``lower=True`` (default) lower-cases Latin letters so "WiFi" and "wifi" share an id.
    """

    kind = "jieba"

    def __init__(self, *, num_words: int | None = None, oov: bool = True, lower: bool = True) -> None:
        super().__init__(num_words=num_words, oov=oov)
        self.lower = lower

    def tokenize(self, text: str) -> list[str]:
        import jieba  # lazy: its dictionary takes a second to load

        jieba.setLogLevel(60)
        if self.lower:
            text = text.lower()
        return [w for w in jieba.lcut(text) if not w.isspace()]

    def _join(self, tokens: list[str]) -> str:
        return _join_words(tokens)

    def _options(self) -> dict[str, Any]:
        return {"lower": self.lower}


_BREAKS = re.compile(r"<br\s*/?>", re.I)
_WORDS = re.compile(r"\w+(?:'\w+)*|[^\w\s]")


class WordTokenizer(VocabTokenizer):
    """English words and punctuation marks: NFKC, lower case, ``<br />`` removed, "don't" kept whole."""

    kind = "word"

    def __init__(self, *, num_words: int | None = None, oov: bool = True, lower: bool = True) -> None:
        super().__init__(num_words=num_words, oov=oov)
        self.lower = lower

    def tokenize(self, text: str) -> list[str]:
        text = _BREAKS.sub(" ", unicodedata.normalize("NFKC", text))
        if self.lower:
            text = text.lower()
        return _WORDS.findall(text)

    def _join(self, tokens: list[str]) -> str:
        return " ".join(tokens)

    def _options(self) -> dict[str, Any]:
        return {"lower": self.lower}


class BPETokenizer:
    """Byte-pair encoding trained locally with Hugging Face ``tokenizers`` (no download).

    The base alphabet is the characters of the training texts; spaces are kept as ``▁`` so decoding is exact for
    every text whose characters were seen. ``vocab_size`` is the target size, special ids included; ``num_words``
    is accepted as another name for it.
    """

    kind = "bpe"
    unknown_what = "characters"

    def __init__(self, *, vocab_size: int = 8000, num_words: int | None = None, oov: bool = True,
                 min_frequency: int = 2) -> None:
        _check_options(num_words)
        _check_options(vocab_size)
        self.target_size = num_words if num_words is not None else vocab_size
        self.num_words = num_words
        self.oov = oov
        self.min_frequency = min_frequency
        self._tok: Any = None

    def _fitted(self) -> Any:
        if self._tok is None:
            raise ConfigError("This BPETokenizer is not fitted yet.", hint="Call fit(texts) first.")
        return self._tok

    def fit(self, texts: Iterable[str]) -> BPETokenizer:
        """Learn merges from ``texts`` until the vocabulary has ``vocab_size`` entries (or no pair repeats)."""
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

        tok = Tokenizer(models.BPE(unk_token=SPECIAL_TOKENS[UNK_ID]))
        tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="never")
        tok.decoder = decoders.Metaspace(prepend_scheme="never")
        trainer = trainers.BpeTrainer(vocab_size=self.target_size, min_frequency=self.min_frequency,
                                      special_tokens=list(SPECIAL_TOKENS), show_progress=False)
        tok.train_from_iterator((_check_text(t) for t in texts), trainer)
        self._tok = tok
        return self

    @property
    def vocab_size(self) -> int:
        """Number of ids, special ids included."""
        return int(self._fitted().get_vocab_size())

    def _raise_unknown(self, texts: Iterable[str]) -> None:
        vocab = self._fitted().get_vocab()
        unknown = {c for t in texts for c in t if ("▁" if c == " " else c) not in vocab}
        raise _unknown_error(unknown, self.unknown_what)

    def encode(self, text: str) -> list[int]:
        """Ids of ``text``; unseen characters become 1 (``oov=True``) or raise :class:`DataError`."""
        ids: list[int] = self._fitted().encode(_check_text(text)).ids
        if not self.oov and UNK_ID in ids:
            self._raise_unknown([text])
        return ids

    def encode_batch(self, texts: Iterable[str]) -> list[list[int]]:
        """:meth:`encode` for each text (the library runs them in parallel)."""
        texts = [_check_text(t) for t in texts]
        out = [e.ids for e in self._fitted().encode_batch(texts)]
        if not self.oov and any(UNK_ID in ids for ids in out):
            self._raise_unknown(texts)
        return out

    def tokenize(self, text: str) -> list[str]:
        """The BPE pieces of ``text`` (spaces shown as ``▁``)."""
        return list(self._fitted().encode(_check_text(text)).tokens)

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ``ids``; padding is skipped."""
        size = self.vocab_size
        clean = []
        for i in ids:
            i = int(i)
            if not 0 <= i < size:
                raise DataError(f"Id {i} is outside this tokenizer's vocabulary (0…{size - 1}).")
            if i != PAD_ID:
                clean.append(i)
        return str(self._fitted().decode(clean, skip_special_tokens=False))

    def id_to_token(self, i: int) -> str:
        """The token string of one id."""
        return str(self._fitted().id_to_token(i))

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable state (the ``tokenizers`` JSON is embedded as an object)."""
        return {"kind": self.kind, "version": FORMAT_VERSION, "vocab_size": self.target_size,
                "num_words": self.num_words, "oov": self.oov, "min_frequency": self.min_frequency,
                "tokenizer": json.loads(self._fitted().to_str())}

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as UTF-8 JSON to ``path``."""
        return _write_json(Path(path), self.to_dict())

    @classmethod
    def _from_dict(cls, state: dict[str, Any]) -> BPETokenizer:
        from tokenizers import Tokenizer

        tok = cls(vocab_size=state["vocab_size"], num_words=state.get("num_words"), oov=state["oov"],
                  min_frequency=state.get("min_frequency", 2))
        tok._tok = Tokenizer.from_str(json.dumps(state["tokenizer"]))
        return tok

    def __repr__(self) -> str:
        size = self.vocab_size if self._tok is not None else "unfitted"
        return f"BPETokenizer(vocab_size={size}, oov={self.oov})"


Tokenizer = CharTokenizer | JiebaTokenizer | WordTokenizer | BPETokenizer
TokenizerKind = Literal["char", "jieba", "word", "bpe"]
KINDS: dict[str, type] = {"char": CharTokenizer, "jieba": JiebaTokenizer, "word": WordTokenizer, "bpe": BPETokenizer}


def make_tokenizer(kind: TokenizerKind, **options: Any) -> Tokenizer:
    """A new, unfitted tokenizer of ``kind`` (``"char"``, ``"jieba"``, ``"word"`` or ``"bpe"``)."""
    if kind not in KINDS:
        raise ConfigError(f"Unknown tokenizer {kind!r}.", hint="Choose one of: " + ", ".join(KINDS) + ".")
    tok: Tokenizer = KINDS[kind](**options)
    return tok


def load_tokenizer(source: str | Path | dict[str, Any]) -> Tokenizer:
    """Restore a tokenizer from :meth:`to_dict` output or from a JSON file written by ``save``."""
    if isinstance(source, dict):
        state = source
    else:
        path = Path(source)
        if not path.is_file():
            raise DataError(f"No tokenizer file at {path}.", path=str(path))
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DataError(f"{path} is not a tokenizer JSON file ({error}).", path=str(path)) from error
    kind = state.get("kind") if isinstance(state, dict) else None
    if kind not in KINDS:
        raise DataError(f"Not a shuxi tokenizer (kind={kind!r}).", hint="Load a file written by Tokenizer.save().")
    if state.get("version", FORMAT_VERSION) > FORMAT_VERSION:
        raise DataError(f"This tokenizer was saved by a newer shuxi (format {state['version']}).",
                        hint="Upgrade shuxi to load it.")
    restored: Tokenizer = KINDS[kind]._from_dict(state)
    return restored


def pad_sequences(seqs: Sequence[Sequence[int]], max_length: int | None = None, *,
                  padding: Literal["post", "pre"] = "post", truncating: Literal["post", "pre"] = "post",
                  value: int = PAD_ID) -> Any:
    """Pad/truncate id lists to one length → ``numpy.ndarray`` of shape (len(seqs), max_length), dtype int64.

    ``max_length=None`` uses the longest sequence. ``padding``/``truncating`` say at which end values are added or
    cut ("post" = the end, "pre" = the start), as in Keras' ``pad_sequences``.
    """
    import numpy as np

    for name, choice in (("padding", padding), ("truncating", truncating)):
        if choice not in ("post", "pre"):
            raise ConfigError(f"{name}={choice!r} is not valid.", hint=f'Pass {name}="post" or {name}="pre".')
    if max_length is None:
        max_length = max((len(s) for s in seqs), default=0)
    if max_length < 0:
        raise ConfigError(f"max_length={max_length} must be 0 or more.")
    out = np.full((len(seqs), max_length), value, dtype=np.int64)
    if max_length == 0:
        return out
    for row, seq in enumerate(seqs):
        seq = list(seq)
        if len(seq) > max_length:
            seq = seq[:max_length] if truncating == "post" else seq[-max_length:]
        if not seq:
            continue
        if padding == "post":
            out[row, : len(seq)] = seq
        else:
            out[row, max_length - len(seq):] = seq
    return out


def _write_json(path: Path, state: dict[str, Any]) -> Path:
    """Write JSON atomically (temp file + rename), so a crash never leaves half a file."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
