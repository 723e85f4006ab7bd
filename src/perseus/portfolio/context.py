"""Turn a portfolio and the caller's options into the kernel's plain-data context.

The meters table gives each meter its intensity region and calorific value; the
factor-set and calorific-value rules are the calculation core's.
"""

from __future__ import annotations

import numpy as np

from perseus.calculator import calorific
from perseus.calculator.errors import Labels, Repeat, raise_if, under
from perseus.calculator.factors import FactorTable
from perseus.calculator.intensity import IntensityLookup
from perseus.calculator.kernel import KernelContext, TypeContext, lean
from perseus.calculator.zones import zone_numbers
from perseus.portfolio.layout import Portfolio
from perseus.vocabulary import ENERGY_TYPES


def _regions(m, meters, portfolio: Portfolio, labels: Labels) -> np.ndarray:
    """Per meter, its row of the intensity matrix (-1 without one); a region the table does not cover is refused."""
    intensity = portfolio.intensity
    if not m.uses("grid-intensity") or intensity is None:
        return np.full(
            len(meters), -1, dtype=np.int64
        )  # without a table, the kernel names the first reading that needs one
    regions = meters["region"]
    row_of = {r: k for k, r in enumerate(intensity.regions)}
    region_row = np.array([row_of.get(r, -1) for r in regions], dtype=np.int64)
    raise_if(
        [
            labels.breach(
                region_row < 0,
                "intensity-for-every-half-hour",
                lambda i: (
                    f"meter {meters['meter'][i]!r} is in region {regions[i]!r}, which "
                    f"{intensity.path.name} does not cover (regions: {', '.join(intensity.regions)})"
                ),
            )
        ]
    )
    return region_row


def build(
    portfolio: Portfolio, chosen: dict, caller_cv, window, factor_sets: dict | None = None
) -> tuple[KernelContext, dict]:
    """The kernel context, and per type what the reports need (methodology, factor sets, meters).
    `factor_sets` (year -> FactorSetData) replaces the sets in factors/ that the factor-set rules choose from."""
    types, extras = {}, {}
    for energy_type in ENERGY_TYPES:
        meters = portfolio.meters.rows_of(energy_type)
        m = chosen[energy_type]
        labels = Labels(Repeat(str(portfolio.meters.path)), meters["record"])
        with under(m.ref):
            factors = (
                FactorTable.of(m.factor_rule, m.factor_inputs, factor_sets)
                if m.uses("emission-factors")
                else FactorTable()
            )
            values = calorific.resolve(m, np.asarray(meters["cv"], dtype=float), caller_cv, labels)
            zones = zone_numbers(meters["zone"], labels) if calorific.uses_zones(m) else None
            types[energy_type] = lean(
                TypeContext(
                    energy_type,
                    str(m.path),
                    m.document,
                    meters["meter"].tolist(),
                    _regions(m, meters, portfolio, labels),
                    factors,
                    values,
                    zones,
                )
            )
        extras[energy_type] = {"methodology": m, "factors": factors, "meters": meters}
    intensity = portfolio.intensity
    lookup = (
        IntensityLookup(
            intensity.matrix,
            intensity.first_half_hour,
            intensity.path.name,
            tuple(intensity.regions),
            missing="the portfolio has no intensity table",
        )
        if intensity
        else IntensityLookup(missing="the portfolio has no intensity table")
    )
    return KernelContext(types, lookup, window, portfolio.zone_values), extras
