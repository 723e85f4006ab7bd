"""The sandbox's HTTP/1.1 connection handling: uvicorn's h11 protocol with the guards a public server needs.

uvicorn (0.54) leaves these to a proxy in front of it; the sandbox has none, so each
connection here:

- sets TCP_NODELAY, so that small answers are not held back by Nagle's algorithm waiting
  for the client's delayed ACK (about 40 ms per answer on Linux);
- must deliver a complete request head within `header_timeout` seconds of its first byte,
  and a connection that sends nothing is closed after the same time (uvicorn's keep-alive
  timer runs only between requests, and any byte stops it), so slow-header connections
  cannot pile up;
- counts against a cap on open connections: over it, every request is answered 503
  `unavailable` with Retry-After and the connection is closed;
- answers a request head larger than h11's buffer (`max_head_bytes`) with 414 or 431
  problem+json instead of uvicorn's 400 text/plain;
- under TLS, puts the verified client certificate into the request scope as the ASGI TLS
  extension (`scope["extensions"]["tls"]`), which uvicorn does not do.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import h11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from uvicorn.protocols.http.h11_impl import H11Protocol

from perseus.sandbox.problems import PROBLEM_JSON, problem_body


class ConnectionSettings:
    """What `SandboxProtocol` needs from the sandbox's configuration (one object per server)."""

    def __init__(
        self, header_timeout: float, max_connections: int, max_head_bytes: int, retry_after: int, docs_url: str
    ):
        self.header_timeout, self.max_connections, self.max_head_bytes = header_timeout, max_connections, max_head_bytes
        self.retry_after, self.docs_url = retry_after, docs_url


def problem_bytes(status_line: bytes, body: dict, extra: tuple[tuple[bytes, bytes], ...] = ()) -> bytes:
    data = json.dumps(body).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(data)).encode()),
        (b"connection", b"close"),
        *extra,
    ]
    return status_line + b"".join(k + b": " + v + b"\r\n" for k, v in headers) + b"\r\n" + data


class _Busy:
    """The application for a connection over the cap: 503 for each request, then close."""

    def __init__(self, settings: ConnectionSettings):
        self.body = json.dumps(
            problem_body(
                "unavailable",
                f"The sandbox holds its maximum of {settings.max_connections} connections; "
                f"ask again in {settings.retry_after} seconds.",
                settings.docs_url,
            )
        ).encode()
        self.retry_after = str(settings.retry_after).encode()

    async def __call__(self, scope, receive, send):
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(self.body)).encode()),
                    (b"retry-after", self.retry_after),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": self.body})


class _WithTlsExtension:
    """Wraps the app for one connection, adding that connection's TLS details to each scope."""

    def __init__(self, app, tls: dict):
        self.app, self.tls = app, tls

    async def __call__(self, scope, receive, send):
        scope.setdefault("extensions", {})["tls"] = self.tls
        await self.app(scope, receive, send)


def tls_extension(ssl_object) -> dict:
    """The ASGI TLS extension of a connection; `client_cert` (sandbox-specific) is the parsed leaf."""
    tls: dict[str, Any] = {
        "client_cert_chain": [],
        "client_cert_name": None,
        "client_cert_error": None,
        "client_cert": None,
        "tls_version": None,
        "cipher_suite": None,
    }
    der = ssl_object.getpeercert(binary_form=True)
    if der:
        cert = x509.load_der_x509_certificate(der)
        tls["client_cert"] = cert
        tls["client_cert_chain"] = [cert.public_bytes(serialization.Encoding.PEM).decode()]
        tls["client_cert_name"] = (
            cert.subject.rfc4514_string()
        )  # for display only: identity is read from the parsed name
    return tls


class SandboxProtocol(H11Protocol):
    settings: ConnectionSettings  # set on the subclass `protocol_class` makes

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_concurrency = None  # the cap is applied per connection below, with a problem+json answer
        self._header_timer: asyncio.TimerHandle | None = None
        self._head = bytearray()  # the start of the request head being received, to tell 414 from 431
        self._protocol_error: h11.RemoteProtocolError | None = None
        next_event = self.conn.next_event

        def watched_next_event():
            try:
                return next_event()
            except h11.RemoteProtocolError as exc:
                self._protocol_error = exc
                raise

        self.conn.next_event = watched_next_event  # type: ignore[method-assign]  # this connection only: keeps the error uvicorn swallows

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if len(self.connections) > self.settings.max_connections:
            self.app = _Busy(self.settings)
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None:
            self.app = _WithTlsExtension(self.app, tls_extension(ssl_object))
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        waiting = self.conn.their_state is h11.IDLE
        if waiting and len(self._head) <= self.settings.max_head_bytes:
            self._head += data[: self.settings.max_head_bytes + 1 - len(self._head)]
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            if self._header_timer is None and not self.transport.is_closing():
                self._arm_header_timer()  # the first bytes of a head: it has header_timeout to complete
        else:
            self._disarm_header_timer()
            self._head.clear()

    def on_response_complete(self) -> None:
        self._head.clear()
        super().on_response_complete()  # arms uvicorn's keep-alive (idle) timer

    def connection_lost(self, exc) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(self.settings.header_timeout, self._header_timed_out)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timed_out(self) -> None:
        self._header_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete
        if not busy and self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """uvicorn calls this for any request h11 cannot parse; an oversized head gets its own status."""
        error, limit = self._protocol_error, self.settings.max_head_bytes
        if error is None or error.error_status_hint != 431 or len(self._head) <= limit:
            super().send_400_response(msg)
            return
        if b"\r\n" in self._head[:limit]:
            code, what = "headers-too-large", "headers"
        else:
            code, what = "uri-too-long", "request line"
        body = problem_body(
            code, f"The request's {what} exceed the {limit // 1024} KiB this server reads.", self.settings.docs_url
        )
        status = body["status"]
        self.transport.write(problem_bytes(f"HTTP/1.1 {status} {body['title']}\r\n".encode(), body))
        self.transport.close()


def protocol_class(settings: ConnectionSettings) -> type[SandboxProtocol]:
    """A protocol class bound to one server's settings (uvicorn takes a class, `http=`)."""
    return type("SandboxProtocol", (SandboxProtocol,), {"settings": settings})
