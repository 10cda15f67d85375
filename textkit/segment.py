"""Sentences and clauses of cleaned text, as spans.

Splitting is punctuation-driven and cheap; word segmentation (jieba with the
policy user dictionary) is loaded lazily and only where an extractor needs
tokens.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[。!?;\n]+|…{2,}")
_CLAUSE_END = re.compile(r"[,:、]")
_CLOSERS = "”’\")》】"


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]``: up to and including ``。!?;`` or a line break.

    A closing quote right after the stop stays with its sentence (``…落实。”``).
    Leading and trailing whitespace is trimmed from each span; empty spans are dropped.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        stop = m.end()
        while stop < end and text[stop] in _CLOSERS:
            stop += 1
        _push(text, spans, pos, stop)
        pos = stop
    _push(text, spans, pos, end)
    return spans


def clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Clause spans: a sentence further cut at ``,`` ``:`` and ``、``."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _CLAUSE_END.finditer(text, start, end):
        _push(text, spans, pos, m.end())
        pos = m.end()
    _push(text, spans, pos, end)
    return spans


def _push(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and not _SENTENCE_END.fullmatch(text[start:end]):
        spans.append((start, end))
