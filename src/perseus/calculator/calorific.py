"""The calorific-value rule of a methodology: which value turns each gas volume into energy, checked and reported.

The data gives a value per meter (the meters table, for a portfolio) and may give
one per reading (MeterData: on the reading, else on the file; a portfolio's
readings may carry a `calorificValue` column). The rule's precedence then picks
one per meter, or per reading where readings carry values; whatever gives volume
readings must have a usable one. A rule that looks at the meter's distribution zone
(`distribution-zone-daily`) takes, per reading, the zone's value on its gas day
(`perseus.calculator.zones`), so its values are always per reading. Where the methodology's default served, the
report names it among its datasets (`default_dataset`), as it names every other
dataset the figures used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from perseus.calculator.errors import Breach, CalculationError, Labels, raise_if
from perseus.calculator.instants import year_month
from perseus.vocabulary import CALORIFIC_ORIGINS as ORIGINS

DEFAULT = ORIGINS.index("methodology-default")
PROJECT_LICENCE = "MIT"  # the licence of this repository's own files, the methodologies and factors/ among them


@dataclass
class CalorificValues:
    value: np.ndarray  # MJ/m³ by the rule's precedence; NaN where no place gives one
    choice: np.ndarray  # int8: the place the value came from (index in ORIGINS), -1 where none
    data: np.ndarray  # the value the data carries (NaN where none)
    labels: Labels  # names each holder (meter or reading) in an error
    unusable: np.ndarray  # holders that could not serve a volume reading (no value, or one in the data out of range)
    caller: float | None = None  # the caller's value, to resolve readings that carry their own
    zone: np.ndarray | None = None  # per holder: its zone's value on its gas day (NaN where none), by a zone rule
    zone_note: Callable[[int], str] | None = None  # why holder i has no zone value, in words


ZONE_DAILY = "distribution-zone-daily"
REPORTED = {
    ZONE_DAILY: "caller"
}  # emissions-data@2025-10-27 has no word for a zone's daily value: the caller gave the dataset


def reported(origin: str) -> str:
    """The report's `choice` for a place the rule took a value from."""
    return REPORTED.get(origin, origin)


def resolve(m, data: np.ndarray, caller_cv: float | None, labels: Labels) -> CalorificValues | None:
    """Each holder's value by the rule's precedence; None when the methodology takes no calorific value."""
    if not m.calorific_rule or not m.uses("calorific-value"):
        return None
    return _resolved(m, data, caller_cv, labels)


def _resolved(
    m, data: np.ndarray, caller_cv: float | None, labels: Labels, zone: np.ndarray | None = None, zone_note=None
) -> CalorificValues:
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
        ZONE_DAILY: zone if zone is not None else np.full(count, np.nan),
    }
    value = np.full(count, np.nan)
    choice = np.full(count, -1, dtype=np.int8)
    for origin in rule["precedence"]:
        take = np.isnan(value) & np.isfinite(candidates[origin])
        value = np.where(take, candidates[origin], value)
        choice = np.where(take, ORIGINS.index(origin), choice).astype(np.int8)
    unusable = np.isnan(value) | (np.isfinite(data) & ((data < low) | (data > high)))
    return CalorificValues(value, choice, data, labels, unusable, caller_cv, zone, zone_note)


def of_readings(
    m,
    meters: CalorificValues,
    reading: np.ndarray,
    meter: np.ndarray,
    labels: Labels,
    zone: np.ndarray | None = None,
    zone_note=None,
) -> CalorificValues:
    """Per reading: its own value, else its meter's (`meter`: the reading's holder in `meters`), by the rule;
    with a zone rule, `zone` gives each reading's zone value (NaN where none) and `zone_note(i)` says why not."""
    data = np.where(np.isfinite(reading), reading, meters.data.take(meter))
    return _resolved(m, data, meters.caller, labels, zone, zone_note)


def uses_zones(m) -> bool:
    return bool(m.calorific_rule) and ZONE_DAILY in m.calorific_rule["precedence"]


def check(m, values: CalorificValues, needs: np.ndarray) -> None:
    """Holders with volume readings (`needs`) must have a value, and a value in the data must be in range."""
    rule = m.calorific_rule
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    data = values.data
    took_zone = values.choice == ORIGINS.index(ZONE_DAILY)
    raise_if(
        [
            values.labels.breach(
                needs & np.isfinite(data) & ((data < low) | (data > high)),
                "usable-calorific-value",
                lambda i: f"calorific value {data[i]} MJ/m³ in the data is outside {low}–{high}",
            ),
            values.labels.breach(
                needs & took_zone & ((values.value < low) | (values.value > high)),
                "usable-calorific-value",
                lambda i: (
                    f"calorific value {values.value[i]} MJ/m³ of the meter's zone on its gas day is "
                    f"outside {low}–{high}"
                ),
            ),
            values.labels.breach(
                needs & np.isnan(values.value),
                "usable-calorific-value",
                lambda i: "gas in cubic metres but no calorific value: " + _none(m, values, i),
            ),
        ]
    )


def _none(m, values: CalorificValues, i: int) -> str:
    """Why no place of the rule's precedence gave holder i a value, in the rule's order."""
    reasons = {
        "data": "none in the data",
        "caller": "none given with --calorific-value",
        ZONE_DAILY: values.zone_note(i) if values.zone_note else "no value for the meter's zone",
    }
    precedence = m.calorific_rule["precedence"]
    said = [reasons[origin] for origin in precedence if origin in reasons]
    if "methodology-default" not in precedence:
        said[-1:] = [f"{said[-1]}, and {m.ref} has no default" if said else f"{m.ref} has no default"]
    return ", ".join(said)


def of_meter(values: CalorificValues, position: int) -> dict:
    """The report's calorificValue where a meter's one value served all its volume readings."""
    return {
        "megajoulesPerCubicMetre": round(float(values.value[position]), 6),
        "choice": reported(ORIGINS[values.choice[position]]),
    }


def of_sums(weighted: float, volume: float, plain: float, count: int, choices: int) -> dict:
    """The report's calorificValue where readings had their own: the mean weighted by volume (a plain mean
    when all volumes are zero) and, of the places used (bits of `choices`), the last in ORIGINS."""
    mean = weighted / volume if volume > 0 else plain / count
    return {
        "megajoulesPerCubicMetre": round(float(mean), 6),
        "choice": reported(ORIGINS[int(choices).bit_length() - 1]),
    }


def of_rows(frame) -> dict | None:
    """The report's calorificValue from the kernel's monthly sums (readings with their own values), or None.
    `frame`: Columns, or a DataFrame of the same columns."""
    choices = int(np.bitwise_or.reduce(np.asarray(frame["cv_choices"]))) if len(frame) else 0
    if not choices:
        return None
    weighted, volume, plain = (sum(frame[name].tolist()) for name in ("cv_weighted", "cv_volume", "cv_plain"))
    return of_sums(weighted, volume, plain, int(np.asarray(frame["volume"]).sum()), choices)


def zone_dataset(zone_values, months: list[int], choices: list[int]) -> dict | None:
    """The report's dataset use of a zone file: the months whose volume readings took a zone's value, or None."""
    bit = 1 << ORIGINS.index(ZONE_DAILY)
    served = [month for month, chosen in zip(months, choices, strict=True) if int(chosen) & bit]
    if zone_values is None or not served:
        return None
    return {"role": "calorific-values", **zone_values.dataset, "months": sorted({year_month(k) for k in served})}


def default_served(choices: int) -> bool:
    """Whether the methodology's default is among the places (bits of `choices`, or one index) that served."""
    return bool(int(choices) >> DEFAULT & 1)


@lru_cache(maxsize=8)
def _default_entry(value: float) -> dict | None:
    """The entry of factors/calorific-values.yaml a methodology's default is: the one of that value that is
    neither a zone's nor a day's (a methodology names it in its parameter's source)."""
    from perseus.methodology.factors import calorific_value_defaults

    found = [
        e
        for e in calorific_value_defaults()
        if e["megajoulesPerCubicMetre"] == value and "distributionZone" not in e and "date" not in e
    ]
    return found[0] if found else None


def default_dataset(m, months: list[int]) -> dict:
    """The report's dataset for the methodology's default calorific value, with the months (with readings) it served."""
    parameter = m.calorific_rule["defaultParameter"]
    value = m.parameters[parameter]
    entry = _default_entry(value) or {}
    name = f" ({entry['id']})" if entry else ""
    return {
        "role": "calorific-values",
        "publisher": entry.get("publisher", "Perseus project"),
        "title": f"Default gross calorific value of natural gas, {value:g} MJ/m³{name}, of {m.ref}",
        "version": m.version,
        "url": entry.get("url") or f"{m.uri}#{parameter}",
        "licence": PROJECT_LICENCE,
        "months": sorted({year_month(k) for k in months}),
    }
