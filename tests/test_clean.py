"""Every cleaning rule, each with the offset map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.clean import clean, is_traditional
from textkit.spans import TextMap

CASES = [
    # (original, expected analysis text, what the rule is)
    ("1/8开头,要坚5/8决防止推诿,逐7/8一查明原因", "开头,要坚决防止推诿,逐一查明原因", "spliced page markers"),
    ("完成3/4的任务", "完成3/4的任务", "a lone fraction stays"),
    ("2023/4/20召开,1/2的村已完成", "2023/4/20召开,1/2的村已完成", "dates and fractions stay"),
    ("第一段内容。\n第 3 页 共 9 页\n第二段内容。", "第一段内容。\n第二段内容。", "page footer line"),
    ("第一段。\n- 3 -\n第二段。", "第一段。\n第二段。", "dash page number line"),
    ("２０２４年３月，（一）ＡＢ", "2024年3月,(一)AB", "full-width digits, letters, punctuation"),
    ("项 目 建 设 2024 年 3 月", "项目建设2024年3月", "stray spaces between Chinese characters"),
    ("　　各乡镇要抓好落实。", "各乡镇要抓好落实。", "full-width indentation"),
    ("會(huì)議要求各部門(mén)切實落實責任,確保年內完成整改任務,鄉鎮要加強領導。", "会议要求各部门切实落实责任,确保年内完成整改任务,乡镇要加强领导。", "inline pinyin glosses, traditional text"),
    ("<p>各单位要<br/>落实&nbsp;责任</p>", "各单位要落实责任", "markup remnants"),
    ("首页 > 政务公开 > 工作动态\n索引号:123-456\n各单位要落实。\n责任编辑:张三", "各单位要落实。\n", "site boilerplate"),
    ("选择阅读字号:[ 大 中 小 ]\n各单位要落实。", "各单位要落实。", "font-size selector after a label"),
    ("| 标题:河阳县安全生产工作会议讲话 |\n各单位要落实。", "各单位要落实。", "metadata table row"),
    ("| 1 | 修缮校舍 | 县教育局 | 6月底前 |", "| 1 |修缮校舍|县教育局| 6月底前|", "a task table row stays"),
    ("Warning: mysql_connect() [function.mysql-connect]: Too many connections in /www/inc/db.php on line 12\n各单位要落实。",
     "各单位要落实。", "server error line"),
    ("各单位要落实。(河阳网省略385字,正式会员可完整阅读)二要强化督查。", "各单位要落实。二要强化督查。", "elision in parentheses"),
]


@pytest.mark.parametrize(("original", "expected", "rule"), CASES, ids=[c[2] for c in CASES])
def test_cleaning_rule(original: str, expected: str, rule: str) -> None:
    result = clean(original)
    assert result.text == expected
    # every cleaned character comes from an original one, in order
    origins = list(result.map.origin)
    assert origins == sorted(origins) and len(set(origins)) == len(origins)
    assert all(0 <= pos < len(original) for pos in origins)


def test_page_marker_spans_map_back() -> None:
    original = "各级要坚5/8决防止推诿扯皮,要逐7/8一查明。"
    result = clean(original)
    start = result.text.index("坚决防止")
    span = result.to_original(start, start + 4)
    assert original[span[0] : span[1]] == "坚5/8决防止"
    assert result.as_written(start, start + 4) == "坚决防止"


def test_layout_view_keeps_what_the_author_wrote() -> None:
    original = "各鄉(xiāng)鎮(zhèn)要落實責任,確保年內完成。各級部門要加強領導,抓好整改。"
    result = clean(original)
    assert result.traditional
    assert "各乡镇要落实责任" in result.text
    start = result.text.index("各乡镇")
    assert result.as_written(start, start + 3) == "各鄉(xiāng)鎮(zhèn)"


def test_redactions_are_kept_and_marked() -> None:
    result = clean("确保XX月底前全部开工,各X相关部门要落实,**同志负责,完成××%")
    assert "XX月底前" in result.text
    marked = [result.text[s:e] for s, e in result.placeholders]
    assert marked == ["XX", "X", "**", "××"]
    start = result.text.index("XX月")
    assert result.is_placeholder(start, start + 4)


def test_repeated_header_lines_are_removed_but_title_kept() -> None:
    title = "河阳县2024年防汛工作要点"
    body = "\n".join(f"{title}\n第{i}部分内容,各乡镇要落实。" for i in range(1, 5))
    result = clean(body)
    assert result.text.count(title) == 1
    assert result.text.startswith(title)


def test_simplified_text_is_not_mistaken_for_traditional() -> None:
    assert not is_traditional("各乡镇要显著提高著作权保护水平,确保年内完成任务。" * 3)
    assert is_traditional("各鄉鎮要顯著提高保護水平,確保年內完成任務。" * 3)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("一二要是、,。() 1/8XＸ２会(huì)議\n　<p>&;第页共-")), max_size=200))
def test_offsets_always_map_inside_the_original(original: str) -> None:
    result = clean(original)
    assert len(result.map.origin) == len(result.text)
    last = -1
    for pos in result.map.origin:
        assert 0 <= pos < len(original)
        assert pos >= last  # cleaning never reorders text
        last = pos
    s, e = result.to_original(0, len(result.text))
    assert 0 <= s <= e <= len(original)


def test_textmap_edits_compose() -> None:
    tm = TextMap.identity("abcdef").apply([(1, 2, ""), (3, 4, "XY")])
    assert tm.text == "acXYef"
    assert list(tm.origin) == [0, 2, 3, 3, 4, 5]
    assert tm.to_original(1, 4) == (2, 4)


def test_repeated_labelled_fields_are_content_not_headers() -> None:
    body = "\n".join(f"{i}.压实第{i}项责任。\n牵头单位:县应急管理局" for i in range(1, 5))
    assert clean(body).text.count("牵头单位:县应急管理局") == 4


def test_a_duplicated_tail_is_removed_and_the_rest_maps_back() -> None:
    body = (
        "同志们:一要压实责任。各乡镇要于6月底前完成隐患排查,县应急管理局要每月通报一次进展情况,确保各项工作落到实处。"
        "二要强化督查。县委督查室要加强跟踪问效,对工作不力的单位严肃追责问责,对发现的问题建立台账、限期整改。"
        "三要严肃纪律。全县各级干部要坚守岗位,汛期严格执行二十四小时值班和领导带班制度,重要情况及时报告。"
    )
    original = body + "\n" + body[40:]
    result = clean(original)
    assert result.text.rstrip() == body
    assert clean(body).text == body  # no copy, nothing removed
