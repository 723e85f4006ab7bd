"""The reference calculator: consumption files in, an EmissionsReport (emissions-data@2025-10-27) out.

    from perseus.calculator import calculate
    report = calculate(["gas.json"], calorific_value=39.4, taken_at="2025-11-02T09:00:00Z")

The calculation core (`kernel`, with `factors`, `calorific`, `intensity`, `months`
and `report`) is the same for these files and for a portfolio (`perseus.portfolio`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from perseus.calculator.errors import Breach, CalculationError

__all__ = ["calculate", "CalculationError", "Breach"]


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
    from perseus.calculator.files import calculate_files

    return calculate_files(
        consumption, intensity, calorific_value, methods, start, end, taken_at, methodologies_dir
    ).report
