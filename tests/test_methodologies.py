"""The methodology documents: valid against the LinkML model, consistent, and executed by the calculator."""

from __future__ import annotations

import shutil

import pytest
import yaml

from perseus.methodology.documents import DEFAULTS, MethodologyError, all_methodologies, load, resolve
from perseus.methodology.expressions import ExpressionError, compile_expression
from perseus.paths import METHODOLOGIES
from perseus.spec_versions import merged_root

DOCUMENTS = sorted(METHODOLOGIES.glob("*.yaml"))
EXPECTED = {
    "electricity-location-based@2025-10-27": ("deployed", "electricity", "scope-2"),  # the registry's own process
    "gas-desnz-annual@2025-10-27": ("approved", "gas", "scope-1"),
    "electricity-desnz-annual@2025-10-27": ("proposed", "electricity", "scope-2"),
}


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_document_is_valid_with_the_linkml_validator(path):
    """The LinkML validator itself, on the LinkML model (the calculator uses the generated JSON Schema of it)."""
    from linkml.validator import validate

    report = validate(yaml.safe_load(path.read_text()), merged_root(), "Methodology")
    assert [r.message for r in report.results] == []


def test_the_three_methodologies_exist_with_their_status_and_scope():
    found = {m.ref: (m.status, m.energy_type, m.document["scope"]) for m in all_methodologies()}
    assert found == EXPECTED


def test_defaults_are_the_latest_approved_versions():
    for energy_type, label in DEFAULTS.items():
        chosen = resolve(label)
        assert chosen.status in ("approved", "deployed") and chosen.energy_type == energy_type


def test_a_proposed_method_must_be_named_with_its_version():
    with pytest.raises(MethodologyError, match="no approved version"):
        resolve("electricity-desnz-annual")
    assert resolve("electricity-desnz-annual@2025-10-27").status == "proposed"


def test_the_calculator_reads_status_from_the_register_only(tmp_path, monkeypatch):
    """A register that approves the proposed method makes it the default; the file states no status."""
    import shutil

    import perseus.governance.register as register

    folder = tmp_path / "governance"
    shutil.copytree(register.GOVERNANCE, folder)
    text = (folder / "register.yaml").read_text()
    (folder / "register.yaml").write_text(
        text.replace(
            "- artefact: electricity-desnz-annual@2025-10-27\n  kind: methodology\n  status: proposed",
            "- artefact: electricity-desnz-annual@2025-10-27\n  kind: methodology\n  status: approved",
        )
    )
    monkeypatch.setattr(register, "GOVERNANCE", folder)
    monkeypatch.setattr(register, "entries", lambda governance=folder: register._entries(folder.resolve()))
    assert resolve("electricity-desnz-annual").ref == "electricity-desnz-annual@2025-10-27"
    assert "status" not in resolve("electricity-desnz-annual@2025-10-27").document


def test_gas_parameters_carry_units_defaults_and_sources():
    gas = resolve("gas-desnz-annual")
    parameters = {p["name"]: p for p in gas.document["parameters"]}
    assert parameters["volume_correction"]["default"] == 1.02264
    assert parameters["megajoules_per_kilowatt_hour"]["default"] == 3.6
    for p in parameters.values():
        assert p["unit"] and p["source"]
    assert gas.rounding == {"appliesTo": "monthly-total", "decimals": 3, "mode": "half-even"}
    assert gas.calorific_rule["precedence"] == ["data", "caller", "methodology-default"]
    assert gas.factor_rule["activity"] == "natural-gas" and gas.factor_rule["unitBasis"] == "kWh-gross-cv"


def test_an_invalid_document_is_refused_naming_the_file(tmp_path):
    target = tmp_path / "gas-desnz-annual@2025-10-27.yaml"
    shutil.copy(METHODOLOGIES / target.name, target)
    target.write_text(target.read_text().replace("energyType: gas", "energyType: steam"))
    with pytest.raises(MethodologyError, match=rf"{target}.*energyType"):
        load(target)


def test_a_document_stating_its_own_status_is_refused(tmp_path):
    """Status lives in the governance register only: the closed model refuses it in the file."""
    target = tmp_path / "gas-desnz-annual@2025-10-27.yaml"
    target.write_text("status: approved\n" + (METHODOLOGIES / target.name).read_text())
    with pytest.raises(MethodologyError, match=rf"{target}.*status"):
        load(target)


@pytest.mark.parametrize(
    "expression",
    [
        "volume_m3 ** 2",
        "__import__('os').system('true')",
        "abs(volume_m3)",
        "volume_m3 if metered_kwh else 0",
        "volume_m3.real",
        "[volume_m3]",
        "'text'",
        "volume_m3 < 1",
        "lambda: 1",
        "True",
    ],
)
def test_a_step_outside_the_language_is_refused_naming_file_and_step(tmp_path, expression):
    target = tmp_path / "gas-desnz-annual@2025-10-27.yaml"
    document = yaml.safe_load((METHODOLOGIES / target.name).read_text())
    document["steps"][1]["expression"] = expression
    target.write_text(yaml.safe_dump(document))
    with pytest.raises(MethodologyError) as caught:
        load(target)
    assert str(target) in str(caught.value) and "step 'energy_kwh'" in str(caught.value)


def test_a_step_may_not_use_a_later_step_or_an_unknown_name(tmp_path):
    target = tmp_path / "gas-desnz-annual@2025-10-27.yaml"
    document = yaml.safe_load((METHODOLOGIES / target.name).read_text())
    document["steps"][0]["expression"] = "energy_kwh * 2"  # energy_kwh is defined by the next step
    target.write_text(yaml.safe_dump(document))
    with pytest.raises(MethodologyError, match="energy_kwh"):
        load(target)


def test_expressions_are_vectorised_and_follow_arithmetic_precedence():
    import numpy as np

    compiled = compile_expression("a + b * (c - 1) / 2 - -a", {"a", "b", "c"}, "here")
    a, b, c = np.array([1.0, 2.0]), np.array([4.0, 6.0]), 3.0
    assert compiled({"a": a, "b": b, "c": c}).tolist() == [6.0, 10.0]
    assert compiled.names == {"a", "b", "c"}
    with pytest.raises(ExpressionError, match="here"):
        compile_expression("a +", {"a"}, "here")


def test_the_package_never_calls_eval():
    from pathlib import Path

    import perseus

    for path in Path(perseus.__file__).parent.rglob("*.py"):
        text = path.read_text()
        assert "eval(" not in text.replace("literal_eval(", ""), path
        assert "exec(" not in text, path
