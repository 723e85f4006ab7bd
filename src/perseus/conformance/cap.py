"""Cases of a carbon accounting provider's emissions-data API (CAP-xx): the monthly report and its record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from perseus.conformance.common import body_problems, quoted
from perseus.conformance.registry import check
from perseus.conformance.run import Period, Run, iso, parse_instant, periods
from perseus.conformance.session import Exchange
from perseus.conformance.verdicts import Evidence, Findings, failed, not_applicable

if TYPE_CHECKING:
    from perseus.provenance.verify import UnusableInput, Verification

TEMPLATE = "/emissions"


@dataclass
class Report:
    period: Period
    exchange: Exchange

    @property
    def payload(self) -> dict | None:
        body = self.exchange.json()
        return body if self.exchange.status == 200 and isinstance(body, dict) else None

    def entries(self) -> list[tuple[int, dict]]:
        data = (self.payload or {}).get("data")
        return [(i, e) for i, e in enumerate(data) if isinstance(e, dict)] if isinstance(data, list) else []


def reports(run: Run) -> list[Report]:
    """A year and a month of the report, ending at --until."""

    def fetch():
        chosen = [p for p in periods(run.options.until) if p.name in ("year", "month")]
        return [
            Report(p, run.fetch_data(TEMPLATE, TEMPLATE, p.params, f"the emissions report of a {p.name}"))
            for p in chosen
        ]

    return run.once("reports", fetch)


def answered(run: Run) -> list[Report]:
    return [r for r in reports(run) if r.payload is not None]


def next_month(instant: dt.datetime) -> dt.datetime:
    return instant.replace(year=instant.year + instant.month // 12, month=instant.month % 12 + 1)


def is_month_start(instant: dt.datetime) -> bool:
    return (instant.day, instant.hour, instant.minute, instant.second, instant.microsecond) == (1, 0, 0, 0, 0)


def over_entries(run: Run, rule) -> Findings:
    findings = Findings()
    for report in answered(run):
        entries = report.entries()
        for index, entry in entries:
            problem = rule(report, index, entry)
            if problem:
                findings.problem(report.exchange, problem)
        if entries:
            findings.check(report.exchange, f"{len(entries)} entries")
    return findings


NO_ENTRIES = "no report held entries: choose --until after months the provider has figures for"


@check("CAP-01")
def report_valid(run: Run):
    findings = Findings()
    for report in reports(run):
        exchange = report.exchange
        if exchange.status != 200:
            findings.problem(
                exchange,
                f"status {exchange.status}, not 200" + (f"; body {quoted(exchange.json())}" if exchange.json() else ""),
            )
            continue
        problems = body_problems(run, exchange, 200, default="EmissionsReport")
        if problems:
            findings.problem(exchange, problems[0])
        else:
            findings.check(exchange, f"{report.period.name}: {len(report.entries())} entries, valid")
    return findings.outcome(f"reports (EmissionsReport of {run.documents.release.ref})")


@check("CAP-02")
def one_entry_per_type_and_month(run: Run):
    findings = Findings()
    for report in answered(run):
        first: dict[tuple, int] = {}
        for index, entry in report.entries():
            key = (entry.get("type"), parse_instant(entry.get("from")))
            if key[1] is None:
                continue
            if key in first:
                findings.problem(
                    report.exchange,
                    f"$.data[{index}] and $.data[{first[key]}] are both {key[0]} from {entry.get('from')}",
                )
            else:
                first[key] = index
        if first:
            findings.check(report.exchange, f"{len(first)} (type, month) pairs")
    return findings.outcome("reports", none=NO_ENTRIES)


def _month_rule(report: Report, index: int, entry: dict):
    start, end = parse_instant(entry.get("from")), parse_instant(entry.get("to"))
    if start is None or end is None:
        return None  # CAP-01's
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    if not is_month_start(start) or end != next_month(start):
        return (
            f"$.data[{index}] from {quoted(entry.get('from'))} to {quoted(entry.get('to'))} is not one calendar month"
        )


@check("CAP-03")
def whole_months(run: Run):
    return over_entries(run, _month_rule).outcome("reports", none=NO_ENTRIES)


def _inside_rule(report: Report, index: int, entry: dict):
    start, end = parse_instant(entry.get("from")), parse_instant(entry.get("to"))
    if start is None or end is None:
        return None
    if not (start < report.period.end and end > report.period.start):
        return (
            f"$.data[{index}] from {quoted(entry.get('from'))} to {quoted(entry.get('to'))} lies outside the requested "
            f"{iso(report.period.start)} to {iso(report.period.end)}"
        )


@check("CAP-04")
def inside_period(run: Run):
    return over_entries(run, _inside_rule).outcome("reports", none=NO_ENTRIES)


def _taken_rule(report: Report, index: int, entry: dict):
    end, taken = parse_instant(entry.get("to")), parse_instant(entry.get("takenAt"))
    if end is not None and taken is not None and taken < end:
        return f"$.data[{index}] takenAt {quoted(entry.get('takenAt'))} is before to {quoted(entry.get('to'))}"


@check("CAP-05")
def calculated_after_month(run: Run):
    return over_entries(run, _taken_rule).outcome("reports", none=NO_ENTRIES)


# --- the record, as `perseus verify` checks it -------------------------------------------------


def verifications(run: Run) -> dict[int, Verification | UnusableInput]:
    """Per exchange number: verify_report's Verification, or the UnusableInput it raised."""

    def verify_all() -> dict[int, Verification | UnusableInput]:
        from perseus.provenance.verify import UnusableInput, verify_report

        anchor = run.options.trust_anchor
        assert anchor is not None, "CAP-06 and CAP-07 ask for verifications only when --trust-anchor is given"
        found: dict[int, Verification | UnusableInput] = {}
        for report in answered(run):
            try:
                found[report.exchange.number] = verify_report(report.payload or {}, anchor)
            except UnusableInput as exc:
                found[report.exchange.number] = exc
        return found

    return run.once("verifications", verify_all)


@check("CAP-07")
def record_verifies(run: Run):
    if run.options.trust_anchor is None:
        return not_applicable("give --trust-anchor (the environment's signing CA, PEM)")
    findings = Findings()
    for report in answered(run):
        result = verifications(run)[report.exchange.number]
        if isinstance(result, Exception):
            findings.problem(report.exchange, f"perseus verify cannot read the record: {result}")
            continue
        problems = [p for p in result.problems if p.check != "sources"]
        if problems:
            findings.problem(report.exchange, f"perseus verify: {problems[0]}")
        else:
            findings.check(
                report.exchange,
                f"verified: {len(result.steps)} step(s)" + (f"; note: {result.notes[0]}" if result.notes else ""),
            )
    return findings.outcome("reports", none="no report answered 200 (see CAP-01)")


@check("CAP-06")
def sources_match_record(run: Run):
    if run.options.trust_anchor is None:
        return not_applicable("give --trust-anchor: the record is compared with the report once it verifies")
    findings = Findings()
    for report in answered(run):
        result = verifications(run)[report.exchange.number]
        if isinstance(result, Exception) or not result.sources_checked:
            continue
        problems = [p for p in result.problems if p.check == "sources"]
        if problems:
            findings.problem(report.exchange, f"perseus verify: {problems[0]}")
        else:
            findings.check(
                report.exchange,
                f"sources {quoted([s.get('methodology') for s in (report.payload or {}).get('sources') or []])} "
                "match the record",
            )
    return findings.outcome("reports", none="no record was read far enough to compare (see CAP-07)")


# --- the figures, recomputed ---------------------------------------------------------------------


def recomputed(run: Run, report: Report) -> dict:
    """The reference calculator's report of the same period from the consumption given."""
    import datetime as _dt

    from perseus.calculator import calculate

    methods = sorted(
        {
            str(s["methodology"])
            for s in (report.payload or {}).get("sources") or []
            if isinstance(s, dict) and s.get("methodology")
        }
    )
    return calculate(
        list(run.options.consumption),
        intensity=run.options.intensity,
        methods=methods,
        start=iso(report.period.start),
        end=iso(report.period.end),
        taken_at=iso(_dt.datetime.now(_dt.UTC)),
    )


@check("CAP-08")
def figures_recomputed(run: Run):
    if not run.options.consumption:
        return not_applicable(
            "give --consumption (the MeterData the provider read; --intensity for location-based electricity)"
        )
    from perseus.calculator import CalculationError
    from perseus.methodology.documents import MethodologyError, resolve

    year = next((r for r in answered(run) if r.period.name == "year"), None)
    if year is None:
        return not_applicable("the report of the year did not answer 200 (see CAP-01)")
    try:
        ours = recomputed(run, year)
    except CalculationError as exc:
        return not_applicable(f"the reference calculator refused the consumption given: {str(exc).splitlines()[0]}")
    except MethodologyError as exc:
        return failed(
            f"the report names a methodology the scheme does not publish: {exc}",
            Evidence.of(year.exchange, quoted((year.payload or {}).get("sources"))),
        )
    figures = {(e["type"], e["from"]): e["emissions"]["value"] for e in ours["data"]}
    methods = {s["type"]: s["methodology"] for s in ours.get("sources", [])}
    findings = Findings()
    for index, entry in year.entries():
        if _inside_rule(year, index, entry):
            continue  # a month outside the period is CAP-04's; nothing was read for it
        key = (entry.get("type"), entry.get("from"))
        served = (entry.get("emissions") or {}).get("value") if isinstance(entry.get("emissions"), dict) else None
        if key not in figures or not isinstance(served, (int, float)):
            findings.problem(
                year.exchange,
                f"$.data[{index}] ({key[0]}, {key[1]}): the consumption given yields no figure to compare",
            )
            continue
        decimals = resolve(methods[key[0]]).rounding["decimals"]
        tolerance = 0.5 * 10**-decimals
        if abs(served - figures[key]) > tolerance + 1e-12:
            findings.problem(
                year.exchange,
                f"$.data[{index}].emissions.value = {served} for {key[0]} {key[1]}; "
                f"{methods[key[0]]} gives {figures[key]} (tolerance {tolerance:g})",
            )
    if not findings.count:
        findings.check(
            year.exchange,
            f"{len(year.entries())} figures within rounding of {', '.join(sorted(set(methods.values())))}",
        )
    return findings.outcome("figures", none=NO_ENTRIES)
