"""One page per proposed option: what it does to the reference portfolio's figures against the approved method.

Computed when the site is built, as the worked examples are, by the same code as
`perseus impact`; each page offers its pack as JSON and its chart as SVG.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from perseus.review.impact.markdown import headline, relative
from perseus.site import charts
from perseus.site.markdown import table

_assets: dict[str, bytes] = {}


def packs() -> list:
    """The impact pack of every proposed option (perseus.review.impact.variants.proposed_options)."""
    from perseus.review.impact.compare import reference_runner
    from perseus.review.impact.pack import build_pack
    from perseus.review.impact.variants import proposed_options, resolve_pair

    with tempfile.TemporaryDirectory(prefix="perseus-impact-site-") as folder:
        runner = reference_runner(Path(folder))  # one portfolio, and the approved method's run, for every page
        return [build_pack(runner, resolve_pair(old, new)) for old, new in proposed_options()]


def option_page(pack) -> str:
    return (
        f"# Impact of {pack.new}\n\n"
        f"What adopting the proposed [{pack.new}](../methodologies/{pack.new}.md) instead of the approved "
        f"[{pack.old}](../methodologies/{pack.old}.md) does to the monthly figures of the reference portfolio, "
        f"computed when this site was built (`perseus impact {pack.old} {pack.new}` writes the same pack). "
        f"Download the pack as [JSON]({pack.name}.json) or the chart as [SVG]({pack.name}.svg).\n\n"
        + pack.markdown(chart=f"{pack.name}.svg", level=2, figure=charts.figure)
    )


def pages() -> dict[str, str]:
    _assets.clear()
    out, rows = {}, []
    for pack in packs():
        out[f"impact/{pack.new}.md"] = option_page(pack)
        _assets[f"impact/{pack.name}.json"] = pack.json().encode()
        _assets[f"impact/{pack.name}.svg"] = pack.chart()
        overall = "; ".join(f"{r['archetype']} {relative(r['relative'])}" for r in pack.rows("archetype"))
        rows.append([f"[{pack.new}]({pack.new}.md)", ", ".join(pack.energy_types), pack.old, overall, headline(pack)])
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
