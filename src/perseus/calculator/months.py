"""From the kernel's totals per (meter, month) to the monthly figures a report gives.

A report's months run from its first to its last month with readings (or the
requested window); a month's expected half-hours are those of the month inside
the window, for each meter the report covers; totals are rounded once, as the
methodology says: exactly, from the kernel's exact total where it gave one (a
total near a tie; `exact.round_total`), else from the binary64 total (the whole
column at once; `exact.round_totals`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from perseus.calculator.columns import Columns
from perseus.calculator.exact import round_total, round_totals
from perseus.calculator.instants import EPOCH_MONTH

CALORIFIC_SUMS = ("cv_weighted", "cv_volume", "cv_plain")  # the kernel's sums for a mean calorific value


def month_start_half_hour(months: np.ndarray) -> np.ndarray:
    """Half-hours since 1970 at the start of each month (months since 1970-01)."""
    return (EPOCH_MONTH + months.astype("timedelta64[M]")).astype("datetime64[m]").astype(np.int64) // 30


def month_of(half_hour: int) -> int:
    return int((np.datetime64(int(half_hour) * 30, "m").astype("datetime64[M]") - EPOCH_MONTH).astype(np.int64))


def all_meters_as_one(found: Columns) -> tuple[Columns, int]:
    """The totals of several meters as those of one (meter 0), and how many meters that is. Rows come sorted by
    meter then month, so each month's total adds the meters' totals in meter order."""
    months, month = np.unique(found["month"], return_inverse=True)
    n = len(months)

    def summed(name: str) -> np.ndarray:
        return np.bincount(month, weights=found[name], minlength=n)

    merged = Columns({"meter": np.zeros(n, np.int64), "month": months, "total": summed("total")})
    for name in ("present", "duplicates", "volume"):
        merged[name] = summed(name).astype(np.int64)
    merged["first"] = _least(month, found["first"], n)
    merged["last"] = _greatest(month, found["last"], n)
    for name in CALORIFIC_SUMS:
        merged[name] = summed(name)
    choices = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(choices, month, found["cv_choices"])
    merged["cv_choices"] = choices
    exact_sums = np.empty(n, dtype=object)
    exact_sums[:] = _exact_sums(month, found["exact"].tolist(), n)
    merged["exact"] = exact_sums
    for name in found.columns:  # the kernel's explanation of the steps, when asked for
        if name.startswith("sum:"):
            merged[name] = summed(name)
        elif name.startswith("min:"):
            merged[name] = _least(month, found[name], n)
        elif name.startswith("max:"):
            merged[name] = _greatest(month, found[name], n)
    return merged, len(np.unique(found["meter"]))


def _least(group: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """The least value of each group, NaN ignored (NaN where a group has no other)."""
    return _extreme(group, values, groups, least=True)


def _greatest(group: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    return _extreme(group, values, groups, least=False)


def _extreme(group: np.ndarray, values: np.ndarray, groups: int, least: bool) -> np.ndarray:
    if values.dtype.kind in "iu":
        limits = np.iinfo(values.dtype)
        out = np.full(groups, limits.max if least else limits.min, dtype=values.dtype)
        (np.minimum if least else np.maximum).at(out, group, values)
        return out
    out = np.full(groups, np.nan)
    (np.fmin if least else np.fmax).at(out, group, values)  # fmin and fmax pass over NaN
    return out


def _exact_sums(month: np.ndarray, totals: list, months: int) -> list:
    """Per month, the sum of its meters' exact totals when every one has one (the kernel works all of a month's
    meters exactly when their sum is near a tie), else None."""
    sums: list = [Fraction(0)] * months
    for k, value in zip(month.tolist(), totals, strict=True):
        sums[k] = sums[k] + value if isinstance(value, Fraction) and sums[k] is not None else None
    return sums


def monthly_figures(found: Columns, window: tuple[int | None, int | None], rounding: dict, meters: int = 1) -> Columns:
    """Every month of every meter of `found` (rows per meter and month with readings, sorted by meter then
    month, one row per meter and month), months without a reading included, with the expected half-hours of
    each (times `meters`, when a row stands for several) and the total rounded once. A month without a
    reading has zero totals and counts; its other columns are NaN."""
    meter = found["meter"]
    first_row = np.flatnonzero(np.r_[True, meter[1:] != meter[:-1]])
    last_row = np.r_[first_row[1:], len(found)] - 1
    ids = meter[first_row]
    start, end = window
    low = np.full(len(ids), month_of(start)) if start is not None else found["month"][first_row]
    high = np.full(len(ids), month_of(end - 1)) if end is not None else found["month"][last_row]
    counts = high - low + 1
    grid_meter = np.repeat(ids, counts)
    grid_month = np.repeat(low, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    row, hit = _rows_of(found["meter"], found["month"], grid_meter, grid_month)
    frame = Columns({"meter": grid_meter, "month": grid_month})
    for name in found.columns:
        if name not in ("meter", "month"):
            frame[name] = _taken(found[name], row, hit, _ZERO_WHEN_ABSENT.get(name))
    begin = month_start_half_hour(frame["month"])
    finish = month_start_half_hour(frame["month"] + 1)
    if start is not None:
        begin = np.maximum(begin, start)
    if end is not None:
        finish = np.minimum(finish, end)
    frame["expected"] = (finish - begin) * meters
    rounded = round_totals(frame["total"], rounding)
    if "exact" in frame:
        for k, exact in enumerate(frame["exact"].tolist()):
            if isinstance(exact, Fraction):
                rounded[k] = round_total(exact, rounding)
    frame["rounded"] = rounded
    return frame


# A month without a reading: nothing emitted, nothing counted (the columns the kernel sums).
_ZERO_WHEN_ABSENT = {
    "total": 0.0,
    **{name: 0 for name in ("present", "duplicates", "volume", "cv_choices")},
    **{name: 0.0 for name in CALORIFIC_SUMS},
}


def _rows_of(meter: np.ndarray, month: np.ndarray, wanted_meter: np.ndarray, wanted_month: np.ndarray):
    """For each wanted (meter, month): the row of `found` that holds it, and whether one does."""
    low = int(min(month.min(), wanted_month.min()))
    span = int(max(month.max(), wanted_month.max())) - low + 1
    key = meter.astype(np.int64) * span + (month - low)
    wanted = wanted_meter.astype(np.int64) * span + (wanted_month - low)
    order = np.argsort(key, kind="stable")
    at = np.minimum(np.searchsorted(key[order], wanted), len(key) - 1)
    row = order[at]
    return row, key[row] == wanted


def _taken(values: np.ndarray, row: np.ndarray, hit: np.ndarray, absent) -> np.ndarray:
    """`values` at `row`, where `hit`; elsewhere `absent`, or NaN (numbers then become floats, as a left join
    of tables does)."""
    taken = values[row]
    if hit.all():
        return taken
    if absent is not None:
        return np.where(hit, taken, absent).astype(values.dtype)
    if values.dtype.kind in "iufb":
        return np.where(hit, taken, np.nan)
    taken = taken.astype(object)
    taken[~hit] = np.nan
    return taken
