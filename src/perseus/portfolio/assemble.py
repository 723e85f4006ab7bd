"""From the kernel's per-partition totals to each meter's monthly figures (the core's `months`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

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
    frame: Columns  # one row per meter and month: meter (position), month, total, rounded, expected, present, duplicates, volume, first, last, partition
    factors: FactorTable = field(default_factory=FactorTable)


def entries_of_type(energy_type: str, parts: list[Columns], portfolio: Portfolio, extra: dict, window) -> TypeEntries:
    m = extra["methodology"]
    indexed = [
        Columns({**p.data, "partition": np.full(len(p), k, dtype=np.int64)})
        for k, p in enumerate(parts)
        if portfolio.partitions[k].energy_type == energy_type and len(p)
    ]
    if not indexed:
        return TypeEntries(energy_type, m, Columns(), extra["factors"])
    found = Columns.concat(indexed)
    found = found.take(np.lexsort((found["month"], found["meter"])))  # by meter, then month; stable
    with under(m.ref):
        _one_file_per_meter(found, portfolio, extra["meters"], energy_type)
    figures = monthly_figures(found, window, m.rounding)
    return TypeEntries(energy_type, m, figures, extra["factors"])


def _one_file_per_meter(found: Columns, portfolio: Portfolio, meters: Columns, energy_type: str) -> None:
    """Refuses a meter whose readings of the type are in more than one file (`found` sorted by meter)."""
    meter, partition = found["meter"], found["partition"]
    starts = np.flatnonzero(np.r_[True, meter[1:] != meter[:-1]])
    spread = np.flatnonzero(np.minimum.reduceat(partition, starts) != np.maximum.reduceat(partition, starts))
    if spread.size:
        first = int(meter[starts[spread[0]]])
        where = sorted(set(partition[meter == first].tolist()))
        names = [portfolio.partitions[k].relative for k in where]
        raise CalculationError(
            [
                Breach(
                    names[1],
                    "",
                    "one-file-per-meter",
                    f"{energy_type} readings of meter {meters['meter'][first]!r} are in {names[0]} "
                    f"and {names[1]}; keep each meter's readings of a type in one file",
                )
            ]
        )
