"""The map page in headless Chromium against a live server on 127.0.0.1 (see conftest.py)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from web_fixtures import api, open_page, shown

pytestmark = pytest.mark.browser




def test_map_shows_one_marker_per_placed_event(server, page):
    rows = api(server, "/api/map")["items"]
    placed = [r for r in rows if r["lat"] is not None]
    assert len(placed) == 6
    open_page(page, server.url + "/")
    # the fixture events are hundreds of km apart: at the fitted zoom none is clustered
    assert page.locator("path.ev-marker").count() == len(placed)
    assert shown(page) == len(placed)
    assert page.locator("#counts").inner_text().startswith("6 events")
    assert page.errors == []


def test_clicking_a_marker_opens_the_panel_with_its_claims(server, page):
    event = next(r for r in api(server, "/api/map")["items"] if r["place"] == "Bakhmut")
    detail = api(server, "/api/events/" + urllib.parse.quote(event["id"]))
    open_page(page, server.url + "/")
    page.locator(f'path.ev-marker[data-event="{event["id"]}"]').click()
    panel = page.locator("#panel")
    panel.locator(f'#panel-body[data-event="{event["id"]}"]').wait_for()
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "Armed clash"
    claims = panel.locator("ul.claims > li")
    assert claims.count() == len(detail["claims"]) == 2
    text = panel.inner_text()
    assert "Russian Ministry of Defence" in text and "Ukrainian General Staff" in text
    # one chart row per claim of the shown measure
    assert panel.locator("svg.chart g.chart-row").count() == 2
    # clicking a claim shows its evidence highlighted in the document's text
    claims.first.click()
    mark = panel.locator("details.doc[open] mark.flash")
    mark.wait_for()
    assert mark.inner_text() == detail["claims"][0]["claim"]["evidence"]["text"]
    assert "event=" in page.url
    assert page.errors == []


def test_brushing_the_timeline_filters_the_map(server, page):
    rows = api(server, "/api/map")["items"]
    open_page(page, server.url + "/")
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    # drag over the left ~45% of the plot (January to early March of the fixture range)
    page.mouse.move(box["x"] + 32, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=5)
    page.mouse.up()
    page.wait_for_function("() => new URLSearchParams(location.search).get('until')")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    since, until = q["since"][0], q["until"][0]
    expect = [r for r in rows if r["lat"] is not None and r["date"] and since <= r["date"] <= until]
    assert 0 < len(expect) < 6
    assert shown(page) == len(expect)
    assert page.locator("path.ev-marker").count() == len(expect)
    assert page.input_value("#since") == since and page.input_value("#until") == until
    # a click without a drag clears the range
    page.mouse.click(box["x"] + box["width"] / 2, y)
    page.wait_for_function("() => !new URLSearchParams(location.search).get('since')")
    assert shown(page) == 6
    assert page.errors == []


def test_a_shared_url_restores_the_view(server, page, browser):
    rows = api(server, "/api/map")["items"]
    open_page(page, server.url + "/")
    page.select_option("#side", "ukraine")
    page.locator("#type-filter summary").click()
    page.locator('#type-options input[value="Shelling/artillery/missile attack"]').check()
    page.fill("#until", "2023-03-31")
    page.locator("#until").dispatch_event("change")
    kharkiv = next(r for r in rows if r["place"] == "Kharkiv")
    page.locator(f'path.ev-marker[data-event="{kharkiv["id"]}"]').click()
    page.locator(f'#panel-body[data-event="{kharkiv["id"]}"]').wait_for()
    expect = [r for r in rows if r["type"] == "Shelling/artillery/missile attack" and r["date"] <= "2023-03-31"
              and "ukraine" in (r["initiator"], r["target"])]
    assert shown(page) == len(expect) == 2
    shared = page.url

    other = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    try:
        open_page(other, shared)
        assert shown(other) == len(expect)
        assert other.input_value("#side") == "ukraine"
        assert other.input_value("#until") == "2023-03-31"
        assert other.locator('#type-options input[value="Shelling/artillery/missile attack"]').is_checked()
        other.locator(f'#panel-body[data-event="{kharkiv["id"]}"]').wait_for()
        assert other.locator("#panel").is_visible()
    finally:
        other.context.close()


def test_hostile_article_text_never_executes(hostile_server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    rows = api(hostile_server, "/api/map")["items"]
    target = next(r for r in rows if r["place"].startswith("Zaporizhzhia"))
    open_page(page, hostile_server.url + "/")
    marker = page.locator(f'path.ev-marker[data-event="{target["id"]}"]')
    marker.hover()
    marker.click()
    body = page.locator(f'#panel-body[data-event="{target["id"]}"]')
    body.wait_for()
    page.locator("ul.claims > li").first.click()
    page.locator("details.doc[open] mark").first.wait_for()
    page.locator("details.doc summary").first.hover()
    page.wait_for_timeout(300)

    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
    # the payloads are on screen as text...
    text = page.locator("#panel").inner_text()
    assert "<script>window.__xss='script'</script>" in text
    assert '<img src=x onerror="window.__xss=\'img\'">' in text
    assert "Regional office" in text
    # ...and none became an element
    assert page.locator("#panel img, #panel script, #panel-body svg[onload], #panel iframe").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.locator("[onerror], [onload], [onmouseover]").count() == 0
    assert violations == [], "nothing should even try to run inline code"


def test_hostile_article_posted_through_the_write_api_never_executes(tmp_path, page):
    """End to end: the real extractor and store, then the page, with an article made of payloads."""
    from web_fixtures import TOKEN, LiveServer, build_ledger

    from claimledger.outputs.api import create_app

    article = {"title": "Strike <img src=x onerror=\"window.__xss='title'\">", "published": "2023-03-07",
               "url": "javascript:window.__xss='url'",
               "text": "<script>window.__xss='script'</script> Two people were killed in a Russian missile strike "
                       "on Zaporizhzhia on Monday, the regional governor said. "
                       "<img src=x onerror=\"window.__xss='img'\"> <a href=\"javascript:window.__xss='a'\">more</a>"}
    url = build_ledger(tmp_path / "post.db", [])
    with LiveServer(create_app(url, token=TOKEN)) as srv:
        req = urllib.request.Request(srv.url + "/api/documents", data=json.dumps(article).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(req, timeout=120) as r:
            assert r.status == 201
        rows = [r for r in api(srv, "/api/map")["items"] if r["lat"] is not None]
        assert rows, "the extractor should place a missile strike on Zaporizhzhia"
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_page(page, srv.url + "/")
        page.locator(f'path.ev-marker[data-event="{rows[0]["id"]}"]').click()
        page.locator("ul.claims > li").first.click()
        page.locator("details.doc[open] mark").first.wait_for()
        assert page.evaluate("() => window.__xss") is None
        assert dialogs == []
        text = page.locator("#panel").inner_text()
        assert "<script>window.__xss='script'</script>" in text and "Strike <img src=x" in text
        assert page.locator("#panel img, #panel script, a[href^='javascript:']").count() == 0


def test_empty_ledger_page_works(empty_server, page):
    open_page(page, empty_server.url + "/")
    assert page.locator(".empty-note").is_visible()
    assert shown(page) == 0
    assert page.locator("#counts").inner_text().startswith("0 events")
    assert page.errors == []


def test_missing_database_shows_the_error_and_the_map(tmp_path, page):
    from web_fixtures import LiveServer

    from claimledger.outputs.api import create_app

    with LiveServer(create_app(f"sqlite:///{tmp_path}/missing.db")) as srv:
        page.goto(srv.url + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        assert "ledger unavailable" in page.locator("#message").inner_text()
        assert page.locator("#map .leaflet-pane").count() > 0
