"""The sandbox's synthetic meters: a fixed catalogue, synthesised once per meter and sliced per request.

Each data source holds two years of half-hourly readings (SPAN_START to SPAN_END) made by
`perseus.synth` with seed 0, so every sandbox answers the same bytes for the same request.
Readings are serialised to JSON once; a request joins the slice it asks for, which keeps a
meter-year response to a few milliseconds of work.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from perseus.sandbox.config import SPAN_END, SPAN_START

SEED = 0
CALORIFIC_VALUE = 39.5  # MJ/m³ declared on the volume (MTQ) gas meters


@dataclass(frozen=True)
class Source:
    id: str
    archetype: str
    type: str  # electricity | gas
    unit: str  # KWH | MTQ
    outcode: str
    region_id: int  # NESO region of the outcode, for grid intensity
    measures: tuple[str, ...] = ("import",)


def _sources() -> dict[str, Source]:
    premises = (  # archetype, outcode, NESO region, gas unit (MTQ: SMETS2 volume; KWH: SMETS1 energy)
        ("office", "SW1A", 13, "MTQ"),
        ("cafe", "M1", 3, "KWH"),
        ("workshop", "RG10", 12, "MTQ"),
        ("shop", "EH1", 2, "MTQ"),
    )
    found = {}
    for archetype, outcode, region, gas_unit in premises:
        for energy_type, unit in (("electricity", "KWH"), ("gas", gas_unit)):
            sid = f"synthetic-{archetype}-001-{energy_type}"
            found[sid] = Source(sid, archetype, energy_type, unit, outcode, region)
    return found


SOURCES: dict[str, Source] = _sources()


@dataclass(frozen=True)
class SourceData:
    starts: np.ndarray  # int64 seconds since the epoch of each half-hour's start
    readings: list[str]  # each reading as compact JSON
    calorific_value: str  # the JSON of `calorificValue`, or ""


_cache: dict[str, SourceData] = {}
_lock = threading.Lock()


def source_data(source: Source) -> SourceData:
    """The source's whole span, synthesised on first use and kept."""
    with _lock:
        if source.id not in _cache:
            _cache[source.id] = _synthesise(source)
        return _cache[source.id]


def _synthesise(source: Source) -> SourceData:
    from perseus.synth import ARCHETYPES, half_hour_starts
    from perseus.synth.consumption import synthesise_meter
    from perseus.synth.payloads import meter_data

    starts = half_hour_starts(SPAN_START, SPAN_END)
    (series,) = synthesise_meter(ARCHETYPES[source.archetype], starts, SEED, 1, (source.type,),
                                 gas_unit=source.unit if source.type == "gas" else "MTQ")
    cv = CALORIFIC_VALUE if source.unit == "MTQ" else None
    payload = meter_data(series, outcode=source.outcode, archetype=source.archetype, seed=SEED, calorific_value=cv)
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    return SourceData(
        starts=starts.astype("datetime64[s]").astype(np.int64),
        readings=[dumps(r) for r in payload["data"]],
        calorific_value=dumps(payload["calorificValue"]) if "calorificValue" in payload else "",
    )


def meter_data_json(source: Source, start: datetime, end: datetime) -> bytes:
    """MeterData (consumption-data) of the half-hours starting in [start, end), as JSON bytes."""
    from perseus.provenance.synthetic import origin_step, step_id, unsigned_record
    from perseus.synth.timegrid import iso_z

    data = source_data(source)
    first, last = np.searchsorted(data.starts, [start.timestamp(), end.timestamp()], side="left")
    readings = data.readings[first:last]
    period_start = iso_z(start) if first == last else json.loads(readings[0])["from"]
    period_end = iso_z(end) if first == last else json.loads(readings[-1])["to"]
    taken = period_end if first == last else json.loads(readings[-1])["takenAt"]
    step = origin_step(meter=source.id.removesuffix(f"-{source.type}"), energy_type=source.type, archetype=source.archetype,
                       seed=SEED, outcode=source.outcode, start=period_start, end=period_end, timestamp=taken)
    provenance = unsigned_record(step, step_id(source.id, source.unit, period_start, period_end))
    tail = {"location": {"ukPostcodeOutcode": source.outcode}, "provenance": provenance}
    parts = ['{"data":[', ",".join(readings), "],"]
    if data.calorific_value:
        parts += ['"calorificValue":', data.calorific_value, ","]
    parts.append(json.dumps(tail, separators=(",", ":"))[1:])
    return "".join(parts).encode()
