"""The built documentation site, checked in headless Chromium against the running code."""

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from perseus.paths import GENERATED
from perseus.validation import load_release_schema, validate_payload
from site_harness import build_site, serve, visit_all

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def visits(built_site):
    if os.environ.get("PERSEUS_SKIP_BROWSER") == "1":
        pytest.skip("PERSEUS_SKIP_BROWSER=1")
    base, server = serve(built_site)
    try:
        yield visit_all(base, built_site)
    finally:
        server.shutdown()


def test_every_page_loads_without_console_errors_or_foreign_requests(visits):
    assert len(visits) > 5
    for rel, visit in visits.items():
        assert visit.console_errors == [], (rel, visit.console_errors)
        assert visit.foreign_requests == [], (rel, visit.foreign_requests)
        assert visit.failed_requests == [], (rel, visit.failed_requests)


def test_internal_links_resolve(visits, built_site):
    broken = []
    for rel, visit in visits.items():
        for link in visit.links:
            url = urlparse(link)
            if url.hostname != "127.0.0.1":
                continue
            target = built_site / unquote(url.path).lstrip("/")
            if url.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append((rel, link))
    assert broken == []


def test_every_json_example_on_the_site_validates(visits, built_site):
    checked = 0
    for rel, visit in visits.items():
        for example in visit.examples:
            schema = load_release_schema(example["spec"])
            problems = validate_payload(schema, example["type"], json.loads(example["text"]))
            assert problems == [], (rel, example["type"], [str(p) for p in problems])
            checked += 1
    assert checked >= 20
    # every JSON block on the site is inside an example wrapper that names its schema
    for html in built_site.rglob("*.html"):
        text = html.read_text()
        assert text.count('class="language-json') <= text.count('class="example"'), html


def test_every_download_is_byte_identical_to_generated(built_site):
    files = [p for p in GENERATED.rglob("*") if p.is_file() and p.name != "README.md"]
    assert files
    for path in files:
        published = built_site / "downloads" / path.relative_to(GENERATED)
        assert published.read_bytes() == path.read_bytes(), path


def test_guide_error_line_is_what_the_command_prints(built_site, perseus):
    from perseus.paths import EXAMPLES

    result = perseus("validate", EXAMPLES / "invalid" / "MeterData-cubic-metres-on-electricity.json",
                     "--spec", "consumption-data@2025-10-27")
    printed = result.stderr.splitlines()[0].split(": ", 1)[1]
    guide = (built_site / "guide" / "index.html").read_text()
    import html as html_lib

    assert "payload.json: " + printed in html_lib.unescape(guide)


def test_home_page_shows_the_readme_commands(built_site):
    import html as html_lib
    import re

    from perseus.paths import ROOT

    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^make \w+", readme.split("```sh", 1)[1].split("```", 1)[0], flags=re.M)
    home = html_lib.unescape(re.sub(r"<[^>]+>", "", (built_site / "index.html").read_text()))
    for command in commands:
        assert command in home


def test_provenance_page_shows_a_drawing_of_a_signed_record(built_site):
    import base64
    import re

    page = (built_site / "provenance" / "index.html").read_text()
    assert "provenance-record-drawing" not in page  # the marker was replaced
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page).group(1)).decode()
    for text in ("PROCESS", "RECEIPT", "signed by Example EDP Ltd", "gas-desnz-annual@2025-10-27", "CC-BY-4.0"):
        assert text in svg
