"""Every error the API gives is JSON (``{"error", "status"}``): one shape for clients and for the page.

Handlers for FastAPI's own errors (unknown route, failed validation) are installed here so that no
plain-text or HTML error page is ever sent; tracebacks go to the server log only.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    """An error with a status and a message for the client (raised anywhere, rendered as JSON)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, extra: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers
        self.extra = extra   # more members of the JSON body (e.g. ``merged_into``)


def error_response(status: int, message: str, detail: list | None = None, headers: dict | None = None,
                   extra: dict | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "status": status, **(extra or {})}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=headers)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, headers=exc.headers, extra=exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = "no such endpoint or file"
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError):
        detail = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        where = ", ".join(".".join(d["loc"][1:] or d["loc"]) + ": " + d["msg"] for d in detail[:3])
        return error_response(422, f"invalid request ({where})", detail)
