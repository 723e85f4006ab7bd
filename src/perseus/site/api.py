"""Static API reference pages, rendered from the published OpenAPI documents."""

from __future__ import annotations

import json

from perseus.paths import GENERATED
from perseus.releases import all_releases
from perseus.site import artefacts
from perseus.site.downloads import download_link
from perseus.site.markdown import cell, json_example, key_values, table
from perseus.site.status import badge, standing


def _schema_name(schema: dict) -> str:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else schema.get("type", "")


def _content(response: dict) -> dict:
    """The response's one media type entry (application/json, or application/problem+json for errors)."""
    return next(iter(response.get("content", {}).values()), {})


# What the scheme's demo energy data provider (icebreakerone/perseus-demo-energy, resource/api/main.py)
# accepts where it differs from the consumption-data documents, which state mutual TLS and date-times.
DEPLOYED_DIFFERENCES = {
    "consumption-data": (
        "The scheme's demo energy data provider differs from this document: besides the client certificate it "
        "requires an OAuth 2.0 bearer token (`Authorization: Bearer …`, bound to the certificate) and answers 401 "
        "without one, and it takes `from` and `to` as dates (`YYYY-MM-DD`), both required, rather than date-times. "
        "A client written against this document alone does not reach it."
    ),
}


def _security(document: dict) -> str:
    schemes = document.get("components", {}).get("securitySchemes", {})
    named = [name for requirement in document.get("security", []) for name in requirement]
    return "; ".join(
        f"{schemes.get(n, {}).get('type', n)} ({schemes.get(n, {}).get('description', '')})" for n in named
    )


def api_page(ref: str, document: dict) -> str:
    info = document["info"]
    label = info["x-ib1-registry-label"]
    page = f"api/{ref}.md"
    facts = [
        ("Status", badge(standing(ref).status)),
        ("Version", f"`{info['version']}`"),
        ("Registry label", f"`{label}`"),
        ("Server", f"`{document['servers'][0]['url']}` (the provider's endpoint, from the scheme directory)"),
        ("Security in this document", _security(document)),
        ("Download", download_link(f"openapi/{ref}.json", "OpenAPI document", 2)),
        ("Schemas", f"[{ref}]({artefacts.link(page, f'specifications/{ref}/index.md')})"),
    ]
    out = [
        f"---\ntitle: {ref} (API reference)\n---\n",
        f"# {info['title']} ({ref})\n",
        f"{cell(info['description'])}\n",
        key_values(facts),
    ]
    if label in DEPLOYED_DIFFERENCES:
        out.append(f'!!! warning "Where the deployed demo differs"\n    {DEPLOYED_DIFFERENCES[label]}\n')
    for path, item in document["paths"].items():
        op = item["get"]
        out.append(f"## GET {path}\n\n{op['summary']}.\n")
        params = op.get("parameters", [])
        if params:
            rows = [
                [
                    f"`{p['name']}`",
                    p["in"],
                    "required" if p.get("required") else "optional",
                    _schema_name(p["schema"]) + (f" ({p['schema']['format']})" if "format" in p["schema"] else ""),
                    p.get("description", ""),
                ]
                for p in params
            ]
            out.append("### Parameters\n\n" + table(["name", "in", "required", "type", "description"], rows))
        rows = []
        for code, response in op["responses"].items():
            body = _content(response).get("schema")
            body_text = (
                f"[{_schema_name(body)}]({artefacts.link(page, f'specifications/{ref}/{_schema_name(body)}.md')})"
                if body
                else ""
            )
            headers = ", ".join(f"`{h}`" for h in response.get("headers", {}))
            rows.append([code, response["description"], body_text, headers])
        out.append("### Responses\n\n" + table(["status", "meaning", "body", "headers"], rows))
        for code, response in op["responses"].items():
            content = _content(response)
            for name, example in content.get("examples", {}).items():
                out.append(f"#### {code}: {cell(example.get('summary') or name)}\n")
                out.append(json_example(example["value"], ref, _schema_name(content["schema"]), f"{name}.json"))
    return "\n".join(out)


def pages() -> dict[str, str]:
    out = {}
    rows = []
    for release in all_releases():
        document = json.loads((GENERATED / "openapi" / f"{release.ref}.json").read_text())
        out[f"api/{release.ref}.md"] = api_page(release.ref, document)
        rows.append([f"[{release.ref}]({release.ref}.md)", ", ".join(f"`GET {p}`" for p in document["paths"])])
    out["api/index.md"] = (
        "---\ntitle: API reference\n---\n\n# API reference\n\nOne page per published OpenAPI document.\n\n"
        + table(["document", "operations"], rows)
    )
    return out
