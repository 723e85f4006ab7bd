"""The key pages at 1280 and 390 px: screenshots, no table running off the page, no text under 11 px;
every page its own title; the 404 page and the sitemap work at the site's published path."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from perseus.paths import ROOT
from perseus.publication import site_url
from tests.site_harness import CHROMIUM, CHROMIUM_ARGS, visit_each

pytestmark = pytest.mark.slow  # every test here reads the built site

KEY_PAGES = {
    "home": "",
    "guide": "guide/",
    "specifications": "specifications/",
    "release": "specifications/consumption-data@2025-10-27/",
    "class": "specifications/consumption-data@2025-10-27/Reading/",
    "api": "api/consumption-data@2025-10-27/",
    "gas-methodology": "methodologies/gas-desnz-annual@2025-10-27/",
    "location-based": "methodologies/electricity-location-based@2025-10-27/",
    "impact": "impact/electricity-desnz-annual@2025-10-27/",
    "factor-set": "factors/desnz@2025/",
    "permission-text": "permission-texts/edp-cap@2025-10-27/",
    "decision": "governance/decisions/tag-2025-10-27-gas/",
    "downloads": "downloads/",
    "latest": "latest/consumption-data/",
    "provenance": "provenance/",
    "scale": "scale/",
    "sandbox": "sandbox/",
    "glossary": "glossary/",
}
WIDTHS = (1280, 390)
SMALLEST_PX = 11
SCREENSHOTS = Path(os.environ.get("PERSEUS_SCREENSHOTS", ROOT / "build" / "screenshots"))

# Layout faults on the page: JavaScript run in the browser, returning one message per fault.
LAYOUT = """(wide) => {
  const faults = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) faults.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  const article = document.querySelector('article');
  const edge = article.getBoundingClientRect().right;
  const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  for (const table of article.querySelectorAll('table')) {
    const name = (table.querySelector('th') || table).innerText.slice(0, 40);
    // What the reader sees of a table is its scrolling frame (Material wraps tables in one), or the table.
    let frame = scrolls(table) ? table : null;
    for (let e = table.parentElement; e && e !== article; e = e.parentElement) if (scrolls(e)) { frame = e; break; }
    frame = frame || table;
    const box = frame.getBoundingClientRect();
    if (box.right > root.clientWidth + 1) faults.push(`table "${name}" runs ${Math.round(box.right - root.clientWidth)} px off the page`);
    if (frame === table && table.getBoundingClientRect().right > edge + 1)
      faults.push(`table "${name}" runs ${Math.round(table.getBoundingClientRect().right - edge)} px past the column`);
    if (wide && frame.scrollWidth > frame.clientWidth + 1)
      faults.push(`table "${name}" needs sideways scrolling at this width: ${frame.scrollWidth} > ${frame.clientWidth}`);
  }
  for (const element of article.querySelectorAll('*')) {
    if (element.getBoundingClientRect().right > root.clientWidth + 1) {
      let inside = false;
      for (let e = element.parentElement; e && e !== article; e = e.parentElement) if (scrolls(e)) { inside = true; break; }
      if (!inside) { faults.push(`<${element.tagName.toLowerCase()} class="${element.className}"> runs off the page`); break; }
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || seen.has(element)) continue;
    seen.add(element);
    if (!element.getClientRects().length) continue;  // not rendered
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || element.closest('[hidden], .md-search, [aria-hidden="true"]')) continue;
    let size = parseFloat(style.fontSize);
    const svg = element.closest('svg');
    if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width)
      size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    if (size < SMALLEST) faults.push(`text "${node.textContent.trim().slice(0, 30)}" is ${size.toFixed(1)} px`);
  }
  for (const img of article.querySelectorAll('img')) {
    if (img.naturalWidth && img.getBoundingClientRect().width < img.naturalWidth - 1)
      faults.push(`image ${img.getAttribute('src')} is shrunk to ${Math.round(img.getBoundingClientRect().width)} of ${img.naturalWidth} px`);
  }
  return faults;
}""".replace("SMALLEST", str(SMALLEST_PX))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def layout_faults(browser, base: str, path: str, width: int) -> list[str]:
    return all_layout_faults(browser, base, {path: None}, width)[path]


def all_layout_faults(browser, base: str, paths: dict[str, Path | None], width: int) -> dict[str, list[str]]:
    """The layout faults of each page (a path under `base`) at `width`, and its screenshot where a
    file is given."""
    found: dict[str, list[str]] = {}

    def check(page, visit) -> None:
        path = visit.url.removeprefix(base)
        if screenshot := paths[path]:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        found[path] = page.evaluate(LAYOUT, width >= 1000)

    visit_each(browser, base, list(paths), check, at_once=4, viewport={"width": width, "height": 900})
    return found


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_key_pages_fit_and_are_legible(served_for_visits, built_site, browser, width):
    shots = {path: SCREENSHOTS / f"{width}" / f"{name}.png" for name, path in KEY_PAGES.items()}
    found = all_layout_faults(browser, served_for_visits, shots, width)
    faults = {name: found[path] for name, path in KEY_PAGES.items() if found[path]}
    assert faults == {}
    assert len(list((SCREENSHOTS / f"{width}").glob("*.png"))) >= len(KEY_PAGES)


@pytest.mark.browser
def test_the_checks_catch_a_wide_table_and_small_text(browser, built_site, tmp_path):
    """A copy of the glossary page with a table that cannot wrap and a line of 9 px text, served from a
    folder of its own (the built site is shared by the test run and stays as built)."""
    from tests.site_harness import serve

    copy = tmp_path / "site"
    copy.mkdir()
    for entry in built_site.iterdir():  # the site's files, linked, beside the broken page
        (copy / entry.name).symlink_to(entry)
    (copy / "broken").mkdir()
    cells = "".join(f'<td style="white-space: nowrap">{"wide words " * 12}</td>' for _ in range(4))
    text = (
        (built_site / "glossary" / "index.html")
        .read_text()
        .replace(
            '<h2 id="parties-and-roles">',
            f'<table><tr>{cells}</tr></table><p style="font-size:9px">tiny words</p><h2 id="parties-and-roles">',
            1,
        )
    )
    (copy / "broken" / "index.html").write_text(text)
    base, server = serve(copy, search_documents=False)
    try:
        faults = layout_faults(browser, base, "broken/", 1280)
        assert any("needs sideways scrolling" in f for f in faults), faults
        assert any('"tiny words" is 9.0 px' in f for f in faults), faults
    finally:
        server.shutdown()


def test_every_page_has_its_own_title(built_site):
    titles = {}
    for page in sorted(built_site.rglob("*.html")):
        if page.name == "404.html":
            continue
        title = html.unescape(re.search(r"<title>(.*?)</title>", page.read_text(), re.S).group(1).strip())
        titles.setdefault(title, []).append(page.relative_to(built_site).as_posix())
    shared = {t: p for t, p in titles.items() if len(p) > 1}
    assert shared == {}
    assert len(titles) > 100


def test_the_sitemap_lists_every_page_at_the_site_url(built_site):
    tree = ElementTree.parse(built_site / "sitemap.xml")
    urls = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = [p for p in built_site.rglob("index.html")]
    assert len(urls) == len(pages) > 100
    assert all(u.startswith(site_url()) for u in urls)
    assert site_url() + "specifications/consumption-data%402025-10-27/Reading/" in urls


@pytest.mark.browser
def test_the_404_page_loads_its_styles_and_links_home_from_any_depth(served, browser):
    page = browser.new_page()
    try:
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        response = page.goto(served + "no/such/page/", wait_until="networkidle")
        assert response.status == 404
        assert failed == []
        stylesheets = page.eval_on_selector_all(
            "link[rel=stylesheet]", "els => els.map(e => e.sheet && e.sheet.cssRules.length)"
        )
        assert stylesheets and all(stylesheets)
        home = page.eval_on_selector("a.md-header__button.md-logo", "e => e.href")
        assert home == served
    finally:
        page.close()


def test_problem_types_point_at_the_site():
    from perseus.publication import problem_type

    assert problem_type("rate-limited") == site_url() + "sandbox/#rate-limited"
    assert "example." not in site_url()


def _svg_text_sizes(svg: str) -> tuple[float, list[float]]:
    """(CSS px per user unit at natural size, the font sizes in user units) of an SVG file."""
    opening = re.search(r"<svg[^>]*>", svg)
    assert opening, "not an SVG"
    width = re.search(r'width="([0-9.]+)(pt|px)?"', opening.group(0))
    view = re.search(r'viewBox="[-0-9. ]*?([0-9.]+) [0-9.]+"', opening.group(0))
    assert width and view, opening.group(0)
    natural = float(width.group(1)) * (4 / 3 if width.group(2) == "pt" else 1)
    sizes = [float(x) for x in re.findall(r'font-size(?::\s*|=")([0-9.]+)', svg)]
    return natural / float(view.group(1)), sizes


def test_every_drawing_and_chart_has_text_of_11_px_or_more_at_its_natural_size(built_site):
    """The browser checks that no image is shrunk; this checks the text inside each image."""
    files = [p for p in built_site.rglob("*.svg") if "assets" not in p.parts]
    assert len(files) >= 12  # charts, the provenance drawing, a class diagram per release
    small = {}
    for path in files:
        scale, sizes = _svg_text_sizes(path.read_text())
        assert sizes, path
        if min(sizes) * scale < SMALLEST_PX:
            small[path.relative_to(built_site).as_posix()] = round(min(sizes) * scale, 1)
    assert small == {}


def test_the_text_size_check_of_drawings_fails_on_a_small_font():
    scale, sizes = _svg_text_sizes(
        '<svg width="648pt" height="100pt" viewBox="0 0 648 100"><text style="font-size: 7.5px">x</text></svg>'
    )
    assert min(sizes) * scale == 10.0 < SMALLEST_PX
