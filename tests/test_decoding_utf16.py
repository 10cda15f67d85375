"""Issue 18: UTF-16 without a byte-order mark is read; a binary file named .txt is called binary."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

from textkit.errors import InputError
from textkit.io import read_path

from .conftest import CORPUS

SPEECHES = sorted((CORPUS / "docs").glob("*.txt"))[:12]


@pytest.mark.parametrize("encoding", ["utf_16_le", "utf_16_be"])
@pytest.mark.parametrize("speech", SPEECHES, ids=lambda p: p.stem[:20])
def test_utf16_without_a_bom_is_read(tmp_path: Path, speech: Path, encoding: str) -> None:
    text = read_path(speech)
    path = tmp_path / "speech.txt"
    path.write_bytes(text.encode(encoding))  # Python's utf_16_le/be codecs write no BOM
    assert read_path(path) == text


@pytest.mark.parametrize("speech", SPEECHES[:4], ids=lambda p: p.stem[:20])
@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_chinese_legacy_encodings_are_not_mistaken_for_utf16(tmp_path: Path, speech: Path, encoding: str) -> None:
    text = read_path(speech)
    data = text.encode(encoding, "ignore")
    data += b" " if len(data) % 2 else b""  # even length: the case a UTF-16 guess could take
    path = tmp_path / "speech.txt"
    path.write_bytes(data)
    assert read_path(path) == data.decode(encoding)


@pytest.mark.parametrize("kind", ["random", "zlib", "png-like", "utf16-looking zeros"])
def test_a_binary_txt_is_reported_as_binary(tmp_path: Path, kind: str) -> None:
    rng = random.Random(kind)
    data = {
        "random": bytes(rng.randrange(256) for _ in range(8000)),
        "zlib": zlib.compress(read_path(SPEECHES[0]).encode("utf-8")),
        "png-like": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4000)),
        "utf16-looking zeros": b"".join(bytes([rng.randrange(1, 256), 0]) for _ in range(3000)) + b"\xff\xfe\x00",
    }[kind]
    path = tmp_path / "scan.txt"
    path.write_bytes(data + (b"\x00" if b"\x00" not in data else b""))
    with pytest.raises(InputError, match="binary data, not text") as err:
        read_path(path)
    assert "scan.txt" in str(err.value)
