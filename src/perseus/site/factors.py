"""Factor pages: one table per set with its source, licence and confidence, and a chart across sets."""

from __future__ import annotations

import pandas as pd

from perseus.methodology.factors import calorific_value_defaults, factor_sets
from perseus.site import charts
from perseus.site.markdown import table

CHART = "factors/factors-over-years.png"


def _set_page(fs) -> str:
    meta = fs.metadata
    confidence = {c["activity"]: c["statement"] for c in meta.get("confidence", [])}
    rows = [
        [r.activity, r.unitBasis, r.ghg, f"{r.value:g}", confidence.get(r.activity, "")] for r in fs.table.itertuples()
    ]
    return (
        f"# {meta['title']}\n\n"
        + table(
            ["", ""],
            [
                ["publisher", meta["publisher"]],
                ["year", meta["year"]],
                ["version", meta["version"]],
                ["source", f"<{meta['url']}>"],
                ["licence", meta["licence"]],
                ["GWP basis", meta.get("gwpBasis", "")],
                ["retrieved", meta.get("retrievalDate", "")],
            ],
        )
        + f"\n{meta.get('notes', '')}\n\n"
        "Values in kg CO2e per unit; the CH4 and N2O rows are already in CO2e. Cells the publisher left blank are "
        "absent, never estimated.\n\n" + table(["activity", "per", "gases", "value", "confidence"], rows)
    )


def pages() -> dict[str, str]:
    sets = factor_sets()
    out = {f"factors/{fs.metadata['table'].removesuffix('.csv')}.md": _set_page(fs) for fs in sets.values()}
    cvs = calorific_value_defaults()
    index = (
        "# Emission factors and calorific values\n\nThe UK government's greenhouse gas conversion factors, one "
        "set a year, as the methodologies use them; each set keeps its source, licence and confidence.\n\n"
        "![Headline factors across the sets](factors-over-years.png)\n\n"
        + table(
            ["set", "publisher", "licence"],
            [
                [
                    f"[{fs.metadata['title']}]({fs.metadata['table'].removesuffix('.csv')}.md)",
                    fs.metadata["publisher"],
                    fs.metadata["licence"],
                ]
                for fs in sets.values()
            ],
        )
        + "\n## Calorific values\n\n"
        + table(
            ["id", "MJ/m³", "zone", "publisher", "description"],
            [
                [
                    c["id"],
                    c["megajoulesPerCubicMetre"],
                    c.get("distributionZone", ""),
                    c.get("publisher", ""),
                    c.get("description", ""),
                ]
                for c in cvs
            ],
        )
    )
    return {"factors/index.md": index} | out


def assets() -> dict[str, bytes]:
    rows = pd.concat([fs.table for fs in factor_sets().values()], ignore_index=True)
    headline = rows[(rows.ghg == "total") & rows.unitBasis.isin(["kWh-gross-cv", "kWh"])]
    return {CHART: charts.factors_over_years(headline)}
