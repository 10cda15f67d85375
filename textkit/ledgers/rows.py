"""What a ledger row is, and how a batch of records merges into existing rows.

Pure functions, no I/O: every backend loads rows, calls :func:`plan_upsert`,
and writes what the plan says. That is how all backends agree on the rules:

* a row is keyed by ``task_id``; the record itself is kept as canonical JSON
  (column ``record``) so it round-trips exactly, beside flat columns people read;
* *extracted* columns are rewritten when the record changed (its content hash);
* *human* columns (状态, 进展情况, 备注 and any column a person added) are set
  only when a row is first inserted and never touched again;
* ``序号`` is assigned once, on insert, as the next number in the ledger.

A row, as backends exchange it here, is a ``dict[str, Any]`` whose values are
``str``, ``int`` (序号 only) or ``None``; ``截止日期`` is an ISO date string.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from textkit.errors import LedgerError
from textkit.records import Document, TaskRecord

#: The 督办 workflow: a new row is 待办; people move it along 立项→交办→催办→办结→销号.
STATUSES: tuple[str, ...] = ("待办", "立项", "交办", "催办", "办结", "销号")
DEFAULT_STATUS = "待办"

KEY = "task_id"
SEQ = "序号"
SOURCE = "任务来源"
#: Columns derived from the record; rewritten when the record changes.
EXTRACTED_COLUMNS: tuple[str, ...] = (
    "工作任务", "牵头单位", "配合单位", "责任单位", "完成时限", "截止日期", "频次", "目标", "原文位置",
    "task_id", "doc_id", "kind", "parent_id", "path", "record", "content_hash",
)
#: Columns people fill in; set on insert only.
HUMAN_COLUMNS: tuple[str, ...] = ("状态", "进展情况", "备注")
#: Display order of every column textkit knows (people may add more).
LEDGER_COLUMNS: tuple[str, ...] = (
    SEQ, SOURCE, "工作任务", "牵头单位", "配合单位", "责任单位", "完成时限", "截止日期", "频次", "目标",
    "状态", "进展情况", "备注", "原文位置",
    "task_id", "doc_id", "kind", "parent_id", "path", "record", "content_hash",
)
MACHINE_COLUMNS: frozenset[str] = frozenset((SEQ, SOURCE, *EXTRACTED_COLUMNS))

_JOIN = "、"
_LIST_JOIN = "；"


def canonical_json(data: Any) -> str:
    """One spelling per value: sorted keys, Chinese as written, no spaces."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(record: TaskRecord) -> str:
    """Hash of the record's canonical JSON: equal hashes mean nothing was re-extracted differently."""
    return hashlib.sha256(canonical_json(record.to_dict()).encode("utf-8")).hexdigest()[:32]


def idempotency_key(record: TaskRecord) -> str:
    """``task_id`` plus content hash: a service may drop a repeat of the same key safely."""
    return f"{record.task_id}:{content_hash(record)}"


def source_label(document: Document | None) -> str | None:
    """任务来源 as people write it: ``标题（2024-03-01）``."""
    if document is None:
        return None
    title, date = document.title, document.date
    if title and date:
        return f"{title}（{date}）"
    return title or date or document.source or document.doc_id


def extracted_values(record: TaskRecord) -> dict[str, Any]:
    """The flat, human-readable columns of one record (plus its JSON and hash)."""
    lead = [o.name for o in record.owners if o.role == "lead"]
    support = [o.name for o in record.owners if o.role == "support"]
    deadline = record.deadline
    return {
        "工作任务": record.text,
        "牵头单位": _JOIN.join(lead) or None,
        "配合单位": _JOIN.join(support) or None,
        # 责任单位: every party told to act, lead first, as offices list them.
        "责任单位": _JOIN.join(dict.fromkeys([*lead, *support, *(o.name for o in record.owners)])) or None,
        # a due date from a convention (主汛期前 → the usual start of the main flood season) is shown as approximate
        "完成时限": (deadline.text + ("（约）" if deadline.estimated and deadline.due else "")) if deadline else None,
        "截止日期": deadline.due if deadline else None,
        "频次": _LIST_JOIN.join(c.text for c in record.cadence) or None,
        "目标": _LIST_JOIN.join(t.text for t in record.targets) or None,
        "原文位置": f"{record.span[0]}-{record.span[1]}",
        "task_id": record.task_id,
        "doc_id": record.doc_id,
        "kind": record.kind,
        "parent_id": record.parent_id,
        "path": record.path,
        "record": canonical_json(record.to_dict()),
        "content_hash": content_hash(record),
    }


def record_from_row(row: Mapping[str, Any]) -> TaskRecord:
    """The exact record a row was seeded from."""
    raw = row.get("record")
    if not raw:
        raise LedgerError(f"ledger row {row.get(KEY)!r} has no record JSON")
    return TaskRecord.from_dict(json.loads(raw) if isinstance(raw, str) else raw)


@dataclass(frozen=True)
class UpsertResult:
    """Counts of one upsert; ``task_ids`` are the batch's ids in order (duplicates collapsed)."""

    inserted: int
    updated: int
    unchanged: int
    task_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    """One extracted column of one row that an upsert would rewrite."""

    task_id: str
    column: str
    old: Any
    new: Any


@dataclass(frozen=True)
class LedgerDiff:
    """What an upsert would change, computed without writing."""

    inserted: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    changes: tuple[FieldChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.inserted and not self.updated

    def changes_for(self, task_id: str) -> dict[str, tuple[Any, Any]]:
        return {c.column: (c.old, c.new) for c in self.changes if c.task_id == task_id}


@dataclass
class UpsertPlan:
    """Rows to insert and column updates to apply, in batch order."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)

    def result(self) -> UpsertResult:
        return UpsertResult(len(self.inserts), len(self.updates), len(self.unchanged), tuple(self.task_ids))

    def diff(self) -> LedgerDiff:
        return LedgerDiff(
            inserted=tuple(r[KEY] for r in self.inserts),
            updated=tuple(self.updates),
            unchanged=tuple(self.unchanged),
            changes=tuple(self.changes),
        )


def unique_records(records: Iterable[TaskRecord]) -> list[TaskRecord]:
    """Materialise the batch first (so a failing iterator writes nothing); the last duplicate wins."""
    by_id: dict[str, TaskRecord] = {}
    for record in records:
        if not isinstance(record, TaskRecord):
            raise LedgerError(f"ledgers take TaskRecord objects, got {type(record).__name__}")
        by_id[record.task_id] = record
    return list(by_id.values())


def plan_upsert(
    existing: Mapping[str, Mapping[str, Any]],
    records: list[TaskRecord],
    *,
    document: Document | None = None,
    next_seq: int = 1,
) -> UpsertPlan:
    """Merge ``records`` into ``existing`` rows (keyed by task_id) under the rules above.

    ``document`` gives 任务来源 for records of that document; without it an
    existing 任务来源 is kept, so a later run without the document blanks nothing.
    """
    plan = UpsertPlan()
    for record in records:
        plan.task_ids.append(record.task_id)
        values = extracted_values(record)
        source = source_label(document) if document and document.doc_id == record.doc_id else None
        old = existing.get(record.task_id)
        if old is None:
            row = {SEQ: next_seq, SOURCE: source, **values, "状态": DEFAULT_STATUS, "进展情况": None, "备注": None}
            next_seq += 1
            plan.inserts.append(row)
            continue
        if source is not None:
            values[SOURCE] = source
        same_source = source is None or _norm(old.get(SOURCE)) == source
        if old.get("content_hash") == values["content_hash"] and same_source:
            # Same record: leave the row alone, even a hand-corrected extracted cell.
            plan.unchanged.append(record.task_id)
            continue
        changed = {
            column: new
            for column, new in values.items()
            if column != "content_hash" and _norm(old.get(column)) != _norm(new)
        }
        plan.updates[record.task_id] = {**changed, "content_hash": values["content_hash"]}
        plan.changes.extend(
            FieldChange(record.task_id, column, _norm(old.get(column)), _norm(new)) for column, new in changed.items()
        )
    return plan


def next_sequence(rows: Iterable[Mapping[str, Any]]) -> int:
    """One past the largest 序号 (people may delete rows; numbers are never reused within a run)."""
    best = 0
    for row in rows:
        try:
            best = max(best, int(row.get(SEQ) or 0))
        except (TypeError, ValueError):
            continue
    return best + 1


def check_human_fields(fields: Mapping[str, Any]) -> None:
    """Refuse writes to machine columns and states outside the 督办 workflow."""
    machine = sorted(set(fields) & MACHINE_COLUMNS)
    if machine:
        raise LedgerError(f"{', '.join(machine)} are extracted columns; only human columns can be edited")
    status = fields.get("状态")
    if status is not None and status not in STATUSES:
        raise LedgerError(f"状态 {status!r} is not one of {'/'.join(STATUSES)}")


def _norm(value: Any) -> Any:
    """Compare across backends: '' and None are both empty; dates compare as ISO text."""
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    return value
