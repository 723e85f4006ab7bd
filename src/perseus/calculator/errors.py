"""Errors of the calculator: each names the file, the record and the methodology rule broken."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class Breach:
    file: str
    record: str  # "line 5" (CSV), "row 3" (Parquet), "$.data[2]" (JSON), or "" for the whole file
    rule: str  # a data-quality rule code (enum DataQualityRuleCode of spec/methodology.yaml), e.g. half-hour-boundaries
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" if self.record else self.file
        return f"{where}: {self.message} [rule: {self.rule}]"


class CalculationError(Exception):
    """One or more inputs break a rule; nothing is written.

    `methodology` is the methodology (label@version) the rules were checked under, when it was
    one methodology's work that found them; None for a file or option any methodology refuses.
    """

    def __init__(self, breaches: list[Breach], methodology: str | None = None):
        self.breaches = breaches
        self.methodology = methodology
        super().__init__("\n".join(str(b) for b in breaches))

    def __reduce__(self):  # keep the breaches when a Dask worker sends the error back
        return (CalculationError, (self.breaches, self.methodology))


@contextmanager
def under(methodology: str):
    """Errors raised inside say which methodology they were checked under (a test holds every code to its declarations)."""
    try:
        yield
    except CalculationError as exc:
        if exc.methodology is None:
            exc.methodology = methodology
        raise


class Lookup(Protocol):
    """Something that gives the label of row i: an array, or one of the lazy labels below."""

    def __getitem__(self, i: Any) -> Any: ...


def breach_for_rows(mask: np.ndarray, files: Lookup, records: Lookup, rule: str, describe) -> Breach | None:
    """A breach naming the first offending row (and how many others there are), or None.

    `files` and `records` give the file and record of row i (arrays, or the lazy labels below);
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


class Repeat:
    """The same file name for every row, without an array of copies."""

    def __init__(self, name: str):
        self.name = name

    def __getitem__(self, i):
        return self.name


class RowNumbers:
    """`row N` (Parquet) or `line N` (CSV) of a position, made only when an error needs it."""

    def __init__(self, word: str = "row", first: int = 1):
        self.word, self.first = word, first

    def __getitem__(self, i):
        return f"{self.word} {int(i) + self.first}"


class _Through:
    """`labels[order[i]]`: the label of a row after the rows were reordered or filtered."""

    def __init__(self, labels: Lookup, order: np.ndarray):
        self.labels, self.order = labels, order

    def __getitem__(self, i):
        return self.labels[int(self.order[i])]


@dataclass(frozen=True)
class Labels:
    """Where each row of a table came from: its file and its record, looked up only when an error names a row."""

    files: Lookup
    records: Lookup

    def at(self, order: np.ndarray | None) -> Labels:
        """The labels of rows `order` (positions in this table), for arrays that were reordered or filtered."""
        return self if order is None else Labels(_Through(self.files, order), _Through(self.records, order))

    def breach(self, mask: np.ndarray, rule: str, describe) -> Breach | None:
        return breach_for_rows(mask, self.files, self.records, rule, describe)

    @classmethod
    def of_file(cls, name: str, word: str = "row", first: int = 1) -> Labels:
        """Every row of one file, numbered from `first`."""
        return cls(Repeat(name), RowNumbers(word, first))
