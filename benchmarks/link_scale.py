"""Linking one speech against a ledger of 1k, 10k and 100k earlier tasks.

    python benchmarks/link_scale.py [--sizes 1000 10000 100000] [--repeat 5]

The earlier tasks are synthesised from the directives of the annotated corpus
(``corpora/docs``): each copy gets another invented place prefix and its
numbers shifted, so no two are the same text. They go into a
:class:`textkit.link_index.LinkIndex` one document (10 tasks) at a time, as
seeding would add them, and the index is saved and loaded back, as a ledger
would keep it. The task views sit in a key-value store the linker reads only
for the candidates the index proposes (counted), never as a whole.

Per speech: wall time of ``link_views`` (median of ``--repeat``), peak Python
memory allocated while linking (tracemalloc), the candidates fetched, and the
index's size. One core: BLAS/OpenMP threads are pinned to 1.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Iterator, Mapping  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textkit.followups import TaskView, link_views, views  # noqa: E402
from textkit.link_index import LinkIndex  # noqa: E402
from textkit.pipeline import extract_file  # noqa: E402

PLACES = [a + b for a in "东西南北上下前后新老青白金石云江河山" for b in "岭溪桥湾塘坪川源口坝洲沟岗庄集"]
SPEECH = ROOT / "corpora/series/bairong-key-projects/03_july-speech.txt"  # a train-series speech


class Store(Mapping[str, TaskView]):
    """The ledger's task views by id (a dict standing for a keyed table); counts what the linker reads."""

    def __init__(self) -> None:
        self._views: dict[str, TaskView] = {}
        self.reads = 0

    def __getitem__(self, key: str) -> TaskView:
        self.reads += 1
        return self._views[key]

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("the linker must not walk the whole ledger")

    def __len__(self) -> int:
        return len(self._views)

    def put(self, view: TaskView) -> None:
        self._views[view.task_id] = view


def rss() -> int:
    """Resident memory of this process (the whole benchmark: corpus, store and index)."""
    import psutil

    return int(psutil.Process().memory_info().rss)


def corpus_views(limit: int = 40) -> list[TaskView]:
    found: list[TaskView] = []
    for path in sorted((ROOT / "corpora/docs").glob("*.txt"))[:limit]:
        try:
            found.extend(views(extract_file(path, model=None).tasks))
        except Exception:  # noqa: BLE001 - a GBK or odd file the benchmark can do without
            continue
    return found


def synthesise(base: list[TaskView], n: int, seed: int = 7) -> Iterator[TaskView]:
    rng = random.Random(seed)
    for i in range(n):
        view = base[i % len(base)]
        place = PLACES[(i // len(base)) % len(PLACES)] + rng.choice("县区镇")
        shift = i // (len(base) * len(PLACES)) + 1
        content = place + re.sub(r"\d+", lambda m, k=shift: str(int(m.group()) + k), view.content)
        yield replace(view, task_id=f"t{i:07d}", doc_id=f"d{i // 10:06d}", content=content,
                      order=(f"2023-{1 + i % 12:02d}-01", i))


def build(base: list[TaskView], n: int, folder: Path, real: list[TaskView]) -> tuple[LinkIndex, Store, float, int]:
    """``n`` synthetic tasks, then the speech's real earlier documents, added one document at a time."""
    index, store = LinkIndex(), Store()
    start = time.perf_counter()
    batch: list[TaskView] = []
    for view in [*synthesise(base, n - len(real)), *real]:
        store.put(view)
        batch.append(view)
        if len(batch) == 10:  # one document at a time, as seeding adds them
            index.add([v.task_id for v in batch], [v.content for v in batch])
            batch = []
    index.add([v.task_id for v in batch], [v.content for v in batch])
    built = time.perf_counter() - start
    path = folder / f"index-{n}.npz"
    index.save(path)
    return LinkIndex.load(path), store, built, path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base = corpus_views()
    later = views(extract_file(SPEECH, ref_date="2024-07-10", model=None).tasks, {})
    real = [v for name in ("01_kickoff-speech", "02_april-minutes")
            for v in views(extract_file(SPEECH.parent / f"{name}.txt", model=None).tasks, {})]
    alone = {(x.task_id, x.follows, x.relation) for x in link_views(real, later, followers={})}
    print(f"{len(base)} corpus directives as templates; the speech has {len(later)} directives and "
          f"{len(alone)} links against its own series alone (same = the same links at scale)")
    print(f"{'tasks':>8} {'build s':>8} {'index MB':>9} {'ms/speech':>10} {'peak MB':>8} {'fetched':>8} {'links':>6} {'RSS MB':>7} same")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            index, store, built, size = build(base, n, Path(tmp), real)
            link_views(store, later, index=index, followers={})  # warm: idf and norms cached per index size
            times, peaks = [], []
            for _ in range(args.repeat):
                store.reads = 0
                tracemalloc.start()
                start = time.perf_counter()
                found = link_views(store, later, index=index, followers={})
                times.append(time.perf_counter() - start)
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
            print(f"{n:>8} {built:>8.1f} {size / 2**20:>9.1f} {statistics.median(times) * 1000:>10.1f} "
                  f"{max(peaks) / 2**20:>8.1f} {store.reads:>8} {len(found):>6} {rss() / 2**20:>7.0f} "
                  f"{'yes' if {(x.task_id, x.follows, x.relation) for x in found} == alone else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
