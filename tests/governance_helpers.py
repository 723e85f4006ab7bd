"""A copy of the repository to change safely, and the `perseus` command run inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from perseus.paths import ROOT

LEFT_OUT = {
    ".git",
    ".venv",
    "site",
    "build",
    ".bench",
    ".pytest_cache",
    ".hypothesis",
    "__pycache__",
    ".ruff_cache",
    ".mypy_cache",  # 40 MB after `make lint`, copied by every test that changes a copy
    ".import_linter_cache",
}


def _copy_unless_a_cache_entry_went(source: str, target: str) -> None:
    """Copy a file; a build-cache entry that another worker's build replaced while the tree was being
    listed is skipped: the copy then computes that entry again, as a cache miss does."""
    try:
        shutil.copy2(source, target)
    except FileNotFoundError:
        if ".cache" not in Path(source).relative_to(ROOT).parts:
            raise


def copy_repository(target: Path) -> Path:
    """The sources, records and generated files, without the environment, tool caches or the built site."""
    shutil.copytree(
        ROOT,
        target,
        ignore=lambda folder, names: [n for n in names if n in LEFT_OUT],
        copy_function=_copy_unless_a_cache_entry_went,
    )
    return target


def perseus_in(root: Path, *args, check: bool = False) -> subprocess.CompletedProcess:
    """`perseus ARGS` run from the copy's own sources (its paths resolve inside the copy)."""
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "perseus.cli", *map(str, args)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"perseus {' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr}")
    return result
