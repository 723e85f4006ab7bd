"""Every release the sandbox serves, and how a request picks the one it is answered under.

The sandbox serves every release of consumption-data, emissions-data and heartbeat in
governance/releases.yaml: the registry's deployed ones, the approved and the drafts. A
request picks one with a path prefix, the release's reference:

    GET /consumption-data@2025-10-27/datasources/{id}/import?from=...
    GET /heartbeat@2025-10-23/heartbeat

so a client sets its base URL to `http://127.0.0.1:8080/<label>@<date>` and changes
nothing else. Without a prefix a request is answered under the newest release of its
API (the one the combined document `/openapi.json` shows).

Under a release, an answer holds only what that release's document allows: where its
schema closes an object (`additionalProperties: false`) the members it does not declare are
left out, for example the `certificates` of a signed record under a release that
predates them; and a data source whose readings the release cannot carry (gas, under an
electricity-only release) is neither listed nor served.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache

from perseus.paths import GENERATED
from perseus.releases import Release, all_releases

SERVED_APIS = ("consumption-data", "emissions-data", "heartbeat")
API_OF_PATH = {
    "/datasources": "consumption-data",
    "/datasources/{id}/{measure}": "consumption-data",
    "/emissions": "emissions-data",
    "/heartbeat": "heartbeat",
}


@lru_cache(maxsize=1)
def _served() -> tuple[Release, ...]:
    return tuple(
        sorted(
            (r for r in all_releases() if r.label in SERVED_APIS), key=lambda r: (SERVED_APIS.index(r.label), r.version)
        )
    )


def served_releases() -> list[Release]:
    """Every release of the APIs the sandbox serves, by API then date."""
    return list(_served())


@cache
def newest(label: str) -> Release:
    return max((r for r in _served() if r.label == label), key=lambda r: r.version)


def newest_releases() -> list[Release]:
    """The newest release of each API: what an unprefixed request is answered under, and what
    the combined document `/openapi.json` shows."""
    return [newest(label) for label in SERVED_APIS]


@cache
def document(ref: str) -> dict:
    return json.loads((GENERATED / "openapi" / f"{ref}.json").read_text())


class ReleasePrefix:
    """ASGI middleware: `/<label>@<date>/<path>` is answered as `/<path>` under that release
    (kept in `scope["state"]["release"]`); a release of another API, or a path the release does
    not define, is 404 as any unknown path."""

    def __init__(self, app):
        self.app = app
        self.refs = {r.ref: r for r in served_releases()}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope.get("path", "")
            head, _, rest = path[1:].partition("/")
            if head in self.refs:
                raw = scope.get("raw_path") or path.encode()
                scope["path"] = "/" + rest
                scope["raw_path"] = raw[len(head) + 1 :] or b"/"
                scope.setdefault("state", {})["release"] = head
        await self.app(scope, receive, send)


def release_of(scope, path_template: str) -> Release | None:
    """The release the request is answered under, or None when the prefix names another API's release."""
    ref = scope.get("state", {}).get("release")
    label = API_OF_PATH[path_template]
    if ref is None:
        return newest(label)
    release = next(r for r in _served() if r.ref == ref)
    return release if release.label == label else None


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _fit(value, schema: dict, components: dict):
    schema = _resolve(schema, components)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        closed = schema.get("additionalProperties") is False
        return {
            k: (_fit(v, properties[k], components) if k in properties else v)
            for k, v in value.items()
            if k in properties or not closed
        }
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_fit(v, schema["items"], components) for v in value]
    return value


@cache
def _validator(ref: str, class_name: str):
    import jsonschema_rs

    schema = {"$ref": f"#/components/schemas/{class_name}", "components": document(ref)["components"]}
    return jsonschema_rs.Draft202012Validator(schema)


@cache
def offers(release: Release, source) -> bool:
    """Whether the release can carry the source's readings (an electricity-only release carries no gas)."""
    quantity = {"value": 1.0, "unitCode": source.unit}
    reading = {
        "type": source.type,
        "from": "2025-01-01T00:00:00Z",
        "to": "2025-01-01T00:30:00Z",
        "takenAt": "2025-01-02T01:00:00Z",
        "energy": quantity,
        "cumulative": quantity,
    }
    return _validator(release.ref, "Reading").is_valid(reading)


def fit(release: Release, class_name: str, value):
    """`value` (a `class_name` payload) with what the release's document does not allow left out."""
    components = document(release.ref)["components"]["schemas"]
    return _fit(value, components[class_name], components)


def fit_member(release: Release, class_name: str, member: str, value):
    """One member (`provenance`, say) of a `class_name` payload, fitted to the release."""
    components = document(release.ref)["components"]["schemas"]
    properties = _resolve(components[class_name], components).get("properties", {})
    return _fit(value, properties[member], components) if member in properties else value
