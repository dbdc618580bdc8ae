"""A loopback news site for the watch tests: feeds whose items appear over time, and hostile pages.

Everything is generated here (no shared data): RSS 2.0 at /rss.xml, Atom at /atom.xml, JSON Feed at
/feed.json, each listing the items "published" so far; article pages at /a/<id>.html. Feeds answer
304 to a matching If-None-Match or If-Modified-Since. Trap items: ``limited`` (429 with Retry-After
on its first request), ``flaky`` (500 on its first two), ``slow`` (answers after ``slow_seconds``
on its first request), ``huge`` (a body over any sane limit), ``gone`` (500 always), plus
/broken.xml (malformed XML with no entry to recover). /robots.txt is ``Site.robots`` with
``Site.robots_status`` (none by default: 404, which allows everything).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

TOWNS = ["Kharkiv", "Odesa", "Mykolaiv", "Zaporizhzhia", "Dnipro", "Kherson", "Sumy", "Chernihiv", "Kramatorsk",
         "Poltava", "Bakhmut", "Izium"]
STREETS = ["Shevchenko", "Franko", "Lesya Ukrainka", "Hrushevsky", "Sobornyi", "Myru", "Nauky", "Peremohy"]
THINGS = ["a pharmacy", "a bakery", "a bus depot", "a kindergarten", "a post office", "a clinic", "a library"]


def _filler(i: int) -> str:
    """Background sentences that differ every few words, so that two generated reports share few
    five-word runs (shared boilerplate would make them look like copies of one story)."""
    street, thing, other = STREETS[i % len(STREETS)], THINGS[i % len(THINGS)], THINGS[(i + 3) % len(THINGS)]
    return (f"Residents of building {10 + i} on {street} street heard {3 + i % 5} blasts before {4 + i % 3} a.m., "
            f"and {i + 5} workers from {thing} nearby cleared rubble until {9 + i % 4} o'clock near {other}. "
            f"Officials in district {i % 9 + 1} {('closed', 'shut', 'suspended')[i % 3]} {('schools', 'classes', 'lessons')[i % 3]} "
            f"for {2 + i % 6} days while {('engineers', 'inspectors', 'surveyors')[i % 3]} checked "
            f"{('buildings', 'homes', 'blocks')[i % 3]} on {street} street.")


def report_text(i: int) -> str:
    town = TOWNS[i % len(TOWNS)]
    return (f"{2 + i % 13} people were killed and {1 + i % 7} wounded when a missile hit {town} on Monday, "
            f"regional officials said. The strike number {i} damaged a school and several homes. {_filler(i)}")


def page(title: str, body: str, site: str = "Loopback News", published: str = "2022-05-02") -> bytes:
    paras = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
    return (f"<!doctype html><html><head><title>{escape(title)}</title>"
            f'<meta property="og:site_name" content="{escape(site)}">'
            f'<meta property="article:published_time" content="{published}T08:00:00Z">'
            f"</head><body><nav>Home | World | Sport</nav><article><h1>{escape(title)}</h1>{paras}</article>"
            f"<footer>Copyright Loopback News</footer></body></html>").encode()


class Site:
    """What the server serves; tests change it while it runs (``visible``, ``items``)."""

    def __init__(self, n_items: int = 0, *, per_second: float = 0.0, slow_seconds: float = 3.0):
        self.items: list[dict] = [{"id": f"r{i:03d}", "title": f"Missile strike {i}", "text": report_text(i),
                                   "site": "Loopback News", "published": f"2022-05-{1 + i % 28:02d}"}
                                  for i in range(n_items)]
        self.start = time.monotonic()
        self.per_second = per_second      # items appearing per second (0: all visible at once)
        self.visible_override: int | None = None
        self.slow_seconds = slow_seconds
        self.hits: Counter = Counter()
        self.lock = threading.Lock()
        self.robots: str | None = None
        self.robots_status = 200

    def visible(self) -> list[dict]:
        if self.visible_override is not None:
            n = self.visible_override
        elif self.per_second:
            n = 1 + int((time.monotonic() - self.start) * self.per_second)
        else:
            n = len(self.items)
        return self.items[:n]

    def add_trap(self, kind: str) -> None:
        self.items.append({"id": kind, "title": f"Trap {kind}", "text": report_text(100 + len(self.items)),
                           "site": "Loopback News", "published": "2022-05-03"})


def _rss(items: list[dict], base: str) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Loopback News</title>'
           f"<link>{base}/</link><description>test</description>"]
    for it in items:
        when = email.utils.format_datetime(dt.datetime.fromisoformat(it["published"] + "T08:00:00+00:00"))
        out.append(f"<item><title>{escape(it['title'])}</title><link>{base}/a/{it['id']}.html</link>"
                   f'<guid isPermaLink="false">{it["id"]}</guid><pubDate>{when}</pubDate></item>')
    out.append("</channel></rss>")
    return "".join(out).encode()


def _atom(items: list[dict], base: str) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
           f"<title>Loopback Atom</title><id>{base}/atom</id><updated>2022-05-03T00:00:00Z</updated>"]
    for it in items:
        out.append(f"<entry><title>{escape(it['title'])}</title><id>atom-{it['id']}</id>"
                   f'<link href="{base}/a/{it["id"]}.html"/><updated>{it["published"]}T08:00:00Z</updated></entry>')
    out.append("</feed>")
    return "".join(out).encode()


def _json_feed(items: list[dict], base: str) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Loopback JSON",
                       "items": [{"id": f"json-{it['id']}", "url": f"{base}/a/{it['id']}.html", "title": it["title"],
                                  "date_published": it["published"] + "T08:00:00Z"} for it in items]}).encode()


FEEDS = {"/rss.xml": (_rss, "application/rss+xml"), "/atom.xml": (_atom, "application/atom+xml"),
         "/feed.json": (_json_feed, "application/feed+json")}


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        site = self.site
        path = self.path.split("?")[0]
        with site.lock:
            site.hits[path] += 1
            hits = site.hits[path]
        base = f"http://{self.headers['Host']}"
        if path in FEEDS:
            make, ctype = FEEDS[path]
            body = make(site.visible(), base)
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers={"ETag": etag})
                return
            self._send(200, body, ctype, {"ETag": etag})
            return
        if path == "/robots.txt":
            if site.robots is None:
                self._send(404, b"no robots.txt")
            else:
                self._send(site.robots_status, site.robots.encode(), "text/plain")
            return
        if path == "/broken.xml":
            self._send(200, b"<?xml version='1.0'?><rss><channel><item><title>unclosed", "application/rss+xml")
            return
        if path.startswith("/a/") and path.endswith(".html"):
            self._article(path[3:-5], hits)
            return
        self._send(404, b"not found")

    def _article(self, item_id: str, hits: int) -> None:
        site = self.site
        it = next((x for x in site.items if x["id"] == item_id), None)
        if it is None:
            self._send(404, b"no such article")
            return
        if item_id == "limited" and hits == 1:
            self._send(429, b"slow down", headers={"Retry-After": "1"})
            return
        if item_id == "flaky" and hits <= 2:
            self._send(500, b"oops")
            return
        if item_id == "gone":
            self._send(500, b"always broken")
            return
        if item_id == "slow" and hits == 1:
            time.sleep(site.slow_seconds)
        if item_id == "huge":
            self._send(200, b"<html><body><p>" + b"x" * 3_000_000 + b"</p></body></html>")
            return
        self._send(200, page(it["title"], it["text"], it["site"], it["published"]))


class Server:
    def __init__(self, site: Site):
        handler = type("BoundHandler", (Handler,), {"site": site})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.site = site
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
