"""The impact pack: both figures per month and archetype, their differences, largest effects first; JSON and Markdown."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from perseus.writing import dump_json

COLUMNS = {"month": ("type", "archetype", "month"), "archetype": ("type", "archetype"), "place": ("type", "outcode")}
JSON_KEYS = {"month": "byMonth", "archetype": "byArchetype", "place": "byPlace"}
HEADINGS = {
    "archetype": "By archetype over the period",
    "month": "By month and archetype, largest effects first",
    "place": "By place over the period",
}


@dataclass
class ImpactPack:
    old: str
    new: str
    kind: str
    energy_types: tuple[str, ...]
    portfolio: dict  # the reference portfolio, described
    variants: dict  # "old", "new": what each is
    tables: dict[str, pd.DataFrame]  # month, archetype, place (perseus.review.impact.compare.side_by_side)

    @property
    def name(self) -> str:
        """The pack's file name without extension: OLD..NEW, as the review packs are named."""
        return f"{self.old}..{self.new}"

    def rows(self, by: str) -> list[dict]:
        out = []
        for row in self.tables[by].to_dict(orient="records"):
            item = {key: row[key] for key in COLUMNS[by]}
            item.update(
                {
                    "old": float(row["old"]),
                    "new": float(row["new"]),
                    "absolute": float(row["absolute"]),
                    "relative": None if math.isnan(row["relative"]) else round(float(row["relative"]), 9),
                }
            )
            out.append(item)
        return out

    def as_dict(self) -> dict:
        return {
            "old": self.old,
            "new": self.new,
            "kind": self.kind,
            "energyTypes": list(self.energy_types),
            "unit": "kg CO2e",
            "portfolio": self.portfolio,
            "variants": self.variants,
            **{JSON_KEYS[by]: self.rows(by) for by in ("archetype", "month", "place")},
        }

    def json(self) -> str:
        return dump_json(self.as_dict())

    def markdown(self, chart: str | None = None, level: int = 1, figure=None) -> str:
        """The pack as Markdown; `chart` is the chart's file name beside it, `level` the heading level of its
        title, `figure(name, alt)` the Markdown that shows the chart (default: a plain image)."""
        from perseus.review.impact.markdown import render_impact

        return render_impact(self, chart, level, *([figure] if figure else []))

    def chart(self) -> bytes:
        from perseus.site.charts import impact_by_month

        return impact_by_month(self.tables["month"], f"{self.old} → {self.new}")


def build_pack(runner, variants) -> ImpactPack:
    """The impact pack of two resolved variants (perseus.review.impact.variants) on the runner's portfolio."""
    from perseus.review.impact.compare import comparison

    before, after = variants
    return ImpactPack(
        before.ref,
        after.ref,
        before.kind,
        before.energy_types,
        runner.portfolio.description(),
        {"old": before.what, "new": after.what},
        comparison(runner, before, after),
    )
