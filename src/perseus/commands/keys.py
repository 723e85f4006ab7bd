"""`perseus keys`: a local certificate authority per environment and member signing certificates.

For development and tests only: the scheme's real CAs issue real certificates.
Exit 0 on success; 2 for an unusable option; 1 when the files cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perseus.provenance.vocabulary import CAP, ENVIRONMENTS, ROLES

DESCRIPTION = """\
Create, for local use, a signing certificate authority for an environment and a
member's provenance signing certificate issued by it, shaped like the scheme's:
EC P-256 key, subject C=GB, O=<organisation>, CN=<application URL>, one SAN URI
(the application), key identifiers, the IB1 member extension and the IB1 roles
extension holding the environment's role URIs, for example
https://registry.core.sandbox.trust.ib1.org/scheme/perseus/role/carbon-accounting-provider.

Files in --output (PEM; private keys are written 0600):
  <environment>-ca.pem / <environment>-ca.key   the environment's CA (trust anchor),
                                                created when absent, reused otherwise
  <name>.pem / <name>.key                       the member's certificate and key

Sandbox and production CAs are distinct: a record signed under one does not
verify against the other's anchor.
"""

EPILOG = """\
examples:
  perseus keys --output keys --name cap --role carbon-accounting-provider \\
      --member https://directory.sandbox.example/member/cap --organisation "Example CAP Ltd"
  perseus keys --output keys --name edp --role energy-data-provider
  perseus keys --output keys --environment production --name cap-live
  perseus keys --output keys --name old --valid-from 2020-01-01T00:00:00Z --days 30   # expired
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "keys",
        help="create a local CA and member signing certificates for provenance records",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--output", required=True, type=Path, metavar="DIR", help="folder for the PEM files (created if absent)"
    )
    parser.add_argument(
        "--environment",
        choices=ENVIRONMENTS,
        default="sandbox",
        help="whose CA issues the certificate (default sandbox)",
    )
    parser.add_argument(
        "--name",
        default=None,
        metavar="STEM",
        help="file stem of the member's files (default: from the first role, e.g. cap)",
    )
    parser.add_argument(
        "--role",
        dest="roles",
        action="append",
        choices=ROLES,
        metavar="ROLE",
        help=f"a role of the member, repeatable: {', '.join(ROLES)} (default {CAP})",
    )
    parser.add_argument(
        "--member",
        default=None,
        metavar="URL",
        help="the member's directory URL (IB1 member extension; default https://directory.<environment>.example/member/<name>)",
    )
    parser.add_argument("--organisation", default=None, metavar="NAME", help="the member's organisation name (O=)")
    parser.add_argument(
        "--application",
        default=None,
        metavar="URL",
        help="the application's directory URL: SAN URI and CN (default the member URL with /application/ for /member/)",
    )
    parser.add_argument("--days", type=int, default=365, metavar="N", help="validity in days (default 365)")
    parser.add_argument(
        "--valid-from",
        default=None,
        metavar="ISO",
        help="start of validity, UTC (default an hour ago); with --days, makes expired certificates for tests",
    )
    parser.add_argument(
        "--ca-only", action="store_true", help="create (or keep) the environment's CA and issue no member certificate"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    import datetime as dt

    from perseus.provenance import keys

    roles = tuple(dict.fromkeys(args.roles or [CAP]))
    short, default_organisation = keys.EXAMPLES[roles[0]]
    name = args.name or short
    member = args.member or keys.example_member_url(name, args.environment)
    organisation = args.organisation or default_organisation
    problems = []
    if not member.startswith(("https://", "http://")):
        problems.append(f"--member {member!r} is not a URL")
    if args.days <= 0:
        problems.append("--days must be positive")
    if "/" in name or name.endswith("-ca") or not name:
        problems.append(f"--name {name!r} must be a plain file stem not ending in -ca")
    start = None
    if args.valid_from:
        try:
            start = dt.datetime.fromisoformat(args.valid_from.replace("Z", "+00:00"))
        except ValueError:
            problems.append(f"--valid-from {args.valid_from!r} is not an ISO 8601 instant")
        else:
            if start.tzinfo is None:
                problems.append(f"--valid-from {args.valid_from!r} has no time zone; write it in UTC with Z")
    if problems:
        for problem in problems:
            print(f"perseus keys: {problem}", file=sys.stderr)
        return 2

    out: Path = args.output
    ca_pem, ca_key = out / f"{args.environment}-ca.pem", out / f"{args.environment}-ca.key"
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        if ca_pem.exists() and ca_key.exists():
            ca = keys.Issued(keys.load_key(ca_key), keys.load_certificates(ca_pem)[0])
        elif ca_pem.exists() or ca_key.exists():
            print(
                f"perseus keys: {out}: only one of {ca_pem.name} and {ca_key.name} exists; remove it or restore the other",
                file=sys.stderr,
            )
            return 2
        else:
            ca = keys.create_ca(args.environment)
            keys.write_private(ca_key, ca.key_pem())
            keys.write_public(ca_pem, ca.certificate_pem())
            written += [ca_pem, ca_key]
        if not args.ca_only:
            issued = keys.create_member(
                ca,
                member=member,
                organisation=organisation,
                roles=roles,
                environment=args.environment,
                application=args.application,
                days=args.days,
                not_before=start,
            )
            keys.write_private(out / f"{name}.key", issued.key_pem())
            keys.write_public(out / f"{name}.pem", issued.certificate_pem())
            written += [out / f"{name}.pem", out / f"{name}.key"]
    except (OSError, ValueError) as exc:
        print(f"perseus keys: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    if not args.ca_only:
        print(
            f"{name}: {organisation}, member {member}, application {issued.application}, roles "
            f"{', '.join(keys.role_uris(roles, args.environment))}, {args.environment} CA, "
            f"valid {issued.certificate.not_valid_before_utc:%Y-%m-%dT%H:%M:%SZ} to "
            f"{issued.certificate.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ}"
        )
    return 0
