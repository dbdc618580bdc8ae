"""Turn paths (files, folders, ``-``) into :class:`Article` records, one bad input at a time.

Readers never raise for a user's bad file: they yield an :class:`InputError` naming the input and
go on, so one broken article in a batch of 10,000 costs that article only.
"""

from __future__ import annotations

import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator

from claimledger.errors import InputError
from claimledger.ingest.safe import parse_json, storable
from claimledger.records import Article

MAX_BYTES = 20 * 1024 * 1024  # no news article is this long; larger inputs are refused, not parsed
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
GZ_SUFFIXES = tuple(s + ".gz" for s in JSONL_SUFFIXES)
READABLE = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + GZ_SUFFIXES


def decode(data: bytes, origin: str) -> str | InputError:
    if not data.strip():
        return InputError(origin, "empty input, nothing to extract")
    if b"\x00" in data[:4096]:
        return InputError(origin, "looks like a binary file (NUL bytes), not text or HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(origin, f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8")
    printable = sum(ch.isprintable() or ch.isspace() for ch in text[:4096])
    if printable < 0.9 * min(len(text), 4096):
        return InputError(origin, "looks like binary junk (mostly unprintable characters)")
    return text


def article_from_json(obj: object, origin: str, published: str | None) -> Article | InputError:
    if not isinstance(obj, dict):
        return InputError(origin, "JSON line is not an object with a \"text\" field")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(origin, "article has no \"text\"")
    fields = {}
    for key in ("id", "title", "published", "outlet", "url", "language"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str | int):
            return InputError(origin, f"article field \"{key}\" must be a string, not {type(value).__name__}")
        fields[key] = None if value is None else storable(str(value))
    return Article(text=storable(text), id=fields["id"], title=fields["title"],
                   published=fields["published"] or published, outlet=fields["outlet"], url=fields["url"],
                   language=fields["language"] or "en", origin=origin)


def _read_jsonl(lines: Iterable[bytes], origin: str, published: str | None) -> Iterator[Article | InputError]:
    for n, raw in enumerate(lines, 1):
        where = f"{origin}:{n}"
        if not raw.strip():
            continue
        if len(raw) > MAX_BYTES:
            yield InputError(where, f"line is {len(raw) // 1_000_000} MB, over the {MAX_BYTES // 1_000_000} MB limit")
            continue
        try:
            obj = parse_json(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield InputError(where, "not valid UTF-8")
            continue
        if isinstance(obj, str):
            yield InputError(where, obj)
            continue
        yield article_from_json(obj, where, published)


def _read_html(text: str, origin: str, published: str | None) -> Article | InputError:
    from claimledger.ingest.html import html_to_article

    return html_to_article(text, origin, published)


def read_path(path: str, published: str | None = None) -> Iterator[Article | InputError]:
    """Articles from one file, a folder (recursively, sorted) or ``-`` (stdin, text or JSONL)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        if data.lstrip().startswith(b"{"):
            yield from _read_jsonl(data.splitlines(), "<stdin>", published)
            return
        yield from read_blob(data, "<stdin>", published, kind="text")
        return
    if os.path.isdir(path):
        found = False
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.startswith(".") or not name.lower().endswith(READABLE):
                    continue
                found = True
                yield from read_path(os.path.join(root, name), published)
        if not found:
            yield InputError(path, "folder holds no .txt, .html, .jsonl or .jsonl.gz files")
        return
    if not os.path.exists(path):
        yield InputError(path, "no such file or folder")
        return
    lower = path.lower()
    try:
        size = os.path.getsize(path)
        if lower.endswith(JSONL_SUFFIXES + GZ_SUFFIXES):
            opener = _open_gz if lower.endswith(".gz") else open
            with opener(path, "rb") as fh:
                yield from _read_jsonl(fh, path, published)
            return
        if size > MAX_BYTES:
            yield InputError(path, f"file is {size // 1_000_000} MB, over the {MAX_BYTES // 1_000_000} MB limit "
                                   "for one article (split it, or use JSONL for batches)")
            return
        with open(path, "rb") as fh:
            data = fh.read()
    except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt .gz fails mid-read
        yield InputError(path, f"cannot read ({getattr(exc, 'strerror', None) or exc or type(exc).__name__})")
        return
    kind = "html" if lower.endswith(HTML_SUFFIXES) else "text"
    yield from read_blob(data, path, published, kind)


def _open_gz(path: str, mode: str):
    import gzip

    return gzip.open(path, mode)


def read_blob(data: bytes, origin: str, published: str | None, kind: str) -> Iterator[Article | InputError]:
    if len(data) > MAX_BYTES:
        yield InputError(origin, f"input is {len(data) // 1_000_000} MB, over the {MAX_BYTES // 1_000_000} MB limit")
        return
    text = decode(data, origin)
    if isinstance(text, InputError):
        yield text
        return
    if kind == "html" or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        yield _read_html(text, origin, published)
        return
    if published is None:
        # "wire-2022-05-03.txt": a date in the file name is the publication date
        m = re.search(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", os.path.basename(origin))
        published = m.group(1) if m else None
    yield Article(text=storable(text), published=published, origin=origin, title_in_text=True)


def read_paths(paths: Iterable[str], published: str | None = None) -> Iterator[Article | InputError]:
    for path in paths:
        yield from read_path(path, published)
