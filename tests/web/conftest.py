"""Fixtures for the API and browser tests: real ledgers built through Store.ingest, real servers.

Browser tests need Chromium at /usr/bin/chromium. Where it is missing they are skipped on a
developer's machine but *fail* under CI (``$CI`` set), so a CI image without a browser cannot
pass by silently testing nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from web_fixtures import LiveServer, build_ledger, documents, hostile_document

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def ledger_url(tmp_path_factory) -> str:
    return build_ledger(tmp_path_factory.mktemp("ledger") / "ledger.db", documents())


@pytest.fixture(scope="session")
def hostile_url(tmp_path_factory) -> str:
    return build_ledger(tmp_path_factory.mktemp("hostile") / "ledger.db", [hostile_document()] + documents()[:1])


@pytest.fixture(scope="session")
def empty_url(tmp_path_factory) -> str:
    return build_ledger(tmp_path_factory.mktemp("empty") / "ledger.db", [])


def _serve(url: str, **kw) -> Iterator[LiveServer]:
    from claimledger.outputs.api import create_app

    with LiveServer(create_app(url, **kw)) as server:
        yield server


@pytest.fixture(scope="session")
def server(ledger_url) -> Iterator[LiveServer]:
    yield from _serve(ledger_url)


@pytest.fixture(scope="session")
def hostile_server(hostile_url) -> Iterator[LiveServer]:
    yield from _serve(hostile_url)


@pytest.fixture(scope="session")
def empty_server(empty_url) -> Iterator[LiveServer]:
    yield from _serve(empty_url)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageErrors(list):
    """Console errors and uncaught exceptions of one page; tests assert it stays empty."""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    errors = PageErrors()
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    pg.errors = errors
    yield pg
    context.close()
