"""Benchmark: the `perseus sandbox` command beside a bare FastAPI application on the same server stack.

Starts the real command (`perseus sandbox`, plain HTTP, bearer token) and, in another process,
a bare FastAPI application served by the same uvicorn configuration and connection protocol
(`perseus.sandbox.server.uvicorn_config`), whose routes return fixed bytes of the same sizes:
a heartbeat, one day of half-hourly readings and a meter-year. Then, for each answer and for
1, 8 and 32 keep-alive connections (one client thread each), sends a bounded number of
requests to both, in alternating rounds, and prints the client-side p50 and p99 latency side by side, with the ratio
of the p50s. Figures go to .bench/results.json under "sandbox" (--record: benchmarks/results.json).

Bounded: at most REQUESTS[answer] requests per run and SECONDS each; loopback only.

    python benchmarks/bench_sandbox.py [--record]
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

TOKEN = {"Authorization": "Bearer sandbox-token-cap-full"}
SOURCE = "synthetic-office-001-electricity"
ANSWERS = {  # name -> the sandbox's path
    "heartbeat": "/heartbeat",
    "one day": f"/datasources/{SOURCE}/import?from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z",
    "meter-year": f"/datasources/{SOURCE}/import?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
}
BARE_PATHS = {"heartbeat": "/heartbeat", "one day": "/day", "meter-year": "/year"}
REQUESTS = {"heartbeat": 2000, "one day": 1000, "meter-year": 96}
CONNECTIONS = (1, 8, 32)
ROUNDS = 4
SECONDS = 20.0
SMALL = ("heartbeat", "one day")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, path: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers=TOKEN)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not answer within {seconds:g} s")


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers=TOKEN)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
    return body


def load(port: int, path: str, connections: int, requests: int) -> np.ndarray:
    """Client latencies (ms) of `requests` GETs of `path` spread over `connections` keep-alive connections."""
    budget, lock, latencies = [requests], threading.Lock(), []
    deadline = time.perf_counter() + SECONDS

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            started = time.perf_counter()
            connection.request("GET", path, headers=TOKEN)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                raise SystemExit(f"GET {path}: unexpected {response.status}")
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return np.array(latencies) * 1000


def bare_server(port: int, folder: Path) -> int:
    """The bare application: FastAPI routes returning fixed bytes, on the sandbox's server stack."""
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse, Response

    from perseus.sandbox import SandboxConfig
    from perseus.sandbox.server import uvicorn_config

    day, year = (folder / "day.json").read_bytes(), (folder / "year.json").read_bytes()
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/heartbeat")
    async def heartbeat():
        return JSONResponse({"status": "ok", "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})

    @app.get("/day")
    def one_day():
        return Response(day, media_type="application/json")

    @app.get("/year")
    def meter_year():
        return Response(year, media_type="application/json")

    uvicorn.Server(uvicorn_config(SandboxConfig(port=port), app)).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    from results import add_record_option, record

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_record_option(parser)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="perseus-bench-sandbox-"))
    port, bare_port = free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "perseus.cli",
        "sandbox",
        "--port",
        str(port),
        "--rate-limit",
        "1000000000",
        "--keys-dir",
        str(folder / "keys"),
    ]
    sandbox = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    bare = None
    try:
        wait_until_up(port, "/heartbeat", sandbox)
        (folder / "day.json").write_bytes(fetch(port, ANSWERS["one day"]))
        (folder / "year.json").write_bytes(fetch(port, ANSWERS["meter-year"]))
        bare = subprocess.Popen(
            [sys.executable, __file__, "--bare-server", str(bare_port), str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ},
        )
        wait_until_up(bare_port, "/heartbeat", bare)
        sizes = {name: len(fetch(port, path)) for name, path in ANSWERS.items()}
        rows = []
        print(
            f"perseus sandbox (the command, pid {sandbox.pid}) beside a bare FastAPI app on the same uvicorn "
            f"stack, loopback, client latency in ms"
        )
        print(
            f"{'answer':<11} {'bytes':>10} {'conns':>5}  {'sandbox p50':>11} {'p99':>8}  {'bare p50':>9} {'p99':>8}  {'p50 ratio':>9}"
        )
        for name, path in ANSWERS.items():
            for connections in CONNECTIONS:
                for target, url in ((port, path), (bare_port, BARE_PATHS[name])):
                    load(target, url, connections, max(connections * 4, REQUESTS[name] // 10))  # warm both alike
                # Alternating rounds, so that a change in the machine's load falls on both alike.
                ours, theirs = [], []
                for _ in range(ROUNDS):
                    ours.append(load(port, path, connections, REQUESTS[name] // ROUNDS))
                    theirs.append(load(bare_port, BARE_PATHS[name], connections, REQUESTS[name] // ROUNDS))
                ours, theirs = np.concatenate(ours), np.concatenate(theirs)
                row = {
                    "answer": name,
                    "bytes": sizes[name],
                    "connections": connections,
                    "requests": len(ours),
                    "sandbox": {
                        "p50": round(float(np.percentile(ours, 50)), 3),
                        "p99": round(float(np.percentile(ours, 99)), 3),
                    },
                    "bare": {
                        "p50": round(float(np.percentile(theirs, 50)), 3),
                        "p99": round(float(np.percentile(theirs, 99)), 3),
                    },
                }
                row["p50_ratio"] = round(row["sandbox"]["p50"] / row["bare"]["p50"], 2)
                rows.append(row)
                print(
                    f"{name:<11} {sizes[name]:>10,} {connections:>5}  {row['sandbox']['p50']:>11.2f} {row['sandbox']['p99']:>8.2f}  "
                    f"{row['bare']['p50']:>9.2f} {row['bare']['p99']:>8.2f}  {row['p50_ratio']:>8.2f}×"
                )
    finally:
        for process in (sandbox, bare):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
    worst = max(r["p50_ratio"] for r in rows if r["answer"] in SMALL)
    print(f"small answers (heartbeat, one day): worst p50 ratio {worst:.2f}× (bound 2×)")
    print(
        f"figures written to {record('sandbox', {'rows': rows, 'worst_small_p50_ratio': worst}, tracked=args.record)}"
    )
    return 0 if worst <= 2 else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare-server"]:
        sys.exit(bare_server(int(sys.argv[2]), Path(sys.argv[3])))
    sys.exit(main())
