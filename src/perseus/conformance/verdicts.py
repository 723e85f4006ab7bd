"""Verdicts and their evidence: the request and the part of the answer that decided."""

from __future__ import annotations

from dataclasses import dataclass, field

from perseus.conformance.catalogue import Case
from perseus.conformance.session import Exchange

PASS, FAIL, NOT_APPLICABLE, NOT_RUN = "pass", "fail", "not-applicable", "not-run"
OUTCOMES = (PASS, FAIL, NOT_APPLICABLE, NOT_RUN)
SHOWN = 5  # evidence items kept per verdict; the rest are counted


@dataclass(frozen=True)
class Evidence:
    request: str  # e.g. GET https://…/datasources (client certificate + bearer token)
    answer: str  # e.g. 200 application/json, 4,512 bytes; or "no answer: …"
    excerpt: str  # the part of the answer that decided, e.g. $.data[3].to = "…"

    @classmethod
    def of(cls, exchange: Exchange, excerpt: str) -> Evidence:
        return cls(exchange.request_line(), exchange.answer_line(), excerpt)


@dataclass(frozen=True)
class Outcome:
    outcome: str
    detail: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Verdict:
    case: Case
    outcome: str
    detail: str
    evidence: tuple[Evidence, ...] = ()


def not_applicable(reason: str) -> Outcome:
    return Outcome(NOT_APPLICABLE, reason)


def failed(detail: str, *evidence: Evidence) -> Outcome:
    return Outcome(FAIL, detail, tuple(evidence))


def passed(detail: str, *evidence: Evidence) -> Outcome:
    return Outcome(PASS, detail, tuple(evidence))


@dataclass
class Findings:
    """Collects, over many answers, what was checked and what broke the rule."""

    checked: int = 0  # answers (or items) checked
    problems: list[Evidence] = field(default_factory=list)
    count: int = 0  # problems found, beyond those kept
    seen: list[Evidence] = field(default_factory=list)  # a few of the answers checked, for a pass

    def check(self, exchange: Exchange, excerpt: str = "") -> None:
        self.checked += 1
        if len(self.seen) < SHOWN:
            self.seen.append(Evidence.of(exchange, excerpt or "as required"))

    def problem(self, exchange: Exchange, excerpt: str) -> None:
        self.count += 1
        if len(self.problems) < SHOWN:
            self.problems.append(Evidence.of(exchange, excerpt))

    def outcome(self, what: str, *, none: str | None = None) -> Outcome:
        """Fail with the first problems; pass naming what was checked; not applicable when nothing was."""
        if self.count:
            more = f" (the first {len(self.problems)} shown)" if self.count > len(self.problems) else ""
            return failed(f"{what}: {self.count:,} problem(s){more}", *self.problems)
        if not self.checked:
            return not_applicable(none or f"nothing to check: no {what}")
        return passed(f"{what}: {self.checked:,} checked", *self.seen)
