"""Emissions for a whole portfolio of meters: partitioned Parquet in, one report per meter out.

    from perseus.portfolio import calculate_portfolio
    run = calculate_portfolio("portfolio/", taken_at="2026-01-02T00:00:00Z")
    run.entries            # every monthly entry of every meter (pandas DataFrame; run.entries_table(): pyarrow)
    for meter, report in run.reports():   # EmissionsReport dicts, each validated
        ...
    run.write("reports.jsonl")            # or "entries.parquet"; written atomically, on every core

The layout is described in perseus.portfolio.layout; the methodology documents,
expression compiler, factor sets and calorific-value rule are the single-meter
calculator's. `engine="dask"` runs the same kernel on a Dask cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from perseus.calculator.errors import Breach, CalculationError

if TYPE_CHECKING:
    from perseus.calculator.kernel import KernelContext
    from perseus.portfolio.layout import Portfolio

__all__ = ["calculate_portfolio", "PortfolioRun", "CalculationError", "Breach", "OUTPUT_FORMATS"]

OUTPUT_FORMATS = {".jsonl": "jsonl", ".parquet": "parquet"}


@dataclass
class PortfolioRun:
    portfolio: Portfolio
    context: KernelContext
    typed: dict
    taken_at: str

    @property
    def entries(self):
        return self.entries_table().to_pandas()

    def entries_table(self):
        """The entries as a pyarrow Table (what the .parquet output holds), made without importing pandas."""
        from perseus.portfolio.reports import entries_table

        return entries_table(self.portfolio, self.typed, self.taken_at)

    @property
    def meters_without_readings(self) -> list[str]:
        """Meters of the meters table with no reading in the period: their reports have no entries."""
        meters = self.portfolio.meters.frame
        seen = set()
        for energy_type, entries in self.typed.items():
            if not entries.frame.empty:
                ids = meters["meter"][meters["type"] == energy_type]
                seen.update(ids[np.unique(entries.frame["meter"])].tolist())
        return [m for m in dict.fromkeys(meters["meter"].tolist()) if m not in seen]

    def report_builder(self):
        from perseus.portfolio.reports import ReportBuilder

        return ReportBuilder(self.portfolio, self.context, self.typed, self.taken_at)

    def reports(self, validate: bool = True) -> Iterator[tuple[str, dict]]:
        """(meter, EmissionsReport) for every meter of the meters table, in its order."""
        return self.report_builder().reports(validate)

    def write(self, target: Path | str, stream=None) -> int:
        """Write reports (.jsonl) or entries (.parquet) atomically; returns how many lines or rows."""
        from perseus.portfolio.output import write_output

        return write_output(self, Path(target) if target is not None else None, stream)


def calculate_portfolio(
    directory: str | Path,
    calorific_value: float | None = None,
    methods: Iterable[str] = (),
    start: str | None = None,
    end: str | None = None,
    taken_at: str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = False,
    methodologies_dir: Path | None = None,
    client=None,
    calorific_values: str | Path | None = None,
    factor_sets: dict | None = None,
) -> PortfolioRun:
    """Monthly totals of every meter of the portfolio. Raises CalculationError (file, row, rule) for bad input.
    `factor_sets` (year -> FactorSetData) stands in for the sets in factors/ (an impact report's what-if)."""
    from perseus.calculator import instants
    from perseus.calculator.methods import chosen_methodologies, methodology_for
    from perseus.paths import METHODOLOGIES
    from perseus.portfolio import assemble, context, engines, layout
    from perseus.vocabulary import ENERGY_TYPES

    if engine not in engines.ENGINES:
        raise CalculationError(
            [Breach("--engine", "", "readable-input", f"{engine!r} is not one of {', '.join(engines.ENGINES)}")]
        )
    taken = instants.taken_at(taken_at)
    window = instants.window(start, end)
    folder = methodologies_dir or METHODOLOGIES
    chosen = chosen_methodologies(methods, folder)
    chosen = {energy_type: methodology_for(energy_type, chosen, folder) for energy_type in ENERGY_TYPES}
    portfolio = layout.open_portfolio(Path(directory), Path(calorific_values) if calorific_values else None)
    kernel_context, extras = context.build(portfolio, chosen, calorific_value, window, factor_sets)
    if engine == "dask":
        parts = engines.run_dask(portfolio, kernel_context, scheduler, progress, client=client)
    else:
        parts = engines.run_local(portfolio, kernel_context, progress)
    typed = {
        energy_type: assemble.entries_of_type(energy_type, parts, portfolio, extra, window)
        for energy_type, extra in extras.items()
    }
    return PortfolioRun(portfolio, kernel_context, typed, taken)
