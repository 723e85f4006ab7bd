"""The portfolios the benchmark runs on, written once and cached (by default under .bench/, untracked).

- generator: `perseus synth --format portfolio` as a user runs it: ids and units
  dictionary-encoded, rows sorted by meter and time, lz4; the calculator's best case.
- user: the same rows as a user writes them with pandas (`DataFrame.to_parquet`):
  plain string columns, nanosecond timestamps, snappy, pandas' row groups.
- shuffled: the user files with their rows in random order (each file still holds
  whole meters, as the layout asks).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LAYOUTS = {
    "generator": "perseus synth --format portfolio (dictionary ids, sorted, lz4)",
    "user": "written by pandas (plain strings, sorted, snappy)",
    "shuffled": "written by pandas, rows shuffled (plain strings, snappy)",
}
VERSION = 1  # bump when what a layout holds changes, so that cached portfolios are written again
PERSEUS = str(Path(sys.executable).with_name("perseus"))


@dataclass(frozen=True)
class Size:
    meters: int
    types: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Size:
        """`1000` is electricity; `5000+gas` electricity and gas."""
        count, _, extra = text.partition("+")
        types = ("electricity", "gas") if extra == "gas" else ("electricity",)
        if extra not in ("", "gas"):
            raise SystemExit(f"size {text!r}: give METERS or METERS+gas")
        return cls(int(count), types)

    @property
    def label(self) -> str:
        return f"{self.meters:,} meters, " + " + ".join(self.types)

    @property
    def key(self) -> str:
        return f"{self.meters}{'+gas' if 'gas' in self.types else ''}"


def portfolio(cache: Path, size: Size, layout: str) -> tuple[Path, dict]:
    """The portfolio directory of that size and layout, written when missing; and what was written."""
    directory = cache / f"portfolio-{layout}-{size.meters}-{'-'.join(size.types)}-v{VERSION}"
    marker = directory / "written.json"
    if not marker.exists():
        shutil.rmtree(directory, ignore_errors=True)
        if layout == "generator":
            _synth(directory, size)
        else:
            _rewrite(portfolio(cache, size, "generator")[0], directory, shuffle=layout == "shuffled")
        import pyarrow.parquet as pq

        files = sorted((directory / "readings").rglob("*.parquet"))
        summary = {
            "readings": sum(pq.ParquetFile(f).metadata.num_rows for f in files),
            "files": len(files),
            "bytes": sum(f.stat().st_size for f in files),
        }
        marker.write_text(json.dumps(summary))
        print(
            f"  wrote the {layout} layout of {size.label}: {summary['readings']:,} readings in {summary['files']} files "
            f"({summary['bytes'] / 1e6:,.0f} MB)",
            flush=True,
        )
    return directory, json.loads(marker.read_text())


def _synth(directory: Path, size: Size) -> None:
    directory.parent.mkdir(parents=True, exist_ok=True)
    kind = "both" if len(size.types) == 2 else size.types[0]
    done = subprocess.run(
        [
            PERSEUS,
            "synth",
            "--format",
            "portfolio",
            "--meters",
            str(size.meters),
            "--type",
            kind,
            "--output",
            str(directory),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"perseus synth --format portfolio failed:\n{done.stderr}")


def _rewrite(source: Path, directory: Path, shuffle: bool) -> None:
    """Every table read into pandas (ids as str) and written back with pandas' defaults."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    for path in sorted(source.rglob("*.parquet")):
        frame = pd.read_parquet(path)
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(str)
        if "from" in frame.columns:
            frame["from"] = frame["from"].astype("datetime64[ns, UTC]")
        if shuffle and "readings" in path.parts:
            frame = frame.iloc[rng.permutation(len(frame))]
        target = directory / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(target, index=False)
    for sidecar in source.glob("*.yaml"):
        shutil.copy(sidecar, directory / sidecar.name)


def warm(directory: Path) -> None:
    """Read every file once, so that no engine is the one that pays for a cold page cache."""
    for path in directory.rglob("*.parquet"):
        with open(path, "rb") as stream:
            while stream.read(1 << 24):
                pass
