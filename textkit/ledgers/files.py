"""Ledgers kept in one file: CSV (UTF-8 with BOM, so Excel opens it) and JSON Lines.

A file ledger is read whole, merged in memory and written whole to a temporary
file in the same directory, then moved over the old one with ``os.replace``:
an interrupted run leaves either the old file or the new one, never half.
Columns a person added (a header in the CSV, a key in a JSON line) are kept,
in the place the person put them. Writers in any number of processes take
turns under an OS file lock (``filelock``) held across read, merge and write.
"""

from __future__ import annotations

import contextlib
import csv
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from textkit.atomic import atomic_open, ensure_folder, real_target, remove_stale_temps
from textkit.errors import LedgerError
from textkit.ledgers.base import Ledger, rows_frame, sum_results
from textkit.ledgers.rows import (
    KEY,
    LEDGER_COLUMNS,
    SEQ,
    UpsertResult,
    canonical_json,
    check_human_fields,
    next_sequence,
    plan_upsert,
    unique_records,
)
from textkit.records import Document, Extraction, TaskRecord

if TYPE_CHECKING:
    import pandas as pd

Rows = list[dict[str, Any]]
LOCK_TIMEOUT = 300.0  # seconds to wait for other writers; eight saving a big workbook in turn take minutes

__all__ = ["CSVLedger", "FileLedger", "JSONLinesLedger", "atomic_open", "is_formula_like", "ledger_lock"]


def file_path(url: str) -> Path:
    """``file:///x/y.csv`` or a plain path."""
    return Path(url[len("file://"):] if url.startswith("file://") else url).expanduser()


_held = threading.local()  # the lock files this thread holds: taking one again inside is a no-op


@contextlib.contextmanager
def ledger_lock(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the OS lock of a file ledger (``.<name>.lock`` beside the real file) across processes.

    Every read-modify-write of a file ledger runs under it, so concurrent CLI
    runs and the service's worker processes queue instead of overwriting each
    other's rows. Temp files a killed writer left behind are removed once held.
    Re-entrant in one thread: a seed holds it from linking to the last write and
    the upsert inside takes it again (a second OS lock on the file would wait for the first).
    """
    import filelock

    target = real_target(path)
    ensure_folder(target.parent)
    name = target.parent / f".{target.name}.lock"
    held: set[Path] = _held.__dict__.setdefault("files", set())
    if name in held:
        yield
        return
    lock = filelock.FileLock(name, timeout=timeout)
    try:
        with lock:
            held.add(name)
            try:
                remove_stale_temps(target)
                yield
            finally:
                held.discard(name)
    except filelock.Timeout:
        raise LedgerError(f"{path}: another process has held the ledger's lock for {timeout:.0f} s; "
                          "try again when it has finished") from None


def merged_columns(existing: Iterable[str]) -> list[str]:
    """A person's column order first, then any known column the file lacks."""
    columns = list(dict.fromkeys(existing))
    return columns + [c for c in LEDGER_COLUMNS if c not in columns]


class FileLedger(Ledger):
    """Shared merge logic for whole-file backends; subclasses only load and dump."""

    suffix = ""

    def __init__(self, url: str, **options: Any) -> None:
        if options:
            raise LedgerError(f"{url}: unknown options {', '.join(sorted(options))}")
        self.path = file_path(url)
        self.name = str(self.path)

    # -- what a subclass provides -------------------------------------------------
    def _load(self) -> tuple[list[str], Rows]:
        raise NotImplementedError

    def _dump(self, columns: list[str], rows: Rows) -> None:
        raise NotImplementedError

    # -- the Ledger interface -----------------------------------------------------
    def writer_lock(self) -> contextlib.AbstractContextManager[None]:
        """The file's lock, held by a seed from linking to the last write (see :func:`ledger_lock`)."""
        return ledger_lock(self.path)

    def upsert(self, records: Iterable[TaskRecord], *, document: Document | None = None) -> UpsertResult:
        return self._upsert_groups([(unique_records(records), document)])

    def seed_many(self, extractions: Iterable[Extraction]) -> UpsertResult:
        """One read and one atomic write for the whole run (rewriting a big workbook per document is slow)."""
        return self._upsert_groups([(unique_records(e.tasks), e.document) for e in extractions])

    def _upsert_groups(self, groups: list[tuple[list[TaskRecord], Document | None]]) -> UpsertResult:
        with ledger_lock(self.path):  # read, merge and write as one step against other processes
            return self._upsert_locked(groups)

    def _upsert_locked(self, groups: list[tuple[list[TaskRecord], Document | None]]) -> UpsertResult:
        columns, rows = self._load()
        by_id = {row[KEY]: row for row in rows if row.get(KEY)}
        next_seq = next_sequence(rows)
        results, inserts, dirty = [], [], not self.path.exists()
        for batch, document in groups:
            plan = plan_upsert(by_id, batch, document=document, next_seq=next_seq)
            for task_id, values in plan.updates.items():
                by_id[task_id].update(values)
            for row in plan.inserts:
                by_id[row[KEY]] = row
            next_seq += len(plan.inserts)
            inserts.extend(plan.inserts)
            dirty = dirty or bool(plan.inserts or plan.updates)
            results.append(plan.result())
        if dirty:
            self._write(columns, rows + inserts)
        return sum_results(results)

    def get_rows(self, task_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        _, rows = self._load()
        wanted = None if task_ids is None else set(task_ids)
        return {r[KEY]: r for r in rows if r.get(KEY) and (wanted is None or r[KEY] in wanted)}

    def read(self) -> pd.DataFrame:
        columns, rows = self._load()
        return rows_frame(rows, columns)

    def update_human_fields(self, task_id: str, **fields: Any) -> None:
        check_human_fields(fields)
        with ledger_lock(self.path):
            self._update_locked(task_id, fields)

    def _update_locked(self, task_id: str, fields: dict[str, Any]) -> None:
        columns, rows = self._load()
        for row in rows:
            if row.get(KEY) == task_id:
                row.update(fields)
                self._write(columns + [c for c in fields if c not in columns], rows)
                return
        raise LedgerError(f"{self.name}: no row with task_id {task_id!r}")

    def _write(self, columns: list[str], rows: Rows) -> None:
        try:
            self._dump(merged_columns(columns), rows)
        except OSError as exc:
            raise LedgerError(f"{self.name}: cannot write the ledger: {exc.strerror or exc}") from exc

    def _read_text(self, reader: Callable[[IO[str]], tuple[list[str], Rows]], encoding: str) -> tuple[list[str], Rows]:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return list(LEDGER_COLUMNS), []
        try:
            with self.path.open(encoding=encoding, newline="") as fh:
                return reader(fh)
        except UnicodeDecodeError as exc:
            raise LedgerError(f"{self.name}: not UTF-8 text ({exc.reason})") from exc
        except OSError as exc:
            raise LedgerError(f"{self.name}: cannot read the ledger: {exc.strerror or exc}") from exc


#: What makes a spreadsheet read a cell as a formula (OWASP CSV injection): = + - @ tab CR.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """A string a spreadsheet would evaluate: ``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3``, a DDE ``=cmd|…``."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _csv_out(value: Any) -> Any:
    """A CSV cell: formula-like text gets OWASP's ``'`` prefix, so Excel shows it instead of running it."""
    if value is None:
        return ""
    return "'" + value if is_formula_like(value) else value


def _cell_in(column: str, text: str) -> Any:
    if text == "":
        return None
    if text.startswith("'") and is_formula_like(text[1:]):  # our own guard; the value is what follows it
        text = text[1:]
    if column == SEQ:
        try:
            return int(text)
        except ValueError:
            return text
    return text


class CSVLedger(FileLedger):
    """``path.csv``: one header row, one row per task; UTF-8 with BOM, empty cell = null;
    text starting with = + - @ tab or CR is written with a leading ``'`` (read back without it)."""

    suffix = ".csv"

    def _load(self) -> tuple[list[str], Rows]:
        def reader(fh: IO[str]) -> tuple[list[str], Rows]:
            table = csv.reader(fh)
            header = [_cell_in("", h) or "" for h in next(table, [])]
            rows = [
                {c: _cell_in(c, v) for c, v in zip(header, line, strict=False)}
                for line in table
                if any(line)
            ]
            return header, rows

        return self._read_text(reader, "utf-8-sig")

    def _dump(self, columns: list[str], rows: Rows) -> None:
        with atomic_open(self.path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([_csv_out(c) for c in columns])
            for row in rows:
                writer.writerow([_csv_out(row.get(c)) for c in columns])


class JSONLinesLedger(FileLedger):
    """``path.jsonl``: one JSON object a line; the task record sits under ``"record"`` as an object."""

    suffix = ".jsonl"

    def _load(self) -> tuple[list[str], Rows]:
        def reader(fh: IO[str]) -> tuple[list[str], Rows]:
            columns: dict[str, None] = dict.fromkeys(LEDGER_COLUMNS)
            rows: Rows = []
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise LedgerError(f"{self.name}:{number}: not JSON ({exc.msg})") from exc
                if not isinstance(row, dict):
                    raise LedgerError(f"{self.name}:{number}: a ledger line must be a JSON object")
                if isinstance(row.get("record"), dict):
                    row["record"] = canonical_json(row["record"])
                columns.update(dict.fromkeys(row))
                rows.append(row)
            return list(columns), rows

        return self._read_text(reader, "utf-8")

    def _dump(self, columns: list[str], rows: Rows) -> None:
        with atomic_open(self.path, "w", encoding="utf-8", newline="\n") as fh:
            for row in rows:
                line = {c: row.get(c) for c in columns}
                record = line.get("record")
                if isinstance(record, str):
                    line["record"] = json.loads(record)
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
