"""The names a client is generated from are the registry's: operation ids, tags, component
schema names and the security scheme name, release by release, against the table of
the registry's documents (spec/corpus/registry-names.yaml)."""

import json

import pytest

from perseus.corpus import openapi_names, registry_names
from perseus.paths import GENERATED
from perseus.releases import all_releases, ancestry

TABLE = registry_names()["documents"]
DEPLOYED = [r for r in all_releases() if r.deployed]
DRAFTS = [r for r in all_releases() if r.status == "draft"]


def names(ref: str) -> dict:
    return openapi_names(json.loads((GENERATED / "openapi" / f"{ref}.json").read_text()))


def test_the_table_covers_every_reproduction():
    assert {r.ref for r in DEPLOYED} == set(TABLE)


@pytest.mark.parametrize("release", DEPLOYED, ids=[r.ref for r in DEPLOYED])
def test_a_reproduction_carries_the_registry_documents_names(release):
    ours, theirs = names(release.ref), TABLE[release.ref]
    assert ours["operations"] == theirs["operations"]
    assert ours["tags"] == theirs["tags"]
    assert ours["components"] == sorted(theirs["components"])
    assert ours["security_scheme"] == [theirs["security_scheme"]]


@pytest.mark.parametrize("release", DRAFTS, ids=[r.ref for r in DRAFTS])
def test_a_draft_keeps_the_names_of_the_registry_release_it_builds_on(release):
    (base,) = [r for r in ancestry(release) if r.deployed][:1]
    ours, theirs = names(release.ref), TABLE[base.ref]
    assert ours["operations"] == theirs["operations"]
    assert ours["tags"] == theirs["tags"] and ours["security_scheme"] == [theirs["security_scheme"]]
    assert set(theirs["components"]) <= set(ours["components"])


def test_the_sandbox_document_serves_the_registry_names():
    served = openapi_names(json.loads((GENERATED / "sandbox" / "openapi.json").read_text()))
    ids = {k: v["operation_id"] for k, v in served["operations"].items()}
    assert ids == {
        "GET /datasources": "getConsumptionSources",
        "GET /datasources/{id}/{measure}": "getConsumptionData",
        "GET /emissions": "getEmissions",
        "GET /heartbeat": "getServiceHeartbeat",
    }
    document = json.loads((GENERATED / "sandbox" / "openapi.json").read_text())
    assert document["security"] == [{"mTLS": []}, {"bearerToken": []}]
    assert {name for requirement in document["security"] for name in requirement} == set(served["security_scheme"])
