"""One run of the suite against one server: its options, its session and the answers shared by the
cases (fetched once, on first use, so that the run stays within its request budget)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from perseus.conformance.documents import Documents
from perseus.conformance.session import Exchange, Session

RETRIES = 3  # a 202 of a data request is asked again this many times at most ...
LONGEST_WAIT = 5.0  # ... when its Retry-After is at most this many seconds


@dataclass(frozen=True)
class Options:
    until: dt.date  # the day, month and year asked for end here (exclusive, 00:00 UTC)
    foreign_source: str | None = None  # a data source the credentials hold no permission for (EDP-40)
    trust_anchor: bytes | None = None  # the environment's signing CA (PEM)
    consumption: tuple[Path, ...] = ()  # the MeterData a CAP read (CAP-08)
    intensity: Path | None = None  # grid intensity for location-based electricity (CAP-08)


def parse_instant(text) -> dt.datetime | None:
    """A timestamp as the scheme writes them (Z or offset; seconds optional; a bare date), or None."""
    return _parse_instant(text) if isinstance(text, str) else None


@lru_cache(maxsize=1 << 18)  # a meter-year's timestamps recur across the day, month and year answers and the cases
def _parse_instant(text: str) -> dt.datetime | None:
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    if len(value) == 16 and value[10:] == "+00:00":  # a date with Z, as some metering periods are written
        value = value[:10] + "T00:00" + value[10:]
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return instant if instant.tzinfo else None


def iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


@dataclass(frozen=True)
class Period:
    name: str  # day, month, year
    start: dt.datetime
    end: dt.datetime

    @property
    def params(self) -> dict[str, str]:
        return {"from": iso(self.start), "to": iso(self.end)}


def periods(until: dt.date) -> tuple[Period, Period, Period]:
    end = midnight(until)
    return (
        Period("day", end - dt.timedelta(days=1), end),
        Period("month", midnight(add_months(until, -1)), end),
        Period("year", midnight(add_months(until, -12)), end),
    )


@dataclass
class Run:
    role: str  # edp or cap
    session: Session
    documents: Documents
    options: Options
    memo: dict = field(default_factory=dict)

    def once(self, key: str, fetch):
        if key not in self.memo:
            self.memo[key] = fetch()
        return self.memo[key]

    @property
    def day(self) -> Period:
        return periods(self.options.until)[0]

    def heartbeat(self) -> Exchange:
        return self.once("heartbeat", lambda: self.session.get("/heartbeat", "/heartbeat", purpose="the heartbeat"))

    def fetch_data(self, template: str, path: str, params: dict, purpose: str) -> Exchange:
        """A data request; a 202 with a short Retry-After is asked again, as a client would."""
        exchange = self.session.get(template, path, params, purpose=purpose)
        for _ in range(RETRIES):
            wait = retry_after_seconds(exchange.headers.get("retry-after")) if exchange.status == 202 else None
            if wait is None or wait > LONGEST_WAIT:
                break
            time.sleep(wait)
            exchange = self.session.get(template, path, params, purpose=purpose + " (asked again after 202)")
        return exchange

    def data_endpoint(self) -> tuple[str, str, str] | None:
        """(path template, path, what it is) of the endpoint the error probes ask: for an EDP one data
        source's first measure, for a CAP /emissions. None when an EDP lists no data source."""
        if self.role == "cap":
            return "/emissions", "/emissions", "the emissions report"
        from perseus.conformance.edp import first_source

        found = first_source(self)
        if found is None:
            return None
        source, measure = found
        from perseus.conformance.session import segment

        return (
            "/datasources/{id}/{measure}",
            f"/datasources/{segment(source['id'])}/{segment(measure)}",
            f"{source['id']} {measure}",
        )


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now (delta-seconds or an HTTP date), or None when unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
