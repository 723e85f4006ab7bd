"""`perseus impact OLD NEW`: the reference portfolio under two versions, and the pack that sets them side by side."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from perseus.methodology.factors import calorific_value_defaults, load_set
from perseus.paths import FACTORS
from perseus.review.impact.compare import Runner
from perseus.review.impact.pack import build_pack
from perseus.review.impact.reference import END, PLACES, START, write_reference_portfolio
from perseus.review.impact.variants import ImpactError, proposed_options, resolve_pair
from perseus.synth import ARCHETYPES

MONTHS = 24  # 2024-01 .. 2025-12


@pytest.fixture
def runner(impact_runner) -> Runner:
    return impact_runner


def pack_of(runner: Runner, old: str, new: str, methods=()):
    return build_pack(runner, resolve_pair(old, new, methods))


def readings(runner: Runner, energy_type: str) -> pd.DataFrame:
    path = runner.portfolio.directory / "readings" / f"type={energy_type}" / "bucket=000" / "part-0.parquet"
    frame = pq.read_table(path).to_pandas()
    frame["meter"] = frame["meter"].astype(str)
    return frame


def factor(ref: str, activity: str, basis: str) -> float:
    value = load_set(FACTORS / f"{ref}.yaml").value(activity, basis, "total")
    assert value is not None
    return value


def test_the_reference_portfolio_has_every_archetype_in_several_regions_for_two_years(runner, tmp_path):
    meters = pq.read_table(runner.portfolio.directory / "meters.parquet").to_pandas()
    assert sorted(meters["type"].unique()) == ["electricity", "gas"]
    assert {m.archetype for m in runner.portfolio.meters} == set(ARCHETYPES)
    assert len(runner.portfolio.meters) == len(ARCHETYPES) * len(PLACES)
    assert meters["region"].nunique() == len(PLACES) >= 4 and meters["outcode"].nunique() == len(PLACES)
    gas = readings(runner, "gas")
    assert set(gas["unitCode"].astype(str)) == {"MTQ"}  # volumes: the calorific-value rule decides
    assert gas["from"].min() == pd.Timestamp(START) and gas["from"].max() == pd.Timestamp(END) - pd.Timedelta(
        minutes=30
    )
    half_hours = int((END - START).total_seconds() // 1800)
    assert runner.portfolio.readings == 2 * len(runner.portfolio.meters) * half_hours
    again = write_reference_portfolio(tmp_path / "again")  # deterministic: the same bytes
    for path in sorted(runner.portfolio.directory.rglob("*.*")):
        twin = again.directory / path.relative_to(runner.portfolio.directory)
        assert twin.read_bytes() == path.read_bytes(), path


def test_a_methodology_pack_gives_the_new_methodology_worked_by_hand(runner):
    """electricity-desnz-annual: per meter and month, Σ kWh × the year's factor, rounded to 3 decimals;
    summed over each archetype's meters. Worked here from the portfolio's own readings."""
    pack = pack_of(runner, "electricity-location-based@2025-10-27", "electricity-desnz-annual@2025-10-27")
    assert pack.kind == "methodology" and pack.energy_types == ("electricity",)
    frame = readings(runner, "electricity")
    frame["year"] = frame["from"].dt.year
    frame["month"] = frame["from"].dt.strftime("%Y-%m")
    factors = {year: factor(f"desnz@{year}", "electricity-generation", "kWh") for year in (2024, 2025)}
    frame["kg"] = frame["value"] * frame["year"].map(factors)
    per_meter = frame.groupby(["meter", "month"])["kg"].sum().round(3).reset_index()
    per_meter["archetype"] = per_meter["meter"].map(runner.portfolio.archetype_of())
    by_hand = per_meter.groupby(["archetype", "month"])["kg"].sum()
    rows = pack.rows("month")
    assert len(rows) == len(ARCHETYPES) * MONTHS
    for row in rows:
        assert row["new"] == pytest.approx(by_hand[(row["archetype"], row["month"])], abs=0.001 * len(PLACES))
        assert row["absolute"] == pytest.approx(row["new"] - row["old"], abs=1e-9)
        assert row["relative"] == pytest.approx(row["absolute"] / row["old"], rel=1e-6)


def test_a_factor_set_pack_moves_every_gas_figure_by_the_ratio_of_the_two_factors(runner):
    pack = pack_of(runner, "desnz@2024", "desnz@2025")
    assert pack.kind == "factor-set" and pack.energy_types == (
        "gas",
    )  # the default electricity method takes no factors
    ratio = factor("desnz@2025", "natural-gas", "kWh-gross-cv") / factor("desnz@2024", "natural-gas", "kWh-gross-cv")
    rows = pack.rows("month")
    assert len(rows) == len(ARCHETYPES) * MONTHS and {r["type"] for r in rows} == {"gas"}
    for row in rows:  # both years move: each half-hour took the one set, whatever its year
        assert row["new"] == pytest.approx(row["old"] * ratio, abs=0.001 * len(PLACES)), row
    for row in pack.rows("archetype"):
        assert row["relative"] == pytest.approx(ratio - 1, abs=1e-6)


def test_a_calorific_value_pack_scales_every_gas_volume_by_the_two_values(runner):
    values = {v["id"]: v["megajoulesPerCubicMetre"] for v in calorific_value_defaults()}
    pack = pack_of(runner, "gb-typical-bill", "ldz-sc-2014-07-30")
    assert pack.kind == "calorific-value" and pack.energy_types == ("gas",)
    ratio = values["ldz-sc-2014-07-30"] / values["gb-typical-bill"]
    for row in pack.rows("month") + pack.rows("place"):
        assert row["new"] == pytest.approx(row["old"] * ratio, abs=0.001 * len(ARCHETYPES) * len(PLACES)), row
    assert len(pack.rows("place")) == len(PLACES)


def test_largest_effects_come_first_and_every_row_is_in_the_markdown(runner):
    pack = pack_of(runner, "electricity-location-based@2025-10-27", "electricity-desnz-annual@2025-10-27")
    for by in ("month", "archetype", "place"):
        effects = [round(abs(r["relative"]), 5) for r in pack.rows(by)]
        assert effects == sorted(effects, reverse=True) and effects[0] > effects[-1]
    markdown = pack.markdown(chart="chart.svg")
    assert "![Relative difference by month and archetype](chart.svg)" in markdown
    top = pack.rows("month")[0]
    assert f"\n| {top['archetype']} | {top['month']} | {top['old']:,.3f} | {top['new']:,.3f} |" in markdown
    rows = [
        line
        for line in markdown.splitlines()
        if line.startswith("| ") and not line.startswith(("| archetype", "| place"))
    ]
    assert len(rows) == len(ARCHETYPES) * MONTHS + len(ARCHETYPES) + len(PLACES)
    assert "## By month and archetype, largest effects first: electricity" in markdown
    data = json.loads(pack.json())
    assert data["byMonth"] == pack.rows("month") and data["portfolio"]["synthetic"] is True


def test_the_chart_is_the_same_svg_every_time(runner):
    pack = pack_of(runner, "desnz@2024", "desnz@2025")
    chart = pack.chart()
    assert chart == pack.chart()
    text = chart.decode()
    assert text.startswith("<?xml") and "<svg" in text and "<dc:date>" not in text
    assert all(name in text for name in ARCHETYPES) and "desnz@2024 → desnz@2025" in text


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "gas-desnz-annual@2025-10-27",
            "gas-desnz-annual@2099-01-01",
            "gas-desnz-annual@2099-01-01: not a methodology",
        ),
        ("gas-desnz-annual@2025-10-27", "desnz@2025", "is a methodology but desnz@2025 is a factor-set"),
        ("gas-desnz-annual@2025-10-27", "electricity-desnz-annual@2025-10-27", "is for gas but"),
        ("desnz@2025", "desnz@2025", "twice"),
    ],
)
def test_what_cannot_be_compared_is_refused_before_any_calculation(old, new, says):
    with pytest.raises(ImpactError, match=says):
        resolve_pair(old, new)


def test_the_command_refuses_an_unknown_version_with_exit_2_and_writes_nothing(perseus, tmp_path):
    done = perseus("impact", "desnz@2024", "desnz@1999", "--output", tmp_path / "pack")
    assert done.returncode == 2
    assert "desnz@1999: not a methodology" in done.stderr and "Factor sets: desnz@2019" in done.stderr
    assert not (tmp_path / "pack").exists() and done.stdout == ""


@pytest.fixture
def command(runner, monkeypatch, capsys):
    """`perseus ARGS...` in this process on the module's reference portfolio (already written and partly
    calculated), for the commands' own work; the exit codes through a real process are tested above."""
    from perseus import cli
    from perseus.review.impact import compare

    monkeypatch.setattr(compare, "reference_runner", lambda folder: runner)

    def run(*args):
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_the_command_writes_the_pack_its_chart_and_json(command, tmp_path):
    code, _, err = command("impact", "gb-typical-bill", "ldz-wm-2014-07-30", "--output", tmp_path)
    assert code == 0, err
    name = "gb-typical-bill..ldz-wm-2014-07-30"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.json", f"{name}.md", f"{name}.svg"]
    data = json.loads((tmp_path / f"{name}.json").read_text())
    ratio = 39.4 / 39.5
    assert all(r["relative"] == pytest.approx(ratio - 1, abs=1e-5) for r in data["byArchetype"])
    assert f"]({name}.svg)" in (tmp_path / f"{name}.md").read_text()


def test_diff_shows_the_impact_beside_the_text_diff(command):
    code, out, err = command(
        "diff", "electricity-location-based@2025-10-27", "electricity-desnz-annual@2025-10-27", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["kind"] == "methodology" and any(c["name"] == "factorSetRule" for c in data["changes"])
    assert (
        data["impact"]["energyTypes"] == ["electricity"] and len(data["impact"]["byMonth"]) == len(ARCHETYPES) * MONTHS
    )
    code, out, _ = command("diff", "desnz@2024", "desnz@2025", "--no-impact")
    assert code == 0 and "Impact" not in out and "natural-gas" in out
    code, _, err = command("diff", "gas-desnz-annual@2025-10-27", "electricity-desnz-annual@2025-10-27")
    assert code == 2 and "compare two methodologies of one energy type" in err


def test_months_without_a_figure_under_one_variant_count_as_zero():
    """A month only one side has (the other had no readings) is shown with 0 on the other side, not dropped."""
    from perseus.review.impact.compare import side_by_side

    old = pd.DataFrame(
        {
            "type": ["gas"] * 2,
            "archetype": ["office"] * 2,
            "outcode": ["M1"] * 2,
            "month": ["2025-01", "2025-02"],
            "emissions": [10.0, 20.0],
        }
    )
    both = side_by_side(old, old.iloc[:1], "month")
    february = both[both["month"] == "2025-02"].iloc[0]
    assert (february["old"], february["new"], february["absolute"], february["relative"]) == (20.0, 0.0, -20.0, -1.0)
    assert np.isnan(side_by_side(old.iloc[:1], old, "month").set_index("month").loc["2025-02", "relative"])


def test_each_proposed_methodology_is_an_option_against_one_in_force():
    from perseus.governance.register import IN_FORCE, entries

    pairs = proposed_options()
    register = entries()
    assert ("electricity-location-based@2025-10-27", "electricity-desnz-annual@2025-10-27") in pairs
    for old, new in pairs:
        assert register[old]["status"] in IN_FORCE and register[new]["status"] == "proposed", (old, new)
    proposed = {ref for ref, e in register.items() if e["kind"] == "methodology" and e["status"] == "proposed"}
    assert {new for _, new in pairs} == proposed


def test_the_site_calculates_an_options_pack_once_per_change_of_its_inputs(tmp_path, monkeypatch):
    """A site build whose calculator, methodologies and factors are unchanged calculates no impact: each option's
    page comes from the build cache, and no reference portfolio is written."""
    from perseus import build_cache
    from perseus.review.impact import compare
    from perseus.site import impact

    monkeypatch.setattr(build_cache, "CACHE", tmp_path)
    made = []

    def render(runner, old, new):
        made.append((old, new))
        return {"new": new, "name": f"{old}..{new}", "page": new, "json": b"{}", "svg": b"<svg/>", "row": [new]}

    monkeypatch.setattr(impact, "render", render)
    monkeypatch.setattr(compare, "reference_runner", lambda folder: "runner")
    first = impact.pages()
    assert sorted(made) == sorted(proposed_options()) and len(first) == len(made) + 1
    made.clear()
    monkeypatch.setattr(compare, "reference_runner", lambda folder: pytest.fail("a portfolio written again"))
    assert impact.pages() == first and made == []


def test_the_impact_pages_cache_key_covers_what_the_packs_depend_on(monkeypatch):
    from perseus import build_cache
    from perseus.site import impact

    monkeypatch.setattr(build_cache, "digest", lambda files, salt="": tuple(files))
    files = build_cache.calculation_inputs(*impact.ALSO_INPUTS)
    for needed in (
        "src/perseus/review/impact/compare.py",
        "src/perseus/calculator/kernel.py",
        "src/perseus/site/impact.py",
        "src/perseus/site/charts.py",
        "methodologies/gas-desnz-published@2026-12-02.yaml",
        "factors/desnz@2025.yaml",
        "governance/register.yaml",
        "uv.lock",
    ):
        assert needed in files, needed
    assert not any(f.startswith(("docs/", "spec/", "src/perseus/site/hooks.py")) for f in files)


def test_packs_on_one_runner_show_only_their_own_energy_type(runner):
    """The approved electricity method as OLD of an electricity option and the approved gas method as OLD of a gas
    option are one calculation; each pack shows the type its option changes, whichever ran first."""
    electricity = pack_of(runner, "electricity-location-based@2025-10-27", "electricity-desnz-annual@2025-10-27")
    gas = pack_of(runner, "gas-desnz-annual@2025-10-27", "gas-desnz-cubic-metre@2026-12-02")
    assert {r["type"] for r in electricity.rows("month")} == {"electricity"}
    assert {r["type"] for r in gas.rows("month")} == {"gas"} and len(gas.rows("month")) == len(ARCHETYPES) * MONTHS
