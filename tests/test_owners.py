"""Owners: parties told to act, their role, what is not an owner, and aliases.

Cases are tables (one phrasing a row); the seed test reads /work/shared when it exists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from textkit.extractors.base import Context
from textkit.extractors.owners import find_aliases, find_owners
from textkit.lexicon import canonical_name, lexicon
from textkit.resources import load_toml


def owners(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(f.value.name, f.value.role) for f in find_owners(text, **kw)]  # type: ignore[arg-type]


def names(text: str, **kw: object) -> list[str]:
    return [name for name, _ in owners(text, **kw)]


# --- parties told to act: collectives, organs, officials, redactions -------------------

SUBJECTS = [
    ("各级各部门要进一步增强抓落实的紧迫感", ["各级各部门"]),
    ("全市各级各部门要围绕开展工作落实年活动,始终把学习贯彻抓住不放", ["全市各级各部门"]),
    ("各县(区)、各部门要将落实情况及时上报", ["各县(区)", "各部门"]),
    ("领导小组各成员单位要进一步增强大局意识", ["领导小组各成员单位"]),
    ("各乡镇(街道)要发挥农村劝导站作用", ["各乡镇(街道)"]),
    ("一方面要严格落实市县领导包抓重点企业责任制", ["市县领导"]),
    ("各级领导既要牵头抓总做好统筹协调", ["各级领导"]),
    ("其他各县也要全力推动城建项目建设", ["其他各县"]),
    ("各级要按照省市委的相关要求,全面推行台账管理", ["各级"]),
    ("全县上下要以对人民高度负责的态度做好工作", ["全县上下"]),
    ("全体同志必须牢记职责使命", ["全体同志"]),
    ("市委落实办要从现在起,按照建立的落实台账,逐项目跟踪落实", ["市委落实办"]),
    ("县发改局要对尚未开工的项目逐一梳理", ["县发改局"]),
    ("市住建局要加快城市更新和保障性住房项目建设", ["市住建局"]),
    ("县应急管理局要督促企业主要负责人落实全员责任制", ["县应急管理局"]),
    ("县委办要及时汇总", ["县委办"]),
    ("工作落实年领导小组要充分发挥牵头抓总的职能作用", ["工作落实年领导小组"]),
    ("同时,市委落实办下设的四个小组也要加强衔接沟通", ["市委落实办下设的四个小组"]),
    ("县交通运输局、县公安局交警大队要联合开展专项整治", ["县交通运输局", "县公安局交警大队"]),
    ("县委督查室要实行周调度、月通报", ["县委督查室"]),
    ("县住房和城乡建设局要加强扬尘管控", ["县住房和城乡建设局"]),
    ("县长要亲自研究部署", ["县长"]),
    ("分管副县长要深入一线督导检查", ["分管副县长"]),
    ("县政府各分管副县长要按照管行业必须管安全的要求开展检查", ["县政府各分管副县长"]),
    ("张XX同志要牵头抓总", ["张XX同志"]),
    ("**同志要亲自督办", ["**同志"]),
    ("尤其是至今仍未开工的XX个项目,各X相关部门一定要高度重视", ["各X相关部门"]),
    (
        "县中央生态环境保护督察反馈问题整改工作领导小组统筹推进全县整改工作",
        ["县中央生态环境保护督察反馈问题整改工作领导小组"],
    ),
    (
        "各乡镇(街道)党政主要负责同志是本辖区安全生产第一责任人,要亲自研究部署",
        ["各乡镇(街道)党政主要负责同志"],
    ),
    (
        "对用电量连续下降的企业,电力部门要每周推送一次预警信息,所在县(区)接到预警后要上门了解情况",
        ["电力部门", "所在县(区)"],
    ),
    ("由市发改委牵头,各县(区)、各部门每月5日前报送上月主要指标", ["市发改委", "各县(区)", "各部门"]),
    ("请县项目办于10个工作日内将本纪要印发各单位", ["县项目办"]),
    ("局综合股要会同局危化股开展排查,大气污染防治股要加强监测", ["局综合股", "局危化股", "大气污染防治股"]),
    ("各生态环境分局要落实属地责任", ["各生态环境分局"]),
    ("协调县住建局、县交通运输局加强在建工程安全监管", ["县住建局", "县交通运输局"]),
    ("县委组织部要牵头制定责任清单", ["县委组织部"]),
    ("要及时提请市政府专题会议研究", []),
    ("要督促企业落实主体责任", []),
    # organ cores with 经 (经济/经管), units joined by 和 after their own suffix
    ("镇经济发展办要抓紧梳理储备项目", ["镇经济发展办"]),
    ("乡经管站要加强集体资产监管", ["乡经管站"]),
    ("乡司法所和派出所要联合开展矛盾排查", ["乡司法所", "派出所"]),
    # places and units named without a level word, in lists
    ("西岭村、石桥村要在月底前完成清表", ["西岭村", "石桥村"]),
    ("县水务局、县林业局和沿河乡镇要共同抓好护岸", ["县水务局", "县林业局", "沿河乡镇"]),
    ("县交通局、交警大队、公路段要加强路面巡查", ["县交通局", "交警大队", "公路段"]),
    ("全县各级团组织、工会、妇联要组织志愿服务", ["全县各级团组织", "工会", "妇联"]),
    # qualifier-led units with wider heads
    ("各县(区)、市直各经济部门要对照目标逐项分解", ["各县(区)", "市直各经济部门"]),
    ("县直各招商小分队要常态化驻点", ["县直各招商小分队"]),
    ("各村(社区)两委、驻村工作队要每月走访一次", ["各村(社区)两委", "驻村工作队"]),
    ("各乡镇(街道)党(工)委要落实属地责任", ["各乡镇(街道)党(工)委"]),
    ("全县教育系统要开展警示教育", ["全县教育系统"]),
    ("全局干部职工要改进作风", ["全局干部职工"]),
    ("统计信息和数据股要按时汇总", ["统计信息和数据股"]),
    ("各督查部门每半年向县司法局报备一次计划", ["各督查部门"]),
    ("城区学校每年选派骨干教师支教", ["城区学校"]),
    ("局执法监察支队要每月汇总查处情况", ["局执法监察支队"]),
    ("镇村两级要把矛盾化解作为一把手工程", ["镇村两级"]),
    # 要素, 村容村貌: not a modal after a party
    # A、B等N要: the members before 等, not the category
    ("县农商银行等金融机构要加大信贷投放", ["县农商银行"]),
    ("汛期,学校、敬老院、卫生院等人员密集场所要制定避险预案", ["学校", "敬老院", "卫生院"]),
    # X是…责任人/总指挥, 要…: the subject governs the next clause
    ('各乡镇党委书记是乡村振兴的"一线总指挥",要把主要精力放在一线', ["各乡镇党委书记"]),
    ("各牵头单位是民生实事的第一责任单位,要逐项细化方案", ["各牵头单位"]),
    ("各街道办事处、各项目业主单位于每周五前报送进展", ["各街道办事处", "各项目业主单位"]),
    ("县直各招商小分队坚持常态化驻点", ["县直各招商小分队"]),
    ("各市(州)、各开发区要紧盯签约项目", ["各市(州)", "各开发区"]),
    ("稳妥推进试点,激活农村要素资源", []),
    ("实行周评比,村容村貌要有明显改观", []),
]


@pytest.mark.parametrize(("text", "expected"), SUBJECTS)
def test_parties_told_to_act(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# --- roles ---------------------------------------------------------------------------

ROLES = [
    (
        "由县财政局牵头,县税务局、县人社局配合,确保上半年拨付到位",
        [("县财政局", "lead"), ("县税务局", "support"), ("县人社局", "support")],
    ),
    ("县商务局牵头策划促消费活动", [("县商务局", "lead")]),
    ("由县重点项目服务中心具体负责,每周五汇总进度", [("县重点项目服务中心", "lead")]),
    ("县应急管理局要牵头开展专家会诊", [("县应急管理局", "lead")]),
    ("县发改局要会同县自然资源局,在4月底前完成用地报批", [("县发改局", "lead"), ("县自然资源局", "support")]),
    ("市统计局会同市发改委加强统计监测", [("市统计局", "lead"), ("市发改委", "support")]),
    ("县财政局、县自然资源局配合", [("县财政局", "support"), ("县自然资源局", "support")]),
    ("县市场监管局协同推进", [("县市场监管局", "support")]),
    (
        "(牵头单位:县发改局;责任单位:县财政局、县统计局)",
        [("县发改局", "lead"), ("县财政局", "support"), ("县统计局", "support")],
    ),
    ("责任单位:县财政局、县统计局", [("县财政局", "unspecified"), ("县统计局", "unspecified")]),
    (
        "(县生态环境局牵头,县工业和信息化局、县市场监督管理局按职责分工负责,年内完成)",
        [("县生态环境局", "lead"), ("县工业和信息化局", "support"), ("县市场监督管理局", "support")],
    ),
    ("各乡镇要把征地拆迁作为头号任务", [("各乡镇", "unspecified")]),
    (
        "由县长负责,县水利局牵头,相关部门配合",
        [("县长", "lead"), ("县水利局", "lead"), ("相关部门", "support")],
    ),
    (
        "由县水务局牵头,南关镇、西城街道配合,月底前完成",
        [("县水务局", "lead"), ("南关镇", "support"), ("西城街道", "support")],
    ),
    (
        "县住建局牵头,县城管局、国网平川供电公司配合,制定改造计划",
        [("县住建局", "lead"), ("县城管局", "support"), ("国网平川供电公司", "support")],
    ),
    ("由分管副局长牵头,逐个对接项目单位", [("分管副局长", "lead")]),
    # a lead verb followed by a party is a cue even where name grammar could run on through it
    (
        "县消防救援大队会同县市场监管局、县住建局开展整治",
        [("县消防救援大队", "lead"), ("县市场监管局", "support"), ("县住建局", "support")],
    ),
    ("市统计局会同市国资委和市财政局,协调银行", [("市统计局", "lead"), ("市国资委", "support"), ("市财政局", "support")]),
    ("各街道办事处要会同社区居委会,入户走访", [("各街道办事处", "lead"), ("社区居委会", "support")]),
]


@pytest.mark.parametrize(("text", "expected"), ROLES)
def test_roles(text: str, expected: list[tuple[str, str]]) -> None:
    assert owners(text) == expected


# --- not owners ----------------------------------------------------------------------

NOT_OWNERS = [
    ("要逐一查明原因,向市委、市政府专题汇报", []),
    ("考核结果报县委办,作为评价依据", []),
    ("及时通过简报等形式上报市局", []),
    ("每月报送县统计局", []),
    ("经县政府同意后在门户网站公示", []),
    ("该上报的要及时向省委落实办报告反馈", []),
    ("以便于市委、市政府及时掌握进展、了解情况", []),
    ("一些县(区)和部门对开展活动的重大意义认识不足", []),
    ("有的单位要求不严、标准不高", []),
    ("大家要有清醒认识", []),
    ("我们必须清醒地看到差距", []),
    ("主要负责同志要亲自研究,分管负责同志要靠前指挥", []),
    ("市政府年底将表彰一批先进单位", []),
    ("会议听取了县住建局关于提标改造项目实施方案的汇报", []),
    ("对各乡镇(街道)和部门履职情况进行通报", []),
    ("各牵头单位要于每月10日前报送进展,由牵头单位组织验收", ["各牵头单位"]),
    ("对列入各级落实台账的重点工作,要坚持周调度", []),
    ("习近平总书记围绕改革发展稳定发表了一系列重要讲话", []),
    ("各县(区)、各部门要将进展情况上报市委落实办,以便于市委、市政府掌握进展", ["各县(区)", "各部门"]),
    ("市委落实办要逐一查明原因,向市委、市政府专题汇报", ["市委落实办"]),
    ("各牵头单位要于每月10日前将整改进展情况报县政府", ["各牵头单位"]),
    ("各乡镇要于每月5日前向县项目办报送进度", ["各乡镇"]),
    ("各村要把护林员管起来,落实网格化管护", ["各村"]),
]


@pytest.mark.parametrize(("text", "expected"), NOT_OWNERS)
def test_not_owners(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# --- normalisation -------------------------------------------------------------------

CANONICAL = [
    ("县发改局要加强调度", "县发改局", "县发展和改革局"),
    ("市住建局要加快建设", "市住建局", "市住房和城乡建设局"),
    ("县公安局交警大队要开展整治", "县公安局交警大队", "县公安局交通警察大队"),
    ("县委办要及时汇总", "县委办", "县委办公室"),
    ("县财政局要保障资金", "县财政局", None),
]


@pytest.mark.parametrize(("text", "name", "canonical"), CANONICAL)
def test_canonical_from_alias_table(text: str, name: str, canonical: str | None) -> None:
    (found,) = find_owners(text)
    assert (found.value.name, found.value.canonical) == (name, canonical)


ALIAS_DEFINITIONS = [
    (
        "成立县委工作落实年领导小组办公室(以下简称县落实办),负责日常工作。",
        {"县落实办": "县委工作落实年领导小组办公室"},
    ),
    ("河阳县重点项目建设服务中心(简称“县项目中心”)", {"县项目中心": "县重点项目建设服务中心"}),
    ("市委工作落实年领导小组办公室(下称落实办)", {"落实办": "市委工作落实年领导小组办公室"}),
    ("没有任何定义的文本。", {}),
]


@pytest.mark.parametrize(("text", "expected"), ALIAS_DEFINITIONS)
def test_find_aliases(text: str, expected: dict[str, str]) -> None:
    assert find_aliases(text) == expected


def test_document_alias_gives_canonical_and_makes_a_party() -> None:
    doc = "县委工作落实年领导小组办公室(以下简称落实办)。落实办要每月通报进展。县落实办要汇总。"
    context = Context(aliases=find_aliases(doc))
    found = {f.value.name: f.value.canonical for f in find_owners(doc, context=context)}
    assert found["落实办"] == "县委工作落实年领导小组办公室"


def test_spans_point_at_the_name() -> None:
    text = "同时,县财政局、县自然资源局配合"
    for f in find_owners(text):
        assert text[f.start : f.end] == f.text == f.value.name


def test_one_found_per_name_with_strongest_role() -> None:
    text = "县发改局要加强调度。由县发改局牵头,县财政局配合。"
    assert owners(text) == [("县发改局", "lead"), ("县财政局", "support")]


# --- the lexicon is data, and every entry is used -------------------------------------


def test_every_lexicon_list_is_non_empty_and_compiles() -> None:
    data = load_toml("owners")
    for section, entries in data.items():
        for key, value in entries.items():
            assert value, f"{section}.{key} is empty"
    assert lexicon().party.pattern


def test_alias_table_entries_are_used() -> None:
    from textkit.lexicon import _table_aliases

    for alias, full in _table_aliases().items():
        assert canonical_name("县" + alias) == "县" + full or alias.startswith(("县", "市"))


# --- the seed ------------------------------------------------------------------------

SHARED = Path("/work/shared")
RECEIVERS = ("市委、市政府", "市委", "市政府", "省委落实办")


def _seed_bodies() -> list[tuple[dict[str, object], str]]:
    gold = json.loads((SHARED / "spec/gold/seed.json").read_text(encoding="utf-8"))
    raw = (SHARED / "seeds" / gold["doc"]).read_text(encoding="utf-8")
    text = re.sub(r"\d/8", "", raw)
    starts: list[int] = []
    for d in gold["directives"]:
        starts.append(text.index(d["marker"] + d["heading"][:10], starts[-1] + 1 if starts else 0))
    bodies = []
    for d, start, end in zip(gold["directives"], starts, starts[1:] + [len(text)], strict=True):
        body = text[start:end]
        section = re.search(r"[一二三四五六七八九十]、", body)
        bodies.append((d, body[: section.start()] if section else body))
    return bodies


@pytest.mark.skipif(not SHARED.exists(), reason="/work/shared (seed speech and gold) is not available here")
def test_seed_gold_owners_found_and_no_receivers() -> None:
    for directive, body in _seed_bodies():
        got = names(body)
        for owner in directive["owners"]:  # type: ignore[union-attr]
            assert any(owner in g or g in owner for g in got), (directive["marker"], owner, got)
        assert not set(got) & set(RECEIVERS), (directive["marker"], got)
        assert len(got) == len(directive["owners"]), (directive["marker"], got)  # type: ignore[arg-type]


# --- phrasings met in fresh documents (each row a general pattern, own wording) --------

FRESH_PHRASINGS = [
    # a list item whose name opens before its level: bank branches, grid companies
    (
        "由县商务局牵头,县财政局、农业发展银行柳溪县支行配合,做好贷款贴息",
        ["县商务局", "县财政局", "农业发展银行柳溪县支行"],
    ),
    ("市医保局、国网青山市供电公司要联合排查", ["市医保局", "国网青山市供电公司"]),
    # enterprises and grass-roots units named without a level
    ("东江水务有限公司、市城发有限公司要在汛前完成管网巡检", ["东江水务有限公司", "市城发有限公司"]),
    ("镇综治办、镇武装部要组织民兵开展巡逻", ["镇综治办", "镇武装部"]),
    ("龙潭供电所、龙潭邮政支局要保障线路畅通", ["龙潭供电所", "龙潭邮政支局"]),
    # grass-roots posts and schools as collectives
    ("各山塘管理员要每天巡查一次", ["各山塘管理员"]),
    ("各村(社区)网格员、各组信息员要逐户上门", ["各村(社区)网格员", "各组信息员"]),
    ("各乡镇社保服务站要做好政策宣传", ["各乡镇社保服务站"]),
    ("各中小学校、幼儿园要开展应急疏散演练", ["各中小学校", "幼儿园"]),
    ("各中小学校校长、副校长要带头值周", ["各中小学校校长", "副校长"]),
    ("各乡镇(街道)政府是责任主体,要压实属地责任", ["各乡镇(街道)政府"]),
    # a title and the person holding it are one owner
    ("由分管副县长王XX同志负责,县卫健局牵头", ["分管副县长王XX同志", "县卫健局"]),
    # X作为…, 要…: the subject governs the next clause, as with 是
    ("县人民医院、县妇幼保健院作为区域医疗中心,要发挥示范作用", ["县人民医院", "县妇幼保健院"]),
    # who heads a body is not told to act
    ("成立由常务副县长任组长的工作专班,统筹推进改革", []),
    # a unit doing the work after the lead
    ("县水利局牵头,县城投公司具体实施,年底前完工", ["县水利局", "县城投公司"]),
    # titles listed before a named person are that person's
    ("市委常委、副市长赵XX同志要亲自调度", ["市委常委、副市长赵XX同志"]),
    # a unit's own head, in its own speech
    ("对排名靠后的地市,由厅主要负责同志约谈", ["厅主要负责同志"]),
    ("市人社局、市属国有企业要拿出见习岗位", ["市人社局", "市属国有企业"]),
    # a name cannot start inside a word whose second character is a level (农村, 城区)
    ("县交警大队要对农村道路开展巡查", ["县交警大队"]),
    ("背街小巷、城中村要做到垃圾日产日清", []),
    # 联合Y, then a clause break: Y is a partner acting alongside the subject
    ("县教育局要联合县卫健局,秋季开学前完成学生体检", ["县教育局", "县卫健局"]),
    ("联合商业银行推出专项贷款", []),
    # units named by grade, by what they host, or as schools and lenders
    ("各4A级景区要在国庆前完成停车场扩容", ["各4A级景区"]),
    ("各合作景区要做好客流疏导", ["各合作景区"]),
    ("县文旅中心要会同各高校,联合各承办银行,年内推出助学产品", ["县文旅中心", "各高校", "各承办银行"]),
    ("乡党委要联合乡第一中学,开展法治宣传", ["乡党委", "乡第一中学"]),
    # a whole system as the subject
    ("全系统要严守廉洁纪律", ["全系统"]),
    # collectives of districts, parks and farms
    ("各区县、各有关部门要落实属地责任", ["各区县", "各有关部门"]),
    ("各设区市人民政府要在年底前完成平台对接", ["各设区市人民政府"]),
    ("市应急局要会同各经济开发区,在汛前完成演练", ["市应急局", "各经济开发区"]),
    ("各规模养殖场、各农民专业合作社要建立台账", ["各规模养殖场", "各农民专业合作社"]),
    # a level before a collective: 省有关部门 after 及
    ("市财政局牵头,市统计局及市有关部门按职责分工负责", ["市财政局", "市统计局", "市有关部门"]),
    # 和 before 各 joins two parties, it is not inside one name
    ("县直有关部门和各乡镇人民政府按职责分工负责", ["县直有关部门", "各乡镇人民政府"]),
    # vocational schools and media units
    ("县人社局、县职业中专要开展订单式培训", ["县人社局", "县职业中专"]),
    ("县委宣传部、河阳日报社和河阳广播电视台要开设专栏", ["县委宣传部", "河阳日报社", "河阳广播电视台"]),
    # a collective of places opening an organ name: 各县(区)应急管理局, 各市(州)文化和旅游局
    ("各县(区)应急管理局要在汛前完成隐患排查", ["各县(区)应急管理局"]),
    ("牵头单位:省交通运输厅;责任单位:各市(州)交通运输局", ["省交通运输厅", "各市(州)交通运输局"]),
    ("局机关各股室、各县(市、区)林业局要抓好整改", ["局机关各股室", "各县(市、区)林业局"]),
    # divisions of a department: 厅X处 in its own plan, bare X处 as lead or subject
    ("厅综合规划处要会同省统计局,制定监测方案", ["厅综合规划处", "省统计局"]),
    ("(牵头单位:产业发展处;责任单位:各市(州)商务局)", ["产业发展处", "各市(州)商务局"]),
    ("法规处要会同办公室,对过期文件开展清理", ["法规处", "办公室"]),
    # grass-roots posts without a qualifier word: 各网格员, 各护林员; 镇村干部; 各项目所在地
    ("各巡查员要每日巡河一次", ["各巡查员"]),
    ("节日期间,镇村干部实行轮流值班", ["镇村干部"]),
    ("各项目所在地要在5月底前完成征地", ["各项目所在地"]),
    # 每周/每月 is a time word, never a place name: no 每周下村
    ("县农技站要组织技术人员包片,每周下村指导一次", ["县农技站"]),
    # a school named only as one of the projects (X等N个项目要…) is not an owner
    ("城南实验小学等4个新建项目要在8月底前交付使用,县住建局负责质量监管", ["县住建局"]),
    # a plain 各设区市 collective before 人民政府 and a verb: the name stops at 政府
    ("请各设区市人民政府指导所辖县做好排查", ["各设区市人民政府"]),
    # members and units as real speeches name them, and polite cues
    ("全体党员要带头遵守纪律,干部职工要坚守岗位", ["全体党员", "干部职工"]),
    ("望全院职工准时参加培训", ["全院职工"]),
    ("他号召广大共产党员争做表率", ["广大共产党员"]),
    # a subject the lexicon does not know, ending like a unit or a person
    ("会后,创卫办要牵头拟定考核细则", ["创卫办"]),
    ("各教研组要在开学前完成集体备课", ["各教研组"]),
    ("安置点管理员要逐户登记", ["安置点管理员"]),
    # …but not a clause whose head is no party, or that only states a duty in general
    ("宣传工作要贴近群众,报送材料要真实完整", []),
    ("诚实守信更是一个现代文明人必须具备的品质", []),
    # a labelled line names its parties whether the lexicon knows them or not
    ("第二督导组;责任领导:周明;责任单位:综治(应急)办、农服中心、敬老院。", ["周明", "综治(应急)办", "农服中心", "敬老院"]),
    ("改造老旧管网(牵头单位:县住建局;责任单位:石桥供水站)", ["县住建局", "石桥供水站"]),
    ("各村委会、各企事业单位要落实防火责任", ["各村委会", "各企事业单位"]),
    ("全州上下要把防汛作为头等大事", ["全州上下"]),
    # X对Y负责 makes X the lead
    ("各分管领导对分管领域的安全生产具体负责", ["各分管领导"]),
]


@pytest.mark.parametrize(("text", "expected"), FRESH_PHRASINGS)
def test_fresh_phrasings(text: str, expected: list[str]) -> None:
    assert names(text) == expected


# Kinds met in real minutes, plans and hospital/school texts (sentences written for this test).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各主要责任单位要对照年度目标,逐项细化推进措施。", [("各主要责任单位", "unspecified")]),
        ("各责任单位需严格对照任务清单,按月报送进展。", [("各责任单位", "unspecified")]),
        ("党组成员按照分工分别牵头协调,推动问题整改。", [("党组成员", "lead")]),
        ("请相关二级公司根据会议要求通知所属企业参会。", [("相关二级公司", "unspecified")]),
        ("各镇和相关单位抽调精干力量,组成整改专班。", [("各镇", "unspecified"), ("相关单位", "unspecified")]),
        ("由医务科、护理部牵头,每月开展一次病历质量检查。", [("医务科", "lead"), ("护理部", "lead")]),
        ("施工单位尽快完成预算编制,报咨询单位审核。", [("施工单位", "unspecified")]),
    ],
)
def test_owner_kinds_from_real_text(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.text, f.value.role) for f in find_owners(text)] == expected


@pytest.mark.parametrize("text", ["这项工作充分满足了群众需求。", "全部工作需求已经摸清。"])
def test_xu_before_qiu_is_no_modal(text: str) -> None:
    assert find_owners(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 由 opens the list and 负责/牵头 closes it: names the lexicon does not know (院办, 总务科) count
        ("由医务科、护理部、院办、总务科共同负责专项整治。", ["医务科", "护理部", "院办", "总务科"]),
        ("由县住建局、城投公司牵头,各镇配合。", ["县住建局", "城投公司", "各镇"]),
        # not a plain run of names before the verb: only what the lexicon knows
        ("由县财政局、抽调的骨干力量组成工作组负责协调。", ["县财政局"]),
    ],
)
def test_a_list_between_you_and_its_lead_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们要求各单位要抓好安全生产。", ["各单位"]),  # 要求 + 各单位, not 求各单位
        ("学校要求总务处组织人力立即加装灯管。", ["总务处"]),  # the one who demands is no owner
        ("由办公室负责抓好综合督办协调工作。", ["办公室"]),  # the name ends where its verb begins
        ("各部门组织学习职能职责,抓好主责主业。", ["各部门"]),  # a unit and its verb, not a unit named …组织
        ("各基层党组织要抓好学习。", ["各基层党组织"]),
        ("各督查组在督查结束后应于4月8日前报送督查报告。", ["各督查组"]),
    ],
)
def test_owners_cues_and_names_seen_in_real_minutes(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县财政局:负责资金保障和绩效评价。", [("县财政局", "lead")]),
        ("镇综治办:负责矛盾纠纷排查化解。", [("镇综治办", "lead")]),
        ("县住建局,牵头做好老旧小区改造。", [("县住建局", "lead")]),
        ("县人社局:配合做好欠薪排查。", [("县人社局", "support")]),
        ("今年以来,负责同志多次调研。", []),
        ("会议指出,负责此项工作的部门要抓紧。", []),
    ],
)
def test_duty_lines_of_a_division_of_work(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.text, f.value.role) for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "会上强调进社区干部要每天签到。",  # a verb inside an unknown subject
        "要求社区要抓好排查。",  # 要求 + 社区, not a place named 要求社区
        "加强集镇环境整治要久久为功。",
        "由宣传处等部门负责。",  # 等 ends a list, it never sits inside a name
    ],
)
def test_no_party_named_by_a_verb_or_a_list_word(text: str) -> None:
    names = [f.text for f in find_owners(text)]
    assert not any(word in name for name in names for word in ("要求", "强调", "加强", "等"))


def test_a_time_closing_a_responsibility_list_names_no_one() -> None:
    text = "推动导则落实(责任单位:州政务服务中心,各县市人民政府、经开区管委会,6月底完成)"
    assert [f.text for f in find_owners(text)] == ["州政务服务中心", "各县市人民政府", "经开区管委会"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("省委、省政府提出要打好四大攻坚战。", []),  # who demands is no owner
        ("市委决策部署要通过我们扎扎实实的工作来落实。", []),
        ("各地各部门要认真做好近期省政府组织的招商推介活动。", ["各地各部门"]),  # 组织的: a description
        ("召开由有关校领导、职能部门、学院参加的试点工作会。", []),  # who attends
        ("需要多个部门参与的工作,牵头部门要切实负起责任。", ["牵头部门"]),
        ("各督查组要深入各学校开展督查检查。", ["各督查组"]),  # a place visited
    ],
)
def test_sources_participles_and_places_are_not_owners(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请与会对象安排好工作,请苍南中学提前进场。", ["与会对象", "苍南中学"]),
        ("二是请教研室抓紧时间起草工作方案。", ["教研室"]),
        ("各项目部要加大对施工现场的检查。", ["各项目部"]),
        ("要求各班主任利用每周班会课的时间开展教育。", ["各班主任"]),
        ("责任单位:省文化和旅游厅(除标注为“牵头”单位外,列第一位的为牵头或汇总单位,下同)", ["省文化和旅游厅"]),
        ("处处要严格把关。", []),
    ],
)
def test_schools_their_offices_and_notes_in_owner_lines(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


# Kinds of owners missed on real train text (issue 14), in sentences written for this test.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a role or a level as the subject: 书记, 领导, 专班, 村级
        ("支部书记要带头走访困难群众。", ["支部书记"]),
        ("村级要建立巡查台账。", ["村级"]),
        ("乡村医生是签约服务的第一责任人。", ["乡村医生"]),  # …是…责任人
        ("师生在公共场所必须佩戴口罩。", ["师生"]),  # a place phrase before the modal
        ("年轻干部和老干部协同配合,共同完成任务。", ["年轻干部", "老干部"]),
        ("领导班子和中层干部全部要下沉一线。", ["领导班子", "中层干部"]),
        # a bare head listed after a party shares its qualifier
        ("各单位、部门要立即开展自查。", ["各单位", "部门"]),
        # a subject, a time, then the modal's clause
        ("各乡镇从3月1日起,每天下午5点前,要报送巡查情况。", ["各乡镇"]),
        ("各科室在放假前,要完成设备检查。", ["各科室"]),
        # names the lexicon does not know, bounded by a lead verb, a duty line or 请
        ("由保洁公司负责垃圾清运。", ["保洁公司"]),
        ("由专人负责登记。", []),
        ("各包片干部、村干部,负责入户宣传。", ["各包片干部", "村干部"]),
        ("请青禾集团尽快提交合作方案。", ["青禾集团"]),
    ],
)
def test_subjects_real_text_names_without_the_lexicon(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a label names a role and a kind of unit: 科室, 处室, 股室 read as 单位 does
        ("(牵头科室:护理部;配合科室:医务科、院感科)", [("护理部", "lead"), ("医务科", "support"), ("院感科", "support")]),
        ("责任处室:规划处、财务处", [("规划处", "unspecified"), ("财务处", "unspecified")]),
        ("负责单位:县水利局", [("县水利局", "unspecified")]),
        ("责任主体:各乡镇", [("各乡镇", "unspecified")]),
    ],
)
def test_labels_of_a_role_and_a_kind_of_unit(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.text, f.value.role) for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # single level characters listed before a name share its head: one party, as written
        ("镇、村、组干部要保持通讯畅通。", ["镇、村、组干部"]),
        ("县、乡、村三级要落实责任。", ["县、乡、村三级"]),
        ("县财政局、县审计局要加强监督。", ["县财政局", "县审计局"]),
    ],
)
def test_levels_listed_before_a_shared_head(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a known party named as the one answerable, with 为 as with 是
        ("各村(社区)党支部书记为第一责任人。", ["各村(社区)党支部书记"]),
        ("各乡镇党委书记是第一责任人。", ["各乡镇党委书记"]),
        ("县财政局为项目提供资金保障。", []),
    ],
)
def test_a_known_party_named_answerable(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person's name never opens with the cue before it
        ("请李红同志抓紧落实。", ["李红同志"]),
        ("由**同志负责统筹。", ["**同志"]),
        ("由周XX同志牵头。", ["周XX同志"]),
        ("王志明同志要牵头。", ["王志明同志"]),
    ],
)
def test_a_person_after_a_cue(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a task body named by two fields joined before its group suffix is one party
        ("镇森林防火与安全生产领导小组定期组织督查。", ["镇森林防火与安全生产领导小组"]),
        ("护理质量和患者安全委员会要每月召开例会。", ["护理质量和患者安全委员会"]),
        # ...two units joined stay two, and so do a unit and a body of another level
        ("各校和幼儿园要开展自查。", ["各校", "幼儿园"]),
        ("县政府和县安全生产委员会要加强统筹。", ["县政府", "县安全生产委员会"]),
    ],
)
def test_a_task_body_named_by_two_joined_fields(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 会 for 会同 in a responsible-unit cell: the first unit leads, the second supports
        ("3 |规范政务信息发布流程|宣传科会办公室| 2022年6月前|", [("宣传科", "lead"), ("办公室", "support")]),
        ("3 |推进文明城市创建|县委宣传部会县文明办| 2022年6月前|", [("县委宣传部", "lead"), ("县文明办", "support")]),
        # ...not the 会 of a unit's own name
        ("3 |推进园区基础设施建设|经开区管委会| 2022年6月前|", [("经开区管委会", "unspecified")]),
        ("3 |开展职工技能竞赛活动|县总工会办公室| 2022年6月前|", [("县总工会办公室", "unspecified")]),
    ],
)
def test_hui_for_huitong_in_a_table_cell(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.text, f.value.role) for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # short names listed before 等 and a category of units are its members, the lexicon's or not
        ("市场监管、公安、交通等有关部门要加强联合执法。", ["市场监管", "公安", "交通"]),
        ("要会同住建、税务等部门建立联席会议机制。", ["住建", "税务"]),
        ("由住建、规划等部门负责审核。", ["住建", "规划"]),
        ("县卫健局会同教育、民政等部门开展督查。", ["县卫健局", "教育", "民政"]),
        # ...not when they are the object of a verb, receive, or name no units
        ("要对学校、医院等单位开展检查。", []),
        ("向财政、审计等部门报告。", []),
        ("在项目审批、资金拨付等环节要加强监管。", []),
    ],
)
def test_names_listed_before_a_category_of_units(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a level with its alternatives in parentheses is read as the level, and reported as written
        ("各村(居)委会要在月底前上报汇总表。", ["各村(居)委会"]),
        ("各乡(镇)要组织力量开展排查。", ["各乡(镇)"]),
        ("各镇(街道)要切实强化督查。", ["各镇(街道)"]),
        ("乡(镇)政府要加强统筹。", ["乡(镇)政府"]),
        ("各村(街)干部要带头入户。", ["各村(街)干部"]),
        # the lexicon's own forms read as before
        ("县(市、区)农业局牵头推进。", ["县(市、区)农业局"]),
        ("各乡镇(街道)要抓好落实。", ["各乡镇(街道)"]),
        ("各村(社区)党组织书记要带头。", ["各村(社区)党组织书记"]),
        # a parenthesis that holds no level alternative is left alone
        ("(二)各乡镇要抓好落实。", ["各乡镇"]),
    ],
)
def test_a_level_with_its_alternatives(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause read as a name, whichever rule proposes it: it opens with a modal or a founding
        # verb, or holds a word no name holds (时间, 根据, 要求, 纳入, 约谈…)
        ("要扶持县内物流企业开展冷链配送。", []),
        ("县市场监管局要牵头建立部门联合检查机制。", ["县市场监管局"]),
        ("各社区要将文明公约要求纳入村规民约。", ["各社区"]),
        ("后勤人员轮休,其他时间根据学校工作需要安排到岗。", []),
        # ...while names holding none of them stay
        ("要素保障组要每周报送进展。", ["要素保障组"]),
        ("市委落实办要加强督办。", ["市委落实办"]),
    ],
)
def test_a_clause_is_not_read_as_a_name(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 由 + a noun ending like a unit or a person + a verb no lexicon lists: the noun acts
        ("由部门领导统一安排值班人员。", ["部门领导"]),
        ("活动结束后,由班长写出小结。", ["班长"]),
        ("逾期未完成的,由江南分局党组追究有关人员责任。", ["江南分局党组"]),
        # the name goes on after a head character (局|党组), and a pronoun or a place names no one
        ("由其指定人员参加会议。", []),
        ("由点及面推开试点。", []),
        ("由王军负责联系施工单位。", []),  # a name ends before a listed verb: not 王军负责联系施工
        ("成立由分管副县长任组长的专项工作组。", []),
    ],
)
def test_an_unknown_agent_after_you(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a 、-list of short names closed by a verb names a party in every item
        ("对外联络处、实训中心、学生公寓、药学院做好迎检准备。", ["对外联络处", "实训中心", "学生公寓", "药学院"]),
        ("后勤处、基建处、保卫处等部门做好保障。", ["后勤处", "基建处", "保卫处"]),
        ("三、档案室、信息中心、校医院要配合检查。", ["档案室", "信息中心", "校医院"]),
        # verb phrases hold no party; a label's list names who attends
        ("要调结构、稳增长、促民生、抓项目。", []),
        ("列席:县水利局、县林业局、县审计局主要负责同志", []),
        ("县委常委,县水利局、县林业局、县审计局主要负责同志", []),
    ],
)
def test_an_open_list_of_units_closed_by_a_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


def test_an_open_list_after_a_comma_is_the_object_of_the_clause_before() -> None:
    text = "县消防大队要会同县商务局,对商场、学校、养老机构等开展检查。"
    assert [f.text for f in find_owners(text)] == ["县消防大队", "县商务局"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a subject ending in a collective head acts through a plain verb too
        ("班子成员分片包干,深入各村督导。", ["班子成员"]),
        ("主要领导亲自抓,分管领导具体抓。", ["主要领导", "分管领导"]),
        ("各部门根据附件格式细化年度任务。", ["各部门"]),
        # ...and so does 各 + a short noun ending like a unit, 各 picking out units
        ("学生处要组织好课外活动,各院(系、部)做好日常管理工作。", ["学生处", "各院(系、部)"]),
        ("各处室做好迎检准备。", ["各处室"]),
        # a verb and its object before such a verb name no one
        ("引导群众做好垃圾分类。", []),
        ("各项工作做好衔接。", []),
        ("深入各学校开展督查。", []),
    ],
)
def test_a_collective_subject_before_a_plain_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # clauses of nothing but parties, each closed by a comma, share the modal that follows
        ("全乡广大党员干部,特别是领导干部,必须走在前列。", ["全乡广大党员干部", "领导干部"]),
        ("各级党组织和党员干部,各科室要带头落实。", ["各级党组织", "党员干部", "各科室"]),
        ("同志们,要加强学习。", []),
    ],
)
def test_subjects_stacked_before_a_modal(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a unit the lexicon does not know, named with a parenthesised alternative
        ("议题申报处室(科室)需提前完成审批。", ["议题申报处室(科室)"]),
        ("镇里统筹调度,村(社区)抓落实。", ["村(社区)"]),
        # 应 and 需 alone are modals of such a subject
        ("水泵维修负责人应错峰施工。", ["水泵维修负责人"]),
        ("青禾站负责人需提前报告进度。", ["青禾站负责人"]),
        # ...not where they open a word: 需求, 应急, 应知应会
        ("回应群众需求。", []),
        ("讲解帮扶责任人应知应会的知识。", []),
    ],
)
def test_unknown_subjects_with_alternatives_and_short_modals(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lead label may name the leader in charge, by name alone
        ("牵头负责领导:孟青山。", ["孟青山"]),
        ("负责领导:白露、韩松。", ["白露", "韩松"]),
        ("协同单位:县林业局、县水利局。", ["县林业局", "县水利局"]),
    ],
)
def test_labels_naming_leaders_and_partners(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a cell of a division-of-work row holding only parties names the row's owners
        ("| 3 | 做好汛期物资储备和调运工作 | 减灾科 | 长期推进 |", ["减灾科"]),
        ("做好青川河堤巡查和险情上报工作|水政科(河长办) |6月底前|", ["水政科"]),
        # a cell opening with three units or more, closed by a verb
        ("|修订应急预案并组织演练|减灾科、水政科、规划科等按职责分工落实|年内|", ["减灾科", "水政科", "规划科"]),
        # names and scores, no work: not owners
        ("| 1 | 县林业局 | 95分 |", []),
    ],
)
def test_responsibility_cells_of_a_table_row(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 各 + two levels + an organ: every such bureau
        ("各市县林业局要在5月底前完成普查。", ["各市县林业局"]),
        # a marker's stray 、 or spaces before the subject, then a time phrase
        ("、各市州水利局从3月1日起,每天上午9点前,要报送水情。", ["各市州水利局"]),
        ("  县农业局要做好春耕调度。", ["县农业局"]),
    ],
)
def test_subjects_after_a_stray_comma_and_of_two_levels(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unknown subject ending in a head word: 中心, 企业, 委员会
        ("数据中心要确保网络畅通。", ["数据中心"]),
        ("被督查企业要落实整改责任。", ["被督查企业"]),
        # a unit's own head word is no topic word: 项目部 (not 项目要…)
        ("项目部要提前做好施工计划。", ["项目部"]),
        ("项目要按期开工。", []),
        ("各项工作要抓紧推进。", []),
    ],
)
def test_unknown_subjects_ending_in_head_words(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a 由-list runs on over unknown units closed by a verb the lexicon does not list
        ("由检验科、药剂科、设备办抓排查整改。", ["检验科", "药剂科", "设备办"]),
        ("由党办、院办督办问责。", ["党办", "院办"]),
        # ...not into a category after 等
        ("由县财政局、农业农村等部门联合检查。", ["县财政局"]),
    ],
)
def test_a_lead_list_closed_by_any_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unknown unit joined to a known party before the modal is a party too
        ("集团审计委员会和有关职能部门要抓好整改。", ["集团审计委员会", "有关职能部门"]),
        # ...while a joined word that names no one keeps the party a receiver
        ("沟通和有关部门要及时。", []),
    ],
)
def test_an_unknown_unit_joined_to_a_party(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        # the mobilised, the organised and a destination do not own the work
        "各科室要积极动员全院职工共同参与。",
        "组织全体党员认真学习会议精神。",
        "把思想统一到县委、县政府加强防汛的要求上来。",
        # a party that narrates what it focused on (围绕) is told nothing
        "近期县委、县政府围绕项目建设开展了调研。",
    ],
)
def test_mobilised_and_narrating_parties_are_not_owners(text: str) -> None:
    names = [f.text for f in find_owners(text)]
    assert not any(n.endswith(("职工", "党员", "县委", "县政府")) for n in names), names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a particle or preposition before 村/街道 opens a clause, not a place name
        ("要把村卫生室建设摆上日程。", []),
        ("一队以街道巡防队员为主要力量。", []),
        ("柳溪村要完成河道清理。", ["柳溪村"]),
    ],
)
def test_places_named_without_a_level_hold_no_particles(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        # who fills a post or makes up a body is not told to act
        "成立领导小组,由镇党委书记林岚任组长。",
        "办公室主任由镇党委委员、副镇长顾川兼任。",
        "组长由集团总经理担任,全面负责统筹。",
        "成员由各职能部门负责人组成。",
    ],
)
def test_appointed_and_composing_parties_are_not_owners(text: str) -> None:
    assert [f.text for f in find_owners(text) if f.rule.startswith("before:")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 应 before 对 opens a verb (应对), not a modal
        ("县气象局应对寒潮值班表", []),
        ("县气象局应加强寒潮预警。", ["县气象局"]),
        # 村居 and 总支 are heads of a collective
        ("各村居、企事业单位要细化整治方案。", ["各村居", "企事业单位"]),
        ("各总支、相关部门要强化组织领导。", ["各总支", "相关部门"]),
    ],
)
def test_ying_dui_and_collective_heads_of_villages_and_branches(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


def test_you_yu_opens_a_reason_not_a_lead() -> None:
    # 由于此处…: a reason, not 由X负责
    assert [f.text for f in find_owners("由于此处正在施工,社区书记要联系施工方。")] == ["社区书记"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a table row broken over lines: a line of nothing but parties closed by a rule
        ("招商工作部、项目办|", ["招商工作部", "项目办"]),
        ("县林业局|\n", ["县林业局"]),
        ("做好巡查工作|", []),
    ],
)
def test_a_responsibility_cell_on_its_own_line(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the issuing body's own plans: its partners are not told to act
        ("下一步我局将积极会同相关部门、乡镇开展核查。", []),
        ("下一步,我委将会同省级有关部门深化研究。", []),
        ("县林业局要会同县水利局开展巡查。", ["县林业局", "县水利局"]),
    ],
)
def test_partners_of_the_issuing_body_are_not_owners(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a long 对-phrase holding 的 between the subject and its modal
        ("县防汛指挥部对堤防隐患、各类预案的落实情况要心中有数。", ["县防汛指挥部"]),
        # ...while 的 right after a party still makes it a possessor, not the subject
        ("县财政局的专项资金要及时拨付。", []),
    ],
)
def test_a_subject_before_a_long_topic_phrase(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the property management company of a residential community is a party
        ("要求物业在小区出入口张贴公告。", ["物业"]),
        ("社区实行责任到人,物业实行包片管理。", ["物业"]),
        ("请物业公司做好消防通道清理。", ["物业公司"]),
    ],
)
def test_property_management_is_a_party(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a subject's plan, basis or timing before its verb: the subject still acts
        ("各机关、企事业单位和各村委会根据方案要求,制定具体措施。", ["各机关", "企事业单位", "各村委会"]),
        ("县交通局按照分工推进改线工程。", ["县交通局"]),
        ("各乡镇根据年度计划,完成清理转运。", ["各乡镇"]),
        ("总务处提早考察操场设施设备。", ["总务处"]),
        # ...but a project that keeps its date (按期) is no party
        ("青溪县人民医院新院区按期投用。", []),
    ],
)
def test_a_subject_before_its_plan_or_timing(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause that opens with nothing but a list before its modal: every item acts
        ("各指挥部、各大垸要在月底前搞好培训。", ["各指挥部", "各大垸"]),
        ("街道领导班子成员、各社区主官要把精力放在迎检上。", ["街道领导班子成员", "各社区主官"]),
        ("各系、各部门要充分认识过渡阶段的特点。", ["各系", "各部门"]),
        # 各 and a short noun alone before its modal is a set of units
        ("各片总支须高度重视,积极配合检查。", ["各片总支"]),
        # ...not kinds or topics, not the 要 of 主要, not what needs approval
        ("各类问题要及时整改。", []),
        ("各乡镇主要负责同志。", []),
        ("夜间施工须经城管部门批准。", []),
    ],
)
def test_a_clause_opening_list_before_its_modal(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a post ending in 主任 named as the one answerable (是/为…责任人) is a party
        ("各村(社区)委会主任是本村防汛工作的第一责任人。", ["各村(社区)委会主任"]),
        ("科主任为科室质控第一责任人,科室设兼职质控员。", ["科主任"]),
        # ...while a verb before such a post is no part of its name
        ("提醒班主任根据课表安排值守。", ["班主任"]),
    ],
)
def test_a_post_ending_in_director_answers_for_the_work(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a redacted place in the level's seat, upper or lower case, opens an organ's name
        ("XX教育局要对课件平台的使用效果进行评估。", ["XX教育局"]),
        ("xx教育局要在月底前推广应用。", ["xx教育局"]),
        ("县教育局要汇同xx财政局、xx发展计划局组织专家评审。", ["县教育局", "xx财政局", "xx发展计划局"]),
        ("各x相关部门要高度重视。", ["各x相关部门"]),
        # ...and a lone mark before no organ suffix names no one
        ("xx月底前完成全部设备调试。", []),
    ],
)
def test_a_redacted_level_opens_an_organ(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a party's own work verb with no modal: the party acts
        ("各检查组汇总各片企业的检查结果,编制汇总资料。", ["各检查组"]),
        ("活动期间,镇领导小组对各村开展情况进行督查。", ["镇领导小组"]),
        ("各班主任进行一次安全教育主题班会。", ["各班主任"]),
        ("县档案局把整理好的卷宗移交县图书馆。", ["县档案局"]),
        # ...but a verb already done reports, it assigns nothing
        ("会后,县农业农村局对柳溪村的改厕工作进行了部署。", []),
        # ...and a party inside a 对-phrase is the object of the verb after it
        ("对排名靠后的县水利局和县城投公司进行通报批评。", []),
        ("县督查室要对进展缓慢的项目责任单位进行通报。", ["县督查室"]),
    ],
)
def test_a_party_before_its_own_work_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a subject the lexicon does not know, ending in a collective head, before its own work verb
        ("总公司进行监督抽查,通报抽查结果。", ["总公司"]),
        ("各工作组人员把柳家巷住户的基本情况调查清楚。", ["各工作组人员"]),
        # ...and before 须 alone, not the 须 of what needs approval
        ("返乡务工人员须主动向村委会报备。", ["返乡务工人员"]),
        ("外来施工人员须经物业中心批准方可进场。", []),
        # ...but a clause opening with a verb names its object, and a done verb reports
        ("引导家庭成员进行自我教育、自我约束。", []),
        ("帮助企业对接金融机构。", []),
        ("会后,各工作组人员对柳家巷进行了走访。", []),
    ],
)
def test_an_unknown_subject_before_its_own_work_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name never opens with the verb whose object it would be
        ("强化部门协同联动,高质量推进健康青岚建设。", []),
        ("采取村组织、户栽植的方式完成沿线绿化。", []),
        ("连续两次排名靠后的,约谈县市区主要负责人。", []),
        ("转载请注明出处。", []),
        # ...while the same names as subjects still act
        ("各部门要强化协同联动。", ["各部门"]),
        ("县教育局要提出学校安全工作的三项要求。", ["县教育局"]),
    ],
)
def test_a_name_never_opens_with_its_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after 由, a noun the lexicon does not know, ending like a person or a unit, before its verb
        ("消防安全例会应由消防安全责任人主持,有关人员参加。", ["消防安全责任人"]),
        ("联席会议由组长召集会议。", ["组长"]),
        # ...not a noun that holds a place phrase, nor a reason
        ("本周四下午由柳青医生于三楼会议室进行讲课。", []),
        ("由于天气原因,活动延期举行。", []),
    ],
)
def test_an_unknown_party_after_you_before_its_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 围绕 brings the party's plan before its work, as 根据/结合 do
        ("各机关、企事业单位和各村委会围绕行动计划,清理积存垃圾。", ["各机关", "企事业单位", "各村委会"]),
        # ...but a sentence that opens on a time already past reports what was done
        ("今年以来,全县各级各部门围绕项目建设狠抓落实。", []),
        ("近期县委、县政府围绕项目建设密集组织观摩。", []),
    ],
)
def test_a_party_around_its_plan_and_a_past_report(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause opening with a 的-modifier and a noun ending like a person or a unit, before a modal
        ("参加总值班的人员要保持通讯畅通。", ["参加总值班的人员"]),
        ("尚未通过验收的乡镇,要打好攻坚战。", ["尚未通过验收的乡镇"]),
        ("2.各联系点的县级领导和部门负责人必须经常深入一线。", ["各联系点的县级领导", "部门负责人"]),
        # ...not a thing owned, a time's work, or the speakers themselves
        ("县财政局的资金要及时拨付到位。", []),
        ("今年的工作要抓紧抓实。", []),
    ],
)
def test_a_modified_subject_before_its_modal(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


def test_must_often_stays_a_modal_for_an_unknown_subject() -> None:
    # 必须经常 is 必须 + 经常, not the 须经 of an approval
    assert [f.text for f in find_owners("关键岗位人员必须经常检查值班设备。")] == ["关键岗位人员"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 将 after an organ named as such: its coming work (or 将 as 把), in a list item or mid-paragraph
        ("一是县财政局将加快资金拨付进度。", ["县财政局"]),
        ("会后,镇政府还将利用宣传车下到各村宣传。", ["镇政府"]),
        ("汇总后,校办将及时通知相关部门提交材料。", ["校办"]),
        ("报县财政局,县财政局将统一拨付。", ["县财政局"]),
        # ...not a bare institution speaking of its own plans, a collective, a person, a past report
        ("医院将进行处方点评工作。", []),
        ("学校将严格落实主体责任。", []),
        ("县政府领导将定期召开专题会议。", []),
        ("有些同志将普查的结束视为终点。", []),
        ("去年县财政局将资金拨付到位。", []),
        ("县城即将进入主汛期。", []),
    ],
)
def test_an_organ_before_its_coming_work(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a party whose decision is carried out is the object of the verb before it
        ("一要认真执行县政府加快推进城市建设的决定;", []),
        ("各乡镇要认真执行县委加快发展的决定。", ["各乡镇"]),
        # ...not a party whose own duty is carried out
        ("一要严格落实市县领导包抓重点企业责任制。", ["市县领导"]),
        # ...while the party helped after 配合 still acts alongside its helper
        ("县统计局要配合县人社局做好形势分析。", ["县统计局", "县人社局"]),
    ],
)
def test_a_party_whose_measures_are_carried_out(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a level with its alternatives opens an organ as a level does, before any verb
        ("以县(市、区)农业局牵头推进。", ["县(市、区)农业局"]),
        ("县(市、区)教育局要加强督导。", ["县(市、区)教育局"]),
        ("市(州)卫生健康委要加强指导。", ["市(州)卫生健康委"]),
        ("县(区)水利局负责组织实施。", ["县(区)水利局"]),
    ],
)
def test_a_level_with_its_alternatives_opens_an_organ(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after a cue, a level-less name opens a list that goes on after 和 or 、
        ("二是请教研室和办公室抓紧起草报告。", ["教研室", "办公室"]),
        ("要求总务处和保卫处做好检查。", ["总务处", "保卫处"]),
        ("会同社区居委会和派出所开展排查。", ["社区居委会", "派出所"]),
        # ...but a list that only says who makes up a body, over a comma too, names no owner
        ("联席会议由宣传科、党政办公室等部门负责人,以及各居委负责人组成。", []),
    ],
)
def test_a_cue_opened_list_goes_on_after_its_first_name(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place and its organ are one name, whichever rules read the two halves
        ("由青山镇政府负责落实。", ["青山镇政府"]),
        ("青山镇政府要加强组织领导。", ["青山镇政府"]),
        ("柳河县教育局要加强督导。", ["柳河县教育局"]),
        ("请白沙乡政府于5月底前完成。", ["白沙乡政府"]),
        # ...two organs of a list stay two
        ("县财政局、县教育局要加强督导。", ["县财政局", "县教育局"]),
    ],
)
def test_a_place_and_its_organ_are_one_name(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a manager is a post, like a director: an unknown subject ending in it acts
        ("部门经理必须参加会议。", ["部门经理"]),
        ("客户经理要主动上门服务。", ["客户经理"]),
    ],
)
def test_a_post_ending_in_manager_is_a_subject(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a founding verb after a party opens its work on a body, not the middle of a longer name
        ("镇政府成立专项工作领导小组。", ["镇政府"]),
        ("县教育局和县妇联建立考核评选小组。", ["县教育局", "县妇联"]),
        ("县教育局设立咨询服务中心。", ["县教育局"]),
        # ...while a name that holds another verb stays whole
        ("县项目推进办要加强调度。", ["县项目推进办"]),
        ("县委组织部要加强指导。", ["县委组织部"]),
    ],
)
def test_a_founding_verb_after_a_party_is_its_work(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 协同发展 is coordinated development, a noun, not a party's support verb
        ("三是全方位、多学科协同发展;", []),
        ("已形成多校区协同发展的办学格局。", []),
        # ...while 协同 before the work still makes its party a supporter
        ("县财政局协同推进资金整合。", ["县财政局"]),
    ],
)
def test_coordinated_development_is_no_support_verb(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a level-less name right after the item's marker opens the clause as after a break
        ("一是社区居委会要做好网格员考评。", ["社区居委会"]),
        ("十二是教务处要安排好教学工作。", ["教务处"]),
        ("三是后勤保障组要及时调配物资。", ["后勤保障组"]),
        # ...not after a copula inside a sentence
        ("这是派出所要加强巡逻的原因。", []),
    ],
)
def test_a_level_less_name_after_an_item_marker(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a one-character suffix read alone (科 of 科室) hides no noun from the unknown-subject rule
        ("科室要每月对医疗质量进行检查。", ["科室"]),
        ("一、科室要每月对医疗质量进行检查。", ["科室"]),
        ("处室要按时报送材料。", ["处室"]),
    ],
)
def test_a_suffix_alone_hides_no_subject(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date's limit (…日前, 月底前) opens the clause: a level-less name may start right after it
        ("8月7日前金元村、石宝沟村要完成河道打捞工作。", ["金元村", "石宝沟村"]),
        ("6月底前派出所要完成排查。", ["派出所"]),
        ("月底前城关镇要完成排查。", ["城关镇"]),
        # ...not a place word before 前 inside a noun phrase
        ("要在村前派出所旧址建设广场。", []),
    ],
)
def test_a_level_less_name_after_a_date_limit(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a duty line after the item's marker, or after the subject's copula or locative clause
        ("(一)县住建局:负责城区排水管网改造。", ["县住建局"]),
        ("一、社区居民委员会:负责组织网格员的考评。", ["社区居民委员会"]),
        ("2.领导小组办公室设在集团综合部,负责日常事务的协调;", ["领导小组办公室"]),
        ("县财政局是牵头单位,负责资金筹措。", ["县财政局"]),
        ("县财政局作为主管部门,牵头做好资金筹措。", ["县财政局"]),
        # ...not someone appointed to a post, nor a clause that is no duty line
        ("领导小组办公室设在县应急局,由柳明兼任主任。", []),
        ("会议地点设在县政府三楼,负责人为柳明。", []),
    ],
)
def test_a_duty_line_after_a_marker_or_a_copula(text: str, expected: list[str]) -> None:
    assert [(f.text, f.value.role) for f in find_owners(text)] == [(n, "lead") for n in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a recurring time between an unknown subject and its work, as after a known party
        ("六、科室每月对本科室的医疗质量进行检查。", ["科室"]),
        ("各班组定期开展安全检查。", ["各班组"]),
        # ...not the object of a verb that opens the clause, nor a noun that is no party
        ("推动企业每月开展一次自查自改。", []),
        ("群众每月可领取补贴。", []),
    ],
)
def test_a_recurring_time_after_an_unknown_subject(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an open list of units may follow a comma, closed by its own verb
        ("三是要配合到位,政教处、总务处、安稳办、年级部做好配合。", ["政教处", "总务处", "安稳办", "年级部"]),
        # ...not a list a preposition makes the object of the clause before, nor verb phrases
        ("县教育局要会同县商务局,对商场、学校、养老机构等开展检查。", ["县教育局", "县商务局"]),
        ("要突出重点,调结构、稳增长、促民生要统筹推进。", []),
        # ...nor a list after a comma whose first item ends like no unit or person (a name)
        ("五、5月9日,县政协主席柳明、副县长白松召集县城管局、县住建局等单位负责人开会。", []),
    ],
)
def test_an_open_list_after_a_comma(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a label's list that the excerpt cut off right after a level names no one
        ("4.零售总额增长6%左右。牵头单位:区商", []),
        ("形成一批可推广的经验。(牵头单位:市发", []),
        # ...while a whole short name at the end stays
        ("牵头单位:县委", ["县委"]),
        ("(责任单位:财管所、福利院)", ["财管所", "福利院"]),
    ],
)
def test_a_label_list_cut_off_after_a_level(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a row's cell that is one unit's name the lexicon does not know, bounded by the cell's rules
        ("|1|完善城区排水管网,提升防汛能力|规划建设局|长期|", ["规划建设局"]),
        ("|1|完善城区排水管网,提升防汛能力|安商服务中心|长期|", ["安商服务中心"]),
        # ...not a header row, a cell of words, nor a row with no task cell
        ("|序号|工作任务|责任单位|完成时限|", []),
        ("|1|完善城区排水管网,提升防汛能力|持续推进|长期|", []),
        ("|规划建设局|95分|", []),
    ],
)
def test_an_unknown_unit_alone_in_a_table_cell(text: str, expected: list[str]) -> None:
    assert [f.text for f in find_owners(text)] == expected
