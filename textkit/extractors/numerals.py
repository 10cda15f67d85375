"""Numbers inside a detected span: Arabic, Chinese (cn2an) or redacted (``XX``).

cn2an is only ever run on the few characters a pattern has already matched:
run over a whole speech it turns ``一是`` into ``1是`` and ``一企一策`` into
``1企1策``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from textkit.resources import load_toml

ARABIC = r"\d+(?:\.\d+)?"
PLACEHOLDER = r"(?:XX|xx|××|\*\*|X|x|×|\*)"
"""Redactions a cleaned text keeps as written: ``XX月底前``, ``X%``, ``××个``."""

_PLACEHOLDER_RE = re.compile(rf"^{PLACEHOLDER}+$")
_PLACEHOLDER_FIRST = "Xx×*"  # what a redaction starts with: most tokens are asked without calling re


@cache
def _lexicon() -> dict[str, Any]:
    """The numeral words of ``textkit/data/numerals.toml``, loaded once."""
    return load_toml("numerals")


_WORDS = {"CN_DIGITS": "digits", "POINT": "point", "PERCENT_OF": "percent_of"}


def __getattr__(name: str) -> str:
    """``CN_DIGITS`` (the characters a Chinese numeral is written with: ``十五``, ``两千``,
    ``三万五千``), ``POINT`` (``三点五``), ``PERCENT_OF`` (``百分之九十五``) and ``CHINESE``
    (a Chinese numeral, ``三点五``), read from numerals.toml on first use."""
    if name in _WORDS:
        return _lexicon()[_WORDS[name]]
    if name == "CHINESE":
        lex = _lexicon()
        return f"[{lex['digits']}]+(?:{re.escape(lex['point'])}[{lex['digits']}]+)?"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_placeholder(token: str) -> bool:
    """True for a redaction such as ``XX`` or ``××``."""
    return token[:1] in _PLACEHOLDER_FIRST and _PLACEHOLDER_RE.match(token) is not None


def to_number(token: str) -> float | None:
    """The value of one numeral token, or None when it is redacted or unreadable.

    ``"3.2"`` → 3.2, ``"十五"`` → 15, ``"两"`` → 2, ``"百分之九十五"`` → 95, ``"XX"`` → None.
    """
    token = token.strip()
    if not token or is_placeholder(token):
        return None
    lex = _lexicon()
    if token.startswith(lex["percent_of"]):
        token = token[len(lex["percent_of"]) :]
    try:
        return float(token)
    except ValueError:
        pass
    if len(token) == 1 and token in lex["small"]:
        return float(lex["small"][token])
    try:
        import cn2an  # cheap, but only needed once a Chinese numeral was matched

        for written, read in lex["cn2an_reads"].items():
            token = token.replace(written, read)
        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def to_int(token: str) -> int | None:
    """``to_number`` for counts and calendar fields: None unless a whole number."""
    value = to_number(token)
    if value is None or value != int(value):
        return None
    return int(value)
