"""`perseus validate FILE --spec LABEL@DATE [--type CLASS] [--strict]`.

Exit 0 when valid, 1 when invalid, 2 when the file or specification cannot be used.
`--strict` checks the project's rules as well (closed objects, timestamps in Z,
calendar months): the strict profile of the project's releases.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("validate", help="validate a JSON or YAML payload against a data specification")
    parser.add_argument("file", type=Path, help="the payload, JSON or YAML")
    parser.add_argument("--spec", required=True, metavar="LABEL@DATE", help="e.g. consumption-data@2025-10-27")
    parser.add_argument("--type", dest="cls", metavar="CLASS", help="payload class; detected when not given")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="the project's strict profile: no keys the release does not define, timestamps in Z, "
        "emissions entries on calendar months",
    )
    parser.add_argument("--max-errors", type=int, default=100, help="stop after this many errors (default 100)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from perseus import validation as v

    try:
        schema = v.load_release_schema(args.spec, strict=args.strict)
        payload = v.read_payload(args.file)
        cls = args.cls or v.detect_class(schema, payload)
        problems = v.validate_payload(schema, cls, payload, limit=args.max_errors)
    except (v.SpecUnavailable, v.PayloadUnreadable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    spec = f"{args.spec}, strict" if args.strict else args.spec
    if not problems:
        print(f"{args.file}: valid {cls} ({spec})")
        return 0
    for problem in problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    more = " (stopped at --max-errors)" if len(problems) >= args.max_errors else ""
    print(f"{args.file}: invalid {cls} ({spec}): {len(problems)} error(s){more}", file=sys.stderr)
    return 1
