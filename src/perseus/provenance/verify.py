"""Verify a signed emissions report: chain, signatures, roles, dates, origins, and the report itself.

The cryptographic verdict is ib1-provenance's (`Record.verify` with the environment's
trust anchor), under the trust framework the record names (each environment has its own).
Around it: certificate checks that say *why* a chain fails (another CA, expired), the
scheme's role rules per step (roles are the environment's role URIs), dates, origins, the
step model, and the comparison of the record with the report's `sources` and figures (this
project's process steps carry a digest of each type's entries and source). A report from
another calculator (the registry's shape, without `sources`) is checked for all but that.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from ib1.provenance import Record
from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord, SigningCertificate

from perseus.provenance.digest import report_digest
from perseus.provenance.steps import Container, Unreadable, containers, decode_step, step_ids, walk
from perseus.provenance.vocabulary import (
    CAP,
    DATASET_SOURCE_TYPES,
    EDP,
    METER,
    Environment,
    by_trust_framework,
    energy_type_of,
    instant,
    is_a,
    not_after,
    roles_held,
    shown_roles,
    trust_frameworks,
)

DATASET_FIELDS = ("role", "publisher", "title", "version", "months", "substitutedFor")


class UnusableInput(ValueError):
    """The report or the trust anchor cannot be read at all (exit 2, not a failed verification)."""


@dataclass(frozen=True)
class Finding:
    where: str  # the step (id, type) or JSON path the problem belongs to
    reason: str
    check: str = ""  # "sources" for the comparison of the record with the report's sources and figures

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Verification:
    problems: list[Finding] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)  # decoded, with the library's `_signature`
    notes: list[str] = field(default_factory=list)  # facts worth saying that are not failures
    environment: Environment | None = None  # the one the record's trust framework names
    sources_checked: bool = False  # the record was read far enough to compare it with the report's sources

    @property
    def valid(self) -> bool:
        return not self.problems


def explain(exc: Exception) -> str:
    """A readable cause for what ib1-provenance or cryptography raised."""
    text = str(exc)
    if isinstance(exc, InvalidSignature):
        return "the signature does not match the signed steps: the record was altered after signing"
    if isinstance(exc, KeyError):
        return f"certificate serial {text.strip(chr(39))} is not in the record"
    if "origins property does not match" in text:
        return "its `origins` list does not name the record's signed origin steps"
    if type(exc).__name__ == "VerificationError":
        if "not valid at validation time" in text or "expired" in text:
            return "the signing certificate was not valid at the signing time"
        if "candidates exhausted" in text:
            return "the signing certificate does not chain to the trust anchor"
        return f"the certificate chain is not acceptable ({text})"
    return text or type(exc).__name__


def load_anchor(pem: bytes) -> list[x509.Certificate]:
    try:
        anchors = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise UnusableInput(f"the trust anchor is not a PEM certificate ({exc})") from exc
    if not anchors:
        raise UnusableInput("the trust anchor file holds no certificate")
    return anchors


def _name(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string()


@dataclass
class Signed:
    container: Container
    organisation: str = "an unknown signer"
    chain: list = field(default_factory=list)

    def describe(self) -> str:
        c = self.container
        return f"container {c.path} signed by {self.organisation} (certificate serial {c.serial} at {c.timestamp})"


def _signed(container: Container, certificates: dict) -> tuple[Signed, list[Finding]]:
    """The container's certificate chain from the record, with readable reasons when it cannot be trusted."""
    signed = Signed(container)
    entry = certificates.get(container.serial)
    if not entry:
        return signed, [Finding(signed.describe(), f"certificate serial {container.serial} is not in the record")]
    try:
        leaf, *issuers = entry
        chain = [x509.load_pem_x509_certificate(leaf.encode())]
        chain += [x509.load_pem_x509_certificate(certificates[s][0].encode()) for s in issuers]
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
        return signed, [
            Finding(
                signed.describe(), f"the record's certificates for serial {container.serial} cannot be read ({exc})"
            )
        ]
    signed.chain = chain
    orgs = chain[0].subject.get_attributes_for_oid(x509.oid.NameOID.ORGANIZATION_NAME)
    signed.organisation = str(orgs[0].value) if orgs else _name(chain[0])
    return signed, []


def _certificate_findings(signed: Signed, anchors: list[x509.Certificate]) -> list[Finding]:
    findings = []
    where = signed.describe()
    try:
        at = instant(signed.container.timestamp)
    except ValueError:
        return [Finding(where, f"signing time {signed.container.timestamp!r} is not an ISO 8601 instant")]
    for cert in signed.chain:
        start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
        if not start <= at <= end:
            state = "had expired" if at > end else "was not yet valid"
            findings.append(
                Finding(
                    where,
                    f"certificate {_name(cert)} {state} at the signing time {signed.container.timestamp} "
                    f"(valid {start:%Y-%m-%dT%H:%M:%SZ} to {end:%Y-%m-%dT%H:%M:%SZ})",
                )
            )
    top = signed.chain[-1]
    if not any(_issued_by(top, anchor) for anchor in anchors):
        findings.append(
            Finding(
                where,
                f"certificate {_name(top)} was issued by {top.issuer.rfc4514_string()}, not by the "
                f"trust anchor {_name(anchors[0])}: it comes from another CA or environment",
            )
        )
    try:
        roles = SigningCertificate(signed.chain[0]).roles()
        if not roles:
            raise ValueError
    except Exception:
        findings.append(
            Finding(where, "the signing certificate has no IB1 roles extension (OID 1.3.6.1.4.1.62329.1.1)")
        )
    return findings


def _issued_by(cert: x509.Certificate, anchor: x509.Certificate) -> bool:
    if cert.issuer != anchor.subject:
        return False
    try:
        cert.verify_directly_issued_by(anchor)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _origins_in(raw: list) -> list[str | None]:
    found: list[str | None] = []
    *data, _ = raw
    for item in data:
        if isinstance(item, str):
            step = decode_step(item)
            if step.get("type") == "origin":
                found.append(step.get("id"))
        else:
            found += _origins_in(item)
    return found


def _raw(steps: list, path: str) -> list:
    """The raw container at a JSON path under $.provenance.steps."""
    node = steps
    for part in path.removeprefix("$.provenance.steps").strip("[]").split("]["):
        if part:
            node = node[int(part)]
    return node


def _diagnose(provenance: dict, tree: Container, provider, env: Environment) -> Finding:
    """Which container fails the library's verification, innermost first, and why."""
    certificates = provenance.get("certificates") or {}
    for container in walk(tree):
        raw = _raw(provenance["steps"], container.path)
        signed, _ = _signed(container, certificates)
        try:
            origins = _origins_in(raw)
        except ValueError:
            return Finding(signed.describe(), f"a step cannot be decoded; steps: {', '.join(step_ids(container))}")
        sub = {"ib1:provenance": env.trust_framework, "origins": origins, "steps": raw, "certificates": certificates}
        try:
            Record(env.trust_framework, sub).verify(provider)
        except Exception as exc:
            reason = explain(exc)
            if isinstance(exc, InvalidSignature):
                reason += f"; the container holds {', '.join(step_ids(container)) or 'no steps of its own'}"
            return Finding(signed.describe(), reason)
    return Finding("$.provenance.origins", "the origins list does not match the origin steps in the record")


@lru_cache(maxsize=1)
def step_schema() -> dict:
    from perseus.provenance.model import STEP_SCHEMA_PATH

    return json.loads(STEP_SCHEMA_PATH.read_text())


@cache
def _step_validator(name: str):
    from jsonschema import Draft201909Validator

    return Draft201909Validator({"$ref": f"#/$defs/{name}", "$defs": step_schema()["$defs"]})


@cache
def _fast_step_validator(name: str):
    # jsonschema-rs answers valid/invalid about ten times faster; the messages come from jsonschema.
    import jsonschema_rs

    return jsonschema_rs.Draft201909Validator({"$ref": f"#/$defs/{name}", "$defs": step_schema()["$defs"]})


def _model_findings(step: dict) -> list[Finding]:
    name = f"{str(step.get('type', '')).capitalize()}Step"
    if name not in step_schema()["$defs"]:
        return [Finding(_where(step), f"unknown step type {step.get('type')!r}")]
    body = {k: v for k, v in step.items() if k != "_signature"}
    if _fast_step_validator(name).is_valid(body):
        return []
    errors = sorted(_step_validator(name).iter_errors(body), key=lambda e: list(e.path))
    return [
        Finding(
            _where(step),
            f"does not follow the provenance step model at {'/'.join(map(str, e.path)) or '(step)'}: {e.message}",
        )
        for e in errors[:3]
    ]


def _where(step: dict) -> str:
    label = (
        step.get("perseus:methodology")
        or step.get("perseus:energyType")
        or (step.get("perseus:dataset") or {}).get("title")
        or (energy_type_of(step) if step.get("type") == "process" else None)
    )
    return f"{step.get('type', 'step')} step {step.get('id')}" + (f" ({label})" if label else "")


def _signer(step: dict) -> dict:
    return step["_signature"]["signed"]


def verify_report(report: dict, trust_anchor: bytes, *, require_edp: bool = False) -> Verification:
    """Verify everything the module docstring lists. Raises UnusableInput when there is nothing to verify."""
    anchors = load_anchor(trust_anchor)
    if not isinstance(report, dict) or not isinstance(report.get("provenance"), dict):
        raise UnusableInput("the report has no `provenance` object")
    provenance = report["provenance"]
    env = by_trust_framework(provenance.get("ib1:provenance"))
    if env is None:
        raise UnusableInput(
            f"$.provenance: `ib1:provenance` is {provenance.get('ib1:provenance')!r}, not the trust "
            f"framework of one of the scheme's environments ({', '.join(trust_frameworks())})"
        )
    try:
        tree = containers(provenance.get("steps"))
    except Unreadable as exc:
        raise UnusableInput(str(exc)) from exc
    result = Verification()
    certificates = provenance.get("certificates") or {}
    for container in walk(tree):
        signed, found = _signed(container, certificates)
        result.problems += found or _certificate_findings(signed, anchors)
    if not result.problems:
        result.problems += _container_date_findings(tree, certificates)
    provider = CertificatesProviderSelfContainedRecord(trust_anchor)
    record = Record(env.trust_framework, provenance)
    try:
        record.verify(provider)
    except Exception:
        if not result.problems:  # the certificate checks did not say why: find the container
            result.problems.append(_diagnose(provenance, tree, provider, env))
        return result
    if result.problems:  # the library accepted what the certificate checks refused: keep the refusal
        return result
    result.steps = record.decoded()
    signed_at = _signing_times(tree)
    for step in result.steps:
        result.problems += _model_findings(step)
    if result.problems:
        return result
    result.environment = env
    result.problems += _role_findings(result, env, require_edp)
    try:
        result.problems += _date_findings(result.steps, signed_at, report)
        result.problems += _origin_findings(result.steps, report)
        result.problems += [replace(f, check="sources") for f in _source_findings(result.steps, report, result.notes)]
        result.sources_checked = True
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # the report's own fields, not the record's
        raise UnusableInput(
            f"the report's `data` or `sources` cannot be read ({type(exc).__name__}: {exc}); "
            "validate it with `perseus validate` first"
        ) from exc
    return result


def _container_date_findings(tree: Container, certificates: dict, now: dt.datetime | None = None) -> list[Finding]:
    """A container is not signed in the future, nor before a container nested in it was signed."""
    now = now or dt.datetime.now(dt.UTC)
    findings = []
    for container in walk(tree):
        signed_at = instant(container.timestamp)
        where = _signed(container, certificates)[0].describe()
        if signed_at > now + dt.timedelta(minutes=5):
            findings.append(Finding(where, f"it claims to be signed in the future ({container.timestamp})"))
        for inner in container.nested:
            if instant(inner.timestamp) > signed_at:
                findings.append(
                    Finding(
                        where, f"it was signed before the record nested in it ({inner.path}, signed {inner.timestamp})"
                    )
                )
    return findings


def _signing_times(tree: Container) -> dict[str, str]:
    times = {}
    for container in walk(tree):
        for _, encoded in container.steps:
            times[decode_step(encoded)["id"]] = container.timestamp
    return times


def _is_consumption(step: dict) -> bool:
    return step["type"] == "origin" and is_a(step.get("sourceType"), "source-type", {METER})


def _is_dataset(step: dict) -> bool:
    return step["type"] == "origin" and is_a(step.get("sourceType"), "source-type", DATASET_SOURCE_TYPES)


def _is_calculation(step: dict) -> bool:
    return step["type"] == "process" and is_a(step.get("process"), "process")


def _role_findings(result: Verification, env: Environment, require_edp: bool) -> list[Finding]:
    findings = []
    by_id = {s["id"]: s for s in result.steps}
    for step in result.steps:
        signer = _signer(step)
        roles = roles_held(signer["roles"], env)
        held = f"signed by {signer['name']}, whose certificate holds {shown_roles(signer['roles'], env)}"
        if _is_calculation(step) and CAP not in roles:
            findings.append(Finding(_where(step), f"{held}; only a {CAP} signs the emissions calculation"))
        elif _is_dataset(step) and CAP not in roles:
            findings.append(Finding(_where(step), f"{held}; only a {CAP} declares the datasets of a calculation"))
        elif (
            step["type"] == "receipt"
            and (sent := by_id.get(step.get("transfer")))
            and sent.get("to") not in (signer["member"], signer["application"])
        ):
            findings.append(
                Finding(
                    _where(step),
                    f"signed by {signer['name']} (member {signer['member']}), but transfer "
                    f"{sent['id']} was sent to {sent.get('to')}",
                )
            )
        elif _is_consumption(step) and EDP not in roles:
            if CAP in roles and not require_edp:
                result.notes.append(
                    f"{_where(step)}: consumption declared by the carbon accounting provider "
                    f"{signer['name']}, not attested by an {EDP}"
                )
            else:
                findings.append(Finding(_where(step), f"{held}; consumption origins are signed by an {EDP}"))
    return findings


def _date_findings(steps: list[dict], signed_at: dict[str, str], report: dict) -> list[Finding]:
    findings = []
    for step in steps:
        when = signed_at.get(step["id"])
        try:
            if when and not not_after(step["timestamp"], when):
                findings.append(
                    Finding(
                        _where(step), f"its timestamp {step['timestamp']} is after its container was signed ({when})"
                    )
                )
            period = (step.get("perseus:scheme") or {}).get("meteringPeriod")
            if period and instant(period["from"]) >= instant(period["to"]):
                findings.append(Finding(_where(step), f"metering period {period['from']} to {period['to']} is empty"))
        except (ValueError, KeyError, TypeError) as exc:
            findings.append(Finding(_where(step), f"a date cannot be read ({exc})"))
    outer = [s for s in steps if not s["_signature"]["includedBy"] and _is_calculation(s)]
    for index, entry in enumerate(report.get("data", [])):
        for process in outer:
            if energy_type_of(process) == entry.get("type") and instant(entry["takenAt"]) > instant(
                signed_at[process["id"]]
            ):
                findings.append(
                    Finding(
                        f"$.data[{index}]",
                        f"takenAt {entry['takenAt']} is after the calculation was signed ({signed_at[process['id']]})",
                    )
                )
    return findings


def _origin_findings(steps: list[dict], report: dict) -> list[Finding]:
    by_id = {s["id"]: s for s in steps}
    findings = []
    for step in steps:
        for key in ("inputs", "permissions"):
            for ref in step.get(key, []):
                if ref not in by_id:
                    findings.append(Finding(_where(step), f"{key} names step {ref}, which is not in the record"))
        if step["type"] == "transfer" and step.get("of") not in by_id:
            findings.append(Finding(_where(step), f"transfers step {step.get('of')}, which is not in the record"))
        if step["type"] == "receipt" and step.get("transfer") not in by_id:
            findings.append(
                Finding(_where(step), f"receives transfer {step.get('transfer')}, which is not in the record")
            )
    for process in filter(_is_calculation, steps):
        consumption = [by_id[o] for o in _consumption_origins(process, by_id)]
        if not consumption:
            findings.append(Finding(_where(process), "none of its inputs leads to a consumption origin"))
            continue
        energy_type = energy_type_of(process)
        entries = [e for e in report.get("data", []) if e.get("type") == energy_type]
        if not entries:
            continue
        start, end = min(instant(e["from"]) for e in entries), max(instant(e["to"]) for e in entries)
        for origin in consumption:
            period = (origin.get("perseus:scheme") or {}).get("meteringPeriod")
            if not period:
                findings.append(Finding(_where(origin), "a consumption origin must state its metering period"))
            elif instant(period["to"]) <= start or instant(period["from"]) >= end:
                findings.append(
                    Finding(
                        _where(origin),
                        f"metering period {period['from']} to {period['to']} lies outside the "
                        f"report's {energy_type} months",
                    )
                )
    return findings


def _consumption_origins(process: dict, by_id: dict) -> list[str]:
    """Consumption origins a process reads: directly, or through a receipt of a transfer of them."""
    found, todo, seen = [], list(process.get("inputs", [])), set()
    while todo:
        ref = todo.pop()
        step = by_id.get(ref)
        if step is None or ref in seen:
            continue
        seen.add(ref)
        if _is_consumption(step):
            found.append(ref)
        elif step["type"] == "receipt":
            todo.append(step.get("transfer"))
        elif step["type"] == "transfer":
            todo.append(step.get("of"))
    return sorted(found)


def dataset_key(dataset: dict) -> str:
    return json.dumps({k: dataset.get(k) for k in ("url", "licence", *DATASET_FIELDS)}, sort_keys=True)


def _source_findings(steps: list[dict], report: dict, notes: list[str]) -> list[Finding]:
    """The report's `sources` against the record, and its figures against the digests the CAP signed.

    A report without `sources` (the registry's shape, from another calculator) has nothing to
    compare; a digest in the record is still checked, so stripping this project's `sources` fails."""
    by_id = {s["id"]: s for s in steps}
    findings = []
    calculations = [s for s in steps if _is_calculation(s)]
    sources = report.get("sources") or []
    matched = set()
    for index, source in enumerate(sources):
        where = f"$.sources[{index}] ({source.get('type')}, {source.get('methodology')})"
        candidates = [
            p
            for p in calculations
            if p.get("process") == source.get("methodologyUri") and energy_type_of(p) == source.get("type")
        ]
        if len(candidates) != 1:
            findings.append(
                Finding(
                    where,
                    f"the record has {len(candidates)} process steps for methodology "
                    f"{source.get('methodologyUri')} and {source.get('type')}; expected one",
                )
            )
            continue
        process = candidates[0]
        matched.add(process["id"])
        if process.get("perseus:methodology") != source.get("methodology"):
            findings.append(
                Finding(
                    _where(process),
                    f"names methodology {process.get('perseus:methodology')}, the report {source.get('methodology')}",
                )
            )
        in_record = sorted(
            dataset_key({"url": d.get("origin"), "licence": d.get("originLicense"), **d.get("perseus:dataset", {})})
            for d in (by_id[i] for i in process.get("inputs", []) if i in by_id)
            if _is_dataset(d)
        )
        in_report = sorted(dataset_key(d) for d in source.get("datasets") or [])
        if in_record != in_report:
            only_record = [json.loads(k)["title"] for k in in_record if k not in in_report]
            only_report = [json.loads(k)["title"] for k in in_report if k not in in_record]
            findings.append(
                Finding(
                    _where(process),
                    "its datasets differ from the report's sources: "
                    f"only in the record {only_record or 'none'}, only in the report {only_report or 'none'}",
                )
            )
        findings += _digest_findings(process, report, source.get("type"))
    for process in calculations:
        if process["id"] in matched:
            continue
        if sources:
            findings.append(Finding(_where(process), "no source in the report names this methodology"))
        elif "perseus:report" in process:
            if (energy_type := energy_type_of(process)) is None:
                findings.append(
                    Finding(
                        _where(process),
                        "binds a digest of the report's figures but names no energy type "
                        "(no `perseus:energyType`, no known methodology), so it cannot be checked",
                    )
                )
            else:
                findings += _digest_findings(process, report, energy_type)
        else:
            notes.append(
                f"{_where(process)}: the record binds no digest of the report's figures (the report has no "
                "`sources` and the process step no `perseus:report`), so the figures are not checked against it"
            )
    covered = {energy_type_of(p) for p in calculations}
    for index, entry in enumerate(report.get("data") or []):
        if entry.get("type") not in covered:
            findings.append(
                Finding(f"$.data[{index}]", f"no process step in the record covers {entry.get('type')} entries")
            )
    return findings


def _digest_findings(process: dict, report: dict, energy_type: str) -> list[Finding]:
    expected = report_digest(report, energy_type)
    if process.get("perseus:report") == expected:
        return []
    return [
        Finding(
            _where(process),
            f"the report's {energy_type} entries or source were changed after signing "
            f"(signed sha256 {(process.get('perseus:report') or {}).get('sha256')}, "
            f"report now {expected['sha256']})",
        )
    ]
