"""Numbers inside a detected span: Arabic, Chinese (cn2an) or redacted (``XX``).

cn2an is only ever run on the few characters a pattern has already matched:
run over a whole speech it turns ``一是`` into ``1是`` and ``一企一策`` into
``1企1策``.
"""

from __future__ import annotations

import re

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
"""Characters a Chinese numeral is written with (``十五``, ``两千``, ``三万五千``)."""

ARABIC = r"\d+(?:\.\d+)?"
CHINESE = f"[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?"
PLACEHOLDER = r"(?:XX|xx|××|\*\*|X|x|×|\*)"
"""Redactions a cleaned text keeps as written: ``XX月底前``, ``X%``, ``××个``."""

_PLACEHOLDER_RE = re.compile(rf"^{PLACEHOLDER}+$")
_SMALL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def is_placeholder(token: str) -> bool:
    """True for a redaction such as ``XX`` or ``××``."""
    return bool(_PLACEHOLDER_RE.match(token))


def to_number(token: str) -> float | None:
    """The value of one numeral token, or None when it is redacted or unreadable.

    ``"3.2"`` → 3.2, ``"十五"`` → 15, ``"两"`` → 2, ``"百分之九十五"`` → 95, ``"XX"`` → None.
    """
    token = token.strip()
    if not token or is_placeholder(token):
        return None
    if token.startswith("百分之"):
        token = token[3:]
    try:
        return float(token)
    except ValueError:
        pass
    if len(token) == 1 and token in _SMALL:
        return float(_SMALL[token])
    try:
        import cn2an  # cheap, but only needed once a Chinese numeral was matched

        return float(cn2an.cn2an(token.replace("两", "二"), "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def to_int(token: str) -> int | None:
    """``to_number`` for counts and calendar fields: None unless a whole number."""
    value = to_number(token)
    if value is None or value != int(value):
        return None
    return int(value)
