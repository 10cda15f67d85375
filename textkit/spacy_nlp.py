"""textkit for people who live in spaCy: a blank ``zh`` pipeline that knows policy speeches.

    >>> import textkit
    >>> nlp = textkit.nlp(ref_date="2024-03-12")
    >>> doc = nlp(text)
    >>> doc.spans["directives"], doc.spans["subtasks"], doc.ents

The tokenizer is spaCy's jieba segmenter, pointed at textkit's private
``jieba.Tokenizer`` (with the policy user dictionary) so jieba's global
dictionary is never changed. The ``textkit`` component runs
``textkit.extract`` on ``doc.text`` and turns record spans into spaCy spans;
no model is downloaded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

SPAN_KEYS = ("directives", "subtasks", "owners", "deadlines")


def nlp(*, ref_date: date | str | None = None, model: Any = "default") -> Any:
    """A blank ``zh`` pipeline with the jieba segmenter, the policy user dictionary and the ``textkit`` component.

    ``ref_date`` and ``model`` are passed to ``textkit.extract`` for every doc.
    """
    from textkit.extras import require

    (spacy,) = require("spacy", purpose="textkit.nlp()")
    from textkit.segment import tokenizer

    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    segmenter: Any = pipeline.tokenizer
    segmenter.jieba_seg = tokenizer()  # our Tokenizer: user dictionary, global jieba untouched
    _register()
    ref = ref_date.isoformat() if isinstance(ref_date, date) else ref_date
    pipeline.add_pipe("textkit", config={"ref_date": ref})
    if model != "default":
        component: Any = pipeline.get_pipe("textkit")
        component.model = model
    return pipeline


class TextkitComponent:
    """Runs extraction on ``doc.text``; sets ``doc.spans`` for directives, subtasks, owners, deadlines and ``doc.ents``.

    Record spans are offsets into the text as given, so they map onto tokens
    directly (``alignment_mode="expand"``: a span cut inside a jieba word
    takes the whole word). The extraction itself is kept in ``doc._.textkit``.
    """

    def __init__(self, ref_date: str | None = None) -> None:
        self.ref_date = ref_date
        self.model: Any = "default"

    def __call__(self, doc: Any) -> Any:
        from spacy.util import filter_spans

        from textkit.pipeline import extract

        result = extract(doc.text, ref_date=self.ref_date, model=self.model)
        spans: dict[str, list[Any]] = {key: [] for key in SPAN_KEYS}
        for task in result.tasks:
            span = doc.char_span(task.span[0], task.span[1], label=task.kind, alignment_mode="expand")
            if span is None:
                continue
            spans["directives" if task.kind == "directive" else "subtasks"].append(span)
            # each field carries its own span: no search for its text, which could hit another occurrence
            spans["owners"].extend(_placed(doc, [o.span for o in task.owners], "OWNER"))
            if task.deadline is not None:
                spans["deadlines"].extend(_placed(doc, [task.deadline.span], "DEADLINE"))
        for key in ("owners", "deadlines"):  # a directive repeats its subtasks' fields
            spans[key] = sorted({(s.start, s.end): s for s in spans[key]}.values(), key=lambda s: (s.start, s.end))
        for key, found in spans.items():
            doc.spans[key] = found
        doc.ents = filter_spans(spans["owners"] + spans["deadlines"])
        doc._.textkit = result
        return doc


def _placed(doc: Any, spans: list[tuple[int, int] | None], label: str) -> list[Any]:
    """Token spans of fields at their own character spans (fields without one are skipped)."""
    out = []
    for span in spans:
        found = doc.char_span(span[0], span[1], label=label, alignment_mode="expand") if span else None
        if found is not None:
            out.append(found)
    return out


def _register() -> None:
    """Register the ``textkit`` factory and ``Doc._.textkit`` once, on first use (not on import)."""
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("textkit"):
        Doc.set_extension("textkit", default=None)
    if not Language.has_factory("textkit"):

        @Language.factory("textkit", default_config={"ref_date": None})
        def _make(nlp: Any, name: str, ref_date: str | None) -> TextkitComponent:
            return TextkitComponent(ref_date)
