"""An impact pack as Markdown, for the advisory group, `perseus diff` and the site."""

from __future__ import annotations

from perseus.review.impact.pack import COLUMNS, HEADINGS, ImpactPack

TITLES = {"type": "energy", "archetype": "archetype", "month": "month", "outcode": "place"}


def kg(value: float) -> str:
    return f"{value:,.3f}"


def relative(value) -> str:
    return "–" if value is None else f"{value:+.3%}"


def _places(places: list[dict]) -> str:
    return "; ".join(f"{pl['outcode']}: NESO region {pl['region']}, gas zone {pl['distributionZone']}" for pl in places)


def _variant(what: dict) -> str:
    return "; ".join(
        f"{key} {value}" if not isinstance(value, list) else f"{key} {', '.join(value)}" for key, value in what.items()
    )


def _table(pack: ImpactPack, by: str, energy_type: str) -> list[str]:
    """One energy type's rows (named in the heading above, so that the table stays narrow)."""
    keys = [k for k in COLUMNS[by] if k != "type"]
    head = [TITLES[k] for k in keys] + ["old (kg)", "new (kg)", "difference (kg)", "relative"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in (r for r in pack.rows(by) if r["type"] == energy_type):
        cells = [str(row[k]) for k in keys] + [
            kg(row["old"]),
            kg(row["new"]),
            f"{row['absolute']:+,.3f}",
            relative(row["relative"]),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out


def headline(pack: ImpactPack) -> str:
    """The largest monthly effects, relative and absolute, in one sentence."""
    rows = pack.rows("month")
    if not rows:
        return "No monthly figures to compare."
    top = rows[0]
    biggest = max(rows, key=lambda r: (abs(r["absolute"]), r["month"]))
    if top["absolute"] == 0 and biggest["absolute"] == 0:
        return "No monthly figure of the reference portfolio changes."
    return (
        f"Largest relative effect: {top['archetype']} {top['type']}, {top['month']}, {relative(top['relative'])} "
        f"({top['absolute']:+,.3f} kg). Largest absolute effect: {biggest['archetype']} {biggest['type']}, "
        f"{biggest['month']}, {biggest['absolute']:+,.3f} kg ({relative(biggest['relative'])})."
    )


CHART_ALT = "Relative difference by month and archetype"


def image(name: str, alt: str) -> str:
    return f"![{alt}]({name})\n"


def render_impact(pack: ImpactPack, chart: str | None = None, level: int = 1, figure=image) -> str:
    p = pack.portfolio
    h = "#" * level
    out = [
        f"{h} Impact: {pack.old} → {pack.new}",
        "",
        f"Kind: {pack.kind}; energy {', '.join(pack.energy_types)}. The reference portfolio, calculated under each "
        f"with the portfolio kernel: SYNTHETIC businesses of every archetype ({', '.join(p['archetypes'])}) in "
        f"{len(p['places'])} places ({_places(p['places'])}), {p['from'][:10]} to "
        f"{p['to'][:10]} (exclusive), seed {p['seed']}: {p['meters']} meters, {p['readings']:,} half-hourly "
        f"readings; electricity {p['electricity']}, gas {p['gas']}. Each figure is the sum of the meters' "
        "reported monthly figures (kg CO2e, rounded as the methodology says); the relative difference is "
        "against the old figure.",
        "",
        f"- old: {_variant(pack.variants['old'])}",
        f"- new: {_variant(pack.variants['new'])}",
        "",
        headline(pack),
        "",
    ]
    if chart:
        out += [figure(chart, CHART_ALT)]
    for by in ("archetype", "month", "place"):
        for energy_type in pack.energy_types:
            out += [f"{h}# {HEADINGS[by]}: {energy_type}", "", *_table(pack, by, energy_type), ""]
    return "\n".join(out).rstrip("\n") + "\n"
