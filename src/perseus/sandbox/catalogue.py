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
from datetime import UTC, datetime, timedelta

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


def _sources() -> dict[str, Source]:
    premises = (  # archetype, outcode, NESO region, gas unit (MTQ: SMETS2 volume; KWH: SMETS1 energy), id pattern
        ("office", "SW1A", 13, "MTQ", "synthetic-{a}-001-{t}"),
        ("cafe", "M1", 3, "KWH", "synthetic-{a}-001-{t}"),
        ("workshop", "RG10", 12, "MTQ", "synthetic-{a}-001-{t}"),
        # Shaped like the registry's example id (`S90/r2+mSV2`): a client must send the `/` as %2F.
        ("shop", "EH1", 2, "MTQ", "synthetic-{a}/001+{t}"),
    )
    found = {}
    for archetype, outcode, region, gas_unit, pattern in premises:
        for energy_type, unit in (("electricity", "KWH"), ("gas", gas_unit)):
            sid = pattern.format(a=archetype, t=energy_type)
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
    return datetime(instant.year, instant.month, 1, tzinfo=UTC)


def next_month(month: datetime) -> datetime:
    return datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MonthJson:
    """A month's readings as one comma-joined JSON byte string, with where each reading starts."""

    joined: bytes
    offsets: np.ndarray  # offsets[k]: the start of reading k; offsets[n]: len(joined) + 1

    def slice(self, first: int, last: int) -> bytes:
        return self.joined[self.offsets[first] : self.offsets[last] - 1]

    def reading(self, index: int) -> bytes:
        return self.slice(index, index + 1)


@dataclass(frozen=True)
class Collected:
    """The readings of a request: JSON chunks to join with commas, their count, the first and last."""

    chunks: list[bytes]
    count: int
    first: bytes | None
    last: bytes | None

    def ends(self) -> list[dict]:
        if not self.count or self.first is None or self.last is None:
            return []
        return [json.loads(self.first), json.loads(self.last)]


class Catalogue:
    def __init__(self) -> None:
        self._series: dict[str, Series] = {}
        self._months: OrderedDict[tuple[str, int], MonthJson] = OrderedDict()
        self._lock = threading.Lock()

    def series(self, source: Source, now: datetime) -> Series:
        """The source's series, synthesised (again) when `now` nears its end."""
        with self._lock:
            series = self._series.get(source.id)
            if series is None or series.end < (now + timedelta(days=2)).timestamp():
                series = self._series[source.id] = _synthesise(source, next_month(month_start(now + HORIZON)))
            return series

    def _month_json(self, source: Source, series: Series, month: int) -> MonthJson:
        """The readings of the month starting at `month` (epoch seconds), made on first use and kept."""
        key = (source.id, month)
        with self._lock:
            if key in self._months:
                self._months.move_to_end(key)
                return self._months[key]
        end = int(next_month(datetime.fromtimestamp(month, UTC)).timestamp())
        first, last = np.searchsorted(series.starts, [month, end])
        readings = [r.encode() for r in _readings_json(source, series, first, last)]
        offsets = np.zeros(len(readings) + 1, dtype=np.int64)
        np.cumsum([len(r) + 1 for r in readings], out=offsets[1:])
        chunk = MonthJson(b",".join(readings), offsets)
        with self._lock:
            self._months[key] = chunk
            while len(self._months) > KEPT_MONTHS:
                self._months.popitem(last=False)
        return chunk

    def holds(self, source: Source, start: datetime, end: datetime, now: datetime) -> bool:
        """Whether the series and the JSON of every month [start, end) touches are made already (no synthesis)."""
        month, keys = month_start(start), []
        while month < end:
            keys.append((source.id, int(month.timestamp())))
            month = next_month(month)
        series = self._series.get(source.id)
        fresh = series is not None and series.end >= (now + timedelta(days=2)).timestamp()
        return fresh and all(k in self._months for k in keys)

    def readings(self, source: Source, start: datetime, end: datetime, now: datetime) -> Collected:
        """The readings whose half-hour starts in [start, end) and that were collected by `now`."""
        series = self.series(source, now)
        # Whole seconds: a float would make numpy convert the int64 arrays on every search.
        available = int(np.searchsorted(series.taken, int(now.timestamp()), side="right"))
        first = int(np.searchsorted(series.starts, -(-int(start.timestamp() * 1e6) // 1_000_000)))
        last = min(int(np.searchsorted(series.starts, -(-int(end.timestamp() * 1e6) // 1_000_000))), available)
        chunks: list[bytes] = []
        head = tail = None
        index = first
        while index < last:
            month = int(month_start(datetime.fromtimestamp(int(series.starts[index]), UTC)).timestamp())
            month_first = int(np.searchsorted(series.starts, month))
            chunk = self._month_json(source, series, month)
            stop = min(last - month_first, len(chunk.offsets) - 1)
            chunks.append(chunk.slice(index - month_first, stop))
            head = head or chunk.reading(index - month_first)
            tail = chunk.reading(stop - 1)
            index = month_first + stop
        return Collected(chunks, max(0, last - first), head, tail)


def _synthesise(source: Source, end: datetime) -> Series:
    from perseus.synth import ARCHETYPES, half_hour_starts
    from perseus.synth.consumption import synthesise_meter
    from perseus.synth.payloads import taken_at

    starts = half_hour_starts(DATA_START, end)
    (series,) = synthesise_meter(
        ARCHETYPES[source.archetype],
        starts,
        SEED,
        1,
        (source.type,),
        gas_unit=source.unit if source.type == "gas" else "MTQ",
    )
    seconds = starts.astype("datetime64[s]").astype(np.int64)
    return Series(
        seconds,
        taken_at(starts).astype("datetime64[s]").astype(np.int64),
        series.values,
        series.cumulative,
        int(end.timestamp()),
    )


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
        for f, t, k, v, c in zip(
            froms, tos, taken, series.values[first:last].tolist(), series.cumulative[first:last].tolist(), strict=True
        )
    ]


CATALOGUE = Catalogue()


def calorific_value(source: Source) -> dict | None:
    from perseus.provenance.synthetic import SYNTHETIC_NOTE

    if source.unit != "MTQ":
        return None
    return {
        "megajoulesPerCubicMetre": CALORIFIC_VALUE,
        "source": "declared",
        "description": f"Synthetic: a value chosen for `perseus synth` output, not a measurement. {SYNTHETIC_NOTE}",
    }


def expected_half_hours(start: datetime, end: datetime) -> int:
    """How many half-hours of the grid start in [start, end)."""
    first = -(-int(start.timestamp()) // HALF_HOUR_S) * HALF_HOUR_S
    return max(0, -(-(int(end.timestamp()) - first) // HALF_HOUR_S))


def meter_data_json(source: Source, readings: Collected, provenance: dict, release=None) -> bytes:
    """MeterData (consumption-data) of the readings with its provenance record, as JSON bytes; under
    `release`, with what its document does not allow left out (the readings themselves hold only
    what every release allows, which a test checks)."""
    return b"".join([b'{"data":[', b",".join(readings.chunks), b"],", _tail_json(source, provenance, release)])


_tails: OrderedDict[tuple, tuple[dict, bytes]] = OrderedDict()
_tails_lock = threading.Lock()
KEPT_TAILS = 1024


def _tail_json(source: Source, provenance: dict, release) -> bytes:
    """The members after `data`, as JSON: made once per record (records are reused, see signing) and release."""
    key = (source.id, getattr(release, "ref", None), id(provenance))
    with _tails_lock:
        kept = _tails.get(key)
    if kept is not None and kept[0] is provenance:  # the record itself is held, so its id is not reused meanwhile
        return kept[1]
    tail = {"location": {"ukPostcodeOutcode": source.outcode}, "provenance": provenance}
    if cv := calorific_value(source):
        tail = {"calorificValue": cv, **tail}
    if release is not None:
        from perseus.sandbox.served import fit

        tail = fit(release, "MeterData", tail)
    data = json.dumps(tail, separators=(",", ":"))[1:].encode()
    with _tails_lock:
        _tails[key] = (provenance, data)
        while len(_tails) > KEPT_TAILS:
            _tails.popitem(last=False)
    return data
