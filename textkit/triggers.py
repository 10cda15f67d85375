"""Which sentences of a body each field extractor can find anything in.

The deadline, cadence and target extractors only report what their regular
expressions match, so a sentence holding none of the literal strings every
match must contain cannot yield anything from them. Those strings are read off
the compiled patterns at build time by ``tools/derive_triggers.py`` (it needs
the standard library's private regex parser, which the package never imports)
and ship as ``data/triggers.json``; a test fails while the file differs from
what the current lexicons give. Each extractor's strings are one ``re``
alternation searched within each sentence: on these lexicons (129 strings, most
of them one character such as 月 or 前) that beat one pyahocorasick scan per
document and a google-re2 set, see ``benchmarks/matchers.py`` and
``benchmarks/README.md``.

An extractor whose patterns admit no such strings (an optional-only or negated
part) is ``null`` in the file and runs on every sentence: the filter only ever
skips work that provably finds nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

Needs = frozenset[str]


class Triggers:
    """Each extractor's strings as one ``re`` alternation; ``fired`` says which extractors can
    find something in each sentence of a body."""

    def __init__(self, needs: Mapping[str, Needs | None]) -> None:
        self.always = frozenset(name for name, need in needs.items() if need is None)
        self.patterns = [
            (name, re.compile("|".join(map(re.escape, sorted(need, key=len, reverse=True)))))
            for name, need in needs.items()
            if need
        ]

    def fired(self, text: str, spans: Sequence[tuple[int, int]]) -> list[frozenset[str]]:
        """For each span ``(start, end)`` of ``text``, the extractors with a string wholly
        inside it, plus those that always run."""
        return [
            self.always.union(name for name, pattern in self.patterns if pattern.search(text, start, end))
            for start, end in spans
        ]


@cache
def field_triggers() -> Triggers:
    """The triggers of the field extractors (deadlines, cadence, targets), read once per process.

    Each of them reports only matches of its lexicon's patterns (``tests/test_speed_identity.py``
    checks the whole corpus with and without this filter)."""
    shipped = json.loads(
        resources.files("textkit.data").joinpath("triggers.json").read_text(encoding="utf-8")
    )
    return Triggers(
        {name: frozenset(strings) if strings is not None else None for name, strings in shipped.items()}
    )
