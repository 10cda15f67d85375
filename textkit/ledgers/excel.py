"""An Excel 台账 (``path.xlsx``) people open, edit and hand back.

The sheet (``台账`` unless ``sheet=`` says otherwise) has Chinese headers in
row 1, frozen, with a filter and set column widths; 截止日期 holds real date
cells; a deadline due within three days of ``today`` is filled orange, an
overdue one not yet 办结/销号 red. ``today`` is an option so tests and
reports can fix it.

Re-seeding edits the workbook in place: only cells whose extracted value
changed are written, new tasks are appended below, and everything a person
did — 进展情况, 状态, 备注, an added column (even formulas), their own
formatting, other sheets — is left as it was. Text textkit writes is never a
formula: a value that starts with ``=``, ``+``, ``-``, ``@``, tab or CR (a
document's ``=HYPERLINK(…)`` or DDE payload) is stored as a text cell with
Excel's quote prefix, so it shows as written and stays text when edited. The file is saved to a temp
file and moved over the old one, so an interrupted run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textkit.errors import LedgerError
from textkit.ledgers.files import FileLedger, Rows, atomic_open, is_formula_like
from textkit.ledgers.rows import LEDGER_COLUMNS, MACHINE_COLUMNS, SEQ

DUE = "截止日期"
DEADLINE = "完成时限"
DONE = ("办结", "销号")
SOON_DAYS = 3
SOON_FILL = "FFF4B183"  # orange: due within three days
OVERDUE_FILL = "FFFF9999"  # red: past due and still open
HEADER_FILL = "FFD9E1F2"
WIDTHS = {
    "序号": 6, "任务来源": 22, "工作任务": 60, "牵头单位": 16, "配合单位": 16, "责任单位": 20,
    "完成时限": 14, "截止日期": 12, "频次": 14, "目标": 18, "状态": 8, "进展情况": 40, "备注": 20,
    "原文位置": 12, "task_id": 18, "doc_id": 18, "kind": 9, "parent_id": 18, "path": 8,
    "record": 30, "content_hash": 18,
}
WRAP = frozenset(("任务来源", "工作任务", "进展情况", "备注", "目标", "责任单位"))
_ROW = "\0row"  # where a loaded row sits in the sheet; never a column


class ExcelLedger(FileLedger):
    """``path.xlsx``; options ``sheet`` (default ``台账``) and ``today`` (default: the date now)."""

    suffix = ".xlsx"

    def __init__(self, url: str, *, sheet: str = "台账", today: dt.date | None = None, **options: Any) -> None:
        super().__init__(url, **options)
        self.sheet = sheet
        self.today = today

    def _workbook(self, *, read_only: bool = False) -> Any:
        import openpyxl

        try:
            return openpyxl.load_workbook(self.path, read_only=read_only)
        except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException alike
            raise LedgerError(f"{self.name}: not a readable .xlsx workbook ({exc})") from exc

    def _load(self) -> tuple[list[str], Rows]:
        if not self.path.exists():
            return list(LEDGER_COLUMNS), []
        book = self._workbook(read_only=True)  # twice as fast to parse; _dump reopens for editing
        try:
            if self.sheet not in book.sheetnames:
                return list(LEDGER_COLUMNS), []
            table = book[self.sheet].iter_rows(values_only=True)
            header = [(i, str(v)) for i, v in enumerate(next(table, ())) if v]
            rows: Rows = []
            for number, values in enumerate(table, 2):
                if not any(v not in (None, "") for v in values):
                    continue
                row: dict[str, Any] = {c: _from_cell(c, values[i] if i < len(values) else None) for i, c in header}
                row[_ROW] = number
                rows.append(row)
        finally:
            book.close()
        return [c for _, c in header], rows

    def _dump(self, columns: list[str], rows: Rows) -> None:
        from openpyxl import Workbook

        if self.path.exists():
            book = self._workbook()
        else:
            book = Workbook()
            book.remove(book.active)
        fresh = self.sheet not in book.sheetnames
        sheet = book.create_sheet(self.sheet, 0) if fresh else book[self.sheet]
        fresh = fresh or sheet.cell(1, 1).value is None and sheet.max_column == 1
        where = self._header(sheet, columns, fresh)
        next_free = max(sheet.max_row, 1) + 1
        for row in rows:
            new_row = row.get(_ROW) is None
            if new_row:
                row[_ROW], next_free = next_free, next_free + 1
            number: int = row[_ROW]
            for column in columns:
                cell = sheet.cell(number, where[column])
                value = _to_cell(column, row.get(column))
                if new_row or not _same(cell.value, value):
                    cell.value = value  # unchanged cells (and a person's formulas) are not touched
                    if is_formula_like(value):  # a document's "=HYPERLINK(…)" stays text, even when edited
                        cell.data_type, cell.quotePrefix = "s", True
                if new_row:
                    _style_body(cell, column)
            self._highlight(sheet, where, number, row)
        if fresh:
            sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{_letter(sheet.max_column)}{max(sheet.max_row, 1)}"
        with atomic_open(self.path, "wb") as fh:
            book.save(fh)

    def _header(self, sheet: Any, columns: list[str], fresh: bool) -> dict[str, int]:
        from openpyxl.styles import Alignment, Font, PatternFill

        where = {} if fresh else {str(c.value): c.column for c in sheet[1] if c.value}
        index = max(sheet.max_column, *where.values()) if where else 0
        for column in columns:
            if column in where:
                continue
            index += 1
            cell = sheet.cell(1, index, column)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[_letter(index)].width = WIDTHS.get(column, 14)
            where[column] = index
        return where

    def _highlight(self, sheet: Any, where: dict[str, int], number: int, row: dict[str, Any]) -> None:
        """Re-judged on every write, since 'within three days' moves with today."""
        from openpyxl.styles import PatternFill

        due = _as_date(row.get(DUE))
        today = self.today or dt.date.today()
        colour = None
        if due is not None and (row.get("状态") or "") not in DONE:
            days = (due - today).days
            colour = SOON_FILL if 0 <= days <= SOON_DAYS else OVERDUE_FILL if days < 0 else None
        for column in (DEADLINE, DUE):
            if column not in where:
                continue
            cell = sheet.cell(number, where[column])
            ours = cell.fill is not None and cell.fill.fgColor is not None and cell.fill.fgColor.rgb in (SOON_FILL, OVERDUE_FILL)
            if colour:
                cell.fill = PatternFill("solid", fgColor=colour)
            elif ours:
                cell.fill = PatternFill(fill_type=None)


def _style_body(cell: Any, column: str) -> None:
    from openpyxl.styles import Alignment

    cell.alignment = Alignment(vertical="top", wrap_text=column in WRAP)
    if column == DUE:
        cell.number_format = "yyyy-mm-dd"


def _from_cell(column: str, value: Any) -> Any:
    """Cells back to row values: dates as ISO text in 截止日期, numbers as text in machine columns."""
    if value is None or value == "":
        return None
    if column == DUE:
        return value.date().isoformat() if isinstance(value, dt.datetime) else str(value)
    if column == SEQ:
        return int(value) if isinstance(value, int | float) and float(value).is_integer() else value
    if column in MACHINE_COLUMNS and not isinstance(value, str):
        return str(value)
    return value


def _to_cell(column: str, value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if column == DUE and isinstance(value, str):
        return _as_date(value) or value
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # form feeds from PDFs are not allowed in xlsx
    return value


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.datetime) and isinstance(new, dt.date):
        return old.date() == new
    return (old if old != "" else None) == (new if new != "" else None)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
