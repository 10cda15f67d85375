"""Task ledgers (落实台账, 督查督办台账) behind one interface, chosen by URL.

=====================================  ==========================================
``sqlite:///ledger.db``, ``ledger.db``  SQLite (the default; also ``.sqlite``; ``textkit[sql]``)
``postgresql://user@host/db``           PostgreSQL (``textkit[postgres]``)
any other SQLAlchemy URL                that database, if its driver is installed (``textkit[sql]``)
``ledger.xlsx``                         an Excel 台账 (``textkit[excel]``)
``ledger.csv`` / ``ledger.jsonl``       CSV (UTF-8 with BOM) / JSON Lines (core)
``https://host/ledger``                 a ledger service (see :mod:`textkit.ledgers.http`; ``textkit[http]``)
=====================================  ==========================================

A backend whose extra is not installed is a ``LedgerError`` naming the
install command (``pip install "textkit[excel]"``).

Backends are named by URL scheme or file suffix and imported on first use
(like fsspec's ``registry``); nothing heavy loads with this package. Third
parties join through the entry-point group ``textkit.ledgers``::

    [project.entry-points."textkit.ledgers"]
    airtable = "textkit_airtable:AirtableLedger"   # then open_ledger("airtable://base/table")

and prove themselves with :mod:`textkit.ledgers.testing`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from textkit.errors import LedgerError
from textkit.extras import MissingExtra, install_command, require
from textkit.ledgers.base import Ledger
from textkit.ledgers.rows import STATUSES, FieldChange, LedgerDiff, UpsertResult

__all__ = [
    "FieldChange",
    "Ledger",
    "LedgerDiff",
    "STATUSES",
    "UpsertResult",
    "known_ledgers",
    "open_ledger",
    "register_ledger",
]

ENTRY_POINT_GROUP = "textkit.ledgers"
Factory = Callable[..., Ledger]


@dataclass(frozen=True)
class Backend:
    """Where a backend lives (``module:attr``), the optional modules it needs (keys of
    ``textkit.extras.EXTRAS``), and what to install when it cannot be imported."""

    target: str | Factory
    hint: str | None = None
    requires: tuple[str, ...] = ()


_SQL = Backend("textkit.ledgers.sql:SQLLedger", install_command("sql"), ("sqlalchemy",))
_POSTGRES = Backend("textkit.ledgers.sql:SQLLedger", install_command("postgres"), ("sqlalchemy", "psycopg"))
_HTTP = Backend("textkit.ledgers.http:HTTPLedger", install_command("http"), ("httpx",))
_BUILTIN: dict[str, Backend] = {
    "sqlite": _SQL,
    "postgresql": _POSTGRES,
    "postgres": _POSTGRES,
    ".db": _SQL,
    ".sqlite": _SQL,
    ".sqlite3": _SQL,
    ".xlsx": Backend("textkit.ledgers.excel:ExcelLedger", install_command("excel"), ("openpyxl",)),
    ".csv": Backend("textkit.ledgers.files:CSVLedger"),
    ".jsonl": Backend("textkit.ledgers.files:JSONLinesLedger"),
    ".ndjson": Backend("textkit.ledgers.files:JSONLinesLedger"),
    "http": _HTTP,
    "https": _HTTP,
}
_registered: dict[str, Backend] = {}


def register_ledger(name: str, target: str | Factory, *, hint: str | None = None, clobber: bool = False) -> None:
    """Add a backend for a scheme (``"airtable"``) or suffix (``".parquet"``) at run time."""
    key = name.lower()
    if not clobber and (key in _BUILTIN or key in _registered):
        raise LedgerError(f"a ledger backend is already registered for {name!r} (pass clobber=True)")
    _registered[key] = Backend(target, hint)


def known_ledgers() -> dict[str, str]:
    """Every scheme/suffix textkit can open, with where it comes from."""
    names = {k: _describe(b) for k, b in _BUILTIN.items()}
    names.update({ep.name.lower(): f"entry point {ep.value}" for ep in _entry_points()})
    names.update({k: _describe(b) for k, b in _registered.items()})
    return dict(sorted(names.items()))


def open_ledger(url: str, **options: Any) -> Ledger:
    """The ledger at ``url``; ``options`` go to the backend (``table=``, ``sheet=``, ``batch_size=`` …)."""
    url = str(url)
    name, is_scheme = _backend_name(url)
    backend = _find(name)
    if backend is None:
        if is_scheme:  # any SQLAlchemy URL: mysql+pymysql://, oracle://, duckdb:// …
            backend = _SQL
        else:
            raise LedgerError(f"{url}: no ledger backend for {name or 'a path without a suffix'!r}; known: "
                              f"{', '.join(known_ledgers())}")
    factory = _load(name, backend)
    return factory(url, **options)


def _backend_name(url: str) -> tuple[str, bool]:
    """The scheme of a URL, else the suffix of a path; ``C:\\x.csv`` is a path, not scheme ``c``."""
    if "://" in url:
        scheme = url.split("://", 1)[0].lower()
        if len(scheme) > 1 and scheme != "file":
            return scheme, True
        url = url.split("://", 1)[1]
    return PurePath(url).suffix.lower(), False


def _find(name: str) -> Backend | None:
    if name in _registered:
        return _registered[name]
    if name in _BUILTIN:
        return _BUILTIN[name]
    # Built-ins win over entry points, so an installed plugin cannot hijack sqlite:// or .xlsx.
    for entry_point in _entry_points():
        if entry_point.name.lower() == name:
            return Backend(entry_point.value, f"reinstall the package that provides {entry_point.value}")
    base = name.split("+", 1)[0]
    return _BUILTIN.get(base) if base != name else None


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return list(entry_points(group=ENTRY_POINT_GROUP))


def _load(name: str, backend: Backend) -> Factory:
    if callable(backend.target):
        return backend.target
    try:
        require(*backend.requires, purpose=f"the {name!r} ledger")
    except MissingExtra as exc:
        raise LedgerError(str(exc)) from exc
    module_name, _, attr = backend.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        hint = f": {backend.hint}" if backend.hint else ""
        raise LedgerError(f"the {name!r} ledger backend cannot be imported ({exc}){hint}") from exc
    try:
        factory: Factory = getattr(module, attr)
    except AttributeError as exc:
        raise LedgerError(f"the {name!r} ledger backend {backend.target!r} does not exist") from exc
    return factory


def _describe(backend: Backend) -> str:
    return backend.target if isinstance(backend.target, str) else getattr(backend.target, "__qualname__", "callable")
