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

``--ledger`` measures instead SEEDING a real SQLite ledger that already holds
1k, 10k or 100k tasks, with the link index kept beside it::

    python benchmarks/link_scale.py --ledger [--sizes 1000 10000 100000] [--keep DIR]

Each ledger is built once (synthetic documents from the corpus's extractions, each
with another invented place and shifted numbers, dated 2023; rows written in large
transactions, then the index built and saved; both timed apart, ``--keep`` reuses
them). Then a fresh process copies it and seeds 20 later documents (seven train
series, 2024, in date order) one ``seed`` each, as separate runs would: per-document
wall time (median, p90), the parts inside the seed (meta read and index load, the
linking, the row upsert, the index write), the records parsed, and the process's
peak RSS (its baseline after extracting the 20 documents apart). The links made
are compared with seeding the same documents into an empty ledger.

Each size is seeded twice, from the same copy: *fresh* forgets what the process kept
before every seed (as separate ``textkit extract --to`` runs), *kept* is one seeder
that stays alive (``textkit bulk``'s parent, a service): its first seed reads the
ledger, every later one extends what it kept with the rows written since.
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
from typing import Any  # noqa: E402

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


# --- seeding a real ledger (--ledger) ---------------------------------------------------

LATER_SERIES = ("qiaotou-town-flood-control", "bairong-key-projects", "anshan-safety-production",
                "fengyang-business-environment", "jiangcheng-old-estates", "dongpo-county-rural-roads",
                "linquan-county-straw-burning")  # train series only: 20 documents, all dated 2024


def later_documents() -> list[Any]:
    """The 20 documents seeded into the big ledger, in date order (each extracted with its own date)."""
    from textkit.link_eval import extractions, load_series

    found = [e for s in load_series(ROOT / "corpora/series", split="train") if s.name in LATER_SERIES
             for e in extractions(s)]
    return sorted(found, key=lambda e: e.document.date or "")


def synthetic_documents(n_tasks: int, limit: int = 60) -> Iterator[tuple[Any, list[Any]]]:
    """(document, records) of invented documents until ``n_tasks`` records: the corpus's extractions, each
    copy under another place with its numbers shifted, dated 2023 (before every later document)."""
    from textkit.records import Document

    templates = []
    for path in sorted((ROOT / "corpora/docs").glob("*.txt"))[:limit]:
        try:
            templates.append(extract_file(path, model=None))
        except Exception:  # noqa: BLE001 - a GBK or odd file the benchmark can do without
            continue
    templates = [t for t in templates if t.tasks]
    made, i = 0, 0
    while made < n_tasks:
        template = templates[i % len(templates)]
        place = PLACES[(i // len(templates)) % len(PLACES)] + "县区镇"[i % 3]
        shift = i // (len(templates) * len(PLACES)) + 1

        def vary(text: str | None, place: str = place, shift: int = shift) -> str | None:
            if not text:
                return text
            return place + re.sub(r"\d+", lambda m: str(int(m.group()) + shift), text)

        doc_id = f"syn{i:07d}"
        ids = {t.task_id: f"{doc_id}-{j:03d}" for j, t in enumerate(template.tasks)}
        records = [t.evolve(task_id=ids[t.task_id], doc_id=doc_id, parent_id=ids.get(t.parent_id or "", None),
                            text=vary(t.text), heading=vary(t.heading)) for t in template.tasks]
        records = records[:n_tasks - made]
        records = [r for r in records if r.parent_id is None or r.parent_id in {x.task_id for x in records}]
        date = f"2023-{1 + i % 9:02d}-{1 + i % 28:02d}"
        yield Document(doc_id=doc_id, title=vary(template.document.title) or doc_id, date=date,
                       char_count=template.document.char_count), records
        made += len(records)
        i += 1


def build_ledger(n_tasks: int, folder: Path) -> dict[str, float]:
    """A SQLite ledger of ``n_tasks`` synthetic rows and its saved link index; the two build times."""
    import sqlalchemy as sa

    from textkit.ledgers import open_ledger
    from textkit.ledgers.link_tasks import HeldTasks
    from textkit.ledgers.rows import plan_upsert
    from textkit.ledgers.sql import _to_db

    path = folder / f"ledger-{n_tasks}.db"
    for old in folder.glob(f"ledger-{n_tasks}.db*"):
        old.unlink()
    start = time.perf_counter()
    with open_ledger(f"sqlite:///{path}") as ledger:
        documents = list(synthetic_documents(n_tasks))
        generated = time.perf_counter() - start
        start = time.perf_counter()
        seq = 1
        for first in range(0, len(documents), 500):  # rows as seeding writes them, 500 documents a transaction
            with ledger._write_transaction() as conn:  # type: ignore[attr-defined]
                for document, records in documents[first:first + 500]:
                    plan = plan_upsert({}, records, document=document, next_seq=seq)
                    conn.execute(ledger.table.insert(), [_to_db(row) for row in plan.inserts])  # type: ignore[attr-defined]
                    seq += len(plan.inserts)
        rows = time.perf_counter() - start
        start = time.perf_counter()
        held = HeldTasks(ledger)  # no index yet: built from every record, once
        held.save([], [])
        index = time.perf_counter() - start
        with ledger.engine.connect() as conn:  # type: ignore[attr-defined]
            count = conn.execute(sa.select(sa.func.count()).select_from(ledger.table)).scalar()  # type: ignore[attr-defined]
        assert count == seq - 1 == n_tasks, (count, seq, n_tasks)
    return {"generate_s": generated, "rows_s": rows, "index_s": index, "directives": len(held.directives),
            "db_mb": path.stat().st_size / 2**20}


class Parts:
    """Wall time of the parts of each seed, by wrapping the functions ``linking`` calls."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.fetched = 0

    def wrap(self, owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.times[label] = self.times.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)


def seed_run(source: Path, out: Path, kept: bool = False) -> None:
    """In this (fresh) process: copy the ledger, seed the later documents one by one, write figures as JSON;
    ``kept``: the held tasks are kept between seeds (one long-lived seeder), else forgotten before each."""
    import json
    import shutil

    from textkit.ledgers import link_tasks, links, open_ledger, sql

    documents = later_documents()
    work = out.parent / f"work-{source.name}"
    work.mkdir(exist_ok=True)
    if source.exists():
        for item in source.parent.glob(source.name + "*"):
            shutil.copy(item, work / item.name)
    target = work / source.name
    open_ledger(f"sqlite:///{target}").close()  # opened once untimed: a ledger built by older code gains its indexes
    baseline = peak_rss_mb()
    parts = Parts()
    parts.wrap(link_tasks, "for_seed", "load")  # the meta columns and the saved index, or what was kept
    parts.wrap(links, "plan_links", "link")
    parts.wrap(sql.SQLLedger, "upsert", "upsert")
    parts.wrap(link_tasks.HeldTasks, "save", "save")
    parts.wrap(links.SQLLinks, "add", "store")
    fetched_before = link_tasks.HeldTasks.prefetch
    counted = [0]

    def prefetch(self: Any, task_ids: Any) -> None:
        before = self.fetched
        fetched_before(self, task_ids)
        counted[0] += self.fetched - before

    link_tasks.HeldTasks.prefetch = prefetch  # type: ignore[method-assign]
    per_doc: list[dict[str, float]] = []
    made: list[tuple[str, str, str]] = []
    for extraction in documents:
        parts.times.clear()
        counted[0] = 0
        if not kept:
            link_tasks._KEPT.clear()
        start = time.perf_counter()
        with open_ledger(f"sqlite:///{target}") as ledger:
            ledger.seed(extraction)
            made.extend((x.task_id, x.follows, x.relation) for x in ledger.last_links)  # type: ignore[attr-defined]
        per_doc.append({"total": time.perf_counter() - start, **parts.times, "fetched": counted[0],
                        "extended": any(h.extended for h in link_tasks._KEPT.values())})
    peak = peak_rss_mb()
    out.write_text(json.dumps({"per_doc": per_doc, "baseline_mb": baseline, "peak_mb": peak, "links": made}))
    shutil.rmtree(work)


def peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM (reset by exec), not ``ru_maxrss``, which on Linux keeps
    the high-water mark of the parent it was forked from (1.4 GB after the parent built a 100k ledger)."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def ledger_main(sizes: list[int], keep: Path | None) -> int:
    import json
    import subprocess

    folder = keep or Path(tempfile.mkdtemp(prefix="link-ledger-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"seeding {len(later_documents())} later documents one by one into SQLite ledgers of {sizes} tasks; "
          f"ledgers in {folder}")

    def run(source: Path, kept: bool = False) -> dict[str, Any]:
        out = folder / f"figures-{source.name}.json"
        subprocess.run([sys.executable, __file__, "--seed-run", str(source), str(out), *(["--kept"] if kept else [])],
                       check=True)
        result: dict[str, Any] = json.loads(out.read_text())
        return result

    empty = run(folder / "empty.db")
    alone = {tuple(x) for x in empty["links"]}
    print(f"into an empty ledger: {len(alone)} links")
    header = (f"{'tasks':>8} {'mode':>5} {'dirs':>7} {'rows s':>7} {'index s':>8} {'db MB':>6} {'seed med':>9} {'p90':>7} "
              f"{'load':>6} {'link':>6} {'link p90':>8} {'upsert':>7} {'save':>6} {'fetched':>8} "
              f"{'base MB':>8} {'peak MB':>8} same")
    print(header + "   (seed and its parts: ms per document, median unless p90)")
    for n in sizes:
        built_file = folder / f"ledger-{n}.json"
        if keep is not None and built_file.exists() and (folder / f"ledger-{n}.db").exists():
            built = json.loads(built_file.read_text())
        else:
            built = build_ledger(n, folder)
            built_file.write_text(json.dumps(built))
        made: dict[str, set[tuple[Any, ...]]] = {}
        for mode in ("fresh", "kept"):
            figures = run(folder / f"ledger-{n}.db", kept=mode == "kept")
            docs = figures["per_doc"]

            def ms(key: str, docs: list[dict[str, float]] = docs) -> float:
                return statistics.median(d.get(key, 0.0) for d in docs) * 1000

            same = {tuple(x) for x in figures["links"]} == alone
            made[mode] = {tuple(x) for x in figures["links"]}
            print(f"{n:>8} {mode:>5} {built['directives']:>7} {built['rows_s']:>7.1f} {built['index_s']:>8.1f} "
                  f"{built['db_mb']:>6.0f} {ms('total'):>9.0f} {_p90([d['total'] for d in docs]) * 1000:>7.0f} "
                  f"{ms('load'):>6.0f} {ms('link'):>6.0f} {_p90([d.get('link', 0) for d in docs]) * 1000:>8.0f} "
                  f"{ms('upsert'):>7.0f} {ms('save'):>6.0f} {max(d['fetched'] for d in docs):>8} "
                  f"{figures['baseline_mb']:>8.0f} {figures['peak_mb']:>8.0f} "
                  f"{'yes' if same else 'no'} ({len(figures['links'])}) extended {sum(d['extended'] for d in docs)}/"
                  f"{len(docs)}", flush=True)
        print(f"{n:>8} kept seeder's links == fresh seeds' links: {made['kept'] == made['fresh']}", flush=True)
    if keep is None:
        import shutil

        shutil.rmtree(folder)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ledger", action="store_true", help="seed a real SQLite ledger of each size")
    parser.add_argument("--keep", type=Path, help="with --ledger: build the ledgers here once and reuse them")
    parser.add_argument("--seed-run", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kept", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_run:
        seed_run(*args.seed_run, kept=args.kept)
        return 0
    if args.ledger:
        return ledger_main(args.sizes, args.keep)
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
