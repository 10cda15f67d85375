"""The one interface every ledger backend implements.

A backend provides five primitives — ``upsert``, ``get_rows`` (existing rows by
task_id), ``read``, ``update_human_fields`` and ``close`` — and inherits
``diff``, ``doc_ids``, ``records`` and ``seed``. The merge rules live in
:mod:`textkit.ledgers.rows`, so every backend applies the same ones.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from textkit.ledgers.rows import (
    LEDGER_COLUMNS,
    LedgerDiff,
    UpsertResult,
    plan_upsert,
    record_from_row,
    unique_records,
)
from textkit.records import Document, Extraction, TaskRecord

if TYPE_CHECKING:
    import pandas as pd


class Ledger(abc.ABC):
    """A task ledger (落实台账): rows keyed by ``task_id``; people own the human columns."""

    #: Where the ledger lives, for messages (never holds a secret).
    name: str = "ledger"

    @abc.abstractmethod
    def upsert(self, records: Iterable[TaskRecord], *, document: Document | None = None) -> UpsertResult:
        """Insert new records, rewrite changed extracted columns, leave the rest; all or nothing."""

    @abc.abstractmethod
    def get_rows(self, task_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """Existing rows keyed by task_id (all rows when ``task_ids`` is None)."""

    @abc.abstractmethod
    def read(self) -> pd.DataFrame:
        """Every row, in 序号 order: :data:`LEDGER_COLUMNS` first, then columns people added."""

    @abc.abstractmethod
    def update_human_fields(self, task_id: str, **fields: Any) -> None:
        """Set 状态/进展情况/备注 or an added column of one row, as a person would."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing open
        """Release connections or handles; the ledger stays as written."""

    def diff(self, records: Iterable[TaskRecord], *, document: Document | None = None) -> LedgerDiff:
        """What :meth:`upsert` would change, without writing."""
        batch = unique_records(records)
        existing = self.get_rows([r.task_id for r in batch])
        return plan_upsert(existing, batch, document=document).diff()

    def doc_ids(self) -> set[str]:
        """Documents already in the ledger, so a bulk run can skip them and resume."""
        return {row["doc_id"] for row in self.get_rows().values() if row.get("doc_id")}

    def records(self) -> list[TaskRecord]:
        """The task records as they were seeded, in 序号 order."""
        frame = self.read()
        return [record_from_row(row) for row in frame.to_dict("records")]

    def seed(self, extraction: Extraction) -> UpsertResult:
        """Upsert one document's tasks with the document as 任务来源."""
        return self.upsert(extraction.tasks, document=extraction.document)

    def seed_many(self, extractions: Iterable[Extraction]) -> UpsertResult:
        """Seed several documents; file backends override this to read and write the file once."""
        results = [self.seed(extraction) for extraction in extractions]
        return sum_results(results)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def sum_results(results: Iterable[UpsertResult]) -> UpsertResult:
    inserted = updated = unchanged = 0
    task_ids: list[str] = []
    for result in results:
        inserted, updated, unchanged = inserted + result.inserted, updated + result.updated, unchanged + result.unchanged
        task_ids.extend(result.task_ids)
    return UpsertResult(inserted, updated, unchanged, tuple(task_ids))


def rows_frame(rows: Iterable[Mapping[str, Any]], extra_columns: Iterable[str] = ()) -> pd.DataFrame:
    """A DataFrame with the known columns first; object dtype keeps ``None`` as ``None``."""
    import pandas as pd

    columns = [*LEDGER_COLUMNS, *(c for c in extra_columns if c not in LEDGER_COLUMNS)]
    data = sorted(rows, key=_seq_key)
    frame = pd.DataFrame([[row.get(c) for c in columns] for row in data], columns=columns, dtype=object)
    return frame


def _seq_key(row: Mapping[str, Any]) -> tuple[int, str]:
    try:
        return (int(row.get("序号") or 0), str(row.get("task_id")))
    except (TypeError, ValueError):
        return (0, str(row.get("task_id")))
