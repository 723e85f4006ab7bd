"""Every release is served, each with its document, and a path prefix picks the release a request is
answered under; the answer then holds only what that release's document allows."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from fastapi.testclient import TestClient

from perseus.paths import GENERATED
from perseus.releases import all_releases
from perseus.sandbox import SandboxConfig, create_app
from perseus.sandbox.catalogue import CATALOGUE, SOURCES
from perseus.sandbox.served import API_OF_PATH, fit, newest, served_releases
from tests.sandbox_checks import check_response

FULL = {"Authorization": "Bearer sandbox-token-cap-full"}
OFFICE = {"Authorization": "Bearer sandbox-token-cap-office"}
DAY = {"from": "2025-06-01T00:00:00Z", "to": "2025-06-02T00:00:00Z"}
URLS = {  # each path of the APIs, as a request of it
    "/datasources": ("/datasources", None, FULL),
    "/datasources/{id}/{measure}": ("/datasources/synthetic-office-001-electricity/import", DAY, FULL),
    "/emissions": ("/emissions", {"from": "2025-03-01T00:00:00Z", "to": "2025-05-01T00:00:00Z"}, OFFICE),
    "/heartbeat": ("/heartbeat", None, FULL),
}


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(SandboxConfig()), raise_server_exceptions=False)


def test_every_release_of_the_served_apis_is_served_with_its_document(client):
    served = [r.ref for r in served_releases()]
    expected = [r.ref for r in all_releases() if r.label in {"consumption-data", "emissions-data", "heartbeat"}]
    assert sorted(served) == sorted(expected) and len({r.status for r in served_releases()}) >= 2
    for ref in served:
        response = client.get(f"/openapi/{ref}.json")
        assert response.status_code == 200 and response.content == (GENERATED / "openapi" / f"{ref}.json").read_bytes()


CASES = [(r.ref, path) for r in served_releases() for path, label in API_OF_PATH.items() if label == r.label]


@pytest.mark.parametrize(("ref", "path"), CASES, ids=[f"{ref} {path}" for ref, path in CASES])
def test_a_prefix_answers_under_that_release(client, ref, path):
    url, params, headers = URLS[path]
    response = client.get(f"/{ref}{url}", params=params, headers=headers)
    assert response.status_code == 200, response.text[:300]
    check_response(path, 200, response.headers, response.content, ref=ref)


def test_without_a_prefix_the_newest_release_answers(client):
    url, params, headers = URLS["/datasources/{id}/{measure}"]
    body = client.get(url, params=params, headers=headers).json()
    assert "certificates" in body["provenance"]  # the newest release's records carry their certificates


def test_a_release_whose_record_is_closed_gets_it_without_what_it_predates(client):
    closed = [
        r
        for r in served_releases()
        if r.label == "consumption-data"
        and json.loads((GENERATED / "openapi" / f"{r.ref}.json").read_text())["components"]["schemas"][
            "Provenance"
        ].get("additionalProperties")
        is False
    ]
    if not closed:
        pytest.skip("no served release closes Provenance")
    url, params, headers = URLS["/datasources/{id}/{measure}"]
    body = client.get(f"/{closed[0].ref}{url}", params=params, headers=headers).json()
    assert "certificates" not in body["provenance"] and set(body["provenance"]) == {
        "ib1:provenance",
        "origins",
        "steps",
    }


def test_a_release_that_cannot_carry_a_source_neither_lists_nor_serves_it(client):
    from perseus.sandbox.served import offers

    for release in (r for r in served_releases() if r.label == "consumption-data"):
        listed = {s["id"] for s in client.get(f"/{release.ref}/datasources", headers=FULL).json()["data"]}
        assert listed == {s.id for s in SOURCES.values() if offers(release, s)}
        for source in SOURCES.values():
            response = client.get(
                f"/{release.ref}/datasources/{source.id.replace('/', '%2F')}/import", params=DAY, headers=FULL
            )
            assert response.status_code == (200 if offers(release, source) else 404), (release.ref, source.id)
    assert any(not offers(r, s) for r in served_releases() if r.label == "consumption-data" for s in SOURCES.values())


def test_a_prefix_of_another_apis_release_is_an_unknown_path(client):
    heartbeat = newest("heartbeat").ref
    response = client.get(f"/{heartbeat}/datasources", headers=FULL)
    assert (response.status_code, response.json()["code"]) == (404, "unknown-path")
    assert client.get("/no-such-api@2025-01-01/heartbeat", headers=FULL).status_code == 404


def test_every_release_allows_the_readings_as_they_are_served():
    # Readings are served as prepared JSON, not fitted per request: each release must allow them whole.
    from datetime import datetime

    for source in SOURCES.values():
        now = datetime.now(UTC)
        reading = CATALOGUE.readings(source, datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 2, tzinfo=UTC), now)
        sample = json.loads(reading.first)
        for release in (r for r in served_releases() if r.label == "consumption-data"):
            assert fit(release, "MeterData", {"data": [sample]})["data"] == [sample], (release.ref, source.id)
