"""Write a portfolio run: JSON lines of reports or a Parquet table of entries, atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from perseus.portfolio.reports import json_line


def write_output(run, target: Path | None, stream=None) -> int:
    if target is None:  # JSON lines to a stream (stdout): validated in full before the first line goes out
        lines = [json_line(report) for _, report in run.reports()]
        (stream or sys.stdout).writelines(lines)
        return len(lines)
    kind = target.suffix.lower()
    if kind not in (".jsonl", ".parquet"):
        raise ValueError(f"{target}: the output name must end in .jsonl (reports) or .parquet (entries)")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if kind == ".jsonl":
            count = 0
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                for _, report in run.reports():
                    out.write(json_line(report))
                    count += 1
        else:
            os.close(handle)
            entries = run.entries
            entries.to_parquet(temporary, index=False)
            count = len(entries)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
