"""The sandbox's synthetic meters: a fixed catalogue whose readings move with the clock.

Each data source was commissioned on DATA_START and is read as smart meters are: every
half-hour is collected at 01:00 UTC the next day (`takenAt`), and is served from then on.
So the last complete months always have readings and no request ever sees the future.
The readings are made by `perseus synth` with seed 0, whose noise is indexed by absolute
time, so a reading never changes as the series grows: every sandbox answers the same
bytes for the same request, whenever it runs.

The series is synthesised once per source up to a horizon past the current month (and
again when the clock passes it); readings are turned into JSON a month at a time, on
first use, and the most recent months kept.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from perseus.sandbox.config import DATA_START

SEED = 0
CALORIFIC_VALUE = 39.5  # MJ/m³ declared on the volume (MTQ) gas meters
KEPT_MONTHS = 240  # source-months of readings kept as JSON (about 0.3 MB each)
HORIZON = timedelta(days=62)  # synthesise this far past now, so that a month's turn needs no new synthesis
HALF_HOUR_S = 1800


@dataclass(frozen=True)
class Source:
    id: str
    archetype: str
    type: str  # electricity | gas
    unit: str  # KWH | MTQ
    outcode: str
    region_id: int  # NESO region of the outcode, for grid intensity
    measures: tuple[str, ...] = ("import",)

    @property
    def meter(self) -> str:
        return self.id.removesuffix(f"-{self.type}")


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
class Series:
    """One source's synthesised half-hours from DATA_START to `end` (seconds since the epoch)."""

    starts: np.ndarray  # int64, each half-hour's start
    taken: np.ndarray  # int64, when each was collected
    values: np.ndarray  # float, per half-hour
    cumulative: np.ndarray  # float, the register after each half-hour
    end: int


def month_start(instant: datetime) -> datetime:
    return datetime(instant.year, instant.month, 1, tzinfo=timezone.utc)


def next_month(month: datetime) -> datetime:
    return datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=timezone.utc)


class Catalogue:
    def __init__(self):
        self._series: dict[str, Series] = {}
        self._months: OrderedDict[tuple[str, int], list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def series(self, source: Source, now: datetime) -> Series:
        """The source's series, synthesised (again) when `now` nears its end."""
        with self._lock:
            series = self._series.get(source.id)
            if series is None or series.end < (now + timedelta(days=2)).timestamp():
                series = self._series[source.id] = _synthesise(source, next_month(month_start(now + HORIZON)))
            return series

    def _month_json(self, source: Source, series: Series, month: int) -> list[str]:
        """Each reading of the month starting at `month` (epoch seconds) as compact JSON."""
        key = (source.id, month)
        with self._lock:
            if key in self._months:
                self._months.move_to_end(key)
                return self._months[key]
        end = int(next_month(datetime.fromtimestamp(month, timezone.utc)).timestamp())
        first, last = np.searchsorted(series.starts, [month, end])
        readings = _readings_json(source, series, first, last)
        with self._lock:
            self._months[key] = readings
            while len(self._months) > KEPT_MONTHS:
                self._months.popitem(last=False)
        return readings

    def readings(self, source: Source, start: datetime, end: datetime, now: datetime) -> list[str]:
        """The JSON of each reading whose half-hour starts in [start, end) and that was collected by `now`."""
        series = self.series(source, now)
        available = int(np.searchsorted(series.taken, now.timestamp(), side="right"))
        first = int(np.searchsorted(series.starts, start.timestamp()))
        last = min(int(np.searchsorted(series.starts, end.timestamp())), available)
        out: list[str] = []
        index = first
        while index < last:
            month = int(month_start(datetime.fromtimestamp(int(series.starts[index]), timezone.utc)).timestamp())
            month_first = int(np.searchsorted(series.starts, month))
            chunk = self._month_json(source, series, month)
            take = min(last - month_first, len(chunk))
            out += chunk[index - month_first: take]
            index = month_first + take
        return out


def _synthesise(source: Source, end: datetime) -> Series:
    from perseus.synth import ARCHETYPES, half_hour_starts
    from perseus.synth.consumption import synthesise_meter
    from perseus.synth.payloads import taken_at

    starts = half_hour_starts(DATA_START, end)
    (series,) = synthesise_meter(ARCHETYPES[source.archetype], starts, SEED, 1, (source.type,),
                                 gas_unit=source.unit if source.type == "gas" else "MTQ")
    seconds = starts.astype("datetime64[s]").astype(np.int64)
    return Series(seconds, taken_at(starts).astype("datetime64[s]").astype(np.int64), series.values, series.cumulative,
                  int(end.timestamp()))


def _readings_json(source: Source, series: Series, first: int, last: int) -> list[str]:
    from perseus.synth.timegrid import iso_z_array

    def iso(seconds: np.ndarray) -> list[str]:
        return iso_z_array(seconds.astype("datetime64[s]")).tolist()

    froms, tos = iso(series.starts[first:last]), iso(series.starts[first:last] + HALF_HOUR_S)
    taken = iso(series.taken[first:last])
    unit, kind = source.unit, source.type
    return [
        f'{{"type":"{kind}","from":"{f}","to":"{t}","takenAt":"{k}","energy":{{"value":{v!r},"unitCode":"{unit}"}},'
        f'"cumulative":{{"value":{c!r},"unitCode":"{unit}"}}}}'
        for f, t, k, v, c in zip(froms, tos, taken, series.values[first:last].tolist(), series.cumulative[first:last].tolist())
    ]


CATALOGUE = Catalogue()


def calorific_value(source: Source) -> dict | None:
    from perseus.synth.provenance import SYNTHETIC_NOTE

    if source.unit != "MTQ":
        return None
    return {"megajoulesPerCubicMetre": CALORIFIC_VALUE, "source": "declared",
            "description": f"Synthetic: a value chosen for `perseus synth` output, not a measurement. {SYNTHETIC_NOTE}"}


def expected_half_hours(start: datetime, end: datetime) -> int:
    """How many half-hours of the grid start in [start, end)."""
    first = -(-int(start.timestamp()) // HALF_HOUR_S) * HALF_HOUR_S
    return max(0, -(-(int(end.timestamp()) - first) // HALF_HOUR_S))


def meter_data_json(source: Source, readings: list[str], provenance: dict) -> bytes:
    """MeterData (consumption-data) of the readings (JSON each) with its provenance record, as JSON bytes."""
    tail = {"location": {"ukPostcodeOutcode": source.outcode}, "provenance": provenance}
    parts = ['{"data":[', ",".join(readings), "],"]
    if cv := calorific_value(source):
        parts += ['"calorificValue":', json.dumps(cv, separators=(",", ":")), ","]
    parts.append(json.dumps(tail, separators=(",", ":"))[1:])
    return "".join(parts).encode()
