"""Recovering a speech's outline: title, date, sections and enumerated items.

Speeches number their points in many styles (``一、`` ``第一部分`` ``(一)`` ``1.``
``(1)`` ``①`` ``一要`` ``一是`` ``一是要`` ``第一,`` ``首先``), nest them, and
switch style mid-list (``二要`` then ``三是要``). Texts may have no line breaks
at all. The parser finds marker candidates, keeps those that stand at a clause
boundary or that a following sibling confirms, and builds the tree with a
stack: a known style continues its level, a compatible style with the next
ordinal switches style at the same level, a new style opens a child level.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from textkit.clean import CleanText
from textkit.resources import load_toml
from textkit.triggers import scan_pattern

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# The conventional order of official headings: 一、 > (一) > 1. > (1); inline styles rank last.
RANK = {"part": 0, "sec": 1, "paren": 2, "arabic": 3, "aparen": 4, "circled": 4}

_ITEM_FAMILIES = frozenset({"yao", "shi", "shiyao", "di", "bare", "seq", "fangmian"})
# Styles whose first item may be glued to the heading before it (…实现双过半一要在…); 第一/一、 after a
# character are words (安全第一、预防为主), not glued items.
_GLUE_FAMILIES = frozenset({"yao", "shi", "shiyao", "paren", "arabic", "aparen", "circled"})

# Families whose items run inline in a paragraph and may switch into each other mid-list.
INLINE = frozenset({"sec_inline", "yao", "shi", "shiyao", "di", "sec", "seq"})

# Sequence words open clauses after a comma (关于下一步,首先要…).
_PAIR_FAMILIES = frozenset({"seq"})
# Pages typed with ASCII punctuation end sentences with "." (…并张贴.(三)对村内…).
_BOUNDARY = set("\n。;:!?,”\"')】 .")
_STRONG_BOUNDARY = set("\n。;:!?”\"')】 .")
_HEADING_END = re.compile(r"[。;!?\n]")


def _words(words: list[str]) -> str:
    """A regex alternation over lexicon words, in the order the lexicon lists them."""
    return "|".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class _Grammar:
    """Item markers and dates; their words come from ``outline.toml`` ([grammar])."""

    cn: str
    cn_digits: dict[str, int]
    marker: re.Pattern[str]
    seq_order: dict[str, int]
    another: str
    issue_line: re.Pattern[str]
    subtitle: re.Pattern[str]
    full_date: re.Pattern[str]
    cn_date: re.Pattern[str]
    year_month: re.Pattern[str]
    year: re.Pattern[str]
    year_digits: str
    zero_variants: str
    yao: str
    arabic_before_digit: re.Pattern[str]


@cache
def marker_pattern() -> re.Pattern[str]:
    """The item markers as written (``tools/derive_triggers.py`` reads its first characters)."""
    return re.compile(_marker_source())


@cache
def _marker_source() -> str:
    """The item markers' regex text: compiled only opened (``_grammar``), as written for the tools."""
    g = load_toml("outline")["grammar"]
    cn = g["numerals"]
    num = f"[{cn}]{{1,3}}"
    shi, yao, another = re.escape(g["shi"]), re.escape(g["yao"]), re.escape(g["another"])
    ordinal, part = re.escape(g["ordinal"]), re.escape(g["part"])
    not_noun = g["yao_not_noun"]
    return (
        rf"(?P<fangmian>(?:{another})?{re.escape(g['fangmian'])}(?:{shi}{yao}(?![{not_noun}])|{shi}|,?{yao}(?![{not_noun}]))?)|"
        rf"(?P<part>{ordinal}(?P<n_part>{num}){part})"
        rf"|(?P<di>{ordinal}(?P<n_di>{num})(?:[,、:]|{shi}{yao}(?![{not_noun}])|{shi}|(?={yao}(?![{not_noun}]))|{re.escape(g['stage'])}[,、:]?"
        rf"|(?=[\u4e00-\u9fff])(?![{cn}{g['bare_not_after']}{g['di_bare_not_after']}]))(?:{yao}(?![{not_noun}]))?)"
        rf"|(?P<paren>\((?P<n_paren>{num})\)(?!{re.escape(g['paren_not_after'])}))"
        rf"|(?P<aparen>\((?P<n_aparen>\d{{1,2}})\))"
        rf"|(?P<circled>[{_CIRCLED}])"
        rf"|(?P<shiyao>(?P<n_shiyao>{num}){shi}{yao}(?![{not_noun}]))"  # 一是要求…: 一是, then 要求
        rf"|(?P<shi>(?P<n_shi>{num}){shi})"
        rf"|(?P<yao>(?P<n_yao>{num}){yao})"
        rf"|(?P<sec>(?P<n_sec>{num})、)"
        rf"|(?P<bare>(?P<n_bare>[{cn}]{{1,2}})(?:,|(?=[\u4e00-\u9fff])(?![{cn}{g['bare_not_after']}]|{_words(g['bare_not_words'])})))"
        rf"|(?P<arabic>(?<![\d.])(?P<n_arabic>\d{{1,2}})(?:[.\uFE52](?![\d.])|、|(?P<row> ?\|(?=[ \t]*\n?[ \t]*[^\s|]))))"
        rf"|(?P<seq>(?:{_words(list(g['sequence']))})(?:,|{shi}|(?={yao})))"
    )


@cache
def _grammar() -> _Grammar:
    """Compile the marker and date patterns once, on first use.

    The marker pattern opens with lookbehinds and optional parts, so ``re`` would try its
    thirteen branches at every character of a document (100 ms a corpus pass); opened by the
    class of its first characters (``data/pattern_triggers.json``, see ``textkit.triggers``)
    it rejects a position in one class test and finds the same matches (9 ms)."""
    g = load_toml("outline")["grammar"]
    cn = g["numerals"]
    ordinal = re.escape(g["ordinal"])
    d = g["date"]
    y, mo, day = re.escape(d["year"]), re.escape(d["month"]), re.escape(d["day"])
    return _Grammar(
        cn=cn,
        cn_digits={ch: i for i, ch in enumerate(cn, 1)},
        marker=scan_pattern("outline", "marker", _marker_source()),
        seq_order=dict(g["sequence"]),
        yao=g["yao"],
        # a line opening 1.2015年11月26日前…: a marker glued to a date, a number only by its looks
        arabic_before_digit=re.compile(r"(?<![^\n])[ \t\u3000]*(?P<n_arabic>\d{1,2})\.(?=\d)"),
        another=g["another"],
        issue_line=re.compile(rf"{re.escape(g['issue_open'])}|\[|{ordinal}\S{{1,4}}{re.escape(g['issue'])}"),
        subtitle=re.compile(
            rf"(?:——|—|--)[^\n。]{{0,80}}|[(][^()\n]{{0,30}}\d{{4}}{y}[^()\n]{{0,20}}[)]"
            rf"|\d{{4}}{y}\d{{1,2}}{mo}\d{{1,2}}{day}\s*(?=\n)"
        ),
        full_date=re.compile(rf"((?:19|20)\d{{2}})\s*{y}\s*(\d{{1,2}})\s*{mo}\s*(\d{{1,2}})\s*{day}"),
        cn_date=re.compile(rf"([{d['year_digits'][0]}{d['zero_variants']}{d['year_digits'][1:]}]{{4}}){y}([{cn}]{{1,2}}){mo}([{cn}]{{1,3}}){day}"),
        year_month=re.compile(rf"((?:19|20)\d{{2}})\s*{y}\s*(\d{{1,2}})\s*{mo}(?!\s*\d{{1,2}}\s*{day})"),
        year=re.compile(rf"((?:19|20)\d{{2}}){y}"),
        year_digits=d["year_digits"],
        zero_variants=d["zero_variants"],
    )


@cache
def cn_number(numeral: str) -> int:
    """``三`` → 3, ``十二`` → 12, ``二十一`` → 21; 0 when ``numeral`` is not a numeral (``十十``).

    One character is a lookup; a longer numeral is parsed by cn2an, imported only when
    a document needs it (most number fewer than eleven items) and cached per numeral,
    as the same markers recur in every document.
    """
    if len(numeral) == 1:
        return _grammar().cn_digits.get(numeral, 0)
    import cn2an

    try:
        return int(cn2an.cn2an(numeral, "normal"))
    except (ValueError, KeyError, TypeError, IndexError):
        return 0


@dataclass
class Node:
    """One enumerated item (or section) of the outline, in analysis-text offsets."""

    marker: str
    family: str
    ordinal: int
    start: int
    body_start: int
    end: int = 0
    heading_end: int = 0
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)
    depth: int = 0
    path: str = ""

    @property
    def lead_in_end(self) -> int:
        """Where the node's own text stops: its first child, or its end."""
        return self.children[0].start if self.children else self.end

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Outline:
    """The recovered structure of one cleaned document."""

    clean: CleanText
    title: str | None
    title_span: tuple[int, int] | None
    date: str | None
    body_start: int
    body_end: int
    nodes: list[Node]
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Per-document memos of later stages by name (directives' cue counts, runs); a declared
    attribute, not ``__dict__``, which a class compiled with mypyc does not have (issue 15)."""

    def walk(self) -> list[Node]:
        out: list[Node] = []
        for node in self.nodes:
            out.extend(node.walk())
        return out

    def heading(self, node: Node) -> str:
        return self.clean.text[node.body_start : node.heading_end].strip()

    def siblings(self, node: Node) -> list[Node]:
        return node.parent.children if node.parent else self.nodes

    def list_intro(self, node: Node, width: int = 60) -> str:
        """The words just before the first item of ``node``'s list (``主要表现在:``)."""
        sibs = self.siblings(node)
        first = sibs[0]
        idx = _position(sibs, node)
        first_idx = 0
        # the list restarts at an ordinal 1: its intro is what precedes that restart
        for k in range(idx, -1, -1):
            if sibs[k].ordinal == 1:
                first, first_idx = sibs[k], k
                break
        lo = first.parent.body_start if first.parent else self.body_start
        before = sibs[first_idx - 1].end if first_idx > 0 else lo
        start = max(lo, before, first.start - width)
        return self.clean.text[start : first.start]


def _position(siblings: list[Node], node: Node) -> int:
    """``siblings.index(node)`` in O(1): a node's path ends with its 1-based place among its
    siblings. (``list.index`` compares nodes field by field, recursively, which made
    ten thousand items take minutes.)"""
    k = int(node.path.rsplit(".", 1)[-1]) - 1 if node.path else -1
    if 0 <= k < len(siblings) and siblings[k] is node:
        return k
    return siblings.index(node)


@cache
def _lexicon() -> dict:
    return load_toml("outline")


def parse(clean: CleanText) -> Outline:
    """Recover title, date and the tree of enumerated items of a cleaned document."""
    text = clean.text
    title, title_span, body_start = _title(text)
    body_end = _body_end(text, body_start)
    candidates = _candidates(text, body_start, body_end)
    nodes = _build(candidates, text, body_end)
    date = _date(text, title or "", body_start)
    return Outline(clean, title, title_span, date, body_start, body_end, nodes)


# --- candidates --------------------------------------------------------------------


@dataclass
class _Candidate:
    family: str
    ordinal: int
    start: int
    end: int
    marker: str
    boundary: bool
    line_start: bool


def _candidates(text: str, lo: int, hi: int) -> list[_Candidate]:
    lex = _lexicon()["markers"]
    glue = tuple(lex["glue_words"])
    yao_words = tuple(lex["yao_words"])
    has_lines = "\n" in text[lo:hi]
    cn = _grammar().cn
    raw: list[_Candidate] = []
    nouns: list[_Candidate] = []  # 三要求真务实: 要 opening a noun, unless its neighbours bridge it
    for m in _grammar().marker.finditer(text, lo, hi):
        family = m.lastgroup or ""
        if family.startswith("n_"):
            family = next(k for k in ("part", "di", "paren", "aparen", "shiyao", "shi", "yao", "sec", "bare", "arabic") if m.group(k))
        start, end = m.span()
        if family in {"shi", "yao", "shiyao", "sec", "bare"} and start > lo and text[start - 1] in cn:
            continue  # part of a longer numeral or a counted phrase (一二三四五); checked first, it is cheap
        ordinal = _ordinal(m, family)
        if ordinal <= 0:
            continue
        prev = _prev_char(text, start, lo)
        if family in {"shi", "yao", "shiyao", "sec", "di", "bare"} and text[max(lo, start - 3) : start + 1].endswith(glue):
            continue
        if family == "di" and m.end() == m.end("n_di") and not (prev in "。;:!?\n" or start == lo):
            continue  # 第二打造专科特色 (no mark after the ordinal) opens a sentence, like a bare 二
        if family == "yao" and text.startswith(yao_words, start + len(m.group("n_yao"))):
            prev = text[start - 1] if start > lo else "\n"
            if prev in _STRONG_BOUNDARY:
                nouns.append(_Candidate(family, _ordinal(m, family), start, end, m.group(), True, prev == "\n"))
            continue
        if family in {"shi", "yao", "shiyao", "sec", "bare"} and start > lo and text[start - 1] in cn:
            continue  # part of a longer numeral or a counted phrase (一二三四五)
        line_start = prev == "\n" or start == lo
        if family == "arabic" and m.group("row") and not line_start:
            continue  # 1 |做好…| opens a table row only at the start of a line
        boundary = prev in (_BOUNDARY if family in INLINE or family in _PAIR_FAMILIES else _STRONG_BOUNDARY) or line_start
        if family == "fangmian" and not boundary and prev == ",":
            boundary = ordinal == 2 or _paragraph_pair(raw, text, start)
        if family == "bare" and not (prev in "。;:!?\n" or line_start):
            continue
        if family == "sec" and has_lines and not line_start:
            family = "sec_inline"
        raw.append(_Candidate(family, ordinal, start, end, m.group(), boundary, line_start))
    if nouns:
        raw = sorted(raw + _bridged(nouns, raw), key=lambda c: c.start)
    _unglue(raw)
    # only beside a neighbour of the same list opening a line of its own (10.10.2018 is a date)
    glued = [
        _Candidate("arabic", int(m.group("n_arabic")), m.start("n_arabic"), m.end(), m.group().strip(), True, True)
        for m in _grammar().arabic_before_digit.finditer(text, lo, hi)
    ]
    lines = {c.ordinal for c in raw if c.family == "arabic" and c.line_start}
    glued = [c for c in glued if c.ordinal + 1 in lines or c.ordinal - 1 in lines]
    if glued:
        raw = sorted(raw + glued, key=lambda c: c.start)
    return _confirm(raw, text)


def _paragraph_pair(raw: list[_Candidate], text: str, start: int) -> bool:
    """Whether ``一方面`` after a comma opens a pair of items: only as a paragraph's own pair (会上强调,一方面要…;
    另一方面要…), with no item before it on its line. Inside an item (…各部门要把…作为任务,一方面要…) it is a
    clause of the item's sentence, as the seed's gold has it, and the item stays one task. (``另一方面`` after a
    comma is item 2 whenever an item 1 stood at a sentence start: 一方面要…,另一方面要….)"""
    line = text.rfind("\n", 0, start) + 1
    last = next((c for c in reversed(raw) if c.boundary), None)
    return last is None or last.start < line


def _prev_char(text: str, start: int, lo: int) -> str:
    """The character before a marker, looking past bullets (``◆一是``) and reading a paragraph mark
    that stands for a lost line break (``实施步骤Р第一阶段``) as one."""
    lex = _lexicon()["markers"]
    j = start - 1
    while j >= lo and text[j] in lex["bullets"]:
        j -= 1
    if j < lo:
        return "\n"
    return "\n" if text[j] in lex["paragraph_marks"] else text[j]


def _bridged(nouns: list[_Candidate], raw: list[_Candidate]) -> list[_Candidate]:
    """``二要…三要求真务实…四要…``: a 要 read as a noun (要求, 要素) between items n-1 and n+1 of
    one inline list is item n of it after all."""
    out = []
    for c in nouns:
        before = {o.ordinal for o in raw if o.family in INLINE and o.start < c.start}
        after = {o.ordinal for o in raw if o.family in INLINE and o.start > c.start}
        if c.ordinal - 1 in before and c.ordinal + 1 in after:
            out.append(c)
    return out


# How far apart the neighbours of a glued item may stand (a sentence or two of an inline list).
_GLUED_REACH = 200
# Styles whose item n is read as an item when glued to the word before it (…局面二是要改革…, …会议四、…)
# between items n-1 and n+1 of its own style: a page that lost a mark between two items.
_UNGLUE_FAMILIES = frozenset({"shiyao", "yao", "shi", "sec", "sec_inline", "paren"})


def _unglue(raw: list[_Candidate]) -> None:
    """``一是要…局面二是要…;三是要…``: an item glued to the text before it stands at a boundary when
    items n-1 and n+1 of its style, each at a boundary, stand within reach before and after it.
    Only neighbours within reach are looked at, so a long run of candidates stays linear."""

    def near(i: int, step: int, family: str, ordinal: int) -> bool:
        j = i + step
        while 0 <= j < len(raw) and abs(raw[j].start - raw[i].start) <= _GLUED_REACH:
            o = raw[j]
            if o.boundary and o.family == family and o.ordinal == ordinal:
                return True
            j += step
        return False

    for i, c in enumerate(raw):
        if c.boundary or c.family not in _UNGLUE_FAMILIES or c.ordinal < 2:
            continue
        if near(i, -1, c.family, c.ordinal - 1) and near(i, 1, c.family, c.ordinal + 1):
            c.boundary = True


def _ordinal(m: re.Match[str], family: str) -> int:
    if family == "circled":
        return _CIRCLED.index(m.group()) + 1
    if family == "seq":
        return _grammar().seq_order[m.group()[:2]]
    if family == "fangmian":
        return 2 if m.group().startswith(_grammar().another) else 1
    value = m.group(f"n_{family}")
    return int(value) if value.isdigit() else cn_number(value)


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in INLINE and b in INLINE)


def _confirm(raw: list[_Candidate], text: str) -> list[_Candidate]:
    """Keep candidates a list confirms: an item 1 needs an item 2 after it, an item n an item n-1
    before it (or, at the start of a truncated text, an item n+1 after it).

    Linear in the number of candidates (``一要一要…`` ten thousand times must not
    take minutes): lookups go through :class:`_Followers` and running sets.
    """
    kept: list[_Candidate] = []
    followers = _Followers(raw)
    kept_keys: set[tuple[str, int]] = set()
    seen_families: set[str] = set()
    seq_after = [0] * (len(raw) + 1)  # highest seq ordinal at or after i
    for i in range(len(raw) - 1, -1, -1):
        o = raw[i]
        seq_after[i] = max(seq_after[i + 1], o.ordinal if o.family == "seq" else 0)
    seq_min_before = 1 << 30  # lowest seq ordinal before i
    # the last item of each family that could start a list (二、三产业 glued to a word cannot)
    last_of_family = {c.family: i for i, c in enumerate(raw) if c.boundary}
    last_boundary = max((i for i, c in enumerate(raw) if c.boundary), default=-1)
    for i, c in enumerate(raw):
        if c.family == "seq":
            # 首先是…第二是…: a sequence word may open a list another style continues
            ok = (c.boundary or (text.startswith(_grammar().yao, c.end) and seq_after[i + 1] > c.ordinal)) and (
                seq_after[i + 1] > c.ordinal or followers.next_of(c, i) is not None
            ) if c.ordinal == 1 else (c.boundary and seq_min_before < c.ordinal)
        elif c.ordinal == 1:
            nxt = followers.next_of(c, i)
            ok = nxt is not None and (c.boundary or nxt.boundary)
            # an excerpt cut after the first item of an announced list (我讲三点意见。一、…)
            ok = ok or (nxt is None and c.boundary and last_of_family.get(c.family) == i and _announced(c, text))
            # an excerpt cut inside the first item of a list nested under a kept item (二、… (一)… ⏎1.…)
            ok = ok or (
                nxt is None
                and c.line_start
                and i == last_boundary
                and any(k.family != c.family for k in kept)
                and len(text[c.end :].strip()) >= _MIN_CUT_ITEM
            )
            if ok and not c.boundary and (c.family not in _GLUE_FAMILIES or not _glued_heading_ok(c, text)):
                ok = c.family in _TITLE_GLUE_FAMILIES and _series_follows(c, nxt, raw, followers, text)
        else:
            families = _compatible_families(c.family)
            prev_ok = any((f, c.ordinal - 1) in kept_keys for f in families)
            first_of_family = not any(f in seen_families for f in families)
            ok = c.boundary and (
                prev_ok or (first_of_family and (c.line_start or followers.next_of(c, i) is not None))
            )
        if ok:
            kept.append(c)
            kept_keys.add((c.family, c.ordinal))
        seen_families.add(c.family)
        if c.family == "seq":
            seq_min_before = min(seq_min_before, c.ordinal)
    return kept


# 一、 glued to the title before it (…管理工作制度一、由院…。二、…。三、…): an item 1 when items 2 and 3
# follow, each at a boundary; one confirming neighbour is not enough (安全第一、预防为主 is a slogan).
_TITLE_GLUE_FAMILIES = frozenset({"sec", "sec_inline"})


def _series_follows(c: _Candidate, nxt: _Candidate | None, raw: list[_Candidate], followers: _Followers, text: str) -> bool:
    """Whether items 2 and 3 of ``c``'s list follow it at boundaries, and words (not a digit) follow ``c``."""
    if nxt is None or not nxt.boundary or nxt.family != c.family or nxt.start - c.start > _GLUED_REACH:
        return False  # 见附表一、二)… ⏎一、…二、: a later list of another layout confirms nothing
    third = followers.next_of(nxt, raw.index(nxt))
    return third is not None and third.boundary and third.family == c.family and _glued_heading_ok(c, text)


_SELF_ANNOUNCING = frozenset({"yao", "shiyao"})
# An item cut off by the excerpt's end counts only with this many characters left (the annotation
# rule): a stub (一是进一步深化对防) would only turn its parent into a container.
_MIN_CUT_ITEM = 10


def _announced(c: _Candidate, text: str) -> bool:
    """Whether the words just before an item 1 announce a list (``下面,我讲几点意见。``)."""
    before = text[max(0, c.start - 24) : c.start]
    if c.family in _SELF_ANNOUNCING and 0 < c.start <= len(text) and text[c.start - 1] in "。:;!\n":
        return True  # 一要 / 一是要 opening a sentence is itself the start of a list
    if c.family in _HEADED and c.line_start and _heading_line(text, c.end):
        return True  # 一、统一思想,提高认识 on a line of its own: a section heading, whatever follows
    return any(cue in before for cue in _lexicon()["markers"]["list_openers"])


_HEADING_LINE_MAX = 30


def _heading_line(text: str, end: int) -> bool:
    """A short line that ends without a sentence stop: how a section heading stands alone."""
    stop = text.find("\n", end)
    line = text[end : stop if stop != -1 else len(text)].strip()
    return 2 <= len(line) <= _HEADING_LINE_MAX and stop != -1 and not _HEADING_END.search(line)


def _compatible_families(family: str) -> frozenset[str]:
    """Every family ``_compatible`` with ``family``."""
    return INLINE | {family} if family in INLINE else frozenset({family})


class _Followers:
    """Boundary candidates by (family, ordinal), for ``next_of`` by bisection."""

    def __init__(self, raw: list[_Candidate]) -> None:
        self.raw = raw
        self.at: dict[tuple[str, int], list[int]] = {}
        for i, o in enumerate(raw):
            if o.boundary:
                self.at.setdefault((o.family, o.ordinal), []).append(i)

    def first_after(self, key: tuple[str, int], i: int) -> int | None:
        found = self.at.get(key)
        if not found:
            return None
        k = bisect_right(found, i)
        return found[k] if k < len(found) else None

    def next_of(self, c: _Candidate, i: int) -> _Candidate | None:
        """``_next_of(c, raw[i + 1:])`` without scanning the rest of the list."""
        stop = self.first_after((c.family, c.ordinal), i)
        best: int | None = None
        for family in _compatible_families(c.family):
            j = self.first_after((family, c.ordinal + 1), i)
            if j is not None and (best is None or j < best):
                best = j
        if best is None or (stop is not None and stop < best):
            return None
        return self.raw[best]


def _next_of(c: _Candidate, later: list[_Candidate]) -> _Candidate | None:
    for o in later:
        if o.ordinal == c.ordinal + 1 and _compatible(o.family, c.family) and o.boundary:
            return o
        if o.family == c.family and o.ordinal == c.ordinal and o.boundary:
            return None  # the list restarted before an item 2: this item 1 stands alone
    return None


def _glued_heading_ok(c: _Candidate, text: str) -> bool:
    """An item 1 glued to the text before it (``…实现双过半一要在…``) must be followed by words, not a digit."""
    after = text[c.end : c.end + 1]
    return bool(after) and not after.isdigit() and after not in ",、。"


# --- tree --------------------------------------------------------------------------


@dataclass
class _Level:
    families: set[str]
    last: int
    parent: Node | None
    inline: bool = True  # no item of this level began a line


def _build(cands: list[_Candidate], text: str, body_end: int) -> list[Node]:
    roots: list[Node] = []
    stack: list[_Level] = []
    flat: list[Node] = []
    for k, c in enumerate(cands):
        level_index = _place(c, stack, cands[k + 1] if k + 1 < len(cands) else None)
        if level_index is None and _follows_long_body(c, stack, roots, text):
            level_index = len(stack) - 1  # a second list after the item's body, not inside it
        if level_index is None:
            _close_inline_paragraph(c, stack, roots, text)
        if level_index is None:
            # a heading style outranks what is open below it (一、 closes a 1. list before it)
            rank = RANK.get(c.family, 5)
            while stack and rank < 5:
                top = min(RANK.get(f, 5) for f in stack[-1].families)
                if not (rank <= top < 5 or (top == 5 and c.line_start and rank <= RANK["paren"])):
                    break
                stack.pop()
            parent = _last_node_at(stack, len(stack) - 1, roots) if stack else None
            stack.append(_Level({c.family}, 0, parent))
            level_index = len(stack) - 1
        del stack[level_index + 1 :]
        level = stack[level_index]
        level.families.add(c.family)
        level.last = c.ordinal
        level.inline = level.inline and not c.line_start
        node = Node(c.marker, c.family, c.ordinal, c.start, c.end, parent=level.parent, depth=level_index)
        (level.parent.children if level.parent else roots).append(node)
        flat.append(node)
    _close(roots, text, body_end)
    _number(roots, "")
    return roots


def _close_inline_paragraph(c: _Candidate, stack: list[_Level], roots: list[Node], text: str) -> None:
    """Items run inline in a paragraph end with it: a new list after a line break
    (``…五、镇党政办要…。\n会议还研究了以下事项:一是…``) does not nest in the last one."""
    while stack and stack[-1].inline and "\n" in text:
        last = _last_node_at(stack, len(stack) - 1, roots)
        if last is None or "\n" not in text[last.start : c.start]:
            return
        stack.pop()


def _follows_long_body(c: _Candidate, stack: list[_Level], roots: list[Node], text: str) -> bool:
    """A list whose intro points back at the one before it (``在抓好以上工作的同时,当前还要
    突出两件事:一是…``) continues at that list's level; otherwise a new style after an
    item (``第二,要…:一是…``) nests inside it."""
    if c.ordinal != 1 or c.family not in INLINE | _ITEM_FAMILIES or not stack:
        return False
    if not stack[-1].families <= _ITEM_FAMILIES:
        return False
    last = _last_node_at(stack, len(stack) - 1, roots)
    if last is None:
        return False
    intro = text[max(last.body_start, c.start - 40) : c.start]
    return any(cue in intro for cue in _lexicon()["markers"]["sibling_list_cues"])


def _place(c: _Candidate, stack: list[_Level], nxt: _Candidate | None) -> int | None:
    """The stack level a candidate continues, or None to open a child level.

    A style switch is read from the neighbours: in ``一是…二是…三、…四是`` the ``四是``
    after ``三、`` shows that ``三、`` continued the 是-list, not the sections.
    """
    for i in range(len(stack) - 1, -1, -1):
        if c.family in stack[i].families:
            deeper = _switch_level(c, stack, nxt, below=i)
            return i if deeper is None else deeper
    if c.ordinal > 1:
        fits = [
            i for i in range(len(stack) - 1, -1, -1)
            if stack[i].last + 1 == c.ordinal and any(_compatible(f, c.family) for f in stack[i].families)
        ]
        if nxt is not None and nxt.ordinal == c.ordinal + 1:
            for i in fits:
                if nxt.family in stack[i].families:
                    return i
        # 第二,要…:一是…二是…三、 — a point style continues the points, not the 是-list
        same_kind = [i for i in fits if any(_kind(f) == _kind(c.family) for f in stack[i].families)]
        if same_kind or fits:
            return (same_kind or fits)[0]
    return None


def _switch_level(c: _Candidate, stack: list[_Level], nxt: _Candidate | None, below: int) -> int | None:
    if nxt is None or c.ordinal < 2 or nxt.ordinal != c.ordinal + 1:
        return None
    for i in range(len(stack) - 1, below, -1):
        level = stack[i]
        if level.last + 1 == c.ordinal and nxt.family in level.families and c.family not in level.families:
            if any(_compatible(f, c.family) for f in level.families):
                return i
    return None


def _kind(family: str) -> str:
    return "modal" if family in {"shi", "yao", "shiyao"} else "point"


def _last_node_at(stack: list[_Level], index: int, roots: list[Node]) -> Node | None:
    level = stack[index]
    siblings = level.parent.children if level.parent else roots
    return siblings[-1] if siblings else None


def _close(nodes: list[Node], text: str, end: int) -> None:
    """Each node ends where its next sibling starts; the last one where its parent ends,
    or before a sentence that speaks to everyone again (``同志们,…``, ``需要说明的是,…``)."""
    for i, node in enumerate(nodes):
        # a parent's closing sentence comes after its last item opens (its own items are its body)
        node.end = nodes[i + 1].start if i + 1 < len(nodes) else _closing(
            text, node.children[-1].start if node.children else node.body_start, end, node.family not in _HEADED)
        if node.children and node.end < node.children[-1].start:
            # a closing cue before the node's own items (同志们,… then 一是…): the items are still
            # its body, or they would end before they start
            node.end = end
        _close(node.children, text, node.end)
        limit = node.children[0].start if node.children else node.end
        m = _HEADING_END.search(text, node.body_start, limit)
        node.heading_end = m.start() if m else limit
        if node.family in _HEADED:
            node.heading_end = _glued_sentence(text, node.body_start, node.heading_end)


# Styles whose heading stands on a line of its own when the text has lines (一、, 第一部分, (一));
# 1./(1)/一是/一要 items are sentences (in minutes and task plans too): their heading is their first sentence.
_HEADED = frozenset({"part", "sec", "sec_inline", "paren"})
_MIN_HEADING = 4
_CLAUSE_MARKS = frozenset(",、;:")


@cache
def _opener_pattern() -> re.Pattern[str]:
    """A word that opens a body sentence glued to a heading: a frame before a comma or 是, a voice
    before a comma or colon."""
    lex = _lexicon()["heading"]
    frames = sorted(lex["frames"], key=len, reverse=True)
    voices = sorted(lex["voices"], key=len, reverse=True)
    return re.compile(
        rf"(?:{_words(frames)})(?=[{re.escape(lex['frame_followers'])}])"
        rf"|(?:{_words(voices)})(?=[{re.escape(lex['voice_followers'])}])"
    )


def _glued_sentence(text: str, start: int, end: int) -> int:
    """Where a heading on one line stops when its first sentence follows without a mark
    (``客观看待形势今年以来,全市…``): before the sentence's opener, else ``end``.

    Only an opener glued to a word counts (after a comma it is the heading's own clause), and
    only within a heading of at most two comma-parts (``突出重点,稳住增长二季度是…``)."""
    if "\n" in text[start:end]:
        return end
    for m in _opener_pattern().finditer(text, start + _MIN_HEADING, end):
        at = m.start()
        if text.count(",", start, at) > 1:
            break
        if text[at - 1] not in _CLAUSE_MARKS and not text[at - 1].isspace():
            return _rstrip_space(text, start, at)
    return end


def _rstrip_space(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _closing(text: str, start: int, end: int, sentence_item: bool = False) -> int:
    """Where the last item of a list stops: the first sentence after its own that opens with a
    closing cue, else ``end``. After an item that is a sentence (一是…, 1.…) the meeting's own voice
    (会议强调,…) is the account going on too; after a section (一、关于…) it is the section's decision."""
    m = _closing_pattern(sentence_item).search(text, start, end)
    if m is None:
        return end
    return m.start("cue") if m.group("cue") is not None else m.start("voice")


@cache
def _closing_pattern(sentence_item: bool = False) -> re.Pattern[str]:
    """A closing cue after a sentence, or a paragraph the narration opens (``会上,…``, ``某某强调,…``;
    after a sentence item also the meeting's voice, ``会议强调,…``)."""
    lex = _lexicon()["markers"]
    cues = sorted(lex["closing_cues"], key=len, reverse=True)
    openers, verbs, comma_verbs = (_words(sorted(lex[key], key=len, reverse=True))
                                   for key in ("narration_openers", "narration_verbs", "narration_comma_verbs"))
    not_speaker = "" if sentence_item else rf"(?!{_words(lex['narration_not_speakers'])})"
    speaker = rf"{not_speaker}[^\s,，。;；:：!?！？、]{{1,24}}?"
    narration = rf"(?:{openers})(?=[,，:：])|{speaker}(?:(?:{verbs})[,，:：]|(?:{comma_verbs})[,，])"
    return re.compile(r"[。!?;\n]\s*(?P<cue>(?:" + "|".join(re.escape(c) for c in cues) + rf"))|\n[ \t\u3000]*(?P<voice>{narration})")


def _number(nodes: list[Node], prefix: str) -> None:
    for i, node in enumerate(nodes, 1):
        node.path = f"{prefix}{i}" if not prefix else f"{prefix}.{i}"
        _number(node.children, node.path)


# --- title, date, body -------------------------------------------------------------


def _title(text: str) -> tuple[str | None, tuple[int, int] | None, int]:
    """The title, its span, and where the body begins (after a repeated title and salutation)."""
    lex = _lexicon()["title"]
    suffixes = sorted(lex["suffixes"], key=len, reverse=True)
    pos = len(text) - len(text.lstrip())
    head = text[pos : pos + 160]
    first_line = head.split("\n", 1)[0]
    title_end = None
    if _grammar().marker.match(head):
        return None, None, pos  # the text opens with an item: no title
    title_start = pos
    if "\n" in text[pos : pos + 400] and 4 <= len(first_line.strip()) <= 80 and not first_line.rstrip().endswith("。"):
        title_start, title_end = _title_line(text, pos, suffixes)
    if title_end is None or title_end <= title_start:
        # no header line (a short text on one line, its first line a sentence): the title ends at its word
        title_start, title_end = pos, None
        best = None
        for suffix in suffixes:
            i = head.find(suffix)
            if 4 <= i <= 100 and (best is None or i + len(suffix) < best):
                best = i + len(suffix)
        # a title has no clause breaks: 会议强调,要突出…清单 is a sentence that happens to end in a title word
        if best is not None and not re.search(r"[。;!?,]", head[:best]):
            title_end = pos + best
    if title_end is None:
        return None, None, _skip_salutation(text, pos, lex["salutations"])
    title = text[title_start:title_end].strip()
    body = _skip_repeats(text, title_end, title, suffixes)
    return title, (title_start, title_end), _skip_salutation(text, body, lex["salutations"])


def _title_line(text: str, pos: int, suffixes: list[str]) -> tuple[int, int]:
    """Among the header lines before the body (a banner such as ``河阳县人民政府 / 专题会议纪要 /
    〔2024〕第7期``, then the title), the last one that ends like a title; else the first line."""
    lines: list[tuple[int, int]] = []
    start = pos
    while start < len(text) and len(lines) < 8:
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        line = text[start:end].strip()
        if line:
            if "。" in line or len(line) > 80 or _grammar().marker.match(line):
                break
            lines.append((start, start + len(text[start:end].rstrip())))
        start = end + 1
    titled = [(a, b) for a, b in lines if text[a:b].rstrip(")）").endswith(tuple(suffixes)) and b - a > 6]
    if not titled:
        return lines[0] if lines else (pos, pos)
    start, end = titled[-1]
    # 河阳县优化营商环境工作领导小组 / 2024年第一次会议纪要: a short title continues the line above it
    k = lines.index((start, end))
    if k > 0 and end - start <= 16:
        prev_start, prev_end = lines[k - 1]
        prev = text[prev_start:prev_end]
        adjacent = "\n" not in text[prev_end + 1 : start].strip(" \t\u3000") and text.count("\n", prev_end, start) == 1
        if adjacent and not prev.endswith(tuple(suffixes)) and not _grammar().issue_line.search(prev):
            start = prev_start + len(prev) - len(prev.lstrip())
    return start, end


def _skip_repeats(text: str, pos: int, title: str, suffixes: list[str]) -> int:
    """Skip a repeated or variant title and subtitle lines right after the title."""
    while True:
        rest = text[pos : pos + 200]
        stripped = rest.lstrip()
        offset = pos + len(rest) - len(stripped)
        line = stripped.split("\n", 1)[0]
        sub = _grammar().subtitle.match(stripped)
        if sub:
            pos = offset + sub.end()
            continue
        end = None
        for suffix in suffixes:
            i = stripped.find(suffix, 0, 120)
            if i >= 4 and not re.search(r"[。;!?,]", stripped[:i]):
                end = i + len(suffix)
                break
        if end is not None and _similar(stripped[:end], title):
            pos = offset + end
            continue
        if line.strip() and _similar(line.strip(), title) and len(line) <= 2 * len(title) + 10:
            pos = offset + len(line)
            continue
        return pos


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb))) >= 0.7


def _skip_salutation(text: str, pos: int, salutations: list[str]) -> int:
    rest = text[pos : pos + 40].lstrip()
    offset = pos + (len(text[pos : pos + 40]) - len(rest))
    for word in salutations:
        if rest.startswith(word):
            j = offset + len(word)
            while j < len(text) and text[j] in ":,!、 \n":
                j += 1
            return j
    return pos


def _body_end(text: str, body_start: int) -> int:
    """Where the speech closes (``我就讲这么多,谢谢``), or the end of the text."""
    closings = _lexicon()["markers"]["closings"]
    tail_from = body_start + (len(text) - body_start) * 2 // 3
    best = len(text)
    for word in closings:
        i = text.find(word, tail_from)
        if i != -1:
            best = min(best, i)
    return best


def _date(text: str, title: str, body_start: int) -> str | None:
    """The document's own date, as precise as the text gives it: header, first lines, sign-off, title year."""
    g = _grammar()
    regions = (text[: body_start + 120], text[-160:])
    for region in regions:
        m = g.full_date.search(region)
        if m:
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = g.cn_date.search(region)
        if m:
            zero = g.year_digits[0]
            year = int("".join(str(g.year_digits.find(zero if ch in g.zero_variants else ch)) for ch in m.group(1)))
            return _iso(year, cn_number(m.group(2)), cn_number(m.group(3)))
    m = g.year_month.search(text[: body_start + 60])
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = g.year.search(text[: max(body_start, len(title)) + 10])
    return m.group(1) if m else None


def _iso(year: int, month: int, day: int) -> str | None:
    from datetime import date

    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
