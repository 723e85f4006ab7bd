"""`perseus diff`: review packs for data specifications, permission texts, methodologies and factor sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perseus.cli import main
from perseus.paths import ROOT
from perseus.review.factor_diff import FactorTableError, compare_tables
from perseus.review.pack import ReviewError, review, review_pack_files, version_pairs
from perseus.review.text_diff import word_changes
from perseus.spec_versions import added_in, merged_root

FIXTURES = Path(__file__).parent / "fixtures" / "review"

# The gas additions of consumption-data@2025-10-27, as the advisory group reviewed them.
GAS_ADDITIONS = {
    ("added", "class", "CalorificValue"),
    ("added", "enum", "CalorificValueSource"),
    ("added", "field", "MeterData.calorificValue"),
    ("added", "field", "Reading.calorificValue"),
    ("added", "rule", "Reading"),
    ("added", "enum value", "EnergyType.gas"),
    ("added", "enum value", "EnergyUnitCode.MTQ"),
}


def test_consumption_data_diff_lists_exactly_the_gas_additions():
    pack = review("consumption-data@2025-10-23", "consumption-data@2025-10-27")
    assert {(c.change, c.element, c.name) for c in pack.changes} == GAS_ADDITIONS
    assert len(pack.changes) == len(GAS_ADDITIONS)
    # Every listed element is one the sources mark as added for gas on 2025-10-27.
    schema = merged_root()
    marked = {
        "class": lambda n: schema.classes[n],
        "enum": lambda n: schema.enums[n],
        "field": lambda n: schema.slots[n.split(".")[1]],
        "enum value": lambda n: schema.enums[n.split(".")[0]].permissible_values[n.split(".")[1]],
        "rule": lambda n: schema.classes[n].rules[0],
    }
    for change in pack.changes:
        assert added_in(marked[change.element](change.name)) == "2025-10-27", change


def test_reversed_diff_lists_the_same_elements_as_removed():
    pack = review("consumption-data@2025-10-27", "consumption-data@2025-10-23")
    assert {(c.element, c.name) for c in pack.changes} == {(e, n) for _, e, n in GAS_ADDITIONS}
    assert {c.change for c in pack.changes} == {"removed"}


def test_cli_writes_markdown_and_json(capsys):
    assert main(["diff", "consumption-data@2025-10-23", "consumption-data@2025-10-27"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Review pack: consumption-data@2025-10-23 → consumption-data@2025-10-27")
    assert "| enum value | `EnergyType.gas` |" in markdown
    assert main(["diff", "consumption-data@2025-10-23", "consumption-data@2025-10-27", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"added": 7, "removed": 0, "changed": 0}
    assert {(c["change"], c["element"], c["name"]) for c in data["changes"]} == GAS_ADDITIONS


def test_cli_shows_the_word_diff_of_a_permission_text(capsys):
    assert main(["diff", "edp-cap-fsp@2025-10-23", "edp-cap-fsp@2025-10-27"]) == 0
    out = capsys.readouterr().out
    assert "- your electricity {+and gas+} consumption, as recorded every 30 minutes" in out


def test_cli_refuses_unlike_or_unknown_references_without_output(capsys, tmp_path):
    target = tmp_path / "pack.md"
    assert main(["diff", "consumption-data@2025-10-23", "edp-cap@2025-10-27", "-o", str(target)]) == 2
    assert "data-specification but edp-cap@2025-10-27 is a permission-text" in capsys.readouterr().err
    assert main(["diff", "nothing@2025-01-01", "edp-cap@2025-10-27", "-o", str(target)]) == 2
    assert "nothing@2025-01-01: not a published" in capsys.readouterr().err
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert main(["diff", "edp-cap@2025-10-23", "edp-cap@2025-10-27", "-o", str(target)]) == 0
    assert "{+and gas+}" in target.read_text() and [p.name for p in tmp_path.iterdir()] == ["pack.md"]


def test_word_diff_marks_insertions_and_deletions():
    (change,) = word_changes(
        ["your electricity consumption every day"], ["your electricity and gas consumption every day"]
    )
    assert change.wdiff() == "your electricity {+and gas+} consumption every day"
    (change,) = word_changes(["ends after one year"], ["ends after two years"])
    assert change.wdiff() == "ends after [-one year-]{+two years+}"
    assert word_changes(["same  words\there"], ["same words here"]) == []


def test_methodology_diff_names_steps_and_parameters():
    pack = review("demo-method@2025-01-01", "demo-method@2025-02-01", root=FIXTURES)
    found = {(c.change, c.element, c.name): c for c in pack.changes}
    assert set(found) == {
        ("changed", "parameter", "parameters[factor].default"),
        ("added", "parameter", "parameters[calorific-value]"),
        ("changed", "step", "steps[half-hour-emissions].formula"),
        ("removed", "step", "steps[round]"),
    }
    factor = found[("changed", "parameter", "parameters[factor].default")]
    assert (factor.old, factor.new) == (0.2, 0.21)
    assert factor.relative_change == pytest.approx(0.05)
    assert "| parameter | `parameters[factor].default` |  | `0.2` | `0.21` | +5.00% |" in pack.markdown()


def test_factor_diff_matches_rows_by_key_and_shows_relative_change():
    pack = review("demo-factors@2025-01-01", "demo-factors@2025-02-01", root=FIXTURES)
    assert pack.kind == "factor-set"
    found = {(c.change, c.name): c for c in pack.changes}
    assert set(found) == {
        ("changed", "year=2024, fuel=natural-gas, scope=1, unit=kgCO2e/kWh"),
        ("added", "year=2025, fuel=natural-gas, scope=1, unit=kgCO2e/kWh"),
        ("removed", "year=2024, fuel=lpg, scope=1, unit=kgCO2e/kWh"),
    }
    gas = found[("changed", "year=2024, fuel=natural-gas, scope=1, unit=kgCO2e/kWh")]
    assert (gas.old, gas.new) == (0.18290, 0.18296)
    assert gas.relative_change == pytest.approx((0.18296 - 0.18290) / 0.18290)


def test_factor_tables_with_a_repeated_key_or_a_non_number_are_refused():
    good = FIXTURES / "factors" / "demo-factors@2025-01-01.csv"
    with pytest.raises(FactorTableError, match=r"duplicate-key\.csv: line 4 repeats the key .* of line 2"):
        compare_tables(FIXTURES / "factors" / "duplicate-key.csv", FIXTURES / "factors" / "duplicate-key.csv")
    with pytest.raises(FactorTableError, match=r"not-a-number\.csv: line 3, column 'value': 'n/a' is not a number"):
        compare_tables(FIXTURES / "factors" / "not-a-number.csv", FIXTURES / "factors" / "not-a-number.csv")
    with pytest.raises(FactorTableError, match="key columns"):
        compare_tables(good, FIXTURES / "factors" / "not-a-number.csv")


def test_two_files_can_be_compared_by_path(capsys):
    old, new = (FIXTURES / "factors" / f"demo-factors@2025-0{m}-01.csv" for m in (1, 2))
    assert main(["diff", str(old), str(new), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"] == {"added": 1, "removed": 1, "changed": 1}


def test_review_pairs_include_fixture_kinds():
    pairs = version_pairs(FIXTURES)
    assert ("demo-method@2025-01-01", "demo-method@2025-02-01") in pairs
    assert ("demo-factors@2025-01-01", "demo-factors@2025-02-01") in pairs


def test_generated_review_packs_are_current():
    files = review_pack_files()
    assert "generated/review-packs/consumption-data@2025-10-23..consumption-data@2025-10-27.md" in files
    for rel, text in files.items():
        assert (ROOT / rel).read_text() == text, f"{rel} is stale: run `perseus generate`"
    held = {str(p.relative_to(ROOT)) for p in (ROOT / "generated/review-packs").iterdir()}
    assert held == set(files)


def test_versions_of_different_labels_are_not_compared():
    with pytest.raises(ReviewError, match="different labels"):
        review("edp-cap@2025-10-27", "cap-fsp@2025-10-27")


def test_factor_set_folders_pair_tables_by_name_and_diff_their_metadata():
    pack = review("demo-set@2025-01-01", "demo-set@2025-02-01", root=FIXTURES)
    found = {(c.change, c.element, c.name): c for c in pack.changes}
    assert set(found) == {("changed", "value", "region=south"), ("changed", "metadata", "metadata.retrieved")}
    south = found[("changed", "value", "region=south")]
    assert (south.old, south.new, south.relative_change) == (80.0, 88.0, pytest.approx(0.1))
    assert "+10.00%" in pack.markdown()


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(["electricity", "and", "gas", "data"]), max_size=8),
    st.lists(st.sampled_from(["electricity", "and", "gas", "data"]), max_size=8),
)
def test_word_diff_is_empty_exactly_when_the_words_agree(old, new):
    changes = word_changes([" ".join(old)], [" ".join(new)])
    assert (changes == []) == (old == new)
    inserted = sum(len(c.new.split()) for c in changes)
    deleted = sum(len(c.old.split()) for c in changes)
    assert len(old) - deleted == len(new) - inserted  # the words left alone are shared by both
