"""The page's search box and its three kinds of side in headless Chromium: a substring finds the
event on the map and its claims in the table; "Party involved" (the event's initiator or target),
"Who says it" (a claim's source) and "Whose losses" (the side a claim counts) each narrow the map
and the claims table, are in the URL, and the claims table agrees with its download."""

from __future__ import annotations

import csv
import io
import urllib.parse

import pytest
from page_fixtures import QUOTED, page_documents, search_documents
from web_fixtures import LiveServer, api, build_ledger, open_page, shown

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def search_server(tmp_path_factory):
    from claimledger.outputs.api import create_app

    url = build_ledger(tmp_path_factory.mktemp("pagesearch") / "ledger.db", page_documents() + search_documents())
    with LiveServer(create_app(url)) as srv:
        yield srv


def url_params(page) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def search(page, text: str) -> None:
    page.fill("#q", text)
    page.press("#q", "Enter")
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=text)


def table_total(page, kind: str) -> int:
    table = page.locator(f"#table-body table[data-kind='{kind}']")
    table.wait_for()
    page.wait_for_function("() => !document.querySelector('#table-body').hasAttribute('aria-busy')")
    return int(table.get_attribute("data-total"))


def test_search_box_finds_substrings_on_the_map_and_in_the_claims_table(search_server, page):
    open_page(page, search_server.url + "/?table=claims")
    everything = table_total(page, "claims")
    for text, markers in (("ramatorsk", 1), ("Reuter", 1), (QUOTED[5:30], 1), ("mention", 0)):
        search(page, text)
        page.wait_for_function(f"() => document.querySelector('#map').dataset.shown === '{markers}'")
    search(page, QUOTED[5:30])      # a phrase with quotes inside the evidence
    page.wait_for_selector("#table-body table[data-total='1']")
    assert "Russian Ministry of Defence" in page.locator("#table-body tbody tr").inner_text()
    search(page, "slov")            # the clash's claims, found by their event's place
    page.wait_for_selector("#table-body table[data-total='2']")
    assert table_total(page, "claims") == 2 < everything and shown(page) == 1
    assert page.errors == []


def _claims_download(page) -> list[dict]:
    page.locator("#download summary").click()
    with page.expect_download() as info:
        page.locator("#dl-claims-csv").click()
    return list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))


def test_party_involved_filters_the_claims_table_as_its_download(search_server, page):
    open_page(page, search_server.url + "/?table=claims")
    everything = table_total(page, "claims")
    page.select_option("#side", "rsf")       # the Khartoum event's initiator
    page.wait_for_function("() => document.querySelector('#map').dataset.shown === '1'")
    page.wait_for_selector("#table-body table[data-total='1']")
    assert url_params(page)["side"] == "rsf" and everything > 1
    row = page.locator("#table-body tbody tr").inner_text()
    assert "Emergency Lawyers" in row
    assert [r["source_name"] for r in _claims_download(page)] == ["Emergency Lawyers"]
    page.select_option("#side", "ukraine")
    want = api(search_server, "/api/claims?event_side=ukraine&limit=1")["total"]
    page.wait_for_selector(f"#table-body table[data-total='{want}']")
    assert len(_claims_download(page)) == want < everything
    assert page.errors == []


def test_who_says_it_and_whose_losses_each_narrow_map_and_claims(search_server, page):
    for control, markers, column in (("#f-source_side", 3, 2),     # who says it: the Source column's badge
                                     ("#f-subject_side", 4, 3)):   # whose losses: that column's badge
        key = control[3:]
        open_page(page, search_server.url + "/?table=claims")
        page.locator("#more-filters summary").click()
        page.select_option(control, "russia")
        page.wait_for_function(f"() => document.querySelector('#map').dataset.shown === '{markers}'")
        assert url_params(page)[key] == "russia"
        want = api(search_server, f"/api/claims?{key}=russia&limit=1")["total"]
        page.wait_for_selector(f"#table-body table[data-total='{want}']")
        badges = page.locator(f"#table-body tbody tr td:nth-child({column}) .side").all_inner_texts()
        assert badges == ["Russia"] * want, key
        open_page(page, page.url)                          # a shared link restores it
        assert shown(page) == markers and page.input_value(control) == "russia"
    assert page.errors == []


def test_the_side_labels_say_which_question_each_answers(search_server, page):
    open_page(page, search_server.url + "/?table=claims")
    table_total(page, "claims")
    page.locator("#more-filters summary").click()
    labels = page.locator("#filters label").all_inner_texts()
    for text in ("Party involved", "Attacker (initiator)", "Attacked (target)", "Who says it (source's side)",
                 "Whose losses (side counted)"):
        assert any(label.startswith(text) for label in labels), text
    heads = page.locator("#table-body thead th").all_inner_texts()
    assert "Whose losses" in heads
    assert page.get_attribute("th[data-sort='source']", "title") == "who says it, and their side"
    counted = page.locator("#table-body tbody tr", has_text="Ukrainian General Staff").first.locator("td").nth(2)
    assert counted.inner_text().startswith("Russian")   # 'Russian troops'/'Russian soldiers', badge Russia
    assert page.errors == []
