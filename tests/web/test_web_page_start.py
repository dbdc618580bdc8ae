"""How the page starts (bench/page_load.py measures it at 10,000 events): the files every visit
needs are asked while the page is parsed, not after its scripts have run; the base map is drawn
before the markers are made and clustered; and "ready" means every marker is clustered."""

from __future__ import annotations

import pytest
from web_fixtures import api, open_page, shown

pytestmark = pytest.mark.browser

# performance.mark wrapped to see the page at the moment it marks a stage (an observer runs later)
AT_MARKS = """
window.__at = {};
const mark = performance.mark.bind(performance);
performance.mark = function (name, ...rest) {
  window.__at[name] = {markers: document.querySelectorAll('path.ev-marker, .cluster-icon').length,
                       outlines: !!document.querySelector('.leaflet-base-pane canvas, .leaflet-base-pane path'),
                       ready: document.body.getAttribute('data-ready')};
  return mark(name, ...rest);
};
"""


def test_the_page_asks_early_and_draws_the_base_map_before_the_markers(server, page):
    page.add_init_script(AT_MARKS)
    urls = []
    page.on("request", lambda r: urls.append(r.url.removeprefix(server.url)))
    open_page(page, server.url + "/")
    entries = dict(page.evaluate("() => performance.getEntriesByType('resource').map(e => [e.name.replace(location.origin, ''), e.initiatorType])"))
    for path in ("/api/config", "/static/vendor/world-atlas/countries-50m.json", "/static/places.json"):
        assert entries[path] == "link", f"{path} asked by a preload while the page was parsed"
        assert urls.count(path) == 1, f"{path} asked once (the preload's answer is the one used)"
    assert urls.count("/api/map") == 1
    at = page.evaluate("() => window.__at")
    assert at["claimledger-basemap"] == {"markers": 0, "outlines": True, "ready": None}
    assert at["claimledger-ready"]["markers"] > 0
    assert shown(page) == len([r for r in api(server, "/api/map")["items"] if r["lat"] is not None])
    event_id = page.locator("path.ev-marker").first.get_attribute("data-event")
    marker = page.locator(f'path.ev-marker[data-event="{event_id}"]')   # the markers' shared handlers
    marker.hover()
    page.locator(".event-tip").wait_for()
    row = next(r for r in api(server, "/api/map")["items"] if r["id"] == event_id)
    assert row["place"] in page.locator(".event-tip").inner_text()
    marker.click()
    page.locator(f'#panel-body[data-event="{event_id}"]').wait_for()
    assert page.errors == []
