"""Fetching and reading feeds against a loopback server: conditional GET, retries, limits, formats."""

from __future__ import annotations

import time

import pytest

from claimledger.ingest.feeds import Fetcher, parse_feed
from tests.ingest.feeds_fixture import Server, Site

pytest.importorskip("feedparser")
pytest.importorskip("httpx")


@pytest.fixture()
def site():
    s = Site(5, slow_seconds=2.0)
    for trap in ("limited", "flaky", "slow", "huge", "gone"):
        s.add_trap(trap)
    with Server(s) as server:
        yield server


def fetcher(**kw) -> Fetcher:
    opts = dict(timeout=1.0, max_bytes=1_000_000, delay=0.0, retries=3, backoff=0.05)
    opts.update(kw)
    return Fetcher(**opts)


@pytest.mark.parametrize("path", ["/rss.xml", "/atom.xml", "/feed.json"])
def test_each_format_lists_every_item_with_link_date_and_outlet(site, path):
    f = fetcher()
    got = f.get(site.url + path)
    assert got.status == 200 and got.etag
    feed = parse_feed(got.body, got.content_type)
    assert feed.error is None
    assert len(feed.entries) == 10
    links = {e.link for e in feed.entries}
    assert site.url + "/a/r000.html" in links and site.url + "/a/gone.html" in links
    assert all(e.published and e.published.startswith("2022-05-") for e in feed.entries)
    assert len({e.key for e in feed.entries}) == 10
    assert feed.entries[0].outlet == feed.title


def test_conditional_get_answers_304_until_an_item_appears(site):
    f = fetcher()
    site.site.visible_override = 3
    first = f.get(site.url + "/rss.xml")
    again = f.get(site.url + "/rss.xml", etag=first.etag)
    assert again.not_modified and again.body is None
    site.site.visible_override = 4
    changed = f.get(site.url + "/rss.xml", etag=first.etag)
    assert changed.status == 200 and len(parse_feed(changed.body).entries) == 4


def test_429_is_retried_after_its_retry_after(site):
    slept = []
    f = fetcher(sleep=lambda s: (slept.append(s), time.sleep(min(s, 0.01))))
    got = f.get(site.url + "/a/limited.html")
    assert got.status == 200 and got.attempts == 2
    assert 1.0 in slept   # the server's Retry-After: 1


def test_500s_are_retried_with_growing_backoff_then_reported(site):
    slept = []
    f = fetcher(sleep=slept.append)
    assert f.get(site.url + "/a/flaky.html").status == 200
    assert slept == [0.05, 0.1]
    slept.clear()
    gone = f.get(site.url + "/a/gone.html")
    assert gone.body is None and gone.error == "HTTP 500 Internal Server Error" and gone.attempts == 4
    assert slept == [0.05, 0.1, 0.2]


def test_a_slow_response_times_out_and_the_retry_gets_it(site):
    f = fetcher(timeout=0.5)
    got = f.get(site.url + "/a/slow.html")
    assert got.status == 200 and got.attempts == 2
    none = fetcher(timeout=0.5, retries=0)
    site.site.hits.clear()
    late = none.get(site.url + "/a/slow.html")
    assert late.body is None and "timed out" in late.error


def test_an_oversize_body_is_refused_not_read(site):
    got = fetcher(max_bytes=100_000).get(site.url + "/a/huge.html")
    assert got.body is None and "over the 100,000-byte limit" in got.error
    assert site.site.hits["/a/huge.html"] == 1   # not retried: it will not shrink


def test_polite_delay_between_two_requests_to_one_host(site):
    waits = []
    f = fetcher(delay=0.3, sleep=lambda s: (waits.append(s), time.sleep(s)))
    f.get(site.url + "/rss.xml")      # robots.txt first, then the feed: one wait
    f.get(site.url + "/atom.xml")
    assert site.site.hits["/robots.txt"] == 1          # read once per host, not per request
    assert len(waits) == 2 and all(0.2 < w <= 0.3 for w in waits)


def test_malformed_xml_is_an_error_not_an_exception(site):
    got = fetcher().get(site.url + "/broken.xml")
    feed = parse_feed(got.body, got.content_type)
    assert feed.entries == [] and feed.error.startswith("not a readable RSS or Atom feed")


@pytest.mark.parametrize("body", [b"", b"{", b'{"items": 3}', b"\xff\xfe", b"[1, 2]", b"<html>not a feed</html>"])
def test_junk_never_raises(body):
    feed = parse_feed(body)
    assert feed.entries == [] and feed.error


def test_unreachable_host_and_bad_scheme_are_errors():
    f = fetcher(retries=1, backoff=0.0, robots=False)
    assert "not an http(s) URL" in f.get("file:///etc/passwd").error
    dead = f.get("http://127.0.0.1:9/rss.xml")
    assert dead.status == 0 and dead.body is None and dead.error and dead.attempts == 2
    polite = fetcher(retries=0, backoff=0.0).get("http://127.0.0.1:9/rss.xml")
    assert polite.body is None and "robots.txt could not be read" in polite.error and not polite.refused


ROBOTS = """# a site that keeps its drafts and everything from one crawler to itself
User-agent: otherbot
Disallow: /

User-agent: claimledger
Disallow: /a/r001.html
Crawl-delay: 1
"""


def test_robots_txt_is_respected_with_its_crawl_delay(site):
    site.site.robots = ROBOTS
    waits = []
    f = fetcher(sleep=waits.append)
    allowed = f.get(site.url + "/a/r000.html")
    refused = f.get(site.url + "/a/r001.html")
    assert allowed.status == 200
    assert refused.body is None and refused.refused and refused.status == 0
    assert refused.error == f"not fetched: {site.url}/robots.txt disallows it for claimledger"
    assert site.site.hits["/a/r001.html"] == 0          # never requested
    assert waits and all(0.9 < w <= 1.0 for w in waits)  # Crawl-delay: 1 although --delay is 0
    anyway = fetcher(robots=False).get(site.url + "/a/r001.html")
    assert anyway.status == 200 and site.site.hits["/robots.txt"] == 1


def test_a_missing_robots_txt_allows_and_an_unreadable_one_refuses_until_read(site):
    now = [0.0]
    f = fetcher(clock=lambda: now[0], retries=0, sleep=lambda s: None)
    assert f.get(site.url + "/a/r000.html").status == 200      # 404: no rules
    site.site.robots, site.site.robots_status = ROBOTS, 503
    now[0] += 25 * 3600                                        # a day later robots.txt is read again
    down = f.get(site.url + "/a/r000.html")
    assert down.body is None and not down.refused and "robots.txt could not be read (HTTP 503" in down.error
    site.site.robots_status = 200
    assert f.get(site.url + "/a/r000.html").body is None       # not asked again at once
    now[0] += 120
    assert f.get(site.url + "/a/r000.html").status == 200
    assert f.get(site.url + "/a/r001.html").refused
