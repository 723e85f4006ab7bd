"""Subcommands of the `perseus` command."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the calculator (pandas) is imported by the commands that calculate, when they run
    from perseus.calculator.errors import CalculationError


def refused(exc: CalculationError) -> int:
    """Print every rule the inputs broke, one `error:` line each, and return exit code 1 (bad input)."""
    for breach in exc.breaches:
        print(f"error: {breach}", file=sys.stderr)
    return 1
