"""Scoring extraction against gold files, by the rules of ``task-records.md`` ("How extraction is judged").

The numbers must equal those of the project's reference scorer
(``shared/tools/score.py``) on the same predictions, so the rules are
re-implemented here one for one: NFKC and no whitespace on both sides, greedy
one-to-one matching in gold order, a gold directive found when a predicted
directive's text holds the first 10 characters of its heading, and the
deadlines, owners and cadences of predicted directives that matched nothing
counted as false positives.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textkit.model import gold_documents, norm

Task = Mapping[str, Any]


@dataclass
class PRF:
    """True positives, false positives and false negatives of one field, summed over documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, n_gold: int, n_pred: int, n_match: int) -> None:
        self.tp += n_match
        self.fp += n_pred - n_match
        self.fn += n_gold - n_match

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentScore:
    """Gold, predicted and matched counts of one document (directives, deadlines, owners)."""

    name: str
    directives: tuple[int, int, int]
    deadlines: tuple[int, int, int]
    owners: tuple[int, int, int]


@dataclass
class Report:
    """Micro-averaged scores over a corpus, per-document counts and the predictions scored."""

    directives: PRF = field(default_factory=PRF)
    deadlines: PRF = field(default_factory=PRF)
    owners: PRF = field(default_factory=PRF)
    cadence: PRF = field(default_factory=PRF)
    due_ok: int = 0
    due_n: int = 0
    missing: int = 0
    documents: list[DocumentScore] = field(default_factory=list)
    predictions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def due_accuracy(self) -> float:
        return self.due_ok / self.due_n if self.due_n else 0.0

    def fields(self) -> dict[str, PRF]:
        return {"directives": self.directives, "deadlines": self.deadlines, "owners": self.owners, "cadence": self.cadence}

    def table(self, *, verbose: bool = False) -> str:
        """The report as text, in the reference scorer's layout (its last line is the same)."""
        lines: list[str] = []
        if verbose:
            lines.append(f"{'doc':8} {'dir g/p/m':>12} {'ddl g/p/m':>12} {'own g/p/m':>12}")
            for d in self.documents:
                cells = ["/".join(map(str, c)) for c in (d.directives, d.deadlines, d.owners)]
                lines.append(f"{d.name:8} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12}")
        for name, m in self.fields().items():
            lines.append(
                f"{name:10} P={m.precision:.3f} R={m.recall:.3f} F1={m.f1:.3f}  (tp={m.tp} fp={m.fp} fn={m.fn})"
            )
        lines.append(
            f"due accuracy {self.due_accuracy:.3f} ({self.due_ok}/{self.due_n}); documents without a prediction: {self.missing}"
        )
        lines.append(
            " ".join(f"{k} F1={v.f1:.3f}" for k, v in self.fields().items()) + f" due_acc={self.due_accuracy:.3f}"
        )
        return "\n".join(lines)

    def write_predictions(self, out_dir: str | Path) -> None:
        """One ``NAME.json`` per document, the layout the reference scorer reads."""
        from textkit.atomic import atomic_write

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for name, data in self.predictions.items():
            atomic_write(out / f"{name}.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")


# --- matching ------------------------------------------------------------------------


def _h10(text: str) -> str:
    return hashlib.sha1(norm(text)[:10].encode("utf-8")).hexdigest()[:16]


def _contains(a: str | None, b: str | None) -> bool:
    a, b = norm(a), norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


def _greedy(gold: Sequence[Any], pred: Sequence[Any], same: Callable[[Any, Any], bool]) -> list[tuple[int, int]]:
    """Each gold item, in order, takes the first unused predicted item that matches it."""
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and same(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


def _directive_found(gold: Mapping[str, Any], pred: Task) -> bool:
    text = norm(pred.get("text", ""))
    if "h10" in gold:  # a heading kept only as the hash of its first characters
        n = gold.get("h10len", 10)
        return any(_h10(text[i : i + n]) == gold["h10"] for i in range(max(0, len(text) - n + 1)))
    head = norm(gold["heading"])[:10]
    return bool(head) and head in text


def _group(tasks: Iterable[Task]) -> tuple[list[Task], dict[Any, list[Task]]]:
    """Predicted directives, and for each its records (itself, then its subtasks)."""
    tasks = list(tasks)
    directives = [t for t in tasks if t.get("kind") == "directive"]
    by_id: dict[Any, list[Task]] = {t.get("task_id"): [t] for t in directives}
    for t in tasks:
        if t.get("kind") != "directive" and t.get("parent_id") in by_id:
            by_id[t["parent_id"]].append(t)
    return directives, by_id


def _deadlines(records: Iterable[Task]) -> list[Mapping[str, Any]]:
    return [r["deadline"] for r in records if r.get("deadline") and r["deadline"].get("text")]


def _owners(records: Iterable[Task]) -> list[str]:
    seen: list[str] = []
    for r in records:
        for o in r.get("owners") or []:
            name = o.get("name") if isinstance(o, Mapping) else o
            if name and norm(name) not in [norm(x) for x in seen]:
                seen.append(name)
    return seen


def _cadence(records: Iterable[Task]) -> list[str]:
    out: set[str] = set()
    for r in records:
        for c in r.get("cadence") or []:
            freq = c.get("freq") if isinstance(c, Mapping) else c
            if freq:
                out.add(freq)
    return sorted(out)


def score_document(report: Report, name: str, gold: Mapping[str, Any], tasks: Iterable[Task]) -> None:
    """Add one document's counts to ``report``."""
    pdirs, by_id = _group(tasks)
    gdirs = gold["directives"]
    pairs = _greedy(gdirs, pdirs, _directive_found)
    report.directives.add(len(gdirs), len(pdirs), len(pairs))
    matched = dict(pairs)
    ddl = [0, 0, 0]
    own = [0, 0, 0]
    for gi, g in enumerate(gdirs):
        records = by_id.get(pdirs[matched[gi]].get("task_id"), [pdirs[matched[gi]]]) if gi in matched else []
        gd, pd = g.get("deadlines", []), _deadlines(records)
        dp = _greedy(gd, pd, lambda a, b: _contains(a["text"], b["text"]))
        report.deadlines.add(len(gd), len(pd), len(dp))
        ddl = [ddl[0] + len(gd), ddl[1] + len(pd), ddl[2] + len(dp)]
        for a, b in dp:
            if gd[a].get("due"):
                report.due_n += 1
                report.due_ok += (pd[b].get("due") or "")[:10] == gd[a]["due"]
        go, po = g.get("owners", []), _owners(records)
        op = _greedy(go, po, _contains)
        report.owners.add(len(go), len(po), len(op))
        own = [own[0] + len(go), own[1] + len(po), own[2] + len(op)]
        gc, pc = sorted(set(g.get("cadence", []))), _cadence(records)
        report.cadence.add(len(gc), len(pc), len(set(gc) & set(pc)))
    # a predicted directive that matched no gold one brings only false positives
    taken = set(matched.values())
    for pi, p in enumerate(pdirs):
        if pi in taken:
            continue
        records = by_id.get(p.get("task_id"), [p])
        report.deadlines.add(0, len(_deadlines(records)), 0)
        report.owners.add(0, len(_owners(records)), 0)
        report.cadence.add(0, len(_cadence(records)), 0)
    report.documents.append(
        DocumentScore(name, (len(gdirs), len(pdirs), len(pairs)), (ddl[0], ddl[1], ddl[2]), (own[0], own[1], own[2]))
    )


def score_predictions(gold_dir: str | Path, pred_dir: str | Path) -> Report:
    """Score a directory of saved predictions (``NAME.json``), as the reference scorer does."""
    report = Report()
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        pred = Path(pred_dir) / path.name
        tasks: list[Task] = []
        try:
            data = json.loads(pred.read_text(encoding="utf-8"))
            tasks = data["tasks"] if isinstance(data, dict) else data
        except (OSError, ValueError, KeyError, TypeError):
            report.missing += 1
        score_document(report, path.stem, gold, tasks)
    return report


def evaluate(
    gold_dir: str | Path, docs_dir: str | Path | None = None, *, split: str | None = None, model: Any = "default"
) -> Report:
    """Extract every gold file's document (with its ``ref_date`` as the caller's) and score it.

    ``docs_dir`` defaults to ``docs/`` beside ``gold_dir``; ``split`` keeps only
    gold files whose ``meta.split`` is that value (``test`` for held-out
    figures); ``model`` is passed to ``extract`` (``None``: rules only).
    """
    from textkit.pipeline import extract

    report = Report()
    for doc in gold_documents(gold_dir, docs_dir, split=split):
        try:
            result = extract(doc.text, ref_date=doc.ref_date, source=doc.gold.get("doc", doc.name), model=model)
        except Exception as exc:  # a scorer over hundreds of documents must say which one broke
            raise ValueError(f"{doc.name}: extraction failed ({type(exc).__name__}: {exc})") from exc
        data = result.to_dict()
        report.predictions[doc.name] = data
        score_document(report, doc.name, doc.gold, data["tasks"])
    return report
