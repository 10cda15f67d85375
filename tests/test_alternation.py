"""Word alternations as tries and the longest-word scan (issue 15): each must match exactly what
its plain definition matches.

``textkit.alternation.trie_alternation`` groups longest-first words by their first characters, and
``longest_at_each_start`` finds the longest word opening at each position by matching the
position's character and looking back at it. Compared here with the plain forms on
words and texts that share prefixes (the cases a trie could get wrong), on the shipped cue lists,
and on every corpus document.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.alternation import longest_at_each_start, trie_alternation
from textkit.clean import clean
from textkit.extractors import directives
from textkit.io import read_path

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))

# few characters, so that words are prefixes of one another and texts hold them often
_WORDS = st.lists(st.text(alphabet="ab会议(", min_size=0, max_size=4), min_size=1, max_size=12)
_TEXT = st.text(alphabet="ab会议(x", max_size=30)


def _flat(words: list[str]) -> str:
    """The definition: the words escaped, longest first, one alternation."""
    return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))


def _longest_at_each_start(words: list[str], text: str) -> list[str]:
    """The definition: at each position, in order, the longest word the text continues with there."""
    found = []
    for pos in range(len(text)):
        opening = [w for w in words if w and text.startswith(w, pos)]
        if opening:
            found.append(max(opening, key=len))
    return found


def _runs(alternation: str, text: str) -> list[object]:
    """What an alternation matches at every position: alone, under a continuation that makes ``re``
    back into it (the second choice, then the third…), and repeated to the end of the text."""
    rows: list[object] = []
    alone = re.compile(f"(?:{alternation})")
    backed = re.compile(f"(?:{alternation})(?:x|\\()")
    repeated = re.compile(f"(?:(?:{alternation})x?)+")
    for pos in range(len(text) + 1):
        rows.append([(m and m.span()) for m in (alone.match(text, pos), backed.match(text, pos))])
        rows.append(bool(repeated.fullmatch(text, pos)))
    rows.append([m.span() for m in alone.finditer(text) if m.end() > m.start()])
    return rows


@settings(max_examples=400, deadline=None)
@given(words=_WORDS, text=_TEXT)
def test_the_trie_matches_as_the_flat_alternation(words: list[str], text: str) -> None:
    assert _runs(trie_alternation(words), text) == _runs(_flat(words), text)


def test_the_trie_on_words_written_for_it() -> None:
    words = ["会议", "会议决定", "会", "议程", "会议决", "(", "(会"]
    assert trie_alternation(words) == r"会(?:议(?:决(?:定|)|)|)|\((?:会|)|议程"
    for text in ("会议决定了议程", "会议决了", "(会议)", "会会议议程", ""):
        assert _runs(trie_alternation(words), text) == _runs(_flat(words), text)
    assert trie_alternation([]) == "" and trie_alternation([""]) == "" and trie_alternation(["a", ""]) == "a|"


@settings(max_examples=400, deadline=None)
@given(words=_WORDS.filter(lambda ws: all(ws)), text=_TEXT)
def test_longest_at_each_start_equals_its_definition(words: list[str], text: str) -> None:
    assert longest_at_each_start(words).findall(text) == _longest_at_each_start(words, text)


def test_longest_at_each_start_refuses_an_empty_word() -> None:
    with pytest.raises(ValueError):
        longest_at_each_start(["会议", ""])
    with pytest.raises(ValueError):
        longest_at_each_start([])


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return [clean(read_path(p)).text for p in DOCS]


def test_longest_at_each_start_on_the_shipped_cue_lists_and_the_corpus(corpus: list[str]) -> None:
    """The directive cue lists (the decision's features count them) on the first 3,000 characters
    of every corpus document; the old scan, a lookahead at every position, as the reference."""
    lists: list[tuple[str, ...]] = []

    def visit(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, tuple) and len(value) > 1 and all(isinstance(w, str) and w for w in value):
            lists.append(value)

    visit(directives._cues())
    assert len(lists) >= 5
    for words in lists:
        longest_first = sorted(set(words), key=lambda w: (-len(w), w))
        old = re.compile(f"(?=({'|'.join(map(re.escape, longest_first))}))")
        new = longest_at_each_start(words)
        for text in corpus:
            assert new.findall(text[:3000]) == old.findall(text[:3000])
