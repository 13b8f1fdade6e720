"""Our sqlglot dialects: the upstream ones, corrected where their translation changes a query's meaning.

Engines render through these (``render(expr, "spark")``), so a fix here holds for every Plan and
every guarded query. The Spark dialect lives in :mod:`shuxi.plan.dialect_spark` and is imported the first
time a query is rendered for Spark.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB


class ShuxiDuckDB(DuckDB):
    pass


DIALECTS: dict[str, type] = {"duckdb": ShuxiDuckDB}


def dialect(name: str) -> type | str:
    """shuxi's dialect class for ``name`` ("duckdb", "spark"); other names pass through to sqlglot."""
    if name == "spark" and name not in DIALECTS:
        from shuxi.plan.dialect_spark import ShuxiSpark

        DIALECTS[name] = ShuxiSpark
    return DIALECTS.get(name, name)


def render(expression: exp.Expression, dialect_name: str, *, pretty: bool = False) -> str:
    """SQL text of ``expression`` in ``dialect_name`` ("duckdb" or "spark"); ``pretty`` spreads it over lines for people."""
    return expression.sql(dialect=dialect(dialect_name), pretty=pretty)
