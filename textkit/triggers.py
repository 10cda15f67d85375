"""Which sentences of a body each field extractor can find anything in.

The deadline, cadence and target extractors only report what their regular
expressions match, so a sentence holding none of the literal strings every
match must contain cannot yield anything from them: those strings are read
off the compiled patterns themselves (``required``), never written by hand,
so they follow the lexicons as those change. Each extractor's strings are
one ``re`` alternation searched within each sentence: on these lexicons (129
strings, most of them one character such as 月 or 前) that beat one
pyahocorasick scan per document and a google-re2 set, see
``benchmarks/matchers.py`` and ``benchmarks/README.md``.

Where a pattern admits no such strings (an optional-only or negated part),
its extractor is marked "always" and runs on every sentence: the filter only
ever skips work that provably finds nothing.
"""

from __future__ import annotations

import re
import re._constants as _c  # re's own parser (Python 3.11+), so the strings are read off the real pattern
import re._parser as _p
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

_MAX_CLASS = 64
"""A character class wider than this (``[\\u4e00-\\u9fff]``) requires nothing useful."""

Needs = frozenset[str]


def required(pattern: re.Pattern[str] | str) -> Needs | None:
    """Strings one of which every non-empty match of ``pattern`` contains, or None when
    nothing can be said (the filter must then let every text through)."""
    source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, 0)
    if flags & re.IGNORECASE:
        return None
    return _sequence(list(_p.parse(source, flags)))


def _sequence(items: Sequence[tuple[Any, Any]]) -> Needs | None:
    """The best requirement among a sequence's items; runs of literals count as one string."""
    options: list[Needs] = []
    run = ""
    for op, av in items:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append(frozenset({run}))
            run = ""
        need = _item(op, av)
        if need is not None:
            options.append(need)
    if run:
        options.append(frozenset({run}))
    if not options:
        return None
    # the most selective: the longest shortest string, then the fewest strings
    return max(options, key=lambda need: (min(map(len, need)), -len(need)))


def _item(op: Any, av: Any) -> Needs | None:
    if op is _c.LITERAL:
        return frozenset({chr(av)})
    if op is _c.IN:
        return _char_class(av)
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is _c.BRANCH:
        needs = [_sequence(list(branch)) for branch in av[1]]
        if any(n is None for n in needs):
            return None
        return frozenset().union(*needs)  # type: ignore[arg-type]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        return _sequence(list(sub)) if low >= 1 else None
    return None  # ANY, assertions, anchors, back references: nothing required


def _char_class(items: Iterable[tuple[Any, Any]]) -> Needs | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\d), wide ranges
            return None
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars) if chars else None


def needs_of(patterns: Iterable[re.Pattern[str]]) -> Needs | None:
    """The union over patterns: a text holding none of it matches none of them (None: no filter)."""
    out: set[str] = set()
    for pattern in patterns:
        need = required(pattern)
        if need is None:
            return None
        out |= need
    return frozenset(out)


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


def lexicon_patterns(lexicon: object) -> list[re.Pattern[str]]:
    """Every compiled pattern an extractor's lexicon holds, also inside tuples (``(name,
    pattern)`` pairs): a pattern added to a lexicon joins the triggers by itself, and one
    that only vetoes matches merely makes the filter let more through."""
    found: list[re.Pattern[str]] = []

    def visit(value: object) -> None:
        if isinstance(value, re.Pattern):
            found.append(value)
        elif isinstance(value, tuple | list):
            for item in value:
                visit(item)

    for value in vars(lexicon).values():
        visit(value)
    return found


@cache
def field_triggers() -> Triggers:
    """The triggers of the field extractors (deadlines, cadence, targets), built once per process.

    Each of them reports only matches of its lexicon's patterns (``tests/test_speed_identity.py``
    checks the whole corpus with and without this filter)."""
    from textkit.extractors import cadence, deadlines, targets

    return Triggers(
        {
            "deadlines": needs_of(lexicon_patterns(deadlines._lexicon())),
            "cadence": needs_of(lexicon_patterns(cadence._lexicon())),
            "targets": needs_of(lexicon_patterns(targets._lexicon())),
        }
    )
