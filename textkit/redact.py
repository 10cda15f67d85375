"""Credentials out of every message: ``scheme://user:password@host`` → ``scheme://***@host``.

Ledger URLs may carry a password (``postgresql://clerk:pw@db/ledger``,
``https://user:pw@ledger.example.org``). Anything that shows a URL or an error
that may quote one — CLI errors, the service's 503 body and log — passes it
through :func:`redact` first.
"""

from __future__ import annotations

import re

__all__ = ["redact"]

# userinfo (RFC 3986 §3.2.1): everything before the authority's last @
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s'\"<>?#]+@")  # greedy: a raw @ in a password too


def redact(text: str) -> str:
    """``text`` with the user and password of every URL in it replaced by ``***``."""
    return _USERINFO.sub(r"\g<scheme>***@", text)
