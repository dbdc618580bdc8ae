"""``claimledger serve``: the ledger's read API, token-guarded write API and offline map page."""

from __future__ import annotations

import argparse
import os

from claimledger.outputs.cli.main import UserError


def register(sub) -> None:
    p = sub.add_parser(
        "serve", help="serve the ledger as an HTTP API and a map page",
        description="Serve the ledger: a read API (OpenAPI document at /api/openapi.json), a write API for "
                    "posting reports (off unless a token is set), and a map page at / that works offline.",
        epilog="The server binds to 127.0.0.1 unless --host says otherwise; anyone who can reach the port can "
               "read the ledger. Writes need `Authorization: Bearer TOKEN` on every request.\n\n"
               "examples:\n"
               "  claimledger serve --db sqlite:///ledger.db\n"
               "  CLAIMLEDGER_TOKEN=$(openssl rand -hex 16) claimledger serve --port 8080\n"
               "  claimledger serve --tiles 'https://tiles.example.org/{z}/{x}/{y}.png'",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", metavar="URL", help="ledger database URL (default: $CLAIMLEDGER_DB or "
                                               "sqlite:///claimledger.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    p.add_argument("--token", help="enable writes with this bearer token (default: $CLAIMLEDGER_TOKEN; "
                                   "prefer the variable: a flag shows in the process list)")
    p.add_argument("--tiles", metavar="URL", help="tile URL template for a background map, e.g. "
                                                  "https://tiles.example.org/{z}/{x}/{y}.png (default: "
                                                  "$CLAIMLEDGER_TILES or none: offline country outlines)")
    p.add_argument("--max-body", type=int, default=2 * 1024 * 1024, metavar="BYTES",
                   help="largest POST body accepted (default: %(default)s)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="server processes (default 1); one process answers one request's Python at a time, "
                        "so N up to the number of cores answers about N times as many")
    p.add_argument("--no-response-cache", action="store_true",
                   help="compute every answer: by default a read is remembered until the ledger file changes "
                        "and sent again with an ETag (SQLite only; to measure or to rule the cache out)")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        from claimledger.outputs.api import create_app
        from claimledger.outputs.api.server import serve
    except ImportError as exc:
        raise UserError(f"serve needs the web extra: pip install 'claimledger[web]' ({exc})") from None
    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port} is not a port number (1-65535)")
    token = args.token or os.environ.get("CLAIMLEDGER_TOKEN") or None
    if token is not None and len(token) < 16:
        raise UserError("the token is shorter than 16 characters; use a long random one (openssl rand -hex 16)")
    tiles = args.tiles or os.environ.get("CLAIMLEDGER_TILES") or None
    if tiles and not tiles.startswith(("http://", "https://")):
        raise UserError("--tiles must be an http(s) URL template with {z}, {x} and {y}")
    if args.workers < 1:
        raise UserError(f"--workers {args.workers}: give 1 or more")
    if args.workers > 1:   # each worker builds its own app from these (server.serve, app_from_env)
        os.environ.update({k: v for k, v in (("CLAIMLEDGER_DB", args.db), ("CLAIMLEDGER_TOKEN", token),
                                             ("CLAIMLEDGER_TILES", tiles),
                                             ("CLAIMLEDGER_MAX_BODY", str(args.max_body)),
                                             ("CLAIMLEDGER_RESPONSE_CACHE", "0" if args.no_response_cache else "1"))
                               if v})
        from claimledger.outputs.api.server import FACTORY
        app = FACTORY
    else:
        app = create_app(args.db, token=token, tiles=tiles, max_body=args.max_body,
                         response_cache=not args.no_response_cache)
    writes = "on (bearer token required)" if token else "off (no token)"
    print(f"claimledger serve: http://{args.host}:{args.port}/  writes {writes}", flush=True)
    try:
        serve(app, args.host, args.port, workers=args.workers)   # with header/body timeouts and a connection limit
    except OSError as exc:
        raise UserError(f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})") from None
    return 0
