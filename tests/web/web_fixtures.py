"""Invented reports (no real article text) and the DocResults an extractor would make of them.

They are built by hand so that the web tests exercise the real store, API and page without
depending on the extractor's current accuracy: six events at well-separated places between
January and April 2023, one event reported twice (so the ledger merges two documents and records a
revision), and one hostile document whose every string is an HTML/script injection attempt.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request

from claimledger.records import (
    Actor,
    Claim,
    DateSpan,
    Deaths,
    DocMeta,
    DocResult,
    Event,
    Evidence,
    Place,
    Quantity,
    Source,
    Span,
    Subject,
    doc_id,
)

PLACES = {
    "Kharkiv": (706483, 49.9935, 36.2304, "Kharkiv"),
    "Kyiv": (703448, 50.4547, 30.5238, "Kyiv City"),
    "Odesa": (698740, 46.4775, 30.7326, "Odesa"),
    "Bakhmut": (712451, 48.5946, 38.0006, "Donetsk"),
    "Lviv": (702550, 49.8383, 24.0232, "Lviv"),
    "Kherson": (706448, 46.6354, 32.6169, "Kherson"),
    "Zaporizhzhia": (687700, 47.8229, 35.1903, "Zaporizhzhia"),
}

SHELLING = ("Shelling/artillery/missile attack", "Explosions/Remote violence")
AIR = ("Air/drone strike", "Explosions/Remote violence")
CLASH = ("Armed clash", "Battles")

TOKEN = "test-token-0123456789abcdef"


def build_ledger(path, docs) -> str:
    """A ledger file at ``path`` holding ``docs`` (DocResult, body) pairs; returns its URL."""
    from claimledger.ledger.store import Store

    url = f"sqlite:///{path}"
    store = Store.open(url)
    try:
        for result, body in docs:
            store.ingest(result, body=body, origin="fixture")
    finally:
        store.close()
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn on 127.0.0.1 in a thread; ``url`` is its base address."""

    def __init__(self, app, **bounds):
        import uvicorn

        from claimledger.outputs.api.server import uvicorn_config

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", self.port, **bounds))  # as `serve` runs it
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


XSS_TITLE = 'Strike report <img src=x onerror="window.__xss=\'title\'">'
XSS_URL = "javascript:window.__xss='url'"
XSS_SOURCE = "<img src=x onerror=\"window.__xss='source'\">Regional office"


def _place(name: str, mention: str | None = None, label: str | None = None) -> Place:
    gid, lat, lon, admin1 = PLACES[name]
    return Place(mention=mention or name, name=label or name, geonameid=gid, lat=lat, lon=lon, country="UA",
                 admin1=admin1, precision="point", evidence=Span(0, 0))


class _Doc:
    """Builds one DocResult: claims point at real substrings of the body, as the contract demands."""

    def __init__(self, body: str, published: str, title: str, outlet: str = "Example Wire", url: str | None = None):
        self.body = body
        self.meta = DocMeta(id=doc_id(body), title=title, url=url, outlet=outlet, published=published)
        self.claims: list[Claim] = []
        self.events: list[Event] = []

    def claim(self, evidence: str, number: str, *, source: str | None, side: str, kind: str = "official",
              measure: str = "killed", value: float | None = None, lo: float | None = None,
              hi: float | None = None, approximate: bool = False, subject: str = "civilians",
              subject_side: str = "ukraine", stance: str = "asserted", day: str | None = None,
              place: Place | None = None) -> Claim:
        start = self.body.index(evidence)
        claim = Claim(
            id=f"{self.meta.id}:{len(self.claims)}",
            evidence=Evidence(evidence, start, start + len(evidence)),
            source=Source(mention=source, name=source, kind=kind if source else "unattributed", side=side),
            stance=stance, measure=measure,
            quantity=Quantity(number, value, value if lo is None else lo, value if hi is None else hi, approximate),
            subject=Subject(subject, "civilians" if subject == "civilians" else "military", subject_side),
            date=DateSpan(None, day, day) if day else None, place=place)
        self.claims.append(claim)
        return claim

    def event(self, kind: tuple[str, str], day: str, place: Place, deaths: tuple | None, claims: list[Claim],
              initiator: str | None = "russia", target: str | None = "ukraine") -> Event:
        names = {"russia": "Russian forces", "ukraine": "Ukrainian forces"}
        ev = Event(id=f"{self.meta.id}:e{len(self.events)}", type=kind[0], event_type=kind[1],
                   date=DateSpan(None, day, day), place=place,
                   initiator=Actor(names.get(initiator), initiator) if initiator else None,
                   target=Actor(names.get(target, "civilians"), target) if target else None,
                   deaths=Deaths(*deaths) if deaths else None, claims=[c.id for c in claims])
        for c in claims:
            c.event = ev.id
        self.events.append(ev)
        return ev

    def result(self) -> tuple[DocResult, str]:
        places = []
        for e in self.events:
            if e.place and e.place not in places:
                places.append(e.place)
        return DocResult(doc=self.meta, claims=self.claims, events=self.events, places=places), self.body


def documents() -> list[tuple[DocResult, str]]:
    """Six ledger events from seven documents (Kharkiv is reported twice)."""
    out = []

    d = _Doc("Three people were killed when shells hit a market in Kharkiv on Tuesday, the regional "
             "governor said. Russian forces fired from across the border.", "2023-01-11",
             "Shelling kills three in Kharkiv")
    c = d.claim("Three people were killed when shells hit a market in Kharkiv on Tuesday", "Three",
                source="Kharkiv regional governor", side="ukraine", value=3, day="2023-01-10")
    d.event(SHELLING, "2023-01-10", _place("Kharkiv"), (3, 3, 3), [c])
    out.append(d.result())

    d = _Doc("The death toll from Tuesday's shelling of a Kharkiv market has risen to five, the regional "
             "governor said on Wednesday. Moscow's defence ministry said about 20 Ukrainian soldiers died "
             "in the area.", "2023-01-12", "Kharkiv market toll rises to five")
    c1 = d.claim("The death toll from Tuesday's shelling of a Kharkiv market has risen to five", "five",
                 source="Kharkiv regional governor", side="ukraine", value=5, day="2023-01-10")
    c2 = d.claim("Moscow's defence ministry said about 20 Ukrainian soldiers died", "about 20",
                 source="Russian Ministry of Defence", side="russia", kind="government", value=20, lo=None,
                 hi=None, approximate=True, subject="Ukrainian soldiers", day="2023-01-10")
    d.event(SHELLING, "2023-01-10", _place("Kharkiv"), (5, 5, 20), [c1, c2])
    out.append(d.result())

    d = _Doc("Air defence shot down 18 of 20 drones over Kyiv overnight, the city administration said. "
             "One man was killed by falling debris.", "2023-02-05", "Drones over Kyiv")
    c1 = d.claim("Air defence shot down 18 of 20 drones over Kyiv overnight", "18", source="Kyiv city administration",
                 side="ukraine", measure="intercepted", value=18, subject="drones", subject_side="russia",
                 day="2023-02-05")
    c2 = d.claim("One man was killed by falling debris", "One", source=None, side="unknown", value=1,
                 day="2023-02-05")
    d.event(AIR, "2023-02-05", _place("Kyiv"), (1, 1, 1), [c1, c2])
    out.append(d.result())

    d = _Doc("A missile struck a residential building in Odesa, killing two people, the regional "
             "military administration said.", "2023-02-20", "Missile hits Odesa building")
    c = d.claim("A missile struck a residential building in Odesa, killing two people", "two",
                source="Odesa regional military administration", side="ukraine", value=2, day="2023-02-20")
    d.event(SHELLING, "2023-02-20", _place("Odesa"), (2, 2, 2), [c])
    out.append(d.result())

    d = _Doc("Russia's defence ministry claimed more than 60 Ukrainian servicemen were killed near Bakhmut. "
             "Kyiv said dozens of Russian troops died in the same fighting.", "2023-03-15",
             "Fighting near Bakhmut")
    c1 = d.claim("Russia's defence ministry claimed more than 60 Ukrainian servicemen were killed near Bakhmut",
                 "more than 60", source="Russian Ministry of Defence", side="russia", kind="government",
                 value=60, lo=61, hi=None, subject="Ukrainian servicemen", stance="asserted", day="2023-03-14")
    c2 = d.claim("Kyiv said dozens of Russian troops died in the same fighting", "dozens",
                 source="Ukrainian General Staff", side="ukraine", kind="military", value=None, lo=24, hi=99,
                 approximate=True, subject="Russian troops", subject_side="russia", day="2023-03-14")
    d.event(CLASH, "2023-03-14", _place("Bakhmut"), (12, 24, 61), [c1, c2], initiator=None, target=None)
    out.append(d.result())

    d = _Doc("Drones hit an energy facility near Lviv, the governor said. Nobody was hurt, and three of "
             "the drones were shot down.", "2023-04-02", "Drone strike near Lviv")
    c = d.claim("three of the drones were shot down", "three", source="Lviv governor", side="ukraine",
                measure="intercepted", value=3, subject="drones", subject_side="russia", day="2023-04-02")
    d.event(AIR, "2023-04-02", _place("Lviv"), None, [c])
    out.append(d.result())

    d = _Doc("Four people died in Russian shelling of Kherson on Sunday, the regional administration "
             "said.", "2023-04-24", "Kherson shelled")
    c = d.claim("Four people died in Russian shelling of Kherson on Sunday", "Four",
                source="Kherson regional administration", side="ukraine", value=4, day="2023-04-23")
    d.event(SHELLING, "2023-04-23", _place("Kherson"), (4, 4, 4), [c])
    out.append(d.result())
    return out


def hostile_document() -> tuple[DocResult, str]:
    """Every string a page might show carries an injection attempt that sets ``window.__xss``."""
    body = ("<script>window.__xss='script'</script> Two people were killed in Zaporizhzhia "
            "<img src=x onerror=\"window.__xss='img'\"> on Monday, officials said. "
            "<a href=\"javascript:window.__xss='link'\">Read more</a> "
            "<svg onload=\"window.__xss='svg'\"></svg>")
    d = _Doc(body, "2023-03-06", XSS_TITLE, outlet="<b onmouseover=\"window.__xss='outlet'\">Wire</b>", url=XSS_URL)
    c = d.claim("Two people were killed in Zaporizhzhia <img src=x onerror=\"window.__xss='img'\"> on Monday",
                "Two", source=XSS_SOURCE, side="ukraine", value=2, day="2023-03-06")
    d.event(SHELLING, "2023-03-06", _place("Zaporizhzhia", label="Zaporizhzhia <img src=x onerror=\"window.__xss='place'\">"),
            (2, 2, 2), [c])
    return d.result()


Doc = _Doc   # public name for other test modules' own documents (tests/web/test_web_page*.py)


# Reading the page and the API from a browser test (shared by the map and the page tests).
def api(server, path: str):
    with urllib.request.urlopen(server.url + path, timeout=10) as r:
        return json.loads(r.read())


def open_page(page, url: str):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    return page


def shown(page) -> int:
    return int(page.get_attribute("#map", "data-shown"))
