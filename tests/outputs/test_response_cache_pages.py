"""A list page kept across commits with its total counted again (``changes.PageTest``, the cache's
``recount``): after random ingests, every answer of the remembering server equals, byte for byte,
the answer of a server that remembers nothing, and the recount path is the one that served many."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient
from ledger.factory import PLACES, Doc, num

from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app

TOWNS = [t for t, (_lat, _lon, _a, precision) in PLACES.items() if precision == "point"]
TYPES = ["Shelling/artillery/missile attack", "Air/drone strike", "Armed clash"]


def _report(rng: random.Random, n: int, day: str | None = None, town: str | None = None) -> Doc:
    day = day or f"2022-{rng.randrange(3, 12):02d}-{rng.randrange(1, 29):02d}"
    d = Doc(f"page-{n}", day).event(type=rng.choice(TYPES), date=day if rng.random() > 0.05 else None,
                                    place_name=town or rng.choice(TOWNS),
                                    initiator=rng.choice(["russia", "ukraine"]), target="ukraine")
    return d.claim(f"{rng.randrange(1, 30)} people were killed", num(rng.randrange(1, 30)))


def _pages(rng: random.Random) -> list[dict]:
    """Pages of small lists, so that most are full and most ingests fall outside their window."""
    out = []
    for _ in range(8):
        p: dict = {"limit": rng.choice([1, 2, 3, 5]), "order": rng.choice(["date", "-date", "date", "deaths"])}
        if rng.random() < 0.4:
            p["offset"] = rng.randrange(0, 6)
        if rng.random() < 0.3:
            p["since"] = "2022-06-01"
        if rng.random() < 0.3:
            p["type"] = rng.choice(TYPES)
        if rng.random() < 0.2:
            p["bbox"] = "29,45,34,51"   # the west of the country: Kyiv, Odesa, Mykolaiv, Kremenchuk
        if rng.random() < 0.2:
            p["side"] = "russia"
        out.append(p)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_pages_with_a_new_total_equal_an_uncached_server(tmp_path, seed):
    rng = random.Random(seed)
    url = f"sqlite:///{tmp_path / 'l.db'}"
    n = 0
    with Store.open(url) as s:
        for n in range(25):
            d = _report(rng, n)
            s.ingest(d.build(), body=d.body)
    pages = _pages(rng)
    encodings = ["gzip", "identity"]
    with TestClient(create_app(url)) as cached, TestClient(create_app(url, response_cache=False)) as fresh:
        for _round in range(12):
            for p in pages:
                for enc in encodings:
                    cached.get("/api/events", params=p, headers={"Accept-Encoding": enc})
            with Store.open(url) as s:
                for _ in range(rng.randrange(1, 3)):
                    n += 1
                    # late dates mostly (outside the oldest-first windows); now and then the same day and
                    # town as an earlier report (an event rewritten in place, or merged away)
                    again = rng.random() < 0.2
                    d = _report(rng, n, day="2022-03-05" if again else f"2022-11-{rng.randrange(1, 29):02d}",
                                town="Kyiv" if again else None)
                    s.ingest(d.build(), body=d.body)
            for p in pages:
                for enc in encodings:
                    got = cached.get("/api/events", params=p, headers={"Accept-Encoding": enc})
                    want = fresh.get("/api/events", params=p, headers={"Accept-Encoding": enc})
                    assert got.status_code == want.status_code == 200
                    assert got.content == want.content, (p, enc)
                    assert got.headers.get("content-encoding") == want.headers.get("content-encoding")
                    assert int(got.headers["content-length"]) == len(got.read()) or enc == "gzip"
        cache = cached.app.state.response_cache
        assert cache.recounted > 0, "no page was kept with a new total"


def test_a_recounted_page_keeps_its_tag_only_if_its_total_did_not_move(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    rng = random.Random(5)
    with Store.open(url) as s:
        for n in range(6):
            d = _report(rng, n, day=f"2022-04-{n + 1:02d}", town=TOWNS[n % len(TOWNS)])
            s.ingest(d.build(), body=d.body)
    with TestClient(create_app(url)) as c:
        first = c.get("/api/events", params={"limit": 2})
        with Store.open(url) as s:   # a later event: after the page's window, so only the total moves
            d = _report(rng, 99, day="2022-12-01", town="Odesa")
            s.ingest(d.build(), body=d.body)
        second = c.get("/api/events", params={"limit": 2})
        assert second.json()["items"] == first.json()["items"]
        assert second.json()["total"] == first.json()["total"] + 1
        assert second.headers["etag"] != first.headers["etag"]
        assert c.app.state.response_cache.recounted == 1 and c.app.state.response_cache.misses == 1
        with Store.open(url) as s:   # an earlier one: inside the window, the page is made again
            d = _report(rng, 100, day="2022-01-01", town="Odesa")
            s.ingest(d.build(), body=d.body)
        third = c.get("/api/events", params={"limit": 2})
        assert third.json()["items"][0]["date"]["start"] == "2022-01-01"
        assert c.app.state.response_cache.misses == 2
