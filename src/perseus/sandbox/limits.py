"""Request bounds: request size (414, 431) as ASGI middleware, and a sliding-window rate limit per client."""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque

from perseus.sandbox.problems import PROBLEM_JSON, SandboxProblem, instance_of, problem_body


class RateLimiter:
    """At most `limit` requests per `window` seconds per client key (sliding window of timestamps)."""

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        now = self.clock()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                wait = max(1, math.ceil(seen[0] + self.window - now))
                raise SandboxProblem(
                    "rate-limited",
                    f"This client may send {self.limit} requests in {self.window:g} seconds; "
                    f"ask again in {wait} seconds.",
                    retry_after=wait,
                )
            seen.append(now)


class LoginThrottle:
    """Slows repeated failed logins: the n-th consecutive failure from one address waits
    base * 2**(n-1) seconds (at most `ceiling`) before its 401; a good login resets the count."""

    def __init__(self, base: float, ceiling: float, kept: int = 10_000):
        self.base, self.ceiling, self.kept = base, ceiling, kept
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()

    def failed(self, address: str) -> float:
        with self._lock:
            if len(self._failures) >= self.kept and address not in self._failures:
                self._failures.pop(next(iter(self._failures)))  # bounded memory: forget the oldest address
            count = self._failures[address] = self._failures.get(address, 0) + 1
        return 0.0 if self.base <= 0 else min(self.ceiling, self.base * 2 ** (count - 1))

    def succeeded(self, address: str) -> None:
        if address in self._failures:
            with self._lock:
                self._failures.pop(address, None)


class SizeLimits:
    """ASGI middleware: refuse over-long request targets (414) and header blocks (431) before routing."""

    def __init__(self, app, max_url_bytes: int, max_header_bytes: int, docs_url: str):
        self.app, self.max_url, self.max_headers, self.docs_url = app, max_url_bytes, max_header_bytes, docs_url

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
            headers = sum(len(k) + len(v) + 4 for k, v in scope.get("headers", []))
            refusal = None
            if target > self.max_url:
                refusal = ("uri-too-long", f"The request target is {target} bytes; the limit is {self.max_url}.", None)
            elif headers > self.max_headers:
                refusal = (
                    "headers-too-large",
                    f"The headers take {headers} bytes; the limit is {self.max_headers}.",
                    None,
                )
            if refusal:
                body = problem_body(*refusal[:2], self.docs_url, instance=instance_of(scope))
                await _send_json(send, body["status"], body)
                return
        await self.app(scope, receive, send)


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})
