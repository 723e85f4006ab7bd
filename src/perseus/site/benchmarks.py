"""The benchmark figures and peer queries on the site.

Figures are rendered from benchmarks/results.json (written by `make bench RECORD=1`, never by
hand); the DuckDB query and the polars plan from benchmarks/peers.py, the text the benchmark runs.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from pathlib import Path

from perseus.paths import ROOT
from perseus.site.markdown import table

BENCHMARKS = ROOT / "benchmarks"
RESULTS = BENCHMARKS / "results.json"
MARKER = "<!-- benchmark-figures -->"
QUERIES_MARKER = "<!-- benchmark-queries -->"
PEER_NAMES = {"perseus": "perseus", "duckdb": "DuckDB", "polars": "polars", "perseus-dask": "perseus on Dask"}


def benchmark_module(name: str):
    """A module of benchmarks/ (scripts beside each other, not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None, name
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def queries_markdown() -> str:
    peers = benchmark_module("peers")
    return "\n".join(
        [
            "The DuckDB query, one part per energy type present (joined by `UNION ALL`); the benchmark fills in the "
            "portfolio's path, the methodologies' parameters and the gas factor sets:\n",
            f"```sql\n{peers.DUCKDB_SETUP};\n\n{peers.DUCKDB_ELECTRICITY}\n\nUNION ALL\n\n{peers.DUCKDB_GAS}\n```\n",
            "The polars lazy plan, written with `sink_parquet`:\n",
            # `py`, not `python`: source to read, not an example the page tests run
            f"```py\n{inspect.getsource(peers.polars_plan).rstrip()}\n```\n",
        ]
    )


def _seconds(spread: dict) -> str:
    return f"{spread['median']:.2f} ({spread['min']:.2f}–{spread['max']:.2f})"


def case_name(case: dict) -> str:
    """A portfolio case as the tables name it: size, energy types, layout and readings."""
    return f"{case['meters']:,} meters, {' + '.join(case['types'])}, {case['layout']} ({case['readings']:,} readings)"


def _portfolio(portfolio: dict) -> list[str]:
    peers = [e for e in portfolio["engines"] if e != "perseus"]
    engines = ["perseus", *peers]
    out = [
        f"### Portfolio calculation\n\nMeasured {portfolio['measured']} on {portfolio['machine']}: whole commands, "
        "a fresh process per run, engines alternated in each round. Wall time in seconds, as the median "
        "(min–max) over the rounds:\n"
    ]
    times, ratios = [], []
    for case in portfolio["cases"]:
        # One cell for the case (it wraps), so that both tables fit the page's column on a laptop.
        size = [case_name(case)]
        found = case["engines"]
        times.append([*size, *(_seconds(found[e]["wall"]) for e in engines)])
        agree = all(a["agree"] for a in case["agreement"].values())
        ratios.append(
            [
                *size,
                *(f"{case['ratios'][e]['median']:.2f}×" for e in peers),
                " / ".join(f"{found[e]['cpu']['median']:.1f}" for e in engines),
                "agree" if agree else "DISAGREE",
                f"{case['load'][0]} → {case['load'][1]}",
            ]
        )
    # Two narrow tables rather than one wide one: each fits the page's column.
    out.append(table(["case", *(f"{PEER_NAMES[e]} s" for e in engines)], times))
    out.append(
        "The ratio is the peer's median ÷ ours (above 1: perseus is faster); CPU seconds are medians ("
        + " / ".join(PEER_NAMES[e] for e in engines)
        + "); the totals column says whether every peer's monthly totals equal ours; the load average is the "
        "machine's when the size started and ended:\n"
    )
    out.append(
        table(
            ["case", *(f"{PEER_NAMES[e]} ÷ perseus" for e in peers), "CPU s", "totals", "load"],
            ratios,
        )
    )
    return out


def _meter_year(figures: dict) -> list[str]:
    rows = [[name, _seconds(f["wall"]), f"{f['cpu']['median']:.2f}"] for name, f in figures["commands"].items()]
    return [
        f"### One meter-year\n\nMeasured {figures['measured']} on {figures['machine']} ({figures['rounds']} rounds, "
        f"alternated; load average {figures['load']}).\n",
        table(["command", "wall s", "CPU s"], rows),
    ]


def _reports(figures: dict) -> list[str]:
    rows = [
        [
            f"{s['meters']:,}",
            f"{s['cpu']['first_report_seconds']:.2f}",
            f"{s['cpu']['per_report_ms']:.3f}",
            f"{s['cpu']['validate_per_report_ms']:.3f}",
            f"{s['wall']['build_seconds']:.1f}" + (" (projected)" if s["projected"] else ""),
        ]
        for s in figures["sizes"]
    ]
    return [
        f"### Building reports\n\nMeasured {figures['measured']} on {figures['machine']} (load average "
        f"{figures['load_average']}); CPU time per report grew {figures['growth_per_report']:.2f}× from the "
        "smallest size to the largest.\n",
        table(["meters", "set-up CPU s", "CPU ms a report", "validation CPU ms a report", "all reports, wall s"], rows),
    ]


def _hot_paths(paths: dict) -> list[str]:
    rows = []
    for name, item in paths.items():
        if not isinstance(item, dict) or "steps" not in item:
            continue
        slowest = max(item["steps"], key=item["steps"].get)
        again = f"{item['unchanged_seconds']:.2f} s" if "unchanged_seconds" in item else "–"
        rows.append([name, f"{item['command_seconds']:.2f} s", again, slowest, f"{item['steps'][slowest]:.2f} s"])
    return [
        f"### Other hot paths\n\nMeasured {paths['measured']} on {paths['machine']}.\n",
        table(["path", "whole command", "sources unchanged", "slowest step", "its cost"], rows),
    ]


def _site_build(build: dict) -> list[str]:
    return [
        f"### `make site`\n\nMeasured {build['measured']} on {build['machine']} (load average "
        f"{build['load_average']} when the run started), from an empty build cache and then with the sources "
        f"unchanged (the fastest of the repeats; target under {build['target_seconds']:g} s).\n",
        table(
            ["build cache", "wall time", "CPU time"],
            [
                ["empty", f"{build['cold_seconds']:.1f} s", f"{build['cold_cpu_seconds']:.1f} s"],
                ["filled, sources unchanged", f"{build['warm_seconds']:.1f} s", f"{build['warm_cpu_seconds']:.1f} s"],
            ],
        ),
    ]


def _impact(impact: dict) -> list[str]:
    return [
        f"### Impact reports\n\nMeasured {impact['measured']} on {impact['machine']} (load average "
        f"{impact['load_average']} when the run started): `perseus impact {impact['old']} {impact['new']}` "
        f"as a command, beside one `perseus calculate --portfolio` of the same reference portfolio "
        f"({impact['meters']} meters, {impact['readings']:,} readings); the fastest of the runs counts.\n",
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
        ),
    ]


SECTIONS = {
    "portfolio": _portfolio,
    "meter_year": _meter_year,
    "reports": _reports,
    "hot_paths": _hot_paths,
    "site_build": _site_build,
    "impact": _impact,
}


def figures_markdown(path: Path = RESULTS) -> str:
    if not path.exists():
        return "No figures recorded yet: run `make bench RECORD=1`.\n"
    results = json.loads(path.read_text())
    out = []
    for section, render in SECTIONS.items():
        if section in results:
            out += render(results[section])
    return "\n".join(out)
