"""A process that seeds one SQLite ledger again and again keeps what linking reads (the rows' meta and
the link index) between seeds and reads only the rows written since: the links must be the ones a
fresh read at every seed makes, also when another process seeds the ledger in between."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import textkit
from tests.conftest import CORPUS
from textkit.ledgers import link_tasks, open_ledger
from textkit.ledgers.links import link_store
from textkit.link_eval import extractions, load_series

SERIES = ("bairong-key-projects", "nanxi-county-elderly-care", "anshan-safety-production",
          "lishui-county-education", "mingxi-employment", "yunling-forest-fire")

#: a seeder that stays alive: each stdin line names documents to seed one by one; it answers, for each,
#: whether its held tasks were kept from its previous seed and extended (true) or read afresh (false)
SEEDER = """
import json, sys
from pathlib import Path
from textkit.ledgers import link_tasks, open_ledger
from textkit.records import Extraction
url, folder = sys.argv[1], Path(sys.argv[2])
with open_ledger(url) as ledger:
    for line in sys.stdin:
        kept = []
        for name in line.split():
            ledger.seed(Extraction.from_dict(json.loads((folder / name).read_text(encoding="utf-8"))))
            held = link_tasks._KEPT.get(link_tasks._key(ledger))
            kept.append(held is not None and held.extended)
        print(json.dumps(kept), flush=True)
"""


@pytest.fixture(scope="module")
def series() -> dict[str, list[textkit.Extraction]]:
    found = {s.name: extractions(s) for s in load_series(CORPUS / "series", split="train") if s.name in SERIES}
    assert len(found) == len(SERIES)
    return found


@pytest.fixture(scope="module")
def documents(series: dict[str, list[textkit.Extraction]]) -> list[textkit.Extraction]:
    return [e for name in sorted(series) for e in series[name]]


def _links(url: str) -> set[tuple[str, str, str, float]]:
    with open_ledger(url) as opened:
        return {(x.task_id, x.follows, x.relation, x.score) for x in link_store(opened).all()}


def _seed_afresh(url: str, order: list[textkit.Extraction], monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference: every seed reads the ledger and its index file as a fresh process does."""
    with monkeypatch.context() as patch:
        patch.setattr(link_tasks, "KEPT", 0)
        link_tasks._KEPT.clear()
        with open_ledger(url) as opened:
            for extraction in order:
                opened.seed(extraction)
                assert not link_tasks._KEPT


def test_a_kept_seeder_makes_the_links_of_a_fresh_read_at_every_seed(
        documents: list[textkit.Extraction], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # one at a time, a middle document of each series last (moves and out-of-order links), then two batches
    order = [d for i, d in enumerate(documents) if i % 4 != 1] + [d for i, d in enumerate(documents) if i % 4 == 1]
    kept_url, fresh_url = f"sqlite:///{tmp_path}/kept.db", f"sqlite:///{tmp_path}/fresh.db"
    chunked_url = f"sqlite:///{tmp_path}/chunked.db"
    extended = []
    with open_ledger(kept_url) as opened:
        for extraction in order[:-6]:
            opened.seed(extraction)
            kept_now = link_tasks._KEPT.get(link_tasks._key(opened))  # type: ignore[arg-type]
            extended.append(kept_now is not None and kept_now.extended)
        opened.seed_many(order[-6:-3])
        opened.seed_many(order[-3:])
    assert not extended[0] and all(extended[1:])  # the first seed reads; every later one extends
    _seed_afresh(fresh_url, order[:-6], monkeypatch)
    with open_ledger(fresh_url) as opened:
        opened.seed_many(order[-6:-3])
        opened.seed_many(order[-3:])
    with monkeypatch.context() as patch:  # the index never written whole again: every seed appends a chunk
        patch.setattr(link_tasks, "CHUNK_SHARE", 1000.0)
        patch.setattr(link_tasks, "MAX_CHUNKS", 1000)
        with open_ledger(chunked_url) as opened:
            for extraction in order[:-6]:
                opened.seed(extraction)
            opened.seed_many(order[-6:-3])
            opened.seed_many(order[-3:])
            path = link_tasks.index_path(opened)
            assert path is not None and len(link_tasks._chunks(path)) >= len(order) - 6
    kept, fresh = _links(kept_url), _links(fresh_url)
    assert len(kept) >= 10 and kept == fresh == _links(chunked_url)
    with open_ledger(kept_url) as opened:
        saved = link_tasks.HeldTasks(opened)
        assert not saved.rebuilt and sorted(saved.index.ids) == sorted(saved.directives)  # the file is whole


def test_another_process_seeding_in_between_is_seen(
        series: dict[str, list[textkit.Extraction]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bairong, others = series["bairong-key-projects"], series["nanxi-county-elderly-care"][:3]
    assert len(bairong) == 4
    folder = tmp_path / "docs"
    folder.mkdir()
    names = []
    for number, extraction in enumerate([*bairong, *others]):
        names.append(f"{number}.json")
        (folder / names[-1]).write_text(json.dumps(extraction.to_dict(), ensure_ascii=False), encoding="utf-8")
    url = f"sqlite:///{tmp_path}/shared.db"
    first = subprocess.Popen([sys.executable, "-c", SEEDER, url, str(folder)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert first.stdin is not None and first.stdout is not None

    def ask(names: list[str]) -> list[bool]:
        first.stdin.write(" ".join(names) + "\n")  # type: ignore[union-attr]
        first.stdin.flush()  # type: ignore[union-attr]
        answer: list[bool] = json.loads(first.stdout.readline())  # type: ignore[union-attr]
        return answer

    try:
        assert ask(names[:2]) == [False, True]
        second = subprocess.run([sys.executable, "-c", SEEDER, url, str(folder)], input=names[2] + "\n",
                                capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr
        # the other process wrote rows and the index: read afresh once, then kept again
        assert ask(names[3:]) == [False, True, True, True]
    finally:
        first.stdin.close()
        first.wait(timeout=60)
    assert first.returncode == 0
    _seed_afresh(f"sqlite:///{tmp_path}/sequential.db", [*bairong, *others], monkeypatch)
    shared, sequential = _links(url), _links(f"sqlite:///{tmp_path}/sequential.db")
    third = {t.task_id for t in bairong[2].tasks}
    assert any(x[1] in third for x in shared)  # the last bairong document follows the one seeded in between
    assert shared == sequential
