"""Static API reference pages, rendered from the published OpenAPI documents."""

from __future__ import annotations

import json

from perseus.paths import GENERATED
from perseus.releases import all_releases
from perseus.site.markdown import cell, json_example, table


def _schema_name(schema: dict) -> str:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else schema.get("type", "")


def _content(response: dict) -> dict:
    """The response's one media type entry (application/json, or application/problem+json for errors)."""
    return next(iter(response.get("content", {}).values()), {})


def api_page(ref: str, document: dict) -> str:
    info = document["info"]
    out = [
        f"# {info['title']} ({ref})\n",
        f"{info['description']}\n",
        f"Version `{info['version']}`, registry label `{info['x-ib1-registry-label']}`. "
        f"Server: `{document['servers'][0]['url']}` (the provider's endpoint). "
        f'Security: mutual TLS. Download: <a href="../../downloads/openapi/{ref}.json">OpenAPI document</a>; '
        f"schemas: [{ref}](../specifications/{ref}.md).\n",
    ]
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
                f"[{_schema_name(body)}](../specifications/{ref}.md#{_schema_name(body).lower()})" if body else ""
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
    out["api/index.md"] = "# API reference\n\nOne page per published OpenAPI document.\n\n" + table(
        ["document", "operations"], rows
    )
    return out
