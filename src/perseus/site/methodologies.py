"""Methodology pages: the YAML typeset (formulas as MathML), with a worked example run at build time."""

from __future__ import annotations

import html

from perseus.calculator.instants import year_month
from perseus.methodology.documents import CompiledMethodology, all_methodologies
from perseus.site import artefacts, charts
from perseus.site.downloads import download_link
from perseus.site.formulas import mathml
from perseus.site.markdown import key_values, table
from perseus.site.status import badge, standing
from perseus.site.worked import blended_year, example

BLENDED_CHART = "methodologies/blended-year.svg"


def _formulas(m: CompiledMethodology) -> str:
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


def _rules(m: CompiledMethodology) -> str:
    doc, out = m.document, []
    if rule := doc.get("factorSetRule"):
        out.append(
            f"### Factor-set rule\n\n{rule['description']}\n\n"
            + table(
                ["publisher", "activity", "unit basis", "gases", "set", "when missing"],
                [
                    [
                        rule["publisher"],
                        rule["activity"],
                        rule["unitBasis"],
                        rule["ghg"],
                        rule["setYear"],
                        rule["whenMissing"],
                    ]
                ],
            )
        )
    if rule := doc.get("calorificValueRule"):
        out.append(
            f"### Calorific-value rule\n\n{rule['description']}\n\n"
            f"Order of precedence: {', '.join(rule['precedence'])}; accepted range "
            f"{rule['minimumMegajoulesPerCubicMetre']}–{rule['maximumMegajoulesPerCubicMetre']} MJ/m³.\n"
        )
    aggregation = doc["aggregation"]
    out.append(
        f"### Aggregation and rounding\n\n{aggregation['description']} "
        f"Rounding: {doc['rounding']['decimals']} decimals, {doc['rounding']['mode']}, "
        f"once, at the {doc['rounding']['appliesTo'].replace('-', ' ')}.\n"
    )
    out.append(
        "### Data-quality rules\n\n"
        + table(
            ["rule", "outcome", "what it says"],
            [[f"`{r['code']}`", r["outcome"], r["description"]] for r in doc["dataQualityRules"]],
        )
    )
    return "\n".join(out)


def _cell(key: str, value: float, digits: int | None = None) -> str:
    shown = f"{value:,.{digits}f}" if digits is not None else f"{value:g}"
    return f'<td data-key="{key}" data-value="{float(value)!r}">{shown}</td>'


def _worked_rows(m: CompiledMethodology, ex) -> tuple[list[str], list[list[str]]]:
    """The example month by month, as the core ran the methodology's own inputs and steps: the sum over the
    month of each consumption input and each step, the value of every other input (or its range, where it
    varies within the month), the factor set a month used, and the monthly figure of the report."""
    doc = m.document
    (sources,) = ex.report["sources"]
    set_of = {
        month: d["version"] for d in sources["datasets"] if d["role"] == "emission-factors" for month in d["months"]
    }
    figures = {e["from"][:7]: e["emissions"]["value"] for e in ex.report["data"]}
    head = ["month", "half-hours"]
    for i in doc["inputs"]:
        head.append(f"Σ {i['name']} ({i['unit']})" if i["source"] == "consumption" else f"{i['name']} ({i['unit']})")
        if i["source"] == "emission-factors":
            head.append("factor set")
    head += [f"Σ {step['name']} ({step['unit']})" for step in doc["steps"]] + ["monthly figure (kg CO2e, rounded once)"]
    rows = []
    for _, f in ex.figures.iterrows():
        month = year_month(f["month"])
        row = [month, _cell(f"{month}:count", int(f["present"]), 0)]
        for i in doc["inputs"]:
            name = i["name"]
            low, high = f[f"min:{name}"], f[f"max:{name}"]
            if i["source"] == "consumption":
                row.append(_cell(f"{month}:{name}", f[f"sum:{name}"], 3))
            elif low == high:
                row.append(_cell(f"{month}:{name}", low))
            else:
                row.append(
                    f'<td data-key="{month}:{name}" data-min="{float(low)!r}" data-max="{float(high)!r}">'
                    f"{low:g}–{high:g}</td>"
                )
            if i["source"] == "emission-factors":
                row.append(f"<td>{set_of[month]}</td>")
        row += [_cell(f"{month}:{step['name']}", f[f"sum:{step['name']}"], 3) for step in doc["steps"]]
        rows.append(row + [_cell(f"{month}:emissions", figures[month], 3)])
    return head, rows


def _worked_table(ref: str, head: list[str], rows: list[list[str]]) -> str:
    """A row per quantity and a column per month: a methodology has more inputs and steps than its example has
    months, and a column each would run off the page."""
    months = "".join(f'<th scope="col">{row[0]}</th>' for row in rows)
    body = "".join(
        f'<tr><th scope="row">{label}</th>' + "".join(row[i] for row in rows) + "</tr>"
        for i, label in enumerate(head[1:], start=1)
    )
    return (
        f'<table class="worked-example" data-methodology="{ref}"><thead><tr><th scope="col">{head[0]}</th>'
        f"{months}</tr></thead><tbody>{body}</tbody></table>\n"
    )


def _worked(m: CompiledMethodology) -> tuple[str, dict[str, bytes]]:
    ex = example(m.ref)
    head, rows = _worked_rows(m, ex)
    request = ex.request
    with_intensity = m.uses("grid-intensity")  # the annual-factor methods use none, so none is drawn
    chart_name = f"{m.ref}-half-hourly.svg"
    text = [
        "## Worked example\n",
        f"Computed by the reference calculator when this site was built, on **synthetic** data "
        f"(`perseus synth --archetype {request.archetype} --seed {request.seed}`, "
        f"{request.start:%Y-%m-%d} to {request.end:%Y-%m-%d}, outcode {request.outcode}). {ex.note} "
        "Each column is what the calculation core computed for the month from this page's inputs and steps.\n",
        charts.figure(
            chart_name,
            f"Half-hourly consumption{' and grid intensity' if with_intensity else ''} of the worked example",
        ),
        _worked_table(m.ref, head, rows),
    ]
    return "\n".join(text), {f"methodologies/{chart_name}": charts.half_hourly(ex.readings, with_intensity)}


def methodology_page(m: CompiledMethodology) -> tuple[str, dict[str, bytes]]:
    doc = m.document
    worked, assets = _worked(m)
    page = f"methodologies/{m.ref}.md"
    facts = artefacts.related(m.ref, page) + [
        ("Energy type", doc["energyType"]),
        ("Scope", doc["scope"]),
        ("Published as", f"`{m.uri}`"),
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
        "### Inputs\n\n"
        + table(
            ["name", "unit", "from", "description"],
            [[f"`{i['name']}`", i["unit"], i["source"], i["description"]] for i in doc["inputs"]],
        ),
    ]
    if doc.get("parameters"):
        parts.append(
            "### Parameters\n\n"
            + table(
                ["name", "unit", "default", "source", "description"],
                [[f"`{p['name']}`", p["unit"], p["default"], p["source"], p["description"]] for p in doc["parameters"]],
            )
        )
    parts += [_rules(m), worked]
    if standing(m.ref).status in artefacts.CURRENT:
        parts.append(
            "## A blended year\n\nMonthly emissions of a synthetic café with electricity and gas, computed "
            "with the default methodologies at build time.\n\n"
            + charts.figure("blended-year.svg", "Monthly emissions by energy type")
        )
    return "\n".join(parts), assets


_assets: dict[str, bytes] = {}


def pages() -> dict[str, str]:
    out, rows = {}, []
    _assets.clear()
    for m in all_methodologies():
        page, assets = methodology_page(m)
        out[f"methodologies/{m.ref}.md"] = page
        _assets.update(assets)
        rows.append(
            [
                f"[{m.ref}]({m.ref}.md)",
                m.document["title"],
                m.energy_type,
                m.document["scope"],
                badge(standing(m.ref).status),
            ]
        )
    _assets[BLENDED_CHART] = charts.monthly_by_type(blended_year())
    index = (
        "---\ntitle: Methodologies\n---\n\n# Methodologies\n\nHow consumption becomes emissions. Each methodology is one YAML document in "
        "`methodologies/`; the calculator runs it and this site typesets the same document.\n\n"
        + table(["methodology", "title", "energy", "scope", "status"], rows)
    )
    return {"methodologies/index.md": index} | out


def assets() -> dict[str, bytes]:
    """Images made while rendering the pages (call after `pages`)."""
    return dict(_assets)
