"""`perseus conformance edp|cap URL --release LABEL@DATE`: test a server against the specification.

Exit 0 when every MUST case passed or was not applicable; 1 when a MUST case failed;
2 for unusable input (options, files, release, or a server that gives no answer);
3 when no MUST case failed but some were not run (--max-requests or --timeout reached).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

DESCRIPTION = """\
Run the numbered conformance cases against a Perseus server and report each verdict
(pass, fail, not applicable, not run) with its evidence: the request and the part of
the answer that decided. Only GET requests are sent; the run is bounded by
--max-requests and --timeout, and prints how many requests it made and how long it took.

  edp  an energy data provider's consumption-data API (/heartbeat, /datasources,
       /datasources/{id}/{measure}); --release consumption-data@DATE
  cap  a carbon accounting provider's emissions-data API (/heartbeat, /emissions);
       --release emissions-data@DATE

The cases are listed, with their requirements, on the site's conformance page.
"""

EPILOG = """\
examples:
  perseus conformance edp http://127.0.0.1:8080 --release consumption-data@2026-11-28 \\
      --token sandbox-token-cap-office --foreign-source synthetic-cafe-001-electricity \\
      --trust-anchor trust-anchor.pem --json report.json --markdown report.md
  perseus conformance cap https://cap.example --release emissions-data@2025-10-27 \\
      --cert client.pem --key client-key.pem --server-ca server-ca.pem --trust-anchor ca.pem
"""

DEFAULT_MAX_REQUESTS = 1000
DEFAULT_TIMEOUT = 300.0


def _epilog() -> str:
    from perseus.conformance.exits import EXIT_STATUSES

    return "exit status:\n" + "".join(f"  {code}  {text}\n" for code, text in EXIT_STATUSES.items()) + "\n" + EPILOG


def register(subparsers) -> None:
    epilog = _epilog()
    parser = subparsers.add_parser(
        "conformance",
        help="test an EDP or CAP server against the specification",
        description=DESCRIPTION,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    roles = parser.add_subparsers(dest="role", required=True, metavar="ROLE")
    for role, help_text in (
        ("edp", "an energy data provider's consumption-data API"),
        ("cap", "a carbon accounting provider's emissions-data API"),
    ):
        sub = roles.add_parser(
            role,
            help=help_text,
            description=DESCRIPTION,
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _options(sub, role)
        sub.set_defaults(func=run)


def _options(parser: argparse.ArgumentParser, role: str) -> None:
    label = "consumption-data" if role == "edp" else "emissions-data"
    parser.add_argument("url", metavar="URL", help="the server's endpoint URL (http:// or https://)")
    parser.add_argument(
        "--release", required=True, metavar="LABEL@DATE", help=f"the release it implements: {label}@YYYY-MM-DD"
    )
    parser.add_argument("--token", default=None, help="bearer token (sent as Authorization: Bearer TOKEN)")
    parser.add_argument("--cert", type=Path, default=None, metavar="PEM", help="client certificate for mutual TLS")
    parser.add_argument("--key", type=Path, default=None, metavar="PEM", help="the client certificate's private key")
    parser.add_argument(
        "--server-ca",
        type=Path,
        default=None,
        metavar="PEM",
        help="CA of the server's TLS certificate (default: the system's trusted CAs)",
    )
    parser.add_argument(
        "--trust-anchor",
        type=Path,
        default=None,
        metavar="PEM",
        help="the environment's signing CA: provenance records must verify with it",
    )
    parser.add_argument(
        "--until",
        default=None,
        metavar="YYYY-MM-DD",
        help="the day, month and year asked for end here, 00:00 UTC (default: the first day of this month)",
    )
    if role == "edp":
        parser.add_argument(
            "--foreign-source",
            default=None,
            metavar="ID",
            help="a data source of this server that the credentials hold no permission for (EDP-40)",
        )
    else:
        parser.add_argument(
            "--consumption",
            nargs="+",
            type=Path,
            default=[],
            metavar="FILE",
            help="the MeterData the provider read: its figures are recomputed (CAP-08)",
        )
        parser.add_argument(
            "--intensity",
            type=Path,
            default=None,
            metavar="FILE",
            help="grid intensity for location-based electricity, as `perseus calculate` reads it",
        )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=DEFAULT_MAX_REQUESTS,
        metavar="N",
        help=f"send at most N requests (default {DEFAULT_MAX_REQUESTS})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop sending after this long (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write the report as JSON")
    parser.add_argument("--markdown", type=Path, default=None, metavar="FILE", help="write the report as Markdown")
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar (it shows on a terminal only anyway)"
    )


class Unusable(ValueError):
    pass


def _until(text: str | None) -> dt.date:
    if text is None:
        return dt.datetime.now(dt.UTC).date().replace(day=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Unusable(f"--until {text!r} is not a date (YYYY-MM-DD)") from None


def _readable(path: Path | None, option: str) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise Unusable(f"{option} {path}: cannot read ({exc.strerror or exc})") from None


def _options_from(args):
    from perseus.conformance.run import Options
    from perseus.conformance.session import Credentials

    if not args.url.startswith(("http://", "https://")):
        raise Unusable(f"URL {args.url!r} must start with http:// or https://")
    if (args.cert is None) != (args.key is None):
        raise Unusable("--cert and --key go together")
    if args.cert and not args.url.startswith("https://"):
        raise Unusable("--cert needs an https:// URL (mutual TLS)")
    if args.max_requests < 1 or args.timeout <= 0:
        raise Unusable("--max-requests must be at least 1 and --timeout positive")
    for path, option in ((args.cert, "--cert"), (args.key, "--key"), (args.server_ca, "--server-ca")):
        _readable(path, option)
    anchor = _readable(args.trust_anchor, "--trust-anchor")
    if anchor is not None:
        from perseus.provenance.verify import UnusableInput, load_anchor

        try:
            load_anchor(anchor)
        except UnusableInput as exc:
            raise Unusable(f"--trust-anchor {args.trust_anchor}: {exc}") from None
    consumption = tuple(getattr(args, "consumption", ()) or ())
    for path in consumption + ((args.intensity,) if getattr(args, "intensity", None) else ()):
        _readable(path, "--consumption" if path in consumption else "--intensity")
    if getattr(args, "intensity", None) and not consumption:
        raise Unusable("--intensity goes with --consumption")
    options = Options(
        until=_until(args.until),
        foreign_source=getattr(args, "foreign_source", None),
        trust_anchor=anchor,
        consumption=consumption,
        intensity=getattr(args, "intensity", None),
    )
    credentials = Credentials(token=args.token, cert=args.cert, key=args.key, server_ca=args.server_ca)
    return options, credentials


def run(args) -> int:
    from perseus.conformance import report
    from perseus.conformance.documents import Documents, ReleaseUnusable
    from perseus.conformance.exits import UNUSABLE
    from perseus.conformance.run import Run
    from perseus.conformance.runner import Unreachable, execute
    from perseus.conformance.session import Session, UnusableCredentials
    from perseus.writing import dump_json, write_atomically

    try:
        options, credentials = _options_from(args)
        documents = Documents.for_role(args.role, args.release)
        session = Session(args.url, credentials, max_requests=args.max_requests, timeout=args.timeout)
    except (Unusable, ReleaseUnusable, UnusableCredentials) as exc:
        print(f"perseus conformance: {exc}", file=sys.stderr)
        return UNUSABLE
    try:
        result = execute(Run(args.role, session, documents, options), progress=False if args.no_progress else None)
    except Unreachable as exc:
        print(f"perseus conformance: {exc}", file=sys.stderr)
        return UNUSABLE
    finally:
        session.close()
    for line in report.summary_lines(result):
        print(line)
    if args.json:
        write_atomically(args.json, dump_json(report.as_json(result)))
    if args.markdown:
        write_atomically(args.markdown, report.as_markdown(result))
    return report.exit_status(result)
