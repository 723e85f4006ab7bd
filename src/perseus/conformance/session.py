"""GET-only HTTP for the suite: every request counted against --max-requests and the run's deadline,
and every exchange kept, so that a verdict can show the request and the answer that decided it."""

from __future__ import annotations

import json
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

USER_AGENT = "perseus-conformance"
MAX_BODY = 64 * 1024 * 1024  # a meter-year is about 3 MB; anything far larger is refused, not read
REQUEST_TIMEOUT = 30.0  # seconds, at most, for one request

# Which credentials a request carries (the suite sends some without, on purpose).
FULL, NO_TOKEN, NONE, UNKNOWN_TOKEN = "full", "no-token", "none", "unknown-token"
UNISSUED_TOKEN = "perseus-conformance-token-no-server-issued"


class LimitReached(Exception):
    """--max-requests or --timeout reached: the case that needed the request is not run."""


class UnusableCredentials(ValueError):
    """A certificate, key or CA file that cannot be used (exit 2)."""


@dataclass(frozen=True)
class Credentials:
    token: str | None = None
    cert: Path | None = None
    key: Path | None = None
    server_ca: Path | None = None  # the CA of the server's TLS certificate; the system's store when absent

    def describe(self, which: str) -> str:
        parts = []
        if self.cert and which != NONE:
            parts.append("client certificate")
        if self.token and which == FULL:
            parts.append("bearer token")
        if which == UNKNOWN_TOKEN:
            parts.append("a bearer token no server issued")
        return " + ".join(parts) or "no credentials"


@dataclass
class Exchange:
    number: int
    purpose: str  # what the suite asked for, in words
    template: str  # the path template of the operation, e.g. /datasources/{id}/{measure}
    url: str
    credentials: str
    sent_headers: dict[str, str]
    allowed: bool  # a request the specification allows (API-04 counts only these)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    error: str | None = None  # no answer: why
    seconds: float = 0.0
    sent_at: float = 0.0  # time.time() when sent
    _json: object = field(default=None, repr=False)
    _parsed: bool = field(default=False, repr=False)

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self):
        """The body as JSON, or None when it is not JSON."""
        if not self._parsed:
            self._parsed = True
            try:
                self._json = json.loads(self.body) if self.body else None
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    def request_line(self) -> str:
        extra = "".join(f", {k}: {v}" for k, v in self.sent_headers.items())
        return f"GET {self.url} ({self.credentials}{extra})"

    def answer_line(self) -> str:
        if self.status is None:
            return f"no answer: {self.error}"
        return f"{self.status} {self.headers.get('content-type', '(no Content-Type)')}, {len(self.body):,} bytes"


def segment(value: str) -> str:
    """One path segment with every reserved character escaped (`/` as %2F, `+` as %2B)."""
    return quote(value, safe="")


class Session:
    def __init__(self, base_url: str, credentials: Credentials, *, max_requests: int, timeout: float, transport=None):
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.max_requests = max_requests
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.exchanges: list[Exchange] = []
        self._transport = transport
        self._clients: dict[bool, httpx.Client] = {}
        self._contexts = {with_cert: self._context(with_cert) for with_cert in {False, bool(credentials.cert)}}

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https:")

    def _context(self, with_cert: bool) -> ssl.SSLContext | None:
        if not self.https:
            return None
        c = self.credentials
        try:
            context = ssl.create_default_context(cafile=str(c.server_ca) if c.server_ca else None)
            if with_cert:
                context.load_cert_chain(str(c.cert), str(c.key))
        except (OSError, ssl.SSLError, ValueError) as exc:
            files = ", ".join(
                str(p) for p in (c.server_ca, c.cert if with_cert else None, c.key if with_cert else None) if p
            )
            raise UnusableCredentials(f"{files}: cannot be used for TLS ({exc})") from exc
        return context

    def _client(self, with_cert: bool) -> httpx.Client:
        if with_cert not in self._clients:
            options = (
                {"transport": self._transport} if self._transport else {"verify": self._contexts[with_cert] or True}
            )
            self._clients[with_cert] = httpx.Client(
                headers={"User-Agent": USER_AGENT}, follow_redirects=False, **options
            )
        return self._clients[with_cert]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def get(
        self,
        template: str,
        path: str,
        params: dict | None = None,
        *,
        purpose: str,
        which: str = FULL,
        headers: dict[str, str] | None = None,
        allowed: bool = True,
    ) -> Exchange:
        """GET base_url + path (already escaped) with the credentials `which` names. Never raises for the
        server's behaviour (an error is kept on the exchange); raises LimitReached at the limits."""
        if len(self.exchanges) >= self.max_requests:
            raise LimitReached(f"--max-requests {self.max_requests} reached")
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise LimitReached("--timeout reached")
        sent = dict(headers or {})
        wire = dict(sent)
        if which == FULL and self.credentials.token:
            wire["Authorization"] = f"Bearer {self.credentials.token}"
        elif which == UNKNOWN_TOKEN:
            wire["Authorization"] = f"Bearer {UNISSUED_TOKEN}"
        with_cert = bool(self.credentials.cert) and which != NONE
        url = str(httpx.URL(self.base_url + path, params=params or {}))
        exchange = Exchange(
            len(self.exchanges) + 1, purpose, template, url, self.credentials.describe(which), sent, allowed
        )
        self.exchanges.append(exchange)
        exchange.sent_at = time.time()
        begun = time.monotonic()
        try:
            with self._client(with_cert).stream(
                "GET", url, headers=wire, timeout=min(REQUEST_TIMEOUT, remaining)
            ) as answer:
                exchange.status = answer.status_code
                exchange.headers = {k.lower(): v for k, v in answer.headers.items()}
                chunks, size = [], 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BODY:
                        raise httpx.DecodingError(f"the body is larger than {MAX_BODY:,} bytes")
                    chunks.append(chunk)
                exchange.body = b"".join(chunks)
        except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
            exchange.status = None
            exchange.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        exchange.seconds = time.monotonic() - begun
        return exchange
