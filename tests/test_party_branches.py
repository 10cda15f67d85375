"""``Lexicon.is_party`` tries only the party grammar's branches that a span's last character allows;
it must decide exactly what the whole grammar decides.

Each branch carries the characters its matches can end with, read off the word lists it ends in.
This file checks those sets on the compiled branches themselves (re's own parser: the last
character every match consumes) and compares ``is_party`` with ``party.fullmatch`` on every span
of up to 34 characters of corpus text and of text generated from the lexicon's words.
"""

from __future__ import annotations

import re
import re._constants as c  # the stdlib parser's node names, as tools/derive_triggers.py reads them
import re._parser as parser
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.clean import clean
from textkit.io import read_path
from textkit.lexicon import lexicon
from textkit.resources import load_toml

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))
_WIDTH = 34


def _last(items: Sequence[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """The characters the last consumed character of a sequence can be (None: any), and whether
    it may consume nothing."""
    out: set[str] = set()
    for op, av in reversed(items):
        chars, nullable = _last_of(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _last_of(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    if op is c.LITERAL:
        return {chr(av)}, False
    if op is c.IN:
        chars: set[str] = set()
        for item, value in av:
            if item is c.LITERAL:
                chars.add(chr(value))
            elif item is c.RANGE and value[1] - value[0] < 64:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None, False  # a wide range, a category, a negated class: any character
        return chars, False
    if op is c.SUBPATTERN:
        return _last(list(av[-1]))
    if op is c.BRANCH:
        union: set[str] = set()
        any_nullable = False
        for branch in av[1]:
            chars_, nullable = _last(list(branch))
            if chars_ is None:
                return None, False
            union |= chars_
            any_nullable |= nullable
        return union, any_nullable
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, sub = av
        if high == 0:
            return set(), True
        chars_, nullable = _last(list(sub))
        return (chars_, low == 0 or nullable) if chars_ is not None else (None, False)
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return set(), True  # zero-width: the last character comes before it
    return None, False  # ANY, NOT_LITERAL, anything else: no narrower set


def test_each_branch_ends_only_in_the_characters_it_is_tried_for() -> None:
    lex = lexicon()
    assert len(lex.party_branches) > 5
    for branch in lex.party_branches:
        ends, nullable = _last(list(parser.parse(branch.pattern, branch.flags)))
        assert ends is not None and not nullable, branch.pattern[:80]
        tried_for = {ch for ch, branches in lex.party_by_last.items() if branch in branches}
        assert ends <= tried_for, sorted(ends - tried_for)
    assert set(lex.party_by_last) == lex.party_last
    assert lex.party.pattern == "(?:" + "|".join(b.pattern for b in lex.party_branches) + ")"


def _spans_agree(text: str) -> int:
    lex = lexicon()
    parties = 0
    for end in range(len(text) + 1):
        for start in range(max(0, end - _WIDTH), end + 1):
            whole = bool(lex.party.fullmatch(text, start, end))
            name = text[start:end]
            expected = name not in lex.not_parties and (name in lex.exact or whole)
            assert lex.is_party(text, start, end) == expected, (text[start:end], whole)
            assert lex.is_party(name, 0, len(name)) == expected
            parties += expected
    return parties


def test_is_party_equals_the_whole_grammar_on_the_corpus() -> None:
    parties = 0
    for path in DOCS[::6]:
        parties += _spans_agree(clean(read_path(path)).text[:1000])
    assert parties > 500  # parties were found, so the comparison says something


def _lexicon_words() -> list[str]:
    data = load_toml("owners")
    words: set[str] = set()
    for section in ("organ", "collective", "official"):
        for value in data[section].values():
            if isinstance(value, list):
                words.update(w for w in value if isinstance(w, str) and not re.search(r"[\\\[\]?*+{}|]", w))
    return sorted(words)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_lexicon_words(), "X", "同志", "张", "和", "、", "要", "工作"]), max_size=6).map("".join))
def test_is_party_equals_the_whole_grammar_on_generated_text(text: str) -> None:
    _spans_agree(text)
