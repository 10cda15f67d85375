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
    # issue 14: web furniture that the last item of an excerpt used to absorb (texts written here)
    ("各村要于6月底前完成排查。\n上一篇:某镇召开防汛工作会议\n下一篇:某县部署秋收工作\n用户登录\n还没有账号?\n立即注册",
     "各村要于6月底前完成排查。\n", "navigation and account widgets"),
    ("二要强化督查。\n(编辑:张三)\n(审核:李四)\n|责任编辑:王五\n撰稿:赵六,摄像:钱七", "二要强化督查。\n", "credit lines after a bracket or bar"),
    ("三要严肃纪律。\n版权所有:河阳县人民政府 主办单位:河阳县政府办公室\nCopyright © 2024 京ICP备12345678号",
     "三要严肃纪律。\n", "site footer lines"),
    ("三要严肃纪律,各乡镇要落实。版权所有:河阳县人民政府", "三要严肃纪律,各乡镇要落实。版权所有:河阳县人民政府",
     "a one-line text ending in a footer is not taken whole"),
    ("三要严肃纪律。\n\n主办:河阳县人民政府办公室 联系我们:0000-1234567\n版权所有:河阳县人民政府\n\n技术支持:某网络公司",
     "三要严肃纪律。\n\n\n", "lines that carry on a footer"),
    ("请于6月底前报送。\n联系电话:0000-1234567\n\n四要加强宣传。\n版权所有:河阳县人民政府",
     "请于6月底前报送。\n联系电话:0000-1234567\n\n四要加强宣传。\n", "a notice's contact line away from the footer stays"),
    ("下面是小编为大家整理的县长讲话,供大家参考。同志们:一要压实责任。", "同志们:一要压实责任。",
     "a site's blurb goes up to its sentence end"),
    ("一要压实责任。\n全文约1200字,请下载后阅读、编辑。", "一要压实责任。\n", "a download prompt"),
    ("《县长讲话.docx》由会员分享,可在线阅读。\n1、县长在全县工作会议上的讲话同志们:一要压实责\n2、任,各乡镇要落实。二要强化督查\n3、,县督查室要跟踪问效。",
     "县长在全县工作会议上的讲话同志们:一要压实责任,各乡镇要落实。二要强化督查,县督查室要跟踪问效。",
     "a document site's chunk numbers"),
    ("1、加强领导\n2、压实责任\n3、强化督查", "1、加强领导\n2、压实责任\n3、强化督查", "a list of headings is not chunks"),
    ("温馨提示:\n1.本文档由用户上传,如有疑问请联系客服。\n2.下载前请仔细阅读文档内容。\n一要压实责任。", "一要压实责任。",
     "a document site's notice to downloaders"),
    ("温馨提示:\n1.请各位考生提前30分钟到达考场。\n2.请携带身份证。", "温馨提示:\n1.请各位考生提前30分钟到达考场。\n2.请携带身份证。",
     "a notice's own 温馨提示 list stays"),
    ("温馨提示:\n1.本站资源需本地安装阅读器。\n\n2.未经权益所有人同意不得将文件内容挪作他用。\n3.本站不保证下载资源的完整性。\n四要强化督查。",
     "四要强化督查。", "a site's notice with a line that does not speak of the site"),
    ("温馨提示:\n1.请从网站下载报名表。\n2.请提前30分钟到达考场。\n3.请携带身份证。", "温馨提示:\n1.请从网站下载报名表。\n2.请提前30分钟到达考场。\n3.请携带身份证。",
     "a notice's 温馨提示 list that names no site stays"),
    ("各单位要落实。|\n|\n---|\n二要强化督查。", "各单位要落实。\n二要强化督查。", "lines of table bars and a lone trailing bar"),
    ("| 2 | 各单位要落实。|", "| 2 |各单位要落实。|", "a table row keeps its last bar"),
    ("l> 各单位要落实。\nhtml>\n二要强化督查。", "各单位要落实。\n\n二要强化督查。", "the tail of a tag the excerpt cut"),
    ("本文来源:河阳县人民政府\n返回顶部\n各单位要落实。\n仅展示600字,全文共2400字", "各单位要落实。\n", "more furniture words"),
    ("朗读\n各单位要落实。\n【收起】\n返回\n记者:张三", "各单位要落实。\n", "widgets that are whole lines"),
    ("您当前的位置:首页>>新闻中心>>工作动态\n当前位置:首页--媒体报道\n各单位要落实。", "各单位要落实。",
     "breadcrumbs opened by 您 or parted by a double dash"),
    ("推荐阅读:同志们:今天召开全县防汛工作会议,主要任务是\n内容预览:\n同志们:\n今天召开全县防汛工作会议,主要任务是部署工作。",
     "同志们:\n今天召开全县防汛工作会议,主要任务是部署工作。", "a teaser of the opening the page then gives in full"),
    ("简介:本方案明确了三项重点任务。\n一要压实责任。", "简介:本方案明确了三项重点任务。\n一要压实责任。",
     "a summary that the text does not repeat stays"),
    ("返回原单位的人员要于6月底前报到。\n开展朗读比赛。", "返回原单位的人员要于6月底前报到。\n开展朗读比赛。",
     "a line of text keeps a widget-line word"),
    ("會(huì )議要求各部門(mén)切實落實責任,確保年內完成整改任務,鄉鎮要加強領導。", "会议要求各部门切实落实责任,确保年内完成整改任务,乡镇要加强领导。",
     "a pinyin gloss with a space before its bracket"),
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


def test_a_one_line_text_that_opens_with_a_label_keeps_its_speech() -> None:
    speech = "同志们:今天召开全县安全生产工作会议。" + "".join(
        f"{n}要压实第{n}项责任,各乡镇要于{k}月底前完成第{n}批隐患排查整治。" for k, n in enumerate("一二三四五六七八九十", 1)
    )
    for label in ("来源:河阳县人民政府 ", "[标签:讲话]"):
        assert clean(label + speech).text.endswith(speech)  # a label line is short; this one holds the speech
        assert clean(label + "\n" + speech).text == speech


def test_rejoined_document_chunks_map_back_to_the_original() -> None:
    original = "《县长讲话.docx》由会员分享,可在线阅读。\n1、同志们:一要抓好项目建设,推动全区高端\n2、绿色崛起,各乡镇要落实。"
    result = clean(original)
    start = result.text.index("高端绿色")
    s, e = result.to_original(start, start + 4)
    assert original[s:e] == "高端\n2、绿色"  # the span reaches over what was removed
    assert result.as_written(start, start + 4) == "高端绿色"  # and reads as the author wrote it
    assert result.text.startswith("同志们:")


def test_site_furniture_after_the_last_item_stays_out_of_its_record() -> None:
    from textkit import extract

    speech = (
        "同志们:下面我讲三点意见。一要压实责任,各乡镇要于6月底前完成隐患排查。"
        "二要强化督查,县委督查室要每月通报一次。三要严肃纪律,全县各级干部要坚守岗位。\n"
        "(编辑:张三)\n上一篇:某镇召开防汛工作会议\n用户登录\n版权所有:河阳县人民政府"
    )
    directives = [t for t in extract(speech).tasks if t.kind == "directive"]
    assert [t.marker for t in directives] == ["一要", "二要", "三要"]
    last = directives[-1]
    assert last.text.endswith("坚守岗位。")
    assert speech[last.span[0] : last.span[1]].startswith("三要严肃纪律")
    assert "张三" not in {o.name for t in directives for o in t.owners}


def test_traditional_and_glossed_furniture_goes_and_the_text_stays_as_written() -> None:
    original = (
        "一要壓實責任,各鄉鎮要落實整改任務,確保年內完成。\n發(fā)布時間:2024-05-06 來源:某縣人民政府\n"
        "下面是小編為大家整理的講話,供大家參考。二要強化督查,縣督查室要跟蹤問效。\n"
        "網(wǎng)站地圖 | 聯(lián)系我們\n版權(quán)所有:某縣人民政府"
    )
    result = clean(original)
    assert result.text == "一要压实责任,各乡镇要落实整改任务,确保年内完成。\n二要强化督查,县督查室要跟踪问效。\n"
    assert result.written(0, len(original)) == "一要壓實責任,各鄉鎮要落實整改任務,確保年內完成。\n二要強化督查,縣督查室要跟蹤問效。\n"


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
