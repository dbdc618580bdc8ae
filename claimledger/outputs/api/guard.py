"""Outermost ASGI middleware: security headers on every response, and a JSON 500 for a crash.

Every response carries a Content-Security-Policy that allows scripts from this origin only (no
inline script, no ``eval``), so even a rendering bug cannot run text from an article.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from claimledger.outputs.api.errors import error_response

log = logging.getLogger("claimledger.api")


def csp(tiles: str | None) -> str:
    img = "'self' data:"
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "a"))
        if parts.scheme in ("http", "https") and parts.netloc:
            host = tiles.split("/")[2].replace("{s}", "*")
            img += f" {parts.scheme}://{host}"
    return ("default-src 'none'; script-src 'self'; style-src 'self'; "
            f"img-src {img}; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'; object-src 'none'")


class Guard:
    """Pure ASGI rather than an exception handler, because Starlette renders handler-level 500s in
    its own outer middleware, which would skip the headers."""

    def __init__(self, app, csp: str):
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # half a response is out: nothing better to do than drop the connection
            await error_response(500, "internal error (see the server log)")(scope, receive, send_with_headers)
