"""The factor-set rule of a methodology: which factor each half-hour uses, and the datasets a report names."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from perseus.calculator.errors import Labels, raise_if
from perseus.calculator.instants import year_month
from perseus.methodology.factors import sets_for


@dataclass
class FactorTable:
    """The sets that can serve a factor-set rule: their years (sorted) and the factor each gives."""

    years: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sets: dict = field(default_factory=dict)  # year -> FactorSetData, for the report's datasets
    rule: dict | None = None

    @classmethod
    def of(cls, rule: dict | None) -> FactorTable:
        if not rule:
            return cls()
        available = {}
        for year, factor_set in sets_for(rule["publisher"]).items():
            value = factor_set.value(rule["activity"], rule["unitBasis"], rule["ghg"])
            if value is not None:  # a set without this factor cannot serve the rule
                available[year] = (factor_set, value)
        years = np.array(sorted(available), dtype=np.int64)
        return cls(
            years,
            np.array([available[int(y)][1] for y in years], dtype=float),
            {y: s for y, (s, _) in available.items()},
            rule,
        )

    def set_year(self, year: int) -> int:
        """The set a half-hour of `year` uses (the year's own, else the latest earlier); only for years served."""
        return int(self.years[np.searchsorted(self.years, year, side="right") - 1])


def factors_by_month(table: FactorTable, month: np.ndarray, row_position, labels: Labels) -> np.ndarray:
    """The factor at each position of `month` (months since 1970), by the rule. A month no set serves is
    refused, naming the first reading in it (`row_position()` gives each reading's position in `month`)."""
    rule = table.rule
    assert rule is not None, "a methodology that takes emission factors has a factor-set rule (checked when loaded)"
    year = (month // 12 + 1970).astype(np.int64)
    slot = np.searchsorted(table.years, year, side="right") - 1
    usable = slot >= 0
    reject = rule["whenMissing"] == "reject"
    if reject:
        usable &= np.where(usable, table.years[np.maximum(slot, 0)] == year, False)
    if not usable.all():
        position = row_position()
        wanted = year[position]
        sets = ", ".join(map(str, table.years)) or "none"
        raise_if(
            [
                labels.breach(
                    ~usable[position],
                    "factor-set-available",
                    lambda i: (
                        f"no {rule['publisher']} factor set for {wanted[i]}"
                        + (
                            ""
                            if reject
                            else f" or any earlier year ({rule['activity']}, {rule['unitBasis']}, "
                            f"{rule['ghg']}); sets: {sets}"
                        )
                    ),
                )
            ]
        )
    return table.values[np.maximum(slot, 0)] if len(table.values) else np.zeros(len(year))


def factor_datasets(table: FactorTable, months: list[int]) -> list[dict]:
    """One dataset use per (set used, year wanted), with the months it served, in that order."""
    groups: dict[tuple[int, int], set[str]] = {}
    for month in months:
        wanted = 1970 + int(month) // 12
        groups.setdefault((table.set_year(wanted), wanted), set()).add(year_month(month))
    datasets = []
    for (used, wanted), served in sorted(groups.items()):
        meta = table.sets[used].metadata
        entry = {
            "role": "emission-factors",
            "publisher": meta["publisher"],
            "title": meta["title"],
            "version": str(meta["version"]),
            "url": meta["url"],
            "licence": meta["licence"],
            "months": sorted(served),
        }
        if used != wanted:
            entry["substitutedFor"] = str(wanted)
        datasets.append(entry)
    return datasets
