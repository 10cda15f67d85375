"""The one shape every extractor has.

``find_deadlines``, ``find_owners``, ``find_cadence`` and ``find_targets`` all take
the cleaned text of a sentence, clause or item first, a keyword-only
``Context``, and return ``Found`` values in text order, with spans relative to
the text they were given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Context:
    """What an extractor may know beyond the text itself.

    ``ref`` is the reference date ("today" for the document): the caller's
    ``ref_date``, else the document's own date. ``ref_year`` is set whenever the
    year is known, also when only the year is (a title such as ``2023年…讲话``).
    ``aliases`` maps abbreviations the document defines (``以下简称县落实办``)
    to their full names. ``region`` selects regional event dates (``汛期``).
    """

    ref: date | None = None
    ref_year: int | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)
    region: str | None = None

    @property
    def year(self) -> int | None:
        return self.ref.year if self.ref else self.ref_year


@dataclass(frozen=True)
class Found:
    """One thing an extractor found: where, as written, its typed value, and why."""

    start: int
    end: int
    text: str
    value: Any
    rule: str
    confidence: float = 1.0


DEFAULT_CONTEXT = Context()
