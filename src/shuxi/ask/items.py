"""How many items an answer holds when the question says so: "name a venue that hosted …", "tell me one title …"
want one of the rows that answer (the first in the table), not all of them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuxi.ask.context import Context
    from shuxi.plan.ir import Plan

_ONE_ITEM = re.compile(r"(?:name|tell me|give me|list|give) (?:a|an|one|any one|just one)\b")


def one_item(ctx: Context, plan: Plan) -> Plan:
    """``plan`` limited to its first row when the question asks for one item of a list, else ``plan`` itself."""
    if plan.kind == "lookup" and plan.limit is None and plan.anchor is None and not plan.order \
            and _ONE_ITEM.match(ctx.q.text):
        return plan.model_copy(update={"limit": 1})
    return plan
