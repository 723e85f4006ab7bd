"""`perseus sandbox`: a reference server for consumption-data, emissions-data and heartbeat (see docs/sandbox.md)."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    from perseus.sandbox.config import SandboxConfig  # a dataclass: cheap to import

    defaults = SandboxConfig()
    parser = subparsers.add_parser(
        "sandbox",
        help="run the sandbox API server on synthetic meters",
        description="Serve GET /datasources, /datasources/{id}/{measure}, /emissions and /heartbeat as published, "
        "from deterministic synthetic meters, with deliberate error states on demand. "
        "No configuration and no network needed; the accepted credentials are printed at start.",
    )
    parser.add_argument("--host", default=defaults.host, help=f"address to listen on (default {defaults.host})")
    parser.add_argument("--port", type=int, default=defaults.port, help=f"port to listen on (default {defaults.port})")
    parser.add_argument(
        "--tls",
        action="store_true",
        help="mutual TLS: clients present a certificate from the sandbox CA (created when missing)",
    )
    parser.add_argument(
        "--tls-dir",
        type=Path,
        default=defaults.tls_dir,
        metavar="DIR",
        help=f"where the sandbox CA, server and client certificates live (default {defaults.tls_dir})",
    )
    parser.add_argument(
        "--keys-dir",
        type=Path,
        default=Path(".perseus-sandbox-keys"),
        metavar="DIR",
        help="where the sandbox's signing CA (the trust anchor) and its EDP and CAP signing certificates "
        "live, created when missing (default .perseus-sandbox-keys)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse whatever the published OpenAPI documents do not allow (date-only periods, trailing "
        "slashes, unencoded `/` in ids, HEAD), instead of taking requests as the deployed EDP does",
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=defaults.rate_limit,
        metavar="N",
        help=f"requests per client per window before 429 (default {defaults.rate_limit})",
    )
    parser.add_argument(
        "--rate-window",
        type=float,
        default=defaults.rate_window,
        metavar="SECONDS",
        help=f"rate-limit window (default {defaults.rate_window:g})",
    )
    parser.add_argument(
        "--docs-url",
        default=None,
        metavar="URL",
        help="the documentation page of the error codes; each problem's `type` is URL#code "
        "(default: the sandbox page of the documentation site)",
    )
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
    extra = {"docs_url": args.docs_url} if args.docs_url else {}
    config = SandboxConfig(
        host=args.host,
        port=args.port,
        tls=args.tls,
        tls_dir=args.tls_dir,
        keys_dir=args.keys_dir,
        strict=args.strict,
        rate_limit=args.rate_limit,
        rate_window=args.rate_window,
        **extra,
    )
    return serve(config)
