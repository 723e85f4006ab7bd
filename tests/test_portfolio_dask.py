"""The Dask engine runs the same kernel and gives the same reports as the local engine."""

from __future__ import annotations

import pytest

from perseus.portfolio import calculate_portfolio
from perseus.portfolio.reports import json_line
from tests.calc_helpers import normalised
from tests.portfolio_helpers import TAKEN_AT, small_portfolio
from tests.test_architecture import BUILD_TIME

pytestmark = pytest.mark.slow  # a local cluster of two workers starts for each module
distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    return small_portfolio(tmp_path_factory.mktemp("portfolio"), meters=12, buckets=3)


@pytest.fixture(scope="module")
def cluster():
    """Two workers in this process over TCP, so that `scheduler=ADDRESS` is exercised as on a real cluster."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None
    ) as local:
        yield local


def lines(run) -> list[str]:
    return [json_line(normalised(report)) for _, report in run.reports()]


def test_dask_gives_the_same_reports_as_the_local_engine(portfolio, cluster):
    local = calculate_portfolio(portfolio, taken_at=TAKEN_AT)
    on_dask = calculate_portfolio(portfolio, taken_at=TAKEN_AT, engine="dask", scheduler=cluster.scheduler_address)
    assert len(lines(local)) == 12
    assert lines(on_dask) == lines(local)  # identical JSON, provenance step ids replaced by their position
    assert on_dask.entries.equals(local.entries)  # unrounded totals included


def test_the_kernel_runs_once_per_file_on_the_workers(portfolio, cluster):
    with distributed.Client(cluster.scheduler_address) as client, distributed.get_task_stream(client) as stream:
        run = calculate_portfolio(portfolio, taken_at=TAKEN_AT, engine="dask", client=client)
    kernel = [task for task in stream.data if "dask_kernel" in str(task["key"])]
    assert len(kernel) == len(run.portfolio.partitions) == 6
    assert {task["worker"] for task in kernel} <= set(cluster.scheduler_info["workers"])


def test_a_bad_partition_is_reported_from_the_worker(portfolio, cluster, tmp_path):
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    from perseus.calculator.errors import CalculationError

    copy = shutil.copytree(portfolio, tmp_path / "p")
    path = sorted((copy / "readings" / "type=gas").rglob("*.parquet"))[0]
    table = pq.read_table(path).to_pandas()
    table.loc[9, "value"] = -1.0
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path)
    with pytest.raises(CalculationError) as caught:
        calculate_portfolio(copy, taken_at=TAKEN_AT, engine="dask", scheduler=cluster.scheduler_address)
    breach = caught.value.breaches[0]
    assert (breach.file, breach.record, breach.rule) == (str(path.relative_to(copy)), "row 10", "non-negative")


def test_the_command_sends_the_work_to_a_running_scheduler(portfolio, cluster, tmp_path, perseus):
    """`perseus calculate --engine dask --scheduler ADDRESS` from another process: the job, its context and the
    kernel travel to the workers pickled, as they do to a real cluster."""
    import json

    target = tmp_path / "reports.jsonl"
    done = perseus(
        "calculate",
        "--portfolio",
        portfolio,
        "--taken-at",
        TAKEN_AT,
        "--engine",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
        "--output",
        target,
    )
    assert done.returncode == 0, done.stderr
    local = calculate_portfolio(portfolio, taken_at=TAKEN_AT)
    assert [json_line(normalised(json.loads(line))) for line in target.read_text().splitlines()] == lines(local)


def _modules_of_concern() -> list[str]:
    """Run on a worker: the build-time modules it loaded, and dask.dataframe (the pandas round trip of before)."""
    import sys

    concern = (*BUILD_TIME, "dask.dataframe")
    return sorted(m for m in sys.modules if m in concern or m.startswith(tuple(c + "." for c in concern)))


def test_worker_processes_read_with_pyarrow_and_load_only_the_runtime(portfolio):
    """Worker processes of their own (spawned, as on a real cluster), so that what they import is theirs."""
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as spawned,
        distributed.Client(spawned) as client,
    ):
        run = calculate_portfolio(portfolio, taken_at=TAKEN_AT, engine="dask", client=client)
        loaded = client.run(_modules_of_concern)
        kernels = client.run(lambda: "perseus.calculator.kernel" in __import__("sys").modules)
    assert run.entries.equals(calculate_portfolio(portfolio, taken_at=TAKEN_AT).entries)  # the same sums, bit for bit
    assert all(kernels.values()) and len(kernels) == 2, "both workers ran the kernel"
    assert loaded == {worker: [] for worker in loaded}


def test_files_with_and_without_reading_calorific_values_mix(portfolio, cluster, tmp_path):
    """Each task reads its own file's columns: one gas file may carry calorificValue while the others do not."""
    import shutil

    from tests.portfolio_helpers import rewrite

    copy = shutil.copytree(portfolio, tmp_path / "p")
    path = sorted((copy / "readings" / "type=gas").rglob("*.parquet"))[0]
    rewrite(path, lambda table: table.insert(len(table.columns), "calorificValue", 38.7))
    local = calculate_portfolio(copy, taken_at=TAKEN_AT)
    on_dask = calculate_portfolio(copy, taken_at=TAKEN_AT, engine="dask", scheduler=cluster.scheduler_address)
    assert on_dask.entries.equals(local.entries)
    assert (
        local.entries.equals(calculate_portfolio(portfolio, taken_at=TAKEN_AT).entries) is False
    )  # the values were used
