"""The record assembly's fast paths must build exactly the records their definitions build.

``pipeline._units`` asks the field triggers one search per sentence and extractor (no set of
names built per sentence) and places everything found in a sentence with one deadline or none
as one unit; ``segment.sentences`` finds sentence ends with a pattern that opens on their first
character. Each is compared with its definition on the corpus and on generated text, and the
whole extraction with the definitions swapped in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textkit
from textkit import pipeline, segment
from textkit.clean import CleanText, clean
from textkit.extractors.base import Context
from textkit.io import read_path
from textkit.triggers import Triggers, field_triggers

pytestmark = pytest.mark.pure_python  # it patches compiled modules' functions (tests/conftest.py)

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))


def _units_by_definition(cleaned: CleanText, start: int, end: int, context: Context) -> list[Any]:
    """What ``pipeline._units`` was: a set of fired names per sentence, every sentence cut."""
    text = cleaned.text
    units: list[Any] = []
    spans = segment.sentences(text, start, end)
    for (s, e), fired in zip(spans, field_triggers().fired(text, spans), strict=True):
        chunk = text[s:e]
        deadlines = [f for f in pipeline.find_deadlines(chunk, context=context) if f.rule != "start"] if "deadlines" in fired else []
        owners = pipeline.find_owners(chunk, context=context)
        cadence = pipeline.find_cadence(chunk, context=context) if "cadence" in fired else []
        targets = pipeline.find_targets(chunk, context=context) if "targets" in fired else []
        cuts = [0]
        for prev, found in zip(deadlines, deadlines[1:], strict=False):
            boundary = max(chunk.rfind(mark, prev.end, found.start) for mark in ",;、")
            cuts.append(boundary + 1 if boundary != -1 else found.start)
        cuts.append(len(chunk))
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b <= a:
                continue
            unit = pipeline._Unit(s + a, s + b)
            unit.deadlines = [pipeline._placed(cleaned, s, f, "text") for f in deadlines if a <= f.start < b]
            unit.owners = [pipeline._placed(cleaned, s, f, "name") for f in owners if a <= f.start < b]
            unit.cadence = [pipeline._placed(cleaned, s, f, "text") for f in cadence if a <= f.start < b]
            unit.targets = [pipeline._placed(cleaned, s, f, "text") for f in targets if a <= f.start < b]
            units.append(unit)
    return units


def _sentence_ends_by_definition(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in segment._SENTENCE_END.finditer(text, start, end)]


def _corpus() -> list[str]:
    return [read_path(p) for p in DOCS]


def _dirty(text: str) -> str:
    """Sentence ends the corpus rarely has: ellipses of one and several, runs of stops, closers."""
    return text.replace("。", "……。", 5).replace(";", "…;", 5).replace("\n", "\n\n!?", 3)


def test_sentence_scan_matches_its_definition_on_the_corpus() -> None:
    for text in [*_corpus(), *(_dirty(t) for t in _corpus()[:30])]:
        cleaned = clean(text).text
        for start, end in ((0, len(cleaned)), (len(cleaned) // 3, 2 * len(cleaned) // 3)):
            got = [m.span() for m in segment._SENTENCE_SCAN.finditer(cleaned, start, end)]
            assert got == _sentence_ends_by_definition(cleaned, start, end)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*"。!?;\n…要县 ”)", "……", "。。"]), max_size=30).map("".join))
def test_sentence_scan_matches_its_definition_on_generated_text(text: str) -> None:
    for start in (0, 1, 2):
        got = [m.span() for m in segment._SENTENCE_SCAN.finditer(text, start, len(text))]
        assert got == _sentence_ends_by_definition(text, start, len(text))


def test_searches_say_what_fired_says() -> None:
    names = ("deadlines", "cadence", "targets")
    for triggers in (field_triggers(), Triggers({"deadlines": None, "cadence": frozenset({"x"})})):
        tests = triggers.searches(*names)
        for text in _corpus()[:30]:
            cleaned = clean(text).text
            spans = segment.sentences(cleaned)
            for (s, e), fired in zip(spans, triggers.fired(cleaned, spans), strict=True):
                assert [bool(test(cleaned, s, e)) for test in tests] == [name in fired for name in names]


def test_extraction_equals_extraction_by_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus()
    texts = [*corpus, *(_dirty(t) for t in corpus[:20])]
    fast = [textkit.extract(t, ref_date="2024-04-18").to_dict() for t in texts]
    cut = 0  # sentences with several deadlines, which take the path that cuts them
    for text in corpus:
        cleaned = clean(text).text
        for s, e in segment.sentences(cleaned):
            cut += len([f for f in pipeline.find_deadlines(cleaned[s:e]) if f.rule != "start"]) > 1
    assert cut > 5
    with monkeypatch.context() as mp:
        mp.setattr(pipeline, "_units", _units_by_definition)
        mp.setattr(segment, "_SENTENCE_SCAN", segment._SENTENCE_END)
        slow = [textkit.extract(t, ref_date="2024-04-18").to_dict() for t in texts]
    assert fast == slow
