"""Faults found on the site, each checked on the built pages so that it cannot come back."""

import html
import re

import pytest

from perseus.site import artefacts
from perseus.site.nav import RANK
from perseus.site.status import standing

pytestmark = pytest.mark.slow  # every test here reads the built site


def _text(page) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))


def test_annual_factor_charts_draw_no_grid_intensity(built_site):
    folder = built_site / "methodologies"
    for ref, uses_intensity in (
        ("electricity-location-based@2025-10-27", True),
        ("electricity-desnz-annual@2025-10-27", False),
        ("gas-desnz-annual@2025-10-27", False),
    ):
        svg = (folder / f"{ref}-half-hourly.svg").read_text()
        assert ("grid intensity" in svg) is uses_intensity, ref
        alt = re.search(r'<img alt="([^"]+)"', (folder / ref / "index.html").read_text()).group(1)
        assert ("grid intensity" in alt) is uses_intensity, (ref, alt)


def test_a_methodology_page_claims_only_the_decisions_the_records_hold(built_site):
    # The location-based method states the registry's published process: no vote of the advisory group is held.
    assert standing("electricity-location-based@2025-10-27").decisions == (("registry-2024-12-05", "approve"),)
    page = built_site / "methodologies" / "electricity-location-based@2025-10-27" / "index.html"
    text = _text(page)
    assert "Approved by the Perseus technical advisory group" not in text and "technical-advisory-group" not in text
    assert "perseus-registry, 2024-12-05: approved" in text and "No vote of the advisory group" in text
    assert 'href="../../governance/decisions/registry-2024-12-05/"' in page.read_text()
    proposed = _text(built_site / "methodologies" / "electricity-desnz-annual@2025-10-27" / "index.html")
    assert "no decision record is held" in proposed
    gas = (built_site / "methodologies" / "gas-desnz-annual@2025-10-27" / "index.html").read_text()
    assert 'href="../../governance/decisions/tag-2025-10-27-gas/"' in gas


def test_factor_values_are_written_out(built_site):
    pages = list((built_site / "factors").rglob("index.html"))
    assert any("<td>0.00009</td>" in p.read_text() for p in pages)  # the factor once shown as 9e-05
    for page in pages:
        cells = re.findall(r"<td>([^<]*)</td>", page.read_text())
        assert not [c for c in cells if re.fullmatch(r"-?[0-9.]+e[-+][0-9]+", c)], page


def test_no_table_has_an_empty_header(built_site):
    for page in built_site.rglob("*.html"):
        assert not re.search(r"<thead>\s*<tr>\s*(<th[^>]*>\s*</th>\s*)+</tr>", page.read_text()), page


def test_consumption_api_pages_say_where_the_deployed_demo_differs(built_site):
    for page in (built_site / "api").glob("consumption-data@*/index.html"):
        text = _text(page)
        assert "bearer token" in text and "YYYY-MM-DD" in text, page
    for page in (
        built_site / "specifications" / "consumption-data@2025-10-23" / "index.html",
        built_site / "api" / "consumption-data@2025-10-23" / "index.html",
    ):
        assert "The deployed electricity-only" not in _text(page), page


def test_the_sidebar_groups_versions_by_label_current_first(built_site):
    # The sidebar is pruned (navigation.prune): a label's versions are listed on the pages of that label.
    page = "consumption-data@2025-10-27"
    assert artefacts.latest("consumption-data") != page  # so that the label's entry is a link to another page
    nav = (built_site / "specifications" / page / "index.html").read_text()
    nav = nav.split('<nav class="md-nav md-nav--primary"', 1)[1]
    assert "consumption-data" in nav
    # The label's entry opens its current version (the deployed one); the others follow, in force first.
    group = nav.split('<a href="../consumption-data%40', 1)[1]
    assert group.startswith(artefacts.latest("consumption-data").split("@")[1] + '/"'), group[:40]
    consumption = group.split("emissions-data", 1)[0]
    shown = re.findall(r"(\d{4}-\d{2}-\d{2}) \((\w+)\)", html.unescape(consumption))
    statuses = [s for _, s in shown]
    assert statuses == sorted(statuses, key=RANK.get) and "approved" in statuses and "draft" in statuses, shown


def test_every_artefact_page_links_its_versions_status_and_review_packs(built_site):
    page = (built_site / "specifications" / "consumption-data@2025-10-27" / "index.html").read_text()
    assert 'class="status-badge status-approved"' in page
    assert 'href="../consumption-data%402025-10-23/"' in page  # previous version
    assert 'href="../consumption-data%402026-11-28/"' in page  # next version
    assert 'href="../../changes/consumption-data%402025-10-23..consumption-data%402025-10-27/"' in page  # review pack
    assert 'href="../../governance/decisions/tag-2025-10-27-gas/"' in page
    assert 'href="../../latest/consumption-data/"' in page
    decision = (built_site / "governance" / "decisions" / "tag-2025-10-27-gas" / "index.html").read_text()
    for target in (
        "specifications/consumption-data%402025-10-27/",
        "methodologies/gas-desnz-annual%402025-10-27/",
        "permission-texts/edp-cap%402025-10-27/",
    ):
        assert f'href="../../../{target}"' in decision, target


def test_problem_type_links_point_at_this_site(built_site):
    from perseus.publication import site_url

    found = set()
    for page in built_site.rglob("*.html"):
        found |= set(
            re.findall(
                r'"type"</span><span class="p">:</span><span class="w"> </span><span class="s2">"([^"]+)"',
                page.read_text(),
            )
        )
    links = {t for t in found if t.startswith("http")}
    assert links, "no Problem example on the site"
    assert {t for t in links if not t.startswith(site_url() + "sandbox/#")} == set()
