"""``textkit ledger links|history|stale``: the follow-up links kept beside a ledger.

Registered on ``textkit ledger`` by :mod:`textkit.ledgers.cli`. Read-only:
none of these commands writes to the ledger.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from textkit.errors import TextkitError
from textkit.followups import Link, chain, is_exhortation
from textkit.ledgers.cli import _fail, _must_exist, _pad, _short, _width, ledger_app

CLOSED = ("办结", "销号")
_DATE = re.compile(r"[（(](\d{4}-\d{2}(?:-\d{2})?)[）)]\s*$")


class LinkFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


@dataclass(frozen=True)
class Row:
    """What the link commands show of one ledger row."""

    task_id: str
    heading: str
    date: str
    deadline: str
    target: str
    status: str
    kind: str


def _load(url: str) -> tuple[list[Link], dict[str, Row]]:
    from textkit.ledgers import open_ledger
    from textkit.ledgers.links import link_store

    try:
        _must_exist(url)
        with open_ledger(url) as ledger:
            links = link_store(ledger).all()
            frame = ledger.read()
    except TextkitError as exc:
        _fail(str(exc))
    rows: dict[str, Row] = {}
    for row in frame.to_dict("records"):
        record = json.loads(row["record"]) if isinstance(row.get("record"), str) else (row.get("record") or {})
        found = _DATE.search(str(row.get("任务来源") or ""))
        rows[str(row["task_id"])] = Row(
            task_id=str(row["task_id"]),
            heading=record.get("heading") or _text(row.get("工作任务")),
            date=found.group(1) if found else "",
            deadline=_text(row.get("完成时限")),
            target=_text(row.get("目标")),
            status=_text(row.get("状态")),
            kind=_text(row.get("kind")),
        )
    return links, rows


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _table(header: list[str], lines: list[list[str]]) -> str:
    widths = [max(_width(x) for x in column) for column in zip(header, *lines, strict=True)]
    return "\n".join("  ".join(_pad(v, w) for v, w in zip(line, widths, strict=True)).rstrip()
                     for line in [header, *lines])


@ledger_app.command("links")
def links(
    url: Annotated[str, typer.Argument(help="The ledger: sqlite:///ledger.db, 台账.xlsx, ledger.csv, https://…")],
    fmt: Annotated[LinkFormat, typer.Option("--format", "-f", help="json (a list), jsonl (one link a line) or table.")]
    = LinkFormat.json,
) -> None:
    """Print every follow-up link of a ledger as the contract's {task_id, follows, relation, score}."""
    found, rows = _load(url)
    if fmt is LinkFormat.json:
        typer.echo(json.dumps([x.to_dict() for x in found], ensure_ascii=False, indent=1))
    elif fmt is LinkFormat.jsonl:
        for item in found:
            typer.echo(json.dumps(item.to_dict(), ensure_ascii=False))
    else:
        empty = Row("", "", "", "", "", "", "")
        lines = [[x.task_id, _short(rows.get(x.task_id, empty).heading, 20), x.relation, f"{x.score:.2f}",
                  x.follows, _short(rows.get(x.follows, empty).heading, 20)] for x in found]
        typer.echo(_table(["task_id", "工作任务", "relation", "score", "follows", "原任务"], lines)
                   if lines else "(no links)")


@ledger_app.command("history")
def history(
    url: Annotated[str, typer.Argument(help="The ledger.")],
    task_id: Annotated[str, typer.Argument(help="Any task of the chain.")],
) -> None:
    """Show a task's chain across documents: dates, deadline moves and target changes."""
    found, rows = _load(url)
    if task_id not in rows:
        _fail(f"{url}: no task {task_id!r} in this ledger")
    previous: Row | None = None
    for step, via in chain(task_id, found):
        row = rows.get(step, Row(step, "(not in ledger)", "", "", "", "", ""))
        mark = "*" if step == task_id else " "
        how = f"{via.relation} ({via.score:.2f})" if via else "first asked"
        typer.echo(f"{mark} {row.date or '????-??-??'}  {step}  {how}  {row.heading}")
        if previous is not None and row.deadline != previous.deadline and (row.deadline or previous.deadline):
            typer.echo(f"      deadline: {previous.deadline or '—'} → {row.deadline or '—'}")
        if previous is not None and row.target != previous.target and (row.target or previous.target):
            typer.echo(f"      target: {previous.target or '—'} → {row.target or '—'}")
        previous = row


@ledger_app.command("stale")
def stale(
    url: Annotated[str, typer.Argument(help="The ledger.")],
    since: Annotated[str, typer.Option("--since", help="YYYY-MM-DD: tasks no document since this date returned to.")],
) -> None:
    """List open directives whose chain ends before SINCE: work nobody has asked about since."""
    try:
        cutoff = date.fromisoformat(since).isoformat()
    except ValueError:
        _fail(f"--since {since!r} is not a date (YYYY-MM-DD)")
    found, rows = _load(url)
    followed = {x.follows for x in found}
    lines = []
    for row in rows.values():
        if row.kind != "directive" or row.status in CLOSED or row.task_id in followed or is_exhortation(row.heading):
            continue
        if row.date and row.date < cutoff:
            lines.append([row.date, row.task_id, row.status or "—", _short(row.deadline, 16), _short(row.heading, 30)])
    lines.sort()
    typer.echo(_table(["date", "task_id", "状态", "完成时限", "工作任务"], lines) if lines else "(no stale tasks)")
