"""`perseus diff` on two real factor sets: values matched by activity, basis and gas, with relative change."""

import json


def test_factor_set_diff_shows_each_value_with_its_relative_change(perseus):
    result = perseus("diff", "desnz@2025", "desnz@2026", "--json")
    assert result.returncode == 0, result.stderr
    pack = json.loads(result.stdout)
    assert pack["kind"] == "factor-set"
    changed = {c["name"]: c for c in pack["changes"] if c["change"] == "changed" and c["element"] == "value"}
    gas = changed["activity=natural-gas, unitBasis=kWh-gross-cv, ghg=total"]
    assert (gas["old"], gas["new"]) == (0.18296, 0.18231)
    assert abs(gas["relative_change"] - (0.18231 / 0.18296 - 1)) < 1e-12
    removed = {c["name"] for c in pack["changes"] if c["change"] == "removed"}
    assert "activity=natural-gas-mineral-blend, unitBasis=kWh-gross-cv, ghg=total" in removed  # blank in 2026
    assert not [c for c in pack["changes"] if c["change"] == "added"]
