"""The half-hour grid in UTC, and the local (Europe/London) calendar that opening hours follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from perseus.calculator.instants import z

HALF_HOUR = np.timedelta64(30, "m")


class SynthError(ValueError):
    """An option or input the synthesiser cannot use; the message says which and why."""


def parse_instant(text: str, name: str = "instant") -> datetime:
    """A UTC instant on a half-hour boundary: `2025-01-01`, `2025-01-01T00:00:00Z` or `...+00:00`."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise SynthError(f"{name} {text!r} is not an ISO 8601 date or timestamp (e.g. 2025-01-01T00:00:00Z)") from None
    if value.tzinfo is None:
        if "T" in text or " " in text:
            raise SynthError(f"{name} {text!r} has no time zone; give UTC with Z, e.g. {text}Z")
        value = value.replace(tzinfo=UTC)  # a bare date means midnight UTC
    if value.utcoffset() != timedelta(0):
        raise SynthError(f"{name} {text!r} is not in UTC; give the time with Z (offset +00:00)")
    if value.minute not in (0, 30) or value.second or value.microsecond:
        raise SynthError(f"{name} {text!r} is not on a half-hour boundary (minutes :00 or :30, no seconds)")
    return value.astimezone(UTC)


def half_hour_starts(start: datetime, end: datetime) -> np.ndarray:
    """Starts of the half-hours of [start, end), as datetime64[s] in UTC (no clock changes in UTC)."""
    if end <= start:
        raise SynthError(f"--to ({z(end)}) must be after --from ({z(start)})")
    first = np.datetime64(start.replace(tzinfo=None), "s")
    last = np.datetime64(end.replace(tzinfo=None), "s")
    return np.arange(first, last, HALF_HOUR).astype("datetime64[s]")


def iso_z_array(values: np.ndarray) -> np.ndarray:
    """Vectorised `YYYY-MM-DDThh:mm:ssZ` strings for datetime64 values."""
    return np.char.add(np.datetime_as_string(values.astype("datetime64[s]"), unit="s"), "Z")


@dataclass(frozen=True)
class LocalCalendar:
    """Local wall-clock features of each half-hour: what a business's opening hours follow."""

    hour: np.ndarray  # local hour at the middle of the half-hour, 0.25 .. 23.75
    weekday: np.ndarray  # 0 Monday .. 6 Sunday
    day_of_year: np.ndarray  # 1 .. 366, local
    local_day: np.ndarray  # the local calendar date, datetime64[D]


def local_calendar(starts: np.ndarray, tz: str = "Europe/London") -> LocalCalendar:
    import pandas as pd

    middle = pd.DatetimeIndex(starts + np.timedelta64(15, "m")).tz_localize("UTC").tz_convert(tz)
    hour = middle.hour.to_numpy() + middle.minute.to_numpy() / 60.0
    local_days = middle.tz_localize(None).normalize().to_numpy().astype("datetime64[D]")
    return LocalCalendar(
        hour=hour.astype(float),
        weekday=middle.day_of_week.to_numpy(),
        day_of_year=middle.day_of_year.to_numpy(),
        local_day=local_days,
    )
