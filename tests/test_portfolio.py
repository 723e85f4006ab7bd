"""The portfolio engine gives each meter the report the single-meter calculator gives it."""

from __future__ import annotations

import json

import pytest

from perseus.calculator import calculate
from perseus.portfolio import calculate_portfolio
from tests.portfolio_helpers import TAKEN_AT, single_meter_inputs, small_portfolio


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    return small_portfolio(tmp_path_factory.mktemp("portfolio"))


@pytest.fixture(scope="module")
def run(portfolio):
    return calculate_portfolio(portfolio, taken_at=TAKEN_AT)


# 0: gas in m³ with its own CV; 1: m³ on the methodology default; 3: gas in kWh; 7: a week missing; 9: electricity in Wh
@pytest.mark.parametrize("number", [0, 1, 3, 7, 9])
def test_each_meter_equals_the_single_meter_calculator(portfolio, run, tmp_path, number):
    meter = f"synthetic-portfolio-{number:06d}"
    reports = dict(run.reports())
    inputs = single_meter_inputs(portfolio, meter, tmp_path)
    single = calculate(inputs["consumption"], intensity=inputs["intensity"], taken_at=TAKEN_AT)
    assert reports[meter]["data"] == single["data"]
    assert reports[meter]["sources"] == single["sources"]


def test_the_cases_the_comparison_relies_on_are_present(run):
    reports = dict(run.reports())
    quality = {e["dataQuality"]["missingData"] for e in reports["synthetic-portfolio-000007"]["data"]}
    assert quality == {"Complete", "Missing"}
    gas = {s["type"]: s for s in reports["synthetic-portfolio-000000"]["sources"]}["gas"]
    assert gas["calorificValue"]["choice"] == "data"
    default = {s["type"]: s for s in reports["synthetic-portfolio-000001"]["sources"]}["gas"]
    assert default["calorificValue"]["choice"] == "methodology-default"
    assert "calorificValue" not in {s["type"]: s for s in reports["synthetic-portfolio-000003"]["sources"]}["gas"]
    years = {
        d["version"]
        for s in reports["synthetic-portfolio-000000"]["sources"]
        for d in s["datasets"]
        if d["role"] == "emission-factors"
    }
    assert len(years) == 2  # December 2025 and January 2026 use different factor sets


def test_entries_table_matches_the_reports(run):
    entries = run.entries
    reports = dict(run.reports())
    assert len(entries) == sum(len(r["data"]) for r in reports.values())
    row = entries[(entries["meter"] == "synthetic-portfolio-000007") & (entries["type"] == "electricity")].iloc[0]
    first = reports["synthetic-portfolio-000007"]["data"][0]
    assert row["emissions"] == first["emissions"]["value"]
    assert row["presentHalfHours"] == first["dataQuality"]["presentHalfHours"]
    assert abs(row["emissionsUnrounded"] - row["emissions"]) <= 0.0005


def test_a_run_without_entries_has_the_same_columns_and_types(run):
    """The .parquet output of a run with no entry has the types of one with entries (`entry_schema` states
    them apart from the columns `entries_table` builds, so the two are held together here)."""
    from perseus.portfolio.reports import entries_table

    empty = entries_table(run.portfolio, {}, run.taken_at)
    assert empty.num_rows == 0
    assert empty.schema == run.entries_table().schema


def test_json_lines_are_each_a_valid_report(portfolio, tmp_path, perseus):
    from perseus.validation import load_release_schema, validate_payload

    target = tmp_path / "reports.jsonl"
    done = perseus("calculate", "--portfolio", portfolio, "--taken-at", TAKEN_AT, "--output", target)
    assert done.returncode == 0, done.stderr
    lines = target.read_text().splitlines()
    assert len(lines) == 12
    schema = load_release_schema("emissions-data@2025-10-27")
    for line in lines:
        report = json.loads(line)
        assert validate_payload(schema, "EmissionsReport", report) == []
        assert report["data"] and report["sources"] and report["provenance"]["steps"]


def test_a_window_gives_what_the_single_meter_calculator_gives(portfolio, tmp_path):
    meter = "synthetic-portfolio-000007"
    window = {"start": "2025-12-10T00:00:00Z", "end": "2026-01-20T12:30:00Z"}
    reports = dict(calculate_portfolio(portfolio, taken_at=TAKEN_AT, **window).reports())
    inputs = single_meter_inputs(portfolio, meter, tmp_path)
    single = calculate(inputs["consumption"], intensity=inputs["intensity"], taken_at=TAKEN_AT, **window)
    assert reports[meter]["data"] == single["data"]
    assert reports[meter]["sources"] == single["sources"]
    assert reports[meter]["data"][0]["dataQuality"]["expectedHalfHours"] == 22 * 48


def test_parquet_of_entries_and_progress(portfolio, tmp_path, perseus):
    import pandas as pd

    target = tmp_path / "entries.parquet"
    done = perseus("calculate", "--portfolio", portfolio, "--taken-at", TAKEN_AT, "--output", target, "--progress")
    assert done.returncode == 0, done.stderr
    assert "readings" in done.stderr and "meter series done" in done.stderr and "/s" in done.stderr
    entries = pd.read_parquet(target)
    assert len(entries) == 12 * 2 * 2  # meters × types × months
    assert set(entries["missingData"]) == {"Complete", "Missing"}


def test_portfolio_and_single_file_options_do_not_mix(portfolio, perseus, tmp_path):
    done = perseus("calculate", "--portfolio", portfolio, "--consumption", tmp_path / "x.csv")
    assert done.returncode == 2 and "--portfolio replaces --consumption" in done.stderr
    done = perseus("calculate", "--portfolio", portfolio, "--output", tmp_path / "x.json")
    assert done.returncode == 2 and ".jsonl" in done.stderr


def test_csv_meters_and_intensity_tables_give_the_same_entries(portfolio, run, tmp_path):
    import shutil

    import pandas as pd

    copy = shutil.copytree(portfolio, tmp_path / "csv")
    intensity = pd.read_parquet(copy / "intensity.parquet")
    intensity["from"] = intensity["from"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    intensity.to_csv(copy / "intensity.csv", index=False)
    (copy / "intensity.parquet").unlink()
    (copy / "intensity.parquet.meta.yaml").rename(copy / "intensity.csv.meta.yaml")
    pd.read_parquet(copy / "meters.parquet").to_csv(copy / "meters.csv", index=False)
    (copy / "meters.parquet").unlink()
    again = calculate_portfolio(copy, taken_at=TAKEN_AT)
    assert again.entries.equals(run.entries)
    assert [r["sources"] for _, r in again.reports()] == [r["sources"] for _, r in run.reports()]


def test_a_shuffled_file_gives_the_same_unrounded_totals(portfolio, run, tmp_path):
    import shutil

    import numpy as np
    import pyarrow.parquet as pq

    copy = shutil.copytree(portfolio, tmp_path / "shuffled")
    for path in (copy / "readings").rglob("*.parquet"):
        table = pq.read_table(path)
        pq.write_table(table.take(np.random.default_rng(1).permutation(table.num_rows)), path)
    again = calculate_portfolio(copy, taken_at=TAKEN_AT)
    assert again.entries.equals(run.entries)  # bit for bit: the file is put in the calculator's order first


def test_a_meter_without_readings_gets_an_empty_report_and_a_warning(portfolio, tmp_path, capsys):
    import shutil

    import pandas as pd

    from tests.calc_helpers import run_calculate

    copy = shutil.copytree(portfolio, tmp_path / "idle")
    meters = pd.read_parquet(copy / "meters.parquet")
    meters.loc[len(meters)] = ["idle-meter", "gas", 3, "M1", None]
    meters.to_parquet(copy / "meters.parquet", index=False)
    code, _, err = run_calculate(
        ["--portfolio", str(copy), "--taken-at", TAKEN_AT, "--output", str(tmp_path / "r.jsonl")], capsys
    )
    assert code == 0, err
    assert "1 meter(s) have no readings in the period" in err and "idle-meter" in err
    last = json.loads((tmp_path / "r.jsonl").read_text().splitlines()[-1])
    assert last["data"] == [] and last["sources"] == []
