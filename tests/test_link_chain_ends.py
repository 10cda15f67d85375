"""A match on an earlier task moves to the end of its chain of followers. An SQLite ledger walks the chains
in one query (textkit/ledgers/chains.py) instead of reading every step's links and meta: the ends must be
the Python walk's, and what a kept seed reads must not grow with the chains."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest

from textkit.followups import Link, TaskView, chain_end, views
from textkit.ledgers import link_tasks, open_ledger
from textkit.ledgers.chains import CAP
from textkit.ledgers.links import StoredLinks, _Earlier, _Followers, held_document, link_store, new_document
from textkit.records import Extraction


@pytest.fixture(scope="module")
def documents(train_series_documents: list[Extraction]) -> list[Extraction]:
    return list(train_series_documents)


def _later(extraction: Extraction, k: int) -> Extraction:
    """The same document ``k`` years later under other ids: the next round of the same work."""
    text = json.dumps(extraction.to_dict(), ensure_ascii=False)
    for old in {extraction.document.doc_id, *(t.task_id for t in extraction.tasks)}:
        text = text.replace(old, hashlib.sha256(f"{k}:{old}".encode()).hexdigest()[:len(old)])
    date = extraction.document.date
    assert date
    text = text.replace(date, f"{int(date[:4]) + k}{date[4:]}")
    return Extraction.from_dict(json.loads(text))


def _rounds(url: str, documents: list[Extraction], rounds: int) -> None:
    """``rounds`` yearly rounds of the documents, each seeded as one batch: chains one task a round long."""
    with open_ledger(url) as opened:
        for k in range(rounds):
            opened.seed_many([_later(e, k) for e in documents])


def _compare(followers: _Followers, walked: _Followers, pairs: list[tuple[TaskView, TaskView]]) -> int:
    """Assert the SQL ends equal the Python walk's; return how many pairs moved along a chain."""
    got = followers.ends(pairs)
    want = [chain_end(walked, later, earlier) for later, earlier in pairs]
    assert [(x.task_id, x.order, x.doc_id) for x in got] == [(x.task_id, x.order, x.doc_id) for x in want]
    return sum(w.task_id != e.task_id for w, (_, e) in zip(want, pairs, strict=True))


def test_chain_ends_in_sql_are_the_walks(documents: list[Extraction], tmp_path: Path) -> None:
    """Over three yearly rounds of six train series, every followed task walked for the next round's
    documents (a batch document among the earlier ones, links made this seed, a held document linked to
    newcomers, a cycle in the stored links) ends where the Python walk ends."""
    url = f"sqlite:///{tmp_path}/l.db"
    _rounds(url, documents, 3)
    database = sqlite3.connect(tmp_path / "l.db")
    followed = [r[0] for r in database.execute("SELECT DISTINCT follows FROM task_ledger_links ORDER BY follows")]
    assert len(followed) >= 60
    nxt = [_later(e, 3) for e in documents]
    with open_ledger(url) as opened:
        held = link_tasks.HeldTasks(opened)
        stored = StoredLinks(link_store(opened))
        assert stored.walker is not None
        first = nxt[0]
        batch = {v.task_id: v for v in views(first.tasks, {first.document.doc_id: first.document.date})}
        # links this seed made: the batch document's tasks follow some held tasks (after every stored link)
        stored.make(Link(v.task_id, f, "repeats", 0.9) for v, f in zip(batch.values(), followed[::5], strict=False))
        starts = [held[t] for t in followed if t in held] + list(batch.values())
        moved = 0
        for extraction in nxt[1:12]:
            doc, date = extraction.document.doc_id, extraction.document.date
            later = views(extraction.tasks, {doc: date})
            earlier = new_document(held, doc, date, batch)
            assert earlier.rule is not None
            walked = _Earlier(held, earlier.allow, batch)  # no rule: walked in Python
            moved += _compare(_Followers(stored, earlier), _Followers(stored, walked),
                              [(x, s) for x in later[:3] for s in starts])
        assert moved >= 200
        # a held document of the second round linked to newcomers dated before it
        doc = held.meta[followed[-1]].doc_id
        date = held.meta[followed[-1]].date
        later = [held[t] for t in held.directives if held.meta[t].doc_id == doc][:3]
        earlier = held_document(held, doc, date, {first.document.doc_id}, batch)
        assert earlier.rule is not None and later
        _compare(_Followers(stored, earlier), _Followers(stored, _Earlier(held, earlier.allow, batch)),
                 [(x, s) for x in later for s in starts])
        # two tasks following each other: the query walks to CAP, the pair is walked again in Python
        a = followed[0]
        b = next(t for t in followed if held.meta[t].doc_id != held.meta[a].doc_id and not database.execute(
            "SELECT 1 FROM task_ledger_links WHERE task_id IN (?, ?) AND follows IN (?, ?)", (a, t, a, t)).fetchone())
        link_store(opened).add([(Link(a, b, "repeats", 0.9), held.meta[a].doc_id),
                                (Link(b, a, "repeats", 0.9), held.meta[b].doc_id)])
        cyclic = StoredLinks(link_store(opened))
        assert cyclic.walker is not None
        extraction = nxt[1]
        doc, date = extraction.document.doc_id, extraction.document.date
        earlier = new_document(held, doc, date, {})
        later = views(extraction.tasks, {doc: date})[:2]
        pairs = [(x, held[t]) for x in later for t in (a, b)]
        found = cyclic.walker.ends([(e.task_id, x.order) for x, e in pairs], {}, {}, earlier.rule)  # type: ignore[arg-type]
        assert all(steps == CAP for _, steps in found)
        _compare(_Followers(cyclic, earlier), _Followers(cyclic, _Earlier(held, earlier.allow, {})), pairs)


def test_a_kept_seed_reads_no_more_links_for_longer_chains(documents: list[Extraction], tmp_path: Path) -> None:
    """One more yearly round seeded by a kept seeder reads as many stored links after 6 rounds as after 2:
    the chains are walked in SQLite, not read into the process (they were read level by level along
    every candidate's followers: 162 links after 8 rounds of one series, 424 after 24)."""
    from sqlalchemy import event

    series = documents[:4]  # one series
    read: dict[int, int] = {}
    for rounds in (2, 6):
        url = f"sqlite:///{tmp_path}/l{rounds}.db"
        _rounds(url, series, rounds)
        database = sqlite3.connect(f"file:{tmp_path}/l{rounds}.db?mode=ro", uri=True)
        rows: list[int] = []

        def counted(conn: object, cursor: object, statement: str, parameters: object, context: object,
                    executemany: bool, rows: list[int] = rows, database: sqlite3.Connection = database) -> None:
            if statement.lstrip().upper().startswith("SELECT") and re.search(r"\bFROM task_ledger_links\b", statement):
                rows.append(len(database.execute(statement, parameters).fetchall()))  # type: ignore[arg-type]

        with open_ledger(url) as opened:
            opened.seed_many([_later(e, rounds) for e in series[:1]])  # kept from here on
            event.listen(opened.engine, "before_cursor_execute", counted)  # type: ignore[attr-defined]
            opened.seed_many([_later(e, rounds) for e in series[1:]])
            assert opened.last_links  # type: ignore[attr-defined]
            assert link_tasks._KEPT[link_tasks._key(opened)].extended  # type: ignore[index]
        read[rounds] = sum(rows)
    assert 0 < read[6] <= read[2]


def test_a_large_seed_walks_its_chains_here_and_links_the_same(
    documents: list[Extraction], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``SQL_CHAIN_ENDS_UP_TO`` documents a seed walks chains in Python (the query's per-document copy
    of the seed grows with it); the stored links are the same either way."""
    from textkit.ledgers import links

    def stored_links(name: str) -> list[tuple]:
        _rounds(f"sqlite:///{tmp_path}/{name}.db", documents, 3)
        with sqlite3.connect(tmp_path / f"{name}.db") as database:
            return database.execute("SELECT task_id, follows, relation, score FROM task_ledger_links"
                                    " ORDER BY task_id, follows").fetchall()

    in_sql = stored_links("sql")
    assert len(documents) <= links.SQL_CHAIN_ENDS_UP_TO  # each round went through the query
    monkeypatch.setattr(links, "SQL_CHAIN_ENDS_UP_TO", 1)
    walked = stored_links("walked")
    assert len(in_sql) >= 60 and walked == in_sql
