"""The sandbox driven the way the scheme's own clients drive an EDP, and giving them their data.

Request shapes taken from the public clients (interface facts, not their code):
- the demo CAP (icebreakerone/perseus-demo-cap, app/api/getData/route.ts): `GET /datasources/`
  with a trailing slash, then `/datasources/{id}/{measure}?from=2024-12-05&to=2024-12-06` (dates),
  with `Authorization: Bearer` and `Accept: application/json`, over mutual TLS;
- the CAP agent (icebreakerone/perseus-ready-agent-demo, lib/edp.ts and lib/http.ts): the id sent
  through encodeURIComponent (so `/` as %2F and `+` as %2B), `from`/`to` as ISO instants without
  milliseconds, `Accept-Encoding: gzip`, a 202 answered by waiting Retry-After, the client
  certificate sent as leaf then issuer, TLS 1.3 at least, no redirects followed.
"""

from __future__ import annotations

import http.client
import json
import ssl
from urllib.parse import quote

import pytest
from ib1.provenance import Record
from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord

from perseus.sandbox import SandboxConfig
from perseus.sandbox.server import RunningSandbox
from tests.sandbox_checks import check_response

TOKEN = "sandbox-token-cap-full"


@pytest.fixture(scope="module")
def edp(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clients")
    config = SandboxConfig(port=0, tls=True, tls_dir=folder / "tls", keys_dir=folder / "keys")
    with RunningSandbox(config) as running:
        tls = folder / "tls"
        bundle = folder / "cap-full-bundle.pem"  # leaf then issuer, as the agent sends it
        bundle.write_bytes((tls / "clients" / "cap-full.pem").read_bytes() + (tls / "ca.pem").read_bytes())
        ctx = ssl.create_default_context(cafile=str(tls / "ca.pem"))
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_cert_chain(str(bundle), str(tls / "clients" / "cap-full-key.pem"))
        yield running, ctx


def request(edp, path: str, headers: dict) -> tuple[int, dict, bytes]:
    running, ctx = edp
    connection = http.client.HTTPSConnection("127.0.0.1", running.port, context=ctx, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def verified_steps(edp, provenance: dict) -> list[dict]:
    status, _, anchor = request(edp, "/trust-anchor.pem", {})
    assert status == 200
    record = Record(provenance["ib1:provenance"], provenance)
    record.verify(CertificatesProviderSelfContainedRecord(anchor))
    return record.decoded()


def test_the_demo_caps_requests_get_its_data(edp):
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    status, answer, body = request(edp, "/datasources/", headers)
    assert status == 200 and "location" not in answer
    sources = check_response("/datasources", status, answer, body)["data"]
    meter = sources[0]
    status, answer, body = request(
        edp, f"/datasources/{meter['id']}/{meter['availableMeasures'][0]}?from=2024-12-05&to=2024-12-06", headers
    )
    payload = check_response("/datasources/{id}/{measure}", status, answer, body)
    assert status == 200 and len(payload["data"]) == 48
    assert (payload["data"][0]["from"], payload["data"][-1]["to"]) == ("2024-12-05T00:00:00Z", "2024-12-06T00:00:00Z")
    assert [s["type"] for s in verified_steps(edp, payload["provenance"])] == ["permission", "origin", "transfer"]


def fetch_readings(edp, source: dict, measure: str, start: str, end: str) -> dict:
    """As the agent does: the id through encodeURIComponent, gzip accepted, a 202 retried."""
    path = f"/datasources/{quote(source['id'], safe='')}/{measure}?from={start}&to={end}"
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json", "Accept-Encoding": "gzip"}
    for _ in range(5):
        status, answer, body = request(edp, path, headers)
        if status == 202:
            continue
        assert status == 200, (path, status, body[:300])
        return check_response("/datasources/{id}/{measure}", status, answer, body)
    raise AssertionError(f"{path}: still 202 after 5 tries")


def test_the_cap_agents_requests_get_its_data(edp):
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    status, answer, body = request(edp, "/datasources", headers)
    sources = check_response("/datasources", status, answer, body)["data"]
    assert any("/" in s["id"] for s in sources)  # an id the agent must encode
    for source in sources:
        payload = fetch_readings(edp, source, "import", "2025-09-01T00:00:00Z", "2025-09-02T00:00:00Z")
        readings = payload["data"]
        assert len(readings) == 48 and {r["type"] for r in readings} == {source["type"]}
        # The agent normalises to kWh, or m³ for gas by volume; every unit it meets must be one it knows.
        assert {r["energy"]["unitCode"] for r in readings} <= {"KWH", "WHR", "MTQ"}
        steps = verified_steps(edp, payload["provenance"])
        (origin,) = [s for s in steps if s["type"] == "origin"]
        assert origin["perseus:scheme"]["meteringPeriod"]["from"].startswith("2025-09-01T00:00")


def test_a_token_of_another_client_with_this_certificate_is_refused(edp):
    status, answer, body = request(edp, "/datasources", {"Authorization": "Bearer sandbox-token-cap-office"})
    assert (
        status == 401
        and answer["www-authenticate"].startswith("Bearer")
        and json.loads(body)["code"] == "invalid-credentials"
    )
