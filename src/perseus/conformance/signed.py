"""Cases of the energy data provider's signed provenance record (EDP-50 to EDP-54).

The cryptographic verdict is ib1-provenance's own (`Record.verify` with the certificates the
record carries and the environment's trust anchor), as a carbon accounting provider runs it.
"""

from __future__ import annotations

from perseus.conformance.common import quoted
from perseus.conformance.edp import Answer, meter_answers
from perseus.conformance.registry import check
from perseus.conformance.run import Run, parse_instant
from perseus.conformance.verdicts import Findings, not_applicable
from perseus.provenance.steps import decode_step
from perseus.provenance.vocabulary import (
    ASSURANCE,
    EDP,
    METER,
    by_trust_framework,
    is_a,
    roles_held,
    shown_roles,
    trust_frameworks,
)


def unsigned_reason(provenance) -> str | None:
    """Why `provenance` is not a signed ib1 record, or None when every container ends in a signature block."""
    if not isinstance(provenance, dict):
        return "no `provenance` object"
    for key in ("ib1:provenance", "origins", "steps"):
        if key not in provenance:
            return f"the record has no `{key}`"
    return _container_reason(provenance["steps"], "$.provenance.steps")


def _container_reason(container, path: str) -> str | None:
    if not isinstance(container, list) or not container:
        return f"{path} is not a non-empty container"
    *items, block = container
    if not (
        isinstance(block, list)
        and len(block) == 4
        and block[0] == 0
        and all(isinstance(x, str) and x for x in block[1:])
    ):
        return f"{path} ends in {quoted(block, 60)}, not a signature block [0, serial, timestamp, signature]: the container is unsigned"
    for index, item in enumerate(items):
        if isinstance(item, list):
            reason = _container_reason(item, f"{path}[{index}]")
            if reason:
                return reason
    return None


def decoded_steps(steps) -> list[dict]:
    """Every step of a record, decoded without verifying (empty when a step cannot be decoded)."""
    found = []
    for item in steps if isinstance(steps, list) else []:
        if isinstance(item, str):
            try:
                found.append(decode_step(item))
            except ValueError:
                return []
        elif isinstance(item, list) and not (item[:1] == [0]):
            found += decoded_steps(item)
    return found


def consumption_origins(steps: list[dict]) -> list[dict]:
    return [s for s in steps if s.get("type") == "origin" and is_a(s.get("sourceType"), "source-type", {METER})]


def environment(answer: Answer):
    """The scheme environment whose trust framework the record names, or None."""
    framework = (_record(answer) or {}).get("ib1:provenance")
    return by_trust_framework(framework) if isinstance(framework, str) else None


def _record(answer: Answer):
    return (answer.payload or {}).get("provenance")


def signed_answers(run: Run) -> list[Answer]:
    return [a for a in meter_answers(run) if unsigned_reason(_record(a)) is None]


def verified(run: Run) -> dict[int, tuple[list[dict] | None, str | None]]:
    """Per exchange number: (the record's decoded steps with their signers, None) or (None, why it fails)."""

    def verify_all():
        from ib1.provenance import Record
        from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord

        from perseus.provenance.verify import explain

        provider = CertificatesProviderSelfContainedRecord(run.options.trust_anchor)
        results = {}
        for answer in signed_answers(run):
            provenance = _record(answer)
            try:
                record = Record(provenance["ib1:provenance"], provenance)
                record.verify(provider)
                results[answer.exchange.number] = (record.decoded(), None)
            except Exception as exc:  # the library raises cryptography's and bare exceptions alike
                results[answer.exchange.number] = (None, explain(exc))
        return results

    return run.once("verified", verify_all)


@check("EDP-50")
def record_signed(run: Run):
    findings = Findings()
    for answer in meter_answers(run):
        reason = unsigned_reason(_record(answer))
        if reason:
            findings.problem(answer.exchange, reason)
        else:
            findings.check(answer.exchange, f"signed record, origins {quoted(_record(answer).get('origins'))}")
    return findings.outcome("answers", none="no meter data answered (see EDP-03)")


@check("EDP-51")
def record_verifies(run: Run):
    if run.options.trust_anchor is None:
        return not_applicable("give --trust-anchor (the environment's signing CA, PEM)")
    findings = Findings()
    results = verified(run)
    for answer in signed_answers(run):
        steps, reason = results[answer.exchange.number]
        if environment(answer) is None:
            findings.problem(
                answer.exchange,
                f"`ib1:provenance` is {quoted(_record(answer).get('ib1:provenance'))}, not the trust "
                f"framework of one of the scheme's environments ({', '.join(trust_frameworks())})",
            )
        elif reason:
            findings.problem(answer.exchange, f"Record.verify: {reason}")
        else:
            findings.check(answer.exchange, f"verified: {len(steps or [])} step(s)")
    return findings.outcome("signed records", none="no signed record to verify (see EDP-50)")


@check("EDP-52")
def signed_by_edp(run: Run):
    if run.options.trust_anchor is None:
        return not_applicable("give --trust-anchor: a signer's roles are known only from a verified record")
    findings = Findings()
    results = verified(run)
    for answer in signed_answers(run):
        steps, _ = results[answer.exchange.number]
        if steps is None:
            continue
        env, origins = environment(answer), consumption_origins(steps)
        if env is None:
            continue  # EDP-51's
        wrong = [s for s in origins if EDP not in roles_held(s["_signature"]["signed"].get("roles") or [], env)]
        if not origins:
            findings.problem(answer.exchange, f"the record has no origin step of source type {METER}")
        elif wrong:
            signer = wrong[0]["_signature"]["signed"]
            findings.problem(
                answer.exchange,
                f"origin {wrong[0].get('id')} is signed by {signer.get('name')}, whose certificate "
                f"holds {shown_roles(signer.get('roles') or [], env)}, not the {env.name} {EDP}",
            )
        else:
            signer = origins[0]["_signature"]["signed"]
            findings.check(
                answer.exchange,
                f"origin {origins[0].get('id')} signed by {signer.get('name')} "
                f"({shown_roles(signer.get('roles') or [], env)})",
            )
    return findings.outcome("verified records", none="no record verifies (see EDP-51)")


def _period(step: dict):
    period = (
        (step.get("perseus:scheme") or {}).get("meteringPeriod")
        if isinstance(step.get("perseus:scheme"), dict)
        else None
    )
    if not isinstance(period, dict):
        return None, None, period
    return parse_instant(period.get("from")), parse_instant(period.get("to")), period


@check("EDP-53")
def period_covers_readings(run: Run):
    findings = Findings()
    for answer in meter_answers(run):
        readings = answer.timed()
        starts = [r.start for r in readings if r.start]
        ends = [r.end for r in readings if r.end]
        steps = decoded_steps((_record(answer) or {}).get("steps"))
        if not starts or not ends or not steps:
            continue
        first, last = min(starts), max(ends)
        periods = [_period(s) for s in consumption_origins(steps)]
        if any(start and end and start <= first and end >= last for start, end, _ in periods):
            findings.check(
                answer.exchange, f"metering period {quoted(next(p for *_, p in periods if p))} covers the readings"
            )
        elif not periods:
            findings.problem(answer.exchange, f"no origin step of source type {METER}, so no metering period")
        else:
            findings.problem(
                answer.exchange,
                f"metering period(s) {quoted([p for *_, p in periods])}; the readings run "
                f"from {first:%Y-%m-%dT%H:%M:%SZ} to {last:%Y-%m-%dT%H:%M:%SZ}",
            )
    return findings.outcome("answers with readings", none="no answer held readings and a readable record")


def assurance_problem(assurance, env) -> str | None:
    """Each signal the scheme defines must hold one of its values, as the URI of the record's environment
    (the scheme's assurance is open: other keys are not judged)."""
    if not isinstance(assurance, dict):
        return f"perseus:assurance is {quoted(assurance)}"
    if env is None:
        return "the record names no trust framework of the scheme, so no assurance URI can be of its environment"
    for key, value in assurance.items():
        if key not in ASSURANCE:
            continue
        values = ASSURANCE[key][1]
        if value not in {env.assurance(key, v) for v in values}:
            return (
                f"perseus:assurance.{key} = {quoted(value)}, not one of the {env.name} environment's "
                f"{env.assurance(key, values[0]).rsplit('/', 1)[0]}/{{{', '.join(values)}}}"
            )
    return None


@check("EDP-54")
def assurance_vocabulary(run: Run):
    findings = Findings()
    for answer in meter_answers(run):
        origins = consumption_origins(decoded_steps((_record(answer) or {}).get("steps")))
        for origin in origins:
            problem = assurance_problem(origin.get("perseus:assurance", {}), environment(answer))
            if problem:
                findings.problem(answer.exchange, f"origin {origin.get('id')}: {problem}")
        if origins:
            findings.check(answer.exchange, f"perseus:assurance {quoted(origins[0].get('perseus:assurance'))}")
    return findings.outcome(
        "answers with a consumption origin", none="no record with an origin step of source type Meter (see EDP-53)"
    )
