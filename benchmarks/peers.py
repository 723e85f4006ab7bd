"""The peers `perseus calculate --portfolio` is measured against: one DuckDB query and one polars lazy plan.

Each computes what the default methodologies compute on a portfolio directory
(docs/scale.md), as a user fluent in the tool would write it for these files:

- electricity: each half-hour's kWh (WHR ÷ 1000) × the grid intensity of the
  meter's region at that half-hour ÷ 1000 (g → kg), summed per meter and UTC month;
- gas: kWh and m³ summed per meter and month first; then m³ × volume correction ×
  calorific value (the meter's, else the default) ÷ 3.6, plus the kWh, × the factor
  of the latest factor set not later than the month's year (an as-of join).

One scan per energy type (`readings/type=T/`), so that each type reads only its
files and joins only what it needs. The month key is integer arithmetic on a
plain (time-zone-free) timestamp made from the instant's microseconds: DuckDB's
`date_trunc` on a TIMESTAMPTZ goes through ICU calendars and runs about twice as
slow. (`epoch_ns(...) // 1000` reads both the generator's microsecond and pandas'
nanosecond timestamps.) Neither peer checks the data-quality rules (perseus does), nor reads a
per-reading `calorificValue` column (the benchmark's portfolios have none).

Both write one Parquet table: meter, type, month (months since 1970-01), total
(kg CO2e, unrounded), present (readings). `agreement` compares it with the
entries perseus writes. Run as a worker, this file imports only its engine:

    python benchmarks/peers.py duckdb|polars PORTFOLIO OUT.parquet CONSTANTS_JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DUCKDB_SETUP = "SET enable_progress_bar = false"

DUCKDB_ELECTRICITY = """\
SELECT r.meter, 'electricity' AS type,
       (year(r.t) - 1970) * 12 + month(r.t) - 1 AS month,
       sum(r.kwh * i.intensity) / {grams_per_kilogram} AS total,
       count(*) AS present
FROM (SELECT meter, us, make_timestamp(us) AS t, kwh
      FROM (SELECT meter, epoch_ns("from") // 1000 AS us, CASE unitCode WHEN 'WHR' THEN value / 1000 ELSE value END AS kwh
            FROM read_parquet('{portfolio}/readings/type=electricity/*/*.parquet'))) r
JOIN (SELECT meter, region FROM read_parquet('{portfolio}/meters.parquet') WHERE type = 'electricity') m
  ON m.meter = r.meter
JOIN (SELECT epoch_ns("from") // 1000 AS us, region, intensity FROM read_parquet('{portfolio}/intensity.parquet')) i
  ON i.region = m.region AND i.us = r.us
GROUP BY ALL"""

DUCKDB_GAS = """\
SELECT s.meter, 'gas' AS type, s.month,
       (s.kwh + s.m3 * {volume_correction} * coalesce(m.calorificValue, {default_calorific_value})
                / {megajoules_per_kilowatt_hour}) * f.factor AS total,
       s.present
FROM (SELECT meter, (year(t) - 1970) * 12 + month(t) - 1 AS month, year(t) AS year,
             sum(CASE unitCode WHEN 'KWH' THEN value WHEN 'WHR' THEN value / 1000 ELSE 0 END) AS kwh,
             sum(CASE unitCode WHEN 'MTQ' THEN value ELSE 0 END) AS m3,
             count(*) AS present
      FROM (SELECT meter, make_timestamp(epoch_ns("from") // 1000) AS t, value, unitCode
            FROM read_parquet('{portfolio}/readings/type=gas/*/*.parquet'))
      GROUP BY ALL) s
JOIN (SELECT meter, calorificValue FROM read_parquet('{portfolio}/meters.parquet') WHERE type = 'gas') m
  ON m.meter = s.meter
ASOF JOIN (SELECT * FROM (VALUES {gas_factors}) AS v(year, factor)) f
  ON s.year >= f.year"""


def duckdb_query(portfolio: str, types: list[str], constants: dict) -> str:
    """The query for the energy types present, one scan each, as one UNION ALL."""
    factors = ", ".join(f"({year}, {factor!r})" for year, factor in constants["factors"]["gas"])
    parts = {"electricity": DUCKDB_ELECTRICITY, "gas": DUCKDB_GAS}
    return "\nUNION ALL\n".join(
        parts[t].format(portfolio=portfolio, gas_factors=factors, **constants["parameters"]) for t in types
    )


def run_duckdb(portfolio: str, out: str, constants: dict) -> None:
    import duckdb

    connection = duckdb.connect()
    connection.execute(DUCKDB_SETUP)
    query = duckdb_query(portfolio, constants["types"], constants)
    connection.execute(f"COPY ({query}) TO '{out}' (FORMAT parquet)")


def polars_plan(portfolio: str, types: list[str], constants: dict):
    """The same computation as a polars lazy plan (LazyFrame), one scan per energy type."""
    import polars as pl

    p = constants["parameters"]
    meters = pl.scan_parquet(f"{portfolio}/meters.parquet")
    # Instants as microseconds, then a time-zone-free datetime for the calendar month.
    us = pl.col("from").dt.epoch("us")
    utc = pl.from_epoch(us, time_unit="us")
    month = ((utc.dt.year().cast(pl.Int64) - 1970) * 12 + utc.dt.month().cast(pl.Int64) - 1).alias("month")
    unit, value = pl.col("unitCode").cast(pl.String), pl.col("value")
    plans = []
    if "electricity" in types:
        intensity = pl.scan_parquet(f"{portfolio}/intensity.parquet").select(us.alias("us"), "region", "intensity")
        kwh = pl.when(unit == "WHR").then(value / 1000).otherwise(value)
        plans.append(
            pl.scan_parquet(f"{portfolio}/readings/type=electricity/*/*.parquet", hive_partitioning=False)
            .select(pl.col("meter").cast(pl.String), us.alias("us"), month, kwh.alias("kwh"))
            .join(meters.filter(pl.col("type") == "electricity").select("meter", "region"), on="meter")
            .join(intensity, on=["region", "us"])
            .group_by("meter", "month")
            .agg((pl.col("kwh") * pl.col("intensity")).sum() / p["grams_per_kilogram"], pl.len().alias("present"))
            .select(
                "meter",
                pl.lit("electricity").alias("type"),
                "month",
                pl.col("kwh").alias("total"),
                pl.col("present").cast(pl.Int64),
            )
        )
    if "gas" in types:
        factors = pl.LazyFrame(constants["factors"]["gas"], schema=["year", "factor"], orient="row")
        cv = pl.col("calorificValue").fill_null(p["default_calorific_value"])
        plans.append(
            pl.scan_parquet(f"{portfolio}/readings/type=gas/*/*.parquet", hive_partitioning=False)
            .group_by(pl.col("meter").cast(pl.String), month)
            .agg(
                pl.when(unit == "KWH")
                .then(value)
                .when(unit == "WHR")
                .then(value / 1000)
                .otherwise(0.0)
                .sum()
                .alias("kwh"),
                pl.when(unit == "MTQ").then(value).otherwise(0.0).sum().alias("m3"),
                pl.len().alias("present"),
            )
            .join(meters.filter(pl.col("type") == "gas").select("meter", "calorificValue"), on="meter")
            .with_columns((pl.col("month") // 12 + 1970).alias("year"))
            .sort("year")
            .join_asof(factors, on="year")
            .select(
                "meter",
                pl.lit("gas").alias("type"),
                "month",
                (
                    (pl.col("kwh") + pl.col("m3") * p["volume_correction"] * cv / p["megajoules_per_kilowatt_hour"])
                    * pl.col("factor")
                ).alias("total"),
                pl.col("present").cast(pl.Int64),
            )
        )
    return pl.concat(plans)


def run_polars(portfolio: str, out: str, constants: dict) -> None:
    polars_plan(portfolio, constants["types"], constants).sink_parquet(out)


PEERS = {"duckdb": run_duckdb, "polars": run_polars}


def constants(types: list[str]) -> dict:
    """What the peers need from the default methodology documents and factor sets (never typed in twice)."""
    from perseus.calculator.factors import FactorTable
    from perseus.methodology.documents import DEFAULTS, resolve

    methodologies = {t: resolve(DEFAULTS[t]) for t in ("electricity", "gas")}
    assert not methodologies["electricity"].uses("emission-factors"), "the electricity peer assumes grid intensity"
    gas_method = methodologies["gas"]
    (factor,) = gas_method.factor_inputs  # the peers' query multiplies by one factor per year
    gas = FactorTable.of(gas_method.factor_rule, gas_method.factor_inputs)
    parameters = {**methodologies["electricity"].parameters, **methodologies["gas"].parameters}
    return {
        "types": list(types),
        "parameters": parameters,
        "factors": {"gas": [[int(y), float(v)] for y, v in zip(gas.years, gas.values[factor], strict=True)]},
    }


def agreement(ours: Path, theirs: Path) -> dict:
    """Every meter-month with readings on both sides, with the same reading count and the total to 1e-9 relative."""
    import numpy as np
    import pandas as pd

    mine = pd.read_parquet(ours, columns=["meter", "type", "from", "emissionsUnrounded", "presentHalfHours"])
    mine = mine[mine["presentHalfHours"] > 0].astype({"meter": str, "type": str})
    stamp = mine["from"].dt.tz_convert("UTC")
    mine["month"] = (stamp.dt.year - 1970) * 12 + stamp.dt.month - 1
    other = pd.read_parquet(theirs).astype({"meter": str, "type": str, "month": "int64"})
    joined = mine.merge(other, on=["meter", "type", "month"], how="outer", indicator=True)
    both = joined[joined["_merge"] == "both"]
    relative = (
        np.abs(both["emissionsUnrounded"] - both["total"]) / np.maximum(np.abs(both["total"]), 1e-300)
    ).to_numpy()
    missing = int((~np.isfinite(relative)).sum())  # a NaN or NULL total on either side is a disagreement, never skipped
    result = {
        "rows": len(both),
        "unmatched": int((joined["_merge"] != "both").sum()) + missing,
        "max_relative_difference": float(np.max(relative, initial=0.0)) if not missing else float("inf"),
        "present_equal": bool((both["presentHalfHours"] == both["present"]).all()),
    }
    result["agree"] = bool(
        result["rows"]
        and not result["unmatched"]
        and result["present_equal"]
        and result["max_relative_difference"] <= 1e-9
    )
    return result


if __name__ == "__main__":
    engine, portfolio, out, given = sys.argv[1:5]
    PEERS[engine](portfolio, out, json.loads(given))
