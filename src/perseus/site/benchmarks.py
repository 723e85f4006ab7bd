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
        out.append(
            f"### Portfolio calculation\n\nMeasured {portfolio['measured']} on {portfolio['machine']} "
            f"(load average {portfolio['load_average']} when the run started), end to end from the Parquet "
            "files to a Parquet table of monthly totals, each engine in its own process; "
            "the fastest of the runs counts.\n"
        )
        rows, memory = [], []
        for size in portfolio["sizes"]:
            p, d, a = size["perseus"], size["duckdb"], size["agreement"]
            rows.append(
                [
                    f"{size['meters']:,}",
                    f"{size['readings']:,}",
                    f"{size['input_columns_mb']:,.0f}",
                    f"{p['readings_per_second'] / 1e6:.1f}",
                    f"{d['readings_per_second'] / 1e6:.1f}",
                    f"{size['ratio']:.2f}×",
                ]
            )
            memory.append(
                [
                    f"{size['meters']:,}",
                    f"{a['max_relative_difference']:.1e}",
                    f"{p['peak_mb']:,.0f} ({p['above_baseline_mb']:,.0f})",
                    f"{d['peak_mb']:,.0f} ({d['above_baseline_mb']:,.0f})",
                ]
            )
        # Two narrow tables rather than one wide one: each fits the page's column.
        out.append(table(["meters", "readings", "input MB", "perseus M/s", "DuckDB M/s", "ratio"], rows))
        out.append(
            "The largest relative difference between the two engines' unrounded monthly totals, and the peak "
            "resident memory of each process in MB (in brackets: above the memory its imported libraries take):\n"
        )
        out.append(table(["meters", "largest difference", "perseus peak MB", "DuckDB peak MB"], memory))
    paths = results.get("hot_paths")
    if paths:
        out.append(f"### Other hot paths\n\nMeasured {paths['measured']} on {paths['machine']}.\n")
        rows = []
        for name, item in paths.items():
            if not isinstance(item, dict) or "steps" not in item:
                continue
            slowest = max(item["steps"], key=item["steps"].get)
            again = f"{item['unchanged_seconds']:.2f} s" if "unchanged_seconds" in item else "–"
            rows.append([name, f"{item['command_seconds']:.2f} s", again, slowest, f"{item['steps'][slowest]:.2f} s"])
        out.append(table(["path", "whole command", "sources unchanged", "slowest step", "its cost"], rows))
    build = results.get("site_build")
    if build:
        out.append(
            f"### `make site`\n\nMeasured {build['measured']} on {build['machine']} (load average "
            f"{build['load_average']} when the run started), from an empty build cache and then with the sources "
            f"unchanged (the fastest of the repeats; target under {build['target_seconds']:g} s).\n"
        )
        out.append(
            table(
                ["build cache", "wall time", "CPU time"],
                [
                    ["empty", f"{build['cold_seconds']:.1f} s", f"{build['cold_cpu_seconds']:.1f} s"],
                    [
                        "filled, sources unchanged",
                        f"{build['warm_seconds']:.1f} s",
                        f"{build['warm_cpu_seconds']:.1f} s",
                    ],
                ],
            )
        )
    impact = results.get("impact")
    if impact:
        out.append(
            f"### Impact reports\n\nMeasured {impact['measured']} on {impact['machine']} (load average "
            f"{impact['load_average']} when the run started): `perseus impact {impact['old']} {impact['new']}` "
            f"as a command, beside one `perseus calculate --portfolio` of the same reference portfolio "
            f"({impact['meters']} meters, {impact['readings']:,} readings); the fastest of the runs counts.\n"
        )
        out.append(
            table(
                ["command", "seconds", "target"],
                [
                    [
                        "perseus impact (synthesise, calculate twice, write the pack)",
                        f"{impact['impact_seconds']:.2f}",
                        f"under {impact['target_seconds']} s",
                    ],
                    ["one perseus calculate --portfolio", f"{impact['calculation_seconds']:.2f}", ""],
                ],
            )
        )
    return "\n".join(out)
