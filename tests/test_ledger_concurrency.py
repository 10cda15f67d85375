"""Issue 18: concurrent writers in separate processes lose no row and repeat no 序号, in every backend.

Each test starts real ``python`` processes that seed disjoint documents into one
ledger at the same moment (they wait on a start file), then counts the rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from textkit.ledgers import open_ledger
from textkit.pipeline import extract

from .conftest import wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("TEXTKIT_TEST_POSTGRES_URL")
WRITERS, DOCS = 8, 10

WRITER = r"""
import json, sys, time
from pathlib import Path
from textkit.ledgers import open_ledger
from textkit.records import Extraction

url, docs, start = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
options = {"table": sys.argv[4]} if len(sys.argv) > 4 else {}
extractions = [Extraction.from_dict(d) for d in json.loads(docs.read_text(encoding="utf-8"))]
while not start.exists():
    time.sleep(0.005)
for extraction in extractions:           # one upsert per document: the most read-modify-write cycles
    with open_ledger(url, **options) as ledger:
        ledger.seed(extraction)
"""


def speech(n: int) -> str:
    """A short speech of its own (distinct doc_id) with two tasks."""
    return (f"二、抓好第{n}批重点工作一要压实责任。县应急管理局要牵头,6月{n % 28 + 1}日前完成第{n}批危化企业检查。"
            f"二要加强调度。各乡镇要在{n % 12 + 1}月底前完成第{n}轮隐患整改。")


@pytest.fixture(scope="module")
def batches() -> list[list[dict]]:
    return [[extract(speech(w * DOCS + d), ref_date="2024-04-18").to_dict() for d in range(DOCS)]
            for w in range(WRITERS)]


def run_writers(url: str, batches: list[list[dict]], tmp_path: Path, *extra: str) -> None:
    start = tmp_path / f"start-{uuid.uuid4().hex}"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    procs = []
    for i, batch in enumerate(batches):
        docs = tmp_path / f"docs-{i}.json"
        docs.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
        procs.append(subprocess.Popen([sys.executable, str(script), url, str(docs), str(start), *extra], cwd=ROOT,
                                      stderr=subprocess.PIPE, text=True))
    time.sleep(1.5)  # let every writer import textkit and wait at the start line
    start.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]


def expected_ids(batches: list[list[dict]]) -> set[str]:
    return {t["task_id"] for batch in batches for doc in batch for t in doc["tasks"]}


@pytest.fixture
def postgres_url() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("set TEXTKIT_TEST_POSTGRES_URL=postgresql://user@127.0.0.1:port/db to run")
    table = f"ledger_{uuid.uuid4().hex[:12]}"
    yield table
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".db"])
def test_eight_writer_processes_lose_no_row(suffix: str, batches: list[list[dict]], tmp_path: Path) -> None:
    url = str(tmp_path / f"ledger{suffix}")
    if suffix == ".xlsx":  # each save rewrites the workbook: 8 x 5 keeps the suite's time, still 40 turns
        batches = [batch[:5] for batch in batches]
    run_writers(url, batches, tmp_path)
    frame = open_ledger(url).read()
    assert set(frame["task_id"]) == expected_ids(batches)
    assert len(frame) == len(expected_ids(batches))
    assert sorted(int(s) for s in frame["序号"]) == list(range(1, len(frame) + 1))
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.slow
@pytest.mark.postgres
def test_eight_writer_processes_into_postgresql(postgres_url: str, batches: list[list[dict]], tmp_path: Path) -> None:
    assert POSTGRES_URL
    run_writers(POSTGRES_URL, batches, tmp_path, postgres_url)
    with open_ledger(POSTGRES_URL, table=postgres_url) as ledger:
        frame = ledger.read()
    assert set(frame["task_id"]) == expected_ids(batches)
    assert sorted(int(s) for s in frame["序号"]) == list(range(1, len(frame) + 1))


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".db", ".sqlite"])
def test_one_document_seeded_by_eight_processes_at_once_is_one_set_of_rows(
    suffix: str, batches: list[list[dict]], tmp_path: Path
) -> None:
    url = str(tmp_path / f"ledger{suffix}")
    same = [[batches[0][0]] for _ in range(WRITERS)]
    run_writers(url, same, tmp_path)
    frame = open_ledger(url).read()
    assert sorted(frame["task_id"]) == sorted(expected_ids(same))
    assert sorted(int(s) for s in frame["序号"]) == list(range(1, len(frame) + 1))


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv"])  # the same lock guards .jsonl and .xlsx (tested above)
def test_serve_with_two_workers_loses_no_row(suffix: str, tmp_path: Path) -> None:
    """`textkit serve --workers 2` on a file ledger: every 200 "inserted: n" is in the file afterwards."""
    import socket
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ledger = tmp_path / f"served{suffix}"
    env = {**os.environ, "TEXTKIT_TOKEN": "tok"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from textkit.cli import main; main()", "serve", "--port", str(port), "--workers", "2",
         "--ledger", str(ledger)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(server, url, within=90, what="textkit serve")
        time.sleep(3)  # both workers up (each warms its model)

        def seed(n: int) -> httpx.Response:
            for _ in range(60):  # a worker at its extraction cap answers 429: retry, as a client should
                answer = httpx.post(f"{url}/v1/seed", json={"text": speech(1000 + n), "ref_date": "2024-04-18"},
                                    headers={"Authorization": "Bearer tok"}, timeout=120)
                if answer.status_code != 429:
                    return answer
                time.sleep(0.5)
            return answer

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(seed, range(24)))
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert [a.status_code for a in answers] == [200] * len(answers), [a.text for a in answers if a.status_code != 200]
    inserted = sum(a.json()["inserted"] for a in answers)
    frame = open_ledger(str(ledger)).read()
    assert inserted > 0 and len(frame) == inserted
    assert sorted(int(s) for s in frame["序号"]) == list(range(1, inserted + 1))


def test_a_ledger_kept_busy_by_another_writer_fails_cleanly_and_writes_nothing(
    batches: list[list[dict]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real second connection holds SQLite's write lock throughout: the seed gives up with a LedgerError
    naming the ledger (not a driver traceback), and the ledger holds exactly what it held before."""
    import sqlite3

    from textkit.errors import LedgerError
    from textkit.ledgers import sql
    from textkit.records import Extraction

    path = tmp_path / "busy.db"
    first, second = (Extraction.from_dict(d) for d in batches[0][:2])
    with open_ledger(str(path)) as ledger:
        ledger.seed(first)
        before = len(ledger.read())
    monkeypatch.setattr(sql, "SQLITE_BUSY_MS", 50)  # parameters, so the test waits a second, not minutes
    monkeypatch.setattr(sql, "RETRIES", 1)
    with open_ledger(str(path)) as ledger:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(LedgerError, match=r"busy\.db: .*(busy|locked)"):
                ledger.seed(second)
            with pytest.raises(LedgerError, match=r"busy\.db: another writer kept the ledger busy"):
                open_ledger(str(path)).close()  # opening makes sure the table and its indexes exist: a write
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    with open_ledger(str(path)) as ledger:
        assert len(ledger.read()) == before
