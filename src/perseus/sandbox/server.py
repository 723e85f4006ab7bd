"""Run the sandbox under uvicorn: plain HTTP with bearer tokens, or mutual TLS with the sandbox CA."""

from __future__ import annotations

import ssl
import sys
import threading
from datetime import UTC

import uvicorn

from perseus.sandbox.access import default_clients
from perseus.sandbox.config import SandboxConfig


def uvicorn_config(config: SandboxConfig, app=None, **extra) -> uvicorn.Config:
    """uvicorn with the sandbox's connection guards (perseus.sandbox.protocol) around `app`
    (the sandbox's by default; the benchmark passes a bare one to compare on the same stack)."""
    from perseus.sandbox.app import create_app
    from perseus.sandbox.protocol import ConnectionSettings, protocol_class

    app = app or create_app(config)
    settings = ConnectionSettings(
        config.header_timeout, config.max_connections, config.max_head_bytes, config.retry_after, config.docs_url
    )
    options: dict = dict(
        host=config.host,
        port=config.port,
        log_level="warning",
        access_log=False,
        h11_max_incomplete_event_size=config.max_head_bytes,
        timeout_keep_alive=config.idle_timeout,
        http=protocol_class(settings),
        **extra,
    )
    if config.tls:
        from perseus.sandbox.tls import ensure_tls_files

        files = ensure_tls_files(config.tls_dir, list(default_clients(config.started)))
        options.update(
            ssl_certfile=str(files.server_cert),
            ssl_keyfile=str(files.server_key),
            ssl_ca_certs=str(files.ca_cert),
            ssl_cert_reqs=ssl.CERT_REQUIRED,
        )
    return uvicorn.Config(app, **options)


def banner(config: SandboxConfig, port: int, trust_anchor) -> str:
    scheme = "https" if config.tls else "http"
    mode = "strict: only what the published documents allow" if config.strict else "as the deployed EDP takes requests"
    lines = [f"Perseus sandbox on {scheme}://{config.host}:{port}  ({mode}; OpenAPI: /openapi.json, status: /status)"]
    for client in default_clients(config.started).values():
        credential = f"Authorization: Bearer {client.token}"
        if config.tls:
            credential = f"certificate {config.tls_dir / 'clients' / (client.id + '.pem')} with {credential}"
        lines.append(f"  {client.id:<12} {credential}  ({client.description})")
    if config.tls:
        lines.append(
            f"  CA: {config.tls_dir / 'ca.pem'} (clients must present a certificate it issued, "
            "and the token bound to it)"
        )
    lines.append(f"trust anchor: {trust_anchor}")
    lines.append("  (the CA of the signed provenance records, also served at /trust-anchor.pem)")
    lines.append("Scenarios: header X-Perseus-Scenario or data source id scenario-<name>; see docs/sandbox.md")
    return "\n".join(lines)


def warm() -> None:
    """Synthesise every meter in the background, so that first requests are as fast as later ones."""
    from datetime import datetime

    from perseus.sandbox.catalogue import CATALOGUE, SOURCES

    def run():
        for source in SOURCES.values():
            CATALOGUE.series(source, datetime.now(UTC))

    threading.Thread(target=run, name="sandbox-warm", daemon=True).start()


def serve(config: SandboxConfig) -> int:
    import socket

    from perseus.sandbox.app import create_app

    app = create_app(config)
    server = uvicorn.Server(uvicorn_config(config, app))
    # Bind here rather than in uvicorn, so that the banner names the real port (also for --port 0).
    # IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets made with it (the protocol sets it as well).
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as exc:
        print(f"error: cannot listen on {config.host}:{config.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    warm()
    print(banner(config, sock.getsockname()[1], app.state.signers.anchor_path), file=sys.stderr, flush=True)
    server.run(sockets=[sock])
    return 0


class RunningSandbox:
    """A sandbox served by uvicorn in a background thread (tests, benchmark, documentation checks).

    with RunningSandbox(SandboxConfig(port=0)) as sandbox:
        urlopen(sandbox.url + "/heartbeat")
    """

    def __init__(self, config: SandboxConfig, app=None):
        self.config = config
        self.server = uvicorn.Server(uvicorn_config(config, app))
        self.thread = threading.Thread(target=self.server.run, name="sandbox", daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"{'https' if self.config.tls else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self) -> RunningSandbox:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
