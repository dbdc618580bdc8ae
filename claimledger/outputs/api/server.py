"""Run the app under uvicorn with the bounds uvicorn lacks: a slow client cannot hold the server.

uvicorn times out idle keep-alive connections only: a client sending its headers one byte at a
time, or a body slower than any real upload, kept its connection (and a file descriptor) for ever,
and 300 of them stayed open for a minute. :class:`GuardedH11Protocol` adds

* a **header timeout**: the request line and headers must arrive within ``header_timeout``
  seconds of the connection (or of the first byte of the next request on a kept-alive one);
* a **body timeout**: the whole body within ``body_timeout`` seconds of the headers;
* a **connection limit**: past ``max_connections`` open connections a new one is answered 503
  and closed at once, before it can hold anything;

and answers these, and malformed HTTP, with the API's JSON error shape instead of plain text.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("claimledger.api")

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 60.0
MAX_CONNECTIONS = 256
KEEP_ALIVE = 5


def raw_json_response(status: int, reason: str, message: str) -> bytes:
    body = json.dumps({"error": message, "status": status}).encode()
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            "connection: close\r\nx-content-type-options: nosniff\r\n\r\n").encode() + body


def no_delay(transport) -> None:
    """Send each write at once (TCP_NODELAY). asyncio sets it on the sockets it accepts only when the
    listening socket says it is TCP; the one ``serve --workers N`` hands its workers does not, and h11
    writes a response's headers and body apart: the body then waited for the client's delayed ACK,
    44 ms on every request (a sequential client: 0.5 ms with one process, 44 ms with two)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:   # not a TCP socket after all: nothing to set
            pass


class GuardedH11Protocol(H11Protocol):
    header_timeout = HEADER_TIMEOUT
    body_timeout = BODY_TIMEOUT
    max_connections = MAX_CONNECTIONS

    def connection_made(self, transport) -> None:  # type: ignore[override]
        self._timer = None
        self._timed_cycle = None
        no_delay(transport)
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            log.warning("connection refused: %d connections open", len(self.connections))
            self._refuse(503, "Service Unavailable", "too many connections; try again shortly")
            return
        self._arm(self.header_timeout)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def data_received(self, data: bytes) -> None:
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and self._timer is None:
            self._arm(self.header_timeout)   # the next request on a kept-alive connection
        super().data_received(data)
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            return
        if cycle is not self._timed_cycle:        # its headers just arrived
            self._timed_cycle = cycle
            if cycle.more_body:
                self._arm(self.body_timeout)
            else:
                self._disarm()
        elif not cycle.more_body:                 # its body is complete
            self._disarm()

    def _too_slow(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            self._refuse(408, "Request Timeout", f"request headers not received within {self.header_timeout:g} s")
        elif cycle.more_body and not cycle.response_started:
            cycle.disconnected = True            # the app's receive() now sees a disconnect
            cycle.message_event.set()
            self._refuse(408, "Request Timeout", f"request body not received within {self.body_timeout:g} s")

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self.transport.write(raw_json_response(status, reason, message))
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "Bad Request", f"malformed HTTP request ({msg.rstrip('.')})")

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)


def protocol(header_timeout: float = HEADER_TIMEOUT, body_timeout: float = BODY_TIMEOUT,
             max_connections: int = MAX_CONNECTIONS) -> type[GuardedH11Protocol]:
    """The protocol class with these bounds (uvicorn takes a class, not an instance)."""
    return type("GuardedH11", (GuardedH11Protocol,), {"header_timeout": header_timeout,
                                                      "body_timeout": body_timeout,
                                                      "max_connections": max_connections})


def uvicorn_config(app, host: str, port: int, **bounds):
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False,
                          http=protocol(**bounds), timeout_keep_alive=KEEP_ALIVE)


FACTORY = "claimledger.outputs.api.app:app_from_env"


def settle_heap(app) -> None:
    """Leave what the server holds for good out of the collector's full passes (``gc.freeze``), now
    and again once the ledger is open (the store, SQLAlchemy's tables and statements).

    A served process holds some 120,000 objects that live as long as it does (modules, FastAPI's
    routes and models, the store); each full collection walked them all, 75-360 ms with the event
    loop stopped, four times in 20 s of the bench's load: every request waiting on that worker
    waited that long (docs/performance.md, session 16). Frozen, a full pass walks the few thousand
    objects made since: 1.3 ms. Only for a serving process: a library or a test making many apps
    would keep their garbage for good."""
    gc.freeze()
    app.state.ledger.on_open = gc.freeze


def serve(app, host: str, port: int, workers: int = 1, **bounds) -> None:
    """Serve ``app`` in this process; with ``workers`` > 1, that many worker processes on one socket
    instead, each building its own app with :func:`~claimledger.outputs.api.app.app_from_env` (so
    the settings travel in the environment, see ``claimledger serve``). One process runs one
    request's Python at a time (the GIL): a second worker is what uses a second core."""
    import uvicorn

    if workers <= 1:
        settle_heap(app)
        uvicorn.Server(uvicorn_config(app, host, port, **bounds)).run()
        return
    if bounds:   # worker processes import the protocol class by name: only the module's defaults travel
        raise ValueError("header/body timeouts and the connection limit are fixed with several workers")
    os.environ["CLAIMLEDGER_SERVE_SUPERVISOR"] = str(os.getpid())
    uvicorn.run(FACTORY, factory=True, host=host, port=port, workers=workers, log_level="warning",
                server_header=False, http=GuardedH11Protocol, timeout_keep_alive=KEEP_ALIVE)
