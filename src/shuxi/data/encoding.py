"""Text encodings: detect them and hand DuckDB a UTF-8 file.

DuckDB reads UTF-8 (and UTF-16) natively; GBK/GB18030 needs an extension that would be downloaded at
run time, which shuxi never does. So non-UTF-8 text is transcoded once, streaming with bounded memory,
into the cache (never next to or over the user's file) and the copy is reused while the original's
size and modification time are unchanged.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

from shuxi.errors import EncodingError

SNIFF_BYTES = 1 << 20
CHUNK_CHARS = 1 << 20

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "utf8": "utf-8", "utf-8-sig": "utf-8-sig"}


def _normalise(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise EncodingError(f"{encoding!r} is not an encoding Python knows.",
                            hint="Use a name such as utf-8, gb18030, gbk, utf-16 or latin-1.") from None
    # GB18030 is a superset of GBK and GB2312: decoding with it never loses a character they encode.
    return _ALIASES.get(name, name)


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=False)  # a multi-byte character cut at the end is fine
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """The encoding of the text file at ``path``: utf-8, utf-8-sig, utf-16, utf-32, gb18030, or another one
    charset-normalizer is confident about. Raises :class:`EncodingError` for binary or undecodable files."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
        size = os.fstat(handle.fileno()).st_size
        # A second sample from the middle catches files whose first megabyte happens to be ASCII.
        middle = b""
        if size > 2 * SNIFF_BYTES:
            handle.seek(size // 2)
            middle = handle.read(SNIFF_BYTES)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head[:8192]:
        # Without a BOM, NUL bytes mean UTF-16/32 without BOM (rare) or, far more often, a binary file.
        for name in ("utf-16-le", "utf-16-be"):
            if _decodes(head, name) and _looks_textual(head.decode(name, errors="ignore")):
                return name
        raise EncodingError(f"{path} looks like a binary file, not text.", path=str(path),
                            hint="Check that this is really a CSV/JSON export; spreadsheets must be saved as .xlsx or CSV.")
    if _decodes(head, "utf-8") and (not middle or _decodes(middle[_utf8_boundary(middle):], "utf-8")):
        return "utf-8"
    if _decodes(head, "gb18030") and (not middle or _decodes(middle[1:], "gb18030") or _decodes(middle, "gb18030")):
        return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is not None and best.encoding and _looks_textual(str(best)):
        return _normalise(best.encoding)
    raise EncodingError(f"{path} is not valid UTF-8, and its encoding could not be recognised.", path=str(path),
                        hint="Pass the encoding explicitly, e.g. encoding='gb18030' (or --encoding on the command line).")


def _utf8_boundary(data: bytes) -> int:
    """Offset of the first byte that starts a UTF-8 character (a sample taken mid-file may begin inside one)."""
    for i, byte in enumerate(data[:4]):
        if byte & 0xC0 != 0x80:
            return i
    return 0


def _looks_textual(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
    return control / min(len(text), 20000) < 0.01


def ensure_utf8(path: Path, *, encoding: str | None, cache_dir: Path) -> tuple[Path, str | None]:
    """A UTF-8 path with the same text as ``path`` and the original encoding if it was transcoded (else None)."""
    name = _normalise(encoding) if encoding else detect_encoding(path)
    if name in ("utf-8", "utf-8-sig", "ascii"):
        return path, None
    stat = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{name}".encode()).hexdigest()[:24]
    target = Path(cache_dir) / "transcoded" / f"{key}{path.suffix.lower()}"
    if target.exists():
        return target, name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".{os.getpid()}.partial")
    try:
        with open(path, encoding=name, errors="strict", newline="") as source, open(partial, "w", encoding="utf-8", newline="") as sink:
            while chunk := source.read(CHUNK_CHARS):
                sink.write(chunk.lstrip("\ufeff") if sink.tell() == 0 else chunk)
        os.replace(partial, target)
    except UnicodeDecodeError as error:
        partial.unlink(missing_ok=True)
        raise EncodingError(f"{path} is not valid {name} text (bad bytes near byte {error.start}).", path=str(path),
                            hint="Pass the right encoding explicitly, e.g. encoding='gb18030' or encoding='utf-8'.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target, name
