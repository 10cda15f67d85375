"""Decoding every encoding an archive holds, reading Word, PDF and HTML, refusing bad input clearly."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from textkit.errors import InputError
from textkit.io import read_bytes, read_path

TEXT = "关于做好2024年防汛工作的讲话\n一要压实责任。各乡镇要在主汛期前完成隐患排查,县水利局负责督导。\n二要强化值守。"
TRADITIONAL = "關於做好防汛工作的講話\n一要壓實責任。各鄉鎮要在主汛期前完成隱患排查,縣水利局負責督導。\n二要強化值守。"


@pytest.mark.parametrize(
    ("encoding", "text", "prefix"),
    [
        ("utf-8", TEXT, b""),
        ("utf-8", TEXT, codecs.BOM_UTF8),
        ("utf-16", TEXT, b""),  # Python writes a BOM
        ("utf-16-le", TEXT, codecs.BOM_UTF16_LE),
        ("gbk", TEXT, b""),
        ("gb18030", TEXT, b""),
        ("big5", TRADITIONAL, b""),
    ],
)
def test_decodes_each_encoding(tmp_path: Path, encoding: str, text: str, prefix: bytes) -> None:
    path = tmp_path / f"speech-{encoding}.txt"
    path.write_bytes(prefix + text.encode(encoding))
    assert read_path(path) == text


def test_reads_docx(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    for line in TEXT.split("\n"):
        doc.add_paragraph(line)
    path = tmp_path / "speech.docx"
    doc.save(str(path))
    assert read_path(path).split("\n")[:3] == TEXT.split("\n")


def test_reads_pdf_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "speech.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(TEXT.split("\n")):
        c.drawString(40, 800 - 20 * i, line)
    c.save()
    text = read_path(path)
    assert "各乡镇要在主汛期前完成隐患排查" in text.replace(" ", "")


def test_reads_html_with_a_real_parser(tmp_path: Path) -> None:
    page = (
        "<html><head><title>网站</title><style>p{color:red}</style></head><body>"
        "<h3>关于做好防汛工作的讲话</h3><p>一要压实责任。各乡镇要在主汛期前完成隐患排查。</p>"
        "<script>var x = '不是正文';</script></body></html>"
    )
    path = tmp_path / "speech.html"
    path.write_text(page, encoding="utf-8")
    text = read_path(path)
    assert "各乡镇要在主汛期前完成隐患排查" in text
    assert "不是正文" not in text and "color" not in text


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t ", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("notes.xls", b"whatever", "unsupported file type"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
    ],
)
def test_bad_input_is_a_clear_error_naming_the_file(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_path(path)
    assert name in str(info.value)
    assert problem in str(info.value)


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 200, 200, fill=1)
    c.save()
    with pytest.raises(InputError, match="no text layer"):
        read_path(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


def test_read_bytes_by_suffix() -> None:
    assert read_bytes(TEXT.encode("gbk"), suffix=".txt") == TEXT
