"""Daily calorific values per gas distribution zone: National Gas's layout read and checked, gas days, the
synthetic series, and the zone option through both entry points."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from perseus.calculator import CalculationError, calculate
from perseus.calculator.zones import COLUMNS, gas_day, read_calorific_values
from perseus.portfolio import calculate_portfolio
from perseus.synth import SynthRequest, build_files
from perseus.synth.timegrid import parse_instant
from perseus.vocabulary import DISTRIBUTION_ZONES

ZONE = "gas-desnz-zone-daily-cv@2026-12-02"
HEADER = ",".join(COLUMNS)
TAKEN_AT = "2026-01-02T00:00:00Z"


def national_gas(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    return path


def day_of(text: str) -> int:
    return int((np.datetime64(text, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64))


def test_the_layout_is_national_gas_s_and_a_later_publication_wins(tmp_path):
    values = read_calorific_values(
        national_gas(
            tmp_path / "cv.csv",
            '15/01/2025 10:30:00,14/01/2025,"Calorific Value, LDZ(SE)",39.1,15/01/2025 10:30:00,',
            '15/01/2025 10:30:00,14/01/2025,"Calorific Value, Campbeltown",38.2,15/01/2025 10:30:00,',
            '16/01/2025 14:00:00,15/01/2025,"Calorific Value, LDZ(SE)",39.3,16/01/2025 14:00:00,',
            '16/01/2025 10:30:00,15/01/2025,"Calorific Value, LDZ(SE)",39.2,16/01/2025 10:30:00,',
        )
    )
    se = DISTRIBUTION_ZONES.index("SE")
    found = values.at(
        np.array([se, se, se, 0]),
        np.array([day_of("2025-01-14"), day_of("2025-01-15"), day_of("2025-01-16"), day_of("2025-01-14")]),
    )
    assert found[:2].tolist() == [39.1, 39.3] and np.isnan(found[2:]).all()
    assert values.dataset["licence"] == "not stated" and "cv.csv" in values.dataset["title"]


@pytest.mark.parametrize(
    ("row", "line", "rule", "words"),
    [
        (
            '15/01/2025 10:30:00,14/01/2025,"Calorific Value, LDZ(XX)",39.1,,',
            "line 2",
            "readable-input",
            "names no local distribution zone",
        ),
        (
            '15/01/2025 10:30:00,2025-01-14,"Calorific Value, LDZ(SE)",39.1,,',
            "line 2",
            "readable-input",
            "is not a gas day dd/mm/yyyy",
        ),
        (
            '15/01/2025,14/01/2025,"Calorific Value, LDZ(SE)",39.1,,',
            "line 2",
            "readable-input",
            "is not dd/mm/yyyy hh:mm:ss",
        ),
        (
            '15/01/2025 10:30:00,14/01/2025,"Calorific Value, LDZ(SE)",n/a,,',
            "line 2",
            "readable-input",
            "is not a number",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_the_file_line_and_rule(tmp_path, row, line, rule, words):
    path = national_gas(tmp_path / "cv.csv", row)
    with pytest.raises(CalculationError) as caught:
        read_calorific_values(path)
    (breach,) = caught.value.breaches
    assert (breach.file, breach.record, breach.rule) == (str(path), line, rule) and words in breach.message


def test_two_values_published_at_the_same_instant_are_refused(tmp_path):
    path = national_gas(
        tmp_path / "cv.csv",
        '15/01/2025 10:30:00,14/01/2025,"Calorific Value, LDZ(SE)",39.1,,',
        '15/01/2025 10:30:00,14/01/2025,"Calorific Value, LDZ(SE)",39.4,,',
    )
    with pytest.raises(CalculationError) as caught:
        read_calorific_values(path)
    (breach,) = caught.value.breaches
    assert (breach.record, breach.rule) == ("line 3", "no-conflicting-duplicates")


def test_a_file_without_a_zone_row_or_without_the_columns_is_refused(tmp_path):
    only_other = national_gas(tmp_path / "a.csv", '15/01/2025 10:30:00,14/01/2025,"Calorific Value, Oban",38.9,,')
    with pytest.raises(
        CalculationError, match=r"a\.csv: no row of a local distribution zone .*\[rule: readable-input\]"
    ):
        read_calorific_values(only_other)
    wrong = tmp_path / "b.csv"
    wrong.write_text("date,zone,value\n2025-01-14,SE,39.1\n")
    with pytest.raises(
        CalculationError, match=r"b\.csv: line 1: missing column\(s\) Applicable At, Applicable For, Data Item, Value"
    ):
        read_calorific_values(wrong)


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        ("2025-01-15T04:30:00Z", "2025-01-14"),
        ("2025-01-15T05:00:00Z", "2025-01-15"),  # GMT: 05:00 UK is 05:00Z
        ("2025-07-15T03:30:00Z", "2025-07-14"),
        ("2025-07-15T04:00:00Z", "2025-07-15"),  # BST: 05:00 UK is 04:00Z
    ],
)
def test_a_gas_day_runs_from_05_00_to_05_00_uk_time(utc, day):
    half_hour = pd.Timestamp(utc).value // 1_800_000_000_000
    assert gas_day(np.array([half_hour])).tolist() == [day_of(day)]


def synth(tmp: Path, seed: int = 0, zone: str | None = "SE", **extra) -> dict[Path, bytes]:
    request = SynthRequest(
        archetype="office",
        types=("gas",),
        gas_unit="MTQ",
        seed=seed,
        distribution_zone=zone,
        start=parse_instant("2025-01-01"),
        end=parse_instant("2025-03-01"),
        output=tmp / "consumption",
        calorific_values_output=tmp / "cv.csv",
        **extra,
    )
    files = build_files(request)
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def test_the_synthetic_series_is_deterministic_labelled_and_in_national_gas_s_layout(tmp_path):
    first = synth(tmp_path / "a")
    again = synth(tmp_path / "b")
    other = synth(tmp_path / "c", seed=1)
    cv = {p.name: c for p, c in first.items()}
    assert cv["cv.csv"] == {p.name: c for p, c in again.items()}["cv.csv"]
    assert cv["cv.csv"] != {p.name: c for p, c in other.items()}["cv.csv"]
    assert cv["cv.csv"].decode().splitlines()[0] == ",".join(COLUMNS)
    marker = json.loads(cv["cv.csv-metadata.json"])
    assert marker["perseus:synthetic"]["synthetic"] is True and "SYNTHETIC" in marker["dc:title"]
    values = read_calorific_values(tmp_path / "a" / "cv.csv")
    assert np.isfinite(values.matrix).all() and values.matrix.shape == (
        13,
        60,
    )  # 31 Dec 2024 .. 28 Feb 2025, every zone
    assert values.dataset["publisher"].startswith("perseus synth (synthetic data")


def test_the_zone_option_runs_end_to_end_and_names_the_dataset(tmp_path):
    synth(tmp_path)
    (gas,) = sorted((tmp_path / "consumption").glob("*.json"))
    report = calculate([gas], methods=[ZONE], calorific_values=tmp_path / "cv.csv", taken_at=TAKEN_AT)
    (sources,) = report["sources"]
    roles = [d["role"] for d in sources["datasets"]]
    assert roles == ["calorific-values", "emission-factors"]
    assert sources["datasets"][0]["title"].startswith("SYNTHETIC") and sources["datasets"][0]["months"] == [
        "2025-01",
        "2025-02",
    ]
    assert sources["calorificValue"]["choice"] == "caller"
    values = read_calorific_values(tmp_path / "cv.csv")
    se = values.matrix[DISTRIBUTION_ZONES.index("SE")]
    assert se.min() <= sources["calorificValue"]["megajoulesPerCubicMetre"] <= se.max()
    approved = calculate([gas], taken_at=TAKEN_AT)  # the file's one value, 39.5
    assert [e["emissions"]["value"] for e in report["data"]] != [e["emissions"]["value"] for e in approved["data"]]


def refusal_of_one_reading_in(tmp_path: Path, zone: str, **options):
    """The one breach of a CSV with one gas reading in m³ (15 January 2025, 12:00Z) that names `zone`."""
    gas = tmp_path / "gas.csv"
    gas.write_text(
        f"type,from,to,value,unitCode,distributionZone\ngas,2025-01-15T12:00:00Z,2025-01-15T12:30:00Z,1.0,MTQ,{zone}\n"
    )
    with pytest.raises(CalculationError) as caught:
        calculate([gas], taken_at=TAKEN_AT, **options)
    (breach,) = caught.value.breaches
    return breach


def test_a_zone_value_outside_the_rule_s_range_is_refused_where_a_reading_needs_it(tmp_path):
    path = national_gas(tmp_path / "cv.csv", '15/01/2025 10:30:00,15/01/2025,"Calorific Value, LDZ(SE)",55.0,,')
    breach = refusal_of_one_reading_in(tmp_path, "SE", methods=[ZONE], calorific_values=path)
    assert (breach.record, breach.rule) == ("line 2", "usable-calorific-value")
    assert "55.0 MJ/m³ of the meter's zone" in breach.message


def test_an_unknown_zone_in_the_consumption_is_refused(tmp_path):
    breach = refusal_of_one_reading_in(tmp_path, "ZZ")
    assert (breach.record, breach.rule) == ("line 2", "readable-input")
    assert "'ZZ' is not one of EA, EM" in breach.message


def test_a_portfolio_takes_each_meter_s_zone_from_its_meters_table(tmp_path):
    """Two meters, one file of zone values in the portfolio: each meter's energy follows its own zone."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path / "portfolio"
    folder = root / "readings" / "type=gas" / "bucket=000"
    folder.mkdir(parents=True)
    stamps = pd.to_datetime(["2025-01-15T12:00:00Z"] * 2, utc=True)
    pq.write_table(
        pa.table(
            {
                "meter": ["m-se", "m-sc"],
                "from": pa.array(stamps, pa.timestamp("ns", "UTC")),
                "value": [1.0, 1.0],
                "unitCode": ["MTQ", "MTQ"],
            }
        ),
        folder / "part-0.parquet",
    )
    pd.DataFrame({"meter": ["m-se", "m-sc"], "type": "gas", "region": "", "distributionZone": ["SE", "SC"]}).to_csv(
        root / "meters.csv", index=False
    )
    national_gas(
        root / "calorific-values.csv",
        '16/01/2025 10:30:00,15/01/2025,"Calorific Value, LDZ(SE)",39.0,,',
        '16/01/2025 10:30:00,15/01/2025,"Calorific Value, LDZ(SC)",40.0,,',
    )
    run = calculate_portfolio(root, methods=[ZONE], taken_at=TAKEN_AT)
    reports = dict(run.reports())
    for meter, cv in (("m-se", 39.0), ("m-sc", 40.0)):
        (sources,) = reports[meter]["sources"]
        assert sources["calorificValue"] == {"megajoulesPerCubicMetre": cv, "choice": "caller"}
        assert reports[meter]["data"][0]["emissions"]["value"] == round(1.0 * 1.02264 * cv / 3.6 * 0.18296, 3)
        assert "calorific-values" in [d["role"] for d in sources["datasets"]]
