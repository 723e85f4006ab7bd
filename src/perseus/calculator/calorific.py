"""The calorific-value rule of a methodology: which value turns each gas volume into energy, checked and reported.

The data gives a value per meter (the meters table, for a portfolio) and may give
one per reading (MeterData: on the reading, else on the file; a portfolio's
readings may carry a `calorificValue` column). The rule's precedence then picks
one per meter, or per reading where readings carry values; whatever gives volume
readings must have a usable one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perseus.calculator.errors import Breach, CalculationError, Labels, raise_if
from perseus.vocabulary import CALORIFIC_ORIGINS as ORIGINS


@dataclass
class CalorificValues:
    value: np.ndarray  # MJ/m³ by the rule's precedence; NaN where no place gives one
    choice: np.ndarray  # int8: the place the value came from (index in ORIGINS), -1 where none
    data: np.ndarray  # the value the data carries (NaN where none)
    labels: Labels  # names each holder (meter or reading) in an error
    unusable: np.ndarray  # holders that could not serve a volume reading (no value, or one in the data out of range)
    caller: float | None = None  # the caller's value, to resolve readings that carry their own


def resolve(m, data: np.ndarray, caller_cv: float | None, labels: Labels) -> CalorificValues | None:
    """Each holder's value by the rule's precedence; None when the methodology takes no calorific value."""
    if not m.calorific_rule or not m.uses("calorific-value"):
        return None
    return _resolved(m, data, caller_cv, labels)


def _resolved(m, data: np.ndarray, caller_cv: float | None, labels: Labels) -> CalorificValues:
    rule = m.calorific_rule
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    if caller_cv is not None and not (low <= caller_cv <= high):
        raise CalculationError(
            [Breach("--calorific-value", "", "usable-calorific-value", f"{caller_cv} MJ/m³ is outside {low}–{high}")]
        )
    count = len(data)
    candidates = {
        "data": data,
        "caller": np.full(count, np.nan if caller_cv is None else caller_cv),
        "methodology-default": np.full(count, m.parameters.get(rule.get("defaultParameter"), np.nan)),
    }
    value = np.full(count, np.nan)
    choice = np.full(count, -1, dtype=np.int8)
    for origin in rule["precedence"]:
        take = np.isnan(value) & np.isfinite(candidates[origin])
        value = np.where(take, candidates[origin], value)
        choice = np.where(take, ORIGINS.index(origin), choice).astype(np.int8)
    unusable = np.isnan(value) | (np.isfinite(data) & ((data < low) | (data > high)))
    return CalorificValues(value, choice, data, labels, unusable, caller_cv)


def of_readings(m, meters: CalorificValues, reading: np.ndarray, meter: np.ndarray, labels: Labels) -> CalorificValues:
    """Per reading: its own value, else its meter's (`meter`: the reading's holder in `meters`), by the rule."""
    data = np.where(np.isfinite(reading), reading, meters.data.take(meter))
    return _resolved(m, data, meters.caller, labels)


def check(m, values: CalorificValues, needs: np.ndarray) -> None:
    """Holders with volume readings (`needs`) must have a value, and a value in the data must be in range."""
    rule = m.calorific_rule
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    data = values.data
    raise_if(
        [
            values.labels.breach(
                needs & np.isfinite(data) & ((data < low) | (data > high)),
                "usable-calorific-value",
                lambda i: f"calorific value {data[i]} MJ/m³ in the data is outside {low}–{high}",
            ),
            values.labels.breach(
                needs & np.isnan(values.value),
                "usable-calorific-value",
                lambda i: (
                    f"gas in cubic metres but no calorific value: none in the data, none given "
                    f"with --calorific-value, and {m.ref} has no default"
                ),
            ),
        ]
    )


def of_meter(values: CalorificValues, position: int) -> dict:
    """The report's calorificValue where a meter's one value served all its volume readings."""
    return {
        "megajoulesPerCubicMetre": round(float(values.value[position]), 6),
        "choice": ORIGINS[values.choice[position]],
    }


def of_sums(weighted: float, volume: float, plain: float, count: int, choices: int) -> dict:
    """The report's calorificValue where readings had their own: the mean weighted by volume (a plain mean
    when all volumes are zero) and, of the places used (bits of `choices`), the last in ORIGINS."""
    mean = weighted / volume if volume > 0 else plain / count
    return {"megajoulesPerCubicMetre": round(float(mean), 6), "choice": ORIGINS[int(choices).bit_length() - 1]}


def of_rows(frame) -> dict | None:
    """The report's calorificValue from the kernel's monthly sums (readings with their own values), or None."""
    choices = int(np.bitwise_or.reduce(frame["cv_choices"].to_numpy())) if len(frame) else 0
    if not choices:
        return None
    weighted, volume, plain = (sum(frame[name].tolist()) for name in ("cv_weighted", "cv_volume", "cv_plain"))
    return of_sums(weighted, volume, plain, int(frame["volume"].sum()), choices)
