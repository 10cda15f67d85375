"""The one interface every ledger backend implements.

A backend provides five primitives — ``upsert``, ``get_rows`` (existing rows by
task_id), ``read``, ``update_human_fields`` and ``close`` — and inherits
``diff``, ``doc_ids``, ``records`` and ``seed``. The merge rules live in
:mod:`textkit.ledgers.rows`, so every backend applies the same ones.
"""

from __future__ import annotations

import abc
import dataclasses
import functools
import math
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from textkit.errors import ValidationError
from textkit.ledgers.rows import (
    LEDGER_COLUMNS,
    LedgerDiff,
    UpsertResult,
    plan_upsert,
    record_from_row,
    unique_records,
)
from textkit.records import Document, Extraction, TaskRecord, json_schema

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
    """Check each record against the task-record JSON Schema (plus: no fields beyond it).

    Raises ``ValidationError`` naming the record's task_id and the offending field,
    before anything is written. Objects that are not ``TaskRecord`` are left to the
    backend (which refuses them with a ``LedgerError``).
    """
    schema = _task_schema()
    allowed = set(schema["properties"])
    for record in records:
        if not isinstance(record, TaskRecord):
            continue
        tid = getattr(record, "task_id", None)
        extra = sorted({f.name for f in dataclasses.fields(record)} - allowed)
        extra += sorted(set(vars(record)) - allowed - set(extra)) if hasattr(record, "__dict__") else []
        if extra:
            raise ValidationError(f"task {tid!r}: field {extra[0]!r} is not in the task-record contract")
        try:
            data = record.to_dict()
        except Exception as exc:  # noqa: BLE001 - a malformed nested value
            raise ValidationError(f"task {tid!r}: cannot be serialised ({exc})") from None
        problem = _schema_problem(data, schema, "")
        if problem:
            raise ValidationError(f"task {tid!r}: field {problem}")
        if not data["task_id"] or not data["doc_id"]:
            raise ValidationError(f"task {tid!r}: field 'task_id'/'doc_id' is empty")
        start, end = data["span"]
        if start > end:
            raise ValidationError(f"task {tid!r}: field 'span' {data['span']} is not an ordered pair")


@functools.cache
def _task_schema() -> dict[str, Any]:
    return json_schema()["$defs"]["task"]


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _schema_problem(value: Any, schema: Mapping[str, Any], where: str) -> str | None:
    """The first way ``value`` breaks ``schema`` (the subset json_schema() uses), or None."""
    name = where or "record"
    if "enum" in schema and value not in schema["enum"]:
        return f"{name!r} = {value!r} is not one of {schema['enum']}"
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_TYPES[k](value) for k in kinds):
            return f"{name!r} = {value!r} is not of type {'/'.join(kinds)}"
    if value is None:
        return None
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        return f"{name!r} is empty"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"{name!r} = {value!r} is below {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            return f"{name!r} = {value!r} is above {schema['maximum']}"
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                return f"{(where + '.' if where else '') + key!r} is missing"
        for key, item in value.items():
            path = f"{where}.{key}" if where else key
            if key not in props:
                return f"{path!r} is not in the task-record contract"
            problem = _schema_problem(item, props[key], path)
            if problem:
                return problem
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            return f"{name!r} has {len(value)} items"
        items = schema.get("items")
        if items:
            for i, item in enumerate(value):
                problem = _schema_problem(item, items, f"{where}[{i}]")
                if problem:
                    return problem
    return None
