"""Issue 18: ledgers lose nothing and show no secret — redirects, symlinks, kills, locked databases, passwords."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from textkit.errors import LedgerError
from textkit.ledgers import open_ledger
from textkit.ledgers.testing import sample_document, sample_records

from .conftest import CORPUS, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture
def redirecting() -> Iterator[str]:
    """A real server on 127.0.0.1 that answers every request with 307 to another host."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _redirect(self) -> None:
            self.send_response(307)
            self.send_header("Location", "http://clerk:s3cret@127.0.0.1:9/elsewhere/records")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PATCH = _redirect

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ledger"
    server.shutdown()
    server.server_close()


def test_an_http_ledger_redirect_is_an_error_not_success(redirecting: str) -> None:
    with open_ledger(redirecting, retries=0) as ledger, pytest.raises(LedgerError, match="HTTP 307, a redirect") as err:
        ledger.upsert(sample_records(), document=sample_document())
    assert "s3cret" not in str(err.value) and "nothing was written" in str(err.value)


def test_the_cli_exits_non_zero_on_a_redirecting_ledger(redirecting: str, tmp_path: Path) -> None:
    from textkit.cli import app

    result = runner.invoke(app, ["extract", str(CORPUS / "docs" / "20_township-flood-control-speech.txt"),
                                 "--to", redirecting, "-f", "jsonl"])
    assert result.exit_code == 1 and "redirect" in result.output


@pytest.mark.parametrize("name", ["ledger.csv", "ledger.jsonl", "台账.xlsx"])
def test_a_symlinked_ledger_stays_a_symlink(tmp_path: Path, name: str) -> None:
    real = tmp_path / "shared" / name
    real.parent.mkdir()
    open_ledger(str(real)).upsert(sample_records()[:1], document=sample_document())
    link = tmp_path / name
    link.symlink_to(real)
    open_ledger(str(link)).upsert(sample_records(), document=sample_document())
    assert link.is_symlink(), "the link was replaced by a regular file"
    assert len(open_ledger(str(real)).read()) == len(sample_records()), "the target holds the new rows"


def test_ledger_show_on_a_missing_database_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    from textkit.cli import app

    missing = tmp_path / "typo.db"
    for url in (str(missing), f"sqlite:///{missing}"):
        result = runner.invoke(app, ["ledger", "show", url])
        assert result.exit_code == 1 and "no such ledger" in result.output
        result = runner.invoke(app, ["ledger", "diff", url, str(CORPUS / "docs" / "20_township-flood-control-speech.txt")])
        assert result.exit_code == 1
    assert not missing.exists()


KILLED_WRITER = r"""
import os, sys, time
from textkit.ledgers import open_ledger
from textkit.ledgers.testing import sample_records, sample_document

def stall(src, dst):   # the temp file is written and fsynced; the process is killed before the rename
    print("stalled", flush=True)
    time.sleep(60)

os.replace = stall
open_ledger(sys.argv[1]).upsert(sample_records(), document=sample_document())
"""


@pytest.mark.parametrize("name", ["ledger.csv", "台账.xlsx"])
def test_kill_9_mid_write_leaves_no_temp_file_after_the_next_write(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    open_ledger(str(path)).upsert(sample_records()[:1], document=sample_document())
    before = path.read_bytes()
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "stalled"
    writer.kill()
    writer.wait(10)
    assert list(tmp_path.glob(f".{name}.*.tmp")), "the kill left a temp file (the situation under test)"
    assert path.read_bytes() == before
    open_ledger(str(path)).upsert(sample_records(), document=sample_document())  # the lock is free again
    assert not list(tmp_path.glob(f".{name}.*.tmp"))
    assert len(open_ledger(str(path)).read()) == len(sample_records())


HOLDER = r"""
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
db.execute("SELECT count(*) FROM task_ledger").fetchall()
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


@pytest.mark.slow
def test_bulk_waits_for_a_process_that_holds_the_sqlite_ledger(tmp_path: Path) -> None:
    from textkit.bulk import run_bulk

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("20_township-flood-control-speech.txt", "21_county-safety-committee-minutes.txt"):
        shutil.copy(CORPUS / "docs" / name, docs / name)
    db = tmp_path / "ledger.db"
    open_ledger(str(db)).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "7"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    summary = run_bulk([str(docs)], str(db), workers=0)  # the old 5 s default timeout threw everything away
    holder.wait(30)
    assert summary.documents == 2 and summary.inserted > 0
    assert len(open_ledger(str(db)).read()) == summary.inserted


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_a_password_in_the_ledger_url_is_never_shown(tmp_path: Path) -> None:
    """The service's 503 body and log, and the CLI's error line, hide user:password and server paths."""
    from textkit.cli import app

    secret = "pa55-w0rd"
    url = f"http://clerk:{secret}@127.0.0.1:{_free_port()}/ledger"  # nothing listens there
    result = runner.invoke(app, ["extract", str(CORPUS / "docs" / "20_township-flood-control-speech.txt"),
                                 "--to", url, "-f", "jsonl"])
    assert result.exit_code == 1 and secret not in result.output and "***@127.0.0.1" in result.output

    port = _free_port()
    env = {**os.environ, "TEXTKIT_TOKEN": "tok", "TEXTKIT_LEDGER": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "textkit.service:app_from_env", "--factory", "--port", str(port),
         "--host", "127.0.0.1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_healthy(server, f"http://127.0.0.1:{port}")
        answer = httpx.post(f"http://127.0.0.1:{port}/v1/seed", headers={"Authorization": "Bearer tok"},
                            json={"text": "二、抓好重点工作一要压实责任。县应急管理局要牵头,6月30日前完成检查。"}, timeout=60)
        assert answer.status_code == 503 and secret not in answer.text
    finally:
        server.terminate()
        log = server.communicate(timeout=20)[0]
    assert secret not in log


def test_a_sqlite_503_shows_no_server_path(tmp_path: Path) -> None:
    from textkit.service import _public

    message = f"sqlite:///{tmp_path}/ledger.db: upsert rolled back: database is locked"
    assert str(tmp_path) not in _public(message) and "ledger.db" in _public(message)


def test_an_archive_of_300_one_megabyte_members_is_refused_before_any_is_read(tmp_path: Path) -> None:
    import zipfile

    from textkit.bulk import run_bulk

    archive = tmp_path / "big.zip"
    member = ("县应急管理局要牵头,6月30日前完成检查。" * 40_000).encode("utf-8")[: 1024 * 1024]
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for i in range(300):
            zf.writestr(f"speeches/{i:03d}.txt", member)
    started = time.perf_counter()
    summary = run_bulk([str(archive)], str(tmp_path / "ledger.db"), workers=0)
    assert summary.documents == 0 and summary.errors == 1
    assert "bytes uncompressed" in summary.first_errors[0][1]
    assert time.perf_counter() - started < 60
