"""`perseus calculate`: monthly emissions from half-hourly consumption, as an EmissionsReport.

Exit 0 on success; 1 when an input breaks a rule (the message names the file, the
record and the rule, and no output file is written).
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calculate", help="compute a monthly EmissionsReport from half-hourly consumption",
        description="Compute monthly emissions per energy type with the methodologies in methodologies/.",
    )
    parser.add_argument("--consumption", action="extend", nargs="+", required=True, type=Path, metavar="FILE",
                        help="MeterData JSON, or CSV/Parquet with type,from,to,value,unitCode[,meter]; repeatable")
    parser.add_argument("--intensity", type=Path, metavar="FILE",
                        help="saved NESO regional intensity response (JSON), or CSV/Parquet with from,to,intensity (gCO2/kWh)")
    parser.add_argument("--calorific-value", type=float, metavar="MJ_PER_M3",
                        help="gas calorific value to use when the data carries none")
    parser.add_argument("--method", action="append", default=[], metavar="LABEL[@VERSION]",
                        help="methodology for an energy type (default: latest approved "
                             "electricity-location-based and gas-desnz-annual); repeatable")
    parser.add_argument("--from", dest="start", metavar="ISO", help="first instant to include (UTC)")
    parser.add_argument("--to", dest="end", metavar="ISO", help="instant to stop before (UTC)")
    parser.add_argument("--taken-at", metavar="ISO", help="the report's takenAt (default: now)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write here (atomically) instead of to stdout")
    signing = parser.add_argument_group("signed provenance (see `perseus keys`, `perseus verify`)")
    signing.add_argument("--sign", type=Path, metavar="KEY", help="sign the report's provenance record with this private key (PEM)")
    signing.add_argument("--cert", type=Path, metavar="CERT", help="the key's signing certificate (PEM; a carbon-accounting-provider's)")
    signing.add_argument("--fsp", metavar="URL", help="add a transfer of the report to this financial service provider")
    signing.add_argument("--trust-anchor", type=Path, metavar="CA.pem",
                         help="the environment's CA, to verify the energy data provider's signed records in the inputs")
    parser.set_defaults(func=run)


def run(args) -> int:
    from perseus.calculator import CalculationError, calculate
    from perseus.generators.run import dump_json

    try:
        report = calculate(
            args.consumption, intensity=args.intensity, calorific_value=args.calorific_value,
            methods=args.method, start=args.start, end=args.end, taken_at=args.taken_at,
        )
    except CalculationError as exc:
        for breach in exc.breaches:
            print(f"error: {breach}", file=sys.stderr)
        return 1
    if args.sign or args.cert:
        from perseus.provenance.build import InboundError, SigningError, sign_calculated

        try:
            if not (args.sign and args.cert):
                raise SigningError("--sign KEY and --cert CERT go together")
            report = sign_calculated(report, args.consumption, key=args.sign, cert=args.cert, fsp=args.fsp,
                                     trust_anchor=args.trust_anchor)
        except (SigningError, InboundError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    if not report["data"]:
        print("warning: no readings fall in the period asked for; the report is empty", file=sys.stderr)
    text = dump_json(report)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(args.output, text)
    print(f"{args.output}: {len(report['data'])} monthly figures", file=sys.stderr)
    return 0


def write_atomically(target: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a report."""
    import os
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
