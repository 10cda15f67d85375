#!/usr/bin/env python3
"""Derive the field extractors' trigger strings into ``textkit/data/triggers.json``
(per extractor) and ``textkit/data/pattern_triggers.json`` (per deadline pattern).

A sentence holding none of the literal strings that every match of an extractor's
patterns must contain cannot yield anything from it, so ``textkit.triggers`` skips
that extractor there. The strings are read off the compiled patterns themselves with
the standard library's regex parser — a private module (``re._parser``), which is
why this runs at build time, here, and never inside the package. Rerun after
changing a field lexicon; ``tests/test_speed_identity.py`` fails while the shipped
file differs from what this derives.

usage: python tools/derive_triggers.py [--check]
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import re._constants as _c  # re's own parser (Python 3.11+), so the strings are read off the real pattern
import re._parser as _p
import sys
import types
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "textkit" / "data" / "triggers.json"
OUT_PATTERNS = OUT.with_name("pattern_triggers.json")

Needs = frozenset[str]

_MAX_CLASS = 64
"""A character class wider than this (``[\\u4e00-\\u9fff]``) requires nothing useful."""


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


_CLASS_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}


def first_class(pattern: re.Pattern[str] | str) -> str | None:
    """The body of a character class holding every character a non-empty match of ``pattern``
    can start with (``(?=[body])`` may then open the pattern without changing a match), or
    None when nothing that narrow can be said (a negated class, any character, a pattern that
    can match the empty string, ignored case)."""
    source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, 0)
    if flags & re.IGNORECASE:
        return None
    pieces, nullable = _first(list(_p.parse(source, flags)))
    if pieces is None or nullable or not pieces:
        return None
    return "".join(sorted(pieces))


def _first(items: Sequence[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """Class pieces the first consumed character of a sequence is in, and whether it may consume nothing."""
    out: set[str] = set()
    for op, av in items:
        pieces, nullable = _first_of(op, av)
        if pieces is None:
            return None, False
        out |= pieces
        if not nullable:
            return out, False
    return out, True


def _first_of(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    if op is _c.LITERAL:
        return {_class_char(av)}, False
    if op is _c.IN:
        pieces: set[str] = set()
        for item, value in av:
            if item is _c.LITERAL:
                pieces.add(_class_char(value))
            elif item is _c.RANGE:
                pieces.add(f"{_class_char(value[0])}-{_class_char(value[1])}")
            elif item is _c.CATEGORY and value in _CLASS_CATEGORIES:
                pieces.add(_CLASS_CATEGORIES[value])
            else:  # NEGATE and anything else: no narrow class
                return None, False
        return pieces, False
    if op is _c.SUBPATTERN:
        return _first(list(av[-1]))
    if op is _c.ATOMIC_GROUP:
        return _first(list(av))
    if op is _c.BRANCH:
        union: set[str] = set()
        any_nullable = False
        for branch in av[1]:
            pieces_, nullable = _first(list(branch))
            if pieces_ is None:
                return None, False
            union |= pieces_
            any_nullable |= nullable
        return union, any_nullable
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        if high == 0:
            return set(), True
        pieces_, nullable = _first(list(sub))
        return (pieces_, low == 0 or nullable) if pieces_ is not None else (None, False)
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
        return set(), True  # zero-width: the first character comes after it
    return None, False  # ANY, NOT_LITERAL, back references, conditionals


def _class_char(code: int) -> str:
    ch = chr(code)
    return "\\" + ch if ch in "\\]^-[" else ch


def needs_of(patterns: Iterable[re.Pattern[str]]) -> Needs | None:
    """The union over patterns: a text holding none of it matches none of them (None: no filter)."""
    out: set[str] = set()
    for pattern in patterns:
        need = required(pattern)
        if need is None:
            return None
        out |= need
    return frozenset(out)


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

    # patterns compiled on first use (``cached_property``: the deadline and target lexicons keep
    # only their texts for extraction) are compiled here, so they count whether used yet or not
    for name, attribute in vars(type(lexicon)).items():
        if isinstance(attribute, functools.cached_property | property | types.GetSetDescriptorType):
            getattr(lexicon, name)  # a class compiled with mypyc has its fields and properties as getsets
    for value in _attribute_values(lexicon):
        visit(value)
    return found


def _attribute_values(obj: object) -> list[object]:
    """An instance's attribute values: its ``__dict__``, or, for a class compiled with mypyc (which
    keeps them in slots, issue 15), its dataclass fields (the caches of its properties among them)."""
    try:
        return list(vars(obj).values())
    except TypeError:
        return [getattr(obj, f.name) for f in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []


def derive() -> dict[str, list[str] | None]:
    """Each field extractor's trigger strings (sorted), or None where it must always run."""
    sys.path.insert(0, str(OUT.parent.parent.parent))
    from textkit.extractors import cadence, deadlines, targets

    out: dict[str, list[str] | None] = {}
    for name, module in (("deadlines", deadlines), ("cadence", cadence), ("targets", targets)):
        need = needs_of(lexicon_patterns(module._lexicon()))  # type: ignore[attr-defined]
        out[name] = sorted(need) if need is not None else None
    return out


def derive_patterns() -> dict[str, dict[str, dict[str, Any]]]:
    """The trigger strings (sorted, or None where it must always run) of each deadline pattern, of
    the owners' cue pattern before a party list, of the target quantity and of the outline's item
    markers, by name, the class of the characters its
    matches can start with, and the digest of the pattern they were read from
    (``textkit.triggers`` ignores an entry whose pattern changed)."""
    sys.path.insert(0, str(OUT.parent.parent.parent))
    from textkit.extractors import deadlines, owners, targets
    from textkit.lexicon import lexicon
    from textkit.outline import marker_pattern
    from textkit.triggers import pattern_digest

    def entries(patterns: Iterable[tuple[str, re.Pattern[str]]]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for name, pattern in patterns:
            need = required(pattern)
            out[name] = {
                "digest": pattern_digest(pattern),
                "needs": sorted(need) if need is not None else None,
                "first": first_class(pattern),
            }
        return out

    return {
        "deadlines": entries(deadlines._lexicon().patterns),
        "owners": entries(
            [
                ("before_cue", lexicon().before_cue),
                ("modal", lexicon().modal),
                ("then_modal", owners._clause().then_modal),
                ("generic_verbs", owners._clause().generic_verbs),
                # the party grammar's branches: only their "first" class is read (owners.py bounds the
                # starts of the spans it hands the grammar by it)
                *((f"party:{k}", branch) for k, branch in enumerate(lexicon().party_branches)),
            ]
        ),
        "targets": entries([("quantity", targets._lexicon().pattern)]),
        "outline": entries([("marker", marker_pattern())]),
    }


def main(argv: list[str]) -> int:
    files: list[tuple[Path, Any]] = [(OUT, derive()), (OUT_PATTERNS, derive_patterns())]
    if "--check" in argv:
        stale = [path for path, derived in files if json.loads(path.read_text(encoding="utf-8")) != derived]
        for path in stale:
            print(f"{path} is stale: run python tools/derive_triggers.py")
        if not stale:
            print("up to date")
        return 1 if stale else 0
    for path, derived in files:
        path.write_text(json.dumps(derived, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
