"""Which methodology computes each energy type: the caller's choice, else the latest approved default."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from perseus.calculator.errors import Breach, CalculationError


def chosen_methodologies(methods: Iterable[str], directory: Path) -> dict:
    """The methodologies named with --method, by energy type (two for one type are refused)."""
    from perseus.methodology.documents import MethodologyError, resolve

    chosen: dict = {}
    for wanted in methods:
        try:
            methodology = resolve(wanted, directory)
        except MethodologyError as exc:
            raise CalculationError([Breach("--method", "", "readable-input", str(exc))]) from exc
        if methodology.energy_type in chosen:
            raise CalculationError(
                [
                    Breach(
                        "--method",
                        "",
                        "readable-input",
                        f"two methodologies for {methodology.energy_type}: "
                        f"{chosen[methodology.energy_type].ref} and {methodology.ref}",
                    )
                ]
            )
        chosen[methodology.energy_type] = methodology
    return chosen


def methodology_for(energy_type: str, chosen: dict, directory: Path):
    from perseus.methodology.documents import DEFAULTS, MethodologyError, resolve

    if energy_type in chosen:
        return chosen[energy_type]
    try:
        return resolve(DEFAULTS[energy_type], directory)
    except MethodologyError as exc:
        raise CalculationError([Breach("--method", "", "readable-input", str(exc))]) from exc
