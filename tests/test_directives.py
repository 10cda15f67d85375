"""Directive decisions: features, the rule fallback and the scorer protocol."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SPEECH, shared_or_skip
from textkit.clean import clean
from textkit.extractors.directives import context_texts, decide, document_inputs, features, rule_probability
from textkit.model import Counts, GoldDocument, directive_counts
from textkit.outline import parse


def test_features_are_numbers_and_context_texts_are_text() -> None:
    outline = parse(clean(SPEECH))
    for node in outline.walk():
        assert all(isinstance(v, float) for v in features(outline, node).values())
        texts = context_texts(outline, node)
        assert set(texts) == {"text_heading", "text_lead", "text_intro", "text_section", "text_family"}
        assert all(isinstance(v, str) for v in texts.values())


def test_rule_probability_ignores_what_it_has_no_weight_for() -> None:
    assert rule_probability({"text_heading": "加强组织领导"}) == rule_probability({})


class _Always:
    """A scorer that calls everything work: only the lowest items become directives."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def predict_proba_features(self, rows: list[dict]) -> list[float]:
        self.rows.extend(rows)
        return [1.0] * len(rows)


def test_scorer_sees_features_and_texts_and_containers_stay_containers() -> None:
    outline = parse(clean(SPEECH))
    scorer = _Always()
    decisions = decide(outline, scorer=scorer)
    assert scorer.rows and all("text_heading" in r and "family_prior" in r for r in scorer.rows)
    for d in decisions:
        assert d.directive == (not d.node.children)
        assert all(isinstance(v, float) for v in d.features.values())


def test_rules_alone_find_the_seed_directives(seed_path: Path) -> None:
    gold = json.loads(shared_or_skip("spec", "gold", "seed.json").read_text(encoding="utf-8"))
    doc = GoldDocument("seed", gold, seed_path.read_text(encoding="utf-8"))
    assert directive_counts(doc, None) == Counts(tp=10, fp=0, fn=0)


def test_agenda_lists_assign_no_work() -> None:
    from textkit.clean import clean
    from textkit.extractors.directives import decide
    from textkit.outline import parse

    text = (
        "全县项目调度会议纪要\n2024年3月12日,县政府召开会议。会议议程如下:(一)听取县发改局关于项目进展的汇报;"
        "(二)研究其他事项。现将会议议定事项纪要如下:\n一、关于项目开工\n会议要求,县发改局要在4月底前完成用地报批。\n"
        "二、其他事项\n请县项目办于10个工作日内印发纪要。"
    )
    decisions = decide(parse(clean(text)))
    verdicts = {d.node.marker: d.directive for d in decisions}
    assert verdicts["(一)"] is False and verdicts["(二)"] is False
    assert verdicts["一、"] is True and verdicts["二、"] is True


def test_an_agenda_intro_on_a_line_of_its_own_is_still_read() -> None:
    # kind: 参会人员:\n(一)… — the intro's closing line break opened an empty last sentence,
    # so its agenda word was never seen and the participants were read as tasks
    for intro in ("参会人员:\n", "参加人员\n", "会议议程如下:\n\n"):
        text = "青石镇召开防汛调度会。" + intro + "(一)镇党政办全体人员;\n(二)各村党支部书记。"
        feats = [d.features for d in decide(parse(clean(text)))]
        assert len(feats) == 2 and all(f["agenda"] == 1.0 for f in feats)


class _Fixed:
    """A scorer that gives each node, in text order, the probability it is handed."""

    def __init__(self, probs: list[float]) -> None:
        self.probs = probs

    def predict_proba_features(self, rows: list[dict]) -> list[float]:
        assert len(rows) == len(self.probs)
        return list(self.probs)


SERIES = "会议要求:一是加强巡查。二是压实责任。三是做好值守。四是及时报告。"


def _series_verdicts(text: str, probs: list[float]) -> list[bool]:
    return [d.directive for d in decide(parse(clean(text)), scorer=_Fixed(probs))]


def test_a_doubted_item_follows_its_series() -> None:
    # kind: items of one series with different verdicts (二是 rejected at 0.3 while 一是/三是/四是 assign work)
    assert _series_verdicts(SERIES, [0.9, 0.3, 0.9, 0.9]) == [True, True, True, True]
    assert _series_verdicts(SERIES, [0.9, 0.1, 0.9, 0.9]) == [True, False, True, True]  # too unlikely to follow
    # a report's list with one imperative-looking item: the item leaves unless the model is sure
    assert _series_verdicts(SERIES, [0.1, 0.1, 0.7, 0.1]) == [False, False, False, False]
    assert _series_verdicts(SERIES, [0.1, 0.1, 0.85, 0.1]) == [False, False, True, False]
    # one sure item does not carry the others, and a pair decides nothing together
    assert _series_verdicts(SERIES, [0.9, 0.3, 0.3, 0.3]) == [True, False, False, False]
    assert _series_verdicts("一是加强巡查。二是压实责任。", [0.9, 0.3]) == [True, False]


def _verdicts(text: str) -> list[tuple[str, bool, dict[str, float]]]:
    """(marker, directive, features) of every item, decided by the shipped model."""
    from textkit.model import default_model

    return [(d.node.marker, d.directive, d.features) for d in decide(parse(clean(text)), scorer=default_model())]


def test_numbered_targets_each_naming_a_duty_unit_are_tasks() -> None:
    # kind: a target list whose items each end in 责任单位:… (the model scored them ~0.01 before)
    text = (
        "青石区2025年主要目标任务分解如下:\n"
        "(一)地区生产总值增长6%以上责任单位:区发展改革局\n"
        "(二)粮食产量稳定在3万吨以上责任单位:区农业农村局\n"
        "(三)城镇新增就业1200人责任单位:区人社局\n"
    )
    found = _verdicts(text)
    assert [m for m, _, _ in found] == ["(一)", "(二)", "(三)"]
    assert all(f["duty_label"] == 1.0 for _, _, f in found)
    assert all(directive for _, directive, _ in found)
    plain = parse(clean("一是粮食产量稳定在3万吨以上;二是城镇新增就业1200人。"))
    assert all(features(plain, n)["duty_label"] == 0.0 for n in plain.walk())


def test_an_attachment_list_of_titles_assigns_nothing() -> None:
    text = (
        "各乡镇要在5月10日前将防汛责任人名单报县防指办。\n\n"
        "附件:1.青石县2025年防汛责任人名单(样表)\n"
        "2.青石县小型水库名录\n"
    )
    found = _verdicts(text)
    assert [m for m, _, _ in found] == ["1.", "2."]
    assert all(f["intro_attachment"] == 1.0 and f["title_item"] == 1.0 for _, _, f in found)
    assert not any(directive for _, directive, _ in found)


def test_a_modal_in_the_opening_clause_outweighs_an_earlier_assessment_word() -> None:
    # 基于上述判断 names an assessment, but the clause that opens the list assigns work
    work = (
        "基于上述判断,下半年全县工作要把握好三条:"
        "一是要稳住工业,县工信局要每月通报运行情况;"
        "二是要抓好项目,各乡镇要在9月底前完成征地;"
        "三是要守住底线,县财政局要按月调度债务。\n"
    )
    found = _verdicts(work)
    assert len(found) == 3 and all(directive for _, directive, _ in found)
    assert all(f["intro_work"] == 1.0 and f["intro_assessment"] == 0.0 for _, _, f in found)
    assert found[1][2]["party_modal"] == 1.0 and found[0][2]["party_modal"] == 0.0
    # the problem named after the modal still makes it an assessment list
    problems = (
        "但我们也要清醒认识到当前工作中存在的一些问题:"
        "一是产业基础不强,二是项目储备不足,三是干部作风不实。\n"
    )
    found = _verdicts(problems)
    assert len(found) == 3 and not any(directive for _, directive, _ in found)
    assert all(f["intro_assessment"] == 1.0 and f["intro_work"] == 0.0 for _, _, f in found)


def test_list_size_is_bounded_and_each_family_is_one_token() -> None:
    from textkit.extractors.directives import FAMILY_TOKENS
    from textkit.model import vectorise

    text = "".join(f"{n}.请青石镇第{n}网格完成排查。\n" for n in range(1, 13))
    outline = parse(clean(text))
    items = outline.walk()
    assert len(items) == 12
    for node in items:
        assert features(outline, node)["list_size"] == 1.0
        family = context_texts(outline, node)["text_family"]
        assert family == FAMILY_TOKENS["arabic"]
        # the family's token is one bigram of its own: a one-hot feature for the model
        row = vectorise({"text_family": family})
        assert [k for k in row if k.startswith("f=")] == [f"f={family}"]
    assert len(set(FAMILY_TOKENS.values())) == len(FAMILY_TOKENS)


def test_the_intro_text_is_the_line_that_opens_the_list() -> None:
    text = "请各单位对照通知要求制定具体措施。\n\n附件:1.青石县防汛责任人名单\n2.青石县水库名录\n"
    outline = parse(clean(text))
    assert [context_texts(outline, n)["text_intro"] for n in outline.walk()] == ["附件:", "附件:"]


# kind: report lists (what a unit did) read as directives in news that assigns nothing (90 real-train CV errors)
_REPORT_INTROS = ("近日,青石镇扎实推进人居环境整治:", "柳溪村多措并举抓好防汛。", "")
_PAST_ITEMS = (
    ("一是成立了工作专班,明确专人负责。", "二是发放宣传资料300余份。", "三是先后召开推进会4次。"),
    ("一是加强组织领导,镇里已完成方案。", "二是强化宣传,累计入户120户。", "三是狠抓整改,整改了问题9个。"),
    ("(一)压实责任。截至5月底共排查隐患20处。", "(二)开展巡查。各村组建了巡查队。", "(三)严格考核。"),
)


def _report_flags(text: str) -> list[float]:
    outline = parse(clean(text))
    flags = [features(outline, node)["run_report"] for node in outline.walk()]
    from textkit.extractors.directives import document_inputs

    assert [f["run_report"] for f in document_inputs(outline)[1]] == flags
    return flags


def test_a_series_that_only_tells_past_work_is_a_report() -> None:
    for intro in _REPORT_INTROS:
        for items in _PAST_ITEMS:
            assert _report_flags(intro + "".join(items)) == [1.0, 1.0, 1.0], (intro, items)
            # one item that orders work (要, 必须, 请) makes the whole series a deployment's
            for k, order in enumerate(("要在6月底前完成", "必须落实到人", "请各村抓好落实")):
                changed = list(items)
                changed[k] = changed[k].rstrip("。") + "," + order + "。"
                assert _report_flags(intro + "".join(changed)) == [0.0, 0.0, 0.0], (intro, changed)


def test_words_that_only_look_past_or_modal_do_not_decide() -> None:
    # 为了/了解 are no perfective; 主要/应急 hold no modal; a series with no past cue is no report
    plain = "一是为了群众安全,了解汛情。二是主要道路设置警示。三是应急物资储备到位。"
    assert _report_flags(plain) == [0.0, 0.0, 0.0]
    assert _report_flags("一是为了群众安全,了解汛情。二是主要道路已设置警示。三是应急队伍进驻。") == [1.0, 1.0, 1.0]
    # each run since the list restarted at item 1 is judged alone
    two_runs = "一是成立了专班。二是发放资料50余份。下一步:一是要加强巡查。二是要压实责任。"
    assert _report_flags(two_runs) == [1.0, 1.0, 0.0, 0.0]


def _report_shares(text: str) -> list[float]:
    outline = parse(clean(text))
    shares = [features(outline, node)["run_report_share"] for node in outline.walk()]
    from textkit.extractors.directives import document_inputs

    assert [f["run_report_share"] for f in document_inputs(outline)[1]] == shares
    return shares


def test_a_report_with_one_narrated_order_is_still_mostly_a_report() -> None:
    # the share of a series' items that tell past work without a modal: one 要求 hides no report
    for intro in _REPORT_INTROS:
        for items in _PAST_ITEMS:
            told = [0.0 if item.startswith("(三)") else 1.0 for item in items]
            assert _report_shares(intro + "".join(items)) == [sum(told) / 3] * 3, (intro, items)
            for k in range(3):
                changed = list(items)
                changed[k] = changed[k].rstrip("。") + ",要求各村抓好落实。"
                share = (sum(told) - told[k]) / 3
                assert _report_shares(intro + "".join(changed)) == [share] * 3, (intro, changed)
                assert _report_flags(intro + "".join(changed)) == [0.0] * 3


# kind: terse guidelines with no modal read as a report list because the text after the list, glued to the last
# item, tells past work (a hospital head's six short guidelines: 6 -> 1 found on fresh text; 5 misses in real-train CV)
_GUIDELINES = ("一、严查推诿之风;", "二、严管值班纪律;", "三、严防医疗差错;", "四、严惩收受红包;")
_CLOSING = "此次专题会议的召开,进一步统一了全院职工的思想,明确了下一阶段的重点。"


def test_terse_guidelines_are_no_report_whatever_the_closing_text_tells() -> None:
    guidelines = "院长在会上提出:" + "".join(_GUIDELINES) + "五、严格落实首诊负责制。" + _CLOSING
    assert _report_flags(guidelines) == [0.0] * 5
    # the same closing text after narrated deeds leaves the report flag on
    deeds = ("一、成立了医疗安全专班,由分管副院长任组长;", "二、全院开展了两轮处方点评和病历抽查;",
             "三、组织医务人员参加院感培训三次;", "四、对门诊流程进行了优化调整,并制定了考核细则。")
    assert _report_flags("".join(deeds) + _CLOSING) == [1.0] * 4
    # short deeds that tell past work are no guidelines: a report of them stays a report
    short = ("一是发放资料300余份。", "二是召开推进会4次。", "三是排查隐患已整改。")
    assert _report_flags("".join(short)) == [1.0] * 3


def test_terse_guidelines_are_found_by_the_shipped_model_each_on_its_own() -> None:
    from textkit.model import default_model

    items = ("一、强化责任担当;", "二、严格值班纪律;", "三、规范诊疗行为;", "四、杜绝推诿扯皮;", "五、提升服务质量。")
    outline = parse(clean("院长在会上对全院职工提出:" + "".join(items) + _CLOSING))
    found = decide(outline, scorer=default_model())
    assert [d.node.marker for d in found] == ["一、", "二、", "三、", "四、", "五、"]
    assert all(d.features["run_report"] == 0.0 for d in found)
    # each item on its own, not only through its series' vote (the report flag had put three of five below 0.5)
    assert all(d.directive and d.probability >= 0.5 for d in found), [round(d.probability, 2) for d in found]


def test_news_openers_and_report_frames_introduce_an_assessment_list() -> None:
    # a list after 近日/多措并举/汇报如下 tells what was done; 勉励 asks the listeners to act
    items = "一是压实河长责任。二是开展集中清理。三是强化日常巡查。"
    for intro in ("近日,青石镇扎实开展河道保洁:", "柳溪村多措并举:", "连日来,县水利局加强巡河:"):
        feats = document_inputs(parse(clean(intro + items)))[1]
        assert all(f["intro_assessment"] == 1.0 and f["intro_work"] == 0.0 for f in feats), intro
    # 汇报如下 ends where 如下 does: the frame no longer announces work
    feats = document_inputs(parse(clean("现将工作情况汇报如下:" + items)))[1]
    assert all(f["intro_work"] == 0.0 for f in feats)
    outline = parse(clean("局长勉励全体干部:一是坚定信心。二是担当作为。三是严守纪律。"))
    assert all(f["intro_work"] == 1.0 and f["intro_assessment"] == 0.0 for f in document_inputs(outline)[1])


def test_a_growth_target_is_no_assessment_and_its_duty_label_no_owner_line() -> None:
    # kind: numbered targets each with a 责任单位 line, where 增长 counted as an achievement word outweighed the label
    target = parse(clean("(一)地区生产总值增长6%以上责任单位:区发展改革局\n(二)粮食产量增长2%左右责任单位:区农业农村局\n"))
    feats = document_inputs(target)[1]
    assert [f["heading_assessment"] for f in feats] == [0.0, 0.0]
    assert [f["owner_line"] for f in feats] == [0.0, 0.0] and [f["duty_label"] for f in feats] == [1.0, 1.0]
    assert [features(target, n) for n in target.walk()] == feats
    # an achievement's 增长 still counts, and a line that opens with its label is still an owner line
    achieved = parse(clean("(一)地区生产总值同比增长6.2%,高于全省平均水平。\n(二)粮食产量增长了2%。\n"))
    assert all(f["heading_assessment"] >= 1.0 for f in document_inputs(achieved)[1])
    trailer = parse(clean("(一)责任单位:区发展改革局\n(二)牵头单位:区农业农村局\n"))
    assert [f["owner_line"] for f in document_inputs(trailer)[1]] == [1.0, 1.0]
