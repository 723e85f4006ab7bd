"""Instants as the calculator reads and writes them: UTC, in half-hours since 1970 inside the core.

`z` is the one formatter of an instant (reports, messages, dataset versions all use it). Without
pandas: the calculation path does not import it (see perseus.calculator.columns).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np

from perseus.calculator.errors import Breach, CalculationError

HALF_HOUR_NS = 1_800_000_000_000
EPOCH_MONTH = np.datetime64("1970-01", "M")
_BEYOND_MICROSECONDS = re.compile(r"[.,]\d{7,}")


def z(instant, seconds: bool = True) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` (or `…THH:MMZ` without seconds) of a UTC instant: nanoseconds since 1970, a
    datetime (one with a time zone is shown in UTC), a numpy datetime64 or a pandas Timestamp. A fraction
    of a second is shown when there is one."""
    whole, fraction = divmod(nanoseconds(instant), 1_000_000_000)
    text = str(np.datetime64(whole, "s"))
    if not seconds:
        return f"{text[:16]}Z"
    return f"{text}{f'.{fraction:09d}'.rstrip('0') if fraction else ''}Z"


def nanoseconds(instant) -> int:
    """Nanoseconds since 1970 of an instant (a datetime without a time zone is read as UTC)."""
    if isinstance(instant, (int, np.integer)):
        return int(instant)
    if isinstance(instant, np.datetime64):
        return int(instant.astype("datetime64[ns]").astype(np.int64))
    if hasattr(instant, "nanosecond") and hasattr(instant, "value"):  # a pandas Timestamp, to the nanosecond
        return int(instant.value)
    if isinstance(instant, datetime):
        if instant.tzinfo is not None:
            instant = instant.astimezone(UTC)
        return calendar.timegm(instant.timetuple()) * 1_000_000_000 + instant.microsecond * 1000
    raise TypeError(f"not an instant: {instant!r}")


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


def parse_instant(text: str, option: str) -> int:
    """An ISO 8601 instant with a time zone, as nanoseconds since 1970 (UTC); the error names the option it
    came from."""
    try:
        if _BEYOND_MICROSECONDS.search(text):
            raise ValueError("the standard library would drop the nanoseconds")
        value = datetime.fromisoformat(text)
    except ValueError:
        value = _parsed_by_pandas(text, option)  # the forms the standard library does not read as pandas did
    if value.tzinfo is None:
        raise CalculationError(
            [Breach(option, "", "readable-input", f"{text!r} has no time zone; write it in UTC with Z")]
        )
    return nanoseconds(value)


def _parsed_by_pandas(text: str, option: str):
    import pandas as pd

    try:
        return pd.Timestamp(text)
    except ValueError as exc:
        raise CalculationError([Breach(option, "", "readable-input", f"{text!r} is not an ISO 8601 instant")]) from exc


def taken_at(text: str | None) -> str:
    """The reports' takenAt: the one given, else now (to the second)."""
    taken = parse_instant(text, "--taken-at") if text else nanoseconds(datetime.now(UTC))
    return z(taken - taken % 1_000_000_000)


def window(start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """The requested period as half-hours since 1970, [start, end); either end may be open."""
    edges: list[int | None] = []
    for option, text in (("--from", start), ("--to", end)):
        if text is None:
            edges.append(None)
            continue
        instant = parse_instant(text, option)
        if instant % HALF_HOUR_NS:
            raise CalculationError(
                [Breach(option, "", "half-hour-boundaries", f"{z(instant)} is not on a UTC half-hour boundary")]
            )
        edges.append(instant // HALF_HOUR_NS)
    if edges[0] is not None and edges[1] is not None and edges[1] <= edges[0]:
        raise CalculationError([Breach("--to", "", "readable-input", "--to must be after --from")])
    return edges[0], edges[1]
