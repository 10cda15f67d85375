"""``textkit ledger show`` and ``textkit ledger diff`` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from textkit.ledgers import open_ledger
from textkit.ledgers.cli import ledger_app
from textkit.ledgers.testing import improved, sample_document, sample_records
from textkit.records import Extraction

runner = CliRunner()


def _seeded(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    with open_ledger(url) as ledger:
        ledger.upsert(sample_records()[:2], document=sample_document())
        ledger.update_human_fields(sample_records()[0].task_id, 进展情况="已开工")
    return url


def test_show_prints_the_key_columns(tmp_path: Path) -> None:
    result = runner.invoke(ledger_app, ["show", _seeded(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["序号", "工作任务", "责任单位", "完成时限", "截止日期", "状态", "进展情况"]
    assert "市委落实办" in lines[1] and "已开工" in lines[1] and "2024-06-30" in lines[2]


def test_show_jsonl_and_csv(tmp_path: Path) -> None:
    url = _seeded(tmp_path)
    rows = [json.loads(line) for line in runner.invoke(ledger_app, ["show", url, "-f", "jsonl"]).output.splitlines()]
    assert [r["序号"] for r in rows] == [1, 2] and rows[0]["进展情况"] == "已开工"
    assert runner.invoke(ledger_app, ["show", url, "--format", "csv"]).output.startswith("序号,任务来源,工作任务")


def test_diff_previews_without_writing(tmp_path: Path) -> None:
    url = _seeded(tmp_path)
    records = sample_records()
    extraction = Extraction(sample_document(), (improved(records[0]), records[1], records[2]))
    path = tmp_path / "speech.json"
    path.write_text(json.dumps(extraction.to_dict(), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(ledger_app, ["diff", url, str(path), "--exit-code"])
    assert result.exit_code == 1, result.output
    assert "1 to insert, 1 to update, 1 unchanged" in result.output
    assert f"+ {records[2].task_id}" in result.output
    assert "牵头单位: 市委落实办 → 市委落实办、市发展改革委" in result.output
    assert len(open_ledger(url).read()) == 2


def test_diff_of_task_json_lines(tmp_path: Path) -> None:
    url = _seeded(tmp_path)
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(json.dumps(r.to_dict(), ensure_ascii=False) for r in sample_records()[:2]), encoding="utf-8")
    result = runner.invoke(ledger_app, ["diff", url, str(path), "--exit-code"])
    assert result.exit_code == 0 and "0 to insert, 0 to update, 2 unchanged" in result.output


def test_errors_are_one_line_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(ledger_app, ["diff", _seeded(tmp_path), str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith("textkit: error: ") and "bad.json" in result.stderr
    missing = runner.invoke(ledger_app, ["show", str(tmp_path / "a.parquet")])
    assert missing.exit_code == 1 and "no ledger backend" in missing.stderr
