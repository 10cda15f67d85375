"""The link index kept beside a ledger: the same links as without it, and a seed that parses only the
records the index proposes."""

from __future__ import annotations

from pathlib import Path

import pytest

import textkit
from textkit.ledgers import link_tasks, open_ledger
from textkit.ledgers.link_tasks import HeldTasks, index_path
from textkit.ledgers.links import link_store, plan_links


@pytest.fixture(scope="module")
def documents(train_series_documents: list[textkit.Extraction]) -> list[textkit.Extraction]:
    return list(train_series_documents)


def _links(url: str) -> set[tuple[str, str, str]]:
    with open_ledger(url) as opened:
        return {(x.task_id, x.follows, x.relation) for x in link_store(opened).all()}


def _seed(url: str, order: list[textkit.Extraction]) -> None:
    with open_ledger(url) as opened:
        for extraction in order:
            opened.seed(extraction)


@pytest.mark.parametrize("kind", ["sqlite", "csv"])
def test_seeding_with_the_index_gives_the_links_it_gives_without(
        kind: str, documents: list[textkit.Extraction], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # one document at a time, a middle document of each series last (moves and out-of-order links too)
    order = [d for i, d in enumerate(documents) if i % 4 != 1] + [d for i, d in enumerate(documents) if i % 4 == 1]

    def url(name: str) -> str:
        return f"sqlite:///{tmp_path}/{name}.db" if kind == "sqlite" else str(tmp_path / f"{name}.csv")

    _seed(url("indexed"), order)
    with open_ledger(url("indexed")) as opened:
        saved = index_path(opened)
    assert saved is not None and saved.exists()
    monkeypatch.setattr(link_tasks, "index_path", lambda ledger: None)  # the reference: rebuilt from every row
    _seed(url("plain"), order)
    assert not list(tmp_path.glob("plain*.npz"))
    with_index, without = _links(url("indexed")), _links(url("plain"))
    assert len(with_index) >= 10 and with_index == without


def test_a_seed_parses_only_what_the_index_proposes(documents: list[textkit.Extraction], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/l.db"
    _seed(url, documents[:-1])  # the last is yunling's last: its tasks follow yunling's, nothing else
    with open_ledger(url) as opened:
        held = HeldTasks(opened)
        assert not held.rebuilt and held.index.ids == held.directives  # loaded, nothing missing
        found, _ = plan_links(opened, documents[-1:], held=held)
        rows = len(opened.get_rows())
        # a small ledger: 16 candidates a task reach most of it; benchmarks/link_scale.py --ledger counts at 100k
        assert found and 0 < held.fetched < rows
        reference = HeldTasks(opened, persist=False)
        assert reference.rebuilt and reference.fetched == rows


def test_a_seed_reads_no_rows_texts_from_the_table(documents: list[textkit.Extraction], tmp_path: Path) -> None:
    """Every read of the ledger table in a seed is answered from an index: the meta of every row from the
    covering one, the candidates' records by primary key; never by scanning the table's pages, which hold
    every row's record JSON and texts (what made a seed of a 100k-row ledger read 160 MB)."""
    import re
    import sqlite3

    from sqlalchemy import event

    url = f"sqlite:///{tmp_path}/l.db"
    _seed(url, documents[:-1])
    reads: list[tuple[str, object]] = []
    with open_ledger(url) as opened:
        def seen(conn: object, cursor: object, statement: str, parameters: object, context: object,
                 executemany: bool) -> None:
            if statement.lstrip().upper().startswith("SELECT") and re.search(r"\bFROM task_ledger\b(?!_)", statement):
                reads.append((statement, parameters))

        event.listen(opened.engine, "before_cursor_execute", seen)  # type: ignore[attr-defined]
        opened.seed(documents[-1])
        assert opened.last_links  # type: ignore[attr-defined]
    database = sqlite3.connect(tmp_path / "l.db")
    assert any(" WHERE " not in s for s, _ in reads) and any(" IN (" in s for s, _ in reads)  # meta, candidates
    for statement, parameters in reads:
        plan = [row[-1] for row in database.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]  # type: ignore[arg-type]
        steps = [step for step in plan if re.search(r"\btask_ledger\b(?!_)", step)]
        assert steps and all(s.startswith("SEARCH") or "COVERING INDEX" in s for s in steps), (statement, plan)


def test_a_stale_or_damaged_index_is_repaired(documents: list[textkit.Extraction], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/l.db"
    _seed(url, documents[:2])
    with open_ledger(url) as opened:
        path = index_path(opened)
        assert path is not None
        first = HeldTasks(opened).index.ids
    kept = path.read_bytes()
    _seed(url, documents[2:3])
    with open_ledger(url) as opened:
        path.write_bytes(kept)  # an index from before the last seed: the new tasks are added
        held = HeldTasks(opened)
        assert not held.rebuilt and held.index.ids[: len(first)] == first and len(held.index) == len(held)
        path.write_bytes(b"not an index")
        assert HeldTasks(opened).rebuilt
        rows = opened.get_rows()
        task_id = held.directives[0]
        import sqlalchemy as sa

        with opened.engine.begin() as conn:  # type: ignore[attr-defined]
            table = opened.table  # type: ignore[attr-defined]
            conn.execute(sa.delete(table).where(table.c.task_id == task_id))
        assert len(opened.get_rows()) == len(rows) - 1
        repaired = HeldTasks(opened)  # a row gone (a person deleted it): rebuilt without it
        assert task_id not in repaired.index
