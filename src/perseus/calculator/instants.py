"""Instants as the calculator reads and writes them: UTC, in half-hours since 1970 inside the core.

`z` is the one formatter of an instant (reports, messages, dataset versions all use it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

from perseus.calculator.errors import Breach, CalculationError

HALF_HOUR_NS = 1_800_000_000_000
EPOCH_MONTH = np.datetime64("1970-01", "M")


def z(instant, seconds: bool = True) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` (or `…THH:MMZ` without seconds) of a UTC instant: a pandas Timestamp, a
    datetime, or nanoseconds since 1970. A fraction of a second is shown when there is one."""
    stamp = pd.Timestamp(int(instant), tz="UTC") if isinstance(instant, (int, np.integer)) else pd.Timestamp(instant)
    stamp = stamp.tz_convert("UTC") if stamp.tzinfo is not None else stamp
    if not seconds:
        return f"{stamp:%Y-%m-%dT%H:%M}Z"
    fraction = (
        f".{stamp.microsecond:06d}{stamp.nanosecond:03d}".rstrip("0") if stamp.microsecond or stamp.nanosecond else ""
    )
    return f"{stamp:%Y-%m-%dT%H:%M:%S}{fraction}Z"


@lru_cache(maxsize=1 << 16)  # a portfolio's reports name the same few half-hours and months again and again
def z_half_hour(half_hour: int, seconds: bool = True) -> str:
    return z(int(half_hour) * HALF_HOUR_NS, seconds)


@lru_cache(maxsize=4096)
def z_month(month: int) -> str:
    """The first instant of a month given as months since 1970-01."""
    return f"{EPOCH_MONTH + np.timedelta64(int(month), 'M')}-01T00:00:00Z"


@lru_cache(maxsize=4096)
def year_month(month: int) -> str:
    return str(EPOCH_MONTH + np.timedelta64(int(month), "M"))


def parse_instant(text: str, option: str) -> pd.Timestamp:
    """An ISO 8601 instant with a time zone, in UTC; the error names the option it came from."""
    try:
        value = pd.Timestamp(text)
    except ValueError as exc:
        raise CalculationError([Breach(option, "", "readable-input", f"{text!r} is not an ISO 8601 instant")]) from exc
    if value.tzinfo is None:
        raise CalculationError(
            [Breach(option, "", "readable-input", f"{text!r} has no time zone; write it in UTC with Z")]
        )
    return value.tz_convert("UTC")


def taken_at(text: str | None) -> str:
    """The reports' takenAt: the one given, else now (to the second)."""
    taken = parse_instant(text, "--taken-at") if text else pd.Timestamp(datetime.now(UTC).replace(microsecond=0))
    return z(taken.floor("s"))


def window(start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """The requested period as half-hours since 1970, [start, end); either end may be open."""
    edges: list[int | None] = []
    for option, text in (("--from", start), ("--to", end)):
        if text is None:
            edges.append(None)
            continue
        instant = parse_instant(text, option)
        if instant.value % HALF_HOUR_NS:
            raise CalculationError(
                [Breach(option, "", "half-hour-boundaries", f"{z(instant)} is not on a UTC half-hour boundary")]
            )
        edges.append(instant.value // HALF_HOUR_NS)
    if edges[0] is not None and edges[1] is not None and edges[1] <= edges[0]:
        raise CalculationError([Breach("--to", "", "readable-input", "--to must be after --from")])
    return edges[0], edges[1]
