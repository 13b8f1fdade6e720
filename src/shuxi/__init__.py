"""shuxi (数析): ask questions about big tables in Chinese or English and get answers you can trust.

>>> import shuxi
>>> ds = shuxi.open("sales.parquet")
>>> ds.sql("SELECT region, sum(revenue) AS revenue FROM sales GROUP BY region")

Heavy libraries (DuckDB, pyarrow, sqlglot, torch, pyspark) load on first use, so ``import shuxi`` is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shuxi.errors import (
    ColumnNotFoundError,
    ConfigError,
    DataError,
    EncodingError,
    EngineError,
    LLMError,
    PlanError,
    QueryTimeoutError,
    ShuxiError,
    TableNotFoundError,
    UnsafeSQLError,
)

if TYPE_CHECKING:
    from shuxi.config import Settings
    from shuxi.ask.llm import LLM
    from shuxi.data.dataset import Dataset
    from shuxi.plan.ir import Plan

__version__ = "0.1.0"

__all__ = [
    "ColumnNotFoundError",
    "ConfigError",
    "DataError",
    "Dataset",
    "EncodingError",
    "EngineError",
    "LLM",
    "LLMError",
    "Plan",
    "PlanError",
    "QueryTimeoutError",
    "Settings",
    "ShuxiError",
    "TableNotFoundError",
    "UnsafeSQLError",
    "open",
]


def open(data: Any, **options: Any) -> Dataset:  # noqa: A001
    """Open a file, folder, glob or DataFrame as a :class:`Dataset`. See :func:`shuxi.data.api.open`."""
    from shuxi.data.api import open as _open

    return _open(data, **options)


_LAZY = {
    "Dataset": ("shuxi.data.dataset", "Dataset"),
    "LLM": ("shuxi.ask.llm", "LLM"),
    "Plan": ("shuxi.plan.ir", "Plan"),
    "Settings": ("shuxi.config", "Settings"),
    "load_settings": ("shuxi.config", "load_settings"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'shuxi' has no attribute {name!r}")
