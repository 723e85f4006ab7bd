"""Reports written on every core are the reports one process writes, each built without scanning the meters table."""

from __future__ import annotations

import pytest

from perseus.portfolio import calculate_portfolio
from perseus.portfolio import output as out
from perseus.portfolio.reports import json_line
from tests.portfolio_helpers import TAKEN_AT, small_portfolio


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return calculate_portfolio(
        small_portfolio(tmp_path_factory.mktemp("portfolio"), meters=30, buckets=3), taken_at=TAKEN_AT
    )


def test_forked_workers_write_the_lines_one_process_writes(run, monkeypatch):
    one = list(out.report_lines(run, workers=1))
    monkeypatch.setattr(out, "METERS_PER_TASK", 7)  # several runs per worker, the last one short
    forked = list(out.report_lines(run, workers=2, parallel_from=1))
    assert len(forked) == 5 and len(one) == 30
    assert "".join(forked) == "".join(one)
    assert one == [json_line(report) for _, report in run.reports()]


def test_a_report_that_fails_in_a_worker_stops_the_run_and_leaves_no_file(run, monkeypatch, tmp_path):
    from perseus.calculator import report

    real = report.check

    def refuse_one(made, what="the report"):
        if "synthetic-portfolio-000017" in what:
            raise RuntimeError(f"{what} would not be valid")
        real(made, what)

    monkeypatch.setattr(report, "check", refuse_one)
    monkeypatch.setattr(out, "PARALLEL_FROM", 1)
    monkeypatch.setattr(out, "METERS_PER_TASK", 4)
    target = tmp_path / "reports.jsonl"
    with pytest.raises(RuntimeError, match="the report of meter 'synthetic-portfolio-000017' would not be valid"):
        run.write(target)
    assert list(tmp_path.iterdir()) == []


def test_building_a_report_never_goes_back_to_the_meters_table(run):
    """What a report needs of the meters table (position, region, outcode) is looked up once for all meters, so
    building the reports is linear in meters; filtering the table per report made it quadratic."""
    from dataclasses import replace

    builder = run.report_builder()
    expected = [json_line(report) for _, report in builder.reports()]
    builder.portfolio = replace(builder.portfolio, meters=None)  # any use of it now fails
    assert [json_line(report) for _, report in builder.reports()] == expected


def test_the_kernel_runs_the_files_in_worker_processes_with_the_same_figures_bit_for_bit(run, tmp_path, monkeypatch):
    """Both cores: on Linux the local engine sends each file to a forked worker process (threads would share one
    GIL); every file's result is the in-process one, bit for bit."""
    import os

    from perseus.portfolio import engines

    alone = engines.run_local(run.portfolio, run.context, workers=1)
    real = engines.aggregate

    def noting_the_process(*args, **kwargs):
        (tmp_path / f"pid-{os.getpid()}").touch()
        return real(*args, **kwargs)

    monkeypatch.setattr(engines, "aggregate", noting_the_process)
    shared = engines.run_local(run.portfolio, run.context, workers=2)
    pids = {int(p.name.removeprefix("pid-")) for p in tmp_path.glob("pid-*")}
    assert pids and os.getpid() not in pids
    assert len(alone) == len(shared) == len(run.portfolio.partitions) == 6
    for one, other in zip(alone, shared, strict=True):
        assert list(one.columns) == list(other.columns)
        assert all(one[c].tobytes() == other[c].tobytes() for c in one.columns)
