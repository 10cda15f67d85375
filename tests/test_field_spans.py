"""Every owner, deadline, cadence and target points at its own text in the original.

The property the contract promises (``span`` on every field): for every
document of the corpus (all splits) and the shared seed, ``original[span]`` is
the field's text as written. The only characters the slice may hold beyond
the text are the archive noise record texts already drop (page markers spliced
into a word, stray spaces): the same rule as ``tests/test_pipeline.py`` uses
for record texts, plus the span starts and ends on the text's own first and
last characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textkit
from tests.conftest import CORPUS, SHARED, SPEECH
from textkit.io import read_path
from textkit.records import Extraction


def _fields(result: Extraction) -> Iterator[tuple[str, str, str, tuple[int, int] | None, tuple[int, int]]]:
    """(task path, kind of field, text as written, field span, directive span) of every field of every record.

    A subtask may carry owners named earlier in its directive (``县财政局牵头,…;6月底前完成…``),
    so a field lies inside its directive, not always inside its own sentence."""
    spans = {t.task_id: t.span for t in result.tasks}
    for task in result.tasks:
        scope = spans[task.parent_id] if task.parent_id else task.span
        for owner in task.owners:
            yield task.path, "owner", owner.name, owner.span, scope
        if task.deadline is not None:
            yield task.path, "deadline", task.deadline.text, task.deadline.span, scope
        for cadence in task.cadence:
            yield task.path, "cadence", cadence.text, cadence.span, scope
        for target in task.targets:
            yield task.path, "target", target.text, target.span, scope


def _written_in(text: str, window: str) -> bool:
    """``window`` is ``text`` with archive noise left in: same ends, text's characters in order."""
    it = iter(window)
    return bool(text) and window[:1] == text[:1] and window[-1:] == text[-1:] and all(ch in it for ch in text)


def check_field_spans(result: Extraction, original: str) -> int:
    checked = 0
    for path, kind, text, span, scope in _fields(result):
        assert span is not None, (path, kind, text)
        start, end = span
        assert 0 <= start <= end <= len(original), (path, kind, span)
        assert scope[0] <= start and end <= scope[1], (path, kind, text, span, scope)
        assert _written_in(text, original[start:end]), (path, kind, text, original[start:end])
        checked += 1
    return checked


def _documents() -> list[Path]:
    docs = sorted((CORPUS / "docs").iterdir())
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    return docs + seeds


@pytest.mark.slow
def test_every_field_of_the_corpus_and_the_seed_points_at_its_text() -> None:
    paths = _documents()
    assert len(paths) >= 90
    total = 0
    kinds: set[str] = set()
    for path in paths:
        original = read_path(path)
        result = textkit.extract(original, source=str(path))
        total += check_field_spans(result, original)
        kinds.update(kind for _, kind, *_ in _fields(result))
    assert kinds == {"owner", "deadline", "cadence", "target"}
    assert total > 1000  # the corpus has thousands of fields; a handful would mean spans went missing


def test_noise_inside_a_field_stays_inside_its_span() -> None:
    # a page marker spliced into an owner's name, a stray space inside a target
    text = "第1/3页二、抓好重点工作\n一要县应急管2/3理局牵头,6月30日前完成排查,合格率达到 95%以上。二要各乡镇每月5日前报送进展。3/3"
    result = textkit.extract(text, ref_date="2024-04-18")
    assert check_field_spans(result, text) >= 4
    owner = next(o for t in result.tasks for o in t.owners if o.name == "县应急管理局")
    assert text[owner.span[0] : owner.span[1]] == "县应急管2/3理局"
    target = next(x for t in result.tasks for x in t.targets)
    assert (target.text, text[target.span[0] : target.span[1]]) == ("达到95%以上", "达到 95%以上")


def test_seed_speech_of_our_own() -> None:
    assert check_field_spans(textkit.extract(SPEECH, ref_date="2024-05-06"), SPEECH) > 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["一要", "二要", "三是要", "(一)", "1.", "一、", "二、", "各乡镇要", "县发改局牵头,", "县财政局配合", "6月30日前",
             "年内", "XX月底前", "主汛期前", "每月5日前报送", "不低于95%", "完成任务。", "1/8", "\n", " ", "會(huì)議"]
        ),
        max_size=40,
    )
)
def test_any_mix_of_genre_pieces_gives_placed_fields(pieces: list[str]) -> None:
    text = "".join(pieces)
    check_field_spans(textkit.extract(text, ref_date="2024-03-12"), text)


# The owner's name is written first as a receiver (向县应急管理局报送), then as the party that leads;
# the second 6月30日前 is a different deadline. A search for the text would mark the first of each.
TWICE = "二、抓好重点工作\n一要抓好整改。各乡镇要在6月30日前向县应急管理局报送台账,县应急管理局牵头,6月30日前完成复核。"
RECEIVER, LEAD = TWICE.find("县应急管理局"), TWICE.rfind("县应急管理局")


def test_renderer_marks_the_field_where_its_span_is_not_where_the_text_first_occurs() -> None:
    result = textkit.extract(TWICE, ref_date="2024-04-18")
    lead = next(o for o in result.directives[0].owners if o.name == "县应急管理局")
    assert lead.span == (LEAD, LEAD + 6)
    from textkit.render import render  # the function (textkit.render may be the module once imported)

    page = render(result)
    assert '报送台账,<span class="owner lead' in page
    assert '向<span class="owner' not in page


def test_spacy_owner_and_deadline_spans_are_the_fields_spans() -> None:
    pytest.importorskip("spacy")
    from textkit.spacy_nlp import nlp

    doc = nlp(ref_date="2024-04-18")(TWICE)
    owners = {(s.start_char, s.end_char) for s in doc.spans["owners"]}
    assert (LEAD, LEAD + 6) in owners and (RECEIVER, RECEIVER + 6) not in owners
    second = TWICE.rfind("6月30日前")
    assert {(s.start_char, s.end_char) for s in doc.spans["deadlines"]} == {(TWICE.find("6月30日前"), TWICE.find("6月30日前") + 6), (second, second + 6)}
