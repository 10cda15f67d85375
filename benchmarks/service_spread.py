"""How kept-alive client connections spread over the workers: ``textkit serve`` against ``uvicorn.run(workers=N)``.

A worker keeps every connection it accepted, so with keep-alive clients the
first draw decides how the work is shared (issue 15). Each draw: ``--clients``
clients open one connection each, ask ``/health`` which worker they reached
(its pid), and hold the connection 0.3 s while the others connect. Only
``/health`` is requested, so a loaded machine changes little here. Arms:
``reuseport`` is ``textkit serve`` (one ``SO_REUSEPORT`` socket per worker on
Linux); ``shared`` is uvicorn's own supervisor with one shared socket (what
``textkit serve`` ran before).

    python benchmarks/service_spread.py --draws 40                 # both arms, 8 clients, 2 workers
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import Counter

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(arm: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    if arm == "reuseport":
        command = [sys.executable, "-c", "from textkit.cli import main; main()", "serve", "--port", str(port),
                   "--workers", str(workers)]
    else:
        command = [sys.executable, "-c", "import uvicorn; uvicorn.run('textkit.service:app_from_env', factory=True, "
                   f"host='127.0.0.1', port={port}, workers={workers}, log_level='warning')"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(url: str, workers: int, within: float = 180) -> None:
    """Until every worker has answered /health once (new connections reach them all in time)."""
    seen: set[int] = set()
    deadline = time.monotonic() + within
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(seen)} of {workers} workers answered within {within:g} s")
        try:
            seen.add(httpx.get(f"{url}/health", timeout=2).json()["worker"])
        except httpx.HTTPError:
            time.sleep(0.3)


async def draw(url: str, clients: int, workers: int) -> tuple[int, ...]:
    """One draw: clients per worker, most loaded first (zeros included)."""

    async def one() -> int:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            pid = int((await http.get("/health")).json()["worker"])
            await asyncio.sleep(0.3)
            if int((await http.get("/health")).json()["worker"]) != pid:
                raise SystemExit("a kept-alive connection changed worker")
            return pid

    counts = Counter(await asyncio.gather(*(one() for _ in range(clients))))
    return tuple(sorted([*counts.values(), *[0] * (workers - len(counts))], reverse=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=40)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--arms", nargs="+", choices=["shared", "reuseport"], default=["shared", "reuseport"])
    args = parser.parse_args()
    for arm in args.arms:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = start(arm, port, args.workers)
        try:
            wait_for(url, args.workers)
            splits = Counter(asyncio.run(draw(url, args.clients, args.workers)) for _ in range(args.draws))
        finally:
            process.terminate()
            process.wait(60)
        shown = ", ".join(f"{'+'.join(map(str, k))}: {n}" for k, n in sorted(splits.items()))
        print(f"{arm}: {args.clients} clients over {args.workers} workers, {args.draws} draws, "
              f"load {os.getloadavg()[0]:.1f}: {shown}", flush=True)


if __name__ == "__main__":
    main()
