"""``textkit render SPEECH --links LEDGER``: the page marks the tasks that follow the ledger's earlier tasks.

Run through the real command (a subprocess) on a real SQLite ledger seeded with a train
series' first document; the marks are compared with the gold links and with the API's.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import textkit
from textkit.ledgers import open_ledger
from textkit.link_eval import extractions, key_of, load_series, norm

SERIES = Path(__file__).resolve().parent.parent / "corpora" / "series"


def textkit_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TEXTKIT_DEBUG"}
    return subprocess.run([sys.executable, "-c", "from textkit.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def series() -> tuple:
    found = next(s for s in load_series(SERIES, split="train") if s.name == "anshan-safety-production")
    return found, extractions(found)


def _marks(page: str) -> dict[str, list[str]]:
    """task_id → the classes of its directive's first piece in the page's text."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(page.encode("utf-8"))
    found = tree.xpath('//main[@class="tk-text"]//span[@data-rec and @id]')
    return {el.get("data-rec"): el.get("class").split() for el in found if el.get("class").split()[0] == "dir"}


def _render(series: tuple, url: str, out: Path) -> dict[str, list[str]]:
    info, _ = series
    result = textkit_cli("render", str(info.path / f"{info.documents[1]}.txt"), "-o", str(out),
                         "--ref-date", info.dates[1], "--links", url)
    assert result.returncode == 0, result.stderr
    return _marks(out.read_text(encoding="utf-8"))


def test_render_marks_what_the_ledger_says_a_task_follows(series: tuple, tmp_path: Path) -> None:
    info, (first, second, *_) = series
    url = f"sqlite:///{tmp_path}/ledger.db"
    with open_ledger(url) as ledger:
        ledger.seed(first)
    before = sqlite3.connect(tmp_path / "ledger.db").execute("select count(*) from task_ledger").fetchone()
    page_path = tmp_path / "second.html"
    marks = _render(series, url, page_path)

    expected = {x.task_id: x.relation for x in textkit.link(first, second)}
    assert expected, "the series' second document follows its first"
    for task in second.directives:  # the switch reaches the highlighting: every API link and no other
        assert ("follows" in marks[task.task_id]) is (task.task_id in expected), task.heading
        if task.task_id in expected:
            assert expected[task.task_id] in marks[task.task_id]
    # a task known to follow (gold): the July minutes move the April hazard inspection's deadline
    gold = next(g for g in info.links if g["doc"] == info.documents[1] and g["relation"] == "reschedules")
    task_id = next(iter(key_of(second.directives, [gold["task"]])))
    earlier = next(iter(key_of(first.directives, [gold["follows"]])))
    assert {"follows", "reschedules"} <= set(marks[task_id])
    heading = next(t.heading for t in first.directives if t.task_id == earlier)
    page = page_path.read_text(encoding="utf-8")
    assert f"时限调整 reschedules): {heading}({info.dates[0]})" in page
    assert norm(heading).startswith(norm(gold["follows"])[:10])
    # looking wrote nothing: no rows, no links
    db = sqlite3.connect(tmp_path / "ledger.db")
    assert db.execute("select count(*) from task_ledger").fetchone() == before
    assert db.execute("select count(*) from task_ledger_links").fetchone() == (0,)


def test_a_seeded_speech_shows_its_stored_links(series: tuple, tmp_path: Path) -> None:
    _, (first, second, *_) = series
    url = f"sqlite:///{tmp_path}/ledger.db"
    with open_ledger(url) as ledger:
        ledger.seed(first)
        ledger.seed(second)
        stored = {x.task_id: x.relation for x in ledger.last_links}  # type: ignore[attr-defined]
    marks = _render(series, url, tmp_path / "second.html")
    assert stored and {t for t, classes in marks.items() if "follows" in classes} == set(stored)
    assert all(stored[t] in marks[t] for t in stored)


@pytest.mark.parametrize("url, words", [
    ("{tmp}/missing.db", "missing.db: no such ledger"),
    ("nosuchdb://host/x", "not a ledger URL textkit or SQLAlchemy knows: nosuchdb://host/x"),
    ("postgresql://someone@127.0.0.1:9/x", "127.0.0.1:9/x: cannot open table"),
])
def test_a_bad_ledger_is_one_line_naming_it(series: tuple, tmp_path: Path, url: str, words: str) -> None:
    info, _ = series
    result = textkit_cli("render", str(info.path / f"{info.documents[1]}.txt"), "-o", str(tmp_path / "p.html"),
                         "--links", url.format(tmp=tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("textkit: error: ") and words in errors[0], result.stderr
    assert not (tmp_path / "p.html").exists() and not (tmp_path / "missing.db").exists()
