"""Where the benchmarks put their figures: .bench/results.json (untracked) unless asked to record them.

`--record` (or `make bench RECORD=1`) writes the tracked benchmarks/results.json instead,
the file the site's figures are rendered from; `make bench` alone never changes a tracked file.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench"
TRACKED = Path(__file__).with_name("results.json")
UNTRACKED = CACHE / "results.json"


def add_record_option(parser) -> None:
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"write the figures to {TRACKED.relative_to(ROOT)} (tracked; the site shows them) "
        f"instead of {UNTRACKED.relative_to(ROOT)}",
    )


def record(section: str, figures: dict, tracked: bool = False, cache: Path = CACHE) -> Path:
    """Merge one section into the results file (written atomically), stamped with the date and machine:
    the tracked file, or results.json in the cache folder (.bench/ unless a test gives its own)."""
    target = TRACKED if tracked else cache / UNTRACKED.name
    target.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(target.read_text()) if target.exists() else {}
    results[section] = {
        **figures,
        "measured": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    temporary.replace(target)
    return target
