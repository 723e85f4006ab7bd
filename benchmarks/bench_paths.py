"""Benchmark: the other hot paths, each with the cost of its slowest step.

- validate: one meter-year payload (17,520 readings) through `perseus validate`'s steps
  (parse, load the release schema, compile the validator, validate), and the whole command;
- generate: `perseus generate` as a command from an empty build cache and again with the
  sources unchanged, and each generator it calls, timed in-process;
- site: `mkdocs build --strict` as a command, the same two ways, and each rendered section
  of the site hook.

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


def command_seconds(args: list[str], repeat: int = 2, env: dict | None = None) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore", **(env or {}))
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
            lambda: jsonschema_rs.validator_for(class_schema(schema, "MeterData"), validate_formats=True)
        )
        steps["validate 17,520 readings"], errors = timed(lambda: list(validator.iter_errors(parsed)))
        assert errors == []
        whole = command_seconds([str(BIN / "perseus"), "validate", str(path), "--spec", SPEC])
    steps["process start and imports (the rest of the command)"] = max(whole - sum(steps.values()), 0.0)
    return {"command_seconds": whole, "steps": steps}


# The generators `perseus generate` runs, by module: each is timed where it is defined, so the
# local imports of perseus.generators.run.make_generated_files pick up the clocked version.
GENERATORS = {
    "perseus.spec_versions": ["cut_schema"],
    "perseus.generators.jsonschema": ["release_jsonschema"],
    "perseus.generators.openapi": ["release_openapi"],
    "perseus.generators.pydantic": ["pydantic_models"],
    "perseus.generators.sandbox_openapi": ["sandbox_openapi"],
    "perseus.provenance.model": ["step_jsonschema"],
    "perseus.permission_texts": ["rendered_files"],
    "perseus.review.pack": ["review_pack_files"],
    "perseus.generators.methodology_schema": ["methodology_jsonschema"],
    "perseus.examples": ["openapi_examples"],
}


def generate_figures() -> dict:
    """The generators' own steps in-process from nothing, then the command with its cache filled."""
    import importlib

    import perseus.generators.run as run

    steps: dict[str, float] = {}
    patched = []

    def wrap(name, function):
        @functools.wraps(function)
        def clocked(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                steps[name] = steps.get(name, 0.0) + time.perf_counter() - started

        return clocked

    try:
        for module_name, names in GENERATORS.items():
            module = importlib.import_module(module_name)
            for name in names:
                patched.append((module, name, getattr(module, name)))
                setattr(module, name, wrap(name, getattr(module, name)))
        in_process, files = timed(run.make_generated_files)
    finally:
        for module, name, function in patched:
            setattr(module, name, function)
    with tempfile.TemporaryDirectory() as scratch:
        env = {"PERSEUS_CACHE": scratch}
        cold = command_seconds([str(BIN / "perseus"), "generate"], repeat=1, env=env)
        warm = command_seconds([str(BIN / "perseus"), "generate"], env=env)
    steps["process start, imports and writing (the rest of the command)"] = max(cold - sum(steps.values()), 0.0)
    return {
        "command_seconds": cold,
        "unchanged_seconds": warm,
        "in_process_seconds": in_process,
        "files": len(files),
        "steps": steps,
    }


def site_figures() -> dict:
    """Each rendered section in-process from nothing, then the build with an empty and a filled cache."""
    from perseus import build_cache
    from perseus.site import hooks

    steps = {}
    with tempfile.TemporaryDirectory() as scratch:
        build_cache.CACHE = Path(scratch)  # nothing from earlier builds: each section's own cost
        for title, name in hooks.SECTIONS:
            steps[f"hook: {title or name}"], _ = timed(lambda name=name: hooks.render_section(name))
    with tempfile.TemporaryDirectory() as scratch:
        build = [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(Path(scratch) / "site")]
        env = {"PERSEUS_CACHE": str(Path(scratch) / "cache")}
        cold = command_seconds(build, repeat=1, env=env)
        warm = command_seconds(build, env=env)
    steps["MkDocs itself and process start (the rest of the build)"] = max(cold - sum(steps.values()), 0.0)
    return {"command_seconds": cold, "unchanged_seconds": warm, "steps": steps}


def show(name: str, figures: dict) -> None:
    slowest = max(figures["steps"], key=figures["steps"].get)
    again = f", {figures['unchanged_seconds']:.2f} s unchanged" if "unchanged_seconds" in figures else ""
    print(
        f"{name:<9} {figures['command_seconds']:6.2f} s{again}   slowest step: {slowest} ({figures['steps'][slowest]:.2f} s)"
    )
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
