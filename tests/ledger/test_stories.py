"""Syndicated copies: one story in the ledger, counted once by reconciliation, the wire first in exports.

Real extraction and a real ledger: an AP report run by three outlets under new headlines (one of
them re-edited a day later with a newer toll) and an independent report of the same strike.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text

from claimledger.clean import fingerprint as fp
from claimledger.ledger.identity import input_hash
from claimledger.ledger.store import Store
from claimledger.records import Article
from claimledger.runner import process

AP_BODY = (
    "KRAMATORSK, Ukraine (AP) — At least 50 people were killed on Friday when a missile struck the railway "
    "station in Kramatorsk, where thousands of civilians had gathered to flee the fighting in the east. The "
    "station was crowded with women, children and elderly people waiting for evacuation trains when the strike "
    "hit the platform and the waiting hall. Rescuers carried the wounded to ambulances while volunteers "
    "collected abandoned suitcases and strollers from the square outside. Local authorities urged residents "
    "to leave the region while trains were still running, and said evacuation would continue from other "
    "towns along the line. The Associated Press saw bodies covered with tarpaulins near the entrance.")
INDEPENDENT = (
    "Ukraine's railway company said 39 people died in the attack on the Kramatorsk station on Friday. "
    "Ukrzaliznytsia said in a statement that two rockets hit the station as evacuation trains were boarding, "
    "and that the company would keep running trains from other stations in the Donetsk region. The regional "
    "governor said emergency crews were still working at the scene in the afternoon and asked people not to "
    "gather in large groups near transport hubs, which he said had become targets.")


def article(body: str, outlet: str, title: str, published: str) -> Article:
    return Article(text=f"{title}\n\n{body}", title=None, outlet=outlet, published=published,
                   origin=f"{outlet}-{published}", title_in_text=True)


def ingest(store: Store, arts: list[Article]) -> None:
    for a in arts:
        o = process(a)
        assert o.result is not None, o.error
        store.ingest(o.result, body=o.body, origin=a.origin, input_hash=input_hash(a.text))


ARTICLES = [
    article(AP_BODY, "CBS", "Missile strike on Ukrainian train station kills at least 50", "2022-04-08"),
    # a copy as outlets run it: the dateline cut, a sentence trimmed (an exact copy is the same text, stored once)
    article(AP_BODY.replace("KRAMATORSK, Ukraine (AP) — ", "").replace(" The Associated Press saw bodies covered "
                                                                        "with tarpaulins near the entrance.", ""),
            "NBC", "Dozens killed as rocket hits Kramatorsk station crowded with evacuees", "2022-04-08"),
    article(AP_BODY.replace("At least 50 people were killed", "At least 52 people were killed")
            .replace("The Associated Press saw", "An Associated Press journalist saw"),
            "Fox", "Death toll rises in Kramatorsk station strike", "2022-04-09"),
    article(INDEPENDENT, "BBC", "Kramatorsk: railway says 39 died", "2022-04-08"),
]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    """The same four reports with stories (the default) and with stories switched off."""
    out = {}
    cfg = fp.settings()["stories"]
    for name, threshold in (("stories", None), ("off", 2.0)):
        old = dict(cfg)
        if threshold:
            cfg.update(threshold=threshold)
        try:
            store = Store.open(f"sqlite:///{tmp_path_factory.mktemp(name) / 'l.db'}")
            ingest(store, ARTICLES)
        finally:
            cfg.update(old)
        out[name] = store
    yield out
    for s in out.values():
        s.close()


def rows(store, sql):
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).all()


def test_fingerprints_tell_copies_from_independent_reports():
    a, b = fp.fingerprint(AP_BODY), fp.fingerprint(AP_BODY.replace("50", "52"))
    c = fp.fingerprint(INDEPENDENT + " " + INDEPENDENT.replace("said", "stated"))
    assert fp.similarity(a.signature, b.signature) > 0.8
    assert fp.similarity(a.signature, c.signature) < 0.2
    assert sum(x == y for x, y in zip(a.bands, b.bands, strict=True)) >= 10
    assert fp.fingerprint("Two people were killed in Kharkiv on Monday, police said.") is None   # too short
    assert fp.wire_of(AP_BODY) == ("AP", False)
    assert fp.wire_of(INDEPENDENT, "Reuters") == ("Reuters", True)
    assert fp.wire_of("He told The Associated Press on Monday that " + INDEPENDENT) == (None, False)


def test_the_copies_form_one_story_and_the_independent_report_none(ledgers):
    store = ledgers["stories"]
    got = rows(store, "SELECT d.outlet, f.story_id, f.wire FROM doc_fingerprints f JOIN documents d "
                      "ON d.id = f.doc_id ORDER BY d.outlet")
    by = {r.outlet: r for r in got}
    assert by["CBS"].story_id == by["NBC"].story_id == by["Fox"].story_id
    assert by["BBC"].story_id != by["CBS"].story_id
    assert by["CBS"].wire == by["Fox"].wire == "AP" and by["NBC"].wire is None and by["BBC"].wire is None
    assert rows(ledgers["off"], "SELECT count(DISTINCT story_id) FROM doc_fingerprints")[0][0] == 4


def _event(store):
    """The ledger event the three copies went into."""
    return max(store.iter_events(), key=lambda e: len(e.documents))


def test_reconciliation_counts_the_story_once_and_the_re_edit_is_a_revision(ledgers):
    ev = _event(ledgers["stories"])
    reasons = ev.deaths.reasoning
    assert reasons[0].startswith("3 copies of one AP report, counted once (carried by AP, CBS, Fox, NBC;")
    assert not any("CBS (own voice)" in r or "NBC (own voice)" in r for r in reasons)
    assert any(r.startswith("revision: AP (own voice): ") and "superseded by" in r for r in reasons)
    assert ev.deaths.best == 52
    outlets = {m.outlet for m in ledgers["stories"].event_documents(ev.id)}
    assert {"CBS", "NBC", "Fox"} <= outlets      # every outlet that carried it stays listed


def test_without_stories_each_outlet_counts_as_a_source(ledgers):
    ev = _event(ledgers["off"])
    reasons = ev.deaths.reasoning
    assert not any("copies of one" in r for r in reasons)
    assert any("CBS (own voice)" in r for r in reasons) and any("NBC (own voice)" in r for r in reasons)
    assert ev.deaths.best == 50        # two copies of the old figure outweigh the re-edit


def test_acled_export_names_the_wire_first(ledgers):
    from claimledger.outputs.export import acled

    buf = io.StringIO()
    acled.write(ledgers["stories"], buf)
    sources = [r["source"] for r in csv.DictReader(io.StringIO(buf.getvalue()))]
    assert any(s.startswith("AP; ") and {"CBS", "Fox", "NBC"} <= set(s.split("; ")) for s in sources), sources
    assert not any(s.startswith("AP") for s in sources if "CBS" not in s), sources


def test_rebuild_keeps_the_story_and_fingerprints_a_ledger_from_before_stories(ledgers, tmp_path):
    store = ledgers["stories"]
    before = _event(store).deaths
    store.rebuild()
    assert _event(store).deaths == before
    with store.engine.begin() as conn:   # as a ledger written before migration 0006 filled these
        conn.execute(text("DELETE FROM doc_bands"))
        conn.execute(text("DELETE FROM doc_fingerprints"))
    store.rebuild()
    assert rows(store, "SELECT count(*) FROM doc_fingerprints")[0][0] == 4
    assert _event(store).deaths.reasoning[0].startswith("3 copies of one AP report")


def test_same_opening_tells_a_re_edit_from_a_new_lead_over_the_same_body():
    """A copy keeps its lead (a cut dateline, a sentence added on top, a figure changed in place);
    a page that puts a new lead above a body it ran before does not open the same way."""
    p = _parts(4, size=60)
    body = " ".join(p[1:4])
    first = f"{p[0]} {body}"
    assert fp.same_opening(first, first.replace("w0x3 ", "w0x3changed "))            # a word changed in the lead
    assert fp.same_opening(first, "Updated at noon with a new first line. " + first)   # a short line on top
    assert fp.same_opening(" ".join(first.split()[4:]), first)                        # a dateline cut
    assert not fp.same_opening(first, f"{p[3]} {p[0]} {p[1]} {p[2]}")                # its lead moved down
    assert not fp.same_opening(first, " ".join(_parts(5, size=60)[4:]) + " " + body)   # a new lead over the body


def _store_pages(tmp_path, name: str, pages: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Store bare documents (id, outlet, body) in order; what ``assign`` returned for each."""
    from sqlalchemy import insert as sql_insert

    from claimledger.ledger import stories
    from claimledger.ledger.db import documents

    store = Store.open(f"sqlite:///{tmp_path / name}.db")
    got = {}
    with store.engine.begin() as conn:
        for doc_id, outlet, body in pages:
            conn.execute(sql_insert(documents).values(id=doc_id, outlet=outlet, body=body, n_claims=0, n_events=0,
                                                      n_places=0, ingested_at="x"))
            got[doc_id] = sorted(stories.assign(conn, doc_id, body, outlet))
    store.close()
    return got


def test_one_outlets_new_lead_over_a_body_it_ran_before_is_not_a_copy(tmp_path):
    """The Daily Mail's rolling page: one body under a new lead is the outlet's next report, however
    much text the two share, and the outlet re-editing its own page under the same lead is one report.
    Another outlet printing the body is a copy of both pages (between outlets the shared text is one
    source's, whatever lead sits on it), so it joins their stories: single-link, as documented."""
    p = _parts(10, size=80)
    body = " ".join(p[2:8])
    first, rolling = f"{p[0]} {body}", f"{p[1]} {body}"
    sig = {k: fp.fingerprint(v).signature for k, v in (("first", first), ("rolling", rolling))}
    assert fp.similarity(sig["first"], sig["rolling"]) >= 0.6          # above every threshold the ledger had
    # the same lead with the end of the body rewritten, as far as makes the pair just below 0.6
    new_end = " ".join(p[8:10]).split()
    re_edit = next(e for e in (" ".join(first.split()[:keep] + new_end[:560 - keep]) for keep in range(500, 300, -10))
                   if 0.5 <= fp.similarity(sig["first"], fp.fingerprint(e).signature) < 0.6)
    got = _store_pages(tmp_path, "rolling", [("a", "DailyMail", first), ("b", "DailyMail", rolling),
                                             ("c", "Mirror", rolling), ("d", "DailyMail", re_edit)])
    assert got["b"] == []                  # its new lead: not a copy of its first page
    assert got["c"] == ["a", "b"]          # another outlet's print of the body joins both pages' stories
    assert "a" in got["d"]                 # the same lead re-edited: one report with its first version


def _parts(n: int, size: int = 80) -> list[str]:
    """``n`` runs of words no other run shares (made-up tokens: every five-word run is unique)."""
    return [" ".join(f"w{p}x{i}" for i in range(size)) for p in range(n)]


def test_a_copy_matching_two_stories_joins_them(tmp_path):
    """A and C share too little to be one story; B shares enough with each: once B is stored, the
    three are one story, and every document of both old stories is reported for re-reconciling."""
    from sqlalchemy import insert as sql_insert

    from claimledger.ledger import stories
    from claimledger.ledger.db import documents

    p = _parts(6)
    bodies = {"a": " ".join(p[0:4]), "c": " ".join(p[2:6]), "b": " ".join(p[1:5])}
    sig = {k: fp.fingerprint(v).signature for k, v in bodies.items()}
    assert fp.similarity(sig["a"], sig["c"]) < 0.5 <= min(fp.similarity(sig["a"], sig["b"]),
                                                          fp.similarity(sig["b"], sig["c"]))
    store = Store.open(f"sqlite:///{tmp_path / 'j.db'}")
    got = {}
    with store.engine.begin() as conn:
        for doc_id, outlet in (("a", "CBS"), ("c", "NBC"), ("b", "Fox")):
            conn.execute(sql_insert(documents).values(id=doc_id, outlet=outlet, n_claims=0, n_events=0,
                                                      n_places=0, ingested_at="x"))
            got[doc_id] = sorted(stories.assign(conn, doc_id, bodies[doc_id], outlet))
        refs = stories.refs(conn, ["a", "b", "c"])
    assert got["c"] == []                       # C alone: its own story
    assert got["b"] == ["a", "c"]               # B joins A's story and C's
    assert len({r.id for r in refs.values()}) == 1 and set(refs["a"].members) == {"a", "b", "c"}
    assert rows(store, "SELECT count(DISTINCT story_id) FROM doc_fingerprints")[0][0] == 1
    store.close()


def test_an_exact_copy_from_another_outlet_is_a_reprint_listed_with_the_event(tmp_path):
    """The ledger stores one text once; the second outlet printing it word for word is recorded and
    named with the event (reasoning, exports), without its claims counting a second time."""
    from claimledger.outputs.export import acled

    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    cbs = ARTICLES[0]
    ingest(store, [cbs])
    best = _event(store).deaths.best
    same = article(AP_BODY, "NBC", "Missile strike on Ukrainian train station kills at least 50", "2022-04-08")
    assert same.text == cbs.text
    o = process(same)
    rep = store.ingest(o.result, body=o.body, origin="nbc-page", input_hash=input_hash(same.text))
    assert rep.skipped and rep.reprint
    again = store.ingest(o.result, body=o.body, origin="nbc-page", input_hash=input_hash(same.text))
    assert again.skipped and not again.reprint          # that outlet is recorded once
    # the path `ingest` and `watch` take before extracting: the input's hash only
    assert store.note_reprint(input_hash(same.text), "HuffPost", origin="huffpost-page")
    assert not store.note_reprint(input_hash(same.text), "CBS")   # the stored document's own outlet
    ev = _event(store)
    assert len(ev.documents) == 1 and ev.deaths.best == best
    assert ev.deaths.reasoning[0].startswith("3 copies of one AP report, counted once (carried by AP, CBS, "
                                             "HuffPost, NBC;")
    buf = io.StringIO()
    acled.write(store, buf)
    sources = [r["source"] for r in csv.DictReader(io.StringIO(buf.getvalue()))]
    assert any(set(s.split("; ")) >= {"AP", "CBS", "HuffPost", "NBC"} and s.startswith("AP; ") for s in sources)
    assert [r.outlet for r in rows(store, "SELECT outlet FROM doc_reprints ORDER BY outlet")] == ["HuffPost", "NBC"]
    store.close()


def test_ingest_records_a_word_for_word_copy_it_skips_without_extracting(tmp_path, capsys):
    """`claimledger ingest` skips a text already stored before extracting it; another outlet's copy
    is still recorded with the story."""
    import json

    from claimledger.outputs.cli.main import main

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    text_ = f"Missile strike on Ukrainian train station kills at least 50\n\n{AP_BODY}"
    for n, outlet in enumerate(("CBS", "NBC", "NBC")):
        path = tmp_path / f"in{n}.jsonl"
        path.write_text(json.dumps({"id": f"{outlet.lower()}-{n}", "text": text_, "outlet": outlet,
                                    "published": "2022-04-08"}) + "\n")
        assert main(["ingest", str(path), "--db", db, "--workers", "1", "--quiet"]) == 0
    store = Store.open(db)
    assert rows(store, "SELECT count(*) FROM documents")[0][0] == 1
    [(outlet, origin)] = rows(store, "SELECT outlet, origin FROM doc_reprints")   # the second NBC run adds none
    assert outlet == "NBC" and "in1.jsonl" in origin
    assert "carried by AP, CBS, NBC;" in _event(store).deaths.reasoning[0]
    store.close()
