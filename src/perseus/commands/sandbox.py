"""`perseus sandbox`: a reference server for consumption-data, emissions-data and heartbeat (see docs/sandbox.md)."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sandbox", help="run the sandbox API server on synthetic meters",
        description="Serve GET /datasources, /datasources/{id}/{measure}, /emissions and /heartbeat as published, "
                    "from deterministic synthetic meters, with deliberate error states on demand. "
                    "No configuration and no network needed; the accepted credentials are printed at start.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    parser.add_argument("--tls", action="store_true",
                        help="mutual TLS: clients present a certificate from the sandbox CA (created when missing)")
    parser.add_argument("--tls-dir", type=Path, default=Path(".perseus-sandbox-tls"), metavar="DIR",
                        help="where the sandbox CA, server and client certificates live (default .perseus-sandbox-tls)")
    parser.add_argument("--rate-limit", type=int, default=1200, metavar="N",
                        help="requests per client per window before 429 (default 1200)")
    parser.add_argument("--rate-window", type=float, default=60.0, metavar="SECONDS", help="rate-limit window (default 60)")
    parser.set_defaults(func=run)


def run(args) -> int:
    import sys

    from perseus.sandbox.config import SandboxConfig
    from perseus.sandbox.server import serve

    if not 0 <= args.port <= 65535:
        print(f"error: --port {args.port} is not a TCP port (0-65535)", file=sys.stderr)
        return 2
    if args.rate_limit < 1 or args.rate_window <= 0:
        print("error: --rate-limit must be at least 1 and --rate-window positive", file=sys.stderr)
        return 2
    config = SandboxConfig(host=args.host, port=args.port, tls=args.tls, tls_dir=args.tls_dir,
                           rate_limit=args.rate_limit, rate_window=args.rate_window)
    return serve(config)
