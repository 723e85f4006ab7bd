"""`perseus validate`: messages, type detection and exit codes (0 valid, 1 invalid, 2 unusable)."""

import json

from perseus.paths import EXAMPLES

VALID = EXAMPLES / "valid"
INVALID = EXAMPLES / "invalid"


def test_valid_payload_exits_0(perseus):
    result = perseus("validate", VALID / "MeterData-gas-cubic-metres.json", "--spec", "consumption-data@2025-10-27")
    assert result.returncode == 0, result.stderr
    assert "valid MeterData" in result.stdout


def test_gas_is_refused_by_the_electricity_only_version(perseus):
    result = perseus("validate", VALID / "MeterData-gas-cubic-metres.json", "--spec", "consumption-data@2025-10-23")
    assert result.returncode == 1
    assert '$.data[0].type: "gas" is not one of "electricity" [rule: enum]' in result.stderr
    assert "calorificValue" not in result.stderr  # the registry's objects are open to further keys


def test_electricity_in_the_deployed_shape_is_valid_in_both_versions(perseus):
    for ref in ("consumption-data@2025-10-23", "consumption-data@2025-10-27"):
        assert perseus("validate", VALID / "MeterData-electricity.json", "--spec", ref).returncode == 0


def test_invalid_payload_names_path_and_rule(perseus):
    result = perseus("validate", INVALID / "MeterData-bad-outcode.json", "--spec", "consumption-data@2025-10-27")
    assert result.returncode == 1
    assert "$.location.ukPostcodeOutcode" in result.stderr and "[rule: pattern]" in result.stderr
    assert result.stdout == ""


def test_yaml_payload_with_unquoted_timestamps_is_read_as_written(perseus, tmp_path):
    payload = json.loads((VALID / "Heartbeat-ok.json").read_text())
    target = tmp_path / "heartbeat.yaml"
    target.write_text(f"status: ok\ntimestamp: {payload['timestamp']}\n")
    assert perseus("validate", target, "--spec", "heartbeat@2025-10-23").returncode == 0
    target.write_text("status: ok\ntimestamp: 2025-11-01 12:00:00\n")
    result = perseus("validate", target, "--spec", "heartbeat@2025-10-23")
    assert result.returncode == 1 and "$.timestamp" in result.stderr


def test_explicit_type(perseus):
    result = perseus(
        "validate",
        VALID / "DataNotReady-preparing.json",
        "--spec",
        "emissions-data@2025-10-27",
        "--type",
        "DataNotReady",
    )
    assert result.returncode == 0


def test_unusable_inputs_exit_2(perseus, tmp_path):
    missing = perseus("validate", tmp_path / "nope.json", "--spec", "heartbeat@2025-10-23")
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"status": "ok",\n  "timestamp": }')
    result = perseus("validate", broken, "--spec", "heartbeat@2025-10-23")
    assert result.returncode == 2 and "line 2" in result.stderr
    unknown = perseus("validate", VALID / "Heartbeat-ok.json", "--spec", "heartbeat@2099-01-01")
    assert unknown.returncode == 2 and "published:" in unknown.stderr
    bad_type = perseus("validate", VALID / "Heartbeat-ok.json", "--spec", "heartbeat@2025-10-23", "--type", "Nope")
    assert bad_type.returncode == 2
    undetectable = tmp_path / "list.json"
    undetectable.write_text("[1, 2]")
    assert perseus("validate", undetectable, "--spec", "heartbeat@2025-10-23").returncode == 2


CORPUS = EXAMPLES.parent / "corpus"


def test_the_registry_releases_of_2026_03_12_validate(perseus):
    cases = [
        ("consumption-data@2026-03-12", "MeterData-offset-bst.json", "MeterData-negative-energy.json"),
        ("consumption-data@2026-03-12", "DataSources-extra-key-on-source.json", "DataSources-unknown-measure.json"),
        (
            "emissions-data@2026-03-12",
            "EmissionsReport-electricity-and-gas.json",
            "EmissionsReport-negative-emissions.json",
        ),
        ("heartbeat@2026-03-12", "Heartbeat-offset-utc.json", "Heartbeat-degraded.json"),
    ]
    for spec, valid, invalid in cases:
        accepted = perseus("validate", CORPUS / valid, "--spec", spec)
        assert accepted.returncode == 0, (spec, valid, accepted.stderr)
        refused = perseus("validate", CORPUS / invalid, "--spec", spec)
        assert refused.returncode == 1 and "[rule: " in refused.stderr, (spec, invalid)


def test_strict_adds_the_projects_rules_to_a_draft(perseus):
    payload = CORPUS / "MeterData-offset-utc.json"
    assert perseus("validate", payload, "--spec", "consumption-data@2026-11-28").returncode == 0
    strict = perseus("validate", payload, "--spec", "consumption-data@2026-11-28", "--strict")
    assert strict.returncode == 1 and "[rule: pattern]" in strict.stderr and "strict" in strict.stderr
    extra = perseus("validate", CORPUS / "Heartbeat-extra-key.json", "--spec", "heartbeat@2026-11-28", "--strict")
    assert extra.returncode == 1 and "additionalProperties" in extra.stderr
    approved = perseus("validate", payload, "--spec", "consumption-data@2025-10-27", "--strict")
    assert approved.returncode == 1  # the approved release is written in the strict profile


def test_strict_on_a_reproduction_of_the_registry_exits_2_and_names_the_draft(perseus):
    result = perseus("validate", CORPUS / "Heartbeat-ok.json", "--spec", "heartbeat@2026-03-12", "--strict")
    assert result.returncode == 2
    assert "reproduces the registry's document" in result.stderr and "heartbeat@2026-11-28" in result.stderr
    assert result.stdout == ""
