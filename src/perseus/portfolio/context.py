"""Turn a portfolio and the caller's options into the kernel's plain-data context.

Methodology choice, the factor-set rule and the calorific-value rule are read
from the same methodology documents and factor sets as the single-meter calculator.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from perseus.calculator.errors import Breach, CalculationError, breach_for_rows, raise_if
from perseus.calculator.inputs import ENERGY_TYPES
from perseus.methodology.factors import FactorSet, sets_for
from perseus.portfolio.kernel import KernelContext, TypeContext
from perseus.portfolio.layout import Portfolio


def methodologies(methods, directory: Path) -> dict:
    """The methodology of each energy type: the caller's choice, else the latest approved default."""
    from perseus.calculator import _choose_methods
    from perseus.methodology.documents import DEFAULTS, MethodologyError, resolve

    chosen = _choose_methods(methods, directory, resolve, DEFAULTS, MethodologyError)
    for energy_type in ENERGY_TYPES:
        if energy_type not in chosen:
            try:
                chosen[energy_type] = resolve(DEFAULTS[energy_type], directory)
            except MethodologyError as exc:
                raise CalculationError([Breach("--method", "", "readable-input", str(exc))]) from exc
    return chosen


def factor_table(rule: dict) -> tuple[np.ndarray, np.ndarray, dict[int, FactorSet]]:
    available: dict[int, tuple[FactorSet, float]] = {}
    for year, factor_set in sets_for(rule["publisher"]).items():
        value = factor_set.value(rule["activity"], rule["unitBasis"], rule["ghg"])
        if value is not None:  # a set without this factor cannot serve the rule
            available[year] = (factor_set, value)
    years = np.array(sorted(available), dtype=np.int64)
    return years, np.array([available[int(y)][1] for y in years], dtype=float), {y: s for y, (s, _) in available.items()}


def calorific_values(m, meters, caller_cv: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Per meter, the calorific value by the rule's precedence and where it came from."""
    rule = m.calorific_rule
    count = len(meters)
    if not rule:
        return np.full(count, np.nan), np.full(count, "", dtype=object)
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    if caller_cv is not None and not (low <= caller_cv <= high):
        raise CalculationError([Breach("--calorific-value", "", "usable-calorific-value", f"{caller_cv} MJ/m³ is outside {low}–{high}")])
    candidates = {
        "data": meters["cv"].to_numpy(dtype=float),
        "caller": np.full(count, np.nan if caller_cv is None else caller_cv),
        "methodology-default": np.full(count, m.parameters.get(rule.get("defaultParameter"), np.nan)),
    }
    value = np.full(count, np.nan)
    choice = np.full(count, "", dtype=object)
    for origin in rule["precedence"]:
        take = np.isnan(value) & np.isfinite(candidates[origin])
        value = np.where(take, candidates[origin], value)
        choice = np.where(take, origin, choice)
    return value, choice


def build(portfolio: Portfolio, chosen: dict, caller_cv, window) -> tuple[KernelContext, dict]:
    """The kernel context, and per type what the reports need (methodology, factor sets, CV choices)."""
    intensity = portfolio.intensity
    types, extras = {}, {}
    for energy_type in ENERGY_TYPES:
        meters = portfolio.meters.rows_of(energy_type)
        m = chosen[energy_type]
        region_row = np.full(len(meters), -1, dtype=np.int64)
        if m.uses("grid-intensity"):
            files = np.full(len(meters), str(portfolio.meters.path), dtype=object)
            records = meters["record"].to_numpy()
            regions = meters["region"].to_numpy()
            if intensity is None:
                raise_if([breach_for_rows(np.ones(len(meters), dtype=bool), files, records, "intensity-for-every-half-hour",
                                          lambda i: f"{m.ref} needs half-hourly grid intensity: the portfolio has no intensity table")])
            else:
                row_of = {r: k for k, r in enumerate(intensity.regions)}
                region_row = np.array([row_of.get(r, -1) for r in regions], dtype=np.int64)
                raise_if([breach_for_rows(region_row < 0, files, records, "intensity-for-every-half-hour",
                                          lambda i: f"meter {meters['meter'].iloc[i]!r} is in region {regions[i]!r}, which "
                                                    f"{intensity.path.name} does not cover (regions: {', '.join(intensity.regions)})")])
        years, values, sets = (factor_table(m.factor_rule) if m.uses("emission-factors")
                               else (np.zeros(0, np.int64), np.zeros(0), {}))
        cv, choice = calorific_values(m, meters, caller_cv) if m.uses("calorific-value") else (np.full(len(meters), np.nan), None)
        types[energy_type] = TypeContext(
            energy_type, str(m.path), m.document, meters["meter"].tolist(), region_row, cv, years, values,
            reject_substitute=bool(m.factor_rule and m.factor_rule["whenMissing"] == "reject"),
        )
        extras[energy_type] = {"methodology": m, "factor_sets": sets, "cv_choice": choice, "meters": meters}
    context = KernelContext(types, intensity.matrix if intensity else None, intensity.first_half_hour if intensity else 0,
                            intensity.path.name if intensity else "", window)
    return context, extras
