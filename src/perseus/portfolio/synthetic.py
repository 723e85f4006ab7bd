"""A SYNTHETIC portfolio in the portfolio layout, fast enough for benchmarks of millions of readings.

Shapes come from perseus.synth: a few meters per archetype are synthesised there
and every portfolio meter is one of them, scaled and with its own multiplicative
noise (numpy, one batch per bucket), so a thousand meter-years take seconds
rather than the minutes of synthesising each meter from scratch. Every id says
`synthetic-`; the meters table and intensity sidecar say SYNTHETIC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from perseus.portfolio.layout import bucket_of
from perseus.vocabulary import ENERGY_TYPES, ENERGY_UNITS

OUTCODES = ("SW1A", "M1", "RG10", "EH1", "CF10", "B1", "NG1", "CB1", "EX1", "SO14", "E1", "BN1", "LS1", "NE1")
TEMPLATES_PER_ARCHETYPE = 2
UNITS = sorted(ENERGY_UNITS)  # sorted, so that searchsorted finds each unit's code
GAS_KWH_PER_M3 = 1.02264 * 39.5 / 3.6  # SMETS1 meters in the portfolio report kWh, converted at a typical CV


def meter_ids(meters: int) -> list[str]:
    return [f"synthetic-portfolio-{i:06d}" for i in range(meters)]


def _templates(starts: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Half-hourly thousandths of kWh (electricity) or m³ (gas), shape (templates, half-hours)."""
    from perseus.synth import ARCHETYPES, synthesise_consumption

    found: dict[str, list[np.ndarray]] = {"electricity": [], "gas": []}
    for name in sorted(ARCHETYPES):
        for series in synthesise_consumption(
            ARCHETYPES[name], starts, seed, TEMPLATES_PER_ARCHETYPE, ENERGY_TYPES, "MTQ", 39.5
        ):
            found[series.type].append(series.milli.astype(np.float64))
    return {t: np.stack(v) for t, v in found.items()}


def write_portfolio(
    directory: Path,
    meters: int = 1000,
    start: datetime = datetime(2025, 1, 1, tzinfo=UTC),
    end: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    seed: int = 0,
    buckets: int | None = None,
    compression: str = "lz4",
    types: tuple[str, ...] = ENERGY_TYPES,
) -> dict:
    """Write meters.parquet, readings/type=*/bucket=NN/part-0.parquet and intensity.parquet; returns a summary.
    `types` leaves an energy type out of the meters table and the readings (the draws of the others stay the same)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import yaml

    from perseus.synth import half_hour_starts, synthesise_intensity

    directory = Path(directory)
    buckets = buckets or max(2, meters // 32)
    starts = half_hour_starts(start, end)
    stamps = starts.astype("datetime64[us]").astype(np.int64)
    templates = _templates(starts, seed)
    ids = meter_ids(meters)
    rng = np.random.default_rng(seed)
    scale = 0.5 + 1.5 * rng.random(meters)
    region = (np.arange(meters) % 14 + 1).astype(np.int16)
    gas_in_kwh = np.arange(meters) % 4 == 3
    electricity_in_wh = np.arange(meters) % 10 == 9
    cv = np.where(np.arange(meters) % 3 == 0, np.round(38.8 + 1.4 * rng.random(meters), 1), np.nan)
    gap = np.arange(meters) % 50 == 7  # a week without readings, so some months are Missing
    meter_table = pa.table(
        {
            "meter": ids * len(types),
            "type": [t for t in types for _ in range(meters)],
            "region": np.concatenate([region] * len(types)),
            "outcode": [OUTCODES[r - 1] for r in region] * len(types),
            "calorificValue": pa.array(
                np.concatenate([np.full(meters, np.nan) if t == "electricity" else cv for t in types]), from_pandas=True
            ),  # NaN -> null: none given
        }
    ).replace_schema_metadata(
        {"perseus:synthetic": "SYNTHETIC portfolio meters written by perseus.portfolio.synthetic"}
    )
    directory.mkdir(parents=True, exist_ok=True)
    pq.write_table(meter_table, directory / "meters.parquet")
    bucket = np.array([bucket_of(m, buckets) for m in ids])
    total = 0
    half_hours = len(starts)
    for energy_type in ENERGY_TYPES:
        shapes = templates[energy_type]
        for b in range(buckets):
            members = np.flatnonzero(bucket == b)
            if not len(members):
                continue
            noise = rng.lognormal(0.0, 0.15, size=(len(members), half_hours))
            if energy_type not in types:
                continue
            milli = np.rint(shapes[members % len(shapes)] * scale[members, None] * noise)
            if energy_type == "gas":
                milli = np.where(gas_in_kwh[members, None], np.rint(milli * GAS_KWH_PER_M3), milli)
                units = np.where(gas_in_kwh[members], "KWH", "MTQ")
            else:
                units = np.where(electricity_in_wh[members], "WHR", "KWH")
            value = milli / 1000.0
            if energy_type == "electricity":
                value = np.where(electricity_in_wh[members, None], milli, value)  # watt hours: thousandths of kWh
            keep = np.ones((len(members), half_hours), dtype=bool)
            keep[gap[members], 48 * 10 : 48 * 17] = False  # 11-17th day of the period
            counts = keep.sum(axis=1)
            table = pa.table(
                {
                    "meter": pa.DictionaryArray.from_arrays(
                        np.repeat(np.arange(len(members), dtype=np.int32), counts), pa.array([ids[i] for i in members])
                    ),
                    "from": pa.array(np.broadcast_to(stamps, keep.shape)[keep], type=pa.timestamp("us", tz="UTC")),
                    "value": value[keep],
                    "unitCode": pa.DictionaryArray.from_arrays(
                        np.repeat(np.searchsorted(UNITS, units).astype(np.int32), counts), pa.array(UNITS)
                    ),
                }
            )
            target = directory / "readings" / f"type={energy_type}" / f"bucket={b:03d}"
            target.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, target / "part-0.parquet", compression=compression, row_group_size=1 << 20)
            total += table.num_rows
    intensity_from, intensity_region, intensity_value = [], [], []
    for r in range(1, 15):
        series = synthesise_intensity(starts, seed, r)
        intensity_from.append(stamps)
        intensity_region.append(np.full(half_hours, r, dtype=np.int16))
        intensity_value.append(series.forecast.astype(np.float64))
    pq.write_table(
        pa.table(
            {
                "from": pa.array(np.concatenate(intensity_from), type=pa.timestamp("us", tz="UTC")),
                "region": np.concatenate(intensity_region),
                "intensity": np.concatenate(intensity_value),
            }
        ),
        directory / "intensity.parquet",
    )
    (directory / "intensity.parquet.meta.yaml").write_text(
        yaml.safe_dump(
            {
                "publisher": "Perseus project (SYNTHETIC)",
                "title": "SYNTHETIC regional grid intensity, region {region}",
                "version": f"seed {seed}",
                "url": "urn:perseus:synthetic:intensity:region-{region}",
                "licence": "CC0-1.0",
            },
            sort_keys=False,
        )
    )
    return {"meters": meters, "types": list(types), "buckets": buckets, "readings": total, "half_hours": half_hours}
