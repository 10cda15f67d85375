"""textkit: Chinese policy speeches in, task records out.

    >>> import textkit
    >>> result = textkit.extract(text, ref_date="2024-03-12")
    >>> result.tasks[0].heading, result.tasks[0].owners, result.tasks[0].deadline

Names load on first use, so ``import textkit`` stays cheap (no jieba, no spaCy).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from textkit import _native

_native.guard()  # before any compiled module loads: stale or TEXTKIT_PURE=1 → pure Python (issue 15)

__version__ = "0.1.0"

_EXPORTS = {
    "extract": "textkit.pipeline",
    "extract_file": "textkit.pipeline",
    "Extraction": "textkit.records",
    "Document": "textkit.records",
    "TaskRecord": "textkit.records",
    "Owner": "textkit.records",
    "Deadline": "textkit.records",
    "Cadence": "textkit.records",
    "Target": "textkit.records",
    "json_schema": "textkit.records",
    "TextkitError": "textkit.errors",
    "InputError": "textkit.errors",
    "LedgerError": "textkit.errors",
    "ValidationError": "textkit.errors",
    "open_ledger": "textkit.ledgers",
    "nlp": "textkit.spacy_nlp",
    "extract_frame": "textkit.frames",
    "render": "textkit.render",
    "evaluate": "textkit.evaluate",
    "link": "textkit.followups",
    "Link": "textkit.followups",
    "links_frame": "textkit.link_frame",
}

__all__ = [
    "Cadence",
    "Deadline",
    "Document",
    "Extraction",
    "InputError",
    "LedgerError",
    "Link",
    "Owner",
    "Target",
    "TaskRecord",
    "TextkitError",
    "ValidationError",
    "__version__",
    "extract",
    "extract_file",
    "extract_frame",
    "evaluate",
    "json_schema",
    "link",
    "links_frame",
    "nlp",
    "open_ledger",
    "render",
]

if TYPE_CHECKING:
    from textkit.errors import InputError, LedgerError, TextkitError, ValidationError
    from textkit.evaluate import evaluate
    from textkit.followups import Link, link
    from textkit.frames import extract_frame
    from textkit.ledgers import open_ledger
    from textkit.link_frame import links_frame
    from textkit.pipeline import extract, extract_file
    from textkit.records import (
        Cadence,
        Deadline,
        Document,
        Extraction,
        Owner,
        Target,
        TaskRecord,
        json_schema,
    )
    from textkit.render import render
    from textkit.spacy_nlp import nlp


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'textkit' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
