"""The vectorised kernel: one readings partition in, monthly totals per meter out.

The arithmetic is the methodology's own: its compiled steps run once over the
whole partition's columns (`Methodology.half_hour_emissions`), with inputs
gathered by half-hour index (grid intensity from the region × half-hour matrix,
the emission factor from a per-half-hour table built from the factor-set rule,
the calorific value per meter). Totals per meter and month come from one
`np.bincount` over readings sorted by meter and time, which adds each month's
half-hours in the same order as the single-meter calculator, so the sums are
bit-for-bit the same. There is no Python loop over meters or readings.

The same function serves the local engine (a loop over partitions) and the Dask
engine (`map_partitions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from perseus.calculator.errors import Breach, CalculationError, breach_for_rows, raise_if
from perseus.portfolio.layout import HALF_HOUR_NS

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
    def meter_index(self) -> pd.Index:
        return _index(tuple(self.meter_ids))


@dataclass
class KernelContext:
    types: dict[str, TypeContext]
    intensity_matrix: np.ndarray | None = None  # float64 (regions, half-hours), NaN where missing
    intensity_first: int = 0  # half-hour of column 0
    intensity_name: str = ""
    window: tuple[int | None, int | None] = (None, None)  # half-hours [start, end)
    extra: dict = field(default_factory=dict)


_COMPILED: dict = {}  # compiled methodologies per worker process (their steps are closures, which do not pickle)


def _compile(path: str, document: dict):
    from perseus.methodology.documents import Methodology, _check_consistency

    methodology = Methodology(Path(path), document)
    _check_consistency(methodology)  # compiles the steps, exactly as loading the file does
    return methodology


@lru_cache(maxsize=8)
def _index(ids: tuple[str, ...]) -> pd.Index:
    return pd.Index(ids)


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


def aggregate(table: pa.Table, energy_type: str, partition: str, ctx: KernelContext) -> pd.DataFrame:
    """Monthly totals per meter of one partition; raises CalculationError naming partition, row and rule.

    Checks run on the small dictionaries of ids and units where they can, and on whole
    columns otherwise; the common case (a file sorted by meter and time, no repeats,
    no window) takes no sort and no filtering copy.
    """
    t = ctx.types.get(energy_type)
    n = table.num_rows
    if n == 0:
        return empty_result()
    files = _Names(partition)
    every = _Records(None)  # row labels before any reordering
    if t is None:
        raise CalculationError([Breach(partition, "row 1", "known-meter", f"the meters table lists no {energy_type} meter")])
    for name in ("meter", "from", "value", "unitCode"):
        if table.column(name).null_count:
            empty = np.asarray(table.column(name).is_null().to_numpy(zero_copy_only=False))
            raise_if([breach_for_rows(empty, files, every, "readable-input", lambda i, c=name: f"the reading has no {c}")])

    # Meters: map the partition's few distinct ids to meters-table rows, then to compact local numbers.
    codes, ids = _dictionary(table.column("meter"))
    global_of_code = t.meter_index.get_indexer(pd.Index([str(m) for m in ids])).astype(np.int64)
    if (global_of_code < 0).any():
        raise_if([breach_for_rows((global_of_code < 0)[codes], files, every, "known-meter",
                                  lambda i: f"meter {ids[codes[i]]!r} has no {energy_type} row in the meters table")])
    meters_here = np.unique(global_of_code)
    local = np.searchsorted(meters_here, global_of_code)[codes]
    del codes

    # Instants: half-hours since 1970 from the raw integers, whatever the stored unit.
    stamp = table.column("from")
    if not pa.types.is_timestamp(stamp.type) or stamp.type.tz is None:
        raise CalculationError([Breach(partition, "", "readable-input",
                                       f"column from is {stamp.type}; it must be a timestamp with a time zone (UTC)")])
    raw = stamp.cast(pa.int64()).to_numpy()
    per_half_hour = 1800 * UNITS_PER_SECOND[stamp.type.unit]
    half_hour, offset = np.divmod(raw, per_half_hour)
    if offset.any():
        raise_if([breach_for_rows(offset != 0, files, every, "half-hour-boundaries",
                                  lambda i: f"the reading from {_iso_raw(raw[i], stamp.type.unit)} does not start on a UTC half-hour boundary")])
    del offset, raw
    value = table.column("value").to_numpy().astype(np.float64, copy=False)
    smallest = value.min()
    if not (smallest >= 0 and value.max() < np.inf):  # one reduction each; NaN fails the first test
        raise_if([
            breach_for_rows(~np.isfinite(value), files, every, "readable-input", lambda i: f"value {value[i]} is not a number"),
            breach_for_rows(value < 0, files, every, "non-negative", lambda i: f"value {value[i]} is negative"),
        ])
    unit_codes, units = _dictionary(table.column("unitCode"))
    unit_of_code = np.array([UNIT_CODES.get(u, -1) for u in units], dtype=np.int8)
    raise_if([
        breach_for_rows((unit_of_code < 0)[unit_codes], files, every, "known-unit",
                        lambda i: f"unitCode {units[unit_codes[i]]!r} is not one of {', '.join(UNIT_CODES)}")
        if (unit_of_code < 0).any() else None,
        breach_for_rows((unit_of_code == 2)[unit_codes], files, every, "no-volume-for-electricity",
                        lambda i: "electricity in MTQ (cubic metres); electricity is measured in KWH or WHR")
        if energy_type == "electricity" and (unit_of_code == 2).any() else None,
    ])
    single_unit = len(np.unique(unit_of_code)) == 1
    unit = None if single_unit else unit_of_code[unit_codes]
    only = int(unit_of_code[0]) if single_unit and len(unit_of_code) else 0
    if single_unit:
        quantity = value / 1000.0 if only == 1 else value
        is_volume = np.ones(n, dtype=bool) if only == 2 else None
    else:
        quantity = np.where(unit == 1, value / 1000.0, value) if (unit_of_code == 1).any() else value
        is_volume = unit == 2 if (unit_of_code == 2).any() else None
    del unit, unit_codes

    # Order by meter then half-hour (the single-meter calculator's order); sort only if the file is not already so.
    low, high = int(half_hour.min()), int(half_hour.max())
    span = high - low + 1
    key = local * span
    key += half_hour
    original = None  # file rows of the reordered arrays, made only when something reorders them
    duplicates_at = None
    if not (key[1:] > key[:-1]).all():  # not strictly increasing: unsorted, or repeated half-hours
        kind = is_volume if is_volume is not None else np.zeros(n, dtype=bool)
        order = np.lexsort((quantity, kind, key))
        key, local, half_hour, quantity, original = key[order], local[order], half_hour[order], quantity[order], order
        is_volume = is_volume[order] if is_volume is not None else None
        repeat = np.zeros(n, dtype=bool)
        repeat[1:] = key[1:] == key[:-1]
        if repeat.any():
            first = np.maximum.accumulate(np.where(repeat, 0, np.arange(n)))  # position of each row's first reading
            kind = is_volume if is_volume is not None else np.zeros(n, dtype=bool)
            conflict = repeat & ((kind != kind[first]) | ~np.isclose(quantity[first], quantity, rtol=1e-9, atol=1e-12))
            rows = _Records(original)
            raise_if([breach_for_rows(conflict, files, rows, "no-conflicting-duplicates",
                                      lambda i: f"the {energy_type} half-hour from {_iso_half_hour(half_hour[i])} of meter "
                                                f"{t.meter_ids[meters_here[local[i]]]!r} disagrees with {rows[first[i]]}")])
            duplicates_at = (local[repeat], half_hour[repeat])
            keep = ~repeat
            local, half_hour, quantity, original = local[keep], half_hour[keep], quantity[keep], original[keep]
            is_volume = is_volume[keep] if is_volume is not None else None
    del key

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

    methodology = t.methodology
    rows = _Records(original)
    position = half_hour - low  # index into the small per-half-hour tables below
    months_of_span = _month_table(low, span)  # months since 1970 of every half-hour low..high
    inputs = _consumption_inputs(methodology, quantity, is_volume, files, rows)
    for name, source in methodology.input_sources.items():
        if source == "grid-intensity":
            inputs[name] = _intensity(ctx, t, meters_here, local, half_hour, low, high, files, rows, methodology)
        elif source == "emission-factors":
            inputs[name] = _factors(t, months_of_span, position, files, rows)
        elif source == "calorific-value":
            cv = t.calorific_value[meters_here]
            inputs[name] = np.where(is_volume, cv[local], 0.0) if is_volume is not None else np.zeros(len(local))
    emissions = methodology.half_hour_emissions(inputs)
    del inputs
    if not (emissions.min() >= 0 and emissions.max() < np.inf):  # NaN fails the first test
        raise_if([breach_for_rows(~((emissions >= 0) & (emissions < np.inf)), files, rows, "non-negative",
                                  lambda i: f"the steps of {methodology.path} give {emissions[i]} kg for this reading")])

    # Months: one bin per (meter, month); bincount adds each bin's half-hours in row order.
    first_month = int(months_of_span[0])
    month_count = int(months_of_span[-1]) - first_month + 1
    bins = local * month_count
    bins += (months_of_span - first_month)[position]
    del position
    size = len(meters_here) * month_count
    total = np.bincount(bins, weights=emissions, minlength=size)
    present = np.bincount(bins, minlength=size)
    volume = np.bincount(bins, weights=is_volume, minlength=size).astype(np.int64) if is_volume is not None else np.zeros(size, np.int64)
    duplicates = np.zeros(size, np.int64)
    if duplicates_at is not None and len(duplicates_at[0]):
        duplicates = np.bincount(duplicates_at[0] * month_count + (months_of_span[duplicates_at[1] - low] - first_month), minlength=size)
    filled = np.flatnonzero(present)
    starts = np.searchsorted(bins, filled, side="left")  # bins are sorted: meter, then half-hour
    ends = np.searchsorted(bins, filled, side="right") - 1
    return pd.DataFrame({
        "meter": meters_here[filled // month_count],
        "month": filled % month_count + first_month,
        "total": total[filled],
        "present": present[filled],
        "duplicates": duplicates[filled],
        "volume": volume[filled],
        "first": half_hour[starts],
        "last": half_hour[ends],
    })


class _Names:
    """The partition's name for every row, without an array of copies."""

    def __init__(self, name: str):
        self.name = name

    def __getitem__(self, i):
        return self.name


class _Records:
    """`row N` (1-based, as in the file) for a position after sorting and filtering."""

    def __init__(self, original: np.ndarray | None):
        self.original = original  # None: positions are still the file's rows

    def __getitem__(self, i):
        return f"row {int(i if self.original is None else self.original[i]) + 1}"


def _iso_half_hour(half_hour: int) -> str:
    return f"{pd.Timestamp(int(half_hour) * HALF_HOUR_NS, tz='UTC'):%Y-%m-%dT%H:%M:%SZ}"


def _iso_raw(value: int, unit: str) -> str:
    return f"{pd.Timestamp(int(value), unit=unit, tz='UTC'):%Y-%m-%dT%H:%M:%S.%fZ}"


def _month_table(low: int, span: int) -> np.ndarray:
    """Months since 1970 of each half-hour from `low` (a small table, gathered from per reading)."""
    instants = (np.arange(low, low + span, dtype=np.int64) * 30).astype("datetime64[m]")
    return (instants.astype("datetime64[M]") - EPOCH_MONTH).astype(np.int64)


def _consumption_inputs(m, quantity, is_volume, files, rows) -> dict:
    wanted = [name for name, source in m.input_sources.items() if source == "consumption"]
    known = {"energy_kwh", "metered_kwh", "volume_m3"}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise CalculationError([Breach(str(m.path), "", "readable-input",
                                       f"consumption input(s) {', '.join(unknown)} are not known to the calculator "
                                       f"(it supplies {', '.join(sorted(known))})")])
    if is_volume is not None and "volume_m3" not in wanted:
        raise_if([breach_for_rows(is_volume, files, rows, "known-unit",
                                  lambda i: f"{m.ref} takes no gas volume (MTQ); give energy in KWH or WHR")])
    energy = np.where(is_volume, 0.0, quantity) if is_volume is not None else quantity
    columns = {"energy_kwh": energy, "metered_kwh": energy}
    if "volume_m3" in wanted:
        columns["volume_m3"] = np.where(is_volume, quantity, 0.0) if is_volume is not None else np.zeros(len(quantity))
    return {name: columns[name] for name in wanted}


def _intensity(ctx: KernelContext, t: TypeContext, meters_here, local, half_hour, low, high, files, rows, m) -> np.ndarray:
    """Gather each reading's intensity from the flat region × half-hour matrix: one add and one take per reading."""
    matrix = ctx.intensity_matrix
    if matrix is None:
        raise CalculationError([Breach(files[0], rows[0], "intensity-for-every-half-hour",
                                       f"{m.ref} needs half-hourly grid intensity: the portfolio has no intensity table")])
    width = matrix.shape[1]
    if low < ctx.intensity_first or high >= ctx.intensity_first + width:
        column = half_hour - ctx.intensity_first
        raise_if([breach_for_rows((column < 0) | (column >= width), files, rows, "intensity-for-every-half-hour",
                                  lambda i: f"no grid intensity in {ctx.intensity_name} for the half-hour from {_iso_half_hour(half_hour[i])}")])
    base = t.region_row[meters_here] * width - ctx.intensity_first  # per meter of the partition
    cell = base[local]
    cell += half_hour
    found = matrix.ravel().take(cell)
    if np.isnan(found.sum()):  # a sum is one pass with no temporary array
        raise_if([breach_for_rows(np.isnan(found), files, rows, "intensity-for-every-half-hour",
                                  lambda i: f"no grid intensity in {ctx.intensity_name} for the region of meter "
                                            f"{t.meter_ids[meters_here[local[i]]]!r}, half-hour from {_iso_half_hour(half_hour[i])}")])
    return found


def _factors(t: TypeContext, months_of_span: np.ndarray, position: np.ndarray, files, rows) -> np.ndarray:
    """The factor of every half-hour: a per-half-hour table from the factor-set rule, gathered by position."""
    year = (months_of_span // 12 + 1970).astype(np.int64)
    slot = np.searchsorted(t.factor_years, year, side="right") - 1
    usable = slot >= 0
    if t.reject_substitute:
        usable &= np.where(usable, t.factor_years[np.maximum(slot, 0)] == year, False)
    if not usable.all():
        bad = ~usable[position]
        raise_if([breach_for_rows(bad, files, rows, "factor-set-available",
                                  lambda i: f"no factor set for {year[position[i]]} or any earlier year "
                                            f"(sets: {', '.join(map(str, t.factor_years)) or 'none'})")])
    table = t.factor_values[np.maximum(slot, 0)] if len(t.factor_values) else np.zeros(len(year))
    return table.take(position)
