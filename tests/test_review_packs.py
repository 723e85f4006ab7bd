"""Review packs miss nothing a voter needs: every leaf difference of the published JSON Schema and
OpenAPI documents is explained by a row, each row is classed as breaking or not for producers and
consumers, descriptions are versioned, first versions get a pack, and published packs stay."""

from __future__ import annotations

import copy
import json
import shutil
from itertools import pairwise

import pytest
import yaml

from perseus.paths import ROOT
from perseus.review.pack import published_packs, review
from perseus.review.published_diff import jsonschema_changes, openapi_changes

RELEASES = yaml.safe_load((ROOT / "governance/releases.yaml").read_text())["releases"]


def _consecutive_pairs() -> list[tuple[str, str]]:
    by_label: dict[str, list[str]] = {}
    for release in RELEASES:
        by_label.setdefault(release["label"], []).append(release["version"])
    return [
        (f"{label}@{a}", f"{label}@{b}") for label, versions in by_label.items() for a, b in pairwise(sorted(versions))
    ]


def _documents(ref: str) -> dict[str, dict]:
    return {
        "JSON Schema": json.loads((ROOT / f"generated/jsonschema/{ref}.schema.json").read_text()),
        "OpenAPI": json.loads((ROOT / f"generated/openapi/{ref}.json").read_text()),
    }


def raw_leaf_diff(old, new, at: str = "") -> set[str]:
    """A plain JSON diff, written here independently of the pack: every leaf that is added, removed or
    changed, lists compared position by position, as JSON pointers."""

    def esc(key) -> str:
        return str(key).replace("~", "~0").replace("/", "~1")

    def every_leaf(value, where):
        if isinstance(value, dict) and value:
            return set().union(*(every_leaf(v, f"{where}/{esc(k)}") for k, v in value.items()))
        if isinstance(value, list) and value:
            return set().union(*(every_leaf(v, f"{where}/{i}") for i, v in enumerate(value)))
        return {where}

    if isinstance(old, dict) and isinstance(new, dict):
        out: set[str] = set()
        for key in old.keys() | new.keys():
            where = f"{at}/{esc(key)}"
            out |= (
                raw_leaf_diff(old[key], new[key], where)
                if key in old and key in new
                else every_leaf(old.get(key, new.get(key)), where)
            )
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = set()
        for i in range(max(len(old), len(new))):
            out |= (
                raw_leaf_diff(old[i], new[i], f"{at}/{i}")
                if i < len(old) and i < len(new)
                else every_leaf((old + new)[i] if i < len(old) else new[i], f"{at}/{i}")
            )
        return out
    return set() if (old == new and type(old) is type(new)) else {at}


PAIRS = _consecutive_pairs()


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}..{b}" for a, b in PAIRS])
def test_every_leaf_difference_of_the_published_documents_is_a_pack_row(old, new):
    pack = review(old, new)
    before, after = _documents(old), _documents(new)
    assert [r for r in pack.published if not r.explained] == []
    for document in ("JSON Schema", "OpenAPI"):
        leaves = raw_leaf_diff(before[document], after[document])
        assert leaves, f"{old} and {new} publish the same {document}: pick releases that differ"
        covers = [c for r in pack.published if r.document == document for c in r.covers]
        unexplained = sorted(leaf for leaf in leaves if not any(leaf == c or leaf.startswith(c + "/") for c in covers))
        assert unexplained == [], f"{document}: differences no row explains"


def test_the_pairs_cover_every_label_with_more_than_one_release():
    assert {a.split("@")[0] for a, _ in PAIRS} == {"consumption-data", "emissions-data", "heartbeat"}


def _row(pack, name, element=None, document="JSON Schema"):
    found = [
        r
        for r in pack.published
        if r.name == name and r.document == document and (element is None or r.element == element)
    ]
    assert len(found) == 1, (name, [(r.document, r.element, r.name) for r in pack.published])
    return found[0]


def test_breaking_classes_of_the_gas_release():
    pack = review("consumption-data@2025-10-23", "consumption-data@2025-10-27")
    gas = _row(pack, "DataSource.type.gas", "enum value")
    assert (gas.producers, gas.consumers) == (False, True)  # producers may go on sending electricity only
    assert (
        "Natural gas taken from the gas grid" in _row(pack, "EnergyType", "class").words
    )  # meanings, from the LinkML source
    field = _row(pack, "MeterData.calorificValue", "field")
    assert (field.producers, field.consumers) == (
        False,
        False,
    ) and "optional" in field.words  # the registry's object was open
    renamed = _row(pack, "Energy", "class")  # the registry's `Consumption` is the project's `Energy`
    assert "`Consumption` is now named `Energy`" in renamed.words and (renamed.producers, renamed.consumers) == (
        False,
        True,
    )
    closed = _row(pack, "MeterData", "constraint")
    assert (closed.producers, closed.consumers) == (True, False) and "no keys beyond" in closed.words
    rule = _row(pack, "Reading", "rule")
    assert (rule.producers, rule.consumers) == (True, False)  # MTQ on electricity is now refused
    assert (
        "when `type` is `electricity`" in rule.words and "`energy.unitCode` must be one of `KWH`; `WHR`" in rule.words
    )
    zone = _row(pack, "CalorificValue", "class")
    assert (
        "one of the 13 codes EA, EM, NO, NE, NT, NW, SC, SO, SE, SW, WM, WN, WS" in zone.words
    )  # the pattern, in words
    assert "`megajoulesPerCubicMetre`, required: a number, at least 30, at most 50" in zone.words
    assert all(not r.producers and not r.consumers for r in pack.published if r.element in ("description", "form"))


def test_breaking_classes_of_the_draft_error_bodies():
    pack = review("heartbeat@2025-10-23", "heartbeat@2026-11-28")
    limited = _row(pack, "GET /heartbeat 429", "response", "OpenAPI")
    assert (limited.producers, limited.consumers) == (False, True)
    assert "header `Retry-After` (required" in limited.words
    scenario = _row(pack, "GET /heartbeat header X-Perseus-Scenario", "parameter", "OpenAPI")
    assert scenario.consumers is False and "optional" in scenario.words
    examples = [
        r
        for r in review("consumption-data@2025-10-23", "consumption-data@2025-10-27").published
        if r.element == "example"
    ]
    assert len(examples) == 3 and all(not r.producers and not r.consumers for r in examples)


def test_an_enum_value_added_to_an_approved_release_is_breaking_for_consumers():
    old = _documents("heartbeat@2025-10-23")["JSON Schema"]
    new = copy.deepcopy(old)
    new["$defs"]["Heartbeat"]["properties"]["status"]["enum"].append(
        "maintenance"
    )  # the registry's document inlines the enum
    (row,) = [r for r in jsonschema_changes(old, new, {}) if r.element == "enum value"]
    assert (row.name, row.producers, row.consumers) == ("Heartbeat.status.maintenance", False, True)


def test_a_constraint_written_in_python_shows_in_the_pack():
    """`minItems` of CertificateMap comes from generators/jsonschema.py, not LinkML: the pack still sees it."""
    old = _documents("consumption-data@2026-11-28")["OpenAPI"]
    new = copy.deepcopy(old)
    new["components"]["schemas"]["CertificateMap"]["additionalProperties"]["minItems"] = 2
    rows = [r for r in openapi_changes(old, new, {}) if r.explained]
    assert (
        len(rows) == 1 and rows[0].name == "CertificateMap (each value)" and rows[0].producers and not rows[0].consumers
    )
    assert "at least 2 item(s)" in rows[0].words


def test_an_optional_field_added_to_a_closed_object_breaks_consumers_of_the_old_schema():
    old = _documents("consumption-data@2025-10-27")["JSON Schema"]
    new = copy.deepcopy(old)
    new["$defs"]["DataSource"]["properties"]["meterSerial"] = {"type": "string"}
    (row,) = [r for r in jsonschema_changes(old, new, {}) if r.element == "field"]
    assert (row.producers, row.consumers) == (False, True) and "old schema refuse payloads that carry it" in row.words


def test_a_required_field_made_optional_breaks_consumers_and_the_reverse_breaks_producers():
    old = _documents("consumption-data@2025-10-27")["JSON Schema"]
    new = copy.deepcopy(old)
    new["$defs"]["Reading"]["required"].remove("takenAt")
    (loosened,) = [r for r in jsonschema_changes(old, new, {}) if r.element == "required"]
    (tightened,) = [r for r in jsonschema_changes(new, old, {}) if r.element == "required"]
    assert (loosened.producers, loosened.consumers, tightened.producers, tightened.consumers) == (
        False,
        True,
        True,
        False,
    )


def test_a_difference_no_rule_knows_is_a_row_marked_unexplained():
    old = _documents("heartbeat@2025-10-23")["JSON Schema"]
    new = copy.deepcopy(old) | {"x-something-new": {"a": 1}}
    (row,) = jsonschema_changes(old, new, {})
    assert not row.explained and row.covers == ("/x-something-new/a",)


def test_descriptions_are_versioned():
    # The registry's line of releases never took the gas additions, so none of its documents mentions gas.
    for rel in [
        f"generated/{kind}/consumption-data@{v}{ext}"
        for v in ("2025-10-23", "2026-03-12")
        for kind, ext in (("jsonschema", ".schema.json"), ("openapi", ".json"), ("linkml", ".yaml"))
    ]:
        text = (ROOT / rel).read_text().lower()
        assert "gas" not in text and "mtq" not in text and "calorific" not in text, rel
    assert (
        "for gas meters that report volume"
        in (ROOT / "generated/jsonschema/consumption-data@2025-10-27.schema.json").read_text()
    )


def test_a_first_version_gets_a_pack_that_describes_all_of_it():
    pack = review(None, "emissions-data@2025-10-27")
    defs = _documents("emissions-data@2025-10-27")["JSON Schema"]["$defs"]
    described = {r.name for r in pack.published if r.document == "JSON Schema" and r.element == "class"}
    assert described == set(defs)
    for first in (
        "emissions-data@2025-10-27",
        "heartbeat@2024-12-05",
        "consumption-data@2025-10-23",
        "desnz@2019",
        "energy-consumption-emissions-edp-cap-fsp@2026-03-12",
        "gas-desnz-annual@2025-10-27",
    ):
        assert (ROOT / f"generated/review-packs/{first}.md").exists(), first


def test_one_change_is_counted_once():
    pack = review("edp-cap@2025-10-23", "edp-cap@2025-10-27")
    assert pack.counts() == {"added": 0, "removed": 0, "changed": 1} and len(pack.words) == 1
    assert "1 change to the source; 1 change to the wording." in pack.markdown()


def test_inserting_a_release_keeps_the_pack_of_the_lineage(tmp_path):
    root = tmp_path / "repo"
    for folder in ("governance", "permission-texts", "methodologies", "factors"):
        shutil.copytree(ROOT / folder, root / folder)
    before = published_packs(root)
    releases = root / "governance/releases.yaml"
    releases.write_text(
        releases.read_text() + '  - label: consumption-data\n    version: "2026-03-12"\n    title: Consumption data\n'
        "    description: inserted between two others\n    payloads: [DataSources]\n"
    )
    after = published_packs(root)
    assert ("consumption-data@2025-10-27", "consumption-data@2026-11-28") in before
    assert ("consumption-data@2025-10-27", "consumption-data@2026-11-28") in after  # the register records the lineage
    assert {
        ("consumption-data@2025-10-27", "consumption-data@2026-03-12"),
        ("consumption-data@2026-03-12", "consumption-data@2026-11-28"),
    } <= set(after)
