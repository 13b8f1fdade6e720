"""Our sqlglot dialects: the upstream ones, corrected where their translation changes a query's meaning.

Engines render through these (``render(expr, "spark")``), so a fix here holds for every Plan and
every guarded query. Each override names the difference it corrects.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.dialects.spark import Spark


class ShuxiDuckDB(DuckDB):
    pass


class ShuxiSpark(Spark):
    class Generator(Spark.Generator):
        TRANSFORMS = {
            **Spark.Generator.TRANSFORMS,
            # Spark has no two-argument PERCENTILE_CONT (only the WITHIN GROUP form); PERCENTILE(x, p) is
            # its exact, interpolating quantile: the same number DuckDB's QUANTILE_CONT(x, p) returns.
            exp.PercentileCont: lambda self, e: self.func("PERCENTILE", e.this, e.expression),
        }


DIALECTS: dict[str, type] = {"duckdb": ShuxiDuckDB, "spark": ShuxiSpark}


def render(expression: exp.Expression, dialect: str, *, pretty: bool = False) -> str:
    """SQL text of ``expression`` in ``dialect`` ("duckdb" or "spark"); ``pretty`` spreads it over lines for people."""
    return expression.sql(dialect=DIALECTS.get(dialect, dialect), pretty=pretty)
