"""The one interface every ledger backend implements.

A backend provides five primitives — ``upsert``, ``get_rows`` (existing rows by
task_id), ``read``, ``update_human_fields`` and ``close`` — and inherits
``diff``, ``doc_ids``, ``records`` and ``seed``. The merge rules live in
:mod:`textkit.ledgers.rows`, so every backend applies the same ones.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Callable, Iterable, Mapping
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
from textkit.records import Document, Extraction, TaskRecord, check_records

if TYPE_CHECKING:
    import pandas as pd


class Ledger(abc.ABC):
    """A task ledger (落实台账): rows keyed by ``task_id``; people own the human columns."""

    #: Where the ledger lives, for messages (never holds a secret).
    name: str = "ledger"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every backend's ``upsert`` and ``seed_many`` validate their records first:
        a record the contract does not allow never reaches a ledger, whichever backend."""
        super().__init_subclass__(**kwargs)
        if "upsert" in cls.__dict__:
            cls.upsert = _validating_upsert(cls.__dict__["upsert"])  # type: ignore[method-assign]
        if "seed_many" in cls.__dict__:
            cls.seed_many = _validating_seed_many(cls.__dict__["seed_many"])  # type: ignore[method-assign]

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
        """Upsert one document's tasks with the document as 任务来源, and link them to the tasks already here
        (stored beside the rows, see :mod:`textkit.ledgers.links`; the links are left on ``last_links``)."""
        from textkit.ledgers.links import linking

        with linking(self, [extraction]):
            return self.upsert(extraction.tasks, document=extraction.document)

    def seed_many(self, extractions: Iterable[Extraction]) -> UpsertResult:
        """Seed several documents; file backends override this to read and write the file once."""
        from textkit.ledgers.links import linking

        batch = list(extractions)
        with linking(self, batch):  # linked as one batch, in date order, whatever order they come in
            results = [self.seed(extraction) for extraction in batch]
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


# --- validation at the boundary ---------------------------------------------------------


def _validating_upsert(upsert: Callable[..., UpsertResult]) -> Callable[..., UpsertResult]:
    if getattr(upsert, "_validates", False):
        return upsert

    @functools.wraps(upsert)
    def wrapper(self: Ledger, records: Iterable[TaskRecord], *args: Any, **kwargs: Any) -> UpsertResult:
        batch = list(records)
        validate_records(batch)
        return upsert(self, batch, *args, **kwargs)

    wrapper._validates = True  # type: ignore[attr-defined]
    return wrapper


def _validating_seed_many(seed_many: Callable[..., UpsertResult]) -> Callable[..., UpsertResult]:
    if getattr(seed_many, "_validates", False):
        return seed_many

    @functools.wraps(seed_many)
    def wrapper(self: Ledger, extractions: Iterable[Extraction], *args: Any, **kwargs: Any) -> UpsertResult:
        batch = list(extractions)
        for extraction in batch:
            validate_records(getattr(extraction, "tasks", ()))
        from textkit.ledgers.links import linking

        with linking(self, batch):
            return seed_many(self, batch, *args, **kwargs)

    wrapper._validates = True  # type: ignore[attr-defined]
    return wrapper


def validate_records(records: Iterable[object]) -> None:
    """Check each ``TaskRecord`` against the contract's one definition (``records.check_records``).

    Raises ``ValidationError`` naming the record's task_id and the offending field,
    before anything is written. Objects that are not ``TaskRecord`` are left to the
    backend (which refuses them with a ``LedgerError``).
    """
    check_records(records)
