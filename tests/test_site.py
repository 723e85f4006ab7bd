"""The built documentation site, checked against the running code, and in headless Chromium."""

import html as html_lib
import re
import shutil
from urllib.parse import unquote, urlparse

import pytest

from perseus.paths import EXAMPLES, ROOT
from tests.site_checks import download_problems, example_problems, json_examples, worked_problems, worked_tables
from tests.site_harness import CHROMIUM, CHROMIUM_ARGS, site_prefix, visit_all

pytestmark = pytest.mark.slow  # every test here reads the built site


@pytest.fixture(scope="session")
def visits(served_for_visits, built_site):
    return visit_all(served_for_visits, built_site)


# --- checks that read the built files -------------------------------------------------------------


def test_every_json_example_on_the_site_validates(built_site):
    assert len(json_examples(built_site)) >= 20
    assert example_problems(built_site) == []
    for page in built_site.rglob("*.html"):  # no JSON block escapes the checked wrapper
        text = page.read_text()
        assert text.count('class="language-json') <= text.count('class="example"'), page


def test_every_worked_number_equals_what_the_calculator_returns_now(built_site):
    assert set(worked_tables(built_site)) == {
        "gas-desnz-annual@2025-10-27",
        "electricity-location-based@2025-10-27",
        "electricity-desnz-annual@2025-10-27",
        *(
            f"gas-desnz-{option}@2026-12-02"
            for option in ("published", "cubic-metre", "published-cubic-metre", "zone-daily-cv", "biomethane-share")
        ),
    }
    assert worked_problems(built_site) == []


def test_every_download_is_byte_identical_to_generated(built_site):
    assert download_problems(built_site) == []


def test_broken_example_number_or_download_is_caught(built_site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(built_site, broken)
    page = broken / "specifications" / "consumption-data@2025-10-27" / "MeterData" / "index.html"
    page.write_text(page.read_text().replace("RG10", "rg10", 1))
    assert any("ukPostcodeOutcode" in p for p in example_problems(broken))
    gas = broken / "methodologies" / "gas-desnz-annual@2025-10-27" / "index.html"
    gas.write_text(re.sub(r'(data-key="2025-12:emissions" data-value=")([0-9.]+)', r"\g<1>638.667", gas.read_text()))
    assert any("2025-12" in p for p in worked_problems(broken))
    gas.write_text(
        re.sub(r'(data-key="2026-01:volume_energy_kwh" data-value=")([0-9.]+)', r"\g<1>3858.2", gas.read_text())
    )
    assert any("2026-01: volume_energy_kwh by hand" in p for p in worked_problems(broken))
    download = next((broken / "downloads" / "jsonschema").glob("*.json"))
    download.write_bytes(download.read_bytes() + b" ")
    assert any(download.name in p for p in download_problems(broken))


def test_guide_error_line_is_what_the_command_prints(built_site, perseus):
    result = perseus(
        "validate",
        EXAMPLES / "invalid" / "MeterData-cubic-metres-on-electricity.json",
        "--spec",
        "consumption-data@2025-10-27",
    )
    printed = result.stderr.splitlines()[0].split(": ", 1)[1]
    guide = (built_site / "guide" / "index.html").read_text()
    assert "payload.json: " + printed in html_lib.unescape(guide)


def test_home_page_shows_the_readme_commands(built_site):
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^make \w+", readme.split("```sh", 1)[1].split("```", 1)[0], flags=re.M)
    home = html_lib.unescape(re.sub(r"<[^>]+>", "", (built_site / "index.html").read_text()))
    for command in commands:
        assert command in home


def test_every_proposed_option_has_an_impact_page_showing_its_pack(built_site):
    import json

    from perseus.review.impact.variants import proposed_options

    pairs = proposed_options()
    assert ("electricity-location-based@2025-10-27", "electricity-desnz-annual@2025-10-27") in pairs
    for old, new in pairs:
        page = (built_site / "impact" / new / "index.html").read_text()
        cells = re.sub(r">\s+<", "><", page)
        data = json.loads((built_site / "impact" / f"{old}..{new}.json").read_text())
        assert (data["old"], data["new"]) == (old, new) and data["byMonth"]
        for row in data["byMonth"]:  # every monthly figure of the pack, as the page shows it
            assert (
                f"<tr><td>{row['archetype']}</td><td>{row['month']}</td>"
                f"<td>{row['old']:,.3f}</td><td>{row['new']:,.3f}</td>"
            ) in cells, (new, row)
        assert f'src="../{old}..{new}.svg"'.replace("@", "%40") in page
        assert (built_site / "impact" / f"{old}..{new}.svg").read_bytes().startswith(b"<?xml")
        methodology = (built_site / "methodologies" / new / "index.html").read_text()
        assert f'href="../../impact/{new}/"'.replace("@", "%40") in methodology


# --- checks in the browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_every_page_loads_without_console_errors_or_foreign_requests(visits):
    assert len(visits) > 20
    for rel, visit in visits.items():
        assert visit.console_errors == [], (rel, visit.console_errors)
        assert visit.foreign_requests == [], (rel, visit.foreign_requests)
        assert visit.failed_requests == [], (rel, visit.failed_requests)


@pytest.mark.browser
def test_internal_links_resolve(visits, built_site):
    broken = []
    for rel, visit in visits.items():
        for link in visit.links:
            url = urlparse(link)
            if url.hostname != "127.0.0.1":
                continue
            target = built_site / unquote(url.path).removeprefix(site_prefix())
            if url.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append((rel, link))
    assert broken == []


@pytest.mark.browser
def test_methodology_pages_show_formulas_and_charts(visits):
    from perseus.methodology.documents import all_methodologies

    pages = {rel: v for rel, v in visits.items() if rel.startswith("methodologies/") and "@" in rel}
    assert len(pages) == len(all_methodologies()) == 8
    for rel, visit in pages.items():
        assert visit.math >= 2, rel
        assert visit.images and all(img["width"] > 100 and img["alt"] for img in visit.images), (rel, visit.images)


def _browser():
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    return manager, manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.mark.browser
def test_search_for_calorific_finds_the_gas_methodology(served):
    manager, browser = _browser()
    try:
        page = browser.new_page()
        page.goto(served, wait_until="networkidle")
        page.keyboard.press("s")  # Material's shortcut that opens search, as a reader would
        page.keyboard.type("calorific")
        page.wait_for_selector(".md-search-result__link", timeout=15000)
        hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
        assert any("gas-desnz-annual" in unquote(h) for h in hrefs), hrefs
    finally:
        browser.close()
        manager.stop()


@pytest.mark.browser
def test_home_to_gas_formula_factor_example_and_chart_in_one_click(served):
    manager, browser = _browser()
    try:
        page = browser.new_page()
        page.goto(served, wait_until="networkidle")
        page.click("article >> text=Gas methodology")  # click 1
        page.wait_for_load_state("networkidle")
        assert "gas-desnz-annual" in unquote(page.url)
        assert page.locator("math.formula").count() >= 3
        assert page.locator("table.worked-example td[data-key$='_factor']").count() >= 2
        assert page.locator("table.worked-example td[data-key$=':emissions']").count() >= 2
        assert page.eval_on_selector_all("article img", "els => els.filter(e => e.naturalWidth > 0).length") >= 1
        # The worked-example table is styled like the others: cells padded and ruled, so columns do not run together.
        padding, border = page.eval_on_selector(
            "table.worked-example td",
            "e => [parseFloat(getComputedStyle(e).paddingLeft), parseFloat(getComputedStyle(e).borderTopWidth)]",
        )
        assert padding >= 8 and border > 0
    finally:
        browser.close()
        manager.stop()


def test_guide_shows_the_commands_make_demo_runs(built_site):
    from perseus.site.hooks import makefile_recipe

    guide = html_lib.unescape(re.sub(r"<[^>]+>", "", (built_site / "guide" / "index.html").read_text()))
    commands = makefile_recipe("demo").splitlines()[1:-1]
    assert any("perseus calculate" in c for c in commands)
    for command in commands:
        assert command in guide


def test_provenance_page_shows_a_drawing_of_a_signed_record(built_site):
    page = (built_site / "provenance" / "index.html").read_text()
    assert "provenance-record-drawing" not in page  # the marker was replaced
    assert 'href="record-drawing.svg"' in page  # the drawing opens on its own, full size
    svg = (built_site / "provenance" / "record-drawing.svg").read_text()
    for text in ("PROCESS", "RECEIPT", "signed by Example EDP Ltd", "gas-desnz-annual@2025-10-27", "CC-BY-4.0"):
        assert text in svg
