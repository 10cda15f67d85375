"""Cadences: the contract's examples, the seed's gold, and each lexicon entry."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from textkit.extractors.cadence import find_cadence
from textkit.resources import load_toml

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
LEX = load_toml("deadlines")["cadence"]


def _freqs(text: str) -> list[tuple[str, str, int | None]]:
    return [(f.text, f.value.freq, f.value.day) for f in find_cadence(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各县区要每周召开一次调度会。", [("每周", "weekly", None)]),
        ("每月召开一次分析会。", [("每月", "monthly", None)]),
        ("每季度开展一次专项督查。", [("每季度", "quarterly", None)]),
        ("每半年向县委报告一次工作。", [("每半年", "half-yearly", None)]),
        ("每年组织一次综合考评。", [("每年", "yearly", None)]),
        ("重大项目推进情况,至少每月要报送一次。", [("每月", "monthly", None)]),
        ("要坚持一月一调度。", [("一月一调度", "monthly", None)]),
        ("各乡镇要于每月5日前报送进度。", [("每月5日前", "monthly", 5)]),
        ("每周二前报送上周工作情况。", [("每周二前", "weekly", 2)]),
        (
            "要坚持周调度、月督查、季通报、年终考核,确保落实到位。",
            [("周调度", "weekly", None), ("月督查", "monthly", None), ("季通报", "quarterly", None), ("年终考核", "yearly", None)],
        ),
        ("实行日督月考。", [("日督", "daily", None), ("月考", "monthly", None)]),
        ("纳入年度考核体系。", [("年度考核", "yearly", None)]),
        ("要继续开展乡村振兴年度实绩考核。", [("年度实绩考核", "yearly", None)]),
        ("推行重点工作年终逐项考核制度。", [("年终逐项考核", "yearly", None)]),
        ("实行一月一调度、季通报。", [("一月一调度", "monthly", None), ("季通报", "quarterly", None)]),
        # a quota of several per period names no frequency (genre notes: 每周报送…2篇以上)
        ("对学校周边开展巡逻,每日不少于两次。", []),
        ("专栏每月至少刊播两期。", []),
        ("驻村干部每周驻村时间不少于3天。", []),
        ("至少每月要报送一次。", [("每月", "monthly", None)]),
        # a rate per unit, and an expected outcome, are not obligations
        ("管护经费按每亩每年不低于10元的标准列入预算。", []),
        ("确保形象进度每周都有新变化。", []),
        ("县委督查室要实行周调度、月通报。", [("周调度", "weekly", None), ("月通报", "monthly", None)]),
        ("周调度会后要及时通报进展。", [("周调度", "weekly", None)]),
        ("每天报送疫情数据。", [("每天", "daily", None)]),
        # no value in the contract's set, or not recurring
        ("采取定期督查与不定期督查相结合的方式。", []),
        ("每旬报送一次进度。", []),
        ("两个月召开一次联席会议。", []),
        ("每10天报送一次。", []),
        ("每半月报送一次。", []),
        # a school year recurs yearly; a term is left out (the written gold disagrees with itself on it)
        ("县教体局每学年对初中学生开展一次心理健康测评。", [("每学年", "yearly", None)]),
        ("各中小学校每学期开展一次主题教育。", []),
        # a standing system named by its day of the week recurs weekly; one week's day does not
        ("落实门前三包责任制和周末卫生大扫除制度。", [("周末卫生大扫除制度", "weekly", None)]),
        ("严格执行星期五政治学习制度。", [("星期五政治学习制度", "weekly", None)]),
        ("下周一召开会议研究制度建设。", []),
        ("去年以来坚持周一例会制度。", []),
        # the school's routine moments: every day 1 minute, every Friday 5 minutes before leaving
        ("严格落实每天1分钟、周五放学前5分钟的安全教育。", [("每天", "daily", None), ("周五放学前5分钟", "weekly", None)]),
        ("本周五放学前5分钟召开班会。", []),
        ("本月调度会上,各乡镇作了发言。", []),
        ("今年以来每月召开一次例会。", []),
        ("全县财政收入每年增长8%。", []),
        ("一企一策,精准帮扶。", []),
    ],
)
def test_examples(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    assert _freqs(text) == expected


def test_seed_gold_cadences() -> None:
    gold_path, seeds = SHARED / "spec" / "gold" / "seed.json", SHARED / "seeds"
    if not gold_path.exists() or not seeds.exists():
        pytest.skip(f"the shared seed or its gold is absent ({SHARED}): they live beside the repository")
    text = re.sub(r"\d/8", "", sorted(seeds.glob("*.txt"))[0].read_text(encoding="utf-8"))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    for directive in gold["directives"]:
        start = text.find(directive["marker"] + directive["heading"][:10])
        assert start >= 0, directive["heading"]
        following = [text.find(d["marker"] + d["heading"][:10], start + 1) for d in gold["directives"]]
        ends = [i for i in following if i > start] + [text.find("我就讲这么多")]
        body = text[start : min(ends)]
        assert {f.value.freq for f in find_cadence(body)} == set(directive["cadence"]), directive["heading"]


@pytest.mark.parametrize(("word", "freq"), LEX["every"].items())
def test_every_entries(word: str, freq: str) -> None:
    assert _freqs(f"要{word}报送一次") == [(word, freq, None)]


@pytest.mark.parametrize(("period", "freq"), LEX["chain_periods"].items())
def test_chain_periods(period: str, freq: str) -> None:
    assert _freqs(f"坚持{period}调度、{period}通报") == [(f"{period}调度", freq, None), (f"{period}通报", freq, None)]


@pytest.mark.parametrize("activity", LEX["chain_activities"])
def test_chain_activities(activity: str) -> None:
    assert _freqs(f"坚持周{activity}、月{activity}") == [(f"周{activity}", "weekly", None), (f"月{activity}", "monthly", None)]


@pytest.mark.parametrize("activity", LEX["chain_short_activities"])
def test_chain_short_activities(activity: str) -> None:
    assert [f for _, f, _ in _freqs(f"实行周{activity}季{activity}。")] == ["weekly", "quarterly"]


@pytest.mark.parametrize("word", LEX["chain_before_negative"])
def test_chain_before_negative(word: str) -> None:
    assert [f for f in find_cadence(f"{word}月调度会上") if f.rule == "chain"] == []


@pytest.mark.parametrize("period", LEX["gapped_periods"])
def test_gapped_periods(period: str) -> None:
    assert _freqs(f"纳入{period}目标考核。")[0][1] == "yearly"


@pytest.mark.parametrize("activity", LEX["gapped_activities"])
def test_gapped_activities(activity: str) -> None:
    assert _freqs(f"开展年度实绩{activity}。")[0][1] == "yearly"


@pytest.mark.parametrize(("period", "freq"), LEX["one_per"].items())
def test_one_per(period: str, freq: str) -> None:
    assert _freqs(f"坚持一{period}一通报") == [(f"一{period}一通报", freq, None)]


@pytest.mark.parametrize("word", LEX["every_after_negative"])
def test_every_after_negative(word: str) -> None:
    assert _freqs(f"财政收入每年{word}") == []


@pytest.mark.parametrize("word", LEX["past_in_clause"])
def test_past_in_clause(word: str) -> None:
    assert _freqs(f"{word}每月召开例会") == []


@pytest.mark.parametrize("word", LEX["chain_lead"])
def test_chain_lead(word: str) -> None:
    assert _freqs(f"要{word}月调度") == [("月调度", "monthly", None)]
    assert _freqs("要把月调度") == []


# ---------------------------------------------------------------- kinds seen on real text (issue 14)


@pytest.mark.parametrize(("period", "freq"), LEX["one_per_long"].items())
def test_one_per_long(period: str, freq: str) -> None:
    assert _freqs(f"落实一月一总结,{period}一评比的制度") == [
        ("一月一总结", "monthly", None),
        (f"{period}一评比", freq, None),  # the whole activity, since 评比 is one
    ]


@pytest.mark.parametrize("act", LEX["one_per_not_act"])
def test_one_per_not_act(act: str) -> None:
    assert _freqs(f"正处在一年一{act}最繁忙的时段") == []
    assert _freqs("坚持一年一考核") == [("一年一考核", "yearly", None)]


@pytest.mark.parametrize("word", LEX["element_after_negative"])
def test_an_element_naming_an_indicator_or_a_document(word: str) -> None:
    assert _freqs(f"要盯紧年度乡村振兴考核{word}任务") == []
    assert _freqs(f"坚持周调度、月通报,修订季度考核{word}") == [("周调度", "weekly", None), ("月通报", "monthly", None)]
    assert _freqs("纳入年度乡村振兴考核") == [("年度乡村振兴考核", "yearly", None)]


def test_a_named_years_review_is_one_occurrence() -> None:
    assert _freqs("就2024年度综合考核事项深入沟通") == []
    assert _freqs("就二〇二四年度综合考核事项深入沟通") == []
    assert _freqs("全面落实年度综合考核") == [("年度综合考核", "yearly", None)]


def test_a_quarter_once_per_quarter_in_a_chain() -> None:
    """``一季度一督查``: 季度 once a quarter, not 一季度 the first quarter."""
    assert _freqs("实行一季度一督查、半年一考核") == [("季度一督查", "quarterly", None), ("半年一考核", "half-yearly", None)]
    assert _freqs("第一季度一定要完成,上半年一般不调整") == []


@pytest.mark.parametrize("word", ["天天", "逐日"])
def test_every_single_day(word: str) -> None:
    assert _freqs(f"要做到宣传车{word}巡回播放") == [(word, "daily", None)]


def test_a_week_named_by_its_end_or_one_of_its_days() -> None:
    assert _freqs("红石社区每个周末开展巡查") == [("每个周", "weekly", None)]
    assert _freqs("每逢周一召开例会") == [("每逢周一", "weekly", 1)]
    assert _freqs("每晚安排干部带队值班") == [("每晚", "daily", None)]


@pytest.mark.parametrize("text", ["则列入次周周二的会议议程", "今天天气晴好", "本月月底前报送"])
def test_a_doubled_period_that_is_two_words(text: str) -> None:
    assert _freqs(text) == []


def test_a_quoted_element_names_a_standing_mechanism() -> None:
    assert _freqs("对需协同的工作进行“日通报”管理") == [("日通报", "daily", None)]
    assert _freqs("对需协同的工作进行日通报管理") == []  # unquoted and with no lead word: one occurrence
    assert _freqs("“日通报") == []


@pytest.mark.parametrize("system", LEX["standing_systems"])
@pytest.mark.parametrize(("element", "freq"), [("月报", "monthly"), ("周报告", "weekly"), ("日报告", "daily"), ("季报", "quarterly")])
def test_a_standing_reporting_system_recurs_by_its_name(system: str, element: str, freq: str) -> None:
    """实行月报制度, 严格执行日报告制度: a reporting system names its period (no lead word needed)."""
    assert element[1] in LEX["system_short_activities"] or element[1:] in LEX["chain_activities"]
    assert _freqs(f"县督查室要建立项目进展{element}{system}") == [(element, freq, None)]


def test_a_short_report_element_needs_its_system_word() -> None:
    """月报 alone (a publication, 《柳湾日报》) names no duty; a one-character element needs 制度 after it."""
    assert _freqs("各村要订阅《柳湾日报》和季报杂志") == []


@pytest.mark.parametrize("activity", LEX["standing_activities"])
def test_a_regular_meeting_recurs_by_its_name(activity: str) -> None:
    assert _freqs(f"各科室负责人要参加周{activity},汇报工作") == [(f"周{activity}", "weekly", None)]
    assert _freqs(f"本周{activity}上,各科室汇报了工作") == []


@pytest.mark.parametrize(("period", "freq"), LEX["unit_periods"].items())
@pytest.mark.parametrize("noun", LEX["unit_nouns"])
def test_work_paced_by_a_period(period: str, freq: str, noun: str) -> None:
    """以季度为节点推进, 建立以周为单位的督促机制: the period recurs with the work."""
    found = find_cadence(f"各村要以{period}为{noun}推进整治")
    assert [(c.text, c.value.freq, c.rule) for c in found] == [(f"以{period}为{noun}", freq, "unit")]


@pytest.mark.parametrize("word", LEX["unit_not_after"])
def test_a_period_as_a_unit_of_measure(word: str) -> None:
    assert _freqs(f"补贴以年为单位{word}") == []
    assert _freqs("去年以来以月为单位通报") == []


# ---------------------------------------------------------------- eighth session: kinds from the grid (issue 14)


@pytest.mark.parametrize(
    "text",
    ["每月到柳湾镇蹲点指导防火工作不少于2次", "护林员每天巡山护林次数不低于3次", "按照每周5县10案的进度开展评查", "保洁车每天2趟清运垃圾"],
)
def test_a_quota_anywhere_in_its_clause(text: str) -> None:
    """The genre notes: a quantity of several per period has no value in the freq set, however far the
    at-least word stands from the period word in the clause; trips and cases count like 次 and 篇."""
    assert _freqs(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每周至少开展一次检查", [("每周", "weekly", None)]),
        ("每年办好十件民生实事", [("每年", "yearly", None)]),
        ("每季度通报一批违反八项规定的问题", [("每季度", "quarterly", None)]),
        ("每月走访2家企业", [("每月", "monthly", None)]),
    ],
)
def test_not_a_quota(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    """Once per period, or things to deliver or places to visit (the written gold keeps those cadences)."""
    assert _freqs(text) == expected


def test_one_a_day_and_a_weekly_summary() -> None:
    assert _freqs("对难点实行一天一调度") == [("一天一调度", "daily", None)]
    assert _freqs("城区面貌要一天一个样") == []
    assert _freqs("实行日报告、周小结、月总结") == [("日报告", "daily", None), ("周小结", "weekly", None), ("月总结", "monthly", None)]
    assert _freqs("各村每个工作日下班前报送") == [("每个工作日", "daily", None)]


@pytest.mark.parametrize("text", ["要常态化开展巡查", "要建立长效机制", "定期开展安全检查"])
def test_no_period_named(text: str) -> None:
    assert _freqs(text) == []


@pytest.mark.parametrize("text", ["柳湾县已实行周调度、月通报制度", "目前已建立每月一次的例会制度", "每年一度的春耕生产开始了"])
def test_a_mechanism_already_running_or_an_annual_event(text: str) -> None:
    """The spec: a cadence only described (a mechanism already running) is no obligation; 每年一度 is an idiom."""
    assert _freqs(text) == []
    assert _freqs("要建立每月通报制度") == [("每月", "monthly", None)]


def test_patrol_and_visit_elements() -> None:
    assert _freqs("各村要做到日巡查、周报告、月总结") == [("日巡查", "daily", None), ("周报告", "weekly", None), ("月总结", "monthly", None)]
    assert _freqs("实行网格员日巡查制度") == [("日巡查", "daily", None)]
    assert _freqs("全年排查隐患200处") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年以来,柳湾县坚持每月召开一次调度会,累计召开12次", []),
        ("近年来,青石镇一季一评比,效果明显", []),
        ("自2020年以来,柳湾县日督月考,成效明显", []),
        ("去年以来事故多发,各村要每月开展一次排查", [("每月", "monthly", None)]),
        ("今年以来,县委书记要求每周调度一次", [("每周", "weekly", None)]),
        ("今年以来,各乡镇要每季度报送一次信息", [("每季度", "quarterly", None)]),
    ],
)
def test_a_sentence_opened_by_a_past_frame_reports(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    """A sentence opened by 以来/去年 reports what ran, in any clause after it, until a modal orders work."""
    assert _freqs(text) == expected


def test_a_period_inside_a_title_names_it() -> None:
    """《…每日一播》 or 《关于建立每月例会制度的通知》 names a programme or a document, no duty of the item."""
    assert _freqs("使用《柳湾县安全提醒“每日一播”》广播系统") == []
    assert _freqs("印发《关于建立每月例会制度的通知》,各村要每周报送") == [("每周", "weekly", None)]
    assert _freqs("要严格执行《值班制度》,每天报告") == [("每天", "daily", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("力争实现“每年有进步、三年大提升”", []),
        ("柳湾县要每年一个台阶、每月一个变化", []),
        ("要努力做到每周有计划、每周有整治", [("每周", "weekly", None), ("每周", "weekly", None)]),
    ],
)
def test_a_periods_progress_in_a_slogan_is_a_goal(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    """每年有进步 sets a goal; 每周有计划 is a duty that recurs (the real gold reads them so)."""
    assert _freqs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每年年初和年中,柳湾县总结通报一次", [("每年", "half-yearly", None)]),
        ("每年6月和12月各开展一次评估", [("每年", "half-yearly", None)]),
        ("每年上、下半年各召开一次会议", [("每年", "half-yearly", None)]),
        ("每年上半年开展一次评估", [("每年", "yearly", None)]),
    ],
)
def test_two_points_of_the_year_recur_half_yearly(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    """每年 with two points of the year joined (年初和年中, 6月和12月) is twice a year: half-yearly."""
    assert _freqs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("同志们为每个月的计划活动提供了建议", []),
        ("各村要每月了解一次困难群众情况", [("每月", "monthly", None)]),
        ("为了防患于未然,各校要每周排查一次", [("每周", "weekly", None)]),
    ],
)
def test_a_past_mark_after_the_cadence_reports(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    """了 later in the clause tells what was done; 了解 and 为了 are words, not the past."""
    assert _freqs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("柳湾县各单位要按时报送月报、季报和年报", [("月报", "monthly", None), ("季报", "quarterly", None), ("年报", "yearly", None)]),
        ("青石镇要坚持周查、月评", [("周查", "weekly", None), ("月评", "monthly", None)]),
        ("实行日清日结", [("日清", "daily", None), ("日结", "daily", None)]),
        ("订阅柳湾日报、青石日报", []),
        ("本月报、季报已完成", []),
    ],
)
def test_one_character_elements_joined_by_separators(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    """月报、季报和年报 lists reports that recur, as 日督月考 does unseparated; a newspaper's name is none."""
    assert _freqs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("柳湾县建立月度工作例会制度", [("月度工作例会", "monthly", None)]),
        ("要定期召开月度经营分析会", [("月度经营分析会", "monthly", None)]),
        ("实行季度工作报告制度", [("季度工作报告", "quarterly", None)]),
        ("请于周末召开会议", []),
        ("第三季度经济运行分析会", []),
        ("本季度工作例会", []),
    ],
)
def test_a_monthly_or_quarterly_meeting_with_words_between(text: str, expected: list[tuple[str, str, int | None]]) -> None:
    """月度/季度 + words + a meeting, a report or a system recurs; one named quarter (第三季度, 本季度) and a
    weekend's meeting do not."""
    assert _freqs(text) == expected


@pytest.mark.parametrize("day", LEX["weekday_system_days"])
def test_each_day_of_a_weekday_system(day: str) -> None:
    assert _freqs(f"建立周{day}例会制度") == [(f"周{day}例会制度", "weekly", None)]


@pytest.mark.parametrize("word", LEX["weekday_system_not_after"])
def test_a_weekday_system_after_a_week_word_or_a_count_is_none(word: str) -> None:
    assert [f for f in _freqs(f"{word}周五例会制度") if f[0].startswith("周五")] == []


@pytest.mark.parametrize("moment", LEX["weekday_moments"])
def test_each_moment_of_a_weekday_routine(moment: str) -> None:
    assert _freqs(f"落实周五{moment}前5分钟安全提醒") == [(f"周五{moment}前5分钟", "weekly", None)]


@pytest.mark.parametrize("unit", LEX["weekday_moment_units"])
def test_each_unit_of_a_weekday_routine(unit: str) -> None:
    assert _freqs(f"落实周五放学前1{unit}安全提醒") == [(f"周五放学前1{unit}", "weekly", None)]
