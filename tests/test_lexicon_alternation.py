"""The owner lexicon's word lists open with a lookahead on their first characters; the patterns
must match exactly what the plain alternations match.

``textkit.lexicon._alt`` puts ``(?=[first characters])`` before every list of plain words, a
speed-up for the party grammar, which tries its suffix, head and qualifier lists at every
character of a span; ``_first_chars`` does the same for the whole cue pattern after a name,
regex words included. The lookahead only states what every word already needs, so every match
(its span and its named group) is the same; this file builds the lexicon again without the
lookaheads and compares both on the corpus and on text generated from the lexicon's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textkit.lexicon as lexicon_module
from textkit.clean import clean
from textkit.io import read_path
from textkit.lexicon import Lexicon, lexicon
from textkit.resources import load_toml

pytestmark = pytest.mark.pure_python  # it patches compiled modules' functions (tests/conftest.py)

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))
PATTERNS = (
    "party",
    "free_organ",
    "after_cue",
    "before_cue",
    "receiver_before",
    "receiver_after",
    "modal",
    "connector",
)
_WIDTH = 34  # the longest span owners.py hands the name grammars


def _plain_alt(words: Iterable[str], *, escape: bool = True) -> str:
    """The definition the lookahead speeds up: the words, longest first, one alternation."""
    items = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) if escape else w for w in items) + ")"


@pytest.fixture(scope="module")
def plain() -> Lexicon:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(lexicon_module, "_alt", _plain_alt)
        mp.setattr(lexicon_module, "_first_chars", lambda words: "")
        return lexicon_module.lexicon.__wrapped__()


def _matches(lex: Lexicon, text: str) -> list[object]:
    """Every pattern's match at every position (span and named group), and the name grammars'
    verdict on every span of up to 34 characters that ends in a name's last character."""
    rows: list[object] = []
    for name in PATTERNS:
        pattern: re.Pattern[str] = getattr(lex, name)
        for pos in range(len(text)):
            m = pattern.match(text, pos, pos + _WIDTH)
            rows.append(m and (m.span(), m.lastgroup))
    ends = lex.party_last | lex.free_organ_last
    for end in range(1, len(text) + 1):
        if text[end - 1] in ends:
            for start in range(max(0, end - _WIDTH), end):
                rows.append(
                    (
                        bool(lex.party.fullmatch(text[start:end])),
                        bool(lex.free_organ.fullmatch(text[start:end])),
                    )
                )
    return rows


def test_the_shipped_patterns_use_the_lookahead(plain: Lexicon) -> None:
    shipped = lexicon()
    assert shipped.party.pattern != plain.party.pattern  # else this file compares a pattern with itself
    assert shipped.after_cue.pattern.startswith("(?=[") and not plain.after_cue.pattern.startswith("(?=[")
    assert shipped.before_cue.pattern == plain.before_cue.pattern  # regex lists keep their plain form


def test_lookahead_matches_equal_the_plain_alternation_on_the_corpus(plain: Lexicon) -> None:
    shipped = lexicon()
    found = 0
    for path in DOCS[::3]:
        text = clean(read_path(path)).text[:4000]
        fast = _matches(shipped, text)
        assert fast == _matches(plain, text), path.name
        found += sum(1 for row in fast if row and row != (False, False))
    assert found > 1000  # the patterns matched, so the comparison says something


def _lexicon_words() -> list[str]:
    data = load_toml("owners")
    words: set[str] = set()
    for section in ("organ", "collective", "official", "cues", "receiver"):
        for value in data[section].values():
            if isinstance(value, list):
                words.update(w for w in value if isinstance(w, str) and not re.search(r"[\\(\[|?*+{]", w))
    return sorted(words)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_lexicon_words()), st.sampled_from([*"县市各和及、,要X东城*", "12", "3月"])
        ),
        max_size=25,
    ).map("".join)
)
def test_lookahead_matches_equal_the_plain_alternation_on_generated_text(plain: Lexicon, text: str) -> None:
    assert _matches(lexicon(), text) == _matches(plain, text)
