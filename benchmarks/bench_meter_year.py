"""Benchmark: `perseus calculate` on one meter-year of MeterData JSON, beside `python -c "import pandas"`.

The smallest whole command a user runs: one SYNTHETIC meter-year (17,520 half-hours,
`perseus synth`) of electricity, then of electricity and gas, with its grid intensity
(NESO JSON shape). Each run is a fresh process; the three commands alternate over
the rounds. Goal: under 1 s of wall time on an idle machine (the load average is
printed with the figures: on a loaded machine every figure grows alike, the
import of pandas included).

    python benchmarks/bench_meter_year.py [--rounds 5] [--record]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import timing
from datasets import PERSEUS
from results import CACHE, ROOT, add_record_option, record

TAKEN_AT = "2026-01-02T00:00:00Z"
GOAL_SECONDS = 1.0


def inputs(cache: Path) -> dict[str, Path]:
    folder = cache / "meter-year"
    consumption = folder / "consumption"
    files = {
        "electricity": consumption / "synthetic-office-001-electricity.json",
        "gas": consumption / "synthetic-office-001-gas.json",
        "intensity": folder / "intensity.json",
    }
    if not all(path.exists() for path in files.values()):
        done = subprocess.run(
            [
                PERSEUS,
                "synth",
                "--archetype",
                "office",
                "--gas-unit",
                "MTQ",
                "--seed",
                "7",
                "--output",
                str(consumption),
                "--intensity-output",
                str(files["intensity"]),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"perseus synth failed:\n{done.stderr}")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each command, alternated (default 5)")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where the inputs are kept (default .bench/)")
    add_record_option(parser)
    args = parser.parse_args(argv)
    files = inputs(args.cache)
    with tempfile.TemporaryDirectory() as scratch:
        calculate = [PERSEUS, "calculate", "--intensity", str(files["intensity"]), "--taken-at", TAKEN_AT, "--output"]
        commands = {
            "perseus calculate, electricity": [
                *calculate,
                f"{scratch}/e.json",
                "--consumption",
                str(files["electricity"]),
            ],
            "perseus calculate, electricity + gas": [
                *calculate,
                f"{scratch}/eg.json",
                "--consumption",
                str(files["electricity"]),
                str(files["gas"]),
            ],
            'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
        }
        started = timing.load()
        runs = timing.alternated(commands, args.rounds, cwd=ROOT)
    figures = {
        name: {"wall": timing.spread([r.wall for r in rs]), "cpu": timing.spread([r.cpu for r in rs])}
        for name, rs in runs.items()
    }
    print(
        f"one meter-year of MeterData JSON (17,520 half-hours a type), whole commands, {args.rounds} rounds, "
        f"load average {started} → {timing.load()}"
    )
    print(f"    {'command':<40}{'wall s: min':>12}{'median':>8}{'max':>8}{'CPU s':>8}")
    for name, f in figures.items():
        print(
            f"    {name:<40}{f['wall']['min']:>12.2f}{f['wall']['median']:>8.2f}{f['wall']['max']:>8.2f}{f['cpu']['median']:>8.2f}"
        )
    ours = figures["perseus calculate, electricity"]["wall"]["median"]
    pandas = figures['python -c "import pandas"']["wall"]["median"]
    verdict = "met" if ours < GOAL_SECONDS else f"not met here ({ours / GOAL_SECONDS:.1f}× the goal)"
    print(
        f"    goal: under {GOAL_SECONDS:g} s on an idle machine: {verdict}; the command takes {ours / pandas:.1f}× "
        "the import of pandas on the same machine at the same time"
    )
    where = record(
        "meter_year",
        {"rounds": args.rounds, "load": started, "commands": json_safe(figures)},
        tracked=args.record,
        cache=args.cache,
    )
    print(f"figures written to {where}")
    return 0


def json_safe(figures: dict) -> dict:
    return {
        name: {k: {s: round(v, 3) for s, v in spread.items()} for k, spread in f.items()} for name, f in figures.items()
    }


if __name__ == "__main__":
    sys.exit(main())
