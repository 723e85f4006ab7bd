"""Build the site, serve it on loopback, and visit every page in headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

CHROMIUM = os.environ.get("PERSEUS_CHROMIUM", "/usr/bin/chromium")
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

    def log_message(self, *args):
        pass

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


def serve(directory: Path, prefix: str | None = None) -> tuple[str, http.server.ThreadingHTTPServer]:
    prefix = prefix or site_prefix()
    handler = type("Handler", (_Site,), {"prefix": prefix})
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


def watch(page, visit: PageVisit, host: str) -> None:
    """Record on `visit` what the page reports: errors, requests to other hosts, failed requests."""

    def console(message) -> None:
        if message.type == "error":
            visit.console_errors.append(message.text)

    def request(sent) -> None:
        if urlparse(sent.url).netloc not in (host, "") and not sent.url.startswith("data:"):
            visit.foreign_requests.append(sent.url)

    page.on("console", console)
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    page.on("request", request)
    page.on("requestfailed", lambda failed: visit.failed_requests.append(failed.url))


def visit_all(base: str, site_dir: Path, at_once: int = 6) -> dict[str, PageVisit]:
    """Every page, loaded until the network is idle; `at_once` pages load side by side, so that
    their idle waits overlap instead of adding up."""
    from playwright.sync_api import sync_playwright

    host = urlparse(base).netloc
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if p.name != "404.html")
    visits: dict[str, PageVisit] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        for start in range(0, len(pages), at_once):
            opened = []
            for rel in pages[start : start + at_once]:
                visit = PageVisit(url=urljoin(base, rel))
                page = context.new_page()
                watch(page, visit, host)
                response = page.goto(visit.url, wait_until="commit")
                assert response is not None and response.ok, rel
                opened.append((rel, visit, page))
            for rel, visit, page in opened:
                page.wait_for_load_state("networkidle")
                visit.links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                visit.examples = page.eval_on_selector_all(
                    "div.example",
                    "els => els.map(e => ({spec: e.dataset.spec, type: e.dataset.type,"
                    " text: e.querySelector('code').innerText}))",
                )
                visit.images = page.eval_on_selector_all(
                    "article img", "els => els.map(e => ({src: e.src, width: e.naturalWidth, alt: e.alt}))"
                )
                visit.math = page.eval_on_selector_all("article math", "els => els.length")
                visits[rel] = visit
                page.close()
        browser.close()
    return visits
