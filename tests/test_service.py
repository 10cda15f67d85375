"""The HTTP service, called as other systems call it: real uvicorn on 127.0.0.1, httpx as the client."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")

import textkit  # noqa: E402
from textkit import service  # noqa: E402
from textkit.records import SCHEMA_VERSION  # noqa: E402

from .conftest import CORPUS, SPEECH, wait_until_healthy  # noqa: E402

TOKEN = "s3cret-令牌-for-tests"
ASCII_TOKEN = "s3cret-for-tests"
SMALL_LIMIT = 64 * 1024
REF = "2024-04-18"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Running:
    """A uvicorn server in a thread of this process (so tests can patch the service while it runs)."""

    def __init__(self, app: Any) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the service did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('service') / 'ledger.db'}"


@pytest.fixture(scope="module")
def server(ledger_url: str) -> Iterator[Running]:
    """A server with an SQLite ledger and the token taken from $TEXTKIT_TOKEN, as `textkit serve` runs it."""
    saved = os.environ.get(service.TOKEN_ENV)
    os.environ[service.TOKEN_ENV] = ASCII_TOKEN
    try:
        app = service.create_app(ledger_url)
    finally:
        if saved is None:
            os.environ.pop(service.TOKEN_ENV)
        else:
            os.environ[service.TOKEN_ENV] = saved
    with Running(app) as running:
        yield running


@pytest.fixture(scope="module")
def small() -> Iterator[Running]:
    """A server with a 64 KB body limit and no ledger."""
    with Running(service.create_app(None, max_body=SMALL_LIMIT, token="", warm=False)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code and body["detail"]
    assert "Traceback" not in response.text
    return str(body["detail"])


# --- service endpoints --------------------------------------------------------------------------


def test_health_and_version(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok", "worker": os.getpid()}  # the server runs in this process
    version = client.get("/v1/version").json()
    assert version["textkit"] == textkit.__version__
    assert version["schema_version"] == SCHEMA_VERSION
    assert version["model"] is None or version["model"]["format_version"] >= 1


def test_openapi_document_is_valid_and_docs_are_served(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    try:
        from openapi_spec_validator import validate
    except ImportError:
        assert document["openapi"].startswith("3.")
    else:
        validate(document)
    paths = document["paths"]
    assert {"/health", "/v1/version", "/v1/extract", "/v1/seed"} <= set(paths)
    for path in ("/v1/extract", "/v1/seed"):
        content = paths[path]["post"]["requestBody"]["content"]
        assert {"application/json", "multipart/form-data"} <= set(content)
    assert paths["/v1/seed"]["post"]["security"]
    assert "Extraction" in document["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


# --- extraction ---------------------------------------------------------------------------------


def test_extract_json_is_the_library_output(client: httpx.Client) -> None:
    path = CORPUS / "docs" / "01_city-economy-q1.txt"
    text = path.read_text(encoding="utf-8")
    response = client.post("/v1/extract", json={"text": text, "ref_date": REF, "source": path.name})
    assert response.status_code == 200, response.text
    assert response.json() == textkit.extract(text, ref_date=REF, source=path.name).to_dict()
    assert "\\u" not in response.text[:2000]  # Chinese written as is, per the contract


def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    for line in text.split("。"):
        if line:
            doc.add_paragraph(line + "。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 10)
    lines = [text[i : i + 40] for i in range(0, len(text), 40)]
    for i, line in enumerate(lines):
        page.drawString(30, 800 - 14 * i, line)
    page.save()
    return out.getvalue()


def _html(text: str) -> bytes:
    paragraphs = "".join(f"<p>{s}。</p>" for s in text.split("。") if s)
    return f"<html><head><title>讲话</title></head><body>{paragraphs}</body></html>".encode()


UPLOADS = {
    "speech-utf8.txt": lambda t: t.encode("utf-8"),
    "speech-gbk.txt": lambda t: t.encode("gbk"),
    "speech.docx": _docx,
    "speech.pdf": _pdf,
    "speech.html": _html,
}


@pytest.mark.parametrize("filename", list(UPLOADS))
def test_extract_upload_of_each_format(client: httpx.Client, filename: str) -> None:
    data = UPLOADS[filename](SPEECH)
    response = client.post("/v1/extract", files={"file": (filename, data)}, data={"ref_date": REF})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["document"]["source"] == filename
    directives = [t for t in result["tasks"] if t["kind"] == "directive"]
    assert any("压实企业主体责任" in t["text"].replace(" ", "").replace("\n", "") for t in directives)
    if filename.endswith(".txt"):  # plain text decodes to exactly the speech: same records as the library
        assert result == textkit.extract(SPEECH, ref_date=REF, source=filename).to_dict()


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": SPEECH, "ref_date": "2024-13-01"}, "ref_date"),
        ({"text": SPEECH, "ref_date": "next week"}, "ref_date"),
        ({"text": SPEECH, "ref_date": 1700000000}, "ref_date"),
        ({"text": ""}, "text"),
        ({"text": "  \n "}, "text"),
        ({"speech": SPEECH}, "speech"),
        ([SPEECH], "body"),
    ],
)
def test_bad_json_is_a_422_naming_the_field(client: httpx.Client, body: Any, field: str) -> None:
    assert field in _error(client.post("/v1/extract", json=body), 422, "invalid_input")


def test_bad_requests_are_json_errors(client: httpx.Client) -> None:
    not_json = client.post("/v1/extract", content=b"{text:", headers={"content-type": "application/json"})
    assert "JSON" in _error(not_json, 422, "invalid_input")
    _error(client.post("/v1/extract", content=SPEECH.encode(), headers={"content-type": "text/plain"}),
           415, "unsupported_media_type")
    bad_date = client.post("/v1/extract", files={"file": ("a.txt", SPEECH.encode())}, data={"ref_date": "tomorrow"})
    assert "ref_date" in _error(bad_date, 422, "invalid_input")
    no_file = client.post("/v1/extract", files={"other": ("a.txt", b"x")})
    assert "file" in _error(no_file, 422, "invalid_input")
    _error(client.get("/v1/nothing"), 404, "not_found")
    _error(client.get("/v1/extract"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("filename", "data", "status", "problem"),
    [
        ("speech.exe", b"MZ\x90\x00", 415, "unsupported file type"),
        ("speech.txt", b"\xff" * 300, 422, "speech.txt: cannot decode"),
        ("speech.txt", b"   \n", 422, "empty"),
        ("speech.docx", b"PK\x03\x04 not a zip", 422, "Word"),
        ("speech.pdf", b"%PDF-1.4 broken", 422, "PDF"),
    ],
    ids=["unsupported", "undecodable", "empty", "broken-docx", "broken-pdf"],
)
def test_unreadable_uploads_name_the_problem(
    client: httpx.Client, filename: str, data: bytes, status: int, problem: str
) -> None:
    response = client.post("/v1/extract", files={"file": (filename, data)})
    code = "unsupported_media_type" if status == 415 else "unreadable_document"
    assert problem in _error(response, status, code)


def test_an_unexpected_failure_is_a_json_500_without_internals(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("internal detail /etc/secret")

    monkeypatch.setattr(service, "_run_text", broken)
    response = client.post("/v1/extract", json={"text": SPEECH})
    _error(response, 500, "internal_error")
    assert "secret" not in response.text and "RuntimeError" not in response.text


def test_a_slow_document_does_not_block_other_requests(
    client: httpx.Client, server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = service._run_text

    def slow(*args: Any) -> Any:
        time.sleep(1.5)  # blocking, as a long extraction is
        return original(*args)

    monkeypatch.setattr(service, "_run_text", slow)
    done: dict[str, float] = {}

    def call_slow() -> None:
        started = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=30) as other:
            assert other.post("/v1/extract", json={"text": SPEECH}).status_code == 200
        done["slow"] = time.monotonic() - started

    worker = threading.Thread(target=call_slow)
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert client.get("/health").status_code == 200
    health = time.monotonic() - started
    worker.join(30)
    assert done["slow"] >= 1.5 and health < 0.5


# --- size limit ---------------------------------------------------------------------------------


def test_body_over_the_limit_by_content_length_is_413(small: Running) -> None:
    with httpx.Client(base_url=small.url, timeout=30) as c:
        big = "一" * (SMALL_LIMIT // 3 + 100)
        _error(c.post("/v1/extract", json={"text": big}), 413, "payload_too_large")
        upload = c.post("/v1/extract", files={"file": ("big.txt", big.encode())})
        _error(upload, 413, "payload_too_large")
        fits = c.post("/v1/extract", json={"text": SPEECH})
        assert fits.status_code == 200


def test_streamed_body_over_the_limit_is_413(small: Running) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count
        yield b'{"text": "'
        for _ in range(SMALL_LIMIT // 4096 + 2):
            yield b"x" * 4096
        yield b'"}'

    with httpx.Client(base_url=small.url, timeout=30) as c:
        response = c.post("/v1/extract", content=chunks(), headers={"content-type": "application/json"})
        _error(response, 413, "payload_too_large")


def test_default_limit_is_ten_megabytes() -> None:
    assert service.DEFAULT_MAX_BODY == 10 * 1024 * 1024
    assert service.create_app(warm=False).state.max_body == service.DEFAULT_MAX_BODY


# --- seeding ------------------------------------------------------------------------------------


def test_seed_refuses_without_the_right_token(client: httpx.Client) -> None:
    body = {"text": SPEECH, "ref_date": REF}
    missing = client.post("/v1/seed", json=body)
    _error(missing, 401, "unauthorized")
    assert missing.headers["www-authenticate"] == "Bearer"
    for header in (f"Bearer {ASCII_TOKEN}x", "Bearer", f"Basic {ASCII_TOKEN}", ASCII_TOKEN):
        _error(client.post("/v1/seed", json=body, headers={"Authorization": header}), 401, "unauthorized")
    non_ascii = client.post("/v1/seed", json=body, headers={b"Authorization": f"Bearer {TOKEN}".encode()})
    _error(non_ascii, 401, "unauthorized")


def test_seed_upserts_into_the_ledger(client: httpx.Client, ledger_url: str) -> None:
    from textkit.ledgers import open_ledger

    auth = {"Authorization": f"Bearer {ASCII_TOKEN}"}
    expected = textkit.extract(SPEECH, ref_date=REF, source="safety.txt")
    first = client.post("/v1/seed", files={"file": ("safety.txt", SPEECH.encode("gbk"))},
                        data={"ref_date": REF}, headers=auth)
    assert first.status_code == 200, first.text
    counts = first.json()
    assert counts["doc_id"] == expected.document.doc_id and counts["source"] == "safety.txt"
    assert counts["task_ids"] == [t.task_id for t in expected.tasks]
    assert counts["inserted"] + counts["updated"] + counts["unchanged"] == len(expected.tasks) > 0
    with open_ledger(ledger_url) as ledger:
        stored = {r.task_id for r in ledger.records()}
    assert set(counts["task_ids"]) <= stored
    again = client.post("/v1/seed", json={"text": SPEECH, "ref_date": REF, "source": "safety.txt"}, headers=auth)
    assert again.status_code == 200
    assert (again.json()["inserted"], again.json()["unchanged"]) == (0, len(expected.tasks))


def test_seed_without_a_ledger_or_token_is_503(small: Running) -> None:
    with httpx.Client(base_url=small.url, timeout=30) as c:
        response = c.post("/v1/seed", json={"text": SPEECH}, headers={"Authorization": "Bearer x"})
        assert "ledger" in _error(response, 503, "seeding_disabled")
    app = service.create_app("sqlite:///:memory:", token="", warm=False)
    with Running(app) as running, httpx.Client(base_url=running.url, timeout=30) as c:
        response = c.post("/v1/seed", json={"text": SPEECH}, headers={"Authorization": "Bearer x"})
        assert service.TOKEN_ENV in _error(response, 503, "seeding_disabled")


# --- the command, and property-based calls from the OpenAPI document ----------------------------


def test_textkit_serve_command(tmp_path: Path) -> None:
    port = _free_port()
    ledger = f"sqlite:///{tmp_path / 'served.db'}"
    env = {**os.environ, service.TOKEN_ENV: ASCII_TOKEN}
    command = [sys.executable, "-c", "from textkit.cli import main; main()", "serve", "--port", str(port),
               "--ledger", ledger, "--max-body-mb", "0.01"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(process, url, within=120, what="textkit serve")
        assert httpx.get(f"{url}/v1/version").json()["textkit"] == textkit.__version__
        _error(httpx.post(f"{url}/v1/extract", json={"text": "一" * 5000}), 413, "payload_too_large")
        seeded = httpx.post(f"{url}/v1/seed", json={"text": SPEECH[:3000], "ref_date": REF},
                            headers={"Authorization": f"Bearer {ASCII_TOKEN}"}, timeout=30)
        assert seeded.status_code == 200, seeded.text
    finally:
        process.terminate()
        output = process.communicate(timeout=60)[0]
    assert ASCII_TOKEN not in output


def test_no_server_error_for_generated_requests(server: Running) -> None:
    """schemathesis generates input for every operation of the OpenAPI document; no 5xx may come back.

    Driven through hypothesis directly rather than schemathesis's pytest plugin, which
    breaks with each new pytest release.
    """
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    for operation in operations:

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            case.call_and_validate(
                checks=[not_a_server_error], headers={"Authorization": f"Bearer {ASCII_TOKEN}"}, timeout=30
            )

        check()
