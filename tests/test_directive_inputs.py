"""A document's directive inputs read in one pass must equal the per-node definitions.

``directives.decide`` takes every node's features and context texts from
``document_inputs`` (runs, sections and an item's own text read once), and counts
cues with one ``findall`` per text. Both are compared here with what they replace:
``features`` and ``context_texts`` node by node (every value's bits, the keys'
order), and ``sum(text.count(w) for w in words)``, on the corpus, the series, the
seed and generated outlines.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, SHARED
from textkit.clean import clean
from textkit.extractors import directives
from textkit.extractors.directives import context_texts, document_inputs, features
from textkit.io import read_path
from textkit.outline import Outline, parse

TEXTS = (
    sorted((CORPUS / "docs").glob("*.txt"))
    + sorted((CORPUS / "series").glob("*/*.txt"))
    + sorted((SHARED / "seeds").glob("*.txt"))
)


def _by_node(outline: Outline) -> tuple[list[list[tuple[str, str]]], list[dict[str, str]]]:
    nodes = outline.walk()
    feats = [[(k, v.hex()) for k, v in features(outline, n).items()] for n in nodes]
    return feats, [context_texts(outline, n) for n in nodes]


def _at_once(outline: Outline) -> tuple[list[list[tuple[str, str]]], list[dict[str, str]]]:
    nodes, feats, texts = document_inputs(outline)
    assert nodes == outline.walk()
    return [[(k, v.hex()) for k, v in f.items()] for f in feats], texts


def _same(text: str) -> int:
    # separate outlines: the per-node functions keep their memos in the outline they read
    slow, fast = _by_node(parse(clean(text))), _at_once(parse(clean(text)))
    assert fast[1] == slow[1]
    assert fast[0] == slow[0]
    return len(slow[0])


def test_document_inputs_equal_the_per_node_definitions_on_the_corpus() -> None:
    assert len(TEXTS) > 100
    assert sum(_same(read_path(path)) for path in TEXTS) > 2000


def test_document_inputs_on_the_real_excerpts_at_hand() -> None:
    cache = sorted((CORPUS / "real" / "cache").glob("*.txt"))
    if not cache:
        pytest.skip("the real excerpts are git-ignored and not in this checkout (corpora/real/README.md)")
    assert sum(_same(read_path(path)) for path in cache) > 100


# Lines of generated documents: markers of every family, list intros, cue words, owner lines,
# restarts at 1 and lists that never start at 1.
_MARKERS = ["一、", "二、", "三、", "(一)", "(二)", "(三)", "1.", "2.", "3.", "①", "②", "一是", "二是", "一要", "二要", "第一,", "第二,", ""]
_WORDS = [
    "加强", "推进", "落实", "要", "确保", "取得成效", "存在问题", "主要表现在:", "提出以下要求:", "会议议程如下:",
    "会议要求", "会议同意", "关于", "牵头单位:县财政局", "县审计局配合", "指导思想", "总体要求", "工作目标",
    "由县长主持", "研究其他事项。", "全县", "安全生产", "。", ",", ";", "\n",
]


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.tuples(st.sampled_from(_MARKERS), st.lists(st.sampled_from(_WORDS), max_size=12)), max_size=30))
    return "在全县工作会议上的讲话\n" + "\n".join(marker + "".join(words) for marker, words in lines)


@settings(max_examples=150, deadline=None)
@given(_documents())
def test_document_inputs_equal_the_per_node_definitions_on_generated_outlines(text: str) -> None:
    _same(text)


def test_a_document_without_items_has_no_inputs() -> None:
    nodes, feats, texts = document_inputs(parse(clean("同志们:今天召开会议。谢谢大家。")))
    assert nodes == feats == texts == []


def test_decide_reads_the_document_inputs() -> None:
    # the decisions of decide use exactly the features document_inputs gives
    outline = parse(clean(read_path(CORPUS / "docs" / "01_city-economy-q1.txt")))
    decided = directives.decide(outline)
    _, feats, _ = document_inputs(parse(clean(read_path(CORPUS / "docs" / "01_city-economy-q1.txt"))))
    assert [d.features for d in decided] == feats and len(feats) > 5
    assert [d.probability for d in decided] == [directives.rule_probability(f) for f in feats]


_CUE_CHARS = st.sampled_from(list("应当已要求哈a") + [""])
_CUES = st.lists(st.lists(_CUE_CHARS, max_size=4).map("".join), max_size=8).map(tuple)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CUES, min_size=1, max_size=3).map(tuple), st.lists(_CUE_CHARS, max_size=60).map("".join))
def test_one_scan_counts_every_list_as_str_count_does(lists: tuple[tuple[str, ...], ...], text: str) -> None:
    """Cues of one list prefixes of another's (应/应当), self-overlapping cues (哈哈), repeats, the empty cue."""
    scan = directives._cue_scan(lists)
    found = scan.findall(text)
    assert [scan.count(text, found, k) for k in range(len(lists))] == [sum(text.count(w) for w in words) for words in lists]
