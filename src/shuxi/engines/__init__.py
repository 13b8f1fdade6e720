"""Query engines. ``engines.base`` defines the protocol; each engine lives in its own module."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuxi.config import Settings
    from shuxi.engines.base import Engine


def create_engine(settings: Settings) -> Engine:
    """A fresh engine of the configured kind."""
    if settings.engine == "duckdb":
        from shuxi.engines.duckdb import DuckDBEngine

        return DuckDBEngine(settings)
    if settings.engine == "spark":
        from shuxi.engines.spark import SparkEngine

        return SparkEngine(settings)
    from shuxi.errors import ConfigError

    raise ConfigError(
        f"The {settings.engine!r} engine is not available in this version of shuxi.",
        hint='Use engine="duckdb" (the default) or engine="spark".',
    )
