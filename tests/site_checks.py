"""Checks of a built site that read its files, so that a deliberately broken copy can be shown to fail."""

from __future__ import annotations

import decimal
import html
import json
import re
from pathlib import Path

from perseus.paths import GENERATED
from perseus.validation import load_release_schema, validate_payload

EXAMPLE = re.compile(r'<div class="example" data-spec="([^"]+)" data-type="([^"]+)">(.*?)</div>', re.S)
CODE = re.compile(r"<code>(.*?)</code>", re.S)
TABLE = re.compile(r'<table class="worked-example" data-methodology="([^"]+)">(.*?)</table>', re.S)
CELL = re.compile(r'<td data-key="([^"]+)" data-value="([^"]+)">([^<]*)</td>')


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def json_examples(site: Path) -> list[tuple[Path, str, str, str]]:
    found = []
    for page in sorted(site.rglob("*.html")):
        for spec, cls, body in EXAMPLE.findall(page.read_text()):
            code = CODE.search(body)
            found.append((page, spec, cls, _text(code.group(1)) if code else ""))
    return found


def example_problems(site: Path) -> list[str]:
    problems = []
    for page, spec, cls, text in json_examples(site):
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(f"{page}: {cls} example is not JSON: {exc}")
            continue
        problems += [f"{page}: {cls} ({spec}): {p}" for p in validate_payload(load_release_schema(spec), cls, payload)]
    return problems


def download_problems(site: Path) -> list[str]:
    """Every generated file is published byte for byte, and every manifest entry matches its file."""
    problems = []
    for path in sorted(p for p in GENERATED.rglob("*") if p.is_file() and p.name != "README.md"):
        published = site / "downloads" / path.relative_to(GENERATED)
        if not published.exists():
            problems.append(f"{published}: missing")
        elif published.read_bytes() != path.read_bytes():
            problems.append(f"{published}: differs from {path}")
    return problems + manifest_problems(site)


def manifest_problems(site: Path) -> list[str]:
    """downloads/manifest.json: each entry's file exists on the site, has the stated size and SHA-256, and,
    when it names a repository source, the same bytes; every file under downloads/ is listed."""
    import hashlib

    from perseus.paths import ROOT

    folder = site / "downloads"
    entries = json.loads((folder / "manifest.json").read_text())
    problems = []
    for entry in entries:
        missing = {"path", "status", "sha256"} - set(entry)
        if missing:
            problems.append(f"manifest entry {entry}: lacks {sorted(missing)}")
            continue
        published = folder / entry["path"]
        if not published.exists():
            problems.append(f"{entry['path']}: listed in the manifest but not on the site")
            continue
        data = published.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(
                f"{entry['path']}: SHA-256 {hashlib.sha256(data).hexdigest()}, manifest says {entry['sha256']}"
            )
        if entry.get("bytes") not in (None, len(data)):
            problems.append(f"{entry['path']}: {len(data)} bytes, manifest says {entry['bytes']}")
        if "source" in entry and (ROOT / entry["source"]).read_bytes() != data:
            problems.append(f"{entry['path']}: differs from its source {entry['source']}")
    listed = {e["path"] for e in entries}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel not in listed and rel != "manifest.json" and not rel.startswith("index"):
            problems.append(f"{rel}: on the site under downloads/ but not in the manifest")
    return problems


def worked_tables(site: Path) -> dict[str, dict[str, tuple[float, str]]]:
    """methodology ref -> {cell key: (data-value, shown text)} of every worked-example table."""
    tables = {}
    for page in sorted(site.rglob("*.html")):
        for ref, body in TABLE.findall(page.read_text()):
            tables[ref] = {key: (float(value), html.unescape(shown)) for key, value, shown in CELL.findall(body)}
    return tables


def worked_problems(site: Path) -> list[str]:
    """Every figure shown equals what the calculator returns now, and the arithmetic holds by hand: each step,
    worked half-hour by half-hour from the example's readings here, sums to the page's figure for the month."""
    from perseus.methodology.documents import resolve
    from perseus.site.worked import compute as example

    problems = []
    tables = worked_tables(site)
    if not tables:
        return ["no worked-example tables on the site"]
    for ref, cells in tables.items():
        ex, m = example(ref), resolve(ref)
        by_hand = _steps_by_hand(m, ex, cells)
        for entry in ex.report["data"]:
            month = entry["from"][:7]
            value, shown = cells.get(f"{month}:emissions", (None, ""))
            if value != entry["emissions"]["value"] or float(shown.replace(",", "")) != value:
                problems.append(
                    f"{ref} {month}: page shows {shown!r}, calculator returns {entry['emissions']['value']}"
                )
                continue
            result = cells[f"{month}:{m.document['result']}"][0]
            mode = {"half-even": decimal.ROUND_HALF_EVEN, "half-up": decimal.ROUND_HALF_UP}[m.rounding["mode"]]
            if (
                float(decimal.Decimal(repr(result)).quantize(decimal.Decimal(1).scaleb(-m.rounding["decimals"]), mode))
                != value
            ):
                problems.append(f"{ref} {month}: the result step sums to {result}, which does not round to {value}")
            for step in m.document["steps"]:
                page = cells[f"{month}:{step['name']}"][0]
                if abs(by_hand[month][step["name"]] - page) > 1e-9 * max(1.0, abs(page)):
                    problems.append(
                        f"{ref} {month}: {step['name']} by hand {by_hand[month][step['name']]!r}, page {page!r}"
                    )
    return problems


def _steps_by_hand(m, ex, cells) -> dict[str, dict[str, float]]:
    """Per month, each step summed over the example's half-hours, each input taken where its source says:
    consumption from the readings, grid intensity from the series beside them, the factor and the calorific
    value from the page (one value per month) and the report."""
    import numpy as np

    from perseus.methodology.expressions import compile_expression

    readings = ex.readings
    unit = readings["unitCode"].to_numpy()
    kwh = np.where(unit == "WHR", readings["value"] / 1000, np.where(unit == "MTQ", 0.0, readings["value"]))
    consumption = {"energy_kwh": kwh, "metered_kwh": kwh, "volume_m3": np.where(unit == "MTQ", readings["value"], 0.0)}
    month = readings["from"].dt.strftime("%Y-%m").to_numpy()
    values = dict(m.parameters)
    for i in m.document["inputs"]:
        if i["source"] == "consumption":
            values[i["name"]] = consumption[i["name"]]
        elif i["source"] == "grid-intensity":
            values[i["name"]] = readings["intensity"].to_numpy()
        elif i["source"] == "emission-factors":
            values[i["name"]] = np.array([cells[f"{k}:{i['name']}"][0] for k in month])
        elif i["source"] == "calorific-value":
            (source,) = ex.report["sources"]
            values[i["name"]] = np.where(unit == "MTQ", source["calorificValue"]["megajoulesPerCubicMetre"], 0.0)
    known = set(values)
    for step in m.document["steps"]:
        values[step["name"]] = compile_expression(step["expression"], known, step["name"])(values)
        known.add(step["name"])
    return {
        k: {step["name"]: float(np.sum(np.asarray(values[step["name"]])[month == k])) for step in m.document["steps"]}
        for k in sorted(set(month))
    }
