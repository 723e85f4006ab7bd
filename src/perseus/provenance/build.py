"""The carbon accounting provider's signed record of an emissions report.

    signed = sign_report(report, key="keys/cap.key", cert_chain="keys/cap.pem",
                         inbound_records=[meter_data], fsp="https://directory.../member/bank",
                         trust_anchor=Path("keys/sandbox-ca.pem").read_bytes())

Steps (all built with ib1-provenance's Record and signed by the CAP):
- for each energy type: the EDP's signed record, verified and nested as received, with a
  receipt of its transfer; or, when the consumption came without one, an origin step of
  the CAP's own (metering period, outcode, `perseus:assurance`);
- an origin step for each dataset in the report's `sources` (URL, licence);
- a process step per methodology version (its registry URI) with those inputs, the
  calculator's data quality, and the digest of that type's entries and source;
- a transfer step to the FSP when one is named.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from ib1.provenance import Record
from ib1.provenance.certificates import CertificatesProviderSelfContainedRecord

from perseus.provenance.digest import report_digest
from perseus.provenance.signer import SigningError, member_signer
from perseus.provenance.steps import Unreadable, containers
from perseus.provenance.vocabulary import (
    CAP, DATA_SOURCES, DATASET_SOURCE_TYPES, EDP, METER, TRUST_FRAMEWORK, process_uri,
)

DATASET_KEYS = ("role", "publisher", "title", "version", "months", "substitutedFor")


class InboundError(ValueError):
    """An inbound (EDP-signed) record that does not verify or does not fit the report."""


def missing_data(entries: list[dict]) -> str:
    """The type's overall assurance: Missing if any month had gaps, else Substituted if any was filled, else Complete."""
    states = {(e.get("dataQuality") or {}).get("missingData", "Complete") for e in entries}
    for state in ("Missing", "Substituted"):
        if state in states:
            return state
    return "Complete"


def metering_period(entries: list[dict]) -> dict:
    return {"from": min(e["from"] for e in entries), "to": max(e["to"] for e in entries)}


def dataset_step(dataset: dict, timestamp: str) -> dict:
    return {
        "type": "origin",
        "timestamp": timestamp,
        "sourceType": DATASET_SOURCE_TYPES[dataset["role"]],
        "origin": dataset["url"],
        "originLicense": dataset["licence"],
        "perseus:dataset": {k: dataset[k] for k in DATASET_KEYS if k in dataset},
    }


def inbound_types(item: dict) -> set[str]:
    return {r.get("type") for r in item.get("data", []) if isinstance(r, dict)}


def verify_inbound(item: dict, trust_anchor: bytes | None) -> tuple[Record, list[dict]]:
    """Verify an EDP's record against the anchor; its decoded steps, or InboundError naming the cause."""
    provenance = item.get("provenance")
    if trust_anchor is None:
        raise InboundError("an inbound record needs the environment's trust anchor to be verified")
    try:
        containers(provenance.get("steps") if isinstance(provenance, dict) else None)
    except Unreadable as exc:
        raise InboundError(f"the energy data provider's record cannot be read: {exc}") from exc
    try:
        record = Record(TRUST_FRAMEWORK, provenance)
        record.verify(CertificatesProviderSelfContainedRecord(trust_anchor))
    except Exception as exc:  # the library raises cryptography and bare exceptions alike
        from perseus.provenance.verify import explain

        raise InboundError(f"the energy data provider's record does not verify: {explain(exc)}") from exc
    steps = record.decoded()
    for step in steps:
        if step["type"] == "origin" and step.get("sourceType") == METER and EDP not in step["_signature"]["signed"]["roles"]:
            raise InboundError(f"consumption origin {step['id']} is signed by {step['_signature']['signed']['name']}, "
                               f"which is not an {EDP}")
    return record, steps


def sign_report(
    report: dict,
    *,
    key,
    cert_chain,
    inbound_records: Iterable[dict] = (),
    fsp: str | None = None,
    trust_anchor: bytes | None = None,
    outcode: str | dict[str, str] | None = None,
    data_source: str = "SmartMeter",
    declared: dict[str, dict] | None = None,
    check_role: bool = True,
) -> dict:
    """A copy of `report` whose `provenance` is the CAP's signed record (see the module docstring).

    `inbound_records` are consumption payloads (MeterData: `data` readings and an EDP-signed
    `provenance`); each is verified against `trust_anchor` and nested. `outcode` is one
    outcode or one per energy type. `declared` adds keys to the CAP's own consumption
    origin of a type (e.g. the synthetic-data label an unsigned input carried; a
    `dataSource` of None drops the claim of a meter). Raises SigningError
    (key or certificate unusable) or InboundError (an inbound record does not verify).
    """
    signer, member = member_signer(key, cert_chain)
    if check_role and CAP not in member["roles"]:
        raise SigningError(f"{cert_chain}: the certificate's roles are {', '.join(member['roles'])}; "
                           f"only a {CAP} signs an emissions calculation")
    if data_source not in DATA_SOURCES:
        raise ValueError(f"data_source must be one of {', '.join(DATA_SOURCES)}")
    report = copy.deepcopy(report)
    entries_by_type: dict[str, list[dict]] = {}
    for entry in report["data"]:
        entries_by_type.setdefault(entry["type"], []).append(entry)
    taken_at = max(e["takenAt"] for e in report["data"])
    record = Record(TRUST_FRAMEWORK)

    consumption_inputs: dict[str, list[str]] = {}
    for item in inbound_records:
        nested, steps = verify_inbound(item, trust_anchor)
        for transfer in (s for s in steps if s["type"] == "transfer" and s.get("to") != member["member"]):
            raise InboundError(f"transfer {transfer['id']} in the energy data provider's record was sent to "
                               f"{transfer.get('to')}, not to this member ({member['member']})")
        record.add_record(nested)
        origins = [s["id"] for s in steps if s["type"] == "origin" and s.get("sourceType") == METER]
        received = []
        for transfer in (s for s in steps if s["type"] == "transfer"):
            received.append(record.add_step({
                "type": "receipt", "timestamp": taken_at, "transfer": transfer["id"],
                "from": transfer["_signature"]["signed"]["member"],
            }))
        for energy_type in inbound_types(item):
            # The calculation reads what the CAP received; without a transfer, the EDP's origins themselves.
            consumption_inputs.setdefault(energy_type, []).extend(received or origins)

    for energy_type, entries in entries_by_type.items():
        if energy_type in consumption_inputs:
            continue
        scheme = {"meteringPeriod": metering_period(entries)}
        if postcode := (outcode.get(energy_type) if isinstance(outcode, dict) else outcode):
            scheme["postcode"] = postcode
        extra = dict((declared or {}).get(energy_type, {}))
        source = extra.pop("dataSource", data_source)
        assurance = {"dataSource": source, "missingData": missing_data(entries)} if source else {"missingData": missing_data(entries)}
        consumption_inputs[energy_type] = [record.add_step({
            "type": "origin", "timestamp": taken_at, "sourceType": METER, "perseus:energyType": energy_type,
            "perseus:scheme": scheme, "perseus:assurance": assurance, **extra,
        })]

    processes = []
    for source in report.get("sources", []):
        energy_type = source["type"]
        label, _, version = source["methodology"].partition("@")
        if source["methodologyUri"] != process_uri(label, version):
            raise ValueError(f"sources[{energy_type}]: methodologyUri {source['methodologyUri']} does not name "
                             f"{source['methodology']} (expected {process_uri(label, version)})")
        datasets = [record.add_step(dataset_step(d, taken_at)) for d in source.get("datasets", [])]
        entries = entries_by_type.get(energy_type, [])
        processes.append(record.add_step({
            "type": "process", "timestamp": taken_at, "process": source["methodologyUri"],
            "perseus:methodology": source["methodology"], "perseus:energyType": energy_type,
            "inputs": consumption_inputs.get(energy_type, []) + datasets,
            "perseus:assurance": {"processing": "Emissions", "missingData": missing_data(entries)},
            "perseus:report": report_digest(report, energy_type),
        }))
    if fsp:
        for process in processes:
            record.add_step({"type": "transfer", "timestamp": taken_at, "of": process, "to": fsp})
    report["provenance"] = record.sign(signer).encoded()
    return report


def _claims_signature(item) -> bool:
    """Whether a record holds any signature block: an EDP's claim that the CAP must verify, not ignore."""
    if isinstance(item, dict):
        return _claims_signature(item.get("steps"))
    if isinstance(item, list):
        return item[:1] == [0] or any(_claims_signature(x) for x in item if isinstance(x, list))
    return False


SYNTHETIC_KEYS = ("description", "perseus:synthetic")


def _synthetic_label(provenance) -> dict:
    """The synthetic-data label of an unsigned record's origin step (see perseus.synth), if any."""
    from perseus.provenance.steps import decode_step

    for item in (provenance or {}).get("steps") or []:
        try:
            step = decode_step(item) if isinstance(item, str) else {}
        except ValueError:
            continue
        if "perseus:synthetic" in step:
            return {k: step[k] for k in SYNTHETIC_KEYS if k in step}
    return {}


def consumption_context(paths) -> tuple[list[tuple[str, dict]], dict[str, str], dict[str, dict]]:
    """From the calculator's consumption files: (path, MeterData) for those carrying a signed
    (EDP) record; the outcode of each energy type where the files state one; and, for
    synthetic inputs, their label. Unsigned records (such as synthetic data's) are not
    inbound records: the CAP starts afresh, keeping the label and claiming no meter."""
    import json
    from pathlib import Path

    inbound, outcodes, declared = [], {}, {}
    for path in map(Path, paths):
        if path.suffix.lower() != ".json":
            continue  # CSV and Parquet carry no provenance or location
        payload = json.loads(path.read_text())
        if not isinstance(payload, dict):
            continue
        outcode = (payload.get("location") or {}).get("ukPostcodeOutcode")
        for energy_type in inbound_types(payload):
            if outcode:
                outcodes.setdefault(energy_type, outcode)
        if _claims_signature(payload.get("provenance")):
            inbound.append((str(path), payload))
        elif label := _synthetic_label(payload.get("provenance")):
            for energy_type in inbound_types(payload):
                declared[energy_type] = {**label, "dataSource": None}
    return inbound, outcodes, declared


def sign_calculated(report: dict, consumption, *, key, cert, fsp=None, trust_anchor=None) -> dict:
    """`perseus calculate --sign`: sign the calculator's report, nesting the EDP records its inputs carry."""
    from pathlib import Path

    inbound, outcodes, declared = consumption_context(consumption)
    anchor = Path(trust_anchor).read_bytes() if trust_anchor else None
    for path, payload in inbound:
        if anchor is None:
            raise InboundError(f"{path}: $.provenance: the consumption carries an energy data provider's signed "
                               "record; give --trust-anchor (the environment's CA) so that it can be verified")
        try:
            verify_inbound(payload, anchor)
        except InboundError as exc:
            raise InboundError(f"{path}: $.provenance: {exc}") from exc
    return sign_report(report, key=key, cert_chain=cert, inbound_records=[p for _, p in inbound], fsp=fsp,
                       trust_anchor=anchor, outcode=outcodes, declared=declared)
