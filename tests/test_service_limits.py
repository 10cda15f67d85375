"""Issue 18: one request cannot pin a worker — a cap on concurrent extractions with a bounded queue in
front (issue 15: requests wait; 429 only when the queue is full), a timeout (503), and ref_date
validated (422, not 500). A real uvicorn server on 127.0.0.1, httpx as the client."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from .test_service import Running  # skips the module when uvicorn is missing  # isort: skip

from textkit import service  # noqa: E402

from .conftest import CORPUS, wait_until_healthy  # noqa: E402

SHORT = "二、抓好重点工作一要压实责任。县应急管理局要牵头,年内完成危化企业检查。"


def _long_speech(chars: int) -> str:
    """Real speeches end to end: several seconds of honest extraction work, no sleep() in the service."""
    text = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in sorted((CORPUS / "docs").glob("*.txt")))
    return (text * (chars // len(text) + 1))[:chars]


def _hold_long(monkeypatch: pytest.MonkeyPatch, ran: dict[str | None, tuple[float, float]] | None = None) -> threading.Event:
    """The request named ``long`` keeps its worker thread until the test releases it, then does its real
    extraction: how long "busy" lasts no longer depends on how fast this machine extracts."""
    release = threading.Event()
    extract = service._run_text

    def held(text: str, ref_date: object, source: str | None) -> object:
        started = time.monotonic()
        try:
            if source == "long":
                release.wait(120)
            return extract(text, ref_date, source)  # type: ignore[arg-type]
        finally:
            if ran is not None:
                ran[source] = (started, time.monotonic())

    monkeypatch.setattr(service, "_run_text", held)
    return release


def _post_in_thread(client: httpx.Client, text: str, answers: dict[str, httpx.Response], name: str) -> threading.Thread:
    def post() -> None:
        answers[name] = client.post("/v1/extract", json={"text": text, "source": name})

    thread = threading.Thread(target=post)
    thread.start()
    return thread


@pytest.mark.slow
def test_a_busy_worker_queues_requests_and_answers_429_only_when_its_queue_is_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: dict[str | None, tuple[float, float]] = {}  # when the server's extraction of each request ran
    release = _hold_long(monkeypatch, ran)
    app = service.create_app(max_extractions=1, max_queue=1, extract_timeout=120, warm=True)
    with Running(app) as running, httpx.Client(base_url=running.url, timeout=120) as client:
        answers: dict[str, httpx.Response] = {}
        long_one = _post_in_thread(client, _long_speech(30_000), answers, "long")
        time.sleep(1.0)  # the long document now holds the only thread
        queued = _post_in_thread(client, SHORT, answers, "queued")
        time.sleep(0.5)  # the short one waits in the queue's only place
        busy = client.post("/v1/extract", json={"text": SHORT, "source": "busy"})
        release.set()
        assert busy.status_code == 429, busy.text
        assert busy.json()["error"] == "too_many_requests" and busy.headers["Retry-After"]
        long_one.join(120)
        queued.join(120)
        assert answers["long"].status_code == 200
        assert answers["queued"].status_code == 200, "a request beyond the threads waits; it is not refused"
        assert ran["queued"][0] >= ran["long"][1], "it ran once the long one had finished, from the queue"
        assert "busy" not in ran and len(ran) == 3, "the refused request did no work"  # long, queued, warm-up
        assert client.post("/v1/extract", json={"text": SHORT}).status_code == 200


@pytest.mark.slow
def test_a_request_that_times_out_in_the_queue_gives_its_place_back(monkeypatch: pytest.MonkeyPatch) -> None:
    release = _hold_long(monkeypatch)
    app = service.create_app(max_extractions=1, max_queue=1, extract_timeout=1.0, warm=True)
    with Running(app) as running, httpx.Client(base_url=running.url, timeout=120) as client:
        answers: dict[str, httpx.Response] = {}
        long_one = _post_in_thread(client, _long_speech(30_000), answers, "long")
        time.sleep(0.3)
        waited = client.post("/v1/extract", json={"text": SHORT})  # queued behind the long one, then too late
        assert waited.status_code == 503 and waited.json()["error"] == "extraction_timeout"
        # the long extraction still runs (a thread cannot be stopped) and keeps its place; the queue's is free
        again = client.post("/v1/extract", json={"text": SHORT})
        release.set()
        assert again.status_code != 429, again.text
        long_one.join(120)


@pytest.mark.slow
def test_an_extraction_over_the_timeout_is_a_503_and_its_slot_comes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    release = _hold_long(monkeypatch)
    app = service.create_app(max_extractions=1, extract_timeout=0.5, warm=True)
    with Running(app) as running, httpx.Client(base_url=running.url, timeout=120) as client:
        started = time.monotonic()
        answer = client.post("/v1/extract", json={"text": _long_speech(30_000), "source": "long"})
        assert answer.status_code == 503 and answer.json()["error"] == "extraction_timeout"
        assert time.monotonic() - started < 3, "the caller waited for the whole extraction"
        release.set()
        deadline = time.monotonic() + 120
        # until the abandoned extraction ends, a short one waits behind it in the queue and times out too
        while (again := client.post("/v1/extract", json={"text": SHORT})).status_code in (429, 503):
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert again.status_code == 200


@pytest.mark.parametrize("ref_date", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_a_ref_date_out_of_range_is_a_422_not_a_500(ref_date: str, tmp_path: Path) -> None:
    app = service.create_app(warm=False)
    with Running(app) as running, httpx.Client(base_url=running.url, timeout=60) as client:
        as_json = client.post("/v1/extract", json={"text": SHORT, "ref_date": ref_date})
        as_form = client.post("/v1/extract", files={"file": ("a.txt", SHORT.encode())}, data={"ref_date": ref_date})
    for answer in (as_json, as_form):
        assert answer.status_code == 422, answer.text
        assert "ref_date" in answer.json()["detail"] and "Traceback" not in answer.text


def test_the_cli_refuses_an_out_of_range_ref_date_without_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from textkit.cli import app

    speech = tmp_path / "s.txt"
    speech.write_text(SHORT, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(speech), "--ref-date", "9999-12-31"])
    assert result.exit_code == 2 and "outside" in result.output
    assert "Traceback" not in result.output


def test_docs_are_served_from_the_package_and_work_offline() -> None:
    import re

    app = service.create_app(warm=False)
    with Running(app) as running, httpx.Client(base_url=running.url, timeout=30) as client:
        page = client.get("/docs")
        assert page.status_code == 200 and "SwaggerUIBundle" in page.text
        assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
        assert assets and all(a.startswith("/") for a in assets), f"an asset from another host: {assets}"
        for asset in assets:
            answer = client.get(asset)
            assert answer.status_code == 200 and len(answer.content) > 1000, asset
        bundle = next(a for a in assets if a.endswith(".js"))
        assert b"isOAS31" in client.get(bundle).content, "the bundled Swagger UI renders OpenAPI 3.1"


@pytest.mark.slow
def test_slow_headers_and_a_stalled_body_do_not_hold_the_server(tmp_path: Path) -> None:
    """`textkit serve`: a connection whose headers never finish is closed; a body that stalls is a 408."""
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TEXTKIT_HEADER_TIMEOUT": "2", "TEXTKIT_BODY_TIMEOUT": "2"}
    server = subprocess.Popen([sys.executable, "-c", "from textkit.cli import main; main()", "serve", "--port",
                               str(port), "--workers", "1"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(server, f"http://127.0.0.1:{port}")
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        for conn in slow:
            conn.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\n")  # the headers never end
            conn.settimeout(40)  # generous: a loaded CI machine; without the timeout they never close
        started = time.monotonic()
        assert all(conn.recv(100) == b"" for conn in slow), "the server closes them"
        assert time.monotonic() - started < 30
        stalled = socket.create_connection(("127.0.0.1", port))
        stalled.settimeout(40)
        stalled.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 1000\r\n\r\n{\"text\": \"")
        answer = b""
        while chunk := stalled.recv(4096):  # headers and body may come in separate packets; the server closes
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408") and b"request_timeout" in answer
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.communicate(timeout=30)
