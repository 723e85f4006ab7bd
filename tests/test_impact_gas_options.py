"""The proposed gas options through `perseus impact`: the differences the issue found between the deployed CAP
agent and this calculator, each option's own part, and the zone datasets, worked from the factor files."""

from __future__ import annotations

import pandas as pd
import pytest

from perseus.methodology.factors import load_set
from perseus.paths import FACTORS
from perseus.review.impact.compare import Runner
from perseus.review.impact.pack import build_pack
from perseus.review.impact.reference import PLACES
from perseus.review.impact.variants import ImpactError, resolve_pair

APPROVED = "gas-desnz-annual@2025-10-27"
BOTH = "gas-desnz-published-cubic-metre@2026-12-02"
PUBLISHED = "gas-desnz-published@2026-12-02"
PER_CUBIC_METRE = "gas-desnz-cubic-metre@2026-12-02"
ZONES = "gas-desnz-zone-daily-cv@2026-12-02"
CV = 39.5  # the approved method's default: the reference portfolio's gas carries no calorific value
KWH_PER_M3 = 1.02264 * CV / 3.6
H1, H2 = [f"2025-{m:02d}" for m in range(1, 6)], [f"2025-{m:02d}" for m in range(7, 13)]


@pytest.fixture
def runner(impact_runner) -> Runner:
    return impact_runner


def office_2025(runner: Runner, new: str) -> dict[str, float]:
    pack = build_pack(runner, resolve_pair(APPROVED, new))
    return {
        r["month"]: r["relative"] for r in pack.rows("month") if r["archetype"] == "office" and r["month"] >= "2025"
    }


def factor(year: int, basis: str) -> float:
    value = load_set(FACTORS / f"desnz@{year}.yaml").value("natural-gas", basis, "total")
    assert value is not None
    return value


def test_the_agents_gas_method_reproduces_the_differences_found(runner):
    """Office, 2025, 39.5 MJ/m³: about −0.37 % January to May (the 2024 set per m³ against the 2025 set per kWh
    through the calorific value) and +0.67 % July to December (the 2025 set per m³)."""
    through_cv = factor(2025, "kWh-gross-cv") * KWH_PER_M3
    early, late = factor(2024, "m3") / through_cv - 1, factor(2025, "m3") / through_cv - 1
    assert round(early * 100, 2) == -0.37 and round(late * 100, 2) == 0.67  # the figures, from the factor files
    office = office_2025(runner, BOTH)
    for month in H1:
        assert office[month] == pytest.approx(early, abs=2e-5), month
    for month in H2:
        assert office[month] == pytest.approx(late, abs=2e-5), month
    assert early < office["2025-06"] < late  # June: the 2024 set until the 2025 set's publication, then the 2025 set


def test_each_option_alone_shows_its_own_part(runner):
    published = office_2025(runner, PUBLISHED)
    before = factor(2024, "kWh-gross-cv") / factor(2025, "kWh-gross-cv") - 1
    for month in H1:  # the 2024 set stands in from January to the publication day
        assert published[month] == pytest.approx(before, abs=2e-5), month
    assert before < published["2025-06"] < 0
    assert all(published[month] == 0 for month in H2)
    per_cubic_metre = office_2025(runner, PER_CUBIC_METRE)
    alone = factor(2025, "m3") / (factor(2025, "kWh-gross-cv") * KWH_PER_M3) - 1
    for month in H1 + ["2025-06"] + H2:
        assert per_cubic_metre[month] == pytest.approx(alone, abs=2e-5), month


def test_the_zone_option_moves_each_place_within_its_zones_values(runner):
    """Against 39.5 MJ/m³, each place's gas moves by its zone's daily value over 39.5: its relative difference over
    the period lies between that of the zone's lowest and highest day in the series."""
    pack = build_pack(runner, resolve_pair(APPROVED, ZONES))
    series = pd.read_csv(runner.portfolio.directory / "calorific-values.csv")
    for row in pack.rows("place"):
        zone = next(p.zone for p in PLACES if p.outcode == row["outcode"])
        values = series.loc[series["Data Item"] == f"Calorific Value, LDZ({zone})", "Value"]
        assert values.min() / CV - 1 <= row["relative"] <= values.max() / CV - 1, row
    assert len({round(r["relative"], 4) for r in pack.rows("place")}) == len(PLACES)  # each zone its own effect


def constant_series(path, value: float) -> str:
    """Daily values of every zone over the reference period, all `value`, in National Gas's layout."""
    days = pd.date_range("2023-12-31", "2025-12-31", freq="D")
    zones = ["EA", "EM", "NE", "NO", "NT", "NW", "SC", "SE", "SO", "SW", "WM", "WN", "WS"]
    rows = [
        {
            "Applicable At": f"{(d + pd.Timedelta(days=1)):%d/%m/%Y} 10:30:00",
            "Applicable For": f"{d:%d/%m/%Y}",
            "Data Item": f"Calorific Value, LDZ({z})",
            "Value": f"{value:.1f}",
            "Generated Time": "",
            "Quality Indicator": "",
        }
        for d in days
        for z in zones
    ]
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


def test_two_calorific_value_datasets_differ_by_their_values(runner, tmp_path):
    old, new = constant_series(tmp_path / "a.csv", 39.0), constant_series(tmp_path / "b.csv", 40.0)
    pack = build_pack(runner, resolve_pair(old, new, [ZONES]))
    assert pack.kind == "calorific-value-dataset" and pack.energy_types == ("gas",)
    rows = pack.rows("month")
    assert len(rows) == 4 * 24
    for row in rows:  # each meter's month is rounded to the gram: up to half a gram per meter either way
        assert row["new"] == pytest.approx(row["old"] * 40.0 / 39.0, abs=0.001 * len(PLACES)), row


def test_a_factor_set_serves_every_half_hour_under_a_rule_by_publication_too(runner):
    """Under the publication-date option the set is still the one of the pack, from the first half-hour on."""
    pack = build_pack(runner, resolve_pair("desnz@2024", "desnz@2025", [PUBLISHED]))
    ratio = factor(2025, "kWh-gross-cv") / factor(2024, "kWh-gross-cv")
    rows = pack.rows("month")
    assert len(rows) == 4 * 24
    for row in rows:
        assert row["new"] == pytest.approx(row["old"] * ratio, abs=0.001 * len(PLACES)), row


def test_datasets_without_a_methodology_that_takes_them_are_refused(tmp_path):
    old, new = constant_series(tmp_path / "a.csv", 39.0), constant_series(tmp_path / "b.csv", 40.0)
    with pytest.raises(ImpactError, match="takes a distribution zone's daily calorific value.*--method"):
        resolve_pair(old, new)  # the approved methods take one calorific value, not a zone's daily values
