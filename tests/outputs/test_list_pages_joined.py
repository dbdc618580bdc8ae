"""List pages made again from what the server keeps: the rows' JSON by id (``Store.keep_rows``) and
their deflate pieces (``gzipjoin.PagePacker``). After random ingests (new events, reports merged into
old ones) and rewrites of events behind the server, every page it serves decodes (CRC and length
checked) to the bytes a new server that keeps nothing sends; and the packer's stream is the page's."""

from __future__ import annotations

import gzip
import random
import sqlite3

import pytest
from fastapi.testclient import TestClient
from ledger.factory import PLACES, Doc, num

from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app
from claimledger.outputs.api.gzipjoin import PagePacker

TOWNS = [t for t, (_lat, _lon, _a, precision) in PLACES.items() if precision == "point"]
TYPES = ["Shelling/artillery/missile attack", "Air/drone strike", "Armed clash"]


def _report(rng: random.Random, n: int) -> Doc:
    day = f"2022-{rng.randrange(3, 6):02d}-{rng.randrange(1, 29):02d}"
    d = Doc(f"joined-{n}", day).event(type=rng.choice(TYPES), date=day if rng.random() > 0.05 else None,
                                      place_name=rng.choice(TOWNS), initiator=rng.choice(["russia", "ukraine"]),
                                      target="ukraine")
    return d.claim(f"{rng.randrange(1, 30)} people were killed", num(rng.randrange(1, 30)))


def _ingest(url: str, rng: random.Random, first: int, n: int) -> None:
    with Store.open(url) as s:
        for i in range(first, first + n):
            d = _report(rng, i)
            s.ingest(d.build(), body=d.body)


PAGES = [{"limit": 12}, {"limit": 12, "offset": 5}, {"limit": 15, "offset": 11}, {"limit": 10, "order": "-date"},
         {"limit": 20, "type": TYPES[0]}, {"limit": 10, "order": "deaths", "offset": 3}, {"limit": 9, "side": "russia"}]


def _afresh(url: str, params: dict) -> bytes:
    app = create_app(url, response_cache=False)
    app.state.page_packer = None
    with TestClient(app) as fresh:
        r = fresh.get("/api/events", params=params, headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200 and "content-encoding" not in r.headers
        return r.content


@pytest.mark.parametrize("seed", [1, 2])
def test_pages_made_again_from_kept_rows_and_pieces_equal_a_new_server(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "l.db"
    url = f"sqlite:///{path}"
    _ingest(url, rng, 0, 40)
    app = create_app(url)
    with TestClient(app) as served:
        for step in range(8):
            for params in PAGES:
                r = served.get("/api/events", params=params, headers={"Accept-Encoding": "gzip"})
                assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
                expected = _afresh(url, params)
                assert r.content == expected, (seed, step, params)
                with served.stream("GET", "/api/events", params=params, headers={"Accept-Encoding": "gzip"}) as raw:
                    assert gzip.decompress(b"".join(raw.iter_raw())) == expected   # CRC and length too
            _ingest(url, rng, 100 + 10 * step, rng.randrange(1, 5))
            if step % 3 == 1:   # another writer rewrites some events' JSON behind the server
                with sqlite3.connect(path) as db:
                    db.execute("UPDATE ledger_events SET data = replace(data, '\"deaths\": ', '\"deaths\":  ') "
                               "WHERE id IN (SELECT id FROM ledger_events ORDER BY random() LIMIT 8)")
                    db.execute("UPDATE ledger_state SET generation = generation + 1")
    assert app.state.page_packer.made > 0
    assert app.state.ledger._store._kept.used > 0


def test_the_packers_stream_is_the_page():
    rng = random.Random(4)
    rows = [f'{{"id": "e{i}", "place": "{rng.choice(["Kharkiv", "Київ", "Odesa"])}", "n": {rng.randrange(99)}}}'
            for i in range(60)]
    packer = PagePacker()
    for offset in (0, 7, 3, 0, 20):
        items = rows[offset:offset + 30]
        head = f'{{"total": 60, "offset": {offset}, "items": ['
        body = packer.gzipped(head, items, "]}")
        assert gzip.decompress(body) == (head + ", ".join(items) + "]}").encode()
    made = packer.made
    assert packer.gzipped("[", rows[0:30], "]") is not None and packer.made == made   # the same runs: no new piece
    rows[12] = rows[12].replace('"n": ', '"n":  ')   # a changed row is new pieces for it and the rows after it
    assert gzip.decompress(packer.gzipped("[", rows[0:30], "]")) == ("[" + ", ".join(rows[0:30]) + "]").encode()
    assert packer.made == made + 1 + PagePacker.CONTEXT
    assert packer.gzipped("[", rows[:PagePacker.CONTEXT], "]") is None


def test_a_short_page_is_left_to_the_app_as_before():
    rows = [f'{{"id": "e{i}"}}' for i in range(20)]
    assert PagePacker(2048).gzipped("[", rows, "]") is None
    assert gzip.decompress(PagePacker().gzipped("[", rows, "]")) == ("[" + ", ".join(rows) + "]").encode()
