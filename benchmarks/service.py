"""Load on ``textkit serve``: requests/s and p50/p99 latency of ``POST /v1/extract`` on corpus speeches.

Starts the real command (uvicorn, ``--workers`` 1 and 2 by default) on a free
loopback port, warms every worker up, then for each number of concurrent
httpx clients (1, 8 and 32 by default) sends a fixed number of requests, each
a distinct document (speeches recombined from corpus sections, as in
``throughput.py``, so no per-process memo serves a repeat); it stops by itself
after ``--requests`` or ``--max-seconds``, whichever comes first.

A worker extracts at most ``TEXTKIT_MAX_EXTRACTIONS`` documents at once (its
threads); up to ``TEXTKIT_MAX_QUEUE`` more wait for a thread, and only beyond
that does it answer 429 (issue 15; before, every request over the threads was a
429). 429 answers are counted apart ("shed") and the client retries after a short
pause; a latency runs from the first attempt to the answer, and requests/s counts
answered extractions. ``--max-extractions`` and ``--max-queue`` set the limits for the run.

How clients connect (``--connections``, both by default, measured on the same server):
``keep-alive`` — each client holds one connection for all its requests, as a
reverse proxy's upstream pool or an SDK's session does; ``new`` — each request
opens its own connection (``Connection: close``), as one-off scripts and clients
without a pool do. Since each worker listens on its own ``SO_REUSEPORT`` socket
(``textkit.service_workers``), the kernel assigns each new connection to a worker
by a hash: per request with ``new``, once per client with ``keep-alive``, so with
few clients the draw can be uneven; the ``spread`` column gives, for ``keep-alive``,
how many clients' connections each worker held (from ``/health``'s worker pid).
``client cores`` is the CPU the clients (this process) used per second of the run:
on a machine with as many cores as workers, that much is taken from the workers.

    python benchmarks/service.py                       # 300 requests, 1/8/32 clients, 1 and 2 workers
    python benchmarks/service.py --requests 500 --workers 2 --clients 8 --connections new
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpora" / "docs"
REF_DATE = "2024-04-18"


@dataclass
class Run:
    workers: int
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    clients: int = 0
    shed: int = 0
    connections: str = "keep-alive"
    spread: list[int] = field(default_factory=list)  # clients per worker (keep-alive), most loaded first
    client_cpu: float = 0.0  # CPU seconds this process (the clients) spent: on 2 cores it competes with the workers

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000

    def row(self) -> str:
        spread = "+".join(map(str, self.spread)) if self.spread else "-"
        return (f"| {self.workers} | {self.clients} | {self.connections} | {spread} | {self.requests} | {self.shed} | "
                f"{self.errors} | {self.seconds:.1f} | {self.rate:.1f} | {self.percentile(0.50):.0f} | "
                f"{self.percentile(0.99):.0f} | {self.client_cpu / self.seconds if self.seconds else 0:.2f} |")


def speeches() -> list[dict[str, str]]:
    """The corpus speeches as JSON request bodies (read through textkit, whatever their encoding)."""
    from textkit.io import read_path

    return [{"text": read_path(p), "ref_date": REF_DATE, "source": p.name} for p in sorted(DOCS.glob("*.txt"))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(workers: int, port: int, log: Path, max_extractions: int | None,
          max_queue: int | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from textkit.cli import main; main()", "serve", "--port", str(port),
               "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "TEXTKIT_TOKEN"}
    if max_extractions is not None:
        env["TEXTKIT_MAX_EXTRACTIONS"] = str(max_extractions)
    if max_queue is not None:
        env["TEXTKIT_MAX_QUEUE"] = str(max_queue)
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, workers: int, timeout: float = 180) -> None:
    """Until every worker has finished start-up (each warms its segmenter and model) and /health answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"textkit serve exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        if log.read_text(errors="replace").count("Application startup complete") >= workers:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
        time.sleep(0.2)
    raise SystemExit("textkit serve did not become ready")


async def load(url: str, bodies: list[dict[str, str]], total: int, clients: int, max_seconds: float,
               connections: str = "keep-alive") -> Run:
    """``clients`` concurrent clients share one counter of ``total`` answered requests; a 429 is
    counted as shed and the same document is sent again after 50 ms, within the same latency.
    ``connections``: ``keep-alive`` (one connection per client) or ``new`` (one per request)."""
    latencies: list[float] = []
    errors = shed = 0
    issued = 0
    stop_at = time.monotonic() + max_seconds
    workers: Counter[int] = Counter()
    headers = {"Connection": "close"} if connections == "new" else {}

    async def client() -> None:
        nonlocal issued, errors, shed
        async with httpx.AsyncClient(base_url=url, timeout=120, headers=headers) as http:
            if connections == "keep-alive":  # the worker this client's connection went to (it stays there)
                workers[(await http.get("/health")).json().get("worker", 0)] += 1
            while issued < total and time.monotonic() < stop_at:
                body = bodies[issued % len(bodies)]
                issued += 1
                started = time.perf_counter()  # as the client sees it: retries after a 429 included
                while time.monotonic() < stop_at:
                    try:
                        response = await http.post("/v1/extract", json=body)
                        status = response.status_code
                    except httpx.HTTPError:
                        status = 0
                    if status != 429:
                        break
                    shed += 1
                    await asyncio.sleep(0.05)
                latencies.append(time.perf_counter() - started)
                errors += status != 200

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client() for _ in range(clients)))
    run = Run(0, len(latencies), errors, time.perf_counter() - started, latencies, clients, shed, connections)
    run.spread = sorted(workers.values(), reverse=True)
    run.client_cpu = time.process_time() - cpu
    return run


def bench(workers: int, bodies: list[dict[str, str]], args: argparse.Namespace) -> list[Run]:
    """One server with ``workers`` processes, measured at each client count in turn."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkstemp(prefix="textkit-serve-", suffix=".log")[1])
    process = start(workers, port, log, args.max_extractions, args.max_queue)
    runs = []
    try:
        wait_ready(url, process, log, workers)
        # Warm-up, not measured: every worker has loaded jieba, the model and the lazy imports.
        asyncio.run(load(url, bodies[-64:], 8 * workers, 2 * workers, 120))
        offset = 0
        for clients in args.clients:
            for connections in args.connections:
                batch = bodies[offset : offset + args.requests]
                offset += args.requests
                run = asyncio.run(load(url, batch, args.requests, clients, args.max_seconds, connections))
                run.workers = workers
                runs.append(run)
                print(run.row(), flush=True)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.unlink(missing_ok=True)
    return runs


def distinct_speeches(n: int) -> list[dict[str, str]]:
    """``n`` different documents as JSON request bodies (recombined corpus sections)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from throughput import synthetic_documents

    return [{"text": text, "ref_date": REF_DATE, "source": f"synthetic-{i}.txt"}
            for i, text in enumerate(synthetic_documents(n, seed=15))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="Answered requests per client count.")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32], help="Concurrent clients.")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Worker counts to measure.")
    parser.add_argument("--max-extractions", type=int, help="TEXTKIT_MAX_EXTRACTIONS for the workers (default: theirs).")
    parser.add_argument("--max-queue", type=int, help="TEXTKIT_MAX_QUEUE for the workers (default: theirs).")
    parser.add_argument("--max-seconds", type=float, default=600, help="Stop a run after this long regardless.")
    parser.add_argument("--connections", nargs="+", choices=["keep-alive", "new"], default=["keep-alive", "new"],
                        help="keep-alive: one connection per client; new: one per request (Connection: close).")
    args = parser.parse_args()

    bodies = distinct_speeches(args.requests * len(args.clients) * len(args.connections) + 64)
    mean_chars = statistics.mean(len(b["text"]) for b in bodies)
    print(f"{len(bodies)} distinct speeches, mean {mean_chars:,.0f} characters; {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}")
    print("| workers | clients | connections | spread | answered | shed (429) | errors | seconds | requests/s | "
          "p50 ms | p99 ms | client cores |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    runs = {(r.workers, r.clients, r.connections): r for w in args.workers for r in bench(w, bodies, args)}
    for connections in args.connections:
        one, two = runs.get((1, 8, connections)), runs.get((2, 8, connections))
        single = runs.get((2, 1, connections)) or runs.get((1, 1, connections))
        if two and single:
            print(f"{connections}, 2 workers, 8 clients: p99 {two.percentile(0.99):.0f} ms = "
                  f"{two.percentile(0.99) / single.percentile(0.5):.1f}x the single-request median (target <= 3x); "
                  f"mean {statistics.mean(two.latencies) * 1000:.0f} ms")
        if one and two:
            print(f"{connections}, 8 clients: 2 workers answer {two.rate / one.rate:.2f}x the requests/s of 1 "
                  "(target >= 1.7x)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
