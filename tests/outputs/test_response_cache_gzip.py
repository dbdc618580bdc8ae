"""A kept list page's new total is spliced into its gzipped answer without compressing the page
again: the stream must decode (CRC and length checked) to exactly the page with the new total."""

import gzip
import json
import random
import zlib

from claimledger.outputs.api.cache import Entry
from claimledger.outputs.api.gzipjoin import _crc_after, _crc_shift


def zipped_page(total: int, rows: int = 300) -> tuple[bytes, bytes]:
    plain = json.dumps({"total": total, "events": [{"id": f"e{i}", "place": "Kharkiv", "n": i}
                                                   for i in range(rows)]}).encode()
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    return plain, packer.compress(plain) + packer.flush()


def entry(body: bytes, zipped: bool) -> Entry:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if zipped:
        headers.append((b"content-encoding", b"gzip"))
    return Entry(200, headers, body)


def test_a_new_total_decodes_to_the_page_with_it():
    plain, body = zipped_page(10_008)
    first = entry(body, True).with_total(10_011)
    assert gzip.decompress(first.body) == plain.replace(b'"total": 10008', b'"total": 10011')
    assert int(dict(first.headers)[b"content-length"]) == len(first.body)
    first.counted = 10_011
    second = first.with_total(9)
    assert gzip.decompress(second.body) == plain.replace(b'"total": 10008', b'"total": 9')
    assert second.rest is first.rest            # the page after its total was deflated once
    assert second.etag != first.etag and first.with_total(10_011) is first


def test_a_plain_page_takes_its_new_total_too():
    plain, _ = zipped_page(5, rows=3)
    got = entry(plain, False).with_total(6)
    assert json.loads(got.body)["total"] == 6 and got.body[len(b'{"total": 6, '):] == plain[len(b'{"total": 5, '):]


def test_a_body_that_is_no_list_page_is_left_alone():
    assert entry(b'{"id": "e1"}', False).with_total(3) is None


def test_the_crc_of_a_joined_page_is_combined_from_its_parts():
    rng = random.Random(5)
    for n in (0, 1, 3, 255, 4096, 94_301, 1 << 20):
        a, b = rng.randbytes(rng.randrange(1, 40)), rng.randbytes(n)
        assert _crc_after(zlib.crc32(a), _crc_shift(len(b))) ^ zlib.crc32(b) == zlib.crc32(a + b)


def test_a_zipped_page_keeps_its_rest_deflated_only():
    plain, body = zipped_page(10_008)
    first = entry(body, True).with_total(7)
    assert first.rest.plain == b"" and first.size < len(plain) // 2
    assert gzip.decompress(first.with_total(123_456_789).body) == plain.replace(b'"total": 10008', b'"total": 123456789')
