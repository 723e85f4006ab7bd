"""The sandbox answers every endpoint and every documented scenario as the published OpenAPI documents say."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from perseus.generators.sandbox_openapi import sandbox_openapi
from perseus.models import ServiceStatus
from perseus.paths import GENERATED, ROOT, SANDBOX_OPENAPI
from perseus.sandbox import SandboxConfig, create_app
from perseus.sandbox.app import SCENARIOS
from perseus.sandbox.problems import CODES
from perseus.sandbox.served import newest_releases
from perseus.sla import load_sla
from tests.sandbox_checks import check_response, document

FULL = {"Authorization": "Bearer sandbox-token-cap-full"}
OFFICE = {"Authorization": "Bearer sandbox-token-cap-office"}
EXPIRED = {"Authorization": "Bearer sandbox-token-cap-expired"}
ELECTRICITY = "synthetic-office-001-electricity"
MONTH = {"from": "2025-03-01T00:00:00Z", "to": "2025-04-01T00:00:00Z"}
# Each endpoint as a (template, concrete URL, query) the scenarios are tried on.
ENDPOINTS = [
    ("/datasources", "/datasources", {}),
    ("/datasources/{id}/{measure}", f"/datasources/{ELECTRICITY}/import", MONTH),
    ("/emissions", "/emissions", MONTH),
    ("/heartbeat", "/heartbeat", {}),
]
EXPECTED = {
    "not-ready": 202,
    "unauthorised": 401,
    "forbidden": 403,
    "not-found": 404,
    "invalid": 422,
    "rate-limited": 429,
    "server-error": 500,
    "unavailable": 503,
}


# No delay before a 401: the tests here send bad credentials on purpose (test_sandbox_http tests the delay).
@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(SandboxConfig(failed_login_delay=0)), raise_server_exceptions=False)


def get(client, template, url, headers=None, params=None):
    response = client.get(url, headers=headers, params=params)
    body = check_response(template, response.status_code, response.headers, response.content)
    return response, body


def test_served_openapi_is_the_published_file(client):
    served = client.get("/openapi.json")
    assert served.headers["content-type"] == "application/json"
    assert served.content == (ROOT / SANDBOX_OPENAPI).read_bytes()
    for release in newest_releases():
        one = client.get(f"/openapi/{release.ref}.json")
        assert one.content == (GENERATED / "openapi" / f"{release.ref}.json").read_bytes()


def test_the_sandbox_document_is_made_of_the_published_release_documents():
    combined = json.loads((ROOT / SANDBOX_OPENAPI).read_text())
    releases = {r.ref: document(r.ref) for r in newest_releases()}
    assert combined == sandbox_openapi(releases)
    for ref, doc in releases.items():
        for path, item in doc["paths"].items():
            assert combined["paths"][path] == item, (ref, path)
    assert combined["info"]["x-perseus-releases"] == [r.ref for r in newest_releases()]
    assert all(r.version >= "2026-11-28" for r in newest_releases())


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize(("template", "url", "query"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_every_scenario_on_every_endpoint(client, template, url, query, scenario):
    response, body = get(client, template, url, {**FULL, "X-Perseus-Scenario": scenario}, query)
    assert response.status_code == EXPECTED[scenario]
    if response.status_code in (202, 429, 503):
        assert int(response.headers["Retry-After"]) > 0
    if response.status_code == 422:
        assert body == {
            "detail": [
                {
                    "loc": ["header", "X-Perseus-Scenario"],
                    "msg": "deliberate validation error (scenario `invalid`)",
                    "type": "value_error",
                }
            ]
        }
    elif response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert body["status"] == response.status_code and CODES[body["code"]][0] == response.status_code
        assert body["type"].endswith(f"#{body['code']}")
        assert body["instance"] == url
    if scenario == "server-error":
        assert "Traceback" not in response.text and "deliberate failure" not in response.text


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reserved_data_source_ids_answer_their_scenario(client, scenario):
    response, _ = get(client, "/datasources/{id}/{measure}", f"/datasources/scenario-{scenario}/import", OFFICE, MONTH)
    assert response.status_code == EXPECTED[scenario]


def test_an_unknown_scenario_is_a_validation_error(client):
    response, body = get(client, "/heartbeat", "/heartbeat", {**FULL, "X-Perseus-Scenario": "flood"})
    assert response.status_code == 422 and body["detail"][0]["loc"] == ["header", "X-Perseus-Scenario"]


def test_heartbeat(client):
    response, body = get(client, "/heartbeat", "/heartbeat", FULL)
    assert response.status_code == 200 and body["status"] == "ok" and body["timestamp"].endswith("Z")


def test_data_sources_are_those_the_client_currently_holds(client):
    _, full = get(client, "/datasources", "/datasources", FULL)
    _, office = get(client, "/datasources", "/datasources", OFFICE)
    _, expired = get(client, "/datasources", "/datasources", EXPIRED)
    assert len(full["data"]) == 8 and {s["type"] for s in full["data"]} == {"electricity", "gas"}
    assert len({s["location"]["ukPostcodeOutcode"] for s in full["data"]}) == 4
    assert [s["id"] for s in office["data"]] == [ELECTRICITY, "synthetic-office-001-gas"]
    assert expired["data"] == []


def test_a_meter_year_of_half_hours(client):
    year = {"from": "2025-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
    response, body = get(
        client, "/datasources/{id}/{measure}", "/datasources/synthetic-office-001-gas/import", OFFICE, year
    )
    assert response.status_code == 200
    readings = body["data"]
    assert len(readings) == 365 * 48
    assert readings[0]["from"] == year["from"] and readings[-1]["to"] == year["to"]
    assert {r["energy"]["unitCode"] for r in readings} == {"MTQ"} and "calorificValue" in body
    cumulative = [r["cumulative"]["value"] for r in readings]
    assert cumulative == sorted(cumulative)
    again = client.get(response.request.url, headers=OFFICE).json()
    assert {**again, "provenance": None} == {
        **body,
        "provenance": None,
    }  # the data is deterministic; each record is signed anew


def test_a_period_is_sliced_to_its_half_hours(client):
    query = {"from": "2025-06-01T10:00:00+01:00", "to": "2025-06-01T12:00:00+01:00"}
    _, body = get(client, "/datasources/{id}/{measure}", f"/datasources/{ELECTRICITY}/import", OFFICE, query)
    assert [r["from"] for r in body["data"]] == [
        "2025-06-01T09:00:00Z",
        "2025-06-01T09:30:00Z",
        "2025-06-01T10:00:00Z",
        "2025-06-01T10:30:00Z",
    ]


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing-credentials"),
        ({"Authorization": "Bearer nope"}, "invalid-credentials"),
        ({"Authorization": "Basic c2FuZGJveA=="}, "invalid-credentials"),
    ],
)
@pytest.mark.parametrize(("template", "url", "query"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_401_without_good_credentials(client, template, url, query, headers, code):
    response, body = get(client, template, url, headers, query)
    assert response.status_code == 401 and body["code"] == code and body["parameter"] == "Authorization"


def test_403_without_permission_or_with_an_expired_one(client):
    url = "/datasources/synthetic-cafe-001-gas/import"
    response, body = get(client, "/datasources/{id}/{measure}", url, OFFICE, MONTH)
    assert (response.status_code, body["code"], body["parameter"]) == (403, "permission-missing", "id")
    response, body = get(client, "/datasources/{id}/{measure}", url, EXPIRED, MONTH)
    assert (response.status_code, body["code"]) == (403, "permission-expired")
    assert "expired on" in body["detail"]
    response, body = get(client, "/emissions", "/emissions", EXPIRED, MONTH)
    assert (response.status_code, body["code"]) == (403, "permission-expired")


def test_404_for_an_unknown_source_or_measure(client):
    response, body = get(client, "/datasources/{id}/{measure}", "/datasources/meter-9/import", FULL, MONTH)
    assert (response.status_code, body["code"], body["parameter"]) == (404, "unknown-data-source", "id")
    response, body = get(client, "/datasources/{id}/{measure}", f"/datasources/{ELECTRICITY}/export", FULL, MONTH)
    assert (response.status_code, body["code"], body["parameter"]) == (404, "unknown-measure", "measure")
    response = client.get("/no/such/path")
    assert response.status_code == 404 and response.json()["code"] == "unknown-path"


@pytest.mark.parametrize(
    ("query", "loc", "kind"),
    [
        ({}, ["query", "from"], "missing"),
        ({"from": "yesterday"}, ["query", "from"], "value_error"),
        ({"from": "1735689600"}, ["query", "from"], "value_error"),
        ({"from": "2025-01-01T00:00:00"}, ["query", "from"], "value_error"),
        ({"from": "2025-01-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"}, ["query", "to"], "value_error"),
        ({"from": "2024-01-01T00:00:00Z", "to": "2025-02-01T00:00:01Z"}, ["query", "to"], "value_error"),
        ({"from": "2020-01-01T00:00:00Z"}, ["query", "from"], "value_error"),
    ],
)
@pytest.mark.parametrize("template", ["/datasources/{id}/{measure}", "/emissions"])
def test_422_in_the_deployed_shape_naming_the_parameter(client, template, query, loc, kind):
    url = f"/datasources/{ELECTRICITY}/import" if "{id}" in template else "/emissions"
    response, body = get(client, template, url, FULL, query)
    assert response.status_code == 422
    assert [d["loc"] for d in body["detail"]] == [loc] and body["detail"][0]["type"] == kind
    assert "input" not in body["detail"][0]  # the deployed shape: loc, msg, type only


def test_thirteen_months_is_allowed(client):
    query = {"from": "2024-01-01T00:00:00Z", "to": "2025-02-01T00:00:00Z"}
    response, body = get(client, "/datasources/{id}/{measure}", f"/datasources/{ELECTRICITY}/import", FULL, query)
    assert response.status_code == 200 and len(body["data"]) == (366 + 31) * 48


def test_request_size_limits(client):
    response, body = get(client, "/heartbeat", "/heartbeat", {**FULL, "X-Padding": "x" * 9000})
    assert (response.status_code, body["code"]) == (431, "headers-too-large")
    response, body = get(client, "/datasources/{id}/{measure}", "/datasources/" + "m" * 3000 + "/import", FULL, MONTH)
    assert (response.status_code, body["code"]) == (414, "uri-too-long")


def test_rate_limit_per_client_with_retry_after():
    client = TestClient(create_app(SandboxConfig(rate_limit=3, rate_window=30)))
    statuses = [client.get("/heartbeat", headers=OFFICE).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response, body = get(client, "/heartbeat", "/heartbeat", OFFICE)
    assert body["code"] == "rate-limited" and 1 <= int(response.headers["Retry-After"]) <= 30
    assert client.get("/heartbeat", headers=FULL).status_code == 200  # another client has its own allowance


def test_an_internal_error_never_reaches_the_client(monkeypatch):
    import perseus.sandbox.app as sandbox_app

    def broken(*args, **kwargs):
        raise ValueError("secret: /srv/meters.db password=hunter2")

    monkeypatch.setattr(sandbox_app, "meter_data_json", broken)
    client = TestClient(create_app(SandboxConfig()), raise_server_exceptions=False)
    response, body = get(client, "/datasources/{id}/{measure}", f"/datasources/{ELECTRICITY}/import", FULL, MONTH)
    assert response.status_code == 500 and body["code"] == "internal-error"
    for leak in ("secret", "hunter2", "Traceback", "ValueError", "meters.db"):
        assert leak not in response.text
    status = client.get("/status.json").json()
    (meter,) = [e for e in status["endpoints"] if e["endpoint"] == "GET /datasources/{id}/{measure}"]
    assert meter["responses"] == [{"status": 500, "count": 1}] and meter["availabilityPercent"] == 0.0


def test_other_methods_are_refused_as_problems(client):
    response = client.post("/heartbeat", headers=FULL)
    assert response.status_code == 405 and response.json()["code"] == "method-not-allowed"
    assert response.headers["Allow"] == "GET, HEAD"


def test_emissions_come_from_the_reference_calculator(client):
    from perseus.calculator import calculate  # noqa: F401  (the sandbox uses it; no figure is made up)

    response, body = get(
        client, "/emissions", "/emissions", OFFICE, {"from": "2025-03-10T00:00:00Z", "to": "2025-04-20T00:00:00Z"}
    )
    assert response.status_code == 200
    months = sorted({(e["type"], e["from"]) for e in body["data"]})
    assert months == [(t, m) for t in ("electricity", "gas") for m in ("2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z")]
    assert all(e["emissions"]["value"] > 0 and e["dataQuality"]["missingData"] == "Complete" for e in body["data"])
    assert {s["type"] for s in body["sources"]} == {"electricity", "gas"}


def test_status_page_counts_responses_and_compares_with_the_sla():
    client = TestClient(create_app(SandboxConfig()), raise_server_exceptions=False)
    for _ in range(3):
        client.get("/heartbeat", headers=FULL)
    client.get("/heartbeat")
    client.get("/heartbeat", headers={**FULL, "X-Perseus-Scenario": "unavailable"})
    status = client.get("/status.json").json()
    ServiceStatus.model_validate(status)  # the model of spec/sla.yaml
    assert status["requests"] == 5
    assert status["responses"] == [
        {"status": 200, "count": 3},
        {"status": 401, "count": 1},
        {"status": 503, "count": 1},
    ]
    assert status["sla"] == "sandbox-sla@2026-11-28" and status["uptimeSeconds"] >= 0
    (beat,) = [e for e in status["endpoints"] if e["endpoint"] == "GET /heartbeat"]
    assert beat["deliberate"] == 1 and beat["availabilityPercent"] == 100.0  # the deliberate 503 does not count
    assert set(beat["latencyMilliseconds"]) == {"p50", "p95", "p99"}
    assert (
        beat["latencyMilliseconds"]["p50"] <= beat["latencyMilliseconds"]["p95"] <= beat["latencyMilliseconds"]["p99"]
    )
    (target,) = [t for t in load_sla().targets if t.endpoint == "GET /heartbeat"]
    assert beat["target"] == target.model_dump(mode="json")
    assert beat["meetsAvailability"] is True and isinstance(beat["meetsLatency"], bool)
    page = client.get("/status")
    assert page.headers["content-type"].startswith("text/html")
    assert "GET /heartbeat" in page.text and "sandbox-sla@2026-11-28" in page.text


def test_the_command_refuses_a_bad_port(perseus):
    result = perseus("sandbox", "--port", "70000")
    assert result.returncode == 2 and "--port 70000" in result.stderr


def test_the_document_check_refuses_a_body_that_breaks_the_document():
    from tests.sandbox_checks import check_response

    bad = json.dumps({"status": "ok", "timestamp": "2025-01-01T00:00:00"}).encode()  # no offset, no Z
    with pytest.raises(AssertionError, match='is not a "date-time"'):
        check_response("/heartbeat", 200, {"content-type": "application/json"}, bad)
    with pytest.raises(AssertionError, match="undocumented status"):
        check_response("/heartbeat", 418, {"content-type": "application/json"}, b"{}")
    with pytest.raises(AssertionError, match="missing header Retry-After"):
        check_response("/heartbeat", 503, {"content-type": "application/problem+json"}, b"{}")


@pytest.mark.slow
def test_the_command_starts_a_server_prints_its_credentials_and_answers_small_requests_at_once(tmp_path):
    import http.client
    import re
    import socket
    import subprocess
    import sys
    import time

    import numpy as np

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "perseus.cli", "sandbox", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=tmp_path,
        )
    try:
        deadline, connection = time.monotonic() + 30, None
        while time.monotonic() < deadline and connection is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/heartbeat", headers=FULL)
                assert connection.getresponse().read()
            except OSError:
                connection = None
                time.sleep(0.2)
        assert connection is not None, log.read_text()
        took = []
        for _ in range(30):  # one keep-alive connection, as a client would hold it
            started = time.perf_counter()
            connection.request("GET", "/heartbeat", headers=FULL)
            response = connection.getresponse()
            response.read()
            took.append(time.perf_counter() - started)
            assert response.status == 200
        # Without TCP_NODELAY every small answer waits for the client's delayed ACK, about 40 ms: even the
        # fastest fifth would. (Not the median: on a busy machine, or while the meters warm, many are slow.)
        assert np.percentile(took, 20) < 0.02, f"fastest fifth {np.percentile(took, 20) * 1000:.1f} ms"
        connection.request("GET", "/trust-anchor.pem")
        served = connection.getresponse().read()
    finally:
        process.terminate()
        process.wait(timeout=10)
    banner = log.read_text()
    for client in ("cap-full", "cap-office", "cap-expired"):
        assert f"Authorization: Bearer sandbox-token-{client}" in banner
    anchor = re.search(r"^trust anchor: (.+)$", banner, flags=re.M).group(1)
    assert (tmp_path / anchor).read_bytes() == served and served.startswith(b"-----BEGIN CERTIFICATE-----")


def test_a_failure_outside_the_routes_is_still_a_problem_without_a_trace(monkeypatch):
    import types

    from perseus.sandbox import monitoring

    def broken():
        raise KeyError("secret-key")

    # The metrics middleware reads the clock before the request reaches the routes.
    client = TestClient(create_app(SandboxConfig()), raise_server_exceptions=False)
    monkeypatch.setattr(monitoring, "time", types.SimpleNamespace(perf_counter=broken, monotonic=broken))
    response = client.get("/heartbeat", headers=FULL)
    assert response.status_code == 500 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal-error" and "secret-key" not in response.text
