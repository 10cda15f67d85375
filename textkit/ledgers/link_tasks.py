"""A ledger's tasks as linking sees them, without reading every row for every seed.

Linking needs, for every task a ledger holds, only a few small fields (its document,
date, 序号, kind, parent and content hash: the *meta*) and, for the few tasks the
n-gram index proposes, the whole record. :class:`HeldTasks` keeps those apart:

- the meta is read from the ledger each time (SQL: those columns only, never the
  ``record`` JSON; in SQLite from a covering index, so the table's pages holding
  the texts are not read either; a file ledger is one file, read whole as its own
  upsert does);
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from textkit.followups import TaskView, views
from textkit.ledgers.base import Ledger
from textkit.ledgers.rows import KEY, SEQ, SOURCE, content_hash, record_from_row
from textkit.link_index import LinkIndex
from textkit.records import TaskRecord

SUFFIX = ".links-index.npz"
_DATE = re.compile(r"[（(](\d{4}-\d{2}(?:-\d{2})?)[）)]\s*$")


class Meta(NamedTuple):
    """The small fields of one ledger row (a tuple: a seed makes one for every row it holds)."""

    doc_id: str
    date: str  # the document's date from 任务来源, "" when unknown
    seq: int
    kind: str
    parent: str
    content_hash: str


def _metas(rows: Iterable[Sequence[Any]]) -> dict[str, Meta]:
    """task_id → meta from (task_id, doc_id, 任务来源, 序号, kind, parent_id, content_hash) tuples, in their
    order; a document's date is read from its 任务来源 once, not once per row."""
    dates: dict[Any, str] = {}
    found: dict[str, Meta] = {}
    for task_id, doc_id, source, seq, kind, parent, digest in rows:
        date = dates.get(source)
        if date is None:
            match = _DATE.search(str(source or ""))
            date = dates[source] = match.group(1) if match else ""
        if type(seq) is not int:
            try:
                seq = int(seq or 0)
            except (TypeError, ValueError):
                seq = 0
        found[task_id] = Meta(str(doc_id or ""), date, seq, str(kind or ""), str(parent or ""), str(digest or ""))
    return found


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
        self.meta = self._read_meta()  # in (序号, task_id) order
        self.directives = [t for t, m in self.meta.items() if m.kind == "directive"]
        self.children: dict[str, list[str]] = {}
        for task_id, meta in self.meta.items():
            if meta.kind == "subtask" and meta.parent:
                self.children.setdefault(meta.parent, []).append(task_id)
        self._views: dict[str, TaskView] = {}
        self.fetched = 0  # rows whose records were parsed, for tests and benchmarks
        self.index, self.rebuilt = self._index()

    # --- the meta ------------------------------------------------------------------

    def _read_meta(self) -> dict[str, Meta]:
        """Every row's meta, in (序号, task_id) order. SQL: those columns only, sorted by the database and
        fetched in one go (a row object per row, not a mapping: this runs for every row at every seed)."""
        table = getattr(self.ledger, "table", None)
        engine = getattr(self.ledger, "engine", None)
        if engine is not None and table is not None:
            import sqlalchemy as sa

            c = table.c
            columns = [c[KEY], c.doc_id, c[SOURCE], c[SEQ], c.kind, c.parent_id, c.content_hash]
            with engine.connect() as conn:
                return _metas(conn.execute(sa.select(*columns).order_by(c[SEQ], c[KEY])).all())
        self._rows = self.ledger.get_rows()  # a file (or a service) is read whole anyway
        found = _metas((t, r.get("doc_id"), r.get(SOURCE), r.get(SEQ), r.get("kind"), r.get("parent_id"),
                        r.get("content_hash")) for t, r in self._rows.items() if r.get("record"))
        return dict(sorted(found.items(), key=lambda item: (item[1].seq, item[0])))

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
