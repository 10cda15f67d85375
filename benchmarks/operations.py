"""Issue 18's operational figures: rows lost under concurrent writers, the slowest pathological
input per MB, and bulk into Excel against bulk into SQLite.

    python benchmarks/operations.py                         # all three sections
    python benchmarks/operations.py --only writers --writers 8 --docs 40 --backends ledger.db postgresql
    python benchmarks/operations.py --only pathological
    python benchmarks/operations.py --only bulk --n 1470 --workers 2

writers: W real processes each seed D distinct documents, one upsert per document,
  into one ledger per backend (csv, jsonl, xlsx, sqlite; PostgreSQL when
  TEXTKIT_TEST_POSTGRES_URL is set), started together; lost = expected task
  rows − rows present, duplicate 序号 = rows − distinct 序号.
pathological: each shape at 1 M characters through ``clean`` (or the HTML reader),
  and through the whole ``extract`` at 100 k characters; seconds per MB of UTF-8.
bulk: ``textkit bulk`` over the same generated archive (benchmarks/bulk.py's
  recombined corpus) into ``ledger.db`` and into ``台账.xlsx``, in fresh processes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRITER = r"""
import json, sys, time
from pathlib import Path
from textkit.ledgers import open_ledger
from textkit.records import Extraction

url, docs, start = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
options = {"table": sys.argv[4]} if len(sys.argv) > 4 else {}
extractions = [Extraction.from_dict(d) for d in json.loads(docs.read_text(encoding="utf-8"))]
while not start.exists():
    time.sleep(0.005)
for extraction in extractions:
    with open_ledger(url, **options) as ledger:
        ledger.seed(extraction)
"""


def speech(n: int) -> str:
    return (f"二、抓好第{n}批重点工作一要压实责任。县应急管理局要牵头,6月{n % 28 + 1}日前完成第{n}批危化企业检查。"
            f"二要加强调度。各乡镇要在{n % 12 + 1}月底前完成第{n}轮隐患整改。")


def writers(n_writers: int, n_docs: int, only: list[str] | None = None) -> list[dict[str, object]]:
    from textkit.ledgers import open_ledger
    from textkit.pipeline import extract

    batches = [[extract(speech(w * n_docs + d), ref_date="2024-04-18").to_dict() for d in range(n_docs)]
               for w in range(n_writers)]
    expected = {t["task_id"] for b in batches for doc in b for t in doc["tasks"]}
    postgres = os.environ.get("TEXTKIT_TEST_POSTGRES_URL")
    backends = ["ledger.csv", "ledger.jsonl", "台账.xlsx", "ledger.db"] + (["postgresql"] if postgres else [])
    backends = [b for b in backends if not only or b in only]
    rows: list[dict[str, object]] = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            extra: list[str] = []
            url = str(work / backend)
            if backend == "postgresql":
                url, extra = str(postgres), [f"bench_{uuid.uuid4().hex[:10]}"]
            script = work / "writer.py"
            script.write_text(WRITER, encoding="utf-8")
            start = work / "start"
            procs = []
            for i, batch in enumerate(batches):
                docs = work / f"docs-{i}.json"
                docs.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
                procs.append(subprocess.Popen([sys.executable, str(script), url, str(docs), str(start), *extra],
                                              cwd=ROOT, stderr=subprocess.PIPE, text=True))
            time.sleep(2)
            started = time.perf_counter()
            start.touch()
            failures = 0
            for proc in procs:
                _, err = proc.communicate()
                if proc.returncode:
                    failures += 1
                    lines = [ln for ln in err.splitlines() if "Error:" in ln]
                    print(f"writer failed: {lines[-1][:300] if lines else proc.returncode}")
            seconds = time.perf_counter() - started
            options = {"table": extra[0]} if extra else {}
            with open_ledger(url, **options) as ledger:
                frame = ledger.read()
                if backend == "postgresql":
                    with ledger.engine.begin() as conn:  # type: ignore[attr-defined]
                        ledger.table.drop(conn)  # type: ignore[attr-defined]
            present = set(frame["task_id"]) & expected
            rows.append({"backend": backend, "expected": len(expected), "lost": len(expected - present),
                         "duplicate 序号": len(frame) - len(set(frame["序号"])), "failed writers": failures,
                         "seconds": round(seconds, 1)})
            print(rows[-1], flush=True)
    return rows


def pathological() -> list[dict[str, object]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_linear_time import CLEAN_SHAPES, HTML_SHAPES  # the shapes the scaling test checks

    from textkit.clean import clean
    from textkit.io import read_bytes
    from textkit.pipeline import extract

    extract("二、抓好重点工作一要压实责任。县应急管理局要牵头,6月30日前完成检查。")  # warm-up: model, jieba
    rows: list[dict[str, object]] = []

    def measure(name: str, stage: str, text: str, work: Callable[[], object]) -> None:
        started = time.perf_counter()
        work()
        seconds = time.perf_counter() - started
        mb = len(text.encode("utf-8")) / 1e6
        rows.append({"shape": name, "stage": stage, "chars": len(text), "MB": round(mb, 2),
                     "seconds": round(seconds, 3), "s/MB": round(seconds / mb, 3)})
        print(rows[-1], flush=True)

    for name, build in CLEAN_SHAPES.items():
        text = build(1_000_000)
        measure(name, "clean", text, lambda text=text: clean(text))
        small = build(100_000)
        measure(name, "extract", small, lambda small=small: extract(small))
    for name, build in HTML_SHAPES.items():
        page = build(1_000_000)
        measure(name, "html", page, lambda page=page: read_bytes(page.encode(), name="p.html", suffix=".html"))
    return rows


def bulk(n: int, workers: int, ledgers: tuple[str, ...] = ("ledger.db", "台账.xlsx")) -> list[dict[str, object]]:
    """Wall seconds, CPU seconds and peak RSS of ``textkit bulk`` per ledger (GNU time when present:
    the load on a shared machine moves wall time, not CPU time)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bulk import generate

    timer = Path("/usr/bin/time").exists()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        archive, chars = generate(n, work / "archive.zip")
        for ledger in ledgers:
            cmd = [sys.executable, "-c", "from textkit.cli import main; main()", "bulk", str(archive), "--to",
                   str(work / ledger), "--workers", str(workers), "-q"]
            if timer:
                cmd = ["/usr/bin/time", "-f", "resources: cpu_s=%U+%S peak_rss_kb=%M", *cmd]
            started = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            lines = done.stderr.splitlines()
            used = next((line for line in lines if line.startswith("resources: ")), "")
            rows.append({"ledger": ledger, "documents": n, "seconds": round(seconds, 1), "exit": done.returncode,
                         "resources": used.removeprefix("resources: "),
                         "summary": " | ".join(line.strip() for line in lines[-7:] if line != used)})
            print(rows[-1], flush=True)
    if len(rows) == 2:
        rows.append({"ledger": "xlsx / sqlite",
                     "ratio": round(float(rows[1]["seconds"]) / float(rows[0]["seconds"]), 2)})
        print(rows[-1])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("writers", "pathological", "bulk"))
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--backends", nargs="*", help="ledger.csv ledger.jsonl 台账.xlsx ledger.db postgresql")
    parser.add_argument("--n", type=int, default=1470)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ledgers", nargs="*", default=["ledger.db", "台账.xlsx"], help="bulk: ledger.db 台账.xlsx")
    args = parser.parse_args()
    if args.only in (None, "writers"):
        writers(args.writers, args.docs, args.backends)
    if args.only in (None, "pathological"):
        pathological()
    if args.only in (None, "bulk"):
        bulk(args.n, args.workers, tuple(args.ledgers))


if __name__ == "__main__":
    main()
