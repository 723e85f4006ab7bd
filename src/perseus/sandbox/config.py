"""The sandbox's settings; every default works offline with no configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

SPAN_START = datetime(2024, 1, 1, tzinfo=timezone.utc)  # the synthetic meters' data covers [start, end)
SPAN_END = datetime(2026, 1, 1, tzinfo=timezone.utc)
MAX_MONTHS = 13  # the longest period one request may ask for
DOCS_URL = "https://perseus.example.org/sandbox/"  # where the error codes are documented (docs/sandbox.md)


@dataclass(frozen=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    tls: bool = False
    tls_dir: Path = Path(".perseus-sandbox-tls")  # the sandbox CA, server and client certificates
    rate_limit: int = 1200  # requests per client per window; generous, so ordinary tests never trip it
    rate_window: float = 60.0  # seconds
    max_url_bytes: int = 2048  # longer request targets answer 414
    max_header_bytes: int = 8192  # larger header blocks answer 431
    retry_after: int = 5  # seconds, in Retry-After of 202, 429 (scenario) and 503
    docs_url: str = DOCS_URL
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0))
