"""Owners: the parties a directive tells to act, with their role.

A compiled lexicon pass, no tokenizer: owners are found only where a cue says
someone must act, never by merely spotting an organ name, because the same
names also appear as receivers (``向市委、市政府专题汇报``), as the praised,
as examples (``一些县(区)和部门``) and in passing (``以便于市委、市政府掌握``).

Three cue families, merged by span:

1. after a party list: ``X要…``, ``X牵头``, ``Y配合``, ``Y按职责分工负责``,
   ``市县领导包抓…`` (modal, lead, support or action verb);
2. before a party list: ``由X牵头``, ``请X…``, ``会同Y``, ``牵头单位:X``, ``责任单位:Y``;
3. a clause's subject whose modal comes a few characters later:
   ``所在县(区)接到预警后要上门…``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from textkit.extractors.base import DEFAULT_CONTEXT, Context, Found
from textkit.extractors.owner_model import revise
from textkit.lexicon import BOUNDARY, Lexicon, canonical_name, lexicon
from textkit.records import Owner, Role
from textkit.resources import load_toml
from textkit.triggers import Triggers, pattern_triggers, scan_pattern, source_first, source_triggers

__all__ = ["find_owners", "find_aliases"]

_MAX_PARTY = 34
_MARKER_MAX = 6  # 十二是: the longest marker a level-less name may follow
_MIN_NAME = 2  # 办, 局 alone name no one
_BREAK_CHARS = ",;:。!?\n"
_CLAUSE_BREAK = re.compile(f"[{_BREAK_CHARS}]")
# From a window's start to its last clause break: ``search(text, lo, end)`` starts right after it.
_AFTER_LAST_BREAK = re.compile(f"[^{_BREAK_CHARS}]*\\Z")
_GAP_MAX = 12
_TOPIC_GAP_MAX = 30
_OPEN_ITEM_MAX = 12
_GENERIC_ITEM_MAX = 6
_STACK_MAX = 6
_STACK_CLAUSE_MAX = 24  # a clause of nothing but parties is short
_GENERIC_NP_MAX = 9
_OPEN_MIN_ITEMS = 3
_OPEN_FIRST_MAX = _OPEN_ITEM_MAX + 8  # a connector (同时,) and spaces may open the clause
_ETC_TAIL = 7  # 等 and the category after it (等部门, 等相关单位)
_ETC_ITEM_MAX = 6  # one bare name before 等部门: 市场监管, 自然资源
_ETC_ITEMS_MAX = 8
_LISTED_RUN_MAX = 40  # a clause's opening list of names before its modal
_LISTED_ITEMS_MAX = 5
_EACH_ITEM = (2, 5)  # 各 and one to four name characters: 各系, 各片总支
# An open list opens a sentence or a ;-part: after a comma it is the object of the clause before
# (…要会同县商务局,对商场、学校、养老机构等开展检查), after a colon a label's (列席:A、B、C).
_SENTENCE_ENDS = frozenset(";。!?\n")
_SENTENCE_BREAK = re.compile("[;。!?\n]")
# A short clause that opens a sentence and ends with a comma, and one that follows it.
_STACK_OPENING = re.compile(f"(?:^|(?<=[;。!?\\n]))[ \u3000]*(?P<clause>[^{_BREAK_CHARS}]{{2,{_STACK_CLAUSE_MAX}}})(?=,)")
_STACK_NEXT = re.compile(f"[ \u3000]*(?P<clause>[^{_BREAK_CHARS}]{{2,{_STACK_CLAUSE_MAX}}})(?=,)")
_JOINT_END = frozenset(",,;;")
_AFTER_LAST_SENTENCE_BREAK = re.compile("[^;。!?\n]*\\Z")
_CLAUSE_PAD = frozenset(" \u3000、")
_SPACES = frozenset(" \u3000")


# One reading of a sentence that every rule shares: where its clauses break, and where each clause's
# subject may start. The rules used to scan the text for its breaks again (each rule, and each span
# tried for a name), and two of them stepped over each clause's padding and connector in turn.
@lru_cache(maxsize=64)
def _breaks(text: str) -> tuple[int, ...]:
    """Positions of the clause breaks of ``text``, ascending (a few recent texts are kept: the
    rules and the name searches of one sentence ask for them again and again)."""
    return tuple(m.start() for m in _CLAUSE_BREAK.finditer(text))


def _sentence_starts(text: str) -> list[int]:
    """0 and every place right after a sentence break (;。!?\\n, which are clause breaks too): where
    ``_STACK_OPENING`` can match. Its matches hold no break, so they never reach the next start and
    matching at each start finds what its ``finditer`` finds."""
    return [0, *(b + 1 for b in _breaks(text) if text[b] in _SENTENCE_ENDS)]


def _next_break(text: str, pos: int, hi: int | None = None) -> int:
    """The first clause break in ``text[pos:hi]``, else ``hi`` (the text's end when None):
    ``_CLAUSE_BREAK.search(text, pos, hi)``'s start."""
    breaks = _breaks(text)
    k = bisect_left(breaks, pos)
    end = len(text) if hi is None else hi
    return breaks[k] if k < len(breaks) and breaks[k] < end else end


def _after_last_break(text: str, lo: int, end: int) -> int:
    """Right after the last clause break in ``text[lo:end]``, else ``lo``."""
    breaks = _breaks(text)
    k = bisect_left(breaks, end)
    return breaks[k - 1] + 1 if k and breaks[k - 1] >= lo else lo


def _clause_heads(text: str, lex: Lexicon, pad: frozenset[str]) -> tuple[int, ...]:
    """Where each clause's subject may start: past its break, the characters of ``pad``
    (``_CLAUSE_PAD`` or ``_SPACES``) and an opening connector (同时, 此外,)."""
    heads = _shipped_clause_heads(text) if lex is lexicon() else _heads_of(text, lex)
    return heads[0] if pad is _CLAUSE_PAD else heads[1]


@lru_cache(maxsize=64)
def _shipped_clause_heads(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return _heads_of(text, lexicon())


def _heads_of(text: str, lex: Lexicon) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Each clause's head past ``_CLAUSE_PAD`` and past ``_SPACES``: the same place unless a 、
    follows the spaces, so the connector is matched once for both."""
    padded, spaced = [], []
    n = len(text)
    g = _clause()
    for pos in (0, *(b + 1 for b in _breaks(text))):
        while pos < n and text[pos] in _SPACES:
            pos += 1
        conn = _connector(text, pos, len(text), lex)
        head = conn.end() if conn else pos
        if head < n and text[head] in g.marker_first:  # 一是, 二、, (三), 4.: the item's marker before its subject
            marker = g.marker.match(text, head)
            if marker is not None:
                conn = _connector(text, marker.end(), len(text), lex)
                head = conn.end() if conn else marker.end()
        spaced.append(head)
        if pos < n and text[pos] in _CLAUSE_PAD:  # a 、 after the spaces: _CLAUSE_PAD steps further
            while pos < n and text[pos] in _CLAUSE_PAD:
                pos += 1
            conn = _connector(text, pos, len(text), lex)
            head = conn.end() if conn else pos
        padded.append(head)
    return tuple(padded), tuple(spaced)


def _connector(text: str, pos: int, end: int, lex: Lexicon) -> re.Match[str] | None:
    """``lex.connector.match(text, pos, end)``, without a call into ``re`` where no connector word
    starts at ``pos`` (most clause heads: 8,801 calls a corpus pass, 127 matches)."""
    first = lex.connector_first
    if first is not None and (pos >= end or text[pos] not in first):
        return None
    return lex.connector.match(text, pos, end)


@lru_cache(maxsize=16)
def _starts_of(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` as a zero-width lookahead: its ``finditer`` yields, in one scan, exactly the
    positions where ``pattern.match`` succeeds (lookbehinds still see the whole text)."""
    return re.compile(f"(?={pattern.pattern})", pattern.flags)


def _words(words: list[str]) -> str:
    """A regex alternation over lexicon words, in the order the lexicon lists them."""
    return "|".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class _ClauseGrammar:
    """The clause grammar around party names; its words come from ``owners.toml`` ([clause], [subject])."""

    separators: tuple[str, ...]
    purpose: re.Pattern[str]
    then_modal: re.Pattern[str]
    is_then_modal: re.Pattern[str]
    appointed: re.Pattern[str]
    composed: re.Pattern[str]
    mid_word: frozenset[str]
    works_after_deng: re.Pattern[str]
    deng: re.Pattern[str]
    alias_def: re.Pattern[str]
    label_list_end: re.Pattern[str]
    label_item: re.Pattern[str]
    generic_verbs: re.Pattern[str]
    generic_subject: re.Pattern[str]
    modified_subject: re.Pattern[str]
    modal_chars: re.Pattern[str]
    generic_head: frozenset[str]
    generic_head_words: tuple[str, ...]
    collective_heads: tuple[str, ...]
    generic_stops: tuple[str, ...]
    generic_not_inside: frozenset[str]
    title_end: re.Pattern[str]
    name_stops: frozenset[str]
    alias_start_stops: str
    has_lead: re.Pattern[str]
    joint_pivot: str
    copulas: tuple[str, ...]
    source_verbs: tuple[str, ...]
    possessive: str
    perfective: re.Pattern[str]
    retrospective: tuple[str, ...]
    etc: str
    name_joiners: str
    short_heads: str
    honorific: str
    each: str
    not_name_words: tuple[str, ...]
    not_name_starts: tuple[str, ...]
    participle: re.Pattern[str]
    dated: re.Pattern[str]
    note: re.Pattern[str]
    open_item: re.Pattern[str]
    bare_items: tuple[str, ...]
    open_last_not_end: str
    time_ends: tuple[str, ...]
    time_end_chars: frozenset[str]
    time_gap: re.Pattern[str]
    time_clause: re.Pattern[str]
    cell_note: re.Pattern[str]
    joined_part: re.Pattern[str]
    headed_not_after: frozenset[str]
    topic_prep: str
    first_person: str
    pronoun: str
    etc_list: re.Pattern[str]
    joint_short: str
    level_items: frozenset[str]
    etc_category: re.Pattern[str]
    not_a_name: re.Pattern[str]
    event_place: str
    future: str
    list_preps: str
    deadline_ends: frozenset[str]
    time_chars: frozenset[str]
    marker_end: re.Pattern[str]
    marker: re.Pattern[str]
    marker_first: frozenset[str]
    free_after: frozenset[str]
    marker_last: frozenset[str]
    founding_verbs: tuple[str, ...]
    organ_suffixes: tuple[str, ...]
    organ_last: frozenset[str]
    support_nouns: tuple[str, ...]
    listed_modal: re.Pattern[str]
    listed_adverbs: frozenset[str]
    listed_back: re.Pattern[str]
    list_mark: str
    each_stops: tuple[str, ...]


@cache
def _clause() -> _ClauseGrammar:
    """Compile the clause grammar once, on first use."""
    data = load_toml("owners")
    c, s = data["clause"], data["subject"]
    not_noun = "".join(c["not_modal_after_yao"])
    then_modal = f"(?:{_words(c['then_modals'])})"
    # the verb after a subject the lexicon does not know: a modal, a lead or support verb, a duty, an action
    generic_verbs = (
        rf"{re.escape(s['yao'])}(?![{''.join(s['not_modal_after_yao'])}])|(?:{_words(s['modals'])})(?![{s['modal_not_before']}])|{re.escape(s['xu'])}(?![{s['xu_not_before']}])|{_words(s['lead_verbs'])}|{s['duty_copula']}|(?P<act>{_words(s['action_verbs'])})"
    )
    # a parenthesised alternative after the head: 村(社区), 议题申报单位(部门), 各院(系、部)
    alternative = r"\([^(),;。:!?]{1,8}\)"
    return _ClauseGrammar(
        separators=tuple(c["separators"]),
        purpose=re.compile(_words(c["purpose"])),
        then_modal=re.compile(then_modal),
        # 县应急局牵头,也要…: the next clause has its own subject
        is_then_modal=re.compile(rf"[,,;;]\s*(?:{_words(c['then_adverbs'])})?{then_modal}(?![{not_noun}])"),
        # 由县长任组长, 由镇委书记庞飞任组长 (a name between), 组长由集团总经理担任, 成员由各部门负责人组成
        appointed=re.compile(
            rf"[\u4e00-\u9fff]{{0,3}}?(?:(?:{_words(c['appointed_verbs'])})(?:{_words(c['appointed_posts'])})"
            rf"|(?:{_words(c['appointed_ends'])})(?=[{_BREAK_CHARS}]|$))"
        ),
        # ...a composition may list its members over commas (由A、B等部门负责人,以及C组成)
        composed=re.compile(rf"[^;。!?\n]*?(?:{_words(c['appointed_ends'])})(?=[{_BREAK_CHARS}]|$)"),
        mid_word=frozenset(c["mid_word"]),
        works_after_deng=re.compile(
            rf"{re.escape(c['etc'])}[\d{c['count_digits']}]*{re.escape(c['count_classifier'])}?"
            rf"[\u4e00-\u9fff]{{0,6}}(?:{_words(c['works'])})"
        ),
        deng=re.compile(rf"{re.escape(c['etc'])}(?:[\u4e00-\u9fff]{{0,8}})$"),
        alias_def=re.compile(
            rf"[((](?:{_words(c['alias_below'])})?(?:{_words(c['alias_called'])})(?:{re.escape(c['alias_as'])})?"
            r"[:“\"「]?(?P<short>[^))”\"」,,]{1,15})[”\"」]?[))]"
        ),
        label_list_end=re.compile(rf"[。;;\n]|[\u4e00-\u9fff]{{2,4}}(?:{_words(c['label_heads'])})[::]"),
        label_item=re.compile(rf"[^{c['list_joiners']},,]+"),
        generic_verbs=re.compile(generic_verbs),
        generic_subject=re.compile(
            # the noun phrase ends in a head character (read again below): re prunes other ends at once
            rf"(?P<np>[\u4e00-\u9fff()]{{0,8}}?[{re.escape(s['heads'])}]{alternative}|[\u4e00-\u9fff()]{{1,8}}?(?:[{re.escape(s['heads'])}]|{_words(s['head_words'])}))(?:(?:{_words(s['preps'])})[^,;。:!?的“”\"]{{1,10}}?)?(?:{_words(s['adverbs'])})?"
            rf"(?:{generic_verbs})"
        ),
        # 参加总值班的人员要…, 各联系点的市级领导和部门负责人必须…: a head noun after a 的-modifier, then a modal
        modified_subject=re.compile(
            rf"(?P<mod>(?:[\u4e00-\u9fff]|\d+{c['count_classifier']})[^{_BREAK_CHARS}{c['possessive']}]{{1,14}}){c['possessive']}"
            rf"(?P<head>[\u4e00-\u9fff{c['list_joiners']}]{{1,12}}?),?(?:{_words(s['adverbs'])})?(?:{re.escape(s['yao'])}(?![{''.join(s['not_modal_after_yao'])}])|(?:{_words(s['modals'])})(?![{s['modal_not_before']}])|{re.escape(s['xu'])}(?![{s['xu_not_before']}]))"
        ),
        # the characters a subject's modal holds: a cheap test before the modified subject's match
        modal_chars=re.compile("[" + "".join(sorted({ch for w in [s["yao"], s["xu"], *s["modals"]] for ch in w})) + "]"),
        generic_head=frozenset(s["heads"]),
        generic_head_words=tuple(s["head_words"]),
        collective_heads=tuple(data["collective"]["heads"]),
        generic_stops=tuple(s["stops"]),
        generic_not_inside=frozenset(s["not_inside"]),
        title_end=re.compile(rf"(?:{_words(s['titles'])}|[{s['title_levels']}]{re.escape(s['title_head'])})$"),
        name_stops=frozenset(s["name_stops"]),
        alias_start_stops=c["alias_start_stops"],
        has_lead=re.compile(_words(c["lead_words"])),
        joint_pivot=c["joint_pivot"],
        copulas=tuple(c["copulas"]),
        source_verbs=tuple(c["source_verbs"]),
        possessive=c["possessive"],
        perfective=re.compile(c["perfective"]),
        retrospective=tuple(c["retrospective"]),
        etc=c["etc"],
        name_joiners=c["name_joiners"],
        short_heads=s["short_heads"],
        honorific=s["honorific"],
        each=s["each"],
        not_name_words=tuple(s["not_name_words"]),
        not_name_starts=tuple(s["not_name_starts"]),
        # 由有关校领导、职能部门参加的会议: a short verb and 的 after a list describe who attends
        participle=re.compile(rf"[\u4e00-\u9fff]{{1,3}}{re.escape(c['possessive'])}"),
        # (责任单位:…管委会,6月底完成): a time closes a label's list
        dated=re.compile(rf"^\d+$|\d\s*[{c['date_marks']}]"),
        # a note inside a label's list (列第一位的为牵头单位, 下同, 除标注…外)
        note=re.compile(rf"{re.escape(c['possessive'])}|^(?:{_words(c['list_notes'])})|^[((]?(?:{_words(c['list_note_opens'])})|[((][^))]*$"),
        # one item of an open list: a short run of name characters, a note in parentheses after it
        open_item=re.compile(rf"[^\W\d_A-Za-z{c['open_item_stops']}]{{2,{_OPEN_ITEM_MAX}}}(?=[((][^))]{{1,20}}[))]$|$)"),
        bare_items=tuple(sorted(c["bare_items"], key=len, reverse=True)),
        open_last_not_end=c["open_last_not_end"],
        time_ends=tuple(c["time_ends"]),
        time_end_chars=frozenset(w[-1] for w in c["time_ends"]),
        # 从2月3日起, 在放寒假前, 春运期间: a time phrase after a subject, before its modal's clause
        time_gap=re.compile(
            rf"(?:{_words(c['time_opens'])})[^{_BREAK_CHARS}{c['possessive']}]{{1,12}}?(?:{_words(c['time_ends'])})"
            rf"|(?:{_words(c['time_opens'])})?[\d{c['count_digits']}{c['time_chars']}]{{1,10}}(?:{_words(c['time_ends'])})"
        ),
        # 每天下午4点前: a clause that is only a time
        time_clause=re.compile(rf"(?:{_words(c['time_opens'])})?[\d{c['count_digits']}{c['time_chars']}]{{1,10}}(?:{_words(c['time_ends'])})"),
        # after the parties of a table cell: a short name in parentheses (规划信息处(爱卫办))
        cell_note=re.compile(r"\s*\([\u4e00-\u9fff]{1,8}\)\s*"),
        # a part of a joined noun phrase; a joint inside parentheses is none (各院(系、部))
        joined_part=re.compile(rf"(?:[^{c['list_joiners']}(]|\([^()]*\))+"),
        headed_not_after=frozenset(c["headed_not_after"]),
        topic_prep=c["topic_prep"],
        first_person=c["first_person"],
        pronoun=c["pronoun"],
        joint_short=c["joint_short"],
        level_items=frozenset(c["level_items"]),
        # 市场监管、公安、交通等有关部门: short names before 等 and a category of units
        etc_list=re.compile(
            rf"(?P<list>{_han_class_without(s['name_stops'] + c['list_joiners'], '')}{{2,{_ETC_ITEM_MAX}}}"
            rf"(?:、{_han_class_without(s['name_stops'] + c['list_joiners'], '')}{{2,{_ETC_ITEM_MAX}}}){{0,{_ETC_ITEMS_MAX - 1}}})"
            rf"{re.escape(c['etc'])}(?:{_words(c['etc_qualifiers'])})?(?:{_words(c['etc_categories'])})"
        ),
        etc_category=re.compile(rf"{re.escape(c['etc'])}(?:{_words(c['etc_qualifiers'])})?(?:{_words(c['etc_categories'])})"),
        not_a_name=re.compile(rf"^(?:{_words(c['founding_verbs'])}|{c['not_name_opens']})|{_words(c['never_in_name'])}"),
        event_place=c["event_place"],
        future=c["future"],
        list_preps=c["list_preps"],
        deadline_ends=frozenset(w for w in c["time_ends"] if len(w) == 1),
        time_chars=frozenset(c["time_chars"]),
        # an enumeration marker that opens a clause, ending where a name may start (一是, 二、)
        marker_end=re.compile(rf"(?:(?<=[{re.escape(''.join(sorted(BOUNDARY)))}])|^)(?:{'|'.join(data['cues']['markers'])})\Z"),
        marker=re.compile("|".join(data["cues"]["markers"])),
        marker_first=frozenset(data["cues"]["marker_first"]),
        # the characters besides a boundary after which a level-less name may start: 和/及/与, a date's limit, 是
        free_after=frozenset(c["name_joiners"]) | {w for w in c["time_ends"] if len(w) == 1} | {m[-1] for m in data["cues"]["markers"] if "\u4e00" <= m[-1] <= "\u9fff"},
        marker_last=frozenset(m[-1] for m in data["cues"]["markers"] if "\u4e00" <= m[-1] <= "\u9fff"),
        founding_verbs=tuple(c["founding_verbs"]),
        organ_suffixes=tuple(sorted({*data["organ"]["suffixes"], *data["organ"]["free_suffixes"]})),
        support_nouns=tuple(data["cues"]["support_nouns"]),
        organ_last=frozenset(w[-1] for w in (*data["organ"]["suffixes"], *data["organ"]["free_suffixes"])),
        # the modal after a clause that opens with nothing but names (an adverb between): 各系、各部门要
        listed_modal=re.compile(
            # one flat alternation of words opening with a literal: re then skips in C to their first characters
            "|".join([rf"{re.escape(s['yao'])}(?![{''.join(s['not_modal_after_yao'])}])", *s["listed_modals"]])
        ),
        listed_adverbs=frozenset(w for w in s["adverbs"] if len(w) == 1),
        # read backwards from a modal: a clause's opening run of names (no particle, preposition or
        # modal; list joints, parentheses and spaces allowed) that reaches the clause start
        listed_back=re.compile(
            rf"(?P<run>{_han_class_without(''.join(ch for ch in s['name_stops'] if ch not in c['list_joiners']), '()、 ' + chr(0x3000))}"
            rf"{{2,{_LISTED_RUN_MAX}}}+)(?=[{_BREAK_CHARS}]|\Z)"
        ),
        list_mark=c["list_joiners"][0],
        each_stops=tuple(s["each_stops"]),
    )


Mention = tuple[int, int, Role, str, float]
"""start, end, role, rule, confidence."""


def find_owners(text: str, *, context: Context = DEFAULT_CONTEXT) -> list[Found]:
    """Parties told to act in ``text``, one ``Found`` per distinct name, in text order.

    ``Found.value`` is an ``Owner`` (name as written, role, canonical full name
    from ``context.aliases`` or the shipped alias table). A name met several
    times keeps its first span and its strongest role (lead > support).
    """
    if "(" in text:
        known = _known_alternatives()
        alternatives = [
            m.span()
            for m in _level_alternative().finditer(text)
            if text[max(0, m.start() - 2) : m.end()] not in known and text[m.start() - 1 : m.end()] not in known
        ]
        if alternatives:
            return _with_alternatives(text, alternatives, context)
    return _find_owners(text, context)


@cache
def _level_alternative() -> re.Pattern[str]:
    """A level's alternatives in parentheses right after it: 乡(镇), 镇(街道), 村(居), 村(居、社区), 县(市、区).
    The level before the bracket is checked by a look-behind after it (``\\((?<=[levels]\\()``, not
    ``(?<=[levels])\\(``): the same matches, and ``re`` jumps from bracket to bracket instead of trying
    the look-behind at every character."""
    organ = load_toml("owners")["organ"]
    levels = "".join(sorted({ch for level in organ["levels"] for ch in level}))
    return re.compile(f"\\((?<=[{levels}]\\()(?:{organ['level_alternative']})\\)")


@cache
def _known_alternatives() -> frozenset[str]:
    """The levels with alternatives the lexicon writes out itself (村(社区), 县(市、区), 乡镇(街道)'s
    镇(街道)): its own entries read them, as before."""
    data = load_toml("owners")
    words: list[str] = []
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            words.append(item)
    pattern, levels = _level_alternative(), lexicon().levels
    known: set[str] = set()
    for w in words:
        for m in pattern.finditer(w):
            a = m.start()
            # 乡镇(街道) is known with the level before it; 镇(街道) alone (各镇(街道)) is not
            known.add(w[a - 2 : m.end()] if a >= 2 and w[a - 2] in levels else w[a - 1 : m.end()])
    return frozenset(known)


def _with_alternatives(text: str, alternatives: list[tuple[int, int]], context: Context) -> list[Found]:
    """``各村(居)委会要…``, ``各乡(镇)党委书记要…``: the rules read the sentence with each level's
    alternatives left out (各村委会要…, a name the grammar knows), and each name found is mapped back to
    the text as written, holding the alternatives inside it or right after its last character
    (各镇(街道)要… names 各镇(街道)). The lexicon's own forms (县(市、区), 村(社区)) come out as before."""
    kept: list[int] = []  # the position in ``text`` of each character of the reduced sentence
    pos = 0
    for a, b in alternatives:
        kept.extend(range(pos, a))
        pos = b
    kept.extend(range(pos, len(text)))
    reduced = "".join(text[i] for i in kept)
    ends = {a: b for a, b in alternatives}
    out: list[Found] = []
    for f in _find_owners(reduced, context):
        start, end = kept[f.start], kept[f.end - 1] + 1
        end = ends.get(end, end)
        name = text[start:end]
        value = f.value if name == f.text else _owner(name, f.value.role, f.value.canonical)
        out.append(Found(start=start, end=end, text=name, value=value, rule=f.rule, confidence=f.confidence))
    return out


def _find_owners(text: str, context: Context) -> list[Found]:
    lex = lexicon()
    extra = context.aliases
    if not extra and not _may_find(text):
        return revise(text, [])  # no rule can match: about a quarter of the directive sentences
    mentions: list[Mention] = []
    mentions += _before_cue_mentions(text, lex, extra)
    mentions += _after_cue_mentions(text, lex, extra)
    mentions += _subject_mentions(text, lex, extra, {(m[0], m[1]) for m in mentions})
    # 科|室要…: a suffix read alone names no one (the merge drops it) and must not hide the noun from the rules after
    mentions = [m for m in mentions if m[1] - m[0] >= _MIN_NAME]
    mentions += _generic_subject_mentions(text, lex, mentions)
    mentions += _listed_subject_mentions(text, lex, extra, mentions)
    mentions += _duty_line_mentions(text, lex, extra, mentions)
    mentions += _open_list_mentions(text, lex, extra)
    mentions += _stacked_subject_mentions(text, lex, extra)
    if _CELL_RULE in text:
        mentions += _table_cell_mentions(text, lex, extra)
    if _TRAILER_MARK in text:
        mentions += _trailer_mentions(text, lex, extra, mentions)
    if _clause().etc in text and _clause().etc_category.search(text):  # 等 and a category of units: 等有关部门
        mentions = _etc_list_mentions(text, lex, mentions)
    return revise(text, _merge(text, mentions, extra))  # the learned scorer (owner_model): drops doubted, adds confident


# Every rule reports a mention only where one of these matches (without document aliases):
# - the list cue before a party (由, 请, 会同…): ``_before_cue_mentions``;
# - a cue verb right after a character a name can end with: ``_after_cue_mentions``' positions;
# - a modal after the clause's parties, or a then-modal opening the next clause (``subject``,
#   ``subject:time``, ``subject:是``, ``subject:stacked``), or a verb after an unknown subject's noun
#   (``subject:generic``): each lies past the sentence's first character, and its strings are read
#   off the patterns by ``tools/derive_triggers.py`` (``data/pattern_triggers.json``);
# - a lead or support verb right after a duty line's separator: ``_duty_line_mentions``;
# - two 、 at least: ``_open_list_mentions``;
# - a table row (three cell rules at least): ``_table_cell_mentions``.
# A sentence holding none is answered at once; tests/test_owners_gate.py compares with the rules run on every text.
def _may_find(text: str) -> bool:
    """Whether any rule can report a mention in ``text`` (with the shipped lexicon, no document aliases)."""
    verbs, after_name, after_duty = _gate()
    if verbs is None:
        return True  # the shipped strings are stale: every text runs the rules
    fired = _verbs_fired(text)
    return bool(
        fired["subject"]
        or fired["generic"]
        or after_name.search(text)
        or _before_cue_may_match(text)
        or text.count("、") >= _OPEN_MIN_ITEMS - 1
        or _CELL_RULE in text
        or (_TRAILER_MARK in text and _TRAILER_OPEN.search(text) is not None)
        or after_duty.search(text)
    )


@cache
def _gate() -> tuple[re.Pattern[str] | None, re.Pattern[str], re.Pattern[str]]:
    """The patterns ``_may_find`` searches: the strings of the modal, then-modal and unknown
    subject's verb patterns (None while the shipped strings do not fit these patterns), a cue
    after a name's last character, a cue after a duty line's separator."""
    lex, g = lexicon(), _clause()
    verbs = pattern_triggers("owners", [("modal", lex.modal), ("then_modal", g.then_modal), ("generic_verbs", g.generic_verbs)])
    either = None if verbs.always else re.compile("|".join(f"(?:{p.pattern})" for _, p in verbs.patterns))
    seps = "".join(re.escape(ch) for ch in sorted(_DUTY_SEPARATORS))
    return either, _cue_after_name_end(lex.after_cue, lex.end_chars), re.compile(f"[{seps}](?={lex.after_cue.pattern})", lex.after_cue.flags)


def _can(rule: str, text: str) -> bool:
    """Whether ``text`` holds what one rule's match needs (the shipped lexicon, aliases or not):
    ``subject`` (its copula and time forms, and ``subject:stacked``) a modal or then-modal past the
    first character, ``generic`` the unknown subject's verb past it, ``duty`` a cue after a duty
    line's separator. A sentence the gate lets through for one rule skips the others' scans."""
    gate = _rule_gates().get(rule)
    if gate is None:
        return True
    if rule in ("subject", "generic"):
        return _verbs_fired(text)[rule]
    return gate[0].search(text, gate[1]) is not None


@lru_cache(maxsize=64)
def _verbs_fired(text: str) -> dict[str, bool]:
    """Whether the subject rules' modal or then-modal, and the unknown subject's verb, occur past
    the first character (``_can``'s ``subject`` and ``generic``; either opens ``_may_find``): one
    search of both string sets finds the first, and the other is searched only from there, since
    neither occurs before it. Kept per text: the gate and three rules ask the same sentence."""
    both = _verb_union()
    m = both.search(text, 1)
    if m is None:
        return {"subject": False, "generic": False}
    gates = _rule_gates()
    other = "generic" if m.lastgroup == "subject" else "subject"
    return {m.lastgroup: True, other: gates[other][0].search(text, m.start()) is not None}  # type: ignore[dict-item]


@cache
def _verb_union() -> re.Pattern[str]:
    """The ``subject`` and ``generic`` gates' strings as one pattern, a group for each (plain strings:
    a match at a place is one of either's)."""
    gates = _rule_gates()
    union = f"(?P<subject>{gates['subject'][0].pattern})|(?P<generic>{gates['generic'][0].pattern})"
    # opened by the strings' first characters: re then rejects most positions in one class test
    # instead of trying each of the ~50 strings there (a named group hides them from re's own prefix scan)
    verbs = _verb_triggers()
    strings = [verbs.strings(name) for name in ("modal", "then_modal", "generic_verbs")]
    if any(need is None or "" in need for need in strings):
        return re.compile(union)
    firsts = "".join(sorted({re.escape(word[0]) for need in strings for word in need}))  # type: ignore[union-attr]
    return re.compile(f"(?=[{firsts}])(?:{union})")


@cache
def _verb_triggers() -> Triggers:
    """The strings of the modal, then-modal and unknown subject's verb patterns (``_gate``, ``_rule_gates``)."""
    lex, g = lexicon(), _clause()
    return pattern_triggers("owners", [("modal", lex.modal), ("then_modal", g.then_modal), ("generic_verbs", g.generic_verbs)])


@cache
def _rule_gates() -> dict[str, tuple[re.Pattern[str], int]]:
    """Each rule's pattern for ``_can`` and where its search starts; none while the shipped strings are stale."""
    lex, g = lexicon(), _clause()
    verbs = pattern_triggers("owners", [("modal", lex.modal), ("then_modal", g.then_modal), ("generic_verbs", g.generic_verbs)])
    if verbs.always:
        return {}
    strings = dict(verbs.patterns)
    modal = re.compile(f"(?:{strings['modal'].pattern})|(?:{strings['then_modal'].pattern})")
    return {"subject": (modal, 1), "generic": (strings["generic_verbs"], 1), "duty": (_gate()[2], 0)}


def find_aliases(text: str) -> dict[str, str]:
    """Abbreviations a document defines: ``县委工作落实年领导小组办公室(以下简称县落实办)``.

    Maps the short form to the full name, for ``Context.aliases``. The full
    name is the longest party name ending right before the parenthesis, else
    the text back to the last clause break or particle.
    """
    lex = lexicon()
    found: dict[str, str] = {}
    for m in _clause().alias_def.finditer(text):
        short = m.group("short").strip()
        end = m.start()
        start = _party_ending_at(text, end, lex, None)
        if start is None:
            start = end
            while start > 0 and end - start < 30 and text[start - 1] not in _clause().alias_start_stops:
                start -= 1
        full = text[start:end].strip()
        if short and full and short != full:
            found[short] = full
    return found


def _before_cue_mentions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[Mention]:
    mentions: list[Mention] = []
    if lex is lexicon() and not _before_cue_may_match(text):
        return mentions  # none of the strings every cue match holds (由, 请, 会同…): nothing to scan
    has_lead = bool(_clause().has_lead.search(text))
    for m in (_cue_scan() if lex is lexicon() else lex.before_cue).finditer(text):
        kind = m.lastgroup or "owner"
        items = _list_forward(text, m.end(), lex, extra)
        if kind in ("lead", "support", "responsible") and m.group(0)[-1:] in ":：":
            items = _labelled_list(text, m.end(), items)
        elif kind == "lead" and items:
            items = _bounded_list(text, items, lex)
        if not items and kind in ("lead", "support", "responsible", "owner"):
            items = _anchored_free(text, m.end(), lex)  # 会同社区居委会, 要求总务处: the cue opens the name
            if not items and kind == "owner" and m.group(0) in _request_cues():
                items = _bare_after_request(text, m.end(), lex, extra)  # 希望科室继续…
            items = _list_goes_on(text, items, lex, extra)  # 请教研室和办公室…: the list goes on after it
            if kind == "lead" and items:
                items = _bounded_list(text, items, lex)  # 由医务科、护理部…: the list goes on
        if not items and kind == "lead":
            items = _named_before_lead(text, m.end(), lex) or _named_before_verb(text, m.end(), lex)  # 由保洁公司负责…
            items = items or _agent_of_you(text, m.end(), lex)  # 由部门领导安排…, 由班长写出…
        if not items:
            continue
        follow = lex.after_cue.match(text, items[-1][1])
        if kind == "lead" and follow is None and _clause().participle.match(text, items[-1][1]):
            continue  # 召开由有关校领导、职能部门参加的会议: who attends, not who acts
        if kind == "lead" and (_clause().appointed.match(text, items[-1][1]) or _clause().composed.match(text, items[-1][1])):
            continue  # 成立由分管副县长任组长的领导小组: who heads a body, not who acts
        if kind == "support" and _clause().first_person in text[_clause_start(text, m.start()) : m.start()]:
            continue  # 我局将积极会同相关部门…: partners of the issuing body's own plans
        joint = kind == "pivot" and m.group(0) == _clause().joint_pivot and text[items[-1][1] : items[-1][1] + 1] in _JOINT_END
        if kind == "pivot" and not joint and (follow is None or follow.start() != items[-1][1]):
            continue  # 督促企业落实…: a pivot needs the party's own verb right after it
        role: Role = {"lead": "lead", "support": "support", "owner": "unspecified"}.get(kind, "unspecified")  # type: ignore[assignment]
        if kind == "responsible":
            role = "support" if has_lead else "unspecified"
        if joint:
            role = "support"  # 县人社局要联合县民政局,明年…: a partner that acts alongside the subject
        elif follow and kind in ("owner", "pivot"):
            role = _role_of(follow, text)
        for start, end in items:
            mentions.append((start, end, role, f"before:{m.group(0)}", 0.9))
    return mentions




@cache
def _cue_triggers() -> Triggers:
    """Whether the shipped cue pattern before a party list can match a text (``textkit.triggers``).
    Builds the scanned pattern too: every sentence asks this first, so a warm-up that extracts
    any text compiles both (most sentences never reach the scan)."""
    _cue_scan()
    return source_triggers("owners", [("before_cue", lexicon().before_cue_source)])


def _before_cue_may_match(text: str) -> bool:
    """``"before_cue" in _cue_triggers().fired_in(text)`` without building the set of names fired:
    the cue's own search (the gate and the rule both ask it)."""
    return bool(_cue_search(_cue_triggers())(text, 0, len(text)))


@lru_cache(maxsize=4)
def _cue_search(triggers: Triggers) -> Callable[[str, int, int], object]:
    return triggers.searches("before_cue")[0]


@cache
def _cue_scan() -> re.Pattern[str]:
    """The shipped cue pattern before a party list as scanned: opened by a lookahead on the
    characters its matches start with (``textkit.triggers.scan_patterns``, the same matches)."""
    return scan_pattern("owners", "before_cue", lexicon().before_cue_source)  # compiled once, opened


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts: right after the last sentence break before it."""
    m = _AFTER_LAST_SENTENCE_BREAK.search(text, 0, pos)
    return m.start() if m else 0


def _labelled_list(text: str, start: int, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every name of a ``责任单位:A、B、C`` line, known to the lexicon or not: the label says what
    the names are, so 政法(应急)办, 财管所 or 福利院 need no grammar (the lexicon's spans win)."""
    stop = _clause().label_list_end.search(text, start)
    end = stop.start() if stop else len(text)
    if end - start > 120:
        return known
    items = list(known)
    for m in _clause().label_item.finditer(text, start, end):
        a, b = m.start(), m.end()
        while a < b and text[a] in " \u3000":
            a += 1
        while b > a and (text[b - 1] in " \u3000" or text[b - 1] in ")）" and "(" not in text[a:b] and "（" not in text[a:b]):
            b -= 1
        if b - a == _MIN_NAME and b == len(text) and text[a] in lexicon().levels:
            continue  # (牵头单位:市发: a name the excerpt cut off after its level, not a name of two characters
        if 2 <= b - a <= 20 and not any(s < b and a < e for s, e in known) and not _clause().dated.search(text, a, b) and not _clause().note.search(text[a:b]):
            items.append((a, b))  # (责任单位:…管委会,6月底完成): a time closes the list, it names no one
    return sorted(items)


_BOUNDED_MAX = 80
_BOUNDED_ITEM = (2, 12)


def _bounded_list(text: str, known: list[tuple[int, int]], lex: Lexicon) -> list[tuple[int, int]]:
    """``由医务科、护理部、医保办、院办、总务科牵头``: a list the cue opens and a lead or support
    verb closes names parties throughout, so items the lexicon does not know (院办) count
    when the run between the known ones and the verb holds only 、-joined names."""
    end = known[-1][1]
    if text[end : end + 1] != "、":
        return known
    stop = _CLAUSE_BREAK.search(text, end, end + _BOUNDED_MAX)
    limit = stop.start() if stop else min(len(text), end + _BOUNDED_MAX)
    closing = next(
        (f for f in (lex.after_cue.match(text, i) for i in range(end + 1, limit)) if f is not None and f.lastgroup in ("lead", "support")),
        None,
    )
    if closing is None:
        return _headed_list(text, end + 1, limit, known)
    items = list(known)
    for part in text[end + 1 : closing.start()].split("、"):
        a = text.find(part, end) if part else -1
        if not (_BOUNDED_ITEM[0] <= len(part) <= _BOUNDED_ITEM[1]) or not all(_is_name_char(ch) for ch in part):
            return known  # not a plain run of names: trust only what the lexicon found
        items.append((a, a + len(part)))
        end = a + len(part)
    return items


_HEADED_LAST_MAX = 6


def _headed_list(text: str, start: int, limit: int, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``由医务科、护理部、医保办、财务科抓具体排查``: closed by a verb the lexicon does not list, the
    run after the known names still names parties when every 、-item is a short name ending like
    a unit or a person does (科, 部, 办…) and the last one is such a name right before its verb."""
    items = list(known)
    a = start
    while True:
        b = text.find("、", a, limit)
        if b == -1:
            break
        if not (_BOUNDED_ITEM[0] <= b - a <= _BOUNDED_ITEM[1]) or not _headed_name(text, a, b):
            return known
        items.append((a, b))
        a = b + 1
    for b in range(a + _BOUNDED_ITEM[0], min(limit, a + _HEADED_LAST_MAX) + 1):
        if not _is_name_char(text[b - 1]):
            return known
        if _headed_name(text, a, b) and b < limit and text[b] not in _clause().generic_head and text[b] not in _clause().headed_not_after:
            return [*items, (a, b)]
    return known


def _headed_name(text: str, a: int, b: int) -> bool:
    """A run of name characters ending in a head character or head word (科, 办, 中心)."""
    if not all(_is_name_char(ch) for ch in text[a:b]):
        return False
    return text[b - 1] in _clause().generic_head or text.endswith(_clause().generic_head_words, a, b)


def _after_cue_mentions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[Mention]:
    mentions: list[Mention] = []
    for pos in _cue_positions(text, lex, extra):
        follow = lex.after_cue.match(text, pos)
        if follow is None or (follow.lastgroup != "modal" and text.startswith(_clause().possessive, follow.end())):
            continue  # 省政府组织的活动, 多个部门参与的工作: a verb that only describes the noun after it
        if follow.lastgroup == "action" and _done(text, follow.end(), pos):
            continue  # 会后,市农业农村局对…进行了部署: a report of work done (asked before the list is read)
        if follow.lastgroup == "support" and text.startswith(_clause().support_nouns, follow.start("support")):
            continue  # 多校区协同发展的格局: a noun, not a party's support verb
        if follow.lastgroup == "action" and text[pos - 1] not in _clause().organ_last and follow.group("action") == _clause().future:
            continue  # 部门将…, 资金将…: 将 counts only after an organ's suffix (``_named_organ``)
        items = _list_backward(text, pos, lex, extra)
        items = _members_before_deng(text, items[0][0] if items else pos, lex, extra) or items
        if not items or _is_receiver(text, items[0][0], lex):
            continue
        longer = _party_starting_at(text, items[-1][0], lex, extra)
        founding = follow.lastgroup == "action" and text.startswith(_clause().founding_verbs, follow.start("action"))
        if longer is not None and longer > pos and not founding and not _verb_then_party(text, follow, lex, extra):
            continue  # 县委|组织部: the cue is part of a longer name (not 镇政府|成立…领导小组: a verb no name holds)
        if follow.lastgroup == "action" and _after_topic(text, items[0][0]):
            continue  # 对…县水利局进行通报: the object of the verb after it
        if follow.lastgroup == "action" and follow.group("action") == _clause().future and not all(_named_organ(text[a:b]) for a, b in items):
            continue  # 学校将…, 县政府领导将…: the issuing body's own plans, or someone described
        role = _role_of(follow, text)
        confidence = 0.75 if follow.lastgroup == "action" else 0.95
        for start, end in items:
            mentions.append((start, end, role, f"after:{follow.group(follow.lastgroup or 0)}", confidence))
    return mentions


def _named_organ(name: str) -> bool:
    """An organ or unit named with its own name before its suffix (镇政府, 校办, 县教育局), not a bare
    suffix word (学校, 医院) nor a collective or a person (各部门, 县政府领导)."""
    suffixes = _clause().organ_suffixes
    return name not in suffixes and name.endswith(suffixes)


def _after_topic(text: str, start: int) -> bool:
    """Whether a 对-phrase opened earlier in the clause holds ``start``: ``对排名后三位的县水利局进行
    通报`` makes the party the object of the verb after it, not its subject."""
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    return _clause().topic_prep in text[clause_start:start]


def _done(text: str, start: int, party: int) -> bool:
    """Whether the clause from ``start`` (a party's action verb) reports it done: 了 before the clause
    ends, or the sentence before the party (at ``party``) opens on a time already past (今年以来)."""
    stop = _CLAUSE_BREAK.search(text, start)
    if _clause().perfective.search(text, start, stop.start() if stop else len(text)) is not None:
        return True
    opening = text[_clause_start(text, party) : party]
    return any(word in opening for word in _clause().retrospective)


def _subject_mentions(
    text: str, lex: Lexicon, extra: Mapping[str, str], known: set[tuple[int, int]]
) -> list[Mention]:
    """A clause-initial party whose modal follows within a short gap: ``所在县(区)接到预警后要…``."""
    mentions: list[Mention] = []
    if lex is lexicon() and not _can("subject", text):
        return mentions
    breaks = _breaks(text)
    bounded = _names_stop_at_breaks(lex, extra) and _clause_words_hold_no_break()
    for pos in _clause_heads(text, lex, _CLAUSE_PAD):  # (一)、 各市州交通局…: a marker's stray comma or spaces before the subject
        has_modal = not bounded or _may_have_subject(text, pos, breaks, lex)
        later = None
        if not (has_modal and bounded):
            k = bisect_left(breaks, pos)  # a clause ending in a time phrase (…起,): most end otherwise
            if k < len(breaks) and text[breaks[k] - 1] in _clause().time_end_chars:
                later = _modal_after_time(text, pos, breaks)
        if not has_modal and later is None:
            continue
        items = _list_forward(text, pos, lex, extra)
        if not items or (items[0][0], items[-1][1]) in known or any(i in known for i in items):
            continue
        end = items[-1][1]
        clause_end = _next_break(text, end)
        modal = lex.modal.search(text, end, clause_end)
        if modal is None and later is not None and _clause().time_gap.fullmatch(text, end, clause_end):
            # 各市州交通局从2月3日起,每天下午4点前,要…: a time phrase, then the subject's modal
            for start, stop_ in items:
                mentions.append((start, stop_, "unspecified", "subject:time", 0.7))
            continue
        if modal is None and text.startswith(_clause().copulas, end):
            # 各乡镇党委书记是乡村振兴的"一线总指挥",要把主要精力…: the subject governs the next clause
            nxt = _clause().is_then_modal.match(text, clause_end)
            if nxt is not None:
                for start, stop_ in items:
                    mentions.append((start, stop_, "unspecified", f"subject:{_clause().copulas[0]}", 0.7))
            continue
        if modal is None:
            continue
        # 各级指挥部门对堤防隐患…的落实情况要…: a 对-phrase between the subject and its modal may be long and hold 的
        topic = text.startswith(_clause().topic_prep, end)
        if modal.start() - end > (_TOPIC_GAP_MAX if topic else _GAP_MAX):
            continue
        gap = text[end : modal.start()]
        if (not topic and _clause().possessive in gap) or lex.receiver_after.match(text, end) or _party_inside(gap, lex, extra):
            continue
        if any(verb in gap for verb in _clause().source_verbs):
            continue  # 省委、省政府提出要…: who demands, not who acts
        if _clause().works_after_deng.match(gap):
            continue  # 滨江实验学校等6个续建项目要…: the subject is the projects, the school only names one
        if gap and all(_is_name_char(ch) for ch in gap) and not gap.endswith(_cue_adverbs()) and _generic_noun(text[items[-1][0] : modal.start()], lex):
            items = [*items[:-1], (items[-1][0], modal.start())]  # 全校师生要…: the party opens a longer noun
        for start, stop_ in items:
            mentions.append((start, stop_, "unspecified", "subject", 0.7))
    return mentions




@cache
def _ends_inside() -> frozenset[str]:
    """Words a name cannot end inside (各项目|标): ``owners.toml``'s ``ends_inside``."""
    return frozenset(load_toml("owners")["clause"]["ends_inside"])


@cache
def _cue_adverbs() -> tuple[str, ...]:
    """The adverbs a subject's modal may follow (中层干部全部要…): a gap ending in one is no noun."""
    return tuple(load_toml("owners")["cues"]["adverbs"])


_DUTY_SEPARATORS = frozenset(",:")


def _duty_line_mentions(text: str, lex: Lexicon, extra: Mapping[str, str], known: list[Mention]) -> list[Mention]:
    """A duty line of a division of work: ``县财政局:负责资金保障…``, ``各包村干部、村干部,负责组织…``.
    The parties open the clause and the next clause opens with a lead or support verb."""
    mentions: list[Mention] = []
    if lex is lexicon() and not _can("duty", text):
        return mentions
    breaks = _breaks(text)
    for k, sep in enumerate(breaks):
        if text[sep] not in _DUTY_SEPARATORS:
            continue
        follow = lex.after_cue.match(text, sep + 1)
        if follow is None or follow.start() != sep + 1 or follow.lastgroup not in ("lead", "support"):
            continue
        clause_start = _clause_heads(text, lex, _SPACES)[k]  # past spaces, a connector and an item's marker (一、县财政局:负责…)
        items = _list_forward(text, clause_start, lex, extra) or _anchored_free(text, clause_start, lex)
        if items and items[-1][1] != sep and text.startswith(_clause().copulas, items[-1][1]):
            sep = items[-1][1]  # 办公室设在县应急局,负责日常工作: the subject's copula clause, then its duty
        if not items or items[-1][1] != sep:
            items = _open_items(text, clause_start, sep, lex)  # 各包村干部、村干部,负责…
        if not items or items[-1][1] != sep or any(s < items[-1][1] and items[0][0] < e for s, e, *_ in known):
            continue
        role = _role_of(follow, text)
        for start, end in items:
            mentions.append((start, end, role, f"duty:{follow.group(0)}", 0.8))
    return mentions


# Where an open list may start: the text's start, or right after a sentence break or a comma, with the
# clause's first 、 at most _OPEN_FIRST_MAX characters on and no clause break before it.
_OPEN_LIST_START = re.compile(f"(?:^|(?<=[;。!?\\n,]))(?=[^{_BREAK_CHARS}、]{{0,{_OPEN_FIRST_MAX}}}、)")


def _open_list_mentions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[Mention]:
    """``对外合作交流处、实验中心、…、制药厂做好考察准备工作``: a clause that opens with a 、-list of
    at least three short names closed by a cue verb names a party in every item, known to the
    lexicon or not, when the lexicon knows at least one of them (a list of verb phrases, 调结构、
    稳增长、促民生, holds none)."""
    mentions: list[Mention] = []
    if text.count("、") < _OPEN_MIN_ITEMS - 1:
        return mentions
    # One scan finds the clauses whose first 、 comes early: after a sentence break, or after a comma too
    # (三是要配合到位,政教处、总务处、…做好配合) unless a preposition opens the list as the object of the
    # clause before (…要会同县商务局,对商场、学校、养老机构等开展检查).
    for opening in _OPEN_LIST_START.finditer(text):
        clause_start = opening.start()
        first = text.find("、", clause_start)
        if clause_start and text[clause_start - 1] == "," and (text[clause_start] in _clause().list_preps or text[first - 1] not in _shipped_stack_ends()):
            continue  # after a comma, the first item must end like a unit or a person does (not 调结构、稳增长)
        clause_end = _next_break(text, clause_start)
        if text.count("、", first, clause_end) < _OPEN_MIN_ITEMS - 1:
            continue
        items = _open_list(text, clause_start, clause_end, lex)
        if len(items) < _OPEN_MIN_ITEMS:
            continue
        a, b = items[0]
        cue = lex.before_cue.match(text, a, b)
        if cue is not None and _party_starting_at(text, cue.end(), lex, extra) == b:
            items[0] = (cue.end(), b)  # 督促县财政局、…: the verb before the first item is no part of it
        if not any(_is_party(lex, text[a:b], extra) or _is_free_organ(lex, text, a, b) for a, b in items):
            continue
        follow = lex.after_cue.match(text, items[-1][1])
        role = _role_of(follow, text) if follow else "unspecified"
        for a, b in items:
            mentions.append((a, b, role, "subject:list", 0.7))
    return mentions


_TRAILER_MARK = "("
# A parenthesis that opens a sentence, or follows the end of one: where a requirement's trailer of
# responsible units stands (…落实监管责任。(市政府办公室、市发展改革委)).
_TRAILER_OPEN = re.compile(r"(?:^|(?<=[。;!?\n]))[ \u3000]*\(")


def _trailer_mentions(text: str, lex: Lexicon, extra: Mapping[str, str], known: list[Mention]) -> list[Mention]:
    """``…同步落实监管责任。(市政府办公室、市发展改革委)``: a parenthesis after a requirement that
    holds nothing but a list of parties names the units responsible for it, as a labelled trailer
    does; the excerpt may cut it off mid-list (``(市政府办公室、市``), its last item unread. One name
    alone in parentheses (``(办公室)``) is as often a note, and a list sent to is no trailer."""
    mentions: list[Mention] = []
    for m in _TRAILER_OPEN.finditer(text):
        items = _list_forward(text, m.end(), lex, extra)
        if not items or any(s < items[-1][1] and items[0][0] < e for s, e, *_ in known):
            continue
        end = items[-1][1]
        cut = end < len(text) and text[end] != ")"
        if cut:
            sep = _separator_starting_at(text, end)
            if sep is None or _next_break(text, end) != len(text) or len(text) - end - len(sep) >= _OPEN_ITEM_MAX or ")" in text[end:]:
                continue  # not a list of parties alone, nor one the excerpt cut off
        if len(items) < 2 and not cut:
            continue  # (办公室): one name in parentheses is as often a note on who speaks or writes
        a, b = items[0]
        if any(lex.receiver_before.search(text, a, k) for k in range(a + 1, b)):
            continue  # (此件发至各中小学校、幼儿园): where the text is sent, not who acts
        mentions += [(a, b, "unspecified", "trailer", 0.7) for a, b in items]
    return mentions


_CELL_RULE = "|"
_TABLE_MIN_RULES = 3
_TASK_CELL_MIN = 8  # a row that assigns work describes it in a cell of some length
# A line holding one cell: its text, then the rule that closes it.
_CELL_LINE = re.compile(r"\s*(?P<cell>[^|\s][^|\n]{0,40}?)\s*\|\s*")
# A cell of a table row: the text between two rules.
_CELL = re.compile(r"\|(?P<cell>[^|\n]{2,60})(?=\|)")


def _table_cell_mentions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[Mention]:
    """``|扎实做好疫苗信息公开工作|疾控处|长期推进|``: in a row of a division-of-work table, a cell
    that holds nothing but parties (a parenthesised short name after the last one aside) is the
    row's responsible-unit column, and a cell opening with a list of at least three units closed by
    a verb (``应急处、监督处、疾控处等按职责分工落实``) names them as an open list does. A row of
    names and scores (``|县财政局|95分|``) describes no work: the row needs a long cell beside."""
    mentions: list[Mention] = []
    if text.count(_CELL_RULE) < _TABLE_MIN_RULES:
        # a row broken over lines (|…落地见效。|\n招商工作部、安商工作部|\n): a line that is nothing
        # but parties closed by a rule is the row's responsible-unit cell
        line = _CELL_LINE.fullmatch(text)
        if line is not None:
            a, b = line.span("cell")
            items = _list_forward(text, a, lex, extra)
            if items and items[-1][1] == b:
                mentions += [(s, e, "unspecified", "table:line", 0.6) for s, e in items]
        return mentions
    cells = []
    for m in _CELL.finditer(text):
        a, b = m.start("cell"), m.end("cell")
        while a < b and text[a] in " \u3000":
            a += 1
        while b > a and text[b - 1] in " \u3000":
            b -= 1
        if b > a:
            cells.append((a, b))
    # the task's own cell may open the text (a directive's body starts after its number's cell)
    if not cells or max(cells[0][0] - 1, *(b - a for a, b in cells)) < _TASK_CELL_MIN:
        return mentions
    for a, b in cells:
        joint = _cell_joint(text, a, b, lex)
        if joint is not None:  # |宣传处会办公室|: 会 for 会同 in a cell short of room
            mentions += [(a, joint, "lead", "table:cell", 0.6), (joint + 1, b, "support", "table:cell", 0.6)]
            continue
        items = _list_forward(text, a, lex, extra)
        if items and (items[-1][1] == b or _clause().cell_note.fullmatch(text, items[-1][1], b)):
            mentions += [(s, e, "unspecified", "table:cell", 0.7) for s, e in items]
            continue
        if _cell_organ(text, a, b, lex):
            mentions.append((a, b, "unspecified", "table:cell", 0.6))  # |规划建设局|: the cell bounds the name
            continue
        items = _open_list(text, a, b, lex)
        if len(items) >= _OPEN_MIN_ITEMS and any(_is_party(lex, text[s:e], extra) or _is_free_organ(lex, text, s, e) for s, e in items):
            follow = lex.after_cue.match(text, items[-1][1])
            role = _role_of(follow, text) if follow else "unspecified"
            mentions += [(s, e, role, "table:list", 0.7) for s, e in items]
    return mentions


_CELL_ORGAN = (3, 12)


def _cell_joint(text: str, a: int, b: int, lex: Lexicon) -> int | None:
    """Where 会 stands for 会同 in a responsible-unit cell (``|宣传处会办公室|``): between two names that
    each end in an organ suffix, when 会 does not end a unit's own name (管委会, 居委会, 工会)."""
    g = _clause()
    k = text.find(g.joint_short, a + _MIN_NAME, b - _MIN_NAME)
    if k == -1 or not all(_is_name_char(ch) for ch in text[a:b]):
        return None
    left, right = text[a:k], text[k + 1 : b]
    if text[a : k + 1].endswith(g.organ_suffixes + g.collective_heads):
        return None
    return k if _named_organ(left) and (_named_organ(right) or right in g.organ_suffixes) else None


def _cell_organ(text: str, a: int, b: int, lex: Lexicon) -> bool:
    """A row's cell that is one unit's name the lexicon does not know (规划建设局, 安商服务中心): a short
    run of name characters ending in an organ suffix, its bounds set by the cell's rules."""
    name = text[a:b]
    return (
        _CELL_ORGAN[0] <= b - a <= _CELL_ORGAN[1]
        and all(_is_name_char(ch) for ch in name)
        and _named_organ(name)
        and name not in lex.not_parties
        and not _holds_verb(name)
    )


def _named_before_verb(text: str, start: int, lex: Lexicon) -> list[tuple[int, int]]:
    """``由消防安全责任人主持…``, ``由局党组追究…``: between 由 and a modal or work verb right after it,
    a noun the lexicon does not know is the party when it ends like a unit or a person does
    (``_generic_noun``): 由 fixes where the name starts, the verb where it ends."""
    for i in range(start + 2, min(len(text), start + _OPEN_ITEM_MAX) + 1):
        if _clause().open_item.match(text[start:i]) is None:
            return []
        if lex.after_cue.match(text, i) is not None:
            return [(start, i)] if _generic_noun(text[start:i], lex) else []
    return []


_AGENT_MAX = 8  # 由 + a noun the lexicon does not know: at most this long (安徽局党组, 部门领导)


def _agent_of_you(text: str, start: int, lex: Lexicon) -> list[tuple[int, int]]:
    """``由部门领导安排…``, ``由班长写出…``, ``由局党组追究…``: after 由, a noun the lexicon does not know
    that ends like a unit or a person does (``_generic_noun``) and is followed by a verb no lexicon
    lists is the agent of that verb. 由 fixes where the name starts; it ends at the longest such noun
    whose next character is no head character (局|党组: the name goes on), so the verb is not read
    into it. The caller still drops who heads or makes up a body (由…任组长, 由…组成)."""
    if text.startswith(_clause().pronoun, start):
        return []  # 由其指定人员参加: someone the text points back to, not a party it names
    hi = _next_break(text, start, min(len(text), start + _AGENT_MAX + 1))
    # the name ends before any verb the lexicon lists (由王军负责联系施工单位: not 王军负责联系施工)
    hi = next((i for i in range(start + 1, hi) if lex.after_cue.match(text, i)), hi)
    found = None
    g = _clause()
    for i in range(start + 2, hi):
        if not _is_name_char(text[i - 1]):
            break
        nxt = text[i]
        if text[i - 1] in g.generic_head and nxt not in g.generic_head and _is_name_char(nxt) and _generic_noun(text[start:i], lex):
            found = i
    if found is not None and text[found] in g.event_place:
        return []  # 由柳青医生于三楼进行讲课: who gives a scheduled talk, not a party told to act
    return [(start, found)] if found is not None else []


def _etc_list_mentions(text: str, lex: Lexicon, known: list[Mention]) -> list[Mention]:
    """``市场监管、公安、交通等有关部门要…``, ``要会同住建、税务等部门…``, ``由住建、规划等部门负责…``: short
    names listed before 等 and a category of units (部门, 单位, 机构) are units whatever the lexicon
    knows of them, when the list opens its clause before a verb or follows a cue (会同, 由, 请, 联合…).
    As for known members (``_members_before_deng``), the members are the owners, not the category.
    Returns ``known`` with the members added and a category read alone in their place dropped."""
    g = _clause()
    added: list[Mention] = []
    categories: set[tuple[int, int]] = set()
    for m in g.etc_list.finditer(text):
        a, stop = m.start("list"), m.end("list")
        first_end = text.find("、", a, stop)
        first_end = stop if first_end == -1 else first_end
        cue = None
        for c in _cue_scan().finditer(text, a, first_end):  # 会同住建、…: the cue read into the first name
            cue = c
        if cue is None and a > 0:
            cue = next((c for c in _cue_scan().finditer(text, max(0, a - 3), a) if c.end() == a), None)  # 由住建、…
        if cue is not None:
            a = cue.end()
            kind = cue.lastgroup or "owner"
            follow = None
        else:
            head = max((h for h in _clause_heads(text, lex, _CLAUSE_PAD) if h <= a), default=0)
            follow = lex.after_cue.match(text, m.end())
            if head != a or follow is None:
                continue  # not the clause's subject (对学校、医院等单位开展检查: an object)
            kind = ""
        if follow is None and not (m.end() == len(text) or text[m.end()] in _BREAK_CHARS or lex.after_cue.match(text, m.end())):
            continue  # 由宣传科、党政办公室等部门负责人…组成: the category opens a longer noun (its heads)
        if kind == "pivot" and lex.after_cue.match(text, m.end()) is None:
            continue
        items = [(p.start() + a, p.end() + a) for p in re.finditer("[^、]+", text[a:stop])]
        if not items or any(
            not (_MIN_NAME <= e - s <= _ETC_ITEM_MAX) or text.startswith(g.generic_stops, s) or _holds_verb(text[s:e]) for s, e in items
        ):
            continue
        if (cue is None and _is_receiver(text, a, lex)) or any(ks < stop and a < ke for ks, ke, *_ in known):
            continue  # a receiver's list, or members another rule has read
        role: Role = {"lead": "lead", "support": "support"}.get(kind, "unspecified")  # type: ignore[assignment]
        if follow is not None:
            role = _role_of(follow, text)
        added += [(s, e, role, "etc:list", 0.6) for s, e in items]
        categories.add((stop + len(g.etc), m.end()))
    if not added:
        return known
    # the category read alone (有关部门要…) or with its qualifier names no one beside its members
    kept = [k for k in known if not any(cs <= k[0] and k[1] == ce for cs, ce in categories)]
    return kept + added


def _named_before_lead(text: str, start: int, lex: Lexicon) -> list[tuple[int, int]]:
    """``由保洁公司负责组织…``: between 由 and a lead or support verb, a short name ending like a
    person or a unit does is the party, known to the lexicon or not."""
    for i in range(start + 2, min(len(text), start + _OPEN_ITEM_MAX) + 1):
        if _clause().open_item.match(text[start:i]) is None:
            return []
        follow = lex.after_cue.match(text, i)
        if follow is not None and follow.lastgroup in ("lead", "support"):
            return [(start, i)] if text[i - 1] in _clause().generic_head and text[start:i] not in lex.not_parties else []
    return []


def _stacked_subject_mentions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[Mention]:
    """``全镇广大党员干部,特别是领导干部,必须…``, ``各级党组织和党员领导干部,部机关各司局要…``: clauses
    that open a sentence and hold nothing but parties, each ended by a comma, are subjects of the
    modal that follows them (opening the next clause, or right after that clause's own parties).
    A C-level scan finds the short comma-ended clauses that open a sentence; most sentences have none."""
    mentions: list[Mention] = []
    if lex is lexicon() and not _can("subject", text):
        return mentions
    ends = None
    for sentence_start in _sentence_starts(text):
        # a clause of two characters and its comma at least (half the starts: the end of the text, after its stop)
        opening = _STACK_OPENING.match(text, sentence_start) if len(text) - sentence_start >= 3 else None
        if opening is None:
            continue
        ends = ends or (_shipped_stack_ends() if lex is lexicon() else lex.end_chars | _clause().generic_head)
        chain: list[tuple[int, int]] = []
        start, stop = opening.start("clause"), opening.end("clause")
        while text[stop - 1] in ends and len(chain) < _STACK_MAX:
            chain.append((start, stop))
            if _clause().is_then_modal.match(text, stop) or _own_parties_then_modal(text, stop + 1, lex, extra):
                stack = [item for a, b in chain for item in _whole_clause_parties(text, a, b, lex, extra) or [(-1, -1)]]
                if (-1, -1) not in stack:
                    mentions += [(a, b, "unspecified", "subject:stacked", 0.6) for a, b in stack]
                break
            nxt = _STACK_NEXT.match(text, stop + 1)
            if nxt is None:
                break
            start, stop = nxt.start("clause"), nxt.end("clause")
    return mentions


@cache
def _shipped_stack_ends() -> frozenset[str]:
    """The last characters of a party, known or not (the shipped lexicon's, built once)."""
    return lexicon().end_chars | _clause().generic_head


def _own_parties_then_modal(text: str, start: int, lex: Lexicon, extra: Mapping[str, str]) -> bool:
    """Whether the clause at ``start`` opens with parties right before a modal (部机关各司局要…)."""
    if lex.modal.search(text, start, start + _MAX_PARTY) is None:
        return False
    after = _list_forward(text, start, lex, extra)
    follow = lex.after_cue.match(text, after[-1][1]) if after else None
    return follow is not None and follow.lastgroup == "modal"


def _whole_clause_parties(text: str, start: int, stop: int, lex: Lexicon, extra: Mapping[str, str]) -> list[tuple[int, int]]:
    """The parties of a clause that holds nothing else (after an opening connector), or ``[]``."""
    while start < stop and text[start] in " \u3000":
        start += 1
    conn = _connector(text, start, stop, lex)
    if conn:
        start = conn.end()
    if stop - start < _MIN_NAME:
        return []
    items = _list_forward(text, start, lex, extra)
    if items and items[-1][1] == stop:
        return items
    np = text[start:stop]  # 领导干部: one noun the lexicon does not know, ending like a party does
    ok = len(np) <= _GENERIC_NP_MAX and all(_is_name_char(ch) for ch in np) and _generic_noun(np, lex)
    return [(start, stop)] if ok else []


def _open_items(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """``各包村干部、村干部,负责…``: a clause that is nothing but a 、-list of short names ending like
    a person or a unit does (the duty line's verb after the break says what they are), or ``[]``."""
    conn = _connector(text, start, end, lex)
    if conn:
        start = conn.end()
    items: list[tuple[int, int]] = []
    for m in re.finditer("[^、]+", text[start:end]):
        part = _clause().open_item.match(m.group())
        if part is None or len(part.group()) != len(m.group()) or not _generic_noun(m.group(), lex):
            return []  # each a noun ending like a unit or a person does (组长, 科, 委员会)
        items.append((start + m.start(), start + m.end()))
    return items


def _open_list(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """The items of a 、-list from ``start`` whose last item runs into a cue verb before ``end``,
    or ``[]``. A one-character first part is the clause's marker (二、) and is skipped."""
    while start < end and text[start] in " \u3000":
        start += 1
    conn = _connector(text, start, end, lex)
    if conn:
        start = conn.end()
    items: list[tuple[int, int]] = []
    a = start
    while a < end:
        b = text.find("、", a, end)
        if b == -1:
            break
        m = _clause().open_item.match(text[a:b])
        if m is not None:
            items.append((a, a + len(m.group(0))))
        elif not (b - a == 1 and not items):
            return []
        a = b + 1
    # the last item: a name right before a cue verb
    for i in range(a + 2, min(end, a + _OPEN_ITEM_MAX) + 1):
        if _clause().open_item.match(text[a:i]) is None:
            return []
        follow = lex.after_cue.match(text, i)
        if follow is not None and text[i - 1] not in _clause().open_last_not_end:
            return [*items, (a, i)]
        if text.startswith(_clause().etc, i) and any(lex.after_cue.match(text, j) for j in range(i + 1, min(end, i + _ETC_TAIL) + 1)):
            return [*items, (a, i)]  # 保卫处等部门做好: the members listed before 等
    return []


_TIME_CLAUSES = 2


def _modal_after_time(text: str, pos: int, breaks: Sequence[int]) -> int | None:
    """Where the modal clause starts when the clause from ``pos`` ends in a time phrase and at
    most one more time clause lies before a clause opening with a modal (``…从2月3日起,每天
    下午4点前,要…``), else None."""
    k = bisect_left(breaks, pos)
    ends = _clause().time_ends
    if k >= len(breaks) or text[breaks[k] - 1] not in _clause().time_end_chars:
        return None  # most clauses: one look at the character before the break
    for _ in range(_TIME_CLAUSES):
        if k >= len(breaks) or not text.endswith(ends, pos, breaks[k]):
            return None
        stop = breaks[k]
        if _clause().is_then_modal.match(text, stop):
            return stop
        pos, k = stop + 1, k + 1
        if not _clause().time_clause.fullmatch(text, pos, breaks[k] if k < len(breaks) else len(text)):
            return None
    return None


@cache
def _clause_words_hold_no_break() -> bool:
    """Copulas and list separators hold no clause break, so a subject's list and its copula lie before it."""
    return not any(_CLAUSE_BREAK.search(w) for w in (*_clause().copulas, *_clause().separators))


def _may_have_subject(text: str, pos: int, breaks: Sequence[int], lex: Lexicon) -> bool:
    """Whether the clause from ``pos`` holds a modal or a copula, without which it has no subject
    mention. Exact when no name crosses a clause break: the parties then end before the
    break, and the modal or copula a subject needs lies between them and it."""
    k = bisect_left(breaks, pos)
    stop = breaks[k] if k < len(breaks) else len(text)
    scan = _shipped_modal_or_copula() if lex is lexicon() else _modal_or_copula(lex.modal, _clause().copulas)
    return scan.search(text, pos, stop) is not None


# A compiled pattern is hashed anew on every use as a key (CPython hashes its whole pattern string and
# code each time: ≈ 10k instructions for the modal and cue patterns), so the shipped lexicon's derived
# patterns are kept by caches without arguments, not looked up by their patterns.
@cache
def _shipped_modal_or_copula() -> re.Pattern[str]:
    return _modal_or_copula(lexicon().modal, _clause().copulas)


@cache
def _shipped_cue_after_name_end() -> re.Pattern[str]:
    lex = lexicon()
    return _cue_after_name_end(lex.after_cue, lex.end_chars)


@lru_cache(maxsize=16)
def _modal_or_copula(modal: re.Pattern[str], copulas: tuple[str, ...]) -> re.Pattern[str]:
    """One search for ``modal.search(text, pos, stop) or any(copula in text[pos:stop])``: a match of
    either alternative inside the window exists exactly when one of the two does.

    The modal's own alternation (``(?:要(?!…)|必须|…)``, as ``lexicon._alt`` writes it) is joined
    without its group: nested, its branch hid the words' first characters from ``re``, which then
    tried the pattern at every character instead of skipping to the next character that can start
    one (only whether it finds something is asked, so the order of the branches is free)."""
    inner = modal.pattern[3:-1] if modal.pattern.startswith("(?:") and modal.pattern.endswith(")") else None
    if inner is not None:
        try:  # the outer group spans the whole pattern exactly when the rest is balanced on its own
            re.compile(inner, modal.flags)
        except re.error:
            inner = None
    return re.compile("|".join([inner if inner is not None else f"(?:{modal.pattern})", *map(re.escape, copulas)]), modal.flags)


def _generic_subject_mentions(text: str, lex: Lexicon, known: list[Mention]) -> list[Mention]:
    """A clause's subject the lexicon does not know, right before its modal: ``评建办要…``,
    ``共青团组织要…``, ``各教研组要…``. Only where no other rule found a party in the clause, and
    only a short noun phrase ending like a person or a unit does (人员, 书记, 村, 队, 院…)."""
    mentions: list[Mention] = []
    if lex is lexicon() and not _can("generic", text):
        return mentions
    for pos in _clause_heads(text, lex, _SPACES):
        found = _generic_subject_at(text, pos, lex, known)
        mentions += found if found is not None else _modified_subject(text, pos, lex, known)
    return mentions


def _generic_subject_at(text: str, pos: int, lex: Lexicon, known: list[Mention]) -> list[Mention] | None:
    """The unknown subject of the clause at ``pos``, ``[]`` when another rule read it, None when there is none."""
    if pos >= len(text):
        return None  # the head after a sentence's last break: no clause (a quarter of the calls, without re)
    m = _clause().generic_subject.match(text, pos)
    if m is None:
        return None
    start, end = m.start("np"), m.end("np")
    if any(s < end and start < e for s, e, *_ in known):
        return []
    if _is_receiver(text, start, lex):
        return None
    if m.group("act") and not m.group("np").endswith(_clause().collective_heads) and not _each_noun(_bare_head(m.group("np")), lex):
        return None  # 引导群众做好…: a verb and its object (not 各院(系、部)做好…, 各处室做好…: 各 picks out units)
    if m.group("act") and (_done(text, m.end("act"), start) or _after_topic(text, start)):
        return None  # as for a known party: a report of work done, or the object of a 对-phrase
    # 年轻干部和老干部协同配合: two such nouns joined by 和/及/与/、 are two parties
    parts = [(start + p.start(), start + p.end()) for p in _clause().joined_part.finditer(m.group("np"))]
    if len(parts) > 2 or not all(_generic_noun(text[a:b], lex) for a, b in parts):
        return None
    return [(a, b, "unspecified", "subject:generic", 0.5) for a, b in parts]


_DIGIT_MARKER = re.compile(r"\d{1,2}[.、]\s*")
_MODIFIER_MAX = 20  # a list item's number, then a 的-modifier of at most 15 characters
_MODIFIED_HEAD_MAX = 16  # the head noun (at most 12), a comma and an adverb, then the modal


def _modified_subject(text: str, pos: int, lex: Lexicon, known: list[Mention]) -> list[Mention]:
    """``参加总值班的人员要…``, ``尚未通过验收的县要…``: a clause that opens with a 的-modifier and a
    noun ending like a person or a unit does, right before a modal, names that noun with its modifier
    (the first of two joined by 和/、: ``各联系点的市级领导和部门负责人必须…``)."""
    g = _clause()
    k = text.find(g.possessive, pos, pos + _MODIFIER_MAX)
    if k == -1 or g.modal_chars.search(text, k + 1, k + _MODIFIED_HEAD_MAX) is None:
        return []  # most clauses: no 的 near their start, or no modal near it
    marker = _DIGIT_MARKER.match(text, pos)  # 2.各联系点的市级领导…: a list item's number before the clause
    m = g.modified_subject.match(text, marker.end() if marker else pos)
    if m is None or m.group("mod").startswith(g.generic_stops) or _holds_verb(m.group("head")):
        return []
    start, end = m.start("mod"), m.end("head")
    if any(s < end and start < e for s, e, *_ in known) or _is_receiver(text, start, lex):
        return []
    head = m.start("head")
    parts = [(head + p.start(), head + p.end()) for p in g.joined_part.finditer(m.group("head"))]
    if len(parts) > 2 or not all(_generic_noun(text[a:b], lex) for a, b in parts):
        return []
    return [(start if k == 0 else a, b, "unspecified", "subject:modified", 0.5) for k, (a, b) in enumerate(parts)]


def _listed_subject_mentions(text: str, lex: Lexicon, extra: Mapping[str, str], known: list[Mention]) -> list[Mention]:
    """A clause that opens with nothing but a list of parties right before its modal names every
    item, known to the lexicon or not: ``各指挥部、各大垸要…``, ``街道领导班子成员、各社区主官要…``.
    An item is a known party, a noun ending like a unit or person does, a bare head (村, 部门) or
    各 + a short noun (各系, 各口); a list needs one of the first three kinds, and a lone
    各-noun stands on its own (``各片总支要…``): 各 before a modal picks out units, not topics
    (各项工作 and the like are the grammar's stop words).

    One C-level scan finds the modals; from each, the reversed text is matched back to the clause
    start by one character class (no particle, preposition or modal), so a clause costs a match
    per modal, not a lazy scan from every clause start."""
    mentions: list[Mention] = []
    g = _clause()
    if g.each not in text and g.list_mark not in text:
        return mentions  # neither 各 nor a 、-list: the other subject rules have read the clause
    rev = ""
    for modal in g.listed_modal.finditer(text, 2):
        b = modal.start()
        if text[b - 1] in g.listed_adverbs:
            b -= 1
        rev = rev or text[::-1]
        run = g.listed_back.match(rev, len(text) - b)
        if run is None:
            continue
        a = len(text) - run.end("run")
        while text[a] in _CLAUSE_PAD:
            a += 1  # (一)、 各市州交通局…: a marker's stray comma or spaces before the subject
        if text[b - 1] in g.open_last_not_end:
            continue  # 各乡镇主要负责同志: the 要 of 主要, 重要, 需要, 只要
        conn = _connector(text, a, b, lex)
        if conn:
            a = conn.end()
        if b - a < 2:
            continue
        if text[a] != g.each and g.list_mark not in text[a:b]:
            continue  # one name alone: the subject rules have read it already, unless it opens with 各
        parts = [(a + p.start(), a + p.end()) for p in g.joined_part.finditer(text[a:b])]
        if not parts or len(parts) > _LISTED_ITEMS_MAX:
            continue
        spans = {(s, e) for s, e, *_ in known}
        if all(p in spans for p in parts) or any(s < b and a < e and (s, e) not in parts for s, e in spans):
            continue  # another rule read the run already, or otherwise
        kinds: list[str | None]
        if len(parts) == 1:
            kinds = ["each" if _each_noun(text[a:b], lex) else None]
        else:
            kinds = [_listed_kind(text, s, e, lex, extra) for s, e in parts]
        if None in kinds or (len(parts) > 1 and kinds.count("each") == len(parts)) or _is_receiver(text, a, lex):
            continue
        mentions += [(s, e, "unspecified", "subject:listed", 0.6) for s, e in parts if (s, e) not in spans]
    return mentions


def _han_class_without(chars: str, extra: str) -> str:
    """A character class of the Han block without ``chars``, plus ``extra``: one plain class of
    ranges, which ``re`` tests per character without an alternation."""
    ranges, lo = [], 0x4E00
    for cp in sorted({ord(ch) for ch in chars if 0x4E00 <= ord(ch) <= 0x9FFF}):
        if cp > lo:
            ranges.append(f"\\u{lo:04x}-\\u{cp - 1:04x}")
        lo = cp + 1
    ranges.append(f"\\u{lo:04x}-\\u9fff")
    return "[" + "".join(ranges) + re.escape(extra) + "]"


def _listed_kind(text: str, start: int, end: int, lex: Lexicon, extra: Mapping[str, str]) -> str | None:
    """What makes ``text[start:end]`` a list item of ``_listed_subject_mentions``, or None."""
    name = text[start:end]
    known = _party_starting_at(text, start, lex, extra)
    if known == end:
        return "party"
    if known is not None and _people_of(text, known, end):
        return "party"  # 街道党政领导班子成员, 保卫处工作人员: a party's own people
    if name in _clause().bare_items:
        return "bare"
    if not all(_is_name_char(ch) or ch in "()" for ch in name):
        return None
    if end - start <= _GENERIC_NP_MAX and _generic_noun(name, lex):
        return "generic"
    return "each" if _each_noun(name, lex) else None


def _people_of(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, right after a party's name, is a short noun naming its people or
    members (成员, 工作人员, 负责人): name characters only, ending like a person or a unit does."""
    tail = text[start:end]
    return (
        _MIN_NAME <= end - start <= _GENERIC_ITEM_MAX
        and all(_is_name_char(ch) for ch in tail)
        and tail[-1] in _clause().generic_head
        and not _holds_verb(tail)
    )


def _each_noun(name: str, lex: Lexicon) -> bool:
    """各 + one to four name characters that pick out units (各系, 各片总支), not kinds or topics."""
    g = _clause()
    return (
        name.startswith(g.each)
        and _EACH_ITEM[0] <= len(name) <= _EACH_ITEM[1]
        and all(_is_name_char(ch) for ch in name)
        and not name.startswith(g.generic_stops)
        and not name.startswith(g.each_stops)
        and not _holds_verb(name)
        and name not in lex.not_parties
    )


def _anchored_free(text: str, start: int, lex: Lexicon) -> list[tuple[int, int]]:
    """A level-less name (社区居委会, 派出所) right after a lead/support cue, which bounds it."""
    last = _free_organ_last_chars(lex)
    hi = _next_break(text, start, min(len(text), start + _MAX_PARTY))
    # the name ends where its verb begins: 由办公室负责抓好综合督办 names 办公室, not …督办
    verb = next((i for i in range(start + 2, hi) if lex.after_cue.match(text, i)), hi)
    for end in range(verb, start + 1, -1):
        if (last is None or text[end - 1] in last) and _names_free_organ(text[start:end]):
            return [(start, end)]
    return []


def _bare_after_request(text: str, start: int, lex: Lexicon, extra: Mapping[str, str]) -> list[tuple[int, int]]:
    """``希望科室继续…``, ``请社区做好…``: a bare head (科室, 社区, 部门) right after a request names the
    party asked, unless it opens a longer noun (社区医院, 部门负责人: a head character, or a party, after it)."""
    g = _clause()
    for word in g.bare_items:
        end = start + len(word)
        if text.startswith(word, start) and end < len(text) and _is_name_char(text[end]):
            if _party_starting_at(text, start, lex, extra) not in (None, end):
                return []
            k = end  # the noun goes on to a head character before its verb: 部门负责人, 社区医院
            while k < len(text) and k - end < _GENERIC_ITEM_MAX and _is_name_char(text[k]) and not lex.after_cue.match(text, k):
                if text[k] in g.generic_head:
                    return []
                k += 1
            return [(start, end)]
    return []


@cache
def _request_cues() -> frozenset[str]:
    """The cues that ask a party directly (请, 希望), as ``owners.toml`` lists them."""
    return frozenset(load_toml("owners")["clause"]["request_cues"])


def _list_goes_on(text: str, items: list[tuple[int, int]], lex: Lexicon, extra: Mapping[str, str]) -> list[tuple[int, int]]:
    """``items`` and the parties joined after its last one (``请教研室和办公室…``, ``由教务处、办公室…``)."""
    if not items:
        return items
    sep = _separator_starting_at(text, items[-1][1])
    if sep is None:
        return items
    return [*items, *_list_forward(text, items[-1][1] + len(sep), lex, extra)]


def _verb_then_party(text: str, follow: re.Match[str], lex: Lexicon, extra: Mapping[str, str]) -> bool:
    """``县消防救援大队会同县市场监管局``: 会同/牵头/配合 followed by a party is a cue, not a name's middle."""
    if follow.lastgroup not in ("lead", "support"):
        return False
    return _party_starting_at(text, follow.end(), lex, extra) is not None


def _members_before_deng(text: str, end: int, lex: Lexicon, extra: Mapping[str, str]) -> list[tuple[int, int]]:
    """``县农商银行等金融机构要…``, ``学校、敬老院、卫生院等人员密集场所要…``: the members
    listed before 等 (ending at ``end``) are the owners, not the category after it."""
    if _clause().etc not in text[max(0, end - 9) : end]:
        return []
    m = _clause().deng.search(text, max(0, end - 9), end)
    return _list_backward(text, m.start(), lex, extra) if m else []


def _role_of(follow: re.Match[str], text: str) -> Role:
    """Role from the verb after a party; a modal looks one step further (``要牵头``, ``要配合``)."""
    kind = follow.lastgroup
    if kind == "lead":
        return "lead"
    if kind == "support":
        return "support"
    if kind == "modal":
        nxt = lexicon().after_cue.match(text, follow.end())
        if nxt and nxt.lastgroup in ("lead", "support") and nxt.start() == follow.end():
            return "lead" if nxt.lastgroup == "lead" else "support"
    return "unspecified"


def _cue_positions(text: str, lex: Lexicon, extra: Mapping[str, str]) -> list[int]:
    """Where a cue verb (要, 牵头, 配合…) starts right after a character a name can end with, or
    after a document alias: one C-level scan for the first, a ``find`` per alias for the second."""
    scan = _shipped_cue_after_name_end() if lex is lexicon() else _cue_after_name_end(lex.after_cue, lex.end_chars)
    positions = [m.end() for m in scan.finditer(text)]
    if extra:
        cue = _starts_of(lex.after_cue)
        ends = {i + len(alias) for alias in extra for i in _occurrences(text, alias)}
        if "" in extra:  # an empty alias ends everywhere
            ends = set(range(len(text)))
        positions = sorted({*positions, *(e for e in ends if e >= 1 and cue.match(text, e))})
    return [pos for pos in positions if pos < len(text)]


@lru_cache(maxsize=16)
def _cue_after_name_end(after_cue: re.Pattern[str], end_chars: frozenset[str]) -> re.Pattern[str]:
    """A name's last character followed by where ``after_cue`` matches (局要, X要): each match is
    that one character, so ``m.end()`` is the cue's position. Opening on a character class lets
    ``re`` skip in C to the next such character instead of trying a lookbehind at every position;
    matches of one character never overlap, so every position is still seen."""
    chars = "".join(re.escape(ch) for ch in sorted(end_chars | {"X", "x", "*"}))
    return re.compile(f"[{chars}](?={after_cue.pattern})", after_cue.flags)


def _occurrences(text: str, word: str) -> list[int]:
    """Start of every occurrence of ``word``, overlapping ones included."""
    found: list[int] = []
    i = text.find(word) if word else -1
    while i != -1:
        found.append(i)
        i = text.find(word, i + 1)
    return found


def _party_ending_at(text: str, end: int, lex: Lexicon, extra: Mapping[str, str] | None) -> int | None:
    """Start of the longest party name ending at ``end`` (grammar before free organs), or None."""
    lo = max(0, end - _MAX_PARTY)
    if end <= 0:
        return None
    if _names_stop_at_breaks(lex, extra):
        lo = _after_last_break(text, lo, end)
    last = _party_last_chars(lex, extra)
    if last is None or text[end - 1] in last:
        if not extra and lex is lexicon():  # _is_party's shipped case, without a call per start
            first = _shipped_party_first()[text[end - 1]]
            for start in range(lo, end):
                if (first is None or text[start] in first) and _names_party(text[start:end]):
                    return start
        else:
            for start in range(lo, end):
                if _is_party(lex, text[start:end], extra):
                    return start
    last = _free_organ_last_chars(lex)
    if last is None or text[end - 1] in last:
        for start in range(lo, end):
            if _is_free_organ(lex, text, start, end):
                return start
    return None


def _party_starting_at(text: str, start: int, lex: Lexicon, extra: Mapping[str, str] | None) -> int | None:
    """End of the longest party name starting at ``start`` (grammar before free organs), or None."""
    if not extra and lex is lexicon():
        return _shipped_party_starting_at(text, start)
    return _party_starting_at_of(text, start, lex, extra)


@lru_cache(maxsize=1 << 10)
def _shipped_party_starting_at(text: str, start: int) -> int | None:
    """The rules ask for the party at the same place of a sentence again (a clause's subject, a
    duty line's, a stacked clause's); with the shipped lexicon and no document aliases the answer
    depends on the text and place alone. A few sentences' worth is kept: a bulk run moves on."""
    return _party_starting_at_of(text, start, lexicon(), None)


def _party_starting_at_of(text: str, start: int, lex: Lexicon, extra: Mapping[str, str] | None) -> int | None:
    """``_party_starting_at`` itself; the shipped lexicon without aliases asks ``_names_party`` directly."""
    hi = min(len(text), start + _MAX_PARTY)
    if _names_stop_at_breaks(lex, extra):
        hi = _next_break(text, start, hi)
    if not extra and lex is lexicon():
        ends = _ends_in(text, start, hi, _party_last_chars(lex, extra))
        if ends:
            lasts = _shipped_lasts_opened_by(text[start])  # the last characters of names that can open here
            for end in ends:
                if text[end - 1] in lasts and _names_party(text[start:end]):
                    return end
    else:
        for end in _ends_in(text, start, hi, _party_last_chars(lex, extra)):
            if _is_party(lex, text[start:end], extra):
                return end
    if lex is lexicon() and not _free_start(text, start, lex):
        return None  # a level-less name must open a clause or list item
    for end in _ends_in(text, start, hi, _free_organ_last_chars(lex)):
        if _is_free_organ(lex, text, start, end):
            return end
    return None


def _ends_in(text: str, start: int, hi: int, last: frozenset[str] | None) -> list[int]:
    """The ends ``hi, hi - 1, …, start + 1`` of spans from ``start`` whose last character is in
    ``last`` (every end when ``last`` is None), longest first: a slice of the text's ends."""
    if last is None:
        return list(range(hi, start, -1))
    ends = _ends_of(text, last)
    return ends[bisect_right(ends, start) : bisect_right(ends, hi)][::-1]


@lru_cache(maxsize=64)
def _ends_of(text: str, last: frozenset[str]) -> list[int]:
    """Every ``i + 1`` with ``text[i]`` in ``last``, ascending: one C-level scan per text (a
    sentence is asked for the names at many of its positions)."""
    if not last:
        return []
    return [m.end() for m in _one_of(last).finditer(text)]


@lru_cache(maxsize=64)
def _one_of(chars: frozenset[str]) -> re.Pattern[str]:
    """A character class of ``chars``: each match is one character, so ``finditer`` yields them all."""
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


# No name holds a clause break (县财政局, not 县财政局,要), so the spans tried for a name stop at the
# nearest break: for the shipped grammar tests/test_owners_fast_path.py checks that no character
# class of its compiled patterns admits one; names listed exactly and document aliases are checked here.
def _names_stop_at_breaks(lex: Lexicon, extra: Mapping[str, str] | None) -> bool:
    if lex is not lexicon() or not _shipped_names_stop_at_breaks():
        return False
    return not extra or not any(_CLAUSE_BREAK.search(alias) for alias in extra)


@cache
def _shipped_names_stop_at_breaks() -> bool:
    return not any(_CLAUSE_BREAK.search(name) for name in lexicon().exact)


# A name can only end in a character its grammar can end with (局, 办, 组, 同志's 志…):
# spans ending elsewhere are never handed to the regex. The sets come with the lexicon
# (``Lexicon.party_last``/``free_organ_last``, read off the lists the grammar is built from).
def _party_last_chars(lex: Lexicon, extra: Mapping[str, str] | None) -> frozenset[str] | None:
    if lex is not lexicon():
        return lex.party_last | {w[-1] for w in lex.exact | set(extra or ()) if w}
    shipped = _shipped_party_last_chars()
    if not extra:
        return shipped
    return shipped | {w[-1] for w in extra if w}


@cache
def _shipped_party_last_chars() -> frozenset[str]:
    lex = lexicon()
    return lex.party_last | {w[-1] for w in lex.exact if w}


# A name also starts only with a character its grammar can start with: 县/市 for a level, 各, 厅/局/委,
# a title's first character (any Han character for the few branches that open on a name character).
# The class of those characters per last character is read off the compiled branches by
# tools/derive_triggers.py (``party:<k>``'s ``first`` in data/pattern_triggers.json, digest-checked)
# and joined with the first characters of the names listed exactly; a last character with a branch
# whose class is unknown or stale gets None, and every start is tried there.
@cache
def _shipped_party_first() -> dict[str, frozenset[str] | None]:
    """For each last character of ``_shipped_party_last_chars``: the first characters of every shipped
    name ending in it (``lexicon().is_party`` without aliases), or None for no bound."""
    lex = lexicon()
    # read off the branches' texts: compiling them here would compile the branches no speech asks for
    firsts = source_first("owners", [(f"party:{k}", source) for k, source in enumerate(lex.party_sources)])
    by_branch = [_class_chars(firsts[f"party:{k}"]) for k in range(len(lex.party_sources))]
    exact_first: dict[str, set[str]] = {}
    for name in lex.exact:
        if name:
            exact_first.setdefault(name[-1], set()).add(name[0])
    out: dict[str, frozenset[str] | None] = {}
    for last in _shipped_party_last_chars():
        chars = [by_branch[k] for k in lex.party_index_by_last.get(last, ())]
        known = [c for c in chars if c is not None]
        out[last] = frozenset().union(*known, exact_first.get(last, ())) if len(known) == len(chars) else None
    return out


_CLASS_RANGE_MAX = 256  # a wider range (any Han character) bounds nothing worth a test


def _class_chars(body: str | None) -> frozenset[str] | None:
    """The characters of a class body as tools/derive_triggers.py writes it (characters, ``a-b``
    ranges, ``\\`` before ``\\]^-[``), or None: no body, a category (``\\d``), a wide range."""
    if not body:
        return None
    chars: set[str] = set()
    k, n = 0, len(body)

    def char_at(i: int) -> tuple[str, int] | None:
        if body[i] != "\\":
            return body[i], i + 1
        if i + 1 < n and body[i + 1] in "\\]^-[":
            return body[i + 1], i + 2
        return None  # a category or another escape

    while k < n:
        got = char_at(k)
        if got is None:
            return None
        first, k = got
        if k + 1 < n and body[k] == "-":
            got = char_at(k + 1)
            if got is None:
                return None
            last, k = got
            if ord(last) - ord(first) > _CLASS_RANGE_MAX:
                return None
            chars.update(map(chr, range(ord(first), ord(last) + 1)))
        else:
            chars.add(first)
    return frozenset(chars)


@lru_cache(maxsize=1 << 12)
def _shipped_lasts_opened_by(ch: str) -> frozenset[str]:
    """The last characters (of ``_shipped_party_last_chars``) whose names can start with ``ch``."""
    return frozenset(last for last, first in _shipped_party_first().items() if first is None or ch in first)


def _free_organ_last_chars(lex: Lexicon) -> frozenset[str] | None:
    return lex.free_organ_last


# The party grammar has no anchors or lookbehinds, so whether a span names a party
# depends on the span's characters alone: a name seen once (县财政局) is never parsed
# again. Document aliases are checked outside the cache, as Lexicon.is_party does.
@lru_cache(maxsize=1 << 17)
def _names_party(name: str) -> bool:
    return lexicon().is_party(name, 0, len(name))


@lru_cache(maxsize=1 << 17)
def _names_free_organ(name: str) -> bool:
    lex = lexicon()
    return (
        name not in lex.not_parties
        and bool(lex.free_organ.fullmatch(name))
        and not name.startswith(_clause().not_name_starts)
        and not name.startswith(lex.verb_starts)
    )


def _holds_verb(name: str) -> bool:
    """An unknown subject that holds a verb (会上强调进社区干部) is a clause, not a unit."""
    return any(word in name for word in _clause().not_name_words)


def _is_party(lex: Lexicon, name: str, extra: Mapping[str, str] | None) -> bool:
    """``lex.is_party`` of a span, memoised by its text (for the shipped lexicon)."""
    if lex is not lexicon():
        return lex.is_party(name, 0, len(name), extra)
    if extra and name in extra and name not in lex.not_parties:
        return True
    return _names_party(name)


def _is_free_organ(lex: Lexicon, text: str, start: int, end: int) -> bool:
    """``lex.is_free_organ`` with its grammar part memoised by the span's text."""
    if lex is not lexicon():
        return lex.is_free_organ(text, start, end)
    return _free_start(text, start, lex) and _names_free_organ(text[start:end])


def _free_start(text: str, start: int, lex: Lexicon) -> bool:
    """A name without a level opens a clause or a list item: after a boundary or 、,
    or after 和/及/与 that follows another name (镇司法所和派出所)."""
    ch = text[start - 1] if start else ""
    if not start or ch in BOUNDARY:
        return True
    g = _clause()
    if ch not in g.free_after:
        return False  # most spans tried: one test
    if ch in g.name_joiners:
        return start >= 2 and text[start - 2] in lex.end_chars
    if ch in g.deadline_ends:  # 8月7日前金元村、石宝沟村要…: a date's limit opens the clause
        return start >= 2 and (text[start - 2] in g.time_chars or text[start - 2].isdigit())
    # 一是社区居委会要…: an enumeration marker that opens the clause opens the name's list item too
    return g.marker_end.search(text, max(0, start - _MARKER_MAX), start) is not None


def _list_backward(text: str, end: int, lex: Lexicon, extra: Mapping[str, str]) -> list[tuple[int, int]]:
    """Parties joined by ``、和及与`` ending at ``end``: ``县财政局、县自然资源局``."""
    items: list[tuple[int, int]] = []
    found = _party_ending_at(text, end, lex, extra)
    while found is not None:
        start = _coordinated_start(text, found, lex, extra)
        items.insert(0, (start, end))
        sep = _separator_ending_at(text, start)
        if sep is None:
            break
        end = start - len(sep)
        found = _party_ending_at(text, end, lex, extra)  # the next item's start, searched once
        if found is None:
            found = _bare_item_ending_at(text, end)
        if found is None:
            found = _generic_item_ending_at(text, end, lex)
        if found is None and sep in _clause().name_joiners and text.startswith(_kin_qualifiers(), start):
            found = _unknown_item_ending_at(text, end, lex)
    return _one_person(text, items)


_UNKNOWN_ITEM = (3, 6)  # two characters are as often a verb (沟通和有关部门要及时)


@cache
def _kin_qualifiers() -> tuple[str, ...]:
    """What opens a list item naming the others of a kind (相关单位, 其他部门): ``owners.toml``."""
    return tuple(load_toml("owners")["clause"]["kin_qualifiers"])


def _unknown_item_ending_at(text: str, end: int, lex: Lexicon) -> int | None:
    """``东城热力及相关单位要…``: a short name the lexicon cannot read at all (a firm's brand), joined by
    和/及/与 to the others of its kind (相关单位, 其他部门, 各…: the caller checks), is a list item too
    when it is the whole run of name characters back to the clause start (else the known party reads
    as the receiver of 及, as in 与县财政局对接)."""
    start = end
    while start > 0 and end - start <= _UNKNOWN_ITEM[1] and _is_name_char(text[start - 1]):
        start -= 1
    if not _UNKNOWN_ITEM[0] <= end - start <= _UNKNOWN_ITEM[1] or not _free_start(text, start, lex):
        return None
    name = text[start:end]
    g = _clause()
    if name.startswith(g.generic_stops) or _holds_verb(name) or name in lex.not_parties or name.startswith(lex.verb_starts):
        return None
    return start


def _generic_item_ending_at(text: str, end: int, lex: Lexicon) -> int | None:
    """``集团安全委员会和有关职能部门要…``: a list item the lexicon does not know, joined to a party,
    when it is the whole run of name characters back to the clause or list start and reads as a
    unit or a person (``_generic_noun``)."""
    start = end
    while start > 0 and end - start < _GENERIC_NP_MAX and _is_name_char(text[start - 1]):
        start -= 1
    if end - start < _MIN_NAME or not (start == 0 or text[start - 1] in BOUNDARY):
        return None
    return start if _generic_noun(text[start:end], lex) else None


def _bare_item_ending_at(text: str, end: int) -> int | None:
    """``各总支、村、相关部门``: a bare head (村, 部门) listed between parties is one of them; it
    must open the list item (after 、 or a clause break), so 农村 or 职能部门 are not read as one."""
    for word in _clause().bare_items:
        start = end - len(word)
        if start >= 0 and text.startswith(word, start) and (start == 0 or text[start - 1] in BOUNDARY or text[start - 1] == "、"):
            return start
    return None




def _one_person(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``县委常委、常务副县长周XX同志``: titles listed before a named person are that person's."""
    while (
        len(items) >= 2
        and text.endswith(_clause().honorific, 0, items[-1][1])
        and text[items[-2][1] : items[-1][0]] == "、"
        and _clause().title_end.search(text, items[-2][0], items[-2][1])
    ):
        items = items[:-2] + [(items[-2][0], items[-1][1])]
    return items


_NAME_PREFIX_MAX = 8


def _coordinated_start(text: str, start: int, lex: Lexicon, extra: Mapping[str, str]) -> int:
    """A list item whose name opens before its level (人民银行河阳县支行, 国网河阳县供电公司):
    when the grammar's match is preceded by a few name characters that run back to 、
    after another party (县税务局、人民银行河阳县支行), the whole run is the item."""
    k = start
    held = _stop_words_in_names()
    while k > 0 and start - k < _NAME_PREFIX_MAX and (_is_name_char(text[k - 1]) or text[k - 1 : k + 1] in held):
        k -= 1
    if k == start or k == 0:
        return start
    sep = _separator_ending_at(text, k)  # 、, or 和/及/与 (保卫处和后勤公司工作人员: not 公司工作人员)
    if sep is None or _party_ending_at(text, k - len(sep), lex, extra) is None:
        return start
    return k


@cache
def _stop_words_in_names() -> frozenset[str]:
    """The first two characters of the organ compounds (``owners.toml``) that open with a character
    names otherwise stop at: 后勤 (后 of 经县政府同意后), so 保卫处和后勤公司工作人员 reads 后勤公司工作人员."""
    stops = _clause().name_stops
    return frozenset(w[:2] for w in load_toml("owners")["organ"]["compounds"] if w[:1] in stops)


def _is_name_char(ch: str) -> bool:
    return 0x4E00 <= ord(ch) <= 0x9FFF and ch not in _clause().name_stops




def _separator_starting_at(text: str, pos: int) -> str | None:
    """The first list separator, in the grammar's order, that ``text`` holds at ``pos``: only those
    opening with the character there are compared (a list joins its items at every step)."""
    by_first, _ = _separators_by_edge()
    if by_first is None:
        return next((s for s in _clause().separators if text.startswith(s, pos)), None)
    for sep in by_first.get(text[pos : pos + 1], ()):
        if text.startswith(sep, pos):
            return sep
    return None


def _separator_ending_at(text: str, end: int) -> str | None:
    """The first list separator, in the grammar's order, that ends at ``end`` in ``text``."""
    _, by_last = _separators_by_edge()
    if by_last is None:
        return next((s for s in _clause().separators if text.endswith(s, 0, end)), None)
    k = min(end, len(text))
    for sep in by_last.get(text[k - 1 : k] if k > 0 else "", ()):
        if text.endswith(sep, 0, end):
            return sep
    return None


@cache
def _separators_by_edge() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] | tuple[None, None]:
    """The separators by their first and by their last character, each list in the grammar's order
    (None when one is empty: it would open and end anywhere)."""
    seps = _clause().separators
    if not all(seps):
        return None, None
    by_first = {ch: tuple(s for s in seps if s[0] == ch) for ch in {s[0] for s in seps}}
    by_last = {ch: tuple(s for s in seps if s[-1] == ch) for ch in {s[-1] for s in seps}}
    return by_first, by_last


def _list_forward(text: str, start: int, lex: Lexicon, extra: Mapping[str, str]) -> list[tuple[int, int]]:
    """Parties joined by ``、和及与`` starting at ``start``: ``县税务局、县人社局``."""
    items: list[tuple[int, int]] = []
    while start < len(text):
        end = _party_starting_at(text, start, lex, extra)
        if end is None and items:
            end = _bare_item_starting_at(text, start, lex)  # 各单位、部门要…
        if end is None:
            break
        items.append((start, end))
        sep = _separator_starting_at(text, end)
        if sep is None:
            break
        start = end + len(sep)
    return items


def _bare_item_starting_at(text: str, start: int, lex: Lexicon) -> int | None:
    """A bare head (部门, 村) after a list's separator, ending where the list goes on or its verb starts."""
    for word in _clause().bare_items:
        end = start + len(word)
        if text.startswith(word, start) and (text.startswith(_clause().separators, end) or lex.after_cue.match(text, end)):
            return end
    # 领导班子和中层干部全部要…: a short noun ending like a person or a unit, right before the verb
    for end in range(start + 2, min(len(text), start + _GENERIC_ITEM_MAX) + 1):
        if not _is_name_char(text[end - 1]):
            return None
        if text[end - 1] in _clause().generic_head and lex.after_cue.match(text, end) and _generic_noun(text[start:end], lex):
            return end
    return None


def _generic_noun(np: str, lex: Lexicon) -> bool:
    """Whether a noun phrase the lexicon does not know may still name a party (``subject:generic``'s tests)."""
    g = _clause()
    bare = _bare_head(np)
    if bare[-1:] not in g.generic_head and not bare.endswith(g.generic_head_words) or np in lex.not_parties:
        return False
    if np.startswith(g.generic_stops) and np.removeprefix(g.each) not in g.collective_heads:
        return False  # 项目要…, 各项工作要…; not 项目部, 各项目部 (a unit's own head word)
    if len(np) < 3 and np[-1] in g.short_heads or g.generic_not_inside.intersection(np) or ")" in np and "(" not in np:
        return False
    return not _holds_verb(np)


def _bare_head(np: str) -> str:
    """``np`` without a closing parenthesised alternative (村(社区), 单位(部门)): its head is the
    character before the parenthesis."""
    if np.endswith(")") and "(" in np:
        return np[: np.rindex("(")]
    return np


def _party_inside(gap: str, lex: Lexicon, extra: Mapping[str, str]) -> bool:
    return any(_party_starting_at(gap, i, lex, extra) for i in range(len(gap)))


def _is_receiver(text: str, start: int, lex: Lexicon) -> bool:
    """``向市委汇报``, ``报县委办``, ``经县政府同意后``, ``一些部门``, ``以便于市委…``: not owners."""
    if lex.receiver_before.search(text, max(0, start - 4), start):
        return True
    if start > 0 and text[start - 1 : start + 1] in _clause().mid_word:
        return True  # 对农村学校开展巡逻: 村学校 starts inside the word 农村
    return bool(_clause().purpose.search(text, _after_last_break(text, 0, start), start))


_ROLE_RANK = {"lead": 2, "support": 1, "unspecified": 0}


def _merge(text: str, mentions: list[Mention], extra: Mapping[str, str]) -> list[Found]:
    """One ``Found`` per name: first span, strongest role, best confidence."""
    if not mentions:
        return []  # about half the directive sentences: no rule found a party
    rank = _ROLE_RANK
    # 其他时间根据学校, 纳入村, 建立部门, 要支持县内商贸企业: a span that holds a clause's verb or opens
    # with one is a clause read as a name, whichever rule proposed it
    not_a_name = _clause().not_a_name
    inside = _ends_inside()
    mentions = [
        _with_level_items(text, m)
        for m in mentions
        if not_a_name.search(text[m[0] : m[1]]) is None and text[m[1] - 1 : m[1] + 1] not in inside
    ]
    spans = {text[s:e] for s, e, *_ in mentions}
    # 由牵头单位组织验收 beside 各牵头单位要…: the bare form is the same party.
    each = _clause().each
    mentions = [m for m in mentions if each + text[m[0] : m[1]] not in spans]
    if len(mentions) > 1:
        mentions = _joined_at_level(text, mentions)
    best: dict[str, Mention] = {}
    for mention in sorted(mentions, key=lambda m: (m[0], -m[1])):
        start, end, role, rule, confidence = mention
        name = text[start:end]
        if _covered(start, end, mentions) or len(name) < _MIN_NAME:
            continue
        old = best.get(name)
        if old is None or (rank[role], confidence) > (rank[old[2]], old[4]):
            keep_span = old[:2] if old else (start, end)
            best[name] = (keep_span[0], keep_span[1], role, rule, confidence)
    found = [
        Found(
            start=s,
            end=e,
            text=name,
            value=_owner(name, role, canonical_name(name, extra) if extra else _shipped_canonical(name)),
            rule=rule,
            confidence=conf,
        )
        for name, (s, e, role, rule, conf) in best.items()
    ]
    return sorted(found, key=lambda f: f.start)


def _with_level_items(text: str, mention: Mention) -> Mention:
    """``镇、村、组干部``, ``县、乡、村三级``: single level characters listed before a name share its
    head and are one party with it (a level alone names no one), as written."""
    start = mention[0]
    levels = _clause().level_items
    while start >= 2 and text[start - 1] == "、" and text[start - 2] in levels and (start == 2 or not _is_name_char(text[start - 3])):
        start -= 2
    return mention if start == mention[0] else (start, *mention[1:])


def _joined_at_level(text: str, mentions: list[Mention]) -> list[Mention]:
    """``青山镇政府``: a place read as one party (青山镇) and an organ read from its level (镇政府) share
    that level character; both are halves of one name, the place's organ, which takes their place."""
    levels = lexicon().levels
    starts: dict[int, list[Mention]] = {}
    for m in mentions:
        starts.setdefault(m[0], []).append(m)
    joined: list[Mention] = []
    halves: set[Mention] = set()
    for place in mentions:
        if place[1] < 1 or text[place[1] - 1] not in levels:
            continue
        for organ in starts.get(place[1] - 1, ()):
            if organ[1] > place[1]:
                joined.append((place[0], organ[1], organ[2], organ[3], organ[4]))
                halves.update((place, organ))
    if not joined:
        return mentions
    return [m for m in mentions if m not in halves] + joined


# An owner is a frozen value of its name, role and full name; the same name recurs across a
# document's sentences, so building and validating it once, like the alias lookup, is enough.
@lru_cache(maxsize=1 << 14)
def _owner(name: str, role: Role, canonical: str | None) -> Owner:
    return Owner(name=name, role=role, canonical=canonical)


@lru_cache(maxsize=1 << 16)
def _shipped_canonical(name: str) -> str | None:
    return canonical_name(name)


def _covered(start: int, end: int, mentions: list[Mention]) -> bool:
    """A mention strictly inside a longer one is a misparse of the longer name."""
    for mention in mentions:  # a loop, not any() over a generator: every mention of a sentence asks
        if mention[0] <= start and end <= mention[1] and (mention[0] != start or mention[1] != end):
            return True
    return False
