"""Questions about rows in table order (first/last, next/previous, differences between two rows, which is greater).

Called by the built-in planner before the grouping rules; returns None when the question is not of this kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuxi.ask.builtin import Context
    from shuxi.plan.ir import Plan


def row_rule(ctx: Context) -> Plan | None:
    """The Plan for a row-order question, or None."""
    return None
