"""One EmissionsReport per meter (JSON lines), or the monthly entries as one Parquet table."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import numpy as np

from perseus.calculator import arrow_buffers as arrow
from perseus.calculator import calorific, report
from perseus.calculator.instants import EPOCH_MONTH, parse_instant, z_half_hour
from perseus.calculator.months import CALORIFIC_SUMS
from perseus.portfolio.assemble import TypeEntries
from perseus.provenance.unsigned import UnsignedRecord
from perseus.provenance.vocabulary import SCHEME, TRUST_FRAMEWORK

SOURCE_TYPES = f"{SCHEME}/source-type"

ENTRY_COLUMNS = (
    "meter",
    "type",
    "from",
    "to",
    "takenAt",
    "emissions",
    "unitCode",
    "emissionsUnrounded",
    "missingData",
    "expectedHalfHours",
    "presentHalfHours",
    "missingHalfHours",
    "duplicateReadings",
    "methodology",
)


class ReportBuilder:
    def __init__(self, portfolio, context, typed: dict[str, TypeEntries], taken_at: str):
        self.portfolio = portfolio
        self.context = context
        self.typed = typed
        self.taken_at = taken_at
        self._digests: dict[int, str] = {}
        self._slices = {}
        self._columns = {}
        for energy_type, entries in typed.items():
            frame = entries.frame
            if frame.empty:
                continue
            meter = frame["meter"]
            starts = np.flatnonzero(np.r_[True, meter[1:] != meter[:-1]])
            ends = np.r_[starts[1:], len(frame)]
            self._slices[energy_type] = {int(meter[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}
            self._columns[energy_type] = {
                c: frame[c].tolist()
                for c in (
                    "month",
                    "rounded",
                    "expected",
                    "present",
                    "duplicates",
                    "volume",
                    "first",
                    "last",
                    "partition",
                    "cv_choices",
                    *CALORIFIC_SUMS,
                )
            }
        meters = portfolio.meters.frame
        self._position = {}
        self._region = {}  # per type, each meter's region by position: looked up per report, so not filtered per report
        for energy_type in typed:
            rows = portfolio.meters.rows_of(energy_type)
            self._position[energy_type] = dict(zip(rows["meter"], range(len(rows)), strict=True))
            self._region[energy_type] = rows["region"].tolist()
        self._outcode = {m: o for m, o in zip(meters["meter"], meters["outcode"], strict=True) if o}
        self.meter_ids = list(dict.fromkeys(meters["meter"].tolist()))

    def digest(self, partition: int) -> str:
        if partition not in self._digests:
            self._digests[partition] = _file_digest(self.portfolio.partitions[partition].path)
        return self._digests[partition]

    def hash_files(self, threads: int) -> None:
        """Every readings file's digest, on `threads` threads at once (hashlib releases the GIL on large blocks)."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            paths = [p.path for p in self.portfolio.partitions]
            self._digests.update(enumerate(pool.map(_file_digest, paths)))

    def reports(self, validate: bool = True, meters: list[str] | None = None) -> Iterator[tuple[str, dict]]:
        """(meter, EmissionsReport) for the given meters (default: every meter of the meters table, in its order)."""
        for meter in self.meter_ids if meters is None else meters:
            made = self.report(meter)
            if validate:
                report.check(made, f"the report of meter {meter!r}")
            yield meter, made

    def report(self, meter: str) -> dict:
        data, sources, used = [], [], []
        for energy_type, entries in self.typed.items():
            position = self._position[energy_type].get(meter)
            where = self._slices.get(energy_type, {}).get(position) if position is not None else None
            if position is None or where is None:
                continue
            c = self._columns[energy_type]
            lo, hi = where
            data += [
                report.entry(
                    energy_type,
                    c["month"][k],
                    self.taken_at,
                    c["rounded"][k],
                    c["expected"][k],
                    c["present"][k],
                    c["duplicates"][k],
                )
                for k in range(lo, hi)
            ]
            with_readings = [k for k in range(lo, hi) if c["present"][k] > 0]
            sources.append(self._sources(entries, position, with_readings))
            partitions = sorted({int(c["partition"][k]) for k in with_readings})
            period = (min(c["first"][k] for k in with_readings), max(c["last"][k] for k in with_readings) + 1)
            used.append((entries, sources[-1], partitions, period))
        return {"data": data, "sources": sources, "provenance": self._provenance(meter, used)}

    def _sources(self, entries: TypeEntries, position: int, with_readings: list[int]) -> dict:
        m = entries.methodology
        c = self._columns[entries.energy_type]
        intensity = None
        if m.uses("grid-intensity"):
            intensity = self.portfolio.intensity.datasets[self._region[entries.energy_type][position]]
        values = self.context.types[entries.energy_type].calorific
        cv, served = None, []
        if values is not None and any(c["volume"][k] for k in with_readings):
            choices = 0
            for k in with_readings:
                choices |= c["cv_choices"][k]
            if choices:
                weighted, volume, plain = (sum(c[name][k] for k in with_readings) for name in CALORIFIC_SUMS)
                cv = calorific.of_sums(weighted, volume, plain, sum(c["volume"][k] for k in with_readings), choices)
                served = [c["month"][k] for k in with_readings if calorific.default_served(c["cv_choices"][k])]
            else:
                cv = calorific.of_meter(values, position)
                if values.choice[position] == calorific.DEFAULT:
                    served = [c["month"][k] for k in with_readings if c["volume"][k]]
        months = [c["month"][k] for k in with_readings]
        zone_use = calorific.zone_dataset(
            self.portfolio.zone_values, months, [c["cv_choices"][k] for k in with_readings]
        )
        spans = [(c["first"][k], c["last"][k]) for k in with_readings]
        return report.sources(m, months, entries.factors, intensity, cv, spans, zone_use, served)

    def _provenance(self, meter: str, used) -> dict:
        """Origin steps for the readings files and datasets, a process step per methodology (unsigned, as the calculator's)."""
        record = UnsignedRecord(TRUST_FRAMEWORK)
        file_steps = {}
        for _entries, _source, partitions, period in used:
            for k in partitions:
                if k in file_steps:
                    continue
                scheme = {
                    "meteringPeriod": {"from": z_half_hour(period[0]), "to": z_half_hour(period[1])},
                    "meter": meter,
                }
                if self._outcode.get(meter):
                    scheme["postcode"] = self._outcode[meter]
                file_steps[k] = record.add_step(
                    {
                        "type": "origin",
                        "timestamp": self.taken_at,
                        "sourceType": f"{SOURCE_TYPES}/Meter",
                        "perseus:file": {"name": self.portfolio.partitions[k].relative, "sha256": self.digest(k)},
                        "perseus:scheme": scheme,
                    }
                )
        for entries, source, partitions, _ in used:
            inputs = [file_steps[k] for k in partitions]
            for dataset in source["datasets"]:
                step = {
                    "type": "origin",
                    "timestamp": self.taken_at,
                    "sourceType": f"{SOURCE_TYPES}/{dataset['role']}",
                    "origin": dataset["url"],
                    "originLicense": dataset["licence"],
                    "perseus:dataset": {k: dataset[k] for k in ("publisher", "title", "version")},
                }
                if dataset["role"] == "grid-intensity":
                    step["perseus:file"] = {
                        "name": self.portfolio.intensity.path.name,
                        "sha256": self.portfolio.intensity.sha256,
                    }
                elif dataset["role"] == "calorific-values" and self.portfolio.zone_values is not None:
                    step["perseus:file"] = {
                        "name": self.portfolio.zone_values.path.name,
                        "sha256": self.portfolio.zone_values.sha256,
                    }
                inputs.append(record.add_step(step))
            record.add_step(
                {
                    "type": "process",
                    "timestamp": self.taken_at,
                    "process": entries.methodology.uri,
                    "perseus:methodology": entries.methodology.ref,
                    "inputs": inputs,
                }
            )
        return record.unsigned([])


def _file_digest(path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 22), b""):
            sha.update(block)
    return sha.hexdigest()


def entries_table(portfolio, typed: dict[str, TypeEntries], taken_at: str):
    """Every monthly entry of every meter as one pyarrow Table (columns ENTRY_COLUMNS), built column-wise
    from numpy without pandas (see perseus.calculator.arrow_buffers), in the types pandas would give."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def month_start(months: np.ndarray):
        ns = (EPOCH_MONTH + months.astype("timedelta64[M]")).astype("datetime64[ns]").astype(np.int64)
        return arrow.from_numbers(ns, pa.timestamp("ns", "UTC"))

    def int64(values: np.ndarray):
        return arrow.from_numbers(values.astype(np.int64), pa.int64())

    taken_us = parse_instant(taken_at, "takenAt") // 1_000
    tables = []
    for energy_type, entries in typed.items():
        frame = entries.frame
        if frame.empty:
            continue
        rows = len(frame)
        ids = arrow.strings(portfolio.meters.rows_of(energy_type)["meter"].tolist())
        months, expected, present = frame["month"], frame["expected"], frame["present"]
        columns = {
            "meter": pc.take(ids, int64(frame["meter"])),
            "type": arrow.repeated(energy_type, rows),
            "from": month_start(months),
            "to": month_start(months + 1),
            "takenAt": arrow.from_numbers(np.full(rows, taken_us, dtype=np.int64), pa.timestamp("us", "UTC")),
            "emissions": arrow.from_numbers(frame["rounded"].astype(np.float64), pa.float64()),
            "unitCode": arrow.repeated(report.KILOGRAMS, rows),
            "emissionsUnrounded": arrow.from_numbers(frame["total"].astype(np.float64), pa.float64()),
            "missingData": pc.take(arrow.strings([report.COMPLETE, report.MISSING]), int64(expected != present)),
            "expectedHalfHours": int64(expected),
            "presentHalfHours": int64(present),
            "missingHalfHours": int64(expected - present),
            "duplicateReadings": int64(frame["duplicates"]),
            "methodology": arrow.repeated(entries.methodology.ref, rows),
        }
        tables.append(pa.Table.from_arrays([columns[c] for c in ENTRY_COLUMNS], names=list(ENTRY_COLUMNS)))
    return pa.concat_tables(tables) if tables else entry_schema().empty_table()


def entry_schema():
    """The types of ENTRY_COLUMNS, as pandas writes them (an empty run's table has them too)."""
    import pyarrow as pa

    text, stamp, count, number = pa.large_string(), pa.timestamp("ns", "UTC"), pa.int64(), pa.float64()
    kinds = {"meter": text, "type": text, "from": stamp, "to": stamp, "takenAt": pa.timestamp("us", "UTC")}
    kinds |= {"emissions": number, "unitCode": text, "emissionsUnrounded": number, "missingData": text}
    kinds |= dict.fromkeys(ENTRY_COLUMNS[9:13], count) | {"methodology": text}
    assert tuple(kinds) == ENTRY_COLUMNS
    return pa.schema(list(kinds.items()))


def json_line(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"
