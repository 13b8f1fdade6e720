"""Render a Vega-Lite spec to a PNG or SVG file, offline, with Chinese labels that show.

vl-convert bundles the Vega-Lite compiler and a renderer, so nothing is fetched at run time. Its built-in
fonts have no CJK glyphs (every Chinese label would be a row of empty boxes), so shuxi registers Noto Sans CJK
from the ``noto-cjk-sans-otc`` wheel and sets it as the chart font unless the spec names its own.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from shuxi.errors import ConfigError, DataError

#: The chart font: Noto Sans CJK covers Latin, digits and Chinese; Simplified Chinese glyph forms.
CJK_FONT = "Noto Sans CJK SC"
FORMATS = {".png": "png", ".svg": "svg"}

_fonts_registered = False


def _register_cjk_font() -> None:
    """Register the bundled Noto Sans CJK with vl-convert once per process."""
    global _fonts_registered
    if _fonts_registered:
        return
    import vl_convert

    try:
        import noto_cjk_sans_otc
    except ImportError:  # pragma: no cover - a dependency of shuxi; only a broken install lacks it
        raise ConfigError(
            "The Chinese chart font is not installed, so Chinese labels would render as empty boxes.",
            hint="Install it with `pip install noto-cjk-sans-otc` (a dependency of shuxi).",
        ) from None
    vl_convert.register_font_directory(str(Path(str(noto_cjk_sans_otc.FONT_PATH)).parent))
    _fonts_registered = True


def with_chart_font(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` whose text uses :data:`CJK_FONT` (a font the spec sets itself is kept)."""
    themed = copy.deepcopy(spec)
    config = themed.setdefault("config", {})
    config.setdefault("font", CJK_FONT)
    return themed


def _language(spec: dict[str, Any]) -> str:
    meta = spec.get("usermeta")
    shuxi = meta.get("shuxi") if isinstance(meta, dict) else None
    return str(shuxi.get("language", "en")) if isinstance(shuxi, dict) else "en"


def render_chart(spec: dict[str, Any], *, fmt: str = "png", scale: float = 2.0) -> bytes:
    """The chart drawn as PNG bytes (``scale`` × its CSS size) or SVG text encoded as UTF-8.

    Data must be inline: loading from a URL or file is refused (shuxi stays offline and reads only what the
    user opened). Numbers and dates follow the chart's language (``usermeta.shuxi.language``: "三月" in zh).
    """
    import vl_convert

    _register_cjk_font()
    text = json.dumps(with_chart_font(spec), ensure_ascii=False, allow_nan=False)
    locale = "zh-CN" if _language(spec) == "zh" else "en-US"
    options: dict[str, Any] = {"allowed_base_urls": [], "format_locale": locale, "time_format_locale": locale}
    try:
        if fmt == "png":
            return bytes(vl_convert.vegalite_to_png(text, scale=scale, **options))
        if fmt == "svg":
            return vl_convert.vegalite_to_svg(text, **options).encode("utf-8")
    except ValueError as error:  # vl-convert reports an invalid spec as ValueError
        reason = " ".join(str(error).splitlines()[:2])  # the rest is a JavaScript stack trace
        raise DataError(f"The chart could not be drawn: {reason}",
                        hint="Check the spec with the Vega-Lite editor, or drop --chart.") from None
    raise DataError(f"Unknown chart format {fmt!r}.", hint="Use 'png' or 'svg'.")


def save_chart(spec: dict[str, Any], path: str | Path, *, overwrite: bool = False, scale: float = 2.0) -> Path:
    """Draw ``spec`` into ``path`` — PNG or SVG, chosen by the suffix — and return the path.

    The file appears whole or not at all (written to a temporary file beside it, then renamed). An existing
    file is never replaced unless ``overwrite=True``; an unknown suffix, a missing folder or an existing file
    raise :class:`~shuxi.errors.DataError` saying what to do.

    >>> save_chart(chart_for("group", table, x="地区", y="销售额"), "sales.png")
    PosixPath('sales.png')
    """
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise DataError(f"Cannot save a chart as {target.name!r}: unknown file type {target.suffix or '(none)'!r}.",
                        path=str(target), hint="Name the file .png or .svg, e.g. chart.png.")
    if target.is_dir():
        raise DataError(f"{str(target)!r} is a folder.", path=str(target), hint="Give a file name such as chart.png.")
    if target.exists() and not overwrite:
        raise DataError(f"{str(target)!r} already exists; shuxi does not replace files unless asked.",
                        path=str(target), hint="Choose another name, or pass --overwrite (overwrite=True).")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise DataError(f"The folder {str(folder)!r} does not exist.", path=str(target),
                        hint="Create it first, or save the chart somewhere else.")
    data = render_chart(spec, fmt=fmt, scale=scale)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a chart is an ordinary file
        if overwrite:
            os.replace(temporary, target)
        else:
            # link() fails if the name appeared meanwhile, so a file created since the check is never clobbered.
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise DataError(f"{str(target)!r} already exists; shuxi does not replace files unless asked.",
                                path=str(target), hint="Choose another name, or pass --overwrite.") from None
            except OSError:  # file systems without hard links
                os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
