"""The factor-set rule of a methodology: which set each half-hour uses, the factors it gives, and the datasets a report names.

A rule chooses by the calendar year of the half-hour (`calendar-year-of-half-hour`)
or by what had been published when the half-hour began (`latest-published-at-half-hour`,
from the publication instants the rule lists, `publications`). A methodology may take several factors of the
set (an input from emission-factors may name its own activity and unit basis); a set
serves the rule only when it holds all of them, so a half-hour's factors always come
from one set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from perseus.calculator.errors import Labels, raise_if
from perseus.calculator.instants import HALF_HOUR_NS, nanoseconds, parse_instant, year_month, z
from perseus.calculator.months import month_start_half_hour
from perseus.methodology.factors import sets_for

BY_YEAR, BY_PUBLICATION = "calendar-year-of-half-hour", "latest-published-at-half-hour"  # FactorSetChoice


@dataclass
class FactorTable:
    """The sets that can serve a factor-set rule, in the rule's order (by year, or by publication), and the
    factor each gives to each input (`values`: input name -> one factor per set)."""

    years: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    values: dict[str, np.ndarray] = field(default_factory=dict)
    sets: dict = field(default_factory=dict)  # year -> FactorSetData, for the report's datasets
    rule: dict | None = None
    published: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # ns since 1970, BY_PUBLICATION only

    @classmethod
    def of(cls, rule: dict | None, wanted: dict[str, tuple[str, str, str]], offered: dict | None = None) -> FactorTable:
        """The table of `rule` for the factors `wanted` (input name -> activity, unit basis, gases: what
        `CompiledMethodology.factor_inputs` gives), from the sets of the rule's publisher in factors/, or from
        those `offered` (year -> FactorSetData) instead: an impact report offers one set for every year."""
        if not rule:
            return cls()
        by_publication = rule["setYear"] == BY_PUBLICATION
        instants = {
            int(p["setYear"]): parse_instant(p["published"], "publications")
            if isinstance(p["published"], str)
            else nanoseconds(p["published"])
            for p in rule.get("publications", [])
        }
        available = {}
        for year, factor_set in (sets_for(rule["publisher"]) if offered is None else offered).items():
            found = {name: factor_set.value(*key) for name, key in wanted.items()}
            if any(v is None for v in found.values()):  # a set without one of the factors cannot serve the rule
                continue
            if by_publication and year not in instants:
                continue  # nor, by publication, can a set whose publication the rule does not list
            available[year] = (factor_set, found)
        order = sorted(available, key=lambda y: (instants[y], y) if by_publication else y)
        published = np.array([instants[y] for y in order], dtype=np.int64) if by_publication else np.zeros(0, np.int64)
        if by_publication and len(published) > 1 and not (np.diff(published) > 0).all():
            raise ValueError(f"two {rule['publisher']} sets have the same publication instant")
        return cls(
            np.array(order, dtype=np.int64),
            {name: np.array([available[y][1][name] for y in order], dtype=float) for name in wanted},
            {y: available[y][0] for y in order},
            rule,
            published,
        )

    @property
    def by_publication(self) -> bool:
        return self.rule is not None and self.rule["setYear"] == BY_PUBLICATION

    def slots(self, half_hours: np.ndarray, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per half-hour (half-hours since 1970, and their months since 1970): the position of its set in the
        table (-1 where none serves) and the year of the set the rule asks for (by year) or -1 (by publication)."""
        if self.by_publication:
            slot = np.searchsorted(self.published, half_hours.astype(np.int64) * HALF_HOUR_NS, side="right") - 1
            return slot, np.full(len(slot), -1, np.int64)
        year = (months // 12 + 1970).astype(np.int64)
        slot = np.searchsorted(self.years, year, side="right") - 1
        if self.rule and self.rule["whenMissing"] == "reject":
            slot = np.where((slot >= 0) & (self.years[np.maximum(slot, 0)] == year), slot, -1)
        return slot, year

    def set_year(self, year: int) -> int:
        """The set a half-hour of `year` uses by the year rule (the year's own, else the latest earlier)."""
        return int(self.years[np.searchsorted(self.years, year, side="right") - 1])


def factors_at(
    table: FactorTable, half_hours: np.ndarray, months: np.ndarray, row_position, labels: Labels
) -> dict[str, np.ndarray]:
    """Each input's factor at each position of `half_hours` (with `months`, its months since 1970), by the rule.
    A position no set serves is refused, naming the first reading there (`row_position()` gives each reading's
    position)."""
    rule = table.rule
    assert rule is not None, "a methodology that takes emission factors has a factor-set rule (checked when loaded)"
    slot, year = table.slots(half_hours, months)
    if (slot < 0).any():
        position = row_position()
        raise_if(
            [
                labels.breach(
                    slot[position] < 0,
                    "factor-set-available",
                    lambda i: _no_set(table, int(half_hours[position[i]]), int(year[position[i]])),
                )
            ]
        )
    return {
        name: values[np.maximum(slot, 0)] if len(values) else np.zeros(len(slot))
        for name, values in table.values.items()
    }


def _no_set(table: FactorTable, half_hour: int, year: int) -> str:
    rule = table.rule
    assert rule is not None
    factors = f"({rule['activity']}, {rule['unitBasis']}, {rule['ghg']})"
    if table.by_publication:
        held = (
            ", ".join(f"{y} ({z(p)})" for y, p in zip(table.years.tolist(), table.published.tolist(), strict=True))
            or "none"
        )
        return (
            f"no {rule['publisher']} factor set {factors} had been published by {z(half_hour * HALF_HOUR_NS)}; "
            f"sets the rule lists a publication for: {held}"
        )
    if rule["whenMissing"] == "reject":
        return f"no {rule['publisher']} factor set for {year}"
    return f"no {rule['publisher']} factor set for {year} or any earlier year {factors}; sets: {', '.join(map(str, table.years)) or 'none'}"


def factor_datasets(table: FactorTable, months: list[int], spans: list[tuple[int, int]] | None = None) -> list[dict]:
    """One dataset use per (set used, set wanted), with the months it served, in that order. By publication a
    month may draw on two sets: `spans` gives each month's first and last half-hour with a reading (the sets in
    force from the one to the other served it; without spans, the whole month)."""
    groups: dict[tuple[int, int], set[str]] = {}
    for k, month in enumerate(months):
        label = year_month(month)
        if table.by_publication:
            first, last = spans[k] if spans is not None else _month_span(month)
            low, high = table.slots(np.array([first, last]), np.array([month, month]))[0].tolist()
            for slot in range(max(low, 0), high + 1):
                year = int(table.years[slot])
                groups.setdefault((year, year), set()).add(label)
            continue
        wanted = 1970 + int(month) // 12
        groups.setdefault((table.set_year(wanted), wanted), set()).add(label)
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


def _month_span(month: int) -> tuple[int, int]:
    start, end = month_start_half_hour(np.array([month, month + 1])).tolist()
    return start, end - 1
