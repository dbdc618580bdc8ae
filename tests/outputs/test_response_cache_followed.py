"""An event's detail kept across commits by the ids the cache follows in the change log (read once per
commit), not by a query of the log per kept detail: kept exactly when the log's own test would keep it."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient

from claimledger.outputs.api import create_app
from claimledger.outputs.api.cache import MAX_FOLLOWED, SqliteVersion

from . import test_response_cache as _cache_tests
from .test_response_cache import _fresh, _ingest_at

url = _cache_tests.url   # the same three-document ledger as the cache's other tests


@pytest.fixture
def asked(monkeypatch):
    """The log queries the cache asks for one answer (``SqliteVersion.changed``), by test."""
    calls = []
    real = SqliteVersion.changed

    def changed(self, test, after):
        calls.append(test.event_id)
        return real(self, test, after)
    monkeypatch.setattr(SqliteVersion, "changed", changed)
    return calls


def _details(client) -> dict[str, str]:
    return {e["place"]["name"]: f"/api/events/{e['id']}" for e in client.get("/api/events").json()["items"]}


def test_a_detail_no_commit_touched_is_kept_without_asking_the_log(url, asked):
    with TestClient(create_app(url)) as client:
        kyiv = _details(client)["Kyiv"]
        first = client.get(kyiv).json()
        for i in range(3):
            _ingest_at(url, f"far-{i}", f"2023-0{i + 1}-10", "Odesa")
            assert client.get(kyiv).json() == first
        assert client.app.state.response_cache.kept == 3
        assert [a for a in asked if a is not None] == []


def test_a_detail_whose_event_changed_is_made_again(url, asked):
    with TestClient(create_app(url)) as client:
        kyiv = _details(client)["Kyiv"]
        client.get(kyiv)
        _ingest_at(url, "far", "2023-01-10", "Odesa")
        _ingest_at(url, "kyiv-again", "2022-05-01", "Kyiv", 4)   # the same day and town: the same event
        got = client.get(kyiv, follow_redirects=False)
        assert client.app.state.response_cache.kept == 0
        if got.status_code == 200:
            assert got.json() == _fresh(url, kyiv)


@pytest.mark.parametrize("row", ["own id", "no id", "many far rows"])
def test_rows_written_behind_the_store_count_too(url, row):
    """Rows the triggers log for any writer (a review logs a row without an id), and more rows than the
    cache follows at one commit (it asks the log, which was pruned: made again)."""
    with TestClient(create_app(url)) as client:
        kyiv = _details(client)["Kyiv"]
        client.get(kyiv)
        event_id = kyiv.rsplit("/", 1)[1]
        rows = {"own id": [(event_id,)], "no id": [(None,)], "many far rows": [("far",)] * (MAX_FOLLOWED + 1000)}[row]
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        with db:
            db.executemany("INSERT INTO ledger_changes (id) VALUES (?)", [("far",)] * 5 + rows)
        db.close()
        client.get(kyiv)
        assert client.app.state.response_cache.kept == 0


def test_concurrent_asks_of_one_answer_make_it_once(url):
    """Clients asking the same page at once (the first page, after a commit) wait for the one being made."""
    import asyncio

    import httpx

    app = create_app(url)

    async def ask_all():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            await c.get("/api/health")
            return await asyncio.gather(*(c.get("/api/events", params={"limit": 2}) for _ in range(8)))

    answers = asyncio.run(ask_all())
    cache = app.state.response_cache
    assert {a.status_code for a in answers} == {200} and len({a.content for a in answers}) == 1
    assert cache.misses == 1 and cache.hits == 7
