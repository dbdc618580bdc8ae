"""The HTTP face of the ledger: a read API with an OpenAPI document, a token-guarded write API and
the offline map page, all from one FastAPI app.

Design choices that matter to an operator:

* The ledger is opened lazily and without creating it: a missing or broken database answers 503
  with a JSON message naming the URL, and the server stays up and retries on the next request
  (so ``claimledger ingest`` can be run while the page is open).
* Writes are off unless a token is configured. Every write carries ``Authorization: Bearer``;
  the token is compared with :func:`hmac.compare_digest`; the body is refused (413) past
  ``max_body`` bytes before it is read in full.
* Every error is JSON (``{"error", "status"}``): tracebacks go to the server log only.
* Every response carries a Content-Security-Policy that allows scripts from this origin only
  (no inline script, no ``eval``), so even a rendering bug cannot run text from an article.
"""


import dataclasses
import datetime as dt
import hmac
import logging
import math
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from claimledger import __version__, records
from claimledger.outputs.api import models as m
from claimledger.serialise import to_dict

log = logging.getLogger("claimledger.api")

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
MAX_BODY = 2 * 1024 * 1024
ARTICLE_FIELDS = ("text", "title", "published", "url", "outlet", "id", "language")
Side = Literal[records.SIDES]  # type: ignore[valid-type]


class ApiError(Exception):
    """An error with a status and a message for the client (raised anywhere, rendered as JSON)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def _error(status: int, message: str, detail: list | None = None, headers: dict | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "status": status}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=headers)


class Ledger:
    """The store behind the app, opened on first use and reopened after a failure.

    Writes are serialised by the app (one ingest at a time); the store itself queues SQLite
    writers with ``BEGIN IMMEDIATE`` and never blocks readers.
    """

    def __init__(self, url: str | None, store: Any = None):
        self.url = url
        self._store = store
        self.lock = threading.RLock()

    def describe(self) -> str:
        return self.url or os.environ.get("CLAIMLEDGER_DB") or "sqlite:///claimledger.db"

    def _open(self, create: bool) -> Any:
        from claimledger.ledger.errors import StoreError
        from claimledger.ledger.store import Store

        try:
            return Store.open(self.url, create=create)
        except StoreError as exc:
            raise ApiError(503, f"ledger unavailable ({self.describe()}): {exc}") from None

    def call(self, fn: Callable[[Any], Any], *, create: bool = False) -> Any:
        """Run ``fn(store)``; a database failure becomes a 503, not a crash.

        The lock only guards opening: the store runs each call in its own connection and
        transaction (SQLite in WAL mode), so reads proceed in parallel on the thread pool.
        """
        from sqlalchemy.exc import SQLAlchemyError

        from claimledger.ledger.errors import StoreError

        with self.lock:
            if self._store is None:
                self._store = self._open(create)
            store = self._store
        try:
            return fn(store)
        except (StoreError, SQLAlchemyError) as exc:
            log.warning("ledger call failed: %s", exc)
            self.reset()
            raise ApiError(503, f"ledger unavailable ({self.describe()}): {exc}") from None

    def reset(self) -> None:
        with self.lock:
            store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except Exception:  # closing a broken connection may fail too; nothing to do about it
                pass


def _csp(tiles: str | None) -> str:
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
    """Outermost ASGI middleware: security headers on every response, and a JSON 500 for a crash.

    Pure ASGI rather than an exception handler, because Starlette renders handler-level 500s in
    its own outer middleware, which would skip the headers.
    """

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
            await _error(500, "internal error (see the server log)")(scope, receive, send_with_headers)


def _parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise ApiError(422, "bbox must be min_lon,min_lat,max_lon,max_lat (four numbers)")
    try:
        lo1, la1, lo2, la2 = (float(p) for p in parts)
    except ValueError:
        raise ApiError(422, "bbox must be min_lon,min_lat,max_lon,max_lat (four numbers)") from None
    if not all(math.isfinite(v) for v in (lo1, la1, lo2, la2)):
        raise ApiError(422, "bbox values must be finite numbers")
    if not (-180 <= lo1 <= lo2 <= 180 and -90 <= la1 <= la2 <= 90):
        raise ApiError(422, "bbox must satisfy -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90")
    return lo1, la1, lo2, la2


def _sources(claims: list[tuple[records.Claim, records.DocMeta]]) -> list[dict]:
    grouped: dict[tuple, dict] = {}
    for claim, _doc in claims:
        s = claim.source
        name = s.name or s.mention
        entry = grouped.setdefault((name, s.kind, s.side), {"name": name, "kind": s.kind, "side": s.side, "claims": []})
        entry["claims"].append(claim.id)
    return list(grouped.values())


def _map_point(e: records.LedgerEvent) -> dict:
    p, d = e.place, e.date
    return {"id": e.id, "lat": p.lat if p else None, "lon": p.lon if p else None,
            "date": d.start if d else None, "end": (d.end or d.start) if d else None,
            "type": e.type, "deaths": e.deaths.best if e.deaths else None,
            "high": e.deaths.high if e.deaths else None,
            "initiator": e.initiator.side if e.initiator else None,
            "target": e.target.side if e.target else None, "place": p.name if p else None}


def _default_extract(article: records.Article):
    from claimledger.runner import process

    return process(article)


def create_app(db: str | None = None, *, token: str | None = None, tiles: str | None = None,
               max_body: int = MAX_BODY, store: Any = None,
               extract: Callable[[records.Article], Any] | None = None) -> FastAPI:
    """Build the app. ``token`` None or empty leaves writes off; ``store`` injects an open Store.

    ``extract`` turns an Article into a :class:`claimledger.runner.Outcome`; the default is the
    real pipeline (:func:`claimledger.runner.process`).
    """
    ledger = Ledger(db, store)
    token = token or None
    extract = extract or _default_extract
    write_lock = threading.Lock()

    errors = {404: {"model": m.Error}, 422: {"model": m.Error}, 503: {"model": m.Error}}
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
    app.state.ledger = ledger

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return _error(exc.status, exc.message, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = "no such endpoint or file"
        return _error(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError):
        detail = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        where = ", ".join(".".join(d["loc"][1:] or d["loc"]) + ": " + d["msg"] for d in detail[:3])
        return _error(422, f"invalid request ({where})", detail)

    # ---------------------------------------------------------------- read API

    @app.get("/api/health", response_model=m.Health, tags=["meta"])
    def health() -> dict:
        """Whether the server is up and the ledger can be opened (always 200: the answer is in the body)."""
        try:
            ledger.call(lambda s: s.summary())
            state = "ok"
        except ApiError as exc:
            state = exc.message
        return {"status": "ok", "ledger": state}

    @app.get("/api/config", response_model=m.Config, tags=["meta"])
    def config() -> dict:
        return {"writes": token is not None, "tiles": tiles, "version": __version__}

    @app.get("/api/summary", response_model=m.Summary, responses={503: errors[503]}, tags=["ledger"])
    def summary() -> dict:
        """Counts of documents, claims, events and failures, and the ledger's date range."""
        return ledger.call(lambda s: dict(s.summary()))

    def _event_filters(since, until, bbox, type_, side, initiator_side, target_side, min_deaths) -> dict:
        if since and until and since > until:
            raise ApiError(422, "since is after until")
        return {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None,
                "bbox": _parse_bbox(bbox), "types": type_ or None, "side": side,
                "initiator_side": initiator_side, "target_side": target_side, "min_deaths": min_deaths}

    since_q = Query(description="events starting on or after this date (YYYY-MM-DD)")
    until_q = Query(description="events starting on or before this date (YYYY-MM-DD)")
    bbox_q = Query(description="min_lon,min_lat,max_lon,max_lat", max_length=200,
                   examples=["22,44,41,53"])
    type_q = Query(alias="type", description="ACLED sub-event type; repeat for several",
                   max_length=100)
    side_q = Query(description="initiator or target side")
    deaths_q = Query(ge=0, le=10**9, description="minimum reconciled best deaths")

    @app.get("/api/events", response_model=m.EventPage, responses=errors, tags=["ledger"])
    def list_events(
        since: Annotated[dt.date | None, since_q] = None,
        until: Annotated[dt.date | None, until_q] = None,
        bbox: Annotated[str | None, bbox_q] = None,
        type_: Annotated[list[str] | None, type_q] = None,
        side: Annotated[Side | None, side_q] = None,
        initiator_side: Annotated[Side | None, Query()] = None,
        target_side: Annotated[Side | None, Query()] = None,
        min_deaths: Annotated[int | None, deaths_q] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
        order: Annotated[Literal["date", "-date"], Query(description="date: oldest first; -date: newest first")] = "date",
    ) -> dict:
        """Ledger events matching every filter given, by start date (oldest first unless ``order=-date``;
        undated last), a page at a time. ``since``/``until`` bound the event's start date."""
        f = _event_filters(since, until, bbox, type_, side, initiator_side, target_side, min_deaths)
        items, total = ledger.call(lambda s: s.list_events(**f, limit=limit, offset=offset, order=order))
        return {"total": total, "limit": limit, "offset": offset, "items": [to_dict(e) for e in items]}

    @app.get("/api/map", response_model=m.MapData, responses=errors, tags=["ledger"])
    def map_points(
        since: Annotated[dt.date | None, since_q] = None,
        until: Annotated[dt.date | None, until_q] = None,
        bbox: Annotated[str | None, bbox_q] = None,
        type_: Annotated[list[str] | None, type_q] = None,
        side: Annotated[Side | None, side_q] = None,
        min_deaths: Annotated[int | None, deaths_q] = None,
    ) -> dict:
        """Every matching event in a compact form (no pagination): what the map page loads."""
        f = _event_filters(since, until, bbox, type_, side, None, None, min_deaths)
        items, total = ledger.call(lambda s: s.list_events(**f, limit=None, offset=0))
        return {"total": total, "items": [_map_point(e) for e in items]}

    id_path = PathParam(min_length=1, max_length=200)

    @app.get("/api/events/{event_id}", response_model=m.EventDetail, responses=errors, tags=["ledger"])
    def get_event(event_id: Annotated[str, id_path]) -> dict:
        """One event with its claims, the documents they came from, its sources, revisions and reasoning."""
        def read(s):
            event = s.get_event(event_id)
            if event is None:
                raise ApiError(404, f"no ledger event {event_id!r}")
            return event, s.event_claims(event_id)

        event, claims = ledger.call(read)
        docs: dict[str, records.DocMeta] = {}
        for _claim, doc in claims:
            docs.setdefault(doc.id, doc)
        return {"event": to_dict(event),
                "claims": [{"claim": to_dict(c), "doc": d.id} for c, d in claims],
                "documents": [to_dict(d) for d in docs.values()],
                "sources": _sources(claims)}

    @app.get("/api/documents/{doc_id}", response_model=m.Document, responses=errors, tags=["ledger"])
    def get_document(doc_id: Annotated[str, id_path]) -> dict:
        """A document's metadata and cleaned text (the text that claim evidence offsets index)."""
        found = ledger.call(lambda s: s.get_document(doc_id))
        if found is None:
            raise ApiError(404, f"no document {doc_id!r}")
        meta, body = found
        return {"doc": to_dict(meta), "text": body}

    @app.get("/api/claims", response_model=m.ClaimPage, responses=errors, tags=["ledger"])
    def list_claims(
        source: Annotated[str | None, Query(max_length=300, description="source name")] = None,
        side: Annotated[Side | None, Query(description="side of the source")] = None,
        measure: Annotated[Literal[records.MEASURES] | None, Query()] = None,  # type: ignore[valid-type]
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    ) -> dict:
        """Claims filtered by source, the source's side and measure, a page at a time."""
        items, total = ledger.call(lambda s: s.list_claims(source=source, side=side, measure=measure,
                                                          limit=limit, offset=offset))
        return {"total": total, "limit": limit, "offset": offset, "items": [to_dict(c) for c in items]}

    @app.get("/api/places", response_model=list[m.PlaceCount], responses={503: errors[503]}, tags=["ledger"])
    def list_places() -> list:
        """Distinct places of the ledger with how many events each holds."""
        return [{"place": to_dict(p), "events": n} for p, n in ledger.call(lambda s: s.list_places())]

    # ---------------------------------------------------------------- write API

    def _authorise(request: Request) -> None:
        if token is None:
            raise ApiError(403, "writes are disabled: start the server with --token or CLAIMLEDGER_TOKEN")
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
        if not ok:
            raise ApiError(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})

    async def _read_body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                raise ApiError(400, "bad Content-Length") from None
            if size > max_body:
                raise ApiError(413, f"body is {size} bytes, over the {max_body}-byte limit")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise ApiError(413, f"body is over the {max_body}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)

    def _article(body: bytes, content_type: str, published: str | None) -> records.Article:
        import json

        from claimledger.ingest.readers import InputError, article_from_json, decode, read_blob

        kind = content_type.split(";")[0].strip().lower()
        origin = "POST /api/documents"
        if kind == "application/json":
            text = decode(body, origin)
            if isinstance(text, InputError):
                raise ApiError(422, text.message)
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ApiError(422, f"malformed JSON ({exc.msg} at column {exc.colno})") from None
            if isinstance(obj, dict):
                wrong = [k for k in ARTICLE_FIELDS if obj.get(k) is not None and not isinstance(obj[k], str)]
                if wrong:
                    raise ApiError(422, f"article fields must be strings: {', '.join(wrong)}")
            item = article_from_json(obj, origin, published)
        elif kind in ("text/plain", "text/html", "application/xhtml+xml"):
            item = next(read_blob(body, origin, published, "html" if "html" in kind else "text"))
        else:
            raise ApiError(415, "send text/plain, text/html or application/json (an article object)")
        if isinstance(item, InputError):
            raise ApiError(422, item.message)
        return item

    @app.post("/api/documents", response_model=m.IngestResult, status_code=201, tags=["write"],
              responses={400: {"model": m.Error}, 401: {"model": m.Error}, 403: {"model": m.Error},
                         413: {"model": m.Error}, 415: {"model": m.Error}, 422: {"model": m.Error},
                         503: {"model": m.Error}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "text/plain": {"schema": {"type": "string"}},
                  "text/html": {"schema": {"type": "string"}},
                  "application/json": {"schema": {
                      "type": "object", "required": ["text"],
                      "properties": {k: {"type": "string"} if k == "text" else {"type": ["string", "null"]}
                                     for k in ARTICLE_FIELDS}}}}}})
    async def post_document(
        request: Request,
        published: Annotated[dt.date | None, Query(description="publication date, if the body carries none")] = None,
    ) -> dict:
        """Extract claims and events from one report and ingest them into the ledger (needs the token)."""
        from starlette.concurrency import run_in_threadpool

        _authorise(request)
        body = await _read_body(request)
        article = _article(body, request.headers.get("content-type", ""), published.isoformat() if published else None)
        return await run_in_threadpool(_ingest, article)

    def _ingest(article: records.Article) -> dict:
        # One write at a time: the spaCy pipeline is not promised thread-safe, and SQLite has one writer.
        with write_lock:
            return _extract_and_store(article)

    def _extract_and_store(article: records.Article) -> dict:
        try:
            outcome = extract(article)
        except (ImportError, SyntaxError) as exc:  # a broken install, not a bad document
            log.exception("extraction pipeline unavailable")
            raise ApiError(503, f"extraction pipeline unavailable ({type(exc).__name__})") from None
        if outcome.error or outcome.result is None:
            raise ApiError(422, outcome.error or "nothing extracted")
        result = outcome.result
        report = ledger.call(lambda s: s.ingest(result, body=outcome.body, origin="api"), create=True)
        if dataclasses.is_dataclass(report) and not isinstance(report, type):
            report = to_dict(report)
        elif not isinstance(report, dict):
            report = None
        return {"doc": to_dict(result.doc), "claims": len(result.claims), "events": len(result.events),
                "warnings": list(outcome.warnings), "report": report}

    # ---------------------------------------------------------------- the page

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(Guard, csp=_csp(tiles))
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory claimledger.outputs.api:app_from_env``: settings from the environment."""
    return create_app(os.environ.get("CLAIMLEDGER_DB"), token=os.environ.get("CLAIMLEDGER_TOKEN"),
                      tiles=os.environ.get("CLAIMLEDGER_TILES"))
