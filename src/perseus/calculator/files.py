"""The single-file entry point: consumption files in, one EmissionsReport out, by the portfolio's kernel.

The readings of all files become one table per energy type, with each row's file
and record for errors; the kernel treats it as a portfolio partition whose meters
are the files' meters, and the report sums those meters' monthly totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from perseus.calculator import calorific, instants, kernel, months, report
from perseus.calculator.columns import Columns
from perseus.calculator.errors import Breach, CalculationError, Labels, Repeat, under
from perseus.calculator.factors import FactorTable
from perseus.calculator.inputs import ConsumptionFile, read_consumption, read_intensity
from perseus.calculator.intensity import IntensityLookup, RegionalIntensity
from perseus.calculator.methods import chosen_methodologies, methodology_for
from perseus.calculator.readings import NumpyReadings
from perseus.calculator.zones import ZoneCalorificValues, read_calorific_values
from perseus.vocabulary import ENERGY_TYPES

if TYPE_CHECKING:
    import pandas as pd


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
    monthly: dict[str, Columns]  # per energy type, every month: month, total (unrounded), rounded, expected, ...

    @property
    def figures(self) -> dict[str, pd.DataFrame]:
        """`monthly` as pandas DataFrames, for the readers that want them."""
        return {energy_type: columns.to_pandas() for energy_type, columns in self.monthly.items()}


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
    calorific_values: str | Path | None = None,
) -> FilesRun:
    """The report of the files and its monthly figures (with `explain`, every input and step of each month).
    `calorific_values`: a file of daily calorific values per distribution zone, for a methodology that takes them."""
    from perseus.paths import METHODOLOGIES
    from perseus.provenance import unsigned as provenance

    directory = methodologies_dir or METHODOLOGIES
    stamp = instants.taken_at(taken_at)
    chosen = chosen_methodologies(methods, directory)
    if not consumption:
        raise CalculationError([Breach("--consumption", "", "readable-input", "give at least one consumption file")])
    files = [read_consumption(Path(p)) for p in consumption]
    series = read_intensity(Path(intensity)) if intensity else None
    zone_values = read_calorific_values(Path(calorific_values)) if calorific_values else None
    window = instants.window(start, end)
    # In order of the files' names, so that the same readings give the same report whatever the order given.
    readings = Columns.concat([f.columns for f in sorted(files, key=lambda f: str(f.path))])
    entries, sources, results, figures = [], [], [], {}
    for energy_type in ENERGY_TYPES:
        rows = readings.take(readings["type"] == energy_type)
        if not len(rows):
            continue
        m = methodology_for(energy_type, chosen, directory)
        with under(m.ref):
            if m.uses("grid-intensity"):
                _check_outcodes(files, series)
            found = _one_type(m, rows, series, calorific_value, window, stamp, explain, zone_values)
        if found is not None:
            entries += found[0]
            sources.append(found[1])
            results.append(found[2])
            figures[energy_type] = found[3]
    made = {
        "data": entries,
        "sources": sources,
        "provenance": provenance.build(stamp, files, series, results, zone_values),
    }
    report.check(made)
    return FilesRun(made, figures)


def _one_type(
    m,
    rows: Columns,
    series: RegionalIntensity | None,
    caller_cv,
    window,
    stamp: str,
    explain: bool,
    zone_values: ZoneCalorificValues | None = None,
):
    """Entries, sources and what was used for one energy type, or None when no reading falls in the window."""
    labels = Labels(rows["file"], rows["record"])
    meter_ids = sorted(set(rows["meter"].tolist()))
    # A file's value and a reading's own both travel with the reading (column calorificValue); none per meter.
    values = calorific.resolve(
        m, np.full(len(meter_ids), np.nan), caller_cv, Labels(Repeat("--consumption"), meter_ids)
    )
    factors = FactorTable.of(m.factor_rule, m.factor_inputs)
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
    ctx = kernel.KernelContext({m.energy_type: t}, lookup, window, zone_values)
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
    spans = list(zip(merged["first"].tolist(), merged["last"].tolist(), strict=True))
    zone_use = calorific.zone_dataset(zone_values, merged["month"].tolist(), merged["cv_choices"].tolist())
    served = [
        k
        for k, choices in zip(merged["month"].tolist(), merged["cv_choices"].tolist(), strict=True)
        if calorific.default_served(choices)
    ]
    sources = report.sources(m, merged["month"].tolist(), factors, intensity, cv, spans, zone_use, served)
    names = rows["file"]
    used_files = sorted(set(names[used.used].tolist()) | set(names[used.repeats].tolist()))
    return entries, sources, TypeResult(m.energy_type, m, sources["datasets"], used_files), figures


def _table(rows: Columns) -> NumpyReadings:
    """The readings of one type as the kernel reads a partition: meter, from (UTC), value, unitCode, with
    each reading's calorific value and zone (read and checked already, so without pyarrow)."""
    return NumpyReadings.of(rows["meter"], rows["unit"], rows["from"], rows["value"], rows["cv"], rows["zone"])


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
