"""The calculation core: one table of readings of one energy type in, monthly totals per meter out.

Both entry points run it: `perseus.calculator.calculate` on the readings of its
files (one in-memory table per energy type) and `perseus.portfolio` on each
readings partition (locally or as a Dask `map_partitions`). Every data-quality
rule on readings is implemented here once.

The arithmetic is the methodology's own: its compiled steps
(`CompiledMethodology.half_hour_emissions`) run over the table's columns in cache-sized
steps of whole meters, with inputs gathered by half-hour index (grid intensity
from the region × half-hour matrix, the emission factor from a per-half-hour
table built from the factor-set rule, the calorific value per meter or per
reading). Each meter's monthly total comes from one `np.bincount` over its
readings sorted by time. There is no Python loop over meters or readings, only
one over steps of about 16,000 rows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from perseus.calculator import calorific
from perseus.calculator.calorific import CalorificValues
from perseus.calculator.errors import Breach, CalculationError, Labels, raise_if, under
from perseus.calculator.factors import FactorTable, factors_by_month
from perseus.calculator.instants import EPOCH_MONTH, HALF_HOUR_NS, z, z_half_hour
from perseus.calculator.intensity import IntensityLookup
from perseus.vocabulary import ENERGY_UNITS as UNITS

KWH, WHR, MTQ = range(3)  # the kernel's codes of those units, checked against the spec below
assert UNITS == ("KWH", "WHR", "MTQ"), f"the kernel's unit codes assume KWH, WHR, MTQ; the spec says {UNITS}"
CONSUMPTION_INPUTS = ("energy_kwh", "metered_kwh", "volume_m3")  # what consumption supplies to a methodology's steps
NANOSECONDS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}
CHUNK = 1 << 14  # rows per step: every intermediate array of a step stays in the CPU cache
KEY_SHIFT = 22  # half-hours since 1970 stay below 2**22 until the year 2209

# One row per (meter, month) with readings: the table's contribution to the reports.
RESULT_COLUMNS = {
    "meter": np.int64,  # position of the meter among the type's meters (TypeContext.meter_ids)
    "month": np.int64,  # months since 1970-01
    "total": np.float64,  # kg CO2e, unrounded
    "present": np.int64,
    "duplicates": np.int64,
    "volume": np.int64,  # readings in m³ (these need a calorific value)
    "first": np.int64,  # first and last half-hour with a reading (half-hours since 1970)
    "last": np.int64,
    # Where readings carry their own calorific value: sums over the volume readings, for the report's mean.
    "cv_weighted": np.float64,  # Σ m³ × MJ/m³
    "cv_volume": np.float64,  # Σ m³
    "cv_plain": np.float64,  # Σ MJ/m³
    "cv_choices": np.int64,  # bit k set: a value came from CalorificValueOrigin k
}


def empty_result() -> pd.DataFrame:
    return pd.DataFrame({name: np.zeros(0, dtype=kind) for name, kind in RESULT_COLUMNS.items()})


@dataclass
class TypeContext:
    """What the kernel needs to know about one energy type; plain data, so it pickles to Dask workers."""

    energy_type: str
    methodology_path: str
    methodology_document: dict
    meter_ids: list[str]  # the type's meters, in order (a meter's position is its number in the results)
    region_row: np.ndarray  # per meter: row of the intensity matrix, -1 without one
    factors: FactorTable = field(default_factory=FactorTable)  # without the sets themselves (the reports need those)
    calorific: CalorificValues | None = None

    @property
    def ref(self) -> str:
        return f"{self.methodology_document['label']}@{self.methodology_document['version']}"

    @property
    def methodology(self):
        from perseus.methodology.documents import compiled

        return compiled(self.methodology_path, self.methodology_document)

    @property
    def meter_position(self) -> dict[str, int]:
        return _positions(tuple(self.meter_ids))


@dataclass
class KernelContext:
    types: dict[str, TypeContext]
    intensity: IntensityLookup = field(default_factory=IntensityLookup)
    window: tuple[int | None, int | None] = (None, None)  # half-hours [start, end)


@dataclass
class Trace:
    """Which table rows a result used (positions in the table): the readings counted, and the repeats dropped."""

    used: np.ndarray
    repeats: np.ndarray


@lru_cache(maxsize=8)
def _positions(ids: tuple[str, ...]) -> dict[str, int]:
    """Number of each meter id (the first, if listed twice), built once per meters table."""
    positions: dict[str, int] = {}
    for k, meter in enumerate(ids):
        positions.setdefault(meter, k)
    return positions


@dataclass
class Rows:
    """The readings the kernel works on, column by column, in the order it works on them."""

    local: np.ndarray  # int32: the reading's meter, numbered within the table
    half_hour: np.ndarray  # int32: half-hours since 1970
    quantity: np.ndarray  # float64: kWh, or m³ where is_volume
    is_volume: np.ndarray | None  # bool, None when no reading is in m³
    original: np.ndarray | None = None  # the table row of each, once reordered or filtered
    cv: np.ndarray | None = None  # float64: the reading's own calorific value (NaN where none), when the table has them

    def take(self, index: np.ndarray) -> Rows:
        if index.dtype == bool:
            index = np.flatnonzero(index)
        volume = self.is_volume[index] if self.is_volume is not None else None
        cv = self.cv[index] if self.cv is not None else None
        original = index if self.original is None else self.original[index]
        return Rows(self.local[index], self.half_hour[index], self.quantity[index], volume, original, cv)

    def positions(self) -> np.ndarray:
        return np.arange(len(self.local)) if self.original is None else self.original


def aggregate(table, energy_type: str, labels: Labels, ctx: KernelContext, trace: bool = False, explain: bool = False):
    """Monthly totals per meter of one table of readings (columns meter, from, value, unitCode); raises
    CalculationError naming the file, record and rule (`labels` names each table row).

    `table` is a pyarrow Table, or a function returning one. The work runs in cache-sized
    steps that end on meter boundaries, so each (meter, month) total is one `np.bincount`
    over its readings in time order. A table sorted by meter and time with no repeated
    half-hours (the portfolio layout's norm) is never sorted or copied. With `trace`, also
    returns which rows were used (a Trace). With `explain`, each row of the result also gives
    every input and step of the methodology over the month: `sum:NAME`, `min:NAME`, `max:NAME`.
    """
    t = ctx.types[energy_type]
    with under(t.ref):
        return _aggregate(table, t, labels, ctx, trace, explain)


def _aggregate(table, t: TypeContext, labels: Labels, ctx: KernelContext, trace: bool, explain: bool):
    energy_type = t.energy_type
    if callable(table):  # a loader: then this frame holds the only reference and can free the Arrow buffers early
        table = table()
    if table.num_rows == 0:
        return (empty_result(), Trace(np.zeros(0, np.int64), np.zeros(0, np.int64))) if trace else empty_result()
    _check_no_nulls(table, labels)
    meters = _Meters.of(table, t, energy_type, labels)
    units = _Units.of(table, energy_type, labels)
    rows, ordered = _Reader(table, meters, units, labels).read(table)
    here = meters.here
    del table, meters, units  # the Arrow buffers are no longer needed once the columns are in `rows`
    repeats = None
    if not ordered:
        rows, repeats = deduplicate(rows, labels, energy_type, lambda k: t.meter_ids[here[k]])
    rows, repeats = _inside(rows, repeats, ctx.window)
    if not len(rows.local):
        return (empty_result(), Trace(np.zeros(0, np.int64), np.zeros(0, np.int64))) if trace else empty_result()
    result = _monthly(rows, repeats, t, ctx, labels, here, explain)
    if not trace:
        return result
    return result, Trace(rows.positions(), repeats.positions() if repeats is not None else np.zeros(0, np.int64))


def _check_no_nulls(table, labels: Labels) -> None:
    for name in ("meter", "from", "value", "unitCode"):
        if table.column(name).null_count:
            empty = np.asarray(table.column(name).is_null().to_numpy(zero_copy_only=False))
            raise_if([labels.breach(empty, "readable-input", lambda i, c=name: f"the reading has no {c}")])


def _dictionary(column: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """Row codes into a small dictionary of distinct values, without turning every row into a Python object."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    column = column.unify_dictionaries() if isinstance(column, pa.ChunkedArray) else column
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    if not chunks:
        return np.zeros(0, dtype=np.int64), []
    dictionary = chunks[0].dictionary.to_pylist()
    codes = (
        np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
        if len(chunks) > 1
        else chunks[0].indices.to_numpy(zero_copy_only=False)
    )
    return codes, dictionary


@dataclass
class _Meters:
    """The table's meter column as codes into its few distinct ids, and those ids as the type's meters."""

    codes: np.ndarray
    local_of_code: np.ndarray  # int32: the code's meter numbered within the table
    here: np.ndarray  # the type's meters present, by their position in TypeContext.meter_ids (sorted)
    codes_are_local: bool

    @classmethod
    def of(cls, table, t: TypeContext, energy_type: str, labels: Labels) -> _Meters:
        codes, ids = _dictionary(table.column("meter"))
        positions = t.meter_position  # a dict: a few dozen look-ups per file, cheaper than a pandas index join
        global_of_code = np.array([positions.get(str(m), -1) for m in ids], dtype=np.int64)
        if (global_of_code < 0).any():
            raise_if(
                [
                    labels.breach(
                        (global_of_code < 0)[codes],
                        "known-meter",
                        lambda i: f"meter {ids[codes[i]]!r} has no {energy_type} row in the meters table",
                    )
                ]
            )
        here = np.unique(global_of_code)
        local_of_code = np.searchsorted(here, global_of_code).astype(np.int32)
        # A file written meter by meter has its ids' dictionary in meters-table order: the codes are then the
        # local numbers themselves, and the rows need not be translated.
        codes_are_local = bool((local_of_code == np.arange(len(local_of_code))).all())
        return cls(
            codes.astype(np.int32, copy=False) if codes_are_local else codes, local_of_code, here, codes_are_local
        )


@dataclass
class _Units:
    """The table's unitCode column as codes, with the code (if any) of WHR and of MTQ."""

    codes: np.ndarray
    wh_code: int
    volume_code: int

    @classmethod
    def of(cls, table, energy_type: str, labels: Labels) -> _Units:
        codes, units = _dictionary(table.column("unitCode"))
        unit_of_code = np.array([UNITS.index(u) if u in UNITS else -1 for u in units], dtype=np.int8)
        if (unit_of_code < 0).any():
            raise_if(
                [
                    labels.breach(
                        (unit_of_code < 0)[codes],
                        "known-unit",
                        lambda i: f"unitCode {units[codes[i]]!r} is not one of {', '.join(UNITS)}",
                    )
                ]
            )
        if len(set(unit_of_code.tolist())) < len(unit_of_code):  # a unit twice in the dictionary: recode the rows once
            codes, unit_of_code = unit_of_code.take(codes).astype(np.int32), np.arange(len(UNITS), dtype=np.int8)
        # Each unit now has at most one code, so "is WHR" / "is MTQ" is one comparison of the row's code.
        wh_code = int(np.flatnonzero(unit_of_code == WHR)[0]) if (unit_of_code == WHR).any() else -1
        volume_code = int(np.flatnonzero(unit_of_code == MTQ)[0]) if (unit_of_code == MTQ).any() else -1
        if energy_type == "electricity" and volume_code >= 0:  # the dictionary may list MTQ without a row using it
            raise_if(
                [
                    labels.breach(
                        codes == volume_code,
                        "no-volume-for-electricity",
                        lambda i: "electricity in MTQ (cubic metres); electricity is measured in KWH or WHR",
                    )
                ]
            )
        return cls(codes, wh_code, volume_code)


_SCRATCH = threading.local()


def _scratch(name: str, n: int, dtype) -> np.ndarray:
    """A per-thread buffer of n rows, reused from table to table. Allocating these columns afresh for
    every file let glibc return the freed pages to the kernel and fault them in again for the next file: on
    2 cores a fifth of the run went to page faults. Only `aggregate` uses them, and nothing it returns is a view."""
    buffer = getattr(_SCRATCH, name, None)
    if buffer is None or len(buffer) < n:
        buffer = np.empty(n, dtype=dtype)
        setattr(_SCRATCH, name, buffer)
    return buffer[:n]


class _Reader:
    """Reads a table's rows into the kernel's columns, step by step (the steps' arrays stay in the CPU cache):
    half-hours, quantities (kWh or m³) and meter numbers, each step checked, and whether the rows are strictly
    in meter-then-time order. Record batch by record batch, so that the Arrow columns are read in place."""

    def __init__(self, table, meters: _Meters, units: _Units, labels: Labels):
        n = table.num_rows
        stamp_type = table.schema.field("from").type
        if not pa.types.is_timestamp(stamp_type) or stamp_type.tz is None:
            raise CalculationError(
                [
                    Breach(
                        labels.files[0],
                        "",
                        "readable-input",
                        f"column from is {stamp_type}; it must be a timestamp with a time zone (UTC)",
                    )
                ]
            )
        self.nanoseconds = NANOSECONDS[stamp_type.unit]  # per tick of the column
        self.per_half_hour = HALF_HOUR_NS // self.nanoseconds
        self.meters, self.units, self.labels = meters, units, labels
        self.local = (
            meters.codes if meters.codes_are_local else _scratch("local", n, np.int32)
        )  # 32-bit: half the traffic
        self.half_hour = _scratch("half_hour", n, np.int32)
        self.quantity = _scratch("quantity", n, np.float64)
        self.is_volume = _scratch("is_volume", n, np.bool_) if units.volume_code >= 0 else None
        self.ordered = True
        self.previous = -1  # the ordering key of the last row read

    def read(self, table) -> tuple[Rows, bool]:
        offset = 0
        for batch in table.select(["from", "value"]).to_batches():
            raw = batch.column(0).cast(pa.int64()).to_numpy()
            value = batch.column(1).to_numpy().astype(np.float64, copy=False)
            for start in range(0, len(raw), CHUNK):
                self._step(offset + start, raw[start : start + CHUNK], value[start : start + CHUNK])
            offset += len(raw)
        self._check_whole(table)
        cv = None
        if self.is_volume is not None and "calorificValue" in table.column_names:
            cv = pc.cast(table.column("calorificValue"), pa.float64()).to_numpy(zero_copy_only=False)  # nulls as NaN
        return Rows(self.local, self.half_hour, self.quantity, self.is_volume, cv=cv), self.ordered

    def _step(self, lo: int, r: np.ndarray, v: np.ndarray) -> None:
        hi = lo + len(r)
        hh = r // self.per_half_hour
        if not np.array_equal(hh * self.per_half_hour, r) or not (v.min() >= 0):  # NaN fails the second test
            self._refuse(lo, r, v, hh)
        meters = self.meters
        loc = (
            meters.codes[lo:hi]
            if meters.codes_are_local
            else meters.local_of_code.take(meters.codes[lo:hi], out=self.local[lo:hi])
        )
        key = loc.astype(np.int64) << KEY_SHIFT
        key += hh
        if self.ordered and not (key[0] > self.previous and (key[1:] > key[:-1]).all()):
            self.ordered = False  # unsorted, or a half-hour repeated: sort and deduplicate later
        self.previous = key[-1]
        self.half_hour[lo:hi] = hh
        q = self.quantity[lo:hi]
        q[:] = v
        uc = self.units.codes[lo:hi]
        if self.units.wh_code >= 0:
            in_wh = uc == self.units.wh_code
            if in_wh.any():
                np.divide(
                    v, 1000.0, out=q, where=in_wh
                )  # WHR to kWh; x / 1.0 would be x, so others are copied as they are
        if self.is_volume is not None:
            np.equal(uc, self.units.volume_code, out=self.is_volume[lo:hi])

    def _refuse(self, lo: int, r: np.ndarray, v: np.ndarray, hh: np.ndarray) -> None:
        at = self.labels.at(np.arange(lo, lo + len(r)))
        raise_if(
            [
                at.breach(
                    hh * self.per_half_hour != r,
                    "half-hour-boundaries",
                    lambda i: (
                        f"the reading from {z(int(r[i]) * self.nanoseconds)} does not start on a UTC half-hour boundary"
                    ),
                ),
                at.breach(np.isnan(v), "readable-input", lambda i: f"value {v[i]} is not a number"),
                at.breach(v < 0, "non-negative", lambda i: f"value {v[i]} is negative"),
            ]
        )

    def _check_whole(self, table) -> None:
        """Infinities (in kWh after the conversion), and instants the ordering key cannot hold."""
        if not np.isfinite(self.quantity.max()):
            values = table.column("value").to_numpy()
            raise_if(
                [
                    self.labels.breach(
                        ~np.isfinite(self.quantity), "readable-input", lambda i: f"value {values[i]} is not a number"
                    )
                ]
            )
        half_hour = self.half_hour
        if (
            int(half_hour.min()) < 0 or int(half_hour.max()) >= 1 << KEY_SHIFT
        ):  # the key packs the half-hour into 22 bits
            raw = table.column("from").cast(pa.int64()).to_numpy()
            raise_if(
                [
                    self.labels.breach(
                        (half_hour < 0) | (half_hour >= 1 << KEY_SHIFT),
                        "readable-input",
                        lambda i: f"the reading from {z(int(raw[i]) * self.nanoseconds)} is outside 1970-2209",
                    )
                ]
            )


def deduplicate(rows: Rows, labels: Labels, energy_type: str, meter_id) -> tuple[Rows, Rows | None]:
    """The rows in a total order (meter, half-hour, kind, quantity) with each (meter, half-hour) once, and the
    repeats dropped. A repeat must agree with the first (same kind of quantity, same amount in kWh or m³);
    otherwise the calculation stops. `meter_id(k)` is the id of meter number k."""
    n = len(rows.local)
    key = (rows.local.astype(np.int64) << KEY_SHIFT) + rows.half_hour
    kind = rows.is_volume if rows.is_volume is not None else np.zeros(n, dtype=bool)
    order = np.lexsort((rows.quantity, kind, key))
    key = key[order]
    rows = rows.take(order)
    repeat = np.zeros(n, dtype=bool)
    repeat[1:] = key[1:] == key[:-1]
    if not repeat.any():
        return rows, None
    first = np.maximum.accumulate(np.where(repeat, 0, np.arange(n)))  # position of each row's first reading
    kind = rows.is_volume if rows.is_volume is not None else np.zeros(n, dtype=bool)
    conflict = repeat & (
        (kind != kind[first]) | ~np.isclose(rows.quantity[first], rows.quantity, rtol=1e-9, atol=1e-12)
    )
    at = labels.at(rows.original)

    def amount(i: int) -> str:
        return f"{rows.quantity[i]} {'m³' if kind[i] else 'kWh'}"

    def describe(i: int) -> str:
        meter = meter_id(rows.local[i])
        return (
            f"the {energy_type} half-hour from {z_half_hour(rows.half_hour[i])}{f' of meter {meter!r}' if meter else ''} "
            f"is {amount(i)} here, which disagrees with {at.records[first[i]]} of {at.files[first[i]]} ({amount(first[i])})"
        )

    raise_if([at.breach(conflict, "no-conflicting-duplicates", describe)])
    return rows.take(~repeat), rows.take(repeat)


def _inside(rows: Rows, repeats: Rows | None, window) -> tuple[Rows, Rows | None]:
    start, end = window
    low, high = int(rows.half_hour.min()), int(rows.half_hour.max())
    if (start is None or low >= start) and (end is None or high < end):
        return rows, repeats

    def inside(half_hour):
        keep = np.ones(len(half_hour), dtype=bool)
        if start is not None:
            keep &= half_hour >= start
        if end is not None:
            keep &= half_hour < end
        return keep

    return rows.take(inside(rows.half_hour)), repeats.take(inside(repeats.half_hour)) if repeats is not None else None


@lru_cache(maxsize=16)
def _month_table(low: int, span: int) -> np.ndarray:
    """Months since 1970 of each half-hour from `low` (a small table, gathered from per reading). Tables of
    one portfolio usually cover the same span, so it is made once and shared (read-only)."""
    instants = (np.arange(low, low + span, dtype=np.int64) * 30).astype("datetime64[m]")
    months = (instants.astype("datetime64[M]") - EPOCH_MONTH).astype(np.int64)
    months.flags.writeable = False
    return months


def consumption_inputs(m, is_volume: np.ndarray | None, labels: Labels) -> list[str]:
    """The consumption inputs the methodology names, which the calculator supplies per reading (refused when
    it names another, or when volume readings reach a methodology without a volume input)."""
    wanted = [name for name, source in m.input_sources.items() if source == "consumption"]
    unknown = [name for name in wanted if name not in CONSUMPTION_INPUTS]
    if unknown:
        raise CalculationError(
            [
                Breach(
                    str(m.path),
                    "",
                    "readable-input",
                    f"consumption input(s) {', '.join(unknown)} are not known to the calculator "
                    f"(it supplies {', '.join(CONSUMPTION_INPUTS)})",
                )
            ]
        )
    if is_volume is not None and is_volume.any() and "volume_m3" not in wanted:
        raise_if(
            [
                labels.breach(
                    is_volume, "known-unit", lambda i: f"{m.ref} takes no gas volume (MTQ); give energy in KWH or WHR"
                )
            ]
        )
    return wanted


@dataclass
class _Inputs:
    """Small per-half-hour and per-meter tables of one table's span, from which a step gathers its inputs."""

    low: int  # the first half-hour; table positions count from it
    month: np.ndarray  # per position: month since 1970, minus first_month
    first_month: int
    month_count: int
    consumption: list[str]
    sources: dict[str, str]
    factor: np.ndarray | None = None  # per position
    intensity_base: np.ndarray | None = None  # per meter: flat index of the half-hour `low` in the intensity matrix
    intensity: np.ndarray | None = None  # the flat intensity matrix
    cv_of_meter: np.ndarray | None = None  # per meter of the table
    cv_of_row: np.ndarray | None = None  # per row, where readings carry their own values
    cv_bits: np.ndarray | None = None  # per row: 1 << the place the value came from (0 for readings in kWh)

    def step(self, rows: Rows, lo: int, hi: int) -> tuple[bool, object, dict]:
        """The methodology's inputs for rows lo..hi, and how the step's per-half-hour tables are read.

        Half-hours rise strictly within a meter, so a step of one meter whose first and last half-hours are
        n - 1 apart has every half-hour between them: its per-half-hour inputs are then slices (views) of
        the small tables, not gathers. `where` is that slice, or the rows' positions otherwise."""
        loc, q = rows.local[lo:hi], rows.quantity[lo:hi]
        vol = rows.is_volume[lo:hi] if rows.is_volume is not None else None
        single = bool(loc[0] == loc[-1])  # steps start and end on meter boundaries
        p0 = int(rows.half_hour[lo]) - self.low
        where = (
            slice(p0, p0 + hi - lo)
            if single and int(rows.half_hour[hi - 1]) - self.low - p0 == hi - lo - 1
            else rows.half_hour[lo:hi] - self.low
        )
        energy = np.where(vol, 0.0, q) if vol is not None else q
        inputs = {
            name: (np.where(vol, q, 0.0) if vol is not None else np.zeros(hi - lo)) if name == "volume_m3" else energy
            for name in self.consumption
        }
        for name, source in self.sources.items():
            if source != "consumption":
                inputs[name] = self._gather(source, loc, vol, single, where, lo, hi)
        return single, where, inputs

    def _gather(self, source: str, loc, vol, single: bool, where, lo: int, hi: int) -> np.ndarray:
        if source == "grid-intensity":
            assert (
                self.intensity is not None and self.intensity_base is not None
            )  # made by _inputs for such a methodology
            if single:  # one region row: a scalar offset into the flat matrix
                return per_position(self.intensity, where, int(self.intensity_base[loc[0]]))
            cell = self.intensity_base.take(loc)
            cell += where
            return self.intensity.take(cell)
        if source == "emission-factors":
            assert self.factor is not None
            return per_position(self.factor, where)
        if vol is None:  # calorific-value: only volume readings need one
            return np.zeros(hi - lo)
        if self.cv_of_row is not None:
            return np.where(vol, self.cv_of_row[lo:hi], 0.0)
        assert self.cv_of_meter is not None
        return np.where(vol, self.cv_of_meter.take(loc), 0.0)


def per_position(table: np.ndarray, where, offset: int = 0) -> np.ndarray:
    if isinstance(where, slice):
        return table[where.start + offset : where.stop + offset]
    return table.take(where + offset if offset else where)


def _inputs(rows: Rows, t: TypeContext, ctx: KernelContext, labels: Labels, here: np.ndarray) -> _Inputs:
    """The small tables of the rows' span, each checked by its rule before any step runs."""
    m = t.methodology
    at = labels.at(rows.original)
    low, high = int(rows.half_hour.min()), int(rows.half_hour.max())
    months = _month_table(low, high - low + 1)
    first_month = int(months[0])
    found = _Inputs(
        low,
        months - first_month,
        first_month,
        int(months[-1]) - first_month + 1,
        consumption_inputs(m, rows.is_volume, at),
        m.input_sources,
    )
    if m.uses("emission-factors"):
        found.factor = factors_by_month(t.factors, months, lambda: rows.half_hour - low, at)
    if m.uses("grid-intensity"):
        found.intensity_base = ctx.intensity.base(
            m, t.region_row[here], lambda k: t.meter_ids[here[k]], rows.local, rows.half_hour, low, high, at
        )
        assert ctx.intensity.matrix is not None  # base() refuses the readings when there is none
        found.intensity = ctx.intensity.matrix.ravel()
    if m.uses("calorific-value") and t.calorific is not None and rows.is_volume is not None:
        _calorific_values(found, m, rows, t.calorific, here, at)
    return found


def _calorific_values(found: _Inputs, m, rows: Rows, meters: CalorificValues, here: np.ndarray, at: Labels) -> None:
    """Each volume reading's calorific value, from its meter (the fast path) or, where the table gives readings
    their own, per reading; a reading that needs one and has none usable is refused."""
    assert rows.is_volume is not None  # called only when some reading is in m³
    if rows.cv is None:
        if meters.unusable[
            here
        ].any():  # some meter here cannot serve a volume reading: does one of its readings need it?
            needs = np.zeros(len(meters.value), dtype=bool)
            needs[here[rows.local[rows.is_volume]]] = True
            calorific.check(m, meters, needs)
        found.cv_of_meter = meters.value[here]
        return
    values = calorific.of_readings(m, meters, rows.cv, here[rows.local], at)
    calorific.check(m, values, rows.is_volume)
    found.cv_of_row = values.value
    found.cv_bits = np.where(rows.is_volume, np.left_shift(1, values.choice.astype(np.int64)), 0)


def _meter_steps(local: np.ndarray, meters: int, count: int):
    """Row ranges of about CHUNK rows that start and end on a meter boundary (`local` is sorted).
    A meter with more than CHUNK rows is a step of its own."""
    starts = np.searchsorted(local, np.arange(meters, dtype=local.dtype))
    wanted = np.searchsorted(starts, np.arange(CHUNK, count, CHUNK))
    cuts = np.unique(np.r_[0, starts[wanted[wanted < len(starts)]], count])
    return zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)


def _emissions_breach(m, emissions: np.ndarray, lo: int, hi: int, rows: Rows, labels: Labels) -> None:
    # Emissions are never negative (a Quantity's rule); a methodology edit could break that, so check.
    at = labels.at(rows.original[lo:hi] if rows.original is not None else np.arange(lo, hi))
    raise_if(
        [
            at.breach(
                ~((emissions >= 0) & (emissions < np.inf)),
                "non-negative",
                lambda i: f"the steps of {m.path} give {emissions[i]} kg for this reading",
            )
        ]
    )


def _monthly(
    rows: Rows,
    repeats: Rows | None,
    t: TypeContext,
    ctx: KernelContext,
    labels: Labels,
    here: np.ndarray,
    explain: bool = False,
) -> pd.DataFrame:
    """Run the methodology's steps step by step and sum them per (meter, month). Steps end where a meter ends,
    so each (meter, month) bin is summed by one bincount, in time order."""
    m = t.methodology
    tables = _inputs(rows, t, ctx, labels, here)
    sums = _Sums(len(here) * tables.month_count, own_cv=tables.cv_of_row is not None)
    for lo, hi in _meter_steps(rows.local, len(here), len(rows.half_hour)):
        single, where, inputs = tables.step(rows, lo, hi)
        every = m.every_value(inputs) if explain else None
        emissions = every[m.document["result"]] if every is not None else m.half_hour_emissions(inputs)
        if not emissions.min() >= 0:  # NaN fails too; infinities show in the totals, checked below
            _emissions_breach(m, emissions, lo, hi, rows, labels)
        bins, base = _bins(tables, rows, lo, hi, single, where)
        sums.add(rows, tables, lo, hi, bins, base, emissions, every)
    if not np.isfinite(sums.total).all():
        for lo, hi in _meter_steps(
            rows.local, len(here), len(rows.half_hour)
        ):  # find the reading; only when something is wrong
            emissions = m.half_hour_emissions(tables.step(rows, lo, hi)[2])
            if not np.isfinite(emissions).all():
                _emissions_breach(m, emissions, lo, hi, rows, labels)
    return sums.frame(here, tables, repeats)


def _bins(tables: _Inputs, rows: Rows, lo: int, hi: int, single: bool, where) -> tuple[np.ndarray, int]:
    """The (meter, month) cell of each row of a step, rising through the step (meter, then time), counted from
    `base`. One meter's bins are its months (a slice of the month table); a step of several meters counts from
    its first bin."""
    if single:
        return per_position(tables.month, where), int(rows.local[lo]) * tables.month_count
    bins = rows.local[lo:hi] * tables.month_count
    bins += per_position(tables.month, where)
    base = int(bins[0])
    bins -= base
    return bins, base


class _Sums:
    """The per (meter, month) sums of one table: emissions, readings present, readings in m³, first and last
    half-hour, and, where readings carry calorific values or an explanation is asked for, those sums too."""

    def __init__(self, size: int, own_cv: bool):
        self.size = size
        self.total = np.zeros(size)
        self.present = np.zeros(size, dtype=np.int64)
        self.volume = np.zeros(size, dtype=np.int64)
        self.first = np.zeros(size, dtype=np.int64)
        self.last = np.zeros(size, dtype=np.int64)
        self.cv = {name: np.zeros(size) for name in ("cv_weighted", "cv_volume", "cv_plain")} if own_cv else {}
        self.cv_choices = np.zeros(size, dtype=np.int64)
        self.explained: dict[str, np.ndarray] = {}

    def add(self, rows: Rows, tables: _Inputs, lo: int, hi: int, bins: np.ndarray, base: int, emissions, every) -> None:
        low_bin, high_bin = int(bins[0]), int(bins[-1])
        cells = slice(base + low_bin, base + high_bin + 1)
        self.total[cells] += np.bincount(bins, weights=emissions, minlength=high_bin + 1)[low_bin:]
        # Bins rise, so each is one run of rows: where each run starts, by binary search (no pass over the rows).
        starts = np.searchsorted(bins, np.arange(low_bin, high_bin + 2))
        filled = np.flatnonzero(starts[1:] != starts[:-1])
        begins, ends = starts[filled], starts[filled + 1]
        at = base + low_bin + filled
        self.present[at] = ends - begins
        if rows.is_volume is not None:
            self.volume[at] = np.add.reduceat(
                rows.is_volume[lo:hi].view(np.int8), begins, dtype=np.int64
            )  # integers: exact in any order
        self.first[at] = rows.half_hour[lo + begins]
        self.last[at] = rows.half_hour[lo + ends - 1]
        if self.cv:
            assert rows.is_volume is not None and tables.cv_of_row is not None and tables.cv_bits is not None
            vol, q, cv = rows.is_volume[lo:hi], rows.quantity[lo:hi], tables.cv_of_row[lo:hi]
            for name, weights in (
                ("cv_weighted", np.where(vol, q * cv, 0.0)),
                ("cv_volume", np.where(vol, q, 0.0)),
                ("cv_plain", np.where(vol, cv, 0.0)),
            ):
                self.cv[name][cells] += np.bincount(bins, weights=weights, minlength=high_bin + 1)[low_bin:]
            self.cv_choices[at] = np.bitwise_or.reduceat(tables.cv_bits[lo:hi], begins)
        for name, values in (every or {}).items():  # the sum, least and greatest of each input and step
            for kind in ("sum", "min", "max"):
                self.explained.setdefault(
                    f"{kind}:{name}", np.zeros(self.size) if kind == "sum" else np.full(self.size, np.nan)
                )
            self.explained[f"sum:{name}"][cells] += np.bincount(bins, weights=values, minlength=high_bin + 1)[low_bin:]
            self.explained[f"min:{name}"][at] = np.minimum.reduceat(values, begins)
            self.explained[f"max:{name}"][at] = np.maximum.reduceat(values, begins)

    def frame(self, here: np.ndarray, tables: _Inputs, repeats: Rows | None) -> pd.DataFrame:
        """One row per (meter, month) with readings (RESULT_COLUMNS, and any explanation)."""
        month_count = tables.month_count
        duplicates = np.zeros(self.size, np.int64)
        if repeats is not None and len(repeats.local):
            duplicates = np.bincount(
                repeats.local.astype(np.int64) * month_count + tables.month[repeats.half_hour - tables.low],
                minlength=self.size,
            )
        filled = np.flatnonzero(self.present)
        none = np.zeros(len(filled))
        return pd.DataFrame(
            {
                "meter": here[filled // month_count],
                "month": filled % month_count + tables.first_month,
                "total": self.total[filled],
                "present": self.present[filled],
                "duplicates": duplicates[filled],
                "volume": self.volume[filled],
                "first": self.first[filled],
                "last": self.last[filled],
                **{
                    name: self.cv[name][filled] if self.cv else none
                    for name in ("cv_weighted", "cv_volume", "cv_plain")
                },
                "cv_choices": self.cv_choices[filled],
                **{name: values[filled] for name, values in self.explained.items()},
            }
        )


def lean(t: TypeContext) -> TypeContext:
    """The context without the factor sets themselves, for the kernel (what it sends to Dask workers)."""
    return replace(t, factors=FactorTable(t.factors.years, t.factors.values, {}, t.factors.rule))
