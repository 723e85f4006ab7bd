"""Cases of an energy data provider's consumption-data API (EDP-xx): data sources, meter data, errors."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from perseus.conformance.common import body_problems, expect, quoted
from perseus.conformance.registry import check
from perseus.conformance.run import Period, Run, parse_instant, periods
from perseus.conformance.session import Exchange, segment
from perseus.conformance.verdicts import Evidence, Findings, failed, not_applicable, passed

TEMPLATE = "/datasources/{id}/{measure}"
MAX_SOURCES = 50  # data sources read one day each (EDP-03); a longer list is cut, and the cut is said
MEASURES = ("import", "export")  # spec/types.yaml, Measure
# spec/consumption.yaml: electricity in energy units only (the Reading rule); gas in energy or volume.
UNITS = {"electricity": ("KWH", "WHR"), "gas": ("KWH", "WHR", "MTQ")}
IN_KWH = {"KWH": 1.0, "WHR": 0.001}  # to compare registers written in either energy unit
HALF_HOUR = dt.timedelta(minutes=30)


# --- the answers the cases share ---------------------------------------------------------------


def datasources(run: Run) -> Exchange:
    return run.once("datasources", lambda: run.session.get("/datasources", "/datasources", purpose="the data sources"))


def listed(run: Run) -> list[dict]:
    """The data sources of the list that can be asked for (a string id), in the list's order."""
    payload = datasources(run).json()
    items = payload.get("data") if isinstance(payload, dict) else None
    if datasources(run).status != 200 or not isinstance(items, list):
        return []
    return [s for s in items if isinstance(s, dict) and isinstance(s.get("id"), str) and s["id"]]


def measures_of(source: dict) -> list[str]:
    found = source.get("availableMeasures")
    return list(dict.fromkeys(m for m in found if isinstance(m, str))) if isinstance(found, list) else []


def first_source(run: Run) -> tuple[dict, str] | None:
    for source in listed(run):
        measures = measures_of(source)
        if measures:
            return source, "import" if "import" in measures else measures[0]
    return None


def meter_path(source_id: str, measure: str) -> str:
    return f"/datasources/{segment(source_id)}/{segment(measure)}"


class Reading(NamedTuple):
    """A reading of an answer with its timestamps parsed (None where unreadable: EDP-20 judges those)."""

    position: int  # its index in $.data
    body: dict
    start: dt.datetime | None
    end: dt.datetime | None
    taken: dt.datetime | None


@dataclass
class Answer:
    """A meter data request and its answer."""

    source: dict
    measure: str
    period: Period
    exchange: Exchange
    _readings: list | None = field(default=None, repr=False)
    _timed: list[Reading] | None = field(default=None, repr=False)

    @property
    def payload(self) -> dict | None:
        body = self.exchange.json()
        return body if self.exchange.status == 200 and isinstance(body, dict) else None

    def readings(self) -> list[tuple[int, dict]]:
        if self._readings is None:
            data = (self.payload or {}).get("data")
            self._readings = (
                [(i, r) for i, r in enumerate(data) if isinstance(r, dict)] if isinstance(data, list) else []
            )
        return self._readings

    def timed(self) -> list[Reading]:
        """The readings with their timestamps parsed once: a year is 17,520 readings, and a dozen cases
        read each of them."""
        if self._timed is None:
            self._timed = [
                Reading(i, r, parse_instant(r.get("from")), parse_instant(r.get("to")), parse_instant(r.get("takenAt")))
                for i, r in self.readings()
            ]
        return self._timed


def source_days(run: Run) -> list[Answer]:
    def fetch():
        day = run.day
        return [
            Answer(
                source,
                measure,
                day,
                run.fetch_data(
                    TEMPLATE, meter_path(source["id"], measure), day.params, f"one day of {source['id']} {measure}"
                ),
            )
            for source in listed(run)[:MAX_SOURCES]
            for measure in measures_of(source)
        ]

    return run.once("source-days", fetch)


def samples(run: Run) -> list[Answer]:
    """A day, a month and a year of the first data source of each energy type (the day is EDP-03's)."""

    def fetch() -> list[Answer]:
        days = {(a.source["id"], a.measure): a for a in source_days(run)}
        chosen: dict[str, tuple[dict, str]] = {}
        for source in listed(run)[:MAX_SOURCES]:
            measures = measures_of(source)
            if measures and str(source.get("type")) not in chosen:
                chosen[str(source.get("type"))] = (source, "import" if "import" in measures else measures[0])
        found = []
        for source, measure in chosen.values():
            for period in periods(run.options.until)[1:]:
                exchange = run.fetch_data(
                    TEMPLATE,
                    meter_path(source["id"], measure),
                    period.params,
                    f"a {period.name} of {source['id']} {measure}",
                )
                found.append(Answer(source, measure, period, exchange))
            found.append(days[(source["id"], measure)])
        return found

    return run.once("samples", fetch)


def meter_answers(run: Run) -> list[Answer]:
    """Every 200 answer of meter data: each source's day, and the samples' months and years."""
    seen, found = set(), []
    for answer in source_days(run) + samples(run):
        if answer.exchange.number not in seen and answer.exchange.status == 200:
            seen.add(answer.exchange.number)
            found.append(answer)
    return found


def at(index: int, key: str, reading: dict) -> str:
    return f"$.data[{index}].{key} = {quoted(reading.get(key))}"


def over_readings(run: Run, rule) -> Findings:
    """Apply `rule(answer, reading) -> problem or None` to every reading; answers with readings are counted."""
    findings = Findings()
    for answer in meter_answers(run):
        readings = answer.timed()
        if not readings:
            continue
        for reading in readings:
            problem = rule(answer, reading)
            if problem:
                findings.problem(answer.exchange, problem)
        findings.check(answer.exchange, f"{len(readings):,} readings")
    return findings


NO_READINGS = (
    "no answer held readings: choose --until within the period the server has data for, "
    "and credentials that hold a current permission"
)


# --- data sources --------------------------------------------------------------------------------


@check("EDP-01")
def datasources_valid(run: Run):
    exchange = datasources(run)
    if exchange.status != 200:
        return failed(
            f"GET /datasources answered {exchange.status}, not 200", Evidence.of(exchange, quoted(exchange.json()))
        )
    problems = body_problems(run, exchange, 200, default="DataSources")
    if problems:
        return failed(
            f"the list does not follow DataSources of {run.documents.release.ref}", Evidence.of(exchange, problems[0])
        )
    count = len(exchange.json().get("data", []))
    return passed(
        f"{count} data source(s), valid against DataSources of {run.documents.release.ref}",
        Evidence.of(exchange, quoted([s.get("id") for s in listed(run)])),
    )


@check("EDP-02")
def unique_ids(run: Run):
    exchange = datasources(run)
    ids = [s["id"] for s in listed(run)]
    if not ids:
        return not_applicable("the list names no data source (see EDP-01)")
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        return failed(
            f"{len(repeated)} id(s) name more than one data source",
            Evidence.of(exchange, f"repeated: {quoted(repeated)}"),
        )
    return passed(f"{len(ids)} distinct id(s)", Evidence.of(exchange, quoted(ids)))


@check("EDP-03")
def every_source_readable(run: Run):
    answers = source_days(run)
    findings = Findings()
    for answer in answers:
        exchange = answer.exchange
        if exchange.status == 200 and isinstance(exchange.json(), dict):
            findings.check(exchange, f"{answer.source['id']!r} {answer.measure}: 200")
        else:
            findings.problem(
                exchange,
                f"{answer.source['id']!r} {answer.measure}: status {exchange.status}"
                + (f", body {quoted(exchange.json())}" if exchange.json() is not None else ""),
            )
    outcome = findings.outcome(
        "data sources and measures", none="the list names no data source with a measure (see EDP-01)"
    )
    cut = len(listed(run)) - MAX_SOURCES
    if cut > 0:
        from perseus.conformance.verdicts import Outcome

        outcome = Outcome(
            outcome.outcome,
            f"{outcome.detail}; the first {MAX_SOURCES} of the list were read, {cut} not",
            outcome.evidence,
        )
    return outcome


def _type_rule(answer: Answer, reading: Reading):
    if reading.body.get("type") != answer.source.get("type"):
        return f"{at(reading.position, 'type', reading.body)}; the data source's type is {quoted(answer.source.get('type'))}"


@check("EDP-04")
def readings_of_source_type(run: Run):
    return over_readings(run, _type_rule).outcome("answers", none=NO_READINGS)


@check("EDP-05")
def location_of_source(run: Run):
    findings = Findings()
    for answer in meter_answers(run):
        found, listed_at = (answer.payload or {}).get("location"), answer.source.get("location")
        if found == listed_at:
            findings.check(answer.exchange, f"$.location = {quoted(found)}")
        else:
            findings.problem(answer.exchange, f"$.location = {quoted(found)}; the data source's is {quoted(listed_at)}")
    return findings.outcome("answers", none="no meter data answered (see EDP-03)")


# --- meter data ----------------------------------------------------------------------------------


@check("EDP-20")
def meter_data_valid(run: Run):
    findings = Findings()
    for answer in source_days(run) + [a for a in samples(run) if a.period.name != "day"]:
        exchange = answer.exchange
        if exchange.status != 200:
            continue  # EDP-03 judges the status
        problems = body_problems(run, exchange, 200, default="MeterData")
        if problems:
            findings.problem(exchange, problems[0])
        else:
            findings.check(exchange, f"{answer.period.name}: {len(answer.readings()):,} readings, valid")
    return findings.outcome(
        f"answers (MeterData of {run.documents.release.ref})", none="no meter data answered 200 (see EDP-03)"
    )


def _on_grid(instant: dt.datetime) -> bool:
    return instant.minute in (0, 30) and instant.second == 0 and instant.microsecond == 0


def _half_hour_rule(answer: Answer, reading: Reading):
    start, end = reading.start, reading.end
    if start is None or end is None:
        return None  # unreadable timestamps are EDP-20's
    if not (_on_grid(start.astimezone(dt.UTC)) and _on_grid(end.astimezone(dt.UTC))) or abs(end - start) != HALF_HOUR:
        return f"$.data[{reading.position}] from {quoted(reading.body.get('from'))} to {quoted(reading.body.get('to'))}"


@check("EDP-21")
def half_hours(run: Run):
    return over_readings(run, _half_hour_rule).outcome("answers", none=NO_READINGS)


def _order_rule(answer: Answer, reading: Reading):
    start, end, body = reading.start, reading.end, reading.body
    if start is not None and end is not None and not start < end:
        return f"$.data[{reading.position}] from {quoted(body.get('from'))} is not before to {quoted(body.get('to'))}"


@check("EDP-22")
def from_before_to(run: Run):
    return over_readings(run, _order_rule).outcome("answers", none=NO_READINGS)


def _taken_rule(answer: Answer, reading: Reading):
    end, taken, body = reading.end, reading.taken, reading.body
    if end is not None and taken is not None and taken < end:
        return f"$.data[{reading.position}] takenAt {quoted(body.get('takenAt'))} is before to {quoted(body.get('to'))}"


@check("EDP-23")
def taken_after_end(run: Run):
    return over_readings(run, _taken_rule).outcome("answers", none=NO_READINGS)


def _unit(quantity) -> str | None:
    return quantity.get("unitCode") if isinstance(quantity, dict) else None


def _unit_rule(answer: Answer, reading: Reading):
    body, index = reading.body, reading.position
    energy, cumulative = _unit(body.get("energy")), _unit(body.get("cumulative"))
    allowed = UNITS.get(str(body.get("type")))
    if allowed is None:
        return None  # an unknown type is EDP-20's
    if energy not in allowed:
        return f"$.data[{index}].energy.unitCode = {quoted(energy)}; {body.get('type')} allows {', '.join(allowed)}"
    if cumulative != energy:
        return f"$.data[{index}].cumulative.unitCode = {quoted(cumulative)}, energy in {quoted(energy)}"


@check("EDP-24")
def units(run: Run):
    return over_readings(run, _unit_rule).outcome("answers", none=NO_READINGS)


def _register(reading: dict) -> tuple[str, float] | None:
    """The register as (dimension, value in that dimension's unit), or None when unreadable."""
    quantity = reading.get("cumulative")
    unit, value = _unit(quantity), quantity.get("value") if isinstance(quantity, dict) else None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if unit in IN_KWH:
        return "energy", value * IN_KWH[unit]
    return (unit, float(value)) if unit else None


@check("EDP-25")
def cumulative_never_decreases(run: Run):
    findings = Findings()
    for answer in meter_answers(run):
        # In time order, a tie kept in the answer's order (sorted is stable).
        timed = sorted(((r.start, r) for r in answer.timed() if r.start is not None), key=itemgetter(0))
        if not timed:
            continue
        previous = None
        for _, (index, reading, *_) in timed:
            register = _register(reading)
            if register is None:
                continue
            if (
                previous
                and previous[1][0] == register[0]
                and register[1] < previous[1][1] - 1e-9 * max(1.0, abs(previous[1][1]))
            ):
                last_index, _, last = previous[0]
                findings.problem(
                    answer.exchange,
                    f"$.data[{index}].cumulative {quoted(reading.get('cumulative'))} at "
                    f"{reading.get('from')} is below $.data[{last_index}].cumulative "
                    f"{quoted(last.get('cumulative'))} at {last.get('from')}",
                )
            previous = ((index, None, reading), register)
        findings.check(answer.exchange, f"{len(timed):,} readings in time order")
    return findings.outcome("answers", none=NO_READINGS)


def _inside_rule(answer: Answer, reading: Reading):
    start, end = reading.start, reading.end
    if start is None or end is None:
        return None
    if start < answer.period.start or end > answer.period.end:
        return (
            f"$.data[{reading.position}] from {quoted(reading.body.get('from'))} to {quoted(reading.body.get('to'))}, outside the "
            f"requested {answer.period.params['from']} to {answer.period.params['to']}"
        )


@check("EDP-26")
def inside_period(run: Run):
    return over_readings(run, _inside_rule).outcome("answers", none=NO_READINGS)


@check("EDP-27")
def no_duplicates(run: Run):
    findings = Findings()
    for answer in meter_answers(run):
        readings = answer.timed()
        if not readings:
            continue
        first_at: dict[dt.datetime, int] = {}
        for index, reading, start, *_ in readings:
            if start is None:
                continue
            if start in first_at:
                findings.problem(
                    answer.exchange,
                    f"$.data[{index}] and $.data[{first_at[start]}] both start at {reading.get('from')}",
                )
            else:
                first_at[start] = index
        findings.check(answer.exchange, f"{len(readings):,} readings, {len(first_at):,} half-hours")
    return findings.outcome("answers", none=NO_READINGS)


# --- the error contract ---------------------------------------------------------------------------


def _one_day(run: Run, source_id: str, measure: str, purpose: str) -> Exchange:
    return run.session.get(TEMPLATE, meter_path(source_id, measure), run.day.params, purpose=purpose, allowed=False)


def _expect_one(run: Run, exchange: Exchange, status: int):
    findings = Findings()
    expect(run, findings, exchange, status)
    return findings.outcome("requests")


@check("EDP-40")
def foreign_source_forbidden(run: Run):
    foreign = run.options.foreign_source
    if not foreign:
        return not_applicable(
            "give --foreign-source ID: a data source of this server the credentials hold no permission for"
        )
    measure = (first_source(run) or ({}, "import"))[1]
    exchange = run.once("foreign", lambda: _one_day(run, foreign, measure, f"one day of {foreign} (another client's)"))
    return _expect_one(run, exchange, 403)


@check("EDP-41")
def unknown_source_not_found(run: Run):
    unknown = f"perseus-conformance-unknown-{uuid.uuid4().hex[:12]}"
    exchange = run.once("unknown", lambda: _one_day(run, unknown, "import", "one day of a data source no server has"))
    return _expect_one(run, exchange, 404)


@check("EDP-42")
def unknown_measure_not_found(run: Run):
    for source in listed(run):
        lacking = [m for m in MEASURES if m not in measures_of(source)]
        if lacking:
            source_id, measure = source["id"], lacking[0]
            why = f"one day of {source_id} {measure}, which it does not list"
            exchange = run.once("unknown-measure", functools.partial(_one_day, run, source_id, measure, why))
            return _expect_one(run, exchange, 404)
    return not_applicable("every listed data source offers every measure (or the list is empty)")
