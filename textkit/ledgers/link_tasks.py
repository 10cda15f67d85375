"""A ledger's tasks as linking sees them, without reading every row for every seed.

Linking needs, for every task a ledger holds, only a few small fields (its document,
date, 序号, kind, parent and content hash: the *meta*) and, for the few tasks the
n-gram index proposes, the whole record. :class:`HeldTasks` keeps those apart:

- the meta is read from the ledger each time (SQL: those columns only, never the
  ``record`` JSON; a file ledger is one file, read whole as its own upsert does);
- the n-gram index of the directives is kept beside the ledger
  (``ledger.db`` → ``ledger.db.<table>.links-index.npz``, ``台账.csv`` →
  ``台账.csv.links-index.npz``), written after each seed under the ledger's lock (a
  file ledger's own lock; for SQLite the same kind of OS lock on the index file) and
  checked against the meta when loaded: a task missing from it is added, a task
  whose content hash differs or that the ledger no longer holds makes it rebuilt;
- a directive's record (with its subtasks', whose owners and deadlines the view
  folds in) is fetched when the index proposes it, and kept for the seed.

PostgreSQL and HTTP ledgers have no file beside them: the index is built in memory
from the rows at each seed, as it would be without one (``persist=False``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from textkit.followups import TaskView, views
from textkit.ledgers.base import Ledger
from textkit.ledgers.rows import KEY, SEQ, SOURCE, content_hash, record_from_row
from textkit.link_index import LinkIndex
from textkit.records import TaskRecord

SUFFIX = ".links-index.npz"
_DATE = re.compile(r"[（(](\d{4}-\d{2}(?:-\d{2})?)[）)]\s*$")


@dataclass(frozen=True)
class Meta:
    """The small fields of one ledger row."""

    doc_id: str
    date: str  # the document's date from 任务来源, "" when unknown
    seq: int
    kind: str
    parent: str
    content_hash: str


def _meta(row: Mapping[str, Any]) -> Meta:
    found = _DATE.search(str(row.get(SOURCE) or ""))
    try:
        seq = int(row.get(SEQ) or 0)
    except (TypeError, ValueError):
        seq = 0
    return Meta(str(row.get("doc_id") or ""), found.group(1) if found else "", seq, str(row.get("kind") or ""),
                str(row.get("parent_id") or ""), str(row.get("content_hash") or ""))


def index_path(ledger: Ledger) -> Path | None:
    """Where the ledger's index lives: beside an SQLite database or a ledger file; None for the others."""
    engine = getattr(ledger, "engine", None)
    if engine is not None:
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return None
        folder = Path(database)
        return folder.with_name(f"{folder.name}.{ledger.table.name}{SUFFIX}")  # type: ignore[attr-defined]
    path = getattr(ledger, "path", None)
    return Path(path).with_name(Path(path).name + SUFFIX) if path is not None else None


@contextlib.contextmanager
def index_lock(ledger: Ledger, path: Path) -> Iterator[None]:
    """A file ledger's own lock (its writers hold it); for SQLite an OS lock on the index file."""
    from textkit.ledgers.files import ledger_lock

    own = getattr(ledger, "path", None)
    with ledger_lock(Path(own) if own is not None else path):
        yield


class HeldTasks(Mapping[str, TaskView]):
    """The directives a ledger holds: task_id → view, each fetched when first asked for."""

    def __init__(self, ledger: Ledger, *, persist: bool = True) -> None:
        self.ledger = ledger
        self.path = index_path(ledger) if persist else None
        self._rows: dict[str, dict[str, Any]] | None = None
        self.meta = self._read_meta()
        ordered = sorted(self.meta.items(), key=lambda item: (item[1].seq, item[0]))
        self.directives = [t for t, m in ordered if m.kind == "directive"]
        self.children: dict[str, list[str]] = {}
        for task_id, meta in ordered:
            if meta.kind == "subtask" and meta.parent:
                self.children.setdefault(meta.parent, []).append(task_id)
        self._views: dict[str, TaskView] = {}
        self.fetched = 0  # rows whose records were parsed, for tests and benchmarks
        self.index, self.rebuilt = self._index()

    # --- the meta ------------------------------------------------------------------

    def _read_meta(self) -> dict[str, Meta]:
        table = getattr(self.ledger, "table", None)
        engine = getattr(self.ledger, "engine", None)
        if engine is not None and table is not None:
            import sqlalchemy as sa

            c = table.c
            columns = [c[KEY], c.doc_id, c[SOURCE], c[SEQ], c.kind, c.parent_id, c.content_hash]
            with engine.connect() as conn:
                return {r[KEY]: _meta(r) for r in conn.execute(sa.select(*columns)).mappings()}
        self._rows = self.ledger.get_rows()  # a file (or a service) is read whole anyway
        return {t: _meta(r) for t, r in self._rows.items() if r.get("record")}

    def order(self, task_id: str) -> tuple[str, int]:
        """The view's ``order`` of a held task: (date, 序号)."""
        meta = self.meta[task_id]
        return (meta.date, meta.seq)

    # --- views, fetched on demand ----------------------------------------------------

    def prefetch(self, task_ids: Iterable[str]) -> None:
        """Fetch the records of these directives (and their subtasks) in one read."""
        wanted = [t for t in dict.fromkeys(task_ids) if t not in self._views and t in self.meta
                  and self.meta[t].kind == "directive"]
        if not wanted:
            return
        family = [x for t in wanted for x in (t, *self.children.get(t, ()))]
        rows = {t: self._rows[t] for t in family if t in self._rows} if self._rows is not None \
            else self.ledger.get_rows(family)
        self.fetched += len(rows)
        records: list[TaskRecord] = [record_from_row(rows[t]) for t in family if t in rows]
        for view in views(records):
            self._views[view.task_id] = replace(view, order=self.order(view.task_id))

    def __getitem__(self, task_id: str) -> TaskView:
        if task_id not in self._views:
            self.prefetch([task_id])
        return self._views[task_id]

    def __contains__(self, task_id: object) -> bool:
        return isinstance(task_id, str) and task_id in self.meta and self.meta[task_id].kind == "directive"

    def __iter__(self) -> Iterator[str]:
        return iter(self.directives)

    def __len__(self) -> int:
        return len(self.directives)

    # --- the index --------------------------------------------------------------------

    def _index(self) -> tuple[LinkIndex, bool]:
        """The saved index, checked against the meta and topped up; or one built from the records."""
        if self.path is not None and self.path.exists():
            try:
                index, hashes = load(self.path)
            except (OSError, ValueError, KeyError):
                index, hashes = None, {}
            if index is not None and all(t in self and self.meta[t].content_hash == h for t, h in hashes.items()):
                missing = [t for t in self.directives if t not in hashes]
                self.prefetch(missing)
                index.add(missing, [self._views[t].content for t in missing if t in self._views])
                return index, False
        self.prefetch(self.directives)
        index = LinkIndex()
        index.add(self.directives, [self._views[t].content for t in self.directives])
        return index, True

    def save(self, added: Iterable[TaskView], records: Iterable[TaskRecord]) -> None:
        """Write the index with ``added`` (the seed's directives, now rows; ``records`` theirs, for the
        content hashes the rows keep) under the ledger's lock."""
        if self.path is None:
            return
        self.index.add([v.task_id for v in added], [v.content for v in added])  # ids already in: no-ops
        hashes = {t: m.content_hash for t, m in self.meta.items() if m.kind == "directive"}
        hashes.update({r.task_id: content_hash(r) for r in records if r.kind == "directive"})
        with index_lock(self.ledger, self.path):
            save(self.path, self.index, hashes)


def save(path: Path, index: LinkIndex, hashes: Mapping[str, str]) -> None:
    """An index and each task's content hash as one ``.npz`` file, replaced whole (never half-written)."""
    from textkit.atomic import atomic_open

    ids, rows = index.export()
    with atomic_open(path, "wb") as fh:
        np.savez(fh, ids=np.array(ids, dtype=str), hashes=np.array([hashes.get(t, "") for t in ids], dtype=str),
                 data=rows.data, indices=rows.indices, indptr=rows.indptr)


def load(path: Path) -> tuple[LinkIndex, dict[str, str]]:
    """An index saved by :func:`save`, and task_id → content hash."""
    with np.load(path) as saved:
        ids = [str(x) for x in saved["ids"]]
        hashes = dict(zip(ids, (str(x) for x in saved["hashes"]), strict=True))
        index = LinkIndex.from_rows(ids, saved["data"], saved["indices"], saved["indptr"])
    return index, hashes
