"""downloads/manifest.json lists every downloadable artefact with its status and SHA-256, and matches the files."""

import json
import shutil

import pytest

from perseus.governance.pins import artefact_files
from perseus.paths import ROOT
from perseus.site.status import register
from tests.site_checks import manifest_problems

pytestmark = pytest.mark.slow  # every test here reads the built site

APPROVED = ("approved", "deployed", "superseded")  # statuses of versions a decision or the scheme has fixed


def _manifest(site):
    return json.loads((site / "downloads" / "manifest.json").read_text())


def test_every_entry_matches_its_file(built_site):
    entries = _manifest(built_site)
    assert len(entries) > 150
    assert manifest_problems(built_site) == []


def test_every_approved_artefact_is_in_it_with_each_of_its_files(built_site):
    entries = _manifest(built_site)
    by_artefact = {}
    for entry in entries:
        by_artefact.setdefault(entry.get("artefact"), []).append(entry)
    approved = [s for s in register().values() if s.status in APPROVED]
    assert {
        "gas-desnz-annual@2025-10-27",
        "consumption-data@2025-10-27",
        "desnz@2022",
        "calorific-values@2025-10-27",
        "emissions-cap-fsp@2026-03-12",
    } <= {s.ref for s in approved}
    for standing in approved:
        listed = by_artefact.get(standing.ref, [])
        assert listed, f"{standing.ref} ({standing.status}) is not in the manifest"
        assert all(e["status"] == standing.status for e in listed), listed
        sources = {e.get("source") for e in listed}
        for rel in artefact_files(standing.kind, standing.ref, ROOT):  # every file its decision pins
            assert rel in sources, f"{standing.ref}: {rel} is not downloadable"


def test_it_holds_the_sources_implementers_ask_for(built_site):
    paths = {e["path"] for e in _manifest(built_site)}
    assert "methodologies/gas-desnz-annual@2025-10-27.yaml" in paths
    assert {f"factors/desnz@{year}.csv" for year in range(2019, 2027)} <= paths
    assert "factors/calorific-values.yaml" in paths
    assert "linkml/perseus.yaml" in paths and "linkml/consumption.yaml" in paths
    assert "examples/valid/MeterData-gas-cubic-metres.json" in paths
    cases = {p.split("/")[1] for p in paths if p.startswith("conformance/") and p.count("/") >= 2}
    assert cases == {p.name for p in (ROOT / "tests" / "conformance").iterdir() if p.is_dir() and p.name[:3].isdigit()}
    assert "conformance/calculator-conformance-cases.zip" in paths


def test_a_changed_file_or_a_missing_entry_is_caught(built_site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(built_site / "downloads", broken / "downloads")
    target = broken / "downloads" / "methodologies" / "gas-desnz-annual@2025-10-27.yaml"
    target.write_bytes(target.read_bytes() + b"\n")
    (broken / "downloads" / "stray.txt").write_text("not listed")
    problems = manifest_problems(broken)
    assert any("gas-desnz-annual@2025-10-27.yaml: SHA-256" in p for p in problems), problems
    assert any("stray.txt: on the site under downloads/ but not in the manifest" in p for p in problems), problems


def test_the_downloads_page_shows_status_and_hash_of_each_file(built_site):
    page = (built_site / "downloads" / "index.html").read_text()
    for entry in _manifest(built_site):
        assert entry["sha256"] in page and f'href="{entry["path"]}"' in page, entry["path"]
    assert "status-approved" in page and "status-informative" in page
