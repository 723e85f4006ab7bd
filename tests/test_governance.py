"""The governance records hold (`perseus governance check`, which `make test` runs here), and each
way they were found to fail now fails the check with a message naming the decision or the rule."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest
import yaml
from linkml.validator import validate

from perseus.governance.check import check
from perseus.governance.pins import sha256_of
from perseus.paths import GOVERNANCE, ROOT, SPEC
from tests.governance_helpers import copy_repository, perseus_in

GAS = "tag-2025-10-27-gas"
MODEL = str(SPEC / "governance.yaml")


def _records():
    yield "ArtefactRegister", GOVERNANCE / "register.yaml"
    yield "ReleaseRegister", GOVERNANCE / "releases.yaml"
    yield "MemberRegister", GOVERNANCE / "members.yaml"
    for folder, cls in (("decisions", "DecisionRecord"), ("errata", "Erratum"), ("proposals", "Proposal")):
        for path in sorted((GOVERNANCE / folder).glob("*.yaml")):
            yield cls, path


@pytest.mark.parametrize(("target_class", "path"), list(_records()), ids=lambda x: getattr(x, "name", x))
def test_records_validate_against_the_linkml_model(target_class, path):
    report = validate(yaml.safe_load(path.read_text()), MODEL, target_class)
    assert [r.message for r in report.results] == []


@pytest.mark.parametrize("path", sorted((GOVERNANCE / "manifests").glob("*.json")), ids=lambda p: p.name)
def test_manifests_validate_against_the_linkml_model(path):
    report = validate(json.loads(path.read_text())["manifest"], MODEL, "ReleaseManifest")
    assert [r.message for r in report.results] == []


def test_governance_check_passes_on_the_repository():
    """What `make test` relies on: the command itself, exit status 0."""
    result = perseus_in(ROOT, "governance", "check")
    assert result.returncode == 0, result.stderr
    assert "governance records hold" in result.stderr


def _steps() -> dict[str, argparse.ArgumentParser]:
    from perseus.cli import build_parser

    def subcommands(parser) -> dict:
        return next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    return subcommands(subcommands(build_parser())["governance"])


def test_process_md_documents_every_step_and_the_end_to_end_test_uses_only_those():
    process = " ".join((GOVERNANCE / "PROCESS.md").read_text().split())
    documented = set(re.findall(r"perseus governance ([a-z-]+)", process))
    assert documented == set(_steps())
    end_to_end = (ROOT / "tests/test_governance_process.py").read_text()
    steps = set(re.findall(r'"governance",\s*"([a-z-]+)"', end_to_end))  # whether ruff format splits the call or not
    assert {"draft", "propose", "record-vote", "publish"} <= steps <= documented  # the scan sees the steps it must
    # ...and its options as PROCESS.md writes them, each an option of some step.
    used = set(re.findall(r'"(--[a-z-]+)"', end_to_end))
    assert {o for o in used if o not in process} == set()
    assert used <= {o for step in _steps().values() for a in step._actions for o in a.option_strings}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One copy of the repository; each tamper test copies it again (cheap) and changes its copy."""
    return copy_repository(tmp_path_factory.mktemp("pristine") / "repo")


@pytest.fixture
def repo(pristine, tmp_path):
    import shutil

    return shutil.copytree(pristine, tmp_path / "repo")


def _messages(root) -> list[str]:
    return [str(p) for p in check(root)]


def _edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


# --- the tamper findings: each passed `make test` before, each fails the check now ----------------


@pytest.mark.slow
def test_adding_an_enum_value_to_approved_heartbeat_fails(repo):
    _edit(
        repo / "spec/heartbeat.yaml",
        "    permissible_values:\n",
        "    permissible_values:\n      maintenance:\n        description: Up, but under maintenance.\n",
    )
    perseus_in(repo, "generate", check=True)  # as the finding did: regenerate, so that the drift test passes
    result = perseus_in(repo, "governance", "check")
    assert result.returncode == 1
    assert re.search(
        r"generated/jsonschema/heartbeat@2025-10-23\.schema\.json: decision registry-2025-10-23: "
        r"heartbeat@2025-10-23: changed since it was pinned for heartbeat@2025-10-23 "
        r"\(pinned by erratum heartbeat-2025-10-23-jsonschema\).*\(rule: pins-hold\)",
        result.stderr,
    ), result.stderr
    assert "generated/linkml/heartbeat@2025-10-23.yaml: decision registry-2025-10-23" in result.stderr


def test_changing_the_2022_natural_gas_factor_fails(repo):
    # As the finding did: the total and its CO2 part together, so that the split still adds up.
    _edit(
        repo / "factors/desnz@2022.csv",
        "2022,natural-gas,kWh-gross-cv,total,0.18254",
        "2022,natural-gas,kWh-gross-cv,total,0.18354",
    )
    _edit(
        repo / "factors/desnz@2022.csv",
        "2022,natural-gas,kWh-gross-cv,CO2,0.18219",
        "2022,natural-gas,kWh-gross-cv,CO2,0.18319",
    )
    (message,) = [m for m in _messages(repo) if "pins-hold" in m]
    assert message.startswith(f"factors/desnz@2022.csv: decision {GAS}: desnz@2022: changed since it was pinned")


def test_editing_the_gas_methodology_and_pasting_its_hash_fails(repo):
    path = repo / "methodologies/gas-desnz-annual@2025-10-27.yaml"
    before = sha256_of(path)
    _edit(path, "default: 39.5", "default: 39.8")
    after = sha256_of(path)
    # Paste the new hash wherever the pin in force lives: the erratum that last set it.
    (setter,) = [p for p in (repo / "governance/errata").glob("*.yaml") if f"new_sha256: {before}" in p.read_text()]
    _edit(setter, before, after)
    messages = _messages(repo)
    assert not [m for m in messages if "pins-hold" in m]  # the pasted hash agrees with the file...
    signed = [m for m in messages if "(rule: signed-manifest)" in m]
    assert any(
        f"decision {GAS}: methodologies/gas-desnz-annual@2025-10-27.yaml has sha256 {after} in force, "
        f"but the signed manifest holds {before}" in m
        for m in signed
    ), signed  # ...not with what was signed
    assert any(f"{setter.relative_to(repo)} has sha256" in m for m in signed)


def test_pasting_a_new_hash_into_the_decision_record_fails(repo):
    path = repo / "factors/desnz@2022.yaml"
    before = sha256_of(path)
    _edit(path, "1 source", "2 sources")
    _edit(repo / f"governance/decisions/{GAS}.yaml", before, sha256_of(path))
    signed = [m for m in _messages(repo) if "(rule: signed-manifest)" in m]
    assert any(f"decision {GAS}: the decision record has sha256" in m for m in signed), signed
    assert any("factors/desnz@2022.yaml has sha256" in m for m in signed)


def test_flipping_a_draft_to_approved_without_a_decision_fails(repo):
    _edit(
        repo / "governance/register.yaml",
        "- artefact: heartbeat@2026-11-28\n  kind: data-specification\n  status: draft",
        "- artefact: heartbeat@2026-11-28\n  kind: data-specification\n  status: approved\n  approved: '2026-11-28'",
    )
    messages = _messages(repo)
    assert (
        "governance/register.yaml: heartbeat@2026-11-28: approved with no decision: approval needs a carried decision "
        "naming it (rule: approval-needs-decision)"
    ) in messages
    # Flipping the status alone (no date) is caught too.
    _edit(repo / "governance/register.yaml", "  approved: '2026-11-28'\n", "")
    assert any(
        "heartbeat@2026-11-28: status is approved, but the latest stage with a date is drafted" in m
        or "latest stage with a date is draft" in m
        for m in _messages(repo)
    )


def test_a_methodology_approved_in_the_register_while_its_file_says_proposed_fails(repo):
    _edit(
        repo / "governance/register.yaml",
        "- artefact: electricity-desnz-annual@2025-10-27\n  kind: methodology\n  status: proposed",
        "- artefact: electricity-desnz-annual@2025-10-27\n  kind: methodology\n  status: approved\n  approved: '2025-10-27'\n"
        f"  decision: {GAS}",
    )
    path = repo / "methodologies/electricity-desnz-annual@2025-10-27.yaml"
    path.write_text("status: proposed\n" + path.read_text())
    messages = _messages(repo)
    assert (
        "methodologies/electricity-desnz-annual@2025-10-27.yaml: electricity-desnz-annual@2025-10-27: states status "
        "'proposed'; status is kept in governance/register.yaml only (which says 'approved'): remove it (rule: one-status)"
    ) in messages
    assert (
        f"governance/register.yaml: decision {GAS}: electricity-desnz-annual@2025-10-27: the decision does not name it "
        "as approved (rule: approval-needs-decision)"
    ) in messages


def test_a_tally_that_defeats_the_motion_recorded_as_approved_fails(repo):
    _edit(
        repo / f"governance/decisions/{GAS}.yaml",
        "outcome: approved\n",
        "outcome: approved\ntally:\n  in_favour: 3\n  against: 5\n  abstentions: 0\n",
    )
    tally = [m for m in _messages(repo) if "(rule: tally)" in m]
    where = f"governance/decisions/{GAS}.yaml: decision {GAS}:"
    assert f"{where} recorded as approved, but 3 for and 5 against defeats the motion (rule: tally)" in tally
    assert (
        f"{where} 8 votes cast, but technical-advisory-group had 0 voting member(s) on 2025-10-27 "
        "(governance/members.yaml) (rule: tally)"
    ) in tally


# --- other rules ----------------------------------------------------------------------------------


def test_an_unreadable_register_exits_2_naming_the_file(repo):
    (repo / "governance/register.yaml").write_text("artefacts: [unclosed\n")
    result = perseus_in(repo, "governance", "check")
    assert result.returncode == 2
    assert "governance/register.yaml: not valid YAML" in result.stderr


def test_a_record_breaking_its_model_exits_1_naming_file_and_rule(repo):
    _edit(repo / "governance/register.yaml", "status: deployed", "status: retired")
    result = perseus_in(repo, "governance", "check")
    assert result.returncode == 1
    assert re.search(
        r"governance/register\.yaml: not a valid ArtefactRegister: .*'retired'.*\(rule: model\)", result.stderr
    )


def test_a_held_artefact_without_an_entry_is_reported(repo):
    import shutil

    shutil.copy(
        repo / "permission-texts/emissions-cap-fsp@2026-03-12.yaml",
        repo / "permission-texts/emissions-cap-fsp@2027-01-01.yaml",
    )
    assert (
        "governance/register.yaml: emissions-cap-fsp@2027-01-01: the permission-text is held in the repository but has "
        "no entry (rule: one-entry)"
    ) in _messages(repo)


def test_a_file_the_vote_covered_left_unpinned_is_reported_with_its_hash(repo):
    path = repo / f"governance/decisions/{GAS}.yaml"
    decision = yaml.safe_load(path.read_text())
    texts = next(a for a in decision["artefacts"] if a["artefact"] == "calorific-values@2025-10-27")
    texts["files"] = []
    path.write_text(yaml.safe_dump(decision, sort_keys=False))
    expected = sha256_of(repo / "factors/calorific-values.yaml")
    assert any(
        f"calorific-values@2025-10-27: does not pin factors/calorific-values.yaml (sha256 {expected}" in m
        and "(rule: pins-complete)" in m
        for m in _messages(repo)
    )


def test_a_frozen_review_pack_that_changes_is_reported(repo):
    pack = next((repo / "governance/packs" / GAS).glob("consumption-data@*..*.md"))
    pack.write_text(pack.read_text() + "\nA line added after the vote.\n")
    assert any(
        f"{pack.relative_to(repo)}: decision {GAS}: review-packs: changed since it was pinned" in m
        for m in _messages(repo)
    )


def test_an_erratum_must_start_from_the_hash_in_force(repo):
    _edit(
        repo / "governance/errata/2026-12-01-methodology-status.yaml",
        "9df77b98852a1287e900ed0e4e5b532aebaeafc4c023e40ef0ff3c1066d7d257",
        "a" * 64,
    )
    assert any(
        "changes methodologies/gas-desnz-annual@2025-10-27.yaml from aaaa" in m and "(rule: errata)" in m
        for m in _messages(repo)
    )


def test_superseding_needs_an_approved_later_version(repo):
    _edit(
        repo / "governance/register.yaml",
        "superseded_by: emissions-report@2025-10-23",
        "superseded_by: emissions-report@2023-01-01",
    )
    assert any(
        "emissions-report@2024-10-20: superseded, but superseded_by emissions-report@2023-01-01 is no approved" in m
        for m in _messages(repo)
    )


def test_sunset_before_deprecation_is_refused(repo):
    _edit(
        repo / "governance/register.yaml",
        "  decision: registry-2025-10-23\n  note: The scheme's deployed",
        "  decision: registry-2025-10-23\n  deprecated: '2027-01-01'\n  sunset: '2026-12-31'\n  note: The scheme's deployed",
    )
    assert any(
        "consumption-data@2025-10-23: sunset 2026-12-31 is before its deprecation 2027-01-01 (rule: lifecycle)" in m
        for m in _messages(repo)
    )


def test_the_gas_decision_pins_every_byte_the_vote_covered():
    decision = yaml.safe_load((GOVERNANCE / "decisions" / f"{GAS}.yaml").read_text())
    pinned = {f["path"] for a in decision["artefacts"] for f in a["files"]} | {
        p["path"] for p in decision["review_packs"]
    }
    for ref in ("consumption-data@2025-10-27", "emissions-data@2025-10-27", "consumption-data@2025-10-23"):
        assert {
            f"generated/linkml/{ref}.yaml",
            f"generated/jsonschema/{ref}.schema.json",
            f"generated/openapi/{ref}.json",
        } <= pinned
    assert {f"factors/desnz@{y}.{e}" for y in range(2019, 2026) for e in ("csv", "yaml")} <= pinned
    assert {
        "factors/calorific-values.yaml",
        "methodologies/gas-desnz-annual@2025-10-27.yaml",
        "permission-texts/edp-cap@2025-10-27.yaml",
        "generated/permission-text/edp-cap@2025-10-27.yaml",
    } <= pinned
    assert f"governance/packs/{GAS}/consumption-data@2025-10-23..consumption-data@2025-10-27.md" in pinned
    assert decision["basis"] == "transcribed" and "tally" not in decision and "chair" not in decision  # never guessed


# --- signed releases ----------------------------------------------------------------------------


def test_every_carried_decision_has_a_manifest_signed_by_the_secretariat():
    from perseus.governance.manifest import TRUST_ANCHORS, verify

    for path in sorted((GOVERNANCE / "decisions").glob("*.yaml")):
        body = json.loads((GOVERNANCE / "manifests" / f"{path.stem}.json").read_text())
        verified = verify(body["manifest"], body["signature"], (ROOT / TRUST_ANCHORS).read_bytes())
        assert verified.signer == "Perseus secretariat"


def test_verify_release_checks_signature_anchor_and_files(repo, tmp_path):
    ok = perseus_in(repo, "governance", "verify-release", "emissions-data@2025-10-27")
    assert ok.returncode == 0 and "signed by Perseus secretariat" in ok.stdout and "verified" in ok.stdout

    foreign = tmp_path / "foreign"
    perseus_in(repo, "governance", "keys", "--output", foreign, check=True)  # another CA, not installed
    other = perseus_in(
        repo,
        "governance",
        "verify-release",
        "emissions-data@2025-10-27",
        "--trust-anchor",
        foreign / "secretariat-ca.pem",
    )
    assert other.returncode == 1 and "does not chain to the trust anchor" in other.stderr

    missing = perseus_in(
        repo, "governance", "verify-release", "emissions-data@2025-10-27", "--trust-anchor", tmp_path / "none.pem"
    )
    assert missing.returncode == 2 and "cannot read the trust anchor" in missing.stderr
    assert perseus_in(repo, "governance", "verify-release", "nothing@2025-01-01").returncode == 2

    path = repo / f"governance/manifests/{GAS}.json"
    body = json.loads(path.read_text())
    body["manifest"]["files"][0]["sha256"] = "b" * 64  # an edit to the signed list
    path.write_text(json.dumps(body))
    edited = perseus_in(repo, "governance", "verify-release", "emissions-data@2025-10-27")
    assert edited.returncode == 1 and "the manifest was changed after it was signed" in edited.stderr


def test_verify_release_finds_a_file_changed_after_signing(repo):
    _edit(repo / "generated/openapi/emissions-data@2025-10-27.json", '"openapi"', '"openapi" ', 1)
    result = perseus_in(repo, "governance", "verify-release", "emissions-data@2025-10-27")
    assert result.returncode == 1
    assert (
        "generated/openapi/emissions-data@2025-10-27.json: sha256" in result.stderr
        and "the manifest holds" in result.stderr
    )


def test_signing_needs_the_secretariat_role(repo, tmp_path):
    perseus_in(
        repo, "keys", "--output", tmp_path / "cap", "--name", "cap", check=True
    )  # a scheme member, not the secretariat
    result = perseus_in(
        repo, "governance", "sign", GAS, "--key", tmp_path / "cap/cap.key", "--cert", tmp_path / "cap/cap.pem"
    )
    assert result.returncode == 1 and "secretariat role" in result.stderr


# --- a proposal revised before its vote ---------------------------------------------------------


def _awaiting_vote() -> list[dict]:
    """The proposals the group has still to vote on: neither decided nor revised by a later one."""
    proposals = [yaml.safe_load(p.read_text()) for p in sorted((GOVERNANCE / "proposals").glob("*.yaml"))]
    decided = {yaml.safe_load(p.read_text()).get("proposal") for p in (GOVERNANCE / "decisions").glob("*.yaml")}
    revised = {p.get("revises") for p in proposals}
    return [p for p in proposals if p["id"] not in decided | revised]


@pytest.mark.parametrize("proposal", _awaiting_vote(), ids=lambda p: p["id"])
def test_the_packs_awaiting_a_vote_show_the_artefacts_as_they_stand(proposal):
    """A text corrected after its packs were frozen is put again (`propose --revises`), so that
    the group votes on packs of the text it would approve."""
    from perseus.governance.register import entries
    from perseus.review.pack import review

    frozen = {Path(p["path"]).name: p for p in proposal["review_packs"]}
    for ref in proposal["artefacts"]:
        pack = review(entries()[ref].get("compared_with"), ref, ROOT, lineage=True)
        held = json.loads((ROOT / frozen[f"{pack.name}.json"]["path"]).read_text())
        assert held["changes"] == json.loads(pack.json())["changes"], f"{proposal['id']}: the pack of {ref} is stale"


def test_a_revised_proposal_is_not_voted_on_nor_revised_twice(repo):
    from perseus.governance import process

    revision = next(p for p in _awaiting_vote() if p.get("revises"))
    earlier = revision["revises"]
    with pytest.raises(process.StepRefused, match=f"revised by {revision['id']}; the vote is on that proposal"):
        process.record_vote(repo, earlier, "2026-12-03", "a meeting", tally={"for": 5, "against": 0, "abstain": 0})
    with pytest.raises(process.StepRefused, match=f"already revised by {revision['id']}"):
        process.propose(repo, "tag-x", revision["artefacts"], "m", "p", revision["group"], "2026-12-03", earlier)
    with pytest.raises(process.StepRefused, match="puts the same artefacts again"):
        process.propose(
            repo, "tag-x", revision["artefacts"][:1], "m", "p", revision["group"], "2026-12-03", revision["id"]
        )


def test_a_decision_on_a_revised_proposal_or_a_revision_of_other_artefacts_fails(repo):
    revision = next(p for p in _awaiting_vote() if p.get("revises"))
    decision = repo / "governance/decisions" / f"{GAS}.yaml"
    _edit(decision, f"id: {GAS}\n", f"id: {GAS}\nproposal: {revision['revises']}\n")
    record = repo / "governance/proposals" / f"{revision['id']}.yaml"
    _edit(record, f"- {revision['artefacts'][0]}\n", "")
    messages = _messages(repo)
    assert any(
        f"decision {GAS}" in m and f"names proposal {revision['revises']}, which {revision['id']} revised" in m
        for m in messages
    ), messages
    assert any(f"revises {revision['revises']} but does not put the same artefacts" in m for m in messages), messages
