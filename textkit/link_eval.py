"""Scoring follow-up links against the series corpus (``corpora/series``).

A gold link names tasks by the first ≤ 10 characters of their headings; a
predicted directive is that task when its heading starts with them, else when
its text holds them (the extraction gold's rule). Scores are micro-averaged over
later documents: precision, recall and F1 of ``(task, follows)`` pairs, and the
share of correct pairs with the right relation.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from textkit.errors import InputError
from textkit.evaluate import PRF
from textkit.followups import RELATIONS, Link, link
from textkit.records import Extraction, TaskRecord

Pair = tuple[str, str, str, str]  # (doc, task key, follows doc, follows key)


@dataclass(frozen=True)
class Series:
    """One series directory: documents in order, their dates, and the gold links."""

    name: str
    split: str
    path: Path
    documents: tuple[str, ...]
    dates: tuple[str | None, ...]
    links: tuple[dict[str, str], ...]


def _fail(path: Path, problem: str) -> InputError:
    return InputError(str(path), problem)


def load_series(root: str | Path, *, split: str | None = None) -> list[Series]:
    """Every ``*/gold.json`` series under ``root`` (optionally one split), checked for shape."""
    root = Path(root)
    if not root.is_dir():
        raise _fail(root, "not a directory of series")
    found: list[Series] = []
    for gold_path in sorted(root.glob("*/gold.json")):
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _fail(gold_path, f"cannot read gold JSON ({exc})") from None
        try:
            documents = tuple(str(d["doc"]) for d in gold["documents"])
            dates = tuple(d.get("date") for d in gold["documents"])
            links = tuple(dict(item) for item in gold["links"])
            series_split = str(gold["split"])
        except (KeyError, TypeError) as exc:
            raise _fail(gold_path, f"missing or malformed field {exc}") from None
        for item in links:
            missing = {"doc", "task", "follows_doc", "follows", "relation"} - set(item)
            if missing:
                raise _fail(gold_path, f"link {item} lacks {', '.join(sorted(missing))}")
            if item["relation"] not in RELATIONS:
                raise _fail(gold_path, f"link relation {item['relation']!r} is not one of {', '.join(RELATIONS)}")
            if item["doc"] not in documents or item["follows_doc"] not in documents:
                raise _fail(gold_path, f"link {item['task']!r} names a document not listed under 'documents'")
            if documents.index(item["follows_doc"]) >= documents.index(item["doc"]):
                raise _fail(gold_path, f"link {item['task']!r} follows a document that is not earlier")
        for doc in documents:
            if not (gold_path.parent / f"{doc}.txt").is_file():
                raise _fail(gold_path.parent / f"{doc}.txt", "document listed in gold.json is missing")
        if split is None or series_split == split:
            found.append(Series(gold_path.parent.name, series_split, gold_path.parent, documents, dates, links))
    if not found:
        raise _fail(root, f"no series (*/gold.json){' of split ' + split if split else ''} here")
    return found


@cache
def _extract(path: str, ref_date: str | None) -> Extraction:
    from textkit.pipeline import extract_file

    return extract_file(path, ref_date=ref_date)


def extractions(series: Series) -> list[Extraction]:
    """The series' documents extracted (each with its own date as reference), cached per process."""
    return [_extract(str(series.path / f"{doc}.txt"), date) for doc, date in zip(series.documents, series.dates,
                                                                                 strict=True)]


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def key_of(directives: Sequence[TaskRecord], keys: Iterable[str]) -> dict[str, str]:
    """task_id → gold key, for the keys that name a directive here (heading first, then text)."""
    found: dict[str, str] = {}
    for key in keys:
        k = norm(key)[:10]
        match = next((d for d in directives if norm(d.heading or "").startswith(k)), None)
        match = match or next((d for d in directives if k in norm(d.text)), None)
        if match is not None and match.task_id not in found:
            found[match.task_id] = key
    return found


@dataclass
class LinkScore(PRF):
    """Pair counts (precision, recall and F1 as for the extraction fields) and relation
    agreement, summed over later documents."""

    relation_right: int = 0
    rows: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def relation_accuracy(self) -> float:
        return self.relation_right / self.tp if self.tp else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "relation_accuracy": round(self.relation_accuracy, 4)}

    def table(self, *, verbose: bool = False) -> str:
        lines = []
        if verbose:
            lines.append(f"{'document':<48} {'gold':>5} {'pred':>5} {'tp':>4} {'rel':>4}")
            lines += [f"{n:<48} {g:>5} {p:>5} {t:>4} {r:>4}" for n, g, p, t, r in self.rows]
            lines += self.errors
            lines.append("")
        lines.append(f"{'links':<10} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
                     f"(tp {self.tp}, fp {self.fp}, fn {self.fn})")
        lines.append(f"{'relation':<10} accuracy {self.relation_accuracy:.3f}  ({self.relation_right}/{self.tp})")
        return "\n".join(lines)


def predicted_pairs(series: Series, extracted: Sequence[Extraction], links: Sequence[Link], doc: int
                    ) -> dict[Pair, str]:
    """Predicted links of document ``doc`` as gold-keyed pairs (unmatched tasks keep their task_id)."""
    keys: dict[str, tuple[str, str]] = {}
    for name, extraction in zip(series.documents, extracted, strict=True):
        wanted = [g["task"] for g in series.links if g["doc"] == name]
        wanted += [g["follows"] for g in series.links if g["follows_doc"] == name]
        for task_id, key in key_of(extraction.directives, wanted).items():
            keys[task_id] = (name, key)
        for task in extraction.tasks:
            keys.setdefault(task.task_id, (name, "?" + task.task_id))
    pairs: dict[Pair, str] = {}
    for item in links:
        later, earlier = keys.get(item.task_id, ("?", item.task_id)), keys.get(item.follows, ("?", item.follows))
        pairs[(later[0], later[1], earlier[0], earlier[1])] = item.relation
    return pairs


def evaluate_links(root: str | Path, *, split: str | None = None) -> LinkScore:
    """Link every later document of every series against its earlier ones and score against gold."""
    score = LinkScore()
    for series in load_series(root, split=split):
        extracted = extractions(series)
        for i in range(1, len(series.documents)):
            name = series.documents[i]
            predicted = predicted_pairs(series, extracted, link(extracted[:i], extracted[i]), i)
            gold = {(g["doc"], g["task"], g["follows_doc"], g["follows"]): g["relation"]
                    for g in series.links if g["doc"] == name}
            tp = set(predicted) & set(gold)
            right = sum(predicted[p] == gold[p] for p in tp)
            score.tp, score.fp, score.fn = score.tp + len(tp), score.fp + len(predicted) - len(tp), \
                score.fn + len(gold) - len(tp)
            score.relation_right += right
            score.rows.append((f"{series.name}/{name}", len(gold), len(predicted), len(tp), right))
            for p in sorted(set(predicted) - set(gold)):
                score.errors.append(f"  FP {series.name}: {p[0]}:{p[1]} → {p[2]}:{p[3]} ({predicted[p]})")
            for p in sorted(set(gold) - set(predicted)):
                score.errors.append(f"  FN {series.name}: {p[0]}:{p[1]} → {p[2]}:{p[3]} ({gold[p]})")
            for p in sorted(tp):
                if predicted[p] != gold[p]:
                    score.errors.append(f"  REL {series.name}: {p[1]} → {p[3]}: {predicted[p]} (gold {gold[p]})")
    return score


def as_json(score: LinkScore) -> str:
    return json.dumps(score.as_dict(), ensure_ascii=False)


__all__ = ["LinkScore", "Series", "evaluate_links", "extractions", "key_of", "load_series", "predicted_pairs"]
