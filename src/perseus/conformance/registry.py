"""Which function checks which case. Each check takes the Run and returns an Outcome."""

from __future__ import annotations

from collections.abc import Callable

CHECKS: dict[str, Callable] = {}
# Cases over every answer of the run go last, in this order: API-04 and API-09 add probes of
# their own, and API-03 looks at the media type of every answer, theirs included.
RUN_LAST = ("API-04", "API-09", "API-10", "API-03")


def check(case_id: str):
    def register(function: Callable) -> Callable:
        if case_id in CHECKS:
            raise ValueError(f"two checks for {case_id}")
        CHECKS[case_id] = function
        return function

    return register


def load_checks() -> dict[str, Callable]:
    from perseus.conformance import cap, common, edp, signed  # noqa: F401 - importing registers their checks

    return CHECKS
