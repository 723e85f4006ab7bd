"""Errors of the calculator: each names the file, the record and the methodology rule broken."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Breach:
    file: str
    record: str  # "line 5" (CSV), "row 3" (Parquet), "$.data[2]" (JSON), or "" for the whole file
    rule: str  # a data-quality rule code of the methodology, e.g. half-hour-boundaries
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" if self.record else self.file
        return f"{where}: {self.message} [rule: {self.rule}]"


class CalculationError(Exception):
    """One or more inputs break a rule; nothing is written."""

    def __init__(self, breaches: list[Breach]):
        self.breaches = breaches
        super().__init__("\n".join(str(b) for b in breaches))

    def __reduce__(self):  # keep the breaches when a Dask worker sends the error back
        return (CalculationError, (self.breaches,))


def breach_for_rows(mask: np.ndarray, files: np.ndarray, records: np.ndarray, rule: str, describe) -> Breach | None:
    """A breach naming the first offending row (and how many others there are), or None.

    `describe(i)` words the problem of row i.
    """
    hits = np.flatnonzero(mask)
    if not len(hits):
        return None
    first = int(hits[0])
    more = f" ({len(hits) - 1} more rows break this rule)" if len(hits) > 1 else ""
    return Breach(str(files[first]), str(records[first]), rule, describe(first) + more)


def raise_if(breaches: list[Breach | None]) -> None:
    found = [b for b in breaches if b is not None]
    if found:
        raise CalculationError(found)
