"""What every ledger backend must do, as importable checks (like sklearn's ``check_estimator``).

A third-party backend proves itself in its own tests with either form::

    from textkit.ledgers.testing import LedgerContract, check_ledger

    class TestMyLedger(LedgerContract):          # pytest collects the inherited tests
        def make_ledger(self, tmp_path):
            return MyLedger(tmp_path / "ledger.my")   # same tmp_path → same ledger

    def test_my_ledger(tmp_path):                # or all checks in one test
        check_ledger(lambda where: MyLedger(where / "ledger.my"), tmp_path)

``make_ledger`` must return a ledger over the *same* storage each time it is
called with the same ``tmp_path`` (the persistence check reopens it), empty
the first time. Edits "by a person" go through ``Ledger.update_human_fields``.

:func:`serve_ledger` is a reference ledger service on 127.0.0.1 implementing
the HTTP convention of :mod:`textkit.ledgers.http`, backed by any ledger.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from textkit.errors import LedgerError, TextkitError
from textkit.ledgers.base import Ledger
from textkit.ledgers.rows import DEFAULT_STATUS, LEDGER_COLUMNS, idempotency_key
from textkit.records import Cadence, Deadline, Document, Extraction, Owner, Target, TaskRecord

DOC_ID = "d0c0ffee00000001"


def sample_document() -> Document:
    return Document(DOC_ID, "在全市项目建设推进会上的讲话", "2024-03-01", "seed.txt", ("一、", "二、"), 4200)


def sample_records() -> list[TaskRecord]:
    """Directives and subtasks with Chinese text, owners, deadlines, cadence, targets — and nulls."""
    directive = TaskRecord(
        task_id="a1b2c3d4e5f60001", doc_id=DOC_ID, kind="directive", parent_id=None, path="2.1",
        marker="一要", heading="在推动项目建设快速推进上持续用力",
        text="一要在推动项目建设快速推进上持续用力。市委落实办牵头,各X相关部门配合,确保XX月底前全部开工。",
        section="抓落实", span=(120, 188),
        owners=(Owner("市委落实办", "lead"), Owner("各X相关部门", "support", canonical="各县相关部门")),
        deadline=Deadline("XX月底前", "relative", None, placeholder=True),
        cadence=(Cadence("至少每月要报送一次", "monthly", day=None),),
        targets=(Target("XX%以上", None, "%", ">=", placeholder=True),),
        confidence=0.9,
    )
    subtask = TaskRecord(
        task_id="a1b2c3d4e5f60002", doc_id=DOC_ID, kind="subtask", parent_id=directive.task_id, path="2.1.1",
        marker=None, heading=None, text="各县(区)要在6月30日前完成项目入库,每月10日前报送进展。",
        section="抓落实", span=(150, 176),
        owners=(Owner("各县(区)", "unspecified"),),
        deadline=Deadline("6月30日前", "date", "2024-06-30"),
        cadence=(Cadence("每月10日前报送", "monthly", day=10),),
        targets=(Target("开工率不低于95%", 95.0, "%", ">="),),
        confidence=0.75,
    )
    bare = TaskRecord(
        task_id="a1b2c3d4e5f60003", doc_id=DOC_ID, kind="directive", parent_id=None, path="3",
        marker=None, heading=None, text="三、其他事项。请县项目办做好「服务保障」工作,主汛期前完成排查。",
        section=None, span=(300, 331),
    )
    return [directive, subtask, bare]


def improved(record: TaskRecord) -> TaskRecord:
    """The same task as a better extractor would give it (same task_id, new extracted fields)."""
    return record.evolve(owners=(*record.owners, Owner("市发展改革委", "lead")), confidence=0.95)


# -- the checks ---------------------------------------------------------------------


def check_empty_batch(ledger: Ledger) -> None:
    result = ledger.upsert([])
    assert (result.inserted, result.updated, result.unchanged, result.task_ids) == (0, 0, 0, ())
    assert len(ledger.read()) == 0
    assert list(ledger.read().columns[: len(LEDGER_COLUMNS)]) == list(LEDGER_COLUMNS)
    assert ledger.diff([]).is_empty and ledger.doc_ids() == set()
    assert ledger.records() == []


def check_round_trip(ledger: Ledger) -> None:
    records = sample_records()
    result = ledger.upsert(records, document=sample_document())
    assert (result.inserted, result.updated, result.unchanged) == (3, 0, 0)
    assert result.task_ids == tuple(r.task_id for r in records)
    assert ledger.records() == records, "records must round-trip exactly"
    frame = ledger.read()
    assert list(frame["task_id"]) == [r.task_id for r in records]
    assert [int(s) for s in frame["序号"]] == [1, 2, 3]
    first = frame.iloc[0]
    assert first["工作任务"] == records[0].text
    assert first["牵头单位"] == "市委落实办" and first["配合单位"] == "各X相关部门"
    assert first["完成时限"] == "XX月底前" and _empty(first["截止日期"])
    assert first["状态"] == DEFAULT_STATUS and _empty(first["进展情况"]) and _empty(first["备注"])
    assert first["任务来源"] == "在全市项目建设推进会上的讲话（2024-03-01）"
    assert first["原文位置"] == "120-188"
    assert frame.iloc[1]["截止日期"] == "2024-06-30"
    assert _empty(frame.iloc[2]["牵头单位"]) and _empty(frame.iloc[2]["完成时限"])
    assert ledger.doc_ids() == {DOC_ID}


def check_idempotent(ledger: Ledger) -> None:
    records = sample_records()
    ledger.upsert(records, document=sample_document())
    before = ledger.read()
    again = ledger.upsert(records, document=sample_document())
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert ledger.upsert(records).unchanged == 3, "a run without the document keeps 任务来源"
    assert ledger.diff(records).is_empty
    after = ledger.read()
    assert after.equals(before), "re-running the same extraction must change nothing"


def check_updates_extracted_fields(ledger: Ledger) -> None:
    records = sample_records()
    ledger.upsert(records[:2], document=sample_document())
    better = [improved(records[0]), records[1], records[2]]
    diff = ledger.diff(better)
    assert diff.inserted == (records[2].task_id,) and diff.updated == (records[0].task_id,)
    assert diff.unchanged == (records[1].task_id,)
    assert diff.changes_for(records[0].task_id)["牵头单位"] == ("市委落实办", "市委落实办、市发展改革委")
    assert len(ledger.read()) == 2, "diff must not write"
    result = ledger.upsert(better)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    assert ledger.records() == better
    assert list(ledger.read()["序号"]) == [1, 2, 3]


def check_preserves_human_edits(ledger: Ledger) -> None:
    records = sample_records()
    ledger.upsert(records, document=sample_document())
    task_id = records[0].task_id
    ledger.update_human_fields(task_id, 进展情况="已完成80%,正在收尾", 状态="催办", 备注="李X跟进")
    with contextlib.suppress(LedgerError):
        ledger.update_human_fields(task_id, 状态="不存在的状态")
        raise AssertionError("a 状态 outside the workflow must be refused")
    with contextlib.suppress(LedgerError):
        ledger.update_human_fields(task_id, 工作任务="改写")
        raise AssertionError("extracted columns are not human-editable")
    result = ledger.upsert([improved(records[0]), *records[1:]], document=sample_document())
    assert (result.updated, result.unchanged) == (1, 2)
    row = ledger.read().set_index("task_id").loc[task_id]
    assert row["进展情况"] == "已完成80%,正在收尾" and row["状态"] == "催办" and row["备注"] == "李X跟进"
    assert row["牵头单位"] == "市委落实办、市发展改革委"
    assert ledger.upsert([improved(records[0])]).unchanged == 1


def check_failed_batch_writes_nothing(ledger: Ledger) -> None:
    ledger.upsert(sample_records()[:1])
    before = ledger.read()

    def batch() -> Iterator[TaskRecord]:
        yield improved(sample_records()[0])
        yield sample_records()[1]
        raise RuntimeError("extractor crashed mid-document")

    with contextlib.suppress(RuntimeError):
        ledger.upsert(batch())
        raise AssertionError("the error must propagate")
    assert ledger.read().equals(before)


def check_seed_many(ledger: Ledger) -> None:
    """Several documents in one call; each keeps its own 任务来源."""
    records = sample_records()
    other = Document("d0c0ffee00000002", "县委常委会会议纪要", None, "minutes.docx", (), 900)
    moved = [r.evolve(task_id=r.task_id[:-4] + "9" + r.task_id[-3:], doc_id=other.doc_id) for r in records[:2]]
    result = ledger.seed_many([Extraction(sample_document(), tuple(records)), Extraction(other, tuple(moved))])
    assert (result.inserted, result.updated, result.unchanged) == (5, 0, 0)
    frame = ledger.read().set_index("task_id")
    assert frame.loc[moved[0].task_id, "任务来源"] == "县委常委会会议纪要"
    assert ledger.doc_ids() == {DOC_ID, other.doc_id}
    assert sorted(int(s) for s in frame["序号"]) == [1, 2, 3, 4, 5]
    assert ledger.seed_many([Extraction(other, tuple(moved))]).unchanged == 2


CHECKS: tuple[Callable[[Ledger], None], ...] = (
    check_empty_batch,
    check_round_trip,
    check_idempotent,
    check_updates_extracted_fields,
    check_preserves_human_edits,
    check_failed_batch_writes_nothing,
    check_seed_many,
)


def check_persists(make_ledger: Callable[[], Ledger]) -> None:
    """Close, reopen: the same rows and human edits are there."""
    records = sample_records()
    with make_ledger() as ledger:
        ledger.upsert(records, document=sample_document())
        ledger.update_human_fields(records[1].task_id, 进展情况="已入库")
    with make_ledger() as ledger:
        assert ledger.records() == records
        assert ledger.read().set_index("task_id").loc[records[1].task_id, "进展情况"] == "已入库"
        assert ledger.upsert(records).unchanged == 3


def check_ledger(make_ledger: Callable[[Path], Ledger], workdir: Path) -> None:
    """Run every check, each on a ledger over fresh storage made for a new directory under ``workdir``."""
    for check in CHECKS:
        place = workdir / check.__name__
        place.mkdir(parents=True, exist_ok=True)
        with make_ledger(place) as ledger:
            check(ledger)
    place = workdir / "check_persists"
    place.mkdir(parents=True, exist_ok=True)
    check_persists(lambda: make_ledger(place))


class LedgerContract:
    """Subclass as ``Test…`` and define :meth:`make_ledger`; pytest runs every check."""

    def make_ledger(self, tmp_path: Path) -> Ledger:
        raise NotImplementedError

    def _run(self, check: Callable[[Ledger], None], tmp_path: Path) -> None:
        with self.make_ledger(tmp_path) as ledger:
            check(ledger)

    def test_empty_batch(self, tmp_path: Path) -> None:
        self._run(check_empty_batch, tmp_path)

    def test_round_trip(self, tmp_path: Path) -> None:
        self._run(check_round_trip, tmp_path)

    def test_idempotent(self, tmp_path: Path) -> None:
        self._run(check_idempotent, tmp_path)

    def test_updates_extracted_fields(self, tmp_path: Path) -> None:
        self._run(check_updates_extracted_fields, tmp_path)

    def test_preserves_human_edits(self, tmp_path: Path) -> None:
        self._run(check_preserves_human_edits, tmp_path)

    def test_failed_batch_writes_nothing(self, tmp_path: Path) -> None:
        self._run(check_failed_batch_writes_nothing, tmp_path)

    def test_seed_many(self, tmp_path: Path) -> None:
        self._run(check_seed_many, tmp_path)

    def test_persists(self, tmp_path: Path) -> None:
        check_persists(lambda: self.make_ledger(tmp_path))


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


# -- a reference ledger service -------------------------------------------------------


@dataclass
class LedgerService:
    """A running reference server; ``requests`` records (method, path, headers, body) of each call."""

    url: str
    backing: Ledger
    token: str | None = None
    fail_first: int = 0
    fail_after: int | None = None
    links: bool = False
    posts: int = 0
    requests: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextlib.contextmanager
def serve_ledger(backing: Ledger, *, token: str | None = None, fail_first: int = 0,
                 links: bool = False) -> Iterator[LedgerService]:
    """Serve ``backing`` on 127.0.0.1 (a free port) until the block ends.

    ``token``: require ``Authorization: Bearer <token>`` (else 401).
    ``fail_first``: answer the first N POSTs with 503, to exercise retries.
    ``links``: serve ``GET/POST /links`` from the backing ledger's link store (else 404, as a service without them).
    Set ``service.fail_after = N`` to answer every POST after the Nth with 503.
    """
    service = LedgerService(url="", backing=backing, token=token, fail_first=fail_first, links=links)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(service))
    service.url = f"http://127.0.0.1:{server.server_address[1]}/ledger"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="ledger-service", daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _handler(service: LedgerService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output (and tokens) quiet
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PATCH(self) -> None:
            self._serve("PATCH")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            with service.lock:
                service.requests.append((method, self.path, dict(self.headers), body))
                if service.token and self.headers.get("Authorization") != f"Bearer {service.token}":
                    return self._answer(401, {"error": "bad token"})
                if method == "POST":
                    service.posts += 1
                    if service.fail_first > 0 or (service.fail_after is not None and service.posts > service.fail_after):
                        service.fail_first = max(service.fail_first - 1, 0)
                        return self._answer(503, {"error": "try again"})
                try:
                    status, answer = _route(service.backing, method, self.path, body, links=service.links)
                except TextkitError as exc:
                    status, answer = 400, {"error": str(exc)}
            self._answer(status, answer)

        def _answer(self, status: int, answer: Any) -> None:
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _route(ledger: Ledger, method: str, path: str, body: Any, *, links: bool = False) -> tuple[int, Any]:
    parts = [unquote(p) for p in path.split("?", 1)[0].strip("/").split("/")]
    if links and parts[-1] == "links":
        return _links_route(ledger, method, body)
    if parts[-1] == "records" and method == "GET":
        rows = ledger.read().to_dict("records")
        for row in rows:
            row["record"] = json.loads(row["record"])
        return 200, {"rows": rows}
    if parts[-1] == "records" and method == "POST":
        records = [TaskRecord.from_dict(item["record"]) for item in body["records"]]
        for item, record in zip(body["records"], records, strict=True):
            if item.get("idempotency_key") != idempotency_key(record):
                return 400, {"error": f"bad idempotency key for {record.task_id}"}
        document = Document.from_dict(body["document"]) if body.get("document") else None
        diff = ledger.diff(records, document=document)
        ledger.upsert(records, document=document)
        return 200, {"inserted": list(diff.inserted), "updated": list(diff.updated), "unchanged": list(diff.unchanged)}
    if len(parts) >= 2 and parts[-2] == "records" and method == "PATCH":
        if parts[-1] not in ledger.get_rows([parts[-1]]):
            return 404, {"error": "no such task"}
        ledger.update_human_fields(parts[-1], **body)
        return 200, {}
    return 404, {"error": f"no route {method} {path}"}


def _links_route(ledger: Ledger, method: str, body: Any) -> tuple[int, Any]:
    """``/links`` kept in the backing ledger's own link store: new links and moves in one write."""
    from textkit.followups import Link
    from textkit.ledgers.links import Move, link_store

    store = link_store(ledger)
    if method == "GET":
        return 200, {"links": [x.to_dict() for x in store.all()]}
    if method != "POST":
        return 405, {"error": f"{method} /links"}
    fresh = [(Link.from_dict(item), str(item["doc_id"])) for item in body.get("links", [])]
    moves = [Move(str(item["from"]), Link.from_dict(item), str(item["doc_id"])) for item in body.get("moves", [])]
    return 200, {"inserted": store.add(fresh, moves)}


__all__ = [
    "CHECKS",
    "LedgerContract",
    "LedgerService",
    "check_ledger",
    "check_persists",
    "sample_document",
    "sample_records",
    "serve_ledger",
]
