"""Which modules run compiled (mypyc, issue 15), and the guard that keeps a stale build from running.

``pip install`` compiles the modules in :data:`COMPILED` with mypyc into one group (one shared
library, ``textkit/_compiled__mypyc*.so``, and a small extension beside each ``.py``), and
writes :data:`MANIFEST` with the sha1 of each module's source as it was compiled. Python loads
an extension before a ``.py`` of the same name, so an edited ``.py`` would silently run its old
compiled code; :func:`guard` prevents that. It runs first thing in ``textkit/__init__.py`` and
loads *all* of them from their ``.py`` files (a group calls itself natively, so it is all or
nothing) when

- ``TEXTKIT_PURE=1`` is set (to debug, profile or monkeypatch in pure Python), or
- any module's source differs from what was compiled, or the manifest is missing or unreadable.

Rebuild after editing one of them: ``pip install -e . --no-deps --no-build-isolation``
(or the README's install command again). ``TEXTKIT_PURE_BUILD=1`` at install time builds no
extension at all. This module is never compiled and imports only the standard library
(``setup.py`` reads :data:`COMPILED` from it).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path
from types import ModuleType

COMPILED: tuple[str, ...] = (
    "textkit.clean",
    "textkit.outline",
    "textkit.pipeline",
    "textkit.scoring",
    "textkit.extractors.deadlines",
    "textkit.extractors.directives",
    "textkit.extractors.owners",
    "textkit.lexicon",
)
"""Modules compiled by ``setup.py``, as one mypyc group, chosen by measurement (benchmarks/README.md).

A compiled module must not use ``cached_property`` on its classes, nor an instance's ``__dict__``.
"""

GROUP = "textkit._compiled"
"""The group's shared library: ``textkit/_compiled__mypyc.<abi>.so``."""

MANIFEST = Path(__file__).with_name("_compiled.json")
"""Written by the build: ``{"group": ..., "sources": {module: sha1 of its .py}}``."""

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def source_path(module: str, root: Path = PACKAGE_ROOT) -> Path:
    """The ``.py`` file of a dotted module name under ``root``."""
    return root.joinpath(*module.split(".")).with_suffix(".py")


def sha1_of(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def why_pure() -> str | None:
    """Why the compiled modules must not be used (``None``: they may)."""
    if os.environ.get("TEXTKIT_PURE", "") not in ("", "0"):
        return "TEXTKIT_PURE is set"
    try:
        recorded = json.loads(MANIFEST.read_text(encoding="utf-8"))["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return "no build manifest (textkit/_compiled.json)"
    for module in COMPILED:
        path = source_path(module)
        try:
            if recorded.get(module) != sha1_of(path):
                return f"{path.name} changed since it was compiled"
        except OSError:
            return f"{path} is unreadable"
    return None


class _SourceFirst:
    """A meta path finder that loads the compiled modules from their ``.py`` files."""

    def __init__(self, modules: Sequence[str], reason: str) -> None:
        self.modules = frozenset(modules)
        self.reason = reason

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name not in self.modules:
            return None
        leaf = name.rpartition(".")[2] + ".py"
        for folder in path or ():
            candidate = Path(folder) / leaf
            if candidate.is_file():
                return spec_from_file_location(name, candidate)
        return None


def guard() -> None:
    """Load every compiled module from source when :func:`why_pure` says so (once a process)."""
    if any(isinstance(finder, _SourceFirst) for finder in sys.meta_path):
        return
    reason = why_pure()
    if reason is not None:
        sys.meta_path.insert(0, _SourceFirst(COMPILED, reason))


def active() -> bool:
    """Whether the compiled modules run in this process (after :func:`guard`, which ``import textkit`` runs)."""
    return MANIFEST.is_file() and not any(isinstance(finder, _SourceFirst) for finder in sys.meta_path)


def mode() -> str:
    """``"compiled"``, or ``"pure: <why>"``."""
    for finder in sys.meta_path:
        if isinstance(finder, _SourceFirst):
            return f"pure: {finder.reason}"
    return "compiled" if MANIFEST.is_file() else "pure: nothing compiled"
