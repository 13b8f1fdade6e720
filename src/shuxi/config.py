"""Settings, read in one place: explicit arguments, then SHUXI_* environment variables, then defaults."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from shuxi.errors import ConfigError

EngineName = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("shuxi", appauthor=False))


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Run-time settings. Build with :func:`load_settings` so the environment is honoured."""

    engine: EngineName = "duckdb"
    #: Worker threads for the engine; None lets the engine use every core.
    threads: int | None = None
    #: Engine memory limit such as "4GB"; None keeps the engine's default (80% of RAM for DuckDB).
    memory_limit: str | None = None
    #: Most rows a query result brings back into Python.
    row_limit: int = 10_000
    #: Seconds before a query is interrupted; None waits forever.
    timeout: float | None = None
    #: Where transcoded files and other derived data are kept (never next to the user's files).
    cache_dir: Path = dataclasses.field(default_factory=_default_cache_dir)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_ENV = {
    "engine": "SHUXI_ENGINE",
    "threads": "SHUXI_THREADS",
    "memory_limit": "SHUXI_MEMORY_LIMIT",
    "row_limit": "SHUXI_ROW_LIMIT",
    "timeout": "SHUXI_TIMEOUT",
    "cache_dir": "SHUXI_CACHE_DIR",
}

_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)


def _parse(field: str, value: Any, source: str) -> Any:
    def bad(expected: str) -> ConfigError:
        return ConfigError(f"{source} has the value {value!r}, but it must be {expected}.")

    if value is None:
        return None
    if field == "engine":
        text = str(value).strip().lower()
        if text not in ENGINES:
            raise bad("one of " + ", ".join(ENGINES))
        return text
    if field in ("threads", "row_limit"):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise bad("a positive whole number") from None
        if number < 1:
            raise bad("a positive whole number")
        return number
    if field == "timeout":
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            raise bad("a number of seconds") from None
        if seconds <= 0:
            raise bad("a positive number of seconds")
        return seconds
    if field == "memory_limit":
        text = str(value).strip()
        if not _MEMORY.match(text):
            raise bad('a size such as "4GB" or "512MB"')
        return text.replace(" ", "")
    if field == "cache_dir":
        return Path(value).expanduser()
    raise AssertionError(field)  # pragma: no cover - the table above is closed


def load_settings(overrides: Mapping[str, Any] | None = None, *, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``overrides`` (arguments; None means "not given"), then SHUXI_* variables, then defaults."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for field, var in _ENV.items():
        given = (overrides or {}).get(field)
        if given is not None:
            values[field] = _parse(field, given, f"The {field.replace('_', ' ')} setting")
        elif env.get(var, "").strip():
            values[field] = _parse(field, env[var], f"The environment variable {var}")
    unknown = set(overrides or {}) - set(_ENV)
    if unknown:
        raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
    return Settings(**values)
