"""Owners: kinds of phrasing seen missed on real text (issue 14), each with sentences written for
this file (no sentence of the real excerpts), the owners found and the receivers kept out."""

from __future__ import annotations

import pytest

from textkit.extractors.owners import find_owners


def names(text: str) -> list[str]:
    return [f.value.name for f in find_owners(text)]


# A list item whose name opens before its level (人民银行河阳县支行) after 和/及/与, as after 、.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县财政局和人民银行河阳县支行要做好资金拨付。", ["县财政局", "人民银行河阳县支行"]),
        ("县应急管理局及国网河阳县供电公司要做好保障,并向县委汇报。", ["县应急管理局", "国网河阳县供电公司"]),
        ("市住房和城乡建设局和各区住房城乡建设部门要加强监管。", ["市住房和城乡建设局", "各区住房城乡建设部门"]),
        ("县住房和城乡建设局要加强扬尘管控,报县政府审批后实施。", ["县住房和城乡建设局"]),
    ],
)
def test_a_joined_item_named_before_its_level(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A subject list that singles one party out with 特别是/尤其是: both are told to act.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各乡镇特别是沿河乡镇要加强巡查,及时向县防指特别是县水利局报告。", ["各乡镇", "沿河乡镇"]),
        ("各部门尤其是财政部门要认真制定方案。", ["各部门", "财政部门"]),
        ("各部门要加强协作,特别是财政部门要保障资金。", ["各部门", "财政部门"]),
        ("要表扬各乡镇特别是沿河乡镇的做法。", []),
    ],
)
def test_a_party_singled_out_in_the_subject_list(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A collective named by 全 and its own unit (全院, 全校), and a noun it opens (全校师生).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全院迅速进入应急状态,各科室要加强值守。", ["全院", "各科室"]),
        ("全校要做好开学准备,报教育局备案。", ["全校"]),
        ("全校师生要注意假期安全。", ["全校师生"]),
        ("全厂员工要遵守操作规程。", ["全厂员工"]),
        ("要向全院通报表扬。", []),
    ],
)
def test_a_whole_unit_as_a_collective(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A listed subject item that is a party and its own people (领导班子 + 成员): the whole item is one owner.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("镇党政领导班子成员、各村党支部书记要带头落实,并向镇党委报告。", ["镇党政领导班子成员", "各村党支部书记"]),
        ("街道党政领导班子成员、各口、各办工作人员要抓好落实。", ["街道党政领导班子成员", "各口", "各办工作人员"]),
        ("要表扬街道党政领导班子成员、各社区工作人员的做法。", []),
    ],
)
def test_a_listed_party_and_its_people(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A meeting notice's attendees told to act (与会人员, 参会代表): 与 here opens a word, not a list.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请与会人员安排好工作,按时参会。", ["与会人员"]),
        ("请与会对象提前十分钟入场。", ["与会对象"]),
        ("会议向与会人员通报了情况。", []),
    ],
)
def test_meeting_attendees(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# 各项目 names the projects' teams as units; 各项目标 is 各项 + 目标, no party.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各项目要列出清单,报指挥部备案。", ["各项目"]),
        ("各项目、各部门要加强成本管理,确保各项目标如期实现。", ["各项目", "各部门"]),
        ("各项目标任务要按期完成。", []),
        ("各项工作要抓紧推进。", []),
    ],
)
def test_each_project_as_a_unit(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A trailer of responsible units in parentheses after a requirement, whole or cut off by the excerpt.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("对下放的审批事项要同步落实监管措施。(县政务服务中心、县市场监管局)", ["县政务服务中心", "县市场监管局"]),
        ("要加快推进项目前期工作。(县发展改革局、县自然资源局、县", ["县发展改革局", "县自然资源局"]),
        ("二要廉洁自律。(办公室)", []),
        ("(此件发至各乡镇、县直各部门)", []),
        ("成立工作专班。(县委、县政府主要领导任组长)", []),
    ],
)
def test_a_trailer_of_units_in_parentheses(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A name the lexicon cannot read (a firm's brand) joined by 及/和 to the others of its kind (相关单位).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三是针对可能出现的隐患,东城热力及相关单位要防患于未然。", ["东城热力", "相关单位"]),
        ("东城热力和其他供热企业要提前检修,并报县住建局备案。", ["东城热力", "其他供热企业"]),
        ("要加强与县财政局对接。", []),
        ("思想和行动要统一。", []),
        ("协调和有关部门要及时。", []),
    ],
)
def test_an_unknown_name_joined_to_its_kind(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A bare head (科室, 社区, 部门) right after a direct request (请, 希望) is the party asked; the request
# is no part of a name.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第三,希望科室继续注重服务质量。", ["科室"]),
        ("请社区做好入户登记,报街道汇总。", ["社区"]),
        ("请社区医院做好接种准备。", ["社区医院"]),
        ("请部门负责人签字确认。", []),
        ("鼓励企业开展自查。", []),
        ("希望小学要做好开学准备。", ["希望小学"]),
    ],
)
def test_a_bare_head_asked_by_a_request(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# A unit name holding 后勤 (后 otherwise ends a name: 经县政府同意后), in a joined list and after a place.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("学生离校时注意关好门窗,保卫处和后勤公司工作人员及时做好检查。", ["保卫处", "后勤公司工作人员"]),
        ("学校后勤处要做好宿舍检查,报校办备案。", ["学校后勤处"]),
        ("经县政府同意后实施。", []),
    ],
)
def test_a_name_holding_logistics(text: str, expected: list[str]) -> None:
    assert names(text) == expected
