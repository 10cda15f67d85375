"""textkit eval: the reference scorer's numbers, from our own code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import CORPUS, shared_or_skip
from textkit.cli import app
from textkit.evaluate import Report, evaluate, score_document, score_predictions

GOLD = {
    "directives": [
        {"heading": "压实企业主体责任", "owners": ["县应急管理局", "各乡镇"],
         "deadlines": [{"text": "6月30日前", "due": "2024-06-30"}], "cadence": ["monthly"]},
        {"heading": "加强汛期安全防范", "owners": ["各乡镇"], "deadlines": [], "cadence": []},
    ]
}
TASKS = [
    {"task_id": "a", "kind": "directive", "text": "一要压实企业主体责任。县应急管理局要…",
     "owners": [{"name": "县应急管理局", "role": "lead"}], "deadline": None, "cadence": []},
    {"task_id": "a1", "kind": "subtask", "parent_id": "a", "text": "6月30日前完成",
     "owners": [{"name": "县应急管理局", "role": "lead"}],
     "deadline": {"text": "6月30日前", "due": "2024-06-30"}, "cadence": [{"text": "每月", "freq": "monthly"}]},
    {"task_id": "b", "kind": "directive", "text": "三要总结经验。", "owners": [{"name": "县委", "role": "lead"}],
     "deadline": {"text": "年内", "due": "2024-12-31"}, "cadence": [{"text": "每周", "freq": "weekly"}]},
]


def test_rules_of_the_spec_on_a_hand_made_case() -> None:
    report = Report()
    score_document(report, "x", GOLD, TASKS)
    assert (report.directives.tp, report.directives.fp, report.directives.fn) == (1, 1, 1)
    # the unmatched predicted directive's deadline, owner and cadence are false positives
    assert (report.deadlines.tp, report.deadlines.fp, report.deadlines.fn) == (1, 1, 0)
    assert (report.owners.tp, report.owners.fp, report.owners.fn) == (1, 1, 2)
    assert (report.cadence.tp, report.cadence.fp, report.cadence.fn) == (1, 1, 0)
    assert report.due_accuracy == 1.0


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def few_gold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four test-split gold files (different genres) in a directory of their own."""
    out = tmp_path_factory.mktemp("gold")
    names = ["02_county-safety-production", "08_county-emergency-bureau-workplan",
             "21_county-safety-committee-minutes", "37_county-gov-plenary-traditional"]
    for name in names:
        shutil.copy(CORPUS / "gold" / f"{name}.json", out)
    return out


def test_eval_equals_the_reference_scorer(few_gold: Path, tmp_path: Path) -> None:
    scorer = shared_or_skip("tools", "score.py")
    report = evaluate(few_gold, CORPUS / "docs")
    report.write_predictions(tmp_path)
    ours = report.table(verbose=True)
    ref = subprocess.run([sys.executable, str(scorer), str(few_gold), str(tmp_path), "--verbose"],
                         capture_output=True, text=True, check=True).stdout
    assert ours.strip() == ref.strip()
    # and scoring the saved files gives the same again
    assert score_predictions(few_gold, tmp_path).table() == report.table()


def test_saved_predictions_are_extraction_json(few_gold: Path, tmp_path: Path) -> None:
    evaluate(few_gold, CORPUS / "docs", model=None).write_predictions(tmp_path)
    data = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    assert set(data) == {"document", "tasks"}


def test_split_keeps_only_that_split(few_gold: Path) -> None:
    assert evaluate(few_gold, CORPUS / "docs", split="train").documents == []


def test_cli_eval_prints_the_table_and_writes_predictions(few_gold: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(few_gold), str(CORPUS / "docs"), "--out", str(tmp_path / "pred")])
    assert result.exit_code == 0, result.output
    assert _last_line(result.output).startswith("directives F1=")
    assert len(list((tmp_path / "pred").glob("*.json"))) == 4


def test_a_document_that_breaks_the_extraction_is_named(few_gold: Path) -> None:
    """Over hundreds of gold files the scorer must say which document failed, not just the exception."""
    with pytest.raises(ValueError, match=r"^02_county-safety-production: extraction failed \(AttributeError"):
        evaluate(few_gold, CORPUS / "docs", model=object())  # an object that is no model: its first call raises
