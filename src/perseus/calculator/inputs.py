"""Read consumption and intensity files into tidy tables, refusing what cannot be read.

Consumption: MeterData JSON (as `GET /datasources/{id}/{measure}` returns it) or
CSV/Parquet with columns type,from,to,value,unitCode and optionally meter. Every
file holds at least one reading. A CSV/Parquet file names its meters in `meter`
(without it, its readings are of one unnamed meter); a MeterData file is one data
source's readings, and names no meter: its meter is the one at its outcode
(`meter_of_meter_data`), so files of different outcodes are different meters.
Intensity: a saved NESO regional intensity response, or CSV/Parquet with
columns from,to,intensity (gCO2/kWh). Checks are on whole columns; the rules on
the readings themselves (units, boundaries, signs, repeats) are the kernel's.

A MeterData or NESO JSON file is read with numpy alone (perseus.calculator.columns says why):
instants written as `…Z` are parsed by numpy, and anything else (an offset, a malformed value)
goes to pandas, which reads every ISO 8601 form and words the error. CSV and Parquet files are
read by pandas.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import numpy as np
import orjson
import yaml

from perseus.calculator.columns import Columns
from perseus.calculator.errors import Breach, CalculationError, Labels, breach_for_rows, raise_if
from perseus.calculator.instants import HALF_HOUR_NS, z
from perseus.calculator.intensity import RegionalIntensity, checked_matrix, file_dataset, span
from perseus.calculator.zones import zone_numbers
from perseus.synth.payloads import SYNTHETIC_KEY, synthetic_dataset
from perseus.vocabulary import ENERGY_TYPES
from perseus.yaml_loading import safe_load

if TYPE_CHECKING:
    import pandas as pd

CONSUMPTION_COLUMNS = ("type", "from", "to", "value", "unitCode")
INTENSITY_COLUMNS = ("from", "to", "intensity")
NESO = {
    "publisher": "National Energy System Operator",
    "title": "Carbon Intensity API, regional forecast",
    "licence": "CC-BY-4.0",
}


@dataclass
class ConsumptionFile:
    path: Path
    columns: Columns  # file, record, meter, type, from (ns since 1970, UTC), value, unit, cv, zone
    outcode: str | None = None
    sha256: str = ""
    provenance: dict | None = None  # the record the data provider sent, as received

    @property
    def readings(self) -> pd.DataFrame:
        """The readings as a pandas DataFrame, `from` a UTC timestamp (for the readers that want one)."""
        import pandas as pd

        frame = self.columns.to_pandas()
        frame["from"] = pd.to_datetime(frame["from"], unit="ns", utc=True)
        return frame


def _fail(path: Path, record: str, rule: str, message: str) -> NoReturn:
    raise CalculationError([Breach(str(path), record, rule, message)])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        _fail(path, "", "readable-input", f"cannot read: {exc.strerror or exc}")


def _load_json(path: Path, raw: bytes):
    # orjson, not the standard library: a meter-year (3.5 MB) and a year of intensity (6.5 MB) parse
    # in 0.24 s where json took 0.33 s, which took `perseus calculate` on one meter-year from 1.49 s
    # to 1.30 s (benchmarks/bench_meter_year.py). It also checks the bytes are UTF-8 and refuses
    # NaN and Infinity, which JSON does not have.
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        _fail(path, f"line {exc.lineno}", "readable-input", f"not valid JSON: {exc}")


def load_table(path: Path, required: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray]:
    """A CSV or Parquet file with the required columns, plus the record label of every row (also read by
    the portfolio engine for its meters and intensity tables)."""
    import pandas as pd

    try:
        if path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
            records = np.array([f"row {i + 1}" for i in range(len(frame))], dtype=object)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            records = np.array([f"line {i + 2}" for i in range(len(frame))], dtype=object)
    except Exception as exc:  # pandas and pyarrow raise many types for unreadable files
        _fail(
            path,
            "",
            "readable-input",
            f"cannot read as {'Parquet' if path.suffix.lower() == '.parquet' else 'CSV'}: {exc}",
        )
    missing = [c for c in required if c not in frame.columns]
    if missing:
        _fail(
            path,
            "line 1" if path.suffix.lower() != ".parquet" else "",
            "readable-input",
            f"missing column(s) {', '.join(missing)}; expected {','.join(required)}",
        )
    return frame, records


def timestamps(path: Path, column: pd.Series, name: str, records: np.ndarray) -> pd.Series:
    """UTC timestamps; a value without `Z` or an offset is refused, since its instant is ambiguous."""
    import pandas as pd

    files = np.full(len(column), str(path), dtype=object)
    if pd.api.types.is_datetime64_any_dtype(column):
        if getattr(column.dt, "tz", None) is None:
            _fail(path, "", "readable-input", f"column {name} holds timestamps without a time zone")
        return column.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    text = column.astype(str).str.strip()
    zoned = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True).to_numpy()
    parsed = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    bad = ~zoned | parsed.isna().to_numpy()
    raise_if(
        [
            breach_for_rows(
                bad,
                files,
                records,
                "readable-input",
                lambda i: f"{name} {text.iloc[i]!r} is not an ISO 8601 instant with Z or an offset",
            )
        ]
    )
    return parsed.astype("datetime64[ns, UTC]")


# What numpy reads as pandas does: `YYYY-MM-DDTHH:MM[:SS[.fraction]]Z` (a meter's and NESO's forms).
_PLAIN_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?Z", re.ASCII)


def utc_instants(path: Path, column, name: str, records: np.ndarray) -> np.ndarray:
    """Nanoseconds since 1970 (UTC) of a column of instants: a list of JSON values, or a pandas Series."""
    if isinstance(column, list):
        try:
            if all(map(_PLAIN_UTC.fullmatch, column)):
                return np.array([text[:-1] for text in column], dtype="datetime64[ns]").astype(np.int64)
        except (TypeError, ValueError):  # not a string, or not a date numpy knows (2025-02-30): pandas says why
            pass
        import pandas as pd

        column = pd.Series(column, dtype=object)
    return timestamps(path, column, name, records).to_numpy(dtype="datetime64[ns]").astype(np.int64)


def _numbers(path: Path, column, name: str, records: np.ndarray) -> np.ndarray:
    """Finite numbers; `column` a list of JSON values, or a pandas Series."""
    values = None
    if isinstance(column, list):
        try:
            values = np.asarray(column, dtype=float)
        except (TypeError, ValueError):  # something that is not a number: pandas reads it as NaN, refused below
            pass
    if values is None:
        import pandas as pd

        values = pd.to_numeric(pd.Series(column, dtype=object), errors="coerce").to_numpy(dtype=float)
    files = np.full(len(values), str(path), dtype=object)
    raise_if(
        [
            breach_for_rows(
                ~np.isfinite(values),
                files,
                records,
                "readable-input",
                lambda i: f"{name} {column[i]!r} is not a number",
            )
        ]
    )
    return values


def _periods(path: Path, frame, records: np.ndarray, column: str, what: str) -> tuple[np.ndarray, np.ndarray]:
    """The start (ns since 1970) and value of each period (a reading, a half-hour of intensity), each lasting
    exactly one half-hour (where it starts is checked with the rest of the readings' rules, by the kernel).
    `frame` maps from, to and `column` to lists of JSON values or to pandas Series."""
    start = utc_instants(path, frame["from"], "from", records)
    end = utc_instants(path, frame["to"], "to", records)
    values = _numbers(path, _listed(frame[column]), column, records)
    wrong = (end - start) != HALF_HOUR_NS
    raise_if(
        [
            breach_for_rows(
                wrong,
                np.full(len(start), str(path), dtype=object),
                records,
                "half-hour-boundaries",
                lambda i: f"{what} from {z(int(start[i]))} to {z(int(end[i]))} is not one half-hour",
            )
        ]
    )
    return start, values


def _listed(column):
    """A pandas Series as the list `_numbers` reads positionally (its messages index it by row)."""
    return column if isinstance(column, list) else column.reset_index(drop=True)


def energy_type_breach(types: np.ndarray, labels: Labels) -> Breach | None:
    return labels.breach(
        ~np.isin(types, ENERGY_TYPES),
        "known-energy-type",
        lambda i: f"type {types[i]!r} is neither {' nor '.join(ENERGY_TYPES)}",
    )


def read_consumption(path: Path) -> ConsumptionFile:
    raw = _read_bytes(path)
    outcode = provenance = None
    if path.suffix.lower() == ".json":
        payload = _load_json(path, raw)
        frame, records, outcode, provenance = _meter_data_frame(path, payload)
    else:
        table, records = load_table(path, CONSUMPTION_COLUMNS)
        n = len(table)
        frame = {
            "meter": table["meter"].astype(str).to_numpy(dtype=object)
            if "meter" in table.columns
            else np.full(n, "", dtype=object),
            "type": table["type"].astype(str).to_numpy(dtype=object),
            "from": table["from"],
            "to": table["to"],
            "value": table["value"],
            "unit": table["unitCode"].astype(str).to_numpy(dtype=object),
            "cv": np.full(n, np.nan),
            "zone": table["distributionZone"].astype(str).str.strip().to_numpy(dtype=object)
            if "distributionZone" in table.columns
            else np.full(n, "", dtype=object),
        }
    if not len(records):
        where = "$.data" if path.suffix.lower() == ".json" else ""
        _fail(path, where, "readable-input", "the file has no readings; a consumption file holds at least one")
    readings = _checked_readings(path, frame, records)
    return ConsumptionFile(path, readings, outcode, hashlib.sha256(raw).hexdigest(), provenance)


def meter_of_meter_data(outcode: str | None) -> str:
    """The meter of a MeterData file. The response names no meter (its data source id is in the request's
    path, and the provider's record gives only the metering period), so the meter is told by its outcode:
    the files of one outcode are one meter's readings (repeats must agree), files of different outcodes are
    different meters."""
    return f"MeterData in {outcode}" if outcode else "MeterData"


def _meter_data_frame(path: Path, payload):
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        _fail(path, "$.data", "readable-input", "not MeterData: expected an object whose `data` is a list of readings")
    items = payload["data"]
    records = np.array([f"$.data[{i}]" for i in range(len(items))], dtype=object)
    _objects_only(path, items, "$.data", "every reading must be an object")
    files = np.full(len(items), str(path), dtype=object)
    columns = {}
    for name in ("type", "from", "to", "energy.value", "energy.unitCode"):
        columns[name] = values = json_column(items, name)
        raise_if(
            [
                breach_for_rows(
                    np.fromiter((v is None for v in values), bool, len(values)),
                    files,
                    records,
                    "readable-input",
                    lambda i, c=name: f"the reading has no {c}",
                )
            ]
        )
    file_cv = (payload.get("calorificValue") or {}).get("megajoulesPerCubicMetre")
    cv = _numbers_or_nan(json_column(items, "calorificValue.megajoulesPerCubicMetre"))
    if file_cv is not None:
        cv = np.where(np.isnan(cv), float(file_cv), cv)
    file_zone = (payload.get("calorificValue") or {}).get("distributionZone") or ""
    outcode = (payload.get("location") or {}).get("ukPostcodeOutcode")
    frame = {
        "meter": np.full(len(items), meter_of_meter_data(outcode), dtype=object),
        "type": np.array([str(t) for t in columns["type"]], dtype=object),
        "from": columns["from"],
        "to": columns["to"],
        "value": columns["energy.value"],
        "unit": np.array([str(u) for u in columns["energy.unitCode"]], dtype=object),
        "cv": cv,
        "zone": np.array(
            [file_zone if z is None else str(z) for z in json_column(items, "calorificValue.distributionZone")],
            dtype=object,
        ),
    }
    provenance = payload.get("provenance") if isinstance(payload.get("provenance"), dict) else None
    return frame, records, outcode, provenance


def _numbers_or_nan(values: list) -> np.ndarray:
    """Numbers, NaN where a value is absent or is not one (a reading's own calorific value is optional)."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.array([_number_or_nan(v) for v in values], dtype=float)


def _number_or_nan(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def json_column(items: list[dict], dotted: str) -> list:
    """One column of parsed JSON objects, read straight from them: the value at a dotted path (`energy.value`),
    None where a key is absent or a step of the path is not an object. (pandas' json_normalize builds a
    flattened dict per object first: 0.9 s for a meter-year, against some 10 ms here.)"""
    outer, _, inner = dotted.partition(".")
    if not inner:
        return [item.get(outer) for item in items]
    return [o.get(inner) if isinstance(o := item.get(outer), dict) else None for item in items]


def _objects_only(path: Path, items: list, where: str, message: str) -> None:
    wrong = next((i for i, item in enumerate(items) if not isinstance(item, dict)), None)
    if wrong is not None:
        _fail(path, f"{where}[{wrong}]", "readable-input", message)


def _checked_readings(path: Path, frame: dict, records: np.ndarray) -> Columns:
    files = np.full(len(records), str(path), dtype=object)
    types = frame["type"]
    raise_if([energy_type_breach(types, Labels(files, records))])
    start, values = _periods(path, frame, records, "value", "the reading")
    zone = frame["zone"]
    zone_numbers(zone, Labels(files, records))  # refuses a code that is not a distribution zone
    return Columns(
        {
            "file": files,
            "record": records,
            "meter": frame["meter"],
            "type": types,
            "from": start,
            "value": values,
            "unit": frame["unit"],
            "cv": np.asarray(frame["cv"], dtype=float),
            "zone": zone,
        }
    )


def read_intensity(path: Path) -> RegionalIntensity:
    """A series of one region: a matrix of one row (region ""), checked as a portfolio's intensity table is."""
    raw = _read_bytes(path)
    postcode, meta = None, {}
    if path.suffix.lower() == ".json":
        payload = _load_json(path, raw)
        frame, records, postcode, meta = _neso_frame(path, payload)
    else:
        frame, records = load_table(path, INTENSITY_COLUMNS)
        meta = sidecar(path)
    ns, values = _periods(path, frame, records, "intensity", "the intensity period")
    labels = Labels(np.full(len(ns), str(path), dtype=object), records)
    regions, first, matrix, _ = checked_matrix(
        ns, np.zeros(len(ns), np.int64), [""], values, labels, lambda i: values[i], regional=False
    )
    dataset = _intensity_dataset(path, ns, postcode, meta)
    return RegionalIntensity(path, regions, first, matrix, {"": dataset}, hashlib.sha256(raw).hexdigest(), postcode)


def _neso_frame(path: Path, payload):
    """The regional response: {"data": {...region, "data": [periods]}}; some clients wrap the region in a one-element list."""
    region = payload.get("data") if isinstance(payload, dict) else None
    if isinstance(region, list) and len(region) == 1:
        region = region[0]
    if not isinstance(region, dict) or not isinstance(region.get("data"), list):
        _fail(
            path,
            "$.data",
            "readable-input",
            "not a NESO regional intensity response: expected data.data (or data[0].data) to be a list of half-hours",
        )
    periods = region["data"]
    prefix = "$.data.data" if isinstance(payload["data"], dict) else "$.data[0].data"
    records = np.array([f"{prefix}[{i}]" for i in range(len(periods))], dtype=object)
    _objects_only(path, periods, prefix, "every half-hour must be an object")
    columns = {}
    for name in ("from", "to", "intensity.forecast"):
        columns[name] = json_column(periods, name)
        if periods and all(v is None for v in columns[name]):
            _fail(path, f"{prefix}[0]", "readable-input", f"the half-hours have no {name}")
    frame = {"from": columns["from"], "to": columns["to"], "intensity": columns["intensity.forecast"]}
    region_info = {"regionid": region.get("regionid"), "shortname": region.get("shortname")}
    meta = payload.get("perseus:dataset") if isinstance(payload.get("perseus:dataset"), dict) else {}
    if isinstance(payload.get(SYNTHETIC_KEY), dict):
        meta = synthetic_dataset(payload[SYNTHETIC_KEY])
    return frame, records, region.get("postcode"), {**region_info, **meta}


def _synthetic_marker(path: Path) -> dict | None:
    """The mark `perseus synth` leaves on a table: Parquet schema metadata, or the CSVW sidecar of a CSV."""
    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq  # here, not at the top: a calculation on JSON files never reads Parquet

            metadata = pq.read_schema(path).metadata or {}
            raw = metadata.get(SYNTHETIC_KEY.encode())
            return json.loads(raw) if raw else None
        csvw = path.with_name(path.name + "-metadata.json")
        return json.loads(csvw.read_text(encoding="utf-8")).get(SYNTHETIC_KEY) if csvw.exists() else None
    except (OSError, ValueError):
        return None


def sidecar(path: Path) -> dict:
    """Dataset metadata for a CSV/Parquet series, from `FILE.meta.yaml` beside it when there is one."""
    marker = _synthetic_marker(path)
    if isinstance(marker, dict):
        return synthetic_dataset(marker)
    sidecar = path.with_name(path.name + ".meta.yaml")
    if not sidecar.exists():
        return {}
    try:
        meta = safe_load(sidecar.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        _fail(sidecar, "", "readable-input", f"not valid YAML: {exc}")
    if not isinstance(meta, dict):
        _fail(sidecar, "", "readable-input", "expected a mapping of publisher, title, version, url, licence")
    return meta


def _intensity_dataset(path: Path, ns: np.ndarray, postcode, meta: dict) -> dict:
    """A NESO response names the API call it came from, unless its metadata says otherwise."""
    base = None
    if path.suffix.lower() == ".json" and not {"publisher", "url"} <= set(meta):
        where = f"postcode/{postcode}" if postcode else f"regionid/{meta.get('regionid')}"
        base = {
            **NESO,
            "version": span(ns),
            "url": f"https://api.carbonintensity.org.uk/regional/intensity/{span(ns)}/{where}",
        }
    return file_dataset(path, ns, meta, base=base)
