"""A request's headers must arrive within a time limit: uvicorn's HTTP protocol with a header timeout.

uvicorn closes idle keep-alive connections, but a client that opens a
connection and sends its headers a byte at a time (slowloris) is held open
forever: 300 such connections stayed open in issue 18. ``textkit serve`` runs
uvicorn with :class:`HeaderTimeoutProtocol` (``http="textkit.http_timeouts:HeaderTimeoutProtocol"``),
which closes a connection whose request line and headers are not complete
``TEXTKIT_HEADER_TIMEOUT`` seconds (default 10) after it opened or after its
last response. Slow bodies are the service's own :class:`textkit.service.BodyLimit`'s concern.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_ENV = "TEXTKIT_HEADER_TIMEOUT"
DEFAULT_HEADER_TIMEOUT = 10.0


def header_timeout() -> float:
    raw = os.environ.get(HEADER_TIMEOUT_ENV)
    try:
        return float(raw) if raw else DEFAULT_HEADER_TIMEOUT
    except ValueError:
        raise ValueError(f"{HEADER_TIMEOUT_ENV}={raw!r} is not a number of seconds") from None


class HeaderTimeoutProtocol(H11Protocol):
    """H11Protocol that drops a connection whose next request's headers take too long."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:  # headers in: a request is running
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()  # the next request on this keep-alive connection gets the same limit

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(header_timeout(), self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()
