"""The sandbox: a reference server for the consumption-data, emissions-data and heartbeat APIs.

It serves the published OpenAPI documents (the newest release of each API) from
deterministic synthetic meters, with bearer-token or mutual-TLS clients holding
permissions that expire, deliberate error states on demand (`X-Perseus-Scenario`),
machine-readable errors (RFC 9457 problem+json, HTTPValidationError for 422),
request bounds, a rate limit per client and a status page measured against the
published service level targets.

    from perseus.sandbox import SandboxConfig, create_app
    app = create_app(SandboxConfig())
"""

from perseus.sandbox.config import SandboxConfig

__all__ = ["SandboxConfig", "create_app"]


def __getattr__(name: str):
    # FastAPI is imported only when an app is built, so the submodules stay cheap to import.
    if name == "create_app":
        from perseus.sandbox.app import create_app

        return create_app
    raise AttributeError(name)
