"""The end of each candidate's chain of followers, walked inside SQLite in one query.

The linker moves a match on an earlier task to the end of its chain (:func:`textkit.followups.decide`):
from a task to the last task following it (the stored links in their order, then the links this seed
made) that the document may follow, while that task comes before the newcomer. Walked in Python, every
step's links and meta were read into the process; in a bulk run of recombined speeches the chains grow
with the ledger (mean 33 followers at 10,000 documents, at most 576), and so did what one write held
(≈ 190 MB passing through a 25-document write at 10,000 documents). One recursive query per document
walks every pair's chain in SQLite and returns only the ends.

The rule is the Python walk's, step for step (``tests/test_link_chain_ends.py`` compares them):

- a task's follower is the task of its *last* link, in the store's order (``linked_at``, ties in row
  order; the order :class:`textkit.ledgers.links.StoredLinks` reads) among the links whose task the
  document may follow (a directive the :class:`Rule` admits), unless a link made by this seed follows
  it: made links come after every stored one, so the last admitted of those wins;
- the walk moves there while that task's order (date, 序号) is before the newcomer's;
- a walk still going after :data:`CAP` steps (a cycle: the Python walk stops where a task repeats) is
  left to the caller, which walks it in Python.

A batch task (a document of this seed, not in the ledger yet) is known by its order only; the caller
makes sure no stored link names one (:meth:`ChainWalker.clear_of`): re-seeded documents walk in Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

#: steps after which a walk is handed back to the caller (a cycle; the longest chain of a 10,000-document
#: bulk ledger is a few hundred steps)
CAP = 1_000
_DATE = re.compile(r"[（(](\d{4}-\d{2}(?:-\d{2})?)[）)]\s*$")


def source_date(source: object) -> str:
    """A row's document date from its 任务来源 (``标题（2024-03-01）``), "" when it has none: the meta's rule."""
    found = _DATE.search(str(source or ""))
    return found.group(1) if found else ""


class Rule(NamedTuple):
    """Which held directives a document may follow, as SQL can test them.

    ``newcomers`` empty: a new document dated ``date`` (none later than it; all when ""). Otherwise a held
    document ``doc`` linked to the batch's ``newcomers``: other documents, dated, before ``date``.
    """

    date: str
    doc: str = ""
    newcomers: tuple[str, ...] = ()


def _admits(rule: Rule) -> tuple[str, dict[str, Any]]:
    """The rule as a condition on the ledger row ``t``, with its parameters."""
    dated = 'textkit_date(t."任务来源")'
    if not rule.newcomers:
        return f"NOT (:date != '' AND {dated} != '' AND {dated} > :date)", {"date": rule.date}
    return (f"t.doc_id != :doc AND t.doc_id NOT IN (SELECT value FROM json_each(:newcomers)) "
            f"AND {dated} != '' AND {dated} < :date",
            {"date": rule.date, "doc": rule.doc, "newcomers": json.dumps(list(rule.newcomers))})


class ChainWalker:
    """Chain ends over one SQLite ledger table and its links table."""

    def __init__(self, engine: Any, table: str, links: str) -> None:
        self.engine, self.table, self.links = engine, table, links
        self.queries = 0  # walks run, for tests

    def _next(self, node: str, admits: str) -> str:
        """The SQL of ``node``'s follower: the last admitted made link's task, else the last admitted stored one's."""
        return (f"coalesce((SELECT m.task_id FROM temp.textkit_made m WHERE m.follows = {node}), "
                f'(SELECT l.task_id FROM "{self.links}" l JOIN "{self.table}" t ON t.task_id = l.task_id '
                f"WHERE l.follows = {node} AND t.kind = 'directive' AND {admits} "
                f"ORDER BY coalesce(l.linked_at, '') DESC, l.rowid DESC LIMIT 1))")

    def clear_of(self, task_ids: Sequence[str]) -> bool:
        """Whether no row and no stored link names any of ``task_ids`` (a batch's: then its tasks are known
        to the walk by their order alone)."""
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            for part in range(0, len(task_ids), 500):
                keys = list(task_ids[part:part + 500])
                marks = ",".join("?" * len(keys))
                for sql in (f'SELECT 1 FROM "{self.table}" WHERE task_id IN ({marks}) LIMIT 1',
                            f'SELECT 1 FROM "{self.links}" WHERE task_id IN ({marks}) LIMIT 1',
                            f'SELECT 1 FROM "{self.links}" WHERE follows IN ({marks}) LIMIT 1'):
                    if raw.execute(sql, keys).fetchone() is not None:
                        return False
        return True

    def ends(self, starts: Sequence[tuple[str, tuple[str, int]]], made: Mapping[str, str],
             batch: Mapping[str, tuple[str, int]], rule: Rule) -> list[tuple[str, int]]:
        """For each (task_id, the newcomer's order) in ``starts``: the chain's end and the steps taken (``CAP``
        when it was still going). ``made``: task_id → the task of the last admitted link this seed made
        following it; ``batch``: the seed's tasks the document may follow → their order."""
        if not starts:
            return []
        admits, params = _admits(rule)
        first = self._next("json_extract(value, '$[0]')", admits)
        sql = (
            "WITH RECURSIVE walk(k, node, d, s, depth, nx) AS ("
            " SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
            f" json_extract(value, '$[2]'), 0, {first}"
            " FROM json_each(:starts)"
            " UNION ALL"
            f" SELECT w.k, w.nx, w.d, w.s, w.depth + 1, {self._next('w.nx', admits)}"
            " FROM walk w LEFT JOIN temp.textkit_batch b ON b.task_id = w.nx"
            f' LEFT JOIN "{self.table}" h ON h.task_id = w.nx'
            " WHERE w.nx IS NOT NULL AND w.depth < :cap"
            ' AND (coalesce(b.date, textkit_date(h."任务来源")), coalesce(b.seq, h."序号")) < (w.d, w.s))'
            " SELECT k, node, max(depth) FROM walk GROUP BY k")
        params.update(starts=json.dumps([[t, o[0] or "", o[1]] for t, o in starts], ensure_ascii=False), cap=CAP)
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            raw.create_function("textkit_date", 1, source_date, deterministic=True)
            raw.execute("CREATE TEMP TABLE IF NOT EXISTS textkit_made(follows TEXT PRIMARY KEY, task_id TEXT NOT NULL)")
            raw.execute("CREATE TEMP TABLE IF NOT EXISTS textkit_batch"
                        "(task_id TEXT PRIMARY KEY, date TEXT NOT NULL, seq INTEGER NOT NULL)")
            raw.execute("DELETE FROM temp.textkit_made")
            raw.execute("DELETE FROM temp.textkit_batch")
            raw.executemany("INSERT INTO temp.textkit_made VALUES (?, ?)", list(made.items()))
            raw.executemany("INSERT INTO temp.textkit_batch VALUES (?, ?, ?)",
                            [(t, o[0] or "", o[1]) for t, o in batch.items()])
            found = {int(k): (str(node), int(depth)) for k, node, depth in raw.execute(sql, params)}
            raw.execute("DELETE FROM temp.textkit_made")
            raw.execute("DELETE FROM temp.textkit_batch")
        self.queries += 1
        return [found[k] for k in range(len(starts))]
