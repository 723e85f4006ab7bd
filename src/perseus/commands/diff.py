"""`perseus diff OLD NEW [--json] [--output FILE]`: the review pack for two versions.

OLD and NEW are `label@YYYY-MM-DD` of a data specification, permission text,
methodology or factor set, or two paths to CSV factor tables or YAML documents.
Exit 0 with the pack written; 2 when the two cannot be compared.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("diff", help="review pack of what changed between two versions")
    parser.add_argument("old", metavar="OLD", help="e.g. consumption-data@2025-10-23")
    parser.add_argument("new", metavar="NEW", help="e.g. consumption-data@2025-10-27")
    parser.add_argument("--json", action="store_true", help="write JSON instead of Markdown")
    parser.add_argument("--output", "-o", type=Path, help="write to this file (atomically) instead of stdout")
    parser.set_defaults(func=run)


def run(args) -> int:
    from perseus.records import RecordInvalid
    from perseus.releases import UnknownRelease
    from perseus.review.factor_diff import FactorTableError
    from perseus.review.pack import ReviewError, review
    from perseus.writing import write_atomically

    try:
        pack = review(args.old, args.new)
        text = pack.json() if args.json else pack.markdown()
    except (ReviewError, UnknownRelease, RecordInvalid, FactorTableError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(args.output, text)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
