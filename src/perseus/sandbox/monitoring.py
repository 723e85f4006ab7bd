"""What the status page shows: uptime, responses by status code and latency percentiles per
endpoint and status class, compared with the published service level targets (governance/sla.yaml).

The latency a target bounds is that of successful (2xx) answers: a fast 401 or 422 says
nothing about how quickly data is served, and mixed in it would hide slow data."""

from __future__ import annotations

import html
import threading
import time
from collections import Counter, deque
from datetime import UTC, datetime

import numpy as np

from perseus.calculator.instants import z

ENDPOINTS = ("GET /datasources", "GET /datasources/{id}/{measure}", "GET /emissions", "GET /heartbeat")
KEPT_LATENCIES = 10_000  # per endpoint: percentiles describe the most recent requests


ENDPOINT_KEY = "perseus.endpoint"  # set in the request scope by the route that answers (HEAD counts as GET)


def endpoint_of(scope) -> str:
    """`METHOD path` of the route that answered, the path as in the OpenAPI document."""
    name = scope.get(ENDPOINT_KEY)
    return name if scope.get("method") in ("GET", "HEAD") and name in ENDPOINTS else "other"


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class Metrics:
    def __init__(self) -> None:
        self.started_wall = datetime.now(UTC).replace(microsecond=0)
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self.responses: dict[str, Counter] = {}
        self.deliberate: Counter = Counter()
        self.server_errors: Counter = Counter()  # 5xx not asked for by a scenario
        self.latencies: dict[tuple[str, str], deque] = {}

    def record(self, endpoint: str, status: int, seconds: float, deliberate: bool) -> None:
        with self._lock:
            self.responses.setdefault(endpoint, Counter())[str(status)] += 1
            kept = self.latencies.setdefault((endpoint, status_class(status)), deque(maxlen=KEPT_LATENCIES))
            kept.append(seconds * 1000)
            if deliberate:
                self.deliberate[endpoint] += 1
            elif status >= 500:
                self.server_errors[endpoint] += 1

    def snapshot(self, sla) -> dict:
        """The status document (served as /status.json), a ServiceStatus of spec/sla.yaml."""
        from perseus.models import EndpointStatus, ServiceStatus, StatusClassLatency, StatusCount

        targets = {t.endpoint: t for t in sla.targets}
        with self._lock:
            responses = {e: dict(c) for e, c in self.responses.items()}
            latencies = {e: np.array(d) for e, d in self.latencies.items()}
            deliberate, errors = Counter(self.deliberate), Counter(self.server_errors)
        total: Counter[str] = Counter()
        for counts in responses.values():
            total.update(counts)

        def counted(counts) -> list:
            return [StatusCount(status=int(code), count=n) for code, n in sorted(counts.items())]

        endpoints = []
        for name in ENDPOINTS:
            counts = responses.get(name, {})
            requests = sum(counts.values())
            measured = requests - deliberate[name]
            by_class = [
                StatusClassLatency(statusClass=kind, responses=len(lat), latencyMilliseconds=percentiles_of(lat))
                for (endpoint, kind), lat in sorted(latencies.items())
                if endpoint == name and len(lat)
            ]
            percentiles = next((c.latencyMilliseconds for c in by_class if c.statusClass == "2xx"), None)
            availability = round(100 * (measured - errors[name]) / measured, 3) if measured else None
            target = targets.get(name)
            endpoints.append(
                EndpointStatus(
                    endpoint=name,
                    requests=requests,
                    responses=counted(counts),
                    deliberate=deliberate[name],
                    availabilityPercent=availability,
                    latencyMilliseconds=percentiles,
                    latencyByStatusClass=by_class or None,
                    target=target,
                    meetsAvailability=None
                    if availability is None or not target
                    else availability >= target.availabilityPercent,
                    meetsLatency=None
                    if percentiles is None or not target
                    else percentiles.p95 <= target.p95LatencyMilliseconds,
                )
            )
        status = ServiceStatus(
            startedAt=self.started_wall,
            uptimeSeconds=round(time.monotonic() - self.started, 3),
            requests=sum(total.values()),
            responses=counted(total),
            sla=f"{sla.label}@{sla.version}",
            endpoints=endpoints,
        )
        body = status.model_dump(mode="json", exclude_none=True)
        body["startedAt"] = z(status.startedAt.replace(microsecond=0))  # the wire form of UtcTimestamp
        return body


def percentiles_of(latencies: np.ndarray):
    from perseus.models import LatencyPercentiles

    return LatencyPercentiles(**{f"p{q}": round(float(np.percentile(latencies, q)), 3) for q in (50, 95, 99)})


def by_class(endpoint: dict) -> str | None:
    classes = endpoint.get("latencyByStatusClass") or []
    return (
        "; ".join(
            f"{c['statusClass']} ({c['responses']}): "
            + ", ".join(f"{k} {v}" for k, v in c["latencyMilliseconds"].items())
            for c in classes
        )
        or None
    )


def status_html(status: dict) -> str:
    """The status page: a plain table, no scripts and no requests to other hosts."""

    def cell(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return "met" if value else "<strong>missed</strong>"
        if isinstance(value, list):  # StatusCount entries
            return html.escape(", ".join(f"{c['status']}: {c['count']}" for c in value)) or "–"
        if isinstance(value, dict):
            return html.escape(", ".join(f"{k}: {v}" for k, v in value.items())) or "–"
        return html.escape(str(value))

    heads = (
        "endpoint",
        "requests",
        "responses",
        "deliberate",
        "availability %",
        "target %",
        "",
        "2xx latency ms (p50, p95, p99)",
        "p95 target ms",
        "",
        "latency ms by status class",
    )
    rows = []
    for e in status["endpoints"]:
        target = e.get("target") or {}
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{cell(v)}</td>"
                for v in (
                    e["endpoint"],
                    e["requests"],
                    e.get("responses"),
                    e["deliberate"],
                    e.get("availabilityPercent"),
                    target.get("availabilityPercent"),
                    e.get("meetsAvailability"),
                    e.get("latencyMilliseconds"),
                    target.get("p95LatencyMilliseconds"),
                    e.get("meetsLatency"),
                    by_class(e),
                )
            )
            + "</tr>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Perseus sandbox status</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}table{{border-collapse:collapse}}</style>
</head><body>
<h1>Perseus sandbox status</h1>
<p>Up since {cell(status["startedAt"])} ({cell(status["uptimeSeconds"])} s). {cell(status["requests"])} requests;
responses by status: {cell(status.get("responses"))}. Targets: {cell(status["sla"])}.
Availability leaves out deliberate scenario responses; the latency compared with the target is that of successful (2xx) answers. The same figures as JSON: <a href="status.json">status.json</a>.</p>
<table><thead><tr>{"".join(f"<th>{h}</th>" for h in heads)}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</body></html>
"""


class MetricsMiddleware:
    """ASGI middleware timing every request from its arrival to the last byte sent."""

    def __init__(self, app, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = {"code": 500}

        async def timed_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            deliberate = bool(scope.get("state", {}).get("deliberate"))
            self.metrics.record(endpoint_of(scope), status["code"], time.perf_counter() - began, deliberate)
