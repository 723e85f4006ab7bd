"""Benchmark: `perseus impact OLD NEW` end to end, beside one calculation of the same reference portfolio.

Both run as commands in fresh processes (imports and process start included):

- impact: `perseus impact OLD NEW --output DIR`, which synthesises the reference portfolio
  (perseus.review.impact.reference), calculates it under OLD and under NEW and writes the
  pack (JSON, Markdown, SVG). OLD and NEW: the first proposed gas option against the approved
  method when there is one, else the first proposed option (perseus.review.impact.variants);
- one calculation: `perseus calculate --portfolio DIR --output entries.parquet` on the same
  reference portfolio, written beforehand.

The fastest of --repeat runs counts. Target: the impact under 30 s on 2 cores. Figures go to
.bench/results.json (section `impact`); with --record to the tracked benchmarks/results.json.

    python benchmarks/bench_impact.py [--repeat 2] [--record]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench_paths import BIN, command_seconds
from results import add_record_option, record

TARGET_SECONDS = 30


def pair() -> tuple[str, str]:
    from perseus.review.impact.variants import proposed_options

    options = proposed_options()
    if not options:
        raise SystemExit("no proposed methodology to time perseus impact on")
    gas = [p for p in options if p[0].startswith("gas-")]
    return (gas or options)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each command; the fastest counts")
    add_record_option(parser)
    args = parser.parse_args(argv)
    from perseus.review.impact.reference import write_reference_portfolio

    old, new = pair()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        portfolio = write_reference_portfolio(folder / "reference")
        impact = command_seconds(
            [str(BIN / "perseus"), "impact", old, new, "--output", str(folder / "pack")], args.repeat
        )
        calculation = command_seconds(
            [
                str(BIN / "perseus"),
                "calculate",
                "--portfolio",
                str(portfolio.directory),
                "--output",
                str(folder / "entries.parquet"),
                "--taken-at",
                "2026-03-01T00:00:00Z",
            ],
            args.repeat,
        )
    verdict = "within" if impact < TARGET_SECONDS else "OVER"
    print(
        f"impact of {new} against {old} on the reference portfolio ({len(portfolio.meters) * 2} meters, "
        f"{portfolio.readings:,} readings; {os.cpu_count()} CPUs, load average {load:.1f} at start)"
    )
    print(f"    perseus impact              {impact:6.2f} s  ({verdict} the {TARGET_SECONDS} s target)")
    print(f"    one perseus calculate       {calculation:6.2f} s  (--portfolio, the same portfolio)")
    record(
        "impact",
        {
            "old": old,
            "new": new,
            "impact_seconds": round(impact, 2),
            "calculation_seconds": round(calculation, 2),
            "meters": len(portfolio.meters) * 2,
            "readings": portfolio.readings,
            "target_seconds": TARGET_SECONDS,
            "cpus": os.cpu_count(),
            "load_average": round(load, 1),
        },
        tracked=args.record,
    )
    return 0 if impact < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
