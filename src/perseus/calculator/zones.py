"""Daily calorific values of the gas local distribution zones, read from the file layout National Gas publishes.

National Gas's data portal (https://data.nationalgas.com, "Find gas data", download as
CSV) gives one row per data item and gas day:

    Applicable At,Applicable For,Data Item,Value,Generated Time,Quality Indicator
    31/07/2014 10:30:23,31/07/2014,"Calorific Value, LDZ(SC)",39.3,21/02/2018 10:32:01,

`Applicable For` is the gas day (dd/mm/yyyy; a gas day runs from 05:00 to 05:00 UK
time), `Applicable At` when the value was published (UK time), `Value` the gross
calorific value in MJ/m³. Rows of other items (the Campbeltown and Oban values, for
example) are left out. A zone and day given twice keep the value published last; two
different values published at the same time are refused.

The values become a zone × day matrix (zones in the order of the spec's pattern,
DISTRIBUTION_ZONES), so that the kernel finds a reading's value by one take.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from perseus.calculator.errors import Breach, CalculationError, Labels, raise_if
from perseus.calculator.instants import HALF_HOUR_NS
from perseus.vocabulary import DISTRIBUTION_ZONES

COLUMNS = ("Applicable At", "Applicable For", "Data Item", "Value", "Generated Time", "Quality Indicator")
REQUIRED = COLUMNS[:4]
ZONE_ITEM = re.compile(r"^Calorific Value, LDZ\((?P<zone>[A-Z]{2})\)$")
DAY_FORMAT, INSTANT_FORMAT = "%d/%m/%Y", "%d/%m/%Y %H:%M:%S"
GAS_DAY_STARTS = np.timedelta64(5, "h")  # 05:00 UK time
UK = "Europe/London"
EPOCH_DAY = np.datetime64("1970-01-01", "D")


@dataclass
class ZoneCalorificValues:
    """One file's values; plain data, so that it pickles to Dask workers."""

    path: Path
    first_day: int = 0  # days since 1970-01-01 of column 0
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((len(DISTRIBUTION_ZONES), 0)))  # MJ/m³, NaN where none
    dataset: dict = field(default_factory=dict)  # publisher, title, version, url, licence
    sha256: str = ""

    def at(self, zone: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The value of each (zone number, gas day since 1970); NaN where the zone is -1 or the file has none."""
        column = day - self.first_day
        known = (zone >= 0) & (column >= 0) & (column < self.matrix.shape[1])
        found = np.full(len(zone), np.nan)
        found[known] = self.matrix[zone[known], column[known]]
        return found


def zone_numbers(codes, labels: Labels) -> np.ndarray:
    """Each zone code's number in DISTRIBUTION_ZONES (-1 for ""); an unknown code is refused."""
    codes = np.asarray(codes, dtype=object)
    number = {zone: k for k, zone in enumerate(DISTRIBUTION_ZONES)}
    found = np.array([number.get(c, -1 if c in ("", None) else -2) for c in codes.tolist()], dtype=np.int8)
    raise_if(
        [
            labels.breach(
                found == -2,
                "readable-input",
                lambda i: f"distribution zone {codes[i]!r} is not one of {', '.join(DISTRIBUTION_ZONES)}",
            )
        ]
    )
    return found


def gas_day(half_hours: np.ndarray) -> np.ndarray:
    """The gas day (days since 1970) each half-hour (half-hours since 1970) belongs to: the UK date of the
    instant five hours earlier, so 04:30 UK time belongs to the day before."""
    import pandas as pd  # for the UK's clock changes; only a methodology that takes zone values asks

    instants = pd.DatetimeIndex(np.asarray(half_hours, dtype=np.int64) * HALF_HOUR_NS, tz="UTC")
    local = instants.tz_convert(UK).tz_localize(None) - GAS_DAY_STARTS
    return (local.to_numpy().astype("datetime64[D]") - EPOCH_DAY).astype(np.int64)


@lru_cache(maxsize=16)
def gas_day_table(low: int, span: int) -> np.ndarray:
    """Gas days of each half-hour from `low` (shared, read-only, like the kernel's month table)."""
    days = gas_day(np.arange(low, low + span, dtype=np.int64))
    days.flags.writeable = False
    return days


def read_calorific_values(path: Path) -> ZoneCalorificValues:
    """The file's zone values, checked; errors name the file, the line and the rule."""
    import pandas as pd  # only with --calorific-values

    from perseus.calculator.inputs import load_table, sidecar

    frame, records = load_table(path, REQUIRED)
    labels = Labels(np.full(len(frame), str(path), dtype=object), records)
    item = frame["Data Item"].astype(str).str.strip()
    ldz = item.str.startswith("Calorific Value, LDZ").to_numpy()
    matched = item.str.extract(ZONE_ITEM)["zone"].fillna("")
    zone = np.array(
        [DISTRIBUTION_ZONES.index(z) if z in DISTRIBUTION_ZONES else -1 for z in matched.tolist()], dtype=np.int64
    )
    day = pd.to_datetime(frame["Applicable For"].str.strip(), format=DAY_FORMAT, errors="coerce")
    published = pd.to_datetime(frame["Applicable At"].str.strip(), format=INSTANT_FORMAT, errors="coerce")
    value = pd.to_numeric(frame["Value"].str.strip(), errors="coerce").to_numpy(dtype=float)
    raise_if(
        [
            labels.breach(
                ldz & (zone < 0),
                "readable-input",
                lambda i: f"{item.iloc[i]!r} names no local distribution zone of {', '.join(DISTRIBUTION_ZONES)}",
            ),
            labels.breach(
                ldz & day.isna().to_numpy(),
                "readable-input",
                lambda i: f"Applicable For {frame['Applicable For'].iloc[i]!r} is not a gas day dd/mm/yyyy",
            ),
            labels.breach(
                ldz & published.isna().to_numpy(),
                "readable-input",
                lambda i: f"Applicable At {frame['Applicable At'].iloc[i]!r} is not dd/mm/yyyy hh:mm:ss",
            ),
            labels.breach(
                ldz & ~np.isfinite(value),
                "readable-input",
                lambda i: f"Value {frame['Value'].iloc[i]!r} is not a number",
            ),
        ]
    )
    keep = np.flatnonzero(ldz)
    if not len(keep):
        raise CalculationError(
            [
                Breach(
                    str(path),
                    "",
                    "readable-input",
                    "no row of a local distribution zone (Data Item `Calorific Value, LDZ(XX)`)",
                )
            ]
        )
    days = (day.to_numpy().astype("datetime64[D]")[keep] - EPOCH_DAY).astype(np.int64)
    chosen = _latest(keep, zone[keep], days, published.to_numpy()[keep], value[keep], labels, len(frame))
    first = int(days.min())
    matrix = np.full((len(DISTRIBUTION_ZONES), int(days.max()) - first + 1), np.nan)
    matrix[zone[chosen], days[np.searchsorted(keep, chosen)] - first] = value[chosen]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ZoneCalorificValues(path, first, matrix, _dataset(path, first, int(days.max()), sidecar(path)), digest)


def _latest(
    rows: np.ndarray,
    zone: np.ndarray,
    day: np.ndarray,
    published: np.ndarray,
    value: np.ndarray,
    labels: Labels,
    count: int,
) -> np.ndarray:
    """Of each (zone, day), the row published last; two values published at the same instant are refused."""
    order = np.lexsort((published, day, zone))
    same_cell = (zone[order][1:] == zone[order][:-1]) & (day[order][1:] == day[order][:-1])
    tie = same_cell & (published[order][1:] == published[order][:-1]) & (value[order][1:] != value[order][:-1])
    if tie.any():
        clash = np.zeros(count, dtype=bool)
        clash[rows[order][1:][tie]] = True
        raise_if(
            [
                labels.breach(
                    clash,
                    "no-conflicting-duplicates",
                    lambda i: "the zone and gas day have another value published at the same instant",
                )
            ]
        )
    last = np.r_[~same_cell, True]
    return np.sort(rows[order][last])


def _dataset(path: Path, first: int, last: int, meta: dict) -> dict:
    """How a report names the file: what its metadata says (a synthetic file says so), else "not stated"."""
    days = f"{EPOCH_DAY + first}/{EPOCH_DAY + last + 1}"
    dataset = {
        "publisher": "not stated (calorific values given as a file)",
        "title": f"daily calorific values by local distribution zone, file {path.name}",
        "version": f"gas days {days}",
        "url": f"urn:perseus:calorific-values-file:{path.name}",
        "licence": "not stated",
    }
    for key in dataset:
        if meta.get(key):
            dataset[key] = str(meta[key])
    return dataset
