"""Optional dependencies: which extra brings each, and one clear message when one is missing.

The core install (``pip install textkit``) extracts plain-text speeches and
writes CSV and JSON Lines ledgers. Everything else comes with an extra::

    pip install "textkit[sql]"        SQLite and any SQLAlchemy database    SQLAlchemy
    pip install "textkit[postgres]"   PostgreSQL                            SQLAlchemy, psycopg
    pip install "textkit[excel]"      Excel 台账 (.xlsx)                     openpyxl
    pip install "textkit[http]"       a ledger service over HTTP            httpx
    pip install "textkit[docs]"       Word, PDF and HTML input              python-docx, pypdf, lxml
    pip install "textkit[serve]"      textkit serve                         FastAPI, uvicorn, python-multipart (+ docs)
    pip install "textkit[dask]"       textkit bulk --engine dask            dask, distributed
    pip install "textkit[plot]"       textkit.plot                          matplotlib
    pip install "textkit[spacy]"      textkit.nlp()                         spaCy
    pip install "textkit[all]"        all of the above

:func:`require` imports what a feature needs or raises :class:`MissingExtra`
naming the install command; callers re-raise it as the error of their stage
(``InputError`` for a reader, ``LedgerError`` for a ledger).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from textkit.errors import TextkitError

EXTRAS: dict[str, tuple[str, str]] = {
    # import name: (distribution, extra)
    "sqlalchemy": ("SQLAlchemy", "sql"),
    "psycopg": ("psycopg", "postgres"),
    "openpyxl": ("openpyxl", "excel"),
    "httpx": ("httpx", "http"),
    "docx": ("python-docx", "docs"),
    "pypdf": ("pypdf", "docs"),
    "lxml": ("lxml", "docs"),
    "fastapi": ("FastAPI", "serve"),
    "uvicorn": ("uvicorn", "serve"),
    "multipart": ("python-multipart", "serve"),
    "dask": ("dask", "dask"),
    "distributed": ("distributed", "dask"),
    "matplotlib": ("matplotlib", "plot"),
    "spacy": ("spaCy", "spacy"),
}


def install_command(extra: str) -> str:
    """``pip install "textkit[excel]"``: quoted, so shells do not glob the brackets."""
    return f'pip install "textkit[{extra}]"'


class MissingExtra(TextkitError, ImportError):
    """A feature whose optional dependency is not installed; the message says what to install."""

    def __init__(self, module: str, purpose: str) -> None:
        distribution, extra = EXTRAS[module]
        self.extra = extra
        super().__init__(f"{purpose} needs {distribution}, which is not installed: {install_command(extra)}")
        self.name = module


def require(*modules: str, purpose: str) -> list[ModuleType]:
    """Import ``modules`` (keys of :data:`EXTRAS`) or raise :class:`MissingExtra` for the first one missing."""
    loaded = []
    for module in modules:
        try:
            loaded.append(importlib.import_module(module))
        except ImportError as exc:
            raise MissingExtra(module, purpose) from exc
    return loaded
