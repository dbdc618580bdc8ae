"""A list page's gzipped answer joined from pieces: a new head and the page's kept rest, or its rows'
kept deflate pieces.

The response cache (``cache.py``) keeps a list page across an ingest's commits when only its total
moved: the page after the total never changes, so it is deflated once and each new total is joined
before it (``Entry.with_total``). A page that must be made again (its events moved) is joined from
pieces kept for its rows (:class:`PagePacker`, ``routes/events.py``). Kept apart from the cache's
bookkeeping: this is only the gzip and CRC-32 arithmetic of those joins.
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
    return b"".join((GZIP_HEADER, stored(head, final=False), rest.deflated, trailer(crc, n + rest.length)))


def stored(data: bytes, final: bool) -> bytes:
    """``data`` (under 64 KB) as one stored deflate block, byte-aligned as a stream after a flush is."""
    return (b"\x01" if final else b"\x00") + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def trailer(crc: int, length: int) -> bytes:
    """The gzip trailer: the CRC-32 and the length (modulo 2^32) of the plain stream."""
    return struct.pack("<II", crc, length & 0xFFFFFFFF)


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


class PagePacker:
    """A list page's gzip answer joined from deflate pieces kept for its rows, instead of compressing
    its 95 KB again at every miss (0.27 ms; a page made again after each commit of an ingest).

    A row's piece is ``", "`` and its JSON deflated with the ``CONTEXT`` rows before it in the list as
    the preset dictionary, ended on a byte boundary (``Z_SYNC_FLUSH``): in a page, those rows are the
    bytes just before it, so its back-references find what they were made against. Pieces are kept by
    the texts of the row and of those before it (content, not ids: a changed row is another key, and
    nothing has to be forgotten); the same run of rows on pages at other offsets, or made again after a
    commit, takes the same pieces. The page's head and first rows, different on every page, are
    compressed as they come (level 1, as ``app.py``'s compressor), the tail is a stored block, the
    trailer's CRC-32 is taken along the plain pieces. 12.4 KB for a page of 100 events against 10.7 KB
    compressed whole; 0.11 ms against 0.27 (docs/performance.md, session 20). Used from the server's
    threads at once: a piece is made twice at worst."""

    CONTEXT = 8           # rows before a piece that it may refer back to (4: 14.2 KB a page, 16: 11.3 KB)
    MAX_PIECES = 30_000   # past it the pieces start again (about 1.1 KB each, with their plain bytes)

    def __init__(self, minimum: int = 0):
        self.minimum = minimum   # characters of rows below which a page is not compressed (app.py's GZip)
        self.pieces: dict[tuple[str, ...], tuple[bytes, bytes]] = {}
        self.made = 0

    def gzipped(self, head: str, items: list[str], tail: str) -> bytes | None:
        """``head`` + ``items`` joined by ``", "`` + ``tail`` as one gzip stream (UTF-8), or None for a
        page of no more rows than ``CONTEXT`` (nothing to join) or shorter than ``minimum``."""
        k = self.CONTEXT
        if len(items) <= k or sum(map(len, items)) < self.minimum:
            return None
        first = (head + ", ".join(items[:k])).encode()
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        out = [GZIP_HEADER, packer.compress(first), packer.flush(zlib.Z_SYNC_FLUSH)]
        crc, n = zlib.crc32(first), len(first)
        pieces = self.pieces
        for j in range(k, len(items)):
            key = tuple(items[j - k:j + 1])
            piece = pieces.get(key)
            if piece is None:
                piece = self._made(key)
            out.append(piece[0])
            crc = zlib.crc32(piece[1], crc)
            n += len(piece[1])
        end = tail.encode()
        crc = zlib.crc32(end, crc)
        n += len(end)
        out += (stored(end, final=True), trailer(crc, n))
        return b"".join(out)

    def _made(self, key: tuple[str, ...]) -> tuple[bytes, bytes]:
        before = ", ".join(key[:-1]).encode()[-32768:]   # deflate's window
        plain = (", " + key[-1]).encode()
        packer = zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, before)
        piece = (packer.compress(plain) + packer.flush(zlib.Z_SYNC_FLUSH), plain)
        if len(self.pieces) >= self.MAX_PIECES:
            self.pieces.clear()
        self.pieces[key] = piece
        self.made += 1
        return piece
