"""The process of governance/PROCESS.md, run end to end on a copy of the repository with the
documented commands only: a new optional field in a new release goes from draft to an
approved, pinned, signed release whose frozen review pack lists the field."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.governance_helpers import copy_repository, perseus_in

NEW = "consumption-data@2027-01-15"
PROPOSAL = "tag-2027-01-15-meter-serial"
FIELD = """  meterSerial:
    description: The meter's serial number, as printed on it.
    range: string
    pattern: "^[A-Z0-9]{6,20}$"
    annotations:
      added_in: "2027-01-15"
"""
RELEASE = """  - label: consumption-data
    version: "2027-01-15"
    title: Consumption data
    profile: registry
    builds_on: [consumption-data@2026-11-28]
    description: Adds the meter's serial number to each data source (optional).
    payloads: [DataSources, MeterData, DataNotReady, HTTPValidationError, Problem]
"""


def _write_the_draft(root) -> None:
    """Step 1 of PROCESS.md: the new element with `added_in`, and the release in releases.yaml."""
    spec = root / "spec/consumption.yaml"
    text = spec.read_text()
    text = text.replace("\nslots:\n", "\nslots:\n" + FIELD, 1)
    text = text.replace(
        "      - location\n      - availableMeasures\n",
        "      - location\n      - availableMeasures\n      - meterSerial\n",
        1,
    )
    spec.write_text(text)
    (root / "governance/releases.yaml").write_text((root / "governance/releases.yaml").read_text() + RELEASE)


@pytest.mark.slow
def test_a_new_optional_field_goes_through_every_step(tmp_path):
    root = copy_repository(tmp_path / "repo")
    run = lambda *args: perseus_in(root, *args, check=True)  # noqa: E731
    keys = tmp_path / "secretariat"  # the secretariat's key stays outside the repository

    _write_the_draft(root)
    run("governance", "draft", NEW, "--date", "2027-01-10")  # also lists the new release beside the old in the examples
    run("generate")
    for member, organisation in (("alex-doe", "Bank A"), ("sam-roe", "Energy Co"), ("kim-poe", "CAP Ltd")):
        run(
            "governance",
            "member-add",
            member,
            "--name",
            member.replace("-", " ").title(),
            "--organisation",
            organisation,
            "--joined",
            "2027-01-01",
        )
    run(
        "governance",
        "propose",
        NEW,
        "--id",
        PROPOSAL,
        "--motion",
        f"Approval of {NEW}",
        "--proposed-by",
        "Secretariat",
        "--date",
        "2027-01-10",
    )
    run(
        "governance",
        "record-vote",
        PROPOSAL,
        "--meeting",
        "Perseus technical advisory group, 15 January 2027",
        "--vote",
        "alex-doe=for",
        "--vote",
        "sam-roe=for",
        "--vote",
        "kim-poe=abstain",
        "--date",
        "2027-01-15",
    )
    run("governance", "keys", "--output", keys, "--install")
    run(
        "governance",
        "publish",
        PROPOSAL,
        "--key",
        keys / "secretariat.key",
        "--cert",
        keys / "secretariat.pem",
        "--date",
        "2027-01-15",
    )
    run("generate")  # the changelog and the pages

    check = perseus_in(root, "governance", "check")
    assert check.returncode == 0, check.stderr
    verified = perseus_in(root, "governance", "verify-release", NEW)
    assert verified.returncode == 0, verified.stderr
    assert f"{NEW}: governance/manifests/{PROPOSAL}.json edition 1" in verified.stdout

    register = {e["artefact"]: e for e in yaml.safe_load((root / "governance/register.yaml").read_text())["artefacts"]}
    assert register[NEW]["status"] == "approved"
    assert (register[NEW]["decision"], register[NEW]["approved"]) == (PROPOSAL, "2027-01-15")
    decision = yaml.safe_load((root / f"governance/decisions/{PROPOSAL}.yaml").read_text())
    assert decision["outcome"] == "approved" and decision["tally"] == {"in_favour": 2, "against": 0, "abstentions": 1}
    pinned = {f["path"] for a in decision["artefacts"] for f in a["files"]}
    assert {
        f"generated/linkml/{NEW}.yaml",
        f"generated/jsonschema/{NEW}.schema.json",
        f"generated/openapi/{NEW}.json",
        f"generated/jsonschema/{NEW}.strict.schema.json",
    } <= pinned
    assert (
        "generated/jsonschema/consumption-data@2026-11-28.schema.json" in pinned
    )  # the baseline the pack compares against

    (pack,) = [p for p in decision["review_packs"] if p["path"].endswith(".json")]
    rows = json.loads((root / pack["path"]).read_text())["published"]
    field = [r for r in rows if r["name"] == "DataSource.meterSerial"]
    assert {(r["document"], r["change"], r["element"]) for r in field} == {
        ("JSON Schema", "added", "field"),
        ("OpenAPI", "added", "field"),
    }
    assert all(
        "optional" in r["words"] and "matching the pattern" in r["words"] and not r["breaking_for_producers"]
        for r in field
    )
    assert not [r for r in rows if r["element"] == "unexplained"]
    markdown = (root / pack["path"].replace(".json", ".md")).read_text()
    assert "`DataSource.meterSerial`" in markdown and "new field `meterSerial`, optional" in markdown

    changelog = (root / "CHANGELOG.md").read_text()
    assert (
        f"Decision `{PROPOSAL}` (vote): Approval of {NEW} — **approved**; 2 for, 0 against, 1 abstaining." in changelog
    )
    # The older releases did not change: their pins still hold (the check passed), and the field is only in the new one.
    assert "meterSerial" not in (root / "generated/jsonschema/consumption-data@2026-11-28.schema.json").read_text()
