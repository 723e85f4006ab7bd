"""Build work kept on disk by the hash of its inputs, so that a second build with unchanged
sources does not run the calculator, matplotlib or LinkML again.

An entry is `.cache/<name>-<digest>.pickle`; its digest covers the contents and paths of
every input file, so any change to an input makes a new entry (and the old one is removed).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from perseus.paths import ROOT

CACHE = Path(os.environ.get("PERSEUS_CACHE", ROOT / ".cache"))
# Folders read directly at page time (not cached) or that no page depends on.
NOT_INPUTS = ("docs/", "tests/", "benchmarks/", "site/", "build/")
ALSO_INPUTS = ("tests/conformance/",)  # published as downloads
T = TypeVar("T")


@lru_cache(maxsize=1)
def source_files() -> tuple[str, ...]:
    """Every file of the repository a rendered page may depend on, relative to the root."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):  # not a clone: walk the tree
        listed = [
            p.relative_to(ROOT).as_posix()
            for p in ROOT.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
        ]
    keep = [f for f in listed if not f.startswith(NOT_INPUTS) or f.startswith(ALSO_INPUTS)]
    return tuple(sorted(f for f in keep if (ROOT / f).is_file()))


def digest(files: Iterable[str], salt: str = "") -> str:
    h = hashlib.sha256(f"{sys.version}\0{salt}\0".encode())
    for rel in files:
        h.update(rel.encode() + b"\0" + (ROOT / rel).read_bytes() + b"\0")
    return h.hexdigest()[:24]


def excluding(*prefixes: str) -> tuple[str, ...]:
    return tuple(f for f in source_files() if not f.startswith(prefixes))


def under(*prefixes: str) -> tuple[str, ...]:
    """The source files under some folders (or equal to some paths)."""
    return tuple(f for f in source_files() if f.startswith(prefixes))


@cache
def sources_digest() -> str:
    """Every source, and where the site is published (pages may name its URL)."""
    from perseus.publication import site_url

    return digest(source_files(), salt=site_url())


def cached(name: str, key: str, make: Callable[[], T]) -> T:
    """`make()`, or what it returned last time for the same `key`."""
    entry = CACHE / f"{name}-{key}.pickle"
    try:
        return pickle.loads(entry.read_bytes())
    except FileNotFoundError:
        pass
    except Exception:  # an entry written by other code: make it again
        entry.unlink(missing_ok=True)
    value = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"{name}-{'?' * len(key)}.pickle"):
        stale.unlink(missing_ok=True)
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(value))
    tmp.replace(entry)
    return value
