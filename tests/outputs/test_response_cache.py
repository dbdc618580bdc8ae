"""Remembered answers (outputs/api/cache.py): sent again while the ledger is unchanged, never after a
write, whoever wrote (the API, another connection, another process), and revalidated by ETag."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ledger.factory import Doc, num

from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app
from claimledger.outputs.api.cache import SqliteVersion, version_source

from .test_api_inputs import AUTH, TOKEN, fake_extract

ROOT = Path(__file__).resolve().parents[2]


def _doc(i: int) -> Doc:
    day = f"2022-05-{1 + i:02d}"
    d = Doc(f"cache-{i}", day).event(date=day, place_name=["Kyiv", "Kharkiv", "Odesa"][i % 3])
    d.claim(f"{i + 1} people were killed", num(i + 1))
    return d


def _ingest(url: str, *numbers: int) -> None:
    with Store.open(url) as s:
        for i in numbers:
            d = _doc(i)
            s.ingest(d.build(), body=d.body)


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    _ingest(url, 0, 1, 2)
    return url


@pytest.fixture
def client(url):
    with TestClient(create_app(url, token=TOKEN, extract=fake_extract)) as c:
        yield c


def _cache(client):
    return client.app.state.response_cache


def test_a_repeated_read_is_the_remembered_answer_with_its_etag(client):
    first = client.get("/api/events", params={"limit": 2})
    again = client.get("/api/events", params={"limit": 2})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.json()["total"] == 3
    assert _cache(client).hits == 1 and _cache(client).misses == 1
    assert again.headers["etag"] == first.headers["etag"] and first.headers["cache-control"] == "no-cache"
    assert "default-src 'none'" in again.headers["content-security-policy"]   # the security headers stay


def test_an_unchanged_answer_is_304_to_its_etag_and_200_to_another(client):
    tag = client.get("/api/events").headers["etag"]
    same = client.get("/api/events", headers={"If-None-Match": tag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == tag
    assert client.get("/api/events", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/api/events", headers={"If-None-Match": f'"x", W/{tag}'}).status_code == 304
    # a first request that names the current answer's tag gets the 304 too (a second worker, a restart)
    fresh = client.get("/api/events?limit=100", headers={"If-None-Match": client.get("/api/events?limit=100")
                                                         .headers["etag"]})
    assert fresh.status_code == 304


def test_a_write_by_another_connection_is_seen_by_the_next_read(client, url):
    """What ``claimledger ingest`` does beside a running server: the list, the detail of an event the
    write changed, the map and the facets are all read again."""
    before = client.get("/api/events").json()
    tag = client.get("/api/events").headers["etag"]
    event = before["items"][0]["id"]
    detail = client.get(f"/api/events/{event}").json()
    assert client.get(f"/api/events/{event}").json() == detail
    hits = _cache(client).hits
    assert hits == 2
    _ingest(url, 3, 4)
    after = client.get("/api/events", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.json()["total"] == 5
    assert len(client.get("/api/map").json()["items"]) == 5
    # a report of the same event (same day and town) changes the event's detail
    d = Doc("cache-again", "2022-05-01").event(date="2022-05-01", place_name="Kyiv")
    d.claim("7 people were killed", num(7))
    with Store.open(url) as s:
        s.ingest(d.build(), body=d.body)
    changed = client.get(f"/api/events/{event}")
    if changed.status_code == 200:
        assert len(changed.json()["documents"]) == len(detail["documents"]) + 1
    else:   # the new report merged the event into another one: the old id says where it went
        assert changed.status_code == 307
    assert _cache(client).hits == hits


def test_a_write_by_another_process_is_seen_by_the_next_read(client, url):
    client.get("/api/events")
    assert client.get("/api/events").json()["total"] == 3 and _cache(client).hits == 1
    code = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']; "
            "from outputs.test_response_cache import _ingest; _ingest(sys.argv[2], 5)")
    subprocess.run([sys.executable, "-c", code, str(ROOT), url], check=True, timeout=120,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert client.get("/api/events").json()["total"] == 4


def test_a_write_through_the_api_is_seen_by_the_next_read(client):
    assert client.get("/api/summary").json()["documents"] == 3
    assert client.get("/api/summary").json()["documents"] == 3 and _cache(client).hits == 1
    r = client.post("/api/documents", json={"text": "Five people were killed in Kramatorsk.", "id": "api-1",
                                            "published": "2022-06-01"}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert client.get("/api/summary").json()["documents"] == 4
    assert client.get("/api/events", params={"since": "2022-06-01"}).json()["total"] == 1


def test_reads_racing_writes_never_see_an_older_ledger(client, url):
    """After each write returns, every read shows it: five rounds of write, then read twice."""
    client.get("/api/events")
    for n in range(5):
        _ingest(url, 10 + n)
        for _ in range(2):
            assert client.get("/api/events").json()["total"] == 4 + n
    assert _cache(client).hits == 5


def test_errors_writes_and_uncacheable_paths_are_not_remembered(client):
    for _ in range(2):
        assert client.get("/api/events/nope").status_code == 404
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/events", params={"limit": 0}).status_code == 422
    assert _cache(client).hits == 0
    assert "etag" not in client.get("/api/health").headers


def test_compressed_and_plain_answers_are_remembered_apart(client):
    zipped = [client.get("/api/events", headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
    plain = [client.get("/api/events", headers={"Accept-Encoding": "identity"}) for _ in range(2)]
    assert zipped[1].json() == plain[1].json() == plain[0].json()
    assert _cache(client).hits == 2
    assert zipped[1].headers["content-encoding"] == "gzip" and "content-encoding" not in plain[1].headers
    assert zipped[0].headers["etag"] != plain[0].headers["etag"]


def test_the_version_moves_on_a_commit_and_on_a_new_file(tmp_path):
    path = tmp_path / "v.db"
    _ingest(f"sqlite:///{path}", 0)
    version = SqliteVersion(str(path))
    first = version()
    assert first is not None and version() == first
    _ingest(f"sqlite:///{path}", 1)
    second = version()
    assert second != first and version() == second
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    assert version() is None                       # no file: nothing remembered
    _ingest(f"sqlite:///{path}", 2)                 # another ledger at the same path
    third = version()
    assert third is not None and third[0] != second[0]


def test_only_a_sqlite_file_is_remembered(tmp_path):
    assert version_source(f"sqlite:///{tmp_path / 'x.db'}") is not None
    assert version_source("sqlite://") is None and version_source("sqlite:///:memory:") is None
    assert version_source("postgresql+psycopg://u@localhost/db") is None
    assert version_source("not a url") is None


def test_on_postgresql_every_read_is_computed(pg_url):
    _ingest(pg_url, 0)
    with TestClient(create_app(pg_url)) as c:
        assert c.get("/api/events").json()["total"] == c.get("/api/events").json()["total"] == 1
        _ingest(pg_url, 1)
        assert c.get("/api/events").json()["total"] == 2
        assert c.app.state.response_cache.hits == 0 and "etag" not in c.get("/api/events").headers


def _fresh(url: str, path: str, **params):
    """The answer of an app that remembers nothing, on the same ledger: what a kept answer must equal."""
    with TestClient(create_app(url, response_cache=False)) as c:
        return c.get(path, params=params).json()


def _ingest_at(url: str, name: str, day: str, town: str, killed: int = 2) -> None:
    d = Doc(name, day).event(date=day, place_name=town)
    d.claim(f"{killed} people were killed", num(killed))
    with Store.open(url) as s:
        s.ingest(d.build(), body=d.body)


def test_a_list_a_write_cannot_change_is_kept_and_one_it_can_is_made_again(client, url):
    """The change log (0011): a report from another month leaves a list of May 2022 as it was."""
    may = {"since": "2022-05-01", "until": "2022-05-31"}
    assert client.get("/api/events", params=may).json()["total"] == 3
    assert client.get("/api/events").json()["total"] == 3
    _ingest_at(url, "later", "2023-01-10", "Odesa")
    kept = client.get("/api/events", params=may)
    assert _cache(client).kept == 1
    assert kept.json() == _fresh(url, "/api/events", **may)
    assert client.get("/api/events").json()["total"] == 4          # this one the write changed
    assert _cache(client).kept == 1
    _ingest_at(url, "in-may", "2022-05-20", "Odesa")
    assert client.get("/api/events", params=may).json()["total"] == 4
    assert _cache(client).kept == 1


@pytest.mark.parametrize("params, outside, inside", [
    ({"bbox": "30,50,31,51"}, ("Odesa", "2022-05-09"), ("Kyiv", "2022-05-09")),          # Kyiv's box
    ({"min_deaths": 5}, ("Odesa", "2022-05-09", 1), ("Odesa", "2022-05-10", 9)),
    ({"side": "russia", "country": "UA"}, None, ("Odesa", "2022-05-09")),
    ({"type": "Armed clash"}, ("Odesa", "2022-05-09"), None),
])
def test_each_filter_is_tested_on_the_logged_rows(client, url, params, outside, inside):
    client.get("/api/events", params=params)
    if outside:
        _ingest_at(url, "outside", outside[1], outside[0], *outside[2:])
        assert client.get("/api/events", params=params).json() == _fresh(url, "/api/events", **params)
        assert _cache(client).kept == 1
    if inside:
        before = client.get("/api/events", params=params).json()["total"]
        _ingest_at(url, "inside", inside[1], inside[0], *inside[2:])
        after = client.get("/api/events", params=params).json()
        assert after == _fresh(url, "/api/events", **params) and after["total"] == before + 1


def test_a_detail_is_kept_until_its_event_changes(client, url):
    events = {e["place"]["name"]: e["id"] for e in client.get("/api/events").json()["items"]}
    kyiv = f"/api/events/{events['Kyiv']}"
    first = client.get(kyiv).json()
    _ingest_at(url, "elsewhere", "2022-07-01", "Odesa")
    assert client.get(kyiv).json() == first and _cache(client).kept == 1
    _ingest_at(url, "kyiv-again", "2022-05-01", "Kyiv", 4)   # the same day and town: the same event
    again = client.get(kyiv)
    assert again.status_code in (200, 307) and _cache(client).kept == 1
    if again.status_code == 200:
        assert len(again.json()["documents"]) == len(first["documents"]) + 1


def test_a_review_makes_every_answer_again(client, url):
    events = client.get("/api/events").json()["items"]
    detail = f"/api/events/{events[0]['id']}"
    client.get(detail)
    claim = client.get(f"/api/events/{events[1]['id']}").json()["claims"][0]["claim"]["id"]
    r = client.post(f"/api/claims/{claim}/reviews", headers=AUTH, json={"action": "accept", "reason": "checked"})
    assert r.status_code == 201, r.text
    kept = _cache(client).kept
    assert client.get(detail).json() == _fresh(url, detail)
    assert _cache(client).kept == kept   # made again: a review is logged without an event id


def test_an_answer_older_than_the_pruned_log_is_made_again(client, url):
    import sqlite3

    may = {"since": "2022-05-01", "until": "2022-05-31"}
    client.get("/api/events", params=may)
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    with db:   # 5,000 logged rows of a far-away event: the triggers keep the newest 4,096 or so
        db.executemany("INSERT INTO ledger_changes (id, date_start) VALUES (?, ?)", [("x", "2030-01-01")] * 5000)
    assert db.execute("SELECT count(*) FROM ledger_changes").fetchone()[0] <= 4096 + 512
    db.close()
    misses = _cache(client).misses
    client.get("/api/events", params=may)
    assert _cache(client).misses == misses + 1 and _cache(client).kept == 0


def test_the_triggers_log_every_write_to_the_ledger_events(url):
    import sqlite3

    from claimledger.ledger.store import Store

    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    before = db.execute("SELECT max(seq) FROM ledger_changes").fetchone()[0]
    ids = [r[0] for r in db.execute("SELECT id FROM ledger_events")]
    with db:
        db.execute("UPDATE ledger_events SET deaths_best = 99 WHERE id = ?", (ids[0],))
    rows = db.execute("SELECT id, deaths_best FROM ledger_changes WHERE seq > ? ORDER BY seq", (before,)).fetchall()
    assert rows[0][0] == rows[1][0] == ids[0] and rows[1][1] == 99 and rows[0][1] != 99   # old row, new row
    with Store.open(url) as s:
        s.rebuild()
    logged = {r[0] for r in db.execute("SELECT id FROM ledger_changes WHERE seq > ?", (before,))}
    assert set(ids) <= logged
    db.close()


def test_a_compressed_answer_has_one_tag_whenever_and_wherever_it_is_made(url, monkeypatch):
    """Two workers (two apps) compress the same answer in different seconds, and a client revalidating
    against either must get its 304: the tag hashes the gzipped bytes, so it holds only while the
    compressor writes no time in the gzip header (Starlette's zlib stream writes 0; gzip.GzipFile
    would write the second)."""
    import gzip

    real = gzip.time.time
    tags = []
    for shift in (0, 100):
        monkeypatch.setattr(gzip.time, "time", lambda shift=shift: real() + shift)
        with TestClient(create_app(url)) as c:
            r = c.get("/api/events", headers={"Accept-Encoding": "gzip"})
            assert r.headers["content-encoding"] == "gzip"
            tags.append(r.headers["etag"])
    assert tags[0] == tags[1]
