"""Fit the follow-up pair model on the train series: ``python -m textkit.link_fit corpora/series``.

Only ``train`` series are read. Every candidate pair the index proposes is a
sample, labelled by the gold links; a logistic regression (scikit-learn) gives
the weights, and the threshold is the one with the best train F1 of the final
links. The chains of the earlier documents come from the linker itself, so the
fit runs in rounds: each round sees the chains the previous round's model makes
(the first sees none), so the result depends on the corpus alone, not on the
weights shipped before. The result is written into ``data/links.toml``
(``[model]``), so the shipped linker needs no pickled model.
``--cv`` prints leave-one-series-out scores over the train series instead.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from textkit.atomic import atomic_write
from textkit.followups import FEATURES, candidate_pairs, chains, decide, views
from textkit.link_eval import Series, extractions, key_of, load_series
from textkit.link_index import LinkIndex
from textkit.resources import data_path

Batch = tuple[Any, set[tuple[str, str]], Any]


def training_pairs(root: str | Path | list[Series], *, weights: list[float] | None = None,
                   threshold: float | None = None) -> list[Batch]:
    """Per later document of each train series (or of the series given): its candidate pairs, its gold
    (task_id, follows) pairs and the chains of its earlier documents (linked with ``weights``, none without)."""
    batches = []
    for series in root if isinstance(root, list) else load_series(root, split="train"):
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
            # no weights yet: no chains (the first fit must not depend on the weights shipped before it)
            followers = chains(earlier.values(), weights=weights, threshold=threshold) if weights else {}
            batches.append((candidate_pairs(index, earlier, later), gold, followers))
    return batches


def _weights(batches: list[Batch]) -> list[float]:
    from sklearn.linear_model import LogisticRegression

    x = [f[:-1] for pairs, _, _ in batches for _, _, f in pairs]
    y = [int((a.task_id, b.task_id) in gold) for pairs, gold, _ in batches for a, b, _ in pairs]
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    return [float(w) for w in model.coef_[0]] + [float(model.intercept_[0])]


def counts(batches: list[Batch], weights: list[float], threshold: float) -> tuple[int, int, int]:
    """(tp, fp, fn) of the links ``weights`` and ``threshold`` make on ``batches``."""
    tp = fp = fn = 0
    for pairs, gold, followers in batches:
        got = {(x.task_id, x.follows) for x in decide(pairs, weights=weights, threshold=threshold, followers=followers)}
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    return tp, fp, fn


def fit(root: str | Path | list[Series]) -> tuple[list[float], float, float]:
    """Weights, threshold and the train F1 they reach (the last rounds see the chains their predecessor makes)."""
    series = root if isinstance(root, list) else load_series(root, split="train")
    weights: list[float] | None = None
    threshold: float | None = None
    best = (0.0, 0.5)
    for _ in range(3):  # no chains, then the chains the previous round's model makes, twice
        batches = training_pairs(series, weights=weights, threshold=threshold)
        weights, best = _weights(batches), (0.0, 0.5)
        for step in range(10, 91, 5):
            tp, fp, fn = counts(batches, weights, step / 100)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 >= best[0] - 1e-9:  # ties go to the higher threshold (precision first)
                best = (f1, step / 100)
        threshold = best[1]
    assert weights is not None
    return weights, best[1], best[0]


def cross_validate(root: str | Path) -> tuple[int, int, int]:
    """Leave one train series out: fit on the others, count (tp, fp, fn) on it; summed over the series."""
    series = load_series(root, split="train")
    total = (0, 0, 0)
    for held in series:
        weights, threshold, _ = fit([s for s in series if s is not held])
        tp, fp, fn = counts(training_pairs([held], weights=weights, threshold=threshold), weights, threshold)
        total = (total[0] + tp, total[1] + fp, total[2] + fn)
        print(f"{held.name:<40} tp {tp:>3} fp {fp:>3} fn {fn:>3}")
    return total


def write(weights: list[float], threshold: float) -> None:
    """Replace the ``[model]`` weights and threshold in ``data/links.toml``."""
    path = data_path("links.toml")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^features = .*$", "features = [" + ", ".join(f'"{f}"' for f in FEATURES) + "]", text)
    text = re.sub(r"(?m)^weights = .*$", "weights = [" + ", ".join(f"{w:.4f}" for w in weights) + "]", text)
    text = re.sub(r"(?m)^threshold = .*$", f"threshold = {threshold:.2f}", text)
    atomic_write(path, text)


def main(argv: list[str]) -> int:
    paths = [a for a in argv if a != "--cv"]
    root = paths[0] if paths else "corpora/series"
    if "--cv" in argv:
        tp, fp, fn = cross_validate(root)
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        print(f"leave-one-series-out  P {p:.3f}  R {r:.3f}  F1 {2 * p * r / max(p + r, 1e-9):.3f}  "
              f"(tp {tp}, fp {fp}, fn {fn})")
        return 0
    weights, threshold, f1 = fit(root)
    write(weights, threshold)
    print(f"features {FEATURES}\nweights {[round(w, 4) for w in weights]}\nthreshold {threshold}  train F1 {f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
