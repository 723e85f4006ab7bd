"""The governance pages show what the records hold: the one register, each decision's pins and the
packs voters saw, every erratum with its old and new hash, the process, and the changelog."""

from __future__ import annotations

import html
import re

import yaml

from perseus.paths import GOVERNANCE, ROOT


def _text(page) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))


def _words(text: str) -> str:
    """The words alone: markup leaves spaces around code and links that the Markdown does not have."""
    return " ".join(re.findall(r"\w+", text))


def test_the_register_page_lists_every_artefact_with_its_status(built_site):
    page = " ".join(_text(built_site / "governance" / "index.html").split())
    for entry in yaml.safe_load((GOVERNANCE / "register.yaml").read_text())["artefacts"]:
        assert re.search(rf"{re.escape(entry['artefact'])} {entry['kind']} {entry['status']}", page), entry["artefact"]


def test_every_erratum_is_shown_with_its_old_and_new_hash(built_site):
    page = _text(built_site / "governance" / "errata" / "index.html")
    for path in sorted((GOVERNANCE / "errata").glob("*.yaml")):
        erratum = yaml.safe_load(path.read_text())
        assert erratum["id"] in page and " ".join(erratum["decided_by"].split()) in " ".join(page.split())
        for change in erratum.get("pins") or []:
            assert change["old_sha256"] in page and change["new_sha256"] in page


def test_a_decision_page_shows_its_pins_and_the_packs_shown(built_site):
    page = _text(built_site / "governance" / "decisions" / "tag-2025-10-27-gas" / "index.html")
    assert "factors/desnz@2022.csv" in page and "generated/linkml/consumption-data@2025-10-27.yaml" in page
    assert "not recorded (transcribed" in page  # no tally is invented
    pack = (
        built_site
        / "governance"
        / "packs"
        / "tag-2025-10-27-gas"
        / "consumption-data@2025-10-23..consumption-data@2025-10-27"
        / "index.html"
    )
    assert "DataSource" in _text(pack) or "EnergyType" in _text(pack)


def test_the_process_and_the_changelog_are_on_the_site(built_site):
    process = " ".join(_text(built_site / "governance" / "process" / "index.html").split())
    for step in (
        "perseus governance propose",
        "perseus governance record-vote",
        "perseus governance publish",
        "perseus governance erratum",
        "perseus governance check",
    ):
        assert step in process
    changelog = _words(_text(built_site / "governance" / "changelog" / "index.html"))
    first = (ROOT / "CHANGELOG.md").read_text().split("\n- ", 2)[1].split("\n")[0]
    assert _words(first)[:80] in changelog
