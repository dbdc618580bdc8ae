"""The watch loop in-process against the loopback site: real fetching, extraction and ledger."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import text

from claimledger.ingest.feeds import Fetcher
from claimledger.ingest.watch import SETTLE_SECONDS, Watcher, run_forever
from claimledger.ledger import feedlist
from claimledger.ledger.store import Store
from tests.ingest.feeds_fixture import Server, Site, report_text

pytest.importorskip("feedparser")


@pytest.fixture()
def store(tmp_path):
    s = Store.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield s
    s.close()


def rows(store, sql: str):
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).all()


def make_watcher(store, logs, **kw) -> Watcher:
    f = Fetcher(timeout=0.5, max_bytes=500_000, delay=0.0, retries=2, backoff=0.01)
    return Watcher(store, f, max_attempts=3, log=logs.append, **kw)


def test_three_feed_formats_of_one_site_store_each_report_once_and_traps_fail_per_item(store):
    site = Site(6, slow_seconds=1.0)
    for trap in ("limited", "flaky", "slow", "huge", "gone"):
        site.add_trap(trap)
    logs: list[str] = []
    with Server(site) as server:
        for path in ("/rss.xml", "/atom.xml", "/feed.json"):
            feedlist.add(store.engine, server.url + path, "feed")
        w = make_watcher(store, logs)
        first = w.cycle()
        # 6 reports + limited (429 then 200) + flaky (500, 500, 200) + slow (timeout, then 200)
        assert first.new == 9
        assert first.known == 18          # the Atom and JSON copies of the same pages: same text
        assert first.failed == 6          # huge and gone, in each of the three feeds
        assert first.claims >= 9 and first.events >= 9
        second = w.cycle()
        assert second.new == 0 and second.unchanged == 3 and second.failed == 6
        third = w.cycle()
        assert third.failed == 6
        fourth = w.cycle()
        assert fourth.failed == 0         # given up after 3 attempts: no more requests for them
    docs = rows(store, "SELECT origin FROM documents")
    assert len(docs) == 9 and len({d.origin for d in docs}) == 9
    # nine different reports: nine stories of one (generated texts share a skeleton, not a body)
    assert rows(store, "SELECT count(DISTINCT story_id) FROM doc_fingerprints")[0][0] == 9
    given_up = rows(store, "SELECT key, reason FROM feed_items WHERE state = 'given_up'")
    assert len(given_up) == 6
    assert any("byte limit" in r.reason for r in given_up) and any("HTTP 500" in r.reason for r in given_up)
    fails = {f["origin"]: f["reason"] for f in store.failures()}
    assert fails[server.url + "/a/gone.html"] == "HTTP 500 Internal Server Error"
    assert "limit" in fails[server.url + "/a/huge.html"]
    assert any("/a/gone.html: HTTP 500" in m and "given up" in m for m in logs)
    assert rows(store, "SELECT count(*) FROM feed_items WHERE state = 'done'")[0][0] == 27


def test_items_appearing_later_are_picked_up_and_the_cursor_survives_a_new_process(store):
    site = Site(8)
    site.visible_override = 3
    with Server(site) as server:
        feedlist.add(store.engine, server.url + "/rss.xml", "feed")
        logs: list[str] = []
        lines: list[str] = []
        assert run_forever(make_watcher(store, logs), 0.0, cycles=2, out=lines.append, sleep=lambda s: None) == 0
        assert len(lines) == 2 and "3 new items" in lines[0] and "0 new items" in lines[1]
        assert "1 unchanged" in lines[1]
        site.visible_override = 8
        again = make_watcher(store, logs)   # as after a restart: everything from the ledger
        assert again.cycle().new == 5
    assert rows(store, "SELECT count(*) FROM documents")[0][0] == 8
    [feed] = feedlist.list_all(store.engine)
    assert feed.done == 8 and feed.waiting == 0 and feed.etag


def test_pending_items_written_before_a_crash_are_stored_by_the_next_run(store):
    """The validators and the new entries commit together: a run killed after that commit (before
    fetching the pages) leaves them pending, and a 304 on the next run does not hide them."""
    site = Site(4)
    with Server(site) as server:
        feed, _ = feedlist.add(store.engine, server.url + "/rss.xml", "feed")
        f = Fetcher(delay=0.0)
        got = f.get(feed.url)
        from claimledger.ingest.feeds import entry_json, parse_feed

        new = [(e.key, e.link, entry_json(e)) for e in parse_feed(got.body).entries]
        feedlist.record_fetch(store.engine, feed.id, new, etag=got.etag, last_modified=None, status="x",
                              keep_validators=False)
        rep = make_watcher(store, []).cycle()   # "restart"
        assert rep.unchanged == 1 and rep.new == 4


def test_a_folder_source_reads_each_new_file_once(store, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text(report_text(1))
    (folder / "notes.pdf").write_bytes(b"%PDF")
    old = time.time() - 10
    os.utime(folder / "a.txt", (old, old))
    feedlist.add(store.engine, str(folder), "folder")
    w = make_watcher(store, [])
    assert w.cycle().new == 1
    (folder / "b.txt").write_text(report_text(2))
    (folder / "empty.txt").write_text("")
    assert w.cycle().new == 0                      # b.txt is still being written (too recent)
    for name in ("b.txt", "empty.txt"):
        os.utime(folder / name, (old, old))
    rep = w.cycle()
    assert rep.new == 1 and rep.failed == 1        # empty.txt is that item's failure
    assert w.cycle().new == 0
    assert rows(store, "SELECT count(*) FROM documents")[0][0] == 2
    assert SETTLE_SECONDS < 10


def test_feeds_cli_adds_lists_and_removes_sources(tmp_path, capsys):
    from claimledger.outputs.cli.main import main

    db = f"sqlite:///{tmp_path / 'l.db'}"
    urls = tmp_path / "feeds.txt"
    urls.write_text("# the desk's feeds\nhttps://example.org/a.xml\n\nhttps://example.org/b.json\n")
    folder = tmp_path / "in"
    folder.mkdir()
    assert main(["feeds", "add", str(urls), str(folder), "https://example.org/a.xml", "--db", db]) == 0
    err = capsys.readouterr().err
    assert "added: https://example.org/b.json (feed)" in err and "already watched: https://example.org/a.xml" in err
    assert main(["feeds", "list", "--db", db, "--format", "json"]) == 0
    listed = __import__("json").loads(capsys.readouterr().out)
    assert [f["url"] for f in listed] == ["https://example.org/a.xml", "https://example.org/b.json", str(folder)]
    assert main(["feeds", "remove", "https://example.org/a.xml", "https://nowhere.example/x", "--db", db]) == 1
    assert "not in the list" in capsys.readouterr().err
    assert main(["feeds", "list", "--db", db]) == 0
    assert "a.xml" not in capsys.readouterr().out
    bad = tmp_path / "bad.txt"
    bad.write_text("https://ok.example/x\nftp://nope\n")
    assert main(["feeds", "add", str(bad), "--db", db]) == 2
    assert "bad.txt:2: 'ftp://nope' is not a feed URL" in capsys.readouterr().err
    assert main(["watch", "--db", f"sqlite:///{tmp_path / 'empty.db'}", "--once"]) == 2
    assert "nothing to watch" in capsys.readouterr().err
    assert main(["watch", "nowhere-file", "--db", db, "--once"]) == 2


def test_robots_txt_disallowed_pages_are_given_up_at_once_with_a_log_line(store):
    site = Site(4)
    site.robots = "User-agent: *\nDisallow: /a/r002.html\n"
    logs: list[str] = []
    with Server(site) as server:
        feedlist.add(store.engine, server.url + "/rss.xml", "feed")
        rep = make_watcher(store, logs).cycle()
        assert rep.new == 3 and rep.failed == 1
        assert site.hits["/a/r002.html"] == 0
        [line] = [m for m in logs if "r002" in m]
        assert line == (f"claimledger watch: {server.url}/a/r002.html: not fetched: {server.url}/robots.txt "
                        "disallows it for claimledger (given up)")
        assert make_watcher(store, logs).cycle().failed == 0      # not tried again
    [(state, reason)] = rows(store, "SELECT state, reason FROM feed_items WHERE key = 'r002'")
    assert state == "given_up" and "robots.txt disallows" in reason


def test_an_outlet_running_a_stored_text_word_for_word_is_recorded_as_a_reprint(store):
    """Two outlets' feeds carry one report unchanged: stored once, the second outlet listed with it."""
    site = Site(2)
    copy = dict(site.items[0], id="r000-copy", site="Other News")   # listed after r000
    site.items.append(copy)
    with Server(site) as server:
        feedlist.add(store.engine, server.url + "/rss.xml", "feed")
        lines: list[str] = []
        run_forever(make_watcher(store, []), 0.0, cycles=1, out=lines.append, sleep=lambda s: None)
    assert "2 new items" in lines[0] and "1 already stored (1 reprinted by another outlet)" in lines[0]
    assert [(r.outlet,) for r in rows(store, "SELECT outlet FROM doc_reprints")] == [("Other News",)]
    ev = next(e for e in store.iter_events() if e.deaths and e.deaths.reasoning
              and "copies of one" in e.deaths.reasoning[0])
    assert "carried by Loopback News, Other News" in ev.deaths.reasoning[0]


def test_extraction_on_worker_processes_gives_the_same_ledger(tmp_path):
    """--workers 2: fetching and storing stay in order in the watcher, so the ledger is the same."""
    got = {}
    for workers in (1, 2):
        site = Site(10)
        site.add_trap("gone")
        with Server(site) as server:
            s = Store.open(f"sqlite:///{tmp_path / f'w{workers}.db'}")
            feedlist.add(s.engine, server.url + "/rss.xml", "feed")
            w = make_watcher(s, [], workers=workers)
            try:
                rep = w.cycle()
                assert (rep.new, rep.failed) == (10, 1)
                pool = w._pool
                assert (pool is None) == (workers == 1)
                site.items.append(dict(site.items[0], id="late", text=report_text(40)))
                assert w.cycle().new == 1
                assert w._pool is pool                      # the workers live for the whole run
            finally:
                w.close()
            got[workers] = (rows(s, "SELECT id, text_hash, n_claims, n_events FROM documents ORDER BY id"),
                            rows(s, "SELECT id, measure, value FROM claims ORDER BY id"),
                            rows(s, "SELECT id, deaths_low, deaths_best, deaths_high FROM ledger_events ORDER BY id"))
            s.close()
    assert len(got[1][0]) == 11 and got[1][1] and got[1][2]
    assert got[1] == got[2]
