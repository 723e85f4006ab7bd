"""The `from` and `to` query parameters: how they are read, and the bounds of a period.

The published documents say `format: date-time` (RFC 3339 with a time zone). The deployed
EDP reads them as dates (`?from=2024-12-05&to=2024-12-06`, each 00:00Z), and the scheme's
own records write `2024-12-05T00:00Z`, without seconds; outside --strict the sandbox takes
those forms too, as UTC. Under --strict only RFC 3339 date-times are taken.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi.exceptions import RequestValidationError
from pydantic import AwareDatetime, BeforeValidator, TypeAdapter, ValidationError

from perseus.sandbox.config import MAX_MONTHS

SCENARIO_HEADER = "X-Perseus-Scenario"
# The instants a request may name; pandas and the calculator hold every one of them.
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NO_SECONDS = re.compile(r"^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2})([Zz]|[+-]\d{2}:\d{2})$")
STRICT_MESSAGE = "must be an RFC 3339 date-time with a time zone, e.g. 2025-01-01T00:00:00Z"
LENIENT_MESSAGE = STRICT_MESSAGE + ", or a date (read as 00:00Z)"


def rfc3339(value):
    """Only RFC 3339 date-times (the documents' `format: date-time`): pydantic alone would also take
    numbers as Unix times and dates without a time."""
    if not isinstance(value, str) or not RFC3339.match(value):
        raise ValueError(STRICT_MESSAGE)
    return value.upper()


def as_deployed(value):
    """RFC 3339, or what the deployed EDP and the scheme's records write: a date, or a time without seconds."""
    if isinstance(value, str):
        if DATE_ONLY.match(value):
            value = value + "T00:00:00Z"
        elif match := NO_SECONDS.match(value):
            value = f"{match.group(1)}:00{match.group(2)}"
    if not isinstance(value, str) or not RFC3339.match(value):
        raise ValueError(LENIENT_MESSAGE)
    return value.upper()


INSTANTS = {
    strict: TypeAdapter(Annotated[AwareDatetime, BeforeValidator(rfc3339 if strict else as_deployed)])
    for strict in (True, False)
}


def read_period(query, strict: bool) -> tuple[datetime, datetime | None]:
    """`from` (required) and `to` of a request's query, or a 422 naming each one at fault.
    (Read here rather than declared as FastAPI parameters: that is most of the framework's work
    on a small answer.)"""
    adapter, found, errors = INSTANTS[strict], {}, []
    for name in ("from", "to"):
        value = query.get(name)
        if value is None:
            if name == "from":
                errors.append({"loc": ("query", name), "msg": "Field required", "type": "missing"})
            continue
        try:
            found[name] = adapter.validate_python(value)
        except ValidationError as exc:
            errors += [{"loc": ("query", name), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    if errors:
        raise RequestValidationError(errors)
    return found["from"], found.get("to")


def validation(field: str, message: str, kind: str = "value_error", where: str = "query") -> RequestValidationError:
    loc = ("header", SCENARIO_HEADER) if field == SCENARIO_HEADER else (where, field)
    return RequestValidationError([{"loc": loc, "msg": message, "type": kind}])


def add_months(instant: datetime, months: int) -> datetime:
    month = instant.month - 1 + months
    year, month = instant.year + month // 12, month % 12 + 1
    last_day = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return instant.replace(year=year, month=month, day=min(instant.day, last_day))


def check_period(start: datetime, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """[from, to) in UTC; 422 naming the parameter when it is out of bounds (at most 13 months)."""
    blame = "to" if end is not None else "from"
    for name, instant in (("from", start), ("to", end)):
        if instant is not None and not EARLIEST <= instant < LATEST:  # compared before conversion, which can overflow
            raise validation(name, f"must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}")
    start = start.astimezone(UTC)
    stop = end.astimezone(UTC) if end is not None else now
    if stop <= start:
        raise validation(
            blame,
            "`to` must be after `from`" if end is not None else "`from` must be in the past when `to` is left out",
        )
    if stop > add_months(start, MAX_MONTHS):
        raise validation(blame, f"the period may be at most {MAX_MONTHS} months; ask for it in parts")
    return start, stop
