"""Run the kernel over every readings partition: locally (a loop over files) or on a Dask cluster."""

from __future__ import annotations

import contextlib
import sys

import numpy as np

from perseus.calculator.columns import Columns
from perseus.calculator.errors import Breach, CalculationError, Labels
from perseus.calculator.kernel import KernelContext, aggregate
from perseus.portfolio.layout import Partition, Portfolio

ENGINES = ("local", "dask")


def read_partition(partition: Partition):
    """Only the columns the methodology needs; ids and units stay dictionary-encoded. Through ParquetFile, as
    `pq.read_table` imports pandas (see perseus.calculator.arrow_buffers)."""
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(partition.path, read_dictionary=["meter", "unitCode"]).read(
            columns=partition.columns, use_threads=False
        )  # parallel across files instead (see run_local)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise CalculationError(
            [Breach(partition.relative, "", "readable-input", f"cannot read as Parquet: {exc}")]
        ) from exc


def partition_result(partition: Partition, context: KernelContext) -> Columns:
    """The kernel on one readings file: a few rows per meter and month (perseus.calculator.kernel.RESULT_COLUMNS)."""
    return aggregate(
        lambda: read_partition(partition), partition.energy_type, Labels.of_file(partition.relative), context
    )


def run_local(
    portfolio: Portfolio, context: KernelContext, progress: bool = False, workers: int | None = None
) -> list[Columns]:
    """One result frame per partition, in partition order, with one file per core in flight at once.

    The kernel's steps are Python calls around numpy on cache-sized slices, so threads would take turns at
    the GIL and keep about one core busy. On Linux the files therefore go to forked worker processes: each
    inherits the context and the portfolio (nothing is pickled but a file's number and its result, one row
    per meter and month). Elsewhere, or for a single file, threads (reading Parquet releases the GIL).
    Either way each file is computed alone, so the figures are the same bit for bit."""
    import os

    from tqdm import tqdm

    workers = min(workers or os.cpu_count() or 2, len(portfolio.partitions))
    bar = tqdm(
        total=portfolio.readings,
        unit="readings",
        unit_scale=True,
        disable=not progress,
        file=sys.stderr,
        dynamic_ncols=True,
        desc="portfolio",
    )
    results: list[Columns] = []
    meters = 0
    with bar, _pool(portfolio, context, workers) as pool:
        for partition, frame in zip(
            portfolio.partitions, pool.map(_one_file, range(len(portfolio.partitions))), strict=True
        ):
            results.append(frame)
            meters += len(np.unique(frame["meter"]))
            bar.set_postfix_str(f"{meters:,} meter series done", refresh=False)
            bar.update(partition.rows)
    return results


_RUN: tuple[Portfolio, KernelContext] | None = None  # what the workers compute from (a forked worker inherits it)


def _one_file(k: int) -> Columns:
    assert _RUN is not None, "set by _pool"
    portfolio, context = _RUN
    return partition_result(portfolio.partitions[k], context)


@contextlib.contextmanager
def _pool(portfolio: Portfolio, context: KernelContext, workers: int):
    """An executor whose map runs _one_file: forked processes where the platform forks safely, else threads."""
    global _RUN
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    _RUN = (portfolio, context)
    try:
        if workers > 1 and sys.platform == "linux":
            import multiprocessing

            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                yield pool
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                yield pool
    finally:
        _RUN = None


def run_dask(
    portfolio: Portfolio, context: KernelContext, scheduler: str | None = None, progress: bool = False, client=None
) -> list[Columns]:
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
            from dask.distributed import progress as show

            with contextlib.redirect_stdout(sys.stderr):  # stdout may be carrying the JSON lines
                show(futures)
        return list(client.gather(futures))
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
