"""PII masking for the few sample values an LLM may see (``SHUXI_LLM_SHARE=samples``).

Sample values pass through :func:`mask` before they leave the machine: e-mail addresses, phone numbers
(Chinese mobiles and international numbers), Chinese resident ID numbers, bank card numbers (Luhn-checked)
and IP addresses become placeholders such as ``<email>``. Longer patterns are replaced first, so an
18-digit ID is never half-masked as a phone number.

>>> mask("张三 zhangsan@example.com 13812345678")
'张三 <email> <phone>'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["mask", "mask_value"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# 18-digit resident ID (last character may be X) or the old 15-digit form; birth date checked loosely.
_CN_ID = re.compile(r"(?<![0-9A-Za-z])(?:[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                    r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])")
# 13-19 digits, optionally grouped by spaces or dashes; a Luhn check decides.
_CARD = re.compile(r"(?<![\d])(?:\d[ \-]?){12,18}\d(?![\d])")
_CN_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ \-]?)?1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ \-.]?)?(?:\(\d{2,4}\)[ \-.]?|\d{2,4}[ \-.])\d{3,4}[ \-.]?\d{3,4}(?!\d)")
_IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")
# Full eight groups, or a compressed form with "::" (times such as 12:30:45 have neither).
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
                   r"|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?)"
                   r"(?![0-9A-Fa-f:])")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    # Chinese bank cards have 16-19 digits (masked whatever their check digit); 13-15 digits only when Luhn-valid.
    if 16 <= len(digits) <= 19 or (13 <= len(digits) <= 15 and _luhn(digits)):
        return "<card>"
    return match.group(0)


def mask(text: str) -> str:
    """``text`` with e-mails, Chinese ID numbers, bank cards, phone numbers and IPs replaced by placeholders."""
    text = _EMAIL.sub("<email>", text)
    text = _CN_ID.sub("<id>", text)
    text = _CN_MOBILE.sub("<phone>", text)
    text = _CARD.sub(_card, text)
    text = _IPV4.sub("<ip>", text)
    text = _IPV6.sub("<ip>", text)
    text = _PHONE.sub("<phone>", text)
    return text


def mask_value(value: Any) -> Any:
    """A sample value as it may be shown to a model: text masked; numbers that look like IDs or cards masked too."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int) and len(str(abs(value))) >= 11:  # phone, card and ID numbers stored as integers
        masked = mask(str(value))
        return masked if masked != str(value) else value
    if isinstance(value, str):
        return mask(value)
    return value
