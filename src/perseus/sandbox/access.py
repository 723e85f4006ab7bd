"""Clients, their credentials and their permissions, which expire one year after grant.

The default clients are fixed so that documentation and tests can name them; grant dates
are counted back from the moment the sandbox starts, so the current permissions are always
current and the expired one always expired, whatever the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


def _premises(archetype: str) -> list[str]:
    return [s.id for s in SOURCES.values() if s.archetype == archetype]


def default_clients(started: datetime) -> dict[str, Client]:
    current = (started - CURRENT_GRANT_AGE).date()
    expired = (started - EXPIRED_GRANT_AGE).date()
    clients = [
        Client("cap-full", "sandbox-token-cap-full", "current permission for every data source",
               tuple(Permission(s, current) for s in SOURCES), "office"),
        Client("cap-office", "sandbox-token-cap-office", "current permission for the office's two meters only",
               tuple(Permission(s, current) for s in _premises("office")), "office"),
        Client("cap-expired", "sandbox-token-cap-expired", "a permission for the cafe's meters that has expired",
               tuple(Permission(s, expired) for s in _premises("cafe")), "cafe"),
    ]
    return {c.id: c for c in clients}


class Clients:
    def __init__(self, clients: dict[str, Client]):
        self.by_id = clients
        self.by_token = {c.token: c for c in clients.values()}

    def from_bearer(self, authorization: str | None) -> Client:
        if not authorization:
            raise SandboxProblem("missing-credentials", "Send `Authorization: Bearer <token>` (the sandbox prints its tokens at start).",
                                 parameter="Authorization")
        scheme, _, token = authorization.partition(" ")
        client = self.by_token.get(token.strip()) if scheme.lower() == "bearer" else None
        if client is None:
            raise SandboxProblem("invalid-credentials", "The bearer token is not one this sandbox issued.", parameter="Authorization")
        return client

    def from_certificate(self, subject: str | None) -> Client:
        """The TLS handshake has already checked the certificate against the sandbox CA;
        its subject's common name is the client id."""
        if not subject:
            raise SandboxProblem("missing-credentials", "Present a client certificate issued by the sandbox CA.",
                                 parameter="client certificate")
        names = dict(part.split("=", 1) for part in subject.split(",") if "=" in part)
        client = self.by_id.get(names.get("CN", ""))
        if client is None:
            raise SandboxProblem("invalid-credentials", "The certificate's common name is not a sandbox client.",
                                 parameter="client certificate")
        return client

    @staticmethod
    def check(client: Client, source_id: str, now: datetime) -> None:
        """403 unless the client holds a current permission for the source."""
        permission = client.permission(source_id)
        if permission is None:
            raise SandboxProblem("permission-missing", f"Client {client.id!r} holds no permission for data source {source_id!r}.",
                                 parameter="id")
        if not permission.current(now):
            raise SandboxProblem("permission-expired", f"Client {client.id!r}'s permission for data source {source_id!r} "
                                 f"expired on {permission.expires.isoformat()} (one year after its grant on "
                                 f"{permission.granted.isoformat()}).", parameter="id")
