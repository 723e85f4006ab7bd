"""Emissions for a whole portfolio of meters: partitioned Parquet in, one report per meter out.

    from perseus.portfolio import calculate_portfolio
    run = calculate_portfolio("portfolio/", taken_at="2026-01-02T00:00:00Z")
    run.entries            # every monthly entry of every meter (pandas DataFrame)
    for meter, report in run.reports():   # EmissionsReport dicts, each validated
        ...
    run.write("reports.jsonl")            # or "entries.parquet"; written atomically

The layout is described in perseus.portfolio.layout; the methodology documents,
expression compiler, factor sets and calorific-value rule are the single-meter
calculator's. `engine="dask"` runs the same kernel on a Dask cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from perseus.calculator.errors import Breach, CalculationError

__all__ = ["calculate_portfolio", "PortfolioRun", "CalculationError", "Breach", "OUTPUT_FORMATS"]

OUTPUT_FORMATS = {".jsonl": "jsonl", ".parquet": "parquet"}


@dataclass
class PortfolioRun:
    portfolio: object
    context: object
    typed: dict
    taken_at: str

    @property
    def entries(self):
        from perseus.portfolio.reports import entries_table

        return entries_table(self.portfolio, self.typed, self.taken_at)

    @property
    def meters_without_readings(self) -> list[str]:
        """Meters of the meters table with no reading in the period: their reports have no entries."""
        meters = self.portfolio.meters.frame
        seen = set()
        for energy_type, entries in self.typed.items():
            if not entries.frame.empty:
                ids = meters.loc[meters["type"] == energy_type, "meter"].to_numpy()
                seen.update(ids[entries.frame["meter"].unique()].tolist())
        return [m for m in dict.fromkeys(meters["meter"].tolist()) if m not in seen]

    def reports(self, validate: bool = True) -> Iterator[tuple[str, dict]]:
        """(meter, EmissionsReport) for every meter of the meters table, in its order."""
        from perseus.portfolio.reports import ReportBuilder

        check = _report_validator() if validate else None
        for meter, report in ReportBuilder(self.portfolio, self.context, self.typed, self.taken_at).reports():
            if check is not None and not check.is_valid(report):
                problems = "\n".join(f"{e.instance_path}: {e.message}" for e in list(check.iter_errors(report))[:10])
                raise RuntimeError(f"the report of meter {meter!r} would not be valid {REPORT_SPEC}:\n{problems}")
            yield meter, report

    def write(self, target: Path | str, stream=None) -> int:
        """Write reports (.jsonl) or entries (.parquet) atomically; returns how many lines or rows."""
        from perseus.portfolio.output import write_output

        return write_output(self, Path(target) if target is not None else None, stream)


REPORT_SPEC = "emissions-data@2025-10-27"


def _report_validator():
    import jsonschema_rs

    from perseus.validation import class_schema, load_release_schema

    return jsonschema_rs.validator_for(class_schema(load_release_schema(REPORT_SPEC), "EmissionsReport"), validate_formats=True)


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
) -> PortfolioRun:
    """Monthly totals of every meter of the portfolio. Raises CalculationError (file, row, rule) for bad input."""
    import pandas as pd

    from perseus.calculator import _instant
    from perseus.paths import METHODOLOGIES
    from perseus.portfolio import assemble, context, engines, layout

    if engine not in engines.ENGINES:
        raise CalculationError([Breach("--engine", "", "readable-input", f"{engine!r} is not one of {', '.join(engines.ENGINES)}")])
    taken = _instant(taken_at, "--taken-at") if taken_at else pd.Timestamp(datetime.now(UTC).replace(microsecond=0))
    window = []
    for option, text in (("--from", start), ("--to", end)):
        if text is None:
            window.append(None)
            continue
        instant = _instant(text, option)
        if instant.value % layout.HALF_HOUR_NS:
            raise CalculationError([Breach(option, "", "half-hour-boundaries", f"{instant:%Y-%m-%dT%H:%M:%SZ} is not on a UTC half-hour boundary")])
        window.append(instant.value // layout.HALF_HOUR_NS)
    if window[0] is not None and window[1] is not None and window[1] <= window[0]:
        raise CalculationError([Breach("--to", "", "readable-input", "--to must be after --from")])
    chosen = context.methodologies(methods, methodologies_dir or METHODOLOGIES)
    portfolio = layout.open_portfolio(Path(directory))
    kernel_context, extras = context.build(portfolio, chosen, calorific_value, tuple(window))
    if engine == "dask":
        parts = engines.run_dask(portfolio, kernel_context, scheduler, progress, client=client)
    else:
        parts = engines.run_local(portfolio, kernel_context, progress)
    typed = {}
    for energy_type, extra in extras.items():
        typed[energy_type] = assemble.entries_of_type(energy_type, parts, portfolio, extra, tuple(window))
        assemble.check_calorific_values(typed[energy_type], portfolio, extra["meters"])
    return PortfolioRun(portfolio, kernel_context, typed, f"{taken:%Y-%m-%dT%H:%M:%SZ}")
