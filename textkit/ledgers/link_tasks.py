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
  whose content hash differs or that the ledger no longer holds makes it rebuilt.
  A seed appends only its own tasks, as a small chunk file after the base
  (``….links-index.npz.000007.npz``); the whole index is written again, the chunks
  folded in and removed, once they pile up (:data:`MAX_CHUNKS`, :data:`CHUNK_SHARE`);
- a directive's record (with its subtasks', whose owners and deadlines the view
  folds in) is fetched when the index proposes it, and kept for the seed.

PostgreSQL and HTTP ledgers have no file beside them: the index is built in memory
from the rows at each seed, as it would be without one (``persist=False``).

A process that seeds the same SQLite ledger again and again (``textkit bulk``'s parent, a service,
a notebook) keeps its :class:`HeldTasks` between seeds (:func:`for_seed`, :func:`remember`) and only
extends it with the rows written since (序号 above the last it saw, and the rows its own last seed
touched), after checking that nobody else changed the ledger: the row count, and the index file as
this process left it. Anything else (another seeder, a deleted row, a changed kind) means the full
read, as a fresh process would do.
"""

from __future__ import annotations

import contextlib
import re
from collections import OrderedDict
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
#: a keyed seeder keeps the views and meta it read for later seeds (a bulk run's documents keep proposing the
#: same earlier tasks), up to this many each; past it the cache starts again empty: bounded, not per row
CACHED = 20_000
#: ledgers whose held tasks a process keeps between seeds (a few: each holds its ledger's index)
KEPT = 4
#: a seed appends its tasks to the saved index as a chunk file; past this many chunks, or once they hold a
#: quarter of the tasks the base holds, the next save writes the whole index again and removes them
MAX_CHUNKS = 32
CHUNK_SHARE = 0.25
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


_META_COLUMNS = ("doc_id", SOURCE, SEQ, "kind", "parent_id", "content_hash")


def _meta_columns(table: Any) -> list[Any]:
    c = table.c
    return [c[KEY], *(c[name] for name in _META_COLUMNS)]


class KeyedMeta(Mapping[str, Meta]):
    """A kept seeder's meta: the rows a seed asks about, read from the SQLite ledger by key and kept for that
    seed only, instead of every row's meta held in the process (which grew with the ledger: ≈ 0.5 KB a row,
    100 MB at 10,000 bulk documents). ``reads`` and ``rows_read`` count the queries and rows, for tests."""

    def __init__(self, ledger: Ledger) -> None:
        self.engine, self.table = ledger.engine, ledger.table  # type: ignore[attr-defined]
        self._cache: dict[str, Meta | None] = {}
        self.reads = 0
        self.rows_read = 0

    def clear(self) -> None:
        self._cache = {}

    def forget(self, task_ids: Iterable[str]) -> None:
        """Drop these rows (written since they were read)."""
        for task_id in task_ids:
            self._cache.pop(task_id, None)

    def trim(self) -> None:
        """Between seeds: start again empty once past :data:`CACHED` rows (bounded, whatever the ledger)."""
        if len(self._cache) > CACHED:
            self._cache = {}

    def put(self, found: Mapping[str, Meta]) -> None:
        self._cache.update(found)

    def load(self, task_ids: Iterable[str]) -> None:
        """Read the meta of the ``task_ids`` not asked about yet, in one query per 500."""
        import sqlalchemy as sa

        missing = sorted({t for t in task_ids if t not in self._cache})
        if not missing:
            return
        key = self.table.c[KEY]
        with self.engine.connect() as conn:
            for part in range(0, len(missing), 500):
                rows = conn.execute(sa.select(*_meta_columns(self.table)).where(key.in_(missing[part:part + 500]))).all()
                self.reads += 1
                self.rows_read += len(rows)
                self._cache.update(_metas(rows))
        for task_id in missing:
            self._cache.setdefault(task_id, None)

    def __getitem__(self, task_id: str) -> Meta:
        if task_id not in self._cache:
            self.load([task_id])
        found = self._cache[task_id]
        if found is None:
            raise KeyError(task_id)
        return found

    def __contains__(self, task_id: object) -> bool:
        if not isinstance(task_id, str):
            return False
        if task_id not in self._cache:
            self.load([task_id])
        return self._cache[task_id] is not None

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a kept seeder's meta is read by key, never walked")

    def __len__(self) -> int:
        raise TypeError("a kept seeder's meta is read by key, never counted")


class HeldTasks(Mapping[str, TaskView]):
    """The directives a ledger holds: task_id → view, each fetched when first asked for.

    Read afresh, it holds every row's meta (the index is checked against it). Kept between seeds of an
    SQLite ledger (:func:`remember`), it turns *keyed*: the meta is read by key for the rows a seed asks
    about (:class:`KeyedMeta`), and the index's large chunks live in a spill folder, memory-mapped
    (:class:`LinkIndex`), so the process holds no per-row state but the index's ids.
    """

    def __init__(self, ledger: Ledger, *, persist: bool = True) -> None:
        self.ledger = ledger
        self.path = index_path(ledger) if persist else None
        self._rows: dict[str, dict[str, Any]] | None = None
        self.meta: Mapping[str, Meta] = self._read_meta()  # in (序号, task_id) order
        self._directives: list[str] | None = [t for t, m in self.meta.items() if m.kind == "directive"]
        self._first: dict[str, tuple[str, int] | None] = {}  # doc_id → its first directive's order, per seed
        self._count = 0  # rows in the ledger when keyed (the meta is not held then)
        self._written: dict[str, tuple[str, str, str]] = {}  # the last seed's rows: kind, parent, content hash
        self._spill: Path | None = None
        self.children: dict[str, list[str]] = {}
        for task_id, meta in self.meta.items():
            if meta.kind == "subtask" and meta.parent:
                self.children.setdefault(meta.parent, []).append(task_id)
        self._views: dict[str, TaskView] = {}
        self.fetched = 0  # rows whose records were parsed, for tests and benchmarks
        self._hashes: dict[str, str] = {}  # directive → content hash, as the index file holds them
        self._stored: int | None = None  # how many of the index's tasks its files hold (None: write it whole)
        self._base = 0  # how many of them the base file holds (the rest are in chunks)
        self.index, self.rebuilt = self._index()
        self._top = max((m.seq for m in self.meta.values()), default=0)  # the last 序号 seen
        self._count = len(self.meta)
        self._touched: list[str] = []  # the task_ids the last seed wrote (updated in place, or new)
        self._left: tuple[Any, ...] | None = None  # the index files as the last save left them
        self.extended = False  # True when kept from this process's last seed and extended, not read afresh

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

    @property
    def keyed(self) -> bool:
        """Whether the meta is read by key (a kept seeder of an SQLite ledger) rather than held."""
        return isinstance(self.meta, KeyedMeta)

    @property
    def directives(self) -> list[str]:
        """Every held directive in (序号, task_id) order; a keyed instance reads them (tests, a rebuild)."""
        if self._directives is not None:
            return self._directives
        import sqlalchemy as sa

        c = self.ledger.table.c  # type: ignore[attr-defined]
        with self.ledger.engine.connect() as conn:  # type: ignore[attr-defined]
            return [r[0] for r in conn.execute(sa.select(c[KEY]).where(c.kind == "directive")
                                               .order_by(c[SEQ], c[KEY])).all()]

    def load(self, task_ids: Iterable[str]) -> None:
        """Read the meta of these tasks in one query when keyed (else it is held already)."""
        if isinstance(self.meta, KeyedMeta):
            self.meta.load(task_ids)

    def first(self, doc_id: str) -> tuple[str, int] | None:
        """The order (date, 序号) of the document's first held directive; None when it holds none."""
        if doc_id not in self._first:
            self.load_first([doc_id])
        return self._first[doc_id]

    def load_first(self, doc_ids: Iterable[str]) -> None:
        """:meth:`first` of several documents in one read (keyed: their directives' meta by doc_id)."""
        missing = sorted({d for d in doc_ids if d not in self._first})
        if not missing:
            return
        if not isinstance(self.meta, KeyedMeta):
            if not self._first:  # held: one pass over the directives for every document, kept for the seed
                for task_id in self.directives:
                    m = self.meta[task_id]
                    self._first.setdefault(m.doc_id, (m.date, m.seq))
            for doc_id in missing:
                self._first.setdefault(doc_id, None)
            return
        import sqlalchemy as sa

        table = self.meta.table
        c = table.c
        with self.meta.engine.connect() as conn:
            for part in range(0, len(missing), 500):
                rows = conn.execute(sa.select(*_meta_columns(table)).where(
                    c.doc_id.in_(missing[part:part + 500]) & (c.kind == "directive"))).all()
                self.meta.reads += 1
                self.meta.rows_read += len(rows)
                found = _metas(rows)
                self.meta.put(found)
                for _, m in sorted(found.items(), key=lambda item: (item[1].seq, item[0])):
                    self._first.setdefault(m.doc_id, (m.date, m.seq))
        for doc_id in missing:
            self._first.setdefault(doc_id, None)

    def _children(self, wanted: Sequence[str]) -> dict[str, list[str]]:
        """directive → its subtasks in (序号, task_id) order; keyed: read by their parent (an index), only them."""
        if not isinstance(self.meta, KeyedMeta):
            return self.children
        import sqlalchemy as sa

        table = self.meta.table
        c = table.c
        parents = sorted(set(wanted))
        found: dict[str, Meta] = {}
        with self.meta.engine.connect() as conn:
            for part in range(0, len(parents), 500):
                rows = conn.execute(sa.select(*_meta_columns(table)).where(
                    c.parent_id.in_(parents[part:part + 500]) & (c.kind == "subtask"))).all()
                self.meta.reads += 1
                self.meta.rows_read += len(rows)
                found.update(_metas(rows))
        self.meta.put(found)
        children: dict[str, list[str]] = {}
        for task_id, m in sorted(found.items(), key=lambda item: (item[1].seq, item[0])):
            children.setdefault(m.parent, []).append(task_id)
        return children

    # --- views, fetched on demand ----------------------------------------------------

    def prefetch(self, task_ids: Iterable[str]) -> None:
        """Fetch the records of these directives (and their subtasks) in one read."""
        task_ids = [t for t in dict.fromkeys(task_ids) if t not in self._views]
        self.load(task_ids)
        wanted = [t for t in task_ids if t in self.meta and self.meta[t].kind == "directive"]
        if not wanted:
            return
        children = self._children(wanted)
        family = [x for t in wanted for x in (t, *children.get(t, ()))]
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

    def _keep(self) -> None:
        """Turn keyed for the next seed (SQLite): the meta read by key from now on, the index's large chunks
        memory-mapped from a spill folder; the per-row state held for the fresh read is let go."""
        if getattr(self.ledger, "engine", None) is None:
            return
        self._first = {}
        if isinstance(self.meta, KeyedMeta):
            self.meta.trim()
            if len(self._views) > CACHED:
                self._views = {}
            return
        self._views = {}
        self._count = len(self.meta)
        self.meta = KeyedMeta(self.ledger)
        self._directives = None
        self.children = {}
        self._hashes = {}
        self._first = {}
        self._rows = None
        self.index = self._spilled(self.index)

    def _spilled(self, index: LinkIndex) -> LinkIndex:
        """The same index with its large chunks in a temporary spill folder (removed with the index)."""
        import shutil
        import tempfile
        import weakref

        folder = Path(tempfile.mkdtemp(prefix="textkit-link-index-"))
        ids, rows = index.export()
        spilled = LinkIndex.from_rows(ids, rows.data, rows.indices, rows.indptr, spill=folder)
        weakref.finalize(spilled, shutil.rmtree, folder, ignore_errors=True)
        self._spill = folder
        return spilled

    # --- the index --------------------------------------------------------------------

    def _index(self) -> tuple[LinkIndex, bool]:
        """The saved index, checked against the meta and topped up; or one built from the records."""
        if self.path is not None and self.path.exists():
            try:
                index, hashes, base = load(self.path)
            except (OSError, ValueError, KeyError):
                index, hashes, base = None, {}, 0
            if index is not None and all(t in self and self.meta[t].content_hash == h for t, h in hashes.items()):
                self._hashes, self._stored, self._base = hashes, len(index), base
                self._top_up(index)
                return index, False
        self.prefetch(self.directives)
        index = LinkIndex()
        index.add(self.directives, [self._views[t].content for t in self.directives])
        return index, True

    def _top_up(self, index: LinkIndex) -> None:
        """Add the directives the index lacks (rows written without a seed, or by a seed whose save failed)."""
        missing = [t for t in self.directives if t not in index]
        self.prefetch(missing)
        index.add(missing, [self._views[t].content for t in missing if t in self._views])

    def save(self, added: Iterable[TaskView], records: Iterable[TaskRecord]) -> None:
        """Write the index with ``added`` (the seed's directives, now rows; ``records`` theirs, for the
        content hashes the rows keep) under the ledger's lock."""
        if self.path is None:
            return
        added = list(added)
        records = list(records)
        self.index.add([v.task_id for v in added], [v.content for v in added])  # ids already in: no-ops
        self._written = {r.task_id: (r.kind, r.parent_id or "", content_hash(r)) for r in records}
        if isinstance(self.meta, KeyedMeta):
            self._save_keyed(records)
            return
        if not self._hashes or len(self._hashes) < len(self.directives):
            self._hashes.update((t, self.meta[t].content_hash) for t in self.directives if t not in self._hashes)
        self._hashes.update((r.task_id, content_hash(r)) for r in records if r.kind == "directive")
        self._touched = [r.task_id for r in records]
        with index_lock(self.ledger, self.path):
            stored = self._stored
            if stored is not None and stored < len(self.index):
                fresh = {t: self._hashes.get(t, "") for t in self.index.ids[stored:]}
                fresh.update((r.task_id, self._hashes[r.task_id]) for r in records if r.kind == "directive")
                chunks = append(self.path, self.index, stored, fresh)
                if chunks > MAX_CHUNKS or len(self.index) - self._base > CHUNK_SHARE * self._base:
                    stored = None
            elif stored is not None and any(r.kind == "directive" for r in records):  # re-seeded in place
                append(self.path, self.index, stored,
                       {r.task_id: self._hashes[r.task_id] for r in records if r.kind == "directive"})
            if stored is None:  # rebuilt, or the chunks piled up: the whole index, the chunks folded in
                save(self.path, self.index, self._hashes)
                self._base = len(self.index)
            self._stored = len(self.index)
            self._left = _signature(self.path)

    def _save_keyed(self, records: Sequence[TaskRecord]) -> None:
        """:meth:`save` for a keyed instance: the hashes a chunk needs read by key (the topped-up rows') or
        taken from the seed's records, every directive's read only when the whole index is written again."""
        mine = {r.task_id: self._written[r.task_id][2] for r in records if r.kind == "directive"}
        self._touched = [r.task_id for r in records]
        assert self.path is not None and isinstance(self.meta, KeyedMeta)
        with index_lock(self.ledger, self.path):
            stored = self._stored
            if stored is not None and stored < len(self.index):
                new = [t for t in self.index.ids[stored:] if t not in mine]
                self.meta.load(new)
                fresh = {t: mine.get(t) or (self.meta[t].content_hash if t in self.meta else "")
                         for t in self.index.ids[stored:]}
                fresh.update(mine)
                chunks = append(self.path, self.index, stored, fresh)
                if chunks > MAX_CHUNKS or len(self.index) - self._base > CHUNK_SHARE * self._base:
                    stored = None
            elif stored is not None and mine:  # re-seeded in place
                append(self.path, self.index, stored, mine)
            if stored is None:  # the chunks piled up: the whole index, every directive's hash read once
                import sqlalchemy as sa

                c = self.meta.table.c
                with self.meta.engine.connect() as conn:
                    hashes = dict(conn.execute(sa.select(c[KEY], c.content_hash).where(c.kind == "directive")).all())
                hashes.update(mine)
                save(self.path, self.index, {t: str(h or "") for t, h in hashes.items()})
                self._base = len(self.index)
            self._stored = len(self.index)
            self._left = _signature(self.path)

    # --- kept between seeds -------------------------------------------------------------

    def _extend_keyed(self, ledger: Ledger) -> bool:
        """:meth:`_extend` for a keyed instance: nothing per row is held, so only the rows written since
        are read (序号 above the last seen, and the last seed's own rows, checked against what it wrote)
        and the index topped up with their directives."""
        import sqlalchemy as sa

        assert isinstance(self.meta, KeyedMeta)
        c = ledger.table.c  # type: ignore[attr-defined]
        columns = _meta_columns(ledger.table)  # type: ignore[attr-defined]
        with ledger.engine.connect() as conn:  # type: ignore[attr-defined]
            count, top = conn.execute(sa.select(sa.func.count(), sa.func.max(c[SEQ]))).one()
            rows = conn.execute(sa.select(*columns).where(c[SEQ] > self._top).order_by(c[SEQ], c[KEY])).all()
            touched = sorted(set(self._touched))
            for part in range(0, len(touched), 500):
                rows += conn.execute(sa.select(*columns).where(c[KEY].in_(touched[part:part + 500]))).all()
        found = _metas(rows)
        new = {t: m for t, m in found.items() if m.seq > self._top}
        for task_id, meta in found.items():
            written = self._written.get(task_id)
            if written is not None and (meta.kind, meta.parent) != written[:2]:
                return False
            if written is not None and meta.kind == "directive" and meta.content_hash != written[2]:
                return False  # changed by hand since the last seed: a fresh read rebuilds the index
        if self._count + len(new) != count or (top or 0) != max([self._top, *(m.seq for m in new.values())]):
            return False  # a row deleted, or written below the last 序号 seen
        # what the rows written since change: their meta, and the views of their directives (a subtask's folds
        # into its directive's); the rest read by earlier seeds stays (bounded: :data:`CACHED`)
        stale = {*found, *(m.parent for m in found.values() if m.parent)}
        for task_id in stale:
            self._views.pop(task_id, None)
        self.ledger, self.fetched, self._rows = ledger, 0, None
        self.meta.engine, self.meta.table = ledger.engine, ledger.table  # type: ignore[attr-defined]
        self.meta.forget(found)
        self.meta.put(found)
        self._first = {}
        self._count, self._top = int(count), int(top or 0)
        self._touched, self._written = [], {}
        self.rebuilt, self.extended = False, True
        missing = [t for t, m in new.items() if m.kind == "directive" and t not in self.index]
        self.prefetch(missing)
        self.index.add(missing, [self._views[t].content for t in missing if t in self._views])
        return True


    def _extend(self, ledger: Ledger) -> bool:
        """Bring a kept (keyed) instance up to the ledger as a fresh read would find it, reading only the rows
        written since; False when that cannot be trusted (then the caller reads everything)."""
        if self.path is None or self._left is None or _signature(self.path) != self._left:
            return False  # never saved, or another process wrote the index since: its rows may be anywhere
        if not isinstance(self.meta, KeyedMeta) or getattr(ledger, "engine", None) is None:
            return False
        return self._extend_keyed(ledger)


_KEPT: OrderedDict[tuple[str, str], HeldTasks] = OrderedDict()


def _key(ledger: Ledger) -> tuple[str, str] | None:
    """A ledger kept between seeds: SQLite (the index file beside it tells another seeder's writes apart)."""
    path = index_path(ledger)
    if path is None or getattr(ledger, "engine", None) is None:
        return None
    return (str(path.resolve()), ledger.table.name)  # type: ignore[attr-defined]


def keeps(ledger: Ledger) -> bool:
    """Whether this process keeps the ledger's held tasks between seeds (:func:`for_seed`): then many small
    seeds cost about what one large seed does, and each holds only what its own documents read."""
    return _key(ledger) is not None


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ino)


def _signature(path: Path) -> tuple[Any, ...]:
    """The index files as they stand: the base and the last chunk (another seeder replaces one or adds one)."""
    chunks = _chunks(path)
    last = max(chunks, default=0)
    return (_stat(path), last, _stat(chunks[last]) if last else None)


def for_seed(ledger: Ledger) -> HeldTasks:
    """The ledger's held tasks for a seed: the ones this process kept, extended with what was written
    since, or read afresh. Taken out of the cache until :func:`remember` (a failed seed leaves none)."""
    key = _key(ledger)
    kept = _KEPT.pop(key, None) if key is not None else None
    if kept is not None and kept._extend(ledger):
        return kept
    return HeldTasks(ledger)


def remember(held: HeldTasks) -> None:
    """Keep a seed's held tasks for the next seed of the same ledger (once its rows are committed)."""
    key = _key(held.ledger)
    if key is None or held._left is None:
        return
    held._keep()
    _KEPT[key] = held
    _KEPT.move_to_end(key)
    while len(_KEPT) > KEPT:
        _KEPT.popitem(last=False)


def _chunks(path: Path) -> dict[int, Path]:
    """The chunk files appended after ``path``'s base: number → file (``….links-index.npz.000007.npz``)."""
    found = {}
    for item in path.parent.glob(f"{glob_escape(path.name)}.*.npz"):
        number = item.name[len(path.name) + 1:-len(".npz")]
        if number.isdigit():
            found[int(number)] = item
    return dict(sorted(found.items()))


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters taken literally."""
    import glob

    return glob.escape(name)


def _write(target: Path, ids: Sequence[str], hashed_ids: Sequence[str], hashes: Sequence[str], rows: Any,
           **extra: Any) -> None:
    from textkit.atomic import atomic_open

    with atomic_open(target, "wb") as fh:
        np.savez(fh, ids=np.array(ids, dtype=str), hashed=np.array(hashed_ids, dtype=str),
                 hashes=np.array(hashes, dtype=str), data=rows.data, indices=rows.indices, indptr=rows.indptr,
                 **extra)


def save(path: Path, index: LinkIndex, hashes: Mapping[str, str]) -> None:
    """An index and each task's content hash as one ``.npz`` file, replaced whole (never half-written);
    the chunks appended before are folded in, then removed (the base says which it holds)."""
    ids, rows = index.export()
    chunks = _chunks(path)
    upto = max(chunks, default=0)
    _write(path, ids, ids, [hashes.get(t, "") for t in ids], rows, next=np.array(upto + 1))
    for number, item in chunks.items():
        if number <= upto:
            item.unlink(missing_ok=True)


def append(path: Path, index: LinkIndex, start: int, hashes: Mapping[str, str]) -> int:
    """The tasks indexed from position ``start`` on (and ``hashes``: theirs and those of rows re-seeded in
    place) as a small chunk file after the base and the chunks before it; returns how many chunks there are."""
    chunks = _chunks(path)
    with np.load(path) as saved:  # numbers are never reused: the base names the first chunk it lacks
        first = int(saved["next"]) if "next" in saved.files else 1
    number = max(max(chunks, default=0), first - 1) + 1
    _write(path.with_name(f"{path.name}.{number:06d}.npz"), index.ids[start:], list(hashes), list(hashes.values()),
           index.rows_from(start))
    return len(chunks) + 1


def load(path: Path) -> tuple[LinkIndex, dict[str, str], int]:
    """An index saved by :func:`save` and :func:`append` (the base, then its chunks in order: the same index
    as the base alone once they are folded in), task_id → content hash, and how many tasks the base holds."""
    from scipy import sparse

    from textkit.link_index import N_FEATURES

    with np.load(path) as saved:
        ids = [str(x) for x in saved["ids"]]
        hashed = saved["hashed"] if "hashed" in saved.files else saved["ids"]  # written before chunks existed
        hashes = dict(zip((str(x) for x in hashed), (str(x) for x in saved["hashes"]), strict=True))
        first = int(saved["next"]) if "next" in saved.files else 1
        parts = [(saved["data"], saved["indices"], saved["indptr"])]
        base = len(ids)
    for number, item in _chunks(path).items():
        if number < first:
            continue
        with np.load(item) as chunk:
            ids += [str(x) for x in chunk["ids"]]
            hashes.update(zip((str(x) for x in chunk["hashed"]), (str(x) for x in chunk["hashes"]), strict=True))
            parts.append((chunk["data"], chunk["indices"], chunk["indptr"]))
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: a task is in the index twice")
    if len(parts) == 1:
        data, indices, indptr = parts[0]
    else:
        rows = sparse.vstack([sparse.csr_matrix(p, shape=(len(p[2]) - 1, N_FEATURES)) for p in parts], format="csr")
        data, indices, indptr = rows.data, rows.indices, rows.indptr
    index = LinkIndex.from_rows(ids, data, indices, indptr)
    return index, hashes, base
