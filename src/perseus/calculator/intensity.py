"""Grid intensity as a region × half-hour matrix, for one series (files) or many regions (a portfolio).

The matrix is checked once when it is made; the kernel then finds a reading's
intensity by one add and one take, and a missing half-hour on the small matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from perseus.calculator.errors import Breach, CalculationError, Labels, raise_if
from perseus.calculator.instants import HALF_HOUR_NS, z, z_half_hour


@dataclass
class RegionalIntensity:
    path: Path
    regions: list[str]  # "" for a single series without a region
    first_half_hour: int  # half-hours since 1970-01-01T00:00Z of column 0
    matrix: np.ndarray  # float64, shape (regions, half-hours), NaN where a half-hour is missing
    datasets: dict[str, dict] = field(default_factory=dict)  # region -> publisher, title, version, url, licence
    sha256: str = ""
    postcode: str | None = None  # the outcode a single series was asked for, when it says


def checked_matrix(
    ns: np.ndarray,
    codes: np.ndarray,
    names: list[str],
    values: np.ndarray,
    labels: Labels,
    shown,
    regional: bool = True,
) -> tuple[list[str], int, np.ndarray, np.ndarray]:
    """The regions (sorted), column 0's half-hour, the matrix, and each row's region, from columns of
    instants (ns), region codes into `names`, and values; `shown(i)` gives row i's value as written.
    Every row of a `regional` table names its region; a single series has the one region ""."""
    named = np.asarray(names, dtype=object)
    raise_if(
        [
            labels.breach(
                ns % HALF_HOUR_NS != 0,
                "half-hour-boundaries",
                lambda i: f"the intensity period from {z(ns[i])} does not start on a UTC half-hour",
            ),
            labels.breach(~np.isfinite(values), "readable-input", lambda i: f"intensity {shown(i)!r} is not a number"),
            labels.breach(values < 0, "non-negative", lambda i: f"intensity {values[i]} is negative"),
            labels.breach(
                (named == "")[codes] if regional and len(names) else np.zeros(0, bool),
                "readable-input",
                lambda i: "the row has no region",
            ),
        ]
    )
    known = sorted(set(named[np.unique(codes)].tolist()), key=lambda r: (len(r), r))
    half_hours = ns // HALF_HOUR_NS
    first = int(half_hours.min()) if len(half_hours) else 0
    width = int(half_hours.max()) - first + 1 if len(half_hours) else 0
    row_of = {r: k for k, r in enumerate(known)}
    region_index = np.array([row_of.get(r, -1) for r in names], dtype=np.int64)[codes]
    cell = region_index * width + (half_hours - first)
    order = np.argsort(cell, kind="stable")
    repeated = np.zeros(len(cell), dtype=bool)
    repeated[order[1:]] = (cell[order[1:]] == cell[order[:-1]]) & (values[order[1:]] != values[order[:-1]])
    raise_if(
        [
            labels.breach(
                repeated,
                "no-conflicting-duplicates",
                lambda i: f"the half-hour from {z(ns[i])}{_of_region(named[codes[i]])} has two different intensities",
            )
        ]
    )
    matrix = np.full(len(known) * width, np.nan)
    matrix[cell] = values
    return known, first, matrix.reshape(len(known), width), region_index


DATASET_KEYS = ("publisher", "title", "version", "url", "licence")


def span(ns: np.ndarray) -> str:
    """A series' period, as its dataset's version: `FIRST/END` (half-hours, UTC, to the minute)."""
    return f"{z(int(ns.min()), seconds=False)}/{z(int(ns.max()) + HALF_HOUR_NS, seconds=False)}" if len(ns) else "empty"


def file_dataset(path: Path, ns: np.ndarray, meta: dict, region: str = "", base: dict | None = None) -> dict:
    """The dataset a series given as a file stands for: `base` (else "not stated"), over the series' span,
    with what its metadata says put over it (`{region}` there becomes the region)."""
    where = f", region {region}" if region else ""
    dataset = (
        dict(base)
        if base
        else {
            "publisher": "not stated (series given as a file)",
            "title": f"grid intensity series {path.name}{where}",
            "version": span(ns),
            "url": f"urn:perseus:intensity-file:{path.name}{f'#region={region}' if region else ''}",
            "licence": "not stated",
        }
    )
    for key in DATASET_KEYS:
        if meta.get(key):
            dataset[key] = str(meta[key]).replace("{region}", region) if region else str(meta[key])
    return dataset


def _of_region(region: str) -> str:
    return f" of region {region}" if region else ""


_GAPS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _gap_counts(matrix: np.ndarray) -> np.ndarray:
    """Running count of missing half-hours per region (column k: before half-hour k), computed once per matrix."""
    cached = _GAPS.get(id(matrix))
    if cached is None or cached[0] is not matrix:
        counts = np.zeros((matrix.shape[0], matrix.shape[1] + 1), dtype=np.int64)
        np.cumsum(np.isnan(matrix), axis=1, out=counts[:, 1:])
        cached = _GAPS[id(matrix)] = (matrix, counts)
    return cached[1]


@dataclass
class IntensityLookup:
    """What the kernel holds of the intensity: plain data, so that it pickles to Dask workers."""

    matrix: np.ndarray | None = None
    first: int = 0  # half-hour of column 0
    name: str = ""  # the file, as messages name it
    regions: tuple[str, ...] = ()
    missing: str = "give --intensity FILE"  # what to do when there is none, in the words of the entry point

    def base(
        self, m, region: np.ndarray, meter_id, local, half_hour, low: int, high: int, labels: Labels
    ) -> np.ndarray:
        """Per meter (`region`: its row of the matrix), the flat index into the matrix of the half-hour `low`.
        Every half-hour a reading needs is checked on the small matrix first; a gap names the reading
        (`meter_id(k)` is the id of the reading's meter `local`)."""
        if self.matrix is None:
            raise CalculationError(
                [
                    Breach(
                        labels.files[0],
                        labels.records[0],
                        "intensity-for-every-half-hour",
                        f"{m.ref} needs half-hourly grid intensity: {self.missing}",
                    )
                ]
            )
        width = self.matrix.shape[1]
        if low < self.first or high >= self.first + width:
            column = half_hour - self.first
            raise_if(
                [
                    labels.breach(
                        (column < 0) | (column >= width),
                        "intensity-for-every-half-hour",
                        lambda i: (
                            f"no grid intensity in {self.name} for the half-hour from {z_half_hour(half_hour[i])}"
                        ),
                    )
                ]
            )
        gaps = _gap_counts(self.matrix)
        used = np.unique(region)
        if (gaps[used, high - self.first + 1] - gaps[used, low - self.first]).any():
            found = self.matrix.ravel()[region[local] * width + half_hour - self.first]
            raise_if(
                [
                    labels.breach(
                        np.isnan(found),
                        "intensity-for-every-half-hour",
                        lambda i: (
                            f"no grid intensity in {self.name} for the half-hour from "
                            f"{z_half_hour(half_hour[i])}{self._where(region[local[i]], meter_id(local[i]))}"
                        ),
                    )
                ]
            )
        return region * width + (low - self.first)

    def _where(self, row: int, meter: str) -> str:
        region = self.regions[row] if row < len(self.regions) else ""
        return f" in region {region} (meter {meter!r})" if region else ""
