"""The records consumption data arrives with, as a carbon accounting provider checks them.

`perseus calculate --trust-anchor CA.pem` (with or without --sign) verifies every record
its consumption files carry before anything is written: a record signed by an energy
data provider must verify against the anchor, name its consumption origins in `origins`,
and have them signed by an energy data provider; a record that claims origins without
any signature is refused, except synthetic data's, which says it is synthetic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from ib1.provenance import Record
from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord

from perseus.provenance.steps import Unreadable, containers, decode_step
from perseus.provenance.vocabulary import EDP, METER, by_trust_framework, is_a, roles_held, trust_frameworks

SYNTHETIC_KEYS = ("description", "perseus:synthetic")


class InboundError(ValueError):
    """An inbound record that does not verify or does not fit (the message names the file and the rule)."""


def read_anchor(path) -> bytes:
    """The trust anchor file's PEM certificates, or InboundError naming the file."""
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise InboundError(f"{path}: --trust-anchor: cannot read the file ({exc.strerror or exc})") from exc
    try:
        anchors = x509.load_pem_x509_certificates(pem)
    except ValueError:
        anchors = []
    if not anchors:
        raise InboundError(
            f"{path}: --trust-anchor: the file holds no PEM certificate; give the environment's signing CA certificate"
        )
    return pem


def is_consumption_origin(step: dict) -> bool:
    return step.get("type") == "origin" and is_a(step.get("sourceType"), "source-type", {METER})


def verify_inbound(item: dict, trust_anchor: bytes | None, recipient: dict | None = None) -> tuple[Record, list[dict]]:
    """Verify an energy data provider's record (MeterData's `provenance`) against the anchor.

    Returns the library's Record and its decoded steps; raises InboundError with the cause.
    `recipient` (a signer's member, application) must be whom its transfers were sent to.
    """
    from perseus.provenance.verify import explain

    provenance = item.get("provenance")
    if not isinstance(provenance, dict):
        provenance = {}  # containers() below refuses a record without steps
    if trust_anchor is None:
        raise InboundError("an inbound record needs the environment's trust anchor to be verified")
    try:
        containers(provenance.get("steps"))
    except Unreadable as exc:
        raise InboundError(f"the energy data provider's record cannot be read: {exc}") from exc
    env = by_trust_framework(provenance.get("ib1:provenance"))
    if env is None:
        raise InboundError(
            f"`ib1:provenance` is {provenance.get('ib1:provenance')!r}, not a trust framework of the "
            f"scheme's environments ({', '.join(trust_frameworks())})"
        )
    try:
        record = Record(env.trust_framework, provenance)
        record.verify(CertificatesProviderSelfContainedRecord(trust_anchor))
    except Exception as exc:  # the library raises cryptography and bare exceptions alike
        raise InboundError(f"the energy data provider's record does not verify: {explain(exc)}") from exc
    steps = record.decoded()
    origins = [s for s in steps if is_consumption_origin(s)]
    if not origins:
        raise InboundError(
            f"the record's origins ({', '.join(provenance.get('origins') or []) or 'none'}) name no "
            "signed consumption origin (an origin step with sourceType .../source-type/Meter)"
        )
    for step in origins:
        signer = step["_signature"]["signed"]
        if EDP not in roles_held(signer["roles"], env):
            raise InboundError(
                f"consumption origin {step['id']} is signed by {signer['name']}, which is not an {EDP} "
                f"in the {env.name} environment (its certificate holds {', '.join(signer['roles'])})"
            )
    if recipient is not None:
        addressed = {recipient["member"], recipient["application"]}
        for transfer in (s for s in steps if s["type"] == "transfer" and s.get("to") not in addressed):
            raise InboundError(
                f"transfer {transfer['id']} in the energy data provider's record was sent to "
                f"{transfer.get('to')}, not to this member ({recipient['member']}) or its application "
                f"({recipient['application']})"
            )
    return record, steps


def claims_signature(item) -> bool:
    """Whether a record holds any signature block: an EDP's claim that the CAP must verify, not ignore."""
    if isinstance(item, dict):
        return claims_signature(item.get("steps"))
    if isinstance(item, list):
        return item[:1] == [0] or any(claims_signature(x) for x in item if isinstance(x, list))
    return False


def synthetic_label(provenance) -> dict:
    """The synthetic-data label of an unsigned record's origin step (see provenance.synthetic), if any."""
    for item in (provenance or {}).get("steps") or []:
        try:
            step = decode_step(item) if isinstance(item, str) else {}
        except ValueError:
            continue
        if "perseus:synthetic" in step:
            return {k: step[k] for k in SYNTHETIC_KEYS if k in step}
    return {}


def energy_types(item: dict) -> set[str]:
    return {t for r in item.get("data", []) if isinstance(r, dict) and isinstance(t := r.get("type"), str)}


@dataclass
class Consumption:
    """What the calculator's consumption files say about their provenance."""

    signed: list[tuple[str, dict]] = field(default_factory=list)  # (path, MeterData) carrying a signed record
    unsigned: list[tuple[str, dict]] = field(default_factory=list)  # records with no signature that are not synthetic
    outcodes: dict[str, str] = field(default_factory=dict)  # energy type -> outcode the files state
    declared: dict[str, dict] = field(default_factory=dict)  # energy type -> synthetic label to keep


def consumption_context(paths) -> Consumption:
    """Sort the JSON consumption files by the record they carry (CSV and Parquet carry none).

    Unsigned records (such as synthetic data's) are not inbound records: a CAP starts afresh,
    keeping synthetic data's label and claiming no meter."""
    found = Consumption()
    for path in map(Path, paths):
        if path.suffix.lower() != ".json":
            continue
        payload = json.loads(path.read_text())
        if not isinstance(payload, dict):
            continue
        outcode = (payload.get("location") or {}).get("ukPostcodeOutcode")
        for energy_type in energy_types(payload):
            if outcode:
                found.outcodes.setdefault(energy_type, outcode)
        provenance = payload.get("provenance")
        if claims_signature(provenance):
            found.signed.append((str(path), payload))
        elif label := synthetic_label(provenance):
            for energy_type in energy_types(payload):
                found.declared[energy_type] = {**label, "dataSource": None}
        elif isinstance(provenance, dict) and (provenance.get("origins") or provenance.get("steps")):
            found.unsigned.append((str(path), payload))
    return found


def check_consumption(consumption: Consumption, anchor: bytes, anchor_path, recipient: dict | None = None) -> list:
    """Verify every record the consumption files carry; InboundError names the first file that fails."""
    for path, payload in consumption.unsigned:
        origins = ", ".join(payload["provenance"].get("origins") or []) or "none"
        raise InboundError(
            f"{path}: $.provenance: the record's origins ({origins}) name no signed step: it carries no "
            f"signature block, so nothing in it can be verified against {anchor_path}"
        )
    verified = []
    for path, payload in consumption.signed:
        try:
            verified.append((path, payload, *verify_inbound(payload, anchor, recipient)))
        except InboundError as exc:
            raise InboundError(f"{path}: $.provenance: {exc} (trust anchor {anchor_path})") from exc
    return verified


def verify_consumption_files(paths, anchor_path) -> list:
    """`perseus calculate --trust-anchor` without --sign: verify the files' records, or InboundError."""
    return check_consumption(consumption_context(paths), read_anchor(anchor_path), anchor_path)
