"""Text encodings: detect them and hand DuckDB a UTF-8 file.

DuckDB reads UTF-8; GBK/GB18030 would need an extension downloaded at run time, which shuxi never does.
So other encodings (GB18030/GBK, UTF-16/32, Big5, Shift-JIS, Windows code pages…) are transcoded once,
streaming with bounded memory, into the cache (never next to or over the user's file). The copy is
reused while the original's path, size and modification time are unchanged; it appears under its final
name only when complete (written to a ``.partial`` file, then renamed), so an error or Ctrl-C midway
leaves no half-written copy behind.

Detection order: byte-order mark → UTF-8 → GB18030 → charset-normalizer (only for encodings real
exports use, and only when it is confident). UTF-8 and GB18030 are checked on the first megabyte and on
windows spread through the file, so a GBK file whose first rows happen to be ASCII is still recognised.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

from shuxi.errors import DataError, EncodingError

#: Bytes read from the start of a file to detect its encoding.
SNIFF_BYTES = 1 << 20
#: Windows sampled through the rest of the file, and their size.
WINDOWS = 32
WINDOW_BYTES = 1 << 16
#: Bytes transcoded at a time: memory use does not depend on the file's size.
CHUNK_BYTES = 1 << 22

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB18030 is a superset of GBK and GB2312: decoding with it never loses a character they encode.
_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "hz": "gb18030"}
#: Encodings charset-normalizer may name for a file that is neither UTF-8 nor GB18030: the ones real
#: exports use. Anything else it guesses (Kazakh PTCP154 for random bytes…) is treated as unreadable.
_PLAUSIBLE = {
    "cp1252", "iso8859-1", "iso8859-15", "cp1250", "cp1251", "koi8-r",
    "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
}
#: Suffixes whose reader skips a UTF-8 byte-order mark itself (DuckDB's CSV reader does; its JSON reader does not).
_BOM_SAFE = {".csv", ".tsv", ".tab", ".txt"}


def normalise_encoding(encoding: str) -> str:
    """The codec name shuxi uses for ``encoding`` ("GBK" → "gb18030", "utf8" → "utf-8")."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise EncodingError(f"{encoding!r} is not an encoding Python knows.",
                            hint="Use a name such as utf-8, gb18030, gbk, utf-16, big5 or latin-1.") from None
    return _ALIASES.get(name, name)


def _samples(path: Path) -> tuple[bytes, list[bytes]]:
    """The file's first SNIFF_BYTES and up to WINDOWS windows spread through the rest, each cut at line ends.

    Cutting at newlines keeps multi-byte characters whole: in UTF-8 and GB18030 a 0x0A byte only ever
    means a newline.
    """
    windows: list[bytes] = []
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
        size = os.fstat(handle.fileno()).st_size
        if size > len(head):
            head = head[: head.rfind(b"\n") + 1] or head
            # Evenly spread windows, the last one ending at the end of the file.
            last_start = max(size - WINDOW_BYTES, SNIFF_BYTES)
            count = min(WINDOWS, (last_start - SNIFF_BYTES) // WINDOW_BYTES + 1)
            starts = sorted({SNIFF_BYTES + (last_start - SNIFF_BYTES) * k // max(count - 1, 1) for k in range(count)})
            for start in starts:
                handle.seek(start)
                window = handle.read(WINDOW_BYTES)
                first, last = window.find(b"\n"), window.rfind(b"\n")
                if start + len(window) >= size:
                    last = len(window) - 1  # the file's end is a character boundary
                if 0 <= first < last:
                    windows.append(window[first + 1 : last + 1])
    return head, windows


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        codecs.decode(data, encoding, "strict")
    except UnicodeDecodeError:
        return False
    return True


def _decodes_prefix(data: bytes, encoding: str) -> bool:
    """``data`` decodes, allowing a character cut off at its very end."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(head: bytes) -> bool:
    """Many control bytes (other than tab, CR, LF, form feed, ESC) mean a binary file, not text."""
    sample = head[:65536]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f\x1b")
    return controls / len(sample) > 0.01


def _looks_textual(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or 0x7F <= ord(ch) < 0xA0 or ch == "\ufffd")
    return bad / len(sample) < 0.01


def detect_encoding(path: Path) -> str:
    """The encoding of the text file at ``path``: utf-8, utf-8-sig, utf-16, utf-32, gb18030, or another one
    charset-normalizer is confident about. Raises :class:`EncodingError` for binary or undecodable files."""
    head, windows = _samples(path)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head[:8192]:
        # Without a BOM, NUL bytes mean UTF-16 without BOM (rare) or, far more often, a binary file.
        for name in ("utf-16-le", "utf-16-be"):
            if _decodes_prefix(head, name) and _looks_textual(head.decode(name, errors="ignore")):
                return name
        raise _binary(path)
    if _looks_binary(head):
        raise _binary(path)
    for name in ("utf-8", "gb18030"):
        if _decodes_prefix(head, name) and all(_decodes(w, name) for w in windows):
            return name
    from charset_normalizer import from_bytes

    # Its first guess on a small sample is often an exotic code page; take the best plausible one instead.
    for match in from_bytes(head + b"".join(windows)):
        name = normalise_encoding(match.encoding)
        if name in _PLAUSIBLE and match.chaos <= 0.1 and _looks_textual(str(match)):
            return name
    raise EncodingError(f"{path} is not UTF-8 or GB18030 text, and its encoding could not be recognised.", path=str(path),
                        hint="If it is text, pass the encoding explicitly, e.g. encoding='big5' (or --encoding on the "
                        "command line); if it is a spreadsheet or other binary file, export it as CSV first.")


def _binary(path: Path) -> EncodingError:
    return EncodingError(f"{path} looks like a binary file, not text.", path=str(path),
                         hint="Check that this is really a CSV/JSON export; spreadsheets must be saved as .xlsx or CSV.")


def ensure_utf8(path: Path, *, encoding: str | None, cache_dir: Path) -> tuple[Path, str | None]:
    """A UTF-8 path with the same text as ``path``, and the original encoding if it was transcoded (else None).

    ``path`` itself comes back when it already is UTF-8 (with a BOM only where the reader skips it).
    """
    name = normalise_encoding(encoding) if encoding else detect_encoding(path)
    if name == "utf-8" and path.suffix.lower() not in _BOM_SAFE and _starts_with_bom(path):
        name = "utf-8-sig"
    if name in ("utf-8", "ascii") or (name == "utf-8-sig" and path.suffix.lower() in _BOM_SAFE):
        return path, None
    stat = path.stat()
    source_key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    version_key = hashlib.sha256(f"{stat.st_size}|{stat.st_mtime_ns}|{name}".encode()).hexdigest()[:12]
    folder = Path(cache_dir) / "transcoded"
    target = folder / f"{source_key}-{version_key}{path.suffix.lower()}"
    original = None if name.startswith("utf-8") else name
    if target.exists():
        return target, original
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataError(f"shuxi cannot write its UTF-8 copy of {path} to {folder} ({error.strerror}).", path=str(path),
                        hint="Point SHUXI_CACHE_DIR at a writable folder.") from None
    _transcode(path, name, target)
    # Copies of earlier versions of the same file are stale now.
    for stale in folder.glob(f"{source_key}-*"):
        if stale != target and not stale.name.endswith(".partial"):
            stale.unlink(missing_ok=True)
    return target, original


def _starts_with_bom(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8


def _transcode(path: Path, encoding: str, target: Path) -> None:
    """Write ``path`` decoded from ``encoding`` to ``target`` as UTF-8 without a BOM, chunk by chunk."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    done, lines = 0, 1
    try:
        with open(path, "rb") as source, open(partial, "w", encoding="utf-8", newline="") as sink:
            first = True
            while True:
                chunk = source.read(CHUNK_BYTES)
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as error:
                    raise _undecodable(path, encoding, done, lines, chunk, error) from None
                if first and text:
                    text = text.removeprefix("\ufeff")
                    first = False
                sink.write(text)
                lines += text.count("\n")
                done += len(chunk)
                if not chunk:
                    break
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise DataError(f"shuxi could not write its UTF-8 copy of {path} to {target.parent} ({error.strerror}).",
                        path=str(path), hint="Check the free space there, or point SHUXI_CACHE_DIR at another folder.") from None
    except BaseException:  # including Ctrl-C: never leave a half-written copy behind
        partial.unlink(missing_ok=True)
        raise


def _undecodable(path: Path, encoding: str, done: int, lines: int, chunk: bytes, error: UnicodeDecodeError) -> EncodingError:
    where = f"near byte {done + error.start:,}"
    if not encoding.startswith(("utf-16", "utf-32")):
        # A newline byte is a newline in every other encoding shuxi transcodes, so the count is exact.
        line = lines + chunk[: error.start].count(b"\n")
        where += f" (line {line})"
    return EncodingError(f"{path} is not valid {encoding} text: undecodable bytes {where}.", path=str(path),
                         hint="Pass the right encoding explicitly, e.g. encoding='gb18030' or encoding='utf-8', "
                         "or re-export the file as UTF-8.")
