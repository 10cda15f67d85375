"""textkit over HTTP, for systems that keep 督办 ledgers but are not written in Python.

=======================  =====================================================
``POST /v1/extract``     a speech (JSON or an uploaded file) → ``{"document", "tasks"}``
``POST /v1/seed``        the same, upserted into the server's ledger → counts and task ids
``GET  /health``         liveness and the answering worker's process id
``GET  /v1/version``     library, directive model and schema versions
``GET  /openapi.json``   the OpenAPI document (``/docs`` renders it)
=======================  =====================================================

Every error is JSON ``{"error": <code>, "detail": <message>}``, never a
traceback. Extraction runs in a worker's bounded thread pool so one long document
does not hold up other requests; requests beyond its threads wait in a bounded
queue, and only a full queue answers 429. ``/v1/seed`` needs ``Authorization: Bearer <token>``
matching the environment variable ``TEXTKIT_TOKEN`` (compared in constant
time, never logged). ``textkit serve`` is the command line; ``create_app``
builds the app for tests, and ``app_from_env`` for uvicorn workers, which
get their settings from ``TEXTKIT_LEDGER``, ``TEXTKIT_MAX_BODY``, ``TEXTKIT_MAX_EXTRACTIONS``,
``TEXTKIT_MAX_QUEUE`` and ``TEXTKIT_EXTRACT_TIMEOUT``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import date
from functools import cache
from pathlib import PurePath
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from starlette.exceptions import HTTPException

from textkit.errors import InputError, LedgerError, TextkitError

__all__ = ["DEFAULT_MAX_BODY", "app_from_env", "create_app"]

DEFAULT_MAX_BODY = 10 * 1024 * 1024
BODY_TIMEOUT_ENV = "TEXTKIT_BODY_TIMEOUT"  # seconds a request body may stall between chunks (default 15)
DEFAULT_MAX_EXTRACTIONS = 2  # documents one worker extracts at once, its threads (4 x 8.5 MB reached 1.75 GB)
DEFAULT_MAX_QUEUE = 32  # requests one worker keeps waiting for a thread; beyond that it answers 429
DEFAULT_EXTRACT_TIMEOUT = 60.0  # seconds from admission (queue wait included) before a 503; running work keeps its place
MAX_EXTRACTIONS_ENV = "TEXTKIT_MAX_EXTRACTIONS"
MAX_QUEUE_ENV = "TEXTKIT_MAX_QUEUE"
EXTRACT_TIMEOUT_ENV = "TEXTKIT_EXTRACT_TIMEOUT"
TOKEN_ENV = "TEXTKIT_TOKEN"
LEDGER_ENV = "TEXTKIT_LEDGER"
MAX_BODY_ENV = "TEXTKIT_MAX_BODY"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("textkit.service")
_BEARER = HTTPBearer(auto_error=False, description=f"The server's ${TOKEN_ENV}.")
BearerToken = Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]


class ApiError(HTTPException):
    """An error answered as ``{"error": code, "detail": message}`` with ``status``."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail, headers)
        self.code = code


# --- request and response bodies ------------------------------------------------------------


class ExtractRequest(BaseModel):
    """A speech given as text. ``ref_date`` is "today" for relative deadlines (``年内``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The speech as the caller has it; spans point into it.")
    ref_date: Annotated[date | None, Field(strict=True)] = Field(
        None, description="Reference date YYYY-MM-DD; default: the document's own date."
    )
    source: str | None = Field(None, max_length=1000, description="A name for the document (file name, URL, id).")


class LinkOut(BaseModel):
    """A follow-up link the seed made: the document's task ``task_id`` follows the ledger's ``follows``."""

    task_id: str
    follows: str
    relation: str
    score: float


class SeedResult(BaseModel):
    """What an upsert did; ``task_ids`` are the document's ids in order."""

    doc_id: str
    source: str | None
    inserted: int
    updated: int
    unchanged: int
    task_ids: list[str]
    links: list[LinkOut] = []


class Health(BaseModel):
    status: str = "ok"
    worker: int = Field(default_factory=os.getpid, description="The answering worker's process id: which of "
                        "`textkit serve --workers N` answered (a kept-alive connection stays with one).")


class Versions(BaseModel):
    textkit: str
    schema_version: str
    model: dict[str, Any] | None = Field(description="The directive model in use; null when the rules decide.")


class ErrorBody(BaseModel):
    error: str = Field(description="A stable code: payload_too_large, unsupported_media_type, invalid_input, …")
    detail: str = Field(description="What went wrong, for a person.")


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        400: "Malformed multipart body or Content-Length.",
        413: "Body larger than the server's limit.",
        415: "Content type or file type textkit does not read.",
        422: "Invalid JSON, bad ref_date, or a document that cannot be decoded.",
        429: "This worker's extraction queue is full (see Retry-After).",
        503: "The extraction did not finish within the server's timeout (waiting in the queue included).",
        500: "Unexpected failure (no internals are returned).",
    }.items()
}
_SEED_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    401: {"model": ErrorBody, "description": "Missing or wrong bearer token."},
    503: {"model": ErrorBody, "description": "Seeding not configured (no ledger or no token) or the ledger failed."},
}

_JSON_BODY = {"$ref": "#/components/schemas/ExtractRequest"}
_UPLOAD_BODY = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "txt (any Chinese encoding), docx, pdf or html"},
        "ref_date": {"type": "string", "format": "date"},
        "source": {"type": "string"},
    },
}
_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _JSON_BODY}, "multipart/form-data": {"schema": _UPLOAD_BODY}},
    }
}


# --- the app ----------------------------------------------------------------------------------


def create_app(ledger_url: str | None = None, *, max_body: int = DEFAULT_MAX_BODY, token: str | None = None,
               warm: bool = True, max_extractions: int = DEFAULT_MAX_EXTRACTIONS,
               extract_timeout: float = DEFAULT_EXTRACT_TIMEOUT, max_queue: int = DEFAULT_MAX_QUEUE) -> FastAPI:
    """The service. ``token`` defaults to ``$TEXTKIT_TOKEN``; seeding needs it and ``ledger_url``.

    ``max_extractions`` threads extract; up to ``max_queue`` more requests wait for one.

    ``warm`` loads the segmenter and model at start-up, so the first request is not the slow one.
    """
    import textkit

    token = os.environ.get(TOKEN_ENV) if token is None else token
    ledger_lock = threading.Lock()  # file ledgers (xlsx, csv) are rewritten whole: one writer at a time

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if ledger_url is not None:  # a wrong URL or missing driver should stop the server, not the first seed
            await anyio.to_thread.run_sync(_check_ledger, ledger_url)
        if warm:
            await anyio.to_thread.run_sync(_warm_up)
        yield
        app.state.extractions.close()

    from fastapi_offline import FastAPIOffline  # /docs and /redoc from packaged files: they work offline

    app = FastAPIOffline(
        title="textkit",
        version=textkit.__version__,
        description="Extract task records (directive, owners, deadline, cadence, targets) from Chinese policy "
        "speeches and seed task ledgers (落实台账).",
        lifespan=lifespan,
    )
    app.state.ledger_url = ledger_url
    app.state.max_body = max_body
    app.state.extractions = ExtractionPool(max_extractions, max_queue)
    app.state.extract_timeout = extract_timeout
    _install_error_handlers(app)
    app.add_middleware(BodyLimit, max_body=max_body)

    @app.get("/health", response_model=Health, tags=["service"])
    async def health() -> Health:
        """Liveness: the process answers, and which worker process it is."""
        return Health()

    @app.get("/v1/version", response_model=Versions, tags=["service"])
    async def version() -> Versions:
        """Library, directive-model and output-schema versions, so callers can tell what produced a record."""
        from textkit.records import SCHEMA_VERSION

        model = await anyio.to_thread.run_sync(model_info)
        return Versions(textkit=textkit.__version__, schema_version=SCHEMA_VERSION, model=model)

    @app.post(
        "/v1/extract",
        tags=["extract"],
        responses={200: {"description": "The task-record contract's JSON.",
                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Extraction"}}}},
                   **_ERRORS},
        openapi_extra=_REQUEST_BODY,
    )
    async def extract(request: Request) -> JSONResponse:
        """Extract the task records of one speech: JSON ``{"text", "ref_date", "source"}`` or a file upload."""
        result = await _extract_request(request)
        return _json(result.to_dict())

    @app.post("/v1/seed", tags=["extract"], response_model=SeedResult, responses=_SEED_ERRORS,
              openapi_extra=_REQUEST_BODY)
    async def seed(
        request: Request, credentials: BearerToken) -> SeedResult:
        """Extract a speech and upsert its records into the server's ledger; needs the bearer token."""
        if ledger_url is None:
            raise ApiError(503, "seeding_disabled", "this server has no ledger (start it with --ledger URL)")
        if not token:
            raise ApiError(503, "seeding_disabled", f"this server has no token (set {TOKEN_ENV} before starting it)")
        if credentials is None or not _same(credentials.credentials, token):
            raise ApiError(401, "unauthorized", "a valid 'Authorization: Bearer <token>' header is required",
                           headers={"WWW-Authenticate": "Bearer"})
        result = await _extract_request(request)
        counts, links = await anyio.to_thread.run_sync(_upsert, ledger_url, ledger_lock, result)
        return SeedResult(doc_id=result.document.doc_id, source=result.document.source, inserted=counts.inserted,
                          updated=counts.updated, unchanged=counts.unchanged, task_ids=list(counts.task_ids),
                          links=[LinkOut(**x.to_dict()) for x in links])

    _describe_extraction(app)
    return app


def app_from_env() -> FastAPI:
    """The app as ``textkit serve`` configures it, for ``uvicorn --factory`` and its worker processes."""
    raw = os.environ.get(MAX_BODY_ENV)
    try:
        max_body = int(raw) if raw else DEFAULT_MAX_BODY
    except ValueError:
        raise ValueError(f"{MAX_BODY_ENV}={raw!r} is not a number of bytes") from None
    try:
        slots = int(os.environ.get(MAX_EXTRACTIONS_ENV) or DEFAULT_MAX_EXTRACTIONS)
        queue = int(os.environ.get(MAX_QUEUE_ENV) or DEFAULT_MAX_QUEUE)
        timeout = float(os.environ.get(EXTRACT_TIMEOUT_ENV) or DEFAULT_EXTRACT_TIMEOUT)
    except ValueError:
        raise ValueError(f"{MAX_EXTRACTIONS_ENV} and {MAX_QUEUE_ENV} must be whole numbers, "
                         f"{EXTRACT_TIMEOUT_ENV} seconds") from None
    return create_app(os.environ.get(LEDGER_ENV) or None, max_body=max_body, max_extractions=slots,
                      extract_timeout=timeout, max_queue=queue)


# --- reading a request --------------------------------------------------------------------------


async def _extract_request(request: Request) -> Any:
    """Parse JSON or multipart input and run the pipeline in a worker thread."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        body = _parse_json(await request.body())
        return await _bounded(request, _run_text, body.text, body.ref_date, body.source)
    if media_type == "multipart/form-data":
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            ref_date = _form_date(form.get("ref_date"))
            source = form.get("source")
            if upload is None:
                raise ApiError(422, "invalid_input", "the multipart body needs a 'file' part holding the document")
            if isinstance(upload, str):  # a plain field, no file name: take it as UTF-8 text
                data, filename = upload.encode("utf-8"), None
            else:
                data, filename = await upload.read(), upload.filename
        name = PurePath(filename).name if filename else "upload"
        suffix = PurePath(name).suffix.lower() or ".txt"
        _check_suffix(name, suffix)
        src = source if isinstance(source, str) and source else name
        return await _bounded(request, _run_upload, data, name, suffix, ref_date, src)
    raise ApiError(415, "unsupported_media_type",
                   f"send application/json or multipart/form-data, not {media_type or 'a body without a type'!r}")


class ExtractionPool:
    """A worker's extraction threads and the bounded queue in front of them.

    Requests running plus waiting never exceed ``threads + queue``; one more is
    refused before any work (429). A request whose caller stops waiting (the
    timeout) leaves the queue at once; one already running keeps its place until
    its work really ends, since a thread cannot be stopped: the bound is on the
    work in progress, not on the answers sent.
    """

    def __init__(self, threads: int, queue: int) -> None:
        self.threads, self.queue = max(1, threads), max(0, queue)
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="textkit-extract")
        self._lock = threading.Lock()
        self._admitted = 0

    def submit(self, work: Callable[..., Any], *args: Any) -> Future[Any] | None:
        """The running extraction, or None when the threads are busy and the queue is full."""
        with self._lock:
            if self._admitted >= self.threads + self.queue:
                return None
            self._admitted += 1
        future = self._executor.submit(work, *args)
        future.add_done_callback(self._leave)  # done, failed or cancelled while queued
        return future

    def _leave(self, _: Future[Any]) -> None:
        with self._lock:
            self._admitted -= 1

    def close(self) -> None:
        """Drop what is still queued; running work finishes in the background."""
        self._executor.shutdown(wait=False, cancel_futures=True)


async def _bounded(request: Request, work: Callable[..., Any], *args: Any) -> Any:
    """Run one extraction on this worker's pool, waiting in its queue if need be (429 when the queue is
    full), and answer within the timeout, waiting included (503)."""
    state = request.app.state
    pool: ExtractionPool = state.extractions
    future = pool.submit(work, *args)
    if future is None:
        raise ApiError(429, "too_many_requests", f"this worker is extracting {pool.threads} documents and has "
                       f"{pool.queue} waiting; retry in a few seconds", headers={"Retry-After": "2"})
    try:
        with anyio.fail_after(state.extract_timeout):
            return await asyncio.wrap_future(future)  # cancelled with the wait: a queued request leaves the queue
    except TimeoutError:
        raise ApiError(503, "extraction_timeout", f"the extraction did not finish within {state.extract_timeout:g} s; "
                       "split the document or try again later", headers={"Retry-After": "30"}) from None


def _parse_json(raw: bytes) -> ExtractRequest:
    try:
        body = ExtractRequest.model_validate_json(raw)
    except PydanticValidationError as exc:
        raise ApiError(422, "invalid_input", "; ".join(_describe_error(e) for e in exc.errors())) from None
    if not body.text.strip():
        raise ApiError(422, "invalid_input", "text: no text (only whitespace)")
    return body


def _describe_error(error: Any) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())) or "body"
    return f"{where}: {error.get('msg', 'invalid')}"


def _form_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ApiError(422, "invalid_input", f"ref_date: {str(value)[:40]!r} is not a date (YYYY-MM-DD)") from None


def _check_suffix(name: str, suffix: str) -> None:
    from textkit.io import HTML_SUFFIXES, SUPPORTED, TEXT_SUFFIXES

    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}:
        raise ApiError(415, "unsupported_media_type",
                       f"{name}: unsupported file type {suffix!r} (textkit reads {', '.join(SUPPORTED)})")


def _run_text(text: str, ref_date: date | None, source: str | None) -> Any:
    from textkit.pipeline import extract

    return extract(text, ref_date=ref_date, source=source)


def _run_upload(data: bytes, name: str, suffix: str, ref_date: date | None, source: str) -> Any:
    from textkit.io import read_bytes

    return _run_text(read_bytes(data, name=name, suffix=suffix), ref_date, source)


def _same(given: str, token: str) -> bool:
    """Constant-time comparison; bytes, because header values may hold non-ASCII characters."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("utf-8", "surrogateescape"))


def _upsert(url: str, lock: threading.Lock, result: Any) -> Any:
    from textkit.ledgers import open_ledger

    with lock, open_ledger(url) as ledger:
        counts = ledger.seed(result)  # seeding also links the document to the ledger's earlier tasks
        return counts, list(getattr(ledger, "last_links", []))


def _check_ledger(url: str) -> None:
    from textkit.ledgers import open_ledger

    open_ledger(url).close()


def _warm_up() -> None:
    """Load the segmenter's dictionary, the model and every lazy import now, not in the first caller's request."""
    from textkit.pipeline import warm_up

    warm_up()
    _run_text("二、抓好重点工作一要压实责任。县应急管理局要牵头,6月30日前完成。二是要加强调度。", None, "warm-up")


@cache
def model_info() -> dict[str, Any] | None:
    """What identifies the directive model in use (path, file hash, training date and corpus, feature count); None: rules."""
    from textkit.model import model_status

    status = model_status()
    if not status.get("loaded"):
        return None
    # the path stays out: a caller needs to know which model, not where the server keeps it
    return {"kind": "LinearModel", **{k: v for k, v in status.items() if isinstance(v, int | float | str) and k != "path"}}


# --- errors, limits and the OpenAPI document -----------------------------------------------------


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return _UnicodeJSON(data, status_code=status, headers=headers)


class _UnicodeJSON(JSONResponse):
    """JSON with Chinese written as is (the contract: UTF-8, not ``\\u`` escapes)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return _json({"error": code, "detail": detail}, status, headers)


_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
                 413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_input"}


def _install_error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        code = getattr(exc, "code", None) or _STATUS_CODES.get(exc.status_code, "error")
        return _error(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _error(422, "invalid_input", "; ".join(_describe_error(e) for e in exc.errors()))

    async def input_error(request: Request, exc: Exception) -> JSONResponse:
        # InputError names the upload and the problem: undecodable, empty, corrupt, bad ref_date.
        return _error(422, "unreadable_document", str(exc))

    async def ledger_error(request: Request, exc: Exception) -> JSONResponse:
        from textkit.redact import redact

        log.error("ledger failed: %s", redact(str(exc)))  # the log may keep paths; never a password
        return _error(503, "ledger_unavailable", f"the ledger refused the records: {_public(str(exc))}")

    async def textkit_error(request: Request, exc: Exception) -> JSONResponse:
        return _error(422, "invalid_input", str(exc))

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The traceback goes to the server log (uvicorn prints it); the caller learns nothing internal.
        return _error(500, "internal_error", "the server failed to process this request; it has been logged")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(LedgerError, ledger_error)
    app.add_exception_handler(TextkitError, textkit_error)
    app.add_exception_handler(Exception, unexpected)


class BodyLimit:
    """Refuse bodies over ``max_body`` bytes with 413: by Content-Length up front, and by counting
    what arrives (chunked uploads carry no length)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body
        self.body_timeout = float(os.environ.get(BODY_TIMEOUT_ENV) or 15)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                if not value.strip().isdigit():
                    await _send_error(send, 400, "bad_request", "Content-Length is not a number")
                    return
                if int(value) > limit:
                    await _send_error(send, 413, "payload_too_large", _too_large(limit))
                    return
        received = 0
        body_done = False
        stall = self.body_timeout

        async def counted() -> Message:
            nonlocal received, body_done
            if body_done:  # later receives wait for a disconnect, legitimately long
                return await receive()
            try:
                with anyio.fail_after(stall):  # a body trickling in holds a worker: 408
                    message = await receive()
            except TimeoutError:
                raise ApiError(408, "request_timeout", f"no part of the body arrived for {stall:g} s",
                               headers={"Connection": "close"}) from None
            if message["type"] == "http.request":
                body_done = not message.get("more_body", False)
                received += len(message.get("body", b""))
                if received > limit:  # raised inside the endpoint's read, answered by the HTTPException handler
                    raise ApiError(413, "payload_too_large", _too_large(limit))
            return message

        await self.app(scope, counted, send)


_SERVER_DIRS = re.compile(r"""(?<![\w.])/(?:[^\s/'":]+/)+(?=[^\s/'"]+)""")


def _public(message: str) -> str:
    """A message fit for any caller: no URL password, no directory of the server's file system."""
    from textkit.redact import redact

    return _SERVER_DIRS.sub("", redact(message))


def _too_large(limit: int) -> str:
    return f"the body is larger than this server's limit of {limit:,} bytes"


async def _send_error(send: Send, status: int, code: str, detail: str) -> None:
    body = json.dumps({"error": code, "detail": detail}, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _describe_extraction(app: FastAPI) -> None:
    """Put the task-record contract's JSON Schema and the JSON request body into the OpenAPI document."""
    from textkit.records import json_schema

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            contract = json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update({k: v for k, v in contract["$defs"].items() if k not in ("task", "document")})
            components["Extraction"] = {k: v for k, v in contract.items() if not k.startswith("$") and k != "schema_version"}
            components["ExtractRequest"] = ExtractRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
