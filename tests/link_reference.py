"""An independent reference scorer for follow-up links, written from the spec alone.

It shares no code with ``textkit.link_eval``: it reads the gold JSON, the
extractions as the contract's JSON dicts and the links as the contract's dicts,
and counts (task, follows) pairs and relation agreement by the corpus README's rules.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any


def _n(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _task_for(prefix: str, tasks: list[dict[str, Any]]) -> str | None:
    directives = [t for t in tasks if t["kind"] == "directive"]
    wanted = _n(prefix)[:10]
    for t in directives:
        if _n(t.get("heading") or "").startswith(wanted):
            return str(t["task_id"])
    for t in directives:
        if wanted in _n(t["text"]):
            return str(t["task_id"])
    return None


def score(gold_path: Path, extractions: dict[str, dict[str, Any]], links: dict[str, list[dict[str, Any]]]
          ) -> dict[str, int]:
    """Counts for one series: ``extractions`` doc → {"document", "tasks"}, ``links`` doc → link dicts."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold_pairs: dict[tuple[str, str], str] = {}
    for g in gold["links"]:
        a = _task_for(g["task"], extractions[g["doc"]]["tasks"]) or f"missing:{g['doc']}:{g['task']}"
        b = _task_for(g["follows"], extractions[g["follows_doc"]]["tasks"]) or f"missing:{g['follows_doc']}:{g['follows']}"
        gold_pairs[(a, b)] = g["relation"]
    predicted = {(x["task_id"], x["follows"]): x["relation"] for items in links.values() for x in items}
    both = set(gold_pairs) & set(predicted)
    return {"tp": len(both), "fp": len(predicted) - len(both), "fn": len(gold_pairs) - len(both),
            "relation_right": sum(gold_pairs[p] == predicted[p] for p in both)}
