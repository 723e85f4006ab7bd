"""From the kernel's totals per (meter, month) to the monthly figures a report gives.

A report's months run from its first to its last month with readings (or the
requested window); a month's expected half-hours are those of the month inside
the window, for each meter the report covers; totals are rounded once, as the
methodology says.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from perseus.calculator.instants import EPOCH_MONTH

CALORIFIC_SUMS = ("cv_weighted", "cv_volume", "cv_plain")  # the kernel's sums for a mean calorific value
ROUNDING = {"half-even": ROUND_HALF_EVEN, "half-up": ROUND_HALF_UP}  # RoundingMode of spec/methodology.yaml


def round_once(value: float, rounding: dict) -> float:
    """Round a monthly total as the methodology says, from its shortest decimal form."""
    quantum = Decimal(1).scaleb(-int(rounding["decimals"]))
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUNDING[rounding["mode"]]))


def month_start_half_hour(months: np.ndarray) -> np.ndarray:
    """Half-hours since 1970 at the start of each month (months since 1970-01)."""
    return (EPOCH_MONTH + months.astype("timedelta64[M]")).astype("datetime64[m]").astype(np.int64) // 30


def month_of(half_hour: int) -> int:
    return int((np.datetime64(int(half_hour) * 30, "m").astype("datetime64[M]") - EPOCH_MONTH).astype(np.int64))


def all_meters_as_one(found: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The totals of several meters as those of one (meter 0), and how many meters that is. Rows come sorted by
    meter then month, so each month's total adds the meters' totals in meter order."""
    months, month = np.unique(found["month"].to_numpy(), return_inverse=True)
    merged = pd.DataFrame(
        {
            "meter": np.zeros(len(months), np.int64),
            "month": months,
            "total": np.bincount(month, weights=found["total"].to_numpy(), minlength=len(months)),
        }
    )
    for name in ("present", "duplicates", "volume"):
        merged[name] = np.bincount(month, weights=found[name].to_numpy(), minlength=len(months)).astype(np.int64)
    merged["first"] = found.groupby(month)["first"].min().to_numpy()
    merged["last"] = found.groupby(month)["last"].max().to_numpy()
    for name in CALORIFIC_SUMS:
        merged[name] = np.bincount(month, weights=found[name].to_numpy(), minlength=len(months))
    choices = np.zeros(len(months), dtype=np.int64)
    np.bitwise_or.at(choices, month, found["cv_choices"].to_numpy())
    merged["cv_choices"] = choices
    for name in found.columns:  # the kernel's explanation of the steps, when asked for
        if name.startswith("sum:"):
            merged[name] = np.bincount(month, weights=found[name].to_numpy(), minlength=len(months))
        elif name.startswith(("min:", "max:")):
            merged[name] = found.groupby(month)[name].agg(name[:3]).to_numpy()
    return merged, found["meter"].nunique()


def monthly_figures(
    found: pd.DataFrame, window: tuple[int | None, int | None], rounding: dict, meters: int = 1
) -> pd.DataFrame:
    """Every month of every meter of `found` (rows per meter and month with readings, sorted by meter then
    month), months without a reading included, with the expected half-hours of each (times `meters`, when
    a row stands for several) and the total rounded once."""
    meter = found["meter"].to_numpy()
    first_row = np.flatnonzero(np.r_[True, meter[1:] != meter[:-1]])
    last_row = np.r_[first_row[1:], len(found)] - 1
    ids = meter[first_row]
    start, end = window
    low = np.full(len(ids), month_of(start)) if start is not None else found["month"].to_numpy()[first_row]
    high = np.full(len(ids), month_of(end - 1)) if end is not None else found["month"].to_numpy()[last_row]
    counts = high - low + 1
    grid = pd.DataFrame(
        {
            "meter": np.repeat(ids, counts),
            "month": np.repeat(low, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)),
        }
    )
    frame = grid.merge(found, on=["meter", "month"], how="left", sort=False)
    frame["total"] = frame["total"].fillna(0.0)  # months inside the span without a reading
    for name in ("present", "duplicates", "volume", "cv_choices"):
        frame[name] = frame[name].fillna(0).astype(np.int64)
    for name in CALORIFIC_SUMS:
        frame[name] = frame[name].fillna(0.0)
    begin = month_start_half_hour(frame["month"].to_numpy())
    finish = month_start_half_hour(frame["month"].to_numpy() + 1)
    if start is not None:
        begin = np.maximum(begin, start)
    if end is not None:
        finish = np.minimum(finish, end)
    frame["expected"] = (finish - begin) * meters
    frame["rounded"] = [round_once(v, rounding) for v in frame["total"].tolist()]
    return frame
