"""What many tests share: the repository's root, the `perseus` command run as a user runs it, and
a full generation into a scratch folder."""

import fcntl
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSEUS = [sys.executable, "-m", "perseus.cli"]


def run_perseus(*args, cwd=ROOT, check=False, input=None):
    """Run the `perseus` command as a user would, in a subprocess."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(
        [*PERSEUS, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=check, env=env, input=input
    )


# `perseus generate`, but into another folder than the checkout.
GENERATE = (
    "import sys; from pathlib import Path; from perseus.generators.run import write_all; write_all(Path(sys.argv[1]))"
)


def generate_into(root: Path, hash_seed: int) -> Path:
    """Every generated file written under `root`, by a fresh interpreter with this PYTHONHASHSEED."""
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed), PYTHONWARNINGS="ignore")
    subprocess.run([sys.executable, "-c", GENERATE, str(root)], cwd=ROOT, env=env, check=True, timeout=600)
    return root


def tree(root: Path, under: str = "") -> dict[str, bytes]:
    """The files below `root` (or its folder `under`), by path relative to `root`."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / under).rglob("*")) if p.is_file()}


def once_per_run(tmp_path_factory, worker_id: str, name: str, make: Callable[[Path], object]) -> Path:
    """The folder `name` that `make(folder)` fills, made once per test run: under pytest-xdist
    the first worker to ask makes it in the run's shared temporary folder, the others wait for it."""
    if worker_id == "master":  # no xdist: this session is the whole run
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    folder = tmp_path_factory.getbasetemp().parent / name  # the run's folder, above each worker's
    done = Path(f"{folder}.made")
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even if `make` fails
        if not done.exists():
            folder.mkdir(exist_ok=True)
            make(folder)
            done.touch()
    return folder
