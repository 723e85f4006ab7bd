"""OpenAPI 3.1 documents for each release: the API described in spec/api/, schemas from LinkML.

The paths, operations, parameters and responses are data (`spec/api/<label>.yaml`, what
every API shares in `spec/api/common.yaml`); this module only writes them out in the
release's profile. Registry-profile documents carry the registry's operation ids, tags
and security scheme name, so that a client generated from either is the same; the
strict-profile documents (the project's 2025-10-27 releases) come out as approved.
"""

from __future__ import annotations

from functools import cache, lru_cache

from perseus.generators.refs import map_refs
from perseus.paths import SPEC
from perseus.records import load_record
from perseus.releases import REGISTRY, Release
from perseus.spec_versions import merged_root, presence_test

OPENAPI_VERSION = "3.1.0"
MODULE = "api.yaml"
SCHEMAS = "#/components/schemas/"
JSON, PROBLEM_JSON = "application/json", "application/problem+json"


@cache
def api_description(label: str) -> dict:
    path = SPEC / "api" / f"{label}.yaml"
    if not path.exists():
        raise ValueError(f"no API description for {label!r}: expected {path}")
    return load_record(path, "ApiDescription", MODULE)


@lru_cache(maxsize=1)
def conventions() -> dict:
    return load_record(SPEC / "api" / "common.yaml", "ApiConventions", MODULE)


def _profile_conventions(profile: str) -> dict:
    return next(p for p in conventions()["profiles"] if p["profile"] == profile)


def _ref(name: str) -> dict:
    return {"$ref": f"{SCHEMAS}{name}"}


class _Writer:
    """Writes the parts of one release's document."""

    def __init__(self, release: Release, examples: dict):
        self.release = release
        self.present = presence_test(release)
        self.examples = examples
        self.style = _profile_conventions(release.profile)
        self.registry = release.profile == REGISTRY
        self.texts = {r["status"]: r["description"] for r in conventions()["status_texts"]}

    def header(self, which: str) -> dict:
        described = self.style[which]
        header: dict = {"description": described["description"]}
        if described["required"]:
            header["required"] = True
        header["schema"] = (
            {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]}
            if described["integer_or_string"]
            else {"type": "string"}
        )
        return header

    def enum_values(self, name: str) -> list[tuple[str, str]]:
        """The values of a LinkML enum in this release, each with its description."""
        values = merged_root().enums[name].permissible_values.items()
        return [(v, " ".join((pv.description or "").split())) for v, pv in values if self.present(pv)]

    def parameter(self, described: dict) -> dict:
        if "enum" in described and not self.registry:
            schema = _ref(described["enum"])  # as the strict documents were approved
        elif "enum" in described:
            schema = {"type": "string", "enum": [v for v, _ in self.enum_values(described["enum"])]}
        else:
            schema = {"type": "string"}
        if "format" in described:
            schema["format"] = described["format"]
        if "default" in described and self.registry:
            schema["default"] = described["default"]
        return {
            "name": described["name"],
            "in": described["in"],
            "required": described["required"],
            "description": " ".join(described["description"].split()),
            "schema": schema,
        }

    def body(self, media_type: str, cls: str, examples: dict | None) -> dict:
        content: dict = {"schema": _ref(cls)}
        if examples:
            content["examples"] = examples
        return {media_type: content}

    def response(self, described: dict) -> dict:
        status = described["status"]
        response: dict = {"description": described.get("description") or self.texts[status]}
        if cls := described.get("body"):
            response["content"] = self.body(JSON, cls, self.examples.get(cls))
        if described.get("retry_after"):
            response["headers"] = {"Retry-After": self.header("retry_after")}
        return response

    def problem_response(self, described: dict) -> dict:
        status = described["status"]
        matching = {
            n: e for n, e in (self.examples.get("Problem") or {}).items() if str(e["value"]["status"]) == status
        }
        response = {"description": described["description"], "content": self.body(PROBLEM_JSON, "Problem", matching)}
        if described.get("retry_after"):
            response["headers"] = {"Retry-After": self.header("retry_after_required")}
        return response

    def scenario_parameter(self) -> dict:
        described = conventions()["scenario_header"]
        scenarios = self.enum_values(described["enum"])
        states = "; ".join(f"`{name}`: {text}" for name, text in scenarios)
        return {
            "name": described["name"],
            "in": described["in"],
            "required": described["required"],
            "description": " ".join(described["description"].split()) + " " + states,
            "schema": {"type": "string", "enum": [name for name, _ in scenarios]},
        }

    def operation(self, described: dict, api: dict, with_problems: bool) -> dict:
        op: dict = {
            "operationId": described["operation_id"]
            if self.registry
            else described.get("strict_operation_id") or described["operation_id"],
            "summary": described["summary"],
        }
        if self.style["tags"]:
            op["tags"] = [api["tag"]["name"]]
        shared = {p["name"]: p for p in conventions()["shared_parameters"]}
        parameters = [self.parameter(p) for p in described.get("parameters") or []]
        parameters += [self.parameter(shared[name]) for name in described.get("shared_parameters") or []]
        if with_problems:
            parameters.append(self.scenario_parameter())
        if parameters:
            op["parameters"] = parameters
        responses = {r["status"]: r for r in described["responses"]}
        if with_problems:  # every state a sandbox answers on demand; errors but 422 as problem+json
            ok = responses["200"]
            responses = {
                "200": ok,
                "202": {"status": "202", "body": "DataNotReady", "retry_after": True},
                "422": {"status": "422", "body": "HTTPValidationError"},
            }
            written = {code: self.response(r) for code, r in responses.items()}
            written |= {r["status"]: self.problem_response(r) for r in conventions()["problem_responses"]}
        else:
            written = {code: self.response(r) for code, r in responses.items()}
        op["responses"] = dict(sorted(written.items()))
        return op

    def info(self, api: dict) -> dict:
        title = self.style["title_pattern"].format(api=api["title"], release=self.release.title)
        info = {
            "title": title,
            "version": self.release.version,
            "x-ib1-registry-label": self.release.label,
            "description": self.release.description,
        }
        if not self.release.deployed:  # the registry's own documents name no licence
            info["license"] = {"name": "MIT", "identifier": "MIT"}
        return info

    def servers(self) -> list[dict]:
        variable = {"default": self.style["server_default"]}
        if self.style.get("server_description"):
            variable["description"] = self.style["server_description"]
        return [{"url": "{endpointURL}", "variables": {"endpointURL": variable}}]

    def security_schemes(self) -> dict:
        scheme = {"type": "mutualTLS"}
        if self.style.get("security_description"):
            scheme["description"] = self.style["security_description"]
        return {self.style["security_scheme"]: scheme}


def components(jsonschema: dict) -> dict:
    """The release's JSON Schema definitions as OpenAPI component schemas, every `$ref` rewritten."""
    return map_refs(
        jsonschema["$defs"], lambda ref: ref.replace("#/$defs/", SCHEMAS, 1) if ref.startswith("#/$defs/") else ref
    )


def release_openapi(release: Release, jsonschema: dict, examples: dict) -> dict:
    """`examples` maps a payload class to OpenAPI example objects valid in this release.

    A release whose schema holds `Problem` also documents the problem+json errors and the
    sandbox's scenario header on every operation.
    """
    writer = _Writer(release, examples)
    api = api_description(release.label)
    with_problems = "Problem" in jsonschema["$defs"]
    paths = {op["path"]: {op["method"]: writer.operation(op, api, with_problems)} for op in api["operations"]}
    document: dict = {
        "openapi": OPENAPI_VERSION,
        "info": writer.info(api),
        "servers": writer.servers(),
        "security": [{writer.style["security_scheme"]: []}],
    }
    if writer.style["tags"]:
        document["tags"] = [{"name": api["tag"]["name"], "description": " ".join(api["tag"]["description"].split())}]
    document["paths"] = paths
    document["components"] = {"securitySchemes": writer.security_schemes(), "schemas": components(jsonschema)}
    return document
