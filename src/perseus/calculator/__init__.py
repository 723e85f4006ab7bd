"""The reference calculator: consumption files in, an EmissionsReport (emissions-data@2025-10-27) out.

    from perseus.calculator import calculate
    report = calculate(["gas.json"], calorific_value=39.4, taken_at="2025-11-02T09:00:00Z")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from perseus.calculator.errors import Breach, CalculationError

__all__ = ["calculate", "CalculationError", "Breach", "REPORT_SPEC"]

REPORT_SPEC = "emissions-data@2025-10-27"


def calculate(
    consumption: Sequence[str | Path],
    intensity: str | Path | None = None,
    calorific_value: float | None = None,
    methods: Iterable[str] = (),
    start: str | None = None,
    end: str | None = None,
    taken_at: str | None = None,
    methodologies_dir: Path | None = None,
) -> dict:
    """The EmissionsReport of the given consumption files, validated against emissions-data@2025-10-27.

    Raises CalculationError (naming file, record and rule) for any bad input.
    """
    import pandas as pd

    from perseus.calculator import engine, inputs
    from perseus.provenance import unsigned as provenance
    from perseus.methodology.documents import DEFAULTS, MethodologyError, resolve
    from perseus.paths import METHODOLOGIES
    from perseus.validation import load_release_schema, validate_payload

    directory = methodologies_dir or METHODOLOGIES
    taken = _instant(taken_at, "--taken-at") if taken_at else pd.Timestamp(datetime.now(UTC).replace(microsecond=0))
    chosen = _choose_methods(methods, directory, resolve, DEFAULTS, MethodologyError)
    if not consumption:
        raise CalculationError([Breach("--consumption", "", "readable-input", "give at least one consumption file")])
    files = [inputs.read_consumption(Path(p)) for p in consumption]
    series = inputs.read_intensity(Path(intensity)) if intensity else None
    readings = pd.concat([f.readings for f in files], ignore_index=True)
    readings, repeats = engine.deduplicate(readings)
    window_start = _instant(start, "--from") if start else None
    window_end = _instant(end, "--to") if end else None
    for option, instant in (("--from", window_start), ("--to", window_end)):
        if instant is not None and (instant.minute % 30 or instant.second or instant.microsecond or instant.nanosecond):
            raise CalculationError([Breach(option, "", "half-hour-boundaries", f"{instant:%Y-%m-%dT%H:%M:%SZ} is not on a UTC half-hour boundary")])
    if window_start is not None and window_end is not None and window_end <= window_start:
        raise CalculationError([Breach("--to", "", "readable-input", "--to must be after --from")])
    outcodes = {str(f.path): f.outcode for f in files}
    results = []
    for energy_type in ("electricity", "gas"):
        rows = readings[readings["type"] == energy_type]
        if window_start is not None:
            rows = rows[rows["from"] >= window_start]
        if window_end is not None:
            rows = rows[rows["from"] < window_end]
        if not len(rows):
            continue
        months = engine.month_starts(rows["from"].min(), rows["from"].max() + inputs.HALF_HOUR)
        window = (window_start if window_start is not None else months[0],
                  window_end if window_end is not None else months[-1] + pd.offsets.MonthBegin(1))
        try:
            methodology = chosen.get(energy_type) or resolve(DEFAULTS[energy_type], directory)
        except MethodologyError as exc:
            raise CalculationError([Breach("--method", "", "readable-input", str(exc))]) from exc
        type_repeats = repeats[repeats["type"] == energy_type]
        results.append(engine.calculate_type(methodology, rows.reset_index(drop=True), type_repeats, window,
                                             series, calorific_value, outcodes))
    stamp = f"{taken:%Y-%m-%dT%H:%M:%SZ}"
    report = {
        "data": [_entry(r, figure, stamp) for r in results for figure in r.months],
        "sources": [_sources(r) for r in results],
        "provenance": provenance.build(stamp, files, series, results),
    }
    problems = validate_payload(load_release_schema(REPORT_SPEC), "EmissionsReport", report)
    if problems:  # a defect of the calculator, never of the input: say so plainly
        raise RuntimeError("the report would not be valid " + REPORT_SPEC + ":\n" + "\n".join(map(str, problems)))
    return report


def _instant(text: str, option: str):
    import pandas as pd

    try:
        value = pd.Timestamp(text)
    except ValueError as exc:
        raise CalculationError([Breach(option, "", "readable-input", f"{text!r} is not an ISO 8601 instant")]) from exc
    if value.tzinfo is None:
        raise CalculationError([Breach(option, "", "readable-input", f"{text!r} has no time zone; write it in UTC with Z")])
    return value.tz_convert("UTC")


def _choose_methods(methods, directory, resolve, defaults, MethodologyError) -> dict:
    chosen = {}
    for wanted in methods:
        try:
            methodology = resolve(wanted, directory)
        except MethodologyError as exc:
            raise CalculationError([Breach("--method", "", "readable-input", str(exc))]) from exc
        if methodology.energy_type in chosen:
            raise CalculationError([Breach("--method", "", "readable-input",
                                           f"two methodologies for {methodology.energy_type}: "
                                           f"{chosen[methodology.energy_type].ref} and {methodology.ref}")])
        chosen[methodology.energy_type] = methodology
    return chosen


def _entry(result, figure, taken_at: str) -> dict:
    missing = figure.expected - figure.present
    return {
        "type": result.energy_type,
        "from": f"{figure.month:%Y-%m-%dT%H:%M:%SZ}",
        "to": f"{_next_month(figure.month):%Y-%m-%dT%H:%M:%SZ}",
        "takenAt": taken_at,
        "emissions": {"value": figure.emissions_kg, "unitCode": "KGM"},
        "dataQuality": {
            "missingData": "Complete" if missing == 0 else "Missing",
            "expectedHalfHours": figure.expected,
            "presentHalfHours": figure.present,
            "missingHalfHours": missing,
            "duplicateReadings": figure.duplicates,
        },
    }


def _sources(result) -> dict:
    sources = {
        "type": result.energy_type,
        "methodology": result.methodology.ref,
        "methodologyUri": result.methodology.uri,
        "datasets": result.datasets,
    }
    if result.calorific_value:
        sources["calorificValue"] = result.calorific_value
    return sources


def _next_month(month):
    import pandas as pd

    return month + pd.offsets.MonthBegin(1)
