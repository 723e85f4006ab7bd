"""Worked examples computed by the calculation core at build time, on synthetic data.

Each example synthesises a small, deterministic input and runs the calculator on
it with `explain`: besides the report, the core gives, for every month, the sum,
least and greatest value of each input and each step of the methodology, so that
a page shows the methodology's own arithmetic month by month and nothing here
repeats it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from perseus.calculator.files import calculate_files
from perseus.synth import SynthRequest, build_files

TAKEN_AT = "2026-03-01T00:00:00Z"  # fixed, so that pages do not change with the build date


@dataclass(frozen=True)
class Example:
    methodology: str
    request: SynthRequest
    calorific_value: float | None
    readings: pd.DataFrame  # type, from, value, unitCode (and intensity for electricity)
    report: dict
    figures: pd.DataFrame  # per month: present, rounded, and sum:/min:/max: of every input and step
    note: str  # what the example shows, in words


def _utc(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


REQUESTS = {  # label -> (the synthetic input, the caller's calorific value, what the example shows)
    "gas-desnz-annual": (
        SynthRequest(
            archetype="cafe",
            start=_utc(2025, 12),
            end=_utc(2026, 2),
            seed=3,
            types=("gas",),
            gas_unit="MTQ",
            outcode="RG10",
            region_id=12,
        ),
        39.4,
        "Gas metered in cubic metres; the caller gives a calorific value of 39.4 MJ/m³. December "
        "uses the 2025 factor set and January the 2026 set: the set switches at the year boundary.",
    ),
    "electricity-location-based": (
        SynthRequest(
            archetype="office",
            start=_utc(2025, 6),
            end=_utc(2025, 8),
            seed=3,
            types=("electricity",),
            outcode="RG10",
            region_id=12,
        ),
        None,
        "Electricity in kWh; the grid intensity is that of the meter's outcode, half-hour "
        "by half-hour (a synthetic intensity series), so it varies within each month.",
    ),
    "electricity-desnz-annual": (
        SynthRequest(
            archetype="office",
            start=_utc(2025, 6),
            end=_utc(2025, 8),
            seed=3,
            types=("electricity",),
            outcode="RG10",
            region_id=12,
        ),
        None,
        "Electricity in kWh with the national annual factor of the half-hour's year.",
    ),
}
BLENDED = SynthRequest(
    archetype="cafe", start=_utc(2025, 1), end=_utc(2026, 1), seed=7, gas_unit="MTQ", outcode="RG10", region_id=12
)


def _run(
    request: SynthRequest, calorific_value: float | None, method: str | None
) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        request = SynthRequest(
            **{**request.__dict__, "output": tmp / "consumption", "intensity_output": tmp / "intensity.json"}
        )
        for path, content in build_files(request).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        consumption = sorted((tmp / "consumption").glob("*.json"))
        run = calculate_files(
            consumption,
            intensity=tmp / "intensity.json",
            calorific_value=calorific_value,
            methods=[method] if method else [],
            taken_at=TAKEN_AT,
            explain=True,
        )
        frames = []
        for path in consumption:
            payload = json.loads(path.read_text())
            frames.append(
                pd.DataFrame(
                    {
                        "type": [r["type"] for r in payload["data"]],
                        "from": pd.to_datetime([r["from"] for r in payload["data"]], utc=True),
                        "value": [r["energy"]["value"] for r in payload["data"]],
                        "unitCode": [r["energy"]["unitCode"] for r in payload["data"]],
                    }
                )
            )
        readings = pd.concat(frames, ignore_index=True)
        neso = json.loads((tmp / "intensity.json").read_text())["data"]["data"]
        intensity = pd.Series(
            [p["intensity"]["forecast"] for p in neso], index=pd.to_datetime([p["from"] for p in neso], utc=True)
        )
        readings["intensity"] = readings["from"].map(intensity)
    (figures,) = run.figures.values() if len(run.figures) == 1 else (pd.DataFrame(),)
    return readings, run.report, figures


def _inputs_key() -> str:
    """The calculator's code and data: what a worked example's figures depend on."""
    from perseus import build_cache

    files = [
        f
        for f in build_cache.under("src/perseus/", "methodologies/", "factors/", "pyproject.toml", "uv.lock")
        if not f.startswith("src/perseus/site/") or f == "src/perseus/site/worked.py"
    ]
    return build_cache.digest(files)


@cache
def example(ref: str) -> Example:
    """The worked example of a methodology version, `label@version` (computed once per change of its inputs)."""
    from perseus import build_cache

    return build_cache.cached(f"worked-{ref}", _inputs_key(), lambda: compute(ref))


def compute(ref: str) -> Example:
    """The worked example, computed now (the tests compare the pages with this)."""
    request, calorific_value, note = REQUESTS[ref.split("@")[0]]
    readings, report, figures = _run(request, calorific_value, ref)
    return Example(ref, request, calorific_value, readings, report, figures, note)


@lru_cache(maxsize=1)
def blended_year() -> dict:
    from perseus import build_cache

    return build_cache.cached("worked-blended-year", _inputs_key(), lambda: _run(BLENDED, None, None)[1])
