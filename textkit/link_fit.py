"""Fit the follow-up pair model on the train series: ``python -m textkit.link_fit corpora/series``.

Only ``train`` series are read. Every candidate pair the index proposes is a
sample, labelled by the gold links; a logistic regression (scikit-learn) gives
the weights, and the threshold is the one with the best train F1 of the final
links. The result is written into ``data/links.toml`` (``[model]``), so the
shipped linker needs no pickled model.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from textkit.atomic import atomic_write
from textkit.followups import FEATURES, candidate_pairs, chains, decide, views
from textkit.link_eval import extractions, key_of, load_series
from textkit.link_index import LinkIndex
from textkit.resources import data_path


def training_pairs(root: str | Path) -> list[tuple[Any, set[tuple[str, str]], Any]]:
    """Per later document of each train series: its candidate pairs and its gold (task_id, follows) pairs."""
    batches = []
    for series in load_series(root, split="train"):
        extracted = extractions(series)
        ids: dict[tuple[str, str], str] = {}
        for name, extraction in zip(series.documents, extracted, strict=True):
            wanted = [g["task"] for g in series.links if g["doc"] == name]
            wanted += [g["follows"] for g in series.links if g["follows_doc"] == name]
            for task_id, key in key_of(extraction.directives, wanted).items():
                ids[(name, key)] = task_id
        dates = {e.document.doc_id: e.document.date for e in extracted}
        for i in range(1, len(extracted)):
            earlier = {v.task_id: v for e in extracted[:i] for v in views(e.tasks, dates)}
            later = views(extracted[i].tasks, dates)
            index = LinkIndex()
            index.add(list(earlier), [v.content for v in earlier.values()])
            gold = {(ids.get((g["doc"], g["task"]), ""), ids.get((g["follows_doc"], g["follows"]), ""))
                    for g in series.links if g["doc"] == series.documents[i]}
            batches.append((candidate_pairs(index, earlier, later), gold, chains(earlier.values())))
    return batches


def fit(root: str | Path) -> tuple[list[float], float, float]:
    """Weights, threshold and the train F1 they reach."""
    from sklearn.linear_model import LogisticRegression

    batches = training_pairs(root)
    x = [f[:-1] for pairs, _, _ in batches for _, _, f in pairs]
    y = [int((a.task_id, b.task_id) in gold) for pairs, gold, _ in batches for a, b, _ in pairs]
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    weights = [float(w) for w in model.coef_[0]] + [float(model.intercept_[0])]
    best = (0.0, 0.5)
    for step in range(10, 91, 5):
        threshold = step / 100
        tp = fp = fn = 0
        for pairs, gold, followers in batches:
            found = decide(pairs, weights=weights, threshold=threshold, followers=followers)
            got = {(link.task_id, link.follows) for link in found}
            tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 >= best[0] - 1e-9:  # ties go to the higher threshold (precision first)
            best = (f1, threshold)
    return weights, best[1], best[0]


def write(weights: list[float], threshold: float) -> None:
    """Replace the ``[model]`` weights and threshold in ``data/links.toml``."""
    path = data_path("links.toml")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^weights = .*$", "weights = [" + ", ".join(f"{w:.4f}" for w in weights) + "]", text)
    text = re.sub(r"(?m)^threshold = .*$", f"threshold = {threshold:.2f}", text)
    atomic_write(path, text)


def main(argv: list[str]) -> int:
    root = argv[0] if argv else "corpora/series"
    weights, threshold, f1 = fit(root)
    write(weights, threshold)
    print(f"features {FEATURES}\nweights {[round(w, 4) for w in weights]}\nthreshold {threshold}  train F1 {f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
