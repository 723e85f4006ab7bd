"""`perseus synth`: deterministic SYNTHETIC consumption and grid intensity for offline use.

Exit 0 on success; 2 for an unusable option (argparse's usage errors included);
1 when the files cannot be written (nothing is left behind).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perseus.vocabulary import ENERGY_TYPES

ARCHETYPES = ("office", "cafe", "workshop", "shop")  # kept in step with perseus.synth.ARCHETYPES by a test

DESCRIPTION = """\
Write deterministic, SYNTHETIC half-hourly smart-meter data for small businesses,
and a synthetic regional grid carbon intensity series. Not real data: every file
says so (provenance origin step, `synthetic-` meter ids, `perseus:synthetic`
metadata). The same options and --seed give byte-identical files.

Consumption (--output):
  --format json     a directory with one MeterData file (consumption-data@2025-10-27)
                    per meter and type: <output>/synthetic-<archetype>-NNN-<type>.json
  --format csv      one file, columns meter,type,from,to,value,unitCode, plus a
                    CSV on the Web sidecar <output>-metadata.json saying it is synthetic
  --format parquet  the same columns; schema metadata key `perseus:synthetic`
  --format portfolio  a directory in the portfolio layout of `perseus calculate
                    --portfolio`: meters.parquet, readings/type=*/bucket=NNN/,
                    intensity.parquet and its sidecar; --meters businesses of every
                    archetype, 14 regions, the energy types of --type (--archetype,
                    --outcode and the intensity options do not apply)
  Electricity is in KWH; gas in MTQ (m³, SMETS2) or KWH (SMETS1). Timestamps are
  UTC half-hours [from, to); each day is collected (takenAt) at 01:00Z the next day.
  Opening hours follow UK local time, so they move in UTC at the clock changes.

Intensity (--intensity-output), format from the file name:
  .json             shaped like the NESO regional API response
                    {"data": {"regionid", "dnoregion", "shortname", "postcode",
                    "data": [{"from", "to", "intensity": {"forecast", "index"},
                    "generationmix": [...]}]}} plus a top-level "perseus:synthetic" key
  .csv / .parquet   columns from,to,intensity (gCO2/kWh), labelled as above

Calorific values (--calorific-values-output FILE.csv): one value per gas day (05:00 to
05:00 UK time) for each of the 13 local distribution zones, in the CSV layout of National
Gas's data portal (Applicable At,Applicable For,Data Item,Value,Generated Time,Quality
Indicator; Data Item `Calorific Value, LDZ(XX)`), with a CSV on the Web sidecar saying it
is synthetic. --distribution-zone XX names a zone on MTQ gas data.
"""

EPILOG = """\
example (one year for a café, electricity and gas in m³, with grid intensity):
  perseus synth --archetype cafe --from 2025-01-01 --to 2026-01-01 --seed 7 \\
      --gas-unit MTQ --output demo/consumption --intensity-output demo/intensity.json
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "synth",
        help="write deterministic SYNTHETIC consumption and grid intensity data",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--archetype", choices=ARCHETYPES, default="office", help="kind of business (default office)")
    parser.add_argument(
        "--meters",
        type=int,
        default=1,
        metavar="N",
        help="how many businesses of that kind, each with its own meters (default 1)",
    )
    parser.add_argument(
        "--type",
        dest="types",
        choices=(*ENERGY_TYPES, "both"),
        default="both",
        help="energy types to write (default both)",
    )
    parser.add_argument(
        "--from",
        dest="start",
        default="2025-01-01T00:00:00Z",
        metavar="ISO",
        help="first half-hour, UTC, inclusive (default 2025-01-01T00:00:00Z)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        default="2026-01-01T00:00:00Z",
        metavar="ISO",
        help="end, UTC, exclusive (default 2026-01-01T00:00:00Z)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="random seed; same seed, same bytes (default 0)"
    )
    parser.add_argument(
        "--gas-unit",
        choices=("MTQ", "KWH"),
        default="MTQ",
        help="gas as volume in m³ (SMETS2, default) or energy in kWh (SMETS1)",
    )
    parser.add_argument(
        "--calorific-value",
        type=float,
        metavar="MJ_PER_M3",
        help="put this calorific value on MTQ gas data (source `declared`, marked synthetic); default: none, so the calculator's own rule applies",
    )
    parser.add_argument("--outcode", default="SW1A", help="postcode outcode of the premises (default SW1A)")
    parser.add_argument(
        "--region-id",
        type=int,
        default=13,
        metavar="ID",
        help="NESO region id 1-17 of the intensity series (default 13, London)",
    )
    parser.add_argument(
        "--format",
        choices=("json", "csv", "parquet", "portfolio"),
        default="json",
        help="consumption format (default json); portfolio: a directory for `perseus calculate --portfolio`",
    )
    parser.add_argument(
        "--output", type=Path, metavar="PATH", help="consumption output: a directory for json, a file for csv/parquet"
    )
    parser.add_argument(
        "--intensity-output", type=Path, metavar="PATH", help="grid intensity output: .json, .csv or .parquet"
    )
    parser.add_argument(
        "--datasources-output",
        type=Path,
        metavar="PATH",
        help="also write a DataSources JSON listing the synthetic meters",
    )
    parser.add_argument(
        "--calorific-values-output",
        type=Path,
        metavar="PATH.csv",
        help="write a daily calorific value per gas distribution zone for the period (National Gas's CSV layout)",
    )
    parser.add_argument(
        "--distribution-zone",
        metavar="LDZ",
        help="name this gas distribution zone (EA ... WS) on MTQ gas data (calorificValue.distributionZone)",
    )
    parser.set_defaults(func=run, parser=parser)


def run(args) -> int:
    if args.format == "portfolio":
        return _portfolio(args)
    from perseus.synth import SynthError, SynthRequest, build_files
    from perseus.synth.files import write_all
    from perseus.synth.timegrid import parse_instant

    try:
        request = SynthRequest(
            archetype=args.archetype,
            meters=args.meters,
            start=parse_instant(args.start, "--from"),
            end=parse_instant(args.end, "--to"),
            seed=args.seed,
            types=ENERGY_TYPES if args.types == "both" else (args.types,),
            gas_unit=args.gas_unit,
            calorific_value=args.calorific_value,
            outcode=args.outcode,
            region_id=args.region_id,
            format=args.format,
            output=args.output,
            intensity_output=args.intensity_output,
            datasources_output=args.datasources_output,
            calorific_values_output=args.calorific_values_output,
            distribution_zone=args.distribution_zone,
        )
        files = build_files(request)
    except SynthError as exc:
        args.parser.error(str(exc))  # exits 2 with the usage line
    try:
        written = write_all(files)
    except OSError as exc:
        print(
            f"perseus synth: error: cannot write {exc.filename or ''}: {exc.strerror or exc} (nothing written)",
            file=sys.stderr,
        )
        return 1
    for path in written:
        print(f"perseus synth: wrote SYNTHETIC data (not real readings): {path}", file=sys.stderr)
    return 0


def _portfolio(args) -> int:
    """A SYNTHETIC portfolio directory, written beside its target and renamed into place when complete."""
    import shutil
    import tempfile

    from perseus.portfolio.synthetic import write_portfolio
    from perseus.synth.timegrid import parse_instant

    if args.output is None:
        args.parser.error("--format portfolio needs --output DIRECTORY")
    if args.output.exists():
        args.parser.error(f"--output {args.output} exists; the portfolio is written to a new directory")
    if args.meters < 1:
        args.parser.error("--meters must be at least 1")
    from perseus.synth import SynthError

    try:
        start, end = parse_instant(args.start, "--from"), parse_instant(args.end, "--to")
    except SynthError as exc:
        args.parser.error(str(exc))
    if end <= start:
        args.parser.error("--to must be after --from")
    target = args.output.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{target.name}.", dir=target.parent) as tmp:
            types = ENERGY_TYPES if args.types == "both" else (args.types,)
            summary = write_portfolio(
                Path(tmp) / "portfolio", meters=args.meters, start=start, end=end, seed=args.seed, types=types
            )
            (Path(tmp) / "portfolio").rename(target)
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        print(
            f"perseus synth: error: cannot write {exc.filename or args.output}: {exc.strerror or exc} (nothing written)",
            file=sys.stderr,
        )
        return 1
    print(
        f"perseus synth: wrote a SYNTHETIC portfolio (not real readings): {args.output}: {summary['meters']} meters, "
        f"{' and '.join(summary['types'])}, {summary['readings']:,} readings",
        file=sys.stderr,
    )
    return 0
