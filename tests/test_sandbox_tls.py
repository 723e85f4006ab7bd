"""Mutual TLS against a real uvicorn on loopback: the sandbox CA's client certificates are accepted and
mapped to their clients with the bearer token bound to them; a certificate from another CA, or none, is
refused in the handshake; a token of another client, none, or a certificate whose subject only looks
like a client's is 401."""

from __future__ import annotations

import http.client
import json
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from perseus.sandbox import SandboxConfig
from perseus.sandbox.server import RunningSandbox
from perseus.sandbox.tls import issue, new_ca
from tests.sandbox_checks import check_response


# No delay before a 401: these tests are refused on purpose (test_sandbox_http tests the delay).
@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    with RunningSandbox(SandboxConfig(port=0, tls=True, tls_dir=folder, failed_login_delay=0)) as running:
        yield running, folder


def context(ca, cert=None, key=None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca))
    if cert:
        ctx.load_cert_chain(str(cert), str(key))
    return ctx


def token(client: str) -> dict:
    return {"Authorization": f"Bearer sandbox-token-{client}"}


def get(port, ctx, path, headers=None):
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_certificate_from_the_sandbox_ca_is_accepted_and_names_the_client(sandbox):
    running, folder = sandbox
    office = context(
        folder / "ca.pem", folder / "clients" / "cap-office.pem", folder / "clients" / "cap-office-key.pem"
    )
    status, headers, body = get(running.port, office, "/datasources", token("cap-office"))
    payload = check_response("/datasources", status, headers, body)
    assert status == 200 and [s["id"] for s in payload["data"]] == [
        "synthetic-office-001-electricity",
        "synthetic-office-001-gas",
    ]
    expired = context(
        folder / "ca.pem", folder / "clients" / "cap-expired.pem", folder / "clients" / "cap-expired-key.pem"
    )
    status, headers, body = get(
        running.port,
        expired,
        "/datasources/synthetic-cafe-001-gas/import?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z",
        token("cap-expired"),
    )
    assert status == 403 and json.loads(body)["code"] == "permission-expired"


def good(folder):
    return context(folder / "ca.pem", folder / "clients" / "cap-full.pem", folder / "clients" / "cap-full-key.pem")


def test_a_certificate_from_another_ca_is_refused(sandbox, tmp_path):
    running, folder = sandbox
    other_ca, other_key = new_ca("Some other CA")
    cert, key = issue(other_ca, other_key, "cap-full", server=False)  # even with a known client's name
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    with pytest.raises((ssl.SSLError, ConnectionError)):
        get(running.port, context(folder / "ca.pem", tmp_path / "c.pem", tmp_path / "k.pem"), "/heartbeat")
    assert get(running.port, good(folder), "/heartbeat", token("cap-full"))[0] == 200  # with the sandbox's certificate


def test_no_certificate_is_refused(sandbox):
    running, folder = sandbox
    with pytest.raises((ssl.SSLError, ConnectionError)):
        get(running.port, context(folder / "ca.pem"), "/heartbeat")
    assert get(running.port, good(folder), "/heartbeat", token("cap-full"))[0] == 200


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        (None, "missing-credentials"),
        (token("cap-office"), "invalid-credentials"),
        ({"Authorization": "Bearer bogus"}, "invalid-credentials"),
    ],
)
def test_the_token_must_be_the_one_bound_to_the_certificate(sandbox, headers, code):
    running, folder = sandbox
    status, answer, body = get(running.port, good(folder), "/datasources", headers)
    assert (status, json.loads(body)["code"]) == (401, code)
    assert answer["www-authenticate"].startswith('Bearer realm="perseus-sandbox"')
    check_response("/datasources", status, answer, body)


def sandbox_ca_certificate(folder, tmp_path, subject: x509.Name):
    """A client certificate the sandbox CA itself issued, with the subject given."""
    ca_cert = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    ca_key = serialization.load_pem_private_key((folder / "ca-key.pem").read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    cert, key = issue(ca_cert, ca_key, "placeholder", server=False)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(cert.not_valid_before_utc)
        .not_valid_after(cert.not_valid_after_utc)
    )
    for extension in cert.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    cert = builder.sign(ca_key, hashes.SHA256())
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return context(folder / "ca.pem", tmp_path / "c.pem", tmp_path / "k.pem")


SPOOFS = {
    # rfc4514_string() reads this as 'CN=someone,O=Perseus sandbox\,CN=cap-full': split on commas, a CN of cap-full
    "common name inside the organisation": [
        (NameOID.ORGANIZATION_NAME, "Perseus sandbox,CN=cap-full"),
        (NameOID.COMMON_NAME, "someone"),
    ],
    "two common names": [(NameOID.COMMON_NAME, "cap-full"), (NameOID.COMMON_NAME, "cap-office")],
    "no common name": [(NameOID.ORGANIZATION_NAME, "cap-full")],
}


@pytest.mark.parametrize("spoof", SPOOFS)
def test_a_certificate_whose_subject_only_looks_like_a_client_is_not_served(sandbox, tmp_path, spoof):
    running, folder = sandbox
    ctx = sandbox_ca_certificate(folder, tmp_path, x509.Name([x509.NameAttribute(oid, v) for oid, v in SPOOFS[spoof]]))
    status, answer, body = get(running.port, ctx, "/datasources", token("cap-full"))
    assert (status, json.loads(body)["code"]) == (401, "invalid-credentials")


def test_another_sandbox_ca_certificate_named_like_a_client_does_not_take_its_token(sandbox, tmp_path):
    # Issued by the sandbox CA with the client's very name, but not the certificate the token is bound to.
    running, folder = sandbox
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Perseus sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, "cap-full"),
        ]
    )
    status, _, body = get(
        running.port, sandbox_ca_certificate(folder, tmp_path, name), "/datasources", token("cap-full")
    )
    assert (status, json.loads(body)["code"]) == (401, "invalid-credentials")


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


@pytest.mark.parametrize("spoof", SPOOFS)
def test_identity_is_read_from_the_parsed_subject(spoof):
    from perseus.sandbox.access import Clients, default_clients
    from perseus.sandbox.problems import SandboxProblem
    from perseus.sandbox.tls import new_ca

    ca, ca_key = new_ca("any")
    cert, _ = issue(ca, ca_key, "placeholder", server=False)
    spoofed = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(o, v) for o, v in SPOOFS[spoof]]))
        .issuer_name(ca.subject)
        .public_key(cert.public_key())
        .serial_number(1)
        .not_valid_before(cert.not_valid_before_utc)
        .not_valid_after(cert.not_valid_after_utc)
        .sign(ca_key, hashes.SHA256())
    )
    clients = Clients(default_clients(cert.not_valid_before_utc))
    with pytest.raises(SandboxProblem) as refused:
        clients.from_certificate(spoofed)
    assert refused.value.code == "invalid-credentials"
    genuine, _ = issue(ca, ca_key, "cap-full", server=False)
    assert clients.from_certificate(genuine).id == "cap-full"
