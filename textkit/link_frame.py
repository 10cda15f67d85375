"""Links as a pandas DataFrame, one row a link, with both tasks' headings, documents and deadlines beside it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textkit.followups import Link
from textkit.records import Extraction, TaskRecord

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("task_id", "follows", "relation", "score", "heading", "follows_heading", "doc_id", "follows_doc_id",
           "deadline", "follows_deadline")


def links_frame(links: Iterable[Link | dict[str, Any]], tasks: Iterable[Extraction | TaskRecord] = ()) -> pd.DataFrame:
    """A frame of ``links``; ``tasks`` (extractions or records, earlier and later) fill in what the ids stand for."""
    import pandas as pd

    by_id: dict[str, TaskRecord] = {}
    for source in tasks:
        for record in source.tasks if isinstance(source, Extraction) else (source,):
            by_id[record.task_id] = record
    rows = []
    for item in links:
        data = item.to_dict() if isinstance(item, Link) else Link.from_dict(item).to_dict()
        later, earlier = by_id.get(data["task_id"]), by_id.get(data["follows"])
        rows.append({
            **data,
            "heading": later.heading if later else None,
            "follows_heading": earlier.heading if earlier else None,
            "doc_id": later.doc_id if later else None,
            "follows_doc_id": earlier.doc_id if earlier else None,
            "deadline": later.deadline.text if later and later.deadline else None,
            "follows_deadline": earlier.deadline.text if earlier and earlier.deadline else None,
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))
