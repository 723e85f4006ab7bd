"""Governance records validate against their LinkML model, agree with each other,
and freeze what a decision approved."""

from __future__ import annotations

import shutil

import pytest
import yaml
from linkml.validator import validate

from perseus import governance
from perseus.paths import GOVERNANCE, ROOT, SPEC
from perseus.permission_texts import rendered_files
from perseus.records import RecordInvalid
from perseus.releases import all_releases

DECISION = "tag-2025-10-27-gas"
MODEL = str(SPEC / "governance.yaml")


def _records():
    yield "ReleaseRegister", GOVERNANCE / "releases.yaml"
    yield "StatusRegister", GOVERNANCE / "status.yaml"
    for path in sorted((GOVERNANCE / "decisions").glob("*.yaml")):
        yield "DecisionRecord", path
    for path in sorted((GOVERNANCE / "errata").glob("*.yaml")):
        yield "Erratum", path


@pytest.mark.parametrize(("target_class", "path"), list(_records()), ids=lambda x: getattr(x, "name", x))
def test_records_validate_against_the_linkml_model(target_class, path):
    report = validate(yaml.safe_load(path.read_text()), MODEL, target_class)
    assert [r.message for r in report.results] == []


def test_the_linkml_model_refuses_bad_records():
    decision = yaml.safe_load((GOVERNANCE / "decisions" / f"{DECISION}.yaml").read_text())
    decision["artefacts"][0]["files"][0]["sha256"] = "not-a-digest"
    decision["outcome"] = "carried"
    messages = [r.message for r in validate(decision, MODEL, "DecisionRecord").results]
    assert any("not-a-digest" in m and "/artefacts/0/files/0/sha256" in m for m in messages)
    assert any("'carried' is not one of" in m for m in messages)


def test_a_bad_record_file_is_named_with_path_and_rule(tmp_path):
    folder = tmp_path / "governance"
    shutil.copytree(GOVERNANCE, folder)
    statuses = yaml.safe_load((folder / "status.yaml").read_text())
    statuses["statuses"][0]["status"] = "retired"
    (folder / "status.yaml").write_text(yaml.safe_dump(statuses))
    with pytest.raises(RecordInvalid, match=r"(?s)status\.yaml: invalid StatusRegister.*'retired'.*/statuses/0/status"):
        governance.load_statuses(folder)


def test_the_gas_decision_is_recorded_without_invented_facts():
    (decision,) = [d for d in governance.load_decisions() if d["id"] == DECISION]
    assert decision["date"] == "2025-10-27" and decision["outcome"] == "approved"
    assert decision["motion"] == "Approval of data specifications for gas consumption and emissions calculation"
    assert "tally" not in decision and "chair" not in decision  # not known, so not recorded
    pinned = {f["path"] for a in decision["artefacts"] for f in a.get("files") or []}
    assert pinned == {
        "generated/jsonschema/consumption-data@2025-10-27.schema.json",
        "generated/jsonschema/emissions-data@2025-10-27.schema.json",
        "generated/openapi/consumption-data@2025-10-27.json",
        "generated/openapi/emissions-data@2025-10-27.json",
        *(f"generated/permission-text/{v}@2025-10-27.{ext}" for v in ("edp-cap", "cap-fsp", "edp-cap-fsp") for ext in ("txt", "md")),
        "methodologies/gas-desnz-annual@2025-10-27.yaml",
    }


def test_approved_files_are_unchanged():
    problems = governance.frozen_file_problems()
    assert problems == [], "\n".join(problems)


def test_records_agree_with_each_other():
    problems = governance.consistency_problems()
    assert problems == [], "\n".join(problems)


def test_every_release_and_text_has_exactly_one_status():
    statuses = governance.all_statuses()
    for release in all_releases():
        assert statuses[release.ref].source == "releases.yaml"
    for rel in rendered_files():
        ref = rel.rsplit("/", 1)[1].rsplit(".", 1)[0]
        assert statuses[ref].kind == "permission-text"


def _copy_repository_parts(tmp_path):
    """The sources and pinned files a decision covers, copied so that they can be changed safely."""
    shutil.copytree(ROOT / "governance", tmp_path / "governance")
    shutil.copytree(ROOT / "permission-texts", tmp_path / "permission-texts")
    shutil.copytree(ROOT / "generated", tmp_path / "generated")
    shutil.copytree(ROOT / "methodologies", tmp_path / "methodologies")
    return tmp_path


def test_changing_a_clause_of_an_approved_text_fails_naming_decision_and_artefact(tmp_path):
    root = _copy_repository_parts(tmp_path)
    library = yaml.safe_load((root / "permission-texts/clauses.yaml").read_text())
    clause = next(c for c in library["clauses"] if c["id"] == "withdrawal-effect")
    clause["text"] = clause["text"].replace("no more of your data", "none of your data")
    (root / "permission-texts/clauses.yaml").write_text(yaml.safe_dump(library))
    for rel, text in rendered_files(root / "permission-texts").items():  # what `perseus generate` would write
        (root / rel).write_text(text)

    problems = governance.frozen_file_problems(root)

    changed = sorted(p.split(":")[0] for p in problems)
    assert changed == sorted(f"generated/permission-text/{v}@2025-10-27.{e}" for v in ("edp-cap", "cap-fsp", "edp-cap-fsp") for e in ("txt", "md"))
    message = next(p for p in problems if p.startswith("generated/permission-text/edp-cap@2025-10-27.txt"))
    assert f"decision {DECISION}" in message
    assert "permission-text edp-cap@2025-10-27" in message
    assert "approved versions are frozen: make a new version" in message


def test_a_missing_pinned_file_is_reported(tmp_path):
    root = _copy_repository_parts(tmp_path)
    (root / "generated/openapi/emissions-data@2025-10-27.json").unlink()
    (problem,) = governance.frozen_file_problems(root)
    assert problem.startswith("generated/openapi/emissions-data@2025-10-27.json: missing")
    assert f"decision {DECISION}" in problem and "data-specification emissions-data@2025-10-27" in problem


def test_an_unpinned_published_file_of_a_decided_artefact_is_reported(tmp_path):
    root = _copy_repository_parts(tmp_path)
    path = root / "governance/decisions" / f"{DECISION}.yaml"
    decision = yaml.safe_load(path.read_text())
    texts = next(a for a in decision["artefacts"] if a["artefact"] == "cap-fsp@2025-10-27")
    texts["files"] = [f for f in texts["files"] if not f["path"].endswith(".md")]
    path.write_text(yaml.safe_dump(decision))
    (problem,) = governance.consistency_problems(root)
    expected = governance.sha256_of(root / "generated/permission-text/cap-fsp@2025-10-27.md")
    assert "cap-fsp@2025-10-27.md is not pinned" in problem and expected in problem


def test_a_text_without_status_is_reported(tmp_path):
    root = _copy_repository_parts(tmp_path)
    shutil.copy(root / "permission-texts/cap-fsp@2025-10-27.yaml", root / "permission-texts/cap-fsp@2026-01-01.yaml")
    assert governance.consistency_problems(root) == [
        "permission-text cap-fsp@2026-01-01: held in the repository but has no record in governance/status.yaml"
    ]


def test_an_erratum_moves_a_pin_only_from_the_hash_it_names(tmp_path):
    root = _copy_repository_parts(tmp_path)
    path = "methodologies/gas-desnz-annual@2025-10-27.yaml"
    assert governance.frozen_file_problems(root) == []  # the file as the erratum of 2026-12-02 left it
    (root / path).write_text((root / path).read_text() + "# one more line\n")
    (problem,) = governance.frozen_file_problems(root)
    assert problem.startswith(f"{path}: changed since decision {DECISION}")
    erratum = root / "governance/errata/2026-12-02-rule-codes.yaml"
    erratum.write_text(erratum.read_text().replace("old_sha256: 9df77b", "old_sha256: 000000"))
    (problem,) = governance.frozen_file_problems(root)  # an erratum from another hash does not apply
    assert "pinned sha256 9df77b98852a1287e900ed0e4e5b532aebaeafc4c023e40ef0ff3c1066d7d257" in problem


def test_a_file_changed_after_its_erratum_is_reported(tmp_path):
    root = _copy_repository_parts(tmp_path)
    (erratum,) = [e for e in governance.load_errata(root / "governance") if e["file"].endswith("heartbeat@2025-10-23.json")]
    (root / erratum["file"]).write_text("{}\n")
    (problem,) = governance.frozen_file_problems(root)
    assert problem.startswith(f"{erratum['file']}: changed since erratum {erratum['id']}")
    assert erratum["new_sha256"] in problem and "approved versions are frozen" in problem


def test_errata_record_the_correction_of_the_reproductions_of_2025_10_23():
    corrected = {(e["artefact"], e["file"]) for e in governance.load_errata() if e["artefact"].endswith("@2025-10-23")}
    assert corrected == {(ref, path) for ref in ("consumption-data@2025-10-23", "heartbeat@2025-10-23")
                         for path in (f"generated/jsonschema/{ref}.schema.json", f"generated/openapi/{ref}.json")}
    for erratum in governance.load_errata():
        assert erratum["old_sha256"] != erratum["new_sha256"] and erratum["reason"] and erratum["decided_by"]
