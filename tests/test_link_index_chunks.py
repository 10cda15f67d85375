"""Seeding adds and searches one document at a time: the follow-up index must stay a few chunks.

One sealed chunk per document made a 300-document bulk run hold 1.3 GB (each chunk's postings
point over all hashed n-grams) and every search visit every chunk (issue 18's Excel/SQLite bulk run).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from textkit.ledgers.link_tasks import _chunks, append, load, save
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


def _same(a: LinkIndex, b: LinkIndex, queries: list[str]) -> None:
    (ids_a, rows_a), (ids_b, rows_b) = a.export(), b.export()
    assert ids_a == ids_b
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(rows_a, part), getattr(rows_b, part)), part
    assert a.search(queries, k=5) == b.search(queries, k=5)


def test_an_index_saved_in_chunks_loads_as_the_index_saved_whole(tmp_path: Path) -> None:
    """Each seed appends its tasks as a chunk file after the base; loading base + chunks must give the
    index (ids, rows, hashes, answers) that saving it whole gives, before and after folding them in."""
    texts = _texts(600)
    ids = [f"t{j}" for j in range(600)]
    hashes = {t: f"h{t}" for t in ids}
    index, path = LinkIndex(), tmp_path / "l.npz"
    index.add(ids[:300], texts[:300])
    save(path, index, hashes)
    for start in range(300, 600, 50):
        index.add(ids[start:start + 50], texts[start:start + 50])
        append(path, index, start, {t: hashes[t] for t in ids[start:start + 50]})
    hashes["t3"] = "changed"  # a row re-seeded in place: only its hash moves
    assert append(path, index, 600, {"t3": "changed"}) == 7
    chunked, chunked_hashes, base = load(path)
    assert base == 300 and chunked_hashes == hashes
    whole = tmp_path / "w.npz"
    save(whole, index, hashes)
    compact, compact_hashes, compact_base = load(whole)
    assert compact_base == 600 and compact_hashes == hashes
    queries = texts[::53]
    _same(chunked, compact, queries)
    _same(chunked, index, queries)
    save(path, chunked, chunked_hashes)  # folded in: the chunks go, the next one is numbered past them
    assert not _chunks(path)
    index.add(["late"], ["县第九局要在年底前完成新增任务"])
    append(path, index, 600, {"late": "h"})
    assert list(_chunks(path)) == [8]
    again, again_hashes, _ = load(path)
    _same(again, index, [*queries, "县第九局年底前完成新增任务"])
    assert again_hashes == {**hashes, "late": "h"}


def test_a_search_reads_only_the_postings() -> None:
    """A search (norms included) answers from the postings alone, never the rows: a kept seeder maps both
    from its spill folder, and a search touching the rows made its resident memory grow by their size too."""
    from scipy import sparse

    texts = _texts(600)
    index, reference = LinkIndex(), LinkIndex()
    for d in range(0, 600, 50):
        for built in (index, reference):
            built.add([f"t{j}" for j in range(d, d + 50)], texts[d:d + 50])
    queries = texts[::41]
    expected = reference.search(queries, k=5)
    index._seal()
    index._rows = [sparse.csr_matrix(rows.shape, dtype=rows.dtype) for rows in index._rows]  # emptied
    assert index.search(queries, k=5) == expected
