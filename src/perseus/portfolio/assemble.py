"""From the kernel's per-partition totals to monthly entries and one EmissionsReport per meter.

The rules here are the single-meter calculator's: a meter's months run from its
first to its last month with readings (or the requested window), a month's
expected half-hours are those of the month inside the window, totals are rounded
once as the methodology says, and the sources name every dataset and the months it served.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from perseus.calculator.engine import CHOICE_ORDER, round_once
from perseus.calculator.errors import Breach, CalculationError, breach_for_rows, raise_if
from perseus.portfolio.kernel import EPOCH_MONTH
from perseus.portfolio.layout import HALF_HOUR_NS, Portfolio


def month_start_half_hour(months: np.ndarray) -> np.ndarray:
    """Half-hours since 1970 at the start of each month (months since 1970-01)."""
    return (EPOCH_MONTH + months.astype("timedelta64[M]")).astype("datetime64[m]").astype(np.int64) // 30


@dataclass
class TypeEntries:
    energy_type: str
    methodology: object
    frame: pd.DataFrame  # one row per meter and month: meter (position), month, total, rounded, expected, present, duplicates, volume, first, last, partition
    factor_sets: dict = field(default_factory=dict)
    cv_choice: np.ndarray | None = None


def entries_of_type(energy_type: str, parts: list[pd.DataFrame], portfolio: Portfolio, extra: dict, window) -> TypeEntries:
    m = extra["methodology"]
    indexed = [p.assign(partition=k) for k, p in enumerate(parts) if portfolio.partitions[k].energy_type == energy_type and len(p)]
    found = pd.concat(indexed, ignore_index=True) if indexed else None
    if found is None:
        return TypeEntries(energy_type, m, pd.DataFrame(), extra["factor_sets"], extra["cv_choice"])
    found = found.sort_values(["meter", "month"], kind="stable").reset_index(drop=True)
    _one_file_per_meter(found, portfolio, extra["meters"], energy_type)
    meter = found["meter"].to_numpy()
    first_row = np.flatnonzero(np.r_[True, meter[1:] != meter[:-1]])
    last_row = np.r_[first_row[1:], len(found)] - 1
    meters = meter[first_row]
    start, end = window
    low = np.full(len(meters), _month_of(start)) if start is not None else found["month"].to_numpy()[first_row]
    high = np.full(len(meters), _month_of(end - 1)) if end is not None else found["month"].to_numpy()[last_row]
    counts = high - low + 1
    grid_meter = np.repeat(meters, counts)
    grid_month = np.repeat(low, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    grid = pd.DataFrame({"meter": grid_meter, "month": grid_month})
    frame = grid.merge(found, on=["meter", "month"], how="left", sort=False)
    frame["total"] = frame["total"].fillna(0.0)  # months inside the span without a reading
    for name in ("present", "duplicates", "volume"):
        frame[name] = frame[name].fillna(0).astype(np.int64)
    begin = month_start_half_hour(frame["month"].to_numpy())
    finish = month_start_half_hour(frame["month"].to_numpy() + 1)
    if start is not None:
        begin = np.maximum(begin, start)
    if end is not None:
        finish = np.minimum(finish, end)
    frame["expected"] = finish - begin
    frame["rounded"] = [round_once(v, m.rounding) for v in frame["total"].tolist()]
    return TypeEntries(energy_type, m, frame, extra["factor_sets"], extra["cv_choice"])


def _month_of(half_hour: int) -> int:
    return int((np.datetime64(int(half_hour) * 30, "m").astype("datetime64[M]") - EPOCH_MONTH).astype(np.int64))


def _one_file_per_meter(found: pd.DataFrame, portfolio: Portfolio, meters: pd.DataFrame, energy_type: str) -> None:
    spread = found.groupby("meter")["partition"].nunique()
    if (spread > 1).any():
        meter = int(spread[spread > 1].index[0])
        where = sorted(found.loc[found["meter"] == meter, "partition"].unique())
        names = [portfolio.partitions[k].relative for k in where]
        raise CalculationError([Breach(names[1], "", "one-file-per-meter",
                                       f"{energy_type} readings of meter {meters['meter'].iloc[meter]!r} are in {names[0]} "
                                       f"and {names[1]}; keep each meter's readings of a type in one file")])


def check_calorific_values(entries: TypeEntries, portfolio: Portfolio, meters: pd.DataFrame) -> None:
    """Gas in m³ needs a usable calorific value: checked per meter, naming its row of the meters table."""
    m = entries.methodology
    rule = m.calorific_rule
    if not rule or entries.frame.empty:
        return
    with_volume = np.zeros(len(meters), dtype=bool)
    volume_meters = entries.frame.loc[entries.frame["volume"] > 0, "meter"].unique()
    with_volume[volume_meters] = True
    low, high = rule["minimumMegajoulesPerCubicMetre"], rule["maximumMegajoulesPerCubicMetre"]
    data_cv = meters["cv"].to_numpy(dtype=float)
    files = np.full(len(meters), str(portfolio.meters.path), dtype=object)
    records = meters["record"].to_numpy()
    chosen = np.array([c != "" for c in entries.cv_choice], dtype=bool)
    raise_if([
        breach_for_rows(with_volume & np.isfinite(data_cv) & ((data_cv < low) | (data_cv > high)), files, records,
                        "usable-calorific-value", lambda i: f"calorific value {data_cv[i]} MJ/m³ in the data is outside {low}–{high}"),
        breach_for_rows(with_volume & ~chosen, files, records, "usable-calorific-value",
                        lambda i: f"gas in cubic metres but no calorific value: none in the meters table, none given "
                                  f"with --calorific-value, and {m.ref} has no default"),
    ])


def weakest_choice(choices) -> str:
    return max(set(choices), key=CHOICE_ORDER.index)


def z_half_hour(half_hour: int) -> str:
    return f"{pd.Timestamp(int(half_hour) * HALF_HOUR_NS, tz='UTC'):%Y-%m-%dT%H:%M:%SZ}"
