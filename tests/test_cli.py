"""The textkit command: exit codes, output formats, files, stdin, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SPEECH
from textkit.cli import app

runner = CliRunner()


@pytest.fixture()
def speech(tmp_path: Path) -> Path:
    path = tmp_path / "safety.txt"
    path.write_text(SPEECH, encoding="gbk")
    return path


def test_extract_json(speech: Path) -> None:
    result = runner.invoke(app, ["extract", str(speech), "--ref-date", "2024-05-06"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"document", "tasks"}
    assert data["document"]["source"] == str(speech)
    assert [t["marker"] for t in data["tasks"] if t["kind"] == "directive"] == ["一要", "二要", "三是要"]
    assert "压实企业主体责任" in result.stdout  # Chinese written as is, not escaped


def test_extract_jsonl_and_table(speech: Path) -> None:
    result = runner.invoke(app, ["extract", str(speech), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all("task_id" in line for line in lines)
    table = runner.invoke(app, ["extract", str(speech), "--format", "table"], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "压实企业主体责任" in table.stdout


def test_extract_out_dir(speech: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(speech), "--out", str(out)])
    assert result.exit_code == 0
    data = json.loads((out / "safety.json").read_text(encoding="utf-8"))
    assert data["tasks"]


def test_stdin() -> None:
    result = runner.invoke(app, ["extract", "-"], input=SPEECH.encode("utf-8"))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["document"]["source"] == "<stdin>"


def test_bad_file_among_good_ones(speech: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty), str(speech), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert f"textkit: error: {empty}: empty file" in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "o" / "safety.json").exists()


def test_bad_ref_date_is_a_usage_error(speech: Path) -> None:
    result = runner.invoke(app, ["extract", str(speech), "--ref-date", "2024-13-40"])
    assert result.exit_code == 2
    assert "not a date" in result.output


def test_outline_tree(speech: Path) -> None:
    result = runner.invoke(app, ["outline", str(speech)])
    assert result.exit_code == 0
    for text in ("在全县安全生产工作会议上的讲话", "一要", "三是要", "directive", "not work", "span"):
        assert text in result.stdout


def test_schema_is_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "task" in schema["$defs"]


def test_missing_file() -> None:
    result = runner.invoke(app, ["outline", "/nonexistent/speech.txt"])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_extract_to_sqlite_ledger_is_idempotent(speech: Path, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "ledger.db"
    first = runner.invoke(app, ["extract", str(speech), "--to", f"sqlite:///{db}", "--format", "jsonl"])
    assert first.exit_code == 0, first.output
    tasks = len(first.stdout.splitlines())
    assert f"{tasks} inserted" in first.stderr
    again = runner.invoke(app, ["extract", str(speech), "--to", f"sqlite:///{db}", "--format", "jsonl"])
    assert f"0 inserted, 0 updated, {tasks} unchanged" in again.stderr
    with sqlite3.connect(db) as conn:
        table = conn.execute("select name from sqlite_master where type='table'").fetchone()[0]
        assert conn.execute(f'select count(*) from "{table}"').fetchone()[0] == tasks
