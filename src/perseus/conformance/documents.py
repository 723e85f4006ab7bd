"""What the release under test publishes: its OpenAPI document (paths, statuses, media types, body
schemas), the heartbeat release that goes with it, and validation of bodies against its schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from perseus.paths import GENERATED
from perseus.releases import Release, all_releases, get_release
from perseus.validation import load_release_schema, validate_payload

JSON_TYPES = ("application/json", "application/problem+json")
ROLE_LABEL = {"edp": "consumption-data", "cap": "emissions-data"}


class ReleaseUnusable(ValueError):
    """The --release cannot be tested by this command (exit 2)."""


@cache
def openapi(ref: str) -> dict:
    return json.loads((GENERATED / "openapi" / f"{ref}.json").read_text())


def heartbeat_release(release: Release) -> Release:
    """The heartbeat published with a release: the newest heartbeat release not later than it."""
    beats = sorted((r for r in all_releases() if r.label == "heartbeat"), key=lambda r: r.version)
    earlier = [r for r in beats if r.version <= release.version]
    return (earlier or beats)[-1]


@dataclass(frozen=True)
class Documents:
    release: Release
    heartbeat: Release

    @classmethod
    def for_role(cls, role: str, ref: str) -> Documents:
        from perseus.releases import UnknownRelease

        try:
            release = get_release(ref)
        except UnknownRelease as exc:
            raise ReleaseUnusable(str(exc)) from exc
        wanted = ROLE_LABEL[role]
        if release.label != wanted:
            raise ReleaseUnusable(f"`perseus conformance {role}` tests a {wanted} release, not {ref}")
        return cls(release, heartbeat_release(release))

    def ref_for(self, template: str) -> str:
        return self.heartbeat.ref if template == "/heartbeat" else self.release.ref

    def operation(self, template: str) -> dict | None:
        return (openapi(self.ref_for(template)).get("paths", {}).get(template) or {}).get("get")

    def response(self, template: str, status: int) -> dict | None:
        operation = self.operation(template) or {}
        return (operation.get("responses") or {}).get(str(status))

    def media_types(self, template: str, status: int) -> tuple[str, ...]:
        return tuple((self.response(template, status) or {}).get("content") or ())

    def body_schema(self, template: str, status: int) -> str | None:
        """The component the document gives for the status's body (e.g. Problem), if it gives one."""
        for content in ((self.response(template, status) or {}).get("content") or {}).values():
            ref = (content.get("schema") or {}).get("$ref", "")
            if ref:
                return ref.rsplit("/", 1)[-1]
        return None

    def secured(self, template: str) -> bool:
        document = openapi(self.ref_for(template))
        operation = self.operation(template) or {}
        return bool(operation.get("security", document.get("security")))

    def problems(self, template: str, cls: str, payload) -> list[str]:
        """The body's problems against class `cls` of the release's JSON Schema (as `perseus validate`),
        or, for a class the JSON Schema lacks, against the OpenAPI document's component."""
        schema = load_release_schema(self.ref_for(template))
        if cls in schema.get("$defs", {}):
            return [str(p) for p in validate_payload(schema, cls, payload, limit=5)]
        import jsonschema_rs

        document = openapi(self.ref_for(template))
        if cls not in document.get("components", {}).get("schemas", {}):
            return [f"the release publishes no schema {cls} to check the body against"]
        wrapped = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": f"#/components/schemas/{cls}",
            "components": document.get("components", {}),
        }
        validator = jsonschema_rs.Draft202012Validator(wrapped, validate_formats=True)
        return [
            f"{'/'.join(map(str, e.instance_path)) or '(body)'}: {e.message}"
            for e in list(validator.iter_errors(payload))[:5]
        ]
