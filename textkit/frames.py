"""Task records as pandas DataFrames: one row per task, typed columns, document metadata joined.

Analysts filter, group and plot these; the columns are flat so that ``groupby``,
``explode`` and ``sort_values`` work without unpacking records by hand:

- ``owners``/``support``/``owner_roles``/``cadence``/``targets`` hold Python lists
  (``frame.explode("owners")`` gives one row per owner);
- ``lead`` is one owner name or missing (see :func:`lead_owner`);
- ``owner_keys``/``lead_key`` are the same owners as one name each party goes by
  (:func:`owner_key`: traditional → simplified, full-width folded, known aliases
  expanded), for ``groupby``: ``縣發改局`` and ``县发改局`` are one 县发展和改革局;
- ``due`` is ``datetime64``; ``deadline_*`` are missing when a task has no deadline;
- ``target_*`` describe the task's first target, ``targets``/``n_targets`` all of them;
- ``leaf`` marks the rows to count so that no piece of work is counted twice
  (a directive with subtasks is the sum of its subtasks);
- ``title``, ``date`` and ``source`` come from the task's ``Document``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from textkit.records import DEADLINE_KINDS, KINDS, Extraction, TaskRecord

#: Column name → pandas dtype, in column order. Lists are ``object`` columns.
COLUMNS: dict[str, Any] = {
    "doc_id": "string",
    "task_id": "string",
    "kind": pd.CategoricalDtype(list(KINDS)),
    "parent_id": "string",
    "path": "string",
    "marker": "string",
    "heading": "string",
    "directive": "string",
    "text": "string",
    "section": "string",
    "leaf": "bool",
    "owners": "object",
    "owner_roles": "object",
    "lead": "string",
    "owner_keys": "object",
    "lead_key": "string",
    "support": "object",
    "deadline_text": "string",
    "deadline_kind": pd.CategoricalDtype(list(DEADLINE_KINDS)),
    "due": "datetime64[ns]",
    "deadline_placeholder": "boolean",
    "deadline_approximate": "boolean",
    "deadline_estimated": "boolean",
    "cadence": "object",
    "cadence_text": "object",
    "targets": "object",
    "n_targets": "int64",
    "target_value": "float64",
    "target_unit": "string",
    "target_op": "string",
    "target_placeholder": "boolean",
    "span_start": "int64",
    "span_end": "int64",
    "confidence": "float64",
    "title": "string",
    "date": "string",
    "source": "string",
}

_DOCUMENT_COLUMNS = ("doc_id", "title", "date", "source")

PathOrText = str | Path | Extraction


@functools.lru_cache(maxsize=4096)
def owner_key(name: str) -> str:
    """The one name a party is grouped under: ``縣發改局``, ``县发改局`` and ``县发展和改革局`` → ``县发展和改革局``.

    Full-width forms are folded (``各乡镇（街道）``), traditional characters become simplified
    (OpenCC's t2s), and a known alias from ``data/aliases.tsv`` is expanded.
    """
    import unicodedata

    from textkit.lexicon import canonical_name

    simplified = _t2s().convert(unicodedata.normalize("NFKC", name))
    return canonical_name(simplified) or simplified


@functools.cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _key_or_none(name: str | None, task: TaskRecord) -> str | None:
    if name is None:
        return None
    owner = next((o for o in task.owners if o.name == name), None)
    return owner_key(owner.canonical or name) if owner else owner_key(name)


def lead_owner(task: TaskRecord) -> str | None:
    """The party answerable for a task: the first ``lead`` owner (牵头/负责), else the first
    owner without a role (the sentence's subject, ``市工信局要…``), else none.

    A ``support`` owner (配合) is never the lead: ``会同市生态环境局`` helps, it does not answer.
    """
    for role in ("lead", "unspecified"):
        for owner in task.owners:
            if owner.role == role:
                return owner.name
    return None


def _task_row(task: TaskRecord, headings: dict[str, str | None], parents: set[str]) -> dict[str, Any]:
    deadline = task.deadline
    first = task.targets[0] if task.targets else None
    directive_id = task.parent_id if task.kind == "subtask" else task.task_id
    return {
        "doc_id": task.doc_id,
        "task_id": task.task_id,
        "kind": task.kind,
        "parent_id": task.parent_id,
        "path": task.path,
        "marker": task.marker,
        "heading": task.heading,
        "directive": headings.get(directive_id or ""),
        "text": task.text,
        "section": task.section,
        "leaf": task.kind == "subtask" or task.task_id not in parents,
        "owners": [o.name for o in task.owners],
        "owner_roles": [o.role for o in task.owners],
        "lead": lead_owner(task),
        "owner_keys": [owner_key(o.canonical or o.name) for o in task.owners],
        "lead_key": _key_or_none(lead_owner(task), task),
        "support": [o.name for o in task.owners if o.role == "support"],
        "deadline_text": deadline.text if deadline else None,
        "deadline_kind": deadline.kind if deadline else None,
        "due": deadline.due if deadline else None,
        "deadline_placeholder": deadline.placeholder if deadline else None,
        "deadline_approximate": deadline.approximate if deadline else None,
        "deadline_estimated": deadline.estimated if deadline else None,
        "cadence": [c.freq for c in task.cadence],
        "cadence_text": [c.text for c in task.cadence],
        "targets": [t.text for t in task.targets],
        "n_targets": len(task.targets),
        "target_value": first.value if first and first.value is not None else float("nan"),
        "target_unit": first.unit if first else None,
        "target_op": first.op if first else None,
        "target_placeholder": first.placeholder if first else None,
        "span_start": task.span[0],
        "span_end": task.span[1],
        "confidence": task.confidence,
    }


def _typed(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Build the frame column by column so an empty input still has every column and dtype."""
    data: dict[str, pd.Series] = {}
    for name, dtype in COLUMNS.items():
        values = [row.get(name) for row in rows]
        if name == "due":
            data[name] = pd.Series(pd.to_datetime(values, errors="coerce"), dtype=dtype)
        elif dtype == "object":
            data[name] = pd.Series(values, dtype=object)
        else:
            data[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data, columns=list(COLUMNS))


def extraction_frame(extraction: Extraction) -> pd.DataFrame:
    """One row per task record of one extraction, in text order (what ``Extraction.to_frame()`` returns)."""
    headings = {t.task_id: t.heading for t in extraction.directives}
    parents = {t.parent_id for t in extraction.tasks if t.parent_id}
    doc = extraction.document
    rows = []
    for task in extraction.tasks:
        row = _task_row(task, headings, parents)
        # joined on doc_id: every task carries its document's id, so this equals a merge
        row.update(title=doc.title, date=doc.date, source=doc.source)
        rows.append(row)
    return _typed(rows)


def frame_of(extractions: Iterable[Extraction]) -> pd.DataFrame:
    """Rows of several extractions stacked, keeping the dtypes of :data:`COLUMNS`."""
    frames = [extraction_frame(e) for e in extractions]
    if not frames:
        return _typed([])
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0]
    return pd.concat(nonempty, ignore_index=True).astype(_concat_safe_dtypes())


def _concat_safe_dtypes() -> dict[str, Any]:
    # concat keeps most dtypes but may widen categoricals whose categories match; re-assert them
    return {name: dtype for name, dtype in COLUMNS.items() if name != "due"}


def documents_frame(extractions: Iterable[Extraction]) -> pd.DataFrame:
    """One row per document: ``doc_id``, ``title``, ``date``, ``source``, ``char_count``, task counts."""
    rows = [
        {
            **{k: getattr(e.document, k) for k in _DOCUMENT_COLUMNS},
            "char_count": e.document.char_count,
            "directives": len(e.directives),
            "subtasks": len(e.tasks) - len(e.directives),
        }
        for e in extractions
    ]
    frame = pd.DataFrame(rows, columns=[*_DOCUMENT_COLUMNS, "char_count", "directives", "subtasks"])
    return frame.astype({k: "string" for k in _DOCUMENT_COLUMNS})


def _is_path(item: str) -> bool:
    """A string names a file when it is one short line that exists on disk; anything else is text."""
    if len(item) > 1024 or "\n" in item:
        return False
    try:
        return Path(item).is_file()
    except OSError:
        return False


def extract_all(
    paths_or_texts: PathOrText | Iterable[PathOrText], *, ref_date: date | str | None = None, **options: Any
) -> list[Extraction]:
    """Extract each input: a ``Path``, a string naming an existing file, speech text, or an ``Extraction``."""
    from textkit.pipeline import extract, extract_file

    if isinstance(paths_or_texts, str | Path | Extraction):
        items: list[PathOrText] = [paths_or_texts]
    else:
        items = list(paths_or_texts)
    results = []
    for item in items:
        if isinstance(item, Extraction):
            results.append(item)
        elif isinstance(item, Path) or _is_path(item):
            results.append(extract_file(item, ref_date=ref_date, **options))
        else:
            results.append(extract(item, ref_date=ref_date, **options))
    return results


def extract_frame(
    paths_or_texts: PathOrText | Iterable[PathOrText], *, ref_date: date | str | None = None, **options: Any
) -> pd.DataFrame:
    """Extract files or texts and return their task records as one frame (see the module docstring).

    A single path or text may be passed as is. A string is read as a file when it is
    one line naming an existing file, else extracted as speech text.
    """
    return frame_of(extract_all(paths_or_texts, ref_date=ref_date, **options))
