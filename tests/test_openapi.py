"""The published OpenAPI documents: valid OpenAPI 3.1, deployed shape, examples that validate."""

import json

import jsonschema
import pytest
from openapi_spec_validator import validate

from perseus.paths import GENERATED
from perseus.releases import all_releases

RELEASES = list(all_releases())


def load(release):
    return json.loads((GENERATED / "openapi" / f"{release.ref}.json").read_text())


@pytest.mark.parametrize("release", RELEASES, ids=[r.ref for r in RELEASES])
def test_document_is_valid_openapi_31(release):
    document = load(release)
    validate(document)
    assert document["openapi"].startswith("3.1")


# The one server entry the registry accepts in a document it publishes.
REGISTRY_SERVERS = [
    {"url": "{endpointURL}", "variables": {"endpointURL": {"default": "https://endpointurl-not-specified.ib1.org"}}}
]


@pytest.mark.parametrize("release", RELEASES, ids=[r.ref for r in RELEASES])
def test_document_names_its_release(release):
    document = load(release)
    assert document["info"]["version"] == release.version
    assert document["info"]["x-ib1-registry-label"] == release.label
    assert [s["url"] for s in document["servers"]] == ["{endpointURL}"]
    scheme = "mTLS" if release.profile == "registry" else "mutualTLS"  # the strict documents as approved
    assert document["components"]["securitySchemes"][scheme]["type"] == "mutualTLS"
    assert document["security"] == [{scheme: []}]
    if release.profile == "registry":
        assert document["servers"] == REGISTRY_SERVERS


def test_deployed_paths_and_status_codes():
    expected = {
        "consumption-data": {
            "/datasources": {"200", "401", "403", "404", "500"},
            "/datasources/{id}/{measure}": {"200", "202", "401", "403", "404", "422", "500"},
        },
        "emissions-data": {"/emissions": {"200", "202", "401", "403", "404", "422", "500"}},
        "heartbeat": {"/heartbeat": {"200", "500"}},
    }
    every_state = {"200", "202", "401", "403", "404", "414", "422", "429", "431", "500", "503"}
    for release in RELEASES:
        paths = load(release)["paths"]
        wanted = expected[release.label]
        if "Problem" in release.payloads:  # releases with machine-readable errors document every state
            wanted = {p: every_state for p in wanted}
        assert {p: set(op["get"]["responses"]) for p, op in paths.items()} == wanted, release.ref
        for op in paths.values():
            ready = op["get"]["responses"].get("202")
            if ready:
                assert "Retry-After" in ready["headers"]


def _examples(document):
    for path, item in document["paths"].items():
        for code, response in item["get"]["responses"].items():
            content = response.get("content", {}).get("application/json")
            for name, example in (content or {}).get("examples", {}).items():
                yield f"{path} {code} {name}", content["schema"], example["value"]


@pytest.mark.parametrize("release", RELEASES, ids=[r.ref for r in RELEASES])
def test_examples_inside_the_document_validate(release):
    document = load(release)
    found = list(_examples(document))
    assert found, "every document carries examples"
    for where, schema_ref, value in found:
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema_ref,
            "components": document["components"],
        }
        errors = list(
            jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            ).iter_errors(value)
        )
        assert not errors, (where, [e.message for e in errors])


def test_component_schemas_are_the_generated_json_schema():
    for release in RELEASES:
        components = load(release)["components"]["schemas"]
        jsonschema_defs = json.loads((GENERATED / "jsonschema" / f"{release.ref}.schema.json").read_text())["$defs"]
        assert set(components) == set(jsonschema_defs)
        assert json.dumps(components).replace("#/components/schemas/", "#/$defs/") == json.dumps(jsonschema_defs)


def test_problem_releases_answer_errors_as_problem_json_with_the_scenario_header():
    checked = 0
    for release in RELEASES:
        document = load(release)
        has_problem = "Problem" in document["components"]["schemas"]
        assert has_problem == ("Problem" in release.payloads)
        for item in document["paths"].values():
            op = item["get"]
            headers = [p for p in op.get("parameters", []) if p["in"] == "header"]
            if not has_problem:
                assert headers == []
                continue
            assert [h["name"] for h in headers] == ["X-Perseus-Scenario"]
            assert headers[0]["schema"]["enum"] == [
                "not-ready",
                "unauthorised",
                "forbidden",
                "not-found",
                "invalid",
                "rate-limited",
                "server-error",
                "unavailable",
            ]
            for code, response in op["responses"].items():
                if code.startswith(("4", "5")) and code != "422":
                    assert list(response["content"]) == ["application/problem+json"], (release.ref, code)
                    checked += 1
                if code in ("202", "429", "503"):
                    assert "Retry-After" in response["headers"], (release.ref, code)
    assert checked >= 4 * 8
