"""Helpers for the portfolio tests: a small synthetic portfolio, and one meter of it as single-meter inputs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from perseus.portfolio.synthetic import write_portfolio

START = datetime(2025, 12, 1, tzinfo=UTC)  # December and January: the 2026 factor set starts on 1 January
END = datetime(2026, 2, 1, tzinfo=UTC)
TAKEN_AT = "2026-02-02T09:00:00Z"


def small_portfolio(directory: Path, meters: int = 12, buckets: int = 3) -> Path:
    write_portfolio(directory, meters=meters, start=START, end=END, seed=3, buckets=buckets)
    return directory


def rewrite(path: Path, change) -> None:
    """Change a Parquet table in place, as pandas (ids and units as text)."""
    table = pq.read_table(path).to_pandas()
    for column in ("meter", "unitCode"):
        if column in table.columns:
            table[column] = table[column].astype(str)
    change(table)
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path)


def readings_of(portfolio: Path, meter: str) -> pd.DataFrame:
    frames = []
    for path in sorted((portfolio / "readings").rglob("*.parquet")):
        table = pq.read_table(path).to_pandas()
        table["meter"] = table["meter"].astype(str)
        table["unitCode"] = table["unitCode"].astype(str)
        table["type"] = path.parent.parent.name.split("=", 1)[1]
        frames.append(table[table["meter"] == meter])
    return pd.concat(frames, ignore_index=True)


def single_meter_inputs(portfolio: Path, meter: str, out: Path) -> dict:
    """The meter's readings as MeterData JSON (one file per type, its calorific value on the file), and
    its region's intensity as CSV with the portfolio's dataset description beside it."""
    from perseus.portfolio.layout import read_intensity

    out.mkdir(parents=True, exist_ok=True)
    meters = pq.read_table(portfolio / "meters.parquet").to_pandas()
    rows = readings_of(portfolio, meter)
    files = []
    for energy_type, group in rows.groupby("type"):
        stamp = lambda s: s.dt.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
        data = [
            {"type": energy_type, "from": f, "to": t, "energy": {"value": v, "unitCode": u}}
            for f, t, v, u in zip(
                stamp(group["from"]),
                stamp(group["from"] + pd.Timedelta(minutes=30)),
                group["value"].tolist(),
                group["unitCode"],
                strict=True,
            )
        ]
        payload: dict[str, object] = {"data": data}
        row = meters[(meters["meter"] == meter) & (meters["type"] == energy_type)].iloc[0]
        if pd.notna(row["calorificValue"]):
            payload["calorificValue"] = {"megajoulesPerCubicMetre": float(row["calorificValue"]), "source": "declared"}
        path = out / f"{energy_type}.json"
        path.write_text(json.dumps(payload))
        files.append(path)
    region = str(int(meters[(meters["meter"] == meter) & (meters["type"] == "electricity")].iloc[0]["region"]))
    intensity = read_intensity(portfolio)
    assert intensity is not None, "the small portfolio carries an intensity table"
    table = pq.read_table(portfolio / "intensity.parquet").to_pandas()
    table = table[table["region"].astype(str) == region]
    csv = out / "intensity.csv"
    pd.DataFrame(
        {
            "from": table["from"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "to": (table["from"] + pd.Timedelta(minutes=30)).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "intensity": table["intensity"],
        }
    ).to_csv(csv, index=False)
    (out / "intensity.csv.meta.yaml").write_text(yaml.safe_dump(intensity.datasets[region]))
    return {"consumption": files, "intensity": csv}
