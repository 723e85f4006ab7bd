"""Benchmark: `perseus calculate --portfolio` against DuckDB and polars, whole commands, on the same files.

Every run is a fresh process, timed from start to exit as a user meets it (imports
included): `perseus calculate --portfolio DIR --output entries.parquet`, and the peer
query of benchmarks/peers.py run by `python benchmarks/peers.py ENGINE ...`. The
engines alternate within each round (the order turns each round). For each size and
layout (benchmarks/datasets.py) it prints min/median/max wall time and median CPU
time of each engine, and the ratio peer ÷ ours (above 1: we are faster), on the
medians and over the rounds; then checks that every peer's monthly totals equal ours
(1e-9 relative, same reading counts), and closes with the goals and how far each is.

Figures go to .bench/results.json; with --record to benchmarks/results.json (tracked).

    python benchmarks/bench_portfolio.py                      # every size and layout, 3 rounds
    python benchmarks/bench_portfolio.py --quick              # 100 and 1,000 meters, 2 rounds
    python benchmarks/bench_portfolio.py --sizes 1000,5000+gas --layouts user --rounds 5 --dask
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import datasets
import peers
import timing
from results import CACHE, ROOT, add_record_option, record

TAKEN_AT = "2026-01-02T00:00:00Z"
SIZES = "100,1000,5000,5000+gas"
QUICK_SIZES = "100,1000"
PEERS_SCRIPT = str(Path(peers.__file__).resolve())
GOALS = ((1000, 2.0), (100, 1.0))  # from this many meters up, at least this ratio to the best peer


def commands(engines: list[str], directory: Path, out: Path, constants: dict) -> dict[str, list[str]]:
    ours = [datasets.PERSEUS, "calculate", "--portfolio", str(directory), "--taken-at", TAKEN_AT]
    found = {}
    for engine in engines:
        if engine == "perseus":
            found[engine] = [*ours, "--output", str(out / "perseus.parquet")]
        elif engine == "perseus-dask":  # a local cluster of two worker processes starts for the run
            found[engine] = [*ours, "--engine", "dask", "--output", str(out / "perseus-dask.parquet")]
        else:
            found[engine] = [
                sys.executable,
                PEERS_SCRIPT,
                engine,
                str(directory),
                str(out / f"{engine}.parquet"),
                json.dumps(constants),
            ]
    return found


def measure(cache: Path, size: datasets.Size, layout: str, engines: list[str], rounds: int) -> dict:
    directory, written = datasets.portfolio(cache, size, layout)
    datasets.warm(directory)
    constants = peers.constants(list(size.types))
    started_load = timing.load()
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        out = Path(scratch)
        runs = timing.alternated(commands(engines, directory, out, constants), rounds, cwd=ROOT)
        agreement = {
            e: peers.agreement(out / "perseus.parquet", out / f"{e}.parquet") for e in engines if e in peers.PEERS
        }
        if "perseus-dask" in engines:
            agreement["perseus-dask"] = dask_agreement(out / "perseus.parquet", out / "perseus-dask.parquet")
    ours = runs["perseus"]
    figures = {
        "size": size.key,
        "meters": size.meters,
        "types": list(size.types),
        "layout": layout,
        **written,
        "rounds": rounds,
        "load": [started_load, timing.load()],
        "agreement": agreement,
        "engines": {},
        "ratios": {},
    }
    for engine, engine_runs in runs.items():
        figures["engines"][engine] = {
            "wall": timing.spread([r.wall for r in engine_runs]),
            "cpu": timing.spread([r.cpu for r in engine_runs]),
            "peak_mb": max(r.peak_mb for r in engine_runs),
        }
        if engine != "perseus":
            per_round = [theirs.wall / mine.wall for theirs, mine in zip(engine_runs, ours, strict=True)]
            figures["ratios"][engine] = {
                "median": figures["engines"][engine]["wall"]["median"]
                / figures["engines"]["perseus"]["wall"]["median"],
                "min": min(per_round),
                "max": max(per_round),
            }
    return json.loads(json.dumps(figures), parse_float=lambda text: round(float(text), 4))


def dask_agreement(ours: Path, theirs: Path) -> dict:
    import pandas as pd

    same = pd.read_parquet(ours).equals(pd.read_parquet(theirs))
    return {"agree": same, "rows": len(pd.read_parquet(ours)), "identical": same}


def show(f: dict) -> None:
    print(
        f"{f['meters']:,} meters, {' + '.join(f['types'])}: {f['readings']:,} readings, {f['layout']} layout "
        f"({datasets.LAYOUTS[f['layout']]}), {f['bytes'] / 1e6:,.0f} MB in {f['files']} files; "
        f"{f['rounds']} rounds, load average {f['load'][0]} → {f['load'][1]}"
    )
    print(
        f"    {'engine':<13}{'wall s: min':>12}{'median':>8}{'max':>8}{'CPU s':>8}{'cores':>7}{'peak MB':>9}   ratio peer ÷ ours"
    )
    for engine, e in f["engines"].items():
        ratio = f["ratios"].get(engine)
        shown = f"{ratio['median']:.2f} (rounds {ratio['min']:.2f}–{ratio['max']:.2f})" if ratio else ""
        print(
            f"    {engine:<13}{e['wall']['min']:>12.2f}{e['wall']['median']:>8.2f}{e['wall']['max']:>8.2f}"
            f"{e['cpu']['median']:>8.2f}{e['cpu']['median'] / e['wall']['median']:>7.2f}{e['peak_mb']:>9,.0f}   {shown}"
        )
    for engine, a in f["agreement"].items():
        verdict = "agree" if a["agree"] else "DISAGREE"
        detail = (
            f"max relative difference {a['max_relative_difference']:.1e}, {a['unmatched']} unmatched"
            if "max_relative_difference" in a
            else "entries identical"
        )
        print(f"    {engine} totals {verdict} with ours: {a['rows']:,} meter-months, {detail}")
    print(flush=True)


def closing_note(cases: list[dict]) -> list[str]:
    """Each goal, met or not, by how much; with what the figures say about why."""
    lines = []
    for f in cases:
        if not f["ratios"]:
            continue
        goal = next((g for m, g in GOALS if f["meters"] >= m), None)
        if goal is None:  # smaller than any goal's size (a test's portfolio)
            continue
        best, ratio = min(
            ((e, r["median"]) for e, r in f["ratios"].items() if e in peers.PEERS), key=lambda item: item[1]
        )
        ours, theirs = f["engines"]["perseus"], f["engines"][best]
        state = "met" if ratio >= goal else f"NOT met: ours would need to be {goal / ratio:.2f}× faster"
        why = ""
        if ratio < goal:
            why = (
                f"; CPU {ours['cpu']['median']:.1f} s against {theirs['cpu']['median']:.1f} s, "
                f"cores busy {ours['cpu']['median'] / ours['wall']['median']:.2f} against "
                f"{theirs['cpu']['median'] / theirs['wall']['median']:.2f}"
            )
        lines.append(
            f"  {f['meters']:>5,} meters {'+'.join(f['types']):<16} {f['layout']:<9} goal ≥ {goal:g}× the best peer "
            f"({best} {ratio:.2f}×): {state}{why}"
        )
    fits = fixed_costs([f for f in cases if f["layout"] == "generator" and f["types"] == ["electricity"]])
    for engine, (fixed, per_reading) in fits.items():
        lines.append(
            f"  {engine}: fixed cost {fixed:.2f} s, then {per_reading * 1e9:.0f} ns per reading "
            "(least squares over the electricity sizes, generator layout, median wall time)"
        )
    return lines


def fixed_costs(cases: list[dict]) -> dict[str, tuple[float, float]]:
    import numpy as np

    if len({f["readings"] for f in cases}) < 2:
        return {}
    x = np.array([f["readings"] for f in cases], dtype=float)
    fits = {}
    for engine in cases[0]["engines"]:
        y = np.array([f["engines"][engine]["wall"]["median"] for f in cases])
        per_reading, fixed = np.polyfit(x, y, 1)
        fits[engine] = (float(fixed), float(per_reading))
    return fits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", help=f"comma-separated METERS or METERS+gas (default {SIZES}; --quick {QUICK_SIZES})"
    )
    parser.add_argument(
        "--layouts", default=",".join(datasets.LAYOUTS), help=f"of {', '.join(datasets.LAYOUTS)} (default all)"
    )
    parser.add_argument(
        "--rounds", type=int, help="rounds per size and layout, every engine once a round (default 3; --quick 2)"
    )
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} and 2 rounds, unless given")
    parser.add_argument(
        "--engines", default="perseus,duckdb,polars", help="perseus and peers (default perseus,duckdb,polars)"
    )
    parser.add_argument(
        "--dask", action="store_true", help="also time perseus --engine dask (a local two-worker cluster)"
    )
    parser.add_argument(
        "--cache", type=Path, default=CACHE, help="where portfolios and figures are kept (default .bench/)"
    )
    add_record_option(parser)
    args = parser.parse_args(argv)
    sizes = [datasets.Size.parse(s) for s in (args.sizes or (QUICK_SIZES if args.quick else SIZES)).split(",")]
    rounds = args.rounds or (2 if args.quick else 3)
    engines = args.engines.split(",") + (["perseus-dask"] if args.dask else [])
    layouts = args.layouts.split(",")
    unknown = [e for e in engines if e not in ("perseus", "perseus-dask", *peers.PEERS)] + [
        x for x in layouts if x not in datasets.LAYOUTS
    ]
    if unknown or "perseus" not in engines:
        parser.error(f"unknown engine or layout {', '.join(unknown)}" if unknown else "--engines must include perseus")
    args.cache.mkdir(parents=True, exist_ok=True)
    print(
        f"whole commands on the same Parquet files, a fresh process per run ({os.cpu_count()} CPUs, "
        f"load average {timing.load()} at start); ratio = peer wall time ÷ ours, above 1: perseus is faster\n",
        flush=True,
    )
    cases = []
    for size in sizes:
        for layout in layouts:
            cases.append(measure(args.cache, size, layout, engines, rounds))
            show(cases[-1])
    print("closing note")
    for line in closing_note(cases):
        print(line)
    where = record(
        "portfolio",
        {
            "cases": cases,
            "cpus": os.cpu_count(),
            "load_average": timing.load(),
            "engines": engines,
            "taken_at": TAKEN_AT,
        },
        tracked=args.record,
        cache=args.cache,
    )
    print(f"figures written to {where}")
    disagreeing = [f"{f['size']} {f['layout']}" for f in cases if not all(a["agree"] for a in f["agreement"].values())]
    if disagreeing:
        print(f"peers DISAGREE with perseus at {', '.join(disagreeing)}", file=sys.stderr)
    return 1 if disagreeing else 0


if __name__ == "__main__":
    sys.exit(main())
