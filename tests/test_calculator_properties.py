"""Properties of the calculator (hypothesis) and the two formulas of the issue's "Done means"."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perseus.calculator import calculate
from perseus.paths import METHODOLOGIES
from tests.calc_helpers import factor, instant, intensity_rows, reading, without_provenance, write_csv

C = ["type", "from", "to", "value", "unitCode"]
TAKEN = "2030-01-01T00:00:00Z"
# Two days either side of a month and year boundary, so every property crosses one.
START = instant("2025-12-30T00:00:00Z")
SLOTS = 4 * 48
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

slots = st.lists(st.integers(0, SLOTS - 1), min_size=1, max_size=40, unique=True)
watt_hours = st.integers(0, 5000)
intensities = st.lists(st.integers(0, 450), min_size=SLOTS, max_size=SLOTS)


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="perseus-prop-"))


def intensity_file(directory: Path, values) -> Path:
    return write_csv(directory / "intensity.csv", intensity_rows(START, values), ["from", "to", "intensity"])


def month_of(k: int) -> str:
    return reading("gas", START, k, 0, "KWH")["from"][:7]


@PROPERTY
@given(chosen=slots, data=st.data())
def test_split_across_files_in_any_order_gives_the_same_report(chosen, data):
    values = {k: data.draw(watt_hours) for k in chosen}
    rows = [reading("electricity", START, k, v, "WHR") for k, v in values.items()]
    order = data.draw(st.permutations(rows))
    parts = data.draw(st.integers(1, min(4, len(rows))))
    cuts = (
        sorted(data.draw(st.lists(st.integers(1, len(rows) - 1), min_size=parts - 1, max_size=parts - 1, unique=True)))
        if len(rows) > 1
        else []
    )
    directory = workdir()
    try:
        intensity = intensity_file(directory, [200] * SLOTS)
        whole = write_csv(directory / "whole.csv", rows, C)
        pieces = [write_csv(directory / f"part-{i}.csv", chunk, C) for i, chunk in enumerate(_split(list(order), cuts))]
        one = calculate([whole], intensity=intensity, taken_at=TAKEN)
        many = calculate(pieces, intensity=intensity, taken_at=TAKEN)
        assert without_provenance(one) == without_provenance(many)
    finally:
        shutil.rmtree(directory)


def _split(rows, cuts):
    bounds = [0, *cuts, len(rows)]
    return [rows[a:b] for a, b in itertools.pairwise(bounds)]


@PROPERTY
@given(chosen=slots, data=st.data())
def test_watt_hours_and_kilowatt_hours_give_the_same_result(chosen, data):
    values = {k: data.draw(watt_hours) for k in chosen}
    directory = workdir()
    try:
        intensity = intensity_file(directory, data.draw(intensities))
        in_wh = write_csv(
            directory / "wh.csv", [reading("electricity", START, k, v, "WHR") for k, v in values.items()], C
        )
        in_kwh = write_csv(
            directory / "kwh.csv", [reading("electricity", START, k, v / 1000, "KWH") for k, v in values.items()], C
        )
        assert without_provenance(calculate([in_wh], intensity=intensity, taken_at=TAKEN)) == without_provenance(
            calculate([in_kwh], intensity=intensity, taken_at=TAKEN)
        )
    finally:
        shutil.rmtree(directory)


@PROPERTY
@given(chosen=slots, data=st.data())
def test_electricity_is_the_sum_of_kwh_times_intensity_over_1000(chosen, data):
    kwh = {k: data.draw(st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 3))) for k in chosen}
    grid = data.draw(intensities)
    directory = workdir()
    try:
        report = calculate(
            [write_csv(directory / "e.csv", [reading("electricity", START, k, v, "KWH") for k, v in kwh.items()], C)],
            intensity=intensity_file(directory, grid),
            taken_at=TAKEN,
        )
    finally:
        shutil.rmtree(directory)
    expected = defaultdict(float)
    for k, v in kwh.items():
        expected[month_of(k)] += v * grid[k] / 1000
    figures = {e["from"][:7]: e["emissions"]["value"] for e in report["data"]}
    assert set(figures) == set(expected)
    for month, value in expected.items():
        assert abs(figures[month] - value) <= 0.001


@PROPERTY
@given(chosen=slots, data=st.data(), cv=st.floats(35, 45).map(lambda x: round(x, 2)))
def test_gas_in_cubic_metres_follows_the_formula_with_the_set_of_each_year(chosen, data, cv):
    volume = {k: data.draw(st.floats(0, 5, allow_nan=False).map(lambda x: round(x, 3))) for k in chosen}
    directory = workdir()
    try:
        report = calculate(
            [write_csv(directory / "g.csv", [reading("gas", START, k, v, "MTQ") for k, v in volume.items()], C)],
            calorific_value=cv,
            taken_at=TAKEN,
        )
    finally:
        shutil.rmtree(directory)
    cubic_metres = defaultdict(float)
    for k, v in volume.items():
        cubic_metres[month_of(k)] += v
    figures = {e["from"][:7]: e["emissions"]["value"] for e in report["data"]}
    assert set(figures) == set(cubic_metres)
    for month, total in cubic_metres.items():
        year = int(month[:4])  # the window crosses 2025 -> 2026: the set switches at the boundary
        expected = total * 1.02264 * cv / 3.6 * factor(year, "natural-gas", "kWh-gross-cv")
        assert abs(figures[month] - expected) <= 0.001
    assert report["sources"][0]["calorificValue"] == {"megajoulesPerCubicMetre": cv, "choice": "caller"}


@PROPERTY
@given(chosen=st.lists(st.integers(0, SLOTS - 1), min_size=2, max_size=40, unique=True), data=st.data())
def test_a_months_total_is_the_sum_of_its_parts(chosen, data):
    values = {k: data.draw(watt_hours) for k in chosen}
    split = data.draw(st.integers(1, len(chosen) - 1))
    first, second = chosen[:split], chosen[split:]
    directory = workdir()
    try:
        intensity = intensity_file(directory, data.draw(intensities))

        def figures(ks):
            path = write_csv(
                directory / f"{len(ks)}-{ks[0]}.csv",
                [reading("electricity", START, k, values[k], "WHR") for k in ks],
                C,
            )
            report = calculate(
                [path], intensity=intensity, taken_at=TAKEN, start="2025-12-30T00:00:00Z", end="2026-01-03T00:00:00Z"
            )
            return {e["from"][:7]: e for e in report["data"]}

        whole, a, b = figures(chosen), figures(first), figures(second)
    finally:
        shutil.rmtree(directory)
    for month, entry in whole.items():
        parts = a[month]["emissions"]["value"] + b[month]["emissions"]["value"]
        assert abs(entry["emissions"]["value"] - parts) <= 0.001 + 1e-9  # each part was rounded once
        quality = entry["dataQuality"]
        assert (
            quality["presentHalfHours"]
            == a[month]["dataQuality"]["presentHalfHours"] + b[month]["dataQuality"]["presentHalfHours"]
        )
        assert quality["expectedHalfHours"] == 96  # two UTC days of each month in the window
        assert quality["missingHalfHours"] == 96 - quality["presentHalfHours"]


def test_changing_a_parameter_in_the_yaml_changes_the_result(tmp_path):
    consumption = write_csv(tmp_path / "gas.csv", [reading("gas", START, k, 2.0, "MTQ") for k in range(4)], C)
    directory = tmp_path / "methodologies"
    shutil.copytree(METHODOLOGIES, directory)
    before = calculate([consumption], calorific_value=40.0, taken_at=TAKEN, methodologies_dir=directory)
    path = directory / "gas-desnz-annual@2025-10-27.yaml"
    text = path.read_text()
    assert "default: 1.02264" in text
    path.write_text(text.replace("default: 1.02264", "default: 1.0"))
    after = calculate([consumption], calorific_value=40.0, taken_at=TAKEN, methodologies_dir=directory)
    old, new = before["data"][0]["emissions"]["value"], after["data"][0]["emissions"]["value"]
    assert old != new
    gross = factor(2025, "natural-gas", "kWh-gross-cv")
    assert abs(old - 8.0 * 1.02264 * 40.0 / 3.6 * gross) <= 0.0005
    assert abs(new - 8.0 * 1.0 * 40.0 / 3.6 * gross) <= 0.0005


def test_changing_the_default_calorific_value_in_the_yaml_changes_the_result(tmp_path):
    consumption = write_csv(tmp_path / "gas.csv", [reading("gas", START, k, 2.0, "MTQ") for k in range(4)], C)
    directory = tmp_path / "methodologies"
    shutil.copytree(METHODOLOGIES, directory)
    before = calculate([consumption], taken_at=TAKEN, methodologies_dir=directory)
    path = directory / "gas-desnz-annual@2025-10-27.yaml"
    path.write_text(path.read_text().replace("default: 39.5", "default: 42.0"))
    after = calculate([consumption], taken_at=TAKEN, methodologies_dir=directory)
    assert before["sources"][0]["calorificValue"] == {"megajoulesPerCubicMetre": 39.5, "choice": "methodology-default"}
    assert after["sources"][0]["calorificValue"] == {"megajoulesPerCubicMetre": 42.0, "choice": "methodology-default"}
    ratio = after["data"][0]["emissions"]["value"] / before["data"][0]["emissions"]["value"]
    assert abs(ratio - 42.0 / 39.5) < 1e-3
