"""Two processes seeding successive documents of a series into one ledger at the same instant link them
exactly as seeding them one after the other does, whichever commits first, and store no link twice.

Each process seeds one document per round into that round's fresh ledger as soon as the round's
start file appears, one of them 50 ms ahead by turns (still inside the other's seed), so either may
commit first (on a quiet machine they alternate; under load the scheduler may favour one); linking
runs inside the ledger's writer lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL's advisory lock, a file
ledger's lock file), so the second seeder sees the first's rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from textkit.ledgers import open_ledger
from textkit.ledgers.links import link_store
from textkit.link_eval import extractions, load_series
from textkit.records import Extraction

SERIES = Path(__file__).resolve().parent.parent / "corpora" / "series"
POSTGRES_URL = os.environ.get("TEXTKIT_TEST_POSTGRES_URL")
ROUNDS = 8

SEEDER = r"""
import json, sys, time
from pathlib import Path
from textkit.ledgers import open_ledger
from textkit.records import Extraction

folder, which, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
urls = json.loads((folder / "urls.json").read_text(encoding="utf-8"))
extraction = Extraction.from_dict(json.loads((folder / f"{which}.json").read_text(encoding="utf-8")))
for n in range(rounds):
    with open_ledger(urls[n]["url"], **urls[n]["options"]) as ledger:  # opened before the start, as a CLI run is
        while not (folder / f"start-{n}").exists():
            time.sleep(0.002)
        if (folder / f"start-{n}").read_text() != which:  # the other one starts 50 ms ahead, still mid-seed
            time.sleep(0.05)
        ledger.seed(extraction)
    (folder / f"done-{n}-{which}").write_text("ok")
"""


@pytest.fixture(scope="module")
def pair() -> tuple[Extraction, Extraction]:
    found = next(s for s in load_series(SERIES, split="train") if s.name == "anshan-safety-production")
    first, second, *_ = extractions(found)
    return first, second


def _place(backend: str, tmp_path: Path, n: int) -> dict:
    if backend == "postgresql":
        return {"url": POSTGRES_URL, "options": {"table": f"race_{uuid.uuid4().hex[:12]}"}}
    if backend == "sqlite":
        return {"url": f"sqlite:///{tmp_path}/l{n}.db", "options": {}}
    return {"url": str(tmp_path / f"l{n}.{backend}"), "options": {}}


def _links(place: dict) -> list[tuple[str, str, str]]:
    with open_ledger(place["url"], **place["options"]) as ledger:
        return [(x.task_id, x.follows, x.relation) for x in link_store(ledger).all()]


@pytest.fixture
def cleanup() -> Iterator[list[dict]]:
    made: list[dict] = []
    yield made
    for place in made:
        if place["url"] == POSTGRES_URL:
            import sqlalchemy as sa

            with open_ledger(place["url"], **place["options"]) as ledger:
                with ledger.engine.begin() as conn:  # type: ignore[attr-defined]
                    for name in (f"{ledger.table.name}_links", ledger.table.name):  # type: ignore[attr-defined]
                        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))


@pytest.mark.parametrize("backend", ["sqlite", "csv", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_simultaneous_seeds_link_as_sequential_ones(backend: str, pair: tuple[Extraction, Extraction],
                                                     tmp_path: Path, cleanup: list[dict]) -> None:
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("set TEXTKIT_TEST_POSTGRES_URL=postgresql://user@127.0.0.1:port/db to run")
    first, second = pair
    expected = {}
    for name, order in (("in order", (first, second)), ("reversed", (second, first))):
        place = _place(backend, tmp_path / name.replace(" ", "-"), 0)
        cleanup.append(place)
        with open_ledger(place["url"], **place["options"]) as ledger:
            for extraction in order:
                ledger.seed(extraction)
        expected[name] = sorted(_links(place))
    assert expected["in order"], "the series' second document follows its first"
    assert expected["reversed"] == expected["in order"]  # sequential seeding in either order agrees

    folder = tmp_path / "race"
    folder.mkdir()
    places = [_place(backend, folder, n) for n in range(ROUNDS)]
    cleanup.extend(places)
    for place in places:  # ledgers that exist, with their link tables, as a ledger in use has them
        with open_ledger(place["url"], **place["options"]) as ledger:
            link_store(ledger)
    (folder / "urls.json").write_text(json.dumps(places), encoding="utf-8")
    (folder / "first.json").write_text(json.dumps(first.to_dict(), ensure_ascii=False), encoding="utf-8")
    (folder / "second.json").write_text(json.dumps(second.to_dict(), ensure_ascii=False), encoding="utf-8")
    (folder / "seeder.py").write_text(SEEDER, encoding="utf-8")
    seeders = [subprocess.Popen([sys.executable, str(folder / "seeder.py"), str(folder), which, str(ROUNDS)],
                                stderr=subprocess.PIPE, text=True) for which in ("first", "second")]
    try:
        for n in range(ROUNDS):
            (folder / f"start-{n}").write_text(("first", "second")[n % 2])  # who starts ahead, alternately
            deadline = time.monotonic() + 180
            while not all((folder / f"done-{n}-{w}").exists() for w in ("first", "second")):
                assert all(s.poll() is None for s in seeders), [s.communicate()[1] for s in seeders]
                assert time.monotonic() < deadline, f"round {n} did not finish"
                time.sleep(0.01)
    finally:
        for seeder in seeders:
            _, err = seeder.communicate(timeout=180)
            assert seeder.returncode == 0, err
    for n, place in enumerate(places):
        stored = _links(place)
        assert len(stored) == len({(t, f) for t, f, _ in stored}), f"round {n}: a link stored twice"
        with open_ledger(place["url"], **place["options"]) as ledger:
            seq = {t: row["序号"] for t, row in ledger.get_rows().items()}
        ahead = "first" if seq[first.tasks[0].task_id] < seq[second.tasks[0].task_id] else "second"
        assert sorted(stored) == expected["in order"], f"round {n}, the {ahead} document committed first"
