"""A ledger kept by a web service: ``http://…`` or ``https://…`` (the base URL).

The service convention (``textkit.ledgers.testing.serve_ledger`` is a
reference server that implements it):

``POST {base}/records`` — seed a batch. Body::

    {"document": {Document.to_dict()} or null,
     "records": [{"idempotency_key": "<task_id>:<content hash>",
                  "task_id": "...", "content_hash": "...",
                  "record": {TaskRecord.to_dict()},
                  "row": {the flat ledger columns: 工作任务, 牵头单位, 完成时限, …}}]}

  Headers: ``Authorization: Bearer <token>`` when the token variable is set,
  ``Idempotency-Key`` (a hash of the batch's record keys). The service
  upserts on ``task_id`` under the same rules as every ledger (never
  overwriting 状态/进展情况/备注 or added columns; a repeated key changes
  nothing) and answers ``200`` with ``{"inserted": [task_id…], "updated":
  […], "unchanged": […]}`` (counts instead of lists are accepted too).

``GET {base}/records`` — every row: ``{"rows": [{column: value, …,
"record": {…}}]}``; used by ``read()``, ``diff()`` and ``doc_ids()``.

``PATCH {base}/records/{task_id}`` — set human columns: body ``{"进展情况": "…"}``;
``404`` when the task is unknown.

``401``/``403`` mean the token was refused (a :class:`LedgerError`, no retry);
``408``, ``429``, ``5xx`` and network errors are retried ``retries`` times
with exponential backoff (``backoff × 2ⁿ`` seconds). Batches are sent in
order and each is atomic on the service's side; if batch *k* fails for good,
batches before it stay written — re-running is safe because every record
carries its idempotency key.

The token is read from the environment variable named by ``token_env``
(``TEXTKIT_LEDGER_TOKEN`` by default). It is never logged and never appears
in an error message: anything a server echoes is scrubbed of it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from textkit.errors import LedgerError
from textkit.ledgers.base import Ledger, rows_frame
from textkit.ledgers.rows import (
    KEY,
    LEDGER_COLUMNS,
    UpsertResult,
    canonical_json,
    check_human_fields,
    content_hash,
    extracted_values,
    idempotency_key,
    unique_records,
)
from textkit.records import Document, TaskRecord

if TYPE_CHECKING:
    import httpx
    import pandas as pd

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset((408, 429, 500, 502, 503, 504))


class HTTPLedger(Ledger):
    """Options: ``token_env``, ``batch_size`` (100), ``retries`` (3), ``backoff`` (0.5 s), ``timeout`` (10 s)."""

    def __init__(
        self,
        url: str,
        *,
        token_env: str = "TEXTKIT_LEDGER_TOKEN",
        batch_size: int = 100,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        if batch_size < 1 or retries < 0 or backoff < 0:
            raise LedgerError(f"{url}: batch_size must be >= 1, retries and backoff >= 0")
        self.base = url.rstrip("/")
        self.name = _strip_credentials(self.base)  # messages and logs never show user:password
        self.batch_size, self.retries, self.backoff = batch_size, retries, backoff
        self._token = os.environ.get(token_env) or None
        headers = {"Accept": "application/json", "User-Agent": "textkit-ledger"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        self._client = httpx.Client(headers=headers, timeout=timeout, transport=transport)

    def upsert(self, records: Iterable[TaskRecord], *, document: Document | None = None) -> UpsertResult:
        batch = unique_records(records)
        inserted = updated = unchanged = 0
        for start in range(0, len(batch), self.batch_size):
            chunk = batch[start : start + self.batch_size]
            items = [_item(record) for record in chunk]
            batch_key = hashlib.sha256("\n".join(i["idempotency_key"] for i in items).encode()).hexdigest()
            body = {"document": document.to_dict() if document else None, "records": items}
            try:
                answer = self._request("POST", "/records", json=body, headers={"Idempotency-Key": batch_key})
            except LedgerError as exc:
                if start:
                    raise LedgerError(
                        f"{exc} (the first {start} records were written; re-running is safe)"
                    ) from exc
                raise
            inserted += _count(answer, "inserted")
            updated += _count(answer, "updated")
            unchanged += _count(answer, "unchanged")
        return UpsertResult(inserted, updated, unchanged, tuple(r.task_id for r in batch))

    def get_rows(self, task_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        wanted = None if task_ids is None else set(task_ids)
        rows = self._fetch()
        return {r[KEY]: r for r in rows if r.get(KEY) and (wanted is None or r[KEY] in wanted)}

    def _fetch(self) -> list[dict[str, Any]]:
        answer = self._request("GET", "/records")
        rows = answer.get("rows") if isinstance(answer, dict) else None
        if not isinstance(rows, list):
            raise LedgerError(f"{self.name}: GET /records did not answer {{\"rows\": [...]}}")
        for row in rows:
            if isinstance(row.get("record"), dict):
                row["record"] = canonical_json(row["record"])
        return rows

    def read(self) -> pd.DataFrame:
        rows = self._fetch()
        extra = dict.fromkeys(c for row in rows for c in row if c not in LEDGER_COLUMNS)
        return rows_frame(rows, extra)

    def update_human_fields(self, task_id: str, **fields: Any) -> None:
        check_human_fields(fields)
        self._request("PATCH", f"/records/{quote(task_id, safe='')}", json=fields)

    def close(self) -> None:
        self._client.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One call with retries (tenacity: exponential backoff); every message is scrubbed of the token."""
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=wait_exponential(multiplier=self.backoff, exp_base=2, min=0),  # backoff × 2ⁿ
            retry=retry_if_exception_type(_Retryable),
            before_sleep=lambda state: self._log_retry(state, method, path),
            sleep=lambda seconds: time.sleep(seconds),
            reraise=True,
        )
        try:
            return retrying(self._attempt, method, path, **kwargs)
        except _Retryable as exc:
            raise LedgerError(self._scrub(f"{self.name}: {method} {path} {exc.final}")) from None

    def _attempt(self, method: str, path: str, **kwargs: Any) -> Any:
        """One request: the answer's JSON, a ``_Retryable`` for what may pass, a ``LedgerError`` for what will not."""
        import httpx

        try:
            response = self._client.request(method, self.base + path, **kwargs)
        except httpx.TransportError as exc:
            raise _Retryable(type(exc).__name__, f"failed: {type(exc).__name__}") from None
        if response.status_code in (401, 403):
            raise LedgerError(f"{self.name}: the service rejected the token (HTTP {response.status_code})")
        if response.is_redirect or 300 <= response.status_code < 400:
            # Never success: nothing was written. Following it silently could send records elsewhere.
            target = _strip_credentials(response.headers.get("location", "")) or "nowhere"
            raise LedgerError(self._scrub(
                f"{self.name}: {method} {path} answered HTTP {response.status_code}, a redirect to {target}; "
                "nothing was written — use the ledger URL the service redirects to"))
        if response.status_code >= 400:
            answer = f"answered HTTP {response.status_code}: {response.text[:200].strip()}"
            if response.status_code in RETRY_STATUSES:
                raise _Retryable(f"HTTP {response.status_code}", answer)
            raise LedgerError(self._scrub(f"{self.name}: {method} {path} {answer}"))
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise LedgerError(f"{self.name}: {method} {path} did not answer JSON") from None

    def _log_retry(self, state: Any, method: str, path: str) -> None:
        problem = str(state.outcome.exception()) if state.outcome else "?"
        delay = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "%s %s%s: %s; retry %d of %d in %.2fs",
            method, self.name, path, self._scrub(problem), state.attempt_number, self.retries, delay,
        )

    def _scrub(self, message: str) -> str:
        message = _strip_credentials(message)
        return message.replace(self._token, "***") if self._token else message


class _Retryable(Exception):
    """A failure worth another attempt (network error, 408/429/5xx); ``final`` is the message if none is left."""

    def __init__(self, problem: str, final: str) -> None:
        super().__init__(problem)
        self.final = final


def _strip_credentials(url: str) -> str:
    """A URL fit for a message: ``user:password@`` removed."""
    from textkit.redact import redact

    return redact(url)


def _item(record: TaskRecord) -> dict[str, Any]:
    row = extracted_values(record)
    row.pop("record")
    return {
        "idempotency_key": idempotency_key(record),
        "task_id": record.task_id,
        "content_hash": content_hash(record),
        "record": record.to_dict(),
        "row": row,
    }


def _count(answer: Any, key: str) -> int:
    value = answer.get(key, 0) if isinstance(answer, dict) else 0
    return len(value) if isinstance(value, list) else int(value or 0)
