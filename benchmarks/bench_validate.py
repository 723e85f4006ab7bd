"""Benchmark: validating one meter-year of half-hourly readings (17,520).

Prints readings validated per second for `perseus validate`'s engine
(jsonschema-rs) and for the pure-Python `jsonschema` peer on the same schema and
payload, their ratio, and the wall time of the whole command, process start included.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import jsonschema_rs

from perseus.paths import EXAMPLES
from perseus.validation import class_schema, load_release_schema

SPEC = "consumption-data@2025-10-27"
HALF_HOURS = 17_520


def meter_year() -> dict:
    template = json.loads((EXAMPLES / "valid" / "MeterData-electricity.json").read_text())
    start = datetime(2025, 1, 1, tzinfo=UTC)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    readings, register = [], 10_000.0
    for i in range(HALF_HOURS):
        begin, end = start + timedelta(minutes=30 * i), start + timedelta(minutes=30 * (i + 1))
        value = round(0.2 + (i % 48) / 100, 3)
        register = round(register + value, 3)
        readings.append(
            {
                "type": "electricity",
                "from": stamp(begin),
                "to": stamp(end),
                "takenAt": stamp(end + timedelta(hours=1)),
                "energy": {"value": value, "unitCode": "KWH"},
                "cumulative": {"value": register, "unitCode": "KWH"},
            }
        )
    return {**template, "data": readings}


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    payload = meter_year()
    schema = class_schema(load_release_schema(SPEC), "MeterData")
    rust = jsonschema_rs.validator_for(schema, validate_formats=True)
    python = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    assert rust.is_valid(payload) and python.is_valid(payload)
    t_rust = best_of(5, lambda: list(rust.iter_errors(payload)))
    t_python = best_of(2, lambda: list(python.iter_errors(payload)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "meter-year.json"
        path.write_text(json.dumps(payload))
        command = [str(Path(sys.executable).with_name("perseus")), "validate", str(path), "--spec", SPEC]
        t_command = best_of(5, lambda: subprocess.run(command, check=True, capture_output=True))
        size_mb = path.stat().st_size / 1e6
    print(f"validate one meter-year ({HALF_HOURS:,} readings, {size_mb:.1f} MB JSON) against {SPEC}")
    print(
        f"  jsonschema-rs (perseus validate engine): {HALF_HOURS / t_rust:>12,.0f} readings/s  ({t_rust * 1000:.0f} ms)"
    )
    print(
        f"  jsonschema (pure Python peer):           {HALF_HOURS / t_python:>12,.0f} readings/s  ({t_python * 1000:.0f} ms)"
    )
    print(f"  ratio engine / peer:                     {t_python / t_rust:>12.1f} x")
    print(
        f"  whole `perseus validate` command:        {t_command * 1000:>12.0f} ms (target < 500 ms, process start included)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
