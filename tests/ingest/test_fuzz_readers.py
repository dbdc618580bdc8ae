"""Generated hostile inputs through the JSONL and HTML readers: never an exception, one item per
input line, every valid article read back whole, every failure naming its input."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.errors import InputError
from claimledger.ingest.readers import read_blob, read_path
from claimledger.records import Article

# Any code point (surrogates and controls included: Hypothesis leaves surrogates out by default),
# mixed with the characters and strings that broke things before.
NASTY = ["\x00", "\ud800", "\udfff", "\ud83d", "\u202e", "\ufeff", "\x1b[31m", "\r", "\u2028", "\U0001f4a5",
         "'; DROP TABLE documents; --", "<script>alert(1)</script>", "\\u0000"]
hostile_text = st.lists(st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY)),
                        min_size=0, max_size=120).map("".join)
junk_line = st.one_of(
    st.binary(max_size=200),
    st.integers(1, 120_000).map(lambda n: b"[" * n),
    st.integers(1, 5000).map(lambda n: b'{"text": ' + b'{"a": ' * n + b"1" + b"}" * n + b"}"),
    st.integers(4300, 20_000).map(lambda n: b'{"text": "x", "id": ' + b"9" * n + b"}"),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"null", b"[]", b'{"text": 5}', b'{"text": ""}', b'{"text": "a", "url": {}}', b"\xff\xfe{"]),
)


def _valid(i: int, text: str) -> bytes:
    return json.dumps({"id": f"v{i}", "title": text[:50], "text": "Real text. " + text}).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(hostile_text.map(lambda t: ("valid", t)), junk_line.map(lambda b: ("junk", b))),
                      min_size=1, max_size=12))
def test_jsonl_reader_never_raises_and_loses_no_valid_line(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fuzz") / "batch.jsonl"
    raw = [(_valid(i, x) if kind == "valid" else x.replace(b"\n", b" ").replace(b"\r", b" "))
           for i, (kind, x) in enumerate(lines)]
    path.write_bytes(b"\n".join(raw) + b"\n")
    got = list(read_path(str(path)))
    numbered = {int(item.origin.rsplit(":", 1)[1]): item for item in got}
    assert len(numbered) == len(got)
    for n, (line, (kind, _)) in enumerate(zip(raw, lines, strict=True), 1):
        if not line.strip():
            assert n not in numbered
            continue
        item = numbered[n]
        assert isinstance(item, Article | InputError)
        if kind == "valid":
            assert isinstance(item, Article) and item.id == f"v{n - 1}", item
            assert "\x00" not in item.text and not any("\ud800" <= ch <= "\udfff" for ch in item.text)
            item.text.encode("utf-8")   # storable: encodes strictly
        else:
            assert isinstance(item, InputError | Article)
            if isinstance(item, InputError):
                assert item.message and item.origin.endswith(f":{n}")


@settings(max_examples=60, deadline=None)
@given(page=st.one_of(st.binary(max_size=500), hostile_text.map(lambda t: f"<html><p>{t}</p></html>".encode(
    "utf-8", "surrogatepass")), st.integers(1, 30_000).map(lambda n: b"<html><body>" + b"<div>" * n + b"x")))
def test_html_reader_never_raises(page):
    [item] = list(read_blob(page, "page.html", None, "html"))
    assert isinstance(item, Article | InputError)
    if isinstance(item, Article):
        item.text.encode("utf-8")
        assert "\x00" not in item.text
