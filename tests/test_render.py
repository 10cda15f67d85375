"""The highlighted HTML view: valid, self-contained, escaped, and every record's text inside it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import textkit
from tests.conftest import CORPUS, SPEECH
from textkit.records import Document, Extraction, Owner, TaskRecord
from textkit.render import _Mark, highlight, render

DOCS = sorted((CORPUS / "docs").glob("*.txt"))
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr"}


class _Tree(HTMLParser):
    """Checks that every tag closes in order, and collects the text of each record's fragments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.records: dict[str, list[str]] = {}
        self.speech: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        for key in ("src", "href"):
            if d.get(key) and not str(d[key]).startswith("#"):
                self.external.append(str(d[key]))
        if tag not in VOID:
            self.stack.append((tag, d))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(d.get("class") == "tk-text" for _, d in self.stack):
            self.speech.append(data)
        for rec in {d["data-rec"] for _, d in self.stack if d.get("data-rec")}:
            self.records.setdefault(str(rec), []).append(data)


def _parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert not tree.errors, tree.errors[:5]
    assert [t for t, _ in tree.stack] == [], "unclosed tags"
    return tree


def _check_page(extraction: Extraction) -> None:
    page = render(extraction)
    tree = _parse(page)
    assert "".join(tree.speech) == extraction.text
    for task in extraction.tasks:
        start, end = task.span
        assert "".join(tree.records[task.task_id]) == extraction.text[start:end], task.path
    assert not tree.external, "the page must not load anything"


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return textkit.extract(SPEECH, ref_date="2024-05-06")


def test_speech_and_each_record_text_are_in_the_page(extraction: Extraction) -> None:
    _check_page(extraction)


@pytest.mark.parametrize("path", DOCS[:: max(1, len(DOCS) // 8)], ids=lambda p: p.stem[:2])
def test_corpus_pages(path: Path) -> None:
    _check_page(textkit.extract_file(path))


def test_valid_html5(extraction: Extraction) -> None:
    html5lib = pytest.importorskip("html5lib")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(render(extraction))  # raises on any parse error
    noisy = textkit.extract_file(CORPUS / "docs" / "02_county-safety-production.txt")
    parser.parse(render(noisy))


def test_lxml_parses_without_errors(extraction: Extraction) -> None:
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(recover=False)
    lxml_html.document_fromstring(render(extraction).encode("utf-8"), parser=parser)


def test_marks_fields_in_distinct_classes_with_a_legend(extraction: Extraction) -> None:
    page = render(extraction)
    for cls in ("dir", "sub", "owner", "deadline", "cadence", "target"):
        assert f'class="{cls}' in page, cls
    assert "图例" in page and 'class="tk-legend"' in page
    assert 'title="完成时限(date): 6月30日前 → 2024-06-30"' in page
    assert extraction.document.doc_id in page


def test_text_and_records_are_escaped() -> None:
    text = "关于<script>alert(1)</script>&amp;的讲话\n一、工作要求\n一要<b>县应急局</b>要在6月30日前完成整改。二要县财政局要每月报送一次进展。"
    doc = Document("d1", "<i>标题</i>", None, None, (), len(text))
    start = text.index("一要")
    task = TaskRecord("t1", "d1", "directive", None, "1.1", "一要", "<b>", text[start:], None,
                      (start, len(text)), owners=(Owner("<b>县应急局</b>", "lead"),))
    page = render(Extraction(doc, (task,), text=text))
    assert "<script>alert" not in page and "<b>县" not in page and "<i>标题" not in page and "<b></a>" not in page
    assert "</script>" not in page.split('class="tk-data">', 1)[1].split("</script>", 1)[0]
    _check_page(Extraction(doc, (task,), text=text))


def test_overlapping_marks_nest() -> None:
    text = "abcdefghij"
    marks = [_Mark(0, 6, "dir", rec="a"), _Mark(4, 9, "sub", rec="b"), _Mark(2, 5, "deadline"), _Mark(3, 8, "cadence")]
    page = highlight(text, marks)
    tree = _parse(f'<div class="tk-text">{page}</div>')
    assert "".join(tree.speech) == text
    assert "".join(tree.records["a"]) == text[0:6] and "".join(tree.records["b"]) == text[4:9]


def test_repr_html_is_the_page(extraction: Extraction) -> None:
    assert extraction._repr_html_() == render(extraction)


def test_cli_writes_the_page(tmp_path: Path) -> None:
    from textkit.cli import app

    speech = tmp_path / "speech.txt"
    speech.write_text(SPEECH, encoding="utf-8")
    out = tmp_path / "speech.html"
    result = CliRunner().invoke(app, ["render", str(speech), "-o", str(out), "--ref-date", "2024-05-06"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render(textkit.extract(SPEECH, ref_date="2024-05-06", source=str(speech)))
    missing = CliRunner().invoke(app, ["render", str(tmp_path / "none.txt"), "-o", str(out)])
    assert missing.exit_code == 1
