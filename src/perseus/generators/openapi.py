"""OpenAPI 3.1 documents for each release: deployed paths, LinkML component schemas."""

from __future__ import annotations

import json

from perseus.releases import Release

OPENAPI_VERSION = "3.1.0"

RETRY_AFTER = {
    "description": "When to ask again: a number of seconds, or an HTTP date.",
    "required": True,
    "schema": {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]},
}

STATUS_TEXT = {
    "401": "No client certificate, or one the server does not trust.",
    "403": "The client holds no current permission for this data.",
    "404": "No such data source or measure.",
    "500": "The server failed; try again later.",
}


# Releases whose schema holds `Problem` document machine-readable errors: every error
# but 422 answers application/problem+json, and the sandbox's scenario header is a parameter.
PROBLEM_TEXT = {
    "401": "No credentials, or credentials the server does not recognise.",
    "403": "The client holds no current permission for this data.",
    "404": "No such data source or measure.",
    "414": "The request's URI is too long.",
    "429": "Too many requests from this client; ask again after `Retry-After`.",
    "431": "The request's headers are too large.",
    "500": "The server failed; try again later. The body never carries a stack trace.",
    "503": "The service is temporarily unavailable; ask again after `Retry-After`.",
}
WITH_RETRY_AFTER = ("429", "503")
SCENARIO_HEADER = "X-Perseus-Scenario"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _time_param(name: str, required: bool, what: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": what,
        "schema": {"type": "string", "format": "date-time"},
    }


FROM = _time_param("from", True, "Start of the period, inclusive; ISO 8601 in UTC.")
TO = _time_param("to", False, "End of the period, exclusive; ISO 8601 in UTC. Defaults to now.")


def _json(schema: str, description: str, examples: dict | None = None) -> dict:
    content: dict = {"schema": _ref(schema)}
    if examples:
        content["examples"] = examples
    return {"description": description, "content": {"application/json": content}}


def _problem_response(code: str, examples: dict) -> dict:
    content: dict = {"schema": _ref("Problem")}
    matching = {n: e for n, e in (examples.get("Problem") or {}).items() if str(e["value"]["status"]) == code}
    if matching:
        content["examples"] = matching
    response = {"description": PROBLEM_TEXT[code], "content": {"application/problem+json": content}}
    if code in WITH_RETRY_AFTER:
        response["headers"] = {"Retry-After": RETRY_AFTER}
    return response


def _problem_responses(ok: dict, examples: dict) -> dict:
    """Every state a sandbox answers on demand, each with its body; errors as problem+json."""
    responses = {"200": ok}
    ready = _json("DataNotReady", "The data is being prepared; ask again later.", examples.get("DataNotReady"))
    ready["headers"] = {"Retry-After": RETRY_AFTER}
    responses["202"] = ready
    responses["422"] = _json(
        "HTTPValidationError", "A parameter is missing or malformed.", examples.get("HTTPValidationError")
    )
    for code in PROBLEM_TEXT:
        responses[code] = _problem_response(code, examples)
    return dict(sorted(responses.items()))


def _scenario_parameter(scenarios: list[tuple[str, str]]) -> dict:
    states = "; ".join(f"`{name}`: {text}" for name, text in scenarios)
    return {
        "name": SCENARIO_HEADER,
        "in": "header",
        "required": False,
        "description": (
            "Sandbox only (production servers ignore it): answer with a deliberate state so that "
            f"clients can test their error handling. {states}"
        ),
        "schema": {"type": "string", "enum": [name for name, _ in scenarios]},
    }


def _with_problems(paths: dict, examples: dict, scenarios: list[tuple[str, str]]) -> dict:
    """Document the problem+json errors and the scenario header on every operation."""
    for item in paths.values():
        op = item["get"]
        op["parameters"] = [*op.get("parameters", []), _scenario_parameter(scenarios)]
        op["responses"] = _problem_responses(op["responses"]["200"], examples)
    return paths


def _responses(ok: str, ok_text: str, examples: dict, with_data_states: bool) -> dict:
    responses = {"200": _json(ok, ok_text, examples.get(ok))}
    if with_data_states:
        ready = _json("DataNotReady", "The data is being prepared; ask again later.", examples.get("DataNotReady"))
        ready["headers"] = {"Retry-After": RETRY_AFTER}
        responses["202"] = ready
    for code in ("401", "403", "404") if with_data_states else ():
        responses[code] = {"description": STATUS_TEXT[code]}
    if with_data_states:
        responses["422"] = _json(
            "HTTPValidationError", "A parameter is missing or malformed.", examples.get("HTTPValidationError")
        )
    responses["500"] = {"description": STATUS_TEXT["500"]}
    return dict(sorted(responses.items()))


def _paths(label: str, examples: dict) -> dict:
    if label == "consumption-data":
        return {
            "/datasources": {
                "get": {
                    "operationId": "listDataSources",
                    "summary": "The data sources the client may read",
                    "responses": _drop_422(_responses("DataSources", "The permitted data sources.", examples, True)),
                }
            },
            "/datasources/{id}/{measure}": {
                "get": {
                    "operationId": "getMeterData",
                    "summary": "Half-hourly readings of one data source and measure",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "description": "The data source's id.",
                         "schema": {"type": "string"}},
                        {"name": "measure", "in": "path", "required": True, "description": "import or export.",
                         "schema": _ref("Measure")},
                        FROM,
                        TO,
                    ],
                    "responses": _responses("MeterData", "The readings of the period.", examples, True),
                }
            },
        }
    if label == "emissions-data":
        return {
            "/emissions": {
                "get": {
                    "operationId": "getEmissions",
                    "summary": "Monthly emissions of the period",
                    "parameters": [FROM, TO],
                    "responses": _responses("EmissionsReport", "The emissions report.", examples, True),
                }
            }
        }
    if label == "heartbeat":
        return {
            "/heartbeat": {
                "get": {
                    "operationId": "getHeartbeat",
                    "summary": "Whether the service is up",
                    "responses": _responses("Heartbeat", "The service is up.", examples, False),
                }
            }
        }
    raise ValueError(f"no API paths are defined for {label!r}")


def _drop_422(responses: dict) -> dict:
    # GET /datasources takes no parameters, so it has no validation errors.
    return {k: v for k, v in responses.items() if k not in ("202", "422")}


def _components(jsonschema: dict) -> dict:
    text = json.dumps(jsonschema["$defs"]).replace('"#/$defs/', '"#/components/schemas/')
    return json.loads(text)


def _scenarios(version: str) -> list[tuple[str, str]]:
    """The sandbox scenarios (LinkML enum `Scenario`) that exist at a release date."""
    from perseus.spec_versions import added_in, merged_root

    enum = merged_root().enums["Scenario"]
    return [(name, " ".join(pv.description.split())) for name, pv in enum.permissible_values.items()
            if added_in(pv) <= version]


def release_openapi(release: Release, jsonschema: dict, examples: dict) -> dict:
    """`examples` maps a payload class to OpenAPI example objects valid in this release.

    A release whose schema holds `Problem` also documents the problem+json errors and the
    sandbox's scenario header; older releases come out exactly as they were approved.
    """
    paths = _paths(release.label, examples)
    if "Problem" in jsonschema["$defs"]:
        paths = _with_problems(paths, examples, _scenarios(release.version))
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"Perseus {release.title} API",
            "version": release.version,
            "x-ib1-registry-label": release.label,
            "description": release.description,
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [
            {
                "url": "{endpointURL}",
                "variables": {
                    "endpointURL": {
                        "default": "https://api.example.org",
                        "description": "The provider's endpoint URL, from its entry in the scheme directory.",
                    }
                },
            }
        ],
        "security": [{"mutualTLS": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "mutualTLS": {
                    "type": "mutualTLS",
                    "description": "Clients present a certificate issued under the scheme's client CA.",
                }
            },
            "schemas": _components(jsonschema),
        },
    }
