"""`perseus impact OLD NEW [--method M] [--json] [--output DIR]`: what NEW does to the figures, against OLD.

OLD and NEW are two methodologies of one energy type (`label@YYYY-MM-DD`), two factor
sets (`label@YYYY`), two calorific values (ids in factors/calorific-values.yaml) or
two calorific-value datasets (CSV files of daily values per gas distribution zone).
The reference portfolio is calculated under each and the impact pack written.
Exit 0 with the pack written; 1 when a calculation breaks a rule (nothing written);
2 when the two cannot be compared (unknown, of different kinds or energy types).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perseus.commands import refused

DESCRIPTION = """\
Recompute the reference portfolio (SYNTHETIC: every archetype of `perseus synth` in
six places, electricity and gas, 2024 and 2025) under OLD and under NEW, and write the
impact pack: per month and archetype both figures (kg CO2e), the absolute and relative
difference, largest effects first; the same over the period by archetype and by place;
and a chart of the relative difference by month.

OLD and NEW:
  methodologies   label@YYYY-MM-DD in methodologies/, of one energy type (labels may differ)
  factor sets     label@YYYY in factors/: every half-hour takes that set's factor
  calorific values  an id in factors/calorific-values.yaml: that value for every gas volume
  calorific-value datasets  a CSV of daily values per gas distribution zone in National
                  Gas's layout, in place of the portfolio's synthetic series (with a
                  methodology that takes a zone's daily value, e.g. --method
                  gas-desnz-zone-daily-cv@2026-12-02)
For factor sets, calorific values and datasets, --method chooses the methodologies (default: the
latest approved of each energy type).
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "impact",
        help="what a proposed version does to the figures of a reference portfolio",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("old", metavar="OLD", help="e.g. gas-desnz-annual@2025-10-27, desnz@2024, gb-typical-bill")
    parser.add_argument("new", metavar="NEW", help="the version to compare with OLD, of the same kind")
    parser.add_argument(
        "--method",
        action="append",
        default=[],
        metavar="LABEL[@VERSION]",
        help="methodology for an energy type, when comparing factor sets, calorific values or datasets; repeatable",
    )
    parser.add_argument("--json", action="store_true", help="write JSON instead of Markdown to stdout")
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="DIR",
        help="write OLD..NEW.json, OLD..NEW.md and the chart OLD..NEW.svg into DIR instead of stdout",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from perseus.calculator.errors import CalculationError
    from perseus.methodology.documents import MethodologyError
    from perseus.methodology.factors import FactorError
    from perseus.review.impact import ImpactError, impact
    from perseus.writing import write_atomically

    try:
        pack = impact(args.old, args.new, args.method)
    except (ImpactError, MethodologyError, FactorError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CalculationError as exc:
        return refused(exc)
    if args.output is None:
        sys.stdout.write(pack.json() if args.json else pack.markdown())
        return 0
    files = {
        f"{pack.name}.json": pack.json(),
        f"{pack.name}.svg": pack.chart().decode("utf-8"),
        f"{pack.name}.md": pack.markdown(chart=f"{pack.name}.svg"),
    }
    for name, text in files.items():
        write_atomically(args.output / name, text)
        print(f"wrote {args.output / name}", file=sys.stderr)
    return 0
