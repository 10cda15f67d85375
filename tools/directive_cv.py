"""Document-level cross-validation of the directive decision on both worlds' train splits (issue 14).

Reproduces ``textkit.model.choose_threshold``: fold k holds out written and real train
documents, a model fitted on the rest (real excerpts counted ``REAL_WEIGHT`` times) scores
them, each threshold of ``THRESHOLDS`` is folded into the intercept as ``shift`` does, and the
threshold with the best mean of the two worlds' F1 is reported. Only ``meta.split == "train"``
gold is read: real test excerpts are never opened. Real excerpts missing from the local cache
are skipped, so say how many were at hand when you quote a figure.

    python tools/directive_cv.py                     # folds by position, as choose_threshold
    python tools/directive_cv.py --salt a            # folds by a hash of the name and a salt
    python tools/directive_cv.py --dump cv.json      # per-document (tp, fp, fn) at every threshold
    python tools/directive_cv.py --nodes nodes.jsonl # per outline node at the chosen threshold (the errors to study)

Each document's outline and inputs are read once, so a run takes seconds, not minutes; the
decisions are ``decide``'s (series vote and containers included) on the held-out probabilities.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textkit import model
from textkit.clean import CleanText, clean
from textkit.extractors.directives import decide, document_inputs
from textkit.outline import Outline, parse

ROOT = Path(__file__).resolve().parent.parent / "corpora"


@dataclass
class _Prepared:
    doc: model.GoldDocument
    rows: list[dict[str, Any]]
    labels: list[int]
    cleaned: CleanText
    outline: Outline
    inputs: list[dict[str, Any]]


class _Fixed:
    """A scorer that returns probabilities computed beforehand (``decide`` asks it once per document)."""

    def __init__(self, probs: Sequence[float]) -> None:
        self.probs = list(probs)

    def predict_proba_inputs(self, feats: object, texts: object) -> list[float]:
        return self.probs


def _prepare(doc: model.GoldDocument) -> _Prepared:
    rows, labels = [], []
    for ex in model.examples(doc):
        if ex.label is not None:
            rows.append(ex.inputs)
            labels.append(ex.label)
    cleaned = clean(doc.text)
    outline = parse(cleaned)
    _, feats, texts = document_inputs(outline)
    return _Prepared(doc, rows, labels, cleaned, outline, [{**f, **t} for f, t in zip(feats, texts, strict=True)])


def _counts(p: _Prepared, probs: Sequence[float]) -> model.Counts:
    """``model.directive_counts`` with the given probabilities."""
    predicted = [d.node for d in decide(p.outline, scorer=_Fixed(probs)) if d.directive]
    texts = [model.node_text(p.cleaned, n.start, n.end) for n in predicted]
    heads = [model.norm(d.get("heading"))[:10] for d in p.doc.gold.get("directives", [])]
    used: set[int] = set()
    for head in heads:
        for i, text in enumerate(texts):
            if i not in used and head and head in text:
                used.add(i)
                break
    return model.Counts(len(used), len(texts) - len(used), len(heads) - len(used))


def _node_rows(p: _Prepared, probs: Sequence[float]) -> list[dict[str, Any]]:
    """Per node of one document: where it is, its out-of-fold probability, the decision and the gold's.

    ``gold`` is whether a gold heading opens the node's own text (as ``model.examples`` labels it);
    ``found`` whether a predicted node was matched to a gold heading (as ``_counts`` matches them),
    so a decided node that is not ``found`` is a false directive and a ``gold`` node not decided
    is a missed one. No text is written: real excerpts stay in the cache; ``span`` is the node's own
    text (marker, heading, lead-in) as offsets into ``textkit.clean.clean(excerpt).text``.
    """
    decisions = decide(p.outline, scorer=_Fixed(probs))
    heads = [model.norm(d.get("heading"))[:10] for d in p.doc.gold.get("directives", [])]
    whole = [model.node_text(p.cleaned, d.node.start, d.node.end) for d in decisions]
    own = [model.node_text(p.cleaned, d.node.start, d.node.lead_in_end) for d in decisions]
    found: set[int] = set()
    for head in heads:
        for i, d in enumerate(decisions):
            if d.directive and i not in found and head and head in whole[i]:
                found.add(i)
                break
    return [
        {"doc": p.doc.name, "path": d.node.path, "family": d.node.family, "marker": d.node.marker,
         "span": [d.node.start, d.node.lead_in_end], "children": len(d.node.children),
         "probability": round(d.probability, 4), "directive": d.directive, "found": i in found,
         "gold": any(head and head in own[i][: len(head) + 50] for head in heads)}
        for i, d in enumerate(decisions)
    ]


def _shifted(p: float, threshold: float) -> float:
    """``p`` after ``DirectiveModel.shift(threshold)``: the logit moved by the threshold's."""
    p = min(max(p, 1e-12), 1 - 1e-12)
    return 1.0 / (1.0 + math.exp(-(math.log(p / (1 - p)) - math.log(threshold / (1 - threshold)))))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--salt", help="fold by sha1(salt + name) instead of by position")
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--dump", help="write per-document counts at every threshold to this JSON file")
    parser.add_argument("--nodes", help="write one JSON line per outline node at the chosen threshold to this file")
    args = parser.parse_args(argv)

    written = [_prepare(d) for d in model.gold_documents(ROOT / "gold", ROOT / "docs", split="train")]
    real = [_prepare(d) for d in model.gold_documents(ROOT / "real" / "gold", split="train")]

    def fold(i: int, name: str) -> int:
        if args.salt is None:
            return i % args.folds
        return int(hashlib.sha1((args.salt + name).encode("utf-8")).hexdigest(), 16) % args.folds

    worlds = [(w, [fold(i, p.doc.name) for i, p in enumerate(w)]) for w in (written, real)]
    totals = {t: [model.Counts(), model.Counts()] for t in model.THRESHOLDS}
    per_doc: dict[float, dict[str, tuple[int, int, int]]] = {t: {} for t in model.THRESHOLDS}
    held: dict[str, list[float]] = {}  # each document's out-of-fold probabilities
    for k in range(args.folds):
        train = [p for docs, folds in worlds for p, f in zip(docs, folds, strict=True) if f != k]
        train += [p for p, f in zip(real, worlds[1][1], strict=True) if f != k] * (model.REAL_WEIGHT - 1)
        fitted = model.DirectiveModel(C=args.C).fit([r for p in train for r in p.rows], [y for p in train for y in p.labels])
        for world, (docs, folds) in enumerate(worlds):
            for p, f in zip(docs, folds, strict=True):
                if f != k:
                    continue
                probs = fitted.predict_proba_features(p.inputs)
                held[p.doc.name] = probs
                for t in model.THRESHOLDS:
                    c = _counts(p, [_shifted(q, t) for q in probs])
                    totals[t][world] = totals[t][world] + c
                    per_doc[t][p.doc.name] = (c.tp, c.fp, c.fn)
    print(f"{len(written)} written and {len(real)} real train documents, {args.folds} folds"
          f" by {'position' if args.salt is None else 'name hash, salt ' + args.salt}")
    for t in model.THRESHOLDS:
        w, r = totals[t]
        print(f"t={t}: written F1={w.f1:.4f} ({w.tp}/{w.fp}/{w.fn})  real F1={r.f1:.4f} ({r.tp}/{r.fp}/{r.fn})")
    best = max(model.THRESHOLDS, key=lambda t: (round((totals[t][0].f1 + totals[t][1].f1) / 2, 6), -abs(t - 0.5)))
    w, r = totals[best]
    print(f"chosen t={best}: written F1={w.f1:.4f} ({w.tp}/{w.fp}/{w.fn})  real F1={r.f1:.4f} ({r.tp}/{r.fp}/{r.fn})")
    if args.nodes:
        with open(args.nodes, "w", encoding="utf-8") as out:
            for p in written + real:
                for row in _node_rows(p, [_shifted(q, best) for q in held[p.doc.name]]):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.dump:
        Path(args.dump).write_text(json.dumps({"best": best, "per_doc": {str(t): v for t, v in per_doc.items()}}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
