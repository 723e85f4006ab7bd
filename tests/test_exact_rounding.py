"""The one rounding of a monthly total is exact on decimal ties: the calculator's figures equal an independent
rational computation from the numbers as written, and its binary64 totals stay within the error bound it uses."""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perseus.calculator import calculate
from perseus.calculator.files import calculate_files
from perseus.methodology.documents import resolve
from perseus.paths import METHODOLOGIES
from tests.calc_helpers import factor, instant, intensity_rows, reading, write_csv

C = ["type", "from", "to", "value", "unitCode"]
I = ["from", "to", "intensity"]  # noqa: E741
TAKEN = "2030-01-01T00:00:00Z"
START = instant("2025-12-31T12:00:00Z")  # a day either side of a month (and year) boundary
SLOTS = 48
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def rounded(value: Fraction, decimals: int = 3) -> float:
    """Half-even at `decimals`, worked independently of the calculator (Python's round on a Fraction is half-even)."""
    return float(round(value, decimals))


def month_of(k: int) -> str:
    return reading("gas", START, k, 0, "KWH")["from"][:7]


def test_25_half_hours_of_a_tenth_of_a_kwh_at_5_g_is_0_012():
    directory = Path(tempfile.mkdtemp(prefix="perseus-tie-"))
    try:
        start = instant("2025-07-01T00:00:00Z")
        consumption = write_csv(
            directory / "e.csv", [reading("electricity", start, k, "0.1", "KWH") for k in range(25)], C
        )
        intensity = write_csv(directory / "i.csv", intensity_rows(start, [5] * 25), I)
        run = calculate_files([consumption], intensity=intensity, taken_at=TAKEN)
    finally:
        shutil.rmtree(directory)
    assert run.figures["electricity"]["total"].tolist() != [0.0125]  # binary64 cannot add it up exactly ...
    assert [e["emissions"]["value"] for e in run.report["data"]] == [0.012]  # ... the rounding is of the exact sum


@PROPERTY
@given(chosen=st.lists(st.integers(0, SLOTS - 1), min_size=1, max_size=30, unique=True), data=st.data())
def test_electricity_on_a_decimal_grid_rounds_as_the_exact_sum(chosen, data) -> None:
    """Tenths of a kWh at multiples of 5 g/kWh: every half-hour is a multiple of 0.0005 kg, so half the months are ties."""
    tenths = {k: data.draw(st.integers(0, 30)) for k in chosen}
    grid = [5 * data.draw(st.integers(0, 60)) for _ in range(SLOTS)]
    directory = Path(tempfile.mkdtemp(prefix="perseus-grid-"))
    try:
        rows = [reading("electricity", START, k, f"{t / 10:.1f}", "KWH") for k, t in tenths.items()]
        report = calculate(
            [write_csv(directory / "e.csv", rows, C)],
            taken_at=TAKEN,
            intensity=write_csv(directory / "i.csv", intensity_rows(START, grid), I),
        )
    finally:
        shutil.rmtree(directory)
    exact_total: defaultdict[str, Fraction] = defaultdict(Fraction)
    for k, t in tenths.items():
        exact_total[month_of(k)] += Fraction(t, 10) * grid[k] / 1000
    assert {e["from"][:7]: e["emissions"]["value"] for e in report["data"]} == {
        m: rounded(v) for m, v in exact_total.items()
    }


@PROPERTY
@given(
    chosen=st.lists(st.integers(0, SLOTS - 1), min_size=1, max_size=30, unique=True),
    data=st.data(),
    cv=st.integers(3500, 4500),
)
def test_gas_in_cubic_metres_rounds_as_the_exact_sum(chosen, data, cv) -> None:
    """m³ × 1.02264 × CV ÷ 3.6 × factor, in fractions from the numbers as written (÷ 3.6 has no finite decimal)."""
    thousandths = {k: data.draw(st.integers(0, 5000)) for k in chosen}
    calorific = Fraction(cv, 100)
    directory = Path(tempfile.mkdtemp(prefix="perseus-gas-"))
    try:
        rows = [reading("gas", START, k, f"{t / 1000:.3f}", "MTQ") for k, t in thousandths.items()]
        report = calculate([write_csv(directory / "g.csv", rows, C)], calorific_value=float(calorific), taken_at=TAKEN)
    finally:
        shutil.rmtree(directory)
    exact_total: defaultdict[str, Fraction] = defaultdict(Fraction)
    for k, t in thousandths.items():
        month = month_of(k)
        per_kwh = Fraction(repr(factor(int(month[:4]), "natural-gas", "kWh-gross-cv")))
        exact_total[month] += Fraction(t, 1000) * Fraction("1.02264") * calorific / Fraction("3.6") * per_kwh
    assert {e["from"][:7]: e["emissions"]["value"] for e in report["data"]} == {
        m: rounded(v) for m, v in exact_total.items()
    }


@PROPERTY
@given(values=st.lists(st.integers(0, 10**7), min_size=1, max_size=200), cv=st.integers(3500, 4500))
def test_the_binary64_total_is_within_the_bound(values, cv):
    """The bound the calculator trusts (exact.bound) holds: gas in m³, random readings to the litre."""
    from perseus.calculator import exact

    directory = Path(tempfile.mkdtemp(prefix="perseus-bound-"))
    try:
        start = instant("2025-03-01T00:00:00Z")
        rows = [reading("gas", start, k, f"{v / 1000:.3f}", "MTQ") for k, v in enumerate(values)]
        run = calculate_files([write_csv(directory / "g.csv", rows, C)], calorific_value=cv / 100, taken_at=TAKEN)
    finally:
        shutil.rmtree(directory)
    m = resolve("gas-desnz-annual")
    per_kwh = Fraction(repr(factor(2025, "natural-gas", "kWh-gross-cv")))
    truth = sum(Fraction(v, 1000) * Fraction("1.02264") * Fraction(cv, 100) / Fraction("3.6") * per_kwh for v in values)
    total = float(run.figures["gas"]["total"].iloc[0])
    allowed = exact.bound(np.array([total]), np.array([len(values)]), exact.rounding_depth(m))[0]
    assert abs(Fraction(total) - truth) <= Fraction(allowed)


def test_a_methodology_that_subtracts_is_bounded_by_its_magnitude(tmp_path):
    """A step with a subtraction: the bound is taken on every term counted positive, and a tie still rounds exactly."""
    from perseus.calculator import exact

    document = yaml.safe_load((METHODOLOGIES / "electricity-location-based@2025-10-27.yaml").read_text())
    document["label"] = "electricity-halved"
    document["parameters"].append(
        {"name": "share", "unit": "1", "default": 0.5, "source": "a test", "description": "a share"}
    )
    document["steps"] = [
        {
            "name": "emissions_kg",
            "unit": "kg CO2e",
            "description": "half of it",
            "expression": "energy_kwh * grid_intensity * (1 - share) / grams_per_kilogram",
        }
    ]
    (tmp_path / "electricity-halved@2025-10-27.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    start = instant("2025-07-01T00:00:00Z")
    consumption = write_csv(tmp_path / "e.csv", [reading("electricity", start, k, "0.1", "KWH") for k in range(25)], C)
    intensity = write_csv(tmp_path / "i.csv", intensity_rows(start, [10] * 25), I)
    run = calculate_files(
        [consumption],
        intensity=intensity,
        taken_at=TAKEN,
        methods=["electricity-halved@2025-10-27"],
        methodologies_dir=tmp_path,
    )
    assert [e["emissions"]["value"] for e in run.report["data"]] == [0.012]  # 25 × 0.1 × 10 × 0.5 ÷ 1000 = 0.0125
    m = resolve("electricity-halved@2025-10-27", tmp_path)
    assert exact.subtracts(m) and exact.rounding_depth(m) is not None


def test_rounding_a_total_exactly():
    from perseus.calculator import exact

    half_even = {"decimals": 3, "mode": "half-even"}
    assert exact.round_total(Fraction(1, 80), half_even) == 0.012  # 0.0125
    assert exact.round_total(Fraction(27, 2000), half_even) == 0.014  # 0.0135
    assert exact.round_total(Fraction(1, 80), {"decimals": 3, "mode": "half-up"}) == 0.013
    assert exact.round_total(Fraction(12501, 1000000), half_even) == 0.013
    # A binary64 value is rounded as it is: the double nearest 0.0125 is a little above it.
    assert Fraction(0.0125) > Fraction(1, 80) and exact.round_total(0.0125, half_even) == 0.013


def _near_ties(decimals: int):
    """Doubles within four ulps of a decimal half-way point (j + 1/2) / 10**decimals (on it, where binary64 holds it)."""
    return st.tuples(st.integers(-(10**12), 10**12), st.integers(-4, 4)).map(
        lambda t: _ulps_away((t[0] + 0.5) / 10**decimals, t[1])
    )


def _ulps_away(value: float, ulps: int) -> float:
    for _ in range(abs(ulps)):
        value = float(np.nextafter(value, np.inf if ulps > 0 else -np.inf))
    return value


@settings(max_examples=300, deadline=None)
@given(
    decimals=st.integers(-2, 24),
    mode=st.sampled_from(["half-even", "half-up"]),
    data=st.data(),
)
def test_the_column_rounding_is_the_scalar_rounding_bit_for_bit(decimals, mode, data):
    """`round_totals` (array arithmetic, for the portfolio's many months) gives what `round_total` gives, to the bit
    (the sign of zero included), on any finite doubles, on values a few ulps from a tie, and on ties binary64 holds exactly."""
    from perseus.calculator import exact

    rounding = {"decimals": decimals, "mode": mode}
    values = data.draw(
        st.lists(
            st.one_of(
                st.floats(allow_nan=False, allow_infinity=False),
                st.floats(-1e6, 1e6),
                _near_ties(max(decimals, 0)),
                st.sampled_from([0.125, -0.125, 2.5, 0.0625, -0.0, 0.0, 1e-320, 4503599627370497.0]),
            ),
            min_size=1,
            max_size=30,
        )
    )
    expected = np.array([exact.round_total(v, rounding) for v in values])
    assert exact.round_totals(np.array(values), rounding).view(np.int64).tolist() == expected.view(np.int64).tolist()


@pytest.mark.parametrize(
    ("total", "near"),
    [(0.0125, True), (0.012500000000000008, True), (0.0124, False), (2.5005, True), (2.5004999, False), (0.0, False)],
)
def test_near_a_tie(total, near):
    from perseus.calculator import exact

    within = exact.bound(np.array([total]), np.array([25]), 4)
    assert bool(exact.near_tie(np.array([total]), within, 3)[0]) is near


def test_rounding_depth_counts_every_rounding_on_the_way():
    from perseus.calculator import exact

    gas = resolve("gas-desnz-annual")
    # A product adds its operands' depths and one; a sum takes the deeper and one. Gas: volume_m3 (read, then maybe ÷ 1000:
    # 2) × correction (1) × CV (1) ÷ 3.6 (1) is 2+1+1 + 1+1 + 1+1 = 8; + metered_kwh: 9; × factor (1): 11.
    assert exact.rounding_depth(gas) == 11 and not exact.subtracts(gas)
    assert exact.rounding_depth(resolve("electricity-location-based")) == 6  # (2 + 1 + 1) + 1 + 1


def test_a_divisor_that_subtracts_has_no_bound(tmp_path):
    from perseus.calculator import exact

    document = yaml.safe_load((METHODOLOGIES / "electricity-location-based@2025-10-27.yaml").read_text())
    document["label"] = "electricity-odd"
    document["steps"][0]["expression"] = "energy_kwh * grid_intensity / (grams_per_kilogram - 1)"
    (tmp_path / "electricity-odd@2025-10-27.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    m = resolve("electricity-odd@2025-10-27", tmp_path)
    assert exact.rounding_depth(m) is None
    assert np.isinf(exact.bound(np.array([1.0]), np.array([3]), None)).all()  # every month is then worked exactly
