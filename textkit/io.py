"""Reading speeches from files: plain text in any common Chinese encoding, Word, PDF and HTML.

The text returned here is "the caller's original text" for a file: every
record's ``span`` points into it. Plain text needs only the core install;
Word, PDF and HTML need ``pip install "textkit[docs]"`` (python-docx, pypdf
and lxml), and without it such a file is an ``InputError`` that says so.
"""

from __future__ import annotations

import codecs
import io as _io
from pathlib import Path

from textkit.errors import InputError
from textkit.extras import MissingExtra, require

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED = sorted(TEXT_SUFFIXES - {""} | HTML_SUFFIXES | {".docx", ".pdf"})

MAX_BYTES = 50 * 1024 * 1024
"""Files beyond this are refused: no speech is that long, an archive member that is may be a bomb."""

# Encodings a Chinese archive actually holds, in the order a tie is resolved.
_CANDIDATES = ("utf_8", "gb18030", "big5", "utf_16")


def read_path(path: str | Path) -> str:
    """The text of one file, decoded or extracted by its type; raises ``InputError`` naming the file."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise InputError(name, "is a directory, not a document")
    if size > MAX_BYTES:
        raise InputError(name, f"too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror or exc})") from None
    return read_bytes(data, name=name, suffix=path.suffix.lower())


def read_bytes(data: bytes, *, name: str = "<bytes>", suffix: str = ".txt") -> str:
    """Decode or extract ``data`` as a file with ``suffix`` would be; ``name`` is used in errors."""
    suffix = suffix.lower()
    if suffix == ".docx":
        text = _docx_text(data, name)
    elif suffix == ".pdf":
        text = _pdf_text(data, name)
    elif suffix in HTML_SUFFIXES:
        text = _html_text(decode(data, name=name), name)
    elif suffix in TEXT_SUFFIXES:
        text = decode(data, name=name)
    else:
        raise InputError(name, f"unsupported file type {suffix!r} (textkit reads {', '.join(SUPPORTED)})")
    if not text.strip():
        raise InputError(name, "no text in this document (empty file, or a scan without a text layer)")
    return text


def decode(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode bytes from UTF-8 (with or without BOM), UTF-16, GB18030/GBK or Big5.

    A byte-order mark decides outright; strict UTF-8 is next (it almost never
    decodes other encodings by accident); otherwise charset-normalizer chooses
    among the Chinese encodings.
    """
    if not data.strip():
        raise InputError(name, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf_8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf_16", name)
    try:
        return data.decode("utf_8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data:
        raise InputError(name, "binary data, not text (not UTF-8, UTF-16, GB18030/GBK or Big5)")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_CANDIDATES[1:3])).best()
    if best is not None and best.encoding in {"gb18030", "big5"}:
        return _strict(data, best.encoding, name)
    for encoding in _CANDIDATES[1:3]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(name, "cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5 text")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 (LE or BE) without a byte-order mark, if either reading is plausible text.

    Chinese in UTF-16 has few zero bytes (中 is 2D 4E), so zeros alone cannot tell;
    a reading counts when it decodes strictly and at least 95% of it is Han,
    CJK punctuation, full-width forms, printable ASCII or line breaks. Binary
    data gives neither, and is then reported as binary.
    """
    if len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for encoding in ("utf_16_le", "utf_16_be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _textlike(text)
        if score >= 0.95 and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


def _textlike(text: str) -> float:
    """Share of characters a speech is made of (Han, CJK punctuation, full-width, printable ASCII, breaks)."""
    sample = text[:20000]
    if not sample:
        return 0.0
    good = sum(
        1 for ch in sample
        if 0x4E00 <= ord(ch) <= 0x9FFF or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        or " " <= ch <= "~" or ch in "\n\r\t" or "\u2010" <= ch <= "\u2027" or 0x3400 <= ord(ch) <= 0x4DBF
    )
    return good / len(sample)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"cannot decode as {encoding}: bad bytes at offset {exc.start}") from None


def _needs(name: str, purpose: str, *modules: str) -> None:
    """The reader's optional dependencies, or an ``InputError`` naming the file and the install command."""
    try:
        require(*modules, purpose=purpose)
    except MissingExtra as exc:
        raise InputError(name, str(exc)) from exc


def _docx_text(data: bytes, name: str) -> str:
    import zipfile

    _needs(name, "reading Word (.docx) documents", "docx")
    from docx import Document as open_docx

    try:
        document = open_docx(_io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(name, f"not a readable Word (.docx) document ({exc.__class__.__name__})") from None
    except Exception as exc:  # python-docx raises assorted lxml/opc errors on corrupt parts
        raise InputError(name, f"corrupt Word (.docx) document ({exc.__class__.__name__})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes, name: str) -> str:
    import logging

    _needs(name, "reading PDF documents", "pypdf")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(_io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InputError(name, f"not a readable PDF ({exc.__class__.__name__})") from None
    except Exception as exc:  # pypdf surfaces many internal errors on broken files
        raise InputError(name, f"corrupt PDF ({exc.__class__.__name__})") from None
    if not any(p.strip() for p in pages):
        raise InputError(name, "PDF has no text layer (a scan?); run OCR first")
    return "\n".join(pages)


_SKIPPED = frozenset(("script", "style", "noscript", "template", "head"))
_BLOCKS = frozenset(("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article"))


def _html_text(markup: str, name: str) -> str:
    """The page's text, a line break after each block element, without script, style or head.

    One walk over lxml's tree with no edits (inserting a node after every block
    was quadratic: 20,000 nested <div>s took 18 s). A page nested deeper than
    libxml2 keeps is flattened by the standard library's streaming parser.
    """
    _needs(name, "reading HTML pages", "lxml")
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(markup.encode("utf-8", "surrogatepass"), parser)
    except (etree.ParserError, ValueError):
        root = None
    if root is None or any("Excessive depth" in error.message for error in parser.error_log):
        return _stream_text(markup)  # libxml2 drops what lies deeper than 2,048 levels
    parts: list[str] = []
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _SKIPPED:
                walk.skip_subtree()
            else:
                parts.append(element.text or "")
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            parts.append(element.tail or "")
    return "".join(parts)


def _stream_text(markup: str) -> str:
    """Flatten HTML event by event (linear, any depth): text outside script/style, a break after blocks."""
    from html.parser import HTMLParser

    parts: list[str] = []
    skipping = 0

    class Flatten(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            nonlocal skipping
            if tag in _SKIPPED - {"head"}:  # a missing </head> must not hide the page
                skipping += 1
            elif tag == "br" and not skipping:
                parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            nonlocal skipping
            if tag in _SKIPPED - {"head"}:
                skipping = max(0, skipping - 1)
            elif tag in _BLOCKS and tag != "br" and not skipping:
                parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not skipping:
                parts.append(data)

    flatten = Flatten(convert_charrefs=True)
    flatten.feed(markup)
    flatten.close()
    return "".join(parts)
