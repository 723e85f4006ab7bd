"""The table of readings the kernel reads: an Arrow table (a portfolio's Parquet file) or numpy columns.

The kernel asks a table for the same few things either way: its meter and unit columns as codes into
their distinct values, its instants and values batch by batch, and its optional calorific value and
distribution zone columns. `ArrowReadings` answers from a pyarrow Table; `NumpyReadings` from arrays
the single-file path has already checked. The single-file path uses the second because pyarrow's own
import is a cost it need not pay (with pandas, 0.35 s of a 0.8 s `perseus calculate` on one meter-year;
see perseus.calculator.columns). `ArrowReadings` reads the columns through their buffers
(perseus.calculator.arrow_buffers), so that pyarrow does not import pandas.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from perseus.calculator import arrow_buffers

NANOSECONDS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}  # per tick of an Arrow timestamp


@dataclass
class NumpyReadings:
    """Readings already read and checked by the single-file path: no nulls, instants in nanoseconds (UTC)."""

    meter_codes: np.ndarray
    meters: list[str]
    unit_codes: np.ndarray
    units: list[str]
    start_ns: np.ndarray  # int64
    value: np.ndarray  # float64
    cv: np.ndarray | None = None  # float64, NaN where a reading has none
    zone_codes: np.ndarray | None = None
    zones: list[str] | None = None  # "" where a reading names none

    tick_ns = 1

    @classmethod
    def of(cls, meter, unit, start_ns, value, cv=None, zone=None) -> NumpyReadings:
        """From one label per row (meter, unit, zone) and the numbers."""
        meter_codes, meters = _codes(meter)
        unit_codes, units = _codes(unit)
        zone_codes, zones = _codes(zone) if zone is not None else (None, None)
        return cls(meter_codes, meters, unit_codes, units, start_ns, value, cv, zone_codes, zones)

    @property
    def num_rows(self) -> int:
        return len(self.start_ns)

    def from_type_problem(self) -> str | None:
        return None

    def nulls(self, name: str) -> np.ndarray | None:
        return None

    def codes(self, name: str) -> tuple[np.ndarray, list]:
        found = {"meter": (self.meter_codes, self.meters), "unitCode": (self.unit_codes, self.units)}
        if name == "distributionZone" and self.zone_codes is not None and self.zones is not None:
            return self.zone_codes, self.zones
        return found[name]

    def batches(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        yield self.start_ns, self.value

    def ticks(self) -> np.ndarray:
        return self.start_ns

    def values(self) -> np.ndarray:
        return self.value

    def has(self, name: str) -> bool:
        return (name == "calorificValue" and self.cv is not None) or (
            name == "distributionZone" and self.zone_codes is not None
        )

    def floats(self, name: str) -> np.ndarray:
        assert name == "calorificValue" and self.cv is not None
        return self.cv


def _codes(labels) -> tuple[np.ndarray, list]:
    """Codes into the distinct labels, in order of first appearance (as Arrow's dictionary encoding gives)."""
    distinct = list(dict.fromkeys(labels.tolist() if isinstance(labels, np.ndarray) else labels))
    if len(distinct) == 1:  # a MeterData file: one meter, and mostly one unit and zone
        return np.zeros(len(labels), dtype=np.int32), distinct
    number = {label: k for k, label in enumerate(distinct)}
    return np.fromiter(map(number.__getitem__, labels), dtype=np.int32, count=len(labels)), distinct


class ArrowReadings:
    """A pyarrow Table with the columns meter, from (a timestamp with a time zone), value, unitCode, and
    optionally calorificValue and distributionZone."""

    def __init__(self, table):
        import pyarrow as pa

        self.table = table
        self.stamp_type = table.schema.field("from").type
        self.is_stamp = pa.types.is_timestamp(self.stamp_type) and self.stamp_type.tz is not None
        self.tick_ns = NANOSECONDS[self.stamp_type.unit] if self.is_stamp else 1

    @property
    def num_rows(self) -> int:
        return self.table.num_rows

    def from_type_problem(self) -> str | None:
        if self.is_stamp:
            return None
        return f"column from is {self.stamp_type}; it must be a timestamp with a time zone (UTC)"

    def nulls(self, name: str) -> np.ndarray | None:
        column = self.table.column(name)
        if not column.null_count:
            return None
        return arrow_buffers.nulls(column)

    def codes(self, name: str) -> tuple[np.ndarray, list]:
        """Row codes into a small dictionary of distinct values, without turning every row into a Python
        object (distributionZone: "" where null)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        column = self.table.column(name)
        if name == "distributionZone":
            column = arrow_buffers.fill_text(column, "")
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        column = column.unify_dictionaries() if isinstance(column, pa.ChunkedArray) else column
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        if not chunks:
            return np.zeros(0, dtype=np.int64), []
        dictionary = chunks[0].dictionary.to_pylist()
        return arrow_buffers.numbers(pa.chunked_array([c.indices for c in chunks])), dictionary

    def batches(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ticks of `from`, value) record batch by record batch, so that the Arrow columns are read in place."""
        import pyarrow as pa

        for batch in self.table.select(["from", "value"]).to_batches():
            ticks, value = (
                arrow_buffers.numbers(batch.column(0).cast(pa.int64())),
                arrow_buffers.numbers(batch.column(1)),
            )
            yield ticks, value.astype(np.float64, copy=False)

    def ticks(self) -> np.ndarray:
        import pyarrow as pa

        return arrow_buffers.numbers(self.table.column("from").cast(pa.int64()))

    def values(self) -> np.ndarray:
        return arrow_buffers.numbers(self.table.column("value"))

    def has(self, name: str) -> bool:
        return name in self.table.column_names

    def floats(self, name: str) -> np.ndarray:
        """The column as float64, nulls as NaN."""
        import pyarrow as pa
        import pyarrow.compute as pc

        return arrow_buffers.numbers(pc.cast(self.table.column(name), pa.float64()))
