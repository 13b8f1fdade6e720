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


#: The units Spark's TRUNC(date, fmt) knows; for any other it returns NULL rather than failing.
_SPARK_TRUNC_UNITS = {"YEAR", "YYYY", "YY", "QUARTER", "MONTH", "MM", "MON", "WEEK"}


def _spark_date_trunc(self: Spark.Generator, e: exp.DateTrunc) -> str:
    # Upstream writes every DateTrunc as TRUNC(x, unit), but TRUNC(x, 'DAY') is NULL on Spark. DATE_TRUNC
    # knows DAY (and finer units); it returns a TIMESTAMP where TRUNC returns a DATE, so shuxi's compiler
    # casts the result to DATE for every grain.
    unit = e.args.get("unit")
    name = unit.name.upper() if isinstance(unit, (exp.Literal, exp.Var)) else None
    if name is not None and name not in _SPARK_TRUNC_UNITS:
        return self.func("DATE_TRUNC", exp.Literal.string(name), e.this)
    return self.func("TRUNC", e.this, unit)


class ShuxiSpark(Spark):
    class Generator(Spark.Generator):
        TRANSFORMS = {
            **Spark.Generator.TRANSFORMS,
            exp.DateTrunc: _spark_date_trunc,
            # Spark has no two-argument PERCENTILE_CONT (only the WITHIN GROUP form); PERCENTILE(x, p) is
            # its exact, interpolating quantile: the same number DuckDB's QUANTILE_CONT(x, p) returns.
            exp.PercentileCont: lambda self, e: self.func("PERCENTILE", e.this, e.expression),
        }


DIALECTS: dict[str, type] = {"duckdb": ShuxiDuckDB, "spark": ShuxiSpark}


def render(expression: exp.Expression, dialect: str, *, pretty: bool = False) -> str:
    """SQL text of ``expression`` in ``dialect`` ("duckdb" or "spark"); ``pretty`` spreads it over lines for people."""
    return expression.sql(dialect=DIALECTS.get(dialect, dialect), pretty=pretty)
