"""The portfolio layout on disk: a meters table, readings as partitioned Parquet, regional intensity.

    PORTFOLIO/
      meters.parquet (or meters.csv)   meter, type, region[, outcode][, calorificValue]
      readings/type=electricity/bucket=NN/*.parquet   meter, from, value, unitCode[, calorificValue]
      readings/type=gas/bucket=NN/*.parquet
      intensity.parquet (or intensity.csv)   from, region, intensity (gCO2/kWh)
      intensity.parquet.meta.yaml      optional: publisher, title, version, url, licence

A reading's energy type is its `type=` directory (Hive partitioning). Every
(meter, type) has its readings in exactly one file, so that a file holds whole
meters: duplicates are found and monthly totals completed inside one file, by one
worker. Bucketing meters by a hash of their id (see `bucket_of`) gives that.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from perseus.calculator.errors import Breach, CalculationError, Labels, Repeat, RowNumbers, breach_for_rows, raise_if
from perseus.calculator.inputs import energy_type_breach, load_table, sidecar, timestamps
from perseus.calculator.intensity import RegionalIntensity, checked_matrix, file_dataset
from perseus.vocabulary import ENERGY_TYPES

METERS_COLUMNS = ("meter", "type", "region")
READING_COLUMNS = ("meter", "from", "value", "unitCode")
READING_CALORIFIC = "calorificValue"  # optional: a reading's own calorific value (MJ/m³), as MeterData readings carry
INTENSITY_COLUMNS = ("from", "region", "intensity")


def bucket_of(meter: str, buckets: int) -> int:
    """The recommended bucket of a meter: a stable hash (CRC-32 of its UTF-8 id), modulo the bucket count."""
    return zlib.crc32(meter.encode("utf-8")) % buckets


@dataclass
class MetersTable:
    path: Path
    frame: pd.DataFrame  # meter, type, region (str, "" if none), outcode (str or None), cv (float, NaN if none), record

    def rows_of(self, energy_type: str) -> pd.DataFrame:
        return self.frame[self.frame["type"] == energy_type]


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


def _labels(column: pd.Series) -> np.ndarray:
    """Ids and region codes as text ("" when empty); 13 and "13" are the same region."""
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.astype(str).to_numpy(dtype=object)
    if pd.api.types.is_float_dtype(column.dtype) and np.all(np.isnan(column) | (column == np.round(column))):
        return np.where(column.isna(), "", column.fillna(0).astype(np.int64).astype(str)).astype(object)

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip()

    return np.array([one(v) for v in column.tolist()], dtype=object)


def read_meters(root: Path) -> MetersTable:
    path = _table_file(root, "meters", required=True)
    assert path is not None  # a required table that is absent is refused by _table_file
    frame, records = load_table(path, METERS_COLUMNS)
    files = np.full(len(frame), str(path), dtype=object)
    meters, types, regions = _labels(frame["meter"]), _labels(frame["type"]), _labels(frame["region"])
    outcodes = _labels(frame["outcode"]) if "outcode" in frame.columns else np.full(len(frame), "", dtype=object)
    raw_cv = frame["calorificValue"] if "calorificValue" in frame.columns else pd.Series([None] * len(frame))
    cv = pd.to_numeric(raw_cv.replace("", None), errors="coerce").to_numpy(dtype=float)
    unreadable_cv = raw_cv.notna().to_numpy() & (raw_cv.astype(str) != "").to_numpy() & np.isnan(cv)
    table = pd.DataFrame(
        {"meter": meters, "type": types, "region": regions, "outcode": outcodes, "cv": cv, "record": records}
    )
    duplicated = table.duplicated(["meter", "type"], keep="first").to_numpy()
    raise_if(
        [
            breach_for_rows(meters == "", files, records, "readable-input", lambda i: "the meter has no id"),
            energy_type_breach(types, Labels(files, records)),
            breach_for_rows(
                unreadable_cv,
                files,
                records,
                "readable-input",
                lambda i: f"calorificValue {raw_cv.iloc[i]!r} is not a number",
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
            table = pq.read_table(path)
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
        ns = pc.cast(stamp, pa.timestamp("ns", "UTC")).cast(pa.int64()).to_numpy()
        region = table.column("region")
        if pa.types.is_floating(region.type):
            region = pc.cast(region, pa.int64())
        encoded = pc.dictionary_encode(pc.fill_null(pc.cast(region, pa.string()), "")).combine_chunks()
        names = np.array(encoded.dictionary.to_pylist(), dtype=object)
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        values = pc.cast(table.column("intensity"), pa.float64()).to_numpy(zero_copy_only=False)
        return ns, codes, names.tolist(), values, RowNumbers("row", 1), lambda i: values[i]
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
        partitions.append(Partition(path, relative, energy_type, metadata.num_rows, READING_CALORIFIC in names))
    if not partitions:
        raise CalculationError([Breach(str(base), "", "readable-input", "no Parquet files under readings/")])
    return partitions


def open_portfolio(root: Path) -> Portfolio:
    root = Path(root)
    if not root.is_dir():
        raise CalculationError([Breach(str(root), "", "readable-input", "not a directory")])
    return Portfolio(root, read_meters(root), find_partitions(root), read_intensity(root))
