"""Wire shapes: MeterData (consumption-data@2025-10-27), DataSources, the NESO regional
intensity response, and the flat tables written as CSV or Parquet."""

from __future__ import annotations

import numpy as np

from perseus.provenance.synthetic import SYNTHETIC_NOTE, origin_step, step_id, unsigned_record
from perseus.synth.consumption import MeterSeries
from perseus.synth.intensity import IntensitySeries
from perseus.synth.timegrid import HALF_HOUR, iso_z_array

CONSUMPTION_COLUMNS = ("meter", "type", "from", "to", "value", "unitCode")
INTENSITY_COLUMNS = ("from", "to", "intensity")
SYNTHETIC_KEY = "perseus:synthetic"  # metadata key on every synthetic file


def taken_at(starts: np.ndarray) -> np.ndarray:
    """Smart meters are read once a day: each half-hour is collected at 01:00 UTC the next day."""
    return starts.astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(25, "h")


def meter_data(
    series: MeterSeries, *, outcode: str, archetype: str, seed: int, calorific_value: float | None = None
) -> dict:
    """A MeterData payload for one meter and energy type, labelled synthetic in its provenance."""
    froms = iso_z_array(series.starts)
    tos = iso_z_array(series.starts + HALF_HOUR)
    taken = iso_z_array(taken_at(series.starts))
    values, cumulative = series.values.tolist(), series.cumulative.tolist()
    unit, energy_type = series.unit, series.type
    readings = [
        {
            "type": energy_type,
            "from": f,
            "to": t,
            "takenAt": k,
            "energy": {"value": v, "unitCode": unit},
            "cumulative": {"value": c, "unitCode": unit},
        }
        for f, t, k, v, c in zip(froms.tolist(), tos.tolist(), taken.tolist(), values, cumulative, strict=True)
    ]
    payload: dict = {"data": readings, "location": {"ukPostcodeOutcode": outcode}}
    if calorific_value is not None and unit == "MTQ":
        payload["calorificValue"] = {
            "megajoulesPerCubicMetre": calorific_value,
            "source": "declared",
            "description": f"Synthetic: a value chosen for `perseus synth` output, not a measurement. {SYNTHETIC_NOTE}",
        }
    start, end = froms[0], tos[-1]
    step = origin_step(
        meter=series.meter,
        energy_type=energy_type,
        archetype=archetype,
        seed=seed,
        outcode=outcode,
        start=str(start),
        end=str(end),
        timestamp=str(taken[-1]),
    )
    identifier = step_id(series.meter, energy_type, unit, archetype, seed, start, end)
    payload["provenance"] = unsigned_record(step, identifier)
    return payload


def data_sources(series: list[MeterSeries], *, outcode: str) -> dict:
    """A DataSources payload listing each synthetic meter and type; ids say `synthetic-`."""
    return {
        "data": [
            {
                "id": f"{s.meter}-{s.type}",
                "type": s.type,
                "location": {"ukPostcodeOutcode": outcode},
                "availableMeasures": ["import"],
            }
            for s in series
        ]
    }


def consumption_frame(series: list[MeterSeries]):
    """One row per meter, type and half-hour: meter,type,from,to,value,unitCode (from/to as UTC timestamps)."""
    import pandas as pd

    frames = [
        pd.DataFrame(
            {
                "meter": s.meter,
                "type": s.type,
                "from": _utc(s.starts),
                "to": _utc(s.starts + HALF_HOUR),
                "value": s.values,
                "unitCode": s.unit,
            }
        )
        for s in series
    ]
    return pd.concat(frames, ignore_index=True)[list(CONSUMPTION_COLUMNS)]


def intensity_frame(intensity: IntensitySeries):
    import pandas as pd

    return pd.DataFrame(
        {
            "from": _utc(intensity.starts),
            "to": _utc(intensity.starts + HALF_HOUR),
            "intensity": intensity.forecast,
        }
    )


def _utc(values: np.ndarray):
    """Millisecond UTC timestamps: Parquet has no second resolution, so CSV and Parquet read back alike."""
    import pandas as pd

    return pd.DatetimeIndex(values.astype("datetime64[ms]")).tz_localize("UTC")


def neso_minutes(values: np.ndarray) -> list[str]:
    """The NESO API's time format, `YYYY-MM-DDThh:mmZ`."""
    return np.char.add(np.datetime_as_string(values.astype("datetime64[m]"), unit="m"), "Z").tolist()


def neso_regional_response(intensity: IntensitySeries, *, outcode: str, seed: int) -> dict:
    """Shaped like `GET /regional/intensity/{from}/{to}/postcode/{outcode}`, plus one extra
    top-level key that labels the file synthetic."""
    mix = intensity.generation_mix()
    fuels = list(mix)
    percentages = np.column_stack([mix[fuel] for fuel in fuels]).tolist()
    entries = [
        {
            "from": f,
            "to": t,
            "intensity": {"forecast": value, "index": index},
            "generationmix": [{"fuel": fuel, "perc": perc} for fuel, perc in zip(fuels, row, strict=True)],
        }
        for f, t, value, index, row in zip(
            neso_minutes(intensity.starts),
            neso_minutes(intensity.starts + HALF_HOUR),
            intensity.forecast.tolist(),
            intensity.index().tolist(),
            percentages,
            strict=True,
        )
    ]
    return {
        SYNTHETIC_KEY: synthetic_metadata(
            "regional grid carbon intensity, gCO2/kWh", seed=seed, regionid=intensity.region_id, postcode=outcode
        ),
        "data": {
            "regionid": intensity.region_id,
            "dnoregion": intensity.dnoregion,
            "shortname": intensity.shortname,
            "postcode": outcode,
            "data": entries,
        },
    }


def synthetic_metadata(what: str, **details) -> dict:
    return {"synthetic": True, "generator": "perseus synth", "content": what, "description": SYNTHETIC_NOTE, **details}


def synthetic_dataset(marker: dict) -> dict:
    """How a report names a synthetic dataset: never as the real source it imitates."""
    seed = marker.get("seed", "unknown")
    content = marker.get("content", "data")
    return {
        "publisher": "perseus synth (synthetic data; not a real publisher)",
        "title": f"SYNTHETIC {content}: not real data",
        "version": f"seed {seed}",
        "url": f"urn:perseus:synthetic:{'-'.join(content.split()[:3]).strip(',')}:seed-{seed}",
        "licence": "MIT",
    }
