"""Every conformance case gives the same figures through `--portfolio` as through `--consumption`, bit for bit.

Each case's inputs are rewritten in the portfolio layout (one readings file per energy
type, a meters table, the intensity series as region "r" with its dataset description
beside it) and run by `calculate_portfolio`; its per-meter figures, unrounded totals
included, must equal the single-file calculator's and the case's expected report. A case
with several meters in one file (012) gives one figure per month from the files, which
must be the sum of the meters' portfolio totals.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from perseus.calculator.files import calculate_files
from perseus.calculator.inputs import read_consumption, read_intensity
from perseus.portfolio import calculate_portfolio

CASES = sorted(p for p in (Path(__file__).parent / "conformance").iterdir() if p.is_dir())
OPTIONS = {
    "--consumption": "consumption",
    "--intensity": "intensity",
    "--calorific-value": "calorific_value",
    "--from": "start",
    "--to": "end",
    "--taken-at": "taken_at",
    "--method": "methods",
}
UNNAMED = "the-meter"  # MeterData and CSV without a meter column: every file's readings are of one meter


def options(case: Path) -> dict:
    args = json.loads((case / "args.json").read_text())
    found: dict = {"consumption": [], "methods": []}
    for option, value in zip(args[::2], args[1::2], strict=True):
        name = OPTIONS[option]
        if name in ("consumption", "methods"):
            found[name].append(case / value if name == "consumption" else value)
        else:
            found[name] = case / value if name == "intensity" else float(value) if name == "calorific_value" else value
    return found


def as_portfolio(case: Path, args: dict, root: Path) -> Path:
    """The case's inputs in the portfolio layout: readings carry their own calorific value, as in the files."""
    readings = pd.concat([read_consumption(p).readings for p in args["consumption"]], ignore_index=True)
    readings["meter"] = readings["meter"].replace("", UNNAMED)
    for energy_type, rows in readings.groupby("type"):
        folder = root / "readings" / f"type={energy_type}" / "bucket=000"
        folder.mkdir(parents=True)
        pq.write_table(
            pa.table(
                {
                    "meter": rows["meter"].tolist(),
                    "from": pa.array(rows["from"], pa.timestamp("ns", "UTC")),
                    "value": rows["value"].to_numpy(),
                    "unitCode": rows["unit"].tolist(),
                    "calorificValue": rows["cv"].to_numpy(),
                }
            ),
            folder / "part-0.parquet",
        )
    meters = readings[["meter", "type"]].drop_duplicates().sort_values(["type", "meter"])
    pd.DataFrame({"meter": meters["meter"], "type": meters["type"], "region": "r"}).to_csv(
        root / "meters.csv", index=False
    )
    if "intensity" in args:
        series = read_intensity(args["intensity"])
        start = series.first_half_hour * 1_800_000_000_000
        stamps = pd.to_datetime(start + np.arange(series.matrix.shape[1]) * 1_800_000_000_000, utc=True)
        present = np.isfinite(series.matrix[0])
        pq.write_table(
            pa.table(
                {
                    "from": pa.array(stamps[present], pa.timestamp("ns", "UTC")),
                    "region": ["r"] * int(present.sum()),
                    "intensity": series.matrix[0][present],
                }
            ),
            root / "intensity.parquet",
        )
        (root / "intensity.parquet.meta.yaml").write_text(yaml.safe_dump(series.datasets[""]))
    return root


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_the_portfolio_gives_the_files_figures_bit_for_bit(case: Path, tmp_path):
    args = options(case)
    expected = json.loads((case / "expected.json").read_text())
    files = calculate_files(**args)
    assert files.report["data"] == expected["data"]  # the single-file entry point, as the conformance test runs it
    common = {k: v for k, v in args.items() if k not in ("consumption", "intensity")}
    run = calculate_portfolio(as_portfolio(case, args, tmp_path / "portfolio"), **common)
    reports = dict(run.reports())
    entries = run.entries
    for energy_type, figures in files.figures.items():
        mine = entries[entries["type"] == energy_type].sort_values(["meter", "from"], kind="stable")
        ids = sorted(mine["meter"].unique())
        if len(ids) == 1:  # one meter: its report is the files' report, and its unrounded totals the same floats
            report = reports[ids[0]]
            assert [e for e in report["data"] if e["type"] == energy_type] == [
                e for e in expected["data"] if e["type"] == energy_type
            ]
            assert [s for s in report["sources"] if s["type"] == energy_type] == [
                s for s in expected["sources"] if s["type"] == energy_type
            ]
            assert [v.hex() for v in mine["emissionsUnrounded"]] == [v.hex() for v in figures["total"]]
            continue
        for k, month in enumerate(figures["month"]):  # several meters: the files add the meters' totals in meter order
            of_month = mine[
                mine["from"] == pd.Timestamp(np.datetime64("1970-01", "M") + np.timedelta64(int(month), "M"), tz="UTC")
            ]
            by_meter = dict(zip(of_month["meter"], of_month["emissionsUnrounded"], strict=True))
            assert sum(by_meter[i] for i in ids if i in by_meter).hex() == float(figures["total"][k]).hex()
            assert int(of_month["expectedHalfHours"].sum()) == int(figures["expected"][k])
            assert int(of_month["presentHalfHours"].sum()) == int(figures["present"][k])


def test_the_cases_cover_several_meters_and_readings_with_their_own_calorific_value():
    """The comparison above relies on both: 012 has two meters in one file; 005 has a reading with its own value."""
    several = options(next(c for c in CASES if c.name.startswith("012")))
    assert read_consumption(several["consumption"][0]).readings["meter"].nunique() == 2
    blended = options(next(c for c in CASES if c.name.startswith("005")))
    gas = read_consumption(next(p for p in blended["consumption"] if p.name == "gas.json")).readings
    assert gas["cv"].notna().any() and gas["cv"].isna().any()
