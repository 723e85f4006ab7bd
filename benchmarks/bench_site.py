"""Benchmark: `make site` from an empty build cache, then again with the sources unchanged.

The second run must take under 15 s on 2 idle cores: `perseus generate` and the site
hook find every piece of work (LinkML cuts, generated files, worked examples, charts,
rendered sections) in the build cache under the hash of its inputs. The cache used here
is a scratch folder (PERSEUS_CACHE), so the figures do not depend on earlier builds.
Figures go to .bench/results.json (section `site_build`); with --record to the tracked
benchmarks/results.json, which the site shows.

    python benchmarks/bench_site.py [--repeat N] [--record]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from results import ROOT, add_record_option, record  # noqa: E402

TARGET_SECONDS = 15.0


def make_site(cache: Path) -> tuple[float, float]:
    """Wall and CPU seconds (children, user + system) of one `make site`."""
    env = dict(os.environ, PERSEUS_CACHE=str(cache), NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(["make", "-s", "site"], cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"make site failed:\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="unchanged runs after the first; the fastest counts")
    add_record_option(parser)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="perseus-cache-") as scratch:
        cold = make_site(Path(scratch))
        warm = min((make_site(Path(scratch)) for _ in range(args.repeat)), key=lambda run: run[0])
    print(f"make site ({os.cpu_count()} CPUs, load average {load:.1f} at start)")
    print(f"  empty build cache      {cold[0]:6.1f} s wall, {cold[1]:6.1f} s CPU")
    print(
        f"  sources unchanged      {warm[0]:6.1f} s wall, {warm[1]:6.1f} s CPU   (target: under {TARGET_SECONDS:g} s)"
    )
    record(
        "site_build",
        {
            "cold_seconds": round(cold[0], 2),
            "cold_cpu_seconds": round(cold[1], 2),
            "warm_seconds": round(warm[0], 2),
            "warm_cpu_seconds": round(warm[1], 2),
            "target_seconds": TARGET_SECONDS,
            "load_average": round(load, 1),
            "cpus": os.cpu_count(),
        },
        tracked=args.record,
    )
    return 0 if warm[0] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
