"""Word alternations as tries, the longest-word scan, and the checks that skip a call into ``re``
(issue 15): each must match exactly what its plain definition matches.

``textkit.alternation.trie_alternation`` groups longest-first words by their first characters, and
``longest_at_each_start`` finds the longest word opening at each position by matching the
position's character and looking back at it; the owners' connector, the sentence splitter and the
placeholder test ask ``re`` only where a match can start. Compared here with the plain forms on
words and texts that share prefixes (the cases a trie could get wrong), on the shipped cue lists,
and on every corpus document.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit import segment
from textkit.alternation import longest_at_each_start, trie_alternation
from textkit.clean import clean
from textkit.extractors import directives, numerals, owners
from textkit.io import read_path
from textkit.lexicon import lexicon

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


def test_the_connector_check_equals_the_connector_match(corpus: list[str]) -> None:
    """At every position of every corpus document, to the text's end and to a bound 3 further."""
    lex = lexicon()
    assert lex.connector_first and "" not in lex.connector_first
    seen = 0
    for text in corpus:
        n = len(text)
        for pos in range(n + 1):
            for end in (n, min(n, pos + 3)):
                want = lex.connector.match(text, pos, end)
                got = owners._connector(text, pos, end, lex)
                assert (got and got.span()) == (want and want.span()), (text[pos : pos + 10], end)
                seen += want is not None
    assert seen > 50  # connectors (同时, 此外…) do occur


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="。!?;\n… 会议ab", max_size=40))
def test_sentences_with_the_stop_check_equal_sentences_without_it(text: str) -> None:
    with_check = segment.sentences(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(segment, "_SENTENCE_END_FIRST", _Everything())
        assert segment.sentences(text) == with_check


def test_sentences_drop_spans_of_stops_alone() -> None:
    assert segment.sentences("会议。\n。。\n……\n要落实;") == [(0, 6), (10, 14)]  # …… alone: dropped
    assert segment.sentences("……要落实!!好") == [(2, 7), (7, 8)]


@settings(max_examples=300, deadline=None)
@given(token=st.text(alphabet="Xx×*＊会1", max_size=5))
def test_is_placeholder_equals_the_pattern(token: str) -> None:
    assert numerals.is_placeholder(token) == bool(numerals._PLACEHOLDER_RE.match(token))


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


def _weekday_definitions() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """cadence's weekday patterns and their definitions, opened on the look-behind as first written."""
    from textkit.extractors import cadence
    from textkit.resources import load_toml

    lex, pairs = load_toml("deadlines")["cadence"], []
    opened = f"(?:{cadence._not_after(lex['weekday_system_not_after'], lex['weekday_system_weeks'])})"
    written = (
        f"(?<![{lex['weekday_system_not_after']}])(?:{cadence._alternation(lex['weekday_system_weeks'])})"
    )
    for pattern in (cadence._lexicon().weekday_system_re, cadence._lexicon().weekday_moment_re):
        assert pattern.pattern.startswith(opened)
        pairs.append((pattern, re.compile(written + pattern.pattern[len(opened) :])))
    return pairs


def _weekday_rows(text: str) -> list[object]:
    return [
        (
            [(m.span(), m.groupdict()) for m in shipped.finditer(text)],
            [(m.span(), m.groupdict()) for m in written.finditer(text)],
        )
        for shipped, written in _weekday_definitions()
    ]


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="本上每一周星期五末制度放学前5分钟x", max_size=30))
def test_the_weekday_patterns_match_as_written_on_generated_text(text: str) -> None:
    for shipped, written in _weekday_rows(text):
        assert shipped == written


def test_the_weekday_patterns_match_as_written_on_the_corpus(corpus: list[str]) -> None:
    samples = [
        "落实周末卫生大扫除制度",
        "本周五例会制度",
        "每周五放学前5分钟安全教育",
        "周五放学前5分钟的安全教育",
        "星期五政治学习制度",
        "上星期一制度",
    ]
    found = 0
    for text in [*samples, *corpus]:
        for shipped, written in _weekday_rows(text):
            assert shipped == written
            found += len(shipped)
    assert found >= 3


def test_the_level_alternative_matches_as_written(corpus: list[str]) -> None:
    """owners' 乡(镇) pattern, its level read after the bracket, against the look-behind-first definition."""
    from textkit.resources import load_toml

    organ = load_toml("owners")["organ"]
    levels = "".join(sorted({ch for level in organ["levels"] for ch in level}))
    written = re.compile(f"(?<=[{levels}])\\((?:{organ['level_alternative']})\\)")
    shipped = owners._level_alternative()
    samples = ["各乡(镇)、村(居、社区)要", "(镇)要", "县(市、区)", "乡镇(街道)", "各村(居)委会", "局(镇)"]
    found = 0
    for text in [*samples, *corpus]:
        got = [m.span() for m in shipped.finditer(text)]
        assert got == [m.span() for m in written.finditer(text)]
        found += len(got)
    assert found >= 5


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="县局要,。\n 各组", max_size=12))
def test_the_owner_patterns_skipped_near_the_end_cannot_match_there(text: str) -> None:
    """The owners skip _STACK_OPENING less than three characters from the end and the unknown subject
    at the end: neither can match there (if one could, a skipped call would lose a match)."""
    for pos in range(max(0, len(text) - 2), len(text) + 1):
        assert owners._STACK_OPENING.match(text, pos) is None
    assert owners._clause().generic_subject.match(text, len(text)) is None


def test_the_past_pattern_finds_what_its_look_behind_first_definition_finds(corpus: list[str]) -> None:
    """The directive decision only asks whether the past pattern finds something in an item's
    first 120 characters; it must answer as the pattern opened on 了's look-behind did."""
    lex = directives._cues()["report"]
    le = f"(?<![{re.escape(lex['le_not_before'])}]){re.escape(lex['le'])}(?![{re.escape(lex['le_not_after'])}])"
    written = re.compile(f"{le}|{_flat(list(lex['past']))}")
    shipped = directives._tense_patterns()[1]
    samples = ["成立了", "为了", "除了", "了解", "不了了之", "了", "累计完成", "余份", "已经"]
    windows = [text[i : i + 120] for text in corpus for i in range(0, len(text), 40)]
    found = 0
    for text in [*samples, *windows]:
        assert (shipped.search(text) is None) == (written.search(text) is None), text
        found += written.search(text) is not None
    assert found > 100


def test_the_modal_or_copula_search_answers_as_its_definition(corpus: list[str]) -> None:
    """owners' one search for a modal or a copula in a window, its modal alternation joined without
    its group, against a search for each; on clause windows of the corpus and on hand-made modals."""
    lex, copulas = lexicon(), owners._clause().copulas
    scan = owners._shipped_modal_or_copula()
    assert not scan.pattern.startswith("(?:")  # joined without the group
    checked = 0
    for text in corpus:
        for pos in range(0, len(text), 7):
            stop = min(len(text), pos + 15)
            want = lex.modal.search(text, pos, stop) is not None or any(c in text[pos:stop] for c in copulas)
            assert (scan.search(text, pos, stop) is not None) == want
            checked += want
    assert checked > 1000
    for modal in (r"(?:a)|(?:b)", r"(?:a)(?:b)", r"(?:a|b)", r"(?:\))"):
        joined = owners._modal_or_copula(re.compile(modal), ("c",))
        for text in ("a", "b", "ab", "c", ")", "x"):
            assert (joined.search(text) is not None) == (re.search(modal, text) is not None or "c" in text)
