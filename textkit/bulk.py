"""Extraction over whole archives: a process pool here, a Dask cluster beyond one machine.

Both engines run one pure function, :func:`extract_document` (bytes and a
name in, a plain dict out, never raising for a bad document), so they give
the same records. :func:`run_bulk` feeds it through a bounded, ordered window
of futures and streams results to a ledger in batches: memory stays flat
however large the archive, and the ledger's 序号 follow the input order.

Resuming is by content: each worker decodes a document, takes its
``document_id`` and skips it when the ledger already holds that id, so a
killed run restarted with the same command picks up where it stopped. Each
document is upserted in its own transaction, so a document is either wholly
in the ledger or not at all. (A document without any task leaves no row, so
it is extracted again on a restart; it still writes nothing.)
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter, deque
from collections.abc import Container, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol

from textkit.errors import InputError, LedgerError, TextkitError
from textkit.io import read_bytes
from textkit.pipeline import DateLike, extract, warm_up
from textkit.records import Extraction, document_id
from textkit.sources import DEFAULT_LIMITS, InputRef, Reader, ZipLimits, discover

if TYPE_CHECKING:
    import dask.bag
    import pandas as pd

    from textkit.ledgers import Ledger

Engine = Literal["local", "dask"]
BATCH_SIZE = 50
WRITE_RETRIES = 4  # a failed ledger write is tried again after 2, 4, 8, 16 s
WRITE_BACKOFF = 2.0
WRITE_PACE = 4.0  # after a write that took t seconds, extract for at least 4t before the next one
MAX_UNWRITTEN = 10  # …but never hold more than 10 batches unwritten: memory stays bounded however slow writes get
SCHEDULER_TIMEOUT = "10s"  # a wrong --scheduler address fails in 10 s, not after Dask's 30 s
log = logging.getLogger(__name__)

#: Columns of :func:`extract_frame`'s result: one row per task, or one row with ``error`` per failed text.
FRAME_COLUMNS = (
    "source", "doc_id", "task_id", "kind", "parent_id", "path", "marker", "heading", "text", "section",
    "owners", "deadline", "cadence", "targets", "span", "confidence", "error",
)


# --- the per-document function -------------------------------------------------------


def extract_document(
    data: bytes,
    name: str,
    *,
    suffix: str | None = None,
    ref_date: DateLike = None,
    skip: Container[str] = frozenset(),
) -> dict[str, Any]:
    """One document's bytes to ``{"source", "status", ...}``; the unit of work of every engine.

    ``status`` is ``"ok"`` (with ``doc_id``, ``chars`` and ``extraction``, the
    ``Extraction.to_dict()``), ``"skipped"`` (its ``doc_id`` is in ``skip``)
    or ``"error"`` (with the reason in ``error``). ``suffix`` says how to read
    the bytes and defaults to ``name``'s.
    """
    kind = suffix if suffix is not None else PurePosixPath(name).suffix
    try:
        text = read_bytes(data, name=name, suffix=kind)
        doc_id = document_id(text)
        if doc_id in skip:
            return {"source": name, "status": "skipped", "doc_id": doc_id}
        extraction = extract(text, ref_date=ref_date, source=name)
    except InputError as exc:
        return {"source": name, "status": "error", "error": exc.problem}
    except TextkitError as exc:
        return {"source": name, "status": "error", "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one odd document must not end a run over thousands
        return {"source": name, "status": "error", "error": f"internal error: {type(exc).__name__}: {exc}"}
    return {"source": name, "status": "ok", "doc_id": doc_id, "chars": len(text), "extraction": extraction.to_dict()}


# --- the local engine: a process pool ------------------------------------------------


class _Worker:
    """What a pool process was given once by its initializer (not per task: ``skip`` may be large)."""

    ref_date: DateLike = None
    skip: frozenset[str] = frozenset()


def _init_worker(ref_date: DateLike, skip: frozenset[str]) -> None:
    import signal

    # Ctrl-C is the parent's to handle: it writes what finished, then stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _Worker.ref_date, _Worker.skip = ref_date, skip
    warm_up()


def _pooled(data: bytes, name: str, suffix: str) -> dict[str, Any]:
    return extract_document(data, name, suffix=suffix, ref_date=_Worker.ref_date, skip=_Worker.skip)


class _Pending(Protocol):
    def result(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class _Ready:
    """A result known without a worker (a refused zip member, an unreadable file)."""

    value: dict[str, Any]

    def result(self) -> dict[str, Any]:
        return self.value


class _Submitter(Protocol):
    def __call__(self, data: bytes, name: str, suffix: str) -> _Pending: ...


# --- the run --------------------------------------------------------------------------


@dataclass
class BulkSummary:
    """What a bulk run did; ``failed`` decides the exit code."""

    documents: int = 0
    tasks: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    errors: int = 0
    chars: int = 0
    inserted: int = 0
    updated: int = 0
    seconds: float = 0.0
    #: Time spent writing the ledger, and when the next write may start (see ``_write``).
    write_seconds: float = 0.0
    write_ready: float = 0.0
    #: What to suggest when writing is slow: a whole-file ledger can move to SQLite, a database cannot.
    whole_file_ledger: bool = False
    #: The first few failures as (source, reason), for a caller that wrote no error report.
    first_errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.errors > 0

    def add(self, outcome: dict[str, Any]) -> None:
        status = outcome["status"]
        if status == "skipped":
            self.skipped += 1
        elif status == "error":
            self.errors += 1
            if len(self.first_errors) < 20:
                self.first_errors.append((outcome["source"], outcome["error"]))
        else:
            self.documents += 1
            self.chars += outcome["chars"]
            tasks = outcome["extraction"]["tasks"]
            self.tasks += len(tasks)
            self.kinds.update(t["kind"] for t in tasks)

    def lines(self) -> list[str]:
        files = self.documents + self.skipped + self.errors
        rate = files / self.seconds if self.seconds else 0.0  # files/s, as the progress bar counts
        kinds = ", ".join(f"{n} {k}s" for k, n in sorted(self.kinds.items())) or "none"
        lines = [
            f"documents  {self.documents} extracted ({self.chars:,} characters; {files} files, {rate:.1f} files/s)",
            f"tasks      {self.tasks} ({kinds}); {self.inserted} rows inserted, {self.updated} updated",
            f"skipped    {self.skipped} already in the ledger",
            f"errors     {self.errors}",
            f"time       {self.seconds:.1f} s ({self.write_seconds:.1f} s writing the ledger)",
        ]
        if self.documents and not self.tasks:
            lines.append("note       no directive was found in any document: nothing was written")
        if self.write_seconds > max(5.0, 0.25 * self.seconds):
            advice = ("for big runs seed an SQLite ledger (sqlite:///ledger.db), then export it "
                      "(textkit ledger show … --format csv)") if self.whole_file_ledger else \
                "writing links each document's tasks to the earlier ones in the ledger (follow-ups); a remote database or a busy disk adds to it"
            lines.append(f"note       writing the ledger took {self.write_seconds:.0f} of {self.seconds:.0f} s; {advice}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents, "tasks": self.tasks, "kinds": dict(self.kinds), "skipped": self.skipped,
            "errors": self.errors, "chars": self.chars, "inserted": self.inserted, "updated": self.updated,
            "seconds": round(self.seconds, 3),
        }


def run_bulk(
    sources: Iterable[str],
    to: str,
    *,
    workers: int | None = None,
    ref_date: DateLike = None,
    glob: str | None = None,
    errors: str | Path | None = None,
    engine: Engine = "local",
    scheduler: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: bool = False,
    stdin: IO[str] | None = None,
    limits: ZipLimits = DEFAULT_LIMITS,
) -> BulkSummary:
    """Extract every document of ``sources`` into the ledger at ``to``; see the module docstring.

    ``workers`` defaults to the CPU count (0 runs in this process, for
    debugging). ``errors`` is a JSON Lines file of ``{"source", "error"}``,
    rewritten each run. With ``engine="dask"``, ``scheduler`` is the address
    of a running cluster (``tcp://host:8786``); without it a local cluster of
    ``workers`` processes is started.
    """
    from textkit.ledgers import open_ledger

    started = time.perf_counter()
    refs = discover(sources, glob=glob, stdin=stdin, limits=limits)
    summary = BulkSummary()
    with open_ledger(to) as ledger, _ErrorReport(errors) as report:
        done = frozenset(ledger.doc_ids())
        from textkit.ledgers.files import FileLedger

        summary.whole_file_ledger = isinstance(ledger, FileLedger)
        with _Engine(engine, workers, scheduler, ref_date, done) as submit:
            window = max(2 * batch_size, 4 * (workers or 1))
            batch: list[Extraction] = []
            with _Progress(progress, len(refs)) as advance:
                try:
                    for outcome in _ordered(refs, submit, window, limits):
                        summary.add(outcome)
                        advance()
                        if outcome["status"] == "error":
                            report.write(json.dumps({"source": outcome["source"], "error": outcome["error"]},
                                                    ensure_ascii=False) + "\n")
                            report.flush()
                        elif outcome["status"] == "ok":
                            batch.append(Extraction.from_dict(outcome["extraction"]))
                            due = time.perf_counter() >= summary.write_ready or len(batch) >= MAX_UNWRITTEN * batch_size
                            if len(batch) >= batch_size and due:
                                _write(ledger, batch, summary, batch_size, final=False)
                except KeyboardInterrupt:
                    _write(ledger, batch, summary, batch_size)  # keep what finished; the restart skips it
                    raise
                _write(ledger, batch, summary, batch_size)
    summary.seconds = time.perf_counter() - started
    return summary


def _ordered(refs: list[InputRef], submit: _Submitter, window: int, limits: ZipLimits) -> Iterator[dict[str, Any]]:
    """Outcomes in input order, with at most ``window`` documents read but not yet handed back."""
    pending: deque[_Pending] = deque()
    with Reader(limits) as reader:
        for ref in refs:
            if len(pending) >= window:
                yield pending.popleft().result()
            try:
                data = reader.read(ref)
            except InputError as exc:
                pending.append(_Ready({"source": ref.source, "status": "error", "error": exc.problem}))
                continue
            pending.append(submit(data, ref.source, ref.suffix))
    while pending:
        yield pending.popleft().result()


def _write(ledger: Ledger, batch: list[Extraction], summary: BulkSummary, size: int = BATCH_SIZE, *,
           final: bool = True) -> None:
    """Seed a batch and empty it: SQL ledgers commit each document on its own, file ledgers
    write the file once per batch (``seed_many``).

    A ledger whose seeder stays alive between seeds (SQLite) is seeded ``size`` documents at a time, in
    input order, even when writes lagged and several batches wait (a write that is not ``final`` leaves
    the documents past the last whole batch for the next one): what a seed reads to link its documents
    (the candidates' views and meta, the links along their chains) stays in memory until it ends and
    grows with the ledger, so the 500-document writes of a lagging run set the parent's memory; and the
    links, which depend on which documents are seeded together, no longer depend on how much writes
    lagged. Other ledgers read or write everything at each seed and take the whole batch at once.
    """
    kept = _kept(ledger)
    upto = len(batch) if final or not kept else len(batch) - len(batch) % size
    # the batches as they arrived (a document without tasks still takes its place), each seeded without those
    parts = [batch[start:start + size] for start in range(0, upto, size)] if kept else [batch[:upto]]
    del batch[:upto]
    seeds = [seed for seed in ([x for x in part if x.tasks] for part in parts) if seed]
    if not seeds:
        return
    started = time.perf_counter()
    for number, seed in enumerate(seeds):
        try:
            counts = _seed_retrying(ledger, seed, sum(len(rest) for rest in seeds[number:]))
        except BaseException:
            batch[:0] = [x for rest in seeds[number:] for x in rest]  # what was seeded stays seeded
            raise
        summary.inserted += counts.inserted
        summary.updated += counts.updated
    took = time.perf_counter() - started
    summary.write_seconds += took
    # A whole-file ledger (a workbook) costs more to write as it grows; batches then grow too, so
    # writing stays under a fifth of the run (Excel bulk was 24x slower than SQLite at 50 per write).
    summary.write_ready = time.perf_counter() + WRITE_PACE * took


def _kept(ledger: Ledger) -> bool:
    """Whether the ledger's seeder stays alive between seeds (an SQLite ledger's; see ``link_tasks.for_seed``)."""
    from textkit.ledgers import link_tasks

    return link_tasks.keeps(ledger)


def _seed_retrying(ledger: Ledger, extractions: list[Extraction], unwritten: int | None = None) -> Any:
    """A busy ledger (a reader holding SQLite, a person saving the workbook) is waited for, not fatal:
    the extracted batch is kept and written again with backoff; only then does the run stop, saying
    how many extracted documents were not written (``unwritten``: this seed's and those after it;
    a re-run extracts just those)."""
    unwritten = len(extractions) if unwritten is None else unwritten
    delay = WRITE_BACKOFF
    for attempt in range(WRITE_RETRIES + 1):
        try:
            return ledger.seed_many(extractions)
        except LedgerError as exc:
            if attempt == WRITE_RETRIES:
                raise LedgerError(f"{exc} ({unwritten} extracted documents were not written after "
                                  f"{WRITE_RETRIES + 1} tries; run the same command again to write them)") from exc
            log.warning("ledger write failed (%s); retry %d of %d in %.0f s", exc, attempt + 1, WRITE_RETRIES, delay)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


class _Engine:
    """A submit function for the chosen engine, shut down on exit."""

    def __init__(self, engine: Engine, workers: int | None, scheduler: str | None, ref_date: DateLike,
                 skip: frozenset[str]) -> None:
        self.engine, self.workers, self.scheduler = engine, workers, scheduler
        self.ref_date, self.skip = ref_date, skip
        self._close: list[Any] = []

    def __enter__(self) -> _Submitter:
        if self.engine == "dask":
            return self._dask()
        if self.engine != "local":
            raise ValueError(f"unknown engine {self.engine!r} (local or dask)")
        if self.workers == 0:
            ref_date, skip = self.ref_date, self.skip
            return lambda data, name, suffix: _Ready(
                extract_document(data, name, suffix=suffix, ref_date=ref_date, skip=skip))
        pool: Executor = ProcessPoolExecutor(
            max_workers=self.workers or None, initializer=_init_worker, initargs=(self.ref_date, self.skip)
        )
        self._close.append(lambda: pool.shutdown(wait=True, cancel_futures=True))

        def submit(data: bytes, name: str, suffix: str) -> _Pending:
            future: Future[dict[str, Any]] = pool.submit(_pooled, data, name, suffix)
            return future

        return submit

    def _dask(self) -> _Submitter:
        from textkit.extras import require

        require("dask", "distributed", purpose="the dask engine (--engine dask)")
        from distributed import Client, LocalCluster
        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout=SCHEDULER_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise TextkitError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
        else:
            cluster = LocalCluster(n_workers=self.workers or None, threads_per_worker=1, dashboard_address=None)
            self._close.append(cluster.close)
            client = Client(cluster)
        self._close.insert(0, client.close)
        client.run(warm_up)
        [skip] = client.scatter([self.skip], broadcast=True)  # sent once per worker, not per document
        ref_date = self.ref_date

        def submit(data: bytes, name: str, suffix: str) -> _Pending:
            future: _Pending = client.submit(
                extract_document, data, name, suffix=suffix, ref_date=ref_date, skip=skip, pure=False
            )
            return future

        return submit

    def __exit__(self, *exc: object) -> None:
        for close in self._close:
            close()


class _ErrorReport:
    """The ``--errors`` JSON Lines file, or nowhere."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._file: IO[str] | None = None

    def __enter__(self) -> _ErrorReport:
        if self.path is not None:
            self._file = self.path.open("w", encoding="utf-8")
        return self

    def write(self, line: str) -> None:
        if self._file is not None:
            self._file.write(line)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()


class _Progress:
    """A rich progress bar on stderr (files/s, ETA), or a no-op."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total = enabled, total
        self._bar: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("[bold]extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._bar.start()
        task = self._bar.add_task("bulk", total=self.total, rate="")
        bar = self._bar

        def advance() -> None:
            bar.advance(task)
            speed = bar.tasks[task].speed
            bar.update(task, rate=f"{speed:.1f} files/s" if speed else "")

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


# --- Dask for analysts ------------------------------------------------------------------


def extract_bag(
    paths: Iterable[str], *, ref_date: DateLike = None, glob: str | None = None, npartitions: int | None = None
) -> dask.bag.Bag:
    """A ``dask.bag`` of :func:`extract_document` outcomes, one per document of ``paths``.

    ``paths`` are what ``textkit bulk`` takes (folders, globs, zip archives);
    the workers read the files, so on a cluster they must see the same paths.
    """
    from textkit.extras import require

    require("dask", purpose="extract_bag")
    import dask.bag as db

    refs = discover(paths, glob=glob)
    if not refs:
        return db.from_sequence([], npartitions=1)
    parts = npartitions or max(1, min(len(refs), 100, (len(refs) + 9) // 10))
    return db.from_sequence(refs, npartitions=parts).map_partitions(_extract_refs, ref_date=ref_date)


def _extract_refs(refs: Iterable[InputRef], ref_date: DateLike = None) -> list[dict[str, Any]]:
    outcomes: list[dict[str, Any]] = []
    with Reader() as reader:
        for ref in refs:
            try:
                data = reader.read(ref)
            except InputError as exc:
                outcomes.append({"source": ref.source, "status": "error", "error": exc.problem})
                continue
            outcomes.append(extract_document(data, ref.source, suffix=ref.suffix, ref_date=ref_date))
    return outcomes


def extract_frame(frame: Any, *, ref_date: DateLike = None) -> Any:
    """Task records of a DataFrame of texts (columns ``text``, optional ``source`` and ``ref_date``).

    A pandas frame is extracted here; a Dask frame lazily, partition by
    partition (``frame.map_partitions``). The result has :data:`FRAME_COLUMNS`:
    one row per task, and one row with ``error`` set per text that failed.
    """
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        return _frame_partition(frame, ref_date=ref_date)
    return frame.map_partitions(_frame_partition, ref_date=ref_date, meta=_frame_meta())


def _frame_meta() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "confidence" else object) for c in FRAME_COLUMNS})


def _frame_partition(part: pd.DataFrame, ref_date: DateLike = None) -> pd.DataFrame:
    import pandas as pd

    if "text" not in part.columns:
        raise InputError(None, "extract_frame needs a 'text' column")
    rows: list[dict[str, Any]] = []
    for index, row in part.iterrows():
        source = row.get("source")
        name = str(source) if isinstance(source, str) and source else f"row {index}"
        ref = row.get("ref_date")
        ref = ref_date if ref is None or (not isinstance(ref, str) and pd.isna(ref)) else ref
        text = row["text"]
        if not isinstance(text, str):
            rows.append({"source": name, "error": f"expected text (str), got {type(text).__name__}"})
            continue
        outcome = extract_document(text.encode("utf-8", "surrogatepass"), name, suffix=".txt", ref_date=ref)
        if outcome["status"] == "error":
            rows.append({"source": name, "error": outcome["error"]})
            continue
        rows.extend({"source": name, **task} for task in outcome["extraction"]["tasks"])
    meta = _frame_meta()
    if not rows:
        return meta
    out = pd.DataFrame(rows).reindex(columns=list(FRAME_COLUMNS))
    out = out.astype({c: object for c in FRAME_COLUMNS if c != "confidence"})
    out["confidence"] = out["confidence"].astype("float64")
    return out.reset_index(drop=True)
