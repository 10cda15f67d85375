"""A ledger in a SQL table: SQLite by default, PostgreSQL, or any SQLAlchemy URL.

``sqlite:///path.db`` (or a bare ``path.db``/``path.sqlite``) is the embedded
default; ``postgresql://user@host/db`` uses psycopg 3 (``pip install
'textkit[postgres]'``); any other SQLAlchemy URL works if its driver is
installed. Options: ``table`` (default ``task_ledger``) and ``engine_options``
(passed to ``create_engine``).

Each upsert is one transaction: rows are read, merged and written inside it,
so an interrupted run rolls back and the table stays as it was. Concurrent
writers are serialised inside the database, so 序号 is never handed out twice:
SQLite runs in WAL mode (readers never block the writer) and opens write
transactions with ``BEGIN IMMEDIATE`` under a busy timeout; PostgreSQL takes a
transaction-scoped advisory lock per table. A transaction that still meets a
lock, a deadlock or a concurrent insert is retried with backoff. A seed holds the
lock from linking to the last write (:meth:`SQLLedger.writer_lock`). Columns a
person adds with ``ALTER TABLE`` are never written by textkit and show up in
:meth:`read`.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textkit.errors import LedgerError
from textkit.ledgers.base import Ledger, rows_frame
from textkit.ledgers.rows import (
    DEFAULT_STATUS,
    KEY,
    SEQ,
    UpsertResult,
    check_human_fields,
    plan_upsert,
    unique_records,
)
from textkit.records import Document, TaskRecord

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa

POSTGRES_HINT = "pip install 'textkit[postgres]'"
_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits
_DATE_COLUMNS = ("截止日期",)
SQLITE_BUSY_MS = 60_000  # how long SQLite waits for another writer before a retry (8 seeders on a busy machine: 15 s starved one)
RETRIES = 6  # write transactions retried after a lock, deadlock or concurrent insert (0.1 s … 3.2 s apart)
_WRITE = "textkit_write"  # connection info flag: the next transaction writes
T = TypeVar("T")


def engine_url(url: str) -> str:
    """A bare ``x.db`` means SQLite; plain ``postgresql://`` means psycopg 3, the driver we ship."""
    if url.startswith("file://"):
        url = url[len("file://"):]
    if "://" not in url:
        return f"sqlite:///{url}"
    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


def sqlite_file(url: str) -> Path | None:
    """The database file an SQLite ledger URL names (None for other backends and in-memory SQLite)."""
    from textkit.ledgers import _backend_name

    name, _ = _backend_name(url)
    if name.split("+", 1)[0] not in ("sqlite", ".db", ".sqlite", ".sqlite3"):
        return None
    target = engine_url(url)
    path = target.split("://", 1)[1][1:].split("?", 1)[0]  # sqlite:///rel.db → rel.db, sqlite:////abs → /abs
    return Path(path).expanduser() if path and path != ":memory:" else None


def ledger_table(name: str, metadata: sa.MetaData) -> sa.Table:
    """The columns textkit writes; a person's extra columns live beside them."""
    import sqlalchemy as sa

    text_columns = ("任务来源", "工作任务", "牵头单位", "配合单位", "责任单位", "完成时限", "频次", "目标")
    return sa.Table(
        name,
        metadata,
        sa.Column("task_id", sa.String(64), primary_key=True),
        sa.Column(SEQ, sa.Integer, nullable=False, index=True),  # max(序号) on every upsert must not scan
        *(sa.Column(c, sa.Text) for c in text_columns),
        sa.Column("截止日期", sa.Date),
        sa.Column("状态", sa.String(16), nullable=False, server_default=DEFAULT_STATUS),
        sa.Column("进展情况", sa.Text),
        sa.Column("备注", sa.Text),
        sa.Column("原文位置", sa.String(32)),
        sa.Column("doc_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.String(64)),
        sa.Column("path", sa.String(64), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        # SQLite: every seed reads these columns of every row (link_tasks.Meta) from this covering index,
        # never from the table's pages, which hold each row's record JSON and texts (160 MB at 100k rows).
        # PostgreSQL rebuilds its link index from the records at each seed anyway; its btree rows stay small.
        sa.Index(f"ix_{name}_meta", SEQ, "task_id", "doc_id", "kind", "parent_id", "content_hash",
                 "任务来源").ddl_if(dialect="sqlite"),
        # SQLite: a kept seeder reads the subtasks of the directives it fetches by their parent
        # (link_tasks.HeldTasks._children), not every subtask of their documents (≈ 6 times as many rows)
        sa.Index(f"ix_{name}_parent_id", "parent_id").ddl_if(dialect="sqlite"),
    )


class SQLLedger(Ledger):
    """One table, one row per task, keyed by ``task_id``."""

    def __init__(self, url: str, *, table: str = "task_ledger", engine_options: dict[str, Any] | None = None) -> None:
        import sqlalchemy as sa
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        target = engine_url(url)
        try:
            self.engine = sa.create_engine(target, **(engine_options or {}))
        except ModuleNotFoundError as exc:
            hint = POSTGRES_HINT if target.startswith("postgresql") else f"pip install {exc.name}"
            raise LedgerError(f"the database driver {exc.name!r} is not installed: {hint}") from exc
        except (NoSuchModuleError, ArgumentError) as exc:
            raise LedgerError(f"not a ledger URL textkit or SQLAlchemy knows: {_safe(target)}") from exc
        self.name = self.engine.url.render_as_string(hide_password=True)
        self.table = ledger_table(table, sa.MetaData())
        self._held: dict[int, sa.Connection] = {}  # thread → the connection holding writer_lock
        if self.engine.dialect.name == "sqlite":
            _sqlite_folder(self.engine, self.name)
            _sqlite_concurrency(self.engine)
        try:
            self._retrying(self._create_table)
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            raise LedgerError(f"{self.name}: cannot open table {table!r}: {_reason(exc)}") from exc

    def _create_table(self) -> None:
        """Create the table and its indexes; two processes racing to create it both succeed."""
        with self._write_transaction() as conn:
            self.table.create(conn, checkfirst=True)
            for index in self.table.indexes:  # a ledger made by an older textkit gains new indexes too
                index.create(conn, checkfirst=True)

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the writer lock across several steps as one transaction: a seed links its tasks, upserts
        them and stores the links under it, so a seeder running at the same instant waits and then sees
        this one's rows (and links) committed, instead of linking without them.

        Every write transaction of this thread joins it (:meth:`_write_transaction`); reads on other
        connections see what other writers committed, which nobody can change until it ends. Taking
        the lock is retried like any write transaction; the steps under it are run once.
        """
        import sqlalchemy as sa

        me = threading.get_ident()
        if me in self._held:
            yield
            return
        for attempt in range(RETRIES + 1):
            conn = self.engine.connect()
            conn.info[_WRITE] = True
            try:
                transaction = conn.begin()
                self._lock(conn)
                break
            except (sa.exc.OperationalError, sa.exc.ProgrammingError) as exc:
                conn.info.pop(_WRITE, None)
                conn.close()
                if attempt == RETRIES or not _transient(exc):
                    raise LedgerError(f"{self.name}: cannot take the writer lock: {_reason(exc)}") from exc
                time.sleep(0.1 * 2**attempt * (0.5 + random.random()))
        self._held[me] = conn
        try:
            try:
                yield
            except BaseException:
                transaction.rollback()
                raise
            try:
                transaction.commit()
            except sa.exc.SQLAlchemyError as exc:
                raise LedgerError(f"{self.name}: the seed rolled back: {_reason(exc)}") from exc
        finally:
            del self._held[me]
            conn.info.pop(_WRITE, None)
            conn.close()

    def _lock(self, conn: sa.Connection) -> None:
        """The writer lock inside a begun transaction: SQLite took it with BEGIN IMMEDIATE; PostgreSQL
        takes a transaction-scoped advisory lock per table (序号 = max + 1 must not be read by two writers)."""
        import sqlalchemy as sa

        if conn.dialect.name == "postgresql":
            key = zlib.crc32(f"textkit:{self.table.name}".encode())
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[sa.Connection]:
        """One write transaction that holds the ledger's writer lock from its first statement (inside
        :meth:`writer_lock`, that lock's transaction)."""
        held = self._held.get(threading.get_ident())
        if held is not None:
            yield held
            return
        with self.engine.connect() as conn:
            conn.info[_WRITE] = True
            try:
                with conn.begin():
                    self._lock(conn)
                    yield conn
            finally:
                conn.info.pop(_WRITE, None)

    def _retrying(self, work: Callable[[], T]) -> T:
        """Run a write transaction again, with backoff, when another writer got in the way."""
        import sqlalchemy as sa

        if threading.get_ident() in self._held:  # inside writer_lock: nobody else can get in the way
            return work()
        for attempt in range(RETRIES + 1):
            try:
                return work()
            except (sa.exc.OperationalError, sa.exc.IntegrityError, sa.exc.ProgrammingError) as exc:
                if not _transient(exc):
                    raise
                if attempt == RETRIES:  # nothing was written: say which ledger stayed busy, not a driver traceback
                    raise LedgerError(f"{self.name}: another writer kept the ledger busy through {RETRIES + 1} "
                                      f"tries; nothing was written: {_reason(exc)}") from exc
                time.sleep(0.1 * 2**attempt * (0.5 + random.random()))
        raise AssertionError("unreachable")  # pragma: no cover

    def upsert(self, records: Iterable[TaskRecord], *, document: Document | None = None) -> UpsertResult:
        import sqlalchemy as sa

        batch = unique_records(records)
        table = self.table

        def transaction() -> UpsertResult:
            with self._write_transaction() as conn:  # read, number and write under the writer lock
                existing = self._select(conn, [r.task_id for r in batch])
                next_seq = (conn.execute(sa.select(sa.func.max(table.c[SEQ]))).scalar() or 0) + 1
                plan = plan_upsert(existing, batch, document=document, next_seq=next_seq)
                if plan.inserts:
                    conn.execute(table.insert(), [_to_db(row) for row in plan.inserts])
                for task_id, values in plan.updates.items():
                    self._apply_update(conn, task_id, values)
            return plan.result()

        try:
            return self._retrying(transaction)
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"{self.name}: upsert rolled back: {_reason(exc)}") from exc

    def _apply_update(self, conn: sa.Connection, task_id: str, values: dict[str, Any]) -> None:
        table = self.table
        conn.execute(table.update().where(table.c[KEY] == task_id).values(**_to_db(values)))

    def _select(self, conn: sa.Connection, task_ids: list[str] | None) -> dict[str, dict[str, Any]]:
        import sqlalchemy as sa

        table = self.table
        if task_ids is None:
            result = conn.execute(sa.select(table))
            return {row[KEY]: _from_db(dict(row)) for row in result.mappings()}
        rows: dict[str, dict[str, Any]] = {}
        for start in range(0, len(task_ids), _CHUNK):
            chunk = task_ids[start : start + _CHUNK]
            result = conn.execute(sa.select(table).where(table.c[KEY].in_(chunk)))
            rows.update({row[KEY]: _from_db(dict(row)) for row in result.mappings()})
        return rows

    def get_rows(self, task_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        import sqlalchemy as sa

        try:
            with self.engine.connect() as conn:
                return self._select(conn, None if task_ids is None else list(task_ids))
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"{self.name}: cannot read the ledger: {_reason(exc)}") from exc

    def doc_ids(self) -> set[str]:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(self.table.c.doc_id).distinct()).scalars())

    def _reflected(self, conn: sa.Connection) -> sa.Table:
        """The table as it is now, with any column a person added."""
        import sqlalchemy as sa

        return sa.Table(self.table.name, sa.MetaData(), autoload_with=conn)

    def read(self) -> pd.DataFrame:
        import sqlalchemy as sa

        try:
            with self.engine.connect() as conn:
                table = self._reflected(conn)
                rows = [_from_db(dict(r)) for r in conn.execute(sa.select(table)).mappings()]
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"{self.name}: cannot read the ledger: {_reason(exc)}") from exc
        return rows_frame(rows, [c.name for c in table.columns])

    def update_human_fields(self, task_id: str, **fields: Any) -> None:
        import sqlalchemy as sa

        check_human_fields(fields)
        try:
            with self._write_transaction() as conn:
                table = self._reflected(conn)
                unknown = sorted(set(fields) - set(table.c.keys()))
                if unknown:
                    raise LedgerError(f"{self.name}: no column {', '.join(unknown)} (add it with ALTER TABLE)")
                done = conn.execute(table.update().where(table.c[KEY] == task_id).values(**fields))
                if done.rowcount == 0:
                    raise LedgerError(f"{self.name}: no row with task_id {task_id!r}")
        except sa.exc.SQLAlchemyError as exc:
            raise LedgerError(f"{self.name}: cannot update {task_id!r}: {_reason(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_folder(engine: sa.Engine, name: str) -> None:
    """A SQLite ledger in a folder that does not exist yet gets the folder, as a file ledger does
    (SQLite itself says only "unable to open database file"). Opening is for writing: ``ledger show``
    and ``diff`` refuse a missing ledger before they get here."""
    from textkit.atomic import ensure_folder

    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().absolute().parent
    try:
        ensure_folder(folder)
    except OSError as exc:
        engine.dispose()
        raise LedgerError(f"{name}: cannot create its folder: {exc.filename or folder}: {exc.strerror}") from exc


def _sqlite_concurrency(engine: sa.Engine) -> None:
    """WAL (readers and one writer side by side), a busy timeout, and BEGIN IMMEDIATE for writes.

    pysqlite's own BEGIN is deferred: two writers that both read max(序号) first
    then deadlock on the upgrade, and SQLite answers "database is locked" at once.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(_WRITE) else "BEGIN")


def _transient(exc: Exception) -> bool:
    """A lock, deadlock, serialisation failure or concurrent insert/create: worth another try."""
    text = str(getattr(exc, "orig", exc)).lower()
    return any(word in text for word in (
        "locked", "busy", "deadlock", "could not serialize", "unique", "duplicate", "already exists",
    ))


def _to_db(values: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt

    out = dict(values)
    for column in _DATE_COLUMNS:
        if isinstance(out.get(column), str):
            out[column] = dt.date.fromisoformat(out[column])
    return out


def _from_db(row: dict[str, Any]) -> dict[str, Any]:
    for column in _DATE_COLUMNS:
        value = row.get(column)
        if value is not None and not isinstance(value, str):
            row[column] = value.isoformat()[:10]
    return row


def _reason(exc: Exception) -> str:
    """The driver's first line, without the SQL and parameters SQLAlchemy appends."""
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _safe(url: str) -> str:
    """A URL fit for a message: the password masked."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]
