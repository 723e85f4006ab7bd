"""Input formats: CSV and Parquet agree, intensity metadata beside a file, window checks, the summary table."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from perseus.calculator import CalculationError, calculate
from perseus.calculator.summary import month_table
from tests.calc_helpers import instant, intensity_rows, reading, run_calculate, without_provenance, write_csv

START = instant("2025-04-01T00:00:00Z")
C = ["type", "from", "to", "value", "unitCode", "meter"]
TAKEN = "2025-05-02T00:00:00Z"


def sample(tmp_path):
    rows = [reading("electricity", START, k, 0.5 + k / 10, "KWH") | {"meter": "a"} for k in range(6)]
    rows += [reading("gas", START, k, 0.2, "MTQ") | {"meter": "b"} for k in range(6)]
    consumption = write_csv(tmp_path / "c.csv", rows, C)
    intensity = write_csv(
        tmp_path / "i.csv", intensity_rows(START, [100 + k for k in range(6)]), ["from", "to", "intensity"]
    )
    return consumption, intensity


def test_csv_and_parquet_give_the_same_report(tmp_path):
    consumption, intensity = sample(tmp_path)
    frame = pd.read_csv(consumption)
    frame["from"] = pd.to_datetime(frame["from"], utc=True)  # Parquet may carry real timestamps
    frame.to_parquet(tmp_path / "c.parquet")
    pd.read_csv(intensity).to_parquet(tmp_path / "i.parquet")
    from_csv = calculate([consumption], intensity=intensity, calorific_value=39.0, taken_at=TAKEN)
    from_parquet = calculate(
        [tmp_path / "c.parquet"], intensity=tmp_path / "i.parquet", calorific_value=39.0, taken_at=TAKEN
    )
    strip = lambda r: [{k: v for k, v in s.items() if k != "datasets"} for s in r["sources"]]  # noqa: E731 - intensity file names differ
    assert from_csv["data"] == from_parquet["data"] and strip(from_csv) == strip(from_parquet)


def test_parquet_timestamps_without_a_zone_are_refused(tmp_path):
    consumption, _ = sample(tmp_path)
    frame = pd.read_csv(consumption)
    frame["from"] = pd.to_datetime(frame["from"], utc=True).dt.tz_localize(None)
    frame.to_parquet(tmp_path / "naive.parquet")
    with pytest.raises(
        CalculationError,
        match=r"naive.parquet: column from holds timestamps without a time zone \[rule: readable-input\]",
    ):
        calculate([tmp_path / "naive.parquet"], calorific_value=39.0)


def test_metadata_beside_an_intensity_file_names_the_dataset(tmp_path):
    consumption, intensity = sample(tmp_path)
    (tmp_path / "i.csv.meta.yaml").write_text(
        "publisher: Perseus synthetic data (not real)\ntitle: Synthetic regional intensity\nversion: seed-7\n"
        "url: urn:perseus:synthetic:intensity\nlicence: MIT\n"
    )
    report = calculate([consumption], intensity=intensity, calorific_value=39.0, taken_at=TAKEN)
    (dataset,) = report["sources"][0]["datasets"]
    assert dataset["publisher"] == "Perseus synthetic data (not real)" and dataset["version"] == "seed-7"


def test_several_meters_count_their_half_hours_separately(tmp_path):
    consumption, intensity = sample(tmp_path)
    report = calculate(
        [consumption],
        intensity=intensity,
        calorific_value=39.0,
        taken_at=TAKEN,
        start="2025-04-01T00:00:00Z",
        end="2025-04-01T03:00:00Z",
    )
    assert [e["dataQuality"]["missingData"] for e in report["data"]] == ["Complete", "Complete"]
    expected_kg = sum((0.5 + k / 10) * (100 + k) for k in range(6)) / 1000
    assert abs(report["data"][0]["emissions"]["value"] - expected_kg) <= 0.0005


def test_window_edges_must_be_half_hours(tmp_path, capsys):
    consumption, intensity = sample(tmp_path)
    code, _, err = run_calculate(
        ["--consumption", str(consumption), "--intensity", str(intensity), "--from", "2025-04-01T00:10:00Z"], capsys
    )
    assert code == 1 and "--from" in err and "[rule: half-hour-boundaries]" in err


def test_taken_at_defaults_to_now_and_stdout_is_used_without_output(tmp_path, capsys):
    consumption, intensity = sample(tmp_path)
    code, out, _ = run_calculate(
        ["--consumption", str(consumption), "--intensity", str(intensity), "--calorific-value", "39"], capsys
    )
    assert code == 0
    taken = json.loads(out)["data"][0]["takenAt"]
    assert abs(pd.Timestamp(taken) - pd.Timestamp.now(tz="UTC")) < pd.Timedelta(minutes=5)


def test_method_option_picks_the_methodology_per_type(tmp_path):
    consumption, intensity = sample(tmp_path)
    report = calculate(
        [consumption], calorific_value=39.0, taken_at=TAKEN, methods=["electricity-desnz-annual@2025-10-27"]
    )
    assert [s["methodology"] for s in report["sources"]] == [
        "electricity-desnz-annual@2025-10-27",
        "gas-desnz-annual@2025-10-27",
    ]
    with pytest.raises(CalculationError, match="two methodologies for electricity"):
        calculate([consumption], methods=["electricity-desnz-annual@2025-10-27", "electricity-location-based"])


def test_summary_table_lists_every_month_and_source(tmp_path):
    consumption, intensity = sample(tmp_path)
    report = calculate([consumption], intensity=intensity, calorific_value=39.0, taken_at=TAKEN)
    table = month_table(report)
    for entry in report["data"]:
        assert f"{entry['emissions']['value']:.3f}" in table
    assert "gas-desnz-annual@2025-10-27" in table and "caller" in table
    assert without_provenance(report)["sources"]
