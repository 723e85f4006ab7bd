"""Clients, their credentials and their permissions, which expire one year after grant.

The default clients are fixed so that documentation and tests can name them; grant dates
are counted back from the moment the sandbox starts, so the current permissions are always
current and the expired one always expired, whatever the date.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from perseus.sandbox.catalogue import SOURCES
from perseus.sandbox.problems import SandboxProblem

CURRENT_GRANT_AGE = timedelta(days=30)  # granted a month before start: valid for eleven more months
EXPIRED_GRANT_AGE = timedelta(days=400)  # granted 400 days before start: expired 35 days before it


def one_year_after(granted: date) -> date:
    try:
        return granted.replace(year=granted.year + 1)
    except ValueError:  # 29 February
        return granted.replace(year=granted.year + 1, day=28)


@dataclass(frozen=True)
class Permission:
    source: str
    granted: date

    @property
    def expires(self) -> date:
        return one_year_after(self.granted)

    def current(self, now: datetime) -> bool:
        return self.granted <= now.date() < self.expires


@dataclass(frozen=True)
class Client:
    id: str
    token: str
    description: str
    permissions: tuple[Permission, ...]
    emissions_premises: str  # the archetype whose meters GET /emissions reports on

    def permission(self, source_id: str) -> Permission | None:
        return next((p for p in self.permissions if p.source == source_id), None)


def thumbprint(cert: x509.Certificate) -> str:
    """The certificate's SHA-256 thumbprint, base64url without padding (`x5t#S256`, RFC 8705)."""
    return base64.urlsafe_b64encode(cert.fingerprint(hashes.SHA256())).rstrip(b"=").decode()


def _premises(archetype: str) -> list[str]:
    return [s.id for s in SOURCES.values() if s.archetype == archetype]


def default_clients(started: datetime) -> dict[str, Client]:
    current = (started - CURRENT_GRANT_AGE).date()
    expired = (started - EXPIRED_GRANT_AGE).date()
    clients = [
        Client(
            "cap-full",
            "sandbox-token-cap-full",
            "current permission for every data source",
            tuple(Permission(s, current) for s in SOURCES),
            "office",
        ),
        Client(
            "cap-office",
            "sandbox-token-cap-office",
            "current permission for the office's two meters only",
            tuple(Permission(s, current) for s in _premises("office")),
            "office",
        ),
        Client(
            "cap-expired",
            "sandbox-token-cap-expired",
            "a permission for the cafe's meters that has expired",
            tuple(Permission(s, expired) for s in _premises("cafe")),
            "cafe",
        ),
    ]
    return {c.id: c for c in clients}


class Clients:
    """Who a request comes from. Without TLS, the bearer token says; under mutual TLS, the certificate
    says and the token must be the one bound to that certificate (as the scheme binds its access tokens
    to the client certificate's SHA-256 thumbprint, `cnf.x5t#S256`)."""

    def __init__(self, clients: dict[str, Client], bindings: dict[str, str] | None = None):
        self.by_id = clients
        self.by_token = {c.token: c for c in clients.values()}
        self.bindings = bindings or {}  # client id -> thumbprint of the certificate its token is bound to

    def from_bearer(self, authorization: str | None) -> Client:
        if not authorization:
            raise SandboxProblem(
                "missing-credentials",
                "Send `Authorization: Bearer <token>` (the sandbox prints its tokens at start).",
                parameter="Authorization",
            )
        scheme, _, token = authorization.partition(" ")
        client = self.by_token.get(token.strip()) if scheme.lower() == "bearer" else None
        if client is None:
            raise SandboxProblem(
                "invalid-credentials", "The bearer token is not one this sandbox issued.", parameter="Authorization"
            )
        return client

    def from_certificate(self, cert: x509.Certificate | None) -> Client:
        """The TLS handshake has already checked the certificate against the sandbox CA; its subject's one
        common name is the client id (read from the parsed name, never from its string form)."""
        if cert is None:
            raise SandboxProblem(
                "missing-credentials",
                "Present a client certificate issued by the sandbox CA.",
                parameter="client certificate",
            )
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        client = self.by_id.get(str(names[0].value)) if len(names) == 1 else None
        if client is None:
            raise SandboxProblem(
                "invalid-credentials",
                "The certificate's subject does not hold exactly one common name that is a sandbox client.",
                parameter="client certificate",
            )
        return client

    def from_certificate_and_token(self, cert: x509.Certificate | None, authorization: str | None) -> Client:
        client = self.from_certificate(cert)
        holder = self.from_bearer(authorization)
        if holder is not client or cert is None or self.bindings.get(client.id) != thumbprint(cert):
            raise SandboxProblem(
                "invalid-credentials",
                "The bearer token is not bound to the client certificate presented.",
                parameter="Authorization",
            )
        return client

    @staticmethod
    def check(client: Client, source_id: str, now: datetime) -> None:
        """403 unless the client holds a current permission for the source."""
        permission = client.permission(source_id)
        if permission is None:
            raise SandboxProblem(
                "permission-missing",
                f"Client {client.id!r} holds no permission for data source {source_id!r}.",
                parameter="id",
            )
        if not permission.current(now):
            raise SandboxProblem(
                "permission-expired",
                f"Client {client.id!r}'s permission for data source {source_id!r} "
                f"expired on {permission.expires.isoformat()} (one year after its grant on "
                f"{permission.granted.isoformat()}).",
                parameter="id",
            )
