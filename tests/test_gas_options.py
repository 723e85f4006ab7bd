"""The proposed gas options beside the approved method, on the office archetype for 2025 at 39.5 MJ/m³.

The deployed CAP agent and this calculator disagree on gas by about −0.37 % (January to
May), +0.38 % (June) and +0.67 % (July to December). The two options that write the
agent's choices down (the factor set by publication, the factor per cubic metre) must
each show their own part of that, and together the whole of it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from perseus.calculator import CalculationError, calculate
from perseus.calculator.files import calculate_files
from perseus.synth import SynthRequest, build_files
from perseus.synth.timegrid import parse_instant

APPROVED = "gas-desnz-annual@2025-10-27"
PUBLISHED = "gas-desnz-published@2026-12-02"
CUBIC_METRE = "gas-desnz-cubic-metre@2026-12-02"
AS_DEPLOYED = "gas-desnz-published-cubic-metre@2026-12-02"
PUBLISHED_2025 = "2025-06-10T08:30:03Z"  # the 2025 set's publication, 09:30:03 UK time
FACTORS = {"2024": (0.18290, 2.04542), "2025": (0.18296, 2.06672)}  # kWh gross CV, m³ (factors/desnz@YEAR.csv)
TAKEN_AT = "2026-01-02T00:00:00Z"


@cache
def office_2025(folder: str) -> Path:
    """One synthetic office, gas in m³, the whole of 2025 (the data carries no calorific value: 39.5 is the default)."""
    out = Path(folder) / "office.json"
    request = SynthRequest(
        archetype="office",
        types=("gas",),
        gas_unit="MTQ",
        output=Path(folder) / "consumption",
        start=parse_instant("2025-01-01"),
        end=parse_instant("2026-01-01"),
    )
    for path, content in build_files(request).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (only,) = sorted((Path(folder) / "consumption").glob("*.json"))
    only.rename(out)
    return out


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    return office_2025(str(tmp_path_factory.mktemp("office")))


def monthly(path: Path, method: str, **window) -> tuple[dict[str, float], dict[str, float]]:
    """Per month (YYYY-MM): the report's figure, and the unrounded total."""
    run = calculate_files([path], methods=[method], taken_at=TAKEN_AT, **window)
    (figures,) = run.figures.values()
    reported = {e["from"][:7]: e["emissions"]["value"] for e in run.report["data"]}
    unrounded = dict(zip(reported, figures["total"].tolist(), strict=True))
    return reported, unrounded


def cubic_metres_by_month(path: Path) -> dict[str, float]:
    readings = json.loads(path.read_text())["data"]
    totals: dict[str, float] = {}
    for r in readings:
        totals[r["from"][:7]] = totals.get(r["from"][:7], 0.0) + r["energy"]["value"]
    return totals


def test_the_publication_rule_alone_moves_only_january_to_the_publication_day(office):
    """Before 2025-06-10 08:30:03Z the 2024 set stands in (0.18290 for 0.18296); from then on nothing changes."""
    ratio = FACTORS["2024"][0] / FACTORS["2025"][0]
    for window, expect in (({"end": "2025-06-10T09:00:00Z"}, "moved"), ({"start": "2025-06-10T09:00:00Z"}, "same")):
        _, approved = monthly(office, APPROVED, **window)
        _, published = monthly(office, PUBLISHED, **window)
        assert approved.keys() == published.keys()
        for month, total in approved.items():
            if expect == "same":
                assert published[month] == total, month
            else:
                assert published[month] == pytest.approx(total * ratio, rel=1e-12), month
    # The half-hour that begins at 08:30:00Z still takes the 2024 set: it begins before 08:30:03Z.
    _, approved = monthly(office, APPROVED, start="2025-06-10T08:30:00Z", end="2025-06-10T09:00:00Z")
    _, published = monthly(office, PUBLISHED, start="2025-06-10T08:30:00Z", end="2025-06-10T09:00:00Z")
    assert published["2025-06"] == pytest.approx(approved["2025-06"] * ratio, rel=1e-12)


def test_the_publication_rule_names_both_sets_for_june(office):
    report = calculate([office], methods=[PUBLISHED], taken_at=TAKEN_AT)
    datasets = report["sources"][0]["datasets"]
    served = {d["version"]: d["months"] for d in datasets if d["role"] == "emission-factors"}
    assert served == {
        "2024": [f"2025-0{k}" for k in range(1, 7)],
        "2025": ["2025-06", *(f"2025-{k:02d}" for k in range(7, 13))],
    }
    assert not any("substitutedFor" in d for d in datasets)


def test_the_factor_per_cubic_metre_alone_gives_the_governments_2_06672_kg_per_cubic_metre(office):
    reported, unrounded = monthly(office, CUBIC_METRE)
    volumes = cubic_metres_by_month(office)
    for month, volume in volumes.items():
        assert unrounded[month] == pytest.approx(volume * FACTORS["2025"][1], rel=1e-12), month
        assert reported[month] == round(volume * FACTORS["2025"][1], 3), month
    report = calculate([office], methods=[CUBIC_METRE], taken_at=TAKEN_AT)
    assert "calorificValue" not in report["sources"][0], "no calorific value is used, so none is reported"


def test_both_options_together_reproduce_the_deployed_agents_differences(office):
    """−0.37 % January to May, +0.38 % June, +0.67 % July to December, on the reports' figures."""
    approved, _ = monthly(office, APPROVED)
    deployed, _ = monthly(office, AS_DEPLOYED)
    relative = {month: round((deployed[month] / approved[month] - 1) * 100, 2) for month in approved}
    assert relative == {
        **{f"2025-0{k}": -0.37 for k in range(1, 6)},
        "2025-06": 0.38,
        **{f"2025-{k:02d}": 0.67 for k in range(7, 13)},
    }


def test_the_approved_method_is_what_the_options_are_compared_with(office):
    """At 39.5 MJ/m³ the approved method's figure per m³ is 1.02264 × 39.5 ÷ 3.6 × 0.18296 = 2.052927 kg (the
    issue's 2.05292)."""
    _, unrounded = monthly(office, APPROVED)
    volumes = cubic_metres_by_month(office)
    per_cubic_metre = 1.02264 * 39.5 / 3.6 * FACTORS["2025"][0]
    assert per_cubic_metre == pytest.approx(2.052927, abs=5e-7)
    for month, volume in volumes.items():
        assert unrounded[month] == pytest.approx(volume * per_cubic_metre, rel=1e-12), month


def test_before_the_first_set_with_a_publication_instant_the_rule_refuses(tmp_path):
    """The earliest set with a `published` instant is 2022's (22 June 2022): earlier gas has no set in force."""
    gas = tmp_path / "gas.csv"
    gas.write_text("type,from,to,value,unitCode\ngas,2022-06-20T00:00:00Z,2022-06-20T00:30:00Z,1.0,KWH\n")
    with pytest.raises(CalculationError) as caught:
        calculate([gas], methods=[PUBLISHED], taken_at=TAKEN_AT)
    (breach,) = caught.value.breaches
    assert (breach.file, breach.record, breach.rule) == (str(gas), "line 2", "factor-set-available")
    assert (
        "had been published by 2022-06-20T00:00:00Z" in breach.message
        and "2022 (2022-06-21T23:00:00Z)" in breach.message
    )


def test_the_biomethane_option_takes_the_mineral_blend_and_stands_in_2025_for_2026(tmp_path):
    """The 2026 set has no 100% mineral blend figure, so 2026 half-hours use 2025's, marked substitutedFor."""
    gas = tmp_path / "gas.csv"
    gas.write_text("type,from,to,value,unitCode\ngas,2026-02-02T00:00:00Z,2026-02-02T00:30:00Z,100.0,KWH\n")
    report = calculate([gas], methods=["gas-desnz-biomethane-share@2026-12-02"], taken_at=TAKEN_AT)
    (dataset,) = report["sources"][0]["datasets"]
    assert (dataset["version"], dataset.get("substitutedFor")) == ("2025", "2026")
    share, mineral, biomethane = 0.0107, 0.18494, 0.902615 * 0.0036 * 0.10625
    assert report["data"][0]["emissions"]["value"] == round(100 * ((1 - share) * mineral + share * biomethane), 3)


# What each option deliberately changes in the approved method, as its review pack names
# the change. Anything else in a pack is wording an option did not mean to change: the
# options were first copied from the approved text as it stood before its erratum
# (2026-12-02-rules-exact-gas), and their packs then showed that erratum undone.
WORDING = {"title", "description"}
PUBLICATION_RULE = {
    "factorSetRule.setYear",
    "factorSetRule.whenMissing",
    "factorSetRule.description",
    "factorSetRule.publications",
    "inputs[emission_factor].description",
    "dataQualityRules[factor-set-available].description",
}
PER_CUBIC_METRE = {
    "inputs[calorific_value]",
    "inputs[factor_per_cubic_metre]",
    "inputs[emission_factor].description",
    "parameters",
    "steps[volume_energy_kwh]",
    "steps[energy_kwh]",
    "steps[volume_emissions_kg]",
    "steps[energy_emissions_kg]",
    "steps[emissions_kg].expression",
    "steps[emissions_kg].description",
    "calorificValueRule",
    "dataQualityRules[usable-calorific-value]",
    "factorSetRule.description",
}
ZONE_DAILY = {
    "inputs[calorific_value].description",
    "parameters[default_calorific_value]",
    "calorificValueRule.precedence",
    "calorificValueRule.defaultParameter",
    "calorificValueRule.description",
    "dataQualityRules[usable-calorific-value].description",
}
BIOMETHANE_SHARE = {
    "inputs[emission_factor]",
    "inputs[mineral_factor]",
    "parameters[biomethane_share]",
    "parameters[biomethane_factor]",
    "parameters[net_per_gross]",
    "parameters[gigajoules_per_kilowatt_hour]",
    "steps[mineral_emissions_kg]",
    "steps[biomethane_emissions_kg]",
    "steps[emissions_kg].expression",
    "factorSetRule.activity",
    "factorSetRule.description",
}
OPTION_CHANGES = {
    PUBLISHED: WORDING | PUBLICATION_RULE,
    CUBIC_METRE: WORDING | PER_CUBIC_METRE,
    AS_DEPLOYED: WORDING | PUBLICATION_RULE | PER_CUBIC_METRE,
    "gas-desnz-zone-daily-cv@2026-12-02": WORDING | ZONE_DAILY,
    "gas-desnz-biomethane-share@2026-12-02": WORDING | BIOMETHANE_SHARE,
}


@pytest.mark.parametrize("option", sorted(OPTION_CHANGES))
def test_an_options_review_pack_shows_only_what_the_option_changes(option):
    """Against the approved method as it stands (after its errata), the pack names the
    option's own changes and nothing else; and each declared change is still made."""
    from perseus.review.pack import review

    shown = {change.name for change in review(APPROVED, option, lineage=True).changes}
    assert shown - OPTION_CHANGES[option] == set(), f"{option} differs from {APPROVED} where it means not to"
    assert OPTION_CHANGES[option] - shown == set(), f"{option} no longer makes these declared changes"


def test_every_option_is_a_proposed_version_in_the_status_register():
    from perseus.governance.register import status_of
    from perseus.methodology.documents import resolve

    for ref in (
        PUBLISHED,
        CUBIC_METRE,
        AS_DEPLOYED,
        "gas-desnz-zone-daily-cv@2026-12-02",
        "gas-desnz-biomethane-share@2026-12-02",
    ):
        assert status_of(ref) == "proposed" and resolve(ref).status == "proposed", ref
    assert resolve("gas-desnz-annual").ref == APPROVED, "the default gas method is still the approved one"


def test_the_zone_option_needs_a_zone_value_or_one_in_the_data(tmp_path):
    """Gas in m³ with no zone and no value in the data is refused, naming the reading and saying why."""
    gas = tmp_path / "gas.csv"
    gas.write_text("type,from,to,value,unitCode\ngas,2025-01-15T00:00:00Z,2025-01-15T00:30:00Z,1.0,MTQ\n")
    with pytest.raises(CalculationError) as caught:
        calculate([gas], methods=["gas-desnz-zone-daily-cv@2026-12-02"], calorific_value=39.5, taken_at=TAKEN_AT)
    (breach,) = caught.value.breaches
    assert (breach.record, breach.rule) == ("line 2", "usable-calorific-value")
    assert (
        "no calorific values by distribution zone were given (--calorific-values), none in the data" in breach.message
    )
