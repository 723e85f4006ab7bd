"""From the kernel's per-partition totals to each meter's monthly figures (the core's `months`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from perseus.calculator.columns import Columns
from perseus.calculator.errors import Breach, CalculationError, under
from perseus.calculator.factors import FactorTable
from perseus.calculator.months import monthly_figures
from perseus.methodology.documents import CompiledMethodology
from perseus.portfolio.layout import Portfolio


@dataclass
class TypeEntries:
    energy_type: str
    methodology: CompiledMethodology
    frame: pd.DataFrame  # one row per meter and month: meter (position), month, total, rounded, expected, present, duplicates, volume, first, last, partition
    factors: FactorTable = field(default_factory=FactorTable)


def entries_of_type(energy_type: str, parts: list[Columns], portfolio: Portfolio, extra: dict, window) -> TypeEntries:
    m = extra["methodology"]
    indexed = [
        p.to_pandas().assign(partition=k)
        for k, p in enumerate(parts)
        if portfolio.partitions[k].energy_type == energy_type and len(p)
    ]
    if not indexed:
        return TypeEntries(energy_type, m, pd.DataFrame(), extra["factors"])
    found = pd.concat(indexed, ignore_index=True).sort_values(["meter", "month"], kind="stable").reset_index(drop=True)
    with under(m.ref):
        _one_file_per_meter(found, portfolio, extra["meters"], energy_type)
    figures = monthly_figures(Columns.of(found), window, m.rounding).to_pandas()
    return TypeEntries(energy_type, m, figures, extra["factors"])


def _one_file_per_meter(found: pd.DataFrame, portfolio: Portfolio, meters: pd.DataFrame, energy_type: str) -> None:
    spread = found.groupby("meter")["partition"].nunique()
    if (spread > 1).any():
        meter = int(spread[spread > 1].index[0])
        where = sorted(found.loc[found["meter"] == meter, "partition"].unique())
        names = [portfolio.partitions[k].relative for k in where]
        raise CalculationError(
            [
                Breach(
                    names[1],
                    "",
                    "one-file-per-meter",
                    f"{energy_type} readings of meter {meters['meter'].iloc[meter]!r} are in {names[0]} "
                    f"and {names[1]}; keep each meter's readings of a type in one file",
                )
            ]
        )
