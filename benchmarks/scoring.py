"""The directive scorer's speed-ups, each against its slow definition in the same process (issue 15).

- reading the model: format 2 (``weights`` as a JSON object of floats, written to a
  temporary file from the shipped weights) against format 3 (names and a base64
  float64 block, the shipped file), each followed by what scoring builds on first
  use (the runs of bag names; before the fourth pass, the name index);
- scoring every outline node of the corpus (and the seed, and the real cache when
  present): ``decision(vectorise(row))`` against ``decision_row`` with its per-text
  memo empty (a fresh process on its first documents) and warm (a bulk worker or
  the service after a while). Probabilities are compared bit for bit each round.

CPU time (``time.process_time``), rounds interleaved, medians.

    python benchmarks/scoring.py            # --rounds 7
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from textkit.clean import clean
from textkit.extractors.directives import context_texts, features
from textkit.io import read_path
from textkit.model import MODEL_PATH, _cached_grams, load, vectorise
from textkit.outline import parse
from textkit.scoring import LinearModel, expit, to_json

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    *sorted((ROOT / "corpora" / "docs").glob("*.txt")),
    *sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")),
    *sorted((ROOT / "corpora" / "real" / "cache").glob("r*.txt")),
]


def _rows() -> list[list[dict[str, Any]]]:
    docs = []
    for path in TEXTS:
        outline = parse(clean(read_path(path)))
        docs.append([{**features(outline, n), **context_texts(outline, n)} for n in outline.walk()])
    return docs


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.process_time()
    out = fn(*args)
    return time.process_time() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    shipped = load(MODEL_PATH)
    if shipped is None:
        raise SystemExit("no shipped model")
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    meta = {k: v for k, v in data.items() if k not in {"format", "format_version", "intercept", "names", "weights_f64le"}}
    tmp = Path(tempfile.mkdtemp(prefix="textkit-scoring-"))
    v2 = {**json.loads(to_json({}, shipped.intercept, meta)), "format_version": 2, "weights": dict(shipped.weights.items())}
    (tmp / "v2.json").write_text(json.dumps(v2, ensure_ascii=False, indent=1), encoding="utf-8")
    docs = _rows()
    nodes = sum(len(d) for d in docs)
    print(f"{len(docs)} texts, {nodes} outline nodes, {len(shipped.weights):,} weights", file=sys.stderr)

    def read(path: Path) -> LinearModel:
        model = load(path)
        assert model is not None
        weights: Any = model.weights
        if hasattr(weights, "run"):  # since the fourth pass scoring builds the runs of bag names on first use
            assert weights.is_sorted
            for prefix in "hlis":
                weights.run(prefix + "=")
        else:
            _ = weights.positions  # before it, the name index
        return model

    def slow(model: LinearModel) -> list[str]:
        return [expit(model.decision(vectorise(r))).hex() for rows in docs for r in rows]

    def fast(model: LinearModel) -> list[str]:
        return [p.hex() for rows in docs for p in model.predict_proba_features(rows)]

    times: dict[str, list[float]] = {k: [] for k in ("read format 2", "read format 3", "slow", "memo empty", "memo warm")}
    for _ in range(args.rounds):
        t2, _m2 = _timed(read, tmp / "v2.json")
        t3, model = _timed(read, MODEL_PATH)
        times["read format 2"].append(t2)
        times["read format 3"].append(t3)
        _cached_grams.cache_clear()
        ts, expected = _timed(slow, model)
        _cached_grams.cache_clear()
        model._block.cache_clear()
        tc, cold = _timed(fast, model)
        tw, warm = _timed(fast, model)
        if not expected == cold == warm:
            raise SystemExit("probabilities differ")
        times["slow"].append(ts)
        times["memo empty"].append(tc)
        times["memo warm"].append(tw)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"| arm | CPU s (median of {args.rounds}) | per node µs |")
    print("|---|---|---|")
    for key in ("read format 2", "read format 3"):
        print(f"| {key} (and the name index) | {med[key]:.3f} | |")
    for key in ("slow", "memo empty", "memo warm"):
        print(f"| scoring, {key} | {med[key]:.3f} | {1e6 * med[key] / nodes:.0f} |")
    print(f"\nread {med['read format 2'] / med['read format 3']:.1f}x faster; scoring {med['slow'] / med['memo empty']:.2f}x "
          f"(memo empty), {med['slow'] / med['memo warm']:.1f}x (warm); probabilities identical in every round")


if __name__ == "__main__":
    main()
