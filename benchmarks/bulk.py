"""Throughput and memory of ``textkit bulk`` on a generated archive.

    python benchmarks/bulk.py [--n 5000] [--small 500] [--workers 1 2] [--runs 500:1,5000:2]
    python benchmarks/bulk.py --n 10000 --small 1000     # the issue-15 figure: 10,000 documents

Builds a zip of N speeches by recombining the corpus (the opening of one
document, then two to four top-level sections drawn from others, renumbered,
one in six stored as GB18030), so documents differ and hit every stage. Each
run is ``textkit bulk archive.zip --to sqlite:///… --workers W -q`` in a fresh
process tree; peak resident memory is sampled over the whole tree (the parent
and its pool workers) every 0.1 s with psutil. Figures: documents/s and
characters/s over the wall time (start-up included), and the marginal cost
per document between the small and the large archive, which must match the
small run's if cost grows linearly. documents/s per core divides by the cores
the run could use (its workers, at most the CPUs); on a machine shared with
other jobs it is a lower bound.

While a run goes, the documents in its ledger are counted every 2 s (a read-only
SQLite connection; the ledger is in WAL mode, so the writer is not held up) and
the parent's and the tree's resident memory are printed each time the count
passes a multiple of ``--every`` (default 500): whether memory stays flat as the
ledger grows, and how the rate changes with it. The parent's CPU seconds so far are
printed too: the seeding's cost per document, which the machine's load hardly moves. The parent's anonymous memory is
printed beside its RSS: a seeder that keeps its link index memory-mapped counts the
mapped pages it touched in its RSS, but they are the page cache's.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import psutil

from textkit.io import read_path

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "docs"
_SECTION = re.compile(r"(?:(?<=[。!?\n:])|^)([一二三四五六七八九十]{1,2})、")
_NUMERALS = "一二三四五六七八九十"


def split_sections(text: str) -> tuple[str, list[str]]:
    """The opening (title, date, salutation) and the top-level ``一、…`` sections of a speech."""
    starts = [m.start() for m in _SECTION.finditer(text)]
    if not starts:
        return text, []
    bounds = [*starts, len(text)]
    return text[: starts[0]], [text[a:b] for a, b in pairwise(bounds)]


def generate(n: int, out: Path, *, seed: int = 7) -> tuple[Path, int]:
    """A zip of ``n`` recombined speeches at ``out``; returns the path and the characters written."""
    rng = random.Random(seed)
    parts = [split_sections(read_path(p)) for p in sorted(CORPUS.iterdir())]
    openings = [o for o, s in parts if s]
    sections = [s for _, ss in parts for s in ss]
    chars = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            chosen = rng.sample(sections, rng.randint(2, 4))
            body = "".join(_NUMERALS[k] + "、" + _SECTION.sub("", s, count=1) for k, s in enumerate(chosen))
            text = f"{rng.choice(openings)}\n(第{i + 1}号)\n{body}\n"
            chars += len(text)
            encoding = "gb18030" if i % 6 == 5 else "utf-8"
            zf.writestr(f"speeches/{i // 1000:02d}/{i:05d}.txt", text.encode(encoding, "replace"))
    return out, chars


@dataclass
class Run:
    n: int
    workers: int
    seconds: float
    documents: int
    chars: int
    peak_rss_mb: float
    parent_rss_mb: float
    #: (documents in the ledger, seconds, parent RSS MB, tree RSS MB) each time a multiple of ``every`` was passed
    timeline: list[tuple[int, float, float, float]] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / self.n


def _anon_mb(pid: int) -> float:
    """The process's anonymous resident memory (Linux ``RssAnon``): its RSS without mapped files' pages, which
    are page cache (a memory-mapped index's); 0 where /proc does not say."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^RssAnon:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) / 1024 if found else 0.0


def _documents(ledger: Path) -> int:
    """Documents written so far (distinct doc_id, from its index); 0 before the table exists."""
    try:
        with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=1.0) as conn:
            return int(conn.execute("SELECT count(DISTINCT doc_id) FROM task_ledger").fetchone()[0])
    except sqlite3.Error:
        return 0


def run(archive: Path, n: int, workers: int, workdir: Path, every: int = 500) -> Run:
    """One ``textkit bulk`` process tree, timed and sampled for memory (and counted every 2 s)."""
    ledger = workdir / f"ledger-{n}-{workers}.db"
    ledger.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", "from textkit.cli import main; main()", "bulk", str(archive),
           "--to", f"sqlite:///{ledger}", "--workers", str(workers), "-q"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    peak = parent_peak = 0
    timeline: list[tuple[int, float, float, float]] = []
    counted, mark = started, every
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            rss = [p.memory_info().rss for p in tree]
        except psutil.Error:
            continue
        peak, parent_peak = max(peak, sum(rss)), max(parent_peak, rss[0])
        if time.perf_counter() - counted >= 2.0:
            counted = time.perf_counter()
            documents = _documents(ledger)
            if documents >= mark:
                point = (documents, counted - started, rss[0] / 2**20, sum(rss) / 2**20)
                timeline.append(point)
                try:
                    cpu = sum(parent.cpu_times()[:2])
                except psutil.Error:
                    cpu = 0.0
                print(f"  {n:,}:{workers} {point[0]:,} documents at {point[1]:.0f} s: parent {point[2]:.0f} MB "
                      f"(anonymous {_anon_mb(proc.pid):.0f} MB), tree {point[3]:.0f} MB, parent CPU {cpu:.0f} s, "
                      f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
                mark = (documents // every + 1) * every
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read() if proc.stderr else ""
    found = re.search(r"documents\s+(\d+) extracted \(([\d,]+) characters", stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"run failed ({proc.returncode}):\n{stderr}")
    return Run(n, workers, seconds, int(found[1]), int(found[2].replace(",", "")),
               peak / 2**20, parent_peak / 2**20, timeline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="documents in the large archive")
    parser.add_argument("--small", type=int, default=500, help="documents in the small archive")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", help="explicit N:W pairs, e.g. 500:1,500:2,5000:2 (default: both sizes × workers)")
    parser.add_argument("--workdir", type=Path, help="keep archives and ledgers here")
    parser.add_argument("--every", type=int, default=500, help="print memory each time this many more documents are in")
    args = parser.parse_args()
    pairs = ([tuple(int(x) for x in p.split(":")) for p in args.runs.split(",")] if args.runs
             else [(n, w) for n in (args.small, args.n) for w in args.workers])
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="textkit-bulk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    archives: dict[int, Path] = {}
    results: list[Run] = []
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print("| N | workers | wall s | documents/s | documents/s per core | characters/s | ms/document "
          "| peak RSS, tree (MB) | peak RSS, parent (MB) |")
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    for n, workers in pairs:
        if n not in archives:
            path, chars = generate(n, workdir / f"speeches-{n}.zip")
            archives[n] = path
            print(f"archive of {n} documents: {chars:,} characters, {path.stat().st_size / 2**20:.1f} MB zipped",
                  file=sys.stderr)
        r = run(archives[n], n, workers, workdir, args.every)
        results.append(r)
        cores = max(1, min(r.workers, os.cpu_count() or 1))
        print(f"| {r.n:,} | {r.workers} | {r.seconds:.1f} | {r.docs_per_s:.1f} | {r.docs_per_s / cores:.1f} | "
              f"{r.chars / r.seconds:,.0f} | "
              f"{r.ms_per_doc:.0f} | {r.peak_rss_mb:.0f} | {r.parent_rss_mb:.0f} |", flush=True)
    by = {(r.n, r.workers): r for r in results}
    for w in args.workers:
        small, large = by.get((args.small, w)), by.get((args.n, w))
        if small and large:
            marginal = 1000 * (large.seconds - small.seconds) / (large.n - small.n)
            print(f"\nworkers={w}: {small.ms_per_doc:.0f} ms/document at N={small.n:,}, {large.ms_per_doc:.0f} at "
                  f"N={large.n:,}, marginal {marginal:.0f} ms/document between them; peak RSS "
                  f"{small.peak_rss_mb:.0f} → {large.peak_rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
