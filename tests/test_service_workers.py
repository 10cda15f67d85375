"""``textkit serve --workers N``: real processes on 127.0.0.1, each worker on its own SO_REUSEPORT socket,
watched over by the parent (issue 15: clients spread over the workers; no orphans, a clear bind error)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from textkit.io import read_path  # noqa: E402
from textkit.service_workers import listening_sockets, reuse_port_available  # noqa: E402

from .test_service import _free_port  # noqa: E402

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not reuse_port_available(),
                                reason="process tree read from /proc; one socket per worker needs SO_REUSEPORT")
READY_WITHIN = 120.0  # a shared machine under load starts workers slowly; this waits, it does not time them


def _serve(port: int, workers: int, env: dict[str, str] | None = None, *options: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from textkit.cli import main; main()", "serve", "--port", str(port),
               "--workers", str(workers), *options]
    environment = {**os.environ, **(env or {})}
    environment.pop("TEXTKIT_TOKEN", None)
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _worker_pid(url: str) -> int | None:
    """The pid /health reports, over a new connection (httpx.get opens one per call); None if none answers."""
    try:
        response = httpx.get(f"{url}/health", timeout=5)
    except httpx.TransportError:
        return None
    return int(response.json()["worker"]) if response.status_code == 200 else None


def _wait_for_workers(process: subprocess.Popen[str], url: str, count: int, *, excluding: set[int] = frozenset(),
                      within: float = READY_WITHIN) -> set[int]:
    """Ask /health over new connections until ``count`` distinct workers (none of ``excluding``) have answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + within
    while len(seen - excluding) < count:
        assert process.poll() is None, f"textkit serve exited early:\n{_output(process)}"
        assert time.monotonic() < deadline, f"only {seen} answered within {within:g} s"
        pid = _worker_pid(url)
        if pid is None:
            time.sleep(0.2)
        else:
            seen.add(pid)
    return seen - excluding


def _output(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.kill()
    return process.communicate(timeout=30)[0]


def _descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (Linux /proc; zombies count as gone)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            parents.setdefault(int(ppid), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def _until_gone(pids: set[int], within: float) -> set[int]:
    deadline = time.monotonic() + within
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _alive(pids)


def _stopped(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate(timeout=30)


@pytest.fixture
def two_workers() -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = _free_port()
    process = _serve(port, 2)
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        _stopped(process)


@pytest.fixture
def impatient_workers() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Two workers that count as hung after 2 s without a heartbeat (and answer a long document late)."""
    port = _free_port()
    process = _serve(port, 2, {"TEXTKIT_EXTRACT_TIMEOUT": "900"}, "--hang-timeout", "2", "--max-body-mb", "32")
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        _stopped(process)


@linux_only
@pytest.mark.slow
def test_new_connections_reach_both_workers_and_a_killed_worker_is_replaced(
        two_workers: tuple[subprocess.Popen[str], str]) -> None:
    process, url = two_workers
    workers = _wait_for_workers(process, url, 2)
    assert process.pid not in workers and workers <= _descendants(process.pid)

    killed = min(workers)
    os.kill(killed, signal.SIGKILL)
    assert not _until_gone({killed}, 30)
    replacement = _wait_for_workers(process, url, 1, excluding=workers)  # a new pid answers on the same port
    assert replacement <= _descendants(process.pid)
    assert _wait_for_workers(process, url, 2, excluding={killed}) == (workers - {killed}) | replacement
    extracted = httpx.post(f"{url}/v1/extract", json={"text": "二、抓好重点工作一要压实责任。县应急管理局要牵头,6月30日前完成。"},
                           timeout=60)
    assert extracted.status_code == 200 and extracted.json()["tasks"]
    assert "server" not in extracted.headers  # uvicorn's Server header stays off, as before


@linux_only
@pytest.mark.slow
def test_a_hung_worker_is_killed_and_replaced(impatient_workers: tuple[subprocess.Popen[str], str]) -> None:
    """A stopped process (SIGSTOP) looks from outside like a worker whose event loop hangs: it keeps its
    socket and answers nothing. The parent notices the missing heartbeat, kills it and starts another."""
    process, url = impatient_workers
    workers = _wait_for_workers(process, url, 2)
    frozen = min(workers)
    os.kill(frozen, signal.SIGSTOP)
    try:
        assert not _until_gone({frozen}, 60), "the stopped worker was not killed"
    finally:
        if _alive({frozen}):
            os.kill(frozen, signal.SIGKILL)
    replacement = _wait_for_workers(process, url, 1, excluding=workers)
    assert replacement <= _descendants(process.pid)
    output = _output(process)
    assert f"[{frozen}] has not run its event loop" in output and "(hung); killing it" in output


@linux_only
@pytest.mark.slow
def test_a_long_extraction_is_not_taken_for_a_hang(impatient_workers: tuple[subprocess.Popen[str], str]) -> None:
    """Extraction runs in the worker's threads, so the event loop keeps beating through a document that
    takes longer than the hang timeout (2 s here). 3,000,000 characters took 1.7 s compiled on an idle machine,
    so the document is 8,000,000 characters (about 24 MB: the fixture raises the body limit to 32 MB)."""
    process, url = impatient_workers
    workers = _wait_for_workers(process, url, 2)
    docs = sorted((Path(__file__).parents[1] / "corpora" / "docs").glob("*.txt"))
    speech = "\n".join(read_path(path) for path in docs)  # some are GBK on purpose
    text = "\n".join([speech] * (8_000_000 // len(speech) + 1))
    started = time.monotonic()
    response = httpx.post(f"{url}/v1/extract", json={"text": text}, timeout=900)
    took = time.monotonic() - started
    assert response.status_code == 200, response.text[:300]
    assert took > 2.0, f"the document took only {took:.1f} s: it does not test the timeout"
    assert response.json()["tasks"]
    assert _wait_for_workers(process, url, 2) == workers  # nobody was replaced
    assert "hung" not in _output(process)


@linux_only
@pytest.mark.slow
def test_sigterm_to_the_parent_stops_every_worker(two_workers: tuple[subprocess.Popen[str], str]) -> None:
    process, url = two_workers
    workers = _wait_for_workers(process, url, 2)
    family = _descendants(process.pid)  # the workers and multiprocessing's resource tracker
    assert workers <= family
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=90)[0]
    assert process.returncode == 0, output
    assert not _until_gone(family, 30), f"left running: {_alive(family)}"
    assert "Traceback" not in output
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/health", timeout=5)


@linux_only
@pytest.mark.slow
def test_workers_stop_by_themselves_when_the_parent_is_killed(two_workers: tuple[subprocess.Popen[str], str]) -> None:
    process, url = two_workers
    workers = _wait_for_workers(process, url, 2)
    family = _descendants(process.pid)
    process.kill()  # SIGKILL: the parent cannot stop them; each notices it was re-parented
    process.communicate(timeout=30)
    assert workers <= family
    assert not _until_gone(family, 60), f"orphans left running: {_alive(family)}"


@pytest.mark.parametrize("holder_reuses_port", [False, True], ids=["plain-listener", "another-reuseport-server"])
def test_a_busy_port_is_one_clear_line_and_exit_1(holder_reuses_port: bool) -> None:
    """Even a holder that would share the port (SO_REUSEPORT, same user: a second `textkit serve`) is refused."""
    if holder_reuses_port and not reuse_port_available():
        pytest.skip("no SO_REUSEPORT here")
    with socket.socket() as holder:
        if holder_reuses_port:
            holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = _serve(port, 2)
        output = process.communicate(timeout=120)[0]
    assert process.returncode == 1
    assert output.strip().splitlines() == [f"textkit: error: cannot listen on 127.0.0.1:{port}: the port is in use "
                                           "(another server listens there)"]


@linux_only
def test_a_worker_that_cannot_start_stops_the_server_with_exit_1() -> None:
    process = _serve(_free_port(), 2, {"TEXTKIT_MAX_EXTRACTIONS": "many"})
    family: set[int] = set()
    deadline = time.monotonic() + READY_WITHIN
    while process.poll() is None and time.monotonic() < deadline:  # every process it started, while it runs
        family |= _descendants(process.pid)
        time.sleep(0.05)
    output = _output(process)
    assert process.returncode == 1, output
    assert "stopped during start-up" in output and "TEXTKIT_MAX_EXTRACTIONS" in output
    assert family and not _until_gone(family, 30), f"left running: {_alive(family)}"


def test_sockets_share_one_port_and_fall_back_to_one_shared_socket() -> None:
    if reuse_port_available():
        own = listening_sockets("127.0.0.1", 0, 3)
        try:
            assert len({id(s) for s in own}) == 3
            assert len({s.getsockname()[1] for s in own}) == 1  # port 0 is picked once
            assert all(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for s in own)
        finally:
            for sock in own:
                sock.close()
    shared = listening_sockets("127.0.0.1", 0, 3, reuse_port=False)
    try:
        assert len({id(s) for s in shared}) == 1
    finally:
        shared[0].close()
