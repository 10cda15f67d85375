"""A process that keeps seeding one SQLite ledger (a bulk run's parent) holds nothing per ledger row between
seeds and reads the stored links by key: its memory and its reads per write must not grow with the ledger.
The links must stay those of a store read whole (a CSV ledger's)."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest

import textkit
from textkit.ledgers import link_tasks, open_ledger
from textkit.ledgers.links import link_store
from textkit.records import Extraction


@pytest.fixture(scope="module")
def documents(train_series_documents: list[Extraction]) -> list[Extraction]:
    return list(train_series_documents)


def _copy(extraction: Extraction, k: int) -> Extraction:
    """The same document under other ids (its tasks' and its own), as a ledger holds many like it."""
    text = json.dumps(extraction.to_dict(), ensure_ascii=False)
    for old in {extraction.document.doc_id, *(t.task_id for t in extraction.tasks)}:
        text = text.replace(old, hashlib.sha256(f"{k}:{old}".encode()).hexdigest()[:len(old)])
    return Extraction.from_dict(json.loads(text))


def _ledger(url: str, documents: list[Extraction], copies: int) -> None:
    """The series seeded (links stored), then ``copies`` copies of every document written without a seed."""
    with open_ledger(url) as opened:
        opened.seed_many(documents[:-2])
        for k in range(copies):
            for extraction in documents:
                opened.upsert(_copy(extraction, k).tasks, document=extraction.document)


def _links(url: str) -> list[tuple[str, str, str, float]]:
    with open_ledger(url) as opened:
        return sorted((x.task_id, x.follows, x.relation, x.score) for x in link_store(opened).all())


def _reachable(root: object, skip: tuple[type, ...]) -> list[object]:
    """Every object reachable from ``root`` through containers and instances' attributes, not entering
    ``skip``'s instances, modules, classes or functions."""
    import gc
    import types

    seen, todo, found = {id(root)}, [root], []
    while todo:
        item = todo.pop()
        found.append(item)
        for child in gc.get_referents(item):
            if id(child) in seen or isinstance(child, (*skip, type, types.ModuleType, types.FunctionType,
                                                       types.BuiltinFunctionType)):
                continue
            seen.add(id(child))
            todo.append(child)
    return found


def test_a_kept_seeder_holds_nothing_per_row(documents: list[textkit.Extraction], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Between seeds the kept state holds the meta and views of at most ``CACHED`` rows, whatever the ledger
    holds (it held every row's meta: ≈ 0.5 KB a row, 100 MB at 10,000 bulk documents), and no record; the
    link index (ids, rows in a spill folder) is apart."""
    monkeypatch.setattr(link_tasks, "CACHED", 300, raising=False)
    from textkit.followups import TaskView
    from textkit.ledgers.base import Ledger
    from textkit.link_index import LinkIndex
    from textkit.records import TaskRecord

    url = f"sqlite:///{tmp_path}/l.db"
    _ledger(url, documents, copies=25)
    with open_ledger(url) as opened:
        rows = len(opened.get_rows())
        assert rows >= 3000
        opened.seed(documents[-2])  # extended with the 3,000 rows written without a seed
        opened.seed(documents[-1])  # extended with what the last seed wrote
        held = link_tasks._KEPT[link_tasks._key(opened)]  # type: ignore[index]
        assert held.extended
        import sqlalchemy as sa

        kept = _reachable(held, (LinkIndex, Ledger, sa.Engine, sa.Table, sa.MetaData))
    assert sum(isinstance(x, link_tasks.Meta) for x in kept) <= 300 < rows / 10
    assert sum(isinstance(x, TaskView) for x in kept) <= 300
    assert not any(isinstance(x, TaskRecord) for x in kept)


def test_a_kept_seed_reads_stored_links_by_key(documents: list[textkit.Extraction], tmp_path: Path) -> None:
    """Every read of the links table in a kept seed asks for some tasks' links through an index; never
    every stored link (a scan of the table at every write: O(links), ≈ 0.3 s a write near 10,000 bulk
    documents)."""
    from sqlalchemy import event

    url = f"sqlite:///{tmp_path}/l.db"
    _ledger(url, documents, copies=2)
    reads: list[tuple[str, object]] = []
    with open_ledger(url) as opened:
        opened.seed(documents[-2])

        def seen(conn: object, cursor: object, statement: str, parameters: object, context: object,
                 executemany: bool) -> None:
            if statement.lstrip().upper().startswith("SELECT") and re.search(r"\bFROM task_ledger_links\b", statement):
                reads.append((statement, parameters))

        event.listen(opened.engine, "before_cursor_execute", seen)  # type: ignore[attr-defined]
        opened.seed(documents[-1])
        assert opened.last_links  # type: ignore[attr-defined]
    database = sqlite3.connect(tmp_path / "l.db")
    assert reads
    for statement, parameters in reads:
        plan = [row[-1] for row in database.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]  # type: ignore[arg-type]
        assert all(step.startswith("SEARCH") for step in plan if "task_ledger_links" in step), (statement, plan)


def test_links_read_by_key_are_the_links_of_a_store_read_whole(
        documents: list[textkit.Extraction], tmp_path: Path) -> None:
    """SQLite (stored links and meta read by key, a kept seeder) and CSV (the links file and every row read
    at each seed) make the same links, moves included: a middle document of each series arrives last."""
    order = [d for i, d in enumerate(documents) if i % 4 != 1] + [d for i, d in enumerate(documents) if i % 4 == 1]
    for url in (f"sqlite:///{tmp_path}/l.db", str(tmp_path / "l.csv")):
        with open_ledger(url) as opened:
            for extraction in order:
                opened.seed(extraction)
    by_key, whole = _links(f"sqlite:///{tmp_path}/l.db"), _links(str(tmp_path / "l.csv"))
    assert len(by_key) >= 10 and by_key == whole


def test_a_seed_reads_the_records_of_the_hits_its_document_may_follow(
        documents: list[textkit.Extraction], tmp_path: Path) -> None:
    """A search's hits are fetched in one read before the linker asks for them, but only those the document
    may follow: in an archive in no date order many come from documents dated after it, and their records were
    read for nothing (18,458 records in one 50-document seed at 10,000 bulk documents, 12,487 without them)."""
    from textkit.ledgers.links import StoredLinks, _Earlier, _Fetching

    url = f"sqlite:///{tmp_path}/l.db"
    _ledger(url, documents, copies=0)
    texts = [t.text for t in documents[-1].tasks if t.kind == "directive"]
    with open_ledger(url) as opened:
        for admitted in (False, True):
            held = link_tasks.HeldTasks(opened)
            earlier = _Earlier(held, lambda task_id, admitted=admitted: admitted, {})
            fetching = _Fetching(held.index, held, StoredLinks(link_store(opened)), earlier)
            hits = fetching.search(texts, k=8)
            assert any(hits)
            assert (held.fetched > 0) is admitted, held.fetched



def test_a_kept_seed_reads_the_subtasks_of_the_directives_it_fetches_and_no_others(
        documents: list[textkit.Extraction], tmp_path: Path) -> None:
    """A fetched directive's view folds in its subtasks: a kept seeder reads those by their parent, not every
    subtask of the directive's document (≈ 6 times as many rows in a bulk ledger: 15.6 subtasks a document,
    2.8 under a directive that has any)."""
    url = f"sqlite:///{tmp_path}/l.db"
    _ledger(url, documents, copies=0)
    database = sqlite3.connect(tmp_path / "l.db")
    parents: dict[str, list[str]] = {}
    for parent, doc in database.execute("SELECT DISTINCT parent_id, doc_id FROM task_ledger "
                                        "WHERE kind = 'subtask' ORDER BY parent_id"):
        parents.setdefault(doc, []).append(parent)
    wanted = [found[0] for found in parents.values() if len(found) > 1]  # documents with subtasks of others
    assert len(wanted) >= 3
    with open_ledger(url) as opened:
        opened.seed(documents[-2])
        held = link_tasks.for_seed(opened)  # kept: keyed
        assert held.keyed
        before = held.meta.rows_read  # type: ignore[attr-defined]
        children = held._children(wanted)
        read = held.meta.rows_read - before  # type: ignore[attr-defined]
    expected = {p: [t for (t,) in database.execute("SELECT task_id FROM task_ledger WHERE parent_id = ? "
                                                   "AND kind = 'subtask' ORDER BY 序号, task_id", (p,))]
                for p in wanted}
    assert children == expected
    assert read == sum(len(found) for found in expected.values())
