"""Mutual TLS against a real uvicorn on loopback: the sandbox CA's client certificates are accepted and
mapped to their clients; a certificate from another CA, or none, is refused in the handshake."""

from __future__ import annotations

import http.client
import json
import ssl

import pytest
from cryptography.hazmat.primitives import serialization

from perseus.sandbox import SandboxConfig
from perseus.sandbox.server import RunningSandbox
from perseus.sandbox.tls import issue, new_ca
from tests.sandbox_checks import check_response


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    with RunningSandbox(SandboxConfig(port=0, tls=True, tls_dir=folder)) as running:
        yield running, folder


def context(ca, cert=None, key=None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca))
    if cert:
        ctx.load_cert_chain(str(cert), str(key))
    return ctx


def get(port, ctx, path):
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_certificate_from_the_sandbox_ca_is_accepted_and_names_the_client(sandbox):
    running, folder = sandbox
    office = context(folder / "ca.pem", folder / "clients" / "cap-office.pem", folder / "clients" / "cap-office-key.pem")
    status, headers, body = get(running.port, office, "/datasources")
    payload = check_response("/datasources", status, headers, body)
    assert status == 200 and [s["id"] for s in payload["data"]] == ["synthetic-office-001-electricity", "synthetic-office-001-gas"]
    expired = context(folder / "ca.pem", folder / "clients" / "cap-expired.pem", folder / "clients" / "cap-expired-key.pem")
    status, headers, body = get(running.port, expired, "/datasources/synthetic-cafe-001-gas/import?from=2025-01-01T00:00:00Z")
    assert status == 403 and json.loads(body)["code"] == "permission-expired"


def good(folder):
    return context(folder / "ca.pem", folder / "clients" / "cap-full.pem", folder / "clients" / "cap-full-key.pem")


def test_a_certificate_from_another_ca_is_refused(sandbox, tmp_path):
    running, folder = sandbox
    other_ca, other_key = new_ca("Some other CA")
    cert, key = issue(other_ca, other_key, "cap-full", server=False)  # even with a known client's name
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    with pytest.raises((ssl.SSLError, ConnectionError)):
        get(running.port, context(folder / "ca.pem", tmp_path / "c.pem", tmp_path / "k.pem"), "/heartbeat")
    assert get(running.port, good(folder), "/heartbeat")[0] == 200  # the same request with the sandbox's certificate


def test_no_certificate_is_refused(sandbox):
    running, folder = sandbox
    with pytest.raises((ssl.SSLError, ConnectionError)):
        get(running.port, context(folder / "ca.pem"), "/heartbeat")
    assert get(running.port, good(folder), "/heartbeat")[0] == 200


def test_the_sandbox_ca_is_created_once_and_reused(sandbox):
    from perseus.sandbox.access import default_clients
    from perseus.sandbox.config import SandboxConfig as Config
    from perseus.sandbox.tls import ensure_tls_files

    _, folder = sandbox
    before = (folder / "ca.pem").read_bytes()
    files = ensure_tls_files(folder, list(default_clients(Config().started)))
    assert files.ca_cert.read_bytes() == before
    assert sorted(files.clients) == ["cap-expired", "cap-full", "cap-office"]
    assert oct(files.ca_key.stat().st_mode & 0o777) == "0o600"
