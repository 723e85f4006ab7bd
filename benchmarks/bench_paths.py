"""Benchmark: the other hot paths, each with the cost of its slowest step.

- validate: one meter-year payload (17,520 readings) through `perseus validate`'s steps
  (parse, load the release schema, compile the validator, validate), and the whole command;
- generate: `perseus generate` as a command, and each generator it calls, timed in-process
  by wrapping the functions `perseus.generators.run.generated_files` calls;
- site: `mkdocs build --strict` as a command, and each rendered section of the site hook.

Figures go to .bench/results.json (section `hot_paths`) beside the portfolio figures;
with --record to benchmarks/results.json (tracked), which the site shows.

    python benchmarks/bench_paths.py [--record]
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_validate import SPEC, meter_year
from results import ROOT, add_record_option, record

BIN = Path(sys.executable).parent


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def command_seconds(args: list[str], repeat: int = 2) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    best = float("inf")
    for _ in range(repeat):
        seconds, done = timed(lambda: subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env))
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
        best = min(best, seconds)
    return best


def validate_figures() -> dict:
    import jsonschema_rs

    from perseus.validation import class_schema, load_release_schema

    payload = meter_year()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "meter-year.json"
        path.write_text(json.dumps(payload))
        steps = {}
        steps["parse the payload"], parsed = timed(lambda: json.loads(path.read_text()))
        steps["load the release schema"], schema = timed(lambda: load_release_schema(SPEC))
        steps["compile the validator"], validator = timed(
            lambda: jsonschema_rs.validator_for(class_schema(schema, "MeterData"), validate_formats=True))
        steps["validate 17,520 readings"], errors = timed(lambda: list(validator.iter_errors(parsed)))
        assert errors == []
        whole = command_seconds([str(BIN / "perseus"), "validate", str(path), "--spec", SPEC])
    steps["process start and imports (the rest of the command)"] = max(whole - sum(steps.values()), 0.0)
    return {"command_seconds": whole, "steps": steps}


def generate_figures() -> dict:
    """Wrap every function `generated_files` calls from its module, so the steps are the generator's own."""
    import perseus.generators.run as run

    steps: dict[str, float] = {}

    def wrap(name, function):
        @functools.wraps(function)
        def clocked(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                steps[name] = steps.get(name, 0.0) + time.perf_counter() - started
        return clocked

    originals = {name: value for name, value in vars(run).items()
                 if callable(value) and getattr(value, "__module__", "").startswith("perseus.") and name not in
                 ("generated_files", "write_all", "dump_json", "all_releases")}
    try:
        for name, function in originals.items():
            setattr(run, name, wrap(name, function))
        in_process, files = timed(run.generated_files)
    finally:
        for name, function in originals.items():
            setattr(run, name, function)
    whole = command_seconds([str(BIN / "perseus"), "generate"])
    steps["process start, imports and writing (the rest of the command)"] = max(whole - sum(steps.values()), 0.0)
    return {"command_seconds": whole, "in_process_seconds": in_process, "files": len(files), "steps": steps}


def site_figures() -> dict:
    from perseus.site import hooks

    steps = {}
    for title, section in hooks.SECTIONS:
        steps[f"hook: {title}"], _ = timed(section.pages)
    with tempfile.TemporaryDirectory() as scratch:
        steps["hook: copy downloads"], _ = timed(lambda: hooks.downloads.copy_into(Path(scratch)))
        whole = command_seconds([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(Path(scratch) / "site")])
    steps["MkDocs itself and process start (the rest of the build)"] = max(whole - sum(steps.values()), 0.0)
    return {"command_seconds": whole, "steps": steps}


def show(name: str, figures: dict) -> None:
    slowest = max(figures["steps"], key=figures["steps"].get)
    print(f"{name:<9} {figures['command_seconds']:6.2f} s   slowest step: {slowest} ({figures['steps'][slowest]:.2f} s)")
    for step, seconds in sorted(figures["steps"].items(), key=lambda item: -item[1]):
        print(f"            {seconds:7.3f} s  {step}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_record_option(parser)
    args = parser.parse_args(argv)
    figures = {"validate": validate_figures(), "generate": generate_figures(), "site": site_figures()}
    print("other hot paths (wall time of the command, then its steps)")
    for name, item in figures.items():
        show(name, item)
    rounded = json.loads(json.dumps(figures), parse_float=lambda text: round(float(text), 3))
    print(f"figures written to {record('hot_paths', rounded, tracked=args.record)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
