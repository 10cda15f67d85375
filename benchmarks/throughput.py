"""Throughput, start-up and memory of textkit against the segmentation floor and JioNLP.

    python benchmarks/throughput.py                 # throughput, interleaved rounds
    python benchmarks/throughput.py --rounds 7 --profile 25
    python benchmarks/throughput.py --rounds 5 --sample 25   # stage shares by sampling (no per-call cost)
    python benchmarks/throughput.py --startup       # import time, modules loaded, cold CLI
    python benchmarks/throughput.py --memory        # peak RSS: one extraction, 1,000 documents
    python benchmarks/throughput.py --verify-segmenter   # jieba vs jieba_fast tokens

Throughput is characters of the original texts per second of this process's
CPU time (``time.process_time``), so it is a one-core figure even on a busy
machine; BLAS threads are pinned to one. Every round runs the three systems
over the same corpus texts in a rotating order:

(a) ``jieba.lcut(text)`` of the whole text (jieba's global tokenizer), the floor
    anyone who segments pays;
(b) ``jionlp.ner.extract_time(text)`` (JioNLP's time extraction only, with its
    default parsing; ``--jionlp-no-parsing`` for detection alone);
(c) ``textkit.extract(text)``: clean, outline, directive model, deadlines,
    owners, cadence, targets, records.

textkit's per-process memo caches (party names, context-text words, jieba runs) are
emptied at the start of each of its rounds, so a round is one pass over the
corpus as a fresh bulk run would see it, not a re-run of texts already seen.
Dictionaries and models are loaded before timing (start-up is measured
separately with ``--startup``). The median round is reported.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import json  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpora" / "docs"


def corpus_texts(docs: Path = DOCS) -> list[tuple[str, str]]:
    from textkit.io import read_path

    return [(p.name, read_path(p)) for p in sorted(docs.glob("*.txt"))]


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = ""
    return f"{platform.system()} {platform.machine()}, nproc={os.cpu_count()}, {model}, Python {platform.python_version()}, {load}"


def clear_textkit_caches() -> None:
    """Empty the memo caches that grow with the texts seen (not the loaded lexicons or model)."""
    from textkit import model, segment
    from textkit.extractors import owners

    memos = ("_cached_words", "_cached_grams", "_names_party", "_names_free_organ", "_cut_run", "_owner",
             "_shipped_canonical", "_ends_of", "_shipped_party_starting_at")
    for fn in (getattr(m, name, None) for m in (model, owners, segment) for name in memos):
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()
    shipped = model.default_model()
    block = getattr(shipped, "_block", None)  # the scorer's per-text weights (textkit.scoring)
    if block is not None:
        block.cache_clear()


def systems(no_parsing: bool) -> dict[str, Callable[[str], Any]]:
    import jieba
    import jionlp

    import textkit

    jieba.setLogLevel(logging.WARNING)
    logging.disable(logging.CRITICAL)  # JioNLP logs a traceback for every string it cannot parse

    def run_jionlp(text: str) -> Any:
        try:
            return jionlp.ner.extract_time(text, with_parsing=not no_parsing)
        except Exception:  # noqa: BLE001 - JioNLP raises on some inputs; the time still counts
            return None

    return {"jieba.lcut": jieba.lcut, "jionlp.extract_time": run_jionlp, "textkit.extract": textkit.extract}


def throughput(rounds: int, no_parsing: bool) -> dict[str, float]:
    texts = [t for _, t in corpus_texts()]
    chars = sum(len(t) for t in texts)
    runs = systems(no_parsing)
    for fn in runs.values():  # load dictionaries, models, lexicons
        fn(texts[0])
    from textkit.pipeline import warm_up

    warm_up()  # as a worker starts: the lazy imports and the scorer's automata (textkit.scoring)
    names = list(runs)
    samples: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            if name == "textkit.extract":
                clear_textkit_caches()
            t0 = time.process_time()
            for text in texts:
                runs[name](text)
            samples[name].append(chars / (time.process_time() - t0))
    print(f"corpus: {len(texts)} texts, {chars:,} characters; {rounds} interleaved rounds; CPU time of one process")
    med = {n: statistics.median(v) for n, v in samples.items()}
    for n in names:
        print(f"  {n:22s} {med[n]:>12,.0f} chars/s   (rounds: {', '.join(f'{v:,.0f}' for v in samples[n])})")
    tk = med["textkit.extract"]
    print(f"  textkit / jieba.lcut          = {tk / med['jieba.lcut']:.2f}x   (target >= 1x, goal 2x)")
    print(f"  textkit / jionlp.extract_time = {tk / med['jionlp.extract_time']:.2f}x   (target >= 2x)")
    return med


def profile(top: int) -> None:
    import cProfile
    import pstats

    import textkit
    from textkit.pipeline import warm_up

    texts = [t for _, t in corpus_texts()]
    warm_up()  # the lazy imports (cn2an, chinese_calendar) are start-up, not a pass's work
    clear_textkit_caches()
    prof = cProfile.Profile()
    prof.enable()
    for text in texts:
        textkit.extract(text)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    cumulative = {(Path(f).parent.name + "/" + Path(f).name, name): v[3] for (f, _, name), v in stats.stats.items()}  # type: ignore[attr-defined]
    total = cumulative.get(("textkit/pipeline.py", "extract"), 0.0) or 1.0
    print("Shares of textkit.extract (cumulative time under cProfile, which inflates many small calls):")
    for label, key in STAGES.items():
        print(f"  {label:44s} {cumulative.get(key, 0.0) / total:6.1%}")


def sample(top: int, rounds: int, interval: float = 0.001) -> None:
    """Stage shares by sampling: every ``interval`` s of this process's CPU time (``ITIMER_PROF``)
    the stack is read and each stage on it gets the CPU time since the last sample. cProfile pays
    a hook per call, so it inflates stages made of many small calls (owners, records) and shrinks
    those spent inside a few C calls (the scorer's look-ups); a sample costs the same wherever it
    lands. Python runs the handler between bytecodes, so ticks during a long C call arrive as one
    (hence the weighting by CPU time) at the next line run: a stage's share is sound, a line's can
    include the C call before it (a callback that pydantic-core calls carries pydantic's time)."""
    import collections
    import signal

    import textkit
    from textkit.pipeline import warm_up

    texts = [t for _, t in corpus_texts()]
    warm_up()
    wanted = {key: label for label, key in STAGES.items()}
    stages: dict[str, float] = collections.defaultdict(float)
    inner: dict[str, float] = collections.defaultdict(float)
    total = [0.0]
    last = [time.process_time()]

    def on_sample(signum: int, frame: Any) -> None:
        now = time.process_time()
        spent, last[0] = now - last[0], now
        seen: set[str] = set()
        innermost = None
        while frame is not None:
            code = frame.f_code
            key = (Path(code.co_filename).parent.name + "/" + Path(code.co_filename).name, code.co_name)
            if innermost is None and "textkit" in code.co_filename:
                innermost = f"{key[0]}:{frame.f_lineno} {key[1]}"
            label = wanted.get(key)
            if label is not None:
                seen.add(label)
            frame = frame.f_back
        if "extract" in seen:
            total[0] += spent
            for label in seen:
                stages[label] += spent
            inner[innermost or "?"] += spent

    wanted[("textkit/pipeline.py", "extract")] = "extract"
    signal.signal(signal.SIGPROF, on_sample)
    last[0] = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    try:
        for _ in range(rounds):
            clear_textkit_caches()
            for text in texts:
                textkit.extract(text)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
    n = total[0] or 1.0
    print(f"{total[0]:.2f} s of CPU sampled in textkit.extract ({rounds} passes, every {interval * 1000:g} ms of CPU)")
    print("Shares of textkit.extract (sampled; a stage counted once per sample it is on the stack of):")
    for label in STAGES:
        print(f"  {label:44s} {stages.get(label, 0.0) / n:6.1%}")
    print(f"Innermost textkit lines (the line running, or calling C, when sampled), top {top}:")
    for where, count in sorted(inner.items(), key=lambda item: -item[1])[:top]:
        print(f"  {count / n:6.1%}  {where}")


STAGES = {
    "clean": ("textkit/clean.py", "clean"),
    "outline": ("textkit/outline.py", "parse"),
    "directive decision (features + scoring)": ("extractors/directives.py", "decide"),
    "  features": ("extractors/directives.py", "document_inputs"),
    "  model scoring": ("textkit/scoring.py", "predict_proba_inputs"),
    "owners": ("extractors/owners.py", "find_owners"),
    "deadlines": ("extractors/deadlines.py", "find_deadlines"),
    "cadence": ("extractors/cadence.py", "find_cadence"),
    "targets": ("extractors/targets.py", "find_targets"),
    "records (pydantic construction)": ("textkit/records.py", "__call__"),
}


def verify_segmenter() -> int:
    """Compare textkit's jieba tokenizer with the same set-up on jieba_fast over what the model cuts."""
    import jieba_fast

    from textkit import segment
    from textkit.clean import clean
    from textkit.extractors.directives import context_texts
    from textkit.lexicon import userdict_words
    from textkit.outline import parse
    from textkit.resources import cache_dir, data_path

    texts = [t for _, t in corpus_texts()]
    windows: list[str] = []
    for text in texts:
        outline = parse(clean(text))
        for node in outline.walk():
            windows += context_texts(outline, node).values()
    fast = jieba_fast.Tokenizer()
    fast.tmp_dir = str(cache_dir())
    fast.cache_file = "jieba_fast.textkit.cache"
    jieba_fast.default_logger.setLevel(logging.WARNING)
    fast.load_userdict(str(data_path("userdict.txt")))
    for word in userdict_words():
        fast.add_word(word, freq=2000, tag="nt")
    ref = segment.tokenizer()
    groups = {"model context texts": windows, "original texts": texts, "cleaned texts": [clean(t).text for t in texts]}
    bad_total = 0
    for label, items in groups.items():
        bad = [s for s in items if list(ref.cut(s)) != list(fast.cut(s))]
        bad_total += len(bad)
        print(f"{label}: {len(items)} strings, {len(bad)} tokenised differently")
        for s in bad[:3]:
            a, b = list(ref.cut(s)), list(fast.cut(s))
            k = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
            print("   jieba:", "/".join(a[k : k + 5]), " jieba_fast:", "/".join(b[k : k + 5]))
    return bad_total


# --- start-up ---------------------------------------------------------------------


def startup() -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import textkit"], capture_output=True, text=True, env=env)
    total = 0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)", line)
        if m and not line.split("|")[2].startswith(" "):
            pass
        if m and m.group(2) == "textkit":
            total = int(m.group(1))
    print(f"python -X importtime -c 'import textkit': textkit cumulative {total / 1000:.1f} ms")
    check = (
        "import sys, textkit; heavy=[m for m in ('jieba','jieba_fast','spacy','sklearn','numpy','pandas','jionlp') if m in sys.modules];"
        "print(len(sys.modules), heavy)"
    )
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True).stdout.strip()
    print(f"after 'import textkit': modules loaded, heavy ones among them: {out}")
    doc = DOCS / "01_city-economy-q1.txt"
    walls = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(["textkit", "extract", str(doc), "--format", "jsonl"], capture_output=True, check=True)
        walls.append(time.perf_counter() - t0)
    print(f"cold 'textkit extract {doc.relative_to(ROOT)}' (new process each): {', '.join(f'{w:.2f}' for w in walls)} s")
    stages = (
        "import time;t=time.perf_counter();import textkit;a=time.perf_counter();"
        "from textkit.model import default_model;m=default_model();b=time.perf_counter();"
        "from textkit.segment import tokenizer;tokenizer();c=time.perf_counter();"
        f"textkit.extract_file({str(doc)!r});d=time.perf_counter();"
        "print(f'import {a-t:.2f} s, model load {b-a:.2f} s, jieba dictionary {c-b:.2f} s, first extraction {d-c:.2f} s')"
    )
    print("in one process:", subprocess.run([sys.executable, "-c", stages], capture_output=True, text=True).stdout.strip())
    from textkit.resources import cache_dir

    caches = sorted(p.name for p in cache_dir().glob("*jieba*"))
    print(f"jieba dictionary cache: {cache_dir()} {caches}")
    stray = sorted(p.name for p in Path(tempfile.gettempdir()).glob("jieba*.cache"))
    print(f"jieba caches in {tempfile.gettempdir()} (from jieba's global tokenizer, not textkit's): {stray}")


# --- memory -------------------------------------------------------------------------


_ONE = """
import resource, sys, textkit
text = open(sys.argv[1], encoding='utf-8').read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
textkit.extract(text)
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_MANY = """
import random, resource, sys, textkit
sys.path.insert(0, sys.argv[3])
from throughput import synthetic_documents
docs = synthetic_documents(int(sys.argv[1]), seed=int(sys.argv[2]))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tasks = chars = 0
for doc in docs:
    tasks += len(textkit.extract(doc).tasks)
    chars += len(doc)
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, tasks, chars)
"""


def synthetic_documents(n: int, *, seed: int = 1) -> list[str]:
    """``n`` speeches recombined from corpus sections: a title line, then 3-6 sections of random documents."""
    import random

    rng = random.Random(seed)
    sections: list[str] = []
    titles: list[str] = []
    for _, text in corpus_texts():
        lines = text.split("\n")
        titles.append(lines[0].strip())
        parts = re.split(r"\n(?=[一二三四五六七八九十]、)", text)
        sections += [p for p in parts[1:] if len(p) > 40]
    return [
        rng.choice(titles) + "\n" + "\n".join(rng.sample(sections, rng.randint(3, 6)))
        for _ in range(n)
    ]


def memory(n: int) -> None:
    doc = DOCS / "01_city-economy-q1.txt"
    base, peak = map(int, subprocess.run([sys.executable, "-c", _ONE, str(doc)], capture_output=True, text=True, check=True).stdout.split())
    print(f"one extraction ({doc.name}): peak RSS {peak / 1024:.0f} MiB (after import {base / 1024:.0f} MiB)")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _MANY, str(n), "1", str(Path(__file__).parent)], capture_output=True, text=True, check=True).stdout.split()
    base, peak, tasks, chars = map(int, out)
    print(
        f"{n:,} synthetic documents ({chars:,} chars, {tasks:,} task records) in one process: "
        f"peak RSS {peak / 1024:.0f} MiB (after import and generation {base / 1024:.0f} MiB), {time.perf_counter() - t0:.0f} s wall"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--jionlp-no-parsing", action="store_true", help="extract_time(with_parsing=False)")
    ap.add_argument("--profile", type=int, metavar="N", help="cProfile one pass of textkit, top N functions")
    ap.add_argument("--sample", type=int, metavar="N", help="sampled stage shares of --rounds passes, top N lines")
    ap.add_argument("--startup", action="store_true")
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--documents", type=int, default=1000, help="documents in the memory run")
    ap.add_argument("--verify-segmenter", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the throughput medians as JSON too")
    args = ap.parse_args(argv)
    print(machine())
    if args.verify_segmenter:
        return 1 if verify_segmenter() else 0
    if args.profile:
        profile(args.profile)
        return 0
    if args.sample:
        sample(args.sample, args.rounds)
        return 0
    if args.startup:
        startup()
        return 0
    if args.memory:
        memory(args.documents)
        return 0
    med = throughput(args.rounds, args.jionlp_no_parsing)
    if args.json:
        print(json.dumps(med))
    return 0


if __name__ == "__main__":
    sys.exit(main())
