"""Apply methodologies to whole columns of half-hourly readings and total them per calendar month (UTC).

Every step runs once over the whole column of one energy type (numpy); months are
summed with a bincount. There is no Python loop over readings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from perseus.calculator.errors import Breach, CalculationError, breach_for_rows, raise_if
from perseus.calculator.inputs import HALF_HOUR, IntensitySeries
from perseus.methodology.documents import Methodology
from perseus.methodology.factors import FactorSet, sets_for

ROUNDING = {"half-even": ROUND_HALF_EVEN, "half-up": ROUND_HALF_UP}
CHOICE_ORDER = ("data", "caller", "methodology-default")


@dataclass
class MonthFigure:
    month: pd.Timestamp  # first instant of the month, UTC
    emissions_kg: float  # rounded once, as the methodology says
    unrounded_kg: float
    expected: int
    present: int
    duplicates: int


@dataclass
class TypeResult:
    energy_type: str
    methodology: Methodology
    months: list[MonthFigure]
    datasets: list[dict] = field(default_factory=list)
    calorific_value: dict | None = None
    half_hour_kg: np.ndarray | None = None  # per reading, for checks and tests
    files: list[str] = field(default_factory=list)


def round_once(value: float, rounding: dict) -> float:
    """Round a monthly total as the methodology says, from its shortest decimal form."""
    quantum = Decimal(1).scaleb(-int(rounding["decimals"]))
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUNDING[rounding["mode"]]))


def month_starts(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Month starts covering [first, last), in UTC."""
    start = first.tz_convert("UTC").tz_localize(None).to_period("M").to_timestamp()
    end_period = (last - pd.Timedelta(1)).tz_convert("UTC").tz_localize(None).to_period("M")
    return pd.date_range(start, end_period.to_timestamp(), freq="MS", tz="UTC")


def month_index(instants: pd.Series, months: pd.DatetimeIndex) -> np.ndarray:
    naive = instants.dt.tz_convert("UTC").dt.tz_localize(None)
    codes = naive.dt.year.to_numpy() * 12 + naive.dt.month.to_numpy() - 1
    first = months[0].year * 12 + months[0].month - 1
    return codes - first


def deduplicate(readings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Readings with each (meter, type, half-hour) once, and the repeats that were dropped.

    A repeat must agree with the first (same kind of quantity, same amount in kWh or m³);
    otherwise the calculation stops.
    """
    quantity = np.where(readings["unit"].to_numpy() == "WHR", readings["value"].to_numpy() / 1000.0, readings["value"].to_numpy())
    kind = np.where(readings["unit"].to_numpy() == "MTQ", "volume", "energy")
    frame = readings.assign(quantity=quantity, kind=kind)
    # A total order, so that the same readings give the same sums whatever the files' order.
    frame = frame.sort_values(["type", "meter", "from", "kind", "quantity", "file", "record"], kind="mergesort").reset_index(drop=True)
    repeated = frame.duplicated(["type", "meter", "from"], keep="first").to_numpy()
    group = frame.groupby(["type", "meter", "from"], sort=False)
    first_quantity = group["quantity"].transform("first").to_numpy()
    first_kind = group["kind"].transform("first").to_numpy()
    first_file = group["file"].transform("first").to_numpy()
    first_record = group["record"].transform("first").to_numpy()
    disagree = repeated & ((first_kind != frame["kind"].to_numpy()) | ~np.isclose(first_quantity, frame["quantity"].to_numpy(), rtol=1e-9, atol=1e-12))
    raise_if([breach_for_rows(
        disagree, frame["file"].to_numpy(), frame["record"].to_numpy(), "no-conflicting-duplicates",
        lambda i: (f"{frame['type'].iloc[i]} half-hour from {frame['from'].iloc[i]:%Y-%m-%dT%H:%M:%SZ}"
                   f"{' of meter ' + repr(frame['meter'].iloc[i]) if frame['meter'].iloc[i] else ''} is "
                   f"{frame['value'].iloc[i]} {frame['unit'].iloc[i]} here but {first_quantity[i]} "
                   f"{'m³' if first_kind[i] == 'volume' else 'kWh'} at {first_file[i]}: {first_record[i]}"),
    )])
    return frame[~repeated].reset_index(drop=True), frame[repeated].reset_index(drop=True)


def consumption_inputs(m: Methodology, rows: pd.DataFrame) -> dict[str, np.ndarray]:
    is_volume = rows["kind"].to_numpy() == "volume"
    quantity = rows["quantity"].to_numpy()
    columns = {
        "energy_kwh": np.where(is_volume, 0.0, quantity),
        "metered_kwh": np.where(is_volume, 0.0, quantity),
        "volume_m3": np.where(is_volume, quantity, 0.0),
    }
    wanted = [n for n, s in m.input_sources.items() if s == "consumption"]
    unknown = [n for n in wanted if n not in columns]
    if unknown:
        raise CalculationError([Breach(str(m.path), "", "readable-input",
                                       f"consumption input(s) {', '.join(unknown)} are not known to the calculator "
                                       f"(it supplies {', '.join(columns)})")])
    if is_volume.any() and "volume_m3" not in wanted:
        raise_if([breach_for_rows(is_volume, rows["file"].to_numpy(), rows["record"].to_numpy(), "known-unit",
                                  lambda i: f"{m.ref} takes no gas volume (MTQ); give energy in KWH or WHR")])
    return {n: columns[n] for n in wanted}


def intensity_input(m: Methodology, rows: pd.DataFrame, series: IntensitySeries | None, outcodes: dict[str, str]) -> np.ndarray:
    if series is None:
        raise CalculationError([Breach(str(rows["file"].iloc[0]), str(rows["record"].iloc[0]), "intensity-for-every-half-hour",
                                       f"{m.ref} needs half-hourly grid intensity: give --intensity FILE")])
    if series.postcode:
        mismatched = [f for f, code in outcodes.items() if code and code != series.postcode]
        if mismatched:
            raise CalculationError([Breach(mismatched[0], "$.location.ukPostcodeOutcode", "intensity-for-every-half-hour",
                                           f"the meter is in {outcodes[mismatched[0]]} but {series.path} is the intensity for {series.postcode}")])
    known = series.table["from"].to_numpy(dtype="datetime64[ns]")  # UTC instants as plain datetime64, not objects
    wanted = rows["from"].to_numpy(dtype="datetime64[ns]")
    position = np.clip(np.searchsorted(known, wanted), 0, max(len(known) - 1, 0))
    found = (known[position] == wanted) if len(known) else np.zeros(len(wanted), dtype=bool)
    raise_if([breach_for_rows(~found, rows["file"].to_numpy(), rows["record"].to_numpy(), "intensity-for-every-half-hour",
                              lambda i: f"no grid intensity in {series.path} for the half-hour from "
                                        f"{rows['from'].iloc[i]:%Y-%m-%dT%H:%M:%SZ}")])
    return series.table["intensity"].to_numpy()[position]


def factor_input(m: Methodology, rows: pd.DataFrame, months: pd.DatetimeIndex, month_of_row: np.ndarray) -> tuple[np.ndarray, list[dict]]:
    """The factor of every half-hour under the factor-set rule, and the dataset uses to report."""
    rule = m.factor_rule
    available: dict[int, tuple[FactorSet, float]] = {}
    for year, factor_set in sets_for(rule["publisher"]).items():
        value = factor_set.value(rule["activity"], rule["unitBasis"], rule["ghg"])
        if value is not None:  # a set without this factor cannot serve the rule
            available[year] = (factor_set, value)
    years = np.array(sorted(available), dtype=int)
    wanted = rows["from"].dt.year.to_numpy()
    slot = np.searchsorted(years, wanted, side="right") - 1
    raise_if([breach_for_rows(slot < 0, rows["file"].to_numpy(), rows["record"].to_numpy(), "factor-set-available",
                              lambda i: f"no {rule['publisher']} factor set for {wanted[i]} or any earlier year "
                                        f"({rule['activity']}, {rule['unitBasis']}, {rule['ghg']}); sets: "
                                        f"{', '.join(map(str, years)) or 'none'}")])
    if rule["whenMissing"] == "reject":
        raise_if([breach_for_rows(years[slot] != wanted, rows["file"].to_numpy(), rows["record"].to_numpy(), "factor-set-available",
                                  lambda i: f"no {rule['publisher']} factor set for {wanted[i]}")])
    used = years[slot]
    values = np.array([available[y][1] for y in years])[slot]
    uses = pd.DataFrame({"used": used, "wanted": wanted, "month": month_of_row}).drop_duplicates()
    datasets = []
    for (set_year, wanted_year), group in uses.groupby(["used", "wanted"], sort=True):
        meta = available[int(set_year)][0].metadata
        entry = {"role": "emission-factors", "publisher": meta["publisher"], "title": meta["title"],
                 "version": str(meta["version"]), "url": meta["url"], "licence": meta["licence"],
                 "months": sorted({f"{months[k]:%Y-%m}" for k in group["month"]})}
        if set_year != wanted_year:
            entry["substitutedFor"] = str(int(wanted_year))
        datasets.append(entry)
    return values, datasets


def calorific_input(m: Methodology, rows: pd.DataFrame, caller_cv: float | None) -> tuple[np.ndarray, dict | None]:
    """The calorific value of every half-hour under the methodology's rule; only volume readings need one."""
    rule = m.calorific_rule
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    needs = rows["kind"].to_numpy() == "volume"
    data_cv = rows["cv"].to_numpy()
    files, records = rows["file"].to_numpy(), rows["record"].to_numpy()
    raise_if([breach_for_rows(needs & np.isfinite(data_cv) & ((data_cv < low) | (data_cv > high)), files, records,
                              "usable-calorific-value",
                              lambda i: f"calorific value {data_cv[i]} MJ/m³ in the data is outside {low}–{high}")])
    if caller_cv is not None and not (low <= caller_cv <= high):
        raise CalculationError([Breach("--calorific-value", "", "usable-calorific-value",
                                       f"{caller_cv} MJ/m³ is outside {low}–{high}")])
    candidates = {
        "data": data_cv,
        "caller": np.full(len(rows), np.nan if caller_cv is None else caller_cv),
        "methodology-default": np.full(len(rows), m.parameters.get(rule.get("defaultParameter"), np.nan)),
    }
    value = np.full(len(rows), np.nan)
    choice = np.full(len(rows), "", dtype=object)
    for origin in rule["precedence"]:
        take = np.isnan(value) & np.isfinite(candidates[origin])
        value = np.where(take, candidates[origin], value)
        choice = np.where(take, origin, choice)
    raise_if([breach_for_rows(needs & np.isnan(value), files, records, "usable-calorific-value",
                              lambda i: f"gas in cubic metres but no calorific value: none in the data, none given "
                                        f"with --calorific-value, and {m.ref} has no default")])
    if not needs.any():
        return np.zeros(len(rows)), None
    volume = rows["quantity"].to_numpy()[needs]
    weights = volume if volume.sum() > 0 else np.ones(len(volume))
    used = set(choice[needs])
    weakest = max(used, key=CHOICE_ORDER.index)
    mean_cv = float(np.average(value[needs], weights=weights))
    return np.where(needs, value, 0.0), {"megajoulesPerCubicMetre": round(mean_cv, 6), "choice": weakest}


def calculate_type(
    m: Methodology,
    readings: pd.DataFrame,
    repeats: pd.DataFrame,
    window: tuple[pd.Timestamp, pd.Timestamp],
    intensity: IntensitySeries | None,
    caller_cv: float | None,
    outcodes: dict[str, str],
) -> TypeResult:
    """The monthly figures of one energy type; `readings` are deduplicated and inside the window."""
    start, end = window
    months = month_starts(start, end)
    month_of_row = month_index(readings["from"], months)
    inputs = consumption_inputs(m, readings)
    datasets: list[dict] = []
    cv_use = None
    for name, source in m.input_sources.items():
        if source == "grid-intensity":
            inputs[name] = intensity_input(m, readings, intensity, outcodes)
            datasets.append({"role": "grid-intensity", **intensity.dataset,
                             "months": sorted({f"{months[k]:%Y-%m}" for k in np.unique(month_of_row)})})
        elif source == "emission-factors":
            inputs[name], factor_datasets = factor_input(m, readings, months, month_of_row)
            datasets.extend(factor_datasets)
        elif source == "calorific-value":
            inputs[name], cv_use = calorific_input(m, readings, caller_cv)
    per_half_hour = m.half_hour_emissions(inputs) if len(readings) else np.zeros(0)
    # Emissions are never negative (a Quantity's rule); a methodology edit could break that, so check.
    raise_if([breach_for_rows(~np.isfinite(per_half_hour) | (per_half_hour < 0), readings["file"].to_numpy(),
                              readings["record"].to_numpy(), "non-negative",
                              lambda i: f"the steps of {m.path} give {per_half_hour[i]} kg for this reading")])
    totals = np.bincount(month_of_row, weights=per_half_hour, minlength=len(months))
    present = np.bincount(month_of_row, minlength=len(months))
    in_window = repeats[(repeats["from"] >= start) & (repeats["from"] < end)]
    duplicates = np.bincount(month_index(in_window["from"], months), minlength=len(months)) if len(in_window) else np.zeros(len(months), int)
    meters = max(readings["meter"].nunique(), 1)
    figures = []
    for k, month in enumerate(months):  # one iteration per month, not per reading
        next_month = month + pd.offsets.MonthBegin(1)
        span = min(next_month, end) - max(month, start)
        expected = int(span / HALF_HOUR) * meters
        figures.append(MonthFigure(month, round_once(totals[k], m.rounding), float(totals[k]), expected, int(present[k]), int(duplicates[k])))
    files = sorted(set(readings["file"]) | set(in_window["file"]))
    return TypeResult(m.energy_type, m, figures, datasets, cv_use, per_half_hour, files)
