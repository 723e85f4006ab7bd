"""The service level targets: valid against their LinkML model, and published as generated."""

import json

import pytest
import yaml
from linkml.validator import validate

from perseus.paths import GOVERNANCE, ROOT, SPEC
from perseus.sla import SlaInvalid, load_sla, published_sla


def test_targets_validate_against_the_linkml_model():
    report = validate(yaml.safe_load((GOVERNANCE / "sla.yaml").read_text()), str(SPEC / "perseus.yaml"), "SlaRegister")
    assert [r.message for r in report.results] == []


def test_the_published_file_is_the_register():
    path, body = published_sla()
    assert json.loads((ROOT / path).read_text()) == body
    register = load_sla()
    assert path == f"generated/sla/{register.label}@{register.version}.json"
    assert {t.endpoint for t in register.targets} == {
        "GET /datasources",
        "GET /datasources/{id}/{measure}",
        "GET /emissions",
        "GET /heartbeat",
    }


def test_a_bad_register_is_named_with_field_and_rule(tmp_path):
    raw = yaml.safe_load((GOVERNANCE / "sla.yaml").read_text())
    raw["targets"][1]["availabilityPercent"] = 120
    bad = tmp_path / "sla.yaml"
    bad.write_text(yaml.safe_dump(raw))
    with pytest.raises(SlaInvalid, match=r"sla\.yaml: invalid SlaRegister at /targets/1/availabilityPercent"):
        load_sla(bad)
