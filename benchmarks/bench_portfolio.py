"""Benchmark: the portfolio calculator against DuckDB on the same Parquet files, at three sizes.

For each size a SYNTHETIC portfolio (electricity and gas, one year of half-hours per
meter) is written once under .bench/ and reused. Each engine then runs end to end in
its own subprocess, from the Parquet files to a Parquet table of monthly totals:

- perseus: `calculate_portfolio(...).write("entries.parquet")`, the methodology
  documents executed by the vectorised kernel;
- duckdb: one SQL query expressing the same methodology (regional intensity for
  electricity; volume correction, calorific value and the year's factor for gas),
  with `COPY (...) TO 'totals.parquet'`.

The unrounded monthly totals must agree to 1e-9 relative. Printed: readings/s of
each engine, their ratio, peak resident memory (ru_maxrss of the subprocess, and
above the process's resident size once its libraries are imported) against the
size of the input columns. Figures go to benchmarks/results.json for the site.

    python benchmarks/bench_portfolio.py [--sizes 100,300,1000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench"
RESULTS = Path(__file__).with_name("results.json")
TAKEN_AT = "2026-01-02T00:00:00Z"
GENERATOR_VERSION = 5  # bump when perseus.portfolio.synthetic changes what it writes


def resident_mb() -> float:
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # kilobytes on Linux


# --- the two engines, each run in a fresh subprocess -------------------------------------------


def work_perseus(portfolio: Path, out: Path, spec: dict) -> dict:
    import perseus.methodology.documents  # noqa: F401  (imports are not part of the timed work)
    import perseus.portfolio.assemble  # noqa: F401
    from perseus.portfolio import calculate_portfolio

    baseline = resident_mb()
    started = time.perf_counter()
    run = calculate_portfolio(portfolio, taken_at=TAKEN_AT)
    run.write(out)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    if not spec.get("reports"):
        return {"seconds": seconds, "baseline_mb": baseline, "peak_mb": peak}
    # The same run, also as one validated EmissionsReport per meter (JSON lines), timed on its own.
    started = time.perf_counter()
    lines = run.write(out.with_suffix(".jsonl"))
    return {
        "seconds": seconds,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "reports": lines,
        "reports_seconds": time.perf_counter() - started,
    }


DUCKDB_QUERY = """
WITH readings AS (
    -- Instants as plain UTC timestamps from their integer form: DuckDB's fast path (a TIMESTAMPTZ cast
    -- or date_trunc goes through ICU calendars and runs several times slower).
    SELECT meter, type, epoch_us("from") AS instant, make_timestamp(epoch_us("from")) AS utc, value, unitCode
    FROM read_parquet('{portfolio}/readings/*/*/*.parquet', hive_partitioning = true)
), meters AS (
    SELECT meter, type, CAST(region AS VARCHAR) AS region, calorificValue FROM read_parquet('{portfolio}/meters.parquet')
), intensity AS (
    SELECT epoch_us("from") AS instant, CAST(region AS VARCHAR) AS region, intensity FROM read_parquet('{portfolio}/intensity.parquet')
), factors AS (
    SELECT * FROM (VALUES {factors}) AS f(type, year, factor)
)
SELECT r.meter, r.type, date_trunc('month', r.utc) AS month,
       sum(CASE WHEN r.type = 'electricity'
                THEN (CASE WHEN r.unitCode = 'WHR' THEN r.value / 1000 ELSE r.value END) * i.intensity / {grams_per_kilogram}
                ELSE ((CASE r.unitCode WHEN 'WHR' THEN r.value / 1000 WHEN 'KWH' THEN r.value ELSE 0 END)
                      + (CASE WHEN r.unitCode = 'MTQ' THEN r.value ELSE 0 END) * {volume_correction}
                        * coalesce(m.calorificValue, {default_calorific_value}) / {megajoules_per_kilowatt_hour})
                     * f.factor END) AS total,
       count(*) AS present
FROM readings r
JOIN meters m ON m.meter = r.meter AND m.type = r.type
LEFT JOIN intensity i ON r.type = 'electricity' AND i.region = m.region AND i.instant = r.instant
LEFT JOIN factors f ON f.type = r.type AND f.year = year(r.utc)
GROUP BY ALL
"""


def work_duckdb(portfolio: Path, out: Path, spec: dict) -> dict:
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute("SET enable_progress_bar = false")
    baseline = resident_mb()
    started = time.perf_counter()
    query = DUCKDB_QUERY.format(portfolio=portfolio, **spec)
    connection.execute(f"COPY ({query}) TO '{out}' (FORMAT parquet)")
    return {
        "seconds": time.perf_counter() - started,
        "baseline_mb": baseline,
        "threads": connection.execute("SELECT current_setting('threads')").fetchone()[0],
    }


WORKERS = {"perseus": work_perseus, "duckdb": work_duckdb}


def worker_main(engine: str, portfolio: str, out: str, spec: str) -> int:
    figures = WORKERS[engine](Path(portfolio), Path(out), json.loads(spec))
    figures.setdefault("peak_mb", peak_mb())
    print(json.dumps(figures))
    return 0


# --- orchestration --------------------------------------------------------------------------


def methodology_constants() -> dict:
    """The parameters and factors the SQL needs, read from the same methodology documents and factor sets."""
    from perseus.calculator.factors import FactorTable
    from perseus.methodology.documents import DEFAULTS, resolve

    electricity, gas = resolve(DEFAULTS["electricity"]), resolve(DEFAULTS["gas"])
    rows = []
    for energy_type, m in (("electricity", electricity), ("gas", gas)):
        if m.uses("emission-factors"):
            table = FactorTable.of(m.factor_rule)
            years, values = table.years, table.values
            for year in range(2000, 2101):  # the latest-earlier rule, spelt out per calendar year
                earlier = years[years <= year]
                if len(earlier):
                    rows.append(f"('{energy_type}', {year}, {float(values[len(earlier) - 1])!r})")
    return {**electricity.parameters, **gas.parameters, "factors": ", ".join(rows)}


def portfolio_for(meters: int) -> Path:
    from perseus.portfolio.synthetic import write_portfolio

    directory = CACHE / f"portfolio-{meters}-v{GENERATOR_VERSION}"
    marker = directory / "written.json"
    if not marker.exists():
        import shutil

        shutil.rmtree(directory, ignore_errors=True)
        started = time.perf_counter()
        summary = write_portfolio(directory, meters=meters)
        summary["seconds"] = round(time.perf_counter() - started, 1)
        marker.write_text(json.dumps(summary))
        print(
            f"  synthesised {meters:,} meters ({summary['readings']:,} readings) in {summary['seconds']} s", flush=True
        )
    return directory


def input_columns_mb(directory: Path) -> float:
    """The four columns as the calculator reads them (Arrow; ids and units dictionary-encoded), file by file."""
    import pyarrow.parquet as pq

    total = 0
    for path in sorted((directory / "readings").rglob("*.parquet")):
        total += pq.read_table(
            path, columns=["meter", "from", "value", "unitCode"], read_dictionary=["meter", "unitCode"]
        ).nbytes
    return total / 1e6


def run_engine(engine: str, directory: Path, out: Path, spec: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", engine, str(directory), str(out), json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def agreement(ours: Path, theirs: Path) -> dict:
    import numpy as np
    import pandas as pd

    mine = pd.read_parquet(ours, columns=["meter", "type", "from", "emissionsUnrounded", "presentHalfHours"])
    mine = mine[mine["presentHalfHours"] > 0]
    other = pd.read_parquet(theirs)
    other["month"] = pd.to_datetime(other["month"], utc=True)
    joined = mine.merge(
        other, left_on=["meter", "type", "from"], right_on=["meter", "type", "month"], how="outer", indicator=True
    )
    unmatched = int((joined["_merge"] != "both").sum())
    both = joined[joined["_merge"] == "both"]
    relative = (
        np.abs(both["emissionsUnrounded"] - both["total"]) / np.maximum(np.abs(both["total"]), 1e-300)
    ).to_numpy()
    missing = int((~np.isfinite(relative)).sum())  # a NaN or NULL total on either side is a disagreement, never skipped
    return {
        "rows": int(len(both)),
        "unmatched": unmatched + missing,
        "max_relative_difference": float(np.max(relative, initial=0.0)) if not missing else float("inf"),
        "present_equal": bool((both["presentHalfHours"] == both["present"]).all()),
    }


def measure(meters: int, repeat: int, spec: dict) -> dict:
    import tempfile

    directory = portfolio_for(meters)
    readings = json.loads((directory / "written.json").read_text())["readings"]
    size = input_columns_mb(directory)
    figures = {"meters": meters, "readings": readings, "input_columns_mb": round(size, 1)}
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        outputs = {"perseus": Path(scratch) / "entries.parquet", "duckdb": Path(scratch) / "totals.parquet"}
        for engine in ("perseus", "duckdb"):
            runs = [run_engine(engine, directory, outputs[engine], {**spec, "reports": k == 0}) for k in range(repeat)]
            best = min(runs, key=lambda r: r["seconds"])
            figures[engine] = {
                "seconds": round(best["seconds"], 3),
                "readings_per_second": round(readings / best["seconds"]),
                "peak_mb": round(max(r["peak_mb"] for r in runs), 1),
                "above_baseline_mb": round(max(r["peak_mb"] - r["baseline_mb"] for r in runs), 1),
            }
            if "reports_seconds" in runs[0]:
                figures[engine]["json_lines_reports"] = runs[0]["reports"]
                figures[engine]["json_lines_seconds"] = round(runs[0]["reports_seconds"], 3)
        figures["agreement"] = agreement(outputs["perseus"], outputs["duckdb"])
    figures["ratio"] = round(figures["perseus"]["readings_per_second"] / figures["duckdb"]["readings_per_second"], 2)
    figures["perseus"]["peak_over_input"] = round(figures["perseus"]["peak_mb"] / size, 2)
    return figures


def print_size(f: dict) -> None:
    p, d, a = f["perseus"], f["duckdb"], f["agreement"]
    print(f"{f['meters']:>6,} meters  {f['readings']:>12,} readings  input columns {f['input_columns_mb']:,.0f} MB")
    print(
        f"    perseus  {p['readings_per_second'] / 1e6:7.1f} M readings/s  ({p['seconds']:.2f} s)  peak {p['peak_mb']:,.0f} MB "
        f"({p['above_baseline_mb']:,.0f} MB above the imported libraries; {p['peak_over_input']:.2f}× the input columns)"
    )
    if "json_lines_seconds" in p:
        print(
            f"             then {p['json_lines_reports']:,} validated reports as JSON lines in {p['json_lines_seconds']:.2f} s "
            f"({p['json_lines_reports'] / p['json_lines_seconds']:,.0f} meters/s; not part of the comparison)"
        )
    print(
        f"    duckdb   {d['readings_per_second'] / 1e6:7.1f} M readings/s  ({d['seconds']:.2f} s)  peak {d['peak_mb']:,.0f} MB "
        f"({d['above_baseline_mb']:,.0f} MB above the imported libraries)"
    )
    verdict = (
        "agree" if a["max_relative_difference"] <= 1e-9 and not a["unmatched"] and a["present_equal"] else "DISAGREE"
    )
    print(
        f"    ratio    {f['ratio']:.2f}× DuckDB's throughput (target ≥ 2)   totals {verdict}: "
        f"{a['rows']:,} meter-months, max relative difference {a['max_relative_difference']:.1e}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,300,1000", help="meters per portfolio, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine and size; the fastest counts")
    parser.add_argument("--worker", nargs=4, metavar=("ENGINE", "PORTFOLIO", "OUT", "SPEC"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(*args.worker)
    CACHE.mkdir(exist_ok=True)
    spec = methodology_constants()
    print(
        f"portfolio calculation, end to end from Parquet to Parquet ({os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at start)"
    )
    sizes = [measure(int(n), args.repeat, spec) for n in args.sizes.split(",")]
    for figures in sizes:
        print_size(figures)
    failed = [
        f["meters"] for f in sizes if f["agreement"]["max_relative_difference"] > 1e-9 or f["agreement"]["unmatched"]
    ]
    record("portfolio", {"sizes": sizes, "cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1)})
    return 1 if failed else 0


def record(section: str, figures: dict) -> None:
    """Merge one section into benchmarks/results.json (written atomically), stamped with the date and machine."""
    import datetime
    import platform

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = {
        **figures,
        "measured": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    temporary = RESULTS.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    temporary.replace(RESULTS)


if __name__ == "__main__":
    sys.exit(main())
