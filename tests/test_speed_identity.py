"""Speed-ups that must not change a single output: memoised segmentation and the task-id prefix.

Each fast path is compared with the slow definition it replaces, on the whole
corpus and on generated text, so a fast path that drifts fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
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


# --- the field-extractor prefilter (textkit.triggers) ---------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a(?:bc|de)f?", {"bc", "de"}),
        (r"(?<!x)[12]季度(?P<s>末|底)?", {"季度"}),
        (r"每(?:月|周)", {"每"}),
        (r"x?y*", None),
        (r"[^a]b?", None),
        (r"\d+个月", {"个月"}),
    ],
)
def test_required_strings(pattern: str, expected: set[str] | None) -> None:
    from tools.derive_triggers import required

    got = required(pattern)
    assert (set(got) if got is not None else None) == expected


def test_every_match_on_the_corpus_holds_a_required_string(corpus: list[str]) -> None:
    import re

    from textkit.extractors import cadence, deadlines, targets
    from textkit.segment import sentences
    from tools.derive_triggers import lexicon_patterns, required

    patterns: list[re.Pattern[str]] = []
    for module in (deadlines, cadence, targets):
        patterns += lexicon_patterns(module._lexicon())
    assert len(patterns) >= 20
    needs = [(p, required(p)) for p in patterns]
    assert all(need for _, need in needs), "a field pattern lost its required strings: the filter would be off"
    matched = 0
    for text in corpus:
        cleaned = clean(text).text
        for s, e in sentences(cleaned):
            chunk = cleaned[s:e]
            for pattern, need in needs:
                for m in pattern.finditer(chunk):
                    if m[0]:
                        matched += 1
                        assert any(w in m[0] for w in need or ()), (pattern.pattern[:40], m[0])
    assert matched > 1000


def test_the_shipped_trigger_strings_are_those_the_lexicons_give() -> None:
    """``data/triggers.json`` is derived at build time; a lexicon change must regenerate it
    (``python tools/derive_triggers.py``), or the filter could skip a sentence that now matches."""
    import json
    from importlib import resources

    from tools.derive_triggers import derive

    shipped = json.loads(resources.files("textkit.data").joinpath("triggers.json").read_text(encoding="utf-8"))
    assert shipped == derive()
    assert all(shipped.values()), "every field extractor has trigger strings (none must always run)"


def test_the_shipped_pattern_triggers_are_those_the_lexicons_give() -> None:
    """``data/pattern_triggers.json`` too: per deadline pattern and for the owners' cue scan, with
    each pattern's digest; every pattern of the shipped lexicons is filtered (none always runs)."""
    import json
    from importlib import resources

    from textkit.extractors import deadlines, owners
    from tools.derive_triggers import derive_patterns

    shipped = json.loads(resources.files("textkit.data").joinpath("pattern_triggers.json").read_text(encoding="utf-8"))
    assert shipped == derive_patterns()
    assert deadlines._pattern_triggers().always == frozenset()
    assert owners._cue_triggers().always == frozenset()
    assert {name for name, _ in deadlines._lexicon().patterns} == set(shipped["deadlines"])


def test_a_changed_pattern_always_runs() -> None:
    """Strings derived from another pattern are never trusted: a stale file costs speed, not matches."""
    import re

    from textkit.extractors import deadlines
    from textkit.triggers import pattern_triggers, scan_patterns

    name, pattern = deadlines._lexicon().patterns[2]
    changed = re.compile(pattern.pattern + "|x")
    assert name not in pattern_triggers("deadlines", [(name, pattern)]).always
    assert pattern_triggers("deadlines", [(name, changed)]).always == {name}
    assert pattern_triggers("deadlines", [("no-such-pattern", pattern)]).always == {"no-such-pattern"}
    assert scan_patterns("deadlines", [(name, pattern)])[0][1] is not pattern  # opened by its first characters
    assert scan_patterns("deadlines", [(name, changed)])[0][1] is changed
    assert scan_patterns("deadlines", [("no-such-pattern", pattern)])[0][1] is pattern


def _shipped_sources() -> list[tuple[str, list[tuple[str, str]]]]:
    """The regex texts extraction compiles only opened: deadlines, the target quantity, the markers."""
    from textkit import outline
    from textkit.extractors import deadlines, targets

    return [
        ("deadlines", list(deadlines._lexicon().sources)),
        ("targets", [("quantity", targets._lexicon().source)]),
        ("outline", [("marker", outline._marker_source())]),
    ]


def test_texts_are_filtered_and_opened_as_their_compiled_patterns_are() -> None:
    """Read off a regex text, the digest, the strings and the opened form are those read off the
    pattern compiled from it, so compiling only the opened form changes no match."""
    import re

    from textkit.triggers import (
        pattern_digest,
        pattern_triggers,
        scan_patterns,
        scan_sources,
        source_digest,
        source_triggers,
    )

    for extractor, sources in _shipped_sources():
        compiled = [(name, re.compile(source)) for name, source in sources]
        assert [source_digest(s) for _, s in sources] == [pattern_digest(p) for _, p in compiled]
        opened = scan_sources(extractor, sources)
        assert list(opened) == [name for name, _ in sources]  # the order patterns are tried in
        assert opened == {name: p.pattern for name, p in scan_patterns(extractor, compiled)}
        assert all(opened[name] != source for name, source in sources)  # every shipped one is opened
        by_text, by_pattern = source_triggers(extractor, sources), pattern_triggers(extractor, compiled)
        assert by_text.always == by_pattern.always == frozenset()
        assert by_text.patterns == by_pattern.patterns
    name, source = _shipped_sources()[0][1][2]
    assert scan_sources("deadlines", [(name, source + "|x")]) == {name: source + "|x"}  # changed: as written
    assert source_triggers("deadlines", [(name, source + "|x")]).always == {name}
    # a text setting flags inline compiles to other flags: its digest never matches, so it always runs
    assert source_digest("(?i)a") != pattern_digest(re.compile("(?i)a"))


def test_compiled_on_use_compiles_each_pattern_once_and_all_when_asked() -> None:
    from textkit.triggers import CompiledOnUse

    lazy = CompiledOnUse({"a": "x+", "b": "(?=[y])(?:y|z)"})
    assert len(lazy) == 0
    first = lazy["b"]
    assert first.pattern == "(?=[y])(?:y|z)" and lazy["b"] is first and set(lazy) == {"b"}
    lazy.compile_all()
    assert set(lazy) == {"a", "b"} and lazy["b"] is first and lazy["a"].fullmatch("xx")
    with pytest.raises(KeyError):
        lazy["c"]


_COMPILED_BY_ONE_EXTRACTION = """
import collections, json, re._compiler, sys
compiled = collections.Counter()
original = re._compiler.compile
def counting(p, flags=0):
    compiled[p if isinstance(p, str) else repr(p)] += 1
    return original(p, flags)
re._compiler.compile = counting
from textkit.io import read_path
from textkit.pipeline import extract
extract(read_path(sys.argv[1]), ref_date="2024-04-18")
from textkit.triggers import field_triggers
compiled["field scan built"] = "_scanner" in vars(field_triggers())
print(json.dumps(compiled))
"""


def test_a_fresh_extraction_compiles_each_pattern_once_and_only_opened() -> None:
    """A fresh process (``textkit extract``) compiles a deadline, target or marker pattern only in
    its opened form, each at most once, and only the deadline patterns its text may match."""
    import json
    import subprocess
    import sys

    from textkit.extractors import deadlines
    from textkit.triggers import scan_sources

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", _COMPILED_BY_ONE_EXTRACTION, str(DOCS[0])], capture_output=True,
                          text=True, cwd=root, check=True)
    compiled: dict[str, int] = json.loads(proc.stdout)
    assert compiled.pop("field scan built") is False  # the pipeline only asks the field triggers' searches
    opened_deadlines = 0
    for extractor, sources in _shipped_sources():
        opened = scan_sources(extractor, sources)
        for name, source in sources:
            assert source not in compiled, (extractor, name)  # never compiled as written
            assert compiled.get(opened[name], 0) <= 1, (extractor, name)
            opened_deadlines += extractor == "deadlines" and opened[name] in compiled
    sources = deadlines._lexicon().sources
    assert 0 < opened_deadlines < len(sources)  # the speech fires some deadline patterns, not all
    assert max(compiled.values()) == 1  # no pattern of any module is compiled twice
@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!x)[12]季度", "12"),
        (r"(?:ab|c)d", "ac"),
        (r"a?b", "ab"),
        (r"(?=x)\d+", r"\d"),
        (r"(?P<y>[0-9])?(?:-|x)", r"0-9\-x"),
        (r"[^a]b", None),
        (r".b", None),
        (r"a?", None),
        (r"(?:a|)b?", None),
    ],
)
def test_first_class(pattern: str, expected: str | None) -> None:
    import re

    from tools.derive_triggers import first_class

    got = first_class(pattern)
    assert got == expected
    if got is not None:  # the class parses, and a match of the opened pattern is the same match
        opened = re.compile(f"(?=[{got}])(?:{pattern})")
        for text in ("a12季度d", "cd ad xd", "bab", "x12", "5-x", "1x"):
            assert [m.span() for m in opened.finditer(text)] == [m.span() for m in re.finditer(pattern, text)]


def _scanned_patterns() -> list[tuple[object, object]]:
    """(original, as scanned) for every pattern ``scan_patterns`` opens with a lookahead."""
    from textkit import outline
    from textkit.extractors import deadlines, owners, targets
    from textkit.lexicon import lexicon

    scanned = deadlines._scan_patterns()
    pairs: list[tuple[object, object]] = [(p, scanned[name]) for name, p in deadlines._lexicon().patterns]
    pairs += [(lexicon().before_cue, owners._cue_scan()), (targets._lexicon().pattern, targets._scan_pattern())]
    pairs += [(outline.marker_pattern(), outline._grammar().marker)]
    return pairs


def test_scanned_patterns_find_the_same_matches_on_the_corpus(corpus_sentences: list[str]) -> None:
    """Every match of every pattern starts with a character of its class, so the opened pattern
    finds exactly the same matches (spans and groups), sentence by sentence."""
    import re

    pairs = _scanned_patterns()
    assert sum(1 for a, b in pairs if a is not b) >= 20  # the shipped patterns are opened
    matched = 0
    for text in corpus_sentences:
        for original, scanned in pairs:
            assert isinstance(original, re.Pattern) and isinstance(scanned, re.Pattern)
            old = [(m.span(), m.groupdict(), m.lastgroup) for m in original.finditer(text)]
            assert [(m.span(), m.groupdict(), m.lastgroup) for m in scanned.finditer(text)] == old
            matched += len(old)
    assert matched > 3000


def _marker_rows(pattern: object, text: str) -> list[tuple[object, ...]]:
    import re

    assert isinstance(pattern, re.Pattern)
    return [(m.span(), m.groupdict(), m.lastgroup) for m in pattern.finditer(text, 1)]


def test_the_opened_outline_marker_finds_the_same_markers_in_whole_documents(corpus: list[str]) -> None:
    """The outline scans a document's body at once (from its body start, so look-behinds see
    the text before): every marker of the opened pattern is the written pattern's, on the
    corpus with and without its line breaks."""
    from textkit.outline import _grammar, marker_pattern

    assert _grammar().marker is not marker_pattern()  # the shipped first characters are current
    found = 0
    for text in corpus:
        cleaned = clean(text).text
        for variant in (cleaned, cleaned.replace("\n", "")):
            rows = _marker_rows(marker_pattern(), variant)
            assert _marker_rows(_grammar().marker, variant) == rows
            found += len(rows)
    assert found > 2000


_MARKER_CHARS = st.sampled_from(
    list("一二三十第是要部分方面另首先其次最后、.,()\n 1203①⑳") + ["\u0663", "\uff11", "县", "加强"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKER_CHARS, max_size=80).map("".join))
def test_the_opened_outline_marker_on_generated_text(text: str) -> None:
    from textkit.outline import _grammar, marker_pattern

    assert _marker_rows(_grammar().marker, text) == _marker_rows(marker_pattern(), text)


def test_every_cue_match_on_the_corpus_holds_a_required_string(corpus: list[str]) -> None:
    from textkit.lexicon import lexicon
    from textkit.segment import sentences
    from tools.derive_triggers import required

    need = required(lexicon().before_cue)
    assert need
    matched = 0
    for text in corpus:
        cleaned = clean(text).text
        for s, e in sentences(cleaned):
            for m in lexicon().before_cue.finditer(cleaned, s, e):
                matched += 1
                assert any(w in m[0] for w in need), m[0]
    assert matched > 300


def _unfiltered(names: list[str]) -> object:
    from textkit.triggers import Triggers

    return Triggers(dict.fromkeys(names))


@pytest.fixture(scope="module")
def corpus_sentences(corpus: list[str]) -> list[str]:
    from textkit.segment import sentences

    out: list[str] = []
    for text in corpus:
        cleaned = clean(text).text
        out += [cleaned[s:e] for s, e in sentences(cleaned)]
        out += [cleaned[k : k + 400] for k in range(0, len(cleaned), 397)]  # windows across sentences
    return out


def _deadline_rows(texts: list[str]) -> list[list[tuple[object, ...]]]:
    from datetime import date

    from textkit.extractors.base import Context
    from textkit.extractors.deadlines import find_deadlines

    contexts = [Context(), Context(ref=date(2024, 4, 18))]
    return [
        [(f.start, f.end, f.text, f.value, f.rule, f.confidence) for f in find_deadlines(t, context=ctx)]
        for t in texts
        for ctx in contexts
    ]


def _plain_deadline_scan(mp: pytest.MonkeyPatch) -> None:
    """Every deadline pattern, as the lexicon compiled it, on every text."""
    from textkit.extractors import deadlines

    mp.setattr(deadlines, "_pattern_triggers", lambda: _unfiltered([n for n, _ in deadlines._lexicon().patterns]))
    mp.setattr(deadlines, "_scan_patterns", lambda: dict(deadlines._lexicon().patterns))


@pytest.mark.pure_python  # patches compiled functions (tests/conftest.py)
def test_deadlines_with_the_pattern_filter_equal_deadlines_without_it(
    corpus_sentences: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    filtered = _deadline_rows(corpus_sentences)
    assert sum(map(len, filtered)) > 1000
    _plain_deadline_scan(monkeypatch)
    assert _deadline_rows(corpus_sentences) == filtered


def _target_rows(texts: list[str]) -> list[list[tuple[object, ...]]]:
    from textkit.extractors.targets import find_targets

    return [[(f.start, f.end, f.text, f.value, f.rule, f.confidence) for f in find_targets(t)] for t in texts]


def test_targets_with_the_opened_pattern_equal_targets_without_it(
    corpus_sentences: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from textkit.extractors import targets

    opened = _target_rows(corpus_sentences)
    assert sum(map(len, opened)) > 1000
    monkeypatch.setattr(targets, "_scan_pattern", lambda: targets._lexicon().pattern)
    assert _target_rows(corpus_sentences) == opened


_TIME_CHARS = st.sampled_from(
    list("年月日号前内底末季度上下半每周本次今明从即起之以初旬个工作天.-至到") + list("0123456789一二三十XX")
    + ["春节", "汛期", "要", ",", "%", "百分之", "万元", "以上", "不低于", "第"]
)


@pytest.mark.pure_python  # patches compiled functions (tests/conftest.py)
@settings(max_examples=300, deadline=None)
@given(st.lists(_TIME_CHARS, max_size=30).map("".join))
def test_deadlines_with_the_pattern_filter_on_generated_text(text: str) -> None:
    from textkit.extractors import targets

    filtered = _deadline_rows([text])
    opened = _target_rows([text])
    with pytest.MonkeyPatch.context() as mp:
        _plain_deadline_scan(mp)
        mp.setattr(targets, "_scan_pattern", lambda: targets._lexicon().pattern)
        assert _deadline_rows([text]) == filtered
        assert _target_rows([text]) == opened


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("年月前内季度每.号日") + ["上半年", "今年", "次月", "xx", "20"]), max_size=12).map("".join))
def test_fired_in_is_fired_over_the_whole_text(text: str) -> None:
    from textkit.extractors import deadlines

    triggers = deadlines._pattern_triggers()
    assert triggers.fired_in(text) == triggers.fired(text, [(0, len(text))])[0]


@pytest.mark.pure_python  # patches compiled functions (tests/conftest.py)
def test_extraction_with_the_prefilter_equals_extraction_without_it(
    corpus: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import textkit
    from textkit import pipeline
    from textkit.triggers import Triggers

    filtered = [textkit.extract(text, ref_date="2024-04-18").to_dict() for text in corpus]
    everything = Triggers({"deadlines": None, "cadence": None, "targets": None})
    monkeypatch.setattr(pipeline, "field_triggers", lambda: everything)
    assert [textkit.extract(text, ref_date="2024-04-18").to_dict() for text in corpus] == filtered


def test_written_equals_the_per_character_definition(corpus: list[str]) -> None:
    samples = [*corpus, "第1页 共3页\n要加快  推进。\n- 2 -\n县局牵头", "坚7/8决打赢"]
    dropped = 0
    for text in samples:
        cleaned = clean(text)
        kept = cleaned.layout_kept
        dropped += kept.count(0)
        for start in range(0, len(text), 41):
            for end in (start, start + 1, start + 37, len(text)):
                slow = "".join(ch for i, ch in enumerate(text[start:end], start) if kept[i])
                assert cleaned.written(start, end) == slow
    assert dropped  # the slow path (some characters dropped) was exercised too


# --- directives._count: one scan per text instead of a str.count per cue ----------------------


def _count_by_definition(text: str, words: list[str]) -> int:
    return sum(text.count(w) for w in words)


def test_count_equals_the_sum_of_str_count_on_the_corpus(corpus: list[str]) -> None:
    from textkit.extractors.directives import _count, _cues

    cues = _cues()
    lists = [cues["item"][k] for k in ("imperative", "assessment", "agenda", "meeting")]
    lists += [cues["intro"]["agenda"], cues["section"]["work"], cues["section"]["assessment"]]
    total = 0
    for text in corpus:
        for start in range(0, len(text), 53):
            for window in (text[start : start + 40], text[start : start + 300]):
                for words in lists:
                    assert _count(window, words) == _count_by_definition(window, words)
                    total += _count(window, words)
    assert total > 1000


_CUE_CHARS = st.sampled_from(list("应当已要求哈a") + [""])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(_CUE_CHARS, max_size=4).map("".join), max_size=8),
    st.lists(_CUE_CHARS, max_size=60).map("".join),
)
def test_count_equals_the_sum_of_str_count_on_generated_cues(words: list[str], text: str) -> None:
    """Prefixes of one another (应/应当), self-overlapping cues (哈哈), repeats and the empty cue."""
    from textkit.extractors.directives import _count

    assert _count(text, words) == _count_by_definition(text, words)


# --- clean and records without a Python step per character (fourth pass) -----------------------


def _is_traditional_by_definition(text: str, sample: int = 20000) -> bool:
    from textkit.clean import _ts_pairs

    chunk = text[:sample]
    han = sum(1 for ch in chunk if 0x4E00 <= ord(ch) <= 0x9FFF)
    if han < 20:
        return False
    pairs = _ts_pairs()
    trad = sum(1 for ch in chunk if ch in pairs)
    return trad >= 10 and trad / han >= 0.05


def _traditional(text: str) -> str:
    from textkit.clean import _ts_pairs

    back: dict[str, str] = {}
    for trad, simp in _ts_pairs().items():
        back.setdefault(simp, trad)
    return "".join(back.get(ch, ch) for ch in text)


def test_is_traditional_equals_its_definition(corpus: list[str]) -> None:
    from textkit.clean import is_traditional

    samples = [*corpus, *(_traditional(t) for t in corpus[:20]), *(_traditional(t)[: 300 + 7 * i] for i, t in enumerate(corpus))]
    verdicts = [is_traditional(t) for t in samples]
    assert verdicts == [_is_traditional_by_definition(t) for t in samples]
    assert True in verdicts and False in verdicts


def _trad_chars() -> list[str]:
    from textkit.clean import _ts_pairs

    pairs = sorted(_ts_pairs())
    astral = [ch for ch in pairs if ord(ch) > 0xFFFF]
    assert astral, "the table has characters beyond the BMP: the second class is exercised"
    return pairs[:: max(1, len(pairs) // 40)] + astral[:10]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"要加快推进县局牵头", "x", "\U00020000", *_trad_chars()]), max_size=120).map("".join))
def test_is_traditional_on_generated_text(text: str) -> None:
    from textkit.clean import is_traditional

    assert is_traditional(text) == _is_traditional_by_definition(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"Xx×*＊ＸAb要县1 \n", "XX", "ｘ"]), max_size=40).map("".join))
def test_placeholders_equal_a_scan_of_the_whole_text(text: str) -> None:
    from textkit.clean import _PLACEHOLDER

    cleaned = clean(text)
    assert cleaned.placeholders == tuple((m.start(), m.end()) for m in _PLACEHOLDER.finditer(cleaned.text))


def test_split_cuts_at_exactly_the_characters_isspace_accepts() -> None:
    # _canonical drops whitespace with str.split(); the definition is str.isspace(), per character
    for code in range(0x110000):
        ch = chr(code)
        assert ch.isspace() == (f"a{ch}b".split() == ["a", "b"]), hex(code)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS | st.sampled_from(["\u2028", "\x1c", "\u200b", "\u3000", "\xa0", "\u180e"]), max_size=80).map("".join))
def test_canonical_equals_its_definition(text: str) -> None:
    import unicodedata

    normal = unicodedata.normalize("NFKC", text)
    assert _canonical(text) == "".join(ch for ch in normal if not ch.isspace())


@pytest.mark.pure_python  # patches compiled functions (tests/conftest.py)
def test_features_with_the_document_memo_equal_features_counted_afresh(
    corpus: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cue counts and intro cues are kept per document and shared by its nodes; counting every
    text anew (the definition) gives the same features for every node of the corpus."""
    from textkit.extractors import directives

    outlines = [parse(clean(text)) for text in corpus]
    shared = [[directives.features(o, n) for n in o.walk()] for o in outlines]
    assert all("_cue_counts" in o.memo for o in outlines if o.walk())
    monkeypatch.setattr(directives, "_counted", lambda memo, text, words: directives._count(text, words))
    monkeypatch.setattr(directives, "_nearest_intro", lambda outline, intro, words: directives._nearest(intro, words))
    afresh = [[directives.features(o, n) for n in o.walk()] for o in (parse(clean(text)) for text in corpus)]
    assert sum(map(len, afresh)) > 1000
    assert shared == afresh


def test_the_document_memo_tells_cue_lists_apart() -> None:
    from textkit.extractors.directives import _count, _counted

    memo: dict[tuple[int, str], tuple[list[str], int]] = {}
    a, b = ["要"], ["加快", "推进"]
    text = "要加快推进,要加快"
    assert (_counted(memo, text, a), _counted(memo, text, b), _counted(memo, text, a)) == (2, 3, 2)
    assert _counted(memo, text, b) == _count(text, b)


# --- records: the validator called directly, as BaseModel.__init__ calls it -----------------------


def _by_init(cls: type, fields: dict) -> object:
    """The definition: pydantic's own ``__init__`` (type.__call__ skips textkit's metaclass)."""
    return type.__call__(cls, **fields)


def test_records_built_through_the_validator_equal_those_pydantic_init_builds(corpus: list[str]) -> None:
    import textkit

    built = 0
    for text in corpus[:30]:
        result = textkit.extract(text, ref_date="2024-04-18")
        for record in (result.document, *result.tasks):
            cls = type(record)
            fields = {name: getattr(record, name) for name in cls.model_fields}
            fast, slow = cls(**fields), _by_init(cls, fields)
            assert fast == slow and fast.to_dict() == slow.to_dict()  # type: ignore[attr-defined]
            assert fast.model_fields_set == slow.model_fields_set  # type: ignore[attr-defined]
            assert fast.__pydantic_private__ == slow.__pydantic_private__  # type: ignore[attr-defined]
            built += 1
    assert built > 300


@pytest.mark.parametrize(
    ("cls_name", "fields"),
    [
        ("Owner", {"name": "", "role": "lead"}),
        ("Owner", {"name": "县局", "role": "boss"}),
        ("Owner", {"name": "县局", "span": (5, 2)}),
        ("Deadline", {"text": "年内", "kind": "date", "due": "2024-13-01"}),
        ("TaskRecord", {"task_id": "a", "doc_id": "b", "kind": "subtask", "path": "1", "text": "x", "span": (0, 1)}),
        ("TaskRecord", {"task_id": "a", "doc_id": "b", "kind": "directive", "path": "1", "text": "x", "span": (0, 1), "confidence": 2}),
        ("Target", {"text": "95%", "value": "many"}),
    ],
)
def test_a_broken_record_is_refused_with_the_message_pydantic_init_gives(cls_name: str, fields: dict) -> None:
    from pydantic import ValidationError as PydanticError

    from textkit import records
    from textkit.errors import ValidationError

    cls = getattr(records, cls_name)
    with pytest.raises(PydanticError) as slow:
        _by_init(cls, fields)
    with pytest.raises(ValidationError) as fast:
        cls(**fields)
    assert str(fast.value) == records._describe(cls_name, slow.value)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_CUE_CHARS, max_size=4).map("".join), max_size=8).map(tuple),
    st.lists(_CUE_CHARS, max_size=60).map("".join),
)
def test_count_of_a_tuple_found_by_identity_equals_the_definition(words: tuple[str, ...], text: str) -> None:
    from textkit.extractors.directives import _count

    assert _count(text, words) == _count(text, list(words)) == _count_by_definition(text, list(words))


def test_the_cue_lists_are_tuples_and_counted_as_lists_are(corpus: list[str]) -> None:
    from textkit.extractors.directives import _count, _cues

    imperative = _cues()["item"]["imperative"]
    assert isinstance(imperative, tuple) and len(imperative) > 10
    for text in corpus[:20]:
        assert _count(text, imperative) == _count_by_definition(text, list(imperative))


def test_warm_up_builds_every_scanned_pattern() -> None:
    """A worker's warm-up compiles the trigger checks and opened patterns a first document would."""
    from textkit.extractors import deadlines, owners, targets
    from textkit.pipeline import warm_up

    lazy = (deadlines._pattern_triggers, deadlines._scan_patterns, owners._cue_triggers, owners._cue_scan,
            targets._scan_pattern, deadlines._calendar)
    for build in lazy:
        build.cache_clear()
    warm_up()
    assert [build.cache_info().currsize for build in lazy] == [1] * len(lazy)
    # the deadline patterns are compiled on first use; the warm-up compiles all of them
    assert set(deadlines._scan_patterns()) == {name for name, _ in deadlines._lexicon().sources}


def test_party_branches_compile_on_first_use_and_in_the_warm_up() -> None:
    """A span compiles only the party branches its last character may match; those are the branches
    every path sees (``party_branches``, ``party_by_last``), and the warm-up compiles all of them."""
    from textkit import lexicon as lexicon_module
    from textkit.pipeline import warm_up

    lexicon_module.lexicon.cache_clear()
    lex = lexicon_module.lexicon()
    assert lex._compiled == [] and lex._by_last == {}
    last = next(iter(lex.party_index_by_last))
    lex.is_party("x" + last, 0, 2)
    wanted = set(lex.party_index_by_last[last])
    assert {k for k, branch in enumerate(lex._compiled) if branch is not None} == wanted
    assert len(wanted) < len(lex.party_sources)  # else this checks nothing lazy
    assert lex.is_party("x", 0, 1) is False and lex._by_last["x"] == ()
    for k in range(len(lex.party_sources)):
        assert lex.party_branches[k].pattern == lex.party_sources[k]
        assert lex.party_branches[k] is lex._branch(k)  # one compiled object per branch
    for ch, indices in lex.party_index_by_last.items():
        assert lex.party_by_last[ch] == tuple(lex.party_branches[k] for k in indices)
    assert set(lex.party_by_last) == lex.party_last
    lexicon_module.lexicon.cache_clear()
    warm_up()
    fresh = lexicon_module.lexicon()
    assert len(fresh._compiled) == len(fresh.party_sources) and all(fresh._compiled)


def test_party_first_characters_read_off_texts_as_off_compiled_branches() -> None:
    import re

    from textkit.lexicon import lexicon
    from textkit.triggers import pattern_first, source_first

    lex = lexicon()
    named = [(f"party:{k}", source) for k, source in enumerate(lex.party_sources)]
    by_text = source_first("owners", named)
    assert by_text == pattern_first("owners", [(name, re.compile(source)) for name, source in named])
    assert all(body is not None for body in by_text.values())


# --- clean's space patterns open with the space they start with ---------------------------------

_SPACE_DEFINITION = (
    r"(?<=[{n}])[ \t\u3000\u00a0\u2002\u2003]+"
    r"|(?<![ \t\u3000\u00a0\u2002\u2003])[ \t\u3000\u00a0\u2002\u2003]++(?=[{n}])"
)
_EDGE_DEFINITION = r"^[ \t\u3000\u00a0]+|(?<![ \t\u3000\u00a0])[ \t\u3000\u00a0]++$"


def _space_patterns() -> list[tuple[object, object]]:
    import re

    from textkit import clean as cleaning

    stray = re.compile(_SPACE_DEFINITION.replace("{n}", cleaning._CJK_NEIGHBOUR))
    edge = re.compile(_EDGE_DEFINITION, re.M)
    return [(stray, cleaning._STRAY_SPACE), (edge, cleaning._LINE_EDGE_SPACE)]


def test_space_patterns_match_as_their_definitions_on_the_corpus(corpus: list[str]) -> None:
    found = 0
    for text in [*corpus, *(t.replace("，", " ，\u3000").replace("\n", " \n\t") for t in corpus[:30])]:
        for slow, fast in _space_patterns():
            spans = [m.span() for m in fast.finditer(text)]  # type: ignore[attr-defined]
            assert spans == [m.span() for m in slow.finditer(text)]  # type: ignore[attr-defined]
            found += len(spans)
    assert found > 1000


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([" ", "\t", "\u3000", "\u00a0", "\u2002", "\u2003", "\n", "要", "县", "，", "“", "a", "1", "\u3001", "\uff08"]), max_size=40).map("".join))
def test_space_patterns_match_as_their_definitions_on_generated_text(text: str) -> None:
    for slow, fast in _space_patterns():
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]  # type: ignore[attr-defined]


def test_the_identity_map_is_range_of_the_length() -> None:
    from array import array

    from textkit import spans

    for n in (0, 1, 7, 4095, 4096, 4097, 9000, 3, spans._IOTA_LIMIT, spans._IOTA_LIMIT + 1, 20000):
        got = spans.TextMap.identity("x" * n).origin
        assert got == array("q", range(n)) and isinstance(got, array) and got.typecode == "q", n
    first = spans.TextMap.identity("ab").origin
    spans.TextMap.identity("c" * 50000)  # the kept array grows: maps made before keep their own copy
    assert first == array("q", [0, 1])


# --- CleanText.to_original reads the offset map in place -------------------------------------


def _to_original_by_definition(cleaned: object, start: int, end: int) -> tuple[int, int]:
    """What ``CleanText.to_original`` was: ``TextMap.to_original``, then the trailing glosses."""
    from textkit.clean import CleanText

    assert isinstance(cleaned, CleanText)
    ostart, oend = cleaned.map.to_original(start, end)
    if end <= start or end > len(cleaned.text):
        return ostart, oend
    limit = cleaned.map.to_original_offset(end)
    stop = oend
    while stop < limit and cleaned.layout_kept[stop] and not cleaned.original[stop].isspace():
        stop += 1
    return ostart, stop


_DIRTY = "县(xiàn)政府要加快推进。\n第1页 共3页\n  坚7/8决打赢，ＡＢ１２　要 加强\t调度。"


def test_to_original_equals_its_definition_on_the_corpus(corpus: list[str]) -> None:
    """Every span a document's sentences and records use, plus reversed, empty and out-of-range ones."""
    moved = 0
    for text in [*corpus[:40], _DIRTY, _DIRTY.replace("\n", "\r\n")]:
        cleaned = clean(text)
        n = len(cleaned.text)
        for start in [*range(-2, n + 3, 7), n - 1, n]:
            for end in (start - 1, start, start + 1, start + 9, n, n + 2):
                fast = cleaned.to_original(start, end)
                assert fast == _to_original_by_definition(cleaned, start, end), (start, end)
                moved += fast[1] != cleaned.map.to_original(start, end)[1]
    assert moved  # the trailing-gloss step was exercised


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(list("要县局，。 \n\t\u3000(xiàn)１Ａ7/8页第共") + ["<p>", "&amp;"]), max_size=60).map("".join),
    st.integers(-3, 70),
    st.integers(-3, 70),
)
@example("", -3, -1)  # an empty clean text and a span before it: its end offset is the original's end
def test_to_original_equals_its_definition_on_generated_text(text: str, start: int, end: int) -> None:
    cleaned = clean(text)
    assert cleaned.to_original(start, end) == _to_original_by_definition(cleaned, start, end)


# --- working days counted with chinese_calendar's tables read once ---------------------------


def _library_workday(n: int, ref: object) -> object:
    import chinese_calendar

    try:
        return chinese_calendar.find_workday(n, ref)
    except NotImplementedError:
        return NotImplementedError


def test_find_workday_equals_chinese_calendar_over_its_years_and_beyond() -> None:
    """Every 7th day from two years before the table to one after it, 0 to 40 working days: the
    same day, or the same refusal where the count leaves the years the table covers."""
    from datetime import date, timedelta

    from textkit.extractors.deadlines import _calendar, _find_workday

    _, _, first, last = _calendar()
    refused = 0
    day = date(first - 2, 1, 1)
    while day <= date(last + 1, 12, 31):
        for n in (0, 1, 3, 10, 40) if day.toordinal() % 2 else (2, 5, 7, 15, 20):
            try:
                mine: object = _find_workday(n, day)
            except NotImplementedError:
                mine = NotImplementedError
            assert mine == _library_workday(n, day), (day, n)
            refused += mine is NotImplementedError
        day += timedelta(days=7)
    assert refused  # the refusal was exercised too


def test_add_workdays_counts_weekdays_where_the_calendar_stops() -> None:
    from datetime import date

    from textkit.extractors.deadlines import _calendar, add_workdays

    _, _, _, last = _calendar()
    assert add_workdays(date(last + 1, 3, 6), 10)[1] is True
    assert add_workdays(date(last, 12, 28), 10)[1] is True  # runs into a year the table lacks
    day, approximate = add_workdays(date(last, 3, 4), 10)
    assert not approximate and day == _library_workday(10, date(last, 3, 4))


# --- placing a found value: records.copied is model_copy --------------------------------------


def _copy_state(record: object) -> tuple[object, ...]:
    return (type(record), record.__dict__, record.__pydantic_fields_set__,  # type: ignore[attr-defined]
            record.__pydantic_extra__, record.__pydantic_private__)  # type: ignore[attr-defined]


def test_copied_equals_model_copy_on_every_placed_field(corpus: list[str]) -> None:
    """Every field record of the corpus's extractions, copied with a new text and span as the
    pipeline places it: the same class, fields, fields set, extra and private state as
    ``model_copy`` gives; ``Extraction`` (a private attribute) goes through ``model_copy``."""
    import textkit
    from textkit.records import Owner, copied

    assert Owner.__pydantic_post_init__ is None  # class settings, not private attributes: no post-init per record
    copies = 0
    for text in corpus[:40]:
        result = textkit.extract(text, ref_date="2024-04-18")
        for task in result.tasks:
            fields = [*task.owners, *task.cadence, *task.targets, *([task.deadline] if task.deadline else [])]
            for value in fields:
                key = "name" if isinstance(value, Owner) else "text"
                update = {key: getattr(value, key) + "x", "span": (1, 9)}
                fast, slow = copied(value, update), value.model_copy(update=update)
                assert _copy_state(fast) == _copy_state(slow) and fast == slow
                assert fast.to_dict() == slow.to_dict() and fast is not value
                copies += 1
        update = {"document": result.document}
        assert _copy_state(copied(result, update)) == _copy_state(result.model_copy(update=update))
    assert copies > 500


# --- deadlines._month_end is date(year, month, 1) + relativedelta(day=31) ---------------------


def test_month_end_equals_relativedelta_day_31() -> None:
    """Every month of years 1..9999 (step 7, plus the leap-year edges), and the same refusal of
    a month or year out of range."""
    from datetime import date

    from dateutil.relativedelta import relativedelta

    from textkit.extractors.deadlines import _month_end

    years = [*range(1, 10000, 7), 1900, 2000, 2023, 2024, 2100, 9999]
    for year in years:
        for month in range(1, 13):
            assert _month_end(year, month) == date(year, month, 1) + relativedelta(day=31), (year, month)
    for year, month in ((2024, 0), (2024, 13), (0, 5), (10000, 1)):
        with pytest.raises(ValueError) as fast:
            _month_end(year, month)
        with pytest.raises(ValueError) as slow:
            date(year, month, 1) + relativedelta(day=31)
        assert str(fast.value) == str(slow.value)


# --- fired_in by one scan of the text (eighth session) ----------------------------------------


def _fired_by_definition(needs: dict[str, frozenset[str] | None], text: str) -> frozenset[str]:
    """The names whose strings include one inside ``text``, and those that always run."""
    return frozenset(name for name, need in needs.items() if need is None or any(s in text for s in need))


def test_fired_in_by_one_scan_equals_a_search_per_string_set_on_the_corpus(corpus_sentences: list[str]) -> None:
    from textkit.extractors import deadlines

    triggers = deadlines._pattern_triggers()
    assert triggers._scan is not None  # the deadline patterns' 23 string sets are scanned once
    for text in corpus_sentences:
        searched = frozenset(triggers.always.union(*[names for pattern, names in triggers._groups if pattern.search(text)]))
        assert triggers.fired_in(text) == searched, text


_NEED = st.frozensets(st.lists(st.sampled_from(list("年月底前内季度")), min_size=1, max_size=3).map("".join), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(list("abcdefgh")), st.one_of(st.none(), _NEED), max_size=8),
       st.lists(st.sampled_from(list("年月底前内季度要")), max_size=24).map("".join))
def test_fired_in_equals_its_definition_on_generated_string_sets(needs: dict[str, frozenset[str] | None], text: str) -> None:
    # strings that are prefixes of others (月, 月底), sets shared by several names, names that always run
    from textkit.triggers import Triggers

    triggers = Triggers(needs)
    assert triggers.fired_in(text) == _fired_by_definition(needs, text)
    assert triggers.fired_in(text) == triggers.fired(text, [(0, len(text))])[0]


def test_fired_in_keeps_a_search_per_set_for_few_sets_or_an_empty_string() -> None:
    from textkit.triggers import SCAN_FROM, Triggers

    few = Triggers({str(k): frozenset({"月" * (k + 1)}) for k in range(SCAN_FROM - 1)})
    empty = Triggers({"a": frozenset({""}), "b": frozenset({"月"}), "c": frozenset({"年"}), "d": frozenset({"前"})})
    assert few._scan is None and empty._scan is None
    assert empty.fired_in("") == frozenset({"a"}) and empty.fired_in("月前") == frozenset({"a", "b", "d"})


def _names_of_by_definition(groups: dict[frozenset[str], list[str]], string: str) -> frozenset[str]:
    """The names of every set holding a prefix of ``string`` (``_one_scan``'s definition)."""
    return frozenset(name for need, names in groups.items() if any(string.startswith(s) for s in need) for name in names)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(list("abcdefgh")), _NEED, min_size=3, max_size=8))
def test_one_scan_names_equal_their_definition(needs: dict[str, frozenset[str]]) -> None:
    from textkit.triggers import Triggers, _one_scan

    groups = Triggers(needs)._need_groups
    _, names_of = _one_scan(groups)
    assert names_of == {string: _names_of_by_definition(groups, string) for string in names_of}


def test_triggers_build_only_what_they_are_asked_for() -> None:
    """``searches`` compiles the names asked for, ``fired_in`` builds the scan; the shipped deadline
    sets' names are those of the definition."""
    from textkit.extractors import deadlines
    from textkit.triggers import Triggers, _one_scan

    needs = {"a": frozenset({"月", "月底"}), "b": frozenset({"年"}), "c": frozenset({"前"}), "d": frozenset({"内"})}
    triggers = Triggers(needs)
    (search,) = triggers.searches("b")
    assert search("今年", 0, 2) and not search("今年", 0, 1)
    assert set(triggers._compiled) == {"b"} and "_scanner" not in vars(triggers)
    assert triggers.fired_in("月底前") == {"a", "c"} and "_scanner" in vars(triggers)
    groups = deadlines._pattern_triggers()._need_groups
    _, names_of = _one_scan(groups)
    assert names_of == {string: _names_of_by_definition(groups, string) for string in names_of}
