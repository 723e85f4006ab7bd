"""`perseus calculate`: monthly emissions from half-hourly consumption, as an EmissionsReport.

Exit 0 on success; 1 when an input breaks a rule (the message names the file, the
record and the rule, and no output file is written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perseus.commands import refused

PORTFOLIO_HELP = """\
Portfolio mode (--portfolio DIR): one report per meter for many meters.
  DIR/meters.parquet (or .csv)  meter, type, region[, outcode][, calorificValue][, distributionZone]
  DIR/readings/type=electricity/bucket=NN/*.parquet, DIR/readings/type=gas/...
                                meter, from (timestamp, UTC), value, unitCode[, calorificValue]
                                (each meter's readings of a type in one file)
  DIR/intensity.parquet (or .csv)  from, region, intensity (gCO2/kWh)
  DIR/intensity.parquet.meta.yaml  optional dataset description
  DIR/calorific-values.csv      optional: daily calorific values per gas distribution zone
                                (National Gas's layout), for a methodology that takes them;
                                meters.distributionZone names each gas meter's zone
Output: --output FILE.jsonl (one EmissionsReport per line, per meter) or
--output FILE.parquet (one row per meter, type and month); without --output,
JSON lines on stdout. --engine dask runs the same kernel on a Dask cluster
(--scheduler tcp://HOST:8786, or a local two-worker cluster). Progress shows on
a terminal, or with --progress. See docs/scale.md.
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calculate",
        help="compute a monthly EmissionsReport from half-hourly consumption",
        description="Compute monthly emissions per energy type with the methodologies in methodologies/.",
        epilog=PORTFOLIO_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--consumption",
        action="extend",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="MeterData JSON, or CSV/Parquet with type,from,to,value,unitCode[,meter]; repeatable",
    )
    parser.add_argument(
        "--intensity",
        type=Path,
        metavar="FILE",
        help="saved NESO regional intensity response (JSON), or CSV/Parquet with from,to,intensity (gCO2/kWh)",
    )
    parser.add_argument(
        "--calorific-value",
        type=float,
        metavar="MJ_PER_M3",
        help="gas calorific value to use when the data carries none",
    )
    parser.add_argument(
        "--calorific-values",
        type=Path,
        metavar="FILE",
        help="daily calorific values per gas distribution zone, in National Gas's CSV layout, for a "
        "methodology that takes the zone's daily value (with --portfolio: default DIR/calorific-values.csv)",
    )
    parser.add_argument(
        "--method",
        action="append",
        default=[],
        metavar="LABEL[@VERSION]",
        help="methodology for an energy type (default: latest approved "
        "electricity-location-based and gas-desnz-annual); repeatable",
    )
    parser.add_argument("--from", dest="start", metavar="ISO", help="first instant to include (UTC)")
    parser.add_argument("--to", dest="end", metavar="ISO", help="instant to stop before (UTC)")
    parser.add_argument("--taken-at", metavar="ISO", help="the report's takenAt (default: now)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write here (atomically) instead of to stdout")
    signing = parser.add_argument_group("signed provenance (see `perseus keys`, `perseus verify`)")
    signing.add_argument(
        "--sign", type=Path, metavar="KEY", help="sign the report's provenance record with this private key (PEM)"
    )
    signing.add_argument(
        "--cert", type=Path, metavar="CERT", help="the key's signing certificate (PEM; a carbon-accounting-provider's)"
    )
    signing.add_argument("--fsp", metavar="URL", help="add a transfer of the report to this financial service provider")
    signing.add_argument(
        "--trust-anchor",
        type=Path,
        metavar="CA.pem",
        help="the environment's CA: verify the energy data provider's signed records in the inputs "
        "(with or without --sign); a record that does not verify stops the calculation",
    )
    portfolio = parser.add_argument_group("portfolio (many meters; layout below)")
    portfolio.add_argument(
        "--portfolio", type=Path, metavar="DIR", help="a portfolio directory instead of --consumption"
    )
    portfolio.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="portfolio engine: local (this machine, default) or dask (a Dask cluster)",
    )
    portfolio.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a running scheduler, e.g. tcp://host:8786 "
        "(default: start a local cluster of two workers)",
    )
    portfolio.add_argument("--progress", action="store_true", help="show progress even when stderr is not a terminal")
    parser.set_defaults(func=run, parser=parser)


def run(args) -> int:
    if args.portfolio is not None:
        if args.consumption or args.intensity:
            args.parser.error("--portfolio replaces --consumption and --intensity: give one or the other")
        if args.sign or args.cert or args.fsp or args.trust_anchor:
            args.parser.error("signing applies to single reports (--consumption), not yet to --portfolio")
        return run_portfolio(args)
    if not args.consumption:
        args.parser.error("give --consumption FILE (repeatable) or --portfolio DIR")
    if args.engine != "local" or args.scheduler:
        args.parser.error("--engine and --scheduler apply to --portfolio")
    from perseus.calculator import CalculationError, calculate
    from perseus.writing import dump_json, write_atomically

    try:
        report = calculate(
            args.consumption,
            intensity=args.intensity,
            calorific_value=args.calorific_value,
            methods=args.method,
            start=args.start,
            end=args.end,
            taken_at=args.taken_at,
            calorific_values=args.calorific_values,
        )
    except CalculationError as exc:
        return refused(exc)
    if args.sign or args.cert or args.fsp or args.trust_anchor:
        try:
            report = provenance_of(report, args)
        except ValueError as exc:  # SigningError, InboundError: the message names the file and the rule
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


def provenance_of(report: dict, args) -> dict:
    """The report signed (--sign, --cert), or with its inputs' records verified (--trust-anchor alone)."""
    from perseus.provenance.build import SigningError, sign_calculated
    from perseus.provenance.inbound import verify_consumption_files

    if not (args.sign or args.cert or args.fsp):
        verify_consumption_files(args.consumption, args.trust_anchor)
        return report
    if not (args.sign and args.cert):
        raise SigningError("--sign KEY and --cert CERT go together" + (" (--fsp needs them)" if args.fsp else ""))
    try:
        return sign_calculated(
            report, args.consumption, key=args.sign, cert=args.cert, fsp=args.fsp, trust_anchor=args.trust_anchor
        )
    except OSError as exc:
        raise SigningError(f"{exc.filename}: cannot read ({exc.strerror})") from exc


def run_portfolio(args) -> int:
    from perseus.calculator import CalculationError
    from perseus.portfolio import OUTPUT_FORMATS, calculate_portfolio

    if args.output is not None and args.output.suffix.lower() not in OUTPUT_FORMATS:
        args.parser.error(
            f"--output {args.output}: with --portfolio the name must end in .jsonl (reports) or .parquet (entries)"
        )
    if args.scheduler and args.engine != "dask":
        args.parser.error("--scheduler needs --engine dask")
    try:
        run = calculate_portfolio(
            args.portfolio,
            calorific_value=args.calorific_value,
            methods=args.method,
            start=args.start,
            end=args.end,
            taken_at=args.taken_at,
            engine=args.engine,
            scheduler=args.scheduler,
            progress=args.progress or sys.stderr.isatty(),
            calorific_values=args.calorific_values,
        )
        count = run.write(args.output)
    except CalculationError as exc:
        return refused(exc)
    idle = run.meters_without_readings
    if idle:
        shown = ", ".join(idle[:5]) + (f" and {len(idle) - 5} more" if len(idle) > 5 else "")
        print(
            f"warning: {len(idle)} meter(s) have no readings in the period, so no monthly figures: {shown}",
            file=sys.stderr,
        )
    if args.output is not None:
        what = "reports" if args.output.suffix.lower() == ".jsonl" else "monthly entries"
        print(f"{args.output}: {count:,} {what} from {run.portfolio.readings:,} readings", file=sys.stderr)
    return 0
