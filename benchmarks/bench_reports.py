"""Benchmark: building one EmissionsReport per meter at 1,000, 10,000 and 100,000 SYNTHETIC meters.

Each size is a portfolio of one day of electricity and gas per meter (so that the
kernel's work stays small and the reports are what is measured), calculated in a
fresh process; then `run.reports(validate=False)` is timed: the time to the first
report (what is set up once) and the time per report after it, in wall and CPU
time. The CPU time per report must not grow with the number of meters (linear in
meters overall). When a size would take longer than --budget seconds, the reports
built within it are timed and the rest projected. Validation (what `run.reports()`
adds) is timed on the first reports alone: it is a fixed cost per report.

    python benchmarks/bench_reports.py [--sizes 1000,10000,100000] [--budget 30] [--record]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import timing
from results import CACHE, add_record_option, record

TAKEN_AT = "2025-01-03T00:00:00Z"
SIZES = "1000,10000,100000"
VALIDATED = 200  # reports validated to time validation per report
LINEAR = 1.5  # per-report time at the largest size within this factor of the smallest's: linear


def portfolio(cache: Path, meters: int) -> Path:
    from perseus.portfolio.synthetic import write_portfolio

    directory = cache / f"reports-{meters}"
    if not (directory / "written.json").exists():
        write_portfolio(
            directory,
            meters=meters,
            start=datetime(2025, 1, 1, tzinfo=UTC),
            end=datetime(2025, 1, 2, tzinfo=UTC),
            buckets=max(2, meters // 500),
        )
        (directory / "written.json").write_text("{}")
    return directory


def worker(directory: str, budget: float) -> dict:
    """Wall and CPU time (this process's, the builder is one thread) of the set-up and of each report after it."""
    from perseus.calculator.report import check
    from perseus.portfolio import calculate_portfolio

    clocks = (time.perf_counter, time.process_time)
    started = time.perf_counter()
    run = calculate_portfolio(directory, taken_at=TAKEN_AT)
    calculated = time.perf_counter() - started
    meters = len(set(run.portfolio.meters.frame["meter"].tolist()))
    begun = [clock() for clock in clocks]
    reports = run.reports(validate=False)
    kept = [next(reports)]
    first = [clock() - b for clock, b in zip(clocks, begun, strict=True)]
    built, begun = 1, [clock() for clock in clocks]
    for meter_report in reports:
        built += 1
        if len(kept) < VALIDATED:
            kept.append(meter_report)
        if built % 100 == 0 and time.perf_counter() - begun[0] + first[0] > budget:
            break
    per_report = [(clock() - b) / max(built - 1, 1) for clock, b in zip(clocks, begun, strict=True)]
    begun = [clock() for clock in clocks]
    for meter, report in kept:
        check(report, f"the report of meter {meter!r}")  # as run.reports() does
    validate = [(clock() - b) / len(kept) for clock, b in zip(clocks, begun, strict=True)]
    figures = {"meters": meters, "calculate_seconds": calculated, "built": built, "projected": built < meters}
    for name, k in (("wall", 0), ("cpu", 1)):
        figures[name] = {
            "first_report_seconds": first[k],
            "per_report_ms": per_report[k] * 1e3,
            "validate_per_report_ms": validate[k] * 1e3,
            "build_seconds": first[k] + per_report[k] * (meters - 1),
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=SIZES, help=f"meters per portfolio, comma-separated (default {SIZES})")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="seconds of report building per size at most (default 30)"
    )
    parser.add_argument("--cache", type=Path, default=CACHE, help="where portfolios are kept (default .bench/)")
    parser.add_argument("--worker", nargs=2, metavar=("DIR", "BUDGET"), help=argparse.SUPPRESS)
    add_record_option(parser)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker[0], float(args.worker[1]))))
        return 0
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"building reports (one a meter, electricity and gas, one day each), load average {timing.load()}")
    print(
        f"    {'meters':>8}{'set-up s':>10}{'ms a report':>13}{'CPU ms':>8}{'validation ms':>15}{'all reports s':>15}"
    )
    sizes = []
    for meters in (int(n) for n in args.sizes.split(",")):
        directory = portfolio(args.cache, meters)
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(directory), str(args.budget)], capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"building reports at {meters:,} meters failed:\n{done.stderr[-3000:]}")
        f = json.loads(done.stdout.strip().splitlines()[-1])
        sizes.append(f)
        note = f" (projected from {f['built']:,})" if f["projected"] else ""
        w, c = f["wall"], f["cpu"]
        print(
            f"    {f['meters']:>8,}{w['first_report_seconds']:>10.2f}{w['per_report_ms']:>13.3f}{c['per_report_ms']:>8.3f}"
            f"{w['validate_per_report_ms']:>15.2f}{w['build_seconds']:>15.1f}{note}",
            flush=True,
        )
    # CPU time decides: on a loaded machine the wall time per report varies with the load, not with the meters.
    first, last = sizes[0]["cpu"]["per_report_ms"], sizes[-1]["cpu"]["per_report_ms"]
    growth, scale = last / first, sizes[-1]["meters"] / sizes[0]["meters"]
    verdict = "linear" if growth <= LINEAR else f"NOT linear: each report costs {growth:.1f}× as much"
    print(
        f"    from {sizes[0]['meters']:,} to {sizes[-1]['meters']:,} meters ({scale:g}×): {verdict} "
        f"(CPU per report {first:.3f} → {last:.3f} ms; quadratic would be {scale:g}×)"
    )
    rounded = json.loads(json.dumps(sizes), parse_float=lambda text: round(float(text), 4))
    where = record(
        "reports",
        {"sizes": rounded, "growth_per_report": round(growth, 2), "load_average": timing.load()},
        tracked=args.record,
        cache=args.cache,
    )
    print(f"figures written to {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
