"""Sentences and clauses of cleaned text, as spans.

Splitting is punctuation-driven and cheap; word segmentation (jieba with the
policy user dictionary) is loaded lazily and only where an extractor needs
tokens.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

_SENTENCE_END = re.compile(r"[。!?;\n]+|…{2,}")
# The same matches opening on the class of their first character (each branch checks by a look-behind
# which one it read), so ``re`` skips to the next stop in one class test instead of trying both
# branches at every character; ``_SENTENCE_END`` stays the definition (tests/test_assembly_fast_path.py).
_SENTENCE_SCAN = re.compile(r"[。!?;\n…](?:(?<=[。!?;\n])[。!?;\n]*|(?<=…)…+)")
_SENTENCE_END_FIRST = frozenset("。!?;\n…")  # what a match of ``_SENTENCE_END`` starts with
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
    for m in _SENTENCE_SCAN.finditer(text, start, end):
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
    # a span of stops alone is no sentence (re asked only when the span starts with a stop)
    if end > start and (text[start] not in _SENTENCE_END_FIRST or not _SENTENCE_END.fullmatch(text, start, end)):
        spans.append((start, end))


def tokenizer() -> Any:
    """A private ``jieba.Tokenizer`` with the policy user dictionary, built once.

    jieba's global tokenizer is never touched (other code in the process may
    use it with its own words). Its dictionary cache goes to
    ``resources.cache_dir()`` rather than a shared ``/tmp``.
    """
    return _tokenizer()


def cut(text: str) -> list[str]:
    """Words of ``text`` by the private tokenizer (HMM on): ``县应急管理局/要/…``.

    jieba segments each run of Chinese/alphanumeric characters on its own, so
    each run is segmented once per process and remembered: the model's context
    texts overlap (a heading opens its lead-in, section headings and list
    intros recur), and the words are exactly those of ``tokenizer().cut``.
    """
    tok = _tokenizer()
    han = _han_runs()
    words: list[str] = []
    for block in han.split(text):
        if not block:
            continue
        if han.match(block):
            words += _cut_run(block)
        else:  # whitespace and punctuation: jieba yields them as they are, one by one
            words += tok.cut(block)
    return words


@lru_cache(maxsize=1 << 16)
def _cut_run(run: str) -> tuple[str, ...]:
    """One run segmented (bounded, so a bulk run's memory stays flat)."""
    return tuple(_tokenizer().cut(run))


@cache
def _han_runs() -> re.Pattern[str]:
    """jieba's own block pattern (``re_han_default``), so the runs are the ones it cuts alone."""
    import jieba

    pattern: re.Pattern[str] = jieba.re_han_default
    return pattern


@cache
def _tokenizer() -> Any:
    try:
        import jieba
    except ImportError as exc:  # pragma: no cover - jieba is a hard dependency
        raise ImportError("word segmentation needs jieba: pip install jieba") from exc
    import logging

    from textkit.lexicon import userdict_words
    from textkit.resources import cache_dir, data_path

    tok = jieba.Tokenizer()
    tok.tmp_dir = str(cache_dir())
    tok.cache_file = "jieba.textkit.cache"
    # jieba reports building its prefix dict at INFO on a handler it attached on import;
    # quiet it while we build ours, without changing the level other users see
    logger = jieba.default_logger
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        tok.load_userdict(str(data_path("userdict.txt")))
    finally:
        logger.setLevel(level)
    for word in userdict_words():
        tok.add_word(word, freq=2000, tag="nt")
    return tok
