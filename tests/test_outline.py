"""Every enumeration style of the outline, one-line input, style switches, and the seed asserted exactly."""

from __future__ import annotations

import pytest

from textkit.clean import clean
from textkit.extractors.directives import decide
from textkit.outline import cn_number, parse


def tree(text: str) -> list[tuple[str, str, str]]:
    """(path, marker, heading) for every node."""
    outline = parse(clean(text))
    return [(n.path, n.marker, outline.heading(n)) for n in outline.walk()]


STYLES = [
    ("一、加强领导\n二、压实责任\n", [("1", "一、", "加强领导"), ("2", "二、", "压实责任")]),
    ("第一部分 总体要求\n第二部分 重点任务\n", [("1", "第一部分", "总体要求"), ("2", "第二部分", "重点任务")]),
    ("(一)加强组织领导。(二)强化要素保障。", [("1", "(一)", "加强组织领导"), ("2", "(二)", "强化要素保障")]),
    ("（一）加强组织领导。（二）强化要素保障。", [("1", "(一)", "加强组织领导"), ("2", "(二)", "强化要素保障")]),
    ("1.完成用地报批。2.完成征地补偿。", [("1", "1.", "完成用地报批"), ("2", "2.", "完成征地补偿")]),
    ("1、完成用地报批。2、完成征地补偿。", [("1", "1、", "完成用地报批"), ("2", "2、", "完成征地补偿")]),
    ("(1)完成用地报批;(2)完成征地补偿。", [("1", "(1)", "完成用地报批"), ("2", "(2)", "完成征地补偿")]),
    ("①完成用地报批;②完成征地补偿。", [("1", "①", "完成用地报批"), ("2", "②", "完成征地补偿")]),
    ("一要压实责任。二要强化值守。", [("1", "一要", "压实责任"), ("2", "二要", "强化值守")]),
    ("一是压实责任。二是强化值守。", [("1", "一是", "压实责任"), ("2", "二是", "强化值守")]),
    ("一是要压实责任。二是要强化值守。", [("1", "一是要", "压实责任"), ("2", "二是要", "强化值守")]),
    ("第一,要压实责任。第二,要强化值守。", [("1", "第一,要", "压实责任"), ("2", "第二,要", "强化值守")]),
    ("首先,压实责任。其次,强化值守。最后,严格考核。",
     [("1", "首先,", "压实责任"), ("2", "其次,", "强化值守"), ("3", "最后,", "严格考核")]),
]


@pytest.mark.parametrize(("text", "expected"), STYLES, ids=[s[1][0][1] for s in STYLES])
def test_each_marker_style(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert tree(text) == expected


def test_nested_levels_with_line_breaks() -> None:
    text = (
        "关于做好全县项目工作的意见\n"
        "一、总体要求\n坚持项目为王。\n"
        "二、重点任务\n(一)加快项目开工。\n1.县发改局要完成用地报批。\n2.各乡镇要完成征地补偿。\n"
        "(二)强化要素保障。一是要保资金。二是要保用地。\n"
        "三、其他事项\n请县项目办印发本意见。\n"
    )
    assert tree(text) == [
        ("1", "一、", "总体要求"),
        ("2", "二、", "重点任务"),
        ("2.1", "(一)", "加快项目开工"),
        ("2.1.1", "1.", "县发改局要完成用地报批"),
        ("2.1.2", "2.", "各乡镇要完成征地补偿"),
        ("2.2", "(二)", "强化要素保障"),
        ("2.2.1", "一是要", "保资金"),
        ("2.2.2", "二是要", "保用地"),
        ("3", "三、", "其他事项"),
    ]


def test_style_switch_mid_list_stays_one_level() -> None:
    text = "一要统筹协调。二要信息反馈。三是要督促检查。四是要考核激励。"
    assert [(p, m) for p, m, _ in tree(text)] == [("1", "一要"), ("2", "二要"), ("3", "三是要"), ("4", "四是要")]


def test_one_line_heading_glued_to_first_item() -> None:
    text = "二、突出重点全力推动双过半一要在项目建设上持续用力。二要在产业升级上持续用力。"
    assert tree(text) == [
        ("1", "二、", "突出重点全力推动双过半"),
        ("1.1", "一要", "在项目建设上持续用力"),
        ("1.2", "二要", "在产业升级上持续用力"),
    ]


# A whole document copied onto one line: each section's heading runs into its first sentence.
ONE_LINE_SECTIONS = (
    "一、正视发展形势今年以来,全县经济运行总体平稳。"
    "二、抓住关键窗口,全力稳住增长三季度是完成全年目标的关键期,各乡镇要抓紧推进。"
    "三、关于汛期值守会议要求,各乡镇要落实24小时值班。"
    "四、关于项目调度会议明确:县发改局每月通报一次。"
)


def test_one_line_heading_stops_before_its_first_sentence() -> None:
    assert [h for _, _, h in tree(ONE_LINE_SECTIONS)] == [
        "正视发展形势", "抓住关键窗口,全力稳住增长", "关于汛期值守", "关于项目调度",
    ]


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        # the opener follows a comma: the heading's own clause, not a glued sentence
        ("一、做好当前防汛工作,目前,各乡镇要完成排查。二、抓好秋冬季工作。", "做好当前防汛工作,目前,各乡镇要完成排查"),
        # 要求 governed by 根据 with no comma after: the middle of a sentence
        ("(一)请各乡镇根据会议要求报送名单。(二)请县水利局汇总。", "请各乡镇根据会议要求报送名单"),
        # a time word inside the heading, no comma or 是 after it
        ("一、扎实做好下半年重点工作今年以来,全镇进展平稳。二、抓好落实。", "扎实做好下半年重点工作"),
        # 1. items are sentences; their heading is the sentence
        ("1.县民政局要在今年以来,新增床位基础上扩面。2.县财政局要保障资金。", "县民政局要在今年以来,新增床位基础上扩面"),
    ],
)
def test_words_that_only_look_like_a_glued_sentence_stay_in_the_heading(text: str, heading: str) -> None:
    assert tree(text)[0][2] == heading


def test_headings_on_their_own_lines_are_unchanged() -> None:
    text = "一、正视发展形势\n今年以来,全县经济运行总体平稳。\n二、抓住关键窗口\n三季度是关键期。\n"
    assert [h for _, _, h in tree(text)] == ["正视发展形势", "抓住关键窗口"]


def test_short_one_line_text_keeps_its_title() -> None:
    # under 80 characters with a final line break and no final 。: still one line, not a header line
    text = "在全镇秋冬季防火工作会议上的讲话同志们:今天开会。一要压实责任。二要强化巡查\n"
    outline = parse(clean(text))
    assert outline.title == "在全镇秋冬季防火工作会议上的讲话"
    assert clean(text).text[outline.body_start :].startswith("今天开会")


@pytest.mark.parametrize(
    "text",
    ["要做到统一是关键,唯一要求是落实。", "这是第一次会议,发展是第一要务。", "小(二)型水库要落实责任。", "坚持一二三四五工作法。"],
)
def test_words_containing_markers_are_not_markers(text: str) -> None:
    assert tree(text) == []


def test_lists_that_restart_are_siblings() -> None:
    text = "主要有以下特点:一是重视。二是有力。主要问题是:一是认识不足。二是措施不力。"
    assert [(p, m) for p, m, _ in tree(text)] == [("1", "一是"), ("2", "二是"), ("3", "一是"), ("4", "二是")]


def test_title_repeated_and_date() -> None:
    text = "在全县工作会议上的讲话在2024年全县工作会议上的讲话同志们:今天开会。一要抓落实。二要抓考核。"
    outline = parse(clean(text))
    assert outline.title == "在全县工作会议上的讲话"
    assert outline.date == "2024"
    assert clean(text).text[outline.body_start :].startswith("今天开会")


def test_full_dates_and_chinese_numeral_sign_off() -> None:
    assert parse(clean("全县防汛会议纪要\n2024年3月12日,县政府召开会议。")).date == "2024-03-12"
    signed = "关于做好防汛工作的通知\n各乡镇要做好准备。\n河阳县人民政府\n二〇二四年五月八日"
    assert parse(clean(signed)).date == "2024-05-08"


@pytest.mark.parametrize(("numeral", "value"), [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21)])
def test_cn_number(numeral: str, value: int) -> None:
    assert cn_number(numeral) == value


def test_seed_outline_exactly(seed_text: str) -> None:
    outline = parse(clean(seed_text))
    assert outline.title == "在县委“工作落实年”协调推进会暨领导小组第二次会议上的讲话"
    sections = outline.nodes
    assert [n.marker for n in sections] == ["一、", "二、", "三、"]
    assert [n.marker for n in sections[0].children] == ["一是", "二是", "三是", "一是", "二是", "三是"]
    assert [n.marker for n in sections[1].children] == ["一要", "二要", "三要", "四要", "五要", "六要"]
    assert [n.marker for n in sections[2].children] == ["一要", "二要", "三是要", "四是要"]
    decisions = {id(d.node): d.directive for d in decide(outline)}
    assert not any(decisions[id(n)] for n in sections[0].children)  # the six assessment items
    assert all(decisions[id(n)] for n in sections[1].children + sections[2].children)
    assert not any(decisions[id(n)] for n in sections)  # sections with children are containers


def test_bare_numerals_then_comma_style() -> None:
    text = "下面我强调三点。一 坚持问题导向,抓好整改。二,聚焦目标任务,打好攻坚战。三,强化责任落实,形成合力。"
    assert [(p, m) for p, m, _ in tree(text)] == [("1", "一"), ("2", "二,"), ("3", "三,")]


def test_uneven_nesting_second_item_holds_a_list() -> None:
    text = "第一,要稳住经济基本盘。各县区要抓好工业。第二,要抓项目扩投资。重点抓好三件事:一是抓开工。二是抓进度。三、要转作风提效能。"
    assert [(p, m) for p, m, _ in tree(text)] == [
        ("1", "第一,要"), ("2", "第二,要"), ("2.1", "一是"), ("2.2", "二是"), ("3", "三、"),
    ]


def test_a_list_pointing_back_at_the_previous_one_is_its_sibling() -> None:
    text = "一是要抓班子。二是要抓整顿。三是要抓教育。镇党委要落实。在抓好以上工作的同时,还要突出两件事:一是抓冬训。二是抓慰问。"
    assert [(p, m) for p, m, _ in tree(text)] == [
        ("1", "一是要"), ("2", "二是要"), ("3", "三是要"), ("4", "一是"), ("5", "二是"),
    ]


def test_preamble_list_does_not_swallow_the_first_section() -> None:
    text = "关于安全生产任务分工的通知\n主要表现在:1.责任不落实;2.隐患多。\n一、强化责任落实\n1.压实领导责任。\n2.压实企业责任。\n二、强化保障\n"
    assert [(p, m) for p, m, _ in tree(text)] == [
        ("1", "1."), ("2", "2."), ("3", "一、"), ("3.1", "1."), ("3.2", "2."), ("4", "二、"),
    ]


def test_title_below_a_banner_and_over_two_lines() -> None:
    banner = "河阳县人民政府\n专题会议纪要\n〔2024〕第7期\n\n全县重点项目建设推进会议纪要\n\n2024年3月18日,县政府召开会议。"
    assert parse(clean(banner)).title == "全县重点项目建设推进会议纪要"
    two_lines = "河阳县防汛抗旱指挥部\n2024年第一次全体会议纪要\n\n2024年5月8日,指挥部召开会议。"
    assert parse(clean(two_lines)).title == "河阳县防汛抗旱指挥部\n2024年第一次全体会议纪要"


def test_yifangmian_items_only_at_sentence_starts() -> None:
    items = "第二,要优化环境。一方面要清理拖欠账款。另一方面要规范执法检查。第三,要抓招商。"
    assert [(p, m) for p, m, _ in tree(items)] == [("1", "第二,要"), ("1.1", "一方面要"), ("1.2", "另一方面要"), ("2", "第三,要")]
    inside = "一要抓工业,一方面要落实包抓责任;另一方面,要发展非煤产业。二要抓项目。"
    assert [(p, m) for p, m, _ in tree(inside)] == [("1", "一要"), ("2", "二要")]


def test_last_item_ends_before_a_closing_word_to_everyone() -> None:
    text = "一要抓安全。各乡镇要排查隐患。二要抓值守。县应急管理局要严格值班。同志们,全县上下要团结一心,确保年内完成。"
    outline = parse(clean(text))
    last = outline.nodes[-1]
    assert outline.clean.text[last.start : last.end].rstrip("。") == "二要抓值守。县应急管理局要严格值班"


def test_a_sequence_opened_mid_clause_before_yao() -> None:
    # 首先 after its subject (干部职工首先要…) opens the list when 其次 continues it
    text = "会上,院长要求全体干部职工首先要树牢全局意识,把病人安全放在第一位;其次,要压实科室责任,逐项整改;最后,要加强督查问效。"
    nodes = parse(clean(text)).walk()
    assert [n.marker for n in nodes] == ["首先", "其次,", "最后,"]


def test_a_lone_shouxian_in_running_text_is_no_list() -> None:
    text = "我们首先要感谢各位专家的辛勤付出,这次评审工作进展顺利。"
    assert parse(clean(text)).walk() == []


def test_arabic_items_glued_to_a_date() -> None:
    text = "现将有关工作安排通知如下:\n1.2024年11月26日前,各学院提交改革方案。\n2.各学院要在12月底前完成试点。\n3.学校将组织专家验收。"
    nodes = parse(clean(text)).walk()
    assert [n.marker for n in nodes] == ["1.", "2.", "3."]
    assert clean(text).text[nodes[0].body_start :].startswith("2024年11月26日前")


@pytest.mark.parametrize(
    "text",
    [
        "县农机站秸秆禁烧工作会议\n10.10.2018 16:07\n本文来源:农业信息网\n会议要求各村抓好落实。",
        "今年主要指标:\n1.5亿元的项目资金已经到位。\n其余资金正在筹措。",
    ],
)
def test_a_line_opening_with_a_decimal_or_a_date_is_no_item(text: str) -> None:
    assert parse(clean(text)).walk() == []


def test_a_lone_section_heading_on_its_own_line_opens_its_section() -> None:
    # an excerpt (or a page) cut after its first section: 一、 alone, on a heading line of its own
    text = "同志们:\n今天召开全镇重点镇建设推进会。\n\n一、统一思想,深刻认识建设的重要意义\n\n加快重点镇建设是县委的重要部署,各村、各站所要主动对接,抓紧摸清底数。"
    nodes = parse(clean(text)).walk()
    assert [(n.path, n.marker) for n in nodes] == [("1", "一、")]


def test_a_lone_numeral_in_running_text_opens_nothing() -> None:
    text = "同志们:\n一、二季度经济运行总体平稳,各项指标好于预期,为全年打下了基础。"
    assert parse(clean(text)).walk() == []


# --- kinds seen on real excerpts (issue 14) ---------------------------------------------


def test_small_full_stop_after_an_arabic_number() -> None:
    text = "一、确保完成全年目标\n1\ufe52地区生产总值增长6%。\n2\ufe52固定资产投资增长8%。\n"
    assert [m for _, m, _ in tree(text)] == ["一、", "1\ufe52", "2\ufe52"]


def test_numbered_table_rows_open_items_only_at_a_line_start() -> None:
    text = "序号|工作任务|责任处室|\n1 |做好防汛信息发布|应急处|\n2 |推进预算公开|财务处|\n"
    assert [(m, h) for _, m, h in tree(text)] == [("1 |", "做好防汛信息发布|应急处|"), ("2 |", "推进预算公开|财务处|")]
    assert tree("共有3 |5个单位|参加\n") == []


def test_an_ascii_full_stop_ends_a_sentence_before_an_item() -> None:
    text = "各校要张贴告知书.(三)对河湾村排查登记.(四)对商店开展检查."
    assert [m for _, m, _ in tree(text)] == ["(三)", "(四)"]


def test_a_yao_noun_between_items_of_its_list_is_an_item() -> None:
    text = "一要统一思想。二要压实责任。三要求真务实,开拓进取。四要加强检查,健全问责。"
    assert [m for _, m, _ in tree(text)] == ["一要", "二要", "三要", "四要"]
    assert [m for _, m, _ in tree("一要统一思想。二要素齐全。")] == []  # nothing bridges it: no list


def test_shi_then_a_yao_noun_keeps_the_noun_in_the_heading() -> None:
    """一是要求各班主任…: the marker is 一是 and the heading opens with 要求 (its 要 was read as the marker's)."""
    text = "一是要求各班主任每天清点人数。二是要加强巡查。第三是要点名到人。"
    assert [(m, h[:3]) for _, m, h in tree(text)] == [("一是", "要求各"), ("二是要", "加强巡"), ("第三是", "要点名")]


@pytest.mark.parametrize("opener", ["三点看法", "几点建议", "三点希望"])
def test_an_announced_first_item_before_a_glued_numeral(opener: str) -> None:
    text = f"下面,我讲{opener}:一、提高认识,做好经济工作,工业和二、三产业是财源。"
    assert [m for _, m, _ in tree(text)][:1] == ["一、"]


def test_an_excerpt_cut_inside_the_first_item_of_a_nested_list() -> None:
    text = "一、总体要求\n坚持稳中求进。\n二、重点任务\n1.加快推进路网建设。构建多层次交通网"
    assert [(p, m) for p, m, _ in tree(text)] == [("1", "一、"), ("2", "二、"), ("2.1", "1.")]
    assert tree("会议通报了情况。\n1.加快推进路网建设。") == []  # no kept item before it


def test_a_stub_cut_by_the_excerpt_end_is_no_item() -> None:
    head = "一、总体要求\n坚持稳中求进。\n二、重点任务\n村级要建立值班制度。\n"
    assert [m for _, m, _ in tree(head + "1.进一步深化")] == ["一、", "二、"]
    assert [m for _, m, _ in tree(head + "1.进一步深化对防汛工作的认识")] == ["一、", "二、", "1."]


def test_an_item_glued_to_the_text_before_it_between_its_neighbours() -> None:
    text = "院长提出三点要求,一是要加强团结,珍惜局面二是要改革创新,转变思维;三是要转变作风。"
    assert [m for _, m, _ in tree(text)] == ["一是要", "二是要", "三是要"]
    # without item n+1 of its style after it, a glued 二是要 stays part of the sentence
    assert [m for _, m, _ in tree("一是要加强团结,珍惜局面二是要改革创新。")] == []


def test_a_closing_cue_before_a_nodes_own_items_does_not_cut_them() -> None:
    text = "(一)由宣读实施细则;(二)由作讲话。同志们,下面提两点要求。\n一是各单位要迅速动员。\n二是有关部门要协作配合。"
    outline = parse(clean(text))
    for node in outline.walk():
        assert node.body_start <= node.end
    last = outline.walk()[-1]
    assert last.marker == "二是" and outline.clean.text[last.start : last.end].endswith("协作配合。")


NARRATION_TAILS = [
    "会上,青禾乡汇报了前期工作,各村要做好迎检准备。",
    "据了解,全镇已完成清理河道12公里,各站所要继续巡查。",
    "副县长林远山强调,各乡镇要在月底前完成排查。",
    "柳溪镇党委书记韩青要求,各村要压实包片责任。",
    # after a sentence item (一是…) the meeting's own voice is the account going on too
    "会议强调,各站所要在月底前报送整改清单。",
]


@pytest.mark.parametrize("tail", NARRATION_TAILS)
def test_last_item_ends_before_a_paragraph_the_narration_opens(tail: str) -> None:
    # a news report goes on after the list (会上,…; 某某强调,…): the paragraph is not the last item's body
    text = "会议要求,一是加强巡河,发现问题及时处置。\n二是压实河长责任,确保水质达标。\n" + tail
    outline = parse(clean(text))
    last = outline.nodes[-1]
    assert last.marker == "二是"
    assert outline.clean.text[last.start : last.end].rstrip() == "二是压实河长责任,确保水质达标。"


def test_the_meetings_own_voice_and_an_items_details_stay_in_the_item() -> None:
    # after a section of minutes (一、关于…) 会议强调,… is its decision; 具体要求: opens the item's own details
    minutes = "一、关于石桥村道路硬化项目\n会议听取了交通站的汇报。\n会议强调,交通站要在6月底前完成招标。"
    outline = parse(clean(minutes))
    assert outline.clean.text[outline.nodes[-1].start : outline.nodes[-1].end].rstrip().endswith("6月底前完成招标。")
    details = "一是抓好秸秆禁烧。\n二是抓好森林防火。\n具体要求:各村要落实巡山人员,每天巡查两次。"
    outline = parse(clean(details))
    assert outline.clean.text[outline.nodes[-1].start : outline.nodes[-1].end].rstrip().endswith("每天巡查两次。")


def test_a_speakers_verb_inside_a_parents_own_items_does_not_cut_them() -> None:
    # 六要严格落实要求,… opens the parent's item: the parent's closing sentence is searched after it
    text = "2、开学工作安排\n\n六要严格落实要求,各校要压实开学责任,校长为第一责任人。"
    outline = parse(clean(text))
    child = outline.walk()[-1]
    assert child.marker == "六要" and child.end > child.body_start + 10


def test_bullets_before_markers_and_a_lost_line_break() -> None:
    text = "周岚提出三点要求:\n◆一是推动订单转化;\n◆二是优化驻地布局;\n◆三是加强协调。"
    assert [m for _, m, _ in tree(text)] == ["一是", "二是", "三是"]
    text = "四、实施步骤Р第一阶段宣传发动。各村制定方案。Р第二阶段集中整治。各村清理垃圾。"
    assert [(p, m) for p, m, _ in tree(text)] == [("1", "四、"), ("1.1", "第一阶段"), ("1.2", "第二阶段")]


def test_a_bare_ordinal_opening_a_sentence() -> None:
    text = "院长提出要求。首先要求全院深化改革。第二打造专科特色。第三提高医疗质量。"
    assert [m for _, m, _ in tree(text)] == ["首先", "第二", "第三"]
    assert tree("。第二批项目已开工。第三批项目正在审批。") == []


def test_a_word_a_numeral_opens_is_no_bare_marker() -> None:
    assert tree("镇长要求:一定要保持清醒的头脑,思想上要高度重视。") == []  # an announced 一 would be kept
    assert [m for _, m, _ in tree("镇长要求:一加强领导,落实责任。")] == ["一"]


def test_a_first_item_glued_to_the_title_before_it() -> None:
    text = "青川县医疗质量管理制度一、由院领导组成管理委员会。二、委员会实行院长负责制。三、委员会制定改进计划。"
    assert [m for _, m, _ in tree(text)] == ["一、", "二、", "三、"]
    # one confirming neighbour is not enough, nor a list of another layout later on
    assert [m for _, m, _ in tree("坚持安全第一、预防为主。二、加强值守。")] == []
    assert [m for _, m, _ in tree("报表见附表一、二)。\n一、道路运输统计表\n二、水路运输统计表\n")] == ["一、", "二、"]


def test_a_section_marker_glued_between_its_neighbours() -> None:
    text = "三、会议以部署工作为主。如有重大问题应随时召开会议四、例会由责任人主持。五、会议形成纪要。"
    assert [m for _, m, _ in tree(text)] == ["三、", "四、", "五、"]


def test_a_table_row_whose_cell_starts_on_the_next_line() -> None:
    text = "序号 |\n重点工作 |\n1 |\n优化项目直通车机制。 |\n2 |\n推进空间再造。 |\n"
    assert [m for _, m, _ in tree(text)] == ["1 |", "2 |"]


_PAIRS = (("一方面要", "另一方面要"), ("一方面是", "另一方面是"), ("一方面,要", "另一方面,要"))


def test_a_pair_after_a_comma_is_a_list_where_it_splits_work() -> None:
    # kind: 一方面…另一方面 pairs after a comma not read as a list (real-train CV: 3 directives with no node)
    for one, two in _PAIRS:
        # a paragraph's own pair, after the speaker: no item before it on its line
        said = f"会上,县长李青山强调,{one}抓好源头管控,{two}严格巡查值守。"
        assert [(p, m) for p, m, _ in tree(said)] == [("1", one), ("2", two)], said
        said_later = f"一要抓安全。\n会议强调,{one}抓好源头管控;{two}严格巡查值守。"
        assert [m for _, m, _ in tree(said_later)][-2:] == [one, two], said_later
        # item 2 after a comma, item 1 at a sentence start: the pair splits the item's work
        split = f"三是再增压力,做好防控工作。{one}做好常态化防控,{two}做好接种。四是抓好值守。"
        assert [(p, m) for p, m, _ in tree(split)] == [("1", "三是"), ("1.1", one), ("1.2", two), ("2", "四是")], split
        # inside an item's sentence (the seed's form) the pair is a clause and the item one task
        clause = f"三要抓工业。各部门要把工业作为紧迫任务,{one}落实包抓责任;{two}发展非煤产业。四要抓项目。"
        assert [(p, m) for p, m, _ in tree(clause)] == [("1", "三要"), ("2", "四要")], clause
        # glued to its subject, with no comma or sentence end before it: no list
        assert tree(f"我们{one}保护水质,{two}珍惜存量。") == []
