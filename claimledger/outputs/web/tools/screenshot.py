"""Screenshot of the map page (for docs/screenshot.png): serve a ledger, open it in Chromium.

    python -m claimledger.outputs.web.tools.screenshot --db sqlite:///ledger.db --out docs/screenshot.png \
        [--event EVENT_ID] [--query "since=2023-01-01"] [--panel-scroll "ul.claims"]

Uses the system Chromium (/usr/bin/chromium) through Playwright; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", default="docs/screenshot.png")
    ap.add_argument("--event", help="open this event's panel")
    ap.add_argument("--query", default="", help="extra URL query (filters)")
    ap.add_argument("--size", default="1400x860")
    ap.add_argument("--panel-scroll", metavar="CSS", help="scroll the event panel to this element (e.g. 'ul.claims')")
    args = ap.parse_args(argv)

    import uvicorn
    from playwright.sync_api import sync_playwright

    from claimledger.outputs.api import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(args.db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    width, height = (int(v) for v in args.size.split("x"))
    query = "&".join(q for q in (args.query, f"event={args.event}" if args.event else "") if q)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"http://127.0.0.1:{port}/" + (f"?{query}" if query else ""))
            page.wait_for_selector("body[data-ready='1']", timeout=60000)
            if args.event:
                page.wait_for_selector("#panel-body h2")
                claim = page.locator("ul.claims > li").first
                if claim.count():
                    claim.click()
                    page.wait_for_timeout(500)
                page.locator("#panel").evaluate("el => el.scrollTo(0, 0)")
                if args.panel_scroll:
                    page.locator("#panel " + args.panel_scroll).first.evaluate(
                        "el => el.closest('#panel').scrollTo(0, el.offsetTop - 8)")
            page.wait_for_timeout(400)
            page.screenshot(path=args.out)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
