"""Every built-in ledger backend passes the contract in textkit.ledgers.testing, for real."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from textkit.ledgers import Ledger, open_ledger
from textkit.ledgers.testing import LedgerContract, check_ledger, serve_ledger

POSTGRES_URL = os.environ.get("TEXTKIT_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="set TEXTKIT_TEST_POSTGRES_URL=postgresql://user@127.0.0.1:port/db to run"
)


class TestSQLite(LedgerContract):
    def make_ledger(self, tmp_path: Path) -> Ledger:
        return open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}")


class TestBareSQLitePath(LedgerContract):
    def make_ledger(self, tmp_path: Path) -> Ledger:
        return open_ledger(str(tmp_path / "台账.sqlite"))


class TestExcel(LedgerContract):
    def make_ledger(self, tmp_path: Path) -> Ledger:
        return open_ledger(str(tmp_path / "台账.xlsx"))


class TestCSV(LedgerContract):
    def make_ledger(self, tmp_path: Path) -> Ledger:
        return open_ledger(str(tmp_path / "ledger.csv"))


class TestJSONLines(LedgerContract):
    def make_ledger(self, tmp_path: Path) -> Ledger:
        return open_ledger(str(tmp_path / "ledger.jsonl"))


@pytest.fixture(scope="class")
def postgres_tables() -> Iterator[dict[Path, str]]:
    """One table per test storage, dropped afterwards."""
    tables: dict[Path, str] = {}
    yield tables
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))  # type: ignore[union-attr]
    with engine.begin() as conn:
        for table in tables.values():
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()


@needs_postgres
@pytest.mark.postgres
class TestPostgres(LedgerContract):
    @pytest.fixture(autouse=True)
    def _tables(self, postgres_tables: dict[Path, str]) -> None:
        self.tables = postgres_tables

    def make_ledger(self, tmp_path: Path) -> Ledger:
        table = self.tables.setdefault(tmp_path, f"ledger_{uuid.uuid4().hex[:12]}")
        return open_ledger(POSTGRES_URL, table=table)  # type: ignore[arg-type]


class TestHTTP(LedgerContract):
    """The HTTP client against a real server on 127.0.0.1, backed by a JSON Lines ledger."""

    @pytest.fixture(autouse=True)
    def _services(self, tmp_path: Path) -> Iterator[None]:
        self.stack: dict[Path, str] = {}
        self.contexts: list = []
        yield
        for context in reversed(self.contexts):
            context.__exit__(None, None, None)

    def make_ledger(self, tmp_path: Path) -> Ledger:
        if tmp_path not in self.stack:
            context = serve_ledger(open_ledger(str(tmp_path / "service.jsonl")))
            service = context.__enter__()
            self.contexts.append(context)
            self.stack[tmp_path] = service.url
        return open_ledger(self.stack[tmp_path], backoff=0.01)


def test_check_ledger_runs_every_check(tmp_path: Path) -> None:
    """The one-call form a third-party test suite can use."""
    check_ledger(lambda where: open_ledger(str(where / "ledger.jsonl")), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir())[:2] == ["check_empty_batch", "check_failed_batch_writes_nothing"]


def test_the_contract_catches_a_backend_that_overwrites_human_edits(tmp_path: Path) -> None:
    """The suite has teeth: a backend that resets 进展情况 on re-seed fails it."""
    from textkit.ledgers.files import JSONLinesLedger
    from textkit.ledgers.testing import check_preserves_human_edits

    class Careless(JSONLinesLedger):
        def upsert(self, records, *, document=None):  # type: ignore[no-untyped-def]
            batch = list(records)
            result = super().upsert(batch, document=document)
            _, rows = self._load()
            for row in rows:
                row["进展情况"] = None
            self._dump(list(rows[0]) if rows else [], rows)
            return result

    with pytest.raises(AssertionError):
        check_preserves_human_edits(Careless(str(tmp_path / "careless.jsonl")))
