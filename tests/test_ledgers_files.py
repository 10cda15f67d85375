"""File ledgers read back with the tools people use: openpyxl for the 台账, csv/json for the rest."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import openpyxl
import pytest

from textkit.errors import LedgerError
from textkit.ledgers import open_ledger
from textkit.ledgers.excel import OVERDUE_FILL, SOON_FILL
from textkit.ledgers.testing import improved, sample_document, sample_records

TODAY = dt.date(2024, 6, 28)  # the subtask is due 2024-06-30: two days away


def _sheet_rows(path: Path) -> tuple[list[str], list[dict[str, object]]]:
    sheet = openpyxl.load_workbook(path)["台账"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, values, strict=False)) for values in sheet.iter_rows(min_row=2, values_only=True)]
    return header, rows


def test_excel_sheet_is_a_formatted_ledger(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    with open_ledger(str(path), today=TODAY) as ledger:
        ledger.upsert(sample_records(), document=sample_document())
    sheet = openpyxl.load_workbook(path)["台账"]
    header = [c.value for c in sheet[1]]
    assert header[:14] == ["序号", "任务来源", "工作任务", "牵头单位", "配合单位", "责任单位", "完成时限",
                           "截止日期", "频次", "目标", "状态", "进展情况", "备注", "原文位置"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["C"].width == 60  # 工作任务 is wide
    due = sheet.cell(3, header.index("截止日期") + 1)
    assert isinstance(due.value, dt.datetime) and due.value.date() == dt.date(2024, 6, 30)
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    assert due.fill.fgColor.rgb == SOON_FILL
    assert sheet.cell(3, header.index("完成时限") + 1).fill.fgColor.rgb == SOON_FILL
    assert sheet.cell(2, header.index("完成时限") + 1).fill.fill_type is None  # XX月底前: no date known
    assert sheet.cell(2, header.index("状态") + 1).value == "待办"
    assert sheet.cell(2, 2).value == "在全市项目建设推进会上的讲话（2024-03-01）"


def test_excel_highlight_follows_today_and_status(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    records = sample_records()
    open_ledger(str(path), today=TODAY).upsert(records)
    far = open_ledger(str(path), today=dt.date(2024, 6, 1))
    far.update_human_fields(records[1].task_id, 进展情况="推进中")  # any write re-judges the colours
    header, _ = _sheet_rows(path)
    cell = openpyxl.load_workbook(path)["台账"].cell(3, header.index("截止日期") + 1)
    assert cell.fill.fill_type is None
    late = open_ledger(str(path), today=dt.date(2024, 7, 2))
    late.update_human_fields(records[1].task_id, 进展情况="逾期")
    assert openpyxl.load_workbook(path)["台账"].cell(3, header.index("截止日期") + 1).fill.fgColor.rgb == OVERDUE_FILL
    late.update_human_fields(records[1].task_id, 状态="办结")
    assert openpyxl.load_workbook(path)["台账"].cell(3, header.index("截止日期") + 1).fill.fill_type is None


def test_a_persons_excel_edits_survive_a_reseed(tmp_path: Path) -> None:
    """Edit the workbook as a person would (openpyxl, not our API), then seed again."""
    path = tmp_path / "台账.xlsx"
    records = sample_records()
    with open_ledger(str(path), today=TODAY) as ledger:
        ledger.upsert(records[:2], document=sample_document())

    book = openpyxl.load_workbook(path)
    sheet = book["台账"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    sheet.cell(2, col["进展情况"], "已召开专题会,完成60%")
    sheet.cell(2, col["状态"], "交办")
    sheet.cell(3, col["备注"], "待核实")
    extra = sheet.max_column + 1
    sheet.cell(1, extra, "督查人")
    sheet.cell(2, extra, "王X")
    sheet.cell(1, extra + 1, "得分")
    sheet.cell(2, extra + 1, "=1+1")
    sheet.cell(2, col["工作任务"]).font = openpyxl.styles.Font(color="FFFF0000")  # a person's formatting
    book.create_sheet("说明")["A1"] = "本台账每周一更新"
    book.save(path)

    with open_ledger(str(path), today=TODAY) as ledger:
        result = ledger.upsert([improved(records[0]), records[1], records[2]], document=sample_document())
        assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
        frame = ledger.read()
        assert list(frame.columns[-2:]) == ["督查人", "得分"]

    book = openpyxl.load_workbook(path)
    sheet = book["台账"]
    assert book.sheetnames == ["台账", "说明"]
    assert sheet.cell(2, col["进展情况"]).value == "已召开专题会,完成60%"
    assert sheet.cell(2, col["状态"]).value == "交办"
    assert sheet.cell(3, col["备注"]).value == "待核实"
    assert sheet.cell(2, extra).value == "王X" and sheet.cell(2, extra + 1).value == "=1+1"
    assert sheet.cell(2, col["工作任务"]).font.color.rgb == "FFFF0000"
    assert sheet.cell(2, col["牵头单位"]).value == "市委落实办、市发展改革委"  # extracted column updated
    assert sheet.cell(4, col["task_id"]).value == records[2].task_id  # new task appended below
    assert sheet.cell(4, col["序号"]).value == 3


def test_excel_column_order_chosen_by_a_person_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    records = sample_records()
    open_ledger(str(path)).upsert(records[:1])
    book = openpyxl.load_workbook(path)
    sheet = book["台账"]
    sheet.move_range("A1:A2", cols=sheet.max_column)  # 序号 moved to the far right, column A left empty
    sheet.delete_cols(1)
    book.save(path)
    with open_ledger(str(path)) as ledger:
        assert ledger.upsert(records).inserted == 2
        assert ledger.records() == records
    header, rows = _sheet_rows(path)
    assert header[-1] == "序号" and [r["序号"] for r in rows] == [1, 2, 3]


def test_csv_has_a_bom_and_keeps_added_columns(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    records = sample_records()
    open_ledger(str(path)).upsert(records[:2], document=sample_document())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "工作任务".encode() in raw
    lines = raw.decode("utf-8-sig").splitlines()
    lines[0] += ",督查人"
    lines[1] += ",王X"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    with open_ledger(str(path)) as ledger:
        assert ledger.upsert(records).inserted == 1
        frame = ledger.read().set_index("task_id")
        assert frame.loc[records[0].task_id, "督查人"] == "王X"
        assert frame.loc[records[2].task_id, "督查人"] is None


def test_jsonl_lines_hold_the_record_as_an_object(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    open_ledger(str(path)).upsert(sample_records(), document=sample_document())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and "市委落实办" in lines[0]  # Chinese as is, not \u-escaped
    first = json.loads(lines[0])
    assert first["record"] == sample_records()[0].to_dict() and first["状态"] == "待办"


@pytest.mark.parametrize("name", ["ledger.csv", "ledger.jsonl", "台账.xlsx"])
def test_interrupted_file_write_leaves_the_ledger_as_it_was(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / name
    records = sample_records()
    open_ledger(str(path)).upsert(records[:1])
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # the run is killed between writing and renaming

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        open_ledger(str(path)).upsert([improved(records[0]), *records[1:]])
    monkeypatch.undo()
    assert path.read_bytes() == before
    left = [p.name for p in tmp_path.iterdir() if p.name != f".{name}.lock"]  # the lock file stays, by design
    assert left == [name], "no temp file left behind"
    assert open_ledger(str(path)).records() == records[:1]


def test_file_ledger_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    open_ledger(str(path)).upsert(sample_records()[:1])
    os.chmod(path, 0o640)
    open_ledger(str(path)).upsert(sample_records())
    assert path.stat().st_mode & 0o777 == 0o640


def test_corrupt_files_raise_ledger_errors_naming_the_file(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"task_id": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(LedgerError, match=r"bad\.jsonl:2: not JSON"):
        open_ledger(str(bad_json)).read()
    bad_xlsx = tmp_path / "bad.xlsx"
    bad_xlsx.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"bad\.xlsx: not a readable \.xlsx"):
        open_ledger(str(bad_xlsx)).read()
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("序号,工作任务\n1,抓落实\n".encode("gbk"))
    with pytest.raises(LedgerError, match=r"gbk\.csv: not UTF-8"):
        open_ledger(str(gbk)).read()


def test_updating_an_unknown_task_is_an_error(tmp_path: Path) -> None:
    ledger = open_ledger(str(tmp_path / "ledger.csv"))
    ledger.upsert(sample_records())
    with pytest.raises(LedgerError, match="no row with task_id 'nope'"):
        ledger.update_human_fields("nope", 进展情况="x")


def test_text_excel_cannot_hold_is_cleaned_but_the_record_is_exact(tmp_path: Path) -> None:
    record = sample_records()[2].evolve(text="三、其他事项。\x0c请县项目办做好工作。")
    ledger = open_ledger(str(tmp_path / "台账.xlsx"))
    ledger.upsert([record])
    assert ledger.records() == [record]
    assert ledger.read().iloc[0]["工作任务"] == "三、其他事项。请县项目办做好工作。"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".db"])
def test_a_due_date_from_a_convention_is_shown_as_approximate(tmp_path: Path, suffix: str) -> None:
    import textkit

    text = "一、工作要求\n一要抓好防汛。各乡镇要在主汛期前完成河道清障。\n二要抓好值守。县应急管理局要在6月30日前完成演练。"
    result = textkit.extract(text, ref_date="2024-04-18")
    target = f"sqlite:///{tmp_path / 'l.db'}" if suffix == ".db" else str(tmp_path / f"l{suffix}")
    ledger = open_ledger(target)
    ledger.seed(result)
    limits = sorted(str(v) for v in ledger.read()["完成时限"] if isinstance(v, str) and v)
    ledger.close()
    assert limits == ["6月30日前", "主汛期前（约）"]
