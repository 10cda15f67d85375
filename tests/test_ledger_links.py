"""Seeding links new tasks to what a ledger holds, in every backend, beside the rows and never in them."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import textkit
from tests.test_link import AUTUMN, SPRING
from textkit.cli import app
from textkit.ledgers import Ledger, open_ledger
from textkit.ledgers.links import link_store
from textkit.ledgers.testing import serve_ledger

POSTGRES_URL = os.environ.get("TEXTKIT_TEST_POSTGRES_URL")
runner = CliRunner()


@pytest.fixture(scope="module")
def documents() -> tuple[textkit.Extraction, textkit.Extraction]:
    return textkit.extract(SPRING, ref_date="2024-03-05"), textkit.extract(AUTUMN, ref_date="2024-09-10")


@pytest.fixture(params=["sqlite", "csv", "jsonl", "xlsx", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("set TEXTKIT_TEST_POSTGRES_URL=postgresql://user@127.0.0.1:port/db to run")
        opened = open_ledger(POSTGRES_URL, table=f"links_{uuid.uuid4().hex[:12]}")
        yield opened
        import sqlalchemy as sa

        with opened.engine.begin() as conn:  # type: ignore[attr-defined]
            for name in (f"{opened.table.name}_links", opened.table.name):  # type: ignore[attr-defined]
                conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))
        opened.close()
        return
    url = f"sqlite:///{tmp_path}/l.db" if request.param == "sqlite" else str(tmp_path / f"台账.{request.param}")
    with open_ledger(url) as opened:
        yield opened


def _headings(*extractions: textkit.Extraction) -> dict[str, str]:
    return {t.task_id: (t.heading or "")[:6] for e in extractions for t in e.tasks}


def test_seeding_links_without_touching_rows(ledger: Ledger, documents: tuple[textkit.Extraction, ...]) -> None:
    spring, autumn = documents
    ledger.seed(spring)
    assert ledger.last_links == []  # type: ignore[attr-defined]
    first = spring.directives[0].task_id
    ledger.update_human_fields(first, 状态="交办", 备注="王科长跟进")
    before = ledger.get_rows([t.task_id for t in spring.tasks])
    ledger.seed(autumn)
    head = _headings(spring, autumn)
    made = {(head[x.task_id], head[x.follows]): x.relation for x in ledger.last_links}  # type: ignore[attr-defined]
    assert made[("东干渠改造工", "加快灌区续建")] == "reschedules"
    assert made[("高标准农田建", "抓好高标准农")] == "extends"
    assert ledger.get_rows([t.task_id for t in spring.tasks]) == before  # a link changes no row
    stored = link_store(ledger).all()
    assert {(x.task_id, x.follows) for x in stored} == {(x.task_id, x.follows) for x in ledger.last_links}  # type: ignore[attr-defined]
    ledger.seed_many([spring, autumn])  # re-seeding: no duplicate links
    ledger.seed(autumn)
    assert len(link_store(ledger).all()) == len(stored)
    assert ledger.get_rows([first])[first]["备注"] == "王科长跟进"


def test_a_batch_links_its_own_documents_in_date_order(ledger: Ledger, documents: tuple[textkit.Extraction, ...]) -> None:
    spring, autumn = documents
    ledger.seed_many([autumn, spring])
    head = _headings(spring, autumn)
    assert {head[x.follows] for x in link_store(ledger).all()} <= {head[t.task_id] for t in spring.tasks}
    assert len(link_store(ledger).all()) >= 2


def _stored(url: str) -> set[tuple[str, str, str]]:
    with open_ledger(url) as opened:
        return {(x.task_id, x.follows, x.relation) for x in link_store(opened).all()}


def test_a_document_seeded_before_the_one_it_follows_links_when_that_one_arrives(
        ledger: Ledger, documents: tuple[textkit.Extraction, ...], tmp_path: Path) -> None:
    spring, autumn = documents
    with open_ledger(f"sqlite:///{tmp_path}/in-order.db") as in_order:
        in_order.seed_many([spring, autumn])
    expected = _stored(f"sqlite:///{tmp_path}/in-order.db")
    assert len(expected) >= 2
    ledger.seed(autumn)
    assert ledger.last_links == []  # type: ignore[attr-defined]  # nothing earlier yet
    ledger.seed(spring)
    assert {(x.task_id, x.follows, x.relation) for x in ledger.last_links} == expected  # type: ignore[attr-defined]
    ledger.seed(spring)
    ledger.seed(autumn)
    assert {(x.task_id, x.follows, x.relation) for x in link_store(ledger).all()} == expected
    assert len(link_store(ledger).all()) == len(expected)  # re-seeding either adds nothing


SUMMER = (
    "全县农田水利工作推进会议讲话\n2024年6月12日\n二、下步工作\n"
    "(一)东干渠改造工程攻坚。县水利局要集中力量推进东干渠改造工程,确保8月底前完工。\n"
    "(二)抓好高标准农田建设。县农业农村局牵头、县财政局配合,年内建成高标准农田4万亩。\n"
    "(三)做好防汛抗旱准备。县应急管理局要在6月20日前完成汛前检查。\n"
)


def test_a_document_arriving_in_the_middle_of_a_chain_takes_the_later_link(
        ledger: Ledger, documents: tuple[textkit.Extraction, ...], tmp_path: Path) -> None:
    """Spring and autumn seeded, autumn → spring stored; summer arrives: autumn now follows summer, its
    relation read again (the 4万亩 and 县财政局 autumn adds to spring are already in summer: extends → repeats)."""
    spring, autumn = documents
    summer = textkit.extract(SUMMER, ref_date="2024-06-12")
    with open_ledger(f"sqlite:///{tmp_path}/in-order.db") as in_order:
        in_order.seed_many([spring, summer, autumn])
    expected = _stored(f"sqlite:///{tmp_path}/in-order.db")
    head = _headings(spring, summer, autumn)
    ledger.seed(spring)
    ledger.seed(autumn)
    skipping = {(head[t], head[f]): r for t, f, r in _links(ledger)}
    assert skipping[("高标准农田建", "抓好高标准农")] == "extends"
    ledger.seed(summer)
    after = _links(ledger)
    assert after == expected and len(link_store(ledger).all()) == len(expected)  # moved, not added
    named = {(head[t], head[f]): r for t, f, r in after}
    assert named[("高标准农田建", "抓好高标准农")] == "repeats"  # autumn → summer now
    autumn_farm = next(t.task_id for t in autumn.directives if (t.heading or "").startswith("高标准农田建"))
    assert {x.task_id: x.follows for x in ledger.last_links}[autumn_farm] in {t.task_id for t in summer.tasks}  # type: ignore[attr-defined]
    ledger.seed_many([spring, summer, autumn])  # re-seeding moves and adds nothing
    assert _links(ledger) == expected and len(link_store(ledger).all()) == len(expected)


def _links(ledger: Ledger) -> set[tuple[str, str, str]]:
    return {(x.task_id, x.follows, x.relation) for x in link_store(ledger).all()}


def test_http_ledger_with_a_links_endpoint_moves_a_stored_link(
        tmp_path: Path, documents: tuple[textkit.Extraction, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTKIT_LEDGER_TOKEN", "tk-links-0002")
    spring, autumn = documents
    summer = textkit.extract(SUMMER, ref_date="2024-06-12")
    with open_ledger(f"sqlite:///{tmp_path}/in-order.db") as in_order:
        in_order.seed_many([spring, summer, autumn])
    expected = _stored(f"sqlite:///{tmp_path}/in-order.db")
    backing = open_ledger(str(tmp_path / "service.jsonl"))
    with serve_ledger(backing, token="tk-links-0002", links=True) as service, open_ledger(service.url) as remote:
        remote.seed(spring)
        remote.seed(autumn)
        remote.seed(summer)
        moved = {(x.task_id, x.follows, x.relation) for x in remote.last_links}  # type: ignore[attr-defined]
        assert moved <= expected and len(moved) == 4  # summer's two links and autumn's two moved ones
        assert _links(remote) == expected == _links(backing)


def test_one_bulk_run_links_its_documents_in_date_order_whatever_the_batches(tmp_path: Path) -> None:
    """A bulk run writes a batch at a time; the later speech, written first, still links to the earlier."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a-autumn.txt").write_text(AUTUMN, encoding="utf-8")  # read (and written) first
    (folder / "b-spring.txt").write_text(SPRING, encoding="utf-8")
    in_order = f"sqlite:///{tmp_path}/in-order.db"
    assert runner.invoke(app, ["extract", str(folder / "b-spring.txt"), str(folder / "a-autumn.txt"),
                               "--to", in_order, "--format", "jsonl"]).exit_code == 0
    bulk = f"sqlite:///{tmp_path}/bulk.db"
    done = runner.invoke(app, ["bulk", str(folder), "--to", bulk, "--workers", "0", "--batch-size", "1", "-q"])
    assert done.exit_code == 0, done.output
    with open_ledger(bulk) as opened:
        sources = list(dict.fromkeys(opened.read()["任务来源"]))
    assert "2024-09-10" in sources[0]  # the autumn minutes were written before the spring speech
    assert _stored(bulk) == _stored(in_order) and len(_stored(bulk)) >= 2


def test_http_ledger_without_a_links_endpoint_still_returns_links(
        tmp_path: Path, documents: tuple[textkit.Extraction, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTKIT_LEDGER_TOKEN", "tk-links-0001")
    spring, autumn = documents
    with serve_ledger(open_ledger(str(tmp_path / "service.jsonl")), token="tk-links-0001") as service:
        with open_ledger(service.url) as remote:
            remote.seed(spring)
            remote.seed(autumn)
            assert len(remote.last_links) >= 2  # type: ignore[attr-defined]
            assert link_store(remote).all() == []  # the reference service keeps no links (404)


def test_ledger_commands(tmp_path: Path, documents: tuple[textkit.Extraction, ...]) -> None:
    spring, autumn = documents
    url = f"sqlite:///{tmp_path}/l.db"
    with open_ledger(url) as opened:
        opened.seed(spring)
        opened.seed(autumn)
        stored = [x.to_dict() for x in link_store(opened).all()]
    as_json = runner.invoke(app, ["ledger", "links", url])
    assert as_json.exit_code == 0 and json.loads(as_json.output) == stored
    lines = runner.invoke(app, ["ledger", "links", url, "--format", "jsonl"]).output.splitlines()
    assert [json.loads(line) for line in lines] == stored
    assert "reschedules" in runner.invoke(app, ["ledger", "links", url, "--format", "table"]).output
    moved = next(x for x in stored if x["relation"] == "reschedules")
    history = runner.invoke(app, ["ledger", "history", url, moved["task_id"]])
    assert history.exit_code == 0
    assert "deadline: 6月底前 → 11月底前" in history.output and "2024-03-05" in history.output
    stale = runner.invoke(app, ["ledger", "stale", url, "--since", "2024-06-01"]).output
    assert "开展小型水库安全鉴定" in stale  # never asked again
    assert "加快灌区续建" not in stale and "高度重视" not in stale
    bad = runner.invoke(app, ["ledger", "stale", url, "--since", "June"])
    assert bad.exit_code == 1 and "not a date" in bad.output
    missing = runner.invoke(app, ["ledger", "history", url, "nope"])
    assert missing.exit_code == 1 and "no task 'nope'" in missing.output


def test_service_seed_returns_the_links_it_made(tmp_path: Path) -> None:
    import httpx

    from tests.test_service import Running
    from textkit import service

    url = f"sqlite:///{tmp_path}/served.db"
    auth = {"Authorization": "Bearer tk-links-service"}
    with Running(service.create_app(url, token="tk-links-service", warm=False)) as running, \
            httpx.Client(base_url=running.url, timeout=60) as client:
        first = client.post("/v1/seed", json={"text": SPRING, "ref_date": "2024-03-05"}, headers=auth)
        assert first.status_code == 200, first.text and first.json()["links"] == []
        second = client.post("/v1/seed", json={"text": AUTUMN, "ref_date": "2024-09-10"}, headers=auth).json()
    relations = sorted(x["relation"] for x in second["links"])
    assert "reschedules" in relations and "extends" in relations
    assert set(second["links"][0]) == {"task_id", "follows", "relation", "score"}
    assert {x["task_id"] for x in second["links"]} <= set(second["task_ids"])


def test_chain_timeline_plot(tmp_path: Path, documents: tuple[textkit.Extraction, ...]) -> None:
    pytest.importorskip("matplotlib")
    from textkit.ledgers.links import chain_steps
    from textkit.link_plot import chain_timeline

    spring, autumn = documents
    with open_ledger(f"sqlite:///{tmp_path}/l.db") as opened:
        opened.seed(spring)
        opened.seed(autumn)
        moved = next(x for x in opened.last_links if x.relation == "reschedules")  # type: ignore[attr-defined]
        steps = chain_steps(opened, moved.task_id)
    assert [s.asked for s in steps] == ["2024-03-05", "2024-09-10"]
    assert [s.due for s in steps] == ["2024-06-30", "2024-11-30"] and steps[1].relation == "reschedules"
    figure = chain_timeline(steps)
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2024-03-05", "2024-09-10"]
    assert any("reschedules" in t.get_text() for t in ax.texts)


def test_a_move_replaces_its_link_once_in_every_store(ledger: Ledger, documents: tuple[textkit.Extraction, ...]) -> None:
    """The store's replace: in place, skipped when the old link is gone, never leaving two links for one move."""
    from textkit.followups import Link
    from textkit.ledgers.links import Move

    ledger.seed(documents[0])  # an Excel store needs its workbook
    store = link_store(ledger)
    store.add([(Link("c1", "a1", "repeats", 0.9), "dc"), (Link("c2", "a2", "extends", 0.8), "dc"),
               (Link("c2", "b2", "repeats", 0.7), "dc")])
    to_b1 = Move("a1", Link("c1", "b1", "reschedules", 0.6), "dc")
    assert store.add([], [to_b1]) == 1
    assert store.add([], [to_b1]) == 0  # the old link is gone: another seeder moved it already
    assert store.add([], [Move("a2", Link("c2", "b2", "repeats", 0.7), "dc")]) == 1  # the new one was there
    assert sorted((x.task_id, x.follows, x.relation) for x in store.all()) == [
        ("c1", "b1", "reschedules"), ("c2", "b2", "repeats")]
