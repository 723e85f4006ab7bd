"""The change record every differ produces, so one renderer serves all kinds of artefact."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    change: str  # added | removed | changed
    element: str  # class, field, enum, enum value, constraint, rule, step, parameter, row, ...
    name: str  # e.g. MeterData.calorificValue, or steps[monthly-total].formula
    old: Any = None
    new: Any = None
    detail: str = ""
    relative_change: float | None = None  # (new - old) / old, for numbers

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def relative(old, new) -> float | None:
    """(new - old) / old for two numbers; None when not both numbers or old is zero."""
    numbers = (int, float)
    if isinstance(old, bool) or isinstance(new, bool) or not (isinstance(old, numbers) and isinstance(new, numbers)):
        return None
    return None if old == 0 else (new - old) / old
