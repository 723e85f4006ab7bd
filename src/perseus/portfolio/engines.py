"""Run the kernel over every readings partition: locally (a loop over files) or on a Dask cluster."""

from __future__ import annotations

import sys

import pandas as pd

from perseus.calculator.errors import Breach, CalculationError, Labels
from perseus.calculator.kernel import KernelContext, aggregate
from perseus.portfolio.layout import Partition, Portfolio

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


def partition_result(partition: Partition, context: KernelContext) -> pd.DataFrame:
    """The kernel on one readings file: a few rows per meter and month (perseus.calculator.kernel.RESULT_COLUMNS)."""
    return aggregate(
        lambda: read_partition(partition), partition.energy_type, Labels.of_file(partition.relative), context
    )


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
        for partition, frame in zip(
            portfolio.partitions,
            pool.map(partition_result, portfolio.partitions, [context] * len(portfolio.partitions)),
            strict=True,
        ):
            results.append(frame)
            meters += frame["meter"].nunique()
            bar.set_postfix_str(f"{meters:,} meter series done", refresh=False)
            bar.update(partition.rows)
    return results


def run_dask(
    portfolio: Portfolio, context: KernelContext, scheduler: str | None = None, progress: bool = False, client=None
) -> list[pd.DataFrame]:
    """The same kernel as a Dask task per readings file, each reading its file with pyarrow on the worker.

    The workers load only the runtime (the kernel and pyarrow; no dask.dataframe, no pandas round
    trip of the readings) and receive the context once. `scheduler` is the address of a running
    cluster (tcp://host:8786); without it a local cluster of two workers starts for the run.
    `client` lets a caller (a test) bring its own.
    """
    from dask.distributed import Client, LocalCluster

    own_cluster = own_client = None
    if client is None:
        if scheduler:
            client = own_client = Client(scheduler)
        else:
            own_cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = own_client = Client(own_cluster)
    try:
        import uuid

        shared = client.scatter(context, broadcast=True, hash=False)
        run = uuid.uuid4().hex[:8]  # task keys name the file; the token keeps runs sharing a cluster apart
        futures = client.map(
            partition_result,
            portfolio.partitions,
            context=shared,
            key=[f"dask_kernel-{run}-{p.relative}" for p in portfolio.partitions],
        )
        if progress:
            import contextlib

            from dask.distributed import progress as show

            with contextlib.redirect_stdout(sys.stderr):  # stdout may be carrying the JSON lines
                show(futures)
        return list(client.gather(futures))
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
