"""The calorific-value rule of a methodology: which value turns each gas volume into energy, checked and reported.

A value is held per *holder*: a reading (files, where a reading may carry its own
value) or a row of the portfolio's meters table. The rule's precedence picks one
per holder; a holder that gives volume readings must then have a usable one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perseus.calculator.errors import Breach, CalculationError, Labels, raise_if
from perseus.methodology.model_schema import enum_values


@dataclass
class CalorificValues:
    per_reading: bool  # holders are the readings (in table order), else the meters of the type
    value: np.ndarray  # MJ/m³ by the rule's precedence; NaN where no place gives one
    choice: np.ndarray  # the place the value came from ("" where none)
    data: np.ndarray  # the value the data carries (NaN where none)
    labels: Labels  # names each holder in an error
    unusable: np.ndarray  # holders that could not serve a volume reading (no value, or one in the data out of range)


def resolve(m, data: np.ndarray, caller_cv: float | None, labels: Labels, per_reading: bool) -> CalorificValues | None:
    """Each holder's value by the rule's precedence; None when the methodology takes no calorific value."""
    rule = m.calorific_rule
    if not rule or not m.uses("calorific-value"):
        return None
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    if caller_cv is not None and not (low <= caller_cv <= high):
        raise CalculationError([Breach("--calorific-value", "", "usable-calorific-value", f"{caller_cv} MJ/m³ is outside {low}–{high}")])
    count = len(data)
    candidates = {
        "data": data,
        "caller": np.full(count, np.nan if caller_cv is None else caller_cv),
        "methodology-default": np.full(count, m.parameters.get(rule.get("defaultParameter"), np.nan)),
    }
    value = np.full(count, np.nan)
    choice = np.full(count, "", dtype=object)
    for origin in rule["precedence"]:
        take = np.isnan(value) & np.isfinite(candidates[origin])
        value = np.where(take, candidates[origin], value)
        choice = np.where(take, origin, choice)
    unusable = np.isnan(value) | (np.isfinite(data) & ((data < low) | (data > high)))
    return CalorificValues(per_reading, value, choice, data, labels, unusable)


def check(m, values: CalorificValues, needs: np.ndarray) -> None:
    """Holders with volume readings (`needs`) must have a value, and a value in the data must be in range."""
    rule = m.calorific_rule
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    data = values.data
    raise_if([
        values.labels.breach(needs & np.isfinite(data) & ((data < low) | (data > high)), "usable-calorific-value",
                             lambda i: f"calorific value {data[i]} MJ/m³ in the data is outside {low}–{high}"),
        values.labels.breach(needs & np.isnan(values.value), "usable-calorific-value",
                             lambda i: f"gas in cubic metres but no calorific value: none in the data, none given "
                                       f"with --calorific-value, and {m.ref} has no default"),
    ])


def summary(value: np.ndarray, choice: np.ndarray, volume: np.ndarray) -> dict:
    """The report's calorificValue: the value used (weighted by volume when several were) and, of the places
    used, the last in the rule's order of places (CalorificValueOrigin)."""
    weights = volume if volume.sum() > 0 else np.ones(len(volume))
    order = enum_values("CalorificValueOrigin")
    weakest = max(set(choice.tolist()), key=order.index)
    return {"megajoulesPerCubicMetre": round(float(np.average(value, weights=weights)), 6), "choice": weakest}
