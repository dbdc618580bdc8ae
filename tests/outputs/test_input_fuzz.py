"""Generated hostile documents through `ingest --records` and `POST /api/documents`, on SQLite and
PostgreSQL: no traceback, no 5xx, every valid document stored, every failure named with its input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.ledger.store import Store
from claimledger.outputs.api import create_app
from claimledger.outputs.cli.main import main
from claimledger.records import Article
from claimledger.serialise import dumps

from .test_api_inputs import AUTH, TOKEN, fake_extract

# Any code point (surrogates and controls included: Hypothesis leaves surrogates out by default),
# mixed with the characters and strings that broke things before.
NASTY = ["\x00", "\ud800", "\udfff", "\ud83d", "\u202e", "\ufeff", "\x1b[31m", "\r", "\u2028", "\U0001f4a5",
         "'; DROP TABLE documents; --", "<script>alert(1)</script>", "\\u0000"]
hostile_text = st.lists(st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY)),
                        min_size=1, max_size=80).map("".join)
junk = st.one_of(st.binary(max_size=200), st.integers(1, 100_000).map(lambda n: b"[" * n),
                 st.integers(4300, 9000).map(lambda n: b'{"doc": {"id": ' + b"7" * n + b"}}"),
                 st.sampled_from([b'{"doc": null}', b'{"doc": {"id": ""}}', b'{"doc": {"id": "a"}, "claims": 5}',
                                  b'{"doc": {"id": "a"}, "claims": [{"id": []}]}']))
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    return f"sqlite:///{tmp_path / 'l.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")


def _record(i: int, text: str) -> bytes:
    o = fake_extract(Article(text=f"Report {i}: five were killed in Kramatorsk. {text}", title=text[:80],
                             id=f"r{i}"))
    o.result.claims[0].source.name = text[:60]
    return json.dumps(json.loads(dumps(o.result))).encode()   # ASCII JSON: surrogates and NUL as escapes


@FUZZ
@given(lines=st.lists(st.one_of(hostile_text.map(lambda t: ("valid", t)), junk.map(lambda b: ("junk", b))),
                      min_size=1, max_size=6))
def test_records_path_stores_every_valid_record_and_names_every_failure(url, tmp_path_factory, capsys, lines):
    path = tmp_path_factory.mktemp("rec") / "records.jsonl"
    raw = [(_record(i, x) if kind == "valid" else x.replace(b"\n", b" ").replace(b"\r", b" "))
           for i, (kind, x) in enumerate(lines)]
    path.write_bytes(b"\n".join(raw) + b"\n")
    with Store.open(url) as s:
        before = s.summary()["documents"]
    code = main(["ingest", "--records", str(path), "--db", url])
    err = capsys.readouterr().err
    assert code in (0, 1) and "Traceback" not in err
    valid = {f"r{i}" for i, (k, _) in enumerate(lines) if k == "valid"}
    with Store.open(url) as s:
        for doc_id in valid:
            assert s.get_document(doc_id) is not None, doc_id
        assert s.summary()["documents"] >= before + 0
    failed = [n for n, (r, (k, _)) in enumerate(zip(raw, lines, strict=True), 1) if k == "junk" and r.strip()]
    for n in failed:
        assert f"records.jsonl:{n}:" in err or "already there" in err


@FUZZ
@given(bodies=st.lists(st.one_of(
    hostile_text.map(lambda t: ("json", json.dumps({"text": "Five were killed in Kramatorsk. " + t, "title": t}))),
    hostile_text.map(lambda t: ("text/plain", "Five were killed in Kramatorsk. " + t)),
    hostile_text.map(lambda t: ("text/html", f"<html><body><p>Five were killed in Kramatorsk. {t}</p></body></html>")),
    junk.map(lambda b: ("junk", b))), min_size=1, max_size=4))
def test_write_api_answers_every_body_without_a_server_error(url, bodies):
    app = create_app(url, token=TOKEN, extract=fake_extract)
    with TestClient(app) as client:
        for kind, body in bodies:
            data = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
            ctype = "application/json" if kind in ("json", "junk") else kind
            r = client.post("/api/documents", content=data, headers={**AUTH, "Content-Type": ctype})
            assert r.status_code < 500, (r.status_code, r.text, data[:200])
            assert r.headers["content-type"].startswith("application/json") and r.json()
            if kind != "junk" and r.status_code == 201:
                doc = client.get(f"/api/documents/{r.json()['report']['doc_id']}")
                assert doc.status_code == 200
            elif kind != "junk":
                assert r.status_code == 422 and r.json()["error"], r.text
