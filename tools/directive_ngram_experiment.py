"""Experiment (issue 14, fourth session): other character n-grams for the directive model's bags.

Not shipped: cross-validated F1 on both worlds did not rise (see the issue's closing note).
Kept so the figure can be rerun; the model's feature function is swapped in this process only:

    python tools/directive_ngram_experiment.py base   # bigrams, as shipped
    python tools/directive_ngram_experiment.py tri    # bigrams + trigrams
    python tools/directive_ngram_experiment.py uni    # bigrams + unigrams
"""

from __future__ import annotations

import sys
import time
from functools import lru_cache
from pathlib import Path

import textkit.model as model

ROOT = Path(__file__).resolve().parent.parent / "corpora"
_bigrams = model._cached_grams


@lru_cache(maxsize=1 << 16)
def _with_trigrams(text: str) -> tuple[str, ...]:
    kept = text.translate(model._UNPUNCT)
    return _bigrams(text) + tuple(dict.fromkeys("3" + a + b + c for a, b, c in zip(kept, kept[1:], kept[2:], strict=False)))


@lru_cache(maxsize=1 << 16)
def _with_unigrams(text: str) -> tuple[str, ...]:
    kept = text.translate(model._UNPUNCT)
    return _bigrams(text) + tuple(dict.fromkeys("1" + a for a in kept))


def main(argv: list[str]) -> int:
    mode = argv[0] if argv else "base"
    model._cached_grams = {"base": _bigrams, "tri": _with_trigrams, "uni": _with_unigrams}[mode]  # type: ignore[assignment]
    written = list(model.gold_documents(ROOT / "gold", split="train"))
    real = list(model.gold_documents(ROOT / "real" / "gold", split="train"))
    start = time.time()
    threshold, w, r = model.choose_threshold(written, real)
    print(f"{mode}: threshold {threshold}  written CV {w} F1 {w.f1:.4f}  real CV {r} F1 {r.f1:.4f}  ({time.time() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
