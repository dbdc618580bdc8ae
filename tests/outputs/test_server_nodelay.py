"""``serve --workers N``: the workers' sockets send at once (TCP_NODELAY), as one process's do.

asyncio sets TCP_NODELAY on an accepted socket only when the listening socket reports the TCP
protocol; the listening socket uvicorn binds for its workers is made as ``socket.socket(AF_INET,
SOCK_STREAM)`` and reports protocol 0 (one process lets asyncio make its own), and h11 writes a response's headers and body apart: every answer waited for the client's
delayed ACK (44 ms a request from a sequential client with two workers, 0.5 ms with one).
"""

from __future__ import annotations

import asyncio
import socket

from claimledger.outputs.api.server import no_delay


def _accepted_nodelay(fix: bool) -> int:
    """TCP_NODELAY of a connection asyncio accepted on a listening socket made as uvicorn makes the
    workers' (``uvicorn.Config.bind_socket``)."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    seen = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport):
            if fix:
                no_delay(transport)
            sock = transport.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def run():
        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname())
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()

    try:
        asyncio.run(run())
    finally:
        listening.close()
    return seen[0]


def test_asyncio_leaves_nagle_on_for_a_socket_made_as_uvicorns_workers_get_it():
    """The premise: without no_delay the accepted socket keeps Nagle's algorithm on."""
    assert _accepted_nodelay(fix=False) == 0


def test_no_delay_turns_it_on():
    assert _accepted_nodelay(fix=True) == 1


def test_no_delay_leaves_other_transports_alone():
    class Unix:
        def get_extra_info(self, name):
            return socket.socket(socket.AF_UNIX) if name == "socket" else None

    class NoSocket:
        def get_extra_info(self, name):
            return None

    no_delay(Unix())
    no_delay(NoSocket())
