"""textkit.nlp(): spaCy spans from textkit records."""

from __future__ import annotations

import pytest

from tests.conftest import SPEECH

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def doc():  # type: ignore[no-untyped-def]
    import textkit

    return textkit.nlp(ref_date="2024-03-12")(SPEECH)


def test_pipeline_is_blank_zh_with_the_textkit_component() -> None:
    import textkit

    pipeline = textkit.nlp()
    assert pipeline.lang == "zh" and pipeline.pipe_names == ["textkit"]
    assert pipeline.tokenizer.segmenter == "jieba"


def test_spans_are_set_and_match_the_records(doc) -> None:  # type: ignore[no-untyped-def]
    result = doc._.textkit
    directives = [t for t in result.tasks if t.kind == "directive"]
    assert directives
    assert len(doc.spans["directives"]) == len(directives)
    assert len(doc.spans["subtasks"]) == len(result.tasks) - len(directives)
    for span, task in zip(doc.spans["directives"], directives, strict=True):
        assert span.start_char <= task.span[0] and span.end_char >= task.span[1]
        assert span.label_ == "directive"
    for key in ("owners", "deadlines"):
        assert key in doc.spans


def test_entities_are_owners_and_deadlines_as_written(doc) -> None:  # type: ignore[no-untyped-def]
    names = {o.name for t in doc._.textkit.tasks for o in t.owners}
    assert doc.ents, "the speech names owners"
    for ent in doc.ents:
        assert ent.label_ in {"OWNER", "DEADLINE"}
        if ent.label_ == "OWNER":
            assert any(name in ent.text for name in names)


def test_tokens_cover_the_text(doc) -> None:  # type: ignore[no-untyped-def]
    assert doc.text == SPEECH
    assert "".join(t.text_with_ws for t in doc) == SPEECH
