"""`perseus verify REPORT --trust-anchor CA.pem`: check an emissions report's signed provenance.

Exit 0 when the record is valid; 1 when it is not (each problem names the step or
container and the reason); 2 when the report or the anchor cannot be read, or the record names no environment's
trust framework.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DESCRIPTION = """\
Verify the signed provenance record of an emissions report (EmissionsReport JSON)
against an environment's trust anchor (its signing CA certificate, PEM). The record's
`ib1:provenance` names its environment (sandbox, pilot or production); roles and the
scheme's other values are that environment's registry URIs.

  chain       every signing certificate chains to the anchor and was valid when it signed
  signatures  every container's signature (ib1-provenance), so no step was altered
  roles       only a carbon-accounting-provider signs the emissions calculation and
              declares its datasets; an energy-data-provider signs consumption origins
              (a CAP's own consumption origin, without an EDP record, is reported;
              --require-edp refuses it); a receipt is signed by the transfer's recipient
  dates       no step is later than its signature; metering periods are not empty
              and overlap the report's months; no figure was calculated after signing
  origins     every input names a step in the record; each calculation reads consumption
  sources     the record names the same methodologies and datasets as the report's
              `sources`, and the report's figures and sources match the digest the
              CAP signed; a report without `sources` (from another calculator) is
              checked for the rest, and any digest its record carries

Then prints the environment, the steps, their signers and the sources.
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="verify an emissions report's signed provenance record",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("report", type=Path, metavar="REPORT", help="the EmissionsReport JSON file")
    parser.add_argument(
        "--trust-anchor",
        required=True,
        type=Path,
        metavar="CA.pem",
        help="the environment's signing CA certificate (PEM)",
    )
    parser.add_argument(
        "--require-edp", action="store_true", help="refuse consumption origins not signed by an energy data provider"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from perseus.provenance.summary import summary
    from perseus.provenance.verify import UnusableInput, verify_report

    try:
        report = json.loads(args.report.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        print(f"perseus verify: {args.report}: cannot read ({exc})", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"perseus verify: {args.report}: line {exc.lineno}: not JSON ({exc.msg})", file=sys.stderr)
        return 2
    try:
        anchor = args.trust_anchor.read_bytes()
    except OSError as exc:
        print(f"perseus verify: {args.trust_anchor}: cannot read ({exc})", file=sys.stderr)
        return 2
    try:
        result = verify_report(report, anchor, require_edp=args.require_edp)
    except UnusableInput as exc:
        print(f"perseus verify: {args.report}: {exc}", file=sys.stderr)
        return 2
    if not result.valid:
        print(f"{args.report}: INVALID against {args.trust_anchor}", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"{args.report}: valid against {args.trust_anchor}")
    print(summary(result, report))
    return 0
