"""HTML pages: main text through trafilatura, with a plain-tag fallback when it finds nothing."""

from __future__ import annotations

import re

from claimledger.errors import InputError
from claimledger.ingest.safe import storable
from claimledger.records import Article


def _fallback_text(html: str) -> str:
    """Paragraph text with tags stripped: better than nothing for a page trafilatura rejects."""
    import html as htmllib

    html = re.sub(r"(?is)<(script|style|noscript)[^>]*>.*?</\1>", " ", html)
    paras = re.findall(r"(?is)<p[^>]*>(.*?)</p>", html) or [html]
    out = [htmllib.unescape(re.sub(r"<[^>]+>", " ", p)) for p in paras]
    return "\n\n".join(re.sub(r"\s+", " ", p).strip() for p in out if p.strip())


def html_to_article(html: str, origin: str, published: str | None):
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:  # trafilatura raises a zoo of lxml errors on broken markup
        text, meta = None, None
        reason = f"{type(exc).__name__}"
    else:
        reason = "no main text found"
    if not text:
        text = _fallback_text(html)
    if not text.strip():
        return InputError(origin, f"HTML page has no readable text ({reason})")
    title, url, outlet = (getattr(meta, k, None) for k in ("title", "url", "sitename"))
    return Article(text=storable(text), title=title and storable(title), url=url and storable(url),
                   outlet=outlet and storable(outlet),
                   published=published or getattr(meta, "date", None), origin=origin)
