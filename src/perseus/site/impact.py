"""One page per proposed option: what it does to the reference portfolio's figures against the approved method.

Computed by the same code as `perseus impact`, as the worked examples are: once per change
of what the figures depend on (perseus.build_cache.calculation_inputs), each option's page,
pack (JSON) and chart (SVG) kept in the build cache under that hash, so that a build with
the calculator, methodologies and factors unchanged calculates nothing.
"""

from __future__ import annotations

import tempfile
from functools import cache, partial
from pathlib import Path

from perseus.review.impact.markdown import headline, relative
from perseus.site import charts
from perseus.site.markdown import table

# Besides the calculator's code and data: this page's code, the chart's and the statuses the packs show.
ALSO_INPUTS = (
    "src/perseus/site/impact.py",
    "src/perseus/site/charts.py",
    "src/perseus/site/markdown.py",
    "governance/",
)
_assets: dict[str, bytes] = {}


def rendered() -> list[dict]:
    """Every proposed option's page, pack, chart and index row (perseus.review.impact.variants.proposed_options),
    from the build cache, or calculated on one reference portfolio shared by the options not in it."""
    from perseus import build_cache
    from perseus.review.impact.compare import reference_runner
    from perseus.review.impact.variants import proposed_options

    key = build_cache.calculation_inputs(*ALSO_INPUTS)
    with tempfile.TemporaryDirectory(prefix="perseus-impact-site-") as folder:

        @cache
        def runner():  # the portfolio is written only if an option must be calculated
            return reference_runner(Path(folder))

        def calculated(old: str, new: str) -> dict:
            return render(runner(), old, new)

        return [
            build_cache.cached(f"impact-{old}..{new}", key, partial(calculated, old, new))
            for old, new in proposed_options()
        ]


def render(runner, old: str, new: str) -> dict:
    from perseus.review.impact.pack import build_pack
    from perseus.review.impact.variants import resolve_pair

    pack = build_pack(runner, resolve_pair(old, new))
    overall = "; ".join(f"{r['archetype']} {relative(r['relative'])}" for r in pack.rows("archetype"))
    return {
        "new": pack.new,
        "name": pack.name,
        "page": option_page(pack),
        "json": pack.json().encode(),
        "svg": pack.chart(),
        "row": [f"[{pack.new}]({pack.new}.md)", ", ".join(pack.energy_types), pack.old, overall, headline(pack)],
    }


def option_page(pack) -> str:
    return (
        f"---\ntitle: Impact of {pack.new}\n---\n\n"  # the page's own title (the sidebar names only its version)
        f"# Impact of {pack.new}\n\n"
        f"What adopting the proposed [{pack.new}](../methodologies/{pack.new}.md) instead of the approved "
        f"[{pack.old}](../methodologies/{pack.old}.md) does to the monthly figures of the reference portfolio, "
        f"computed from the sources of this site (`perseus impact {pack.old} {pack.new}` writes the same pack). "
        f"Download the pack as [JSON]({pack.name}.json) or the chart as [SVG]({pack.name}.svg).\n\n"
        + pack.markdown(chart=f"{pack.name}.svg", level=2, figure=charts.figure)
    )


def pages() -> dict[str, str]:
    _assets.clear()
    out, rows = {}, []
    for option in rendered():
        out[f"impact/{option['new']}.md"] = option["page"]
        _assets[f"impact/{option['name']}.json"] = option["json"]
        _assets[f"impact/{option['name']}.svg"] = option["svg"]
        rows.append(option["row"])
    index = (
        "# Impact of the proposed options\n\nEach proposed methodology against the approved one, on the "
        "reference portfolio: SYNTHETIC businesses of every archetype in several regions, electricity and gas, "
        "two years, calculated under both with the portfolio kernel (`perseus impact OLD NEW`).\n\n"
    )
    index += (
        table(["option", "energy", "against", "over the period, by archetype", "largest monthly effects"], rows)
        if rows
        else "No methodology is proposed at present.\n"
    )
    return {"impact/index.md": index} | out


def assets() -> dict[str, bytes]:
    """The packs' JSON and charts (call after `pages`)."""
    return dict(_assets)
