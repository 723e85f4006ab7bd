"""Run the cases of one role against a server, in order, within the run's limits, with a progress bar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from perseus import collector
from perseus.conformance.catalogue import cases_for
from perseus.conformance.registry import RUN_LAST, load_checks
from perseus.conformance.run import Run
from perseus.conformance.session import LimitReached
from perseus.conformance.verdicts import NOT_RUN, Verdict


class Unreachable(ConnectionError):
    """The server gave no answer at all to the first request (exit 2)."""


@dataclass(frozen=True)
class Result:
    run: Run
    verdicts: tuple[Verdict, ...]
    started: dt.datetime
    seconds: float


def ordered(role: str):
    cases = cases_for(role)
    last = [c for i in RUN_LAST for c in cases if c.id == i]
    return [c for c in cases if c.id not in RUN_LAST] + last


def execute(run: Run, *, progress: bool | None = None) -> Result:
    """Every case of the run's role; verdicts in the catalogue's order. Raises Unreachable."""
    from tqdm import tqdm

    checks = load_checks()
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    first = run.heartbeat()
    if first.status is None:
        raise Unreachable(f"{run.session.base_url}: no answer to GET /heartbeat ({first.error})")
    found: dict[str, Verdict] = {}
    cases = ordered(run.role)
    # disable=None: the bar shows on a terminal only, so logs and tests stay clean.
    with (
        collector.paused(),
        tqdm(
            cases,
            desc="conformance",
            unit="case",
            disable=None if progress is None else not progress,
            leave=False,
            dynamic_ncols=True,
        ) as bar,
    ):
        for case in bar:
            bar.set_postfix_str(f"{case.id}, {len(run.session.exchanges)} requests")
            try:
                outcome = checks[case.id](run)
                found[case.id] = Verdict(case, outcome.outcome, outcome.detail, outcome.evidence)
            except LimitReached as exc:
                found[case.id] = Verdict(case, NOT_RUN, f"not run: {exc}")
    verdicts = tuple(found[c.id] for c in cases_for(run.role))
    return Result(run, verdicts, started, run.session.elapsed)
