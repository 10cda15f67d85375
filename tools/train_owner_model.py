"""Train, cross-validate and ship the learned owner scorer (issue 14; ``textkit/extractors/owner_model.py``).

Not shipped in the seventh session (figures and reasons: ``models/OWNER_MODEL.md``).

    python tools/train_owner_model.py cv            # 5-fold CV on real train, grid of thresholds
    python tools/train_owner_model.py fit ADD DROP  # fit on all train, write textkit/models/owner.json

Data: the sentences the pipeline hands to ``find_owners`` inside predicted directives that match a
gold directive of the real train split and the written train split (never a test or blind
document). Each span the grammar found is a row labelled by the scorer's rule (its name contains
or is contained in a gold owner of the directive); each candidate it missed is a row labelled by
an exact match with a gold owner. Folds group documents; the written train documents are in
every fold's training part. The CV figure is the real pipeline's owner P/R/F1 on the held-out
documents (``score_document``), with the grammar alone and with the model.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import textkit.pipeline as pipeline
from textkit.clean import _t2s_table, clean
from textkit.evaluate import Report, _directive_found, _greedy, _group, score_document
from textkit.extractors import owner_model as om
from textkit.extractors.base import Found
from textkit.model import GoldDocument, gold_documents, norm

ROOT = Path(__file__).resolve().parent.parent
REAL, WRITTEN = ROOT / "corpora" / "real" / "gold", ROOT / "corpora" / "gold"
OUT = ROOT / "textkit" / "models" / "owner.json"
FOLDS = 5
SEED = 13
C = 0.5
MIN_LAST, MIN_CUE = 2, 3
NOT_CUES = frozenset(om.START_AFTER + ")")
"""A cue is a word before a name; a break is a start already, and ``)`` closes part of a name."""
ADDS = (0.5, 0.6, 0.7, 0.8, 0.9)
DROPS = (0.0, 0.1)


@dataclass
class Call:
    """One ``find_owners`` call inside a matched directive: the sentence, the grammar's owners, gold keys."""

    text: str
    found: list[Found]
    gold: frozenset[str]


def _key(owner: str, traditional: bool) -> str:
    key = clean(owner).text.strip()
    return norm(key.translate(_t2s_table()) if traditional else key)


def collect(doc: GoldDocument) -> list[Call]:
    """Run the pipeline (grammar only) on ``doc`` and keep the owner calls of its matched directives."""
    calls: list[tuple[str, list[Found]]] = []
    by_task: dict[str, list[tuple[str, list[Found]]]] = {}
    grammar, records = pipeline.find_owners, pipeline._directive_records

    def recording(text: str, **kw: Any) -> list[Found]:
        found = grammar(text, **kw)
        calls.append((text, found))
        return found

    def per_directive(*args: Any) -> Any:
        calls.clear()
        out = records(*args)
        by_task[out[0].task_id] = list(calls)
        return out

    pipeline.find_owners, pipeline._directive_records = recording, per_directive  # type: ignore[assignment]
    try:
        with om.using(None):
            data = pipeline.extract(doc.text, ref_date=doc.ref_date, source=doc.name).to_dict()
    finally:
        pipeline.find_owners, pipeline._directive_records = grammar, records
    traditional = clean(doc.text).traditional
    pdirs, _ = _group(data["tasks"])
    out: list[Call] = []
    for gi, pi in _greedy(doc.gold["directives"], pdirs, _directive_found):
        keys = frozenset(k for k in (_key(o, traditional) for o in doc.gold["directives"][gi].get("owners", [])) if k)
        out += [Call(t, f, keys) for t, f in by_task.get(pdirs[pi]["task_id"], [])]
    return out


def learned_sets(calls: Sequence[Call]) -> tuple[str, tuple[str, ...], str]:
    """Last characters of gold owners (seen MIN_LAST times), the one- or two-character cues
    before gold owners that follow no break (seen MIN_CUE times), and every character a gold
    owner holds before its last."""
    inner = {ch for c in calls for k in c.gold for ch in k[:-1]}
    last: Counter[str] = Counter()
    cues: Counter[str] = Counter()
    for c in calls:
        for k in c.gold:
            i = c.text.find(k)
            if i < 0:
                continue
            last[k[-1]] += 1
            if i > 0 and c.text[i - 1] not in NOT_CUES:
                cues[c.text[i - 1]] += 1
                if i > 1 and c.text[i - 2] not in NOT_CUES:
                    cues[c.text[i - 2 : i]] += 1
    return (
        "".join(sorted(k for k, v in last.items() if v >= MIN_LAST)),
        tuple(sorted(k for k, v in cues.items() if v >= MIN_CUE)),
        "".join(sorted(inner)),
    )


def _contains(a: str, b: str) -> bool:
    return bool(a and b) and (a in b or b in a)


def dataset(calls: Sequence[Call], sets: om.OwnerModel) -> tuple[list[list[str]], list[int]]:
    x: list[list[str]] = []
    y: list[int] = []
    for c in calls:
        for s, e, _rule, feats in om.rows(c.text, c.found, sets):
            name = norm(c.text[s:e])
            x.append(feats)
            y.append(int(any(_contains(name, k) for k in c.gold)))
    return x, y


def fit(calls: Sequence[Call], *, add: float = 0.7, drop: float = 0.0, c: float = C) -> om.OwnerModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    last, cues, inner = learned_sets(calls)
    sets = om.OwnerModel((), (), 0.0, add, drop, last, cues, inner)
    x, y = dataset(calls, sets)
    vec = DictVectorizer()
    matrix = vec.fit_transform([dict.fromkeys(f, 1.0) for f in x])
    clf = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    clf.fit(matrix, y)
    info = {"rows": len(y), "positives": int(sum(y)), "C": c}
    return om.OwnerModel(
        tuple(str(n) for n in vec.get_feature_names_out()),
        tuple(float(w) for w in clf.coef_[0]),
        float(clf.intercept_[0]),
        add,
        drop,
        last,
        cues,
        inner,
        info,
    )


def with_thresholds(m: om.OwnerModel, add: float, drop: float) -> om.OwnerModel:
    return om.OwnerModel(m.names, m.weights, m.intercept, add, drop, m.last_chars, m.cues, m.inner_chars, m.info)


def owner_counts(docs: Sequence[GoldDocument], model: om.OwnerModel | None) -> tuple[int, int, int]:
    """(tp, fp, fn) of owners by the real pipeline on ``docs`` with ``model``."""
    report = Report()
    with om.using(model):
        for doc in docs:
            data = pipeline.extract(doc.text, ref_date=doc.ref_date, source=doc.name).to_dict()
            score_document(report, doc.name, doc.gold, data["tasks"])
    o = report.owners
    return o.tp, o.fp, o.fn


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.4f} (tp {tp} fp {fp} fn {fn})"


def cross_validate(c: float = C) -> dict[tuple[float, float] | None, list[int]]:
    real = list(gold_documents(REAL, split="train"))
    written = list(gold_documents(WRITTEN, split="train"))
    written_calls = [x for d in written for x in collect(d)]
    real_calls = [collect(d) for d in real]
    totals: dict[tuple[float, float] | None, list[int]] = {None: [0, 0, 0]}
    for k in range(FOLDS):
        held = [d for i, d in enumerate(real) if i % FOLDS == k]
        train = written_calls + [x for i, cs in enumerate(real_calls) if i % FOLDS != k for x in cs]
        model = fit(train, c=c)
        base = owner_counts(held, None)
        totals[None] = [a + b for a, b in zip(totals[None], base, strict=True)]
        for add in ADDS:
            for drop in DROPS:
                got = owner_counts(held, with_thresholds(model, add, drop))
                key = (add, drop)
                totals[key] = [a + b for a, b in zip(totals.get(key, [0, 0, 0]), got, strict=True)]
        print(f"fold {k} done", file=sys.stderr)
    return totals


def main(argv: list[str]) -> int:
    if argv and argv[0] == "cv":
        c = float(argv[1]) if len(argv) > 1 else C
        for key, (tp, fp, fn) in cross_validate(c).items():
            print(f"{'grammar alone' if key is None else f'add {key[0]} drop {key[1]}'}: {prf(tp, fp, fn)}")
        return 0
    if argv and argv[0] == "fit":
        add, drop = float(argv[1]), float(argv[2])
        c = float(argv[3]) if len(argv) > 3 else C
        calls = [x for d in gold_documents(WRITTEN, split="train") for x in collect(d)]
        calls += [x for d in gold_documents(REAL, split="train") for x in collect(d)]
        model = fit(calls, add=add, drop=drop, c=c)
        OUT.write_text(om.to_json(model) + "\n", encoding="utf-8")
        print(f"wrote {OUT}: {len(model.names)} features, {model.info}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
