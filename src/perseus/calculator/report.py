"""The parts of an EmissionsReport (emissions-data@2025-10-27) both entry points write: entries and sources."""

from __future__ import annotations

from functools import lru_cache

from perseus.calculator.factors import FactorTable, factor_datasets
from perseus.calculator.instants import year_month, z_month
from perseus.vocabulary import EMISSIONS_UNITS, MISSING_DATA

REPORT_SPEC = "emissions-data@2025-10-27"
COMPLETE, MISSING = MISSING_DATA[:2]
(KILOGRAMS,) = EMISSIONS_UNITS


def entry(
    energy_type: str, month: int, taken_at: str, emissions: float, expected: int, present: int, duplicates: int
) -> dict:
    """One monthly figure (month: months since 1970-01)."""
    return {
        "type": energy_type,
        "from": z_month(month),
        "to": z_month(month + 1),
        "takenAt": taken_at,
        "emissions": {"value": emissions, "unitCode": KILOGRAMS},
        "dataQuality": {
            "missingData": COMPLETE if expected == present else MISSING,
            "expectedHalfHours": expected,
            "presentHalfHours": present,
            "missingHalfHours": expected - present,
            "duplicateReadings": duplicates,
        },
    }


def sources(m, months: list[int], factors: FactorTable, intensity: dict | None, calorific_value: dict | None) -> dict:
    """The sources of one energy type: the methodology, every dataset with the months (with readings) it
    served, in the order of the methodology's inputs, and the calorific value when volume needed one."""
    datasets = []
    for source in m.input_sources.values():
        if source == "grid-intensity":
            datasets.append(
                {"role": "grid-intensity", **(intensity or {}), "months": sorted({year_month(k) for k in months})}
            )
        elif source == "emission-factors":
            datasets.extend(factor_datasets(factors, months))
    found = {"type": m.energy_type, "methodology": m.ref, "methodologyUri": m.uri, "datasets": datasets}
    if calorific_value:
        found["calorificValue"] = calorific_value
    return found


@lru_cache(maxsize=1)
def _validator():
    import jsonschema_rs

    from perseus.validation import class_schema, load_release_schema

    return jsonschema_rs.validator_for(
        class_schema(load_release_schema(REPORT_SPEC), "EmissionsReport"), validate_formats=True
    )


def check(report: dict, what: str = "the report") -> None:
    """A report the calculator made must be valid; if not, that is a defect of the calculator, never of the input."""
    check = _validator()
    if not check.is_valid(report):
        problems = "\n".join(f"{e.instance_path}: {e.message}" for e in list(check.iter_errors(report))[:10])
        raise RuntimeError(f"{what} would not be valid {REPORT_SPEC}:\n{problems}")
