"""Benchmark: the sandbox serving a meter-year of half-hourly readings over loopback.

Starts `perseus sandbox` (uvicorn, plain HTTP with a bearer token) on 127.0.0.1, warms the
meter, then sends GET /datasources/{id}/import for one year (17,520 readings) from a few
client threads, each on its own keep-alive connection, until REQUESTS responses or SECONDS
have passed. Prints requests per second, MB/s and the p50/p99 latency seen by the clients,
and the server's own p95 from /status.json. Bounded: a benchmark, not a test.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time

import numpy as np

from perseus.sandbox import SandboxConfig
from perseus.sandbox.server import RunningSandbox

REQUESTS = 200
SECONDS = 30.0
CLIENTS = 2  # the machine has two cores; more threads only queue
SOURCE = "synthetic-office-001-electricity"
PATH = f"/datasources/{SOURCE}/import?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"
TOKEN = {"Authorization": "Bearer sandbox-token-cap-full"}


def client(port: int, budget: list, deadline: float, latencies: list, sizes: list, lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        started = time.perf_counter()
        connection.request("GET", PATH, headers=TOKEN)
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"unexpected {response.status}: {body[:200]!r}")
        with lock:
            latencies.append(elapsed)
            sizes.append(len(body))
    connection.close()


def main() -> int:
    config = SandboxConfig(port=0, rate_limit=1_000_000)
    with RunningSandbox(config) as sandbox:
        warm = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=60)
        warm.request("GET", PATH, headers=TOKEN)
        first = warm.getresponse()
        readings = len(json.loads(first.read())["data"])
        warm.close()
        latencies: list[float] = []
        sizes: list[int] = []
        budget, lock = [REQUESTS], threading.Lock()
        began = time.perf_counter()
        threads = [threading.Thread(target=client, args=(sandbox.port, budget, began + SECONDS, latencies, sizes, lock))
                   for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        status = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
        status.request("GET", "/status.json")
        server = json.loads(status.getresponse().read())
        status.close()
    ms = np.array(latencies) * 1000
    (meter,) = [e for e in server["endpoints"] if e["endpoint"] == "GET /datasources/{id}/{measure}"]
    print(f"sandbox: GET {PATH.split('?')[0]} for one year ({readings:,} half-hourly readings, "
          f"{np.mean(sizes) / 1e6:.2f} MB per response), {len(latencies)} requests from {CLIENTS} clients "
          f"over loopback in {wall:.2f} s")
    print(f"  {len(latencies) / wall:.1f} requests/s, {sum(sizes) / wall / 1e6:.1f} MB/s")
    print(f"  client latency p50 {np.percentile(ms, 50):.1f} ms, p99 {np.percentile(ms, 99):.1f} ms")
    print(f"  server-measured p95 {meter['latencyMilliseconds']['p95']:.1f} ms "
          f"(target {meter['target']['p95LatencyMilliseconds']:g} ms, {server['sla']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
