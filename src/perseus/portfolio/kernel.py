"""The vectorised kernel: one readings partition in, monthly totals per meter out.

The arithmetic is the methodology's own: its compiled steps
(`Methodology.half_hour_emissions`) run over the partition's columns in
cache-sized steps of whole meters, with inputs gathered by half-hour index (grid
intensity from the region × half-hour matrix, the emission factor from a
per-half-hour table built from the factor-set rule, the calorific value per
meter). Each meter's monthly total comes from one `np.bincount` over its
readings sorted by time, which adds the month's half-hours in the same order as
the single-meter calculator, so the sums are bit for bit the same. There is no
Python loop over meters or readings, only one over steps of about 16,000 rows.

The same function serves the local engine (a loop over partitions) and the Dask
engine (`map_partitions`).
"""

from __future__ import annotations

from dataclasses import dataclass
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from perseus.calculator.errors import Breach, CalculationError, breach_for_rows, raise_if
from perseus.portfolio.layout import HALF_HOUR_NS, Repeat, RowLabels

UNIT_CODES = {"KWH": 0, "WHR": 1, "MTQ": 2}
UNITS_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
EPOCH_MONTH = np.datetime64("1970-01", "M")

# One row per (meter, month) with readings: the partition's contribution to the reports.
RESULT_COLUMNS = {
    "meter": np.int64,  # position of the meter among the meters table's rows of this energy type
    "month": np.int64,  # months since 1970-01
    "total": np.float64,  # kg CO2e, unrounded
    "present": np.int64,
    "duplicates": np.int64,
    "volume": np.int64,  # readings in m³ (these need a calorific value)
    "first": np.int64,  # first and last half-hour with a reading (half-hours since 1970)
    "last": np.int64,
}


def empty_result() -> pd.DataFrame:
    return pd.DataFrame({name: np.zeros(0, dtype=kind) for name, kind in RESULT_COLUMNS.items()})


@dataclass
class TypeContext:
    """What the kernel needs to know about one energy type; plain data, so it pickles to Dask workers."""

    energy_type: str
    methodology_path: str
    methodology_document: dict
    meter_ids: list[str]  # the meters table's rows of this type, in order
    region_row: np.ndarray  # per meter: row of the intensity matrix, -1 without one
    calorific_value: np.ndarray  # per meter: MJ/m³ after the calorific-value rule (NaN if none)
    factor_years: np.ndarray  # years with a usable factor set, sorted
    factor_values: np.ndarray  # the factor of each of those years
    reject_substitute: bool = False  # factor rule whenMissing: reject

    @property
    def methodology(self):
        key = (self.methodology_path, repr(self.methodology_document))
        if key not in _COMPILED:
            _COMPILED[key] = _compile(self.methodology_path, self.methodology_document)
        return _COMPILED[key]

    @property
    def meter_position(self) -> dict[str, int]:
        return _positions(tuple(self.meter_ids))


@dataclass
class KernelContext:
    types: dict[str, TypeContext]
    intensity_matrix: np.ndarray | None = None  # float64 (regions, half-hours), NaN where missing
    intensity_first: int = 0  # half-hour of column 0
    intensity_name: str = ""
    window: tuple[int | None, int | None] = (None, None)  # half-hours [start, end)


_COMPILED: dict = {}  # compiled methodologies per worker process (their steps are closures, which do not pickle)


def _compile(path: str, document: dict):
    from perseus.methodology.documents import Methodology, _check_consistency

    methodology = Methodology(Path(path), document)
    _check_consistency(methodology)  # compiles the steps, exactly as loading the file does
    return methodology


@lru_cache(maxsize=8)
def _positions(ids: tuple[str, ...]) -> dict[str, int]:
    """Row of each meter id (the first, if listed twice), built once per meters table."""
    positions: dict[str, int] = {}
    for k, meter in enumerate(ids):
        positions.setdefault(meter, k)
    return positions


def _dictionary(column: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """Row codes into a small dictionary of distinct values, without turning every row into a Python object."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    column = column.unify_dictionaries() if isinstance(column, pa.ChunkedArray) else column
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    if not chunks:
        return np.zeros(0, dtype=np.int64), []
    dictionary = chunks[0].dictionary.to_pylist()
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks]) if len(chunks) > 1 \
        else chunks[0].indices.to_numpy(zero_copy_only=False)
    return codes, dictionary


_SCRATCH = threading.local()


def _scratch(name: str, n: int, dtype) -> np.ndarray:
    """A per-thread buffer of n rows, reused from partition to partition. Allocating these columns afresh for
    every file let glibc return the freed pages to the kernel and fault them in again for the next file: on
    2 cores a fifth of the run went to page faults. Only `aggregate` uses them, and nothing it returns is a view."""
    buffer = getattr(_SCRATCH, name, None)
    if buffer is None or len(buffer) < n:
        buffer = np.empty(n, dtype=dtype)
        setattr(_SCRATCH, name, buffer)
    return buffer[:n]


CHUNK = 1 << 14  # rows per step: every intermediate array of a step stays in the CPU cache
KEY_SHIFT = 22  # half-hours since 1970 stay below 2**22 until the year 2209


def aggregate(table, energy_type: str, partition: str, ctx: KernelContext) -> pd.DataFrame:
    """Monthly totals per meter of one partition; raises CalculationError naming partition, row and rule.

    `table` is a pyarrow Table, or a function returning one. Checks run on the small
    dictionaries of ids and units where they can, and on whole columns otherwise. The
    per-reading work runs in cache-sized steps that end on meter boundaries, so each
    (meter, month) total is one `np.bincount` over its readings in row order, exactly as
    the single-meter calculator adds them. A file sorted by meter and time with no
    repeated half-hours (the layout's norm) is never sorted or copied.
    """
    if callable(table):  # a loader: then this frame holds the only reference and can free the Arrow buffers early
        table = table()
    t = ctx.types.get(energy_type)
    n = table.num_rows
    if n == 0:
        return empty_result()
    files = Repeat(partition)
    every = RowLabels("row", 1, None)  # row labels before any reordering
    if t is None:
        raise CalculationError([Breach(partition, "row 1", "known-meter", f"the meters table lists no {energy_type} meter")])
    for name in ("meter", "from", "value", "unitCode"):
        if table.column(name).null_count:
            empty = np.asarray(table.column(name).is_null().to_numpy(zero_copy_only=False))
            raise_if([breach_for_rows(empty, files, every, "readable-input", lambda i, c=name: f"the reading has no {c}")])

    # Meters: map the partition's few distinct ids to meters-table rows, then to compact local numbers.
    codes, ids = _dictionary(table.column("meter"))
    positions = t.meter_position  # a dict: a few dozen look-ups per file, cheaper than a pandas index join
    global_of_code = np.array([positions.get(str(m), -1) for m in ids], dtype=np.int64)
    if (global_of_code < 0).any():
        raise_if([breach_for_rows((global_of_code < 0)[codes], files, every, "known-meter",
                                  lambda i: f"meter {ids[codes[i]]!r} has no {energy_type} row in the meters table")])
    meters_here = np.unique(global_of_code)
    local_of_code = np.searchsorted(meters_here, global_of_code).astype(np.int32)
    # A file written meter by meter has its ids' dictionary in meters-table order: the codes are then the
    # local numbers themselves, and phase 1 need not translate them.
    codes_are_local = bool((local_of_code == np.arange(len(local_of_code))).all())
    if codes_are_local:
        codes = codes.astype(np.int32, copy=False)

    stamp_type = table.schema.field("from").type
    if not pa.types.is_timestamp(stamp_type) or stamp_type.tz is None:
        raise CalculationError([Breach(partition, "", "readable-input",
                                       f"column from is {stamp_type}; it must be a timestamp with a time zone (UTC)")])
    per_half_hour = 1800 * UNITS_PER_SECOND[stamp_type.unit]
    unit_codes, units = _dictionary(table.column("unitCode"))
    unit_of_code = np.array([UNIT_CODES.get(u, -1) for u in units], dtype=np.int8)
    raise_if([
        breach_for_rows((unit_of_code < 0)[unit_codes], files, every, "known-unit",
                        lambda i: f"unitCode {units[unit_codes[i]]!r} is not one of {', '.join(UNIT_CODES)}")
        if (unit_of_code < 0).any() else None,
    ])
    if len(set(unit_of_code.tolist())) < len(unit_of_code):  # a unit twice in the dictionary: recode the rows once
        unit_codes, units, unit_of_code = unit_of_code.take(unit_codes).astype(np.int32), list(UNIT_CODES), np.arange(3, dtype=np.int8)
    # Each unit now has at most one code, so "is WHR" / "is MTQ" is one comparison of the row's code.
    wh_code = int(np.flatnonzero(unit_of_code == 1)[0]) if (unit_of_code == 1).any() else -1
    volume_code = int(np.flatnonzero(unit_of_code == 2)[0]) if (unit_of_code == 2).any() else -1
    if energy_type == "electricity" and volume_code >= 0:  # the dictionary may list MTQ without a row using it
        in_volume = unit_codes == volume_code
        if in_volume.any():
            raise_if([breach_for_rows(in_volume, files, every, "no-volume-for-electricity",
                                      lambda i: "electricity in MTQ (cubic metres); electricity is measured in KWH or WHR")])
    has_volume = volume_code >= 0

    # Phase 1, step by step: half-hours, checks, quantities, and whether the file is in meter-then-time order.
    # Record batch by record batch, so that the Arrow columns are read in place (no concatenated copies).
    local = codes if codes_are_local else _scratch("local", n, np.int32)  # 32-bit: half the traffic of int64
    half_hour = _scratch("half_hour", n, np.int32)
    quantity = _scratch("quantity", n, np.float64)
    is_volume = _scratch("is_volume", n, np.bool_) if has_volume else None
    strictly_ordered = True
    previous = -1
    offset = 0
    for batch in table.select(["from", "value"]).to_batches():
        raw = batch.column(0).cast(pa.int64()).to_numpy()
        value = batch.column(1).to_numpy().astype(np.float64, copy=False)
        for start in range(0, len(raw), CHUNK):
            lo, hi = offset + start, offset + min(start + CHUNK, len(raw))
            r, v = raw[start:start + CHUNK], value[start:start + CHUNK]
            hh = r // per_half_hour
            if not np.array_equal(hh * per_half_hour, r) or not (v.min() >= 0):  # NaN fails the second test
                rows = np.arange(lo, hi)
                raise_if([
                    breach_for_rows(hh * per_half_hour != r, files, RowLabels("row", 1, rows), "half-hour-boundaries",
                                    lambda i: f"the reading from {_iso_raw(r[i], stamp_type.unit)} does not start on a UTC half-hour boundary"),
                    breach_for_rows(np.isnan(v), files, RowLabels("row", 1, rows), "readable-input", lambda i: f"value {v[i]} is not a number"),
                    breach_for_rows(v < 0, files, RowLabels("row", 1, rows), "non-negative", lambda i: f"value {v[i]} is negative"),
                ])
            loc = codes[lo:hi] if codes_are_local else local_of_code.take(codes[lo:hi], out=local[lo:hi])
            key = loc.astype(np.int64) << KEY_SHIFT
            key += hh
            if strictly_ordered and not (key[0] > previous and (key[1:] > key[:-1]).all()):
                strictly_ordered = False  # unsorted, or a half-hour repeated: sort and deduplicate below
            previous = key[-1]
            half_hour[lo:hi] = hh
            q = quantity[lo:hi]
            q[:] = v
            uc = unit_codes[lo:hi]
            if wh_code >= 0:
                in_wh = uc == wh_code
                if in_wh.any():
                    np.divide(v, 1000.0, out=q, where=in_wh)  # WHR to kWh; x / 1.0 would be x, so others are copied as they are
            if has_volume:
                np.equal(uc, volume_code, out=is_volume[lo:hi])
        offset += len(raw)
    if not np.isfinite(quantity.max()):
        raise_if([breach_for_rows(~np.isfinite(quantity), files, every, "readable-input",
                                  lambda i: f"value {_values(table)[i]} is not a number")])
    low, high = int(half_hour.min()), int(half_hour.max())
    if low < 0 or high >= 1 << KEY_SHIFT:  # the ordering key packs the half-hour into 22 bits
        raw = table.column("from").cast(pa.int64()).to_numpy()
        raise_if([breach_for_rows((half_hour < 0) | (half_hour >= 1 << KEY_SHIFT), files, every, "readable-input",
                                  lambda i: f"the reading from {_iso_raw(raw[i], stamp_type.unit)} is outside 1970-2209")])
    del raw, value, codes, unit_codes
    table = None  # the Arrow buffers are no longer needed once the columns are in `quantity` and friends

    original = None  # file rows of the reordered arrays, made only when something reorders them
    duplicates_at = None
    if not strictly_ordered:
        local, half_hour, quantity, is_volume, original, duplicates_at = _sort_and_deduplicate(
            local, half_hour, quantity, is_volume, files, energy_type, t, meters_here)

    start, end = ctx.window
    if (start is not None and low < start) or (end is not None and high >= end):
        inside = np.ones(len(half_hour), dtype=bool)
        if start is not None:
            inside &= half_hour >= start
        if end is not None:
            inside &= half_hour < end
        original = np.flatnonzero(inside) if original is None else original[inside]
        local, half_hour, quantity = local[inside], half_hour[inside], quantity[inside]
        is_volume = is_volume[inside] if is_volume is not None else None
        if duplicates_at is not None:
            d_inside = np.ones(len(duplicates_at[1]), dtype=bool)
            if start is not None:
                d_inside &= duplicates_at[1] >= start
            if end is not None:
                d_inside &= duplicates_at[1] < end
            duplicates_at = (duplicates_at[0][d_inside], duplicates_at[1][d_inside])
        if not len(half_hour):
            return empty_result()
        low, high = int(half_hour.min()), int(half_hour.max())

    # Small per-half-hour and per-meter tables, gathered from in phase 2.
    methodology = t.methodology
    sources = methodology.input_sources
    months_of_span = _month_table(low, high - low + 1)
    first_month = int(months_of_span[0])
    month_count = int(months_of_span[-1]) - first_month + 1
    month_of_position = months_of_span - first_month
    size = len(meters_here) * month_count
    factor_of_position = None
    if "emission-factors" in sources.values():
        factor_of_position = _factors(t, months_of_span, half_hour, low, files, RowLabels("row", 1, original))
    intensity_base = None
    if "grid-intensity" in sources.values():
        intensity_base = _intensity_base(ctx, t, meters_here, local, half_hour, low, high, files, RowLabels("row", 1, original), methodology)
    cv_of_local = t.calorific_value[meters_here]
    wanted = _wanted_consumption(methodology, is_volume, files, RowLabels("row", 1, original))

    # Phase 2, step by step: the methodology's steps, then monthly sums. Steps end where a meter ends, so
    # each (meter, month) bin is summed by one bincount, in row order: the single-meter calculator's sums.
    total = np.zeros(size)
    present = np.zeros(size, dtype=np.int64)
    volume = np.zeros(size, dtype=np.int64)
    first = np.zeros(size, dtype=np.int64)
    last = np.zeros(size, dtype=np.int64)
    count = len(half_hour)
    flat_intensity = ctx.intensity_matrix.ravel() if intensity_base is not None else None

    def step_inputs(lo: int, hi: int):
        """The methodology's inputs for rows lo..hi, each gathered from the small tables above.

        Half-hours rise strictly within a meter, so a step of one meter whose first and last half-hours are
        n - 1 apart has every half-hour between them: its per-half-hour inputs are then slices (views) of
        the small tables, not gathers. `where` is that slice, or the rows' positions otherwise."""
        loc, q = local[lo:hi], quantity[lo:hi]
        vol = is_volume[lo:hi] if is_volume is not None else None
        single = bool(loc[0] == loc[-1])  # steps start and end on meter boundaries
        p0 = int(half_hour[lo]) - low
        if single and int(half_hour[hi - 1]) - low - p0 == hi - lo - 1:
            where = slice(p0, p0 + hi - lo)
        else:
            where = half_hour[lo:hi] - low

        def per_half_hour(table, offset=0):
            if isinstance(where, slice):
                return table[where.start + offset:where.stop + offset]
            return table.take(where + offset if offset else where)

        inputs = {}
        energy = np.where(vol, 0.0, q) if vol is not None else q
        for name in wanted:
            inputs[name] = (np.where(vol, q, 0.0) if vol is not None else np.zeros(hi - lo)) if name == "volume_m3" else energy
        for name, source in sources.items():
            if source == "grid-intensity":
                if single:  # one region row: a scalar offset into the flat matrix
                    inputs[name] = per_half_hour(flat_intensity, int(intensity_base[loc[0]]))
                else:
                    cell = intensity_base.take(loc)
                    cell += where
                    inputs[name] = flat_intensity.take(cell)
            elif source == "emission-factors":
                inputs[name] = per_half_hour(factor_of_position)
            elif source == "calorific-value":
                inputs[name] = np.where(vol, cv_of_local.take(loc), 0.0) if vol is not None else np.zeros(hi - lo)
        return loc, single, per_half_hour, vol, inputs

    for lo, hi in _meter_steps(local, len(meters_here), count):
        loc, single, per_half_hour, vol, inputs = step_inputs(lo, hi)
        emissions = methodology.half_hour_emissions(inputs)
        if not emissions.min() >= 0:  # NaN fails too; infinities show in the totals, checked below
            _emissions_breach(emissions, lo, hi, original, files, methodology)
        # bins: (meter, month) cells in rising order through the step (meter, then time). One meter's bins
        # are its months (a slice of the month table); a step of several meters counts from its first bin.
        if single:
            bins = per_half_hour(month_of_position)
            base = int(loc[0]) * month_count
        else:
            bins = loc * month_count
            bins += per_half_hour(month_of_position)
            base = int(bins[0])
            bins -= base
        low_bin, high_bin = int(bins[0]), int(bins[-1])
        sums = np.bincount(bins, weights=emissions, minlength=high_bin + 1)[low_bin:]
        total[base + low_bin:base + high_bin + 1] += sums
        # Bins rise, so each is one run of rows: where each run starts, by binary search (no pass over the rows).
        starts = np.searchsorted(bins, np.arange(low_bin, high_bin + 2))
        filled = np.flatnonzero(starts[1:] != starts[:-1])
        begins, ends = starts[filled], starts[filled + 1]
        at = base + low_bin + filled
        present[at] = ends - begins
        if vol is not None:
            volume[at] = np.add.reduceat(vol.view(np.int8), begins, dtype=np.int64)  # integers: exact in any order
        first[at] = half_hour[lo + begins]
        last[at] = half_hour[lo + ends - 1]
    if not np.isfinite(total).all():
        for lo, hi in _meter_steps(local, len(meters_here), count):  # find the reading; only when something is wrong
            emissions = methodology.half_hour_emissions(step_inputs(lo, hi)[4])
            if not np.isfinite(emissions).all():
                _emissions_breach(emissions, lo, hi, original, files, methodology)
    duplicates = np.zeros(size, np.int64)
    if duplicates_at is not None and len(duplicates_at[0]):
        duplicates = np.bincount(duplicates_at[0] * month_count + month_of_position[duplicates_at[1] - low], minlength=size)
    filled = np.flatnonzero(present)
    return pd.DataFrame({
        "meter": meters_here[filled // month_count],
        "month": filled % month_count + first_month,
        "total": total[filled],
        "present": present[filled],
        "duplicates": duplicates[filled],
        "volume": volume[filled],
        "first": first[filled],
        "last": last[filled],
    })


def _meter_steps(local: np.ndarray, meters: int, count: int):
    """Row ranges of about CHUNK rows that start and end on a meter boundary (`local` is sorted).
    A meter with more than CHUNK rows is a step of its own."""
    starts = np.searchsorted(local, np.arange(meters, dtype=local.dtype))
    wanted = np.searchsorted(starts, np.arange(CHUNK, count, CHUNK))
    cuts = np.unique(np.r_[0, starts[wanted[wanted < len(starts)]], count])
    return zip(cuts[:-1].tolist(), cuts[1:].tolist())


def _emissions_breach(emissions, lo, hi, original, files, methodology):
    rows = RowLabels("row", 1, np.arange(lo, hi) if original is None else original[lo:hi])
    raise_if([breach_for_rows(~((emissions >= 0) & (emissions < np.inf)), files, rows, "non-negative",
                              lambda i: f"the steps of {methodology.path} give {emissions[i]} kg for this reading")])


def _sort_and_deduplicate(local, half_hour, quantity, is_volume, files, energy_type, t, meters_here):
    """The single-meter calculator's total order (meter, half-hour, kind, quantity); repeats that agree are
    dropped and counted, repeats that disagree stop the run."""
    n = len(local)
    key = (local.astype(np.int64) << KEY_SHIFT) + half_hour
    kind = is_volume if is_volume is not None else np.zeros(n, dtype=bool)
    order = np.lexsort((quantity, kind, key))
    key, local, half_hour, quantity, original = key[order], local[order], half_hour[order], quantity[order], order
    is_volume = is_volume[order] if is_volume is not None else None
    repeat = np.zeros(n, dtype=bool)
    repeat[1:] = key[1:] == key[:-1]
    if not repeat.any():
        return local, half_hour, quantity, is_volume, original, None
    first = np.maximum.accumulate(np.where(repeat, 0, np.arange(n)))  # position of each row's first reading
    kind = is_volume if is_volume is not None else np.zeros(n, dtype=bool)
    conflict = repeat & ((kind != kind[first]) | ~np.isclose(quantity[first], quantity, rtol=1e-9, atol=1e-12))
    rows = RowLabels("row", 1, original)
    raise_if([breach_for_rows(conflict, files, rows, "no-conflicting-duplicates",
                              lambda i: f"the {energy_type} half-hour from {_iso_half_hour(half_hour[i])} of meter "
                                        f"{t.meter_ids[meters_here[local[i]]]!r} disagrees with {rows[first[i]]}")])
    duplicates_at = (local[repeat], half_hour[repeat])
    keep = ~repeat
    is_volume = is_volume[keep] if is_volume is not None else None
    return local[keep], half_hour[keep], quantity[keep], is_volume, original[keep], duplicates_at


def _values(table) -> np.ndarray:
    """The value column as read (for a message: quantities are already in kWh)."""
    return table.column("value").to_numpy()


def _iso_half_hour(half_hour: int) -> str:
    return f"{pd.Timestamp(int(half_hour) * HALF_HOUR_NS, tz='UTC'):%Y-%m-%dT%H:%M:%SZ}"


def _iso_raw(value: int, unit: str) -> str:
    return f"{pd.Timestamp(int(value), unit=unit, tz='UTC'):%Y-%m-%dT%H:%M:%S.%fZ}"


@lru_cache(maxsize=16)
def _month_table(low: int, span: int) -> np.ndarray:
    """Months since 1970 of each half-hour from `low` (a small table, gathered from per reading). Files of
    one portfolio usually cover the same span, so it is made once and shared (read-only)."""
    instants = (np.arange(low, low + span, dtype=np.int64) * 30).astype("datetime64[m]")
    months = (instants.astype("datetime64[M]") - EPOCH_MONTH).astype(np.int64)
    months.flags.writeable = False
    return months


def _wanted_consumption(m, is_volume, files, rows) -> list[str]:
    """The consumption inputs the methodology names, which the calculator supplies per reading."""
    wanted = [name for name, source in m.input_sources.items() if source == "consumption"]
    known = {"energy_kwh", "metered_kwh", "volume_m3"}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise CalculationError([Breach(str(m.path), "", "readable-input",
                                       f"consumption input(s) {', '.join(unknown)} are not known to the calculator "
                                       f"(it supplies {', '.join(sorted(known))})")])
    if is_volume is not None and is_volume.any() and "volume_m3" not in wanted:
        raise_if([breach_for_rows(is_volume, files, rows, "known-unit",
                                  lambda i: f"{m.ref} takes no gas volume (MTQ); give energy in KWH or WHR")])
    return wanted


_GAPS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _gap_counts(matrix: np.ndarray) -> np.ndarray:
    """Running count of missing half-hours per region (column k: before half-hour k), computed once per matrix."""
    cached = _GAPS.get(id(matrix))
    if cached is None or cached[0] is not matrix:
        counts = np.zeros((matrix.shape[0], matrix.shape[1] + 1), dtype=np.int64)
        np.cumsum(np.isnan(matrix), axis=1, out=counts[:, 1:])
        cached = _GAPS[id(matrix)] = (matrix, counts)
    return cached[1]


def _intensity_base(ctx: KernelContext, t: TypeContext, meters_here, local, half_hour, low, high, files, rows, m) -> np.ndarray:
    """Per meter of the partition, the flat index into the region × half-hour matrix of the half-hour `low`;
    a reading's intensity is then one add and one take. Missing intensity is found on the small matrix."""
    matrix = ctx.intensity_matrix
    if matrix is None:
        raise CalculationError([Breach(files[0], rows[0], "intensity-for-every-half-hour",
                                       f"{m.ref} needs half-hourly grid intensity: the portfolio has no intensity table")])
    width = matrix.shape[1]
    if low < ctx.intensity_first or high >= ctx.intensity_first + width:
        column = half_hour - ctx.intensity_first
        raise_if([breach_for_rows((column < 0) | (column >= width), files, rows, "intensity-for-every-half-hour",
                                  lambda i: f"no grid intensity in {ctx.intensity_name} for the half-hour from {_iso_half_hour(half_hour[i])}")])
    region = t.region_row[meters_here]
    gaps = _gap_counts(matrix)  # per region, how many half-hours up to each column have no intensity
    used = np.unique(region)
    if (gaps[used, high - ctx.intensity_first + 1] - gaps[used, low - ctx.intensity_first]).any():
        # some half-hour of a region in use has no intensity: which reading needs it?
        found = matrix.ravel()[region[local] * width + half_hour - ctx.intensity_first]
        raise_if([breach_for_rows(np.isnan(found), files, rows, "intensity-for-every-half-hour",
                                  lambda i: f"no grid intensity in {ctx.intensity_name} for the region of meter "
                                            f"{t.meter_ids[meters_here[local[i]]]!r}, half-hour from {_iso_half_hour(half_hour[i])}")])
    return region * width + (low - ctx.intensity_first)


def _factors(t: TypeContext, months_of_span: np.ndarray, half_hour, low, files, rows) -> np.ndarray:
    """The factor of every half-hour from `low` on, by the factor-set rule (a small table, gathered by position)."""
    year = (months_of_span // 12 + 1970).astype(np.int64)
    slot = np.searchsorted(t.factor_years, year, side="right") - 1
    usable = slot >= 0
    if t.reject_substitute:
        usable &= np.where(usable, t.factor_years[np.maximum(slot, 0)] == year, False)
    if not usable.all():
        bad = ~usable[half_hour - low]
        raise_if([breach_for_rows(bad, files, rows, "factor-set-available",
                                  lambda i: f"no factor set for {year[half_hour[i] - low]} or any earlier year "
                                            f"(sets: {', '.join(map(str, t.factor_years)) or 'none'})")])
    return t.factor_values[np.maximum(slot, 0)] if len(t.factor_values) else np.zeros(len(year))
