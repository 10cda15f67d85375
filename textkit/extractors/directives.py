"""Which outline items are directives (enumerated items that assign work).

Convention (``shared/spec/task-records.md``): the lowest enumerated items that
assign work are directives and their parents are containers; a top-level
section with children is always a container. Whether an item assigns work is
read from the section's purpose, the words that introduce its list (``主要表现在:``
versus ``提出以下要求:``), its own wording and its marker. Those readings are the
``features`` of an item; a trained model (``textkit.model``) scores them when
one is installed, and the rule score below is the fallback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress
from operator import mul
from typing import Any

from textkit.alternation import longest_at_each_start, trie_alternation
from textkit.outline import Node, Outline
from textkit.resources import load_toml

FAMILY_PRIOR = {"yao": 2.0, "shiyao": 2.0, "di": 0.3, "shi": 0.0, "seq": 0.0}


@dataclass(frozen=True)
class Decision:
    """Whether one outline node is a directive, how sure, and the features that said so."""

    node: Node
    directive: bool
    probability: float
    features: dict[str, float]


@cache
def _cues() -> dict:
    """``directives.toml`` with its word lists as tuples: immutable, so ``_count`` finds a list's cue index by identity."""
    return _frozen(load_toml("directives"))


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def _nearest(text: str, words: Sequence[str]) -> int:
    """Position just after the last occurrence of any word (-1 when none): the closest cue wins."""
    best = -1
    for word in words:
        i = text.rfind(word)
        if i != -1:
            best = max(best, i + len(word))
    return best


def _count(text: str, words: Sequence[str]) -> int:
    """``sum(text.count(w) for w in words)`` in one scan of ``text``, in C (see :func:`_cue_scan`)."""
    if words.__class__ is tuple:
        # a tuple cannot change, and the entry holds it, so its id is its own while cached: no tuple hashed per call
        entry = _INDEXES.get(id(words))
        if entry is None or entry[0] is not words:
            if len(_INDEXES) >= 64:
                _INDEXES.clear()
            entry = _INDEXES[id(words)] = (words, _cue_scan((words,)))
        scan = entry[1]
    else:
        scan = _cue_scan((tuple(words),))
    return scan.count(text, scan.findall(text), 0)


@dataclass(frozen=True)
class _Scan:
    """Cue lists counted by one scan of a text: what :func:`_cue_scan` builds."""

    findall: Callable[[str], list[str]]
    """The longest cue of any list opening at each position of a text, in text order."""
    weights: tuple[Callable[[str], int], ...]
    """Per list: a found cue → how many of the list's cues it stands for."""
    by_count: tuple[tuple[str, ...], ...]
    """Per list: the cues left to ``str.count``."""

    def count(self, text: str, found: list[str], k: int) -> int:
        """``sum(text.count(w) for w in lists[k])``, from ``found = self.findall(text)``."""
        n = sum(map(self.weights[k], found))
        if self.by_count[k]:
            n += sum([text.count(w) for w in self.by_count[k]])
        return n


_INDEXES: dict[int, tuple[tuple[str, ...], _Scan]] = {}


@lru_cache(maxsize=256)
def _cue_scan(lists: tuple[tuple[str, ...], ...]) -> _Scan:
    """Cue lists as one scan: a ``findall`` of the longest cue opening at each position (overlapping
    occurrences, one per position; see :func:`textkit.alternation.longest_at_each_start`).

    Every cue opening at a position is a prefix of the longest one opening there, so a found cue
    stands, for each list, for that list's cues that are prefixes of it (a repeated cue counting
    twice, as in the sum). An empty cue or one that can overlap itself (哈哈 in 哈哈哈) keeps
    ``str.count``'s non-overlapping count; any other cue's count is its number of occurrences.
    """
    by_count = tuple(tuple(w for w in words if not w or any(w[:i] == w[-i:] for i in range(1, len(w)))) for words in lists)
    scanned = [[w for w in words if w not in kept] for words, kept in zip(lists, by_count, strict=True)]
    distinct = sorted({w for words in scanned for w in words}, key=lambda w: (-len(w), w))
    weights = tuple({w: sum(1 for v in words if w.startswith(v)) for w in distinct}.__getitem__ for words in scanned)
    if not distinct:
        return _Scan(lambda text: [], weights, by_count)
    return _Scan(longest_at_each_start(distinct).findall, weights, by_count)


def _document_counts(outline: Outline) -> dict[tuple[int, str], tuple[Sequence[str], int]]:
    """The cue counts of one document, by (cue list, text): what its nodes share.

    Siblings share their list intro, every item of a section its heading and
    lead-in, and an item's heading and short lead-in are read both for its own
    features and for its run's evidence; each text is counted once per document.
    The cue list is kept with its count, so the key's ``id`` stays its own.
    """
    memo: dict[tuple[int, str], tuple[Sequence[str], int]] = outline.memo.setdefault("_cue_counts", {})
    return memo


def _counted(memo: dict[tuple[int, str], tuple[Sequence[str], int]], text: str, words: Sequence[str]) -> int:
    """``_count(text, words)``, once per document for each text and cue list."""
    found = memo.get((id(words), text))
    if found is None or found[0] is not words:
        found = memo[(id(words), text)] = (words, _count(text, words))
    return found[1]


def _nearest_intro(outline: Outline, intro: str, words: Sequence[str]) -> int:
    """``_nearest(intro, words)``, once per document for each list intro (siblings share theirs)."""
    memo: dict[tuple[int, str], tuple[Sequence[str], int]] = outline.memo.setdefault("_intro_nearest", {})
    found = memo.get((id(words), intro))
    if found is None or found[0] is not words:
        found = memo[(id(words), intro)] = (words, _nearest(intro, words))
    return found[1]


@cache
def _growth_pattern() -> tuple[str, re.Pattern[str]]:
    """A growth target (``增长6%以上``, ``增长9%左右``): the word counted as an assessment, then a figure and a bound."""
    item = _cues()["item"]
    bounds = "|".join(map(re.escape, item["growth_bounds"]))
    units = "|".join(map(re.escape, item["growth_units"]))
    return item["growth"], re.compile(rf"{re.escape(item['growth'])}[0-9０-９.．]+(?:{units})?(?:{bounds})")


def _growth_targets(text: str) -> int:
    """How many of ``text``'s assessment words are a growth target's 增长 (a goal, not an achievement)."""
    word, pattern = _growth_pattern()
    if word not in text:  # most texts hold no 增长: no regex run
        return 0
    return len(pattern.findall(text))


def features(outline: Outline, node: Node) -> dict[str, float]:
    """What is known about an item that bears on whether it assigns work."""
    cues = _cues()
    text = outline.clean.text
    heading = outline.heading(node)
    own = text[node.body_start : node.lead_in_end]
    intro = outline.list_intro(node)
    top = node
    while top.parent is not None:
        top = top.parent
    section = outline.heading(top) if top is not node else ""
    section_lead = text[top.body_start : top.lead_in_end][:200] if top is not node else ""
    counts = _document_counts(outline)

    intro_work = max(_nearest_intro(outline, intro, cues["intro"]["work"]), _intro_modal_end(intro))
    intro_assess = _nearest_intro(outline, intro, cues["intro"]["assessment"])
    item = cues["item"]
    head_imp = _counted(counts, heading, item["imperative"])
    head_ass = _counted(counts, heading, item["assessment"]) - _growth_targets(heading)
    body_imp = _counted(counts, own, item["imperative"])
    body_ass = _counted(counts, own, item["assessment"]) - _growth_targets(own)
    n = max(1, len(own))
    # an agenda step (由县长主持…) or any item of a list the intro calls an agenda (会议议程如下:)
    # only the sentence that opens the list counts (…研究其他事项。现将会议议定事项纪要如下: is no agenda)
    # (a line break that ends the intro, as in 参会人员:\n, opens no empty sentence)
    intro_sentence = re.split(r"[。;!?\n]", intro.rstrip())[-1]
    modal = cues["modal"]
    agenda = (heading.startswith(modal["agenda_opener"]) and _count(heading[:30], item["agenda"]) > 0) or _counted(
        counts, intro_sentence, cues["intro"]["agenda"]
    ) > 0
    sib = outline.siblings(node)
    run = _run_evidence(outline, node)
    return {
        "intro_work": 1.0 if intro_work > intro_assess else 0.0,
        "intro_assessment": 1.0 if intro_assess > intro_work else 0.0,
        "section_work": float(_counted(counts, section + section_lead, cues["section"]["work"]) > 0),
        "section_assessment": float(_counted(counts, section, cues["section"]["assessment"]) > 0),
        "family_prior": FAMILY_PRIOR.get(node.family, 0.0),
        "heading_imperative": float(min(head_imp, 3)),
        "heading_assessment": float(min(head_ass, 3)),
        "body_imperative_rate": min(1.0, body_imp * 40 / n),
        "body_assessment_rate": min(1.0, body_ass * 40 / n),
        "heading_starts_yao": float(heading.startswith((modal["yao"], *modal["opens"]))),
        # the modal may sit in the marker (一是要, 第一,要) rather than the heading
        "marker_yao": float(modal["yao"] in node.marker),
        # minutes topics: 三、关于城东污水处理厂提标改造项目 / 一是关于…问题
        "heading_guanyu": float(heading.startswith(modal["topic"])),
        "meeting_decision": float(_counted(counts, own[:120], item["meeting"]) > 0),
        "top_leaf": float(node.parent is None and not node.children),
        "agenda": float(agenda),
        "short_item": float(len(own) < 12),
        "top_level": float(node.parent is None),
        "has_children": float(bool(node.children)),
        "depth": float(node.depth),
        "list_size": min(float(len(sib)), LIST_CAP) / LIST_CAP,
        # the items of one series share evidence: an item whose siblings assign work assigns work
        "run_imperative": run[0],
        "run_assessment": run[1],
        "run_modal_marker": run[2],
        # a report's series tells what was done (成立了…, 发放500余份) and orders nothing (no 要, 必须 in any item)
        "run_report": run[3],
        "run_report_share": run[4],
        "owner_line": float(_owner_line(node, heading, own)),
        "framing": float(_framing(heading, cues["framing"])),
        **dict(zip(("duty_label", "party_modal", "title_item"), _shape(own), strict=True)),
        **dict(zip(("intro_modal", "intro_attachment"), _intro_shape(intro), strict=True)),
    }


FAMILIES = ("yao", "shiyao", "shi", "di", "seq", "fangmian", "sec", "sec_inline", "paren", "aparen", "circled", "arabic", "bare")
FAMILY_TOKENS = {name: f"{k:02d}" for k, name in enumerate(FAMILIES)}
"""Marker families the model weighs one by one: each family's two-digit token is a text of its own (``text_family``),
whose one bigram (``f=07``) is a prior per family learnt from both worlds, not one hand scale; as a text it costs
the scorer one memoised lookup, not a dozen numeric features per item."""
TITLE_WIDTH = 60
LIST_CAP = 8.0
"""``list_size`` is the list's length up to this, over it: a long real task list must not outweigh an item's own words."""


@cache
def _shape_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a duty label with its colon: ``责任单位:``; a party addressed with a modal: ``各乡镇要``), words from directives.toml."""
    lex = _cues()
    labels = "|".join(map(re.escape, lex["owner_line"]["labels"]))
    party = lex["party_modal"]
    modals = "|".join(map(re.escape, party["modals"]))
    return (re.compile(rf"(?:{labels})[::]"),
            re.compile(rf"(?:{'|'.join(map(re.escape, party['openers']))})[^,,。;;:: ]{{1,10}}?(?:{modals})"))


@cache
def _title_pattern() -> re.Pattern[str]:
    """A first line that is only a document's title (``2024年防汛责任人名单(样表)``), words from directives.toml."""
    nouns = "|".join(map(re.escape, sorted(_cues()["title"]["nouns"], key=len, reverse=True)))
    return re.compile(rf"\s*[^,,。;;::!?!?\n]{{2,40}}(?:{nouns})(?:[((][^()()\n]{{0,8}}[))])?[ \t]*(?:\n|$)")


def _shape(own: str) -> tuple[float, float, float]:
    """(duty_label, party_modal, title_item): whether the item names its duty unit (``…增长7%以上责任单位:区发改局``:
    a numbered target is a task), addresses a party with a modal (``各乡镇要…``), or is only a title (an attachment
    or a table listed by name assigns nothing; only a first line of at most 60 characters can be one)."""
    duty, party = _shape_patterns()
    line_end = own.find("\n", 0, TITLE_WIDTH)
    title = (line_end != -1 or len(own) <= TITLE_WIDTH) and _title_pattern().match(own) is not None
    return (float(duty.search(own, 0, 240) is not None), float(party.search(own, 0, 160) is not None), float(title))


@cache
def _intro_modal_pattern() -> re.Pattern[str]:
    """A modal in a list's opening clause (要, 必须), not inside a noun (主要, 纪要): the noun is matched first and skipped."""
    lex = _cues()["intro"]
    alternatives = "|".join(map(re.escape, sorted(lex["not_modal"], key=len, reverse=True)))
    return re.compile(rf"(?:{alternatives})|({'|'.join(map(re.escape, lex['modal']))})")


_TRAILING_COLON = re.compile(r"[::\s]+$")


def _opening_clause(intro: str) -> tuple[str, int]:
    """The intro without its closing colon, and where its last clause starts (after the last ``,。;`` or line break)."""
    body = _TRAILING_COLON.sub("", intro)
    return body, max(map(body.rfind, ",,。;;!?\n")) + 1


@lru_cache(maxsize=4096)
def _intro_modal_end(intro: str) -> int:
    """Where the last modal of the clause that opens a list ends (-1: none): ``基于上述判断,下半年经济工作要把握好三条:``
    announces work though an assessment word (判断) came before it; the nearest cue wins, as for the intro's words."""
    body, start = _opening_clause(intro)
    best = -1
    for m in _intro_modal_pattern().finditer(body, start):
        if m.group(1):
            best = m.end()
    return best


def _intro_shape(intro: str) -> tuple[float, float]:
    """(intro_modal, intro_attachment): whether the clause that opens a list holds a modal, or announces
    attachments (``附件:1.…名单 2.…表``: titles, not tasks). Siblings share it."""
    body, start = _opening_clause(intro)
    clause = body[start:]
    return float(_intro_modal_end(intro) >= 0), float(any(word in clause for word in _cues()["intro"]["attachment"]))


@cache
def _owner_line_pattern() -> re.Pattern[str]:
    """A line naming only its owners (``牵头单位：…``, ``县财政局、县审计局配合``); words from directives.toml."""
    lex = _cues()["owner_line"]
    labels = "|".join(map(re.escape, lex["labels"]))
    verbs = "|".join(map(re.escape, lex["verbs"]))
    return re.compile(rf"^(?:{labels})[::]|^[\u4e00-\u9fff(){lex['joiners']}]{{2,24}}?(?:{verbs})")


_OWNER_LINE_FAMILIES = frozenset({"paren", "aparen", "circled", "arabic"})


def _owner_line(node: Node, heading: str, own: str) -> bool:
    """A short numbered line that only names who does its parent's work (``(1)城管局负责城区街道``,
    ``①责任单位:…``); an item with its own modal (``一要县应急管理局牵头,…``) is a task."""
    return (
        node.family in _OWNER_LINE_FAMILIES
        and len(own) <= 40
        and _cues()["modal"]["yao"] not in own
        and _owner_line_pattern().search(heading[:30]) is not None
    )


def _framing(heading: str, framing: dict) -> bool:
    """A framing section: 指导思想, 总体要求, or a short heading ending like one (整改原则, 年度目标)."""
    head = heading.strip()
    return head.startswith(tuple(framing["headings"])) or (len(head) <= 6 and head.endswith(tuple(framing["endings"])))


@cache
def _tense_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(nouns holding a modal's character: 主要, 应急; a report's past: perfective 了, 已, 累计, 余份; a modal: 要, 必须),
    words from directives.toml. The nouns are masked before the modal and the past are searched."""
    lex = _cues()["report"]

    def alternatives(words: Sequence[str]) -> str:  # longest first, as a trie (textkit.alternation)
        return trie_alternation(words)

    # 了 not after 为/除/不, read by a look-behind after it (了(?<![为除不]了)): every branch of the past
    # pattern then opens on a literal character, and re skips in its class loop to the next one that
    # can start a match (a look-behind or a look-ahead first made it try the pattern at every character)
    le = re.escape(lex["le"])
    le = rf"{le}(?<![{re.escape(lex['le_not_before'])}]{le})(?![{re.escape(lex['le_not_after'])}])"
    return (re.compile(alternatives(lex["not_modal"])), re.compile(rf"{le}|{alternatives(lex['past'])}"),
            re.compile(alternatives(lex["modal"])))


def _tense(own120: str) -> tuple[float, float]:
    """(past, modal) of an item's first 120 characters, each 0 or 1: a report tells what a unit did
    (成立了…, 发放资料500余份), a list that assigns work says what must be done (要…, 必须…)."""
    nouns, past, modal = _tense_patterns()
    told = float(past.search(own120) is not None)  # no noun holds a past cue: read unmasked
    if modal.search(own120) is None:
        return told, 0.0
    return told, float(modal.search(nouns.sub("|", own120)) is not None)


def _item_evidence(outline: Outline, node: Node) -> tuple[float, float, float, float, float, float]:
    """(imperative wording, assessment wording, modal marker, past, modal, terse) of one item, each 0 or 1."""
    item, yao = _cues()["item"], _cues()["modal"]["yao"]
    text = outline.clean.text
    heading = outline.heading(node)
    own = text[node.body_start : node.lead_in_end][:120]
    counts = _document_counts(outline)
    imperative = _counted(counts, heading, item["imperative"]) > 0 or heading.startswith(yao) or yao in node.marker
    assessment = _counted(counts, own, item["assessment"]) - _growth_targets(own) > _counted(counts, own, item["imperative"])
    return (float(imperative), float(assessment), float(yao in node.marker), *_tense(own),
            _terse(text[node.body_start : node.lead_in_end]))


def _run_report(items: Sequence[tuple[float, ...]]) -> tuple[float, float]:
    """``_report_of`` a run's items given by their ``_item_evidence``."""
    return _report_of([(e[3], e[4]) for e in items], [e[5] for e in items])


TERSE = 12
"""An item whose own text (heading and lead-in) is shorter than this is a bare headline (as for ``short_item``)."""


def _terse(own: str) -> float:
    """1 when an item is only a short headline (``严查…之风;``, ``提高站位``): a guideline, not a narrated deed."""
    return float(len(own.strip()) < TERSE)


def _report_of(tenses: Sequence[tuple[float, float]], terse: Sequence[float]) -> tuple[float, float]:
    """(report, report share) of a run's items given by their ``_tense`` (and ``_terse``): 1 when some item tells past
    work and none orders any (a report's list), and the share of items that tell past work without a modal (a series
    whose one modal sits in a narrated 要求 is still mostly a report). A run whose items are mostly bare headlines
    telling no past is no report, whatever its one long item tells: terse guidelines carry no modal
    (``一、严查…;二、严打…;``), and the text after a list (…此次会议的召开,进一步明确了…) is read as its last
    item's lead-in; a short deed (``发放资料300余份``) still tells past work."""
    told = sum(1 for past, modal in tenses if past and not modal)
    if sum(1 for (past, _), bare in zip(tenses, terse, strict=True) if bare and not past) * 2 > len(tenses):
        return 0.0, told / len(tenses)
    return float(any(past for past, _ in tenses) and not any(modal for _, modal in tenses)), told / len(tenses)


def _run_evidence(outline: Outline, node: Node) -> tuple[float, float, float, float, float]:
    """Mean item evidence of the other items of ``node``'s run (its siblings since the list last
    restarted at item 1, up to the next restart), and whether the whole run is a report's
    (``_run_report``); computed once per run, so a list of ten thousand items stays linear."""
    sibs = outline.siblings(node)
    cache: dict[tuple[int, int], list[tuple[float, ...]]] = outline.memo.setdefault("_runs", {})
    idx = _index(sibs, node)
    start = idx
    while start > 0 and sibs[start].ordinal != 1:
        start -= 1
    key = (id(sibs), start)
    if key not in cache:
        end = start + 1
        while end < len(sibs) and sibs[end].ordinal != 1:
            end += 1
        cache[key] = [_item_evidence(outline, n) for n in sibs[start:end]]
    items = cache[key]
    report = _run_report(items)
    others = len(items) - 1
    if others <= 0:
        return 0.0, 0.0, 0.0, *report
    mine = items[idx - start]
    return (*((sum(e[k] for e in items) - mine[k]) / others for k in range(3)), *report)  # type: ignore[return-value]


def _index(siblings: list[Node], node: Node) -> int:
    k = int(node.path.rsplit(".", 1)[-1]) - 1 if node.path else -1
    return k if 0 <= k < len(siblings) and siblings[k] is node else siblings.index(node)


def _opening_line(intro: str) -> str:
    """The list intro's own line: ``附件:`` opens its list, the paragraph above it (…通知要求…) does not."""
    body = intro.rstrip("\n")
    return body[body.rfind("\n") + 1 :]


def context_texts(outline: Outline, node: Node) -> dict[str, str]:
    """The words a trained scorer reads besides ``features``: heading, lead-in, list intro, section heading.

    Keys start with ``text_`` so a scorer can tell them from numeric features.
    """
    text = outline.clean.text
    top = node
    while top.parent is not None:
        top = top.parent
    return {
        "text_heading": outline.heading(node)[:40],
        "text_lead": text[node.body_start : node.lead_in_end][:80],
        "text_intro": _opening_line(outline.list_intro(node, width=30)),
        "text_section": outline.heading(top)[:30] if top is not node else "",
        "text_family": FAMILY_TOKENS.get(node.family, ""),
    }


def document_inputs(outline: Outline) -> tuple[list[Node], list[dict[str, float]], list[dict[str, str]]]:
    """``features`` and ``context_texts`` of every node, in ``walk`` order, read once per document.

    The same values as the per-node functions (tested against them on every corpus
    node), without their per-node detours: what a list's run shares (its intro and the
    intro's cues, its items' evidence) is read once per run, what a section shares once
    per section, and an item's heading and lead-in are counted once for its own
    features and its run's evidence. ``decide`` calls this; the per-node functions stay
    the definition (training reads them).
    """
    cues = _cues()
    text = outline.clean.text
    intro_cues, item, modal, framing = cues["intro"], cues["item"], cues["modal"], cues["framing"]
    imperative, assessment, meeting = item["imperative"], item["assessment"], item["meeting"]
    yao, opens, agenda_opener, topic = modal["yao"], (modal["yao"], *modal["opens"]), modal["agenda_opener"], modal["topic"]
    split_intro = re.compile(r"[。;!?\n]").split  # what re.split(r"[。;!?\n]", …) compiles
    # per node, from one reading of its heading and lead-in: (heading, own, cue counts, evidence)
    own_of: dict[int, tuple[str, str, int, int, int, int, int, tuple[float, float, float]]] = {}
    # per node, what its run shares: (intro shape, intro30, intro_work, intro_assess, intro agenda, run evidence, list size)
    run_of: dict[int, tuple[tuple[float, float], str, float, float, bool, tuple[float, float, float, float, float], float]] = {}
    # an item's imperative, assessment and meeting cues in one scan of each text it reads
    scan = _cue_scan((imperative, assessment, meeting))
    findall, tally = scan.findall, scan.count
    tense, growth_targets = _tense, _growth_targets
    nodes = outline.walk()
    for node in nodes:
        heading = text[node.body_start : node.heading_end].strip()
        own = text[node.body_start : node.lead_in_end]
        hits = findall(heading)
        head_imp, head_ass = tally(heading, hits, 0), tally(heading, hits, 1) - growth_targets(heading)
        hits = findall(own)
        body_imp, body_ass = tally(own, hits, 0), tally(own, hits, 1) - growth_targets(own)
        own120 = own[:120]
        if len(own) > 120:
            hits = findall(own120)
            ev_imp, ev_ass = tally(own120, hits, 0), tally(own120, hits, 1) - growth_targets(own120)
        else:
            ev_imp, ev_ass = body_imp, body_ass
        meets = tally(own120, hits, 2)
        marker = node.marker
        evidence = (
            float(head_imp > 0 or heading.startswith(yao) or yao in marker),
            float(ev_ass > ev_imp),
            float(yao in marker),
        )
        own_of[id(node)] = (heading, own, head_imp, head_ass, body_imp, body_ass, meets, evidence)
    for sibs in [outline.nodes, *(node.children for node in nodes if node.children)]:
        size = min(float(len(sibs)), LIST_CAP) / LIST_CAP
        start, count = 0, len(sibs)
        while start < count:
            end = start + 1
            while end < count and sibs[end].ordinal != 1:
                end += 1
            first = sibs[start]
            intro = outline.list_intro(first)
            work, assess = max(_nearest(intro, intro_cues["work"]), _intro_modal_end(intro)), _nearest(intro, intro_cues["assessment"])
            intro_agenda = _count(split_intro(intro.rstrip())[-1], intro_cues["agenda"]) > 0
            members = sibs[start:end]
            items = [own_of[id(member)][7] for member in members]
            others = len(items) - 1
            totals = [sum(e[k] for e in items) for k in range(3)]
            report, share = _report_of([tense(own_of[id(member)][1][:120]) for member in members],
                                       [_terse(own_of[id(member)][1]) for member in members])
            intro30, intro_work, intro_assess = _opening_line(outline.list_intro(first, width=30)), float(work > assess), float(assess > work)
            intro_shape = _intro_shape(intro)
            for member, mine in zip(members, items, strict=True):
                rest = (0.0, 0.0, 0.0, report, share)
                if others > 0:  # the mean of the others' evidence, as _run_evidence computes it
                    rest = ((totals[0] - mine[0]) / others, (totals[1] - mine[1]) / others, (totals[2] - mine[2]) / others,
                            report, share)
                run_of[id(member)] = (intro_shape, intro30, intro_work, intro_assess, intro_agenda, rest, size)
            start = end
    feats: list[dict[str, float]] = []
    texts: list[dict[str, str]] = []
    duty_search, party_search = (pattern.search for pattern in _shape_patterns())
    title_match = _title_pattern().match
    section_of: dict[int, tuple[str, float, float]] = {}
    # a top-level node reads an empty section heading and lead-in
    no_section = ("", float(_count("", cues["section"]["work"]) > 0), float(_count("", cues["section"]["assessment"]) > 0))
    for node in nodes:
        heading, own, head_imp, head_ass, body_imp, body_ass, meets, _ = own_of[id(node)]
        (intro_modal, intro_attachment), intro30, intro_work, intro_assess, intro_agenda, run, size = run_of[id(node)]
        # _shape(own), with the patterns' methods bound once per document
        line_end = own.find("\n", 0, TITLE_WIDTH)
        title_item = float((line_end != -1 or len(own) <= TITLE_WIDTH) and title_match(own) is not None)
        top = node
        while top.parent is not None:
            top = top.parent
        if top is node:
            section_head, section_work, section_assessment = no_section
        else:
            found = section_of.get(id(top))
            if found is None:
                section = own_of[id(top)][0]
                section_lead = own_of[id(top)][1][:200]
                found = section_of[id(top)] = (
                    section,
                    float(_count(section + section_lead, cues["section"]["work"]) > 0),
                    float(_count(section, cues["section"]["assessment"]) > 0),
                )
            section_head, section_work, section_assessment = found
        n = max(1, len(own))
        agenda = (heading.startswith(agenda_opener) and _count(heading[:30], item["agenda"]) > 0) or intro_agenda
        feats.append({
            "intro_work": intro_work,
            "intro_assessment": intro_assess,
            "section_work": section_work,
            "section_assessment": section_assessment,
            "family_prior": FAMILY_PRIOR.get(node.family, 0.0),
            "heading_imperative": float(min(head_imp, 3)),
            "heading_assessment": float(min(head_ass, 3)),
            "body_imperative_rate": min(1.0, body_imp * 40 / n),
            "body_assessment_rate": min(1.0, body_ass * 40 / n),
            "heading_starts_yao": float(heading.startswith(opens)),
            "marker_yao": float(yao in node.marker),
            "heading_guanyu": float(heading.startswith(topic)),
            "meeting_decision": float(meets > 0),
            "top_leaf": float(node.parent is None and not node.children),
            "agenda": float(agenda),
            "short_item": float(len(own) < 12),
            "top_level": float(node.parent is None),
            "has_children": float(bool(node.children)),
            "depth": float(node.depth),
            "list_size": size,
            "run_imperative": run[0],
            "run_assessment": run[1],
            "run_modal_marker": run[2],
            "run_report": run[3],
            "run_report_share": run[4],
            "owner_line": float(_owner_line(node, heading, own)),
            "framing": float(_framing(heading, framing)),
            "duty_label": float(duty_search(own, 0, 240) is not None),
            "party_modal": float(party_search(own, 0, 160) is not None),
            "title_item": title_item,
            "intro_modal": intro_modal,
            "intro_attachment": intro_attachment,
        })
        texts.append({
            "text_heading": heading[:40],
            "text_lead": own[:80],
            "text_intro": intro30,
            "text_section": section_head[:30],
            "text_family": FAMILY_TOKENS.get(node.family, ""),
        })
    return nodes, feats, texts


WEIGHTS = {
    "intro_work": 1.5,
    "intro_assessment": -4.0,
    "section_work": 0.5,
    "section_assessment": -0.5,
    "family_prior": 1.0,
    "heading_imperative": 0.6,
    "heading_assessment": -1.0,
    "body_imperative_rate": 1.5,
    "body_assessment_rate": -1.5,
    "heading_starts_yao": 1.0,
    "agenda": -5.0,
    "marker_yao": 1.0,
    "meeting_decision": 1.0,
    "short_item": -0.5,
    "framing": -3.0,
}
BIAS = -0.2


def rule_probability(feats: Mapping[str, Any]) -> float:
    """The hand-weighted fallback: a logistic of a weighted sum of features (other entries, e.g. texts, are ignored)."""
    import math

    # a list, not a generator: the same products summed by the same ``sum``, without a Python frame per term
    score = BIAS + sum([WEIGHTS[k] * v for k, v in feats.items() if k in WEIGHTS])
    return 1.0 / (1.0 + math.exp(-score))


def rule_probabilities(names: Sequence[str]) -> Callable[[Sequence[float]], float]:
    """``rule_probability`` of nodes whose features are given as values in the order of ``names``.

    For a document's nodes, which share their names: the weighted names are picked once instead
    of tested per node, and each node's products, the same in the same order, go to the same
    ``sum`` — bit for bit ``rule_probability`` of ``dict(zip(names, values))``.
    """
    picked = [name in WEIGHTS for name in names]
    weights = [WEIGHTS[name] for name in names if name in WEIGHTS]
    exp = math.exp

    def probability(values: Sequence[float]) -> float:
        return 1.0 / (1.0 + exp(-(BIAS + sum(list(map(mul, weights, compress(values, picked)))))))

    return probability


SERIES_MIN = 3
"""A series votes when it has at least this many items without children (a pair decides nothing)."""
SERIES_SHARE = 2 / 3
"""The share of an item's fellow items that must agree for the series to overrule it."""
SERIES_RESCUE = 0.2
"""A rejected item joins a series that assigns work when its own probability reaches this."""
SERIES_DOUBT = 0.8
"""An accepted item leaves a series that assigns nothing when its own probability is below this."""


def _series_vote(outline: Outline, nodes: Sequence[Node], probs: Sequence[float], assigns: dict[int, bool]) -> None:
    """The items of one series are one kind of text: an item the model doubts follows its series.

    A series is a list's items since it last restarted at item 1; only items without children
    vote. When at least ``SERIES_SHARE`` of an item's fellows assign work, a rejected item whose
    probability reaches ``SERIES_RESCUE`` assigns work too (``二要`` no, ``三要`` yes); when as many
    assign nothing, an accepted item below ``SERIES_DOUBT`` assigns nothing (a report's list with
    one imperative-looking item). Thresholds chosen by cross-validation on both worlds' train splits.
    """
    prob = {id(node): p for node, p in zip(nodes, probs, strict=True)}
    for sibs in [outline.nodes, *(node.children for node in nodes if node.children)]:
        start, count = 0, len(sibs)
        while start < count:
            end = start + 1
            while end < count and sibs[end].ordinal != 1:
                end += 1
            run = [node for node in sibs[start:end] if not node.children]
            start = end
            if len(run) < SERIES_MIN:
                continue
            votes = [assigns[id(node)] for node in run]
            yes, others = sum(votes), len(run) - 1
            for node, vote in zip(run, votes, strict=True):
                agree = (yes - vote) / others
                if not vote and agree >= SERIES_SHARE and prob[id(node)] >= SERIES_RESCUE:
                    assigns[id(node)] = True
                elif vote and 1.0 - agree >= SERIES_SHARE and prob[id(node)] < SERIES_DOUBT:
                    assigns[id(node)] = False


def decide(outline: Outline, *, scorer: object | None = None) -> list[Decision]:
    """A decision for every node, in text order. ``scorer`` maps feature dicts to probabilities."""
    nodes, feats, texts = document_inputs(outline)
    if scorer is not None:
        by_inputs = getattr(scorer, "predict_proba_inputs", None)  # the shipped model's: no row dicts built
        if by_inputs is not None:
            probs = list(by_inputs(feats, texts))
        else:
            rows = [{**f, **t} for f, t in zip(feats, texts, strict=True)]
            probs = list(scorer.predict_proba_features(rows))  # type: ignore[attr-defined]
    else:
        probs = [rule_probability(f) for f in feats]
    assigns = {id(node): p >= 0.5 for node, p in zip(nodes, probs, strict=True)}
    _series_vote(outline, nodes, probs, assigns)
    directive: dict[int, bool] = {}

    owner_lines = {id(n) for n, f in zip(nodes, feats, strict=True) if f["owner_line"]}

    def visit(node: Node) -> bool:
        """True when the node or a descendant is a directive."""
        if node.children and all(id(child) in owner_lines for child in node.children):
            # numbered owner lines under a task are its trailer, not tasks of their own
            for child in node.walk()[1:]:
                directive[id(child)] = False
            directive[id(node)] = assigns[id(node)] or node.parent is not None
            return directive[id(node)]
        below = [visit(child) for child in node.children]
        if any(below):
            directive[id(node)] = False
            return True
        if node.children and node.parent is None:
            directive[id(node)] = False  # a top-level section with children is a container
            return False
        directive[id(node)] = assigns[id(node)]
        return directive[id(node)]

    for root in outline.nodes:
        visit(root)
    return [Decision(node, directive[id(node)], p, f) for node, p, f in zip(nodes, probs, feats, strict=True)]
