"""The cadence and target extractors' fast paths must find exactly what their definitions find.

``find_cadence`` answers a sentence in which none of its patterns matches without running its
rules, and cuts the clause before a match once instead of once per past-tense word;
``find_targets`` finds the op word before a number with one search of the reversed window instead
of one search per op word. Each is compared with its definition on every sentence of the corpus
(and on the whole text of each document), and on generated text built from the lexicons' words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.clean import clean
from textkit.extractors import cadence, targets
from textkit.extractors.base import Found
from textkit.io import read_path
from textkit.resources import load_toml
from textkit.segment import sentences

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))
_DIGIT = re.compile(r"\d")


def _op_before_by_definition(text: str, start: int, lex: targets._Lexicon) -> tuple[str | None, int, bool]:
    """What ``targets._op_before`` was: the last occurrence of every op word, compared."""
    window = text[max(0, start - targets._OP_WINDOW) : start]
    window = window[max(window.rfind(ch) for ch in targets._CLAUSE_END) + 1 :]
    best: tuple[int, int, str, int] | None = None  # (end, length, op, begin)
    for word, op in lex.op_before.items():
        at = window.rfind(word)
        if at < 0 or _DIGIT.search(window, at + len(word)):
            continue
        key = (at + len(word), len(word), op, start - len(window) + at)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None, start, False
    end, _, op, begin = best
    adjacent = window[end:] in ("", *lex.links)
    return op, (begin if adjacent else start), adjacent


def _open_every_scan(mp: pytest.MonkeyPatch) -> None:
    """The definition of ``find_cadence``: no sentence skipped, and each rule's scan run whatever its
    stand-in says (``_chains`` opens a scan only where the stand-in matches)."""
    mp.setattr(cadence, "_may_match", lambda text, lex: True)
    for name in ("_compact_any", "_element_any", "_one_per_long_any"):
        mp.setattr(cadence, name, lambda: re.compile(""))


def _in_past_clause_by_definition(text: str, start: int, lex: cadence._Lexicon) -> bool:
    return any(w in cadence._clause_before(text, start) for w in lex.past_in_clause)


def _texts() -> Iterator[str]:
    for path in DOCS:
        cleaned = clean(read_path(path)).text
        yield cleaned[:4000]  # a long text: clause cuts and windows across sentences
        for s, e in sentences(cleaned):
            yield cleaned[s:e]


def _rows(found: list[Found]) -> list[tuple[object, ...]]:
    return [(f.start, f.end, f.text, f.value, f.rule, f.confidence) for f in found]


def test_op_before_equals_its_definition_at_every_position() -> None:
    lex = targets._lexicon()
    ops = 0
    for text in _texts():
        for start in range(len(text) + 1):
            got = targets._op_before(text, start, lex)
            assert got == _op_before_by_definition(text, start, lex), (text, start)
            ops += got[0] is not None
    assert ops > 1000


def _op_words() -> list[str]:
    lex = load_toml("deadlines")["target"]
    return [*lex["op_before"], *lex["links"], *lex["op_after"]]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*_op_words(), "5", "12", "%", ",", "。", ":", "x", "要"]), max_size=12).map("".join))
def test_op_before_equals_its_definition_on_generated_text(text: str) -> None:
    lex = targets._lexicon()
    for start in range(len(text) + 1):
        assert targets._op_before(text, start, lex) == _op_before_by_definition(text, start, lex)


def test_find_cadence_and_targets_equal_their_definitions_on_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = list(_texts())
    fast = [(_rows(cadence.find_cadence(t)), _rows(targets.find_targets(t))) for t in texts]
    with monkeypatch.context() as mp:
        _open_every_scan(mp)
        mp.setattr(cadence, "_in_past_clause", _in_past_clause_by_definition)
        mp.setattr(targets, "_op_before", _op_before_by_definition)
        slow = [(_rows(cadence.find_cadence(t)), _rows(targets.find_targets(t))) for t in texts]
    assert fast == slow
    assert sum(bool(c) for c, _ in fast) > 200 and sum(bool(t) for _, t in fast) > 300
    skipped = sum(not cadence._may_match(t, cadence._lexicon()) for t in texts)
    assert skipped > len(texts) // 2  # most sentences are answered without the rules


def _cadence_words() -> list[str]:
    lex = load_toml("deadlines")["cadence"]
    words = [*lex["every"], *lex["chain_periods"], *lex["chain_activities"], *lex["chain_short_activities"]]
    words += [*lex["past_in_clause"], *lex["chain_lead"], *lex["every_after_negative"], *lex["gapped_activities"]]
    words += [*lex.get("one_per_long", {}), *lex.get("one_per_not_act", []), *lex.get("element_after_negative", [])]
    words += [*lex["past_frames"], *lex["past_frame_modals"], lex["past_after"], *lex["gapped_often_periods"]]
    words += [*lex["gapped_often_activities"], *lex["grammar"]["titles_open"], *lex["grammar"]["titles_close"]]
    return [*words, *lex["grammar"]["separators"], *lex["grammar"]["one"], *lex["grammar"]["before"]]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*_cadence_words(), "5", "12", ",", "。", "x"]), max_size=14).map("".join))
def test_find_cadence_equals_its_definition_on_generated_text(text: str) -> None:
    fast = _rows(cadence.find_cadence(text))
    with pytest.MonkeyPatch.context() as mp:
        _open_every_scan(mp)
        mp.setattr(cadence, "_in_past_clause", _in_past_clause_by_definition)
        assert fast == _rows(cadence.find_cadence(text))


def test_the_no_match_check_searches_every_pattern_of_the_lexicon() -> None:
    """Each rule reports matches of one of ``_Lexicon``'s patterns; the check must search them all
    (a pattern added to the lexicon, such as ``one_per_long_re``, is searched without a code change)."""
    lex = cadence._lexicon()
    patterns = [v for v in vars(lex).values() if isinstance(v, re.Pattern)]
    scans = cadence._scans()
    assert len(scans) == len(patterns) - 1  # listed_re is searched by compact_re's scan
    stand_ins = (lex.compact_re, lex.listed_re, lex.gapped_often_re, lex.element_re, lex.one_per_long_re)
    assert all(p in scans for p in patterns if p not in stand_ins)
    # each stand-in matches wherever what it stands for does
    for text in ("日督月考", "月报、季报和年报", "周查,月评"):
        assert cadence._compact_any().search(text)
    for text in ("建立月度工作例会制度", "季度综合考评"):
        assert lex.gapped_often_re.search(text) and cadence._gapped_often_any().search(text)
    for text in ("召开周例会", "实行月报制度", "年终考核", "季度调度"):
        assert lex.element_re.search(text) and cadence._element_any().search(text)
    for text in ("半年一评比", "季度一通报"):
        assert lex.one_per_long_re.search(text) and cadence._one_per_long_any().search(text)


def test_each_stand_in_matches_wherever_its_pattern_does_on_the_corpus() -> None:
    """``_chains`` opens a rule's scan only where its stand-in matches: on every corpus sentence a
    stand-in must match wherever its pattern does (the generated texts below try the lexicon's words)."""
    lex = cadence._lexicon()
    pairs = [
        (lex.compact_re, cadence._compact_any()),
        (lex.listed_re, cadence._compact_any()),
        (lex.element_re, cadence._element_any()),
        (lex.one_per_long_re, cadence._one_per_long_any()),
    ]
    texts = list(_texts())
    for pattern, stand_in in pairs:
        assert not [t for t in texts if pattern.search(t) and not stand_in.search(t)], pattern.pattern[:40]
    assert sum(bool(lex.element_re.search(t)) for t in texts) > 20


def test_each_rule_is_found_past_the_no_match_check() -> None:
    """One text per rule, built from the lexicon: what the rules find with the check, they find without it."""
    lex = load_toml("deadlines")["cadence"]
    one, acts = lex["grammar"]["one"], lex["chain_activities"]
    singles = [p for p in lex["chain_periods"] if len(p) == 1]
    texts = [f"{w}{one}{act}" for w in lex.get("one_per_long", {}) for act in acts[:3]]
    texts += [f"{one}{p}{one}{acts[0]}" for p in lex["one_per"]]
    texts += [f"{a}{lex['chain_short_activities'][0]}{b}{lex['chain_short_activities'][1]}" for a, b in zip(singles, singles[1:], strict=False)]
    texts += [f"{w}{acts[0]}" for w in lex["chain_periods"]] + [f"{lead}{w}" for lead in lex["chain_lead"][:1] for w in lex["every"]]
    texts += [f"{p}x{a}" for p in lex["gapped_periods"] for a in lex["gapped_activities"]]
    texts += [f"{p}x{a}" for p in lex["gapped_often_periods"] for a in lex["gapped_often_activities"]]
    seps = lex["grammar"]["separators"]
    texts += [f"{a}{lex['chain_short_activities'][0]}{seps[0]}{b}{lex['chain_short_activities'][0]}" for a, b in zip(singles, singles[1:], strict=False)]
    fast = [_rows(cadence.find_cadence(t)) for t in texts]
    with pytest.MonkeyPatch.context() as mp:
        _open_every_scan(mp)
        assert [_rows(cadence.find_cadence(t)) for t in texts] == fast
    assert sum(bool(f) for f in fast) > len(texts) // 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_cadence_words(), "5", ",", "。", "x"]), max_size=14).map("".join))
def test_the_report_filter_equals_its_definition(text: str) -> None:
    """``_not_reported`` looks for a past frame and a 了 once a sentence; each candidate it keeps or drops
    is the one the per-candidate checks keep or drop."""
    lex = cadence._lexicon()
    candidates = cadence._every(text, lex) + cadence._chains(text, lex)
    slow = [f for f in candidates if not (cadence._in_past_frame(text, f.start) or cadence._reported_after(text, f.start))]
    assert cadence._not_reported(text, candidates) == slow
