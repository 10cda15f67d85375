"""Multi-pattern matchers on textkit's lexicons: which one finds the triggers of every sentence fastest.

    python benchmarks/matchers.py               # --rounds 7

Task (what ``textkit.triggers`` does for the pipeline, with the winner: ``re``): for every sentence of
every corpus document (cleaned text), the set of field extractors
(deadlines, cadence, targets) whose required strings occur in it; a second
task does the same for the 500 organ names of the jieba user dictionary (a
bigger lexicon, one group). Every candidate must give the same answer as the
plain-Python reference; CPU time (``time.process_time``), median of rounds.

- ``pyahocorasick``: one automaton, one scan per document, positions mapped to sentences;
- ``google-re2 set``: one ``re2.Set`` per lexicon group, one ``Match`` per sentence and group;
- ``re alternation``: one compiled ``re`` alternation per group, one ``search`` per sentence and group;
- ``str in`` (reference): ``any(word in sentence for word in words)`` per group.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

Groups = Mapping[str, frozenset[str]]
Doc = tuple[str, list[tuple[int, int]]]
Answer = list[list[frozenset[str]]]


def documents() -> list[Doc]:
    from throughput import corpus_texts

    from textkit.clean import clean
    from textkit.segment import sentences

    out = []
    for _, text in corpus_texts():
        cleaned = clean(text).text
        out.append((cleaned, sentences(cleaned)))
    return out


def field_groups() -> Groups:
    from textkit.extractors import cadence, deadlines, targets
    from tools.derive_triggers import lexicon_patterns, needs_of  # build-time helpers (they use re's parser)

    groups = {m.__name__.rsplit(".", 1)[1]: needs_of(lexicon_patterns(m._lexicon())) for m in (deadlines, cadence, targets)}
    return {k: v for k, v in groups.items() if v is not None}


def organ_groups() -> Groups:
    from textkit.lexicon import userdict_words

    return {"organs": frozenset(userdict_words())}


def with_str_in(groups: Groups) -> Callable[[Sequence[Doc]], Answer]:
    items = [(name, sorted(words)) for name, words in groups.items()]

    def run(docs: Sequence[Doc]) -> Answer:
        return [
            [frozenset(n for n, ws in items if any(w in text[s:e] for w in ws)) for s, e in spans]
            for text, spans in docs
        ]

    return run


def with_re(groups: Groups) -> Callable[[Sequence[Doc]], Answer]:
    pats = [(n, re.compile("|".join(map(re.escape, sorted(ws, key=len, reverse=True))))) for n, ws in groups.items()]

    def run(docs: Sequence[Doc]) -> Answer:
        return [[frozenset(n for n, p in pats if p.search(text, s, e)) for s, e in spans] for text, spans in docs]

    return run


def with_re2(groups: Groups) -> Callable[[Sequence[Doc]], Answer]:
    import re2

    names = list(groups)
    one = re2.Set.SearchSet(re2.Options())
    owner: list[str] = []
    for n in names:
        for w in sorted(groups[n]):
            one.Add(re.escape(w))
            owner.append(n)
    one.Compile()

    def run(docs: Sequence[Doc]) -> Answer:
        return [[frozenset(owner[i] for i in one.Match(text[s:e]) or ()) for s, e in spans] for text, spans in docs]

    return run


def with_ahocorasick(groups: Groups) -> Callable[[Sequence[Doc]], Answer]:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in set().union(*groups.values()):
        automaton.add_word(word, (len(word), frozenset(n for n, ws in groups.items() if word in ws)))
    automaton.make_automaton()

    def fired(text: str, spans: list[tuple[int, int]]) -> list[frozenset[str]]:
        found: list[set[str]] = [set() for _ in spans]
        if not spans:
            return []
        starts = [s for s, _ in spans]
        for end, (length, names) in automaton.iter(text, spans[0][0], spans[-1][1]):
            k = bisect_right(starts, end + 1 - length) - 1
            if k >= 0 and end < spans[k][1]:
                found[k] |= names
        return [frozenset(f) for f in found]

    def run(docs: Sequence[Doc]) -> Answer:
        return [fired(text, spans) for text, spans in docs]

    return run


CANDIDATES: dict[str, Callable[[Groups], Callable[[Sequence[Doc]], Answer]]] = {
    "pyahocorasick": with_ahocorasick,
    "google-re2 set": with_re2,
    "re alternation": with_re,
    "str in (reference)": with_str_in,
}


def bench(label: str, groups: Groups, docs: Sequence[Doc], rounds: int) -> None:
    runs = {name: make(groups) for name, make in CANDIDATES.items()}
    reference = runs["str in (reference)"](docs)
    for name, run in runs.items():
        if run(docs) != reference:
            raise SystemExit(f"{name} disagrees with the reference on {label}")
    samples: dict[str, list[float]] = {n: [] for n in runs}
    for r in range(rounds):
        names = list(runs)
        for name in names[r % len(names) :] + names[: r % len(names)]:
            t0 = time.process_time()
            runs[name](docs)
            samples[name].append(time.process_time() - t0)
    sentences = sum(len(spans) for _, spans in docs)
    words = sum(len(w) for w in groups.values())
    print(f"\n{label}: {words} strings in {len(groups)} groups; {len(docs)} documents, {sentences:,} sentences")
    print("| matcher | ms per corpus pass | sentences/s |")
    print("|---|---|---|")
    for name in runs:
        med = statistics.median(samples[name])
        print(f"| {name} | {med * 1000:.1f} | {sentences / med:,.0f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    from throughput import machine

    print(machine())
    docs = documents()
    bench("field triggers (deadlines, cadence, targets)", field_groups(), docs, args.rounds)
    bench("organ names (userdict)", organ_groups(), docs, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
