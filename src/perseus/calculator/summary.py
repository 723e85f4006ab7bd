"""A month-by-month table of an EmissionsReport, for people: `python -m perseus.calculator.summary REPORT.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def month_table(report: dict) -> str:
    header = f"{'month':<8} {'type':<12} {'kg CO2e':>12} {'quality':<9} {'present/expected':>17} {'dupl.':>6}"
    lines = [header, "-" * len(header)]
    for entry in sorted(report["data"], key=lambda e: (e["from"], e["type"])):
        q = entry.get("dataQuality", {})
        counts = f"{q.get('presentHalfHours', '?')}/{q.get('expectedHalfHours', '?')}"
        lines.append(
            f"{entry['from'][:7]:<8} {entry['type']:<12} {entry['emissions']['value']:>12.3f} "
            f"{q.get('missingData', ''):<9} {counts:>17} {q.get('duplicateReadings', 0):>6}"
        )
    for source in report.get("sources", []):
        cv = source.get("calorificValue")
        extra = f"; calorific value {cv['megajoulesPerCubicMetre']} MJ/m³ ({cv['choice']})" if cv else ""
        lines.append(f"{source['type']}: {source['methodology']}{extra}")
        for dataset in source["datasets"]:
            stood_in = f", standing in for {dataset['substitutedFor']}" if dataset.get("substitutedFor") else ""
            lines.append(
                f"  {dataset['role']}: {dataset['title']} ({dataset['version']}{stood_in}) for {', '.join(dataset['months'])}"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m perseus.calculator.summary REPORT.json", file=sys.stderr)
        return 2
    sys.stdout.write(month_table(json.loads(Path(args[0]).read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
