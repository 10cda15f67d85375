"""SQL ledgers: one transaction per upsert, columns a person added survive; SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from textkit.errors import LedgerError
from textkit.ledgers import open_ledger
from textkit.ledgers.sql import SQLLedger, engine_url
from textkit.ledgers.testing import improved, sample_document, sample_records

POSTGRES_URL = os.environ.get("TEXTKIT_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLLedger]:
    if request.param == "sqlite":
        opened = open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    else:
        if not POSTGRES_URL:
            pytest.skip("set TEXTKIT_TEST_POSTGRES_URL=postgresql://user@127.0.0.1:port/db to run")
        opened = open_ledger(POSTGRES_URL, table=f"ledger_{uuid.uuid4().hex[:12]}")
    assert isinstance(opened, SQLLedger)
    yield opened
    if request.param == "postgresql":
        with opened.engine.begin() as conn:
            opened.table.drop(conn)
    opened.close()


def test_a_column_added_with_alter_table_survives(ledger: SQLLedger) -> None:
    records = sample_records()
    ledger.upsert(records[:2], document=sample_document())
    with ledger.engine.begin() as conn:
        conn.execute(sa.text(f'ALTER TABLE "{ledger.table.name}" ADD COLUMN "督查人" TEXT'))
    ledger.update_human_fields(records[0].task_id, 督查人="王X", 进展情况="已开工")
    result = ledger.upsert([improved(records[0]), *records[1:]], document=sample_document())
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    frame = ledger.read().set_index("task_id")
    assert frame.loc[records[0].task_id, "督查人"] == "王X"
    assert frame.loc[records[0].task_id, "进展情况"] == "已开工"
    assert frame.loc[records[2].task_id, "督查人"] is None
    with pytest.raises(LedgerError, match="no column 联系人"):
        ledger.update_human_fields(records[0].task_id, 联系人="x")


def test_a_failure_inside_the_transaction_rolls_everything_back(
    ledger: SQLLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = sample_records()
    ledger.upsert(records[:1])
    before = ledger.read()

    def fail(self: SQLLedger, conn: sa.Connection, task_id: str, values: dict) -> None:
        conn.execute(sa.text("SELECT * FROM no_such_table"))  # the database refuses, after the inserts ran

    monkeypatch.setattr(SQLLedger, "_apply_update", fail)
    with pytest.raises(LedgerError, match="upsert rolled back"):
        ledger.upsert([improved(records[0]), *records[1:]])
    assert ledger.read().equals(before)
    assert len(ledger.read()) == 1


def test_due_dates_are_date_columns(ledger: SQLLedger) -> None:
    import datetime as dt

    ledger.upsert(sample_records())
    with ledger.engine.connect() as conn:
        due = conn.execute(sa.select(ledger.table.c["截止日期"]).where(ledger.table.c.path == "2.1.1")).scalar()
    assert due == dt.date(2024, 6, 30)


def test_many_records_in_one_upsert(ledger: SQLLedger) -> None:
    base = sample_records()[1]
    records = [base.evolve(task_id=f"bulk{i:012d}", path=f"2.1.{i}") for i in range(1200)]
    assert ledger.upsert(records).inserted == 1200
    assert ledger.upsert(records).unchanged == 1200
    assert ledger.doc_ids() == {base.doc_id}


def test_engine_urls() -> None:
    assert engine_url("ledger.db") == "sqlite:///ledger.db"
    assert engine_url("file:///tmp/ledger.db") == "sqlite:////tmp/ledger.db"
    assert engine_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_an_unreachable_database_is_a_ledger_error_without_the_password() -> None:
    with pytest.raises(LedgerError) as caught:
        open_ledger("postgresql://textkit:s3cret-pw@127.0.0.1:9/nowhere", engine_options={"connect_args": {"connect_timeout": 2}})
    assert "s3cret-pw" not in str(caught.value) and "127.0.0.1:9" in str(caught.value)
