"""Run the kernel over every readings partition: locally (a loop over files) or on a Dask cluster."""

from __future__ import annotations

import sys

import pandas as pd

from perseus.calculator.errors import Breach, CalculationError, Labels
from perseus.calculator.kernel import RESULT_COLUMNS, KernelContext, aggregate, empty_result
from perseus.portfolio.layout import READING_CALORIFIC, Partition, Portfolio

ENGINES = ("local", "dask")


def read_partition(partition: Partition):
    """Only the columns the methodology needs; ids and units stay dictionary-encoded."""
    import pyarrow.parquet as pq

    try:
        return pq.read_table(
            partition.path, columns=partition.columns, read_dictionary=["meter", "unitCode"], use_threads=False
        )  # parallel across files instead (see run_local)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise CalculationError(
            [Breach(partition.relative, "", "readable-input", f"cannot read as Parquet: {exc}")]
        ) from exc


def run_local(
    portfolio: Portfolio, context: KernelContext, progress: bool = False, threads: int | None = None
) -> list[pd.DataFrame]:
    """One result frame per partition, in partition order. One file per core is in flight at once: reading
    Parquet and most numpy operations release the GIL, so the threads overlap reading and computing. (With
    the kernel's slower steps of before, a third thread filled the gaps; now, on 2 cores, two beat three.)"""
    import os
    from concurrent.futures import ThreadPoolExecutor

    threads = threads or os.cpu_count() or 2

    from tqdm import tqdm

    def one(partition: Partition) -> pd.DataFrame:
        return aggregate(
            lambda: read_partition(partition), partition.energy_type, Labels.of_file(partition.relative), context
        )

    bar = tqdm(
        total=portfolio.readings,
        unit="readings",
        unit_scale=True,
        disable=not progress,
        file=sys.stderr,
        dynamic_ncols=True,
        desc="portfolio",
    )
    results: list[pd.DataFrame] = []
    meters = 0
    with bar, ThreadPoolExecutor(max_workers=threads) as pool:
        for partition, frame in zip(portfolio.partitions, pool.map(one, portfolio.partitions), strict=True):
            results.append(frame)
            meters += frame["meter"].nunique()
            bar.set_postfix_str(f"{meters:,} meter series done", refresh=False)
            bar.update(partition.rows)
    return results


def run_dask(
    portfolio: Portfolio, context: KernelContext, scheduler: str | None = None, progress: bool = False, client=None
) -> list[pd.DataFrame]:
    """The same kernel in `map_partitions` over `dask.dataframe.read_parquet`, one Dask partition per file.

    `scheduler` is the address of a running cluster (tcp://host:8786); without it a local
    cluster of two workers starts for the run. `client` lets a caller (a test) bring its own.
    """
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    own_cluster = own_client = None
    if client is None:
        if scheduler:
            client = own_client = Client(scheduler)
        else:
            own_cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = own_client = Client(own_cluster)
    try:
        names = [p.relative for p in portfolio.partitions]
        types = [p.energy_type for p in portfolio.partitions]
        some = [p for p in portfolio.partitions if p.calorific]
        if some and len(some) < len(portfolio.partitions):  # one Dask frame has one set of columns
            other = next(p for p in portfolio.partitions if not p.calorific)
            raise CalculationError(
                [
                    Breach(
                        other.relative,
                        "",
                        "readable-input",
                        f"with --engine dask every readings file has column {READING_CALORIFIC} or none does "
                        f"({some[0].relative} has it)",
                    )
                ]
            )
        frame = dd.read_parquet(
            [str(p.path) for p in portfolio.partitions],
            columns=portfolio.partitions[0].columns,
            split_row_groups=False,
            dataset={"partitioning": None},
        )
        meta = pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in RESULT_COLUMNS.items()})
        results = frame.map_partitions(_dask_kernel, names, types, context, meta=meta, align_dataframes=False)
        parts = results.to_delayed()
        if progress:
            import contextlib

            from dask.distributed import progress as show

            futures = client.compute(parts)
            with contextlib.redirect_stdout(sys.stderr):  # stdout may be carrying the JSON lines
                show(futures)
            computed = client.gather(futures)
        else:
            computed = client.gather(client.compute(parts))
        return list(computed)
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


def _dask_kernel(frame: pd.DataFrame, names, types, context, partition_info=None) -> pd.DataFrame:
    import pyarrow as pa

    if partition_info is None:  # dask calls once with an empty frame to check the output
        return empty_result()
    number = partition_info["number"]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return aggregate(table, types[number], Labels.of_file(names[number]), context)
