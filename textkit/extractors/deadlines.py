"""Deadlines: time expressions that constrain required work, with their due day.

``find_deadlines`` reports ``6月30日前``, ``XX月底前``, ``年内``, ``上半年``,
``三季度末``, ``主汛期前``, ``10个工作日内``, ``每月5日前`` … and stays silent on
times that describe the past or the speech (``今年以来``, ``去年``,
``一季度统计数据``), vague timing (``尽快``) and "during" windows (``汛期``).

``due`` comes only from ``Context.ref`` / ``Context.ref_year``, never the wall
clock. Lexicons live in ``textkit/data/deadlines.toml``, event dates in
``textkit/data/calendar.toml``; both are read and compiled once, on first use.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from dateutil.relativedelta import relativedelta

from textkit.extractors.base import DEFAULT_CONTEXT, Context, Found
from textkit.extractors.numerals import CN_DIGITS, PLACEHOLDER, is_placeholder, to_int
from textkit.records import Deadline, DeadlineKind
from textkit.resources import load_toml
from textkit.triggers import CompiledOnUse, Triggers, scan_sources, source_triggers

__all__ = ["find_deadlines", "resolve_event", "add_workdays"]

# a year, partly or wholly redacted (20XX, 20××, XXXX, XXX: templates blank the whole field)
_YEAR = r"(?:(?:19|20)\d\d|20[\dXx×*]{2}|(?:XX|xx|××|\*\*)[Xx×*]{0,2})"  # opened by 19, 20 or a blank pair: its triggers


@cache
def _year_digits() -> tuple[str, dict[int, int]]:
    """A year in Chinese numerals (二〇二四年, 二零二五年) as a regex and the table reading it as digits."""
    g = load_toml("deadlines")["deadline"]["grammar"]["chinese_year"]
    zeros, digits = g["zeros"], g["digits"]
    # 二〇, 二零 … spelled out as strings, so the derived triggers need them rather than any 年
    pattern = rf"(?:{'|'.join(g['first'] + z for z in zeros)})[{zeros}{digits}]{{2}}"
    return pattern, str.maketrans(zeros + digits, "0" * len(zeros) + "123456789")


def _year_text(year: str) -> str:
    """``2024``, ``20XX`` or ``二〇二四`` as digits where they are digits (``2024``, ``20XX``)."""
    return year.translate(_year_digits()[1])
_NOT_NUM = rf"(?<![\d.{CN_DIGITS}Xx×*])"


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation trying longer words first (主汛期 before 汛)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Lexicon:
    start: tuple[str, ...]
    cue_before: tuple[str, ...]
    completion_after: tuple[str, ...]
    action_after: tuple[str, ...]
    target_after: tuple[str, ...]
    bare_after_negative: tuple[str, ...]
    promise_after: tuple[str, ...]
    schedule_before: tuple[str, ...]
    past_in_clause_after: tuple[str, ...]
    period_end_after: tuple[str, ...]
    meeting_after: tuple[str, ...]
    attend_in_clause: tuple[str, ...]
    before_negative: tuple[str, ...]
    before_negative_exempt: tuple[str, ...]
    closing_before: tuple[str, ...]
    window_starts: tuple[str, ...]
    window_not_after: tuple[str, ...]
    cell_label_negative: tuple[str, ...]
    past_after: tuple[str, ...]
    phases_after: tuple[str, ...]
    clock_days: dict[str, int]
    not_event_before_hou: frozenset[str]
    ref_events: tuple[str, ...]
    ref_event_verbs: tuple[str, ...]
    validity_before: tuple[str, ...]
    event_ends: tuple[str, ...]
    after_negative: tuple[str, ...]
    after_negative_exempt: tuple[str, ...]
    after_qian_negative: tuple[str, ...]
    this_year_targets: tuple[str, ...]
    this_year_past: tuple[str, ...]
    year_words: dict[str, int]
    month_words: dict[str, int]
    week_words: dict[str, int]
    halves: dict[str, str]
    duration_units: dict[str, str]
    events: dict[str, dict[str, Any]]
    event_alias: dict[str, str]
    regions: dict[str, dict[str, Any]]
    default_region: str
    before: tuple[str, ...]
    weekdays: dict[str, int]
    quarters: dict[str, int]
    month_ends: tuple[str, ...]
    month_thirds: dict[str, int]
    year_ends: tuple[str, ...]
    within_year: tuple[str, ...]
    range_words: tuple[str, ...]
    range_before: frozenset[str]
    window_joiners: tuple[str, ...]
    season_ends: str
    range_start_exempt: str
    day_marks: str
    half: str
    event_after: str
    future_bare_exempt: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    """Each deadline pattern's name and regex text, in the order they are tried; compiled when
    a text may match them (``_scan_patterns``), so a fresh process compiles only what it uses."""

    _patterns: tuple[tuple[str, re.Pattern[str]], ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """Every pattern compiled as written (tests, ``tools/derive_triggers.py``; extraction
        scans ``_scan_patterns``), once: kept in a declared attribute, as mypyc compiles a
        ``cached_property`` to a plain property that computes again at every access (issue 15)."""
        found = getattr(self, "_patterns", None)  # a compiled instance leaves it unset, not None
        if found is None:
            found = tuple((name, re.compile(source)) for name, source in self.sources)
            object.__setattr__(self, "_patterns", found)
        return found


def _calendar_fields(g: dict[str, Any]) -> tuple[str, str, str]:
    """Month, day and lone-day alternatives as written: 6, 06, 十二, 二十五, or a redaction (XX月底前)."""
    digits, ten, twenty, thirty = g["digits"], g["ten"], g["twenty"], g["thirty"]
    blank = rf"{PLACEHOLDER}{{1,2}}"  # XX, or a template's longer blank (XXX月XXX日)
    month = rf"(?:1[0-2]|0?[1-9]|{ten}[{digits[:2]}]?|[{digits}]|{blank})"
    tens = rf"{thirty}{digits[0]}?|{twenty}[{digits}]?|{ten}[{digits}]?"
    day = rf"(?:3[01]|[12]\d|0?[1-9]|{tens}|[{digits}]|{blank})"
    day_alone = rf"(?:3[01]|[12]\d|0?[1-9]|{tens}|{blank})"
    return month, day, day_alone


@cache
def _lexicon() -> _Lexicon:
    """Load both TOML files and compile every pattern, once per process."""
    lex = load_toml("deadlines")["deadline"]
    cal = load_toml("calendar")
    events = dict(cal["events"])
    alias = {a: name for name, ev in events.items() for a in ev["aliases"]}
    yw = _alternation(lex["year_words"])
    mw = _alternation(w[:-1] for w in lex["month_words"] if len(w) > 1)  # 本 + 月底
    ww = _alternation(lex["week_words"])
    units = _alternation(lex["duration_units"])
    halves = _alternation(lex["halves"])
    this_year = _alternation(lex["this_year_cues"])
    campaign = "|".join(rf"(?<={re.escape(w)}[(（])" for w in lex["campaign_words"])
    g = lex["grammar"]
    mon, day, day_alone = _calendar_fields(g)
    before = f"(?:{'|'.join(g['before'])})"
    within = f"(?:{'|'.join(g['within'])})"
    dm = g["day_marks"]
    wd = "".join(g["weekdays"])
    yw1 = "|".join(g["one_char_years"])  # 今年底 is 今 + 年底 (not 后: 然后年底前)
    ends = "|".join(g["month_ends"])
    period_ends = "|".join(reversed(g["month_ends"]))  # 末|底
    period_suffixes = "|".join([e + g["before"][-1] for e in reversed(g["month_ends"])] + [period_ends])  # 末前|底前|末|底
    quarter, quarters = g["quarter_words"][0], "|".join(g["quarter_words"])
    weekday_note = rf"(?:[(（](?:{'|'.join(g['weekday_notes'])})[{wd}][)）])?"
    clock_days = _alternation(list(g["clock_days"]) + g["clock_occasion_days"])
    tod = "|".join(g["times_of_day"])
    minutes = rf"(?:\d{{1,2}}{g['minute_marks'][0]}|{g['minute_marks'][1]})?"
    year = rf"(?:{_YEAR[3:-1]}|{_year_digits()[0]})"  # 2024, 20XX, XX or 二〇二四
    ym, mm, ms = g["year_mark"], g["month_mark"], g["month_suffix"]  # 年, 月, 份 (2024年3月份)
    mon_digits = rf"(?:1[0-2]|0?[1-9]|{PLACEHOLDER})"  # a window of months in digits (3—5月): scanned from digits only
    future_years = _alternation(w for w, offset in lex["year_words"].items() if offset > 0)  # 明年, 次年
    leaving = "|".join(g["leaving"])
    # 17:00, 下午5点30分, 下午五点: a time of day written as a clock
    clock = (
        rf"(?<![\d{CN_DIGITS}])\d{{1,2}}[{g['clock_colons']}]\d{{2}}"
        rf"|(?:{tod})?(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})[{g['hour_marks']}]{minutes}"
    )
    # 每周五12:00前, 每日17:30前: a clock right after a weekday or a period (五 is a weekday there, not an hour)
    bare_clock = rf"\d{{1,2}}[{g['clock_colons']}]\d{{2}}|(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})[{g['hour_marks']}]{minutes}"
    # 6月30日(星期五)17:00前, 6月30日下班前: what may stand between a day and its 前
    # (a weekday, a lunar day or 含 in brackets: 6月30日(含)前, 2月1日(腊月十六)以前)
    day_tail = rf"(?:[(（][^()（）\n]{{1,8}}[)）])?(?:(?:{tod})?(?:{clock})|{leaving})?(?={before})"
    # 一五, 二五 … 九五 spelled out (the plan's digit and 五), so the derived triggers need one of them, not any 十
    within_chars = "".join(sorted({c for w in g["within"] for c in w}))  # a limit followed by 内 is a duration's
    plan_names = "|".join(d + g["five_year_plan"][1] for d in g["digits"])
    thirds = "|".join(g["month_thirds"])  # 每月上旬前, 每月中旬报送: a third of every month
    patterns = {
        "start": rf"(?:{_alternation(lex['start'])})",
        "recurring": (
            rf"每(?P<p>{'|'.join(g['recurring_periods'])})"
            rf"(?:的?(?:{g['recurring_months'][0]}|第[{g['digits'][:3]}]个月|{'|'.join(g['recurring_months'][1:])}"
            rf"|(?:{g['recurring_next_month'][0]}|{g['recurring_next_month'][1]}{g['event_after']}?)?{g['next_month']}))?的?"
            rf"(?P<spec>{mon}月{day}[{dm}]|{mon}月{g['month_ends'][0]}|{day}[{dm}]|[{wd}](?:(?:{tod})?(?:{leaving}|{bare_clock}))?|(?:(?<={mm}){mm}|(?<={ym}){ym})?(?:{ends})|(?<={mm})(?:{thirds})"
            rf"|{g['before'][-1]}(?:\d+|[{CN_DIGITS}]+)个?{g['workday']}|(?:{tod})?(?:{bare_clock}))(?P<suf>{before}|{within})"
        ),
        "date": (
            rf"(?<![\d.年])(?:(?P<y>{year})年|(?P<yw>{yw}))?(?P<m>{mon})月份?"
            rf"(?:(?P<d>{day})(?:[{dm}](?:{day_tail}|{'|'.join(g['times_of_day'][:2])})?|(?={before}))"
            rf"|(?P<part>{ends}|{'|'.join(g['month_thirds'])}))?(?P<suf>{before}|{within})?"
        ),
        "span": (
            rf"(?<![\d.年])(?:(?P<y>{year})年)?(?P<m1>{mon})月(?P<d1>{day})[{dm}]?{weekday_note}"
            rf"(?:{'|'.join(g['span_joiners'])})(?:(?:(?P<y2>{year})年)?(?P<m2>{mon})月)?(?P<d2>{day})[{dm}]{weekday_note}(?P<suf>{before})?"
        ),
        # 3—5月, 3月至5月, 2024年4月—6月底: a window of months, due the last one's end (bare: needs a cue)
        "month-span": (
            rf"(?<![\d.{ym}{CN_DIGITS}])(?:(?P<y>{_YEAR}){ym})?(?P<m1>{mon_digits})(?:{mm}{ms}?)?(?:{'|'.join(g['span_joiners'])})"
            rf"(?:(?P<y2>{_YEAR}){ym})?(?P<m2>{mon_digits}){mm}{ms}?(?:(?P<part>{ends})|(?![\d{CN_DIGITS}{dm}{''.join(g['month_thirds'])[0]}]))(?P<suf>{before})?"
        ),
        "dotted-span": (
            rf"(?:{campaign})(?P<m1>1[0-2]|0?[1-9])\.(?P<d1>3[01]|[12]\d|0?[1-9])[-—–~～至]"
            r"(?P<m2>1[0-2]|0?[1-9])\.(?P<d2>3[01]|[12]\d|0?[1-9])(?=[)）])"
        ),
        "year-end": (
            rf"(?<![\d{CN_DIGITS}{g['count_words']}])(?:(?P<y>{year})年?|(?P<yw>{yw}|{yw1}))?"
            rf"(?P<core>{'|'.join(g['year_ends'] + g['within_year'])})(?P<suf>{before})?"
        ),
        # 2025年前 (not 2025年前三季度: the first quarters of that year); a year in digits only, like
        # to-year's, so both are scanned where 20/19 stand, not wherever 年 does
        "year-before": rf"(?<![\d.])(?P<y>{_YEAR})年(?P<suf>{before})(?![\d{CN_DIGITS}{g['count_words']}{g['cued_event_counts']}])",
        "to-year": rf"(?P<cue>{'|'.join(g['range_words'])})(?P<y>{_YEAR})年(?![\d{CN_DIGITS}Xx×*{g['to_year_not_before']}])",
        # 上半年, 明年上半年, 2024年上半年 (a year in digits or numerals reads that year's half)
        "half": rf"(?:(?P<y>{year}){ym}|(?P<yw>{yw}))?(?P<h>{halves})(?P<suf>{period_suffixes}|{before}|{within})?",
        "quarter": rf"(?:(?P<y>{year}){ym}|(?P<yw>{yw}))?第?(?P<q>[{g['digits'][:4]}1-4]){quarter}(?P<suf>{period_suffixes}|{before}|{within})?",
        "month": (
            rf"(?:(?P<mw>{mw})|(?<![\d{CN_DIGITS}Xx×*{g['month_not_before']}]))"
            rf"(?P<core>{'|'.join(g['month_cores'])})(?P<suf>{before})?"
        ),
        "month-day": rf"(?P<mw>{mw})月(?P<d>{day})[{dm}](?P<suf>{before})",
        # 到“十四五”末, 十四五期末前: the end of a five-year plan, due its last year's 31 December
        "plan-end": (
            rf"(?P<cue>{'|'.join(g['range_words'])})?[\"“]?{g['five_year_plan'][0]}(?P<n>{plan_names})"
            # 五末, 五”末, 五期末 … spelled out, so the derived triggers need one of them rather than any 十
            rf"[\"”]?(?:{'|'.join(g['five_year_plan_ends'])})(?P<suf>{before})?"
        ),
        # 当月底前, 当月25日前: the month of an occasion, due null (当月工资 is a scope, not a time)
        "occasion-month": rf"{g['occasion_month']}(?:(?P<d>{day_alone})[{dm}]|{ends})(?P<suf>{before})",
        # 本月中旬前, 下月上旬: a third of this or next month
        "month-third": rf"(?P<mw>{mw}){mm}(?P<part>{'|'.join(g['month_thirds'])})(?P<suf>{before})?",
        # 本季度内, 下季度末前, 本季度: this or next quarter
        "rel-quarter": (
            rf"(?P<qw>{_alternation(g['quarter_words_relative'])})(?:{quarters})(?![{g['rough_start_of']}])(?P<part>{period_ends})?(?P<suf>{before}|{within})?"
        ),
        # 请于6.30前报送: a month and day in digits and a dot, only with its 前
        "dotted-day": rf"(?<![\d.])(?P<m>1[0-2]|0?[1-9])\.(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.%])(?P<suf>{before})",
        # 6月初, 下月初前, 明年初: the start of a month or a coming year, due by convention (estimated)
        "rough-start": (
            rf"(?:(?P<mw>{mw}){mm}|(?<![\d.{ym}{CN_DIGITS}])(?P<m>{mon}){mm}|(?P<yw>{future_years}))"
            rf"(?P<part>{'|'.join(g['rough_starts'])})(?P<suf>{before})?(?![{g['rough_start_not_after']}])"
        ),
        # 本周五前, 下周内, 本周末前; a weekday with no week word is this week's (周五前, 星期四下班前)
        "week": (
            rf"(?:(?P<ww>{ww})|(?<![{g['bare_week_not_after']}])(?:{'|'.join(g['bare_weeks'])})(?=[{wd}{g['week_end']}]))"
            # 本周五17时前, 下周一上午10点前: a clock after the day, like 6月30日17:00前
            rf"(?:(?P<wd>[{wd}])|{g['week_end']})?(?:{'|'.join(g['times_of_day'])})?(?:(?<=[{wd}{''.join(g['times_of_day'])}])(?:{bare_clock})|{'|'.join(g['leaving'])})?"
            rf"(?P<suf>{before}|{within})?"
        ),
        # 当天下午5点30分前, 29日上午前, 16时前: a time of day by which work is due
        "clock": (
            rf"(?:(?P<dw>{clock_days})|{_NOT_NUM}(?<![{g['day_not_before']}])(?P<d>{day_alone})[{dm}])?"
            rf"(?:(?P<tod>{tod})(?:(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})[{g['hour_marks']}]{minutes})?"
            rf"|(?<![\d{CN_DIGITS}])\d{{1,2}}[{g['hour_marks']}]{minutes}"
            rf"|(?:(?:{tod})?(?<![\d{CN_DIGITS}])\d{{1,2}}[{g['clock_colons']}]\d{{2}})|(?<=[{g['leaving_after']}{dm}])(?:{leaving}))(?P<suf>{before})"
        ),
        # 请各单位明天上午8:00将名单报送: a named day's clock with no 前, a deadline only as an order to deliver
        "day-clock": (
            rf"(?P<dw>{_alternation(g['clock_days'])})(?P<tod>{tod})?"
            rf"(?:(?<![\d{CN_DIGITS}])\d{{1,2}}[{g['clock_colons']}]\d{{2}}|(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})[{g['hour_marks']}]{minutes})"
            rf"(?![\d{g['before'][-1]}{g['before'][0][0]}{g['before'][1][0]}])"
        ),
        "duration": (
            rf"(?<![{g['duration_not_before']}\d{CN_DIGITS}])(?P<n>\d+|[{CN_DIGITS}]+|{g['half']}|{PLACEHOLDER})"
            rf"(?P<unit>{units}|(?<={g['half']}){g['half_month']})(?:{g['duration_span']})?(?P<suf>{within})"
        ),
        # 限时3天完成, 整改期限为30天: a limit with no 内
        "limit": (
            rf"(?P<cue>{_alternation(g['limit_cues'])})(?P<n>\d{{1,3}}|[{CN_DIGITS}]+|{g['half']}|{PLACEHOLDER})"
            rf"(?P<unit>{units}|(?<={g['half']}){g['half_month']})(?P<span>{g['duration_span']})?(?![{within_chars}])"
        ),
        "day": rf"{_NOT_NUM}(?<![{g['day_not_before']}])(?P<d>{day_alone})[{dm}](?P<suf>{before})",
        # 2024.6.30前, 完成时限:2024-06-30, 2024.12: a date in digits and dots, dashes or slashes
        "numeric-date": (
            rf"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<sep>[{re.escape(g['numeric_date_separators'])}])(?P<m>1[0-2]|0?[1-9])"
            rf"(?:(?P=sep)(?P<d>3[01]|[12]\d|0?[1-9]))?(?![\d.%])(?P<suf>{before})?"
        ),
        # 请于20181230日前上报: a date whose 年 and 月 the page dropped (the genre's 2013218日), read only with its 前
        "run-date": rf"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<md>\d{{3,4}})[{dm}](?P<suf>{before})",
        # 要在验收检查前完成, 请于节前将…报送: an occasion the text names, ordered by a modal cue (due null)
        "cued-event": (
            rf"(?:{_alternation(g['event_cues'])})(?P<body>(?P<ev>[^\W\d_{g['before'][-1]}]{{1,8}}){g['before'][-1]})"
            rf"(?![{''.join(lex['after_qian_negative'])}])"
        ),
        # 考试前十天报送名单, 会议召开前3天报送: a lead time before an occasion the text names (due null)
        "occasion-lead": (
            rf"(?:{_alternation(lex['occasion_lead_heads'])}){g['before'][-1]}(?P<n>\d{{1,2}}|[{CN_DIGITS}]{{1,3}})"
            rf"(?P<unit>{_alternation(lex['occasion_lead_units'])})(?:{within})?"
        ),
        # 提前一天报告, 会前两日内报送, 提前10分钟到场: a lead time before an occasion
        "lead": rf"(?:{_alternation(g['lead_words'])})(?P<n>\d+|[{CN_DIGITS}]+)(?P<unit>{units})(?:{within})?",
        "event": (
            rf"(?<![{g['ordinal']}\d{CN_DIGITS}])(?:(?P<yw>{yw}))?[\"“「『]?(?P<ev>{_alternation(alias)})[\"”」』]?"
            rf"(?:{_alternation(lex['event_periods'])})?"
            rf"(?:{'|'.join(g['event_starts'])}|(?P<end>{_alternation(lex['event_ends'])}))?"
            rf"(?:(?P<suf>{before})|{g['event_after']}?(?P<first>{_alternation(g['event_first_periods'])})(?:{within})?)"
        ),
        "next-month": rf"(?<![{g['next_month_not_before']}]){g['next_month']}(?P<d>{day})[{dm}](?P<suf>{before})",
        # 下次推进会上, 下次全市医保工作调度会前: the next meeting, an event with no date
        "next-meeting": (
            rf"(?:{_alternation(g['next_meeting'])})(?![{g['next_meeting_not_before']}])[^\W\d_]{{0,12}}?"
            rf"(?:{_alternation(g['meetings'])})"
            rf"(?:{_alternation(g['at_meeting'])})(?![{g['at_meeting_not_after']}])"
        ),
        "period-end": (
            rf"(?:(?P<every>每个?)(?P<q>{'|'.join(g['every_periods'])})(?:(?<={mm}){mm}|(?<={ym}){ym})?"
            rf"|(?<![{CN_DIGITS}\d{g['period_end_not_before']}])(?P<p>{quarters}))"
            rf"(?P<part>{period_ends}|(?<={mm})(?:{thirds}))(?![{CN_DIGITS}\d{g['period_end_not_after']}])(?P<suf>{before})?"
        ),
        "this-year": rf"{g['this_year']}(?={this_year})",
        "this-year-target": (
            rf"(?<!{_alternation(lex['this_year_before_negative'])}){g['this_year']}"
            rf"(?![\d{CN_DIGITS}Xx×*{g['this_year_not_before']}])"
        ),
    }
    return _Lexicon(
        start=tuple(lex["start"]),
        cue_before=tuple(lex["cue_before"]),
        completion_after=tuple(lex["completion_after"]),
        action_after=tuple(lex["action_after"]),
        target_after=tuple(lex["target_after"]),
        bare_after_negative=tuple(lex["bare_after_negative"]) + tuple(g["window_joiners"]),
        promise_after=tuple(lex["promise_after"]),
        schedule_before=tuple(lex["schedule_before"]),
        past_in_clause_after=tuple(lex["past_in_clause_after"]),
        period_end_after=tuple(lex["period_end_after"]),
        meeting_after=tuple(lex["meeting_after"]),
        attend_in_clause=tuple(lex["attend_in_clause"]),
        before_negative=tuple(lex["before_negative"]),
        before_negative_exempt=tuple(lex["before_negative_exempt"]),
        closing_before=tuple(lex["closing_before"]),
        window_starts=tuple(lex["window_starts"]),
        window_not_after=tuple(lex["period_end_after"] + lex["window_not_after"]),
        cell_label_negative=tuple(lex["cell_label_negative"]),
        past_after=tuple(lex["past_after"]),
        phases_after=tuple(lex["phases_after"]),
        clock_days=dict(g["clock_days"]),
        not_event_before_hou=frozenset(lex["not_event_before_hou"]),
        ref_events=tuple(lex["ref_events"]),
        ref_event_verbs=tuple(lex["ref_event_verbs"]),
        validity_before=tuple(lex["validity_before"]),
        event_ends=tuple(lex["event_ends"]),
        after_negative=tuple(lex["after_negative"]),
        after_negative_exempt=tuple(lex["after_negative_exempt"]),
        after_qian_negative=tuple(lex["after_qian_negative"]),
        this_year_targets=tuple(lex["this_year_targets"]),
        this_year_past=tuple(lex["this_year_past"]),
        year_words=dict(lex["year_words"]),
        month_words=dict(lex["month_words"]),
        week_words=dict(lex["week_words"]),
        halves=dict(lex["halves"]),
        duration_units=dict(lex["duration_units"]),
        events=events,
        event_alias=alias,
        regions=dict(cal.get("regions", {})),
        default_region=str(cal.get("default_region", "")),
        before=tuple(g["before"]),
        weekdays=dict(g["weekdays"]),
        quarters={d: n for n, d in enumerate(g["digits"][:4], 1)} | {str(n): n for n in range(1, 5)},
        month_ends=tuple(g["month_ends"]),
        month_thirds=dict(g["month_thirds"]),
        year_ends=tuple(g["year_ends"]),
        within_year=tuple(g["within_year"]),
        range_words=tuple(g["range_words"]),
        range_before=frozenset("0123456789" + g["range_before"] + CN_DIGITS),
        window_joiners=tuple(g["window_joiners"]),
        season_ends=g["season_ends"],
        range_start_exempt=g["range_start_exempt"],
        day_marks=dm,
        half=g["half"],
        event_after=g["event_after"],
        future_bare_exempt=tuple(g["future_bare_exempt"]),
        sources=tuple(patterns.items()),
    )


@cache
def _pattern_triggers() -> Triggers:
    """Which deadline patterns can match a text: the strings each one needs (``textkit.triggers``)."""
    return source_triggers("deadlines", _lexicon().sources)


@cache
def _scan_patterns() -> CompiledOnUse:
    """The patterns as scanned, by name: each opened by a lookahead on its first characters
    (``textkit.triggers``) and compiled the first time a text may match it (each pattern is
    compiled once: the lexicon keeps only their texts)."""
    return CompiledOnUse(scan_sources("deadlines", _lexicon().sources))


def warm_up() -> None:
    """Compile every deadline pattern now (a worker's warm-up), not when a text first needs it."""
    _scan_patterns().compile_all()


# ---------------------------------------------------------------- calendar arithmetic


# Month arithmetic is dateutil's relativedelta: a day past the target month's end clamps to it
# (1月31日 + 1 month = 2月29日 in 2024), which is how 下月底/N个月内 are read.
def _month_end(year: int, month: int) -> date:
    """``date(year, month, 1) + relativedelta(day=31)``, which clamps day 31 to the month's last day
    (``calendar.monthrange``, as relativedelta reads it): the same day without building a
    relativedelta (~13 µs, ~0.8% of an extraction over 420 calls a corpus pass; tested)."""
    return date(year, month, 1).replace(day=monthrange(year, month)[1])  # date() refuses a bad year or month first


def _shift_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def add_workdays(ref: date, n: int) -> tuple[date, bool]:
    """The ``n``-th working day after ``ref`` and whether it is approximate.

    Uses the official holiday calendar (``chinese_calendar.find_workday``); for
    years it does not cover yet it counts Monday–Friday and returns ``True``.
    """
    try:
        return _find_workday(n, ref), False
    except (NotImplementedError, KeyError, ValueError):
        # Same counting as find_workday: a weekend ref first moves to Monday (the 0th day).
        day = ref
        while day.weekday() >= 5:
            day += timedelta(days=1)
        for _ in range(n):
            day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
        return day, True


@cache
def _calendar() -> tuple[dict[date, Any], dict[date, Any], int, int]:
    """chinese_calendar's holiday and working-day tables and the years they cover (read once)."""
    import chinese_calendar

    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    return holidays, workdays, min(holidays).year, max(holidays).year


def _find_workday(n: int, ref: date) -> date:
    """``chinese_calendar.find_workday(n, ref)``, the same days and the same refusal of a year it
    does not cover (NotImplementedError), with the years worked out once: the library checks each
    day it visits by a min and a max over its whole table (~25 µs a day, 19 ms for the corpus's
    44 counts). A negative ``n`` is left to the library."""
    if n < 0 or ref.__class__ is not date:
        import chinese_calendar

        return chinese_calendar.find_workday(n, ref)
    holidays, workdays, first, last = _calendar()
    day, one = ref, timedelta(days=1)
    for i in range(n + 1):
        if i:
            day += one
        while True:
            if not first <= day.year <= last:
                raise NotImplementedError(f"no available data for year {day.year}")
            if day in workdays or (day.weekday() <= 4 and day not in holidays):
                break
            day += one
    return day


def _event_date(name: str, year: int, region: str | None) -> tuple[date | None, bool]:
    lex = _lexicon()
    event = lex.events[name]
    if "fixed" in event:
        month, day = (int(x) for x in event["fixed"].split("-"))
        return date(year, month, day), False
    if "by_year" in event:
        value = event["by_year"].get(str(year))
        if value is None:
            return None, False
        month, day = (int(x) for x in value.split("-"))
        return date(year, month, day), False
    table = lex.regions.get(region or lex.default_region)
    if not table or name not in table:
        return None, False
    month, day = (int(x) for x in str(table[name]).split("-"))
    return date(year, month, day), bool(table.get("approximate", False))


def resolve_event(name: str, context: Context = DEFAULT_CONTEXT, *, year_offset: int | None = None) -> tuple[date | None, bool]:
    """Due day of ``<event>前`` (the day before the event) and whether it is approximate.

    ``name`` is an event of ``calendar.toml`` or one of its aliases. Without
    ``year_offset`` the next occurrence on or after ``context.ref`` is used
    (春节前 said in March means next year's). Unknown events, regions or years
    give ``(None, False)``.
    """
    lex = _lexicon()
    name = lex.event_alias.get(name, name)
    if name not in lex.events or context.year is None:
        return None, False
    if year_offset is not None or context.ref is None:
        found, approx = _event_date(name, context.year + (year_offset or 0), context.region)
        return (found - timedelta(days=1) if found else None), approx
    for year in (context.year, context.year + 1):
        found, approx = _event_date(name, year, context.region)
        if found is None:
            return None, False
        if found - timedelta(days=1) >= context.ref:
            return found - timedelta(days=1), approx
    return None, False


# ---------------------------------------------------------------- acceptance


def _accept(text: str, start: int, end: int, *, bare: bool, window: bool = False) -> bool:
    """Context checks shared by all rules; ``bare`` times also need a cue (确保上半年…). A ``window``
    (从3月1日至3月31日,在全县开展…) may open with 从/自 unless it ends a period (…至3月3日止)."""
    lex = _lexicon()
    before, after = text[max(0, start - 4) : start], text[end : end + 6]
    clause = _CLAUSE_END_RE.split(text[max(0, start - 24) : start])[-1]
    if any(w in clause for w in lex.validity_before):
        return False  # 本通知执行时间为9月25日至11月30日: the notice's validity, not a deadline
    if (
        before.endswith(lex.before_negative)
        and not before.endswith(lex.before_negative_exempt)
        and not (before.endswith(lex.closing_before) and text[start:end].endswith(lex.before))
        and not (window and before.endswith(lex.window_starts) and not after.startswith(lex.window_not_after))
    ):
        return False
    if (
        after.startswith(lex.after_negative)
        and not after.startswith(lex.after_negative_exempt)
        and not text[start:end].endswith(lex.before)  # 月底前开始打桩: start by then
        and not (window and _completed_within(text, start, end))
    ):
        return False
    if _is_window_end(text, start, end):
        return False
    if after.startswith(lex.past_after):  # 安置房8月底已结顶: work already done
        return False
    if text[start:end].endswith(lex.before[-1]) and _is_phase_list(text, end):
        return False
    if text[start:end].endswith(lex.before[-1]) and after[:1] in lex.after_qian_negative:
        return False
    if text[start:end].endswith(lex.before[-1]) and _qian_lead_modifier().match(text, end):
        return False  # 放假前30分钟的安全教育: a routine's moment
    if (bare or _is_duration(text, start, end)) and _reports_the_past(text, end):
        return False  # 于6月11日进行了审查, 在两个月内接连发生了几起事故: what happened, not what is due
    if not bare:
        return not (window and _window_not_work(text, start, end))
    if before.endswith(lex.schedule_before):
        # 会议定于3月15日下午召开, 省厅决定于3月2日启动: when something is scheduled; but a window scheduled
        # for a campaign (定于4—6月在全县开展集中整治) is the campaign's, due its end
        spans = window or any(j in text[start:end] for j in lex.window_joiners)
        return spans and _scheduled_campaign(text, end)
    if text[start - 1 : start] in lex.range_words and after.startswith(lex.period_end_after):
        return False  # 春运从1月26日开始,至3月5日结束: the end of a period described
    if after.startswith(lex.completion_after):
        return True
    if window and (_cued(text, start) or after.startswith(_window_stage_after())):
        return True  # 于5月20日到5月22日在沿海城市举办…: the place after a cued window is no "during"
    if after.startswith(lex.range_start_exempt):  # 下半年至少举办2场: not the start of a range (下半年至明年)
        pass
    elif after.startswith(lex.bare_after_negative) or _is_range_end(text, start):
        return False
    cued = _cued(text, start)
    if after.startswith(lex.promise_after) and not cued:  # 年底将表彰; but 请于6月30日将材料报送
        return False
    if any(c in lex.day_marks for c in text[start:end]):
        if after.startswith(lex.meeting_after):
            return False
        clause = _CLAUSE_END_RE.split(text[end : end + 24], maxsplit=1)[0]
        if any(w in clause for w in lex.attend_in_clause):  # 请于3月20日下午3点到县政府参会: when, not by when
            return False
    if any(c in lex.day_marks for c in text[start:end]) and _names_an_occasion(text, end) and not _ordered(text, start):
        return False  # 在5月5日项目观摩会上, 市领导于6月5日到我县调研: what happened on that day (要在…会上汇报 orders)
    if cued or _alone_in_a_cell(text, start, end) or _schedule_note(text, start, end) or _alone_on_a_line(text, start, end):
        return True
    if window and before.endswith(lex.window_starts):  # 从6月1日至6月30日,在全县开展…
        return True
    if before.rstrip()[-1:] not in _CLAUSE_OPEN:  # …,上半年供应… / …;第一季度印发…
        return False
    if after[:1] in _COMMAS:  # 6月底,各村要完成… (an order) / 6月30日,县委召开… (news)
        framed = _CLAUSE_END_RE.split(text[end + 1 : end + 25], maxsplit=1)[0]
        # 下半年,要重点抓好以下几项工作: a period that opens the list of its work, not a due point
        return _frame_modal_re().search(framed) is not None and not any(w in framed for w in _frame_lead_ins())
    clause = _CLAUSE_END_RE.split(text[end : end + 16], maxsplit=1)[0]
    return after.startswith(lex.action_after) or any(w in clause for w in lex.target_after)


# A table cell opens a clause too (…|财务处|2021年2月公布…|: a plan's table turned into pipes).
_CLAUSE_OPEN = frozenset(",;:。!?，；：！？\n|") | {""}
_CLAUSE_END = r"[,;:。!?，；：！？\n]"
_CLAUSE_END_RE = re.compile(_CLAUSE_END)
# The lexicon's word lists are tuples: ``s.startswith(words)`` is ``any(s.startswith(w) for w in words)``
# done in C (likewise ``endswith``).


def _alone_in_a_cell(text: str, start: int, end: int) -> bool:
    """``|县住建局|2024年6月|``: a time that fills a table cell by itself (a plan's time column, turned
    into pipes or tabs by the page) says by when the row's task is due."""
    before, after = text[max(0, start - 3) : start].rstrip(" "), text[end : end + 3].lstrip(" ")
    if before[-1:] not in _CELL_EDGES or not (after[:1] in _CELL_EDGES or after == ""):
        return False
    label = text[max(0, start - 16) : start].rstrip(" ")[:-1]
    label = label[max(label.rfind("|"), label.rfind("\t")) + 1 :]
    return not any(w in label for w in _lexicon().cell_label_negative)


_CELL_EDGES = frozenset("|\t")


def _alone_on_a_line(text: str, start: int, end: int) -> bool:
    """``2024年6月底`` on a line of its own under an item (a plan's time column with each cell on a line,
    or a due line under a task): like a time alone in a table cell, the due time of the item above.
    A day alone on a line (2024年3月7日, 2024-03-07) is a sign-off or a dateline far more often: not."""
    if any(c in _lexicon().day_marks for c in text[start:end]) or _NUMERIC_DAY.search(text, start, end):
        return False
    if _bare_month().fullmatch(text, start, end):
        return False  # 三月份 / 4月 alone: a month-by-month plan's heading over the items below it
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not text[line_start:start].strip() and not text[end : len(text) if line_end == -1 else line_end].strip(_LINE_TAIL)


@cache
def _bare_month() -> re.Pattern[str]:
    """A month with nothing else (三月份, 4月, 十二月): a month-by-month plan's heading."""
    return re.compile(load_toml("deadlines")["deadline"]["grammar"]["bare_month"])
_NUMERIC_DAY = re.compile(r"\d[./-]\d{1,2}[./-]\d")
_LINE_TAIL = " \t\u3000。;；,，"


def _schedule_note(text: str, start: int, end: int) -> bool:
    """``动员部署阶段(4月12日-4月26日)`` / ``(县住建局负责,6月底)``: a time that closes a bracket it
    opens, or that ends a bracketed trailer after a comma, is the schedule of the stage or item before
    it (a window's end in brackets, 防火期(…至5月31日), is turned away earlier)."""
    if text[end : end + 1] not in _CLOSE_BRACKETS:
        return False
    lex = _lexicon()
    # a day in brackets dates the document or the meeting (纪要(9月4日), a speech's (2022年3月20日)), and
    # a weekday in brackets after a day (6月1日(下周五)) names that day
    if any(c in lex.day_marks for c in text[start:end]) or text[max(0, start - 2) : max(0, start - 1)] in lex.day_marks:
        return False
    return text[max(0, start - 1) : start] in _OPEN_BRACKETS or (
        text[max(0, start - 1) : start] in _COMMAS and any(b in text[max(0, start - 16) : start] for b in _OPEN_BRACKETS)
    )


_OPEN_BRACKETS = frozenset("(（")
_CLOSE_BRACKETS = frozenset(")）")


def _window_not_work(text: str, start: int, end: int) -> bool:
    """Whether a window (``6月1日至30日``) says when something happens or is, not when work is due:
    scheduled (``会议定于…召开``, ``于…举办``), described (``…是关键时期``), or the lede of a news report:
    opening a sentence, set off by a comma, before a clause that reports the past (了, 已) or neither
    orders (要, 务必), completes nor does a plan's work (开展, 完成): ``6月1日至3日,视察组到…调研``
    (``6月1日至30日,全县开展集中整治`` is a plan's window)."""
    lex, after = _lexicon(), text[end : end + 6]
    if text[max(0, start - 4) : start].endswith(lex.schedule_before):
        return not _scheduled_campaign(text, end)  # 会议定于6月1日至2日召开; but 定于…至…在全县开展专项整治
    if after.startswith(lex.meeting_after) and not _ordered(text, start):  # 要于5月20日到22日举办推介会: ordered
        return True
    if after.startswith(_window_described_after()) and not _frame_modal_re().search(_CLAUSE_END_RE.split(text[max(0, start - 16) : start])[-1]):
        return True  # 6月1日至30日是关键时期; but 要利用6月1日至30日的时间集中清查 orders work in it
    if _names_an_occasion(text, end) and not _ordered(text, start):
        return True
    if text[end : end + 1] not in _COMMAS or text[max(0, start - 4) : start].rstrip()[-1:] not in _CLAUSE_OPEN:
        return False
    clause = _CLAUSE_END_RE.split(text[end + 1 : end + 25], maxsplit=1)[0]
    if any(w in clause for w in lex.this_year_past):
        return True
    if _frame_modal_re().search(clause):
        return False
    return not any(w in clause for w in lex.completion_after + lex.action_after)


def _completed_within(text: str, start: int, end: int) -> bool:
    """``要在10月15日至20日期间完成复核``: a window ordered (a modal cue before it) and closed by the work's
    completion right after its 期间 is that work's window, due its end; ``10月15日至20日期间,各村要加强巡查``
    (a during window) and ``在6月1日至30日期间完成了`` (a report) are not."""
    words = _within_window_words()
    rest = next((text[end + len(w) : end + len(w) + 4] for w in words[0] if text.startswith(w, end)), None)
    return rest is not None and rest.startswith(words[1]) and _ordered(text, start) and not _reports_the_past(text, end)


@cache
def _within_window_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    g = load_toml("deadlines")["deadline"]["grammar"]
    return tuple(g["window_within"]), tuple(g["window_within_completion"])


def _scheduled_campaign(text: str, end: int) -> bool:
    """``定于4月10日至5月10日在全县开展专项整治``: a window scheduled for a campaign of work is that work's
    window, due its last day (like 从…至…开展); a meeting or an event held in it (召开, 举办) is not."""
    clause = _CLAUSE_END_RE.split(text[end : end + 24], maxsplit=1)[0]
    words = _campaign_words()
    return any(w in clause for w in words[0]) and not any(w in clause for w in words[1])


@cache
def _campaign_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    lex = load_toml("deadlines")["deadline"]
    return tuple(lex["scheduled_campaign"]), tuple(lex["scheduled_not_campaign"])


def _names_an_occasion(text: str, end: int) -> bool:
    """The clause after a day names a meeting held on it (…项目观摩会上) or a visit to the speaker's
    place (…到我区开展考核): ``meeting_at_after``, ``visit_in_clause``."""
    words = _occasion_words()
    clause = _CLAUSE_END_RE.split(text[end : end + 24].lstrip(",，"), maxsplit=1)[0]  # 11月17-19日,…到我区
    if any(w in clause for w in words[1]):
        return True
    return any(0 <= clause.find(w) <= 12 for w in words[0])


@cache
def _occasion_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    g = load_toml("deadlines")["deadline"]
    return tuple(g["meeting_at_after"]), tuple(g["visit_in_clause"])


@cache
def _window_described_after() -> tuple[str, ...]:
    return tuple(load_toml("deadlines")["deadline"]["grammar"]["window_described_after"])


@cache
def _qian_lead_modifier() -> re.Pattern[str]:
    """``前30分钟的安全教育``: a lead time after 前 that qualifies a noun (``qian_lead_units``); not
    ``开学前一周的时间里完成`` (the time left before the occasion, by which work is done)."""
    g = load_toml("deadlines")["deadline"]
    units, of = _alternation(g["qian_lead_units"]), g["qian_lead_of"]
    return re.compile(
        rf"(?:\d+|[{CN_DIGITS}{g['qian_lead_numerals']}]+){g['qian_lead_counter']}?(?:{units}){of}(?!{g['grammar']['duration_span']})"
    )


@cache
def _window_stage_after() -> tuple[str, ...]:
    return tuple(load_toml("deadlines")["deadline"]["grammar"]["window_stage_after"])


@cache
def _frame_modal_re() -> re.Pattern[str]:
    """A modal that orders work (各村要完成, 务必), not one inside 要求 / 重要 / 应急 (``frame_modal_*``)."""
    g = load_toml("deadlines")["deadline"]["grammar"]
    return re.compile(
        rf"(?<![{g['frame_modal_not_before']}])(?:{_alternation(g['lead_modals'])})(?![{g['frame_modal_not_after']}])"
    )


@cache
def _frame_lead_ins() -> tuple[str, ...]:
    return tuple(load_toml("deadlines")["deadline"]["grammar"]["frame_lead_ins"])


def _reports_the_past(text: str, end: int) -> bool:
    """A past marker in the clause after a time (进行了, 发生了): the clause reports what happened."""
    clause = _CLAUSE_END_RE.split(text[end : end + 16], maxsplit=1)[0]
    return any(w in clause for w in _lexicon().past_in_clause_after)


def _is_duration(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends like a duration (3个工作日内, 两个月内): its suffix is 内."""
    return text[start:end].endswith(_within_words())


@cache
def _within_words() -> tuple[str, ...]:
    return tuple(load_toml("deadlines")["deadline"]["grammar"]["within"])


def _is_phase_list(text: str, end: int) -> bool:
    """``开学前、开学中、开学后的各项工作``: a 前 listed with the event's 中/后 names a phase of it."""
    if text[end : end + 1] != "、":
        return False
    item = _PHASE_SPLIT_RE.split(text[end + 1 : end + 9], maxsplit=1)[0]
    return item.endswith(_lexicon().phases_after)


_PHASE_SPLIT_RE = re.compile(r"[、,;:。!?，；：！？\n的]")


def _cued(text: str, start: int) -> bool:
    before = text[max(0, start - 6) : start]
    if before.endswith(_lexicon().cue_before):
        return True
    if text[start - 1 : start] not in _LABEL_GAPS:
        return False
    # a plan's label set off by a space or a bracket rather than its colon (完成时限 2024年6月30日,
    # 完成时限 :2024年6月30日, 【完成时限】2024年6月30日): the label cues the time as its colon form does
    squeezed = "".join(text[max(0, start - 10) : start].split()).rstrip("".join(_LABEL_GAPS))
    return squeezed.endswith(_lexicon().cue_before) or squeezed.endswith(_label_stems())


_LABEL_GAPS = frozenset(" \t\u3000】]:：")


@cache
def _label_stems() -> tuple[str, ...]:
    """The plan labels among the cues, without their colon (完成时限: → 完成时限)."""
    return tuple(w[:-1] for w in _lexicon().cue_before if w[-1:] in (":", "："))


def _is_window_end(text: str, start: int, end: int) -> bool:
    """``防火期(2020年12月1日至2021年5月31日)``: the end of a period in brackets says when
    something lasts, not when work is due."""
    # the text's end is no closing bracket ("" is in every string)
    if not (start >= 1 and text[start - 1] in _lexicon().window_joiners and text[end : end + 1] in (")", "）")):
        return False
    opened = max(text.rfind("(", max(0, start - 24), start), text.rfind("（", max(0, start - 24), start))
    return opened == -1 or not text[max(0, opened - 4) : opened].endswith(_stage_words())


@cache
def _stage_words() -> tuple[str, ...]:
    """A stage of the work (阶段): a window in brackets after it is the stage's schedule."""
    return tuple(load_toml("deadlines")["deadline"]["grammar"]["stage_words"])


def _is_range_end(text: str, start: int) -> bool:
    """``1至5月`` / ``2022年至2024年``: the end of a statistics range, not a deadline."""
    lex = _lexicon()
    return start >= 2 and text[start - 1] in lex.range_words and text[start - 2] in lex.range_before


# ---------------------------------------------------------------- rules

_Result = tuple[Deadline, bool]  # the value and whether the match was bare (needs a cue)
_Rule = Callable[[re.Match[str], Context], "_Result | None"]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _year_of(match: re.Match[str], context: Context) -> tuple[int | None, bool, bool]:
    """(year, may roll to next year, redacted) from an optional ``y``/``yw`` group."""
    groups = match.groupdict()
    if groups.get("y"):
        year = _year_text(groups["y"])
        if is_placeholder(year) or not year.isdigit():
            return None, False, True
        return int(year), False, False
    if groups.get("yw"):
        offset = _lexicon().year_words.get(groups["yw"])
        if offset is None:  # the one-character form: 今 / 本 / 明 (今年底)
            offset = next(v for k, v in _lexicon().year_words.items() if k[0] == groups["yw"])
        return (context.year + offset if context.year else None), False, False
    return context.year, context.ref is not None, False


def _rolled(make: Callable[[int], date | None], year: int | None, roll: bool, context: Context) -> date | None:
    """``make(year)``, moved to next year when already past at the reference date."""
    if year is None:
        return None
    day = make(year)
    if day is not None and roll and context.ref is not None and day < context.ref:
        day = make(year + 1)
    return day


def _rule_date(match: re.Match[str], context: Context) -> _Result | None:
    mon, day_s, part, suf = match["m"], match["d"], match["part"], match["suf"] or ""
    year, roll, redacted = _year_of(match, context)
    redacted = redacted or is_placeholder(mon) or bool(day_s and is_placeholder(day_s))
    lex = _lexicon()
    bare = not suf  # 6月底 with no 前 is a bare time like 6月30日: 6月底,县委召开… is news
    if redacted:
        return Deadline(match[0], "date", None, placeholder=True), bare
    month = to_int(mon)
    dom = to_int(day_s) if day_s else None
    if month is None or not 1 <= month <= 12 or (day_s and (dom is None or not 1 <= dom <= 31)):
        return None
    if bare and dom is not None and year is not None and match["y"] and context.ref is not None:
        if date(year, month, min(dom, _month_end(year, month).day)) <= context.ref:
            return None  # 2024年3月8日印发: a sign-off or a past day, not a deadline
    if bare and dom is not None and not match["y"] and not match["yw"] and context.ref is not None:
        # 市领导于6月5日到我县调研 said on 20 June: a day already past, told as news; only an order
        # (要在3月5日完成, 请于3月5日报送 said in December) makes it next year's
        if date(context.ref.year, month, min(dom, _month_end(context.ref.year, month).day)) < context.ref:
            if not _ordered(match.string, match.start()):
                return None
    if not suf and dom is None and not part and match["y"] and _alone_on_a_line(match.string, match.start(), match.end()):
        # 2024年3月 or 二〇二四年三月 alone on the last line of a notice: its month of issue, not a due time
        if not match["y"].isdigit() or (context.ref is not None and (year or 0, month) <= (context.ref.year, context.ref.month)):
            return None
    if not suf and dom is None and context.ref is not None and not match["yw"] and not _opens_a_cell(match):
        # 县里于2023年3月成立领导小组, 该项目于5月开工建设 said in July: a month (or its end or a third)
        # already over, told as news; a yearless one is next year's only when ordered (要在3月完成).
        # A plan table's time cell keeps its schedule (|2021年2月公布预算信息|, issued in March)
        last = _month_end(year if match["y"] and year is not None else context.ref.year, month)
        if last < context.ref and (match["y"] or not _ordered(match.string, match.start())):
            return None

    def make(y: int) -> date:
        if dom is not None:
            return date(y, month, min(dom, _month_end(y, month).day))
        if part in lex.month_thirds:  # 上旬 ends on the 10th, 上中旬 the later of the two (20th), 下旬 the month
            return date(y, month, min(lex.month_thirds[part], _month_end(y, month).day))
        if suf in lex.before and not part:  # 6月前: before June begins
            return date(y, month, 1) - timedelta(days=1)
        return _month_end(y, month)

    return Deadline(match[0], "date", _iso(_rolled(make, year, roll, context))), bare


def _opens_a_cell(match: re.Match[str]) -> bool:
    """Whether the time opens a table cell (``|2021年2月公布…``, or after a tab)."""
    return match.string[max(0, match.start() - 3) : match.start()].rstrip(" ")[-1:] in _CELL_EDGES


def _ordered(text: str, start: int) -> bool:
    """A time right after a cue that orders work (要在, 确保, 完成时限:), or after 于/在 in a clause
    holding a modal (请各校于, 各村要于): not the bare 于 of a report (市领导于6月5日到我县调研)."""
    if text[max(0, start - 6) : start].endswith(_modal_cues()):
        return True
    if not _cued(text, start):
        return False
    clause = _CLAUSE_END_RE.split(text[max(0, start - 16) : start])[-1]
    return any(w in clause for w in _lead_words()["lead_modals"])


@cache
def _modal_cues() -> tuple[str, ...]:
    """Cues that order work (要在, 请于, 确保, 完成时限:), not the bare 于/在/到 of a report."""
    lex = load_toml("deadlines")["deadline"]
    return tuple(w for w in lex["cue_before"] + lex["grammar"]["event_cues"] if len(w) >= 2 and w not in lex["grammar"]["not_modal_cues"])


def _rule_span(match: re.Match[str], context: Context) -> _Result | None:
    """``5月20日到5月22日`` / ``(5.10-8.17)``: a work window, due its last day.

    A window that has already ended at the reference date describes the past.
    """
    text, start = match.string, match.start()
    if start >= 2 and text[start - 1] in ("(", "（") and text[start - 2] in _lexicon().season_ends:
        return None  # 防火期(12月1日至5月31日): the season a duty lasts, a "during" window
    groups = match.groupdict()
    m2 = match["m2"] or match["m1"]
    years = [_year_text(y) for y in (groups.get("y"), groups.get("y2")) if y]  # 2024年11月1日至2025年1月31日: both ends dated
    fields = [*years, match["m1"], match["d1"], m2, match["d2"]]
    partly_redacted_year = any(not y.isdigit() for y in years)  # 20xx年
    if partly_redacted_year or any(f and is_placeholder(f) for f in fields):
        return Deadline(match[0], "date", None, placeholder=True), False
    year = int(years[-1]) if years else context.year
    later_year = len(years) == 2 and int(years[1]) > int(years[0])
    month, dom, first = to_int(m2), to_int(match["d2"]), to_int(match["m1"])
    if month is None or dom is None or first is None:
        return None
    if not (1 <= month <= 12 and 1 <= first <= 12 and 1 <= dom <= 31) or (first > month and not later_year):
        return None
    bare = False  # a plan's window of work; the lede of a news report is turned away in _accept
    if year is None:
        return Deadline(match[0], "date", None), bare
    due = date(year, month, min(dom, _month_end(year, month).day))
    if context.ref is not None and due < context.ref:
        if groups.get("y") or not _imperative_span(match):
            return None
        # …3月20日至4月10日完成面试 said in December: next year's window, like 3月底前
        due = date(year + 1, month, min(dom, _month_end(year + 1, month).day))
    return Deadline(match[0], "date", due.isoformat()), bare


def _imperative_span(match: re.Match[str]) -> bool:
    """A yearless window that orders work (要于…完成, …至…开展): not a report (…,全县共受理…)."""
    lex = _lexicon()
    text, after = match.string, match.string[match.end() : match.end() + 6]
    if any(w in _clause_after(match) for w in lex.this_year_past):
        return False
    return _cued(text, match.start()) or after.startswith(lex.completion_after + lex.action_after)


def _rule_year_end(match: re.Match[str], context: Context) -> _Result | None:
    if match["core"] in _lexicon().within_year and _scope_frame(match):
        return None
    year, _, redacted = _year_of(match, context)
    explicit = bool(match["y"])
    bare = match["core"] in _lexicon().year_ends and not match["suf"]
    kind: DeadlineKind = "date" if explicit else "relative"
    if redacted:
        return Deadline(match[0], "date", None, placeholder=True), bare
    due = date(year, 12, 31) if year else None
    return Deadline(match[0], kind, _iso(due)), bare


def _scope_frame(match: re.Match[str]) -> bool:
    """``年内,全县共接待游客…`` / ``年内,发生事故3起``: 年内 set off by a comma frames the clause after
    it as the year's scope; it constrains when work is due only when that clause orders work (a modal:
    年内,各乡镇要开展…) or completes or reaches something (年内建成…, 年内,覆盖率达到…)."""
    text, end = match.string, match.end()
    if match["suf"] or text[end : end + 1] not in _COMMAS:
        return False
    lex = _lexicon()
    clause = _CLAUSE_END_RE.split(text[end + 1 : end + 41], maxsplit=1)[0]
    return not any(w in clause for w in lex.completion_after + lex.target_after + _lead_words()["lead_modals"])


_COMMAS = frozenset(",，")


def _rule_year_before(match: re.Match[str], context: Context) -> _Result | None:
    year = _year_text(match["y"])
    if is_placeholder(year) or not year.isdigit():
        return Deadline(match[0], "date", None, placeholder=True), False
    return Deadline(match[0], "date", f"{int(year) - 1}-12-31"), False


def _rule_to_year(match: re.Match[str], context: Context) -> _Result | None:
    year = _year_text(match["y"])
    if is_placeholder(year) or not year.isdigit():
        return Deadline(match[0], "date", None, placeholder=True), False
    return Deadline(match[0], "date", f"{int(year)}-12-31"), False


def _past_period(name: str, match: re.Match[str], context: Context) -> bool:
    """A bare 上半年 / 一季度 without a year word that has already ended at the reference
    date (…,上半年完成投资12亿元 said in July): a statistic, not a deadline."""
    if name not in ("half", "quarter") or match["suf"] or match["yw"] or context.ref is None:
        return False
    year = context.ref.year
    if match["y"]:  # 2023年上半年,全县完成投资… said in 2024: that year's statistic
        digits = _year_text(match["y"])
        if not digits.isdigit():
            return False
        year = int(digits)
    if name == "half":
        month, day = (int(x) for x in _lexicon().halves[match["h"]].split("-"))
        return date(year, month, day) < context.ref
    return _month_end(year, _lexicon().quarters[match["q"]] * 3) < context.ref


def _rule_half(match: re.Match[str], context: Context) -> _Result | None:
    year, roll, redacted = _year_of(match, context)
    if redacted:  # 20XX年上半年
        return Deadline(match[0], "relative", None, placeholder=True), not match["suf"]
    month, day = (int(x) for x in _lexicon().halves[match["h"]].split("-"))
    due = _rolled(lambda y: date(y, month, day), year, roll, context)
    estimated = due is not None and match["h"] in _conventional_halves()  # 年中: by convention, so approximate
    return Deadline(match[0], "relative", _iso(due), estimated=estimated), not match["suf"]


@cache
def _conventional_halves() -> frozenset[str]:
    return frozenset(load_toml("deadlines")["deadline"]["conventional_halves"])


def _rule_quarter(match: re.Match[str], context: Context) -> _Result | None:
    year, roll, redacted = _year_of(match, context)
    if redacted:
        return Deadline(match[0], "relative", None, placeholder=True), not match["suf"]
    quarter = _lexicon().quarters[match["q"]]
    due = _rolled(lambda y: _month_end(y, quarter * 3), year, roll, context)
    return Deadline(match[0], "relative", _iso(due)), not match["suf"]


def _rule_month(match: re.Match[str], context: Context) -> _Result | None:
    offset = _lexicon().month_words[(match["mw"] or "") + _month_mark()]
    ref = context.ref
    due = None
    if ref is not None:
        first = _shift_months(ref.replace(day=1), offset)
        due = _month_end(first.year, first.month)
    bare = not match["mw"] and not match["suf"]
    return Deadline(match[0], "relative", _iso(due)), bare


@cache
def _month_mark() -> str:
    """月, as the month words' keys end (本月, 下月): read from the lexicon, not spelled in code."""
    return str(load_toml("deadlines")["deadline"]["grammar"]["month_mark"])


def _rule_month_day(match: re.Match[str], context: Context) -> _Result | None:
    if is_placeholder(match["d"]):
        return Deadline(match[0], "relative", None, placeholder=True), False
    dom, ref = to_int(match["d"]), context.ref
    if dom is None or not 1 <= dom <= 31:
        return None
    due = None
    if ref is not None:
        first = _shift_months(ref.replace(day=1), _lexicon().month_words[match["mw"] + _month_mark()])
        due = first.replace(day=min(dom, _month_end(first.year, first.month).day))
    return Deadline(match[0], "relative", _iso(due)), False


def _rule_week(match: re.Match[str], context: Context) -> _Result | None:
    if not match["suf"]:
        # 要在下周三完成: a named day of a named week is a bare time (it needs a cue); 本周 or 周三 alone,
        # or 于下周三召开 (when a meeting happens), is none
        text = match.string
        # 要于本周末完成: the end of a named week is named like its day
        named = match["wd"] or match[0][len(match["ww"] or "") :].startswith(_week_end())
        if match["ww"] is None and _ordered_week_end(match):
            return Deadline(match[0], "relative", _rule_week_due(match, context)), False
        if not (match["ww"] and named) or text.startswith(_lexicon().meeting_after, match.end()):
            return None
        found = _rule_week_due(match, context)
        return Deadline(match[0], "relative", found), True
    return Deadline(match[0], "relative", _rule_week_due(match, context)), match["ww"] is None


def _ordered_week_end(match: re.Match[str]) -> bool:
    """``要抢抓周末开展检查`` / ``务必在周末完成``: a bare 周末 (this weekend) ordered as the time of the work;
    not a standing one (周末和节假日要值班, 利用周末时间学习: no order to do it then)."""
    text, start, end = match.string, match.start(), match.end()
    words = _week_end_words()
    if text[start:end] not in words[0]:
        return False
    if text.startswith(words[2], end):
        return False
    return text[max(0, start - 6) : start].endswith(_modal_cues() + words[1])


@cache
def _week_end_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    g = load_toml("deadlines")["deadline"]["grammar"]
    bare = tuple(w + g["week_end"] for w in g["bare_weeks"])  # 周末, 星期末
    return bare, tuple(g["week_end_cues"]), tuple(g["week_end_not_before"])


@cache
def _week_end() -> str:
    return str(load_toml("deadlines")["deadline"]["grammar"]["week_end"])


def _rule_week_due(match: re.Match[str], context: Context) -> str | None:
    """The due day of a week match: its weekday (Sunday when none) of the week named, or of this
    week (next week's once past) when no week is named."""
    ref = context.ref
    due = None
    if ref is not None:
        weekday = _lexicon().weekdays.get(match["wd"], 6)  # no weekday named: Sunday
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=_lexicon().week_words.get(match["ww"], 0))
        due = monday + timedelta(days=weekday)
        if match["ww"] is None and due < ref:  # 周一前 said on a Wednesday: next Monday
            due += timedelta(weeks=1)
    # a weekday with no week word needs a cue (请于周五前报送): in 每天1分钟、周五放学前5分钟 it recurs
    return _iso(due)


def _rule_duration(match: re.Match[str], context: Context) -> _Result | None:
    unit = _lexicon().duration_units.get(match["unit"], "month")  # 半月之内: 月 only after 半
    if is_placeholder(match["n"]):
        return Deadline(match[0], "relative", None, placeholder=True), False
    if _after_event(match.string, match.start()):  # 定损后10日内: counted from an event, not from ref
        return Deadline(match[0], "event", None), False
    half = match["n"] == _lexicon().half
    if unit in ("hour", "minute"):  # 遇有险情30分钟内报告: a response time counted from the occurrence
        return Deadline(match[0], "event", None), False
    n = 0 if half else to_int(match["n"])
    if n is None or (not half and n <= 0) or (half and unit not in ("month", "year")):
        return None
    ref = context.ref
    if ref is None:
        return Deadline(match[0], "relative", None), False
    approximate = False
    if unit == "workday":
        due, approximate = add_workdays(ref, n)
    elif unit == "day":
        due = ref + timedelta(days=n)
    elif unit == "week":
        due = ref + timedelta(weeks=n)
    elif half:
        due = ref + timedelta(days=15) if unit == "month" else _shift_months(ref, 6)
    else:
        due = _shift_months(ref, n if unit == "month" else 12 * n)
    return Deadline(match[0], "relative", due.isoformat(), approximate=approximate), False


def _after_event(text: str, start: int) -> bool:
    """``定损后`` / ``到位后`` right before a duration; not 今后/此后…, nor the notice itself (收到通知后)."""
    lex = _lexicon()
    if start < 2 or text[start - 1] != lex.event_after or text[start - 2] in lex.not_event_before_hou:
        return False
    head = text[:start - 1]
    verb = next((v for v in lex.ref_event_verbs if head.endswith(v)), "")  # 本方案印发后15个工作日内
    head = head[: len(head) - len(verb)]
    return not head.endswith(lex.ref_events)


def _rule_day(match: re.Match[str], context: Context) -> _Result | None:
    if is_placeholder(match["d"]):
        return Deadline(match[0], "date", None, placeholder=True), False
    dom, ref = to_int(match["d"]), context.ref
    if dom is None or not 1 <= dom <= 31:
        return None
    due = None
    if ref is not None:
        month = ref.replace(day=1)
        for _ in range(2):
            if dom <= _month_end(month.year, month.month).day and month.replace(day=dom) >= ref:
                due = month.replace(day=dom)
                break
            month = _shift_months(month, 1)
    return Deadline(match[0], "date", _iso(due)), False


def _rule_event(match: re.Match[str], context: Context) -> _Result | None:
    offset = _lexicon().year_words.get(match["yw"]) if match["yw"] else None
    due, approximate = resolve_event(match["ev"], context, year_offset=offset)
    if match["end"] or match["first"]:  # 秋收结束前, 开学第一周: the calendar holds only when an event starts
        due, approximate = None, False
    # a regional event's date is a convention (主汛期 begins about 6-01), not something the text says
    lex = _lexicon()
    event = lex.events.get(lex.event_alias.get(match["ev"], match["ev"]), {})
    estimated = due is not None and bool(event.get("regional"))
    # 开学第一周 needs a cue or a completion after it (要在开学第一周完成…): 节后第一天上班 says when, not by when
    return Deadline(match[0], "event", _iso(due), estimated=estimated, approximate=approximate), bool(match["first"])


def _rule_lead(match: re.Match[str], context: Context) -> _Result | None:
    """``需提前一天请假``: due a time before an occasion the text names, not a date (due null).

    Only as an order: cued (于会前两日内) or after a modal earlier in the sentence (请…,并提前10分钟
    进场); ``比计划提前3天完成`` and ``工期提前20天`` report being ahead of time."""
    text, start = match.string, match.start()
    g = _lead_words()
    if not to_int(match["n"]) or any(w in _CLAUSE_END_RE.split(text[max(0, start - 24) : start])[-1] for w in g["lead_not_in_clause"]):
        return None
    if not (_cued(text, start) or any(w in text[:start] for w in g["lead_modals"])):
        return None
    return Deadline(match[0], "event", None), False


def _rule_occasion_lead(match: re.Match[str], context: Context) -> _Result | None:
    """``考试前十天报送名单`` / ``要在会议召开前3天报送``: a lead time before an occasion the text names, by
    which something is done: an event deadline (due null). Only as an order (a modal cue or a modal before it
    in its clause) or before a delivery; ``放假前30分钟的安全教育`` (a routine's moment) and a report are none."""
    text, start, end = match.string, match.start(), match.end()
    if not to_int(match["n"]) or text.startswith(_lexicon_lead_of(), end) or _reports_the_past(text, end):
        return None
    before = _CLAUSE_END_RE.split(text[max(0, start - 16) : start])[-1]
    ordered = _cued(text, start) or any(w in before for w in _lead_words()["lead_modals"])
    if text[end : end + 1] in _COMMAS:  # 开学前一周,各校要完成…: a frame whose clause orders the work
        ordered = ordered or _frame_modal_re().search(_CLAUSE_END_RE.split(text[end + 1 : end + 25], maxsplit=1)[0]) is not None
    if not ordered and not any(w in _clause_after(match) for w in _day_clock_words()[1]):
        return None
    return Deadline(match[0], "event", None), False


@cache
def _lexicon_lead_of() -> str:
    return str(load_toml("deadlines")["deadline"]["qian_lead_of"])


@cache
def _lead_words() -> dict[str, Any]:
    g = load_toml("deadlines")["deadline"]["grammar"]
    return {"lead_modals": tuple(g["lead_modals"]), "lead_not_in_clause": tuple(g["lead_not_in_clause"])}


def _clause_after(match: re.Match[str]) -> str:
    return _CLAUSE_END_RE.split(match.string[match.end() : match.end() + 40], maxsplit=1)[0]


def _rule_period_end(match: re.Match[str], context: Context) -> _Result | None:
    """``季度末向市政府报送`` (no quarter named) / ``每季度末要开展一次走访``: every
    period's end, a recurring due point like ``每季度末前``, due null; only when an
    action follows in its clause."""
    lex = _lexicon()
    clause = _clause_after(match)
    if match.string[match.end() : match.end() + 1] in ("(", "（"):
        # 每季度末(分别在6月、9月和12月底),将…报区督查组: the brackets spell the point out, the clause follows them
        close = re.compile(r"[)）][,，]?").search(match.string, match.end(), match.end() + 40)
        if close is not None:
            clause = _CLAUSE_END_RE.split(match.string[close.end() : close.end() + 40], maxsplit=1)[0]
    if not match["suf"] and not any(w in clause for w in lex.action_after + lex.completion_after):
        if not _alone_in_a_cell(match.string, match.start(), match.end()):  # |县住建局|每季度末|: a time column
            return None
    return Deadline(match[0], "relative", None), False


def _rule_this_year_target(match: re.Match[str], context: Context) -> _Result | None:
    """``今年新增安装不少于1.5万户`` / ``国有企业今年拿出不少于30个岗位``: 今年 with a
    quantified target later in its clause sets the year's goal (due 31 Dec); not when
    the clause reports the past (今年新增了3个, 今年已完成…达到…)."""
    lex = _lexicon()
    clause = _clause_after(match)
    if not any(w in clause for w in lex.this_year_targets) or any(w in clause for w in lex.this_year_past):
        return None
    return _rule_this_year(match, context)


def _future_year(match: re.Match[str]) -> bool:
    yw = match.groupdict().get("yw")
    return isinstance(yw, str) and _lexicon().year_words.get(yw, 0) > 0


def _rule_clock(match: re.Match[str], context: Context) -> _Result | None:
    """``当天下午5点30分前`` / ``29日上午前`` / ``16时前``: a time of day by which work is due.

    Due that day when the day is named against the reference date (29日, 今天, 明天);
    null when it counts from an occasion (当天, 次日) or no day is named. An hour in
    Chinese numerals needs a time of day (下午五点前; not 一点前)."""
    if not (match["d"] or match["dw"]) and _dated_before().search(match.string, max(0, match.start() - 14), match.start()):
        return None  # 2月23日(正月初六)上午12点前: the hour of a date already found
    if match["d"]:
        found = _rule_day(match, context)
        return (Deadline(match[0], "date", found[0].due, placeholder=found[0].placeholder), False) if found else None
    offset = _lexicon().clock_days.get(match["dw"] or "")
    due = context.ref + timedelta(days=offset) if offset is not None and context.ref is not None else None
    return Deadline(match[0], "relative", _iso(due)), False


def _rule_day_clock(match: re.Match[str], context: Context) -> _Result | None:
    """``请各单位明天上午8:00将名单报送``: a clock on a named day (今天, 明天) with no 前 is the time by which
    something is delivered when an order precedes it in its clause and a delivery follows; a time to attend
    (明天上午8:00在三楼会议室集合) or to hold a meeting says when, not by when."""
    text, start = match.string, match.start()
    words = _day_clock_words()
    before = _CLAUSE_END_RE.split(text[max(0, start - 16) : start])[-1]
    after = _clause_after(match)
    if not (_ordered(text, start) or any(w in before for w in words[0])):
        return None
    if not any(w in after for w in words[1]) or any(w in after for w in words[2]):
        return None
    offset = _lexicon().clock_days[match["dw"]]
    return Deadline(match[0], "relative", _iso(context.ref + timedelta(days=offset) if context.ref else None)), False


@cache
def _day_clock_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    g = load_toml("deadlines")["deadline"]
    lead = g["grammar"]["lead_modals"]
    return tuple(lead), tuple(g["day_clock_deliveries"]), tuple(g["attend_in_clause"] + g["meeting_after"])


@cache
def _pattern_marks() -> dict[str, re.Pattern[str]]:
    """Characters one of which every match of a pattern holds, where its derived triggers are too common
    to filter (前, 月, 20): a sentence without them is not scanned with it. A clock holds an hour
    mark or a time of day (下午5点前, 16时前, 晚上前), a date in digits a dot, dash or slash, a window of
    months its joiner (3—5月, 3至5月), a dotted day its 前."""
    g = load_toml("deadlines")["deadline"]["grammar"]
    marks = {
        "clock": g["clock_marks"],
        "day-clock": g["clock_marks"],
        "numeric-date": g["numeric_date_separators"],
        "month-span": "".join(g["span_joiners"]),
        "dotted-day": g["before"][-1],  # 6.30前: its triggers are the dot of every decimal
    }
    return {name: re.compile(f"[{re.escape(chars)}]") for name, chars in marks.items()}  # one search in C


@cache
def _dated_before() -> re.Pattern[str]:
    """A day (23日, 23日(正月初六)) ending right where a time of day starts."""
    return re.compile(rf"[\d{CN_DIGITS}][{_lexicon().day_marks}](?:[(（][^()（）]{{0,8}}[)）])?$")


def _rule_numeric_date(match: re.Match[str], context: Context) -> _Result | None:
    """``2024.6.30前`` / ``完成时限:2024-06-30`` / ``2024.12``: a date written in digits, as in plan
    tables; bare (no 前) it needs a cue like any bare date, and a past bare day is a sign-off."""
    year, month, suf = int(match["y"]), int(match["m"]), match["suf"] or ""
    dom = int(match["d"]) if match["d"] else None
    if dom is not None:
        due = date(year, month, min(dom, _month_end(year, month).day))
        if not suf and context.ref is not None and due <= context.ref:
            return None  # 2024.3.8印发: a past day
    elif suf:  # 2024.7前: before July begins
        due = date(year, month, 1) - timedelta(days=1)
    else:
        due = _month_end(year, month)
    return Deadline(match[0], "date", due.isoformat()), not suf


def _rule_run_date(match: re.Match[str], context: Context) -> _Result | None:
    """``20181230日前`` / ``2013218日前``: year, month and day run together with their 年 and 月 dropped;
    due the one valid reading (1230 is 12-30; 218 is 2-18, since 21-8 is none), null when two readings
    are valid (2013111日: 1-11 or 11-1)."""
    year, md = int(match["y"]), match["md"]
    splits = [(md[:2], md[2:])] if len(md) == 4 else [(md[:1], md[1:]), (md[:2], md[2:])]
    days = []
    for m, d in splits:
        month, dom = int(m), int(d)
        if 1 <= month <= 12 and 1 <= dom <= _month_end(year, month).day:
            days.append(date(year, month, dom))
    if not days:
        return None
    return Deadline(match[0], "date", days[0].isoformat() if len(days) == 1 else None), False


def _rule_month_third(match: re.Match[str], context: Context) -> _Result | None:
    """``本月中旬前`` / ``下月上旬``: a third of this or next month, due its last day (the 10th, 20th or
    the month's end); bare (no 前) it needs a cue."""
    lex = _lexicon()
    due = None
    if context.ref is not None:
        first = _shift_months(context.ref.replace(day=1), lex.month_words[match["mw"] + _month_mark()])
        due = first.replace(day=min(lex.month_thirds[match["part"]], _month_end(first.year, first.month).day))
    return Deadline(match[0], "relative", _iso(due)), not match["suf"]


def _rule_rel_quarter(match: re.Match[str], context: Context) -> _Result | None:
    """``本季度内`` / ``下季度末前`` / ``要在下季度完成``: the end of this or next quarter of the
    reference date; bare (no 内, 末 or 前) it needs a cue."""
    due = None
    if context.ref is not None:
        offset = _rel_quarters()[match["qw"]]
        q = (context.ref.month - 1) // 3 + offset
        year, q = context.ref.year + q // 4, q % 4
        due = _month_end(year, q * 3 + 3)
    return Deadline(match[0], "relative", _iso(due)), not (match["suf"] or match["part"])


@cache
def _rel_quarters() -> dict[str, int]:
    return dict(load_toml("deadlines")["deadline"]["grammar"]["quarter_words_relative"])


def _rule_dotted_day(match: re.Match[str], context: Context) -> _Result | None:
    """``请于6.30前报送``: like ``6月30日前`` (next year's once past at the reference date), but a
    number with a dot may be a decimal, so it needs a cue like a bare time (增长3.5前 is none)."""
    month, dom = int(match["m"]), int(match["d"])
    due = _rolled(lambda y: date(y, month, min(dom, _month_end(y, month).day)), context.year, context.ref is not None, context)
    return Deadline(match[0], "date", _iso(due)), True


def _rule_rough_start(match: re.Match[str], context: Context) -> _Result | None:
    """``6月初完成`` / ``下月初前`` / ``明年初``: the start of a month (its 10th) or of a coming year
    (31 January), a convention rather than a day the text names, so ``estimated``; bare (no 前) it
    needs a cue like any bare time."""
    day = _lexicon_rough()[match["part"]]
    bare = not match["suf"]
    if match["yw"]:
        year = context.year + _lexicon().year_words[match["yw"]] if context.year else None
        due = date(year, 1, 31) if year else None
    elif match["mw"]:
        due = None
        if context.ref is not None:
            first = _shift_months(context.ref.replace(day=1), _lexicon().month_words[match["mw"] + _month_mark()])
            due = first.replace(day=day)
    else:
        if is_placeholder(match["m"]):
            return Deadline(match[0], "date", None, placeholder=True), bare
        month = to_int(match["m"])
        if month is None or not 1 <= month <= 12:
            return None
        due = _rolled(lambda y: date(y, month, day), context.year, context.ref is not None, context)
    return Deadline(match[0], "relative", _iso(due), estimated=due is not None), bare


@cache
def _lexicon_rough() -> dict[str, int]:
    return dict(load_toml("deadlines")["deadline"]["grammar"]["rough_starts"])


def _rule_month_span(match: re.Match[str], context: Context) -> _Result | None:
    """``于3—5月开展集中整治`` / ``时间安排:2024年4月—6月``: a window of months, due the end of its
    last month; bare, so it needs a cue or an action like a bare date. A window already over at the
    reference date, or one from January with no cue (``1至5月,全县完成投资…``), is a statistic."""
    bare = not match["suf"]
    years = [y for y in (match["y"], match["y2"]) if y]
    if any(is_placeholder(f) for f in (match["m1"], match["m2"])) or any(not _year_text(y).isdigit() for y in years):
        return Deadline(match[0], "date", None, placeholder=True), bare
    first, last = to_int(match["m1"]), to_int(match["m2"])
    later_year = len(years) == 2 and int(_year_text(years[1])) > int(_year_text(years[0]))
    if first is None or last is None or not (1 <= first <= 12 and 1 <= last <= 12) or (first >= last and not later_year):
        return None
    if first == 1 and not _cued(match.string, match.start()):
        return None  # 1—4月完成固定资产投资…: the year so far, a statistic
    year = int(_year_text(years[-1])) if years else context.year
    if year is None:
        return Deadline(match[0], "date", None), bare
    due = _month_end(year, last)
    if context.ref is not None and due < context.ref:
        return None
    return Deadline(match[0], "date", due.isoformat()), bare


def _rule_cued_event(match: re.Match[str], context: Context) -> _Result | None:
    """``要在验收检查前完成`` / ``请于节前将材料报送``: before an occasion the text names (a meeting,
    a holiday, an inspection), after a modal cue (要在, 务必于, 请于): an event deadline whose date
    the text does not give. Not a word that only ends in 前 (目前, 当前, 此前), a count of time
    (三年前) nor a step of the work (要在项目实施前征求意见: a sequence, not a time)."""
    ev, words = match["ev"], _event_cue_words()
    ev = ev[:-1] if ev.endswith(words["before_heads"]) else ev  # 会议之前, 验收以前: 之/以 belong to 前
    if ev.endswith(words["not_event_ends"]) or any(c in words["not_in"] for c in ev) or words["counts"].search(ev):
        return None
    ev = ev[: -len(_event_end_word(ev))] if _event_end_word(ev) else ev  # 会议结束前, 学期结束前: the occasion's end
    if match.string.startswith(words["not_after"], match.end()) or not ev.endswith(words["heads"]):
        return None
    if ev.endswith(words["calendar"]):  # 要在春节前: the calendar's event rule dates it
        return None
    return Deadline(match["body"], "event", None), False


def _event_end_word(ev: str) -> str:
    """The end word (结束) an occasion ends in, or ''."""
    return next((w for w in _lexicon().event_ends if ev.endswith(w) and len(ev) > len(w)), "")


@cache
def _event_cue_words() -> dict[str, Any]:
    g = load_toml("deadlines")["deadline"]["grammar"]
    return {
        "not_event_ends": tuple(g["cued_event_not_ends"]),
        "counts": re.compile(rf"[{CN_DIGITS}{g['cued_event_counts']}](?:{'|'.join(g['cued_event_count_units'])})"),
        "not_in": frozenset(g["cued_event_not_in"]),
        "not_after": tuple(g["cued_event_not_after"]),
        "heads": tuple(g["cued_event_heads"]),
        "before_heads": tuple(w[0] for w in g["before"] if len(w) > 1),
        "calendar": tuple(_lexicon().event_alias) + tuple(_lexicon().event_ends) + tuple(load_toml("deadlines")["deadline"]["event_periods"]),
    }


def _rule_next_meeting(match: re.Match[str], context: Context) -> _Result | None:
    """``要在下次推进会上专题报告``: due at the next meeting, whose date the text does not give.

    Only as an order (a modal cue before it, or ``下次…会议时,各单位要…``): ``办理结果在下次推进会上
    通报`` says where results are reported, not by when work is due."""
    g = _next_meeting_words()
    text, start, end = match.string, match.start(), match.end()
    ordered = text[max(0, start - 3) : start].endswith(g["next_meeting_cues"])
    if not ordered and text[end : end + 1] in _CLAUSE_OPEN - {""}:
        ordered = g["next_meeting_modal"] in _CLAUSE_END_RE.split(text[end + 1 : end + 17], maxsplit=1)[0]
    return (Deadline(match[0], "event", None), False) if ordered else None


@cache
def _next_meeting_words() -> dict[str, Any]:
    g = load_toml("deadlines")["deadline"]["grammar"]
    return {"next_meeting_cues": tuple(g["next_meeting_cues"]), "next_meeting_modal": g["next_meeting_modal"]}


def _rule_recurring(match: re.Match[str], context: Context) -> _Result | None:
    return Deadline(match[0], "relative", None), False


def _rule_limit(match: re.Match[str], context: Context) -> _Result | None:
    """``限时3天完成`` / ``整改期限为30天``: a limit counted like ``3天内``; not a service's promised
    handling time (办理时限为3个工作日)."""
    g = _limit_words()
    text, start = match.string, match.start()
    clause = _CLAUSE_END_RE.split(text[max(0, start - 12) : start])[-1]
    if any(w in clause for w in g["not_in_clause"]):
        return None
    # 本通知执行期限为两年: how long the notice is in force (the validity words hold the cue itself)
    if any(w in _CLAUSE_END_RE.split(text[max(0, start - 24) : match.end("cue")])[-1] for w in _lexicon().validity_before):
        return None
    return _rule_duration(match, context)


@cache
def _limit_words() -> dict[str, Any]:
    g = load_toml("deadlines")["deadline"]["grammar"]
    return {"not_in_clause": tuple(g["limit_not_in_clause"])}


def _rule_plan_end(match: re.Match[str], context: Context) -> _Result | None:
    """``到“十四五”末`` / ``十四五期末前``: the last day of a five-year plan (十N五 ends in 2010 + 5(N − 1));
    one already over at the reference date (“十三五”末,全县已建成… said in 2023) is a statistic."""
    n = to_int(match["n"][0])
    if n is None:
        return None
    year = 2010 + 5 * (n - 1)
    if context.ref is not None and date(year, 12, 31) < context.ref:
        return None
    return Deadline(match[0], "date", f"{year}-12-31"), not (match["cue"] or match["suf"])


def _rule_occasion_month(match: re.Match[str], context: Context) -> _Result | None:
    """``当月底前`` / ``当月25日前``: the month the work falls in, which the text ties to an occasion or
    to each month rather than to the reference date, so due null."""
    if match["d"] and is_placeholder(match["d"]):
        return Deadline(match[0], "relative", None, placeholder=True), False
    return Deadline(match[0], "relative", None), False


def _rule_start(match: re.Match[str], context: Context) -> _Result | None:
    return Deadline(match[0], "open", None), False


def _rule_this_year(match: re.Match[str], context: Context) -> _Result | None:
    due = date(context.year, 12, 31) if context.year else None
    return Deadline(match[0], "relative", _iso(due)), False


_RULES: dict[str, _Rule] = {
    "start": _rule_start,
    "recurring": _rule_recurring,
    "date": _rule_date,
    "span": _rule_span,
    "dotted-span": _rule_span,
    "year-end": _rule_year_end,
    "year-before": _rule_year_before,
    "to-year": _rule_to_year,
    "half": _rule_half,
    "quarter": _rule_quarter,
    "month": _rule_month,
    "month-day": _rule_month_day,
    "occasion-month": _rule_occasion_month,
    "plan-end": _rule_plan_end,
    "limit": _rule_limit,
    "week": _rule_week,
    "clock": _rule_clock,
    "day-clock": _rule_day_clock,
    "duration": _rule_duration,
    "day": _rule_day,
    "lead": _rule_lead,
    "occasion-lead": _rule_occasion_lead,
    "numeric-date": _rule_numeric_date,
    "run-date": _rule_run_date,
    "dotted-day": _rule_dotted_day,
    "month-third": _rule_month_third,
    "rel-quarter": _rule_rel_quarter,
    "rough-start": _rule_rough_start,
    "month-span": _rule_month_span,
    "cued-event": _rule_cued_event,
    "event": _rule_event,
    "this-year": _rule_this_year,
    "period-end": _rule_period_end,
    "next-month": _rule_recurring,
    "next-meeting": _rule_next_meeting,
    "this-year-target": _rule_this_year_target,
}


@cache
def _third_after_re() -> re.Pattern[str]:
    """A bare later third of a month right after a list separator (…12月上旬完成、中旬补齐、下旬集成)."""
    return re.compile(rf"(?<=[、,，])(?P<part>{_alternation(_lexicon().month_thirds)})")


def _later_thirds(text: str, found: Found, candidates: list[Found]) -> list[Found]:
    """``12月上旬完成、中旬补齐、下旬集成``: the thirds listed after a dated one are of its month, in its clause
    run up to the sentence's end; each is a deadline of its own."""
    lex = _lexicon()
    due = date.fromisoformat(found.value.due)
    stop = _SENTENCE_END_RE.search(text, found.end)
    end = stop.start() if stop else len(text)
    out = []
    for m in _third_after_re().finditer(text, found.end, end):
        if any(c.start <= m.start() < c.end for c in candidates):
            continue
        day = date(due.year, due.month, min(lex.month_thirds[m["part"]], _month_end(due.year, due.month).day))
        if day < due:
            break  # 下旬…、上旬: not a later third of the same month
        out.append(Found(m.start(), m.end(), m[0], Deadline(m[0], "date", day.isoformat()), "date", 0.8))
    return out


@cache
def _before_chars() -> str:
    """The characters of the before-suffixes (前, 之前, 以前), stripped to see what a date ends with."""
    return "".join(_lexicon().before)


@cache
def _third_words() -> tuple[str, ...]:
    return tuple(_lexicon().month_thirds)


_SENTENCE_END_RE = re.compile(r"[。;!?；！？\n]")


def find_deadlines(text: str, *, context: Context = DEFAULT_CONTEXT) -> list[Found]:
    """Every deadline in ``text``, in text order; ``Found.value`` is a ``records.Deadline``.

    Start points (``从现在起``) come back too, with kind ``open`` and rule
    ``start``, so a caller can tell them apart: they are not a record's deadline.
    Recurring due points (``每月5日前``) have rule ``recurring`` and ``due`` None.
    """
    candidates: list[Found] = []
    blocked: list[tuple[int, int]] = []  # past or impossible spans: their ends are no deadline either
    # a pattern whose required strings (月, 年, 前…) are all absent cannot match: not scanned
    can_match = _pattern_triggers().fired_in(text)
    pattern_marks = _pattern_marks()
    scanned = _scan_patterns()
    for name, _ in _lexicon().sources:
        if name not in can_match:
            continue
        marks = pattern_marks.get(name)
        if marks is not None and not marks.search(text):
            continue  # e.g. the clock pattern needs 前 and an hour mark or a time of day (时, 点, 午, 晚)
        for match in scanned[name].finditer(text):
            if not match[0]:
                continue
            # the cue before a named occasion is no part of the deadline (要在|验收前)
            start, end = match.span("body") if name == "cued-event" else match.span()
            result = _RULES[name](match, context)
            if result is None:
                if name in ("span", "dotted-span"):
                    blocked.append((match.start(), match.end()))
                continue
            deadline, bare = result
            if bare and name in ("half", "quarter") and _future_year(match):
                # 明年上半年在2个社区先行先试: a period of a coming year constrains by itself
                after = text[match.end() : match.end() + 6]
                lex = _lexicon()
                if any(after.startswith(w) for w in lex.bare_after_negative + lex.promise_after if w not in lex.future_bare_exempt):
                    continue
                bare = False
            if name != "start" and not _accept(text, start, end, bare=bare, window=name == "span"):
                if name in ("span", "dotted-span"):  # 从1月9日至3月3日止: a period; its end is no deadline either
                    blocked.append((match.start(), match.end()))
                continue
            if name == "to-year" and _is_range_end(text, match.start() + 1):
                continue
            if not bare or _cued(text, match.start()):
                pass
            elif _past_period(name, match, context):
                continue
            confidence = 0.8 if bare else 0.95
            candidates.append(Found(start, end, text[start:end], deadline, name, confidence))
    # the longest match wins where two start together; on a tie a dated rule beats a named occasion (年底前)
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start), f.rule == "cued-event"))
    kept: list[Found] = []
    thirds: list[Found] = []  # 12月上旬完成、中旬补齐: the later thirds of a dated month
    for found in candidates:
        if kept and found.start < kept[-1].end:
            continue
        if any(a <= found.start < b for a, b in blocked):
            continue
        if any(e.start <= found.start < e.end for e in thirds):
            continue
        if found.rule == "event" and kept and kept[-1].end == found.start and kept[-1].rule == "date":
            # 9月1日开学前: the day the occasion falls on and the occasion are one deadline, due that day
            day = kept[-1]
            merged = text[day.start : found.end]
            value = Deadline(merged, "date", day.value.due, placeholder=day.value.placeholder)
            kept[-1] = Found(day.start, found.end, merged, value, "date", day.confidence)
            continue
        kept.append(found)
        if found.rule == "date" and found.value.due and found.text.rstrip(_before_chars()).endswith(_third_words()):
            thirds.extend(_later_thirds(text, found, candidates))
        if found.rule in ("recurring", "period-end") and text[found.end : found.end + 1] in "((":
            # 每季度末(分别在6月、9月和12月底): the brackets spell out the recurring point, no dates of their own
            close = min((i for i in (text.find(")", found.end), text.find(")", found.end)) if i != -1), default=-1)
            if close != -1:
                blocked.append((found.end, close))
    return sorted(kept + thirds, key=lambda f: f.start) if thirds else kept
