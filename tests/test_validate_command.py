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
    result = perseus("validate", VALID / "DataNotReady-preparing.json", "--spec", "emissions-data@2025-10-27",
                     "--type", "DataNotReady")
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
