"""The single-file entry point: consumption files in, one EmissionsReport out, by the portfolio's kernel.

The readings of all files become one table per energy type, with each row's file
and record for errors; the kernel treats it as a portfolio partition whose meters
are the files' meters, and the report sums those meters' monthly totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from perseus.calculator import calorific, instants, kernel, months, report
from perseus.calculator.errors import Breach, CalculationError, Labels, Repeat, under
from perseus.calculator.factors import FactorTable
from perseus.calculator.inputs import ConsumptionFile, read_consumption, read_intensity
from perseus.calculator.intensity import IntensityLookup, RegionalIntensity
from perseus.calculator.methods import chosen_methodologies, methodology_for
from perseus.vocabulary import ENERGY_TYPES


@dataclass
class TypeResult:
    """What one energy type of the report drew on (the provenance record is built from it)."""

    energy_type: str
    methodology: object
    datasets: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


@dataclass
class FilesRun:
    report: dict  # the EmissionsReport
    figures: dict[
        str, pd.DataFrame
    ]  # per energy type, every month: month, total (unrounded), rounded, expected, present, ...


def calculate_files(
    consumption: Sequence[str | Path],
    intensity: str | Path | None = None,
    calorific_value: float | None = None,
    methods: Iterable[str] = (),
    start: str | None = None,
    end: str | None = None,
    taken_at: str | None = None,
    methodologies_dir: Path | None = None,
    explain: bool = False,
) -> FilesRun:
    """The report of the files and its monthly figures (with `explain`, every input and step of each month)."""
    from perseus.paths import METHODOLOGIES
    from perseus.provenance import unsigned as provenance

    directory = methodologies_dir or METHODOLOGIES
    stamp = instants.taken_at(taken_at)
    chosen = chosen_methodologies(methods, directory)
    if not consumption:
        raise CalculationError([Breach("--consumption", "", "readable-input", "give at least one consumption file")])
    files = [read_consumption(Path(p)) for p in consumption]
    series = read_intensity(Path(intensity)) if intensity else None
    window = instants.window(start, end)
    # In order of the files' names, so that the same readings give the same report whatever the order given.
    readings = pd.concat([f.readings for f in sorted(files, key=lambda f: str(f.path))], ignore_index=True)
    entries, sources, results, figures = [], [], [], {}
    for energy_type in ENERGY_TYPES:
        rows = readings[readings["type"] == energy_type].reset_index(drop=True)
        if not len(rows):
            continue
        m = methodology_for(energy_type, chosen, directory)
        with under(m.ref):
            if m.uses("grid-intensity"):
                _check_outcodes(files, series)
            found = _one_type(m, rows, series, calorific_value, window, stamp, explain)
        if found is not None:
            entries += found[0]
            sources.append(found[1])
            results.append(found[2])
            figures[energy_type] = found[3]
    made = {"data": entries, "sources": sources, "provenance": provenance.build(stamp, files, series, results)}
    report.check(made)
    return FilesRun(made, figures)


def _one_type(m, rows: pd.DataFrame, series: RegionalIntensity | None, caller_cv, window, stamp: str, explain: bool):
    """Entries, sources and what was used for one energy type, or None when no reading falls in the window."""
    labels = Labels(rows["file"].to_numpy(), rows["record"].to_numpy())
    meter_ids = sorted(set(rows["meter"].tolist()))
    # A file's value and a reading's own both travel with the reading (column calorificValue); none per meter.
    values = calorific.resolve(
        m, np.full(len(meter_ids), np.nan), caller_cv, Labels(Repeat("--consumption"), meter_ids)
    )
    factors = FactorTable.of(m.factor_rule)
    t = kernel.lean(
        kernel.TypeContext(
            m.energy_type, str(m.path), m.document, meter_ids, np.zeros(len(meter_ids), np.int64), factors, values
        )
    )
    lookup = (
        IntensityLookup(series.matrix, series.first_half_hour, str(series.path), tuple(series.regions))
        if series
        else IntensityLookup()
    )
    ctx = kernel.KernelContext({m.energy_type: t}, lookup, window)
    found, used = kernel.aggregate(_table(rows), m.energy_type, labels, ctx, trace=True, explain=explain)
    if found.empty:
        return None
    merged, meters = months.all_meters_as_one(found)
    figures = months.monthly_figures(merged, window, m.rounding, meters)
    entries = [
        report.entry(m.energy_type, month, stamp, rounded, expected, present, duplicates)
        for month, rounded, expected, present, duplicates in zip(
            figures["month"].tolist(),
            figures["rounded"].tolist(),
            figures["expected"].tolist(),
            figures["present"].tolist(),
            figures["duplicates"].tolist(),
            strict=True,
        )
    ]
    cv = calorific.of_rows(merged) if values is not None else None
    intensity = series.datasets[""] if series is not None else None
    sources = report.sources(m, merged["month"].tolist(), factors, intensity, cv)
    names = rows["file"].to_numpy()
    used_files = sorted(set(names[used.used].tolist()) | set(names[used.repeats].tolist()))
    return entries, sources, TypeResult(m.energy_type, m, sources["datasets"], used_files), figures


def _table(rows: pd.DataFrame) -> pa.Table:
    """The readings of one type as the kernel reads a partition: meter, from (UTC), value, unitCode."""
    return pa.table(
        {
            "meter": pa.array(rows["meter"].astype(str).tolist(), pa.string()).dictionary_encode(),
            "from": pa.array(rows["from"].to_numpy(dtype="datetime64[ns]").astype(np.int64), pa.int64()).cast(
                pa.timestamp("ns", "UTC")
            ),
            "value": pa.array(rows["value"].to_numpy(dtype=float), pa.float64()),
            "unitCode": pa.array(rows["unit"].astype(str).tolist(), pa.string()).dictionary_encode(),
            "calorificValue": pa.array(rows["cv"].to_numpy(dtype=float), pa.float64()),
        }
    )


def _check_outcodes(files: list[ConsumptionFile], series: RegionalIntensity | None) -> None:
    """A series fetched for one outcode serves meters there only."""
    if series is None or not series.postcode:
        return
    mismatched = [f for f in files if f.outcode and f.outcode != series.postcode]
    if mismatched:
        raise CalculationError(
            [
                Breach(
                    str(mismatched[0].path),
                    "$.location.ukPostcodeOutcode",
                    "intensity-for-every-half-hour",
                    f"the meter is in {mismatched[0].outcode} but {series.path} is the intensity for {series.postcode}",
                )
            ]
        )
