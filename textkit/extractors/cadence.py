"""Cadences: recurring obligations (``每月``, ``一月一调度``, ``周调度、月督查、季通报、年终考核``).

``find_cadence`` returns one ``Found`` per obligation, each with a
``records.Cadence`` value; a compressed chain gives one per element so each
frequency stays bound to its activity. ``定期``, ``不定期``, ``每旬`` and
``两个月一次`` name no frequency of the contract and yield nothing.
Lexicons: the ``[cadence]`` table of ``textkit/data/deadlines.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import cast

from textkit.extractors.base import DEFAULT_CONTEXT, Context, Found
from textkit.extractors.numerals import CN_DIGITS, to_int
from textkit.records import Cadence, Freq
from textkit.resources import load_toml

__all__ = ["find_cadence"]

def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _not_after(chars: str, words: Iterable[str]) -> str:
    """``(?<![chars])(?:w1|w2…)`` with each word's look-behind after it, ``w1(?<![chars]w1)|…``: the
    same matches, and the pattern opens on the words' first characters, which ``re`` skips to
    in its class loop (opened on a look-behind, it tried the whole pattern at every character)."""
    return "|".join(
        rf"{re.escape(w)}(?<![{chars}]{re.escape(w)})" for w in sorted(set(words), key=len, reverse=True)
    )


def _words(words: list[str]) -> str:
    """A regex alternation over lexicon words, in the order the lexicon lists them."""
    return "|".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class _Lexicon:
    every: dict[str, str]
    chain_periods: dict[str, str]
    one_per: dict[str, str]
    element_after_negative: tuple[str, ...]
    chain_before_negative: tuple[str, ...]
    every_after_negative: tuple[str, ...]
    doubled_not_after: str
    past_in_clause: tuple[str, ...]
    chain_lead: tuple[str, ...]
    standing_systems: tuple[str, ...]
    standing_activities: frozenset[str]
    separators: str
    weekday_numbers: dict[str, int]
    meeting: str
    quotes: tuple[str, str]
    every_re: re.Pattern[str]
    element_re: re.Pattern[str]
    compact_re: re.Pattern[str]
    listed_re: re.Pattern[str]
    one_per_re: re.Pattern[str]
    one_per_long_re: re.Pattern[str]
    gapped_re: re.Pattern[str]
    gapped_often_re: re.Pattern[str]
    gapped_often: dict[str, str]
    unit_re: re.Pattern[str]
    weekday_system_re: re.Pattern[str]
    weekday_moment_re: re.Pattern[str]
    unit_periods: dict[str, str]
    unit_not_after: tuple[str, ...]


@cache
def _lexicon() -> _Lexicon:
    """Load the ``[cadence]`` lexicon and compile its patterns, once per process."""
    lex = load_toml("deadlines")["cadence"]
    periods = _alternation(lex["chain_periods"])
    short = "".join(lex["chain_short_activities"])
    single = "".join(p for p in lex["chain_periods"] if len(p) == 1)
    g = lex["grammar"]
    before = _words(g["before"])
    one_act = (
        rf"{re.escape(g['one'])}(?P<act>{_alternation(lex['chain_activities'])}"
        rf"|(?![{''.join(lex['one_per_not_act'])}])[\u4e00-\u9fff])"
    )
    return _Lexicon(
        every=dict(lex["every"]),
        chain_periods=dict(lex["chain_periods"]),
        one_per=dict(lex["one_per"]) | dict(lex["one_per_long"]),
        element_after_negative=tuple(lex["element_after_negative"]),
        chain_before_negative=tuple(lex["chain_before_negative"]),
        every_after_negative=tuple(lex["every_after_negative"]),
        doubled_not_after=lex["doubled_not_after"],
        past_in_clause=tuple(lex["past_in_clause"]),
        chain_lead=tuple(lex["chain_lead"]),
        standing_systems=tuple(lex["standing_systems"]),
        standing_activities=frozenset(lex["standing_activities"]),
        separators=g["separators"],
        weekday_numbers=dict(g["weekday_numbers"]),
        meeting=g["meeting"],
        quotes=(g["quotes_open"], g["quotes_close"]),
        # 每月5日前, 每周二前, 每季度: the period, then an optional due day.
        every_re=re.compile(
            rf"(?P<every>{_alternation(lex['every'])}){re.escape(g['of'])}?"
            rf"(?:(?P<day>\d{{1,2}}|[{g['tens_digits']}]?{re.escape(g['ten'])}[{g['digits']}]?|[{g['digits']}])"
            rf"[{g['day_suffixes']}](?P<suf>{before})?"
            rf"|(?P<wd>[{''.join(g['weekday_numbers'])}])(?![{g['not_weekday_after']}])(?P<wsuf>{before})?)?"
        ),
        element_re=re.compile(
            rf"(?P<period>{periods})(?P<act>{_alternation(lex['chain_activities'])}"
            rf"|(?:{_alternation(lex['system_short_activities'])})(?=(?:{_alternation(lex['standing_systems'])})))"
        ),
        # 年度实绩考核, 年度安全生产目标考核: a yearly review with words between period and activity
        # 以季度为节点, 以周为单位: the period work is measured or reported by
        gapped_often_re=re.compile(
            rf"(?P<period>{_alternation(lex['gapped_often_periods'])})[\u4e00-\u9fff]{{1,8}}?(?P<act>{_alternation(lex['gapped_often_activities'])})"
        ),
        gapped_often=dict(lex["gapped_often_periods"]),
        unit_re=re.compile(
            rf"{re.escape(g['unit_by'][0])}(?P<period>{_alternation(lex['unit_periods'])}){re.escape(g['unit_by'][1])}"
            rf"(?:{_alternation(lex['unit_nouns'])})"
        ),
        # 周末卫生大扫除制度, 周一例会制度, 星期五政治学习制度: a standing system named by its day of the week
        weekday_system_re=re.compile(
            rf"(?:{_not_after(lex['weekday_system_not_after'], lex['weekday_system_weeks'])})"
            rf"[{''.join(lex['weekday_system_days'])}][\u4e00-\u9fff]{{0,8}}?(?:{_alternation(lex['standing_systems'])})"
        ),
        # 周五放学前5分钟的安全教育 (the school's "1530" routine): a moment of every such weekday
        weekday_moment_re=re.compile(
            rf"(?:{_not_after(lex['weekday_system_not_after'], lex['weekday_system_weeks'])})"
            rf"[{lex['weekday_system_days'].replace(lex['weekday_moment_not_day'], '')}]"
            rf"(?:{_alternation(lex['weekday_moments'])})(?:{_words(g['before'])})(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})(?:{_alternation(lex['weekday_moment_units'])})"
        ),
        unit_periods=dict(lex["unit_periods"]),
        unit_not_after=tuple(lex["unit_not_after"]),
        gapped_re=re.compile(
            rf"(?P<period>{_alternation(lex['gapped_periods'])})[\u4e00-\u9fff]{{1,8}}?(?P<act>{_alternation(lex['gapped_activities'])})"
        ),
        compact_re=re.compile(rf"(?:[{single}][{short}]){{2,}}"),
        # 月报、季报和年报, 周查、月评: one-character elements joined by separators (three reports to file)
        listed_re=re.compile(rf"[{single}][{short}](?:[{g['separators']}][{single}][{short}])+"),
        # two patterns, each opened by a literal (一, 半年) that re's prefix scan finds fast
        one_per_re=re.compile(
            rf"{re.escape(g['one'])}(?P<p>[{''.join(lex['one_per'])}]){one_act}"
        ),
        one_per_long_re=re.compile(rf"(?P<p>{_alternation(lex['one_per_long'])}){one_act}"),
    )


def _clause_before(text: str, start: int) -> str:
    cut = max(text.rfind(ch, 0, start) for ch in "。;;!?,,")
    return text[cut + 1 : start]


def _in_past_clause(text: str, start: int, lex: _Lexicon) -> bool:
    """Whether the clause before ``start`` speaks of the past (以来, 去年): the clause cut once,
    not once per word; or the sentence opened on a past frame (今年以来,…) with no order since."""
    clause = _clause_before(text, start)
    return any(w in clause for w in lex.past_in_clause)


def _reported_after(text: str, start: int) -> bool:
    """A 了 later in the cadence's clause (…每个月的计划活动提供了建议): what was done, not a duty."""
    if _past_after().search(text, start) is None:  # the usual case: no 了 after it at all
        return False
    cut = min((i for i in (text.find(ch, start) for ch in _CLAUSE_ENDS) if i != -1), default=len(text))
    return _past_after().search(text, start, cut) is not None


_CLAUSE_ENDS = "。；;！!？?,，\n"


@cache
def _past_after() -> re.Pattern[str]:
    lex = load_toml("deadlines")["cadence"]
    # the mark first, its neighbours checked after it: re then finds the mark by a fast literal scan
    mark = re.escape(lex["past_after"])
    return re.compile(rf"{mark}(?<![{lex['past_after_not_before']}]{mark})(?![{lex['past_after_not_after']}])")


def _not_reported(text: str, candidates: list[Found]) -> list[Found]:
    """The candidates that no past frame before them (今年以来,…) and no 了 after them in their clause
    (…提供了建议) turn into a report of what was done. Both are looked for once a sentence: most hold
    neither, and then every candidate stands."""
    if not candidates:
        return candidates
    framed = _frame_chars().search(text) is not None and _past_frame()[0].search(text) is not None
    told = _past_after().search(text) is not None
    if not (framed or told):
        return candidates
    return [
        f
        for f in candidates
        if not ((framed and _in_past_frame(text, f.start)) or (told and _reported_after(text, f.start)))
    ]


def _in_past_frame(text: str, start: int) -> bool:
    """``今年以来,县里坚持每月召开调度会``: a past frame earlier in the sentence, and no modal between it
    and the cadence (``去年以来事故多发,各村要每月排查一次`` orders)."""
    frames, modal = _past_frame()
    if frames.search(text, 0, start) is None:  # the usual case: no past frame at all, nothing to cut
        return False
    head = text[max(text.rfind(ch, 0, start) for ch in _SENTENCE_ENDS) + 1 : start]
    ends = [m.end() for m in frames.finditer(head)]
    return bool(ends) and modal.search(head, ends[-1]) is None


_SENTENCE_ENDS = "。；;！!？?\n"


@cache
def _past_frame() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The past frames and the modals that end their reach (``[cadence]`` ``past_frame*``)."""
    lex = load_toml("deadlines")["cadence"]
    modal = (
        rf"(?<![{lex['past_frame_modal_not_before']}])(?:{_alternation(lex['past_frame_modals'])})"
        rf"(?![{lex['past_frame_modal_not_after']}])"
    )
    return re.compile(_alternation(lex["past_frames"])), re.compile(modal)


@cache
def _frame_chars() -> re.Pattern[str]:
    """Two characters as the past frames have them (a superset), as a class pair: ``re`` scans a class
    fast, while the frames' alternation is tried at every position."""
    frames = load_toml("deadlines")["cadence"]["past_frames"]
    first, second = "".join(sorted({f[0] for f in frames})), "".join(sorted({f[1] for f in frames}))
    return re.compile(rf"[{re.escape(first)}][{re.escape(second)}]")


def _found(start: int, end: int, text: str, freq: str, rule: str, day: int | None = None, confidence: float = 0.9) -> Found:
    return Found(start, end, text[start:end], Cadence(text[start:end], cast(Freq, freq), day), rule, confidence)


@cache
def _quota() -> re.Pattern[str]:
    """每日不少于两次, 每月至少刊播两期, 每周驻村时间不少于3天: a quota of several per period names no
    frequency of the contract (genre notes: 每周报送…2篇以上 has no value); 至少每月…一次 stays monthly.
    Kept out of ``_Lexicon``: a veto pattern there would widen the derived triggers."""
    q = load_toml("deadlines")["cadence"]["grammar"]["quota"]
    number = rf"\s*(?P<n>\d+|[{q['digits']}]+)\s*(?:{_words(q['units'])})"
    return re.compile(
        rf"[^,;。:!?]{{0,10}}?(?:{_words(q['at_least'])})?{number}"
        rf"|[^,;。:!?]{{0,{q['far']}}}?(?:{_words(q['at_least'])}){number.replace('?P<n>', '?P<far>')}"
    )


@cache
def _rate_before() -> re.Pattern[str]:
    """每亩每年不低于10元, 每户每年…: a rate per unit, not a recurring obligation."""
    r = load_toml("deadlines")["cadence"]["grammar"]["rate"]
    return re.compile(rf"{re.escape(r['every'])}[{r['units']}]$")


def _is_quota(text: str, end: int) -> bool:
    m = _quota().match(text, end)
    return m is not None and (to_int(m["n"] or m["far"]) or 0) >= 2


def _names_a_thing(text: str, start: int, end: int, lex: _Lexicon) -> bool:
    """``2024年度综合考核`` (one named year's review) or ``年度考核指标`` / ``年度考核办法``
    (an indicator or a document): the element is no recurring duty."""
    if start and (text[start - 1].isdigit() or text[start - 1] in CN_DIGITS):
        return True
    return text.startswith(lex.element_after_negative, end)


def _every(text: str, lex: _Lexicon) -> list[Found]:
    found = []
    for m in lex.every_re.finditer(text):
        after = text[m.end("every") : m.end("every") + 4]  # the longest negative word (一个台阶)
        if after.startswith(lex.every_after_negative):
            continue
        word = m["every"]
        if word[0] == word[1] and m.start() and text[m.start() - 1] in lex.doubled_not_after:
            continue  # 今天天气, 次周周二, 本月月底: a day, week or month word ending where the same one starts
        if _rate_before().search(text, 0, m.start()) or _is_quota(text, m.end("every")):
            continue
        if _in_past_clause(text, m.start(), lex):
            continue
        day = None
        if m["day"]:
            day = to_int(m["day"])
        elif m["wd"] and lex.every[m["every"]] == "weekly":
            day = lex.weekday_numbers[m["wd"]]
        end = m.end() if day is not None else m.end("every")
        freq = lex.every[m["every"]]
        if freq == "yearly" and _twice_yearly().match(text, m.end("every")):
            freq = "half-yearly"  # 每年年初和年中: twice a year
        found.append(_found(m.start(), end, text, freq, "every", day, 0.95))
    return found


@cache
def _twice_yearly() -> re.Pattern[str]:
    """Two points of the year after 每年 (年初和年中, 6月和12月, 上、下半年): ``twice_yearly_*``."""
    lex = load_toml("deadlines")["cadence"]
    point = rf"(?:{_alternation(lex['twice_yearly_points'])}|\d{{1,2}}{lex['twice_yearly_month']})"
    return re.compile(rf"{re.escape(lex['grammar']['of'])}?{point}[{lex['twice_yearly_joiners']}]{point}")


def _chains(text: str, lex: _Lexicon) -> list[Found]:
    # each rule's scan is opened only where its cheap stand-in (a superset, see ``_scans``) matches
    elements = list(lex.element_re.finditer(text)) if _element_any().search(text) else []
    one_per = list(lex.one_per_re.finditer(text))
    # 半年一评比: rare, merged in text order
    if _one_per_long_any().search(text) and lex.one_per_long_re.search(text):
        one_per = sorted(one_per + list(lex.one_per_long_re.finditer(text)), key=lambda m: m.start())
    one_per_ends = {m.end() for m in one_per}
    found = []
    for i, m in enumerate(elements):
        prev_linked = i > 0 and elements[i - 1].end() + 1 == m.start() and text[m.start() - 1] in lex.separators
        # 一月一调度、季通报: a chain may open with a one-per element
        prev_linked = prev_linked or (m.start() - 1 in one_per_ends and text[m.start() - 1] in lex.separators)
        next_linked = (
            i + 1 < len(elements) and m.end() + 1 == elements[i + 1].start() and text[m.end()] in lex.separators
        )
        chained = prev_linked or next_linked
        before = text[max(0, m.start() - 2) : m.start()]
        if not chained and before[-1:] in lex.chain_before_negative:
            continue
        named = text[m.end() : m.end() + 1] == lex.meeting  # 周调度会后: weekly through the meeting's name
        # “日通报”管理: a quoted element names a standing mechanism
        opened, closed = before[-1:], text[m.end() : m.end() + 1]
        named = named or (opened != "" and closed != "" and opened in lex.quotes[0] and closed in lex.quotes[1])
        # 实行月报制度, 召开周例会: a standing system or a regular meeting recurs by its name
        named = named or text.startswith(lex.standing_systems, m.end()) or m["act"] in lex.standing_activities
        if len(m["period"]) == 1 and not (chained or named) and not before.endswith(lex.chain_lead):
            continue
        if _in_past_clause(text, m.start(), lex):
            continue
        if _names_a_thing(text, m.start(), m.end(), lex):
            continue
        found.append(_found(m.start(), m.end(), text, lex.chain_periods[m["period"]], "chain"))
    paired = _compact_any().search(text) is not None  # both chain forms below hold two elements in a row
    for m in lex.compact_re.finditer(text) if paired else ():  # 日督月考: two characters an element
        if text[m.start() - 1 : m.start()] in lex.chain_before_negative:
            continue
        for k in range(m.start(), m.end(), 2):
            found.append(_found(k, k + 2, text, lex.chain_periods[text[k]], "compact-chain", confidence=0.85))
    for m in lex.listed_re.finditer(text) if paired else ():  # 月报、季报和年报
        if text[m.start() - 1 : m.start()] in lex.chain_before_negative:
            continue
        for k in range(m.start(), m.end(), 3):
            found.append(_found(k, k + 2, text, lex.chain_periods[text[k]], "listed-chain", confidence=0.85))
    for m in one_per:  # 一月一调度, 半年一评比
        found.append(_found(m.start(), m.end(), text, lex.one_per[m["p"]], "one-per"))
    for m in lex.unit_re.finditer(text):  # 以季度为节点推进; not 以年为单位计算 (a unit of measure)
        if _in_past_clause(text, m.start(), lex) or text.startswith(lex.unit_not_after, m.end()):
            continue
        found.append(_found(m.start(), m.end(), text, lex.unit_periods[m["period"]], "unit", confidence=0.8))
    for m in lex.weekday_system_re.finditer(text):  # 落实周末卫生大扫除制度: weekly by the system's name
        if _in_past_clause(text, m.start(), lex):
            continue
        found.append(_found(m.start(), m.end(), text, "weekly", "weekday-system", confidence=0.8))
    for m in lex.weekday_moment_re.finditer(text):  # 周五放学前5分钟的安全教育: every Friday
        if _in_past_clause(text, m.start(), lex):
            continue
        found.append(_found(m.start(), m.end(), text, "weekly", "weekday-moment", confidence=0.8))
    for m in lex.gapped_re.finditer(text):
        if _in_past_clause(text, m.start(), lex):
            continue
        if _names_a_thing(text, m.start(), m.end(), lex):
            continue
        found.append(_found(m.start(), m.end(), text, lex.chain_periods[m["period"]], "gapped", confidence=0.8))
    gapped_often = lex.gapped_often_re.finditer(text) if _gapped_often_any().search(text) else ()
    for m in gapped_often:  # 建立月度工作例会制度 (most sentences hold no 度 + activity: one fast scan)
        if text[m.start() - 1 : m.start()] in lex.chain_before_negative or _in_past_clause(text, m.start(), lex):
            continue
        if _names_a_thing(text, m.start(), m.end(), lex):
            continue
        if lex.element_re.match(text, m.start()) or lex.one_per_long_re.match(text, m.start()):
            continue  # 季度考核制度, 季度一评比: the element or the one-per form names it already
        found.append(_found(m.start(), m.end(), text, lex.gapped_often[m["period"]], "gapped", confidence=0.8))
    return found


@cache
def _compact_any() -> re.Pattern[str]:
    """Where ``compact_re`` matches, two of its elements stand in a row: found by a pattern opening on
    a class (``compact_re`` opens on a repeat, so ``re`` tries it whole at every position). Kept out
    of ``_Lexicon``, whose patterns are what the derived triggers are read from."""
    lex = load_toml("deadlines")["cadence"]
    short = "".join(lex["chain_short_activities"])
    single = "".join(p for p in lex["chain_periods"] if len(p) == 1)
    # an optional separator between the two: listed_re's chains (月报、季报) are found by the same pass
    return re.compile(rf"[{single}][{short}][{re.escape(lex['grammar']['separators'])}]?[{single}][{short}]")


@cache
def _gapped_often_any() -> re.Pattern[str]:
    """Where ``gapped_often_re`` matches, this does: its periods' shared last character, the gap and an
    activity. Opening on one literal, ``re`` finds it by a fast scan; the periods' alternation has no
    literal prefix and would be tried at every position (kept out of ``_Lexicon`` like ``_compact_any``)."""
    lex = load_toml("deadlines")["cadence"]
    last = {p[-1] for p in lex["gapped_often_periods"]}
    if len(last) != 1:
        raise ValueError(f"gapped_often_periods must share their last character, not {sorted(last)}")
    return re.compile(rf"{re.escape(last.pop())}[\u4e00-\u9fff]{{1,8}}?(?:{_alternation(lex['gapped_often_activities'])})")


@cache
def _element_any() -> re.Pattern[str]:
    """Where ``element_re`` matches, this does: a period and the first character of an activity,
    tested as a class before any activity word is tried (most periods in a text are dates: 2024年,
    5月, 10日). A superset, like ``_gapped_often_any``, and cheap to compile: no activity alternation."""
    lex = load_toml("deadlines")["cadence"]
    firsts = "".join(sorted({w[0] for w in [*lex["chain_activities"], *lex["system_short_activities"]]}))
    return re.compile(rf"(?:{_alternation(lex['chain_periods'])})[{re.escape(firsts)}]")


@cache
def _one_per_long_any() -> re.Pattern[str]:
    """Where ``one_per_long_re`` matches (半年一评比), this does: the literal ``一``, which ``re`` finds by
    a fast scan, with a period behind it (the periods' alternation has no literal prefix, so ``re``
    would try it at every position). A superset (no activity after it checked), cheap to compile."""
    lex = load_toml("deadlines")["cadence"]
    one = re.escape(lex["grammar"]["one"])
    return re.compile(rf"{one}(?:{'|'.join(rf'(?<={re.escape(p)}{one})' for p in lex['one_per_long'])})")


@cache
def _scans() -> tuple[re.Pattern[str], ...]:
    """Every pattern of ``_Lexicon``, the most frequent first: the rules report only matches of these,
    so a text none of them matches yields nothing. Read off the lexicon's fields, so a pattern added
    there is searched too; ``compact_re`` and ``listed_re`` are searched as ``_compact_any`` in one
    pass, ``gapped_often_re`` as ``_gapped_often_any`` (a superset of what it stands for),
    ``element_re`` and ``one_per_long_re`` as ``_element_any`` and ``_one_per_long_any`` (supersets
    too)."""
    lex = _lexicon()
    stand_ins = {
        id(lex.compact_re): _compact_any(),
        id(lex.gapped_often_re): _gapped_often_any(),
        id(lex.element_re): _element_any(),
        id(lex.one_per_long_re): _one_per_long_any(),
    }
    patterns = [value for value in vars(lex).values() if isinstance(value, re.Pattern) and value is not lex.listed_re]
    return tuple(stand_ins.get(id(pattern), pattern) for pattern in patterns)


def _may_match(text: str, lex: _Lexicon) -> bool:
    """Whether any of the patterns matches somewhere in ``text``: where none does, the rules below
    find nothing, so three sentences in four are answered by a few searches in C."""
    for pattern in _scans():
        if pattern.search(text):
            return True
    return False


def find_cadence(text: str, *, context: Context = DEFAULT_CONTEXT) -> list[Found]:
    """Every recurring obligation in ``text``, in text order; ``Found.value`` is a ``records.Cadence``.

    ``每月5日前报送`` is monthly with ``day`` 5; ``每周二前`` weekly with ``day`` 2
    (Monday is 1). Overlapping matches keep the longest.
    """
    lex = _lexicon()
    if not _may_match(text, lex):
        return []
    candidates = sorted(_every(text, lex) + _chains(text, lex), key=lambda f: (f.start, -(f.end - f.start)))
    candidates = _not_reported(text, candidates)
    kept: list[Found] = []
    titled = any(c in text for c in _title_marks()[0])  # most sentences hold no title to look into
    for found in candidates:
        if kept and found.start < kept[-1].end:
            continue
        if titled and _in_title(text, found.start):
            continue
        kept.append(found)
    return kept


def _in_title(text: str, start: int) -> bool:
    """Whether ``start`` sits inside a title (``《每日一播》``): opened before it and not closed since."""
    opened, closed = _title_marks()
    return max(text.rfind(c, 0, start) for c in opened) > max(text.rfind(c, 0, start) for c in closed)


@cache
def _title_marks() -> tuple[str, str]:
    g = load_toml("deadlines")["cadence"]["grammar"]
    return g["titles_open"], g["titles_close"]
