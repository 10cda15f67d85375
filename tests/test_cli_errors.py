"""Issue 18: every user mistake on the command line is one line on stderr, never a traceback.

Each case runs the real ``textkit`` entry point in a child process.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import CORPUS

SPEECH = str(CORPUS / "docs" / "20_township-flood-control-speech.txt")


def textkit(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TEXTKIT_DEBUG"}
    return subprocess.run([sys.executable, "-c", "from textkit.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("not a folder")
    return path


def _cases(a_file: Path, tmp_path: Path) -> dict[str, tuple[list[str], int, str]]:
    docs = str(CORPUS / "docs" / "16_county-standing-meeting-minutes.txt")
    return {
        "--out is a file": (["extract", SPEECH, "--out", str(a_file / "x")], 1, "Not a directory"),
        "--errors under a file": (["bulk", docs, "--to", str(tmp_path / "l.db"), "-w", "0", "-q",
                                   "--errors", str(a_file / "e.jsonl")], 1, "Not a directory"),
        "render -o under a file": (["render", SPEECH, "-o", str(a_file / "x.html")], 1, "Not a directory"),
        "--workers -1": (["bulk", docs, "--to", str(tmp_path / "l.db"), "--workers", "-1"], 2, "--workers"),
        "--ref-date 9999-12-31": (["extract", SPEECH, "--ref-date", "9999-12-31"], 2, "outside"),
    }


@pytest.mark.parametrize("case", ["--out is a file", "--errors under a file", "render -o under a file",
                                  "--workers -1", "--ref-date 9999-12-31"])
def test_a_user_mistake_is_one_line_not_a_traceback(case: str, a_file: Path, tmp_path: Path) -> None:
    args, code, words = _cases(a_file, tmp_path)[case]
    result = textkit(*args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and words in result.stderr


@pytest.mark.slow
def test_an_unreachable_dask_scheduler_is_named(tmp_path: Path) -> None:
    result = textkit("bulk", SPEECH, "--to", str(tmp_path / "l.db"), "--engine", "dask",
                     "--scheduler", "tcp://127.0.0.1:9", "-q")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr


@pytest.mark.slow
def test_ctrl_c_in_bulk_says_how_to_resume(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted((CORPUS / "docs").glob("*.txt"))[:40]:
        (docs / path.name).write_bytes(path.read_bytes())
    process = subprocess.Popen(
        [sys.executable, "-c", "from textkit.cli import main; main()", "bulk", str(docs), "--to",
         str(tmp_path / "l.db"), "-w", "0", "-q", "--batch-size", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # past start-up, in the middle of the run
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "run the same command again to resume" in err


def test_a_document_without_directives_is_said_so(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("今天天气很好。我们去公园散步。", encoding="utf-8")
    result = textkit("extract", str(chat), "-f", "jsonl")
    assert result.returncode == 0 and result.stdout == ""
    assert "no directive found" in result.stderr
    bulk = textkit("bulk", str(chat), "--to", str(tmp_path / "l.db"), "-w", "0", "-q")
    assert bulk.returncode == 0 and "no directive was found" in bulk.stderr
    assert "1 files, " in bulk.stderr, "the summary counts files, as the progress bar does"


def test_output_files_get_the_same_mode_as_ledgers(tmp_path: Path) -> None:
    """--out and render -o files are 0644 under the usual umask, like ledgers (mkstemp made them 0600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    expected = 0o666 & ~umask
    out = tmp_path / "out"
    assert textkit("extract", SPEECH, "--out", str(out)).returncode == 0
    assert textkit("render", SPEECH, "-o", str(tmp_path / "page.html")).returncode == 0
    assert textkit("extract", SPEECH, "--to", str(tmp_path / "ledger.csv"), "-f", "jsonl").returncode == 0
    for path in [*out.iterdir(), tmp_path / "page.html", tmp_path / "ledger.csv"]:
        assert path.stat().st_mode & 0o777 == expected, path


HELP_COMMANDS = ["", "extract", "bulk", "render", "serve", "eval", "outline", "train", "ledger", "ledger show",
                 "ledger diff", "ledger links", "ledger history", "ledger stale"]


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_help_shows_real_metavars(command: str) -> None:
    """No Python type names (``<bool>``, ``<list[str]>``) and no ``{paths}`` in usage lines: what to type."""
    env = {**os.environ, "COLUMNS": "160"}
    result = subprocess.run([sys.executable, "-c", "from textkit.cli import main; main()", *command.split(), "--help"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0
    generic = [line.strip() for line in result.stdout.splitlines()
               if re.search(r"<(str|bool|path|int|float|list|[a-z]+\|)[^>]*>", line)]
    assert not generic, f"type names instead of metavars: {generic}"
    usage = next(line for line in result.stdout.splitlines() if "Usage:" in line)
    assert "{" not in usage and "}" not in usage, usage


def test_usage_names_arguments_as_click_does() -> None:
    env = {**os.environ, "COLUMNS": "160"}
    run = [sys.executable, "-c", "from textkit.cli import main; main()"]
    shown = subprocess.run([*run, "eval", "--help"], capture_output=True, text=True, timeout=60, env=env).stdout
    assert "Usage: textkit eval [OPTIONS] GOLD_DIR [DOCS_DIR]" in " ".join(shown.split())
    missing = subprocess.run([*run, "extract"], capture_output=True, text=True, timeout=60, env=env)
    assert missing.returncode == 2 and "Missing argument 'PATHS...'" in missing.stderr


@pytest.mark.parametrize("ledger", ["ledger.db", "sqlite:///{dir}/ledger.db", "ledger.csv", "ledger.jsonl", "台账.xlsx"])
def test_to_into_a_missing_folder_creates_it(ledger: str, tmp_path: Path) -> None:
    """``--to new/folder/ledger`` makes the folder, for every backend (SQLite said only "unable to open
    database file"); ``ledger show`` then reads the rows back."""
    folder = tmp_path / "new" / "deeper"
    url = ledger.format(dir=folder) if "{dir}" in ledger else str(folder / ledger)
    result = textkit("extract", SPEECH, "--to", url, "-f", "jsonl")
    assert result.returncode == 0, result.stderr
    assert "inserted" in result.stderr and "Traceback" not in result.stderr
    assert (folder / Path(ledger).name).is_file()
    shown = textkit("ledger", "show", url, "--format", "jsonl")
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout.splitlines()) == len(result.stdout.splitlines()) > 0


def test_bulk_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    docs = str(CORPUS / "docs" / "16_county-standing-meeting-minutes.txt")
    target = tmp_path / "new" / "ledger.db"
    result = textkit("bulk", docs, "--to", str(target), "-w", "0", "-q")
    assert result.returncode == 0, result.stderr
    assert target.is_file()


@pytest.mark.parametrize("ledger", ["x/ledger.db", "ledger.csv", "x/台账.xlsx"])
def test_to_under_a_file_names_the_file(ledger: str, a_file: Path) -> None:
    result = textkit("extract", SPEECH, "--to", str(a_file / ledger), "-f", "jsonl")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("textkit: error:")]
    assert len(errors) == 1 and f"{a_file}: Not a directory" in errors[0], result.stderr
    assert "Traceback" not in result.stderr and a_file.read_text() == "not a folder"


def test_showing_a_ledger_in_a_missing_folder_creates_nothing(tmp_path: Path) -> None:
    result = textkit("ledger", "show", str(tmp_path / "nowhere" / "ledger.db"))
    assert result.returncode == 1 and "no such ledger" in result.stderr
    assert not (tmp_path / "nowhere").exists()
