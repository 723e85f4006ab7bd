"""Shared by the sandbox tests: check a response against the published OpenAPI document and the generated schema."""

from __future__ import annotations

import json
from functools import lru_cache

import jsonschema_rs

from perseus.paths import GENERATED
from perseus.sandbox.served import newest_releases
from perseus.validation import load_release_schema, validate_payload

RELEASE_OF_PATH = {
    "/datasources": "consumption-data",
    "/datasources/{id}/{measure}": "consumption-data",
    "/emissions": "emissions-data",
    "/heartbeat": "heartbeat",
}
SERVED = {r.label: r.ref for r in newest_releases()}


@lru_cache
def document(ref: str) -> dict:
    return json.loads((GENERATED / "openapi" / f"{ref}.json").read_text())


def check_response(path: str, status: int, headers, body: bytes, ref: str | None = None) -> dict:
    """Status documented, documented headers present, media type and body as the published document says,
    body valid against the release's generated JSON Schema (`ref`, by default the newest release of the
    path's API, which answers a request without a release prefix). Returns the parsed body."""
    ref = ref or SERVED[RELEASE_OF_PATH[path]]
    doc = document(ref)
    responses = doc["paths"][path]["get"]["responses"]
    assert str(status) in responses, (path, status, "undocumented status")
    spec = responses[str(status)]
    headers = {k.lower(): v for k, v in headers.items()}
    for name, header in spec.get("headers", {}).items():
        if header.get("required"):
            assert name.lower() in headers, (path, status, f"missing header {name}")
            assert int(headers[name.lower()]) >= 0
    media_type = headers["content-type"].split(";")[0].strip()
    assert media_type in spec["content"], (path, status, media_type, list(spec["content"]))
    payload = json.loads(body)
    schema_ref = spec["content"][media_type]["schema"]
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema_ref, "components": doc["components"]}
    # jsonschema-rs: a meter-year body (17,520 readings) checks in milliseconds rather than seconds.
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    errors = [e.message for e in validator.iter_errors(payload)]
    assert errors == [], (path, status, errors[:3])
    cls = schema_ref["$ref"].rsplit("/", 1)[-1]
    problems = validate_payload(load_release_schema(ref), cls, payload)
    assert problems == [], (path, status, [str(p) for p in problems[:3]])
    return payload
