"""The server bounds slow and hostile clients and answers them in JSON (a real uvicorn, real sockets)."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest
from web_fixtures import LiveServer

TOKEN = "s" * 32


def _connect(server: LiveServer) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return s


def _response(s: socket.socket) -> tuple[int, dict]:
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


@pytest.fixture(scope="module")
def bounded(tmp_path_factory):
    from claimledger.outputs.api import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('limits') / 'l.db'}"
    with LiveServer(create_app(url, token=TOKEN), header_timeout=1.0, body_timeout=1.0, max_connections=8) as srv:
        yield srv


def test_headers_sent_one_byte_at_a_time_time_out_with_408_json(bounded):
    s = _connect(bounded)
    start = time.monotonic()
    try:
        for ch in b"GET /api/health HTTP/1.1\r\nHost: x\r\n" * 3:
            try:
                s.send(bytes([ch]))
            except (BrokenPipeError, ConnectionResetError):
                break            # the server closed it: what it said is waiting to be read
            time.sleep(0.05)
        status, body = _response(s)
    finally:
        s.close()
    assert status == 408 and "headers" in body["error"]
    assert time.monotonic() - start < 5


def test_a_body_slower_than_the_limit_is_408_and_not_an_unhandled_error(bounded, caplog):
    s = _connect(bounded)
    with caplog.at_level(logging.INFO, logger="claimledger.api"):
        try:
            s.send(f"POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                   "Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nSome".encode())
            status, body = _response(s)
        finally:
            s.close()
        time.sleep(0.3)
    assert status == 408 and "body" in body["error"]
    assert not [r for r in caplog.records if "unhandled" in r.getMessage()]


def test_a_client_that_disconnects_mid_upload_is_not_an_unhandled_error(bounded, caplog):
    with caplog.at_level(logging.INFO, logger="claimledger.api"):
        s = _connect(bounded)
        s.send(f"POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
               "Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n".encode() + b"x" * 5000)
        time.sleep(0.2)
        s.close()
        time.sleep(0.5)
    assert not [r for r in caplog.records if "unhandled" in r.getMessage() or r.levelno >= logging.ERROR]


def test_connections_past_the_limit_are_refused_with_503_json(bounded):
    held = [_connect(bounded) for _ in range(8)]
    try:
        time.sleep(0.2)
        extra = _connect(bounded)
        status, body = _response(extra)
        extra.close()
    finally:
        for s in held:
            s.close()
    assert status == 503 and "too many connections" in body["error"]
    time.sleep(1.5)   # the held ones time out; the server answers again
    s = _connect(bounded)
    s.send(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert _response(s)[0] == 200
    s.close()


@pytest.mark.parametrize("raw", [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
                                 b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n"])
def test_malformed_http_is_answered_in_json(bounded, raw):
    s = _connect(bounded)
    s.send(raw)
    status, body = _response(s)
    s.close()
    assert status == 400 and body["error"].startswith("malformed HTTP request")


def test_static_serves_the_page_assets_but_not_the_build_scripts(bounded):
    import httpx

    assert httpx.get(f"{bounded.url}/static/app.js").status_code == 200
    for path in ("tools/build_places.py", "tools/vendor.sh", "__init__.py", "vendor/README.md",
                 "tools/../tools/screenshot.py"):
        r = httpx.get(f"{bounded.url}/static/{path}")
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/json"), path
