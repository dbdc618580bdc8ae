"""The map page at ``/`` and its static files under ``/static/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

WEB_DIR = Path(__file__).resolve().parent.parent.parent / "web"
router = APIRouter()


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


class WebFiles(StaticFiles):
    """The page's assets only: the web folder also holds build scripts (``tools/``), a Python
    package marker and vendored READMEs, none of which a visitor needs or should read."""

    SERVED = (".css", ".js", ".json", ".png", ".svg", ".ico", ".woff", ".woff2")

    def lookup_path(self, path: str):
        parts = Path(path).parts
        if not path.lower().endswith(self.SERVED) or "tools" in parts or any(p.startswith((".", "_")) for p in parts):
            raise HTTPException(404)
        return super().lookup_path(path)


def static_files() -> WebFiles:
    return WebFiles(directory=WEB_DIR)
