"""End to end on real texts: records, spans back into the original, stable ids, the seed scored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import textkit
from tests.conftest import CORPUS, SPEECH, shared_or_skip
from textkit.records import Extraction, TaskRecord


def _layout_equal(record_text: str, original_slice: str) -> bool:
    """A record's text is its original slice minus archive noise: every character of the
    text appears in the slice, in order."""
    it = iter(original_slice)
    return all(ch in it for ch in record_text)


def check_spans(result: Extraction, original: str) -> None:
    for task in result.tasks:
        start, end = task.span
        assert 0 <= start <= end <= len(original)
        assert _layout_equal(task.text, original[start:end]), (task.path, task.text[:30])
        assert task.text.strip()


def test_speech_of_our_own() -> None:
    result = textkit.extract(SPEECH, ref_date="2024-05-06")
    doc = result.document
    assert doc.title == "在全县安全生产工作会议上的讲话"
    assert doc.date == "2024"
    assert [d.marker for d in result.directives] == ["一要", "二要", "三是要"]
    first = result.directives[0]
    assert first.heading == "压实企业主体责任"
    assert first.section == "抓好下一阶段重点工作"
    assert first.path == "2.1"
    check_spans(result, SPEECH)


def test_every_corpus_document_spans_slice_the_original() -> None:
    from textkit.io import read_path

    docs = sorted((CORPUS / "docs").glob("*.txt"))
    assert len(docs) >= 40
    for path in docs:
        original = read_path(path)
        result = textkit.extract(original, source=str(path))
        check_spans(result, original)
        ids = [t.task_id for t in result.tasks]
        assert len(ids) == len(set(ids)), path.name


def test_ids_are_stable_and_records_round_trip() -> None:
    a = textkit.extract(SPEECH, ref_date="2024-05-06", source="a.txt")
    b = textkit.extract(SPEECH, ref_date="2024-05-06", source="b.txt")
    assert [t.task_id for t in a.tasks] == [t.task_id for t in b.tasks]
    assert a.document.doc_id == b.document.doc_id
    data = json.loads(json.dumps(a.to_dict(), ensure_ascii=False))
    again = Extraction.from_dict(data)
    assert again.to_dict() == a.to_dict()
    for task in a.tasks:
        assert TaskRecord.from_dict(task.to_dict()) == task


def test_subtasks_point_at_their_directive() -> None:
    result = textkit.extract(SPEECH, ref_date="2024-05-06")
    ids = {d.task_id for d in result.directives}
    for task in result.tasks:
        if task.kind == "subtask":
            assert task.parent_id in ids
            assert task.path.startswith(next(d.path for d in result.directives if d.task_id == task.parent_id) + ".")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["一要", "二要", "三是要", "一是", "二是", "(一)", "(二)", "1.", "2.", "一、", "二、", "第一,", "第二,",
             "各乡镇要", "县发改局牵头,", "县财政局配合", "6月30日前", "年内", "XX月底前", "每月5日前报送", "不低于95%",
             "完成任务。", "加强领导。", "1/8", "2/8", "\n", " ", "统一是", "唯一要求", "會(huì)議"]
        ),
        max_size=40,
    )
)
def test_any_mix_of_genre_pieces_gives_traceable_records(pieces: list[str]) -> None:
    text = "".join(pieces)
    result = textkit.extract(text, ref_date="2024-03-12")
    check_spans(result, text)


def test_seed_scored_by_the_reference_scorer(seed_path: Path, tmp_path: Path) -> None:
    gold = shared_or_skip("spec", "gold", "seed.json")
    scorer = shared_or_skip("tools", "score.py")
    result = textkit.extract_file(seed_path, ref_date="2023-04-30")
    check_spans(result, seed_path.read_text(encoding="utf-8"))
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    (tmp_path / "gold" / "seed.json").write_text(gold.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pred" / "seed.json").write_text(json.dumps(result.to_dict(), ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(scorer), str(tmp_path / "gold"), str(tmp_path / "pred")],
        capture_output=True, text=True, check=True,
    ).stdout
    line = out.strip().splitlines()[0]
    assert "tp=10 fp=0 fn=0" in line, out  # directives: 10 found, 0 false
    last = out.strip().splitlines()[-1]
    assert last == "directives F1=1.000 deadlines F1=1.000 owners F1=1.000 cadence F1=1.000 due_acc=1.000", out


def test_each_deadline_governs_its_own_clause() -> None:
    text = (
        "一要抓项目开工。各乡镇要确保所有项目6月底前全部开工建设,主汛期前至少要完成年度计划工程量的60%以上。"
        "县住建局要每月5日前报送进度。二要抓考核。县委督查室要实行周调度、月通报。"
    )
    result = textkit.extract(text, ref_date="2024-03-12")
    first = result.directives[0]
    subtasks = result.subtasks_of(first)
    by_deadline = {s.deadline.text: s for s in subtasks if s.deadline}
    assert set(by_deadline) == {"6月底前", "主汛期前", "每月5日前"}
    assert by_deadline["6月底前"].deadline.due == "2024-06-30"
    assert "全部开工建设" in by_deadline["6月底前"].text and "主汛期前" not in by_deadline["6月底前"].text
    assert "60%以上" in by_deadline["主汛期前"].text
    assert [t.text for t in by_deadline["主汛期前"].targets] == ["60%以上"]
    assert [o.name for o in by_deadline["主汛期前"].owners] == ["各乡镇"]  # the sentence's subject governs
    assert [c.freq for c in by_deadline["每月5日前"].cadence] == ["monthly"]
    assert by_deadline["每月5日前"].deadline.due is None  # a recurring due point
    assert first.deadline is None  # several deadlines live on the subtasks, not the directive
    second = result.directives[1]
    assert [c.freq for c in second.cadence] == ["weekly", "monthly"]
    assert [o.name for o in second.owners] == ["县委督查室"]


def test_import_is_cheap() -> None:
    code = "import sys, textkit; print(any(m in sys.modules for m in ('jieba', 'spacy', 'sklearn', 'pandas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_deadlines_joined_by_a_list_comma_are_cut_apart() -> None:
    text = (
        "二、做好下一步工作一要全力稳住经济增长。各县区要确保第一季度实现开门红、上半年实现时间过半任务过半。"
        "二要严格督查考核。县委督查室要每月通报进度。"
    )
    result = textkit.extract(text, ref_date="2024-01-10")
    subtasks = result.subtasks_of(result.directives[0])
    assert [(s.deadline.text, s.deadline.due) for s in subtasks if s.deadline] == [
        ("第一季度", "2024-03-31"),
        ("上半年", "2024-06-30"),
    ]
