"""The rules on readings, through both entry points: meters of MeterData files, repeats exactly the same quantity,
the period applied before repeats are judged, files with readings, the default calorific value as a dataset, and
the order unsorted files are put in (and what that costs)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perseus.calculator import CalculationError, calculate
from perseus.calculator.errors import Labels
from perseus.calculator.kernel import Rows, aggregate
from perseus.portfolio import calculate_portfolio
from tests.calc_helpers import instant, intensity_rows, reading, run_calculate, write_csv
from tests.portfolio_helpers import TAKEN_AT, rewrite, small_portfolio

C = ["type", "from", "to", "value", "unitCode"]
TAKEN = "2030-01-01T00:00:00Z"
START = instant("2025-03-03T10:00:00Z")


def meter_data(path: Path, outcode: str, values, unit: str = "KWH") -> Path:
    data = [
        {
            **{k: v for k, v in reading("electricity", START, k, value, unit).items() if k in ("type", "from", "to")},
            "takenAt": "2025-03-04T00:00:00Z",
            "energy": {"value": value, "unitCode": unit},
            "cumulative": {"value": 100.0, "unitCode": unit},
        }
        for k, value in enumerate(values)
    ]
    path.write_text(json.dumps({"data": data, "location": {"ukPostcodeOutcode": outcode}}))
    return path


@pytest.fixture
def intensity(tmp_path) -> Path:
    return write_csv(tmp_path / "intensity.csv", intensity_rows(START, [100] * 4), ["from", "to", "intensity"])


# --- meters of MeterData files ------------------------------------------------------------------------------------


def test_meter_data_files_of_two_outcodes_are_two_meters(tmp_path, intensity):
    files = [meter_data(tmp_path / f"{o}.json", o, [1.0, 0.5, 0.75, 1.25]) for o in ("RG10", "RG1")]
    (entry,) = calculate(files, intensity=intensity, taken_at=TAKEN)["data"]
    assert entry["emissions"]["value"] == 0.7
    assert (entry["dataQuality"]["duplicateReadings"], entry["dataQuality"]["expectedHalfHours"]) == (0, 2 * 31 * 48)


def test_meter_data_files_of_one_outcode_are_one_meters_readings(tmp_path, intensity):
    files = [meter_data(tmp_path / f"part-{k}.json", "RG10", [1.0, 0.5, 0.75, 1.25]) for k in (1, 2)]
    (entry,) = calculate(files, intensity=intensity, taken_at=TAKEN)["data"]
    assert entry["emissions"]["value"] == 0.35
    assert (entry["dataQuality"]["duplicateReadings"], entry["dataQuality"]["expectedHalfHours"]) == (4, 31 * 48)
    other = meter_data(tmp_path / "part-3.json", "RG10", [1.0, 0.5, 0.7, 1.25])
    with pytest.raises(CalculationError) as refused:
        calculate([files[0], other], intensity=intensity, taken_at=TAKEN)
    assert [b.rule for b in refused.value.breaches] == ["no-conflicting-duplicates"]
    assert "of meter 'MeterData in RG10'" in str(refused.value)


# --- repeats: exactly the same quantity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "again", "agree"),
    [
        (("2000000.000", "KWH"), ("2000000.001", "KWH"), False),  # 5e-10 relative: within the old tolerance
        (("0.1", "KWH"), (repr(float(np.nextafter(0.1, 1))), "KWH"), False),
        (("1.00005", "KWH"), ("1000.05", "WHR"), True),  # equal as written; 1000.05 / 1000 is not 1.00005 in binary64
        (("0.8", "KWH"), ("800", "WHR"), True),
    ],
)
def test_repeats_must_be_exactly_the_same_quantity(tmp_path, first, again, agree):
    files = [
        write_csv(tmp_path / f"part-{k}.csv", [reading("gas", START, 0, value, unit)], C)
        for k, (value, unit) in enumerate((first, again))
    ]
    if agree:
        (entry,) = calculate(files, taken_at=TAKEN)["data"]
        assert entry["dataQuality"]["duplicateReadings"] == 1
        return
    with pytest.raises(CalculationError) as refused:
        calculate(files, taken_at=TAKEN)
    assert [b.rule for b in refused.value.breaches] == ["no-conflicting-duplicates"]
    assert "exactly the same quantity" in str(refused.value)


def test_a_portfolio_compares_watt_hours_as_written(tmp_path):
    """A repeat in WHR of a reading in KWH, equal as written, is a duplicate in a portfolio too; a near one is refused."""
    portfolio = small_portfolio(tmp_path / "p", meters=2, buckets=1)
    path = sorted((portfolio / "readings" / "type=electricity").rglob("*.parquet"))[0]

    def repeat(value_kwh: float, value_wh: float):
        def change(t):
            t.loc[0, ["value", "unitCode"]] = [value_kwh, "KWH"]
            extra = t.iloc[[0]].copy()
            extra[["value", "unitCode"]] = [value_wh, "WHR"]
            t.loc[len(t)] = extra.iloc[0]

        return change

    rewrite(path, repeat(1.00005, 1000.05))
    reports = dict(calculate_portfolio(portfolio, taken_at=TAKEN_AT).reports())
    meter = pq.read_table(path).column("meter")[0].as_py()
    assert reports[meter]["data"][0]["dataQuality"]["duplicateReadings"] == 1
    rewrite(
        path, lambda t: t.__setitem__("value", t["value"].where(t.index < len(t) - 1, 1000.0501))
    )  # the repeat, a little off
    with pytest.raises(CalculationError) as refused:
        calculate_portfolio(portfolio, taken_at=TAKEN_AT)
    assert [b.rule for b in refused.value.breaches] == ["no-conflicting-duplicates"]


# --- the period before repeats -------------------------------------------------------------------------------------


def test_a_conflict_outside_the_period_is_not_read(tmp_path):
    rows = [reading("gas", START, k, v, "KWH") for k, v in enumerate([1.0, 2.0, 3.0])]
    files = [
        write_csv(tmp_path / "a.csv", rows, C),
        write_csv(tmp_path / "b.csv", [reading("gas", START, 2, 9.0, "KWH")], C),
    ]
    period = {"start": "2025-03-03T10:00:00Z", "end": "2025-03-03T11:00:00Z"}
    (entry,) = calculate(files, taken_at=TAKEN, **period)["data"]
    assert (entry["dataQuality"]["presentHalfHours"], entry["dataQuality"]["duplicateReadings"]) == (2, 0)
    with pytest.raises(CalculationError):
        calculate(files, taken_at=TAKEN, start=period["start"], end="2025-03-03T11:30:00Z")


def test_a_portfolio_conflict_outside_the_period_is_not_read(tmp_path):
    portfolio = small_portfolio(tmp_path / "p", meters=2, buckets=1)
    path = sorted((portfolio / "readings" / "type=gas").rglob("*.parquet"))[0]

    def conflict(t):  # the last reading of the first meter again, with another value: 31 January 23:30
        last = t[t["meter"] == t["meter"].iloc[0]].index[-1]
        extra = t.iloc[[last]].copy()
        extra["value"] = extra["value"] + 1
        t.loc[len(t)] = extra.iloc[0]

    rewrite(path, conflict)
    with pytest.raises(CalculationError):
        calculate_portfolio(portfolio, taken_at=TAKEN_AT)
    run = calculate_portfolio(portfolio, taken_at=TAKEN_AT, start="2025-12-01T00:00:00Z", end="2026-01-31T23:30:00Z")
    assert len(run.entries)


# --- files without readings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.csv", "empty.json"])
def test_a_file_without_readings_is_refused_and_nothing_written(tmp_path, capsys, name):
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps({"data": [], "location": {"ukPostcodeOutcode": "SW8"}}))
    else:
        write_csv(path, [], C)
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run_calculate(
        ["--consumption", str(path), "--taken-at", TAKEN, "--output", str(out / "r.json")], capsys
    )
    assert (code, stdout, list(out.iterdir())) == (1, "", [])
    assert f"error: {path}" in err and "no readings" in err and err.rstrip().endswith("[rule: readable-input]")


def test_a_portfolio_readings_file_without_readings_is_refused(tmp_path):
    portfolio = small_portfolio(tmp_path / "p", meters=2, buckets=1)
    path = sorted((portfolio / "readings" / "type=gas").rglob("*.parquet"))[0]
    pq.write_table(pq.read_table(path).slice(0, 0), path.parent / "part-1.parquet")
    with pytest.raises(CalculationError) as refused:
        calculate_portfolio(portfolio, taken_at=TAKEN_AT)
    assert [(b.rule, b.file) for b in refused.value.breaches] == [
        ("readable-input", str((path.parent / "part-1.parquet").relative_to(portfolio)))
    ]


# --- every dataset used listed: the default calorific value --------------------------------------------------------


def test_the_default_calorific_value_is_listed_where_it_served(tmp_path):
    rows = [reading("gas", START, 0, 0.5, "MTQ"), reading("gas", instant("2025-04-01T00:00:00Z"), 0, 2.0, "KWH")]
    (source,) = calculate([write_csv(tmp_path / "g.csv", rows, C)], taken_at=TAKEN)["sources"]
    roles = {d["role"]: d for d in source["datasets"]}
    assert roles["calorific-values"]["months"] == ["2025-03"]  # April had no volume, so needed no calorific value
    assert (
        "gb-typical-bill" in roles["calorific-values"]["title"]
        and source["calorificValue"]["choice"] == "methodology-default"
    )
    (given,) = calculate([write_csv(tmp_path / "g.csv", rows, C)], taken_at=TAKEN, calorific_value=39.0)["sources"]
    assert "calorific-values" not in {d["role"] for d in given["datasets"]}


def test_a_portfolio_lists_the_default_for_the_meters_it_served(tmp_path):
    portfolio = small_portfolio(tmp_path / "p", meters=4, buckets=1)
    meters = pq.read_table(portfolio / "meters.parquet").to_pandas()
    reports = dict(calculate_portfolio(portfolio, taken_at=TAKEN_AT).reports())
    for _, row in meters[meters["type"] == "gas"].iterrows():
        (gas,) = [s for s in reports[row["meter"]]["sources"] if s["type"] == "gas"]
        listed = "calorific-values" in {d["role"] for d in gas["datasets"]}
        defaulted = gas.get("calorificValue", {}).get("choice") == "methodology-default"
        assert listed == defaulted, row["meter"]
    assert any("calorific-values" in {d["role"] for s in r["sources"] for d in s["datasets"]} for r in reports.values())


# --- the order of unsorted files ------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 40)), min_size=1, max_size=200))
def test_unsorted_rows_are_put_in_the_stable_order_of_meter_then_half_hour(cells):
    from perseus.calculator.kernel import _in_time_order

    local = np.array([c[0] for c in cells], dtype=np.int32)
    half_hour = np.array([480_000 + c[1] for c in cells], dtype=np.int32)
    rows = Rows(local, half_hour, np.arange(len(cells), dtype=np.float64), None)
    ordered = _in_time_order(rows)
    expected = np.lexsort((half_hour, local))  # stable: repeats keep the table's order
    assert ordered.original.tolist() == expected.tolist()
    assert (
        ordered.local.tolist() == local[expected].tolist()
        and ordered.half_hour.tolist() == half_hour[expected].tolist()
    )
    assert ordered.quantity.tolist() == expected.astype(float).tolist()


def test_a_shuffled_file_gives_the_sorted_files_totals_bit_for_bit(tmp_path):
    """The same readings in any order: the same rows per (meter, month), the same floats (what it costs is
    benchmarks/bench_unsorted.py's to measure)."""
    from perseus.calculator.methods import chosen_methodologies, methodology_for
    from perseus.paths import METHODOLOGIES
    from perseus.portfolio import context, layout

    portfolio = small_portfolio(tmp_path / "p", meters=16, buckets=1)
    chosen = {
        t: methodology_for(t, chosen_methodologies((), METHODOLOGIES), METHODOLOGIES) for t in ("electricity", "gas")
    }
    opened = layout.open_portfolio(portfolio)
    ctx, _ = context.build(opened, chosen, None, (None, None))
    for partition in opened.partitions:
        table = pq.read_table(partition.path, columns=partition.columns, read_dictionary=["meter", "unitCode"])
        shuffled = table.take(pa.array(np.random.default_rng(0).permutation(table.num_rows)))
        labels = Labels.of_file(partition.relative)
        found, again = (aggregate(t, partition.energy_type, labels, ctx).to_pandas() for t in (table, shuffled))
        assert found.drop(columns="exact").equals(again.drop(columns="exact"))
        assert found["exact"].tolist() == again["exact"].tolist()
