"""What many tests share: the repository's root, the `perseus` command run as a user runs it, and
a full generation into a scratch folder."""

import fcntl
import os
import subprocess
import sys
import time
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


def generate_command(root: Path, hash_seed: int) -> tuple[list[str], dict[str, str]]:
    """The command and environment that write every generated file under `root`, in a fresh
    interpreter with this PYTHONHASHSEED."""
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed), PYTHONWARNINGS="ignore")
    return [sys.executable, "-c", GENERATE, str(root)], env


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


def _run_folder(tmp_path_factory, worker_id: str, name: str) -> Path:
    """The folder `name` of the whole run: above each worker's folder under pytest-xdist."""
    base = tmp_path_factory.getbasetemp()
    return (base if worker_id == "master" else base.parent) / name


def start_once(
    tmp_path_factory, worker_id: str, name: str, command_for: Callable[[Path], tuple[list[str], dict[str, str]]]
) -> Path:
    """The folder `name`, which the command `command_for(folder)` (with its environment, run from the
    root in the background) fills, started once per run by the first worker to ask; `wait_for`
    waits until it is made."""
    folder = _run_folder(tmp_path_factory, worker_id, name)
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not Path(f"{folder}.started").exists():
            folder.mkdir(exist_ok=True)
            command, env = command_for(folder)
            subprocess.Popen(
                [sys.executable, "-m", "tests.background", str(folder), *command],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                start_new_session=True,  # another worker may still wait for it when this one ends
            )
            Path(f"{folder}.started").touch()
    return folder


def wait_for(folder: Path, timeout: float = 1200) -> Path:
    """`folder` once the command `start_once` started for it has succeeded; its output if it failed."""
    deadline = time.monotonic() + timeout
    while not Path(f"{folder}.made").exists():
        if Path(f"{folder}.failed").exists() or time.monotonic() > deadline:
            log = Path(f"{folder}.log")
            output = log.read_text(errors="replace")[-5000:] if log.exists() else ""
            raise RuntimeError(f"making {folder.name} failed or took over {timeout:.0f} s:\n{output}")
        time.sleep(0.2)
    return folder
