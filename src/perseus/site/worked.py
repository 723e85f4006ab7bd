"""Worked examples computed by the reference calculator at build time, on synthetic data.

Each example synthesises a small, deterministic input, runs the calculator's
Python API on it, and keeps the raw monthly sums beside the result so that a
page can show the arithmetic and the tests can redo it by hand.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import pandas as pd

from perseus.calculator import calculate
from perseus.synth import SynthRequest, build_files

TAKEN_AT = "2026-03-01T00:00:00Z"  # fixed, so that pages do not change with the build date


@dataclass(frozen=True)
class Example:
    methodology: str
    request: SynthRequest
    calorific_value: float | None
    readings: pd.DataFrame  # type, from, value, unitCode (and intensity for electricity)
    report: dict


def _utc(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=timezone.utc)


REQUESTS = {
    "gas-desnz-annual": (SynthRequest(archetype="cafe", start=_utc(2025, 12), end=_utc(2026, 2), seed=3,
                                      types=("gas",), gas_unit="MTQ", outcode="RG10", region_id=12), 39.4),
    "electricity-location-based": (SynthRequest(archetype="office", start=_utc(2025, 6), end=_utc(2025, 8), seed=3,
                                                types=("electricity",), outcode="RG10", region_id=12), None),
    "electricity-desnz-annual": (SynthRequest(archetype="office", start=_utc(2025, 6), end=_utc(2025, 8), seed=3,
                                              types=("electricity",), outcode="RG10", region_id=12), None),
}
BLENDED = SynthRequest(archetype="cafe", start=_utc(2025, 1), end=_utc(2026, 1), seed=7, gas_unit="MTQ",
                       outcode="RG10", region_id=12)


def _run(request: SynthRequest, calorific_value: float | None, method: str | None) -> tuple[pd.DataFrame, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        request = SynthRequest(**{**request.__dict__, "output": tmp / "consumption",
                                  "intensity_output": tmp / "intensity.json"})
        for path, content in build_files(request).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        consumption = sorted((tmp / "consumption").glob("*.json"))
        report = calculate(consumption, intensity=tmp / "intensity.json", calorific_value=calorific_value,
                           methods=[method] if method else [], taken_at=TAKEN_AT)
        frames = []
        for path in consumption:
            payload = json.loads(path.read_text())
            frames.append(pd.DataFrame({
                "type": [r["type"] for r in payload["data"]],
                "from": pd.to_datetime([r["from"] for r in payload["data"]], utc=True),
                "value": [r["energy"]["value"] for r in payload["data"]],
                "unitCode": [r["energy"]["unitCode"] for r in payload["data"]],
            }))
        readings = pd.concat(frames, ignore_index=True)
        neso = json.loads((tmp / "intensity.json").read_text())["data"]["data"]
        intensity = pd.Series([p["intensity"]["forecast"] for p in neso],
                              index=pd.to_datetime([p["from"] for p in neso], utc=True))
        readings["intensity"] = readings["from"].map(intensity)
    return readings, report


def _inputs_key() -> str:
    """The calculator's code and data: what a worked example's figures depend on."""
    from perseus import build_cache as cache

    files = [f for f in cache.under("src/perseus/", "methodologies/", "factors/", "pyproject.toml", "uv.lock")
             if not f.startswith("src/perseus/site/") or f == "src/perseus/site/worked.py"]
    return cache.digest(files)


@lru_cache(maxsize=None)
def example(ref: str) -> Example:
    """The worked example of a methodology version, `label@version` (computed once per change of its inputs)."""
    from perseus import build_cache as cache

    return cache.cached(f"worked-{ref}", _inputs_key(), lambda: compute(ref))


def compute(ref: str) -> Example:
    """The worked example, computed now (the tests compare the pages with this)."""
    request, calorific_value = REQUESTS[ref.split("@")[0]]
    readings, report = _run(request, calorific_value, ref)
    return Example(ref, request, calorific_value, readings, report)


@lru_cache(maxsize=1)
def blended_year() -> dict:
    from perseus import build_cache as cache

    return cache.cached("worked-blended-year", _inputs_key(), lambda: _run(BLENDED, None, None)[1])


def monthly_sums(readings: pd.DataFrame) -> pd.DataFrame:
    """Per month: Σ value, and Σ value × intensity (for electricity), from the raw readings."""
    frame = readings.assign(month=readings["from"].dt.strftime("%Y-%m"),
                            weighted=readings["value"] * readings["intensity"].fillna(0))
    return frame.groupby("month").agg(value=("value", "sum"), weighted=("weighted", "sum"), count=("value", "size"))
