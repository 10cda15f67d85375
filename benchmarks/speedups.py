"""The issue-15 speed-ups off and on, in one process: CPU time per corpus pass and identical outputs.

    python benchmarks/speedups.py                       # --rounds 6
    python benchmarks/speedups.py --only owners count   # just those two off in A

Each round extracts every ``corpora/docs`` speech twice, once with the
speed-ups replaced by the slow definitions they stand for (A) and once as
shipped (B), in alternating order, with textkit's per-process memos emptied
before each pass; ``jieba.lcut`` over the same texts gives the floor in the
same run. The JSON of every document must be identical between A and B, or
the run fails. The speed-ups:

- ``pipeline.field_triggers``: deadlines/cadence/targets only on sentences where a trigger fired;
- ``segment.cut``: each jieba run segmented once per process;
- ``records._canonical_head``: task ids normalise a prefix, not a whole body;
- ``model._is_punct``: memoised;
- ``CleanText.written``: a slice when nothing in the span was dropped;
- owners: cue positions from one lookahead scan (slow: a check at every character),
  name windows stopped at the nearest clause break and clauses without a modal or
  copula skipped (slow: ``_names_stop_at_breaks`` false), owners and alias lookups memoised;
- ``directives._count``: one scan per text (slow: a ``str.count`` per cue);
- ``decision``: a document's directive features and context texts read in one pass, and its nodes
  scored as one layout (slow: ``features``/``context_texts`` node by node, and a row dict per node
  for ``predict_proba_features``); with it on, an item's cue lists are one scan that ``count`` does
  not switch;
- ``patterns``: each deadline pattern, and the owners' cue scan before a party list, only on
  sentences holding one of its strings, and these and the target quantity opened by a lookahead
  on their first characters (``data/pattern_triggers.json``; slow: every pattern, as compiled,
  on every sentence);
- ``ends``: the ends of the spans tried for a name read from one scan per sentence (slow: a
  check of every end's last character).

A paired comparison in one process is far steadier than two separate runs on
a shared machine: both arms see the same load.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


#: The speed-up each switched function belongs to, in the order ``arms`` switches them.
SPEEDUPS = ("triggers", "cut", "task_id", "is_punct", "written", "owners", "owners", "owners", "owners", "count",
            "patterns", "patterns", "ends", "patterns", "patterns", "patterns", "decision", "decision")


def arms(only: frozenset[str] | None = None) -> tuple[Callable[[], None], Callable[[], None]]:
    """Functions that switch the speed-ups off (A) and on (B); ``only`` switches just those named."""
    from textkit import clean, model, pipeline, records, scoring, segment
    from textkit.extractors import deadlines, directives, owners, targets
    from textkit.lexicon import Lexicon, canonical_name, lexicon
    from textkit.records import Owner
    from textkit.triggers import Triggers

    shipped = (pipeline.field_triggers, segment.cut, records._canonical_head, model._is_punct,
               clean.CleanText.written, owners._cue_positions, owners._names_stop_at_breaks, owners._owner,
               owners._shipped_canonical, directives._count, deadlines._pattern_triggers, owners._cue_triggers,
               owners._ends_in, deadlines._scan_patterns, owners._cue_scan, targets._scan_pattern,
               directives.document_inputs, scoring.LinearModel.predict_proba_inputs)
    everything = Triggers({"deadlines": None, "cadence": None, "targets": None})
    every_pattern = Triggers(dict.fromkeys(name for name, _ in deadlines._lexicon().patterns))
    every_cue = Triggers({"before_cue": None})

    def slow_ends_in(text: str, start: int, hi: int, last: frozenset[str] | None) -> list[int]:
        return [end for end in range(hi, start, -1) if last is None or text[end - 1] in last]

    def slow_inputs(outline: Any) -> tuple[list[Any], list[dict[str, float]], list[dict[str, str]]]:
        nodes = outline.walk()
        return nodes, [directives.features(outline, n) for n in nodes], [directives.context_texts(outline, n) for n in nodes]

    def slow_proba(self: Any, features: list[dict[str, float]], texts: list[dict[str, str]]) -> list[float]:
        return self.predict_proba_features([{**f, **t} for f, t in zip(features, texts, strict=True)])

    def slow_written(self: Any, ostart: int, oend: int) -> str:
        kept = self.layout_kept
        return "".join(ch for i, ch in enumerate(self.original[ostart:oend], ostart) if kept[i])

    def slow_cue_positions(text: str, lex: Lexicon, extra: Any) -> list[int]:
        return [pos for pos in range(1, len(text)) if text[pos - 1] in lex.end_chars or text[pos - 1] in "X*"
                or any(text.endswith(alias, 0, pos) for alias in extra)]

    slow = (lambda: everything, lambda text: list(segment.tokenizer().cut(text)),
            lambda text, n: records._canonical(text)[:n], model._is_punct.__wrapped__, slow_written,
            slow_cue_positions, lambda lex, extra: False,
            lambda name, role, canonical: Owner(name=name, role=role, canonical=canonical), canonical_name,
            lambda text, words: sum(text.count(w) for w in words), lambda: every_pattern, lambda: every_cue,
            slow_ends_in, lambda: dict(deadlines._lexicon().patterns), lambda: lexicon().before_cue,
            lambda: targets._lexicon().pattern, slow_inputs, slow_proba)
    if only is not None:
        slow = tuple(s if name in only else f for s, f, name in zip(slow, shipped, SPEEDUPS, strict=True))

    def put(funcs: tuple[Any, ...]) -> None:
        (pipeline.field_triggers, segment.cut, records._canonical_head, model._is_punct,
         clean.CleanText.written, owners._cue_positions, owners._names_stop_at_breaks, owners._owner,
         owners._shipped_canonical, directives._count, deadlines._pattern_triggers, owners._cue_triggers,
         owners._ends_in, deadlines._scan_patterns, owners._cue_scan, targets._scan_pattern,
         directives.document_inputs, scoring.LinearModel.predict_proba_inputs) = funcs

    return (lambda: put(slow)), (lambda: put(shipped))


def clear() -> None:
    from throughput import clear_textkit_caches

    from textkit import model

    clear_textkit_caches()
    getattr(model._is_punct, "cache_clear", lambda: None)()  # in arm A it is the plain function


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--only", nargs="+", choices=sorted(set(SPEEDUPS)), help="switch only these speed-ups off in A")
    args = ap.parse_args(argv)
    import jieba
    from throughput import corpus_texts, machine

    import textkit
    from textkit.model import default_model
    from textkit.pipeline import warm_up

    print(machine())
    jieba.setLogLevel(logging.WARNING)
    texts = [t for _, t in corpus_texts()]
    chars = sum(map(len, texts))
    warm_up()
    jieba.lcut(texts[0])
    print(f"directive model loaded: {default_model() is not None}; {len(texts)} texts, {chars:,} characters")
    off, on = arms(frozenset(args.only) if args.only else None)
    print(f"arm A switches off: {', '.join(args.only) if args.only else 'every speed-up'}")
    samples: dict[str, list[float]] = {"A (off)": [], "B (on)": [], "jieba.lcut": []}
    outputs: dict[str, list[dict[str, Any]]] = {}
    for r in range(args.rounds):
        for name in (("A (off)", "B (on)") if r % 2 == 0 else ("B (on)", "A (off)")):
            (off if name == "A (off)" else on)()
            clear()
            t0 = time.process_time()
            out = [textkit.extract(text, ref_date="2024-04-18").to_dict() for text in texts]
            samples[name].append(time.process_time() - t0)
            outputs.setdefault(name, out)
        t0 = time.process_time()
        for text in texts:
            jieba.lcut(text)
        samples["jieba.lcut"].append(time.process_time() - t0)
    on()
    if outputs["A (off)"] != outputs["B (on)"]:
        print("OUTPUTS DIFFER between A and B")
        return 1
    print("outputs identical (JSON of every document)")
    med = {k: statistics.median(v) for k, v in samples.items()}
    for name, value in med.items():
        print(f"  {name:12s} {value:.3f} s per pass  {chars / value:>9,.0f} chars/s  (min {min(samples[name]):.3f} s)")
    print(f"  B / A = {med['A (off)'] / med['B (on)']:.2f}x faster; vs jieba.lcut: "
          f"A {med['jieba.lcut'] / med['A (off)']:.2f}x, B {med['jieba.lcut'] / med['B (on)']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
