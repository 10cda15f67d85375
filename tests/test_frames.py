"""The task frame: one row per record, every column typed, document metadata joined."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_float_dtype, is_integer_dtype

import textkit
from tests.conftest import CORPUS, SPEECH
from textkit.frames import COLUMNS, extract_frame, extraction_frame, lead_owner
from textkit.records import DEADLINE_KINDS, KINDS

DOCS = sorted((CORPUS / "docs").glob("*.txt"))


@pytest.fixture(scope="module")
def extraction() -> textkit.Extraction:
    return textkit.extract(SPEECH, ref_date="2024-05-06", source="speech.txt")


@pytest.fixture(scope="module")
def frame(extraction: textkit.Extraction) -> pd.DataFrame:
    return extraction.to_frame()


def test_one_row_per_task_in_text_order(extraction: textkit.Extraction, frame: pd.DataFrame) -> None:
    assert list(frame["task_id"]) == [t.task_id for t in extraction.tasks]
    assert list(frame.columns) == list(COLUMNS)


@pytest.mark.parametrize(
    ("column", "check"),
    [
        ("task_id", pd.api.types.is_string_dtype),
        ("text", pd.api.types.is_string_dtype),
        ("lead", pd.api.types.is_string_dtype),
        ("deadline_text", pd.api.types.is_string_dtype),
        ("leaf", is_bool_dtype),
        ("deadline_placeholder", is_bool_dtype),
        ("due", is_datetime64_any_dtype),
        ("span_start", is_integer_dtype),
        ("span_end", is_integer_dtype),
        ("n_targets", is_integer_dtype),
        ("target_value", is_float_dtype),
        ("confidence", is_float_dtype),
    ],
)
def test_column_dtypes(frame: pd.DataFrame, column: str, check: object) -> None:
    assert check(frame[column]), f"{column} is {frame[column].dtype}"  # type: ignore[operator]


def test_declared_dtypes_hold_exactly(frame: pd.DataFrame) -> None:
    assert {c: str(t) for c, t in frame.dtypes.items()} == {c: str(pd.Series(dtype=t).dtype) for c, t in COLUMNS.items()}
    assert list(frame["kind"].cat.categories) == list(KINDS)
    assert list(frame["deadline_kind"].cat.categories) == list(DEADLINE_KINDS)


def test_list_columns_hold_lists(frame: pd.DataFrame) -> None:
    for column in ("owners", "owner_roles", "support", "cadence", "cadence_text", "targets"):
        assert all(isinstance(v, list) for v in frame[column]), column


def test_values_follow_the_records(extraction: textkit.Extraction, frame: pd.DataFrame) -> None:
    for task, row in zip(extraction.tasks, frame.itertuples(index=False), strict=True):
        assert row.owners == [o.name for o in task.owners]
        assert row.support == [o.name for o in task.owners if o.role == "support"]
        assert row.cadence == [c.freq for c in task.cadence]
        assert (row.span_start, row.span_end) == task.span
        if task.deadline and task.deadline.due:
            assert row.due == pd.Timestamp(task.deadline.due)
        else:
            assert pd.isna(row.due)
        assert row.lead == lead_owner(task) or (pd.isna(row.lead) and lead_owner(task) is None)


def test_the_speech_shows_its_fields(frame: pd.DataFrame) -> None:
    assert (frame["due"] == pd.Timestamp("2024-06-30")).any()
    assert frame["cadence"].map(lambda c: "monthly" in c).any()
    target = frame[frame["n_targets"] > 0].iloc[0]
    assert target["target_value"] == 95 and target["target_unit"] == "%" and target["target_op"] == ">="


def test_document_metadata_joined_on_doc_id(extraction: textkit.Extraction, frame: pd.DataFrame) -> None:
    doc = extraction.document
    assert set(frame["doc_id"]) == {doc.doc_id}
    assert set(frame["source"]) == {"speech.txt"}
    assert set(frame["title"]) == {doc.title}


def test_leaf_counts_each_piece_of_work_once(frame: pd.DataFrame) -> None:
    parents = set(frame["parent_id"].dropna())
    for row in frame.itertuples():
        assert row.leaf == (row.kind == "subtask" or row.task_id not in parents)
    subtask_directive = frame[frame["kind"] == "subtask"]["directive"]
    assert subtask_directive.notna().all()


def test_lead_prefers_lead_role_never_support() -> None:
    from textkit.records import Owner, TaskRecord

    def task(*owners: Owner) -> TaskRecord:
        return TaskRecord("t", "d", "directive", None, "1", None, None, "x", None, (0, 1), owners=owners)

    assert lead_owner(task(Owner("甲局", "support"), Owner("乙局", "unspecified"), Owner("丙局", "lead"))) == "丙局"
    assert lead_owner(task(Owner("甲局", "support"), Owner("乙局", "unspecified"))) == "乙局"
    assert lead_owner(task(Owner("甲局", "support"))) is None


def test_extract_frame_takes_paths_texts_and_extractions(extraction: textkit.Extraction) -> None:
    frame = extract_frame([DOCS[0], str(DOCS[1]), SPEECH, extraction], ref_date="2024-05-06")
    assert frame["doc_id"].nunique() == 3  # SPEECH twice: once as text, once extracted
    assert list(frame.dtypes) == list(extraction_frame(extraction).dtypes)
    assert set(frame["source"].dropna()) >= {str(DOCS[0]), str(DOCS[1])}
    single = extract_frame(DOCS[0])
    assert single["doc_id"].nunique() == 1


def test_empty_input_keeps_columns_and_dtypes(frame: pd.DataFrame) -> None:
    empty = extract_frame([])
    assert empty.empty and list(empty.dtypes) == list(frame.dtypes)
    no_tasks = extract_frame(["今天天气很好。"])
    assert no_tasks.empty and list(no_tasks.dtypes) == list(frame.dtypes)


def test_path_strings_versus_text(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    # a one-line string that names no file is text, not a missing file
    assert extract_frame([missing]).empty
