"""The sandbox's settings; every default works offline with no configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from perseus.publication import page_url, site_url

# The synthetic meters were commissioned on this date; each half-hour's reading is served once it is
# collected (01:00 UTC the next day), so the data moves with the clock and never reaches the future.
DATA_START = datetime(2020, 1, 1, tzinfo=UTC)
MAX_MONTHS = 13  # the longest period one request may ask for
# The documentation site; each problem's `type` is its sandbox page's anchor of the code (docs/sandbox.md).
DOCS_SITE = site_url()  # one setting for the site and the sandbox (perseus.publication, PERSEUS_SITE_URL)
DOCS_URL = page_url("sandbox/")


@dataclass(frozen=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    tls: bool = False
    tls_dir: Path = Path(".perseus-sandbox-tls")  # the sandbox CA, server and client certificates
    keys_dir: Path | None = None  # the signing CA, EDP and CAP certificates; None: a temporary folder per process
    strict: bool = False  # refuse what the published documents do not allow (date-only periods, trailing slashes...)
    rate_limit: int = 1200  # requests per client per window; generous, so ordinary tests never trip it
    rate_window: float = 60.0  # seconds
    max_url_bytes: int = 2048  # longer request targets answer 414
    max_header_bytes: int = 8192  # larger header blocks answer 431
    max_head_bytes: int = 32 * 1024  # a request head beyond this is not read at all (414 or 431 from the protocol)
    header_timeout: float = 10.0  # seconds for a request head to arrive, from its first byte or the connection's start
    idle_timeout: float = 5.0  # seconds a kept-alive connection may sit idle between requests
    max_connections: int = 1000  # open connections; over it requests answer 503 with Retry-After
    failed_login_delay: float = 0.1  # seconds before a 401 for bad credentials; doubles per failure from an address
    max_failed_login_delay: float = 3.0
    max_calculations: int = 2  # emissions calculations at once; over it, 202 DataNotReady with Retry-After
    retry_after: int = 5  # seconds, in Retry-After of 202, 429 (scenario) and 503
    docs_url: str = DOCS_URL
    started: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
