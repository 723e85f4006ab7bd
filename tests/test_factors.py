"""The factor datasets: metadata and tables valid against the factor model, figures as published, blanks absent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from perseus.methodology.factors import calorific_value_defaults, load_set, sets_for
from perseus.paths import FACTORS
from perseus.spec_versions import merged_root

DESNZ = "Department for Energy Security and Net Zero"
METADATA = sorted(FACTORS.glob("desnz@*.yaml"))


def test_every_year_from_2019_to_2026_is_there():
    assert sorted(sets_for(DESNZ)) == list(range(2019, 2027))


@pytest.mark.parametrize("path", METADATA, ids=[p.name for p in METADATA])
def test_metadata_and_rows_are_valid_with_the_linkml_validator(path):
    from linkml.validator import validate

    schema = merged_root()
    metadata = yaml.safe_load(path.read_text())
    assert [r.message for r in validate(metadata, schema, "FactorSet").results] == []
    assert metadata["licence"] == "OGL-UK-3.0"
    assert metadata["url"].endswith(f"conversion-factors-{metadata['year']}")
    assert path.name == f"desnz@{metadata['year']}.yaml"
    with (path.parent / metadata["table"]).open() as stream:
        for row in csv.DictReader(stream):
            row = {**row, "setYear": int(row["setYear"]), "value": float(row["value"])}
            assert [r.message for r in validate(row, schema, "EmissionFactor").results] == []


def test_a_row_outside_the_model_is_refused(tmp_path):
    (tmp_path / "desnz@2025.yaml").write_text((FACTORS / "desnz@2025.yaml").read_text())
    text = (FACTORS / "desnz@2025.csv").read_text().replace("natural-gas,m3", "natural-gas,litre")
    (tmp_path / "desnz@2025.csv").write_text(text)
    with pytest.raises(ValueError, match="desnz@2025.csv: line"):
        load_set(tmp_path / "desnz@2025.yaml")


def test_spot_figures_as_published():
    sets = sets_for(DESNZ)
    assert sets[2019].value("natural-gas", "kWh-gross-cv", "total") == 0.18385
    assert sets[2025].value("natural-gas", "m3", "total") == 2.06672
    assert sets[2025].value("natural-gas-mineral-blend", "kWh-gross-cv", "total") == 0.18494
    assert sets[2023].value("electricity-generation", "kWh", "CH4") == 0.000896
    assert sets[2026].value("electricity-generation", "kWh", "total") == 0.13096
    assert sets[2026].value("electricity-td", "kWh", "total") == 0.01299


def test_blank_cells_stay_absent():
    sets = sets_for(DESNZ)
    assert sets[2026].value("natural-gas-mineral-blend", "kWh-gross-cv", "total") is None
    for ghg in ("CO2", "CH4", "N2O"):
        assert sets[2026].value("electricity-generation", "kWh", ghg) is None


def test_gas_split_adds_up_to_the_total():
    """CO2 + CH4 + N2O equals the total within the publisher's rounding (5 decimals)."""
    for year, factor_set in sets_for(DESNZ).items():
        parts = sum(factor_set.value("natural-gas", "kWh-gross-cv", g) for g in ("CO2", "CH4", "N2O"))
        assert abs(parts - factor_set.value("natural-gas", "kWh-gross-cv", "total")) <= 0.00002, year


def test_calorific_value_defaults_have_sources_and_the_methodology_default_is_one_of_them():
    values = {v["id"]: v for v in calorific_value_defaults()}
    assert all(v["source"] and v["publisher"] for v in values.values())
    gas = yaml.safe_load((Path(FACTORS).parent / "methodologies/gas-desnz-annual@2025-10-27.yaml").read_text())
    default = next(p for p in gas["parameters"] if p["name"] == "default_calorific_value")
    assert default["default"] == values["gb-typical-bill"]["megajoulesPerCubicMetre"]
    assert "gb-typical-bill" in default["source"]
