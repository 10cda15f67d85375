"""Speed-ups that must not change a single output: memoised segmentation and the task-id prefix.

Each fast path is compared with the slow definition it replaces, on the whole
corpus and on generated text, so a fast path that drifts fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.clean import clean
from textkit.extractors.directives import context_texts
from textkit.io import read_path
from textkit.outline import parse
from textkit.records import _canonical, _canonical_head
from textkit.segment import cut, tokenizer

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return [read_path(p) for p in DOCS]


def _jieba(text: str) -> list[str]:
    return list(tokenizer().cut(text))


def test_cut_equals_jieba_on_the_corpus_and_its_context_texts(corpus: list[str]) -> None:
    windows: list[str] = []
    for text in corpus:
        outline = parse(clean(text))
        for node in outline.walk():
            windows += context_texts(outline, node).values()
    for text in [*corpus, *windows, *windows]:  # twice: the second pass is served from the memo
        assert cut(text) == _jieba(text), text[:40]


@pytest.mark.parametrize(
    "text",
    ["", " ", "\r\n", "县应急管理局要牵头", "要 加强\t调度。", "PM2.5浓度下降3.2%以上", "①加快②推进", "a-b_c.d%e 一 二\n\n三", "全年GDP增长5%"],
)
def test_cut_equals_jieba_on_edge_cases(text: str) -> None:
    assert cut(text) == _jieba(text)


_CHARS = st.sampled_from(
    list("要加快推进县局牵头") + list("ＡＢ１２ （）　 \t\n") + ["\u0301", "\u0308", "e", "\u1100", "\u1161", "\u11a8", "\uac00", "ﬁ", "㍿", "①", "\u3099", "か"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=120).map("".join))
def test_canonical_head_equals_the_canonical_prefix(text: str) -> None:
    assert _canonical_head(text, 24) == _canonical(text)[:24]


def test_canonical_head_on_corpus_bodies(corpus: list[str]) -> None:
    for text in corpus:
        for start in range(0, len(text), 97):
            body = text[start : start + 400]
            assert _canonical_head(body, 24) == _canonical(body)[:24]
