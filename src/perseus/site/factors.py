"""Factor pages: one table per set with its source, licence and confidence, and a chart across sets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from perseus.methodology.factors import calorific_value_defaults, factor_sets
from perseus.site import artefacts, charts
from perseus.site.downloads import download_link
from perseus.site.markdown import key_values, table
from perseus.site.status import badge, standing

CHART = "factors/factors-over-years.svg"


def decimal(value: float) -> str:
    """A factor as the publisher writes it: positional digits, never `9e-05`."""
    return np.format_float_positional(float(value), trim="-")


def _set_page(fs) -> str:
    meta = fs.metadata
    ref = meta["table"].removesuffix(".csv")
    page = f"factors/{ref}.md"
    confidence = {c["activity"]: c["statement"] for c in meta.get("confidence", [])}
    rows = [
        [r.activity, r.unitBasis, r.ghg, decimal(r.value), confidence.get(r.activity, "")]
        for r in fs.table.itertuples()
    ]
    facts = artefacts.related(ref, page) + [
        ("Publisher", meta["publisher"]),
        ("Year", meta["year"]),
        ("Version", meta["version"]),
        ("Source", f"<{meta['url']}>"),
        ("Licence", meta["licence"]),
        ("GWP basis", meta.get("gwpBasis", "")),
        ("Retrieved", meta.get("retrievalDate", "")),
        (
            "Downloads",
            f"{download_link(f'factors/{ref}.csv', 'table (CSV)', 2)}, "
            f"{download_link(f'factors/{ref}.yaml', 'metadata (YAML)', 2)}",
        ),
    ]
    return (
        f"---\ntitle: {ref} (factor set)\n---\n\n# {meta['title']}\n\n"
        + key_values(facts)
        + f"\n{meta.get('notes', '')}\n\n"
        "Values in kg CO2e per unit; the CH4 and N2O rows are already in CO2e. Cells the publisher left blank are "
        "absent, never estimated.\n\n" + table(["activity", "per", "gases", "value", "confidence"], rows)
    )


def pages() -> dict[str, str]:
    from perseus.governance.pins import held_artefacts

    calorific_values = next(ref for ref, kind in held_artefacts().items() if kind == "calorific-values")
    sets = factor_sets()
    out = {f"factors/{fs.metadata['table'].removesuffix('.csv')}.md": _set_page(fs) for fs in sets.values()}
    cvs = calorific_value_defaults()
    index = (
        "---\ntitle: Emission factors and calorific values\n---\n\n"
        "# Emission factors and calorific values\n\nThe UK government's greenhouse gas conversion factors, one "
        "set a year, as the methodologies use them; each set keeps its source, licence and confidence.\n\n"
        + charts.figure("factors-over-years.svg", "Headline factors across the sets")
        + "\n"
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
        + f"Status: {badge(standing(calorific_values).status)}. "
        f"Decision: {artefacts.decision_links(calorific_values, 'factors/index.md')}. "
        f"Download: {download_link('factors/calorific-values.yaml', 'calorific-values.yaml', 1)}.\n\n"
        + table(
            ["id", "MJ/m³", "zone", "publisher", "description"],
            [
                [
                    c["id"],
                    decimal(c["megajoulesPerCubicMetre"]),
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
