"""The guard: checks SQL that shuxi's compiler did not write before any engine runs it.

A user's ``shuxi sql`` or a language model's SQL must be exactly one read-only query over the
registered tables and their columns. The guard parses it with sqlglot and refuses, with a reason a
user can act on, anything that could reach outside the data: statements other than a query,
file-reading table functions and path-like table names, engine catalogs, and any function that is
neither modelled by sqlglot nor on :data:`ALLOWED_FUNCTIONS` (default deny). The engine adds its own
wall behind this one (external access disabled, configuration locked); the guard is the part that
explains itself.

    >>> tree = guard_sql('SELECT region, sum(amount) FROM sales GROUP BY 1',
    ...                  tables={"sales": ["region", "amount"]})
    >>> tree.sql("duckdb")
    'SELECT region, SUM(amount) FROM sales GROUP BY 1'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope
from sqlglot.schema import MappingSchema

from shuxi.errors import ColumnNotFoundError, ShuxiError, TableNotFoundError, UnsafeSQLError

__all__ = ["ALLOWED_FUNCTIONS", "guard_sql"]

_ONLY_SELECT = "only SELECT queries are allowed"

# What each refused kind of statement does, keyed by its first keyword. Used for parsed statement
# nodes, for sqlglot's catch-all `Command`, and for statements sqlglot cannot parse at all
# (EXPORT/IMPORT DATABASE), so every refusal names the real danger.
_STATEMENT_REASONS: dict[str, str] = {
    "COPY": "COPY statements read and write files",
    "ATTACH": "ATTACH opens another database file",
    "DETACH": "DETACH changes which databases are open",
    "EXPORT": "EXPORT DATABASE writes files",
    "IMPORT": "IMPORT DATABASE reads files into the database",
    "INSTALL": "INSTALL downloads engine extensions",
    "FORCE": "INSTALL downloads engine extensions",
    "LOAD": "LOAD loads engine extensions",
    "PRAGMA": "PRAGMA statements read or change engine settings",
    "SET": "SET changes engine settings",
    "RESET": "RESET changes engine settings",
    "USE": "USE switches the active database",
    "CALL": "CALL runs engine procedures",
    "CHECKPOINT": "CHECKPOINT writes the database to disk",
    "VACUUM": "VACUUM rewrites the database",
    "CREATE": "CREATE statements change the database",
    "DROP": "DROP statements delete from the database",
    "ALTER": "ALTER statements change the database",
    "TRUNCATE": "TRUNCATE deletes data",
    "INSERT": "INSERT modifies data; shuxi never changes your data",
    "UPDATE": "UPDATE modifies data; shuxi never changes your data",
    "DELETE": "DELETE modifies data; shuxi never changes your data",
    "MERGE": "MERGE modifies data; shuxi never changes your data",
    "INTO": "SELECT ... INTO creates a table",
    "PIVOT": "the PIVOT statement form is not supported (write SELECT * FROM t PIVOT (...) instead)",
    "UNPIVOT": "the UNPIVOT statement form is not supported (write SELECT * FROM t UNPIVOT (...) instead)",
    "BEGIN": "transaction control is not needed to read data",
    "COMMIT": "transaction control is not needed to read data",
    "ROLLBACK": "transaction control is not needed to read data",
}

# Statement nodes refused wherever they appear (a CTE body or a subquery included).
_STATEMENT_NODES: dict[type[exp.Expression], str] = {
    exp.Copy: "COPY", exp.Attach: "ATTACH", exp.Detach: "DETACH", exp.Install: "INSTALL",
    exp.Pragma: "PRAGMA", exp.Set: "SET", exp.Use: "USE", exp.Create: "CREATE", exp.Drop: "DROP",
    exp.Alter: "ALTER", exp.TruncateTable: "TRUNCATE", exp.Insert: "INSERT", exp.Update: "UPDATE",
    exp.Delete: "DELETE", exp.Merge: "MERGE", exp.Into: "INTO", exp.Transaction: "BEGIN",
    exp.Commit: "COMMIT", exp.Rollback: "ROLLBACK", exp.Describe: "DESCRIBE", exp.Summarize: "SUMMARIZE",
    exp.Show: "SHOW", exp.Analyze: "ANALYZE", exp.Grant: "GRANT", exp.Revoke: "REVOKE",
    exp.LoadData: "LOAD", exp.Cache: "CACHE", exp.Uncache: "UNCACHE", exp.Kill: "KILL",
    exp.Refresh: "REFRESH", exp.Comment: "COMMENT", exp.Declare: "DECLARE", exp.Export: "EXPORT",
    exp.Execute: "EXECUTE",
}

# sqlglot models these as typed functions, but they read files or secrets.
_DENIED_FUNCTION_NODES = (exp.ReadCSV, exp.ReadParquet, exp.ToFile, exp.Secret, exp.NextValueFor)
_DENIED_NODE_NAMES = frozenset(name.lower() for node in _DENIED_FUNCTION_NODES for name in node.sql_names())

_ANONYMOUS = (exp.Anonymous, exp.AnonymousAggFunc, exp.CombinedAggFunc, exp.ParameterizedAgg)

# Functions sqlglot leaves as `exp.Anonymous` are refused unless listed here: pure functions of their
# arguments that analysts use and that DuckDB has. Functions sqlglot models as typed expressions
# (SUM, MEDIAN, DATE_TRUNC, REGEXP_REPLACE, ...) are allowed without being listed.
ALLOWED_FUNCTIONS: frozenset[str] = frozenset("""
    histogram histogram_exact reservoir_quantile kurtosis_pop entropy mad sem mean product fsum favg
    sumkahan kahan_sum sum_no_overflow geomean geometric_mean weighted_avg wavg arbitrary count_star
    arg_max_null arg_min_null arg_max_nulls_last arg_min_nulls_last bitstring_agg equi_width_bins
    age now get_current_timestamp transaction_timestamp current_localtime date_part datepart date_sub
    datesub century decade era millennium microsecond millisecond nanosecond julian isoyear weekday
    yearweek epoch_us epoch_ns days_in_month make_timestamp_ms make_timestamptz try_strptime timezone
    timezone_hour timezone_minute normalized_interval to_hours to_minutes to_seconds to_milliseconds
    to_microseconds to_weeks to_months to_quarters to_years to_decades to_centuries to_millennia
    strlen prefix suffix printf ord nfc_normalize strip_accents regexp_escape regexp_split_to_array
    damerau_levenshtein jaccard hamming mismatches jaro_similarity like_escape ilike_escape
    not_like_escape not_ilike_escape left_grapheme right_grapheme length_grapheme substring_grapheme
    octet_length url_encode url_decode bar formatreadablesize formatreadabledecimalsize format_bytes
    parse_formatted_bytes to_base bin unbin base64 hash md5_number md5_number_lower md5_number_upper
    bit_count bit_position bitstring get_bit set_bit round_even roundbankers isfinite signbit gamma
    lgamma gcd lcm greatest_common_divisor least_common_multiple even fdiv fmod nextafter
    add subtract multiply divide
    list_sum list_avg list_product list_unique list_reduce list_slice list_extract list_element
    list_apply array_apply array_transform array_reduce list_aggr list_aggregate array_aggr
    array_aggregate list_any_value list_median list_mode list_mad list_sem list_skewness list_kurtosis
    list_kurtosis_pop list_entropy list_stddev_pop list_stddev_samp list_var_pop list_var_samp
    list_histogram list_approx_count_distinct list_bool_and list_bool_or list_bit_and list_bit_or
    list_bit_xor list_string_agg list_cosine_similarity list_inner_product list_dot_product
    list_negative_inner_product list_negative_dot_product array_cosine_similarity array_cosine_distance
    array_distance array_inner_product array_dot_product array_cross_product
    array_negative_inner_product array_negative_dot_product array_value array_zip list_zip list_where
    array_where list_select array_select list_resize array_resize array_has_any list_has_all
    list_intersect list_count list_first list_last list_reverse list_grade_up array_grade_up grade_up
    list_position list_indexof array_indexof list_cat list_pack array_extract array_unique
    array_push_back array_push_front array_pop_back array_pop_front generate_subscripts
    element_at cardinality map_values map_entries map_extract map_extract_value map_contains
    map_contains_entry map_contains_value map_concat struct_insert struct_keys struct_values struct_has
    struct_contains struct_extract_at struct_concat struct_update struct_position struct_indexof
    union_extract union_tag union_value row
    to_json json_valid json_array_length json_contains json_exists json_value json_structure
    json_pretty json_quote json_group_array json_group_object
""".split())

# Function names that reach outside the data, with the reason a user is told. Checked before the
# allowlist so that even a typed sqlglot node with one of these names is refused.
_DENIED_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"read_\w*|\w*_scan|parquet_\w*|iceberg_\w*|delta_\w*|sniff_csv|glob|st_read|write_\w*|to_file"),
     "{name} reads files from disk; query the opened table instead"),
    (re.compile(r"query|query_table|json_execute_serialized_sql|json_(de)?serialize_(sql|plan)"),
     "{name} runs SQL text inside the query; write that SQL directly instead"),
    (re.compile(r"duckdb_\w*|pragma_\w*|pg_\w*|sqlite_\w*|current_setting|getenv|getvariable|which_secret"
                r"|current_query\w*|sql_auto_complete|in_search_path|has_\w*_privilege|\w*_description|inet_\w*"),
     "{name} reads the engine's settings, catalog or environment; only the opened tables can be queried"),
    (re.compile(r"system|load_extension|sleep_ms|nextval|setval|currval|checkpoint|force_checkpoint"
                r"|(enable|disable)_\w*|\w*_external_resource\w*|truncate_duckdb_logs|write_log"),
     "{name} acts on the engine or the system rather than on the data"),
)

# Table names of DuckDB's catalogs and compatibility views (DuckDB resolves `FROM duckdb_tables`).
_CATALOG_NAME = re.compile(r"(duckdb_|pg_|sqlite_|pragma_|information_schema)\w*", re.IGNORECASE)
# A table name DuckDB would treat as a file to scan ("FROM 'data.csv'", "FROM '/etc/passwd'").
_PATH_LIKE = re.compile(r"[./\\:*~?]")


def guard_sql(sql: str, *, tables: Mapping[str, Sequence[str]], dialect: str = "duckdb") -> exp.Query:
    """Parse and check ``sql``; return the parsed, checked query (the caller renders and runs exactly this tree).

    ``tables`` maps each registered table name to its column names. Table names match
    case-insensitively, and so do column names (as in DuckDB); quoted names may hold any characters.

    Raises :class:`UnsafeSQLError` for anything that is not one read-only query over those tables,
    :class:`TableNotFoundError` for an unknown table and :class:`ColumnNotFoundError` (with close
    matches) for an unknown column.
    """
    tree = _parse_one(sql, dialect)
    _refuse_statements(tree, sql)
    _refuse_functions(tree, sql, dialect)
    # Comments are dropped from the SQL that runs: nothing in them is needed, and a comment is the
    # classic place to smuggle text past a checker.
    for node in tree.walk():
        node.pop_comments()
    catalog = {name.lower(): (name, list(columns)) for name, columns in tables.items()}
    checked = tree.copy()
    for ident in checked.find_all(exp.Identifier):
        ident.meta["text"] = ident.name  # the user's spelling, for messages after normalising
    checked = normalize_identifiers(checked, dialect=dialect)
    try:
        _check_tables(checked, catalog, sql)
        _check_columns(checked, catalog, sql, dialect)
    except SqlglotError as error:  # sqlglot's scope analysis gave up: refuse rather than guess
        raise UnsafeSQLError(f"the query could not be checked: {str(error).splitlines()[0]}", sql=sql) from None
    return tree


# -- statements -------------------------------------------------------------------------------


@contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    # sqlglot logs a warning for every statement it falls back to `Command` for; the guard reports
    # those itself, and a CLI user should not see a logger line before the real message.
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _parse_one(sql: str, dialect: str) -> exp.Query:
    try:
        with _quiet_sqlglot():
            statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        where = f" at line {detail['line']}, column {detail['col']}" if detail.get("line") else ""
        message = str(detail.get("description") or error).splitlines()[0]
        raise _unparsed(sql, f"the SQL could not be parsed{where}: {message}") from None
    except TokenError as error:
        raise _unparsed(sql, f"the SQL could not be parsed: {str(error).splitlines()[0]}") from None
    if not statements:
        raise UnsafeSQLError("the SQL is empty; write one SELECT query", sql=sql)
    if len(statements) > 1:
        raise UnsafeSQLError(f"the SQL holds {len(statements)} statements; send exactly one statement, a SELECT query",
                             sql=sql)
    tree = statements[0]
    if isinstance(tree, exp.Command):
        raise _statement_error(str(tree.this), sql, tree)
    if not isinstance(tree, exp.Query):
        _refuse_statements(tree, sql)  # a specific reason when the root is a known statement
        raise _statement_error(_first_word(sql), sql, tree)
    return tree


def _unparsed(sql: str, message: str) -> UnsafeSQLError:
    # sqlglot cannot parse some dangerous statements (EXPORT DATABASE): name them, not the syntax.
    keyword = _first_word(sql)
    if keyword in _STATEMENT_REASONS:
        return _statement_error(keyword, sql, None)
    return UnsafeSQLError(message, sql=sql)


def _first_word(sql: str) -> str:
    text = re.sub(r"^(\s|--[^\n]*(\n|$)|/\*.*?\*/)*", "", sql, flags=re.S)
    match = re.match(r"[A-Za-z_]+", text)
    return match.group(0).upper() if match else ""


def _statement_error(keyword: str, sql: str, node: exp.Expression | None) -> UnsafeSQLError:
    keyword = keyword.upper()
    what = _STATEMENT_REASONS.get(keyword, f"{keyword or 'this'} statements are not queries")
    return UnsafeSQLError(f"{what}; {_ONLY_SELECT}", sql=sql, node=node.sql() if node is not None else None)


def _refuse_statements(tree: exp.Expression, sql: str) -> None:
    for node in tree.walk():
        if isinstance(node, exp.Command):
            raise _statement_error(str(node.this), sql, node)
        keyword = _STATEMENT_NODES.get(type(node))
        if keyword:
            raise _statement_error(keyword, sql, node)


# -- functions --------------------------------------------------------------------------------


def _function_name(node: exp.Func) -> str:
    if isinstance(node, _ANONYMOUS):
        return node.name.lower()
    return node.sql_name().lower()


def _denied_reason(name: str) -> str | None:
    for pattern, reason in _DENIED_NAMES:
        if pattern.fullmatch(name):
            return reason.format(name=name)
    return None


def _refuse_functions(tree: exp.Expression, sql: str, dialect: str) -> None:
    modelled = sqlglot.Dialect.get_or_raise(dialect).parser_class.FUNCTIONS
    for node in tree.walk():
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Func):
            # Table functions produce rows from somewhere other than the registered tables. Number
            # series are allowed: they read nothing, and analysts need them for date spines.
            function = node.this
            if not isinstance(function, exp.GenerateSeries):
                name = _function_name(function)
                reason = _denied_reason(name) or f"table function {name}() is not allowed; query the opened tables"
                raise UnsafeSQLError(reason, sql=sql, node=function.sql())
        if not isinstance(node, exp.Func):
            continue
        name = _function_name(node)
        reason = _denied_reason(name)
        if reason is None and (isinstance(node, _DENIED_FUNCTION_NODES) or name in _DENIED_NODE_NAMES):
            reason = f"{name} reads files or secrets"
        if reason is None and isinstance(node, _ANONYMOUS):
            # A name sqlglot models is as safe here as where it parses to a typed node: only the
            # method-call form (`region.upper()`) leaves such a name anonymous.
            if name not in ALLOWED_FUNCTIONS and name.upper() not in modelled:
                reason = f"function {name}() is not on shuxi's list of allowed functions; use a standard SQL one"
        if reason is not None:
            raise UnsafeSQLError(reason, sql=sql, node=node.sql())


# -- tables -----------------------------------------------------------------------------------

_Catalog = Mapping[str, tuple[str, list[str]]]  # lower-cased name -> (registered name, columns)


def _text(node: exp.Expression, key: str = "this") -> str:
    """The user's spelling of an identifier in a normalised tree."""
    ident = node.args.get(key)
    if isinstance(ident, exp.Identifier):
        return str(ident.meta.get("text", ident.name))
    return node.text(key)


def _check_tables(tree: exp.Expression, catalog: _Catalog, sql: str) -> None:
    checked: set[int] = set()
    for scope in traverse_scope(tree):
        for table in scope.tables:
            checked.add(id(table))
            source = scope.sources.get(table.alias_or_name)
            is_cte = isinstance(source, Scope) and not table.args.get("db")
            _check_table(table, catalog, sql, is_cte=is_cte)
    # A table reference outside every scope cannot be a CTE reference: it must be registered.
    for table in tree.find_all(exp.Table):
        if id(table) not in checked:
            _check_table(table, catalog, sql, is_cte=False)


def _check_table(table: exp.Table, catalog: _Catalog, sql: str, *, is_cte: bool) -> None:
    if isinstance(table.this, exp.Func) or is_cte:
        return  # table functions were checked already; CTE names are the query's own
    name = _text(table)
    if table.args.get("db") or table.args.get("catalog"):
        raise UnsafeSQLError(f"{table.sql()} names a schema or catalog; query the opened tables by their plain name",
                             sql=sql, node=table.sql())
    if table.name in catalog:
        return
    if _CATALOG_NAME.fullmatch(table.name):
        raise UnsafeSQLError(f"{name} is an engine catalog; only the opened tables can be queried", sql=sql, node=name)
    if _PATH_LIKE.search(table.name):
        raise UnsafeSQLError(f"{name!r} looks like a file path and would read files from disk; "
                             "query the opened table instead", sql=sql, node=name)
    raise TableNotFoundError(name, available=[display for display, _ in catalog.values()])


# -- columns ----------------------------------------------------------------------------------


def _check_columns(tree: exp.Expression, catalog: _Catalog, sql: str, dialect: str) -> None:
    """Resolve every column with sqlglot's qualifier (on a copy) and refuse the ones that resolve nowhere."""
    schema = MappingSchema({display: {c: "UNKNOWN" for c in columns} for display, columns in catalog.values()},
                           dialect=dialect)
    try:
        qualified = qualify(tree.copy(), schema=schema, dialect=dialect, validate_qualify_columns=False,
                            quote_identifiers=False, identify=False)
    except SqlglotError as error:
        raise _qualify_error(str(error), tree, catalog, sql) from None
    except Exception as error:  # a tree the qualifier cannot handle is refused, not waved through
        raise UnsafeSQLError(f"the query could not be checked ({type(error).__name__}: {error})", sql=sql) from None
    for scope in traverse_scope(qualified):
        # PIVOT outputs are only known once the engine sees the data; DuckDB checks those itself.
        if not isinstance(scope.expression, exp.Select) or scope.pivots:
            continue
        for column in scope.external_columns:
            if column.table and _visible_outside(scope, column.table):
                continue  # a correlated reference to an enclosing query's table
            raise _column_error(column, scope, catalog)


def _visible_outside(scope: Scope, alias: str) -> bool:
    parent = scope.parent
    while parent is not None:
        if alias in parent.sources:
            return True
        parent = parent.parent
    return False


def _source_columns(source: exp.Table | Scope | None, catalog: _Catalog) -> tuple[str | None, list[str]]:
    if isinstance(source, exp.Table):
        display, columns = catalog.get(source.name, (_text(source), []))
        return display, columns
    if isinstance(source, Scope) and isinstance(source.expression, exp.Query):
        return None, [name for name in source.expression.named_selects if name != "*"]
    return None, []


def _column_error(column: exp.Column, scope: Scope, catalog: _Catalog) -> ShuxiError:
    name = _text(column)
    if column.table:
        if column.table not in scope.sources:
            return TableNotFoundError(_text(column, "table"), available=list(scope.sources))
        table, available = _source_columns(scope.sources[column.table], catalog)
        return ColumnNotFoundError(name, table=table or column.table, available=available)
    tables: list[str] = []
    available: list[str] = []
    for alias, (_, source) in scope.selected_sources.items():
        table, columns = _source_columns(source, catalog)
        tables.append(table or alias)
        available.extend(c for c in columns if c not in available)
    # The query's own output names count too: DuckDB lets ORDER BY, WHERE, HAVING... use them.
    for output in scope.expression.named_selects:
        # Skip the qualifier's made-up names (_col_1) and the bad column echoing as its own output.
        if output not in {"*", column.name, *available} and not re.fullmatch(r"_col_\d+", output):
            available.append(output)
    return ColumnNotFoundError(name, table=tables[0] if len(tables) == 1 else None, available=available)


def _qualify_error(message: str, tree: exp.Expression, catalog: _Catalog, sql: str) -> ShuxiError:
    """Turn a qualifier error into the structured error for the column it is about."""
    match = re.match(r"(Unknown column|Cannot automatically join): (.+)", message)
    if match is None:
        return UnsafeSQLError(f"the query could not be checked: {message.splitlines()[0]}", sql=sql)
    wanted = match.group(2).strip()
    for scope in traverse_scope(tree):
        for column in scope.columns:
            if column.name == wanted and column.table in scope.sources:
                return _column_error(column, scope, catalog)
        if match.group(1).startswith("Cannot"):  # JOIN ... USING (c): name the side that lacks c
            for _, source in scope.selected_sources.values():
                table, columns = _source_columns(source, catalog)
                if table and wanted not in {c.lower() for c in columns}:
                    return ColumnNotFoundError(wanted, table=table, available=columns)
    everything = [c for _, columns in catalog.values() for c in columns]
    return ColumnNotFoundError(wanted, available=everything)
