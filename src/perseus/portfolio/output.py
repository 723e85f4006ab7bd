"""Write a portfolio run: JSON lines of reports or a Parquet table of entries, atomically.

A report is Python work (its dicts, its provenance record, its JSON), so the GIL
keeps it to one core. For a large portfolio the lines are made in forked worker
processes, one per core, each on a run of consecutive meters, and written in the
meters table's order: the file is the same as one process writes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from perseus.portfolio.reports import ReportBuilder, json_line

PARALLEL_FROM = 2_000  # meters; below this, starting the workers costs more than they save
METERS_PER_TASK = 250  # a worker's run of meters: small enough to keep both cores busy to the end

_BUILDER: ReportBuilder | None = None  # what a forked worker builds from (inherited, never pickled)


def report_lines(run, workers: int | None = None, parallel_from: int = PARALLEL_FROM) -> Iterator[str]:
    """The JSON line of every meter's report, each validated, in the meters table's order."""
    global _BUILDER
    builder = run.report_builder()
    meters = builder.meter_ids
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(meters) < parallel_from or "fork" not in multiprocessing.get_all_start_methods():
        yield from (json_line(report) for _, report in builder.reports())
        return
    builder.hash_files(workers)  # once, before forking, rather than again in every worker
    _BUILDER = builder
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            tasks = [meters[k : k + METERS_PER_TASK] for k in range(0, len(meters), METERS_PER_TASK)]
            yield from pool.imap(_lines_of, tasks)
    finally:
        _BUILDER = None


def _lines_of(meters: list[str]) -> str:
    assert _BUILDER is not None, "runs in a worker forked by report_lines"
    return "".join(json_line(report) for _, report in _BUILDER.reports(meters=meters))


def write_output(run, target: Path | None, stream=None) -> int:
    if target is None:  # JSON lines to a stream (stdout): validated in full before the first line goes out
        lines = list(report_lines(run))
        (stream or sys.stdout).writelines(lines)
        return sum(text.count("\n") for text in lines)
    kind = target.suffix.lower()
    if kind not in (".jsonl", ".parquet"):
        raise ValueError(f"{target}: the output name must end in .jsonl (reports) or .parquet (entries)")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if kind == ".jsonl":
            count = 0
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                for text in report_lines(run):
                    out.write(text)
                    count += text.count("\n")
        else:
            import pyarrow.parquet as pq

            os.close(handle)
            entries = run.entries_table()
            pq.write_table(entries, temporary)
            count = entries.num_rows
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
