"""The record contract from its one definition: checks, JSON form, JSON Schema, spec field order."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

import textkit
from tests.conftest import SPEECH, shared_or_skip
from textkit.cli import app
from textkit.errors import ValidationError
from textkit.records import (
    SCHEMA_VERSION,
    Cadence,
    Deadline,
    Document,
    Extraction,
    Owner,
    Target,
    TaskRecord,
    check_record,
    json_schema,
)


@pytest.fixture(scope="module")
def result() -> Extraction:
    return textkit.extract(SPEECH, ref_date="2024-05-06")


def _spec_fields(spec: str, heading: str) -> list[str]:
    """Field names of a spec table, in the order the spec lists them."""
    block = spec.split(heading, 1)[1]
    return re.findall(r"^\| `(\w+)` \|", block.split("\n\n|", 1)[-1].split("\n\n", 1)[0], flags=re.M)


def test_json_fields_are_the_specs_in_the_specs_order(result: Extraction) -> None:
    spec = shared_or_skip("spec", "task-records.md").read_text(encoding="utf-8")
    task_fields = _spec_fields(spec, "`TaskRecord`:")
    assert task_fields[:3] == ["task_id", "doc_id", "kind"]
    data = result.to_dict()
    assert list(data) == ["document", "tasks"]
    assert list(data["tasks"][0]) == task_fields
    # each field object: the spec's keys first, in its order ({name, role, span}, {text, kind, due, estimated, placeholder, span} …)
    for cls, spec_keys in (
        (Owner, ["name", "role", "span"]),
        (Deadline, ["text", "kind", "due", "estimated", "placeholder", "span"]),
        (Cadence, ["text", "freq", "span"]),
        (Target, ["text", "value", "unit", "op", "placeholder", "span"]),
    ):
        assert "{" + ", ".join(spec_keys) + "}" in spec.replace("`", ""), cls.__name__
        assert list(cls.model_fields)[: len(spec_keys)] == spec_keys


def test_schema_is_generated_and_accepts_real_output_and_refuses_broken_records(result: Extraction) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    assert schema["schema_version"] == SCHEMA_VERSION
    validator = jsonschema.Draft202012Validator(schema)
    data = result.to_dict()
    assert list(validator.iter_errors(data)) == []
    task = data["tasks"][0]
    for broken in (
        {**task, "secret": 1},
        {**task, "kind": "wish"},
        {**task, "owners": [{"name": "县财政局", "role": "boss", "span": [0, 3], "canonical": None}]},
        {**task, "span": [1]},
        {k: v for k, v in task.items() if k != "confidence"},
    ):
        assert list(validator.iter_errors({"document": data["document"], "tasks": [broken]})), broken
    defs = schema["$defs"]
    assert "span" in defs["Owner"]["properties"] and "estimated" in defs["Deadline"]["properties"]


def test_cli_schema_prints_the_same_schema() -> None:
    out = CliRunner().invoke(app, ["schema"])
    assert out.exit_code == 0
    assert json.loads(out.stdout) == json_schema()


def test_construction_checks_raise_textkit_errors_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="role"):
        Owner("县财政局", "boss")
    with pytest.raises(ValidationError, match="due"):
        Deadline("6月31日前", "date", "2024-06-31")
    with pytest.raises(ValidationError, match="span"):
        Cadence("每月", "monthly", span=(5, 2))
    with pytest.raises(ValidationError, match="parent_id"):
        TaskRecord("t", "d", "subtask", None, "1.1", None, None, "x", None, (0, 1))
    with pytest.raises(ValidationError, match="op"):
        Target("不低于95%", 95.0, "%", "≥")
    with pytest.raises(ValidationError, match="char_count"):
        Document("d", None, None, None, (), -1)


def test_round_trip_and_from_dict_errors(result: Extraction) -> None:
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    again = Extraction.from_dict(data, text=SPEECH)
    assert again == result and again.to_dict() == data and again.text == SPEECH
    for task in result.tasks:
        assert TaskRecord.from_dict(task.to_dict()) == task
    bad = {**data["tasks"][0], "owners": [{"name": "", "role": "lead"}]}
    with pytest.raises(ValidationError, match=r"owners\[0\]\.name"):
        TaskRecord.from_dict(bad)
    # a record written before schema 1.1 (no field spans, no estimated) still reads
    old = {**data["tasks"][0], "owners": [{"name": "县财政局", "role": "lead", "canonical": None}], "deadline": None}
    assert TaskRecord.from_dict(old).owners[0].span is None


def test_ledger_check_refuses_what_the_constructor_would(result: Extraction) -> None:
    good = result.tasks[0]
    check_record(good)
    smuggled = good.evolve(owners=(Owner("县应急管理局", "lead"),))
    object.__setattr__(smuggled.owners[0], "role", "boss")
    with pytest.raises(ValidationError, match=rf"{good.task_id}.*owners\[0\]\.role"):
        check_record(smuggled)
