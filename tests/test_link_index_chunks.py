"""Seeding adds and searches one document at a time: the follow-up index must stay a few chunks.

One sealed chunk per document made a 300-document bulk run hold 1.3 GB (each chunk's postings
point over all hashed n-grams) and every search visit every chunk (issue 18's Excel/SQLite bulk run).
"""

from __future__ import annotations

import math

from textkit.link_index import LinkIndex


def _texts(n: int) -> list[str]:
    works = ["排查隐患", "整治道路", "开工项目", "清理河道", "巡查林区", "走访农户"]
    return [f"县第{i % 23}局要在{i % 12 + 1}月底前完成第{i}批{works[i % 6]}任务" for i in range(n)]


def test_adding_one_document_at_a_time_keeps_few_chunks_and_the_same_answers() -> None:
    texts = _texts(1000)
    grown, whole = LinkIndex(), LinkIndex()
    documents = 200
    for d in range(documents):
        ids = [f"t{j}" for j in range(5 * d, 5 * d + 5)]
        grown.add(ids, texts[5 * d : 5 * d + 5])
        grown.search(texts[5 * d : 5 * d + 1])  # as seeding does before the next document
    whole.add([f"t{j}" for j in range(1000)], texts)
    assert len(grown._rows) <= 2 * math.log2(documents) + 2, len(grown._rows)
    queries = texts[::97]
    assert grown.search(queries, k=5) == whole.search(queries, k=5)
    assert [grown.row(f"t{j}").nnz for j in range(0, 1000, 111)] == [whole.row(f"t{j}").nnz for j in range(0, 1000, 111)]
