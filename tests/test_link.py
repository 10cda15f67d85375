"""Follow-up links: the relation rules, exhortations, the index, scoring and its reference."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import textkit
from tests.conftest import CORPUS
from tests.link_reference import score as reference_score
from textkit.cli import app
from textkit.errors import InputError
from textkit.followups import (
    FEATURES,
    TaskView,
    is_exhortation,
    owners_apart,
    pair_features,
    probability,
    relation,
    scope_apart,
    scopes,
    views,
)
from textkit.link_eval import evaluate_links, extractions, load_series
from textkit.link_index import LinkIndex

SERIES = CORPUS / "series"

SPRING = (
    "全县农田水利工作会议讲话\n2024年3月5日\n二、重点工作\n"
    "(一)加快灌区续建配套改造。县水利局牵头,确保东干渠改造工程6月底前完工,新增灌溉面积1.2万亩。\n"
    "(二)抓好高标准农田建设。县农业农村局要年内建成高标准农田3万亩。\n"
    "(三)开展小型水库安全鉴定。县水利局要在5月底前完成全县42座小型水库安全鉴定。\n"
    "三、工作要求\n一要高度重视。各级各部门要提高政治站位,切实增强责任感和紧迫感。\n"
)
AUTUMN = (
    "全县农田水利工作调度会议纪要\n2024年9月10日\n会议议定:\n"
    "(一)东干渠改造工期调整。县水利局要加快东干渠改造工程,完工时间调整为11月底前。\n"
    "(二)高标准农田建设扩面。县农业农村局要年内建成高标准农田4万亩,县财政局负责资金整合。\n"
    "(三)启动冬春农田水利建设。各乡镇要在12月1日前完成冬修项目清单。\n"
    "(四)一要高度重视。各级各部门要提高政治站位,切实增强责任感和紧迫感。\n"
)


def view(**changes: object) -> TaskView:
    base: dict[str, object] = dict(task_id="a", doc_id="d1", order=("2024-01-01", 0), heading="", text="",
                                   content="", owners=frozenset({"县水利局"}), deadlines=frozenset({"2024-06-30"}),
                                   targets=frozenset({(50.0, "公里")}), numbers=frozenset(), exhortation=False)
    base.update(changes)
    return TaskView(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "repeats"),
        ({"deadlines": frozenset({"2024-12-31"})}, "reschedules"),
        ({"deadlines": frozenset()}, "repeats"),
        ({"targets": frozenset({(80.0, "公里")})}, "extends"),
        ({"targets": frozenset({(30.0, "公里")})}, "repeats"),
        ({"owners": frozenset({"县水利局", "县财政局"})}, "extends"),
        ({"targets": frozenset({(80.0, "公里")}), "deadlines": frozenset({"2024-12-31"})}, "reschedules"),
    ],
)
def test_relation_follows_the_fields(changes: dict[str, object], expected: str) -> None:
    assert relation(view(task_id="b", doc_id="d2", **changes), view()) == expected


def test_a_new_owner_already_named_in_the_earlier_text_is_not_new() -> None:
    earlier = view(text="县水利局会同县财政局推进")
    assert relation(view(owners=frozenset({"县水利局", "县财政局"})), earlier) == "repeats"


@pytest.mark.parametrize(("heading", "expected"), [("高度重视", True), ("要提高政治站位", True),
                                                    ("严格考核问责", False), ("加快灌区续建配套改造", False)])
def test_exhortations(heading: str, expected: bool) -> None:
    assert is_exhortation(heading) is expected


@pytest.mark.parametrize(
    ("later", "earlier", "expected"),
    [
        ({"县财政局"}, {"县民政局"}, True),
        ({"县财政局", "县民政局"}, {"县民政局"}, False),
        ({"县民政局养老服务股"}, {"县民政局"}, False),  # one name inside the other: the same unit
        (set(), {"县民政局"}, False),  # no owner named: nothing to tell apart
    ],
)
def test_owners_apart(later: set[str], earlier: set[str], expected: bool) -> None:
    assert owners_apart(view(owners=frozenset(later)), view(owners=frozenset(earlier))) is expected


def test_work_handed_to_another_unit_is_not_a_follow_up() -> None:
    """The same figure and object, but another unit's work (paying the subsidy, not doing the 改造)."""
    spring = textkit.extract("全县养老服务工作会议讲话\n2024年2月27日\n二、重点工作\n"
                             "(一)开展适老化改造。县民政局要为特殊困难老年人家庭实施居家适老化改造,年内完成500户。\n"
                             "(二)培训养老护理员。县人社局要在11月30日前培训养老护理员300人次。\n",
                             ref_date="2024-02-27")
    summer = textkit.extract("全县养老服务工作推进会会议纪要\n2024年6月18日\n会议议定:\n"
                             "(一)适老化改造资金拨付。县财政局要在7月15日前将500户适老化改造补助资金拨付到位。\n"
                             "(二)护理员培训扩面。县人社局要在11月30日前培训养老护理员400人次。\n",
                             ref_date="2024-06-18")
    head = {t.task_id: (t.heading or "")[:6] for t in (*spring.tasks, *summer.tasks)}
    got = {(head[x.task_id], head[x.follows]) for x in textkit.link(spring, summer)}
    assert got == {("护理员培训扩", "培训养老护理")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开展清水河上游段河道清淤", {("stretch", "上游")}),
        ("修复东片区机耕道", {("stretch", "东")}),
        ("启动解放路段雨污分流改造", {("stretch", "解放")}),
        ("启动第二批卫生院提标改造", {("batch", "二")}),
        ("谋划城东污水处理厂二期", {("phase", "二")}),
        ("申报2025年棚改专项债券", {("year", "2025")}),
        ("推进B区道路管网配套", {("zone", "B")}),
        ("要在2025年3月31日前完成", set()),  # a date, not a programme
        ("统一期限,年底前完成", set()),
    ],
)
def test_scopes(text: str, expected: set[tuple[str, str]]) -> None:
    assert scopes(text) == expected


SCOPE_SPRING = "\n".join(("全县重点工作会议纪要", "2024年4月8日", "会议议定如下:", ""))
SCOPE_SUMMER = "\n".join(("全县重点工作调度会纪要", "2024年7月10日", "会议议定如下:", ""))
# one task each, "{}" is its stretch, batch or year; the deadline moves from spring to summer
SCOPE_TASKS = [
    ("(一)开展清水河{}段河道清淤。", "镇水利站要在{}前完成清水河{}段4.2公里河道清淤。", "镇区", "上游"),
    ("(一)推进第{}批卫生院提标改造。", "县卫生健康局要在{}前完成第{}批5所卫生院改造。", "一", "二"),
    ("(一)实施{}年度高标准农田项目。", "县农业农村局要在{}前完成{}年度4.5万亩建设任务。", "2024", "2025"),
]


def _pair(later_scope: str, task: tuple[str, str, str, str]) -> tuple[TaskView, TaskView, list[float]]:
    """The spring task (its own scope) and a summer task about ``later_scope``, with their features."""
    heading, body, scope, _ = task
    spring = textkit.extract(SCOPE_SPRING + heading.format(scope) + body.format("5月31日", scope) + "\n")
    summer = textkit.extract(SCOPE_SUMMER + heading.format(later_scope) + body.format("10月31日", later_scope) + "\n")
    earlier = views(spring.tasks, {spring.document.doc_id: spring.document.date})[0]
    later = views(summer.tasks, {summer.document.doc_id: summer.document.date})[0]
    index = LinkIndex()
    index.add([earlier.task_id], [earlier.content])
    return later, earlier, pair_features(later, earlier, index.similarity(later.content, earlier.task_id))


@pytest.mark.parametrize("task", SCOPE_TASKS, ids=["stretch", "batch", "year"])
def test_another_stretch_scores_lower_with_the_fitted_weights(task: tuple[str, str, str, str]) -> None:
    """The same pair once about the same stretch, once about another: the second scores lower, and the
    scope_apart weight (data/links.toml) is part of why."""
    same_later, same_earlier, same = _pair(task[2], task)
    other_later, other_earlier, other = _pair(task[3], task)
    assert not scope_apart(same_later, same_earlier) and scope_apart(other_later, other_earlier)
    assert probability(other) < probability(same)
    position = FEATURES.index("scope_apart")
    without = [0.0 if i == position else x for i, x in enumerate(other)]
    assert probability(other) < probability(without)


def test_a_new_area_is_new_work() -> None:
    """Of two summer tasks on the same roads, the one on the spring's area follows it; the other area
    is new work, though the owner, the object and the kind of work are the same."""
    spring = textkit.extract(SCOPE_SPRING + "(一)修复西片区机耕道。" + "县农业农村局要在10月31日前修复西片区机耕道22公里。\n")
    summer = textkit.extract(SCOPE_SUMMER + "(一)西片区机耕道修复扫尾。" + "西片区机耕道已修复19公里,剩余3公里县农业农村局要在11月30日前修复完成。\n"
                             + "(二)修复东片区机耕道。" + "县农业农村局要在12月31日前修复东片区机耕道15公里。\n")
    head = {t.task_id: (t.heading or "")[:3] for t in (*spring.tasks, *summer.tasks)}
    assert {(head[x.task_id], head[x.follows]) for x in textkit.link(spring, summer)} == {("西片区", "修复西")}


def test_link_two_documents() -> None:
    spring = textkit.extract(SPRING, ref_date="2024-03-05")
    autumn = textkit.extract(AUTUMN, ref_date="2024-09-10")
    links = textkit.link(spring, autumn)
    head = {t.task_id: (t.heading or "")[:6] for t in (*spring.tasks, *autumn.tasks)}
    got = {(head[x.task_id], head[x.follows]): x.relation for x in links}
    assert got[("东干渠改造工", "加快灌区续建")] == "reschedules"
    assert got[("高标准农田建", "抓好高标准农")] == "extends"
    assert not any(later.startswith(("启动冬春", "一要高度")) for later, _ in got)  # new work, boilerplate
    assert all(0 <= x.score <= 1 for x in links)
    frame = textkit.links_frame(links, [spring, autumn])
    assert list(frame["relation"]) == [x.relation for x in links] and frame["follows_heading"].notna().all()


def test_index_grows_without_duplicates_and_round_trips(tmp_path: Path) -> None:
    index = LinkIndex()
    assert index.add(["a", "b"], ["东干渠改造工程完工", "高标准农田建设三万亩"]) == 2
    assert index.add(["a", "c"], ["东干渠改造工程完工", "小型水库安全鉴定"]) == 1
    assert len(index) == 3
    found = index.search(["东干渠改造工程调整"], k=2)[0]
    assert found[0][0] == "a"
    index.save(tmp_path / "index.npz")
    again = LinkIndex.load(tmp_path / "index.npz")
    assert again.ids == index.ids and again.search(["东干渠改造工程调整"], k=2) == index.search(["东干渠改造工程调整"], k=2)


def test_eval_agrees_with_the_reference(tmp_path: Path) -> None:
    for name in ("mingxi-employment", "yunling-forest-fire"):  # train series only
        shutil.copytree(SERIES / name, tmp_path / name)
    ours = evaluate_links(tmp_path)
    totals = {"tp": 0, "fp": 0, "fn": 0, "relation_right": 0}
    for series in load_series(tmp_path):
        extracted = extractions(series)
        links = {doc: [x.to_dict() for x in textkit.link(extracted[:i], extracted[i])]
                 for i, doc in enumerate(series.documents) if i}
        dicts = {doc: e.to_dict() for doc, e in zip(series.documents, extracted, strict=True)}
        for key, value in reference_score(series.path / "gold.json", dicts, links).items():
            totals[key] += value
    assert (ours.tp, ours.fp, ours.fn, ours.relation_right) == tuple(totals.values())
    assert ours.tp > 0


def test_bad_series_gold_names_the_file(tmp_path: Path) -> None:
    shutil.copytree(SERIES / "mingxi-employment", tmp_path / "s")
    gold = tmp_path / "s" / "gold.json"
    gold.write_text(gold.read_text(encoding="utf-8").replace('"extends"', '"widens"', 1), encoding="utf-8")
    with pytest.raises(InputError, match="gold.json.*widens"):
        load_series(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 1 and "widens" in result.output and "Traceback" not in result.output


def test_cli_eval_scores_a_series_directory(tmp_path: Path) -> None:
    shutil.copytree(SERIES / "mingxi-employment", tmp_path / "mingxi-employment")
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "-v"])
    assert result.exit_code == 0, result.output
    assert "links" in result.output and "relation" in result.output and "mingxi-employment/02_may-minutes" in result.output
