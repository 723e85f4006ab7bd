"""Timing whole commands: a fresh process per run, wall and CPU time from the operating system."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, process start to exit
    cpu: float  # user + system seconds of the process, its threads and its waited-for workers (wait4)
    peak_mb: float  # largest resident set of any one of those processes (not their sum)


# The command is started by a small launcher process, not by the benchmark itself: Linux counts the memory of
# the image a process replaces with exec in its peak resident size, so a child forked from the benchmark (pandas
# imported) would report the benchmark's size. The launcher times from just before the start to the exit.
LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
                  os.waitstatus_to_exitcode(status)]))
"""


def timed(command: Sequence[str], cwd=None) -> Run:
    """Run the command once; a failure stops the benchmark with its error output."""
    done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *command], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the launcher failed:\n{done.stderr[-3000:]}")
    wall, cpu, peak_kb, code = json.loads(done.stdout)
    if code:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{done.stderr[-3000:]}")
    return Run(wall, cpu, peak_kb / 1e3)


def alternated(commands: dict[str, Sequence[str]], rounds: int, cwd=None) -> dict[str, list[Run]]:
    """Every command once per round, the order turned by one place each round, so that no engine always
    runs first (on a cold start) or last (after the others have warmed or loaded the machine)."""
    names = list(commands)
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for k in range(rounds):
        for name in names[k % len(names) :] + names[: k % len(names)]:
            runs[name].append(timed(commands[name], cwd))
    return runs


def spread(values: Sequence[float]) -> dict:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def load() -> float:
    return round(os.getloadavg()[0], 1)
