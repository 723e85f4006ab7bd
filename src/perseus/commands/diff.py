"""`perseus diff OLD NEW [--json] [--output FILE] [--no-impact]`: the review pack for two versions.

OLD and NEW are `label@YYYY-MM-DD` of a data specification, permission text,
methodology or factor set, or two paths to CSV factor tables or YAML documents.
For two methodologies (of one energy type) or two factor sets the pack also shows
their impact on the reference portfolio (`perseus impact`), beside the text diff.
Exit 0 with the pack written; 1 when the impact's calculation breaks a rule;
2 when the two cannot be compared.
"""

from __future__ import annotations

import sys
from pathlib import Path

from perseus.commands import refused

WITH_IMPACT = ("methodology", "factor-set")


def register(subparsers) -> None:
    parser = subparsers.add_parser("diff", help="review pack of what changed between two versions")
    parser.add_argument("old", metavar="OLD", help="e.g. consumption-data@2025-10-23")
    parser.add_argument("new", metavar="NEW", help="e.g. consumption-data@2025-10-27")
    parser.add_argument("--json", action="store_true", help="write JSON instead of Markdown")
    parser.add_argument("--output", "-o", type=Path, help="write to this file (atomically) instead of stdout")
    parser.add_argument(
        "--no-impact",
        action="store_true",
        help="leave out the impact on the reference portfolio (methodologies and factor sets)",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from perseus.calculator.errors import CalculationError
    from perseus.methodology.documents import MethodologyError
    from perseus.methodology.factors import FactorError
    from perseus.records import RecordInvalid
    from perseus.releases import UnknownRelease
    from perseus.review.factor_diff import FactorTableError
    from perseus.review.pack import ReviewError, review
    from perseus.writing import write_atomically

    try:
        pack = review(args.old, args.new)
        impact = None
        references = not (
            Path(args.old).is_file() and Path(args.new).is_file()
        )  # files have no reference portfolio run
        if pack.kind in WITH_IMPACT and references and not args.no_impact:
            from perseus.review.impact import impact as impact_of

            impact = impact_of(args.old, args.new)
        if args.json:
            text = pack.json() if impact is None else pack.json_with({"impact": impact.as_dict()})
        else:
            text = pack.markdown() + ("" if impact is None else "\n" + impact.markdown(level=2))
    except (
        ReviewError,
        UnknownRelease,
        RecordInvalid,
        FactorTableError,
        MethodologyError,
        FactorError,
        ValueError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CalculationError as exc:
        return refused(exc)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(args.output, text)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
