"""Documents: read one (metadata and the cleaned text evidence offsets index), or post a report.

Writes are off unless a token is configured. Every write carries ``Authorization: Bearer``; the
token is compared with :func:`hmac.compare_digest`; the body is refused (413) past ``max_body``
bytes before it is read in full.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.requests import ClientDisconnect

from claimledger import records
from claimledger.errors import InputError
from claimledger.ledger.identity import input_hash
from claimledger.outputs.api import models as m
from claimledger.outputs.api.errors import ApiError
from claimledger.outputs.api.ledger import Settings, settings
from claimledger.outputs.api.params import ERRORS, id_path
from claimledger.serialise import to_dict

log = logging.getLogger("claimledger.api")
router = APIRouter()
Cfg = Annotated[Settings, Depends(settings)]
ARTICLE_FIELDS = ("text", "title", "published", "url", "outlet", "id", "language")
ORIGIN = "POST /api/documents"


@router.get("/api/documents/{doc_id}", response_model=m.Document, responses=ERRORS, tags=["ledger"])
def get_document(cfg: Cfg, doc_id: Annotated[str, id_path]) -> dict:
    """A document's metadata and cleaned text (the text that claim evidence offsets index)."""
    found = cfg.ledger.call(lambda s: s.get_document(doc_id))
    if found is None:
        raise ApiError(404, f"no document {doc_id!r}")
    meta, body = found
    return {"doc": to_dict(meta), "text": body}


def authorise(cfg: Settings, request: Request) -> None:
    if cfg.token is None:
        raise ApiError(403, "writes are disabled: start the server with --token or CLAIMLEDGER_TOKEN")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), cfg.token.encode())
    if not ok:
        raise ApiError(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


async def _read_body(request: Request, max_body: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError(400, "bad Content-Length") from None
        if size > max_body:
            raise ApiError(413, f"body is {size} bytes, over the {max_body}-byte limit")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise ApiError(413, f"body is over the {max_body}-byte limit")
            chunks.append(chunk)
    except ClientDisconnect:   # nobody is left to answer; not a server error either
        log.info("client disconnected during the upload to %s", ORIGIN)
        raise ApiError(400, "the client disconnected before the body was complete") from None
    return b"".join(chunks)


def _article(body: bytes, content_type: str, published: str | None) -> records.Article:
    from claimledger.ingest.readers import article_from_json, decode, read_blob
    from claimledger.ingest.safe import parse_json

    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        text = decode(body, ORIGIN)
        if isinstance(text, InputError):
            raise ApiError(422, text.message)
        obj = parse_json(text)
        if isinstance(obj, str):
            raise ApiError(422, obj)
        if isinstance(obj, dict):
            wrong = [k for k in ARTICLE_FIELDS if obj.get(k) is not None and not isinstance(obj[k], str)]
            if wrong:
                raise ApiError(422, f"article fields must be strings: {', '.join(wrong)}")
        item = article_from_json(obj, ORIGIN, published)
    elif kind in ("text/plain", "text/html", "application/xhtml+xml"):
        item = next(read_blob(body, ORIGIN, published, "html" if "html" in kind else "text"))
    else:
        raise ApiError(415, "send text/plain, text/html or application/json (an article object)")
    if isinstance(item, InputError):
        raise ApiError(422, item.message)
    return item


_WRITE_ERRORS = {code: {"model": m.Error} for code in (400, 401, 403, 413, 415, 422, 503)}
_BODY_SCHEMA = {"requestBody": {"required": True, "content": {
    "text/plain": {"schema": {"type": "string"}},
    "text/html": {"schema": {"type": "string"}},
    "application/json": {"schema": {
        "type": "object", "required": ["text"],
        "properties": {k: {"type": "string"} if k == "text" else {"type": ["string", "null"]}
                       for k in ARTICLE_FIELDS}}}}}}


@router.post("/api/documents", response_model=m.IngestResult, status_code=201, tags=["write"],
             responses=_WRITE_ERRORS, openapi_extra=_BODY_SCHEMA)
async def post_document(
    cfg: Cfg,
    request: Request,
    published: Annotated[dt.date | None, Query(description="publication date, if the body carries none")] = None,
) -> dict:
    """Extract claims and events from one report and ingest them into the ledger (needs the token)."""
    from starlette.concurrency import run_in_threadpool

    authorise(cfg, request)
    body = await _read_body(request, cfg.max_body)
    article = _article(body, request.headers.get("content-type", ""), published.isoformat() if published else None)
    return await run_in_threadpool(_ingest, cfg, article)


def _ingest(cfg: Settings, article: records.Article) -> dict:
    # One write at a time: the spaCy pipeline is not promised thread-safe, and SQLite has one writer.
    with cfg.write_lock:
        return _extract_and_store(cfg, article)


def _extract_and_store(cfg: Settings, article: records.Article) -> dict:
    try:
        outcome = cfg.extract(article)
    except (ImportError, SyntaxError) as exc:  # a broken install, not a bad document
        log.exception("extraction pipeline unavailable")
        raise ApiError(503, f"extraction pipeline unavailable ({type(exc).__name__})") from None
    if outcome.error or outcome.result is None:
        raise ApiError(422, outcome.error or "nothing extracted")
    result = outcome.result
    source_id = article.id
    try:
        report = cfg.ledger.call(lambda s: s.ingest(result, body=outcome.body, origin="api", source_id=source_id,
                                                    input_hash=input_hash(article.text)), create=True)
    except ValueError as exc:   # a value the ledger cannot hold (an over-long field): this document's fault
        raise ApiError(422, f"could not be stored ({exc})") from None
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        report = to_dict(report)
    elif not isinstance(report, dict):
        report = None
    return {"doc": to_dict(result.doc), "claims": len(result.claims), "events": len(result.events),
            "warnings": list(outcome.warnings), "report": report}
