"""Build the site, serve it on loopback, and visit every page in headless Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlparse

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Debian's chromium-headless-shell: the old headless mode, without the full browser's compositor and UI.
# The visit of every page took 81 machine CPU-s and 47 s with it, 138 CPU-s and 72 s with the full
# /usr/bin/chromium (one run each, the same site and machine). PERSEUS_CHROMIUM names another build.
CHROMIUM = os.environ.get("PERSEUS_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def site_build_command(target: Path) -> tuple[list[str], dict[str, str]]:
    """`mkdocs build --strict` into `target`, from the root (the command and its environment)."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(target)], dict(
        os.environ, NO_MKDOCS_2_WARNING="1"
    )


class _Site(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the path of its `site_url`, and its 404 page for a missing path, as a host does."""

    prefix = "/"
    search_index: bytes | None = None  # served in place of search/search_index.json, when set

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.search_index is not None and self.path.split("?", 1)[0] == self.prefix + "search/search_index.json":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(self.search_index)))
            self.end_headers()
            self.wfile.write(self.search_index)
            return
        super().do_GET()

    def translate_path(self, path):
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if not bare.startswith(self.prefix):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + bare[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def site_prefix() -> str:
    """The path part of the site_url the site is built with."""
    from perseus.publication import site_url

    return urlparse(site_url()).path or "/"


def serve(
    directory: Path, prefix: str | None = None, search_documents: bool = True
) -> tuple[str, http.server.ThreadingHTTPServer]:
    """The site in `directory` on a loopback port, under `prefix`; without `search_documents`, its search
    index is served without its documents (for the page visits, see empty_search_index)."""
    prefix = prefix or site_prefix()
    index = None if search_documents else empty_search_index(directory).encode()
    handler = type("Handler", (_Site,), {"prefix": prefix, "search_index": index})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{prefix}", server


@dataclass
class PageVisit:
    url: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    math: int = 0


@dataclass
class Tab:
    """A browser tab that visits page after page: the visit it is on and the requests still open."""

    page: Page
    visit: PageVisit
    pending: set = field(default_factory=set)
    last_activity: float = 0.0
    loaded: bool = False
    started: float = 0.0

    def active(self) -> None:
        self.last_activity = time.monotonic()

    def settled(self) -> bool:
        """Loaded, and no request open for QUIET_S: a request made after load is still seen, and seen to fail."""
        return self.loaded and not self.pending and time.monotonic() - self.last_activity >= QUIET_S


def watch(tab: Tab, host: str) -> None:
    """Record on the visit the tab is on what its page reports (errors, requests to other hosts,
    failed requests), and keep the tab's open requests."""

    def console(message) -> None:
        if message.type == "error":
            tab.visit.console_errors.append(message.text)

    def request(sent) -> None:
        tab.pending.add(sent)
        tab.active()
        if urlparse(sent.url).netloc not in (host, "") and not sent.url.startswith("data:"):
            tab.visit.foreign_requests.append(sent.url)

    def finished(request) -> None:
        tab.pending.discard(request)
        tab.active()

    def failed(request) -> None:
        finished(request)
        tab.visit.failed_requests.append(request.url)

    def loaded(_page) -> None:
        tab.loaded = True
        tab.active()

    page = tab.page
    page.on("console", console)
    page.on("pageerror", lambda error: tab.visit.console_errors.append(str(error)))
    page.on("request", request)
    page.on("requestfinished", finished)
    page.on("requestfailed", failed)
    page.on("load", loaded)


# The search index (1.5 MB) makes every visit costly: Material's worker fetches it and builds a
# lunr index on each page load (leaving its documents out took 48 pages from 43 s to 27 s). Visits
# are served the site's own index without its documents, by a server of their own (`serve(...,
# search_documents=False)`) rather than by intercepting the request in the browser: interception
# holds every request of the page for a round trip to Python (a fifth of the visits' CPU time).
# test_site's search test uses the whole index.
def empty_search_index(site_dir: Path) -> str:
    built = json.loads((site_dir / "search" / "search_index.json").read_text())
    return json.dumps({**built, "docs": []})


# How long a page must have had no request open to count as settled. Playwright's "networkidle"
# waits 500 ms on every page; the site's scripts make their late requests (the search index) within
# a few tens of milliseconds of the load event.
QUIET_S = 0.2
# How long a page may take to settle before the visit fails naming it (Playwright's own default timeout).
SETTLE_LIMIT_S = 30


def _record(page, visit: PageVisit) -> None:
    """What the tests check of a loaded page: its links, examples, images and formulas."""
    visit.links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    visit.examples = page.eval_on_selector_all(
        "div.example",
        "els => els.map(e => ({spec: e.dataset.spec, type: e.dataset.type, text: e.querySelector('code').innerText}))",
    )
    visit.images = page.eval_on_selector_all(
        "article img", "els => els.map(e => ({src: e.src, width: e.naturalWidth, alt: e.alt}))"
    )
    visit.math = page.eval_on_selector_all("article math", "els => els.length")


def visit_each(browser, base: str, pages: list[str], on_loaded, at_once: int = 3, **context_options):
    """Load each of `pages` (paths under `base`) and call `on_loaded(page, visit)` once it has
    settled; return the visits. `at_once` tabs load side by side, so that their waits overlap, and
    each tab goes on to its next page rather than closing: a new tab costs a new renderer process,
    about a third of a visit. Each tab has a browser context (a window) of its own, so that none is a
    background tab, whose rendering Chromium holds back (a screenshot of one waits seconds).
    `base` is a server started with `search_documents=False`."""
    host = urlparse(base).netloc
    tabs = []
    for _ in range(min(at_once, len(pages))):
        context = browser.new_context(**context_options)
        tabs.append(Tab(context.new_page(), PageVisit(url="")))
        watch(tabs[-1], host)
    visits: dict[str, PageVisit] = {}
    waiting = iter(pages)

    def start(tab: Tab) -> bool:
        """Send the tab to the next page; False when there is none."""
        rel = next(waiting, None)
        if rel is None:
            return False
        tab.visit = visits[rel] = PageVisit(url=urljoin(base, rel))
        tab.loaded, tab.started = False, time.monotonic()
        response = tab.page.goto(tab.visit.url, wait_until="commit")
        assert response is not None and response.ok, rel
        return True

    # Each tab moves on as soon as its own page has settled, rather than waiting for the slowest of a batch.
    try:
        busy = [tab for tab in tabs if start(tab)]
        while busy:
            busy[0].page.wait_for_timeout(10)  # lets Playwright deliver every tab's events
            late = [t.visit.url for t in busy if time.monotonic() - t.started > SETTLE_LIMIT_S]
            assert not late, f"not settled within {SETTLE_LIMIT_S} s: {late}"
            for tab in [t for t in busy if t.settled()]:
                on_loaded(tab.page, tab.visit)
                if not start(tab):
                    busy.remove(tab)
    finally:
        for tab in tabs:
            tab.page.context.close()
    return visits


def visit_all(base: str, site_dir: Path, at_once: int = 3) -> dict[str, PageVisit]:
    """Every page of the site, with what the tests check of it. Three tabs on two cores: the 246 pages
    took 117 machine CPU-s and 59 s with six tabs, 103 CPU-s and 54 s with three, 100 CPU-s and 59 s
    with two (one run each, idle machine)."""
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if p.name != "404.html")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return visit_each(browser, base, pages, _record, at_once)
        finally:
            browser.close()
