"""`perseus synth`: shapes, wire validity, determinism, file formats, calendars and errors."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from perseus.cli import main
from perseus.commands import synth as synth_command
from perseus.provenance.steps import encode_step
from perseus.provenance.synthetic import TRUST_FRAMEWORK
from perseus.synth import ARCHETYPES, SynthError, SynthRequest, build_files, payloads
from perseus.synth.consumption import DEFAULT_CALORIFIC_VALUE, VOLUME_CORRECTION, synthesise_consumption
from perseus.synth.files import write_all
from perseus.synth.intensity import INDEX_BANDS, synthesise_intensity
from perseus.synth.timegrid import half_hour_starts, local_calendar, parse_instant
from perseus.validation import load_release_schema, validate_payload

RELEASE = "consumption-data@2025-10-27"
YEAR_2025 = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))


def utc(text: str) -> datetime:
    return parse_instant(text)


@pytest.fixture(scope="module")
def starts_2025():
    return half_hour_starts(*YEAR_2025)


@pytest.fixture(scope="module")
def year_frames(starts_2025):
    """One year of every archetype (one meter each) as a frame with local calendar columns."""
    calendar = local_calendar(starts_2025)
    frames = {}
    for name, archetype in ARCHETYPES.items():
        for series in synthesise_consumption(archetype, starts_2025, seed=3):
            frames[(name, series.type)] = pd.DataFrame(
                {
                    "value": series.values,
                    "hour": calendar.hour,
                    "weekday": calendar.weekday,
                    "month": pd.DatetimeIndex(calendar.local_day).month,
                    "utc_hour": pd.DatetimeIndex(starts_2025).hour + pd.DatetimeIndex(starts_2025).minute / 60,
                }
            )
    return frames


@pytest.fixture(scope="module")
def schema():
    return load_release_schema(RELEASE)


# --- shapes -----------------------------------------------------------------------------


def test_office_uses_more_electricity_on_weekdays_than_at_weekends(year_frames):
    frame = year_frames[("office", "electricity")]
    weekday = frame[frame.weekday < 5].value.mean()
    weekend = frame[frame.weekday >= 5].value.mean()
    assert weekday > 2 * weekend


@pytest.mark.parametrize("archetype", sorted(ARCHETYPES))
def test_gas_is_winter_heavy(year_frames, archetype):
    frame = year_frames[(archetype, "gas")]
    winter = frame[frame.month.isin([12, 1, 2])].value.sum()
    summer = frame[frame.month.isin([6, 7, 8])].value.sum()
    assert winter > 2 * summer


def test_heating_only_premises_use_almost_no_gas_in_summer_but_the_cafe_still_heats_water(year_frames):
    july = {name: year_frames[(name, "gas")].query("month == 7").value.mean() for name in ARCHETYPES}
    assert july["office"] < 0.03 and july["workshop"] < 0.03  # m³ per half-hour
    assert july["cafe"] > 4 * max(july["office"], july["workshop"], july["shop"])


@pytest.mark.parametrize("archetype", sorted(ARCHETYPES))
def test_gas_volumes_are_those_of_a_small_business(year_frames, archetype):
    values = year_frames[(archetype, "gas")].value
    assert values.min() >= 0 and values.max() < 3.0  # m³ per half-hour
    assert 0.05 < values.mean() < 0.5
    assert 500 < values.sum() < 6000  # m³ a year


def test_cafe_has_a_morning_peak(year_frames):
    frame = year_frames[("cafe", "electricity")]
    by_hour = frame[frame.weekday < 6].groupby(frame.hour.round().astype(int)).value.mean()
    assert by_hour[8:10].mean() > 1.2 * by_hour[13:16].mean()
    assert 7 <= by_hour.idxmax() <= 10  # the busiest hour is the morning rush


def test_opening_hours_follow_local_time_so_they_move_in_utc_in_summer(year_frames):
    frame = year_frames[("office", "electricity")]
    weekdays = frame[frame.weekday < 5]
    at_0715_utc = weekdays[weekdays.utc_hour == 7.0]  # the half-hour 07:00-07:30 UTC
    january = at_0715_utc[at_0715_utc.month == 1].value.mean()  # 07:00 local: still closed
    july = at_0715_utc[at_0715_utc.month == 7].value.mean()  # 08:00 local: opening
    assert july > 2 * january


# --- calendar ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2025-03-30", "2025-10-26", "2024-03-31", "2024-10-27"])
def test_clock_change_days_have_48_half_hours_in_utc(day):
    start = utc(day)
    series = synthesise_consumption(ARCHETYPES["shop"], half_hour_starts(start, start + timedelta(days=1)), seed=1)
    for one in series:
        payload = payloads.meter_data(one, outcode="M1", archetype="shop", seed=1)
        assert len(payload["data"]) == 48
        assert payload["data"][0]["from"] == f"{day}T00:00:00Z"
        assert payload["data"][-1]["to"] == f"{(start + timedelta(days=1)):%Y-%m-%d}T00:00:00Z"


@pytest.mark.parametrize(("year", "expected"), [(2024, 17_568), (2025, 17_520), (2028, 17_568)])
def test_a_year_has_the_right_number_of_half_hours(year, expected):
    starts = half_hour_starts(utc(f"{year}-01-01"), utc(f"{year + 1}-01-01"))
    assert len(starts) == expected
    series = synthesise_consumption(ARCHETYPES["office"], starts, seed=1, types=("gas",))
    assert len(series[0].milli) == expected


def test_a_window_is_the_same_as_the_slice_of_a_longer_series(starts_2025):
    january = half_hour_starts(utc("2025-01-01"), utc("2025-02-01"))
    whole = synthesise_consumption(ARCHETYPES["cafe"], starts_2025, seed=5)
    part = synthesise_consumption(ARCHETYPES["cafe"], january, seed=5)
    for long, short in zip(whole, part, strict=True):
        np.testing.assert_array_equal(long.milli[: len(january)], short.milli)
    year = synthesise_intensity(starts_2025, seed=5)
    np.testing.assert_array_equal(year.forecast[: len(january)], synthesise_intensity(january, seed=5).forecast)


# --- wire format --------------------------------------------------------------------------


@pytest.mark.parametrize(("gas_unit", "calorific_value"), [("MTQ", 39.4), ("MTQ", None), ("KWH", None)])
def test_meter_data_is_valid_against_the_release(tmp_path, schema, gas_unit, calorific_value):
    request = SynthRequest(
        archetype="workshop", start=utc("2025-10-25"), end=utc("2025-10-28"), seed=2, gas_unit=gas_unit,
        calorific_value=calorific_value, output=tmp_path / "out", datasources_output=tmp_path / "sources.json",
    )  # fmt: skip
    files = build_files(request)
    assert sorted(p.name for p in files) == [
        "sources.json",
        "synthetic-workshop-001-electricity.json",
        "synthetic-workshop-001-gas.json",
    ]
    for path, data in files.items():
        payload = json.loads(data)
        cls = "DataSources" if path.name == "sources.json" else "MeterData"
        assert validate_payload(schema, cls, payload) == [], path.name
    gas = json.loads(files[tmp_path / "out" / "synthetic-workshop-001-gas.json"])
    assert {r["energy"]["unitCode"] for r in gas["data"]} == {gas_unit}
    assert ("calorificValue" in gas) == (calorific_value is not None)
    electricity = json.loads(files[tmp_path / "out" / "synthetic-workshop-001-electricity.json"])
    assert {r["energy"]["unitCode"] for r in electricity["data"]} == {"KWH"}
    sources = json.loads(files[tmp_path / "sources.json"])
    assert all(source["id"].startswith("synthetic-") for source in sources["data"])


def test_readings_are_contiguous_half_open_taken_after_to_with_consistent_registers():
    series = synthesise_consumption(
        ARCHETYPES["office"], half_hour_starts(utc("2025-01-30"), utc("2025-02-02")), seed=9
    )
    for one in series:
        data = payloads.meter_data(one, outcode="RG10", archetype="office", seed=9)["data"]
        froms = pd.to_datetime([r["from"] for r in data])
        tos = pd.to_datetime([r["to"] for r in data])
        taken = pd.to_datetime([r["takenAt"] for r in data])
        assert all(r["from"].endswith("Z") and r["to"].endswith("Z") for r in data)
        assert ((tos - froms) == pd.Timedelta(minutes=30)).all()
        assert (froms[1:] == tos[:-1]).all()
        assert (taken > tos).all()
        value_milli = np.rint([r["energy"]["value"] * 1000 for r in data]).astype(np.int64)
        register_milli = np.rint([r["cumulative"]["value"] * 1000 for r in data]).astype(np.int64)
        np.testing.assert_array_equal(np.diff(register_milli), value_milli[1:])
        assert register_milli[0] - value_milli[0] == one.register_start_milli


def test_gas_in_kwh_is_the_volume_converted_with_the_default_calorific_value():
    starts = half_hour_starts(utc("2025-02-01"), utc("2025-02-08"))
    (m3,) = synthesise_consumption(ARCHETYPES["office"], starts, seed=4, types=("gas",), gas_unit="MTQ")
    (kwh,) = synthesise_consumption(ARCHETYPES["office"], starts, seed=4, types=("gas",), gas_unit="KWH")
    expected = m3.values * VOLUME_CORRECTION * DEFAULT_CALORIFIC_VALUE / 3.6
    np.testing.assert_allclose(
        kwh.values, expected, atol=0.0005 * VOLUME_CORRECTION * DEFAULT_CALORIFIC_VALUE / 3.6 + 0.0005
    )
    assert kwh.unit == "KWH" and m3.unit == "MTQ"


def test_provenance_is_an_unsigned_origin_step_saying_synthetic_encoded_as_ib1_provenance_does():
    from ib1.provenance import Record

    (series,) = synthesise_consumption(
        ARCHETYPES["shop"], half_hour_starts(utc("2025-06-01"), utc("2025-06-02")), seed=1, types=("electricity",)
    )
    provenance = payloads.meter_data(series, outcode="M1", archetype="shop", seed=1)["provenance"]
    assert provenance["ib1:provenance"] == TRUST_FRAMEWORK
    (encoded,) = provenance["steps"]
    step = json.loads(base64.urlsafe_b64decode(encoded))
    assert step["type"] == "origin" and step["id"] == provenance["origins"][0]
    assert step["id"].startswith("synthetic-")
    assert "Synthetic" in step["description"] and step["perseus:synthetic"]["archetype"] == "shop"
    assert step["perseus:scheme"] == {
        "meteringPeriod": {"from": "2025-06-01T00:00:00Z", "to": "2025-06-02T00:00:00Z"},
        "postcode": "M1",
    }
    assert encode_step(step) == Record(TRUST_FRAMEWORK)._encode_step(step)  # the library's own wire encoding
    record = Record(TRUST_FRAMEWORK, provenance)  # the library accepts the shape ...
    with pytest.raises(ValueError):  # it reads the last step as the signature block
        record.verify(None)  # ... and refuses to verify it: there is no signature


# --- intensity ----------------------------------------------------------------------------


def test_intensity_has_realistic_levels_and_daily_and_seasonal_shape(starts_2025):
    intensity = synthesise_intensity(starts_2025, seed=1, region_id=13)
    calendar = local_calendar(starts_2025)
    frame = pd.DataFrame(
        {
            "g": intensity.forecast,
            "hour": calendar.hour.round().astype(int),
            "month": pd.DatetimeIndex(calendar.local_day).month,
        }
    )
    low, median, high = np.percentile(frame.g, [2, 50, 98])
    assert 25 <= low and high <= 320 and 120 <= median <= 220
    january, july = frame[frame.month == 1], frame[frame.month == 7]
    assert january.g.mean() > 1.4 * july.g.mean()
    july_by_hour, january_by_hour = july.groupby("hour").g.mean(), january.groupby("hour").g.mean()
    assert july_by_hour[12] < 0.7 * july_by_hour[19]  # solar dip at midday in summer
    assert january_by_hour[18] == january_by_hour.max()  # winter evening peak
    scotland = synthesise_intensity(starts_2025, seed=1, region_id=1)
    assert scotland.forecast.mean() < 0.5 * intensity.forecast.mean()


def test_intensity_json_is_shaped_like_the_neso_regional_response_and_labelled_synthetic(tmp_path):
    path = tmp_path / "intensity.json"
    files = build_files(
        SynthRequest(
            start=utc("2025-07-01"), end=utc("2025-07-03"), seed=1, outcode="RG10", region_id=12, intensity_output=path
        )
    )
    document = json.loads(files[path])
    assert document["perseus:synthetic"]["synthetic"] is True
    region = document["data"]
    assert (region["regionid"], region["shortname"], region["postcode"]) == (12, "South England", "RG10")
    assert len(region["data"]) == 96
    first = region["data"][0]
    assert (first["from"], first["to"]) == ("2025-07-01T00:00Z", "2025-07-01T00:30Z")
    for entry in region["data"]:
        forecast, index = entry["intensity"]["forecast"], entry["intensity"]["index"]
        assert isinstance(forecast, int)
        expected = next(label for upper, label in INDEX_BANDS if upper is None or forecast < upper)
        assert index == expected
        assert abs(sum(mix["perc"] for mix in entry["generationmix"]) - 100) < 0.05
        assert all(mix["perc"] >= 0 for mix in entry["generationmix"])


# --- files --------------------------------------------------------------------------------


def _request(tmp_path: Path, **overrides) -> SynthRequest:
    base = dict(archetype="cafe", meters=2, start=utc("2025-12-30"), end=utc("2026-01-02"), seed=42)
    return SynthRequest(**{**base, **overrides})


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_same_seed_same_bytes_and_another_seed_other_bytes(tmp_path, fmt):
    suffix = "json" if fmt == "json" else fmt
    kwargs = dict(
        format=fmt,
        output=tmp_path / ("out" if fmt == "json" else f"c.{fmt}"),
        intensity_output=tmp_path / f"i.{suffix}",
    )
    first = build_files(_request(tmp_path, **kwargs))
    again = build_files(_request(tmp_path, **kwargs))
    other = build_files(_request(tmp_path, seed=43, **kwargs))
    assert first == again
    assert first.keys() == other.keys()
    for path in first:
        assert first[path] != other[path], path


def test_csv_round_trips_with_a_csvw_sidecar_saying_synthetic(tmp_path):
    request = _request(
        tmp_path, format="csv", output=tmp_path / "consumption.csv", intensity_output=tmp_path / "intensity.csv"
    )
    write_all(build_files(request))
    series = synthesise_consumption(ARCHETYPES["cafe"], half_hour_starts(request.start, request.end), seed=42, meters=2)
    expected = payloads.consumption_frame(series)
    read = pd.read_csv(tmp_path / "consumption.csv")
    assert list(read.columns) == ["meter", "type", "from", "to", "value", "unitCode"]
    assert read["from"].str.endswith("Z").all()
    for column in ("from", "to"):
        read[column] = pd.to_datetime(read[column], utc=True)
    pd.testing.assert_frame_equal(read, expected, check_dtype=False)
    assert set(read.meter) == {"synthetic-cafe-001", "synthetic-cafe-002"}
    sidecar = json.loads((tmp_path / "consumption.csv-metadata.json").read_text())
    assert sidecar["url"] == "consumption.csv" and sidecar["perseus:synthetic"]["synthetic"] is True
    assert sidecar["dc:title"].startswith("SYNTHETIC")
    intensity = pd.read_csv(tmp_path / "intensity.csv")
    assert list(intensity.columns) == ["from", "to", "intensity"] and len(intensity) == 3 * 48
    assert json.loads((tmp_path / "intensity.csv-metadata.json").read_text())["perseus:synthetic"]["synthetic"] is True


def test_parquet_round_trips_with_synthetic_schema_metadata(tmp_path):
    request = _request(
        tmp_path,
        format="parquet",
        output=tmp_path / "consumption.parquet",
        intensity_output=tmp_path / "intensity.parquet",
    )
    write_all(build_files(request))
    series = synthesise_consumption(ARCHETYPES["cafe"], half_hour_starts(request.start, request.end), seed=42, meters=2)
    table = pq.read_table(tmp_path / "consumption.parquet")
    pd.testing.assert_frame_equal(table.to_pandas(), payloads.consumption_frame(series))
    label = json.loads(table.schema.metadata[b"perseus:synthetic"])
    assert label["synthetic"] is True and label["archetype"] == "cafe" and label["seed"] == 42
    intensity = pq.read_table(tmp_path / "intensity.parquet")
    assert intensity.column_names == ["from", "to", "intensity"]
    assert json.loads(intensity.schema.metadata[b"perseus:synthetic"])["synthetic"] is True
    assert (
        intensity.column("intensity").to_pylist()
        == synthesise_intensity(half_hour_starts(request.start, request.end), seed=42).forecast.tolist()
    )


def test_a_failed_write_leaves_no_file_behind(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a directory is needed")
    files = {tmp_path / "ok.json": b"{}", blocker / "inside.json": b"{}"}
    with pytest.raises(OSError):
        write_all(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


# --- command ------------------------------------------------------------------------------


def test_command_archetypes_match_the_library():
    assert synth_command.ARCHETYPES == tuple(ARCHETYPES)


def test_command_writes_valid_files_and_says_they_are_synthetic(tmp_path, schema, capsys):
    out = tmp_path / "demo"
    code = main(["synth", "--archetype", "office", "--from", "2025-03-29", "--to", "2025-04-01T00:00:00Z", "--seed", "8",
                 "--output", str(out / "consumption"), "--intensity-output", str(out / "intensity.json")])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert err.count("SYNTHETIC") == 3
    names = sorted(p.name for p in (out / "consumption").iterdir())
    assert names == ["synthetic-office-001-electricity.json", "synthetic-office-001-gas.json"]
    for name in names:
        assert validate_payload(schema, "MeterData", json.loads((out / "consumption" / name).read_text())) == []
    assert len(json.loads((out / "intensity.json").read_text())["data"]["data"]) == 3 * 48


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--archetype", "pub"], "invalid choice"),
        (["--from", "yesterday"], "not an ISO 8601"),
        (["--from", "2025-01-01T00:15:00Z"], "half-hour boundary"),
        (["--from", "2025-01-01T00:00:00"], "no time zone"),
        (["--from", "2025-01-01T00:00:00+01:00"], "not in UTC"),
        (["--from", "2025-02-01", "--to", "2025-01-01"], "must be after"),
        (["--meters", "0"], "at least 1"),
        (["--outcode", "sw1a"], "not a UK postcode outcode"),
        (["--gas-unit", "KWH", "--calorific-value", "39"], "only to gas in MTQ"),
        (["--calorific-value", "12"], "outside 30-50"),
        (["--region-id", "18"], "not a NESO region id"),
        (["--seed", "-1"], "zero or positive"),
        (["--from", "1999-12-31"], "must lie within"),
        (["--meters", "2000"], "the limit per run"),
    ],
)
def test_bad_options_exit_2_naming_the_option(tmp_path, capsys, arguments, message):
    with pytest.raises(SystemExit) as stopped:
        main(["synth", "--output", str(tmp_path / "out"), *arguments])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_bad_output_paths_exit_2(tmp_path, capsys):
    (tmp_path / "file.json").write_text("{}")
    for arguments, message in [
        ([], "nothing to write"),
        (["--output", str(tmp_path / "file.json")], "must be a directory"),
        (["--format", "csv", "--output", str(tmp_path)], "is a directory"),
        (["--intensity-output", str(tmp_path / "intensity.txt")], "must end in .json"),
    ]:
        with pytest.raises(SystemExit) as stopped:
            main(["synth", *arguments])
        assert stopped.value.code == 2
        assert message in capsys.readouterr().err


def test_unwritable_output_exits_1_and_writes_nothing(tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    code = main(["synth", "--from", "2025-01-01", "--to", "2025-01-02", "--intensity-output", str(tmp_path / "i.json"),
                 "--format", "csv", "--output", str(blocker / "c.csv")])  # fmt: skip
    assert code == 1
    assert "nothing written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_request_check_is_usable_from_python():
    with pytest.raises(SynthError, match="--archetype"):
        SynthRequest(archetype="pub", output=Path("x")).check()


# --- properties ---------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    archetype=st.sampled_from(sorted(ARCHETYPES)),
    seed=st.integers(0, 2**32),
    first=st.integers(0, 17_519),
    length=st.integers(1, 24 * 48),
    gas_unit=st.sampled_from(["MTQ", "KWH"]),
)
def test_any_window_is_a_slice_of_the_year_with_consistent_non_negative_registers(
    starts_2025, archetype, seed, first, length, gas_unit
):
    window = starts_2025[first : first + length]
    year = synthesise_consumption(ARCHETYPES[archetype], starts_2025, seed=seed, gas_unit=gas_unit)
    part = synthesise_consumption(ARCHETYPES[archetype], window, seed=seed, gas_unit=gas_unit)
    for whole, piece in zip(year, part, strict=True):
        np.testing.assert_array_equal(whole.milli[first : first + length], piece.milli)
        assert (piece.milli >= 0).all()
        np.testing.assert_array_equal(np.diff(np.rint(piece.cumulative * 1000).astype(np.int64)), piece.milli[1:])
