"""The sandbox's HTTP and security behaviour: each test guards a fault found when the sandbox was tried
as a new user would, against the scheme's own clients and under load and attack on loopback."""

from __future__ import annotations

import json
import select
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from perseus.sandbox import SandboxConfig, create_app
from perseus.sandbox.config import DATA_START, DOCS_SITE
from perseus.sandbox.server import RunningSandbox
from perseus.sandbox.signing import client_application
from tests.sandbox_checks import check_response

FULL = {"Authorization": "Bearer sandbox-token-cap-full"}
OFFICE = {"Authorization": "Bearer sandbox-token-cap-office"}
ELECTRICITY = "synthetic-office-001-electricity"
DAY = {"from": "2025-06-01T00:00:00Z", "to": "2025-06-02T00:00:00Z"}
METER = "/datasources/{id}/{measure}"


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(SandboxConfig(failed_login_delay=0)), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def strict():
    return TestClient(create_app(SandboxConfig(strict=True, failed_login_delay=0)), raise_server_exceptions=False)


def test_a_trailing_slash_is_not_redirected_from_the_host_header_nor_before_authentication(client, strict):
    evil = {"Host": "evil.example"}
    response = client.get("/datasources/", headers=evil, follow_redirects=False)
    assert response.status_code == 401 and "location" not in response.headers
    response = client.get("/datasources/", headers={**FULL, **evil}, follow_redirects=False)
    assert (
        response.status_code == 200 and "location" not in response.headers
    )  # read as /datasources (the demo CAP asks so)
    check_response("/datasources", 200, response.headers, response.content)
    response = strict.get("/datasources/", headers={**FULL, **evil}, follow_redirects=False)
    assert (response.status_code, response.json()["code"]) == (
        404,
        "unknown-path",
    ) and "location" not in response.headers


@pytest.mark.parametrize(
    ("headers", "challenge"),
    [
        ({}, 'Bearer realm="perseus-sandbox"'),
        ({"Authorization": "Bearer nope"}, 'Bearer realm="perseus-sandbox", error="invalid_token"'),
    ],
)
def test_401_says_how_to_authenticate(client, headers, challenge):
    response = client.get("/heartbeat", headers=headers)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == challenge


def test_failed_logins_are_slowed_and_a_good_one_resets_the_count():
    client = TestClient(create_app(SandboxConfig(failed_login_delay=0.2, max_failed_login_delay=2)))
    bad = {"Authorization": "Bearer guess"}
    took = []
    for _ in range(3):
        started = time.perf_counter()
        assert client.get("/heartbeat", headers=bad).status_code == 401
        took.append(time.perf_counter() - started)
    assert took[0] >= 0.2 and took[1] >= 0.4 and took[2] >= 0.8  # 0.2 s, doubling per failure
    assert client.get("/heartbeat", headers=FULL).status_code == 200
    started = time.perf_counter()
    client.get("/heartbeat", headers=bad)
    assert 0.2 <= time.perf_counter() - started < 0.4  # counted afresh after the good login


def test_head_is_answered_like_get_without_a_body(client, strict):
    for url, params in (("/heartbeat", None), (f"/datasources/{ELECTRICITY}/import", DAY)):
        head, get = client.head(url, headers=FULL, params=params), client.get(url, headers=FULL, params=params)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
    response = strict.head("/heartbeat", headers=FULL)
    assert response.status_code == 405 and response.headers["Allow"] == "GET"  # the published documents list GET only


def test_the_permission_is_checked_before_the_measure(client):
    # The office's client holds no permission for the cafe: it must not learn which measures the cafe offers.
    response = client.get("/datasources/synthetic-cafe-001-gas/export", headers=OFFICE, params=DAY)
    assert (response.status_code, response.json()["code"]) == (403, "permission-missing")
    response = client.get(f"/datasources/{ELECTRICITY}/export", headers=OFFICE, params=DAY)
    assert (response.status_code, response.json()["code"]) == (404, "unknown-measure")


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/datasources/synthetic-cafe-001-gas/import", DAY, 403),  # no permission
        (f"/datasources/{ELECTRICITY}/import", {"from": "2025-06-02T00:00:00Z", "to": "2025-06-01T00:00:00Z"}, 422),
        ("/datasources/meter-9/import", DAY, 404),
        ("/emissions", {"from": "yesterday"}, 422),
    ],
)
def test_a_scenario_is_answered_only_once_the_request_passes_its_own_checks(client, url, params, status):
    response = client.get(url, headers={**OFFICE, "X-Perseus-Scenario": "unavailable"}, params=params)
    assert response.status_code == status


def test_problem_links_point_at_the_documentation_site_and_instance_is_the_path_as_sent(client):
    response = client.get("/datasources/a%20b%3Cscript%3E/import", headers=FULL, params=DAY)
    body = response.json()
    assert body["type"] == f"{DOCS_SITE}sandbox/#unknown-data-source" and "example" not in body["type"]
    assert body["instance"] == "/datasources/a%20b%3Cscript%3E/import"
    custom = TestClient(create_app(SandboxConfig(docs_url="https://docs.example.test/errors")))
    assert custom.get("/heartbeat").json()["type"] == "https://docs.example.test/errors#missing-credentials"


def test_date_only_periods_are_read_as_midnight_utc_outside_strict(client, strict):
    dates = {"from": "2024-12-05", "to": "2024-12-06"}  # as the demo CAP asks
    response = client.get(f"/datasources/{ELECTRICITY}/import", headers=FULL, params=dates)
    body = check_response(METER, 200, response.headers, response.content)
    assert [body["data"][0]["from"], body["data"][-1]["to"], len(body["data"])] == [
        "2024-12-05T00:00:00Z",
        "2024-12-06T00:00:00Z",
        48,
    ]
    minutes = client.get(
        f"/datasources/{ELECTRICITY}/import",
        headers=FULL,
        params={"from": "2024-12-05T00:00Z", "to": "2024-12-06T00:00Z"},
    )  # as the scheme's records write
    assert minutes.json()["data"] == body["data"]
    response = strict.get(f"/datasources/{ELECTRICITY}/import", headers=FULL, params=dates)
    assert response.status_code == 422 and [d["loc"] for d in response.json()["detail"]] == [
        ["query", "from"],
        ["query", "to"],
    ]


def test_an_id_holding_a_slash_is_served_when_sent_as_percent_2f(client, strict):
    url = "/datasources/synthetic-shop%2F001%2Belectricity/import"
    for app in (client, strict):
        response = app.get(url, headers=FULL, params=DAY)
        body = check_response(METER, 200, response.headers, response.content)
        assert len(body["data"]) == 48
    response = strict.get("/datasources/synthetic-shop/001+electricity/import", headers=FULL, params=DAY)
    assert (response.status_code, response.json()["code"]) == (404, "unknown-path")  # the document's `id` holds no `/`
    listed = client.get("/datasources", headers=FULL).json()["data"]
    assert "synthetic-shop/001+electricity" in [s["id"] for s in listed]


def nulls(value, path="$"):
    if value is None:
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from nulls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nulls(item, f"{path}[{index}]")


@pytest.mark.parametrize(
    ("url", "params", "headers"),
    [
        ("/datasources", None, FULL),
        (f"/datasources/{ELECTRICITY}/import", DAY, FULL),
        ("/emissions", {"from": "2025-03-01", "to": "2025-04-01"}, OFFICE),
        ("/heartbeat", None, FULL),
        ("/heartbeat", None, {}),
        ("/heartbeat", None, {**FULL, "X-Perseus-Scenario": "not-ready"}),
        ("/datasources/meter-9/import", DAY, FULL),
    ],
)
def test_no_answer_sends_an_unset_field_as_null(client, url, params, headers):
    response = client.get(url, headers=headers, params=params)
    assert list(nulls(response.json())) == []


def test_the_data_moves_with_the_clock(client):
    now = datetime.now(UTC)
    this_month = datetime(now.year, now.month, 1, tzinfo=UTC)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    query = {
        "from": last_month.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "to": (this_month + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    body = client.get(f"/datasources/{ELECTRICITY}/import", headers=FULL, params=query).json()
    readings = body["data"]
    complete = (this_month - last_month) // timedelta(minutes=30)
    assert readings[0]["from"] == query["from"] and len(readings) >= complete  # the last complete month is all there
    assert all(r["takenAt"] <= now.strftime("%Y-%m-%dT%H:%M:%SZ") for r in readings)  # nothing not yet collected
    report = client.get("/emissions", headers=OFFICE, params=query).json()
    months = {e["from"] for e in report["data"]}
    assert query["from"] in months and all(m <= now.strftime("%Y-%m-%dT%H:%M:%SZ") for m in months)
    assert {e["dataQuality"]["missingData"] for e in report["data"] if e["from"] == query["from"]} == {"Complete"}


@pytest.mark.parametrize(
    "month", ["1970-01-01", "1999-11-01", DATA_START.strftime("%Y-%m-%d"), "2262-04-01", "8999-11-01"]
)
def test_every_accepted_month_is_answered(client, month):
    start = datetime.fromisoformat(month).replace(tzinfo=UTC)
    query = {"from": month, "to": (start + timedelta(days=31)).strftime("%Y-%m-%d")}
    for url, headers in ((f"/datasources/{ELECTRICITY}/import", FULL), ("/emissions", OFFICE)):
        response = client.get(url, headers=headers, params=query)
        assert response.status_code == 200, (url, month, response.text[:300])
        check_response(METER if "datasources" in url else "/emissions", 200, response.headers, response.content)
    if start < DATA_START or start > datetime.now(UTC):
        assert response.json()["data"] == []  # before the meters were commissioned, or not yet collected


def test_calculations_over_the_cap_are_answered_202_with_retry_after():
    app = create_app(SandboxConfig(max_calculations=1, retry_after=7))
    client = TestClient(app)
    slots = app.state.calculations._slots
    query = {"from": "2021-02-01", "to": "2021-03-01"}
    assert slots.acquire(blocking=False)  # one calculation is running
    try:
        response = client.get("/emissions", headers=OFFICE, params=query)
        body = check_response("/emissions", 202, response.headers, response.content)
        assert response.headers["Retry-After"] == "7" and "calculated" in body["message"]
    finally:
        slots.release()
    assert client.get("/emissions", headers=OFFICE, params=query).status_code == 200
    assert slots.acquire(blocking=False)
    try:  # what was calculated once is answered from what was kept, whatever else runs
        assert client.get("/emissions", headers=OFFICE, params=query).status_code == 200
    finally:
        slots.release()


def test_latency_percentiles_per_status_class():
    client = TestClient(create_app(SandboxConfig(failed_login_delay=0)))
    for _ in range(3):
        client.get("/heartbeat", headers=FULL)
        client.get("/heartbeat")
    (beat,) = [e for e in client.get("/status.json").json()["endpoints"] if e["endpoint"] == "GET /heartbeat"]
    classes = {c["statusClass"]: c for c in beat["latencyByStatusClass"]}
    assert set(classes) == {"2xx", "4xx"} and classes["2xx"]["responses"] == classes["4xx"]["responses"] == 3
    assert beat["latencyMilliseconds"] == classes["2xx"]["latencyMilliseconds"]  # what the target is compared with


def test_the_trust_anchor_is_served_and_verifies_what_the_sandbox_signs(client, tmp_path, perseus):
    from ib1.provenance import Record
    from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord

    anchor = client.get("/trust-anchor.pem")
    assert anchor.status_code == 200 and anchor.content.startswith(b"-----BEGIN CERTIFICATE-----")
    meter = client.get(
        f"/datasources/{ELECTRICITY}/import", headers={**FULL, "Host": "evil.example"}, params=DAY
    ).json()
    record = Record(meter["provenance"]["ib1:provenance"], meter["provenance"])
    record.verify(CertificatesProviderSelfContainedRecord(anchor.content))
    steps = record.decoded()
    assert [s["type"] for s in steps] == ["permission", "origin", "transfer"]  # as the demo EDP writes them
    transfer = steps[-1]
    assert transfer["to"] == client_application("cap-full") and transfer["path"] == f"/datasources/{ELECTRICITY}/import"
    assert transfer["service"].startswith("http://127.0.0.1:") and "evil" not in transfer["service"]
    report = client.get("/emissions", headers=OFFICE, params={"from": "2025-01-01", "to": "2025-03-01"})
    (tmp_path / "report.json").write_bytes(report.content)
    (tmp_path / "ca.pem").write_bytes(anchor.content)
    result = perseus(
        "verify", str(tmp_path / "report.json"), "--trust-anchor", str(tmp_path / "ca.pem"), "--require-edp"
    )
    assert result.returncode == 0, result.stderr
    other = tmp_path / "other.pem"
    from perseus.provenance.keys import create_ca

    other.write_bytes(create_ca("sandbox").certificate_pem())
    assert perseus("verify", str(tmp_path / "report.json"), "--trust-anchor", str(other)).returncode == 1


# Against a real uvicorn: the connection guards live in the protocol, below the application.


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    config = SandboxConfig(port=0, header_timeout=1.0, max_connections=400, keys_dir=tmp_path_factory.mktemp("keys"))
    with RunningSandbox(config) as running:
        yield running


def raw(port: int, data: bytes, timeout: float = 5, then: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        if then:
            time.sleep(0.2)  # the server has read the first part alone
            try:
                sock.sendall(then)
            except OSError:
                pass  # it may have answered and closed already
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def answer(data: bytes) -> tuple[int, dict, dict]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body)


# Sent in two parts, as a large head arrives over a network: the server holds 40 KB of an unfinished head.
@pytest.mark.parametrize(
    ("first", "then", "status", "code"),
    [
        (b"GET /heartbeat?" + b"x" * 40_000, b" HTTP/1.1\r\nHost: s\r\n\r\n", 414, "uri-too-long"),
        (b"GET /heartbeat HTTP/1.1\r\nHost: s\r\nX-Padding: " + b"x" * 40_000, b"\r\n\r\n", 431, "headers-too-large"),
    ],
)
def test_a_request_head_over_32_kib_gets_its_problem(guarded, first, then, status, code):
    got, headers, body = answer(raw(guarded.port, first, then=then))
    assert (got, body["code"], body["status"]) == (status, code, status)
    assert headers["content-type"] == "application/problem+json"


def test_slow_header_connections_neither_block_service_nor_stay_open(guarded):
    slow = []
    try:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", guarded.port), timeout=10)
            sock.sendall(b"GET /heartbeat HTTP/1.1\r\nHost: s\r\n")  # and never the rest
            slow.append(sock)
        started = time.perf_counter()
        got = raw(
            guarded.port,
            b"GET /heartbeat HTTP/1.1\r\nHost: s\r\nAuthorization: Bearer sandbox-token-cap-full\r\n"
            b"Connection: close\r\n\r\n",
        )
        assert got.startswith(b"HTTP/1.1 200") and time.perf_counter() - started < 2
        # Past the header timeout (1 s) the server has closed every one: each reads as closed.
        waiting, deadline = {sock.fileno(): sock for sock in slow}, time.monotonic() + 4
        while waiting and time.monotonic() < deadline:
            ready, _, _ = select.select(list(waiting.values()), [], [], 0.5)
            for sock in ready:
                try:
                    data = sock.recv(1)
                except OSError:
                    data = b""
                if data == b"":
                    waiting.pop(sock.fileno())
        assert not waiting, f"{len(waiting)} slow connections still open"
    finally:
        for sock in slow:
            sock.close()


def test_an_idle_connection_is_closed_after_the_header_timeout(guarded):
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=5) as sock:
        started = time.perf_counter()
        assert sock.recv(1) == b""  # closed by the server, having sent nothing
        assert 0.5 < time.perf_counter() - started < 3


def test_connections_over_the_cap_are_answered_503_with_retry_after(tmp_path):
    with RunningSandbox(SandboxConfig(port=0, max_connections=3, keys_dir=tmp_path)) as running:
        held = [socket.create_connection(("127.0.0.1", running.port), timeout=5) for _ in range(3)]
        try:
            time.sleep(0.2)
            status, headers, body = answer(
                raw(
                    running.port,
                    b"GET /heartbeat HTTP/1.1\r\nHost: s\r\nAuthorization: Bearer sandbox-token-cap-full\r\n\r\n",
                )
            )
            assert (status, body["code"]) == (503, "unavailable") and int(headers["retry-after"]) > 0
        finally:
            for sock in held:
                sock.close()
        time.sleep(0.2)
        status = raw(
            running.port,
            b"GET /heartbeat HTTP/1.1\r\nHost: s\r\nAuthorization: Bearer sandbox-token-cap-full\r\n"
            b"Connection: close\r\n\r\n",
        )
        assert status.startswith(b"HTTP/1.1 200")
