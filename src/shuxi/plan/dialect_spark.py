"""shuxi's Spark dialect: upstream sqlglot's, corrected where its translation changes a query's meaning.

Loaded only when a query is rendered for Spark (``render(expr, "spark")``), so DuckDB users never pay for
importing it. Each override names the difference it corrects.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.dialects.spark import Spark


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


def _spark_regexp_like(self: Spark.Generator, e: exp.RegexpLike) -> str:
    # Upstream drops full_match: RLIKE finds the pattern anywhere, where DuckDB's REGEXP_FULL_MATCH needs all
    # of the text to match. Anchor it, with \z rather than $: Java's $ also matches before a final newline.
    pattern = e.expression
    if e.args.get("full_match"):
        if isinstance(pattern, exp.Literal) and pattern.is_string:
            pattern = exp.Literal.string(rf"^(?:{pattern.this})\z")
        else:
            pattern = exp.func("concat", exp.Literal.string("^(?:"), pattern.copy(), exp.Literal.string(r")\z"))
    return self.binary(exp.RegexpLike(this=e.this, expression=pattern), "RLIKE")


#: strptime fields (sqlglot's format notation, which DuckDB shares) as Java DateTimeFormatter fields for
#: parsing. One letter where DuckDB reads one or two digits: Spark's "MM" refuses "1", "M" reads "1" and "01".
#: Six S read one to six fraction digits, as DuckDB's %f does.
_JAVA_FIELDS = {
    "Y": "yyyy", "y": "yy", "m": "M", "d": "d", "H": "H", "I": "h", "M": "mm", "S": "ss", "f": "SSSSSS",
    "b": "MMM", "B": "MMMM", "p": "a", "a": "EEE", "A": "EEEE", "j": "D",
}
#: Characters of a Java pattern that mean something (letters are fields, [] optional sections, #{} reserved).
_JAVA_RESERVED = re.compile(r"[A-Za-z\[\]#{}']")


def _java_pattern(fmt: str) -> str:
    """A strptime format as a Java DateTimeFormatter pattern: "%Y-%m-%dT%H:%M" → "yyyy-M-d'T'H:mm".

    Literal letters are quoted: upstream leaves the T of an ISO timestamp bare, and Java reads it as a field.
    """
    out: list[str] = []
    literal: list[str] = []  # literal characters that need quotes, waiting for the next field or plain character
    for spec, char in re.findall(r"%(.)|(.)", fmt, flags=re.DOTALL):
        field = (_JAVA_FIELDS.get(spec) or Spark.INVERSE_TIME_MAPPING.get(f"%{spec}")) if spec else None
        char = char or ("%" if spec == "%" else "")
        if field is None and (char.isalpha() or _JAVA_RESERVED.match(char)):
            literal.append(char)
            continue
        if literal:
            out.append("'" + "".join(literal).replace("'", "''") + "'")
            literal.clear()
        out.append(field or char)
    if literal:
        out.append("'" + "".join(literal).replace("'", "''") + "'")
    return "".join(out)


def _spark_str_to_time(self: Spark.Generator, e: exp.StrToTime) -> str:
    # Upstream writes TO_TIMESTAMP even for safe=True (TRY_STRPTIME on DuckDB), and under ANSI mode (Spark 4's
    # default) TO_TIMESTAMP raises on text that does not parse; TRY_TO_TIMESTAMP returns NULL like DuckDB.
    fmt = e.args["format"]
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        return self.func("TRY_TO_TIMESTAMP" if e.args.get("safe") else "TO_TIMESTAMP", e.this, self.format_time(e))
    value = exp.Anonymous(this="TRY_TO_TIMESTAMP" if e.args.get("safe") else "TO_TIMESTAMP",
                          expressions=[e.this.copy(), exp.Literal.string(_java_pattern(fmt.this))])
    if "%y" in fmt.this:
        # Two-digit years: Java's "yy" reads 95 as 2095; DuckDB (like Python) reads 69-99 as 1969-1999. A
        # 100-year shift keeps the day valid: 2069-2099 and 1969-1999 have the same leap years.
        century = exp.Interval(this=exp.Literal.string("100"), unit=exp.var("YEAR"))
        shifted = exp.Sub(this=value.copy(), expression=century)
        late = exp.GTE(this=exp.Year(this=value.copy()), expression=exp.Literal.number(2069))
        return self.sql(exp.Case().when(late, shifted).else_(value))
    return self.sql(value)


def _spark_window(self: Spark.Generator, e: exp.Window) -> str:
    # ROW_NUMBER() OVER () numbers rows in scan order on DuckDB (shuxi's row positions), but Spark refuses a row
    # number over an unordered window. MONOTONICALLY_INCREASING_ID() grows with the partition index and the row's
    # place in its partition, so ordering by it keeps the order of the file as Spark read it.
    if isinstance(e.this, exp.RowNumber) and not e.args.get("partition_by") and not e.args.get("order"):
        order = exp.Order(expressions=[exp.Ordered(this=exp.Anonymous(this="MONOTONICALLY_INCREASING_ID"),
                                                   nulls_first=True)])
        e = e.copy()
        e.set("order", order)
    return self.window_sql(e)


#: Names Spark's parser reads unquoted: ASCII only.
_SPARK_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ShuxiSpark(Spark):
    def can_quote(self, identifier: exp.Identifier, identify: str | bool = "safe") -> bool:
        # Spark's parser refuses non-ASCII names unquoted (销售), but sqlglot leaves them bare because Python
        # counts 销 as a word character: quote every name that is not plain ASCII.
        return super().can_quote(identifier, identify) or not _SPARK_BARE_NAME.fullmatch(identifier.name)

    class Generator(Spark.Generator):
        TRANSFORMS = {
            **Spark.Generator.TRANSFORMS,
            exp.DateTrunc: _spark_date_trunc,
            # Spark has no two-argument PERCENTILE_CONT (only the WITHIN GROUP form); PERCENTILE(x, p) is
            # its exact, interpolating quantile: the same number DuckDB's QUANTILE_CONT(x, p) returns.
            exp.PercentileCont: lambda self, e: self.func("PERCENTILE", e.this, e.expression),
            exp.RegexpLike: _spark_regexp_like,
            exp.StrToTime: _spark_str_to_time,
            # Upstream writes CAST for a TryCast without safe=True; under ANSI mode a bad string then fails the
            # whole query instead of giving NULL, as DuckDB's TRY_CAST does.
            exp.TryCast: lambda self, e: self.trycast_sql(e),
            exp.Window: _spark_window,
        }
