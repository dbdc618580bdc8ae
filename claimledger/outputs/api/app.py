"""The HTTP face of the ledger: a read API with an OpenAPI document, a token-guarded write API and
the offline map page, all from one FastAPI app assembled from one router per concern
(:mod:`claimledger.outputs.api.routes`).

Design choices that matter to an operator:

* The ledger is opened lazily and without creating it: a missing or broken database answers 503
  with a JSON message naming the URL, and the server stays up and retries on the next request
  (so ``claimledger ingest`` can be run while the page is open).
* Writes are off unless a token is configured (:mod:`~claimledger.outputs.api.routes.documents`).
* Every error is JSON (``{"error", "status"}``, :mod:`~claimledger.outputs.api.errors`):
  tracebacks go to the server log only.
* Every response carries a Content-Security-Policy (:mod:`~claimledger.outputs.api.guard`).
* Reads are remembered until the ledger changes, with ETags (:mod:`~claimledger.outputs.api.cache`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from claimledger import __version__, records
from claimledger.outputs.api import models as m
from claimledger.outputs.api.cache import CacheMiddleware, ResponseCache, version_source
from claimledger.outputs.api.errors import install_handlers
from claimledger.outputs.api.guard import Guard, csp
from claimledger.outputs.api.gzipjoin import PagePacker
from claimledger.outputs.api.ledger import MAX_BODY, Ledger, Settings, default_extract
from claimledger.outputs.api.routes import claims, documents, events, exports, meta, page, reviews

GZIP_MINIMUM = 2048   # bytes: a smaller answer is sent as it is

ROUTERS = (meta.router, events.router, documents.router, claims.router, exports.router, reviews.router, page.router)


def create_app(db: str | None = None, *, token: str | None = None, tiles: str | None = None,
               max_body: int = MAX_BODY, store: Any = None,
               extract: Callable[[records.Article], Any] | None = None, response_cache: bool = True) -> FastAPI:
    """Build the app. ``token`` None or empty leaves writes off; ``store`` injects an open Store;
    ``response_cache`` False computes every answer (:mod:`~claimledger.outputs.api.cache`).

    ``extract`` turns an Article into a :class:`claimledger.runner.Outcome`; the default is the
    real pipeline (:func:`claimledger.runner.process`).
    """
    app = FastAPI(
        title="claimledger",
        version=__version__,
        description="Source-attributed, geocoded, reconciled event ledger built from war reporting. "
                    "Read endpoints are open; POST /api/documents needs `Authorization: Bearer <token>` "
                    "and is off unless the server was started with a token.",
        docs_url=None, redoc_url=None,  # Swagger UI loads scripts from a CDN: no internet here, and CSP forbids it
        openapi_url="/api/openapi.json",
        responses={500: {"model": m.Error}},
    )
    ledger = Ledger(db, store)
    app.state.ledger = ledger
    app.state.settings = Settings(ledger=ledger, token=token or None, tiles=tiles, max_body=max_body,
                                  extract=extract or default_extract)
    install_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", page.static_files(), name="static")
    # level 1, not 5: a page of 100 events (95 KB of JSON) compresses in 0.27 ms instead of 0.49 ms, to
    # 10.4 KB instead of 8.7 KB; on a busy server the CPU counts more than the 20%
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=1)
    app.state.page_packer = PagePacker(GZIP_MINIMUM)   # list pages, gzipped from their rows' pieces (routes/events.py)
    app.add_middleware(Guard, csp=csp(tiles))
    # outermost: a remembered answer is sent with its security headers and compressed body as they were
    source = version_source(getattr(store, "url", None) or ledger.describe()) if response_cache else None
    app.state.response_cache = ResponseCache(source)
    app.add_middleware(CacheMiddleware, cache=app.state.response_cache)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory claimledger.outputs.api:app_from_env`` and the workers of ``claimledger
    serve --workers N``: settings from the environment, the heap settled (``server.settle_heap``). A
    worker of ``serve`` dies with the process that started it (``CLAIMLEDGER_SERVE_SUPERVISOR``): a
    ``kill -9`` of ``serve`` must not leave workers holding the port."""
    supervisor = os.environ.get("CLAIMLEDGER_SERVE_SUPERVISOR")
    if supervisor and supervisor.isdigit() and int(supervisor) != os.getpid():
        from claimledger.scale.lifetime import die_with_parent

        die_with_parent(int(supervisor))
    from claimledger.outputs.api.server import settle_heap

    max_body = os.environ.get("CLAIMLEDGER_MAX_BODY", "")
    app = create_app(os.environ.get("CLAIMLEDGER_DB"), token=os.environ.get("CLAIMLEDGER_TOKEN"),
                     tiles=os.environ.get("CLAIMLEDGER_TILES"),
                     max_body=int(max_body) if max_body.isdigit() else MAX_BODY,
                     response_cache=os.environ.get("CLAIMLEDGER_RESPONSE_CACHE") != "0")
    settle_heap(app)
    return app
