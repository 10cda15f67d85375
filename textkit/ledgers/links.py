"""Follow-up links kept beside a ledger's rows, never in them.

Seeding links each new document's tasks to what the ledger already holds
(:func:`textkit.followups.link`) and stores the links where no person types and
no seeding rewrites:

=================  ==========================================================
SQL (SQLite, PG)   a table ``<ledger table>_links``, primary key (task_id, follows)
Excel              a sheet ``任务关联`` in the same workbook
CSV / JSON Lines   a file beside the ledger: ``台账.csv`` → ``台账.csv.links.jsonl``
HTTP               ``POST /links`` and ``GET /links`` when the service has them;
                   a 404/405/501 means it does not, and links are only returned
=================  ==========================================================

A link is stored once: re-seeding the same documents adds nothing. A stored link
moves when the document it skipped arrives: 01 → 03 becomes 01 → 02 → 03 once 02
is seeded (a :class:`Move`, applied in the same write as the new links, in every
store; ``POST /links`` carries them as ``moves``).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from textkit.errors import LedgerError
from textkit.followups import (
    CANDIDATES,
    Link,
    TaskView,
    chain,
    chain_end,
    link_views,
    pair_features,
    probability,
    relation,
    views,
)
from textkit.ledgers import link_tasks
from textkit.ledgers.base import Ledger
from textkit.ledgers.chains import CAP, ChainWalker, Rule
from textkit.ledgers.link_tasks import HeldTasks
from textkit.ledgers.rows import SOURCE, record_from_row
from textkit.link_index import LinkIndex
from textkit.records import Extraction, TaskRecord

LINK_FIELDS = ("task_id", "follows", "relation", "score", "doc_id", "linked_at")
SHEET = "任务关联"
_DATE = re.compile(r"[（(](\d{4}-\d{2}(?:-\d{2})?)[）)]\s*$")


class Move(NamedTuple):
    """A stored link ``link.task_id`` → ``old`` re-pointed to ``link.follows`` (a document in between arrived)."""

    old: str
    link: Link
    doc_id: str


class LinkStore(Protocol):
    """Where one ledger keeps its links."""

    def add(self, links: Sequence[tuple[Link, str]], moves: Sequence[Move] = ()) -> int:
        """Store (link, later doc_id) pairs not stored yet and apply ``moves``, in one write; returns how many
        links were new or moved. A move whose old link is gone (another seeder moved it) is skipped."""

    def all(self) -> list[Link]:
        """Every stored link, in the order stored."""


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SQLLinks:
    """``<table>_links`` in the ledger's database."""

    def __init__(self, ledger: Any) -> None:
        import sqlalchemy as sa

        self.engine = ledger.engine
        self.table = sa.Table(
            f"{ledger.table.name}_links", sa.MetaData(),
            sa.Column("task_id", sa.String(64), primary_key=True),
            sa.Column("follows", sa.String(64), primary_key=True),
            sa.Column("relation", sa.String(16), nullable=False),
            sa.Column("score", sa.Float, nullable=False),
            sa.Column("doc_id", sa.String(64), index=True),
            sa.Column("linked_at", sa.String(32)),
            # a seed reads the stored links of the tasks it may follow, by key (:meth:`following`), not all of them
            sa.Index(f"ix_{ledger.table.name}_links_follows", "follows"),
        )
        self.ledger = ledger
        ledger._retrying(self._create)  # concurrent seeders race to create it; the writer lock orders them

    def _create(self) -> None:
        with self.ledger._write_transaction() as conn:
            self.table.create(conn, checkfirst=True)
            for index in self.table.indexes:  # a links table made by an older textkit gains the new index too
                index.create(conn, checkfirst=True)

    def add(self, links: Sequence[tuple[Link, str]], moves: Sequence[Move] = ()) -> int:
        import sqlalchemy as sa

        c = self.table.c

        def transaction() -> int:
            # the ledger's writer lock (BEGIN IMMEDIATE / advisory lock): a deferred BEGIN that reads
            # and then writes fails at once with "database is locked" when another seeder writes
            with self.ledger._write_transaction() as conn:
                # only the stored pairs of the tasks written now: every key looked up below has one of them
                asked = sorted({x.task_id for x, _ in links} | {m.link.task_id for m in moves})
                have = {(r.task_id, r.follows) for part in range(0, len(asked), 500)
                        for r in conn.execute(sa.select(c.task_id, c.follows).where(c.task_id.in_(asked[part:part + 500])))}
                moved = 0
                for move in _applicable(moves, have):
                    key = (c.task_id == move.link.task_id) & (c.follows == move.old)
                    if (move.link.task_id, move.link.follows) in have:  # already there: the old one just goes
                        conn.execute(sa.delete(self.table).where(key))
                    else:
                        row = _row(move.link, move.doc_id)
                        conn.execute(sa.update(self.table).where(key).values(
                            follows=row["follows"], relation=row["relation"], score=row["score"],
                            linked_at=row["linked_at"]))
                    _moved(have, move)
                    moved += 1
                fresh = _fresh(links, have)
                if fresh:
                    conn.execute(sa.insert(self.table), [_row(link, doc) for link, doc in fresh])
            return len(fresh) + moved

        return self.ledger._retrying(transaction)

    def all(self) -> list[Link]:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(self.table).order_by(self.table.c.linked_at)).mappings().all()
        return [Link.from_dict(r) for r in rows]

    def by_key(self, column: str, keys: Sequence[str]) -> list[tuple[tuple[str, int], Link]]:
        """The stored links whose ``column`` (task_id or follows) is one of ``keys``, each with its place in
        :meth:`all`'s order (linked_at, ties in the table's row order), for SQLite; PostgreSQL has no such
        order to reproduce (see :class:`StoredLinks`)."""
        import sqlalchemy as sa

        c = self.table.c
        found = []
        with self.engine.connect() as conn:
            for part in range(0, len(keys), 500):
                rows = conn.execute(sa.select(self.table, sa.literal_column("rowid"))
                                    .where(c[column].in_(keys[part:part + 500]))).all()
                found += [((str(r.linked_at or ""), int(r.rowid)), Link(r.task_id, r.follows, r.relation, float(r.score)))
                          for r in rows]
        return found


class JSONLinesLinks:
    """A ``.links.jsonl`` file beside a CSV or JSON Lines ledger, under the ledger's own file lock."""

    def __init__(self, ledger: Any) -> None:
        self.path: Path = ledger.path.with_name(ledger.path.name + ".links.jsonl")

    def _read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        rows = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise LedgerError(f"{self.path}: line {number} is not JSON ({exc.msg})") from None
        return rows

    def add(self, links: Sequence[tuple[Link, str]], moves: Sequence[Move] = ()) -> int:
        from textkit.atomic import atomic_open
        from textkit.ledgers.files import ledger_lock

        with ledger_lock(self.path):
            rows = self._read()
            have = {(r["task_id"], r["follows"]) for r in rows}
            applicable = _applicable(moves, have)
            rows = _moved_rows(rows, applicable, have)
            fresh = _fresh(links, have)
            if applicable:  # rewritten whole, in place of the old file: readers see the old links or the new
                with atomic_open(self.path, "w", encoding="utf-8") as fh:
                    for row in [*rows, *(_row(link, doc) for link, doc in fresh)]:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            elif fresh:
                with self.path.open("a", encoding="utf-8") as fh:
                    for link, doc in fresh:
                        fh.write(json.dumps(_row(link, doc), ensure_ascii=False) + "\n")
        return len(fresh) + len(applicable)

    def all(self) -> list[Link]:
        return [_link(r, self.path) for r in self._read()]


class ExcelLinks:
    """A ``任务关联`` sheet in the ledger workbook; the 台账 sheet is not touched."""

    def __init__(self, ledger: Any) -> None:
        self.ledger = ledger

    def _rows(self, book: Any) -> list[dict[str, Any]]:
        if SHEET not in book.sheetnames:
            return []
        values = list(book[SHEET].iter_rows(values_only=True))
        header = [str(v) for v in values[0]] if values else []
        return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]

    def add(self, links: Sequence[tuple[Link, str]], moves: Sequence[Move] = ()) -> int:
        from textkit.ledgers.files import ledger_lock

        if not (links or moves) or not self.ledger.path.exists():
            return 0
        with ledger_lock(self.ledger.path):
            book = self.ledger._workbook()
            rows = self._rows(book)
            have = {(r["task_id"], r["follows"]) for r in rows}
            applicable = _applicable(moves, have)
            if applicable:  # the sheet's rows rewritten in place: a moved link keeps its row
                rows = _moved_rows(rows, applicable, have)
                sheet = book[SHEET]
                sheet.delete_rows(2, sheet.max_row)
                for row in rows:
                    sheet.append([row.get(f) for f in LINK_FIELDS])
            fresh = _fresh(links, have)
            if fresh:
                if SHEET not in book.sheetnames:
                    sheet = book.create_sheet(SHEET)
                    sheet.append(list(LINK_FIELDS))
                    sheet.freeze_panes = "A2"
                sheet = book[SHEET]
                for link, doc in fresh:
                    row = _row(link, doc)
                    sheet.append([row[f] for f in LINK_FIELDS])
            if fresh or applicable:
                from textkit.atomic import atomic_open

                with atomic_open(self.ledger.path, "wb") as fh:  # readers never see a half-written workbook
                    book.save(fh)
            book.close()
        return len(fresh) + len(applicable)

    def all(self) -> list[Link]:
        if not self.ledger.path.exists():
            return []
        book = self.ledger._workbook(read_only=True)
        try:
            return [_link(r, self.ledger.path) for r in self._rows(book)]
        finally:
            book.close()


class HTTPLinks:
    """``/links`` on a ledger service; ``supported`` turns False when the service answers 404/405/501."""

    def __init__(self, ledger: Any) -> None:
        self.ledger = ledger
        self.supported = True

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return self.ledger._request(method, "/links", **kwargs)
        except LedgerError as exc:
            if re.search(r"HTTP (404|405|501)\b", str(exc)):
                self.supported = False
                return None
            raise

    def add(self, links: Sequence[tuple[Link, str]], moves: Sequence[Move] = ()) -> int:
        """``POST /links {"links": [...], "moves": [{"task_id", "from", "follows", ...}]}``: the service applies
        both in one transaction (a move re-points its ``task_id`` → ``from`` link)."""
        if not (links or moves):
            return 0
        body: dict[str, Any] = {"links": [_row(link, doc) for link, doc in links]}
        if moves:
            body["moves"] = [{**_row(m.link, m.doc_id), "from": m.old} for m in moves]
        answer = self._call("POST", json=body)
        return int(answer.get("inserted", len(links) + len(moves))) if isinstance(answer, dict) else 0

    def all(self) -> list[Link]:
        answer = self._call("GET")
        items = answer.get("links", []) if isinstance(answer, dict) else (answer or [])
        return [_link(r, self.ledger.name) for r in items]


def link_store(ledger: Ledger) -> LinkStore:
    """The link store of a ledger, by its backend; a third-party backend may define ``link_store()``."""
    own = getattr(ledger, "link_store", None)
    if callable(own):
        store: LinkStore = own()
        return store
    kind = type(ledger).__name__
    if hasattr(ledger, "engine") and hasattr(ledger, "table"):
        return SQLLinks(ledger)
    if kind == "ExcelLedger" or hasattr(ledger, "_workbook"):
        return ExcelLinks(ledger)
    if hasattr(ledger, "path"):
        return JSONLinesLinks(ledger)
    if hasattr(ledger, "_request"):
        return HTTPLinks(ledger)
    raise LedgerError(f"{ledger.name}: this ledger backend ({kind}) has no place for links")


def _fresh(links: Sequence[tuple[Link, str]], have: set[tuple[str, str]]) -> list[tuple[Link, str]]:
    fresh = []
    for link, doc in links:
        key = (link.task_id, link.follows)
        if key not in have:
            have.add(key)
            fresh.append((link, doc))
    return fresh


def _applicable(moves: Sequence[Move], have: set[tuple[str, str]]) -> list[Move]:
    """The moves whose old link is still stored (another seeder may have moved it already)."""
    found, seen = [], set()
    for move in moves:
        key = (move.link.task_id, move.old)
        if key in have and key not in seen:
            seen.add(key)
            found.append(move)
    return found


def _moved(have: set[tuple[str, str]], move: Move) -> None:
    have.discard((move.link.task_id, move.old))
    have.add((move.link.task_id, move.link.follows))


def _moved_rows(rows: list[dict[str, Any]], moves: Sequence[Move], have: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Stored rows with each move applied where its old row stands (dropped when the new link is stored too)."""
    by_key = {(m.link.task_id, m.old): m for m in moves}
    out = []
    for row in rows:
        move = by_key.get((row["task_id"], row["follows"]))
        if move is None:
            out.append(row)
        elif (move.link.task_id, move.link.follows) not in have:
            out.append({**row, **_row(move.link, move.doc_id)})
            _moved(have, move)
        else:
            have.discard((move.link.task_id, move.old))
    return out


def _row(link: Link, doc_id: str) -> dict[str, Any]:
    return {**link.to_dict(), "doc_id": doc_id, "linked_at": _stamp()}


def _link(row: dict[str, Any], where: object) -> Link:
    try:
        return Link.from_dict(row)
    except (KeyError, TypeError, ValueError) as exc:
        raise LedgerError(f"{where}: a stored link is malformed ({exc})") from None


# --- seeding ----------------------------------------------------------------------------


class StoredLinks:
    """The stored links one seed looks at, read by key when first asked for and kept for the seed, plus the
    links the seed has made so far (after the stored ones, in the order made), instead of every stored link
    read at every write (O(links) a write, ≈ 0.3 s near 10,000 bulk documents).

    An SQLite store answers by key in :meth:`SQLLinks.all`'s order (linked_at, ties in row order: what its
    sort gives); any other store is read whole once, as before.
    """

    def __init__(self, store: LinkStore) -> None:
        by_key = getattr(store, "by_key", None)
        engine = getattr(store, "engine", None)
        self._by_key = by_key if callable(by_key) and engine is not None and engine.dialect.name == "sqlite" else None
        self._all: list[Link] | None = None if self._by_key is not None else store.all()
        self._cache: dict[str, dict[str, list[tuple[tuple[Any, ...], Link]]]] = {"task_id": {}, "follows": {}}
        self.made: list[Link] = []
        self._made: dict[str, list[tuple[int, Link]]] = {}  # follows → (position in made, link)
        self.reads = 0  # queries (or whole reads) of the store, for tests
        #: chain ends walked in SQLite (:mod:`textkit.ledgers.chains`); None: walked here, link by link
        self.walker: ChainWalker | None = None
        if self._by_key is not None and isinstance(store, SQLLinks):
            self.walker = ChainWalker(store.engine, store.ledger.table.name, store.table.name)

    def _stored(self, column: str, keys: Iterable[str]) -> dict[str, list[tuple[tuple[Any, ...], Link]]]:
        cache = self._cache[column]
        missing = sorted({k for k in keys if k not in cache})
        if missing:
            for key in missing:
                cache[key] = []
            if self._all is not None:
                wanted = set(missing)
                for position, item in enumerate(self._all):
                    value = item.task_id if column == "task_id" else item.follows
                    if value in wanted:
                        cache[value].append(((position,), item))
            else:
                assert self._by_key is not None
                self.reads += 1
                for order, item in self._by_key(column, missing):
                    cache[item.task_id if column == "task_id" else item.follows].append((order, item))
                for key in missing:
                    cache[key].sort(key=lambda pair: pair[0])
        return cache

    def stored(self, column: str, keys: Iterable[str]) -> list[Link]:
        """The stored links whose ``column`` is one of ``keys``, in the store's order."""
        keys = list(keys)
        cache = self._stored(column, keys)
        found = [pair for key in dict.fromkeys(keys) for pair in cache[key]]
        found.sort(key=lambda pair: pair[0])
        return [item for _, item in found]

    def make(self, links: Iterable[Link]) -> None:
        """Links the seed made: after every stored one, in the order made."""
        for item in links:
            self._made.setdefault(item.follows, []).append((len(self.made), item))
            self.made.append(item)

    def following(self, keys: Iterable[str]) -> list[Link]:
        """Stored links, then links made, whose ``follows`` is one of ``keys``, in that order."""
        keys = list(dict.fromkeys(keys))
        made = sorted(pair for key in keys for pair in self._made.get(key, ()))
        return [*self.stored("follows", keys), *(x for _, x in made)]

    def linked(self, task_ids: Iterable[str]) -> set[str]:
        """Which of ``task_ids`` already follow something (stored or made)."""
        task_ids = list(task_ids)
        found = {x.task_id for x in self.stored("task_id", task_ids)}
        wanted = set(task_ids)
        return found | {x.task_id for x in self.made if x.task_id in wanted}


class _Earlier(Mapping[str, TaskView]):
    """The tasks one document may follow: held ones ``allow`` admits (read from the meta, fetched only when
    asked for) and the batch's own; ``in`` never fetches. ``rule`` is ``allow`` as SQL can test it, when it
    can (:class:`textkit.ledgers.chains.Rule`; None: chains are walked here)."""

    def __init__(self, held: HeldTasks, allow: Callable[[str], bool], batch: Mapping[str, TaskView],
                 rule: Rule | None = None) -> None:
        self.held, self.allow, self.batch, self.rule = held, allow, batch, rule

    def __contains__(self, task_id: object) -> bool:
        return isinstance(task_id, str) and (task_id in self.batch or (task_id in self.held and self.allow(task_id)))

    def __getitem__(self, task_id: str) -> TaskView:
        if task_id in self.batch:
            return self.batch[task_id]
        if task_id in self.held and self.allow(task_id):
            return self.held[task_id]
        raise KeyError(task_id)

    def __iter__(self) -> Iterator[str]:
        yield from self.batch
        yield from (t for t in self.held if self.allow(t))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def new_document(held: HeldTasks, doc: str, date: str | None, batch: Mapping[str, TaskView]) -> _Earlier:
    """What a document of the batch may follow: the held tasks but those of documents dated after it (a
    re-seeded document: only what was in the ledger before it), and ``batch``."""
    first = held.first(doc)
    meta = held.meta

    def allow(task_id: str) -> bool:
        m = meta[task_id]
        if first is not None:  # re-seeded: only what was in the ledger before it
            return (held.first(m.doc_id) or first) < first
        return not (date and m.date and m.date > date)  # new: all held but documents dated later

    return _Earlier(held, allow, batch, Rule(date or "") if first is None else None)  # re-seeded: walked here


def held_document(held: HeldTasks, doc: str, date: str, newcomers: Collection[str],
                  arrived: Mapping[str, TaskView]) -> _Earlier:
    """What a held document dated ``date`` may follow once the batch's ``newcomers`` arrived: ``arrived`` (the
    newcomers' tasks dated before it) and the held tasks of other dated documents before it."""
    meta = held.meta

    def allow(task_id: str) -> bool:
        m = meta[task_id]
        return m.doc_id not in newcomers and m.doc_id != doc and bool(m.date) and m.date < date

    return _Earlier(held, allow, arrived, Rule(date, doc, tuple(sorted(newcomers))))


class _Followers(Mapping[str, TaskView]):
    """earlier task_id → the earlier task that follows it, from stored links (as :func:`followups.chains`:
    the last link in the store's order whose follower ``earlier`` admits), read by key when the linker asks
    and the follower fetched only when it walks the chain."""

    def __init__(self, links: StoredLinks, earlier: _Earlier) -> None:
        self.links, self.earlier = links, earlier
        self._after: dict[str, str | None] = {}

    def _follower(self, task_id: str) -> str | None:
        if task_id not in self._after:
            found = [x.task_id for x in self.links.following([task_id]) if x.task_id in self.earlier]
            self._after[task_id] = found[-1] if found else None
        return self._after[task_id]

    def __getitem__(self, task_id: str) -> TaskView:
        follower = self._follower(task_id)
        if follower is None:
            raise KeyError(task_id)
        if follower in self.earlier.batch:
            return self.earlier.batch[follower]
        return _ChainStep(self.earlier.held, follower)  # type: ignore[return-value]

    def __contains__(self, task_id: object) -> bool:
        return isinstance(task_id, str) and self._follower(task_id) is not None

    def __bool__(self) -> bool:  # `followers and t in followers` asks `in` either way
        return True

    def ends(self, pairs: Sequence[tuple[TaskView, TaskView]]) -> list[TaskView]:
        """For each (later, earlier) pair, the task :func:`textkit.followups.chain_end` walks ``earlier`` to:
        in one SQLite query when the store has a walker and ``earlier`` a rule SQL can test, so the links and
        meta along the chains are never read into the process; else link by link here."""
        walker, rule = self.links.walker, self.earlier.rule
        if walker is None or rule is None:
            return [chain_end(self, later, earlier) for later, earlier in pairs]
        made: dict[str, str] = {}  # made links come after every stored one: the last admitted wins
        for item in self.links.made:
            if item.task_id in self.earlier:
                made[item.follows] = item.task_id
        batch = {t: v.order for t, v in self.earlier.batch.items()}
        found = walker.ends([(earlier.task_id, later.order) for later, earlier in pairs], made, batch, rule)
        self.earlier.held.load(t for t, steps in found if 0 < steps < CAP and t not in batch)
        ends: list[TaskView] = []
        for (later, earlier), (task_id, steps) in zip(pairs, found, strict=True):
            if steps >= CAP:  # a cycle (or a chain longer than CAP): the walk that stops where a task repeats
                ends.append(chain_end(self, later, earlier))
            elif steps == 0:
                ends.append(earlier)
            elif task_id in batch:
                ends.append(self.earlier.batch[task_id])
            else:
                ends.append(_ChainStep(self.earlier.held, task_id))  # type: ignore[arg-type]
        return ends

    def __iter__(self) -> Iterator[str]:
        raise TypeError("followers are looked up by key, never walked")

    def __len__(self) -> int:
        raise TypeError("followers are looked up by key, never counted")


class _ChainStep:
    """A held task met while walking a chain: its id, document and order from the meta; the record is
    fetched only if the linker looks further (the chain's end). The linker walks each candidate's chain to
    the last task before the newcomer, and in a bulk run of recombined speeches those chains run through a
    good part of the ledger: parsing every step's record was most of a write."""

    __slots__ = ("_held", "task_id", "doc_id", "order")

    def __init__(self, held: HeldTasks, task_id: str) -> None:
        self._held, self.task_id = held, task_id
        meta = held.meta[task_id]
        self.doc_id, self.order = meta.doc_id, (meta.date, meta.seq)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._held[self.task_id], name)


class _Fetching:
    """The index, fetching in one read the records of the held tasks a search proposes that the document may
    follow (``earlier``: the linker asks only for those) before the linker asks for them one by one; when the
    chains are walked here (``along``), the stored links along them too (a read a step). The tasks on the
    chains are not fetched: the walk reads their meta (:class:`_ChainStep`)."""

    def __init__(self, index: LinkIndex, held: HeldTasks, links: StoredLinks, earlier: _Earlier, *,
                 along: bool = True) -> None:
        self.index, self.held, self.links, self.earlier, self.along = index, held, links, earlier, along

    def search(self, texts: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
        hits = self.index.search(texts, k=k)
        wanted = {t for found in hits for t, _ in found}
        self.held.load(wanted)
        seen, todo = set(wanted), set(wanted) if self.along else set()
        while todo:  # the links out of the hits along their chains and their meta, one read each a step
            self.held.load(todo)
            todo = {x.task_id for x in self.links.following(sorted(todo))} - seen
            seen |= todo
        # a hit the document may not follow (from a document dated after it) is never asked for: its record is
        # not read (a quarter to a third of the records a 50-document seed read at 10,000 bulk documents)
        admitted = [t for t in wanted if t not in self.earlier.batch and t in self.earlier]
        self.held.prefetch(sorted(admitted, key=lambda t: self.held.meta[t].seq))
        return hits


def ledger_views(ledger: Ledger) -> list[TaskView]:
    """Views of every task in a ledger, dated by its 任务来源 ``标题（2024-03-01）``, ordered by 序号."""
    held = HeldTasks(ledger, persist=False)
    return [held[t] for t in held]


#: Seeds of up to this many documents find chain ends in SQLite (a bulk write of 50: 0.85x the parent's CPU);
#: larger ones walk them here, as the query copies the seed's links and tasks so far for every document
#: (one write of 300: 37 -> 69 s of CPU). Both give the same ends (tests/test_link_chain_ends.py).
SQL_CHAIN_ENDS_UP_TO = 100


def links_for(ledger: Ledger, extractions: Sequence[Extraction], store: LinkStore | None = None) -> list[tuple[Link, str]]:
    """Links of each extraction's tasks to the ledger's earlier tasks and to earlier extractions of the batch."""
    return plan_links(ledger, extractions, store)[0]


def plan_links(ledger: Ledger, extractions: Sequence[Extraction], store: LinkStore | None = None, *,
               held: HeldTasks | None = None) -> tuple[list[tuple[Link, str]], list[Move]]:
    """New links (as :func:`links_for`) and the moves of stored links the new documents sit in the middle of.

    ``held`` (default: the ledger's, with its saved index) gains the batch's tasks in its index.
    """
    store = store or link_store(ledger)
    held = held if held is not None else HeldTasks(ledger)
    # doc_id → its first held directive's order (held.first): a re-seeded document links only to what was
    # in the ledger before it
    held.load_first(e.document.doc_id for e in extractions)
    stored = StoredLinks(store)
    if stored.walker is not None and len(extractions) > SQL_CHAIN_ENDS_UP_TO:
        stored.walker = None  # a large seed: each document's query would copy the seed's links and tasks again
    if stored.walker is not None and not stored.walker.clear_of([t.task_id for e in extractions for t in e.tasks]):
        stored.walker = None  # a re-seeded task is both a row and a batch task: its chains are walked here
    found: list[tuple[Link, str]] = []
    batch: dict[str, TaskView] = {}
    index = held.index  # grown document by document
    ordered = list(extractions)
    if all(e.document.date for e in ordered):  # else the order given is the order of the documents
        ordered.sort(key=lambda e: e.document.date or "")
    for extraction in ordered:
        doc, date = extraction.document.doc_id, extraction.document.date
        earlier = new_document(held, doc, date, {t: v for t, v in batch.items() if v.doc_id != doc})
        later = views(extraction.tasks, {doc: date})
        fetching = _Fetching(index, held, stored, earlier, along=stored.walker is None or earlier.rule is None)
        made = link_views(earlier, later, index=fetching, k=2 * CANDIDATES,  # type: ignore[arg-type]
                          followers=_Followers(stored, earlier))
        found.extend((x, doc) for x in made)
        stored.make(made)
        batch.update({v.task_id: v for v in later})
        index.add([v.task_id for v in later], [v.content for v in later])
    found += _held_to_newcomers(held, batch, index, stored)
    return found, _moves(held, batch, found, stored, index)


def _moves(held: HeldTasks, batch: Mapping[str, TaskView], found: Sequence[tuple[Link, str]],
           links: StoredLinks, index: LinkIndex) -> list[Move]:
    """Stored links that skip a newly arrived document: 01 → 03 was stored while 02 was missing; now 02
    follows 01, so 03 follows 02 (the latest earlier task doing the same work), its relation read again.

    A stored ``c → a`` moves along the new links out of ``a`` (``a ← b ← b'``) while their documents are
    dated before ``c``'s; never to a task another task of ``c``'s document already follows.
    """
    after: dict[str, TaskView] = {}  # earlier task_id → the newcomer that now follows it
    for item, _ in found:
        if item.task_id in batch:
            after[item.follows] = batch[item.task_id]
    if not after:
        return []
    # only the stored links a move may touch or be refused by: those following a task a newcomer now
    # follows (the ones that may move), or following a newcomer (a re-seeded document's)
    stored = links.stored("follows", after)
    refusing = links.stored("follows", batch)
    held.load(x.task_id for x in [*stored, *refusing])
    followed = {(held.meta[x.task_id].doc_id if x.task_id in held.meta else "", x.follows) for x in refusing}
    followed |= {(doc, x.follows) for x, doc in found}
    # which links move is read from the meta (a follower's date and document); the records are read only for
    # the links that do move (fan-ins grow with the ledger: most followers stay)
    moving: list[tuple[Link, TaskView]] = []
    for item in stored:
        if item.follows not in after or item.task_id in batch or item.task_id not in held:
            continue
        meta = held.meta[item.task_id]
        if not meta.date:
            continue
        target, seen = None, {item.follows}
        step = after.get(item.follows)
        while step is not None and step.order[0] and step.order[0] < meta.date and step.task_id not in seen:
            target = step
            seen.add(step.task_id)
            step = after.get(step.task_id)
        if target is None or (meta.doc_id, target.task_id) in followed:
            continue
        followed.add((meta.doc_id, target.task_id))
        moving.append((item, target))
    held.prefetch(item.task_id for item, _ in moving)
    moves: list[Move] = []
    for item, target in moving:
        later = held[item.task_id]
        score = probability(pair_features(later, target, index.similarity(later.content, target.task_id)))
        moves.append(Move(item.follows, Link(later.task_id, target.task_id, relation(later, target),
                                             round(score, 4)), later.doc_id))
    return moves


def _held_to_newcomers(held: HeldTasks, batch: Mapping[str, TaskView], index: LinkIndex,
                       links: StoredLinks) -> list[tuple[Link, str]]:
    """Links from documents the ledger already holds to documents of the batch dated before them.

    Documents do not always arrive in date order (a bulk run writes in batches, people seed
    what they find): a September minute seeded before the June one it follows must still
    link to it once June arrives. Only tasks that follow nothing yet are linked (to the
    newcomers, or along their chains), so a stored link is never repeated (moving one is :func:`_moves`'s);
    only those among the nearest of some newcomer are looked at.
    """
    newcomers = {v.doc_id for v in batch.values()}
    dated = [v.order[0] for v in batch.values() if v.order[0]]
    if not dated:
        return []
    meta = held.meta
    # the held tasks near a newcomer (cosine is symmetric), not every later task: a document from last
    # year seeded today must not fetch the whole ledger
    asking = [v.content for v in batch.values() if v.order[0] and v.content and not v.exhortation]
    near = {t for found in index.search(asking, k=4 * CANDIDATES) for t, _ in found} if asking else set()
    held.load(near)
    documents: dict[str, list[str]] = {}
    first = min(dated)
    for task_id in sorted((t for t in near if t in held), key=lambda t: (meta[t].seq, t)):  # 序号 order
        m = meta[task_id]
        if m.doc_id not in newcomers and m.date and m.date > first:
            documents.setdefault(m.doc_id, []).append(task_id)
    made: list[tuple[Link, str]] = []
    linked = links.linked(t for task_ids in documents.values() for t in task_ids)
    for doc, task_ids in sorted(documents.items(), key=lambda item: held.order(item[1][0])):
        date = meta[task_ids[0]].date
        waiting = [t for t in task_ids if t not in linked]
        arrived = {t: v for t, v in batch.items() if v.order[0] and v.order[0] < date}
        if not waiting or not arrived:
            continue
        held.prefetch(waiting)
        later = [held[t] for t in waiting]

        earlier = held_document(held, doc, date, newcomers, arrived)
        fetching = _Fetching(index, held, links, earlier, along=links.walker is None)
        found = link_views(earlier, later, index=fetching, k=2 * CANDIDATES,  # type: ignore[arg-type]
                           followers=_Followers(links, earlier))
        made.extend((item, doc) for item in found)
        links.make(found)
        linked.update(item.task_id for item in found)
    return made


@contextlib.contextmanager
def linking(ledger: Ledger, extractions: Iterable[Extraction]) -> Iterator[None]:
    """Around a seed: link the documents to what the ledger holds, then store the links (and the ledger's
    index, :mod:`textkit.ledgers.link_tasks`) once the seed succeeded, all under the ledger's writer lock
    (:func:`writer_lock`).

    Nested seeds (``seed_many`` calling ``seed``) link once, at the outer level.
    The links are left on ``ledger.last_links``.
    """
    if getattr(ledger, "_linking", False):
        yield
        return
    batch = [e for e in extractions if isinstance(e, Extraction)]
    ledger._linking = True  # type: ignore[attr-defined]
    try:
        store = link_store(ledger)  # created (and committed) first: the reads under the lock use other connections
        with writer_lock(ledger):
            held = link_tasks.for_seed(ledger)  # kept from this process's last seed of it, or read afresh
            found, moves = plan_links(ledger, batch, store, held=held)
            yield
            held.save([v for e in batch for v in views(e.tasks)], [t for e in batch for t in e.tasks])
            if moves:
                store.add(found, moves)
            else:  # a third-party store may know only add(links)
                store.add(found)
        link_tasks.remember(held)  # committed: the next seed extends it (a failed seed kept nothing)
        ledger.last_links = [x for x, _ in found] + [m.link for m in moves]  # type: ignore[attr-defined]
    finally:
        ledger._linking = False  # type: ignore[attr-defined]


def writer_lock(ledger: Ledger) -> contextlib.AbstractContextManager[None]:
    """The ledger's writer lock held across a whole seed, so two seeders at the same instant take turns
    and the second links against the first's committed rows and links: SQL ledgers' write transaction
    (SQLite ``BEGIN IMMEDIATE``, PostgreSQL's advisory lock), a file ledger's lock file. A ledger without
    one (HTTP: the service orders its writes) links as before."""
    own = getattr(ledger, "writer_lock", None)
    lock: contextlib.AbstractContextManager[None] = own() if callable(own) else contextlib.nullcontext()
    return lock


def links_of(ledger: Ledger, extraction: Extraction) -> tuple[list[Link], list[tuple[TaskRecord, str]]]:
    """What a speech's tasks follow in a ledger, without writing to it (for ``textkit render --links``).

    The links stored for its tasks when it was seeded, and for tasks with none the links seeding it
    now would make (a speech not yet in the ledger is linked as if seeded); with the earlier tasks
    and their documents' dates, to name what each follows.
    """
    store = link_store(ledger)
    mine = {t.task_id for t in extraction.tasks}
    found = [x for x in store.all() if x.task_id in mine]
    have = {x.task_id for x in found}
    planned, _ = plan_links(ledger, [extraction], store)  # the saved index is read, never written here
    found += [x for x, _ in planned if x.task_id in mine and x.task_id not in have]
    rows = ledger.get_rows({x.follows for x in found})
    earlier = []
    for row in rows.values():
        if row.get("record"):
            dated = _DATE.search(str(row.get(SOURCE) or ""))
            earlier.append((record_from_row(row), dated.group(1) if dated else ""))
    return found, earlier


def chain_steps(ledger: Ledger, task_id: str) -> list[Any]:
    """The chain through ``task_id`` as :class:`textkit.link_plot.ChainStep`\\ s, earliest first, for plotting."""
    from textkit.link_plot import ChainStep

    order = chain(task_id, link_store(ledger).all())
    rows = ledger.get_rows([t for t, _ in order])
    steps = []
    for tid, via in order:
        row = rows.get(tid, {})
        record = record_from_row(row) if row.get("record") else None
        found_date = _DATE.search(str(row.get("任务来源") or ""))
        steps.append(ChainStep(asked=found_date.group(1) if found_date else "",
                               heading=(record.heading or record.text[:20]) if record else tid,
                               due=str(row.get("截止日期") or "") or None, relation=via.relation if via else None))
    return steps
