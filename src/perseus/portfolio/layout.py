"""The portfolio layout on disk: a meters table, readings as partitioned Parquet, regional intensity.

    PORTFOLIO/
      meters.parquet (or meters.csv)   meter, type, region[, outcode][, calorificValue][, distributionZone]
      readings/type=electricity/bucket=NN/*.parquet   meter, from, value, unitCode[, calorificValue]
      readings/type=gas/bucket=NN/*.parquet
      intensity.parquet (or intensity.csv)   from, region, intensity (gCO2/kWh)
      intensity.parquet.meta.yaml      optional: publisher, title, version, url, licence
      calorific-values.csv             optional: daily calorific values per gas distribution zone (National Gas's layout)

A reading's energy type is its `type=` directory (Hive partitioning). Every
(meter, type) has its readings in exactly one file, so that a file holds whole
meters: duplicates are found and monthly totals completed inside one file, by one
worker. Bucketing meters by a hash of their id (see `bucket_of`) gives that.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from perseus.calculator import arrow_buffers
from perseus.calculator.columns import Columns
from perseus.calculator.errors import Breach, CalculationError, Labels, Repeat, RowNumbers, breach_for_rows, raise_if
from perseus.calculator.inputs import energy_type_breach, load_table, sidecar, timestamps
from perseus.calculator.intensity import RegionalIntensity, checked_matrix, file_dataset
from perseus.calculator.zones import ZoneCalorificValues, read_calorific_values, zone_numbers
from perseus.vocabulary import ENERGY_TYPES

if TYPE_CHECKING:
    import pandas as pd

METERS_COLUMNS = ("meter", "type", "region")
READING_COLUMNS = ("meter", "from", "value", "unitCode")
READING_CALORIFIC = "calorificValue"  # optional: a reading's own calorific value (MJ/m³), as MeterData readings carry
INTENSITY_COLUMNS = ("from", "region", "intensity")
ZONE_VALUES = "calorific-values.csv"


def bucket_of(meter: str, buckets: int) -> int:
    """The recommended bucket of a meter: a stable hash (CRC-32 of its UTF-8 id), modulo the bucket count."""
    return zlib.crc32(meter.encode("utf-8")) % buckets


@dataclass
class MetersTable:
    path: Path
    frame: Columns  # meter, type, region (str, "" if none), outcode (str, "" if none), cv (float, NaN if none), zone, record

    def rows_of(self, energy_type: str) -> Columns:
        return self.frame.take(self.frame["type"] == energy_type)


@dataclass(frozen=True)
class Partition:
    path: Path
    relative: str  # path inside the portfolio, as errors and provenance name it
    energy_type: str
    rows: int
    calorific: bool = False  # the file has the optional calorificValue column

    @property
    def columns(self) -> list[str]:
        return [*READING_COLUMNS, READING_CALORIFIC] if self.calorific else list(READING_COLUMNS)


@dataclass
class Portfolio:
    root: Path
    meters: MetersTable
    partitions: list[Partition]
    intensity: RegionalIntensity | None
    zone_values: ZoneCalorificValues | None = None

    @property
    def readings(self) -> int:
        return sum(p.rows for p in self.partitions)


def _table_file(root: Path, stem: str, required: bool) -> Path | None:
    found = [root / f"{stem}.{ext}" for ext in ("parquet", "csv") if (root / f"{stem}.{ext}").exists()]
    if len(found) > 1:
        raise CalculationError(
            [Breach(str(root), "", "readable-input", f"both {stem}.parquet and {stem}.csv: keep one")]
        )
    if not found and required:
        raise CalculationError(
            [
                Breach(
                    str(root / f"{stem}.parquet"),
                    "",
                    "readable-input",
                    f"the portfolio has no {stem} table ({stem}.parquet or {stem}.csv)",
                )
            ]
        )
    return found[0] if found else None


def _labels(column: pd.Series | list) -> np.ndarray:
    """Ids and region codes as text ("" when empty); 13 and "13" are the same region. `column` a pandas
    Series or the Python values of a Parquet column (see _plain_parquet)."""
    if isinstance(column, list):
        return np.array([_label(v) for v in column], dtype=object)
    import pandas as pd

    if pd.api.types.is_integer_dtype(column.dtype):
        return column.astype(str).to_numpy(dtype=object)
    if pd.api.types.is_float_dtype(column.dtype) and np.all(np.isnan(column) | (column == np.round(column))):
        return np.where(column.isna(), "", column.fillna(0).astype(np.int64).astype(str)).astype(object)
    return np.array([_label(v) for v in column.tolist()], dtype=object)


def _label(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _plain_parquet(path: Path, required: tuple[str, ...]) -> tuple[dict[str, list], np.ndarray] | None:
    """The columns of a Parquet table as Python values, and its row labels, when every column is text or
    numbers (a calorific value numbers only): read with pyarrow alone, as pandas would read them for
    `_labels`. None for anything else (and for a file pyarrow cannot read): `load_table` reads those."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def plain(kind, numeric: bool = False) -> bool:
        kind = kind.value_type if pa.types.is_dictionary(kind) else kind
        text = not numeric and (pa.types.is_string(kind) or pa.types.is_large_string(kind))
        return text or pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind)

    try:
        table = pq.ParquetFile(path).read()  # not pq.read_table, which imports pandas
    except Exception:  # pyarrow raises several types for a damaged file; load_table words the error
        return None
    schema = table.schema
    if any(c not in schema.names for c in required) or not all(
        plain(field.type, numeric=field.name == "calorificValue") for field in schema
    ):
        return None
    records = np.array([f"row {i + 1}" for i in range(table.num_rows)], dtype=object)
    return {name: table.column(name).to_pylist() for name in schema.names}, records


def _meter_columns(path: Path) -> tuple[dict, np.ndarray]:
    """The meters table's columns (pandas Series, or lists of Python values) and its row labels."""
    found = _plain_parquet(path, METERS_COLUMNS) if path.suffix.lower() == ".parquet" else None
    if found is not None:
        return found
    frame, records = load_table(path, METERS_COLUMNS)
    return {name: frame[name] for name in frame.columns}, records


def _calorific(raw, rows: int) -> tuple[np.ndarray, np.ndarray, Callable[[int], object]]:
    """Each meter's calorific value (NaN if none), where the table gives one that is not a number, and
    the value as the table gives it (for the error)."""
    if raw is None:
        return np.full(rows, np.nan), np.zeros(rows, dtype=bool), lambda i: None
    if isinstance(raw, list):  # a Parquet column of numbers (see _plain_parquet)
        cv = np.array([np.nan if v is None else float(v) for v in raw], dtype=float)
        return cv, np.zeros(rows, dtype=bool), raw.__getitem__
    import pandas as pd

    cv = pd.to_numeric(raw.replace("", None), errors="coerce").to_numpy(dtype=float)
    return cv, raw.notna().to_numpy() & (raw.astype(str) != "").to_numpy() & np.isnan(cv), raw.iloc.__getitem__


def _repeated(keys) -> np.ndarray:
    """Whether each key has appeared before (the first of a key is not repeated)."""
    seen: set = set()
    out = np.zeros(len(keys), dtype=bool)
    for k, key in enumerate(keys):
        out[k] = key in seen
        seen.add(key)
    return out


def read_meters(root: Path) -> MetersTable:
    path = _table_file(root, "meters", required=True)
    assert path is not None  # a required table that is absent is refused by _table_file
    frame, records = _meter_columns(path)
    rows = len(records)
    files = np.full(rows, str(path), dtype=object)
    meters, types, regions = _labels(frame["meter"]), _labels(frame["type"]), _labels(frame["region"])
    outcodes = _labels(frame["outcode"]) if "outcode" in frame else np.full(rows, "", dtype=object)
    cv, unreadable_cv, shown_cv = _calorific(frame.get("calorificValue"), rows)
    zones = _labels(frame["distributionZone"]) if "distributionZone" in frame else np.full(rows, "", dtype=object)
    zone_numbers(zones, Labels(files, records))  # refuses a code that is not a distribution zone
    table = Columns(
        {
            "meter": meters,
            "type": types,
            "region": regions,
            "outcode": outcodes,
            "cv": cv,
            "zone": zones,
            "record": records,
        }
    )
    duplicated = _repeated(list(zip(meters.tolist(), types.tolist(), strict=True)))
    raise_if(
        [
            breach_for_rows(meters == "", files, records, "readable-input", lambda i: "the meter has no id"),
            energy_type_breach(types, Labels(files, records)),
            breach_for_rows(
                unreadable_cv,
                files,
                records,
                "readable-input",
                lambda i: f"calorificValue {shown_cv(i)!r} is not a number",
            ),
            breach_for_rows(
                duplicated,
                files,
                records,
                "readable-input",
                lambda i: f"meter {meters[i]!r} ({types[i]}) is listed twice",
            ),
        ]
    )
    return MetersTable(path, table)


def read_intensity(root: Path) -> RegionalIntensity | None:
    import hashlib

    path = _table_file(root, "intensity", required=False)
    if path is None:
        return None
    ns, codes, names, values, records, shown = _intensity_columns(path)
    known, first, matrix, region_index = checked_matrix(
        ns, codes, names, values, Labels(Repeat(str(path)), records), shown
    )
    meta = sidecar(path)
    datasets = {r: file_dataset(path, ns[region_index == k], meta, r) for k, r in enumerate(known)}
    with open(path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return RegionalIntensity(path, known, first, matrix, datasets, digest)


def _intensity_columns(path: Path):
    """Instants (ns), region labels, values, row labels and a way to show a raw value. Parquet is read with
    pyarrow column by column (a year of 14 regions is 245,280 rows); CSV through pandas as text."""
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        try:
            table = pq.ParquetFile(path).read()  # not pq.read_table, which imports pandas
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise CalculationError([Breach(str(path), "", "readable-input", f"cannot read: {exc}")]) from exc
        missing = [c for c in INTENSITY_COLUMNS if c not in table.column_names]
        if missing:
            raise CalculationError(
                [
                    Breach(
                        str(path),
                        "",
                        "readable-input",
                        f"missing column(s) {', '.join(missing)}; expected {','.join(INTENSITY_COLUMNS)}",
                    )
                ]
            )
        stamp = table.column("from")
        if not pa.types.is_timestamp(stamp.type) or stamp.type.tz is None:
            raise CalculationError(
                [
                    Breach(
                        str(path),
                        "",
                        "readable-input",
                        f"column from is {stamp.type}; it must be a timestamp with a time zone (UTC)",
                    )
                ]
            )
        ns = arrow_buffers.numbers(pc.cast(stamp, pa.timestamp("ns", "UTC")).cast(pa.int64()))
        region = table.column("region")
        if pa.types.is_floating(region.type):
            region = pc.cast(region, pa.int64())
        encoded = pc.dictionary_encode(arrow_buffers.fill_text(pc.cast(region, pa.string()), "")).combine_chunks()
        names = np.array(encoded.dictionary.to_pylist(), dtype=object)
        codes = arrow_buffers.numbers(encoded.indices).astype(np.int64)
        values = arrow_buffers.numbers(pc.cast(table.column("intensity"), pa.float64()))
        return ns, codes, names.tolist(), values, RowNumbers("row", 1), lambda i: values[i]
    import pandas as pd

    frame, records = load_table(path, INTENSITY_COLUMNS)
    start = timestamps(path, frame["from"], "from", records)
    ns = start.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    values = pd.to_numeric(frame["intensity"], errors="coerce").to_numpy(dtype=float)
    codes, names = pd.factorize(pd.Series(_labels(frame["region"])))
    return ns, codes.astype(np.int64), list(names), values, records, lambda i: frame["intensity"].iloc[i]


def find_partitions(root: Path) -> list[Partition]:
    import pyarrow.parquet as pq

    base = root / "readings"
    if not base.is_dir():
        raise CalculationError([Breach(str(base), "", "readable-input", "the portfolio has no readings/ directory")])
    partitions = []
    for path in sorted(base.rglob("*.parquet")):
        relative = str(path.relative_to(root))
        keys = dict(part.split("=", 1) for part in path.relative_to(base).parts[:-1] if "=" in part)
        energy_type = keys.get("type")
        if energy_type not in ENERGY_TYPES:
            raise CalculationError(
                [
                    Breach(
                        relative,
                        "",
                        "known-energy-type",
                        "a readings file must sit under readings/type=electricity/ or readings/type=gas/"
                        + (f", not type={energy_type}" if energy_type else ""),
                    )
                ]
            )
        try:
            metadata = pq.ParquetFile(path).metadata
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise CalculationError([Breach(relative, "", "readable-input", f"cannot read as Parquet: {exc}")]) from exc
        names = set(metadata.schema.names)
        missing = [c for c in READING_COLUMNS if c not in names]
        if missing:
            raise CalculationError(
                [
                    Breach(
                        relative,
                        "",
                        "readable-input",
                        f"missing column(s) {', '.join(missing)}; expected {','.join(READING_COLUMNS)}",
                    )
                ]
            )
        if metadata.num_rows == 0:
            raise CalculationError(
                [Breach(relative, "", "readable-input", "the file has no readings; a readings file holds at least one")]
            )
        partitions.append(Partition(path, relative, energy_type, metadata.num_rows, READING_CALORIFIC in names))
    if not partitions:
        raise CalculationError([Breach(str(base), "", "readable-input", "no Parquet files under readings/")])
    return partitions


def open_portfolio(root: Path, calorific_values: Path | None = None) -> Portfolio:
    """The portfolio at `root`; `calorific_values` stands in for its calorific-values.csv."""
    root = Path(root)
    if not root.is_dir():
        raise CalculationError([Breach(str(root), "", "readable-input", "not a directory")])
    zone_file = Path(calorific_values) if calorific_values else root / ZONE_VALUES
    zone_values = read_calorific_values(zone_file) if calorific_values or zone_file.exists() else None
    return Portfolio(root, read_meters(root), find_partitions(root), read_intensity(root), zone_values)
