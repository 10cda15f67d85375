"""Cleaning's fast paths must give exactly what their definitions give.

``textkit.clean`` skips a step when the text lacks a string every match holds (``/`` of a page
marker, the elision word, a boilerplate word), opens patterns with the character they start with
instead of a look-behind tried at every position, substitutes only full-width characters instead of
translating the whole text, and ``kept_mask`` reads the ranges a map has dropped instead of taking a
step per character. Each is compared here with the definition it replaces, pattern by pattern and as
a whole ``clean``, on the corpus, on dirtied copies of it and on generated text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit import clean as cleaning
from textkit.io import read_path
from textkit.resources import load_toml
from textkit.spans import Edit, TextMap, kept_mask

pytestmark = pytest.mark.pure_python  # it patches compiled modules' functions (tests/conftest.py)

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))

# what _PINYIN was: a look-behind on the Han character, tried at every position
_PINYIN_DEFINITION = (
    rf"(?<=[{cleaning._HAN}])\((?=[a-zü]*[aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{{1,6}} ?\)"
)


def _page_words() -> list[str]:
    lex = load_toml("clean")["page"]
    return [lex["ordinal"], lex["page"], lex["total"]]


def _boilerplate_words() -> list[str]:
    lex = load_toml("clean")["boilerplate"]
    return [w for key in cleaning._BOILERPLATE_KEYS for w in lex[key]]


def _dirty(text: str, k: int) -> str:
    """A corpus text with what archives add: page footers and markers, pinyin, markup, spaces,
    full-width forms, placeholders, boilerplate lines and an elision notice."""
    ordinal, page, total = _page_words()
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i % 5 == 4:
            out.append(f"{ordinal} {i // 5 + 1} {page} {total} 9 {page}" if k % 2 else f"- {i // 5 + 1} -")
        if i % 9 == 3:
            out.append(out[0][:12])  # a running header
    dirty = "\n".join(out)
    third = len(dirty) // 3
    dirty = dirty[:third] + "1/3" + dirty[third : 2 * third] + " 2/3 " + dirty[2 * third :]
    words = _boilerplate_words()
    omitted = load_toml("clean")["elision"]
    footer = load_toml("clean")["boilerplate"]["footer"]
    extra = (
        f"\n{words[k % len(words)]}: x > y\n"
        f"x {footer[k % len(footer)]} y\n"
        f"……{omitted['omitted']}{k * 7}{omitted['characters']}……\n"
        "<p>&amp;&nbsp;</p>(xiàn)XX ×× ** ＡＢ１２（三）　 \t"
    )
    return (dirty + extra).replace("。", " 。\u3000", 3)


def _texts() -> Iterator[str]:
    corpus = [read_path(p) for p in DOCS]
    yield from corpus
    for k, text in enumerate(corpus[:40]):
        yield _dirty(text, k)
        yield _dirty(text, k).replace("\n", "\r\n")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def _pairs() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """(name, definition, fast) for each pattern cleaning now scans with."""
    return [
        ("page marker", cleaning._PAGE_MARKER, cleaning._PAGE_MARKER_SCAN),
        ("inline footer", cleaning._footer_inline(), cleaning._footer_inline_scan()),
        ("pinyin", re.compile(_PINYIN_DEFINITION), cleaning._PINYIN),
        ("placeholder", cleaning._PLACEHOLDER, cleaning._PLACEHOLDER_SCAN),
    ]


def test_scan_patterns_match_as_their_definitions_on_the_corpus() -> None:
    found = Counter[str]()
    for text in _texts():
        for variant in (text, cleaning.normalise_width(TextMap.identity(text)).text):
            for name, slow, fast in _pairs():
                got = _spans(fast, variant)
                assert got == _spans(slow, variant), name
                found[name] += len(got)
    assert all(found[name] for name, _, _ in _pairs()), found  # every pattern was exercised


_ALPHABET = [
    *"0123456789/.:-% \n\t\u3000要县局(", "xiàn)", "Xx", "×", "*", "＊", "Ｘ", "—", "－", "–", "1/3", "12/30",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET + _page_words()), max_size=50).map("".join))
def test_scan_patterns_match_as_their_definitions_on_generated_text(text: str) -> None:
    for name, slow, fast in _pairs():
        assert _spans(fast, text) == _spans(slow, text), name


def _furniture_by_definition(tm: TextMap) -> TextMap:
    """What ``strip_boilerplate`` is: every match of its patterns (boilerplate lines, site notes) and
    the footer blocks in the lexicon's spelling of the text, deleted together, no precheck."""
    view = cleaning._lexicon_view(tm.text)
    patterns = (cleaning._boilerplate_line(), cleaning._site_note())
    edits = [e for pattern in patterns for e in cleaning._as_written(tm.text, view, pattern)]
    spelled = view.spelled if view else tm.text
    edits += [cleaning._written_span(tm.text, view, span) for span in cleaning._site_footer_spans(spelled)]
    return tm.apply(cleaning._disjoint(sorted(edits)))


def _skipped_steps_by_definition() -> list[tuple[str, object, object]]:
    """(name, fast step, the definition: the pattern's deletions on every text)."""
    return [
        ("boilerplate", cleaning.strip_boilerplate, _furniture_by_definition),
        ("elision", cleaning.strip_elisions, cleaning._delete(cleaning._elision)),
        ("width", cleaning.normalise_width, lambda tm: tm.translate(cleaning._FULLWIDTH)),
    ]


def _same_map(a: TextMap, b: TextMap) -> bool:
    return a.text == b.text and list(a.origin) == list(b.origin) and a.original_length == b.original_length


def test_steps_with_a_precheck_equal_their_definitions_on_the_corpus() -> None:
    changed = Counter[str]()
    for text in _texts():
        tm = TextMap.identity(text)
        for name, fast, slow in _skipped_steps_by_definition():
            got = fast(tm)  # type: ignore[operator]
            assert _same_map(got, slow(tm)), name  # type: ignore[operator]
            changed[name] += got is not tm
    assert all(changed[name] for name, _, _ in _skipped_steps_by_definition()), changed


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_boilerplate_words()[:12], ":", ">", "\n", " ", "x", "要", "Warning", " on line 3", "（", "Ａ", "……"]),
        max_size=30,
    ).map("".join)
)
def test_steps_with_a_precheck_equal_their_definitions_on_generated_text(text: str) -> None:
    tm = TextMap.identity(text)
    for name, fast, slow in _skipped_steps_by_definition():
        assert _same_map(fast(tm), slow(tm)), name  # type: ignore[operator]


def _repeated_header_lines_by_definition(text: str) -> list[Edit]:
    """What ``_repeated_header_lines`` was: line offsets first, for every text."""
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    counts = Counter(s for _, _, s in lines if 0 < len(s) <= 50 and not cleaning._FIELD_OR_SENTENCE.search(s))
    repeated = {s for s, n in counts.items() if n >= 3}
    edits: list[Edit] = []
    seen: set[str] = set()
    for i, (start, end, s) in enumerate(lines):
        if s in repeated:
            if s not in seen and i < 3:
                seen.add(s)
                continue
            seen.add(s)
            edits.append((start, min(end + 1, len(text)), ""))
    return edits


def test_repeated_header_lines_equal_their_definition() -> None:
    found = 0
    for text in _texts():
        got = cleaning._repeated_header_lines(text)
        assert got == _repeated_header_lines_by_definition(text)
        found += len(got)
    assert found


def _kept_mask_by_definition(derived: TextMap) -> bytearray:
    mask = bytearray(derived.original_length)
    for pos in derived.origin:
        mask[pos] = 1
    return mask


def test_kept_mask_equals_its_definition_on_the_corpus() -> None:
    for text in _texts():
        layout = cleaning.chain(*cleaning.LAYOUT_STEPS)(TextMap.identity(text))
        for derived in (layout, cleaning.chain(*cleaning.NORMALISE_STEPS)(layout)):
            assert derived.dropped is not None
            assert kept_mask(derived) == _kept_mask_by_definition(derived)


@st.composite
def _edit_rounds(draw: st.DrawFn) -> TextMap:
    """A map after a few rounds of sorted edits: deletions, one-for-one replacements, and
    replacements by shorter or longer strings (which repeat an origin)."""
    tm = TextMap.identity(draw(st.text("abc", max_size=30)))
    for _ in range(draw(st.integers(1, 4))):
        n, pos, edits = len(tm.text), 0, []
        for _ in range(draw(st.integers(0, 6))):
            if pos >= n:
                break
            start = draw(st.integers(pos, n - 1))
            end = draw(st.integers(start + 1, min(n, start + 4)))
            repl = draw(st.sampled_from(["", "x", "xy", "xyz", "q" * (end - start)]))
            edits.append((start, end, repl))
            pos = end
        if edits and draw(st.booleans()):
            edits.append((edits[-1][0], edits[-1][1], ""))  # an overlapping edit, skipped by apply
        tm = tm.apply(edits)
        if draw(st.booleans()):
            tm = tm.translate({ord("a"): "b"})
    return tm


@settings(max_examples=600, deadline=None)
@given(_edit_rounds())
def test_kept_mask_equals_its_definition_after_any_edits(derived: TextMap) -> None:
    assert kept_mask(derived) == _kept_mask_by_definition(derived)


def test_a_map_without_dropped_ranges_takes_the_step_per_character() -> None:
    derived = TextMap.identity("abcdef").apply([(1, 2, ""), (3, 4, "XY")])
    unknown = TextMap(derived.text, derived.origin, derived.original_length)
    assert unknown.dropped is None and unknown == derived
    assert kept_mask(unknown) == kept_mask(derived) == bytearray([1, 0, 1, 1, 1, 1])


def _slow_cleaning(mp: pytest.MonkeyPatch) -> None:
    """Every step as defined: patterns tried at every position, no prechecks, the whole text
    translated, the mask built a character at a time."""
    slow = {name: fast for name, fast, _ in _skipped_steps_by_definition()}
    definitions = {name: definition for name, _, definition in _skipped_steps_by_definition()}
    mp.setattr(cleaning, "_PAGE_MARKER_SCAN", cleaning._PAGE_MARKER)
    mp.setattr(cleaning, "_footer_inline_scan", cleaning._footer_inline)
    mp.setattr(cleaning, "_PLACEHOLDER_SCAN", cleaning._PLACEHOLDER)
    mp.setattr(cleaning, "_repeated_header_lines", _repeated_header_lines_by_definition)
    mp.setattr(cleaning, "kept_mask", _kept_mask_by_definition)
    swap = {slow[name]: definitions[name] for name in slow}
    swap[cleaning.NORMALISE_STEPS[1]] = cleaning._delete(re.compile(_PINYIN_DEFINITION))
    mp.setattr(cleaning, "LAYOUT_STEPS", tuple(swap.get(s, s) for s in cleaning.LAYOUT_STEPS))
    mp.setattr(cleaning, "NORMALISE_STEPS", tuple(swap.get(s, s) for s in cleaning.NORMALISE_STEPS))


def _cleaned(text: str) -> tuple[object, ...]:
    c = cleaning.clean(text)
    return (c.text, list(c.map.origin), bytes(c.layout_kept), c.placeholders, c.traditional)


def test_clean_equals_clean_by_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = list(_texts())
    fast = [_cleaned(t) for t in texts]
    with monkeypatch.context() as mp:
        _slow_cleaning(mp)
        assert cleaning.LAYOUT_STEPS[1] is not cleaning.strip_elisions
        slow = [_cleaned(t) for t in texts]
    assert fast == slow
