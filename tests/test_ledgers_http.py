"""The HTTP ledger against a real server on 127.0.0.1: batches, retries, keys, tokens."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from textkit.errors import LedgerError
from textkit.ledgers import open_ledger
from textkit.ledgers.http import HTTPLedger
from textkit.ledgers.rows import idempotency_key
from textkit.ledgers.testing import LedgerService, improved, sample_document, sample_records, serve_ledger

TOKEN = "tk-very-secret-0001"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LedgerService]:
    with serve_ledger(open_ledger(str(tmp_path / "service.jsonl")), token=TOKEN) as running:
        yield running


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTKIT_LEDGER_TOKEN", TOKEN)


def posts(service: LedgerService) -> list[tuple[str, str, dict[str, str], object]]:
    return [r for r in service.requests if r[0] == "POST"]


def test_records_go_in_batches_with_keys_and_the_token(service: LedgerService) -> None:
    records = sample_records()
    with open_ledger(service.url, batch_size=2) as ledger:
        result = ledger.upsert(records, document=sample_document())
        assert (result.inserted, result.updated, result.unchanged) == (3, 0, 0)
        again = ledger.upsert([improved(records[0]), *records[1:]])
        assert (again.inserted, again.updated, again.unchanged) == (0, 1, 2)
        assert ledger.doc_ids() == {records[0].doc_id}
    sent = posts(service)
    assert [len(body["records"]) for _, _, _, body in sent] == [2, 1, 2, 1]  # type: ignore[index]
    method, path, headers, body = sent[0]
    assert path == "/ledger/records"
    assert headers["Authorization"] == f"Bearer {TOKEN}" and len(headers["Idempotency-Key"]) == 64
    item = body["records"][0]  # type: ignore[index]
    assert item["idempotency_key"] == idempotency_key(records[0])
    assert item["idempotency_key"].startswith(records[0].task_id + ":")
    assert item["row"]["牵头单位"] == "市委落实办" and item["record"] == records[0].to_dict()
    assert body["document"]["title"] == "在全市项目建设推进会上的讲话"  # type: ignore[index]


def test_a_server_that_fails_twice_then_succeeds(service: LedgerService, caplog: pytest.LogCaptureFixture) -> None:
    service.fail_first = 2
    caplog.set_level(logging.DEBUG)
    with open_ledger(service.url, retries=3, backoff=0.01) as ledger:
        result = ledger.upsert(sample_records())
        assert result.inserted == 3
        assert ledger.records() == sample_records()
    assert len(posts(service)) == 3
    assert caplog.text.count("HTTP 503") == 2 and "retry 2 of 3" in caplog.text
    assert TOKEN not in caplog.text


def test_backoff_doubles(service: LedgerService, monkeypatch: pytest.MonkeyPatch) -> None:
    import textkit.ledgers.http as http

    waits: list[float] = []
    monkeypatch.setattr(http.time, "sleep", waits.append)
    service.fail_first = 3
    with open_ledger(service.url, retries=3, backoff=0.25) as ledger:
        ledger.upsert(sample_records())
    assert waits == [0.25, 0.5, 1.0]


def test_giving_up_after_the_retries(service: LedgerService) -> None:
    service.fail_first = 10
    with open_ledger(service.url, retries=1, backoff=0.0) as ledger, pytest.raises(LedgerError, match="HTTP 503"):
        ledger.upsert(sample_records())
    assert len(posts(service)) == 2


def test_a_later_batch_failing_says_what_was_written(service: LedgerService) -> None:
    service.fail_after = 1
    with open_ledger(service.url, batch_size=2, retries=0) as ledger:
        with pytest.raises(LedgerError, match=r"HTTP 503.*the first 2 records were written; re-running is safe"):
            ledger.upsert(sample_records())
        assert len(ledger.read()) == 2
        service.fail_after = None
        result = ledger.upsert(sample_records())
    assert (result.inserted, result.unchanged) == (1, 2)


def test_a_rejected_token_is_a_ledger_error_that_hides_the_token(
    service: LedgerService, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TEXTKIT_LEDGER_TOKEN", "wrong-token-9999")
    with open_ledger(service.url) as ledger, pytest.raises(LedgerError, match="rejected the token") as caught:
        ledger.upsert(sample_records())
    assert "wrong-token-9999" not in str(caught.value) and "wrong-token-9999" not in caplog.text
    assert len(posts(service)) == 1, "a refused token is not retried"


def test_the_token_variable_name_is_configurable(service: LedgerService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTKIT_LEDGER_TOKEN")
    monkeypatch.setenv("OFFICE_LEDGER_TOKEN", TOKEN)
    with open_ledger(service.url, token_env="OFFICE_LEDGER_TOKEN") as ledger:
        assert ledger.upsert(sample_records()).inserted == 3


def test_an_unreachable_service(monkeypatch: pytest.MonkeyPatch) -> None:
    with open_ledger("http://127.0.0.1:9/ledger", retries=1, backoff=0.0) as ledger:
        with pytest.raises(LedgerError, match="ConnectError") as caught:
            ledger.read()
    assert TOKEN not in str(caught.value)


def test_server_errors_are_scrubbed_of_the_token(service: LedgerService) -> None:
    """A careless service that echoes the Authorization header does not leak it through us."""
    with HTTPLedger(service.url) as ledger:
        with pytest.raises(LedgerError, match="HTTP 404") as caught:
            ledger._request("GET", f"/nothing-{TOKEN}")
    assert TOKEN not in str(caught.value)


def test_human_edits_through_the_service(service: LedgerService) -> None:
    records = sample_records()
    with open_ledger(service.url) as ledger:
        ledger.upsert(records, document=sample_document())
        ledger.update_human_fields(records[0].task_id, 进展情况="完成过半", 状态="交办")
        with pytest.raises(LedgerError, match="404"):
            ledger.update_human_fields("unknown", 进展情况="x")
        ledger.upsert([improved(records[0])])
        row = ledger.read().set_index("task_id").loc[records[0].task_id]
    assert (row["进展情况"], row["状态"]) == ("完成过半", "交办")
    patch = [r for r in service.requests if r[0] == "PATCH"][0]
    assert patch[1] == f"/ledger/records/{records[0].task_id}"
