"""Calculate the reference portfolio under two variants with the portfolio kernel, and set the figures side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from perseus.review.impact.reference import END, ReferencePortfolio
from perseus.review.impact.variants import Variant

TAKEN_AT = "2026-03-01T00:00:00Z"  # fixed: a pack does not change with the day it is made
FIRST_SET_YEAR = 2000  # earlier than any factor set a rule lists
KEYS = {"month": ["type", "archetype", "month"], "archetype": ["type", "archetype"], "place": ["type", "outcode"]}


class Runner:
    """The reference portfolio's monthly figures under each variant, each calculated once."""

    def __init__(self, portfolio: ReferencePortfolio):
        self.portfolio = portfolio
        self._figures: dict[tuple, pd.DataFrame] = {}

    def figures(self, variant: Variant) -> pd.DataFrame:
        """One row per meter, type and month of the types the variant can change: archetype, outcode, month
        (YYYY-MM), emissions (kg, as reported). A calculation gives every type and is kept whole: variants of
        one key may differ in the types they change (the approved gas method as OLD of a gas option calculates
        what the approved electricity method as OLD of an electricity option does)."""
        if variant.key() not in self._figures:
            self._figures[variant.key()] = self._calculate(variant)
        figures = self._figures[variant.key()]
        return figures[figures["type"].isin(variant.energy_types)].reset_index(drop=True)

    def _calculate(self, variant: Variant) -> pd.DataFrame:
        from perseus.portfolio import calculate_portfolio

        offered = None
        if variant.factor_set is not None:
            offered = everywhere(variant.factor_set)
        run = calculate_portfolio(
            self.portfolio.directory,
            calorific_value=variant.calorific_value,
            calorific_values=variant.calorific_values,
            methods=variant.methods,
            taken_at=TAKEN_AT,
            factor_sets=offered,
        )
        entries = run.entries
        return pd.DataFrame(
            {
                "meter": entries["meter"].to_numpy(),
                "type": entries["type"].to_numpy(),
                "archetype": entries["meter"].map(self.portfolio.archetype_of()).to_numpy(),
                "outcode": entries["meter"].map(self.portfolio.outcode_of()).to_numpy(),
                "month": entries["from"].dt.strftime("%Y-%m").to_numpy(),
                "emissions": entries["emissions"].to_numpy(dtype=float),
            }
        )


def everywhere(factor_set) -> dict:
    """Year -> set, such that every half-hour of the portfolio takes `factor_set`'s factors by either kind of
    factor-set rule: the set under every year up to the portfolio's last (a rule by calendar year finds it under
    the half-hour's year; a rule by publication, under each year whose publication it lists, so that whichever
    publication is in force at a half-hour, it is this set)."""
    return {year: factor_set for year in range(FIRST_SET_YEAR, END.year + 1)}


def side_by_side(old: pd.DataFrame, new: pd.DataFrame, by: str) -> pd.DataFrame:
    """Both figures summed over the meters of each group (`by`: month, archetype or place), their absolute
    and relative difference; largest relative effect first (to the 0.001 % a pack shows, so that equal
    effects are not ordered by rounding residue), then largest absolute, then the keys."""
    keys = KEYS[by]
    both = (
        old.groupby(keys)["emissions"]
        .sum()
        .rename("old")
        .to_frame()
        .join(new.groupby(keys)["emissions"].sum().rename("new"), how="outer")
        .fillna(0.0)
        .reset_index()
    )
    both["old"] = both["old"].round(3)  # sums of figures of 3 decimals: no float residue in what is shown
    both["new"] = both["new"].round(3)
    both["absolute"] = (both["new"] - both["old"]).round(3)
    with np.errstate(divide="ignore", invalid="ignore"):
        both["relative"] = np.where(both["old"] != 0, both["absolute"] / both["old"], np.nan)
    both["_rel"], both["_abs"] = -both["relative"].abs().round(5).fillna(0.0), -both["absolute"].abs()
    both = both.sort_values(["_rel", "_abs", *keys], kind="stable").drop(columns=["_rel", "_abs"])
    return both.reset_index(drop=True)


def comparison(runner: Runner, old: Variant, new: Variant) -> dict[str, pd.DataFrame]:
    """The three tables of a pack: by month and archetype, by archetype over the period, by place."""
    before, after = runner.figures(old), runner.figures(new)
    return {by: side_by_side(before, after, by) for by in KEYS}


def reference_runner(directory: Path) -> Runner:
    from perseus.review.impact.reference import write_reference_portfolio

    return Runner(write_reference_portfolio(directory))
