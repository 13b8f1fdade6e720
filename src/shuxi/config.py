"""Settings, read in one place: explicit arguments, then SHUXI_* environment variables, then defaults."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Mapping
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
    #: Where a Spark session shuxi starts runs (an active SparkSession is used as it is): "local[*]",
    #: "spark://host:7077", "yarn", "k8s://https://host:443", or a Spark Connect server "sc://host:15002".
    spark_master: str = "local[*]"
    #: Extra settings for a Spark session shuxi starts, as (key, value) pairs in the order given.
    spark_conf: tuple[tuple[str, str], ...] = ()
    #: An OpenAI-compatible endpoint for ``planner="llm"`` (falls back to OPENAI_BASE_URL), its key and model.
    llm_base_url: str | None = None
    llm_api_key: str | None = dataclasses.field(default=None, repr=False)
    llm_model: str | None = None
    #: What leaves the machine: "schema" (names, types, aggregate facts) or "samples" (plus PII-masked top values).
    llm_share: Literal["schema", "samples"] = "schema"
    #: Seconds to wait for the model's reply.
    llm_timeout: float = 60.0

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_ENV = {
    "engine": "SHUXI_ENGINE",
    "threads": "SHUXI_THREADS",
    "memory_limit": "SHUXI_MEMORY_LIMIT",
    "row_limit": "SHUXI_ROW_LIMIT",
    "timeout": "SHUXI_TIMEOUT",
    "cache_dir": "SHUXI_CACHE_DIR",
    "spark_master": "SHUXI_SPARK_MASTER",
    "spark_conf": "SHUXI_SPARK_CONF",
    "llm_base_url": "SHUXI_LLM_BASE_URL",
    "llm_api_key": "SHUXI_LLM_API_KEY",
    "llm_model": "SHUXI_LLM_MODEL",
    "llm_share": "SHUXI_LLM_SHARE",
    "llm_timeout": "SHUXI_LLM_TIMEOUT",
}
#: OpenAI's own variable names, read when the SHUXI_* one is not set.
_ENV_FALLBACK = {"llm_base_url": "OPENAI_BASE_URL", "llm_api_key": "OPENAI_API_KEY"}

# "k=v,k=v": a comma starts a new pair only where a key and "=" follow, so values such as
# "spark.jars=a.jar,b.jar" keep their commas.
_CONF_SPLIT = re.compile(r",(?=\s*[A-Za-z0-9_.\-]+\s*=)")

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
    if field in ("llm_base_url", "llm_api_key", "llm_model"):
        text = str(value).strip()
        if not text:
            raise bad("a non-empty text")
        return text
    if field == "llm_share":
        text = str(value).strip().lower()
        if text not in ("schema", "samples"):
            raise bad('"schema" (only names, types and aggregate facts are sent) or "samples"')
        return text
    if field in ("timeout", "llm_timeout"):
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
    if field == "spark_master":
        # Only the shape is checked here; the Spark engine checks the URL (and that it answers) when it starts.
        text = str(value).strip()
        if not text or any(c.isspace() for c in text):
            raise bad('a Spark master URL such as "local[*]", "spark://host:7077", "yarn" or "sc://host:15002"')
        return text
    if field == "spark_conf":
        return _spark_conf(value, bad)
    raise AssertionError(field)  # pragma: no cover - the table above is closed


def _spark_conf(value: Any, bad: Callable[[str], ConfigError]) -> tuple[tuple[str, str], ...]:
    expected = 'key=value pairs separated by commas, such as "spark.executor.memory=4g,spark.sql.shuffle.partitions=64"'
    if isinstance(value, str):
        items: Iterable[Any] = [part for part in _CONF_SPLIT.split(value) if part.strip()]
    elif isinstance(value, Mapping):
        items = list(value.items())
    else:
        items = list(value)
    pairs: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, str):
            key, sep, val = item.partition("=")
            if not sep:
                raise bad(expected)
        else:
            try:
                key, val = item
            except (TypeError, ValueError):
                raise bad(expected) from None
        key, val = str(key).strip(), str(val).strip()
        if not key or any(c.isspace() for c in key):
            raise bad(expected)
        pairs.append((key, val))
    return tuple(pairs)


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
        elif field in _ENV_FALLBACK and env.get(_ENV_FALLBACK[field], "").strip():
            values[field] = _parse(field, env[_ENV_FALLBACK[field]], f"The environment variable {_ENV_FALLBACK[field]}")
    unknown = set(overrides or {}) - set(_ENV)
    if unknown:
        raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
    return Settings(**values)
