"""Every bad input the issue lists: exit 1, a message naming the file, the record and the rule, and no output file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from perseus.calculator import CalculationError, calculate
from perseus.paths import METHODOLOGIES
from tests.calc_helpers import instant, intensity_rows, reading, run_calculate, write_csv

START = instant("2025-01-06T00:00:00Z")
C = ["type", "from", "to", "value", "unitCode"]


def electricity(k, value=1.0, unit="KWH"):
    return reading("electricity", START, k, value, unit)


def gas(k, value=1.0, unit="KWH"):
    return reading("gas", START, k, value, unit)


def shifted(row, minutes):
    row = dict(row)
    row["from"] = row["from"].replace(":00:00Z", f":{minutes:02d}:00Z")
    return row


# (name, rows of the consumption CSV, extra arguments, rule, record named in the message)
CASES = [
    (
        "not on a half-hour boundary",
        [electricity(0), shifted(electricity(2), 10) | {"to": "2025-01-06T01:40:00Z"}],
        [],
        "half-hour-boundaries",
        "line 3",
    ),
    (
        "longer than a half-hour (overlaps the next)",
        [electricity(0) | {"to": "2025-01-06T01:00:00Z"}, electricity(1)],
        [],
        "half-hour-boundaries",
        "line 2",
    ),
    ("negative value", [gas(0), gas(1, -0.5)], [], "non-negative", "line 3"),
    ("unknown unit", [gas(0), gas(1, 1.0, "MWH")], [], "known-unit", "line 3"),
    (
        "cubic metres on electricity",
        [electricity(0), electricity(1, 0.3, "MTQ")],
        [],
        "no-volume-for-electricity",
        "line 3",
    ),
    ("conflicting duplicate", [gas(0, 1.0), gas(1, 2.0), gas(1, 2.5)], [], "no-conflicting-duplicates", "line 4"),
    (
        "electricity half-hour without intensity",
        [electricity(0), electricity(1), electricity(5)],
        ["INTENSITY"],
        "intensity-for-every-half-hour",
        "line 4",
    ),
    ("electricity without any intensity file", [electricity(0)], [], "intensity-for-every-half-hour", "line 2"),
    (
        "gas calorific value unusable (caller)",
        [gas(0, 0.4, "MTQ")],
        ["--calorific-value", "0"],
        "usable-calorific-value",
        "",
    ),
    (
        "no factor set at all",
        [gas(0)] + [reading("gas", instant("2018-06-01T00:00:00Z"), 0, 1.0, "KWH")],
        [],
        "factor-set-available",
        "line 3",
    ),
    ("unknown energy type", [gas(0), reading("water", START, 1, 1.0, "KWH")], [], "known-energy-type", "line 3"),
    ("timestamp without zone", [gas(0) | {"from": "2025-01-06T00:00:00"}], [], "readable-input", "line 2"),
]


@pytest.mark.parametrize("name,rows,extra,rule,record", CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_1_naming_file_record_and_rule(name, rows, extra, rule, record, tmp_path, capsys):
    consumption = write_csv(tmp_path / "consumption.csv", rows, C)
    args = ["--consumption", str(consumption)]
    for item in extra:
        if item == "INTENSITY":
            args += [
                "--intensity",
                str(
                    write_csv(
                        tmp_path / "intensity.csv", intensity_rows(START, [100, 110, 120]), ["from", "to", "intensity"]
                    )
                ),
            ]
        else:
            args.append(item)
    output = tmp_path / "out" / "report.json"
    code, out, err = run_calculate([*args, "--output", str(output)], capsys)
    assert code == 1
    assert f"[rule: {rule}]" in err
    if record:
        assert f"{consumption}: {record}:" in err
    assert out == ""
    assert not output.exists()
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_failure_leaves_an_existing_report_untouched(tmp_path, capsys):
    output = tmp_path / "report.json"
    output.write_text("previous\n")
    bad = write_csv(tmp_path / "bad.csv", [gas(0, -1.0)], C)
    code, _, err = run_calculate(["--consumption", str(bad), "--output", str(output)], capsys)
    assert code == 1 and "[rule: non-negative]" in err
    assert output.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "report.json"]


def test_meter_data_json_errors_name_the_json_path(tmp_path, capsys):
    source = json.loads((Path(__file__).parents[1] / "spec/examples/valid/MeterData-gas-cubic-metres.json").read_text())
    source["data"][1]["energy"]["value"] = -0.1
    path = tmp_path / "gas.json"
    path.write_text(json.dumps(source))
    code, _, err = run_calculate(["--consumption", str(path)], capsys)
    assert code == 1
    assert f"{path}: $.data[1]: value -0.1 is negative [rule: non-negative]" in err


def _second(change):
    def edit(payload):
        change(payload["data"][1])
        return payload

    return edit


# (name, change to the MeterData example, the message's record and text): the columns are read straight
# from the parsed JSON, so each reading that breaks the shape is named by its JSON path.
SHAPES = [
    (
        "a reading that is not an object",
        lambda p: p["data"].__setitem__(1, ["gas"]) or p,
        "$.data[1]: every reading must be an object [rule: readable-input]",
    ),
    ("no energy value", _second(lambda r: r["energy"].pop("value")), "$.data[1]: the reading has no energy.value"),
    (
        "energy not an object",
        _second(lambda r: r.__setitem__("energy", 0.4)),
        "$.data[1]: the reading has no energy.value",
    ),
    (
        "a null unit",
        _second(lambda r: r["energy"].__setitem__("unitCode", None)),
        "$.data[1]: the reading has no energy.unitCode",
    ),
    ("no start", _second(lambda r: r.pop("from")), "$.data[1]: the reading has no from"),
    (
        "a value that is not a number",
        _second(lambda r: r["energy"].__setitem__("value", "a lot")),
        "$.data[1]: value 'a lot' is not a number",
    ),
    (
        "a start on a day that does not exist",
        _second(lambda r: r.__setitem__("from", "2025-02-30T00:00:00Z")),
        "$.data[1]: from '2025-02-30T00:00:00Z' is not an ISO 8601 instant with Z or an offset",
    ),
    (
        "a start without a time zone",
        _second(lambda r: r.__setitem__("from", "2025-10-01T00:30:00")),
        "$.data[1]: from '2025-10-01T00:30:00' is not an ISO 8601 instant with Z or an offset",
    ),
    (
        "a start that is a number",
        _second(lambda r: r.__setitem__("from", 1735689600)),
        "$.data[1]: from '1735689600' is not an ISO 8601 instant with Z or an offset",
    ),
]


def test_meter_data_written_with_offsets_gives_the_report_of_the_same_instants_in_utc(tmp_path, capsys):
    """Instants written `…Z` are read by numpy; any other form by pandas: both give the same instants."""
    from datetime import datetime, timedelta, timezone

    source = json.loads((Path(__file__).parents[1] / "spec/examples/valid/MeterData-gas-cubic-metres.json").read_text())
    (tmp_path / "utc").mkdir()
    (tmp_path / "utc" / "gas.json").write_text(json.dumps(source))
    british_summer_time = timezone(timedelta(hours=1))
    for row in source["data"]:
        for key in ("from", "to"):
            row[key] = datetime.fromisoformat(row[key]).astimezone(british_summer_time).isoformat()
    assert source["data"][0]["from"].endswith("+01:00")
    (tmp_path / "offsets").mkdir()
    (tmp_path / "offsets" / "gas.json").write_text(json.dumps(source))
    reports = []
    for folder in ("utc", "offsets"):
        output = tmp_path / f"{folder}.json"
        arguments = ["--consumption", str(tmp_path / folder / "gas.json"), "--output", str(output)]
        code, _, err = run_calculate([*arguments, "--taken-at", "2026-01-02T00:00:00Z"], capsys)
        assert code == 0, err
        report = json.loads(output.read_text())
        reports.append((report["data"], report["sources"]))
    assert reports[0] == reports[1] and reports[0][0]


@pytest.mark.parametrize("name,change,message", SHAPES, ids=[s[0] for s in SHAPES])
def test_meter_data_of_the_wrong_shape_is_refused_naming_the_reading(name, change, message, tmp_path, capsys):
    source = json.loads((Path(__file__).parents[1] / "spec/examples/valid/MeterData-gas-cubic-metres.json").read_text())
    path = tmp_path / "gas.json"
    path.write_text(json.dumps(change(source)))
    output = tmp_path / "report.json"
    code, _, err = run_calculate(["--consumption", str(path), "--output", str(output)], capsys)
    assert code == 1 and not output.exists()
    assert f"{path}: {message}" in err


def test_meter_data_read_from_its_columns_gives_what_json_normalize_gave(tmp_path):
    """The reading columns (strings kept as text, numbers in text coerced, a reading's own calorific value over the
    file's) as pandas' json_normalize flattened them before."""
    import numpy as np
    import pandas as pd

    from perseus.calculator.inputs import _meter_data_frame

    source = json.loads((Path(__file__).parents[1] / "spec/examples/valid/MeterData-gas-cubic-metres.json").read_text())
    source["data"][1]["energy"]["value"] = "0.25"
    source["data"][0]["calorificValue"] = {"megajoulesPerCubicMetre": 40.1}
    frame, records, _, _ = _meter_data_frame(tmp_path / "gas.json", source)
    flat = pd.json_normalize(source["data"])
    assert list(frame["type"]) == flat["type"].tolist() and list(frame["unit"]) == flat["energy.unitCode"].tolist()
    assert list(frame["from"]) == flat["from"].tolist() and list(frame["to"]) == flat["to"].tolist()
    assert pd.to_numeric(pd.Series(frame["value"])).tolist() == pd.to_numeric(flat["energy.value"]).tolist()
    file_cv = source["calorificValue"]["megajoulesPerCubicMetre"]
    expected_cv = pd.to_numeric(flat["calorificValue.megajoulesPerCubicMetre"]).fillna(file_cv).to_numpy()
    assert np.array_equal(frame["cv"], expected_cv) and frame["cv"][0] == 40.1
    assert records.tolist() == [f"$.data[{i}]" for i in range(len(source["data"]))]


def test_intensity_half_hours_that_are_not_objects_are_refused(tmp_path, capsys):
    consumption = write_csv(tmp_path / "c.csv", [gas(0)], C)
    path = tmp_path / "intensity.json"
    path.write_text(
        json.dumps({"data": {"regionid": 12, "data": [{"from": "x", "to": "y", "intensity": {"forecast": 1}}, 7]}})
    )
    code, _, err = run_calculate(["--consumption", str(consumption), "--intensity", str(path)], capsys)
    assert code == 1
    assert f"{path}: $.data.data[1]: every half-hour must be an object [rule: readable-input]" in err


def test_calorific_value_in_the_data_outside_the_range_is_refused(tmp_path, capsys):
    source = json.loads((Path(__file__).parents[1] / "spec/examples/valid/MeterData-gas-cubic-metres.json").read_text())
    source["calorificValue"]["megajoulesPerCubicMetre"] = 99
    path = tmp_path / "gas.json"
    path.write_text(json.dumps(source))
    code, _, err = run_calculate(["--consumption", str(path)], capsys)
    assert code == 1
    assert f"{path}: $.data[0]:" in err and "[rule: usable-calorific-value]" in err


def test_gas_in_cubic_metres_without_any_calorific_value(tmp_path):
    """A methodology version without a default, data without a value and no caller value: refused."""
    directory = tmp_path / "methodologies"
    shutil.copytree(METHODOLOGIES, directory)
    path = directory / "gas-desnz-annual@2025-10-27.yaml"
    path.write_text(
        path.read_text().replace("precedence: [data, caller, methodology-default]", "precedence: [data, caller]")
    )
    consumption = write_csv(tmp_path / "gas.csv", [gas(0, 0.5, "MTQ")], C)
    with pytest.raises(CalculationError) as caught:
        calculate([consumption], methodologies_dir=directory)
    (breach,) = caught.value.breaches
    assert (breach.file, breach.record, breach.rule) == (str(consumption), "line 2", "usable-calorific-value")
    # The same input with a value from the caller goes through.
    assert calculate([consumption], calorific_value=39.0, methodologies_dir=directory)["data"]


def test_intensity_for_another_outcode_is_refused(tmp_path, capsys):
    meter = json.loads((Path(__file__).parents[1] / "spec/examples/valid/MeterData-electricity.json").read_text())
    path = tmp_path / "electricity.json"
    path.write_text(json.dumps(meter))
    first = meter["data"][0]["from"]
    neso = {
        "data": {
            "regionid": 13,
            "postcode": "ZZ9",
            "data": [
                {"from": r["from"][:16] + "Z", "to": r["to"][:16] + "Z", "intensity": {"forecast": 100, "index": "low"}}
                for r in meter["data"]
            ],
        }
    }
    intensity = tmp_path / "intensity.json"
    intensity.write_text(json.dumps(neso))
    assert first
    code, _, err = run_calculate(["--consumption", str(path), "--intensity", str(intensity)], capsys)
    assert code == 1 and "[rule: intensity-for-every-half-hour]" in err and "ZZ9" in err


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b'{"data": [\n  {"from": "2025-01-06T00:00:00Z",', "unexpected end of data: line 2"),
        (b'{"data": [\n NaN]}', "unexpected character"),  # JSON has no NaN, though Python's parser takes it
        (b'{"data": "\xff"}', "not valid UTF-8"),
    ],
)
def test_a_file_that_is_not_json_is_refused_naming_the_line(raw, problem, tmp_path, capsys):
    intensity = tmp_path / "intensity.csv"
    intensity.write_text("from,to,intensity\n")
    path = tmp_path / "meter.json"
    path.write_bytes(raw)
    code, _, err = run_calculate(["--consumption", str(path), "--intensity", str(intensity)], capsys)
    assert code == 1
    assert f"{path}: line" in err and "not valid JSON" in err and problem in err, err
    assert "[rule: readable-input]" in err
