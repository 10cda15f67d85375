"""Load on ``textkit serve``: requests/s and p50/p99 latency of ``POST /v1/extract`` on corpus speeches.

Starts the real command (uvicorn, ``--workers`` 1 and 2 by default) on a free
loopback port, warms every worker up, then sends a fixed number of requests
from concurrent httpx clients, cycling through ``corpora/docs``; it stops by
itself after ``--requests`` or ``--max-seconds``, whichever comes first.

    python benchmarks/service.py                       # 2,000 requests, 8 clients, 1 and 2 workers
    python benchmarks/service.py --requests 500 --workers 2
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
from dataclasses import dataclass
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

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000

    def row(self) -> str:
        return (f"| {self.workers} | {self.requests} | {self.errors} | {self.seconds:.1f} | {self.rate:.1f} | "
                f"{self.percentile(0.50):.0f} | {self.percentile(0.99):.0f} |")


def speeches() -> list[dict[str, str]]:
    """The corpus speeches as JSON request bodies (read through textkit, whatever their encoding)."""
    from textkit.io import read_path

    return [{"text": read_path(p), "ref_date": REF_DATE, "source": p.name} for p in sorted(DOCS.glob("*.txt"))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(workers: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from textkit.cli import main; main()", "serve", "--port", str(port),
               "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "TEXTKIT_TOKEN"}
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


async def load(url: str, bodies: list[dict[str, str]], total: int, clients: int, max_seconds: float) -> Run:
    """``clients`` concurrent clients share one counter of ``total`` requests."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    stop_at = time.monotonic() + max_seconds

    async def client() -> None:
        nonlocal issued, errors
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            while issued < total and time.monotonic() < stop_at:
                body = bodies[issued % len(bodies)]
                issued += 1
                started = time.perf_counter()
                try:
                    response = await http.post("/v1/extract", json=body)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return Run(0, len(latencies), errors, time.perf_counter() - started, latencies)


def bench(workers: int, bodies: list[dict[str, str]], args: argparse.Namespace) -> Run:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkstemp(prefix="textkit-serve-", suffix=".log")[1])
    process = start(workers, port, log)
    try:
        wait_ready(url, process, log, workers)
        # Warm-up, not measured: every worker loads jieba and the model before the clock starts.
        asyncio.run(load(url, bodies, max(4 * workers * args.clients // 2, len(bodies)), args.clients, 120))
        run = asyncio.run(load(url, bodies, args.requests, args.clients, args.max_seconds))
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.unlink(missing_ok=True)
    run.workers = workers
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="Measured requests per worker count.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients.")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Worker counts to measure.")
    parser.add_argument("--max-seconds", type=float, default=600, help="Stop a run after this long regardless.")
    args = parser.parse_args()

    bodies = speeches()
    mean_chars = statistics.mean(len(b["text"]) for b in bodies)
    print(f"{len(bodies)} corpus speeches, mean {mean_chars:,.0f} characters; {args.clients} clients; "
          f"{os.cpu_count()} CPUs; Python {platform.python_version()}")
    print("| workers | requests | errors | seconds | requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for workers in args.workers:
        print(bench(workers, bodies, args).row(), flush=True)


if __name__ == "__main__":
    main()
