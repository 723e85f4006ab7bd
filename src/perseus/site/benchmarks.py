"""The benchmark figures on the site, rendered from benchmarks/results.json (written by `make bench`, never by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from perseus.paths import ROOT
from perseus.site.markdown import table

RESULTS = ROOT / "benchmarks" / "results.json"
MARKER = "<!-- benchmark-figures -->"


def figures_markdown(path: Path = RESULTS) -> str:
    if not path.exists():
        return "No figures recorded yet: run `make bench`.\n"
    results = json.loads(path.read_text())
    out = []
    portfolio = results.get("portfolio")
    if portfolio:
        out.append(f"### Portfolio calculation\n\nMeasured {portfolio['measured']} on {portfolio['machine']} "
                   f"(load average {portfolio['load_average']} when the run started), end to end from the Parquet "
                   "files to a Parquet table of monthly totals, each engine in its own process; "
                   "the fastest of the runs counts.\n")
        rows = []
        for size in portfolio["sizes"]:
            p, d, a = size["perseus"], size["duckdb"], size["agreement"]
            rows.append([f"{size['meters']:,}", f"{size['readings']:,}", f"{size['input_columns_mb']:,.0f}",
                         f"{p['readings_per_second'] / 1e6:.1f}", f"{d['readings_per_second'] / 1e6:.1f}", f"{size['ratio']:.2f}×",
                         f"{a['max_relative_difference']:.1e}", f"{p['peak_mb']:,.0f} ({p['above_baseline_mb']:,.0f})",
                         f"{d['peak_mb']:,.0f} ({d['above_baseline_mb']:,.0f})"])
        out.append(table(["meters", "readings", "input columns, MB", "perseus, M readings/s", "DuckDB, M readings/s",
                          "ratio", "largest relative difference", "perseus peak MB (above libraries)",
                          "DuckDB peak MB (above libraries)"], rows))
    paths = results.get("hot_paths")
    if paths:
        out.append(f"### Other hot paths\n\nMeasured {paths['measured']} on {paths['machine']}.\n")
        rows = []
        for name, item in paths.items():
            if not isinstance(item, dict) or "steps" not in item:
                continue
            slowest = max(item["steps"], key=item["steps"].get)
            rows.append([name, f"{item['command_seconds']:.2f} s", slowest, f"{item['steps'][slowest]:.2f} s"])
        out.append(table(["path", "whole command", "slowest step", "its cost"], rows))
    impact = results.get("impact")
    if impact:
        out.append(f"### Impact reports\n\nMeasured {impact['measured']} on {impact['machine']} (load average "
                   f"{impact['load_average']} when the run started): `perseus impact {impact['old']} {impact['new']}` "
                   f"as a command, beside one `perseus calculate --portfolio` of the same reference portfolio "
                   f"({impact['meters']} meters, {impact['readings']:,} readings); the fastest of the runs counts.\n")
        out.append(table(["command", "seconds", "target"],
                         [["perseus impact (synthesise, calculate twice, write the pack)", f"{impact['impact_seconds']:.2f}",
                           f"under {impact['target_seconds']} s"],
                          ["one perseus calculate --portfolio", f"{impact['calculation_seconds']:.2f}", ""]]))
    return "\n".join(out)
