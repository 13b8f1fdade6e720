"""The error tree.

Every failure a user can cause is a :class:`ShuxiError` subclass whose message says what went
wrong and what to do next; the CLI turns these into exit code 2 and one paragraph on stderr.
Anything else escaping the library is a bug (exit code 1).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


class ShuxiError(Exception):
    """Root of every error shuxi raises on purpose (bad input, unsafe SQL, unreachable engine…)."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if not hint else f"{message} {hint}")


class ConfigError(ShuxiError):
    """A setting (argument or SHUXI_* variable) has a value shuxi cannot use."""


class DataError(ShuxiError):
    """A data source cannot be opened or read: missing, empty, malformed, unknown format."""

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None) -> None:
        self.path = path
        super().__init__(message, hint=hint)


class EncodingError(DataError):
    """A text file is in an encoding shuxi cannot recognise."""


class EngineError(ShuxiError):
    """The query engine refused or failed to run a query."""


class QueryTimeoutError(EngineError):
    """A query ran longer than the configured timeout and was interrupted."""


class PlanError(ShuxiError):
    """A Plan is invalid for this table, or a question could not be turned into one."""


class UnsafeSQLError(ShuxiError):
    """SQL that shuxi did not write was refused by the guard; ``reason`` says why."""

    def __init__(self, reason: str, *, sql: str | None = None, node: str | None = None) -> None:
        self.reason = reason
        self.sql = sql
        self.node = node
        super().__init__(
            f"Refused to run this SQL: {reason}",
            hint="shuxi runs exactly one read-only SELECT over the opened table(s).",
        )


class LLMError(ShuxiError):
    """A language model could not be reached, or its reply could not be used (never executed: shuxi runs no model code)."""


def close_matches(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates nearest to ``name`` (case-insensitive), best first."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.5)
    # Substring matches matter for Chinese names ("销售" in "销售额") that difflib scores low.
    for c in pool:
        if len(hits) >= n:
            break
        if c.lower() not in hits and name and (name.lower() in c.lower() or c.lower() in name.lower()):
            hits.append(c.lower())
    return [lowered[h] for h in hits]


class ColumnNotFoundError(ShuxiError):
    """A column named by the user does not exist; ``candidates`` holds the closest names."""

    def __init__(self, column: str, *, table: str | None = None, available: Sequence[str] = ()) -> None:
        self.column = column
        self.table = table
        self.available = list(available)
        self.candidates = close_matches(column, self.available)
        where = f" in table {table!r}" if table else ""
        if self.candidates:
            hint = "Did you mean " + " or ".join(repr(c) for c in self.candidates) + "?"
        elif self.available:
            shown = ", ".join(repr(c) for c in self.available[:12])
            more = "…" if len(self.available) > 12 else ""
            hint = f"Available columns: {shown}{more}."
        else:
            hint = None
        super().__init__(f"Column {column!r} does not exist{where}.", hint=hint)


class TableNotFoundError(ShuxiError):
    """SQL referred to a table that is not registered; ``candidates`` holds the closest names."""

    def __init__(self, table: str, *, available: Sequence[str] = ()) -> None:
        self.table = table
        self.available = list(available)
        self.candidates = close_matches(table, self.available)
        names = ", ".join(repr(t) for t in self.available) or "none"
        hint = (
            "Did you mean " + " or ".join(repr(c) for c in self.candidates) + "?"
            if self.candidates
            else f"The tables you can query are: {names}."
        )
        super().__init__(f"Table {table!r} is not known.", hint=hint)
