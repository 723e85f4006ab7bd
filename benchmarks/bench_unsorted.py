"""Benchmark: what a shuffled readings file costs the kernel over the same file sorted, against a stable sort by meter.

A SYNTHETIC portfolio (electricity and gas, one year per meter) is written once under
.bench/unsorted-METERS/sorted/, and a copy with every readings file's rows shuffled under
.../shuffled/. Every file is read into memory first; then, per layout, the CPU time
(process_time, best of --repeat) of the kernel over every file, and of a stable sort of
the files' meter column (`np.argsort(codes, kind="stable")`), the yardstick: a shuffled file
should cost the kernel no more than that over the sorted one. Figures are printed, not
written to the tracked tree.

    python benchmarks/bench_unsorted.py [--meters 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench"


def write(directory: Path, meters: int) -> None:
    from perseus.portfolio.synthetic import write_portfolio

    if not (directory / "sorted").exists():
        write_portfolio(directory / "sorted", meters=meters)
    if (directory / "shuffled").exists():
        return
    shutil.copytree(directory / "sorted", directory / "shuffled")
    rng = np.random.default_rng(1)
    for path in sorted((directory / "shuffled" / "readings").rglob("*.parquet")):
        table = pq.read_table(path)
        pq.write_table(table.take(rng.permutation(table.num_rows)), path, compression="lz4", row_group_size=1 << 20)


def best_cpu(work, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def measure(root: Path, repeat: int) -> tuple[int, float, float]:
    """Readings, the kernel's CPU seconds over every file, and a stable sort by meter's."""
    from perseus.calculator.errors import Labels
    from perseus.calculator.kernel import aggregate
    from perseus.calculator.methods import chosen_methodologies, methodology_for
    from perseus.paths import METHODOLOGIES
    from perseus.portfolio import context, layout

    portfolio = layout.open_portfolio(root)
    chosen = {
        t: methodology_for(t, chosen_methodologies((), METHODOLOGIES), METHODOLOGIES) for t in ("electricity", "gas")
    }
    ctx, _ = context.build(portfolio, chosen, None, (None, None))
    tables = [
        (p, pq.read_table(p.path, columns=p.columns, read_dictionary=["meter", "unitCode"]))
        for p in portfolio.partitions
    ]
    codes = [t.column("meter").combine_chunks().indices.to_numpy() for _, t in tables]

    def kernel() -> None:
        for p, t in tables:
            aggregate(t, p.energy_type, Labels.of_file(p.relative), ctx)

    def stable_sort() -> None:
        for c in codes:
            np.argsort(c, kind="stable")

    return sum(t.num_rows for _, t in tables), best_cpu(kernel, repeat), best_cpu(stable_sort, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    directory = CACHE / f"unsorted-{args.meters}"
    write(directory, args.meters)
    found = {name: measure(directory / name, args.repeat) for name in ("sorted", "shuffled")}
    for name, (readings, kernel, reference) in found.items():
        print(
            f"{name:8s} {readings:,} readings: kernel {kernel:.2f} CPU-s; a stable sort by meter {reference:.2f} CPU-s"
        )
    extra = found["shuffled"][1] - found["sorted"][1]
    reference = found["shuffled"][2]
    print(
        f"shuffled costs the kernel {extra:.2f} CPU-s more than sorted; a stable sort of its meter column: "
        f"{reference:.2f} CPU-s ({'within' if extra <= reference else 'over'} the yardstick)"
    )


if __name__ == "__main__":
    main()
