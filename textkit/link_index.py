"""A growing index of earlier tasks, so linking never re-reads a whole ledger.

Each task is stored once as a hashed vector of its content's character 2- and
3-grams (``HashingVectorizer``: no vocabulary to fit, so tasks can be added one
document at a time). The index keeps postings (n-gram → tasks) and document
frequencies; a query touches only the postings of its own n-grams, skipping the
very common ones, so its cost follows the query, not the ledger's size. It can be
saved beside a ledger and loaded back (``save``/``load``).

An index given a ``spill`` folder keeps its large sealed chunks there, as memory-mapped
arrays, instead of in the process's own memory: a process that keeps a ledger's index
between seeds (a bulk run's parent) then holds only its pending rows, the document
frequencies and the ids, however large the ledger; the mapped pages are the page
cache's, shared and dropped under pressure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

N_FEATURES = 2**20
#: n-grams in more than this share of the indexed tasks carry no signal and have the longest postings.
MAX_DF_SHARE = 0.15
_CHUNK = 20_000
#: sealed chunks with at least this many non-zeros go to the spill folder (smaller ones stay in memory)
SPILL_MIN = 200_000
#: texts scored at once by :meth:`LinkIndex.search` (each holds a dense float32 row over the index)
SEARCH_BLOCK = 32


@cache
def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char", ngram_range=(2, 3), n_features=N_FEATURES, alternate_sign=False, norm=None, binary=True,
        lowercase=False, dtype=np.float32,
    )


def hashed(texts: Sequence[str]) -> sparse.csr_matrix:
    """Binary n-gram rows of ``texts`` (one row a text)."""
    matrix: sparse.csr_matrix = _vectorizer().transform(list(texts)).tocsr()
    return matrix


class LinkIndex:
    """Task ids and their hashed n-gram rows, with postings for fast candidate search."""

    def __init__(self, spill: str | Path | None = None) -> None:
        self.spill = Path(spill) if spill is not None else None
        self._files = 0
        self.ids: list[str] = []
        self._positions: dict[str, int] = {}
        self.df = np.zeros(N_FEATURES, dtype=np.int32)
        self._rows: list[sparse.csr_matrix] = []  # sealed chunks of rows, in id order
        self._postings: list[sparse.csr_matrix] = []  # the same chunks transposed (n-gram → task)
        self._spilled: list[list[Path]] = []  # each chunk's files in the spill folder (none when kept in memory)
        self._pending: list[sparse.csr_matrix] = []
        self._norm_cache: tuple[int, np.ndarray] | None = None
        self._idf_cache: tuple[int, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._positions

    def add(self, task_ids: Iterable[str], texts: Iterable[str]) -> int:
        """Index tasks not yet here; returns how many were added (re-adding an id is a no-op)."""
        fresh = [(t, x) for t, x in zip(task_ids, texts, strict=True) if t not in self._positions]
        seen: set[str] = set()
        fresh = [(t, x) for t, x in fresh if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]
        if not fresh:
            return 0
        rows = hashed([x for _, x in fresh])
        for task_id, _ in fresh:
            self._positions[task_id] = len(self.ids)
            self.ids.append(task_id)
        np.add.at(self.df, rows.indices, 1)  # rows are binary: one count per task and n-gram
        self._pending.append(rows)
        if sum(m.shape[0] for m in self._pending) >= _CHUNK:
            self._seal()
        return len(fresh)

    def _seal(self) -> None:
        """Pending rows become a sealed chunk, merged with the chunks before it while those are no
        larger (a binary counter), so there are O(log n) chunks however often it is called.

        Each chunk's postings carry a row pointer over all ``N_FEATURES`` n-grams (4 MB) and every
        search visits every chunk: seeding adds and searches one document at a time, and one chunk
        per document made a 300-document bulk run hold 1.3 GB and its writes grow quadratically.
        """
        if not self._pending:
            return
        rows = sparse.vstack(self._pending, format="csr")
        self._pending = []
        while self._rows and self._rows[-1].shape[0] <= rows.shape[0] < _CHUNK:
            rows = sparse.vstack([self._rows.pop(), rows], format="csr")
            self._postings.pop()
            for item in self._spilled.pop():  # merged: its spilled files go (the mapping stays valid until released)
                item.unlink(missing_ok=True)
        self._append_chunk(rows)

    def _append_chunk(self, rows: sparse.csr_matrix) -> None:
        """A sealed chunk and its postings, mapped from the spill folder when large enough."""
        postings = rows.T.tocsr()
        files: list[Path] = []
        if self.spill is not None and rows.nnz >= SPILL_MIN:
            rows, postings = self._mapped(rows, files), self._mapped(postings, files)
        self._rows.append(rows)
        self._postings.append(postings)
        self._spilled.append(files)

    def _mapped(self, matrix: sparse.csr_matrix, files: list[Path]) -> sparse.csr_matrix:
        """``matrix`` written to the spill folder and read back memory-mapped (read-only); its files join ``files``."""
        assert self.spill is not None
        self.spill.mkdir(parents=True, exist_ok=True)
        self._files += 1
        parts = []
        for name in ("data", "indices", "indptr"):
            target = self.spill / f"{self._files:06d}.{name}.npy"
            np.save(target, np.ascontiguousarray(getattr(matrix, name)))
            parts.append(np.load(target, mmap_mode="r"))
            files.append(target)
        mapped = sparse.csr_matrix((parts[0], parts[1], parts[2]), shape=matrix.shape, copy=False)
        mapped.has_sorted_indices = True  # as written (a transpose's tocsr, or stacked sorted rows): never sorted in place
        return mapped

    def idf(self) -> np.ndarray:
        """Smoothed inverse document frequency of every hashed n-gram, from the tasks indexed so far
        (cached until the index grows)."""
        if self._idf_cache is not None and self._idf_cache[0] == len(self.ids):
            return self._idf_cache[1]
        n = max(len(self.ids), 1)
        idf = (np.log((1 + n) / (1 + self.df.astype(np.float32))) + 1.0).astype(np.float32)
        self._idf_cache = (len(self.ids), idf)
        return idf

    def weigh(self, rows: sparse.csr_matrix, idf: np.ndarray | None = None) -> sparse.csr_matrix:
        """TF-IDF rows, L2-normalised; n-grams too common to discriminate are dropped."""
        from sklearn.preprocessing import normalize

        idf = self.idf() if idf is None else idf
        weighted = rows.astype(np.float32, copy=True).tocsr()
        weighted.data *= idf[weighted.indices]
        if len(self.ids) >= 20:
            common = self.df[weighted.indices] > MAX_DF_SHARE * len(self.ids)
            weighted.data[common] = 0
            weighted.eliminate_zeros()
        result: sparse.csr_matrix = normalize(weighted, copy=False)
        return result

    def row(self, task_id: str) -> sparse.csr_matrix:
        """The stored binary row of one indexed task."""
        self._seal()
        position = self._positions[task_id]
        for chunk in self._rows:
            if position < chunk.shape[0]:
                return chunk[position]
            position -= chunk.shape[0]
        raise KeyError(task_id)

    def search(self, texts: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
        """For each text, up to ``k`` indexed tasks with the highest TF-IDF cosine (above 0), best first.

        Scored :data:`SEARCH_BLOCK` texts at a time: a dense row of scores per text (a query touches most
        rows), so a bulk write asking for a whole batch's thousands of texts at once held gigabytes.
        """
        self._seal()
        if not self.ids or not texts:
            return [[] for _ in texts]
        idf = self.idf()
        norms = np.maximum(self._norms(idf), 1e-9)[np.newaxis, :]
        found: list[list[tuple[str, float]]] = []
        for start in range(0, len(texts), SEARCH_BLOCK):
            block = texts[start:start + SEARCH_BLOCK]
            queries = self.weigh(hashed(block), idf)
            queries.data *= idf[queries.indices]  # the stored rows are binary: their idf goes on the query side
            scores = np.zeros((len(block), len(self.ids)), dtype=np.float32)
            offset = 0
            for postings in self._postings:
                # weight each stored row by idf and its own norm: only the rows the query touches
                part = (queries @ postings).toarray()
                scores[:, offset:offset + postings.shape[1]] = part
                offset += postings.shape[1]
            scores /= norms
            for line in scores:
                top = np.argpartition(-line, min(k, len(line) - 1))[:k] if len(line) > k else np.arange(len(line))
                top = top[np.argsort(-line[top])]
                found.append([(self.ids[i], float(line[i])) for i in top if line[i] > 0])
        return found

    def similarity(self, text: str, task_id: str) -> float:
        """The score :meth:`search` gives the indexed task ``task_id`` for the query ``text``."""
        idf = self.idf()
        query = self.weigh(hashed([text]), idf)
        query.data *= idf[query.indices]
        score = float((query @ self.row(task_id).T).toarray()[0, 0])
        position = self._positions[task_id]
        return score / max(float(self._norms(idf)[position]), 1e-9)

    def _norms(self, idf: np.ndarray) -> np.ndarray:
        """Each stored row's TF-IDF norm under the current idf (rows are binary, so Σ idf² over its n-grams);
        cached until the index grows."""
        if self._norm_cache is not None and self._norm_cache[0] == len(self.ids):
            return self._norm_cache[1]
        squared = idf.astype(np.float32) ** 2
        # from the postings, which a search reads anyway, not the rows (memory-mapped, as large): the same sums
        # in the same order (a row's n-grams ascending), so the same float32 norms, and only half the index's
        # pages touched by a search (a kept seeder's resident memory grew by the whole index's size)
        parts = [np.sqrt(np.asarray(postings.T @ squared)).ravel() for postings in self._postings]
        norms = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        self._norm_cache = (len(self.ids), norms)
        return norms

    # --- persistence -----------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index as one ``.npz`` file (ids, rows); document frequencies are rebuilt on load."""
        self._seal()
        rows = sparse.vstack(self._rows, format="csr") if self._rows else sparse.csr_matrix((0, N_FEATURES))
        np.savez_compressed(
            Path(path), ids=np.array(self.ids, dtype=str), data=rows.data, indices=rows.indices,
            indptr=rows.indptr,
        )

    def rows_from(self, start: int) -> sparse.csr_matrix:
        """The binary rows of the tasks indexed from position ``start`` on (what a saved index lacks)."""
        self._seal()
        parts, offset = [], 0
        for chunk in self._rows:
            if offset + chunk.shape[0] > start:
                parts.append(chunk[max(start - offset, 0):])
            offset += chunk.shape[0]
        return sparse.vstack(parts, format="csr") if parts else sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)

    def export(self) -> tuple[list[str], sparse.csr_matrix]:
        """The ids and their binary rows, in order (what :meth:`from_rows` takes back)."""
        self._seal()
        rows = sparse.vstack(self._rows, format="csr") if self._rows else sparse.csr_matrix((0, N_FEATURES))
        return list(self.ids), rows

    @classmethod
    def load(cls, path: str | Path) -> LinkIndex:
        """An index saved by :meth:`save`."""
        with np.load(Path(path)) as saved:
            return cls.from_rows([str(x) for x in saved["ids"]], saved["data"], saved["indices"], saved["indptr"])

    @classmethod
    def from_rows(cls, ids: list[str], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, *,
                  spill: str | Path | None = None) -> LinkIndex:
        """An index of ``ids`` from their binary rows in CSR parts."""
        rows = sparse.csr_matrix((data, indices, indptr), shape=(len(ids), N_FEATURES))
        index = cls(spill)
        index.ids = ids
        index._positions = {t: i for i, t in enumerate(ids)}
        index.df = np.bincount(rows.indices, minlength=N_FEATURES).astype(np.int32)
        for start in range(0, len(ids), _CHUNK):
            index._append_chunk(rows[start:start + _CHUNK])
        return index
