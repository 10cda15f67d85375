"""The owners fast path must find exactly what the per-character definition finds.

``textkit.extractors.owners`` takes its cue positions from one regex scan, stops the
spans it tries for a name at the nearest clause break, and skips clauses without a
modal or copula. Each of these is exact only because no name can hold a clause
break; this file checks that premise on the compiled grammar and compares the fast
path with the slow definition (a scan at every character, windows of 34 characters
either side, every clause tried) on the corpus and on generated text.
"""

from __future__ import annotations

import re
import re._constants as c  # the stdlib parser's node names, as tools/derive_triggers.py reads them
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from textkit.clean import clean
from textkit.extractors import owners
from textkit.extractors.base import Context, Found
from textkit.io import read_path
from textkit.lexicon import Lexicon, canonical_name, lexicon
from textkit.records import Owner
from textkit.segment import sentences
from textkit.triggers import Triggers

pytestmark = pytest.mark.pure_python  # it patches compiled modules' functions (tests/conftest.py)

DOCS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "docs").glob("*.txt"))
BREAKS = ",;:。!?\n"


def _slow_cue_positions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[int]:
    """The definition the scan replaces: every position after a name's possible last character."""
    return [
        pos
        for pos in range(1, len(text))
        if text[pos - 1] in lex.end_chars
        or text[pos - 1] in "X*"
        or any(text.endswith(a, 0, pos) for a in extra)
    ]


def _slow_ends_in(text: str, start: int, hi: int, last: frozenset[str] | None) -> list[int]:
    """The definition the scan of name ends replaces: every end, longest first, kept when its last
    character can end a name."""
    return [end for end in range(hi, start, -1) if last is None or text[end - 1] in last]


def _slow_next_break(text: str, pos: int, hi: int | None = None) -> int:
    """The definition ``owners._next_break`` replaces: a search of the text for the next break."""
    end = len(text) if hi is None else hi
    m = re.compile(f"[{BREAKS}]").search(text, pos, end)
    return m.start() if m else end


def _slow_after_last_break(text: str, lo: int, end: int) -> int:
    """The definition ``owners._after_last_break`` replaces: the run without a break up to ``end``."""
    return re.compile(f"[^{BREAKS}]*\\Z").search(text, lo, end).start()  # type: ignore[union-attr]


def _slow_clause_heads(text: str, lex: Lexicon, pad: frozenset[str]) -> tuple[int, ...]:
    """The definition ``owners._clause_heads`` replaces: each clause read again by each rule, past
    ``pad`` and an opening connector."""
    heads = []
    for pos in [0, *(m.end() for m in re.finditer(f"[{BREAKS}]", text))]:
        while pos < len(text) and text[pos] in pad:
            pos += 1
        conn = lex.connector.match(text, pos)
        head = conn.end() if conn else pos
        marker = owners._clause().marker.match(text, head)  # an item's marker (一是, 二、) and a connector after it
        if marker is not None:
            conn = lex.connector.match(text, marker.end())
            head = conn.end() if conn else marker.end()
        heads.append(head)
    return tuple(heads)


def _slow_shortcuts(mp: pytest.MonkeyPatch) -> None:
    """Per-character cue scan and name ends, unbounded windows, the cue pattern before a list as
    compiled, on every text."""
    mp.setattr(owners, "_cue_positions", _slow_cue_positions)
    mp.setattr(owners, "_names_stop_at_breaks", lambda lex, extra: False)
    mp.setattr(owners, "_ends_in", _slow_ends_in)
    mp.setattr(owners, "_cue_triggers", lambda: Triggers({"before_cue": None}))
    mp.setattr(owners, "_cue_scan", lambda: lexicon().before_cue)
    mp.setattr(owners, "_may_find", lambda text: True)  # no sentence gate (tests/test_owners_gate.py)
    mp.setattr(owners, "_can", lambda rule, text: True)  # nor rule gates
    mp.setattr(owners, "_next_break", _slow_next_break)  # no shared reading of the clause breaks
    mp.setattr(owners, "_after_last_break", _slow_after_last_break)
    mp.setattr(owners, "_clause_heads", _slow_clause_heads)
    mp.setattr(owners, "_sentence_starts", lambda text: list(range(len(text) + 1)))  # the opening tried everywhere
    # every start tried for a name, whatever its first character
    mp.setattr(owners, "_shipped_party_first", lambda: dict.fromkeys(owners._shipped_party_last_chars()))
    mp.setattr(owners, "_shipped_lasts_opened_by", lambda ch: owners._shipped_party_last_chars())
    mp.setattr(  # no memo of the party starting at a place: every call parses again
        owners, "_shipped_party_starting_at", lambda text, start: owners._party_starting_at_of(text, start, lexicon(), None)
    )


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn every shortcut off: per-character cue scan, unbounded windows, no memoised owners."""
    _slow_shortcuts(monkeypatch)
    monkeypatch.setattr(
        owners, "_owner", lambda name, role, canonical: Owner(name=name, role=role, canonical=canonical)
    )
    monkeypatch.setattr(owners, "_shipped_canonical", canonical_name)


def _as_rows(found: list[Found]) -> list[tuple[object, ...]]:
    return [(f.start, f.end, f.text, f.value, f.rule, f.confidence) for f in found]


def _cases(text: str) -> list[tuple[str, Context]]:
    cleaned = clean(text).text
    with_aliases = Context(aliases=owners.find_aliases(cleaned))
    cases = [(cleaned[s:e], ctx) for s, e in sentences(cleaned) for ctx in (with_aliases, Context())]
    return [*cases, (cleaned[:3000], with_aliases)]


def _run(cases: list[tuple[str, Context]]) -> list[list[tuple[object, ...]]]:
    return [_as_rows(owners.find_owners(text, context=ctx)) for text, ctx in cases]


@pytest.fixture(scope="module")
def corpus_cases() -> list[tuple[str, Context]]:
    return [case for path in DOCS for case in _cases(read_path(path))]


@pytest.fixture(scope="module")
def fast_on_corpus(corpus_cases: list[tuple[str, Context]]) -> list[list[tuple[object, ...]]]:
    return _run(corpus_cases)


def test_fast_path_equals_the_slow_definition_on_the_corpus(
    corpus_cases: list[tuple[str, Context]], fast_on_corpus: list[list[tuple[object, ...]]], slow: None
) -> None:
    assert len(corpus_cases) > 5000
    slow_rows = _run(corpus_cases)
    assert sum(map(len, slow_rows)) > 3000  # owners were found, so the comparison says something
    assert slow_rows == fast_on_corpus


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return [clean(read_path(p)).text for p in DOCS]


@pytest.fixture(scope="module")
def fast_aliases(corpus_texts: list[str]) -> list[dict[str, str]]:
    return [owners.find_aliases(t) for t in corpus_texts]


def test_aliases_equal_the_slow_definition_on_the_corpus(
    corpus_texts: list[str], fast_aliases: list[dict[str, str]], slow: None
) -> None:
    assert any(fast_aliases)
    assert [owners.find_aliases(t) for t in corpus_texts] == fast_aliases


_FRAGMENTS = [
    "县财政局",
    "县委",
    "组织部",
    "县应急管理局",
    "各乡镇",
    "社区居委会",
    "派出所",
    "张XX同志",
    "分管副县长",
    "要",
    "牵头",
    "配合",
    "负责",
    "会同",
    "由",
    "请",
    "责任单位:",
    "牵头单位:",
    "是",
    "作为",
    "必须",
    "也",
    "、",
    "和",
    "及",
    ",",
    "。",
    ";",
    ":",
    "\n",
    "!",
    " ",
    "的",
    "等",
    "加快推进",
    "工作",
    "市",
    "局",
    "X",
    "(以下简称县落实办)",
    "县落实办",
    "落实办,要",
    "对安全具体负责",
    "向市委汇报",
    "以便于",
    "同时,",
]


@settings(max_examples=300, deadline=None)
@example(
    "各乡镇党委书记是乡村振兴的一线总指挥,要把主要精力放在抓落实上。", {}
)  # a subject whose modal is in the next clause
@example("县工作落实年领导小组办公室(以下简称县落实办)牵头,县落实办要每月通报。", {"落实办,要": "x"})
@example("同时,县财政局、县审计局和县发改局按职责分工负责。由县应急局牵头,会同社区居委会开展排查。", {})
@given(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join),
    st.dictionaries(
        st.sampled_from(["县落实办", "落实办,要", "办", "", "局:"]),
        st.just("县工作落实年领导小组办公室"),
        max_size=2,
    ),
)
def test_fast_path_equals_the_slow_definition_on_generated_text(text: str, aliases: dict[str, str]) -> None:
    contexts = [Context(), Context(aliases=aliases), Context(aliases=owners.find_aliases(text))]
    fast = [_as_rows(owners.find_owners(text, context=ctx)) for ctx in contexts]
    fast_aliases = owners.find_aliases(text)
    with pytest.MonkeyPatch.context() as mp:
        _slow_shortcuts(mp)
        assert [_as_rows(owners.find_owners(text, context=ctx)) for ctx in contexts] == fast
        assert owners.find_aliases(text) == fast_aliases


# --- the premise: no name the shipped lexicon accepts holds a clause break ------------------

_CATEGORIES = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}


def _in_set(items: list[tuple[object, object]], ch: str) -> bool:
    negate, hit = False, False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            hit |= chr(av) == ch  # type: ignore[arg-type]
        elif op is c.RANGE:
            bounds: tuple[int, int] = av  # type: ignore[assignment]
            hit |= bounds[0] <= ord(ch) <= bounds[1]
        elif op is c.CATEGORY:
            hit |= re.fullmatch(_CATEGORIES[av], ch) is not None
        else:
            raise AssertionError(f"unexpected set item {op}")
    return hit != negate


def _consumes(parsed: object, ch: str) -> bool:
    """Whether any character-consuming node of a parsed pattern admits ``ch`` (lookarounds consume none)."""
    for op, av in parsed:  # type: ignore[attr-defined]
        if op is c.LITERAL:
            if chr(av) == ch:
                return True
        elif op is c.NOT_LITERAL:
            if chr(av) != ch:
                return True
        elif op is c.ANY:
            return True
        elif op is c.IN:
            if _in_set(av, ch):
                return True
        elif op is c.SUBPATTERN:
            if _consumes(av[-1], ch):
                return True
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[1] > 0 and _consumes(av[2], ch):
                return True
        elif op is c.BRANCH:
            if any(_consumes(branch, ch) for branch in av[1]):
                return True
        elif op is c.ATOMIC_GROUP:
            if _consumes(av, ch):
                return True
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        else:
            raise AssertionError(
                f"unexpected pattern node {op}: extend this check before trusting the fast path"
            )
    return False


def _parse(pattern: re.Pattern[str]) -> object:
    import re._parser as parser  # the stdlib's own parser, as tools/derive_triggers.py uses

    return parser.parse(pattern.pattern, pattern.flags)


@pytest.mark.parametrize("grammar", ["party", "free_organ"])
def test_no_name_grammar_admits_a_clause_break(grammar: str) -> None:
    parsed = _parse(getattr(lexicon(), grammar))
    assert [ch for ch in BREAKS if _consumes(parsed, ch)] == []
    assert _consumes(parsed, "局") and _consumes(parsed, "X")  # the check does see consuming nodes


def test_the_break_set_is_the_clause_break_pattern() -> None:
    assert {ch for ch in map(chr, range(0x10000)) if owners._CLAUSE_BREAK.fullmatch(ch)} == set(BREAKS)
    assert owners._shipped_names_stop_at_breaks()
    assert owners._names_stop_at_breaks(lexicon(), {"县落实办": "县工作落实年领导小组办公室"})
    assert not owners._names_stop_at_breaks(lexicon(), {"办,要": "x"})  # such an alias turns the bound off


def test_the_party_first_characters_are_read_off_the_grammar() -> None:
    """Each branch's class of first characters is fresh in data/pattern_triggers.json, read into the
    very characters its class matches, and bounds the starts for most last characters."""
    from textkit.triggers import pattern_first

    lex = lexicon()
    firsts = pattern_first("owners", [(f"party:{k}", b) for k, b in enumerate(lex.party_branches)])
    assert all(body is not None for body in firsts.values())  # stale: run python tools/derive_triggers.py
    narrow = [body for body in firsts.values() if owners._class_chars(body) is not None]
    assert len(narrow) >= len(firsts) // 2
    every = [chr(i) for i in range(0x30000) if not 0xD800 <= i < 0xE000]
    for body in firsts.values():
        chars = owners._class_chars(body)
        if chars is not None:
            pattern = re.compile(f"[{body}]")
            assert chars == {ch for ch in every if pattern.fullmatch(ch)}, body
    assert owners._class_chars(r"\-a-c\]") == frozenset("-abc]")
    assert owners._class_chars(r"\d") is None and owners._class_chars("一-鿿") is None
    bounded = owners._shipped_party_first()
    assert set(bounded) == owners._shipped_party_last_chars()
    assert sum(chars is not None for chars in bounded.values()) > len(bounded) // 2
    for name in lex.exact:  # the names listed exactly start where their last character allows
        assert bounded[name[-1]] is None or name[0] in bounded[name[-1]]  # type: ignore[operator]


def _plain_verb_union() -> re.Pattern[str]:
    """The definition ``owners._verb_union`` opens with a lookahead: the two gates' strings, a group each."""
    gates = owners._rule_gates()
    return re.compile(f"(?P<subject>{gates['subject'][0].pattern})|(?P<generic>{gates['generic'][0].pattern})")


def _check_verb_union(text: str) -> None:
    opened, plain = owners._verb_union(), _plain_verb_union()
    for pos in (0, 1, len(text) // 2):
        a, b = opened.search(text, pos), plain.search(text, pos)
        assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), (text, pos)


def test_the_opened_verb_union_finds_what_the_union_finds_on_the_corpus(corpus_cases: list[tuple[str, Context]]) -> None:
    assert owners._verb_union().pattern.startswith("(?=[")  # the shipped strings are fresh: opened
    for text, _ in corpus_cases:
        _check_verb_union(text)


_VERB_STRINGS = sorted(owners._verb_triggers().strings("generic_verbs") or ()) + sorted(owners._verb_triggers().strings("modal") or ())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS + _VERB_STRINGS + ["定", "应急", "必"]), max_size=30).map("".join))
def test_the_opened_verb_union_finds_what_the_union_finds_on_generated_text(text: str) -> None:
    _check_verb_union(text)


# --- canonical names: one look-up per key length instead of a walk over the sorted keys --------


def _canonical_by_definition(name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """``canonical_name`` as first written: the longest key the name ends with, keys sorted by length."""
    for table in (aliases or {}, lexicon().aliases):
        if name in table:
            return table[name] if table[name] != name else None
        for key in sorted(table, key=len, reverse=True):
            if len(key) >= 2 and name.endswith(key):
                full = name[: -len(key)] + table[key]
                return full if full != name else None
    return None


def test_canonical_name_equals_its_definition(fast_on_corpus: list[list[tuple[object, ...]]]) -> None:
    names = {str(row[2]) for rows in fast_on_corpus for row in rows}
    table = lexicon().aliases
    names |= set(table) | set(table.values()) | {"县" + k for k in table} | {k[1:] for k in table}
    document = {"县落实办": "县工作落实年领导小组办公室", "办": "x", "委员会": "委员会"}
    assert len(names) > 500
    for name in [*sorted(names), "", "局", "县落实办", "市县落实办"]:
        for aliases in (None, document):
            assert canonical_name(name, aliases) == _canonical_by_definition(name, aliases), name


# --- the shared reading of a sentence: its breaks, its clause heads, its verb gates ------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))
def test_the_reading_equals_its_definitions_on_generated_text(text: str) -> None:
    _check_reading(text)


def test_the_reading_equals_its_definitions_on_the_corpus(corpus_cases: list[tuple[str, Context]]) -> None:
    texts = sorted({text for text, _ in corpus_cases if len(text) < 400})  # the sentences, not the 3,000-character heads
    assert len(texts) > 2500
    for text in texts:
        _check_reading(text, every_bound=False)


def _check_reading(text: str, every_bound: bool = True) -> None:
    """Each part of the reading against its definition; every window of up to 40 characters when
    ``every_bound``, else the windows the rules ask for (up to a name's longest reach)."""
    lex = lexicon()
    for pad in (owners._CLAUSE_PAD, owners._SPACES):
        assert owners._clause_heads(text, lex, pad) == _slow_clause_heads(text, lex, pad)
    for pos in range(len(text) + 2):
        assert owners._next_break(text, pos) == _slow_next_break(text, pos)
        his = range(pos, min(len(text), pos + 40) + 1) if every_bound else [min(len(text), pos + owners._MAX_PARTY)]
        for hi in his:
            assert owners._next_break(text, pos, hi) == _slow_next_break(text, pos, hi)
    for end in range(len(text) + 1):
        los = range(max(0, end - 40), end + 1) if every_bound else [0, max(0, end - owners._MAX_PARTY)]
        for lo in los:
            assert owners._after_last_break(text, lo, end) == _slow_after_last_break(text, lo, end)
    gates = owners._rule_gates()  # empty while the shipped strings are stale (a lexicon being edited)
    for rule in ("subject", "generic"):  # one search of both string sets, the other from its match
        assert owners._can(rule, text) == (gates[rule][0].search(text, gates[rule][1]) is not None if gates else True)
    verbs = owners._gate()[0]
    if verbs is not None:
        fired = owners._verbs_fired(text)
        assert (fired["subject"] or fired["generic"]) == (verbs.search(text, 1) is not None)
    assert owners._before_cue_may_match(text) == ("before_cue" in owners._cue_triggers().fired_in(text))
    seps = owners._clause().separators
    for pos in range(len(text) + 2):  # the separators compared only where their edge character is
        assert owners._separator_starting_at(text, pos) == next((s for s in seps if text.startswith(s, pos)), None)
        assert owners._separator_ending_at(text, pos) == next((s for s in seps if text.endswith(s, 0, pos)), None)
    openings = [m.span() for m in owners._STACK_OPENING.finditer(text)]
    starts = owners._sentence_starts(text)
    assert [m.span() for m in map(owners._STACK_OPENING.match, [text] * len(starts), starts) if m] == openings


def test_the_separators_and_stack_ends_equal_their_definitions() -> None:
    seps = owners._clause().separators
    assert len(seps) >= 3 and any(len(s) > 1 for s in seps)  # a longer one (以及) shares its end with a shorter
    text = "县A" + "县B".join(seps) + "县C" + "".join(seps)
    _check_reading(text)
    assert owners._shipped_stack_ends() == lexicon().end_chars | owners._clause().generic_head


# --- merging: the rank table built once, 各 read once, the cover test a loop --------------------


def _merge_by_definition(text: str, mentions: list[owners.Mention], extra: Mapping[str, str]) -> list[Found]:
    """``owners._merge`` as written before (a rank table per call, a generator per cover test)."""
    if not mentions:
        return []
    rank = {"lead": 2, "support": 1, "unspecified": 0}
    mentions = [m for m in mentions if owners._clause().not_a_name.search(text[m[0] : m[1]]) is None]  # a clause read as a name
    mentions = [owners._with_level_items(text, m) for m in mentions]  # 镇、村、组干部: levels listed before a name
    spans = {text[s:e] for s, e, *_ in mentions}
    mentions = [m for m in mentions if owners._clause().each + text[m[0] : m[1]] not in spans]
    # a place and its organ read from the level they share (青山镇 + 镇政府) are one name
    pairs = [(p, o) for p in mentions for o in mentions if p[1] >= 1 and o[0] == p[1] - 1 and o[1] > p[1] and text[p[1] - 1] in lexicon().levels]
    if pairs:
        halves = {m for pair in pairs for m in pair}
        mentions = [m for m in mentions if m not in halves] + [(p[0], o[1], o[2], o[3], o[4]) for p, o in pairs]
    best: dict[str, owners.Mention] = {}
    for mention in sorted(mentions, key=lambda m: (m[0], -m[1])):
        start, end, role, rule, confidence = mention
        name = text[start:end]
        covered = any(s <= start and end <= e and (s, e) != (start, end) for s, e, *_ in mentions)
        if covered or len(name) < owners._MIN_NAME:
            continue
        old = best.get(name)
        if old is None or (rank[role], confidence) > (rank[old[2]], old[4]):
            keep_span = old[:2] if old else (start, end)
            best[name] = (keep_span[0], keep_span[1], role, rule, confidence)
    found = [
        Found(start=s, end=e, text=name, value=Owner(name=name, role=role, canonical=canonical_name(name, extra)), rule=rule, confidence=conf)
        for name, (s, e, role, rule, conf) in best.items()
    ]
    return sorted(found, key=lambda f: f.start)


_MERGE_TEXT = "各牵头单位要配合县财政局,牵头单位和县财政局、县审计局要加强,青山镇政府要"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_MERGE_TEXT)),
            st.integers(0, 8),
            st.sampled_from(["lead", "support", "unspecified"]),
            st.sampled_from(["after:要", "subject", "before:由"]),
            st.sampled_from([0.5, 0.7, 0.9]),
        ),
        max_size=8,
    ),
    st.sampled_from([{}, {"县财政局": "县财政局本局"}]),
)
def test_merge_equals_its_definition(raw: list[tuple[int, int, str, str, float]], extra: dict[str, str]) -> None:
    mentions: list[owners.Mention] = [(a, min(a + n, len(_MERGE_TEXT)), role, rule, c) for a, n, role, rule, c in raw]  # type: ignore[misc]
    assert _as_rows(owners._merge(_MERGE_TEXT, mentions, extra)) == _as_rows(_merge_by_definition(_MERGE_TEXT, mentions, extra))
