"""The reference portfolio an impact report recomputes: every synthetic archetype in several places, two years.

SYNTHETIC and labelled so: each archetype of perseus.synth has one business in each
place below, with an electricity meter (kWh) and a gas meter (m³, no calorific value
in the data, so that the methodology's own calorific-value rule decides). Each place
has its own weather (one seed per place), its NESO region's synthetic intensity and its
gas local distribution zone, whose daily calorific values come from perseus synth's
synthetic series (calorific-values.csv, National Gas's layout, labelled SYNTHETIC).
The same seed gives the same portfolio, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

SEED = 14
START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Place:
    outcode: str
    region: int  # NESO region id of the outcode
    zone: str  # gas local distribution zone of the outcode
    name: str


# Electricity regions of the NESO Carbon Intensity API; gas zones as the gas distribution networks
# draw them (North Thames, Southern, Wales South, North West, Northern, Scotland).
PLACES = (
    Place("SW1A", 13, "NT", "London"),
    Place("RG10", 12, "SO", "Reading"),
    Place("CF10", 7, "WS", "Cardiff"),
    Place("M1", 3, "NW", "Manchester"),
    Place("NE1", 4, "NO", "Newcastle"),
    Place("EH1", 2, "SC", "Edinburgh"),
)


@dataclass(frozen=True)
class ReferenceMeter:
    meter: str
    archetype: str
    place: Place


@dataclass(frozen=True)
class ReferencePortfolio:
    """A written reference portfolio: its directory (the portfolio layout) and who each meter is."""

    directory: Path
    meters: tuple[ReferenceMeter, ...]
    readings: int

    def archetype_of(self) -> dict[str, str]:
        return {m.meter: m.archetype for m in self.meters}

    def outcode_of(self) -> dict[str, str]:
        return {m.meter: m.place.outcode for m in self.meters}

    def description(self) -> dict:
        archetypes = sorted({m.archetype for m in self.meters})
        return {
            "synthetic": True,
            "archetypes": archetypes,
            "places": [
                {"outcode": p.outcode, "region": p.region, "distributionZone": p.zone, "name": p.name} for p in PLACES
            ],
            "from": f"{START:%Y-%m-%dT%H:%MZ}",
            "to": f"{END:%Y-%m-%dT%H:%MZ}",
            "seed": SEED,
            "meters": len(self.meters) * 2,
            "readings": self.readings,
            "gas": "in m³ (MTQ), with no calorific value in the data (each meter names its distribution zone; "
            "the zones' daily values are a SYNTHETIC series)",
            "electricity": "in kWh",
        }


def write_reference_portfolio(directory: Path) -> ReferencePortfolio:
    """Synthesise the reference portfolio into `directory` (the layout of perseus.portfolio.layout)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from perseus.portfolio.layout import ZONE_VALUES
    from perseus.synth import ARCHETYPES, SynthRequest, build_files, half_hour_starts, synthesise_intensity
    from perseus.synth.consumption import outdoor_weather, synthesise_meter
    from perseus.synth.files import write_all
    from perseus.synth.timegrid import local_calendar

    directory = Path(directory)
    starts = half_hour_starts(START, END)
    stamps = pa.array(starts.astype("datetime64[us]"), type=pa.timestamp("us", tz="UTC"))
    calendar = local_calendar(starts)
    meters: list[ReferenceMeter] = []
    columns: dict[str, list] = {"electricity": [], "gas": []}
    for number, place in enumerate(PLACES, start=1):
        weather = outdoor_weather(starts, calendar, SEED + number)
        for name in sorted(ARCHETYPES):
            series_of_meter = synthesise_meter(
                ARCHETYPES[name], starts, SEED + number, number, calendar=calendar, weather=weather
            )
            for series in series_of_meter:
                columns[series.type].append(
                    pa.table(
                        {
                            "meter": pa.DictionaryArray.from_arrays(
                                np.zeros(len(starts), np.int32), pa.array([series.meter])
                            ),
                            "from": stamps,
                            "value": series.values,
                            "unitCode": pa.DictionaryArray.from_arrays(
                                np.zeros(len(starts), np.int32), pa.array([series.unit])
                            ),
                        }
                    )
                )
            meters.append(ReferenceMeter(series_of_meter[0].meter, name, place))
    readings = 0
    for energy_type, tables in columns.items():
        target = directory / "readings" / f"type={energy_type}" / "bucket=000"
        target.mkdir(parents=True, exist_ok=True)
        table = pa.concat_tables(tables).unify_dictionaries()
        pq.write_table(table, target / "part-0.parquet", compression="lz4")
        readings += table.num_rows
    ids = [m.meter for m in meters]
    pq.write_table(
        pa.table(
            {
                "meter": ids * 2,
                "type": ["electricity"] * len(ids) + ["gas"] * len(ids),
                "region": [m.place.region for m in meters] * 2,
                "outcode": [m.place.outcode for m in meters] * 2,
                "distributionZone": [""] * len(ids) + [m.place.zone for m in meters],
            }
        ).replace_schema_metadata({"perseus:synthetic": "SYNTHETIC reference portfolio of perseus impact"}),
        directory / "meters.parquet",
    )
    regions = sorted({p.region for p in PLACES})
    intensity = [synthesise_intensity(starts, SEED, r).forecast.astype(np.float64) for r in regions]
    pq.write_table(
        pa.table(
            {
                "from": pa.concat_arrays([stamps] * len(regions)),
                "region": np.repeat(np.array(regions, dtype=np.int16), len(starts)),
                "intensity": np.concatenate(intensity),
            }
        ),
        directory / "intensity.parquet",
    )
    (directory / "intensity.parquet.meta.yaml").write_text(
        "publisher: Perseus project (SYNTHETIC)\n"
        "title: SYNTHETIC regional grid intensity of the impact reference portfolio, region {region}\n"
        f"version: seed {SEED}\nurl: urn:perseus:synthetic:impact-intensity:region-{{region}}\nlicence: CC0-1.0\n"
    )
    write_all(
        build_files(SynthRequest(start=START, end=END, seed=SEED, calorific_values_output=directory / ZONE_VALUES))
    )
    return ReferencePortfolio(directory, tuple(meters), readings)
