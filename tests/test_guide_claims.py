"""What the implementer's guide says about validators holds: only format checking refuses 30 February."""

import json

import jsonschema

from perseus.paths import DOCS, EXAMPLES
from perseus.validation import class_schema, load_release_schema


def _thirtieth_of_february(tmp_path):
    payload = json.loads((EXAMPLES / "valid" / "MeterData-electricity.json").read_text())
    payload["data"][0]["from"] = "2025-02-30T00:00:00Z"
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload))
    return payload, path


def test_the_pattern_alone_lets_30_february_through_and_format_checking_does_not(tmp_path, perseus):
    payload, path = _thirtieth_of_february(tmp_path)
    schema = class_schema(load_release_schema("consumption-data@2025-10-27"), "MeterData")
    validator = jsonschema.validators.validator_for(schema)
    assert list(validator(schema).iter_errors(payload)) == []  # no format checking: accepted
    errors = list(validator(schema, format_checker=validator.FORMAT_CHECKER).iter_errors(payload))
    assert [e.validator for e in errors] == ["format"]
    result = perseus("validate", path, "--spec", "consumption-data@2025-10-27")
    assert result.returncode == 1 and "[rule: format]" in result.stderr
    guide = (DOCS / "guide.md").read_text()
    assert "with format checking on" in guide and "30 February" in guide
