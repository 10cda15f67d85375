"""Follow-up links in the HTML view: marked on the directive, named in its tooltip, record panel and outline."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import textkit
from tests.test_link import AUTUMN, SPRING
from textkit.render import render


@pytest.fixture(scope="module")
def linked() -> tuple[textkit.Extraction, textkit.Extraction, list[textkit.Link]]:
    spring = textkit.extract(SPRING, ref_date="2024-03-05")
    autumn = textkit.extract(AUTUMN, ref_date="2024-09-10")
    return spring, autumn, textkit.link(spring, autumn)


def _directive_classes(page: str) -> dict[str, str]:
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(page.encode("utf-8"))
    marks = tree.xpath('//main[@class="tk-text"]//span[@data-rec and @id]')  # a record's first piece
    return {el.get("data-rec"): el.get("class") for el in marks if el.get("class").split()[0] == "dir"}


def test_linked_directives_carry_their_relation(linked: tuple) -> None:
    spring, autumn, links = linked
    page = render(autumn, links=links, earlier=[spring])
    classes = _directive_classes(page)
    by_task = {x.task_id: x.relation for x in links}
    assert by_task and {"reschedules", "extends"} <= set(by_task.values())
    for task in autumn.directives:
        relation = by_task.get(task.task_id)
        assert ("follows" in classes[task.task_id].split()) is (relation is not None)
        if relation:
            assert relation in classes[task.task_id].split()
    assert "接续(时限调整 reschedules): 加快灌区续建配套改造(2024-03-05)" in page
    assert 'class="lk extends"' in page  # the outline's badge
    assert "follows" not in "".join(_directive_classes(render(autumn)).values())  # no links, no marks


def test_links_to_tasks_of_another_page_are_ignored(linked: tuple) -> None:
    spring, autumn, links = linked
    assert render(spring, links=links, earlier=[spring]) == render(spring)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_a_browser_shows_what_a_directive_follows(linked: tuple, tmp_path: Path) -> None:
    """Chromium runs the page's script: opening #r-<task_id> selects the record, whose panel names the earlier task."""
    spring, autumn, links = linked
    moved = next(x for x in links if x.relation == "reschedules")
    page = tmp_path / "autumn.html"
    page.write_text(render(autumn, links=links, earlier=[spring]), encoding="utf-8")
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", f"{page.as_uri()}#r-{moved.task_id}"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    from lxml import html as lxml_html

    panel = lxml_html.document_fromstring(dom.encode("utf-8")).xpath('//div[@class="tk-record"]')[0].text_content()
    assert "接续 follows" in panel and "加快灌区续建配套改造(2024-03-05)" in panel and moved.follows in panel
