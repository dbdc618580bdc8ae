"""A list page's gzipped answer with a new total, joined from a new head and the page's kept rest.

The response cache (``cache.py``) keeps a list page across an ingest's commits when only its total
moved: the page after the total never changes, so it is deflated once and each new total is joined
before it (``Entry.with_total``). Kept apart from the cache's bookkeeping: this is only the gzip
and CRC-32 arithmetic of that join.
"""

from __future__ import annotations

import struct
import zlib


class Rest:
    """A list page's body after its total, as :meth:`Entry.with_total` joins new totals to it: the
    plain bytes (an uncompressed answer), or their deflate blocks, CRC-32 and length (a gzipped one;
    the plain bytes are not kept then). ``shift``: the CRC operator for ``length`` bytes, made at the
    first join."""

    __slots__ = ("plain", "deflated", "crc", "length", "shift")

    def __init__(self, plain: bytes, deflated: bytes, crc: int, length: int):
        self.plain, self.deflated, self.crc, self.length = plain, deflated, crc, length
        self.shift: int | None = None


def deflated(plain: bytes) -> bytes:
    """``plain`` as raw deflate blocks, the last one final: what follows a flushed head in a stream."""
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    return packer.compress(plain) + packer.flush()


# the gzip header app.py's compressor (zlib, level 1) writes: no file name, no time, the "fastest" flag
GZIP_HEADER = zlib.compressobj(1, zlib.DEFLATED, 31).flush()[:10]


def gzip_joined(head: bytes, rest: Rest) -> bytes:
    """One gzip stream of ``head`` + the rest: the gzip header, the head as one stored block (not final,
    byte-aligned: the rest's blocks follow as deflated once), then the trailer's CRC-32 and length of
    the whole. A stored block needs no compressor made for a few bytes."""
    n = len(head)
    if rest.shift is None:
        rest.shift = _crc_shift(rest.length)
    crc = _crc_after(zlib.crc32(head), rest.shift) ^ rest.crc
    return b"".join((GZIP_HEADER, b"\x00", struct.pack("<HH", n, n ^ 0xFFFF), head, rest.deflated,
                     struct.pack("<II", crc, (n + rest.length) & 0xFFFFFFFF)))


# CRC-32 of A + B from the CRCs of A and B and the length of B, as zlib's crc32_combine (which Python's
# zlib does not expose): crc(A + B) = (crc(A) times x^(8 len B) mod P) xor crc(B), in zlib's reflected
# bit order. The power of x depends on the length alone, made once per kept page.
_POLY = 0xEDB88320


def _crc_after(a: int, b: int) -> int:
    """``a`` times ``b`` modulo the CRC-32 polynomial (reflected: the top bit is x^0)."""
    m, p = 1 << 31, 0
    while m and a:
        if a & m:
            p ^= b
            a ^= m
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return p


def _x_powers() -> list[int]:
    out = [1 << 30]                    # x^1
    for _ in range(31):
        out.append(_crc_after(out[-1], out[-1]))   # x^(2^k)
    return out


_X2 = _x_powers()


def _crc_shift(length: int) -> int:
    """x^(8 length) modulo the polynomial: what moves a CRC past ``length`` bytes."""
    p, k, n = 1 << 31, 3, length       # x^0; 8 = 2^3
    while n:
        if n & 1:
            p = _crc_after(_X2[k & 31], p)
        n >>= 1
        k += 1
    return p
