"""The owners fast path must find exactly what the per-character definition finds.

``textkit.extractors.owners`` takes its cue positions from one regex scan, stops the
spans it tries for a name at the nearest clause break, and skips clauses without a
modal or copula. Each of these is exact only because no name can hold a clause
break; this file checks that premise on the compiled grammar and compares the fast
path with the slow definition (a scan at every character, windows of 34 characters
either side, every clause tried) on the corpus and on generated text.
"""

from __future__ import annotations

import re
import re._constants as c  # the stdlib parser's node names, as tools/derive_triggers.py reads them
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from textkit.clean import clean
from textkit.extractors import owners
from textkit.extractors.base import Context, Found
from textkit.io import read_path
from textkit.lexicon import Lexicon, canonical_name, lexicon
from textkit.records import Owner
from textkit.segment import sentences

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))
BREAKS = ",;:。!?\n"


def _slow_cue_positions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[int]:
    """The definition the scan replaces: every position after a name's possible last character."""
    return [
        pos
        for pos in range(1, len(text))
        if text[pos - 1] in lex.end_chars
        or text[pos - 1] in "X*"
        or any(text.endswith(a, 0, pos) for a in extra)
    ]


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn every shortcut off: per-character cue scan, unbounded windows, no memoised owners."""
    monkeypatch.setattr(owners, "_cue_positions", _slow_cue_positions)
    monkeypatch.setattr(owners, "_names_stop_at_breaks", lambda lex, extra: False)
    monkeypatch.setattr(
        owners, "_owner", lambda name, role, canonical: Owner(name=name, role=role, canonical=canonical)
    )
    monkeypatch.setattr(owners, "_shipped_canonical", canonical_name)


def _as_rows(found: list[Found]) -> list[tuple[object, ...]]:
    return [(f.start, f.end, f.text, f.value, f.rule, f.confidence) for f in found]


def _cases(text: str) -> list[tuple[str, Context]]:
    cleaned = clean(text).text
    with_aliases = Context(aliases=owners.find_aliases(cleaned))
    cases = [(cleaned[s:e], ctx) for s, e in sentences(cleaned) for ctx in (with_aliases, Context())]
    return [*cases, (cleaned[:3000], with_aliases)]


def _run(cases: list[tuple[str, Context]]) -> list[list[tuple[object, ...]]]:
    return [_as_rows(owners.find_owners(text, context=ctx)) for text, ctx in cases]


@pytest.fixture(scope="module")
def corpus_cases() -> list[tuple[str, Context]]:
    return [case for path in DOCS for case in _cases(read_path(path))]


@pytest.fixture(scope="module")
def fast_on_corpus(corpus_cases: list[tuple[str, Context]]) -> list[list[tuple[object, ...]]]:
    return _run(corpus_cases)


def test_fast_path_equals_the_slow_definition_on_the_corpus(
    corpus_cases: list[tuple[str, Context]], fast_on_corpus: list[list[tuple[object, ...]]], slow: None
) -> None:
    assert len(corpus_cases) > 5000
    slow_rows = _run(corpus_cases)
    assert sum(map(len, slow_rows)) > 3000  # owners were found, so the comparison says something
    assert slow_rows == fast_on_corpus


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return [clean(read_path(p)).text for p in DOCS]


@pytest.fixture(scope="module")
def fast_aliases(corpus_texts: list[str]) -> list[dict[str, str]]:
    return [owners.find_aliases(t) for t in corpus_texts]


def test_aliases_equal_the_slow_definition_on_the_corpus(
    corpus_texts: list[str], fast_aliases: list[dict[str, str]], slow: None
) -> None:
    assert any(fast_aliases)
    assert [owners.find_aliases(t) for t in corpus_texts] == fast_aliases


_FRAGMENTS = [
    "县财政局",
    "县委",
    "组织部",
    "县应急管理局",
    "各乡镇",
    "社区居委会",
    "派出所",
    "张XX同志",
    "分管副县长",
    "要",
    "牵头",
    "配合",
    "负责",
    "会同",
    "由",
    "请",
    "责任单位:",
    "牵头单位:",
    "是",
    "作为",
    "必须",
    "也",
    "、",
    "和",
    "及",
    ",",
    "。",
    ";",
    ":",
    "\n",
    "!",
    " ",
    "的",
    "等",
    "加快推进",
    "工作",
    "市",
    "局",
    "X",
    "(以下简称县落实办)",
    "县落实办",
    "落实办,要",
    "对安全具体负责",
    "向市委汇报",
    "以便于",
    "同时,",
]


@settings(max_examples=300, deadline=None)
@example(
    "各乡镇党委书记是乡村振兴的一线总指挥,要把主要精力放在抓落实上。", {}
)  # a subject whose modal is in the next clause
@example("县工作落实年领导小组办公室(以下简称县落实办)牵头,县落实办要每月通报。", {"落实办,要": "x"})
@example("同时,县财政局、县审计局和县发改局按职责分工负责。由县应急局牵头,会同社区居委会开展排查。", {})
@given(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join),
    st.dictionaries(
        st.sampled_from(["县落实办", "落实办,要", "办", "", "局:"]),
        st.just("县工作落实年领导小组办公室"),
        max_size=2,
    ),
)
def test_fast_path_equals_the_slow_definition_on_generated_text(text: str, aliases: dict[str, str]) -> None:
    contexts = [Context(), Context(aliases=aliases), Context(aliases=owners.find_aliases(text))]
    fast = [_as_rows(owners.find_owners(text, context=ctx)) for ctx in contexts]
    fast_aliases = owners.find_aliases(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(owners, "_cue_positions", _slow_cue_positions)
        mp.setattr(owners, "_names_stop_at_breaks", lambda lex, extra: False)
        assert [_as_rows(owners.find_owners(text, context=ctx)) for ctx in contexts] == fast
        assert owners.find_aliases(text) == fast_aliases


# --- the premise: no name the shipped lexicon accepts holds a clause break ------------------

_CATEGORIES = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}


def _in_set(items: list[tuple[object, object]], ch: str) -> bool:
    negate, hit = False, False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            hit |= chr(av) == ch  # type: ignore[arg-type]
        elif op is c.RANGE:
            bounds: tuple[int, int] = av  # type: ignore[assignment]
            hit |= bounds[0] <= ord(ch) <= bounds[1]
        elif op is c.CATEGORY:
            hit |= re.fullmatch(_CATEGORIES[av], ch) is not None
        else:
            raise AssertionError(f"unexpected set item {op}")
    return hit != negate


def _consumes(parsed: object, ch: str) -> bool:
    """Whether any character-consuming node of a parsed pattern admits ``ch`` (lookarounds consume none)."""
    for op, av in parsed:  # type: ignore[attr-defined]
        if op is c.LITERAL:
            if chr(av) == ch:
                return True
        elif op is c.NOT_LITERAL:
            if chr(av) != ch:
                return True
        elif op is c.ANY:
            return True
        elif op is c.IN:
            if _in_set(av, ch):
                return True
        elif op is c.SUBPATTERN:
            if _consumes(av[-1], ch):
                return True
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[1] > 0 and _consumes(av[2], ch):
                return True
        elif op is c.BRANCH:
            if any(_consumes(branch, ch) for branch in av[1]):
                return True
        elif op is c.ATOMIC_GROUP:
            if _consumes(av, ch):
                return True
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        else:
            raise AssertionError(
                f"unexpected pattern node {op}: extend this check before trusting the fast path"
            )
    return False


def _parse(pattern: re.Pattern[str]) -> object:
    import re._parser as parser  # the stdlib's own parser, as tools/derive_triggers.py uses

    return parser.parse(pattern.pattern, pattern.flags)


@pytest.mark.parametrize("grammar", ["party", "free_organ"])
def test_no_name_grammar_admits_a_clause_break(grammar: str) -> None:
    parsed = _parse(getattr(lexicon(), grammar))
    assert [ch for ch in BREAKS if _consumes(parsed, ch)] == []
    assert _consumes(parsed, "局") and _consumes(parsed, "X")  # the check does see consuming nodes


def test_the_break_set_is_the_clause_break_pattern() -> None:
    assert {ch for ch in map(chr, range(0x10000)) if owners._CLAUSE_BREAK.fullmatch(ch)} == set(BREAKS)
    assert owners._shipped_names_stop_at_breaks()
    assert owners._names_stop_at_breaks(lexicon(), {"县落实办": "县工作落实年领导小组办公室"})
    assert not owners._names_stop_at_breaks(lexicon(), {"办,要": "x"})  # such an alias turns the bound off
