"""``textkit ledger show URL`` and ``textkit ledger diff URL PATH…``, mounted by ``textkit.cli``.

Thin over :func:`textkit.ledgers.open_ledger`, ``Ledger.read`` and
``Ledger.diff``. Errors are one line on stderr with exit code 1.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.cli_support import parse_ref_date, report
from textkit.errors import InputError, TextkitError
from textkit.records import Document, Extraction, TaskRecord

ledger_app = typer.Typer(
    name="ledger", help="Look into task ledgers (落实台账) and preview re-seeding.", no_args_is_help=True
)

SHOW_COLUMNS = ("序号", "工作任务", "责任单位", "完成时限", "截止日期", "状态", "进展情况")  # 责任单位: every owner, lead first


class ShowFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


@ledger_app.command("show")
def show(
    url: Annotated[str, typer.Argument(help="The ledger: sqlite:///ledger.db, 台账.xlsx, ledger.csv, https://…")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table (key columns), csv or jsonl (every column).")] = ShowFormat.table,
    width: Annotated[int, typer.Option(help="Characters of 工作任务 shown in the table.")] = 30,
) -> None:
    """Print every row of a ledger."""
    from textkit.ledgers import open_ledger

    try:
        _must_exist(url)
        with open_ledger(url) as ledger:
            frame = ledger.read()
    except TextkitError as exc:
        _fail(str(exc))
    if fmt is ShowFormat.csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif fmt is ShowFormat.jsonl:
        for row in frame.to_dict("records"):
            typer.echo(json.dumps(row, ensure_ascii=False, default=str))
    else:
        typer.echo(render_table(frame.to_dict("records"), width=width))


@ledger_app.command("diff")
def diff(
    url: Annotated[str, typer.Argument(help="The ledger to compare against.")],
    paths: Annotated[list[Path], typer.Argument(help="Extraction JSON ({document, tasks}), task JSONL, or documents to extract.")],
    ref_date: Annotated[str | None, typer.Option("--ref-date", help="Reference date when documents are extracted, YYYY-MM-DD.")] = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when the ledger would change (like git diff).")] = False,
) -> None:
    """Show what seeding PATH… into the ledger would insert and update, without writing."""
    from textkit.ledgers import open_ledger

    changed = False
    try:
        _must_exist(url)
        with open_ledger(url) as ledger:
            for path in paths:
                tasks, document = load_records(path, ref_date=parse_ref_date(ref_date))
                result = ledger.diff(tasks, document=document)
                changed = changed or not result.is_empty
                typer.echo(f"{path}: {len(result.inserted)} to insert, {len(result.updated)} to update, "
                           f"{len(result.unchanged)} unchanged")
                for task_id in result.inserted:
                    typer.echo(f"  + {task_id}")
                for task_id in result.updated:
                    typer.echo(f"  ~ {task_id}")
                    for column, (old, new) in result.changes_for(task_id).items():
                        typer.echo(f"      {column}: {_short(old)} → {_short(new)}")
    except TextkitError as exc:
        _fail(str(exc))
    if exit_code and changed:
        raise typer.Exit(1)


def load_records(path: Path, *, ref_date: date | None = None) -> tuple[tuple[TaskRecord, ...], Document | None]:
    """Records to seed from ``path``: textkit's JSON output, task JSON Lines, or a document to extract.

    Task JSON Lines carry no document, so 任务来源 already in the ledger is kept.
    """
    suffix = path.suffix.lower()
    if suffix not in (".json", ".jsonl"):
        from textkit.pipeline import extract_file

        extraction = extract_file(path, ref_date=ref_date)
        return extraction.tasks, extraction.document
    try:
        text = path.read_text(encoding="utf-8")
        if suffix == ".json":
            extraction = Extraction.from_dict(json.loads(text))
            return extraction.tasks, extraction.document
        return tuple(TaskRecord.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()), None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"not textkit JSON output ({exc})") from exc


def render_table(rows: list[dict[str, Any]], *, width: int = 30) -> str:
    """A plain aligned table of the key columns (CJK characters count double)."""
    if not rows:
        return "(empty ledger)"
    cells = [[_short(row.get(c), width if c == "工作任务" else 16) for c in SHOW_COLUMNS] for row in rows]
    header = list(SHOW_COLUMNS)
    widths = [max(_width(x) for x in column) for column in zip(header, *cells, strict=True)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(line, widths, strict=True)).rstrip() for line in [header, *cells]]
    return "\n".join(lines)


def _short(value: Any, limit: int = 40) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _must_exist(url: str) -> None:
    """Looking into a ledger must not create one: a mistyped SQLite path would become an empty database."""
    from textkit.errors import LedgerError
    from textkit.ledgers.sql import sqlite_file

    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise LedgerError(f"{path}: no such ledger (an SQLite file is created by the first seed, "
                          "e.g. textkit extract SPEECH --to URL)")


def _fail(message: str) -> None:
    report(message)
    raise typer.Exit(1)


from textkit.ledgers import links_cli as _links_cli  # noqa: E402,F401  (registers links, history, stale)
