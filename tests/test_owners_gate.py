"""The owners' sentence gate must never hide a mention: ``find_owners`` with it equals the rules run
on every text.

``owners._may_find`` answers a sentence at once when it holds none of what each rule's match needs
(a list cue, a cue after a name's last character, a modal or a subject's verb past the first
character, a duty line's cue, two 、), and ``owners._can`` skips one rule whose own need is missing.
Both are compared with the ungated rules on every sentence of the corpus (every rule must be seen
there) and on generated text built from the owner lexicon's words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.clean import clean
from textkit.extractors import owners
from textkit.extractors.base import Context, Found
from textkit.io import read_path
from textkit.resources import load_toml
from textkit.segment import sentences

pytestmark = pytest.mark.pure_python  # it patches compiled modules' functions (tests/conftest.py)

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))
_LITERAL = re.compile(r"[^\\\[\]?*+{}|^$.]+")


def _rows(found: list[Found]) -> list[tuple[object, ...]]:
    return [(f.start, f.end, f.text, f.value, f.rule, f.confidence) for f in found]


def _ungated(text: str, ctx: Context) -> list[tuple[object, ...]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(owners, "_may_find", lambda text: True)
        mp.setattr(owners, "_can", lambda rule, text: True)
        return _rows(owners.find_owners(text, context=ctx))


# One sentence per rule the corpus does not exercise (a duty line, a time phrase, an open list, stacked clauses,
# a trailer of units in parentheses).
_RULES = [
    "县财政局:负责资金保障。",
    "各包村干部、村干部,负责组织排查。",
    "县交通局从2月3日起,每天下午4点前,要上报。",
    "保卫处、财务处、后勤处、宣传部做好准备工作。",
    "全镇广大党员干部,特别是领导干部,必须带头落实。",
    "各乡镇党委书记是乡村振兴的一线总指挥,要把主要精力放在抓落实上。",
    "同步落实监管措施。(县财政局、县审计局)",
]


@pytest.fixture(scope="module")
def corpus_sentences() -> list[str]:
    out: list[str] = list(_RULES)
    for path in DOCS:
        cleaned = clean(read_path(path)).text
        out += [cleaned[s:e] for s, e in sentences(cleaned)]
    return out


def test_the_gate_equals_the_rules_on_every_corpus_sentence(corpus_sentences: list[str]) -> None:
    ctx = Context()
    gated = [_rows(owners.find_owners(t, context=ctx)) for t in corpus_sentences]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(owners, "_may_find", lambda text: True)
        mp.setattr(owners, "_can", lambda rule, text: True)
        ungated = [_rows(owners.find_owners(t, context=ctx)) for t in corpus_sentences]
    assert gated == ungated
    rules = {str(row[4]) if str(row[4]).startswith("subject") else str(row[4]).split(":")[0] for rows in gated for row in rows}
    # every rule reports something here, so the comparison covers each of them
    assert rules == {"before", "after", "duty", "etc", "subject", "subject:generic", "subject:modified", "subject:time", "subject:list", "subject:listed", "subject:stacked", "subject:是", "trailer"}
    skipped = sum(not owners._may_find(t) for t in corpus_sentences)
    assert skipped > len(corpus_sentences) // 5  # the gate does answer many sentences at once
    for rule in ("subject", "generic", "duty"):  # and each rule's own check skips some of the rest
        assert sum(owners._may_find(t) and not owners._can(rule, t) for t in corpus_sentences) > 100


def test_the_gate_reads_the_shipped_strings() -> None:
    """The strings of the modal and verb patterns are those ``tools/derive_triggers.py`` derived for
    these very patterns (a stale file would open the gate for every text, never close it wrongly)."""
    verbs, _, _ = owners._gate()
    assert verbs is not None
    assert verbs.search("县财政局要加强", 1) and not verbs.search("要加强", 1)


def _lexicon_words() -> list[str]:
    """Literal words of the owner lexicon: cues, party words, clause grammar, subject verbs."""
    data = load_toml("owners")
    words: list[str] = []
    for table in ("organ", "collective", "official", "cues", "receiver", "clause", "subject"):
        for value in data[table].values():
            items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
            words += [w for w in items if isinstance(w, str) and w and _LITERAL.fullmatch(w) and len(w) <= 8]
    return sorted(set(words))


_WORDS = _lexicon_words()
_GLUE = [",", "。", ";", ":", "、", "和", "X", "同志", "工作", "的", " ", "\n", "1", "月", "县落实办"]


def test_the_generated_words_cover_every_cue_family() -> None:
    data = load_toml("owners")
    assert len(_WORDS) > 400
    for family in (data["cues"]["adverbs"], data["subject"]["action_verbs"], data["clause"]["then_modals"], data["organ"]["levels"]):
        assert set(family) & set(_WORDS)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, *_GLUE]), max_size=14).map("".join))
def test_the_gate_equals_the_rules_on_generated_text(text: str) -> None:
    for ctx in (Context(), Context(aliases={"县落实办": "县工作落实年领导小组办公室"})):
        assert _rows(owners.find_owners(text, context=ctx)) == _ungated(text, ctx)


def test_document_aliases_run_every_rule() -> None:
    """With a document's aliases the gate stays open: an alias may end where a cue starts."""
    text = "县落实办配合。"
    ctx = Context(aliases={"县落实办": "县工作落实年领导小组办公室"})
    assert _rows(owners.find_owners(text, context=ctx)) == _ungated(text, ctx)
    assert owners.find_owners(text, context=ctx)


def test_warm_up_builds_the_gate() -> None:
    from textkit.pipeline import warm_up

    owners._gate.cache_clear()
    owners._rule_gates.cache_clear()
    warm_up()
    assert owners._gate.cache_info().currsize == 1 and owners._rule_gates.cache_info().currsize == 1
    assert set(owners._rule_gates()) == {"subject", "generic", "duty"}  # the shipped strings fit the patterns
