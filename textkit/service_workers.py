"""``textkit serve``'s worker processes: one listening socket each, watched over by the parent.

uvicorn's own ``workers=N`` lets every worker accept from one shared socket,
and a client's keep-alive connection stays with whichever worker accepted it:
with 8 clients, one worker often took all eight while the other idled (issue 15:
2 workers gave 0.99x or 1.79x one worker's requests/s, run to run). Here the
parent binds one socket per worker on the same address with ``SO_REUSEPORT``,
and Linux hands each new connection to one of them by a hash of its addresses,
independently of which worker is awake first.

The parent keeps the sockets and starts one spawned process per socket running
``uvicorn.Server(config).run(sockets=[sock])``. It replaces a worker that dies
after start-up (the dead worker's socket is closed and a fresh one bound, so new
connections go to the living workers meanwhile), stops every worker on SIGINT or
SIGTERM, and gives up with an error when a worker dies during start-up (a new
one would fail the same way). A worker whose parent disappears, even by SIGKILL,
shuts itself down, so none is left behind. Where ``SO_REUSEPORT`` does not
spread connections (outside Linux), all workers share one socket, as uvicorn's
do, and the parent says so when it starts. A worker that hangs without dying
(its event loop blocked, or the process stopped) stops beating: each worker's loop
writes the time into shared memory every second, and the parent kills a worker
whose beat is older than ``hang_timeout`` and starts another. Extraction runs in
the worker's threads, so a long document does not stop the beat; a thread stuck
in one document is the request timeout's business (503), not a hang.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.synchronize import Event
from types import FrameType
from typing import Any

from textkit.errors import ServiceError

__all__ = ["WORKER_ENV", "listening_sockets", "reuse_port_available", "run"]

WORKER_ENV = "TEXTKIT_WORKER"  # set in each worker: its slot number (0, 1, …), for logs
STOP_GRACE = 30.0  # seconds a worker gets to finish its requests after SIGTERM before it is killed
HANG_TIMEOUT = 60.0  # seconds without a heartbeat after which a started worker counts as hung
BEAT_EVERY = 1.0  # seconds between a worker's heartbeats
log = logging.getLogger("uvicorn.error")  # the parent's lines look like the workers' (uvicorn's format)

multiprocessing.allow_connection_pickling()  # sockets travel to spawned workers as duplicated descriptors


def reuse_port_available() -> bool:
    """Whether several sockets can listen on one address with the kernel spreading connections over them:
    Linux (3.9+). macOS and the BSDs have ``SO_REUSEPORT`` without the spreading, Windows not at all."""
    if not sys.platform.startswith("linux") or not hasattr(socket, "SO_REUSEPORT"):
        return False
    with socket.socket() as probe:
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        except OSError:
            return False
    return True


def listening_sockets(host: str, port: int, count: int, *, reuse_port: bool | None = None) -> list[socket.socket]:
    """``count`` sockets bound to ``host:port`` (one socket shared ``count`` times without ``SO_REUSEPORT``).

    A port held by any other socket is a :class:`ServiceError`, even one that
    would share it (``SO_REUSEPORT`` from the same user, e.g. a second
    ``textkit serve``): the probe binds without the option first. Port 0 picks a
    free port once; every socket gets the same one. Not listening yet: each worker
    listens when its start-up is done, so no connection waits for a worker still
    loading its model.
    """
    reuse_port = reuse_port_available() if reuse_port is None else reuse_port
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    probe = _bound(family, host, port, reuse_port=False)
    if not reuse_port:
        return [probe] * count
    port = probe.getsockname()[1]
    probe.close()
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(_bound(family, host, port, reuse_port=True))
    except ServiceError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _bound(family: socket.AddressFamily, host: str, port: int, *, reuse_port: bool) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a port in TIME_WAIT is free
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "the port is in use (another server listens there)" if _in_use(exc) else exc.strerror or str(exc)
        raise ServiceError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def _in_use(exc: OSError) -> bool:
    import errno

    return exc.errno == errno.EADDRINUSE


# --- a worker process ---------------------------------------------------------------------------


def _worker(slot: int, sock: socket.socket, ready: Event, beat: ctypes.c_double, parent: int,
            config: dict[str, Any]) -> None:
    """One uvicorn server on its own socket (the target of a spawned process)."""
    import uvicorn

    os.environ[WORKER_ENV] = str(slot)
    # Until uvicorn installs its own handlers, and again when it re-raises the signal after a graceful
    # shutdown: leave quietly (exit 0), not with a KeyboardInterrupt traceback or death by signal.
    signal.signal(signal.SIGTERM, _leave)
    signal.signal(signal.SIGINT, _leave)
    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:  # listening, and no request handled yet (no await since): the parent may count on us
                beat.value = time.monotonic()
                self.beating = asyncio.ensure_future(_beat(self, beat))  # a reference, so it is not collected
                ready.set()

    server = Server(uvicorn.Config(**config))
    threading.Thread(target=_watch, args=(server, parent), daemon=True, name="textkit-watch").start()
    server.run(sockets=[sock])


async def _beat(server: Any, beat: ctypes.c_double) -> None:
    """Write the time (CLOCK_MONOTONIC, one clock for every process) while the event loop runs: a loop that
    stops running stops the beat, which is what the parent watches."""
    while not server.should_exit:
        beat.value = time.monotonic()
        await asyncio.sleep(BEAT_EVERY)


def _leave(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _watch(server: Any, parent: int) -> None:
    """Stop the server if the parent is gone (no orphans)."""
    while not server.should_exit:
        if os.getppid() != parent:  # re-parented: the supervisor died without stopping us
            server.should_exit = True
            return
        time.sleep(0.25)


# --- the parent -----------------------------------------------------------------------------------


@dataclass
class _Slot:
    """One worker's place: its socket and, while it runs, its process and start-up flag."""

    index: int
    sock: socket.socket
    process: SpawnProcess | None = None
    ready: Event | None = None
    beat: ctypes.c_double | None = None  # the worker's last heartbeat (time.monotonic)


class Supervisor:
    """Starts ``len(sockets)`` workers, replaces those that die, and stops them all on a signal."""

    def __init__(self, sockets: list[socket.socket], config: dict[str, Any], *, rebind: tuple[str, int] | None,
                 hang_timeout: float = HANG_TIMEOUT) -> None:
        self.context: SpawnContext = multiprocessing.get_context("spawn")
        self.slots = [_Slot(i, sock) for i, sock in enumerate(sockets)]
        self.config = config
        self.rebind = rebind  # (host, port) when each worker has its own socket; None: one shared socket
        self.hang_timeout = hang_timeout
        self.stopping = False
        self.signals = 0

    def run(self) -> int:
        """Until a signal (exit code 0) or a worker that cannot start (1)."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for slot in self.slots:
                self._start(slot)
            return self._watch()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for sock in {id(s.sock): s.sock for s in self.slots}.values():
                sock.close()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        self.signals += 1

    def _start(self, slot: _Slot) -> None:
        slot.ready = self.context.Event()
        slot.beat = self.context.Value("d", 0.0, lock=False)  # one writer: no lock
        slot.process = self.context.Process(
            target=_worker, args=(slot.index, slot.sock, slot.ready, slot.beat, os.getpid(), self.config),
            name=f"textkit-worker-{slot.index}", daemon=True)
        slot.process.start()

    def _watch(self) -> int:
        while not self.stopping:
            sentinels = [s.process.sentinel for s in self.slots if s.process is not None]
            multiprocessing.connection.wait(sentinels, timeout=0.5)  # a signal wakes it within 0.5 s
            for slot in self.slots:
                process = slot.process
                if self.stopping or process is None:
                    continue
                if process.is_alive():
                    self._kill_if_hung(slot, process)
                    continue
                process.join()
                if slot.ready is None or not slot.ready.is_set():
                    log.error("textkit: worker %d [%s] stopped during start-up (exit code %s); stopping the server",
                              slot.index, process.pid, process.exitcode)
                    return 1
                log.warning("textkit: worker %d [%s] exited (code %s); starting another", slot.index, process.pid,
                            process.exitcode)
                self._replace_socket(slot)
                self._start(slot)
        return 0

    def _kill_if_hung(self, slot: _Slot, process: SpawnProcess) -> None:
        """SIGKILL a started worker whose heartbeat is older than ``hang_timeout``; the next round of the
        watch finds it dead and starts another (its socket replaced, so new connections stop going to it)."""
        if slot.ready is None or slot.beat is None or not slot.ready.is_set():
            return  # still starting: start-up has its own failure path
        silent = time.monotonic() - slot.beat.value
        if silent > self.hang_timeout:
            log.error("textkit: worker %d [%s] has not run its event loop for %.0f s (hung); killing it",
                      slot.index, process.pid, silent)
            process.kill()
            process.join(5)

    def _replace_socket(self, slot: _Slot) -> None:
        """Close a dead worker's own socket and bind a fresh one: new connections go to the living workers
        until the new one listens, instead of waiting in a queue nobody reads."""
        if self.rebind is None:
            return
        slot.sock.close()
        host, port = self.rebind
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        slot.sock = _bound(family, host, port, reuse_port=True)

    def _stop_all(self) -> None:
        running = [s.process for s in self.slots if s.process is not None and s.process.is_alive()]
        for process in running:
            process.terminate()  # SIGTERM: uvicorn finishes the requests in progress, then exits
        deadline = time.monotonic() + STOP_GRACE
        for process in running:
            while process.is_alive() and time.monotonic() < deadline and self.signals < 2:
                process.join(0.2)  # a second Ctrl+C (or SIGTERM) stops waiting
            if process.is_alive():
                process.kill()
                process.join(5)


def run(host: str, port: int, workers: int, config: dict[str, Any], *, hang_timeout: float = HANG_TIMEOUT) -> int:
    """Serve ``config`` (uvicorn.Config's arguments, without host and port) on ``host:port`` with
    ``workers`` processes, replacing one that dies or hangs ``hang_timeout`` seconds; the exit code.
    Raises :class:`ServiceError` if the address is taken."""
    import uvicorn

    uvicorn.Config(**config)  # the parent's log lines in uvicorn's format; a bad option fails here, once
    reuse = workers > 1 and reuse_port_available()
    sockets = listening_sockets(host, port, workers, reuse_port=reuse)
    port = sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    how = ("one listening socket each (SO_REUSEPORT: the kernel spreads new connections)" if reuse else
           "sharing one listening socket" + ("" if workers == 1 else
                                             " (no SO_REUSEPORT here: a kept-alive client stays on one worker)"))
    log.info("textkit serve: http://%s:%d, %d worker%s, %s (Press CTRL+C to quit)", shown, port, workers,
             "s" * (workers > 1), how)
    return Supervisor(sockets, config, rebind=(host, port) if reuse else None, hang_timeout=hang_timeout).run()
