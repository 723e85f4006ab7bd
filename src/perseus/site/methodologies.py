"""Methodology pages: the YAML typeset (formulas as MathML), with a worked example run at build time."""

from __future__ import annotations

import html

from perseus.methodology.documents import Methodology, all_methodologies
from perseus.methodology.factors import sets_for
from perseus.site import artefacts, charts
from perseus.site.downloads import download_link
from perseus.site.formulas import mathml
from perseus.site.markdown import key_values, table
from perseus.site.status import badge, standing
from perseus.site.worked import blended_year, example, monthly_sums

BLENDED_CHART = "methodologies/blended-year.svg"


def _formulas(m: Methodology) -> str:
    doc = m.document
    known = {i["name"] for i in doc["inputs"]} | {p["name"] for p in doc.get("parameters", [])}
    out = []
    for step in doc["steps"]:
        out.append(f"**{step['name']}** ({step['unit']}): {step['description']}\n")
        out.append(mathml(step["name"], step["expression"], known, f"{m.path.name}: step {step['name']}") + "\n")
        known.add(step["name"])
    rounding = doc["rounding"]
    total = html.escape(doc["result"].replace("_", " "))
    out.append(
        f"**Monthly total**: the sum over the month's half-hours (UTC) of `{doc['result']}`, rounded once to "
        f"{rounding['decimals']} decimals ({rounding['mode']}):\n\n"
        '<math display="block" class="formula" data-step="monthly-total"><mrow><msub><mi>E</mi><mi>month</mi></msub>'
        f'<mo>=</mo><mi mathvariant="normal">round</mi><mo>(</mo><munder><mo>∑</mo><mtext>half-hours in month</mtext>'
        f'</munder><mi mathvariant="normal">{total}</mi><mo>,</mo><mn>{rounding["decimals"]}</mn><mo>)</mo></mrow></math>\n'
    )
    return "\n".join(out)


def _rules(m: Methodology) -> str:
    doc, out = m.document, []
    if rule := doc.get("factorSetRule"):
        out.append(f"### Factor-set rule\n\n{rule['description']}\n\n"
                   + table(["publisher", "activity", "unit basis", "gases", "set", "when missing"],
                           [[rule["publisher"], rule["activity"], rule["unitBasis"], rule["ghg"], rule["setYear"],
                             rule["whenMissing"]]]))
    if rule := doc.get("calorificValueRule"):
        out.append(f"### Calorific-value rule\n\n{rule['description']}\n\n"
                   f"Order of precedence: {', '.join(rule['precedence'])}; accepted range "
                   f"{rule['minimumMegajoulesPerCubicMetre']}–{rule['maximumMegajoulesPerCubicMetre']} MJ/m³.\n")
    aggregation = doc["aggregation"]
    out.append(f"### Aggregation and rounding\n\n{aggregation['description']} "
               f"Rounding: {doc['rounding']['decimals']} decimals, {doc['rounding']['mode']}, "
               f"once, at the {doc['rounding']['appliesTo'].replace('-', ' ')}.\n")
    out.append("### Data-quality rules\n\n" + table(["rule", "outcome", "what it says"],
                                                     [[f"`{r['code']}`", r["outcome"], r["description"]]
                                                      for r in doc["dataQualityRules"]]))
    return "\n".join(out)


def _factor_value(m: Methodology, version: str) -> float:
    """The factor the rule picks from the set a report names by its version."""
    rule = m.document["factorSetRule"]
    (chosen,) = [s for s in sets_for(rule["publisher"]).values() if str(s.metadata["version"]) == version]
    return chosen.value(rule["activity"], rule["unitBasis"], rule["ghg"])


def _worked(m: Methodology) -> tuple[str, dict[str, bytes]]:
    ex = example(m.ref)
    sums = monthly_sums(ex.readings)
    (sources,) = ex.report["sources"]
    figures = {e["from"][:7]: e["emissions"]["value"] for e in ex.report["data"]}
    set_of = {month: d for d in sources["datasets"] for month in d["months"]}
    params = m.parameters
    rows = []

    def td(key: str, value, digits: int | None = None) -> str:
        value = int(value) if isinstance(value, int) else float(value)
        shown = f"{value:,.{digits}f}" if digits is not None else str(value)
        return f'<td data-key="{key}" data-value="{value!r}">{shown}</td>'

    if m.energy_type == "gas":
        cv = sources["calorificValue"]["megajoulesPerCubicMetre"]
        head = ["month", "half-hours", "Σ m³", "CV (MJ/m³)", "energy (kWh)", "factor set", "factor (kg/kWh)", "emissions (kg CO2e)"]
        for month, s in sums.iterrows():
            kwh = s["value"] * params["volume_correction"] * cv / params["megajoules_per_kilowatt_hour"]
            version = set_of[month]["version"]
            rows.append([f"<td>{month}</td>", td(f"{month}:count", int(s["count"])), td(f"{month}:volume", round(s["value"], 6), 3),
                         td(f"{month}:cv", cv), td(f"{month}:energy", round(kwh, 6), 3), f"<td>{version}</td>",
                         td(f"{month}:factor", _factor_value(m, version)), td(f"{month}:emissions", figures[month], 3)])
        how = (f"Gas metered in cubic metres; the caller gives a calorific value of {ex.calorific_value} MJ/m³. "
               "December uses the 2025 factor set and January the 2026 set: the set switches at the year boundary.")
    elif m.uses("grid-intensity"):
        head = ["month", "half-hours", "Σ kWh", "Σ kWh × intensity (g)", "emissions (kg CO2e)"]
        for month, s in sums.iterrows():
            rows.append([f"<td>{month}</td>", td(f"{month}:count", int(s["count"])), td(f"{month}:energy", round(s["value"], 6), 3),
                         td(f"{month}:weighted", round(s["weighted"], 6), 3), td(f"{month}:emissions", figures[month], 3)])
        how = ("Electricity in kWh, each half-hour multiplied by the grid intensity of the same half-hour at the "
               "meter's outcode (a synthetic intensity series), summed and divided by 1000.")
    else:
        head = ["month", "half-hours", "Σ kWh", "factor set", "factor (kg/kWh)", "emissions (kg CO2e)"]
        for month, s in sums.iterrows():
            version = set_of[month]["version"]
            rows.append([f"<td>{month}</td>", td(f"{month}:count", int(s["count"])), td(f"{month}:energy", round(s["value"], 6), 3),
                         f"<td>{version}</td>", td(f"{month}:factor", _factor_value(m, version)), td(f"{month}:emissions", figures[month], 3)])
        how = "Electricity in kWh times the national annual generation factor of the half-hour's year."
    request = ex.request
    with_intensity = m.uses("grid-intensity")  # the annual-factor methods use none, so none is drawn
    chart_name = f"{m.ref}-half-hourly.svg"
    text = [
        "## Worked example\n",
        f"Computed by the reference calculator when this site was built, on **synthetic** data "
        f"(`perseus synth --archetype {request.archetype} --seed {request.seed}`, "
        f"{request.start:%Y-%m-%d} to {request.end:%Y-%m-%d}, outcode {request.outcode}). {how}\n",
        charts.figure(chart_name, f"Half-hourly consumption{' and grid intensity' if with_intensity else ''} "
                      "of the worked example"),
        f'<table class="worked-example" data-methodology="{m.ref}"><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
        + "".join("<tr>" + "".join(r) + "</tr>" for r in rows) + "</tbody></table>\n",
    ]
    return "\n".join(text), {f"methodologies/{chart_name}": charts.half_hourly(ex.readings, with_intensity)}


def methodology_page(m: Methodology) -> tuple[str, dict[str, bytes]]:
    doc = m.document
    worked, assets = _worked(m)
    page = f"methodologies/{m.ref}.md"
    facts = artefacts.related(m.ref, page) + [
        ("Energy type", doc["energyType"]), ("Scope", doc["scope"]), ("Published as", f"`{m.uri}`"),
        ("Download", download_link(f"methodologies/{m.ref}.yaml", f"{m.ref}.yaml", 2)),
    ]
    parts = [
        f"---\ntitle: {m.ref} (methodology)\nsearch:\n  boost: 2\n---\n",  # what most readers search for
        f"# {doc['title']} ({m.ref})\n",
        key_values(facts),
        f"{doc['description']}\n",
        "## Formula\n\nEach step applies to every half-hour, in this order; the calculator runs exactly these "
        "expressions.\n",
        _formulas(m),
        "### Inputs\n\n" + table(["name", "unit", "from", "description"],
                                  [[f"`{i['name']}`", i["unit"], i["source"], i["description"]] for i in doc["inputs"]]),
    ]
    if doc.get("parameters"):
        parts.append("### Parameters\n\n" + table(["name", "unit", "default", "source", "description"],
                                                   [[f"`{p['name']}`", p["unit"], p["default"], p["source"], p["description"]]
                                                    for p in doc["parameters"]]))
    parts += [_rules(m), worked]
    if standing(m.ref).status in artefacts.CURRENT:
        parts.append("## A blended year\n\nMonthly emissions of a synthetic café with electricity and gas, computed "
                     "with the default methodologies at build time.\n\n"
                     + charts.figure("blended-year.svg", "Monthly emissions by energy type"))
    return "\n".join(parts), assets


_assets: dict[str, bytes] = {}


def pages() -> dict[str, str]:
    out, rows = {}, []
    _assets.clear()
    for m in all_methodologies():
        page, assets = methodology_page(m)
        out[f"methodologies/{m.ref}.md"] = page
        _assets.update(assets)
        rows.append([f"[{m.ref}]({m.ref}.md)", m.document["title"], m.energy_type, m.document["scope"],
                     badge(standing(m.ref).status)])
    _assets[BLENDED_CHART] = charts.monthly_by_type(blended_year())
    index = ("---\ntitle: Methodologies\n---\n\n# Methodologies\n\nHow consumption becomes emissions. Each methodology is one YAML document in "
             "`methodologies/`; the calculator runs it and this site typesets the same document.\n\n"
             + table(["methodology", "title", "energy", "scope", "status"], rows))
    return {"methodologies/index.md": index} | out


def assets() -> dict[str, bytes]:
    """Images made while rendering the pages (call after `pages`)."""
    return dict(_assets)
